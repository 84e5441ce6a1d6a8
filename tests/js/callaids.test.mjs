// The aids during the call without a page: callaids.js's clock, hold timer, log lines and the
// start of a new draft; undo.js's steps; assessment.js's edits for assessors and events; and the
// session's undo through them. Run: node --test tests/js
import assert from "node:assert/strict";
import { describe, it } from "node:test";

import { MemoryStorage, RUBRIC, loadScripts, plain } from "./harness.mjs";
import { SCRIPTS, fakeEngine, recordingUi, scoreAnswer } from "./fakes.mjs";

const kcm = loadScripts("assessment.js", "undo.js", "callaids.js");
const A = kcm.assessment;
const C = kcm.callaids;
const NOW = "2026-11-27T09:12:00.000Z";
const HOLD = { at: NOW, kind: "hold", criterion: "2.1.1.a", seconds: 42 };
const PHASE = { at: NOW, kind: "phase", criterion: "1.1.1.a" };

const draft = () => A.newDraft(RUBRIC, "a1", NOW);
const apply = (data, ...edits) => edits.reduce((d, e) => A.applyEdit(d, e, NOW, RUBRIC), data);

describe("the hold timer", () => {
  for (const [seconds, text] of [
    [0, "0:00"],
    [9.9, "0:09"],
    [30, "0:30"],
    [75, "1:15"],
    [3600, "60:00"],
  ]) {
    it(`shows ${seconds} s as ${text}`, () => assert.equal(C.clockText(seconds), text));
  }

  it("counts from its start and gives the hold as a note with whole seconds", () => {
    const timer = C.holdTimer(30);
    assert.equal(timer.running, false);
    timer.start(1000, NOW);
    assert.equal(timer.running, true);
    assert.equal(timer.seconds(13_400), 12.4);
    assert.deepEqual(plain(timer.stop(43_600, "2.4.2.c")), { at: NOW, kind: "hold", criterion: "2.4.2.c", seconds: 43 });
    assert.equal(timer.running, false);
    assert.equal(timer.stop(50_000, "2.4.2.c"), null, "a stopped timer gives no second note");
  });

  for (const [ms, over] of [
    [30_000, false],
    [30_001, true],
  ]) {
    it(`warns only past the limit (${ms} ms: ${over})`, () => {
      const timer = C.holdTimer(30);
      timer.start(0, NOW);
      assert.equal(timer.over(ms), over);
    });
  }
});

describe("the line under an aid", () => {
  const data = apply(
    draft(),
    { type: "event", event: { ...HOLD, seconds: 12 } },
    { type: "event", event: { ...HOLD, seconds: 41 } },
    { type: "event", event: PHASE },
  );
  for (const [kind, criterion, pattern] of [
    ["hold", "2.1.1.a", /^Wachttijden: 0:12 om \d\d:\d\d:\d\d, 0:41 om \d\d:\d\d:\d\d \(te lang\)\.$/],
    ["phase", "1.1.1.a", /^Begonnen om \d\d:\d\d:\d\d\.$/],
    ["phase", "2.1.1.a", /^$/],
    ["hold", "1.1.1.a", /^$/],
  ]) {
    it(`${kind} at ${criterion}`, () => assert.match(C.logText(data, kind, criterion, 30), pattern));
  }
});

describe("a new assessment", () => {
  it("starts with today's date and the remembered name", () => {
    const started = C.startDraft(draft(), RUBRIC, "2026-11-27", "A. Jansen");
    assert.equal(started.fields.datum, "2026-11-27");
    assert.deepEqual(plain(started.assessors), [{ name: "A. Jansen" }]);
  });

  it("without a remembered name has no assessors", () => {
    assert.equal("assessors" in C.startDraft(draft(), RUBRIC, "2026-11-27", "  "), false);
  });

  it("remembers the device's name first, else the newest named assessment's", () => {
    const named = (id, name, updated) => ({ id, data: { ...draft(), id, updated, assessors: name ? [{ name }] : undefined } });
    const records = [named("x", "Oud", "2026-01-01T00:00:00Z"), named("y", "Nieuw", "2026-02-01T00:00:00Z"), named("z", "", "2026-03-01T00:00:00Z")];
    assert.equal(C.rememberedName(records, ""), "Nieuw");
    assert.equal(C.rememberedName(records, "Apparaat"), "Apparaat");
    assert.equal(C.rememberedName([], ""), "");
  });

  it("uses the device setting only where the store keeps the name", () => {
    assert.equal(C.deviceMemory({ settings: () => ({ deleteReminderDays: null }), saveSettings() {} }), null);
    const saved = [];
    const memory = C.deviceMemory({ settings: () => ({ assessorName: "B" }), saveSettings: (s) => saved.push(s) });
    assert.equal(memory.get(), "B");
    memory.set("C");
    assert.deepEqual(plain(saved), [{ assessorName: "C" }]);
  });

  it("gets the local date of the device", () => {
    assert.equal(C.localDate(new Date(2026, 10, 7, 23, 59)), "2026-11-07");
  });
});

describe("assessors and events in an assessment", () => {
  it("writes the assessor's name, and leaves the key out when it is empty or blank", () => {
    const named = apply(draft(), { type: "assessor", value: "A. Jansen" });
    assert.deepEqual(plain(named.assessors), [{ name: "A. Jansen" }]);
    assert.equal("assessors" in apply(named, { type: "assessor", value: "" }), false);
    assert.equal("assessors" in apply(named, { type: "assessor", value: "   " }), false);
  });

  it("cuts a long name at the field limit", () => {
    const named = apply(draft(), { type: "assessor", value: "x".repeat(500) });
    assert.equal(named.assessors[0].name.length, RUBRIC.limits.maxFieldChars);
  });

  it("adds notes last, with a hold's seconds whole and within the limit", () => {
    const data = apply(draft(), { type: "event", event: PHASE }, { type: "event", event: { ...HOLD, seconds: 12.6 } }, { type: "event", event: { ...HOLD, seconds: 1e9 } });
    assert.deepEqual(plain(data.events), [PHASE, { ...HOLD, seconds: 13 }, { ...HOLD, seconds: RUBRIC.limits.maxHoldSeconds }]);
  });

  it("takes the last equal note away, and the key with the last one", () => {
    const data = apply(draft(), { type: "event", event: PHASE }, { type: "event", event: HOLD }, { type: "event", event: PHASE });
    const less = apply(data, { type: "remove-event", event: PHASE });
    assert.deepEqual(plain(less.events), [PHASE, HOLD]);
    assert.equal("events" in apply(less, { type: "remove-event", event: PHASE }, { type: "remove-event", event: HOLD }), false);
  });

  it("keeps kcm_core's key order, also when a key comes back", () => {
    const data = apply(draft(), { type: "event", event: PHASE }, { type: "assessor", value: "A" }, { type: "assessor", value: "" }, { type: "assessor", value: "B" });
    assert.deepEqual(Object.keys(data).slice(-3), ["history", "assessors", "events"]);
  });

  it("adds no note past the limit", () => {
    const rubric = { ...RUBRIC, limits: { ...RUBRIC.limits, maxEvents: 2 } };
    let data = draft();
    for (let i = 0; i < 3; i += 1) {
      data = A.applyEdit(data, { type: "event", event: PHASE }, NOW, rubric);
    }
    assert.equal(data.events.length, 2);
  });
});

describe("undo steps", () => {
  const before = apply(draft(), { type: "checked", id: "1.1.1.a", value: true }, { type: "criterion-remark", id: "1.1.1.a", value: "goed" }, { type: "assessor", value: "A" });
  for (const [name, change] of [
    ["a tick", { type: "checked", id: "1.1.1.a", value: false }],
    ["an n.v.t.", { type: "na", id: "1.1.1.a", value: true }],
    ["a remark", { type: "criterion-remark", id: "1.1.1.a", value: "anders" }],
    ["a field", { type: "field", id: "bedrijf", value: "Belcentrum" }],
    ["a condition", { type: "condition", id: "gesprekstype", values: ["outbound"] }],
    ["an Eindterm remark", { type: "remark", id: "2", value: "x" }],
    ["the assessor", { type: "assessor", value: "B" }],
    ["a phase", { type: "event", event: PHASE }],
    ["a hold", { type: "event", event: { ...HOLD, seconds: 7.4 } }],
  ]) {
    it(`put ${name} back as it was`, () => {
      const after = apply(before, change);
      const undone = apply(after, kcm.undo.inverse(before, change));
      assert.equal(A.sameContent({ ...undone, updated: "" }, { ...before, updated: "" }), true);
    });
  }

  it("make typing in one field one step, and a tick in between a step of its own", () => {
    const steps = kcm.undo.tracker(RUBRIC);
    let data = draft();
    const type = (value) => {
      const change = { type: "field", id: "bedrijf", value };
      steps.note("a1", data, change);
      data = apply(data, change);
    };
    type("B");
    type("Be");
    steps.note("a1", data, { type: "checked", id: "1.1.1.a", value: true });
    type("Bel");
    assert.equal(steps.take("a1").undo.value, "Be");
    assert.equal(steps.take("a1").label, "vinkje bij 1.1.1.a");
    assert.deepEqual(plain(steps.take("a1").undo), { type: "field", id: "bedrijf", value: "" });
    assert.equal(steps.take("a1"), null);
  });

  it("belong to one assessment, and finalising starts afresh", () => {
    const steps = kcm.undo.tracker(RUBRIC);
    steps.note("a1", draft(), { type: "checked", id: "1.1.1.a", value: true });
    assert.equal(steps.last("b2"), null);
    steps.note("a1", draft(), { type: "finalize" });
    assert.equal(steps.last("a1"), null);
  });
});

// A session as app.js creates it, with `startDraft` (callaids.js's in the page).
function makeSession(extra = {}) {
  const k = loadScripts(...SCRIPTS);
  let tick = 0;
  const now = () => new Date(Date.UTC(2026, 10, 27, 9, 0, tick++)).toISOString();
  const store = k.store.createStore(new MemoryStorage(), { sessionStorage: new MemoryStorage(), now });
  const session = k.session.create({ store, engine: fakeEngine(() => scoreAnswer()), rubric: RUBRIC, now, ui: recordingUi([]), exportNow() {}, ...extra });
  return { store, session };
}

describe("the session's undo", () => {
  it("takes back the last tick and saves that", () => {
    const t = makeSession();
    t.session.boot();
    t.session.edit({ type: "checked", id: "1.1.1.a", value: true });
    t.session.edit({ type: "checked", id: "2.1.1.a", value: true });
    const step = t.session.undo();
    assert.equal(step.label, "vinkje bij 2.1.1.a");
    const saved = t.store.load(t.session.state.current.id).record.data;
    assert.deepEqual(Object.keys(saved.criteria), ["1.1.1.a"]);
    assert.equal(t.session.undo().label, "vinkje bij 1.1.1.a");
    assert.equal(t.session.undo(), null);
  });

  it("starts a new assessment from startDraft and forgets the steps of the one before", () => {
    const t = makeSession({ startDraft: (d) => ({ ...d, fields: { ...d.fields, datum: "2026-11-27" }, assessors: [{ name: "A" }] }) });
    t.session.boot();
    t.session.edit({ type: "checked", id: "1.1.1.a", value: true });
    const data = t.session.state.current.data;
    assert.equal(data.fields.datum, "2026-11-27");
    assert.deepEqual(plain(data.assessors), [{ name: "A" }]);
    t.session.startNew();
    assert.equal(t.session.lastStep(), null);
  });
});
