// progress.js: how far the assessor is, and the next open criterion. Run: node --test tests/js
import assert from "node:assert/strict";
import { describe, it } from "node:test";

import { RUBRIC, loadScripts, plain } from "./harness.mjs";

const { progress } = loadScripts("progress.js");

// Marks as the page keeps them: {id: {checked, na}}; anything missing is unticked.
const marksOf = (marks) => (id) => marks[id] || { checked: false, na: false };

describe("progress per Eindterm and in all", () => {
  it("counts every criterion as open before kcm_core has said which apply", () => {
    const counted = progress.measure(RUBRIC, marksOf({}), null);
    assert.deepEqual(plain(counted.overall), { total: 3, done: 0 });
    assert.deepEqual(plain(counted.eindtermen["1"]), { total: 2, done: 0, open: ["1.1.1.a", "1.1.1.b"] });
    assert.deepEqual(plain(counted.open), ["1.1.1.a", "1.1.1.b", "2.1.1.a"]);
  });

  it("counts ticked and hand-set n.v.t. as done, and leaves out what kcm_core says does not apply", () => {
    const marks = { "1.1.1.a": { checked: true, na: false }, "2.1.1.a": { checked: false, na: true } };
    // 1.1.1.b does not apply (its condition); 2.1.1.a is n.v.t. by hand, so its condition holds.
    const counted = progress.measure(RUBRIC, marksOf(marks), new Set(["1.1.1.b", "2.1.1.a"]));
    assert.deepEqual(plain(counted.eindtermen["1"]), { total: 1, done: 1, open: [] });
    assert.deepEqual(plain(counted.eindtermen["2"]), { total: 1, done: 1, open: [] });
    assert.deepEqual(plain(counted.overall), { total: 2, done: 2 });
  });

  it("never counts more done than there are", () => {
    // Ticked and n.v.t. at once, and ticked while kcm_core says it does not apply.
    const marks = { "1.1.1.a": { checked: true, na: true }, "1.1.1.b": { checked: true, na: false } };
    const counted = progress.measure(RUBRIC, marksOf(marks), new Set(["1.1.1.b"]));
    assert.deepEqual(plain(counted.eindtermen["1"]), { total: 1, done: 1, open: [] });
    assert.ok(counted.overall.done <= counted.overall.total);
  });

  it("words progress as the page shows it", () => {
    assert.equal(progress.words({ total: 36, done: 12 }), "12 van 36 afgevinkt");
  });
});

describe("the next open criterion", () => {
  const ids = ["a", "b", "c", "d"];

  it("is the first open one after the criterion used last", () => {
    assert.equal(progress.nextOpen(ids, ["a", "c", "d"], "a"), "c");
    assert.equal(progress.nextOpen(ids, ["a", "c", "d"], "c"), "d");
  });

  it("starts again at the top after the last, and at the top when none was used", () => {
    assert.equal(progress.nextOpen(ids, ["a", "c"], "d"), "a");
    assert.equal(progress.nextOpen(ids, ["b", "c"], null), "b");
  });

  it("is none when nothing is open", () => {
    assert.equal(progress.nextOpen(ids, [], "b"), null);
  });
});
