// assessment.js: drafts, edits and export files (import planning: import-plan.test.mjs; the
// CSV for Excel: csv.test.mjs).
// Run: node --test tests/js
import assert from "node:assert/strict";
import { describe, it } from "node:test";

import { RUBRIC, loadScripts, plain } from "./harness.mjs";

const { assessment: A } = loadScripts("assessment.js");
const T0 = "2026-11-27T09:00:00.000Z";
const T1 = "2026-11-27T09:05:00.000Z";

function draft() {
  return A.newDraft(RUBRIC, "a1", T0);
}

describe("a new draft", () => {
  it("has the normalised shape of kcm_core's new_assessment", () => {
    assert.deepEqual(plain(draft()), {
      format: "kcm-assessment",
      format_version: 1,
      id: "a1",
      rubric: { id: "klantcontact", version: "1.0.0", sha256: "a".repeat(64) },
      fields: { bedrijf: "", naam_kandidaat: "", datum: "" },
      conditions: { gesprekstype: [] },
      criteria: {},
      remarks: {},
      status: "draft",
      created: T0,
      updated: T0,
      finalized: null,
      history: [],
    });
  });

  it("is a practice on the candidates' practice page, in kcm_core's key order", () => {
    const practice = A.newDraft({ ...RUBRIC, practice: true }, "p1", T0);
    assert.equal(practice.practice, true);
    assert.deepEqual(Object.keys(practice).slice(-2), ["history", "practice"]);
    // An edit keeps it, with the keys kcm_core writes after it in their place.
    const named = A.applyEdit(practice, { type: "event", event: { at: T1, kind: "phase", criterion: "1.1.1.a" } }, T1, RUBRIC);
    assert.deepEqual(Object.keys(named).slice(-3), ["history", "events", "practice"]);
    assert.equal("practice" in draft(), false, "the exam checklist's drafts are no practice");
  });

  it("gets an id in kcm_core's id alphabet", () => {
    for (let i = 0; i < 20; i += 1) {
      assert.match(A.newId(), /^[A-Za-z0-9][A-Za-z0-9_.:-]*$/);
    }
    const fallback = A.newId({ getRandomValues: (bytes) => bytes.fill(7) });
    assert.match(fallback, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });
});

describe("edits", () => {
  it("never change the object they are given", () => {
    const before = draft();
    const copy = JSON.stringify(before);
    A.applyEdit(before, { type: "checked", id: "1.1.1.a", value: true }, T1, RUBRIC);
    assert.equal(JSON.stringify(before), copy);
  });

  const cases = [
    ["ticking", [{ type: "checked", id: "2.1.1.a", value: true }], { criteria: { "2.1.1.a": { checked: true } } }],
    ["unticking leaves nothing behind", [{ type: "checked", id: "2.1.1.a", value: true }, { type: "checked", id: "2.1.1.a", value: false }], { criteria: {} }],
    ["n.v.t. clears the tick", [{ type: "checked", id: "1.1.1.a", value: true }, { type: "na", id: "1.1.1.a", value: true }], { criteria: { "1.1.1.a": { checked: false, na: true } } }],
    ["a tick clears n.v.t.", [{ type: "na", id: "1.1.1.a", value: true }, { type: "checked", id: "1.1.1.a", value: true }], { criteria: { "1.1.1.a": { checked: true } } }],
    ["a remark alone is kept", [{ type: "criterion-remark", id: "1.1.1.b", value: "goed" }], { criteria: { "1.1.1.b": { checked: false, remark: "goed" } } }],
    ["criteria follow the rubric order", [{ type: "checked", id: "2.1.1.a", value: true }, { type: "checked", id: "1.1.1.a", value: true }], { criteria: { "1.1.1.a": { checked: true }, "2.1.1.a": { checked: true } } }],
    ["condition options follow the rubric order", [{ type: "condition", id: "gesprekstype", values: ["outbound", "inbound"] }], { conditions: { gesprekstype: ["inbound", "outbound"] } }],
    ["an empty remark is removed", [{ type: "remark", id: "2", value: "x" }, { type: "remark", id: "2", value: "" }], { remarks: {} }],
    ["remarks in the order general, Eindterm 1, 2", [{ type: "remark", id: "2", value: "b" }, { type: "remark", id: "", value: "a" }], { remarks: { "": "a", 2: "b" } }],
    ["a field", [{ type: "field", id: "naam_kandidaat", value: "Jan" }], { fields: { bedrijf: "", naam_kandidaat: "Jan", datum: "" } }],
  ];
  for (const [name, edits, expected] of cases) {
    it(name, () => {
      let data = draft();
      for (const e of edits) {
        data = A.applyEdit(data, e, T1, RUBRIC);
      }
      for (const key of Object.keys(expected)) {
        assert.deepEqual(plain(data[key]), expected[key]);
        assert.deepEqual(Object.keys(data[key]), Object.keys(expected[key]), `order of ${key}`);
      }
      assert.equal(data.updated, T1);
    });
  }

  it("finalising and reopening are recorded in the history", () => {
    let data = A.applyEdit(draft(), { type: "finalize" }, T1, RUBRIC);
    assert.equal(data.status, "final");
    assert.equal(data.finalized, T1);
    data = A.applyEdit(data, { type: "reopen" }, "2026-11-28T10:00:00.000Z", RUBRIC);
    assert.equal(data.status, "draft");
    assert.equal(data.finalized, null);
    assert.deepEqual(plain(data.history), [
      { at: T1, action: "finalized" },
      { at: "2026-11-28T10:00:00.000Z", action: "reopened" },
    ]);
  });

  it("cuts text at kcm_core's limits, so what is saved can be imported again", () => {
    let data = A.applyEdit(draft(), { type: "field", id: "bedrijf", value: "x".repeat(500) }, T1, RUBRIC);
    assert.equal(data.fields.bedrijf.length, RUBRIC.limits.maxFieldChars);
    data = A.applyEdit(data, { type: "criterion-remark", id: "1.1.1.a", value: "y".repeat(5000) }, T1, RUBRIC);
    data = A.applyEdit(data, { type: "remark", id: "", value: "z".repeat(5000) }, T1, RUBRIC);
    assert.equal(data.criteria["1.1.1.a"].remark.length, RUBRIC.limits.maxRemarkChars);
    assert.equal(data.remarks[""].length, RUBRIC.limits.maxRemarkChars);
  });

  it("takes the limits from the rubric of the page", () => {
    const tight = { ...RUBRIC, limits: { ...RUBRIC.limits, maxFieldChars: 3 } };
    const data = A.applyEdit(draft(), { type: "field", id: "bedrijf", value: "abcdef" }, T1, tight);
    assert.equal(data.fields.bedrijf, "abc");
  });
});

describe("which rubric an assessment belongs to", () => {
  for (const [name, ref, expected] of [
    ["same id, version and hash", { id: "klantcontact", version: "1.0.0", sha256: "a".repeat(64) }, true],
    ["no hash (hand-made file)", { id: "klantcontact", version: "1.0.0" }, true],
    ["another version", { id: "klantcontact", version: "0.9.0", sha256: "a".repeat(64) }, false],
    ["same version, other content", { id: "klantcontact", version: "1.0.0", sha256: "b".repeat(64) }, false],
  ]) {
    it(name, () => {
      assert.equal(A.belongsTo({ rubric: ref }, RUBRIC), expected);
    });
  }
});

describe("export files", () => {
  it("one assessment is the assessment itself", () => {
    assert.deepEqual(JSON.parse(A.exportOneText(draft())), plain(draft()));
  });

  it("many assessments use the kcm-assessments wrapper", () => {
    const data = JSON.parse(A.exportManyText([draft()], T1));
    assert.equal(data.format, "kcm-assessments");
    assert.equal(data.format_version, 1);
    assert.equal(data.exported, T1);
    assert.equal(data.assessments.length, 1);
  });

  for (const [parts, expected] of [
    [["kcm", "Jan de Vries", "2026-11-27"], "kcm-Jan-de-Vries-2026-11-27.json"],
    [["kcm", "Zoë Ünal/../etc", "2026-11-27"], "kcm-Zoe-Unal-.-etc-2026-11-27.json"],
    [["kcm", "<script>", ""], "kcm-script.json"],
    [["", "", ""], "kcm.json"],
  ]) {
    it(`file name for ${JSON.stringify(parts)}`, () => {
      assert.equal(A.fileName(parts, "json"), expected);
    });
  }
});

