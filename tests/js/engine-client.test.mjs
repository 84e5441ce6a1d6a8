// engine-client.js: calls wait for the engine, failures reject them, a retry works. Run: node --test tests/js
import assert from "node:assert/strict";
import { describe, it } from "node:test";

import { loadScripts, plain } from "./harness.mjs";
import { fakeSource, fakeTimers, settle } from "./fakes.mjs";

const { engineClient } = loadScripts("engine-client.js");
const SHA = "a".repeat(64);

function setup({ attached = true } = {}) {
  const source = fakeSource();
  const timers = fakeTimers();
  const host = attached ? { engine: source } : {};
  let clock = 1000;
  const client = engineClient.create({ host, sha256: SHA, setTimeout: timers.setTimeout, clearTimeout: timers.clearTimeout, clock: () => clock++ });
  const states = [];
  client.onState((state) => states.push(plain(state)));
  client.start();
  return { source, timers, host, client, states };
}

const ready = { type: "ready", rubric: { id: "klantcontact", version: "1.0.0", sha256: SHA } };

// A promise's outcome without waiting for it: "pending", or {value} / {error}.
function watch(promise) {
  const seen = { outcome: "pending" };
  promise.then(
    (value) => (seen.outcome = { value: plain(value) }),
    (error) => (seen.outcome = { error: error.message }),
  );
  return seen;
}

describe("the engine client", () => {
  it("queues calls made while loading and sends them, in order, once the engine is ready", async () => {
    const { source, client, states } = setup();
    source.send({ type: "progress", stage: "python", step: 1, of: 3 });
    const first = watch(client.call("score", '{"a":1}'));
    const second = watch(client.call("check_import", "{}"));
    await settle();
    assert.equal(source.posted.length, 0, "nothing is sent before the engine is ready");
    assert.equal(first.outcome, "pending");
    source.send(ready);
    assert.deepEqual(
      plain(source.posted.map((m) => [m.type, m.fn, m.args])),
      [
        ["call", "score", ['{"a":1}']],
        ["call", "check_import", ["{}"]],
      ],
    );
    source.answer(1, { ok: true, n: 2 });
    source.answer(0, { ok: true, n: 1 });
    await settle();
    assert.deepEqual(first.outcome, { value: { ok: true, n: 1 } });
    assert.deepEqual(second.outcome, { value: { ok: true, n: 2 } });
    assert.deepEqual(states.map((s) => s.state), ["loading", "loading", "ready"]);
    assert.deepEqual(states[1], { state: "loading", stage: "python", step: 1 });
    assert.deepEqual(states[2], { state: "ready", ms: 900, at: 1000 });
  });

  it("sends the waiting calls before it tells the listeners that the engine is ready", () => {
    const { source, client } = setup();
    client.call("score", "open");
    client.onState((state) => {
      if (state.state === "ready") {
        client.call("score", "asked on ready");
      }
    });
    source.send(ready);
    assert.deepEqual(plain(source.posted.map((m) => m.args[0])), ["open", "asked on ready"]);
  });

  it("sends at once when ready, and passes on an error answer as a rejection", async () => {
    const { source, client } = setup();
    source.send(ready);
    const call = watch(client.call("score", "{}"));
    assert.equal(source.posted.length, 1);
    source.send({ type: "result", id: source.posted[0].id, error: "unknown-call" });
    await settle();
    assert.deepEqual(call.outcome, { error: "unknown-call" });
  });

  it("ignores a result for an id nobody waits for", async () => {
    const { source, client } = setup();
    source.send(ready);
    const call = watch(client.call("score", "{}"));
    source.send({ type: "result", id: 999, text: '{"ok":true}' });
    await settle();
    assert.equal(call.outcome, "pending");
    source.answer(0, { ok: true });
    await settle();
    assert.deepEqual(call.outcome, { value: { ok: true } });
  });

  it("rejects the sent and the waiting calls when the engine fails, and later calls at once", async () => {
    const { source, client, states } = setup();
    source.send(ready);
    const sent = watch(client.call("score", "sent"));
    source.send({ type: "progress", stage: "runtime", step: 0 });
    const waiting = watch(client.call("score", "waiting"));
    source.send({ type: "error", stage: "python", kind: "network", detail: "engine.json niet gevonden" });
    const later = watch(client.call("score", "later"));
    await settle();
    assert.deepEqual(sent.outcome, { error: "engine stopped" });
    assert.deepEqual(waiting.outcome, { error: "engine stopped" });
    assert.deepEqual(later.outcome, { error: "engine stopped" });
    assert.equal(source.stopped, 1);
    assert.deepEqual(states.at(-1), { state: "error", kind: "load", detail: "engine.json niet gevonden" });
    assert.deepEqual(plain(client.state()), states.at(-1));
  });

  it("works again after a retry that succeeds", async () => {
    const { source, client, states } = setup();
    source.send({ type: "failed", kind: "start", detail: "" });
    assert.equal(client.state().state, "error");
    assert.equal(client.retry(), true);
    assert.equal(source.restarted, 1);
    assert.deepEqual(states.at(-1), { state: "loading", stage: "runtime", step: 0 });
    const call = watch(client.call("score", "after retry"));
    source.send(ready);
    source.answer(0, { ok: true });
    await settle();
    assert.deepEqual(call.outcome, { value: { ok: true } });
  });

  it("keeps the worker's own failure kinds and calls the rest a load failure", () => {
    for (const [kind, expected] of [
      ["wasm", "wasm"],
      ["mismatch", "mismatch"],
      ["package", "load"],
      [undefined, "load"],
    ]) {
      const { source, client } = setup();
      source.send({ type: "error", kind, detail: "x" });
      assert.equal(client.state().kind, expected, String(kind));
    }
  });

  it("refuses an engine loaded with another rubric", () => {
    const { source, client } = setup();
    source.send({ type: "ready", rubric: { sha256: "b".repeat(64) } });
    assert.deepEqual(plain(client.state()), { state: "error", kind: "mismatch", detail: "" });
    assert.equal(source.stopped, 1);
  });

  it("does not wait when asked not to", async () => {
    const { source, client } = setup();
    const call = watch(client.call("score", "{}", { wait: false }));
    await settle();
    assert.deepEqual(call.outcome, { error: "engine not ready" });
    source.send(ready);
    client.call("score", "{}", { wait: false });
    assert.equal(source.posted.length, 1);
  });

  it("rejects a call the engine cannot take (no worker)", async () => {
    const { source, client } = setup();
    source.send(ready);
    source.running = false;
    const call = watch(client.call("score", "{}"));
    await settle();
    assert.deepEqual(call.outcome, { error: "engine stopped" });
  });

  it("takes over an engine that arrives later, or reports that it never came", () => {
    const late = setup({ attached: false });
    assert.equal(typeof late.host.onEngine, "function");
    late.host.onEngine(late.source);
    late.source.send(ready);
    assert.equal(late.client.state().state, "ready");
    assert.equal(late.timers.count, 0, "the wait for engine-start.js ends when it arrives");

    const never = setup({ attached: false });
    never.timers.runAll();
    assert.deepEqual(plain(never.client.state()), { state: "error", kind: "start", detail: "engine-start.js niet geladen" });
    assert.equal(never.client.retry(), false, "nothing to restart: the page must be reloaded");
  });
});
