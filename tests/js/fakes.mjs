// Fakes for the checklist's DOM-free modules (session.js, scoring.js, finalize.js, transfer.js,
// engine-client.js): a fake engine-start.js engine, a fake engine client, and a ui that records
// what the page would show.
import { MemoryStorage, RUBRIC, loadScripts } from "./harness.mjs";

export const SCRIPTS = ["store-codec.js", "store.js", "assessment.js", "csv.js", "versions.js", "practice.js", "import-plan.js", "ui.js", "engine-client.js", "scoring.js", "undo.js", "session-remove.js", "session.js", "finalize.js", "transfer.js"];

// Lets pending promise callbacks run (several rounds: chains of .then).
export async function settle(rounds = 10) {
  for (let i = 0; i < rounds; i += 1) {
    await new Promise((resolve) => setImmediate(resolve));
  }
}

// What engine-start.js offers as kcm.engine: messages in through send(), calls out in posted.
export function fakeSource() {
  return {
    posted: [],
    listener: null,
    stopped: 0,
    restarted: 0,
    startedAt: 100,
    running: true,
    listen(fn) {
      this.listener = fn;
    },
    post(message) {
      if (!this.running) {
        return false;
      }
      this.posted.push(message);
      return true;
    },
    stop() {
      this.stopped += 1;
    },
    restart() {
      this.restarted += 1;
    },
    send(message) {
      this.listener(message);
    },
    answer(index, value) {
      const call = this.posted[index];
      this.send({ type: "result", id: call.id, text: JSON.stringify(value) });
    },
  };
}

// Timers that run only when asked.
export function fakeTimers() {
  const timers = new Map();
  let next = 1;
  return {
    setTimeout: (fn, ms) => {
      timers.set(next, { fn, ms });
      return next++;
    },
    clearTimeout: (id) => timers.delete(id),
    runAll() {
      const due = Array.from(timers.values());
      timers.clear();
      due.forEach((t) => t.fn());
    },
    get count() {
      return timers.size;
    },
  };
}

// What kcm_core's seal() gives back for a final record (only what the page reads): the record
// with a result and a seal, taken over by the page as it is.
export const FAKE_SEAL = "5eal".repeat(16);

function sealAnswer(text) {
  return { ok: true, assessment: { ...JSON.parse(text), result: { verdict: "fail", outcomes: { 1: "fail", 2: "fail" } }, seal: { sha256: FAKE_SEAL } } };
}

// An engine client as session.js and transfer.js use it: state() and call(). `answer(fn, text)`
// gives kcm_core's answer (for "seal", unless it says otherwise, the record sealed); calls are
// recorded.
export function fakeEngine(answer, state = "ready") {
  const engine = {
    current: state,
    calls: [],
    state: () => ({ state: engine.current }),
    call(fn, text, options) {
      engine.calls.push({ fn, text, options });
      if (engine.current !== "ready") {
        return Promise.reject(new Error("engine not ready"));
      }
      const given = answer(fn, text);
      return Promise.resolve(fn === "seal" && given && given.ok && !given.assessment ? sealAnswer(text) : given);
    },
  };
  return engine;
}

// A score answer of kcm_core for an assessment (only what the modules read).
export function scoreAnswer(overrides = {}) {
  return {
    ok: true,
    result: {
      verdict: "fail",
      final: false,
      outcomes: [
        { id: "1", verdict: "fail", met: 0, applicable: 2, required: 2, missing: ["1.1.1.a", "1.1.1.b"] },
        { id: "2", verdict: "fail", met: 0, applicable: 1, required: 1, missing: ["2.1.1.a"] },
      ],
      reasons: [],
      not_applicable: [],
      missing_fields: [],
      missing_conditions: [],
      missing_reasons: [],
      complete: true,
      ...overrides,
    },
  };
}

// The page's ui functions, recording: banners by topic, dialogs (answered from `answers`, in
// order; an answer that is a function is called with the dialog, so it can make choices
// through the dialog's onChange first), announcements, downloads, the save status.
export function recordingUi(answers = []) {
  const ui = {
    banners: {},
    dialogs: [],
    announced: [],
    downloads: [],
    status: null,
    persistAsked: 0,
    showBanner(topic, options) {
      ui.banners[topic] = options;
    },
    clearBanner(topic) {
      delete ui.banners[topic];
    },
    ask(options) {
      ui.dialogs.push(options);
      const answer = answers.length ? answers.shift() : null;
      return Promise.resolve(typeof answer === "function" ? answer(options) : answer);
    },
    announce(text) {
      ui.announced.push(text);
    },
    askPersistence() {
      ui.persistAsked += 1;
    },
    download(text, name, type) {
      ui.downloads.push({ text, name, type });
    },
    saveStatus(kind, text) {
      ui.status = { kind, text };
    },
  };
  return ui;
}

// One tab: a store on `storage` (shared between tabs) and its own sessionStorage, a session and
// its finalize and transfer parts. Events of the session are counted in `events`. `rubric`: the
// page's (RUBRIC, the exam checklist; with `practice: true` the practice page); `otherPage`:
// transfer.js's link to the page of the other kind.
export function tab({ storage = new MemoryStorage(), engine = fakeEngine(() => scoreAnswer()), answers = [], clock, rubric = RUBRIC, otherPage } = {}) {
  const kcm = loadScripts(...SCRIPTS);
  let tick = 0;
  const now = clock || (() => new Date(Date.UTC(2026, 10, 27, 9, 0, tick++)).toISOString());
  const store = kcm.store.createStore(storage, { sessionStorage: new MemoryStorage(), now });
  const ui = recordingUi(answers);
  let exportNow = 0;
  const session = kcm.session.create({ store, engine, rubric, now, ui, exportNow: () => (exportNow += 1) });
  const events = { form: 0, result: [], list: 0, opened: 0, focus: [] };
  session.on("form", () => (events.form += 1));
  session.on("result", (entry) => events.result.push(entry));
  session.on("list", () => (events.list += 1));
  session.on("opened", () => (events.opened += 1));
  session.on("focus", (target) => events.focus.push(target));
  const finalizing = kcm.finalize.create({ session, engine, rubric, now, ui, hasInput: () => false });
  const transfer = kcm.transfer.create({ session, store, engine, rubric, now, ui, otherPage });
  return { kcm, storage, store, ui, session, finalizing, transfer, engine, events, exportNowCount: () => exportNow };
}
