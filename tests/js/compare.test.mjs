// compare.js: kcm_core's merge answer as choices per difference, the joint record made from
// the assessor's choices, and what a joint record still needs before finalising.
// Run: node --test tests/js
import assert from "node:assert/strict";
import { describe, it } from "node:test";

import { RUBRIC, loadScripts, plain } from "./harness.mjs";
import { SCRIPTS, fakeEngine, scoreAnswer, settle, tab } from "./fakes.mjs";

const NOW = "2026-11-28T10:00:00.000Z";

// What kcm_core's browser_api.merge answers for A. Jansen (ticked 1.1.1.a, 2.1.1.a n.v.t.) and
// B. Bakker (1.1.1.a not ticked, 2.1.1.a ticked), who agree on 1.1.1.b.
function mergeAnswer() {
  return {
    ok: true,
    assessment: {
      format: "kcm-assessment",
      format_version: 1,
      id: "joint-1",
      rubric: { id: RUBRIC.id, version: RUBRIC.version, sha256: RUBRIC.sha256 },
      fields: { bedrijf: "Bel & Co", naam_kandidaat: "Jan de Vries", datum: "2026-11-27" },
      conditions: { gesprekstype: ["inbound"] },
      criteria: {
        "1.1.1.a": { checked: false, decision: { a: { checked: true }, b: { checked: false }, reason: "" } },
        "1.1.1.b": { checked: true },
        "2.1.1.a": { checked: false, decision: { a: { checked: false, na: true, remark: "klant belde in" }, b: { checked: true }, reason: "" } },
      },
      remarks: {},
      status: "draft",
      created: "2026-11-28T09:00:00Z",
      updated: "2026-11-28T09:00:00Z",
      finalized: null,
      history: [],
      assessors: [{ name: "A. Jansen" }, { name: "B. Bakker" }],
      sources: [
        { id: "a-1", seal: "1".repeat(64), assessor: "A. Jansen" },
        { id: "b-1", seal: "2".repeat(64), assessor: "B. Bakker" },
      ],
    },
    differences: [
      { kind: "field", id: "bedrijf", a: "Bel & Co", b: "Bel en Co", text: "Bedrijf: A. Jansen: 'Bel & Co'; B. Bakker: 'Bel en Co'" },
      { kind: "criterion", id: "1.1.1.a", a: { checked: true }, b: { checked: false }, text: "A. Jansen: gecheckt; B. Bakker: niet gecheckt" },
      { kind: "criterion", id: "2.1.1.a", a: { checked: false, na: true, remark: "klant belde in" }, b: { checked: true }, text: "…" },
    ],
  };
}

function compareModule() {
  return loadScripts(...SCRIPTS, "compare.js").compare;
}

describe("the plan from kcm_core's merge answer", () => {
  it("lists each differing criterion with its text and both answers, and words the other differences", () => {
    const compare = compareModule();
    const plan = compare.planOf(mergeAnswer(), RUBRIC);
    assert.deepEqual(plain(plan.names), ["A. Jansen", "B. Bakker"]);
    assert.deepEqual(
      plain(plan.criteria.map((c) => [c.id, c.text])),
      [
        ["1.1.1.a", "Eerste"],
        ["2.1.1.a", 'Met "quotes"; en puntkomma'],
      ],
    );
    assert.deepEqual(plain(plan.others), ["Veld Bedrijf: Bedrijf: A. Jansen: 'Bel & Co'; B. Bakker: 'Bel en Co'"]);
  });

  it("says both answers in the assessors' names, with an n.v.t.'s reason", () => {
    const compare = compareModule();
    const decision = mergeAnswer().assessment.criteria["2.1.1.a"].decision;
    assert.equal(compare.answersText(decision, ["A. Jansen", "B. Bakker"]), "A. Jansen: n.v.t. (klant belde in) / B. Bakker: gecheckt");
  });

  it("names the record each refusal is about", () => {
    const compare = compareModule();
    const texts = compare.refusalTexts(
      [
        { parts: ["fields", "naam_kandidaat"], message: "een andere kandidaat", source: "b" },
        { parts: ["status"], message: "niet afgerond", source: "a" },
      ],
      RUBRIC,
    );
    assert.deepEqual(plain(texts), ["Het bestand van je collega: veld Naam Kandidaat: een andere kandidaat.", "Jouw beoordeling: status: niet afgerond."]);
  });
});

describe("the joint record from the choices", () => {
  it("takes the chosen answer as the mark and keeps both answers with the reason", () => {
    const compare = compareModule();
    const plan = compare.planOf(mergeAnswer(), RUBRIC);
    const outcome = compare.jointRecord(
      plan,
      { "1.1.1.a": { pick: "a", reason: " Begroeting was er wel " }, "2.1.1.a": { pick: "a", reason: "Inbound gesprek" } },
      RUBRIC,
      NOW,
    );
    assert.equal(outcome.ok, true);
    const data = plain(outcome.data);
    assert.deepEqual(data.criteria["1.1.1.a"], { checked: true, decision: { a: { checked: true }, b: { checked: false }, reason: "Begroeting was er wel" } });
    assert.deepEqual(data.criteria["2.1.1.a"], {
      checked: false,
      na: true,
      remark: "klant belde in",
      decision: { a: { checked: false, na: true, remark: "klant belde in" }, b: { checked: true }, reason: "Inbound gesprek" },
    });
    assert.deepEqual(data.criteria["1.1.1.b"], { checked: true }, "agreed answers stay as kcm_core made them");
    assert.equal(data.id, "joint-1");
    assert.deepEqual(data.sources.map((s) => s.id), ["a-1", "b-1"]);
    assert.equal(data.status, "draft");
    assert.equal(data.created, NOW);
  });

  it("refuses to make it while an answer or a reason is missing, and says where", () => {
    const compare = compareModule();
    const plan = compare.planOf(mergeAnswer(), RUBRIC);
    const outcome = compare.jointRecord(plan, { "1.1.1.a": { pick: "b", reason: "   " }, "2.1.1.a": { pick: null, reason: "x" } }, RUBRIC, NOW);
    assert.equal(outcome.ok, false);
    assert.deepEqual(plain(outcome.missing), [
      { id: "1.1.1.a", what: "reason" },
      { id: "2.1.1.a", what: "pick" },
    ]);
  });

  it("makes a joint record without choices when the assessors agreed on every criterion", () => {
    const compare = compareModule();
    const answer = mergeAnswer();
    answer.differences = [];
    answer.assessment.criteria = { "1.1.1.a": { checked: true } };
    const outcome = compare.jointRecord(compare.planOf(answer, RUBRIC), {}, RUBRIC, NOW);
    assert.equal(outcome.ok, true);
    assert.deepEqual(plain(outcome.data.criteria), { "1.1.1.a": { checked: true } });
  });
});

describe("finalising a joint record", () => {
  it("lists every decision without its reason, pointing at the reason field of its row", () => {
    const compare = compareModule();
    const data = mergeAnswer().assessment;
    data.criteria["2.1.1.a"].decision.reason = "Inbound";
    assert.deepEqual(plain(compare.missingDecisions(data, RUBRIC)), [
      { label: "1.1.1.a: reden van de gezamenlijke keuze", target: { kind: "criterion", id: "1.1.1.a", role: "reason" } },
    ]);
  });

  it("asks for the missing reason before the confirmation and moves the focus to it", async () => {
    const kcm = loadScripts(...SCRIPTS, "compare.js");
    assert.ok(kcm.compare);
    const t = tab({ engine: fakeEngine(() => scoreAnswer()), answers: [null] });
    t.kcm.compare = kcm.compare;
    t.session.boot();
    const joint = mergeAnswer().assessment;
    joint.criteria["2.1.1.a"].decision.reason = "Inbound";
    assert.equal(t.store.save(joint, 0).ok, true);
    t.session.open(t.store.load(joint.id).record);
    await t.finalizing.finalize();
    await settle();
    const dialog = t.ui.dialogs[0];
    assert.equal(dialog.title, "Nog niet compleet");
    assert.deepEqual(plain(dialog.body[1].list), ["1.1.1.a: reden van de gezamenlijke keuze"]);
    assert.deepEqual(plain(t.events.focus.at(-1)), { kind: "criterion", id: "1.1.1.a", role: "reason" });
    assert.equal(t.session.state.current.data.status, "draft");
  });

  it("points kcm_core's refusal of a missing reason at that reason field", () => {
    const kcm = loadScripts(...SCRIPTS);
    assert.deepEqual(plain(kcm.finalize.problemTarget({ parts: ["criteria", "2.1.1.a", "decision", "reason"] })), { kind: "criterion", id: "2.1.1.a", role: "reason" });
  });
});
