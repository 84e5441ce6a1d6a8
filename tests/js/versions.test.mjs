// versions.js: to which rubric a stored record belongs, seen from one checklist page.
// Run: node --test tests/js
import assert from "node:assert/strict";
import { describe, it } from "node:test";

import { RUBRIC, loadScripts } from "./harness.mjs";

const { versions } = loadScripts("assessment.js", "versions.js");

const OLD = { id: RUBRIC.id, version: "0.9.0", sha256: "a".repeat(64), title: "Het oude formulier" };
const PAGE = Object.assign({}, RUBRIC, {
  archived: [OLD],
  others: [{ id: "teamleider", title: "Teamleider", checklistUrl: "../teamleider/checklist/", practiceUrl: "../teamleider/oefenen/" }],
});

const record = (rubric) => ({ rubric: rubric });

describe("which rubric a record belongs to", () => {
  const cases = [
    ["this version", { id: RUBRIC.id, version: RUBRIC.version, sha256: RUBRIC.sha256 }, "own", ""],
    ["this version without a sha256", { id: RUBRIC.id, version: RUBRIC.version }, "own", ""],
    ["an archived version", { id: RUBRIC.id, version: "0.9.0", sha256: OLD.sha256 }, "archived", "Versie 0.9.0 van het formulier"],
    ["an archived version with other content", { id: RUBRIC.id, version: "0.9.0", sha256: "b".repeat(64) }, "unknown", "Onbekende versie 0.9.0"],
    ["another rubric of the site", { id: "teamleider", version: "3.0.0" }, "other", "Teamleider"],
    ["a rubric the site does not know", { id: "elders", version: "1.0.0" }, "unknown", "Onbekend formulier (elders 1.0.0)"],
  ];
  for (const [name, ref, kind, label] of cases) {
    it(name, () => {
      assert.equal(versions.kindOf(record(ref), PAGE), kind);
      assert.equal(versions.label(record(ref), PAGE), label);
      assert.equal(versions.scorable(record(ref), PAGE), kind === "own" || kind === "archived");
    });
  }

  it("shows, prints and exports an archived record with its own version's facts", () => {
    const ref = { id: RUBRIC.id, version: "0.9.0" };
    assert.equal(versions.factsOf(record(ref), PAGE).title, "Het oude formulier");
    assert.equal(versions.factsOf(record({ id: RUBRIC.id, version: RUBRIC.version }), PAGE), PAGE);
    assert.equal(versions.factsOf(record({ id: "teamleider", version: "1.0.0" }), PAGE), null);
  });

  it("knows nothing more on a page of an older build without archived versions or others", () => {
    const bare = Object.assign({}, RUBRIC);
    assert.equal(versions.kindOf(record({ id: "teamleider", version: "1.0.0" }), bare), "unknown");
    assert.equal(versions.kindOf(record({ id: RUBRIC.id, version: "0.9.0" }), bare), "unknown");
  });
});
