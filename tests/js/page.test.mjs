// page.js: the rubric comes from the page's JSON block. Run: node --test tests/js
import assert from "node:assert/strict";
import { describe, it } from "node:test";

import { RUBRIC, loadScripts, plain } from "./harness.mjs";

const { page } = loadScripts("page.js");

describe("the rubric data block", () => {
  it("reads the block as the build writes it, with < escaped", () => {
    const rubric = { ...RUBRIC, title: "<b>Klantcontact</b>" };
    const text = JSON.stringify(rubric).replace(/</g, "\\u003c");
    assert.ok(!text.includes("<"));
    assert.deepEqual(plain(page.parseRubric(text)), rubric);
  });

  it("refuses a block without criteria or limits", () => {
    const { limits, ...noLimits } = RUBRIC;
    assert.ok(limits);
    assert.throws(() => page.parseRubric(JSON.stringify(noLimits)), /incomplete/);
    assert.throws(() => page.parseRubric("null"), /incomplete/);
    assert.throws(() => page.parseRubric("{kapot"), { name: "SyntaxError" });
  });
});
