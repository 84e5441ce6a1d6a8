// engine-client.js: the page's side of the scoring engine (kcm_core in worker.js).
//
// engine-start.js starts the worker from <head> and keeps its messages until someone listens
// (kcm.engine: listen, post, stop, restart, startedAt). This client takes it over and offers
// the rest of the page two things:
//   call(fn, jsonText[, {wait}])  a Promise of kcm_core's answer (parsed JSON). A call made
//                                 while the engine loads waits and is sent once it is ready; a
//                                 call is rejected when the engine fails (also every call still
//                                 waiting), or at once while it has failed. {wait: false}: do
//                                 not wait, reject unless the engine is ready now.
//                                 jsonText may be a list of texts: merge takes two.
//   onState(fn)                   fn(state) on every change from start() on: {state:
//                                 "loading", stage, step} | {state: "ready", ms, at} |
//                                 {state: "error", kind, detail}
// plus state() (the latest of those), retry() after a failure, and start() to connect.
//
// Message protocol (worker.js, engine-start.js): in from the engine {type: "progress", stage,
// step} | {type: "ready", rubric} | {type: "error", kind, detail} | {type: "failed", kind,
// detail} | {type: "result", id, text | error}; out {type: "call", id, fn, args: [text]}.
//
// Classic script (see store.js for why); defines globalThis.kcm.engineClient. No DOM: the
// collaborators (where kcm.engine appears, the rubric's sha256, timers, the clock) are passed
// to create(), so tests drive it with a fake engine.
(function (root) {
  "use strict";

  // engine-start.js is inline in <head>; if it has not run by then, it never will.
  const ATTACH_TIMEOUT_MS = 20000;

  // options: {host: the object engine-start.js puts `engine` on (globalThis.kcm), sha256: the
  // page's rubric, setTimeout, clearTimeout, clock: () => ms (performance.now)}.
  function create(options) {
    const host = options.host;
    const setTimer = options.setTimeout;
    const clearTimer = options.clearTimeout;
    const clock = options.clock;
    let source = null;
    let attachTimer = 0;
    let seq = 0;
    // Sent, waiting for their answer: id -> {resolve, reject}.
    const pending = new Map();
    // Not sent yet (the engine is loading): [{fn, text, resolve, reject}].
    let waiting = [];
    let current = { state: "loading", stage: "runtime", step: 0 };
    const listeners = [];

    function setState(next) {
      current = next;
      listeners.slice().forEach((fn) => fn(current));
    }

    function send(fn, text, resolve, reject) {
      seq += 1;
      const id = seq;
      pending.set(id, { resolve: resolve, reject: reject });
      if (!source || !source.post({ type: "call", id: id, fn: fn, args: Array.isArray(text) ? text : [text] })) {
        pending.delete(id);
        reject(new Error("engine stopped"));
      }
    }

    function call(fn, text, callOptions) {
      const wait = !callOptions || callOptions.wait !== false;
      return new Promise((resolve, reject) => {
        if (current.state === "ready") {
          send(fn, text, resolve, reject);
        } else if (current.state === "loading" && wait) {
          waiting.push({ fn: fn, text: text, resolve: resolve, reject: reject });
        } else {
          reject(new Error(current.state === "error" ? "engine stopped" : "engine not ready"));
        }
      });
    }

    function fail(kind, detail) {
      clearTimer(attachTimer);
      if (source) {
        source.stop();
      }
      const stopped = Array.from(pending.values()).concat(waiting);
      pending.clear();
      waiting = [];
      stopped.forEach((p) => p.reject(new Error("engine stopped")));
      setState({ state: "error", kind: kind, detail: detail || "" });
    }

    function onMessage(message) {
      if (message.type === "progress") {
        setState({ state: "loading", stage: message.stage, step: message.step });
      } else if (message.type === "ready") {
        if (!message.rubric || message.rubric.sha256 !== options.sha256) {
          fail("mismatch");
          return;
        }
        // For measurements (bench, tests): from starting the worker, and from page navigation.
        const at = clock();
        current = { state: "ready", ms: Math.round(at - source.startedAt), at: Math.round(at) };
        // The calls made while loading go first, in order (the open assessment's score first),
        // before anything the "ready" listeners ask.
        const queued = waiting;
        waiting = [];
        queued.forEach((w) => send(w.fn, w.text, w.resolve, w.reject));
        setState(current);
      } else if (message.type === "failed") {
        fail(message.kind, message.detail);
      } else if (message.type === "error") {
        fail(message.kind === "wasm" ? "wasm" : message.kind === "mismatch" ? "mismatch" : "load", message.detail);
      } else if (message.type === "result") {
        // An answer nobody waits for (its call was rejected when the engine failed) is dropped.
        const p = pending.get(message.id);
        if (p) {
          pending.delete(message.id);
          if (message.error) {
            p.reject(new Error(message.error));
          } else {
            p.resolve(JSON.parse(message.text));
          }
        }
      }
    }

    function attach(engine) {
      clearTimer(attachTimer);
      source = engine;
      engine.listen(onMessage);
    }

    // Connects to kcm.engine, or waits for it: engine-start.js may run after this script (it
    // then calls host.onEngine).
    function start() {
      setState({ state: "loading", stage: "runtime", step: 0 });
      if (host.engine) {
        attach(host.engine);
        return;
      }
      host.onEngine = attach;
      attachTimer = setTimer(() => {
        if (!source) {
          fail("start", "engine-start.js niet geladen");
        }
      }, ATTACH_TIMEOUT_MS);
    }

    // A new worker after a failure. False when there is no engine to restart (then only
    // reloading the page can bring it).
    function retry() {
      setState({ state: "loading", stage: "runtime", step: 0 });
      if (!source) {
        return false;
      }
      source.restart();
      return true;
    }

    function onState(fn) {
      listeners.push(fn);
    }

    return {
      start: start,
      call: call,
      onState: onState,
      state: () => current,
      retry: retry,
    };
  }

  root.kcm = root.kcm || {};
  root.kcm.engineClient = { ATTACH_TIMEOUT_MS: ATTACH_TIMEOUT_MS, create: create };
})(globalThis);
