// engine-start.js: starts the checklist's scoring engine (worker.js) as early as the page allows.
//
// Inline at the top of <head> (build_tools.checklist_tags.head_tags), without a request of its own; it
// starts the Web Worker, and with it the download and start of Pyodide, right after the page's
// first frame (see `begin` below). app.js comes later and takes the engine over from
// globalThis.kcm.engine: messages that arrived before it was there are kept and handed over in
// order.
//
// Also makes the checks that decide whether the engine can run here at all (file://, no
// WebAssembly, no Web Workers); app.js shows the reason. This script never touches the page:
// ticking and saving are app.js's, and must not wait for this file.
//
//   kcm.engine.listen(fn)   fn(message) for every message so far and from now on:
//                           the worker's own ({type: "alive" | "progress" | "ready" | "error" |
//                           "result", ...}) plus {type: "failed", kind, detail} from here
//                           (kind: file | wasm | old | start | load)
//   kcm.engine.post(msg)    a message to the worker (false when there is none)
//   kcm.engine.restart()    a new worker after a failure ("Opnieuw proberen")
//   kcm.engine.startedAt    performance.now() when the current worker was created
//
// Classic script (module scripts fail on file:// pages); defines globalThis.kcm.engine and calls
// kcm.onEngine(engine) when app.js was there first.
(function (root) {
  "use strict";

  const kcm = (root.kcm = root.kcm || {});
  if (kcm.engine) {
    return;
  }
  // The checklist page has this file inline (build_tools.checklist_tags.head_tags), with the worker's
  // address in data-engine-worker; loaded from its own file, the worker sits next to it.
  const script = document.currentScript;
  const attribute = (name) => (script && script.getAttribute(name)) || null;
  const scriptUrl = script && script.src ? script.src : location.href;
  const workerUrl = attribute("data-engine-worker")
    ? new URL(attribute("data-engine-worker"), location.href)
    : new URL("worker.js", scriptUrl);
  const base = new URL(attribute("data-engine-base") || "../engine/", location.href).href;
  // The page's rubric (its id): the engine holds every rubric of the site and scores a record
  // against the one it names; this one is the page's own. Absent: the engine's first.
  const rubricId = attribute("data-engine-rubric") || "";
  // engine.json's content, written into the page by the build (build_tools.checklist_tags): the
  // worker need not fetch it. Unreadable or absent: the worker fetches engine.json itself.
  let manifest = null;
  try {
    manifest = JSON.parse(attribute("data-engine-manifest") || "null");
  } catch (error) {
    manifest = null;
  }
  // No "alive" from the worker in this time: a browser without module workers, or a blocked file.
  const ALIVE_TIMEOUT_MS = 20000;
  // The worker starts after the first frame, or after this long without one (a hidden tab).
  const FIRST_FRAME_WAIT_MS = 300;

  let worker = null;
  let aliveTimer = 0;
  let listener = null;
  let queue = [];

  function emit(message) {
    if (listener) {
      listener(message);
    } else {
      queue.push(message);
    }
  }

  function stop() {
    clearTimeout(aliveTimer);
    if (worker) {
      worker.terminate();
      worker = null;
    }
  }

  function fail(kind, detail) {
    stop();
    emit({ type: "failed", kind: kind, detail: detail || "" });
  }

  function start() {
    stop();
    engine.startedAt = performance.now();
    if (location.protocol === "file:") {
      fail("file");
      return;
    }
    if (typeof WebAssembly !== "object") {
      fail("wasm");
      return;
    }
    if (typeof Worker !== "function") {
      fail("old");
      return;
    }
    try {
      // The name carries the start-up data, so the worker starts loading as soon as it runs
      // (worker.js), without a message from this page first.
      const name = JSON.stringify({ base: base, engine: manifest, rubric: rubricId });
      worker = new Worker(workerUrl, { type: "module", name: name });
    } catch (error) {
      fail("old", String(error && error.message));
      return;
    }
    let alive = false;
    worker.addEventListener("message", (event) => {
      const message = event.data || {};
      if (message.type === "alive") {
        alive = true;
        clearTimeout(aliveTimer);
      }
      emit(message);
    });
    worker.addEventListener("error", (event) => {
      event.preventDefault();
      fail(alive ? "load" : "start", event.message || "");
    });
    aliveTimer = setTimeout(() => {
      if (!alive) {
        fail("start", "geen antwoord van de rekenmodule");
      }
    }, ALIVE_TIMEOUT_MS);
  }

  const engine = {
    startedAt: 0,
    listen: function (fn) {
      listener = fn;
      const waiting = queue;
      queue = [];
      waiting.forEach(fn);
    },
    post: function (message) {
      if (!worker) {
        return false;
      }
      worker.postMessage(message);
      return true;
    },
    stop: stop,
    restart: start,
  };
  kcm.engine = engine;
  // The worker starts right after the page's first frame, not at once: on a phone or a 2-core
  // laptop its start (compiling Pyodide) competes with the page's first layout, and the
  // assessor's first tick waited for both (make bench: first tick 290 -> 250 ms, the engine
  // 20-70 ms later). A hidden tab gets no frames: then the timer starts it.
  let begun = false;
  const begin = () => {
    if (!begun) {
      begun = true;
      start();
    }
  };
  requestAnimationFrame(() => setTimeout(begin, 0));
  setTimeout(begin, FIRST_FRAME_WAIT_MS);
  if (typeof kcm.onEngine === "function") {
    kcm.onEngine(engine);
  }
})(globalThis);
