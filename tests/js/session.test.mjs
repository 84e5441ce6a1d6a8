// session.js, scoring.js, finalize.js: editing, saving, two tabs, finalising, scores.
// Run: node --test tests/js
import assert from "node:assert/strict";
import { describe, it } from "node:test";

import { MemoryStorage, plain } from "./harness.mjs";
import { FAKE_SEAL, fakeEngine, fakeSource, fakeTimers, scoreAnswer, settle, tab } from "./fakes.mjs";

const tick = (id, value = true) => ({ type: "checked", id, value });

function stored(t, id) {
  const loaded = t.store.load(id);
  assert.equal(loaded.ok, true, "stored");
  return loaded.record;
}

describe("editing", () => {
  it("creates and saves a draft on the first edit", () => {
    const t = tab();
    t.session.boot();
    assert.equal(t.session.state.current, null);
    assert.equal(t.store.list().records.length, 0, "opening the page stores nothing");
    t.session.edit(tick("1.1.1.a"));
    const current = t.session.state.current;
    assert.equal(current.rev, 1);
    assert.equal(current.data.status, "draft");
    assert.deepEqual(plain(stored(t, current.id).data.criteria), { "1.1.1.a": { checked: true } });
    assert.equal(t.ui.status.kind, "ok");
    assert.match(t.ui.status.text, /^Opgeslagen in deze browser om /);
    t.session.edit({ type: "field", id: "naam_kandidaat", value: "Fátima" });
    assert.equal(t.session.state.current.id, current.id, "later edits change the same draft");
    assert.equal(stored(t, current.id).rev, 2);
    assert.equal(t.ui.persistAsked, 2, "the browser is asked to keep the data after a save");
  });

  it("opens this tab's assessment again after a reload, else the newest draft", () => {
    const storage = new MemoryStorage();
    const first = tab({ storage });
    first.session.boot();
    first.session.edit(tick("1.1.1.a"));
    const second = tab({ storage });
    second.session.boot();
    assert.equal(second.session.state.current.id, first.session.state.current.id);
  });

  it("shows a failed save and never reports it as saved; a later flush saves it", () => {
    const t = tab();
    t.session.boot();
    t.storage.failWrites = true;
    t.session.edit(tick("1.1.1.a"));
    assert.equal(t.session.state.dirty, true);
    assert.equal(t.ui.status.kind, "error");
    assert.match(t.ui.status.text, /^NIET opgeslagen\./);
    assert.equal(t.ui.banners["save-failed"].title, "Niet opgeslagen");
    t.ui.banners["save-failed"].actions[0].onClick();
    assert.equal(t.exportNowCount(), 1, "the banner offers the export");
    t.storage.failWrites = false;
    t.session.flush();
    assert.equal(t.session.state.dirty, false);
    assert.equal(t.ui.banners["save-failed"], undefined);
    assert.equal(stored(t, t.session.state.current.id).data.criteria["1.1.1.a"].checked, true);
  });
});

describe("two tabs on the same storage", () => {
  function twoTabs() {
    const storage = new MemoryStorage();
    const a = tab({ storage });
    a.session.boot();
    a.session.edit({ type: "field", id: "naam_kandidaat", value: "Jan" });
    const b = tab({ storage });
    b.session.boot();
    assert.equal(b.session.state.current.id, a.session.state.current.id);
    return { a, b, id: a.session.state.current.id };
  }

  it("puts this tab's edit on top of the newer record another tab saved first", () => {
    const { a, b, id } = twoTabs();
    b.session.edit(tick("2.1.1.a"));
    a.session.edit(tick("1.1.1.a"));
    const record = stored(a, id);
    assert.equal(record.rev, 3);
    assert.deepEqual(plain(record.data.criteria), { "1.1.1.a": { checked: true }, "2.1.1.a": { checked: true } });
    assert.equal(record.data.fields.naam_kandidaat, "Jan");
    assert.equal(a.session.state.current.rev, 3);
    assert.equal(a.ui.banners.conflict.title, "Samengevoegd");
  });

  it("does not save an edit on a record another tab finalised", () => {
    const { a, b, id } = twoTabs();
    b.session.edit({ type: "finalize" });
    a.session.edit(tick("1.1.1.a"));
    const record = stored(a, id);
    assert.equal(record.data.status, "final");
    assert.deepEqual(plain(record.data.criteria), {});
    assert.equal(a.session.state.current.data.status, "final", "the tab now shows the final record");
    assert.equal(a.ui.banners.conflict.title, "Niet opgeslagen: al afgerond");
  });

  it("follows a newer record from another tab (storage event), unless its own change is unsaved", () => {
    const { a, b, id } = twoTabs();
    b.session.edit(tick("2.1.1.a"));
    a.session.storageChanged(a.kcm.store.keyKind(a.kcm.store.recordKey(id)));
    assert.equal(a.session.state.current.rev, 2);
    assert.match(a.ui.status.text, /^Bijgewerkt vanuit een ander tabblad/);
  });

  it("saves again what is on screen when another tab deleted the record meanwhile", () => {
    const { a, b, id } = twoTabs();
    b.store.remove(id);
    a.session.edit(tick("1.1.1.a"));
    assert.equal(stored(a, id).rev, 1);
    assert.equal(a.ui.banners.conflict.title, "Opnieuw bewaard");
  });
});

describe("finalising and reopening", () => {
  it("finalises after the confirmation, refuses edits then, and records the reopening", async () => {
    const t = tab({ answers: ["yes", "yes"] });
    t.session.boot();
    t.session.edit({ type: "assessor", value: "A. Jansen" });
    t.session.edit(tick("1.1.1.a"));
    await t.finalizing.finalize();
    const dialog = t.ui.dialogs[0];
    assert.equal(dialog.title, "Beoordeling afronden?");
    assert.equal(dialog.body[0].text, "Uitslag: de kandidaat is niet geslaagd.");
    assert.deepEqual(plain(dialog.body[2].list), ["1.1.1.b =SUM(A1)", "2.1.1.a " + 'Met "quotes"; en puntkomma']);
    const id = t.session.state.current.id;
    assert.equal(stored(t, id).data.status, "final");
    assert.equal(stored(t, id).data.seal.sha256, FAKE_SEAL, "the record as kcm_core sealed it");
    const sealCall = t.engine.calls.find((c) => c.fn === "seal");
    assert.equal(JSON.parse(sealCall.text).status, "final", "sealed as the final record");
    // Back where "Afronden" was, beside export, print and the next candidate (issue 12).
    assert.deepEqual(plain(t.events.focus.at(-1)), { kind: "done" });
    assert.deepEqual(t.ui.announced, ["De beoordeling is afgerond."]);

    const formsBefore = t.events.form;
    assert.equal(t.session.edit(tick("2.1.1.a")), false, "a final record takes no edits");
    assert.equal(t.events.form, formsBefore + 1, "the form is drawn again as it was");
    assert.equal(stored(t, id).rev, 3, "assessor, tick, finalise: three saves");

    await t.finalizing.reopen();
    const record = stored(t, id);
    assert.equal(record.data.status, "draft");
    assert.equal(record.data.finalized, null);
    assert.deepEqual(plain(record.data.history.map((h) => h.action)), ["finalized", "reopened"]);
    assert.deepEqual(plain(record.data.history.map((h) => h.by)), ["A. Jansen", "A. Jansen"], "who finalised and reopened");
    assert.equal(record.data.seal, undefined, "reopening removes the seal");
    assert.equal(record.data.result, undefined);
    assert.equal(t.session.edit(tick("2.1.1.a")), true);
  });

  it("does not finalise what is no longer on screen when the seal comes back", async () => {
    let release = null;
    const engine = fakeEngine((fn, text) =>
      fn === "seal" ? new Promise((resolve) => (release = () => resolve({ ok: true, assessment: { ...JSON.parse(text), seal: { sha256: FAKE_SEAL } } }))) : scoreAnswer(),
    );
    const t = tab({ engine, answers: ["yes"] });
    t.session.boot();
    t.session.edit({ type: "assessor", value: "A. Jansen" });
    t.session.edit(tick("1.1.1.a"));
    const id = t.session.state.current.id;
    const finalising = t.finalizing.finalize();
    await settle();
    assert.ok(release, "the seal was asked for");
    t.session.startNew();
    release();
    await finalising;
    assert.equal(stored(t, id).data.status, "draft");
    assert.equal(t.ui.banners.finalize.title, "Niet afgerond");
    assert.equal(t.session.state.current, null, "the new assessment stays open");
  });

  it("changes nothing when the assessor cancels", async () => {
    const t = tab({ answers: [null] });
    t.session.boot();
    t.session.edit(tick("1.1.1.a"));
    await t.finalizing.finalize();
    assert.equal(t.session.state.current.data.status, "draft");
  });

  it("is refused while the engine loads or cannot run, without asking it", async () => {
    for (const [state, text] of [
      ["loading", /Wacht tot de rekenmodule klaar is/],
      ["error", /afronden kan hier niet/],
    ]) {
      const t = tab({ engine: fakeEngine(() => scoreAnswer(), state) });
      t.session.boot();
      t.session.edit(tick("1.1.1.a"));
      await settle();
      const calls = t.engine.calls.length;
      await t.finalizing.finalize();
      assert.match(t.ui.banners.finalize.text, text);
      assert.equal(t.engine.calls.length, calls, state);
      assert.equal(t.ui.dialogs.length, 0);
    }
  });

  it("shows what is missing first and points at it", async () => {
    const engine = fakeEngine(() => scoreAnswer({ missing_fields: ["datum"], missing_conditions: ["gesprekstype"] }));
    const t = tab({ engine, answers: [null] });
    t.session.boot();
    t.session.edit({ type: "assessor", value: "A. Jansen" });
    t.session.edit(tick("1.1.1.a"));
    await t.finalizing.finalize();
    assert.equal(t.ui.dialogs[0].title, "Nog niet compleet");
    assert.deepEqual(plain(t.ui.dialogs[0].body[1].list), ["Datum", "Soort gesprek"]);
    assert.deepEqual(plain(t.events.focus.at(-1)), { kind: "field", id: "datum" });
    assert.equal(t.session.state.current.data.status, "draft");
  });

  it("asks who assessed first, and points at the assessor's name", async () => {
    const engine = fakeEngine(() => scoreAnswer({ missing_fields: ["datum"] }));
    const t = tab({ engine, answers: [null] });
    t.session.boot();
    t.session.edit(tick("1.1.1.a"));
    await t.finalizing.finalize();
    assert.equal(t.ui.dialogs[0].title, "Nog niet compleet");
    assert.deepEqual(plain(t.ui.dialogs[0].body[1].list), ["Naam beoordelaar", "Datum"]);
    assert.deepEqual(plain(t.events.focus.at(-1)), { kind: "assessor" });
    assert.equal(t.session.state.current.data.status, "draft");
  });

  it("shows kcm_core's problems and points at the first one, also for ids with dots", async () => {
    const problem = { path: "$.criteria['2.1.1.a'].remark", parts: ["criteria", "2.1.1.a", "remark"], message: "reden nodig" };
    const t = tab({ engine: fakeEngine(() => ({ ok: false, problems: [problem] })), answers: [null] });
    t.session.boot();
    t.session.edit({ type: "na", id: "2.1.1.a", value: true });
    await t.finalizing.finalize();
    assert.equal(t.ui.dialogs[0].title, "Nog niet af te ronden");
    assert.deepEqual(plain(t.events.focus.at(-1)), { kind: "criterion", id: "2.1.1.a", role: "remark" });
  });
});

describe("where a problem points", () => {
  const { finalize } = tab().kcm;

  it("maps kcm_core's parts to the control to focus", () => {
    const cases = [
      [["criteria", "2.4.1.b", "remark"], { kind: "criterion", id: "2.4.1.b", role: "remark" }],
      [["criteria", "2.4.1.b"], { kind: "criterion", id: "2.4.1.b", role: "remark" }],
      [["criteria", "2.4.1.b", "checked"], { kind: "criterion", id: "2.4.1.b", role: "checked" }],
      [["criteria", "2.4.1.b", "na"], { kind: "criterion", id: "2.4.1.b", role: "na" }],
      [["fields", "naam_kandidaat"], { kind: "field", id: "naam_kandidaat" }],
      [["conditions", "gesprekstype", 0], { kind: "condition", id: "gesprekstype" }],
      [["remarks", "2"], null],
      [["criteria"], null],
      [[], null],
    ];
    for (const [parts, expected] of cases) {
      assert.deepEqual(plain(finalize.problemTarget({ path: "$", parts, message: "" })), expected, JSON.stringify(parts));
    }
    assert.equal(finalize.problemTarget({ path: '$.criteria["2.4.1.b"]', message: "" }), null, "no parts: nothing to point at");
    assert.equal(finalize.problemTarget(undefined), null);
  });

  it("points at the first missing field, else the first missing condition", () => {
    assert.deepEqual(plain(finalize.missingTarget({ missing_fields: ["datum"], missing_conditions: ["gesprekstype"] })), { kind: "field", id: "datum" });
    assert.deepEqual(plain(finalize.missingTarget({ missing_fields: [], missing_conditions: ["gesprekstype"] })), { kind: "condition", id: "gesprekstype" });
    assert.equal(finalize.missingTarget({ missing_fields: [], missing_conditions: [] }), null);
  });
});

describe("deleting", () => {
  it("deletes the open assessment after the confirmation and empties the form", async () => {
    const t = tab({ answers: ["yes"] });
    t.session.boot();
    t.session.edit({ type: "field", id: "naam_kandidaat", value: "Jan" });
    const id = t.session.state.current.id;
    await t.session.remove(id);
    assert.equal(t.ui.dialogs[0].title, "Beoordeling van Jan verwijderen?");
    assert.equal(t.session.state.current, null);
    assert.equal(t.store.load(id).ok, false);
    assert.deepEqual(t.ui.announced, ["Beoordeling verwijderd."]);
  });
});

describe("scores", () => {
  // The session with the real engine client over a fake engine-start.js engine.
  function withClient() {
    const source = fakeSource();
    const timers = fakeTimers();
    const probe = tab();
    const engine = probe.kcm.engineClient.create({ host: { engine: source }, sha256: "a".repeat(64), ...timers, clock: () => 0 });
    const t = tab({ engine });
    engine.onState((info) => t.session.engineChanged(info));
    return { t, source, engine };
  }

  it("asks once for the open assessment however often it changed while the engine loaded", async () => {
    const { t, source, engine } = withClient();
    t.session.boot();
    engine.start();
    for (const id of ["1.1.1.a", "1.1.1.b", "2.1.1.a"]) {
      t.session.edit(tick(id));
    }
    assert.equal(t.events.result.at(-1), null, "while loading the result says why there is none");
    source.send({ type: "ready", rubric: { sha256: "a".repeat(64) } });
    assert.equal(source.posted.length, 1, "one score, not one per change");
    source.answer(0, scoreAnswer());
    await settle();
    assert.equal(source.posted.length, 2, "the answer was for an older state: asked again");
    assert.equal(JSON.parse(source.posted[1].args[0]).criteria["2.1.1.a"].checked, true);
    source.answer(1, scoreAnswer({ verdict: "pass" }));
    await settle();
    assert.equal(t.events.result.at(-1).result.verdict, "pass");
    assert.equal(t.session.state.scores[t.session.state.current.id].result.verdict, "pass");
  });

  it("scores listed assessments once per version, and again after the engine came back", async () => {
    const storage = new MemoryStorage();
    const other = tab({ storage });
    other.session.boot();
    other.session.edit(tick("1.1.1.a"));
    const listedId = other.session.state.current.id;
    const source = fakeSource();
    const probe = tab();
    const engine = probe.kcm.engineClient.create({ host: { engine: source }, sha256: "a".repeat(64), ...fakeTimers(), clock: () => 0 });
    const t = tab({ storage, engine });
    engine.onState((info) => t.session.engineChanged(info));
    t.session.boot();
    t.session.startNew();
    engine.start();
    source.send({ type: "failed", kind: "load", detail: "" });
    await settle();
    t.session.refreshList();
    t.session.refreshList();
    assert.equal(source.posted.length, 0, "not asked again and again while the engine is down");
    engine.retry();
    source.send({ type: "ready", rubric: { sha256: "a".repeat(64) } });
    const listScores = () => source.posted.filter((m) => JSON.parse(m.args[0]).id === listedId);
    assert.equal(listScores().length, 1);
    t.session.refreshList();
    assert.equal(listScores().length, 1, "asked once while the answer is on its way");
    source.answer(source.posted.indexOf(listScores()[0]), scoreAnswer());
    await settle();
    assert.equal(t.session.state.scores[listedId].result.verdict, "fail");
    t.session.refreshList();
    assert.equal(listScores().length, 1, "a scored version is not asked again");
  });
});
