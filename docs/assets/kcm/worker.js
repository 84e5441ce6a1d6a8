// worker.js: the scoring engine of the checklist, in a module Web Worker.
//
// Loads the vendored Pyodide and the kcm_core wheel registered in the site's own
// pyodide-lock.json (never a CDN), loads the rubric into kcm_core.browser_api, and then answers
// calls with JSON strings. Loading takes seconds of CPU work; in a worker the page stays
// responsive and the assessor can tick meanwhile.
//
// Started by engine-start.js (from the page's <head>, before the page is parsed), which gives the
// worker its start-up data as its name: `new Worker(url, {type: "module", name: JSON.stringify(
// {base: "<engine/ URL>", engine: <engine.json's content, or null>})})`. The worker then starts
// loading as soon as it runs, without waiting for a first message from the page (that round trip
// cost 30-40 ms of the start-up on a busy 2-core machine, because the page's main thread is
// parsing and painting at that moment), and without fetching engine.json when the page carries
// its content (the build writes it into the checklist page: one request less before Pyodide's
// own, and the page and the engine it names always come from the same build).
//
// Messages in:  {type: "call", id, fn: "score" | "check_import", args: [string]}
// Messages out: {type: "alive"}
//               {type: "progress", stage: "runtime" | "python" | "package", step, of}
//               {type: "ready", rubric: {id, version, sha256, title}, rubrics: [{...}],
//                timing: {...}, pyodide}
//               {type: "error", stage, detail}
//               {type: "result", id, text} | {type: "result", id, error}

// import.meta only parses in a module worker: an old browser that runs this file as a classic
// worker fails right here, and the page reports "browser te oud" from the error event.
const selfUrl = import.meta.url;

const CALLABLE = ["score", "check_import", "seal", "verify", "merge", "report_start", "report_add", "report_result"];
const STEPS = 3;

// Python functions of kcm_core.browser_api, looked up once (each lookup makes a new proxy).
let api = null;

function post(message) {
  self.postMessage(message);
}

function ms(since) {
  return Math.round(performance.now() - since);
}

async function fetchText(url, what) {
  let response;
  try {
    response = await fetch(url, { credentials: "same-origin" });
  } catch (error) {
    throw stageError("network", what + " niet bereikbaar (" + String(error && error.message) + ")");
  }
  if (!response.ok) {
    throw stageError("network", what + " niet gevonden (HTTP " + response.status + ")");
  }
  return response.text();
}

function stageError(kind, detail) {
  const error = new Error(detail);
  error.kind = kind;
  return error;
}

// Where the engine's files are, from engine.json (written by build_tools.engine) in the engine
// folder `base`. The one place that knows the layout of that folder: when the files move (a
// content-hashed subfolder announced by engine.json, say), only this function changes.
function engineFiles(base, engine) {
  const at = (name) => new URL(name, base).href;
  // Pyodide and the wheel sit in the content-addressed folder engine.json names ("<hash>/").
  const runtime = at(engine.base || "");
  return {
    indexURL: runtime,
    pyodide: new URL("pyodide.mjs", runtime).href,
    lock: at(engine.lock || "pyodide-lock.json"),
    stdlib: engine.stdlib ? at(engine.stdlib) : null,
    packageBaseUrl: runtime,
    // Every rubric of the site with its archived versions (a shelf); an engine of an older
    // build has only its one rubric.
    rubric: at(engine.rubrics || engine.rubric || "rubric.json"),
    // Only in a `--snapshot` build (build_tools/engine.py): a gzip'ed Pyodide memory snapshot.
    snapshot: engine.snapshot ? at(engine.snapshot) : null,
  };
}

// --- Memory snapshot (build option `--snapshot`, off by default) ---------------------------
// The snapshot is Pyodide's memory right after start-up with kcm_core imported, made at build
// time (build_tools/snapshot.mjs); loadPyodide({_loadSnapshot}) restores it instead of booting
// CPython. Private Pyodide API: any failure (no DecompressionStream, a damaged file, a snapshot
// Pyodide refuses) means the normal start, with only a console.warn.
async function snapshotBytes(url) {
  const response = await fetch(url, { credentials: "same-origin" });
  if (!response.ok) {
    throw new Error("snapshot HTTP " + response.status);
  }
  let body = response.body;
  // A host that sends .gz files with Content-Encoding: gzip has had the browser unpack it.
  // Otherwise unpacked while it arrives (from the network or the service worker's cache).
  if (!/gzip/i.test(response.headers.get("Content-Encoding") || "")) {
    body = body.pipeThrough(new DecompressionStream("gzip"));
  }
  return new Uint8Array(await new Response(body).arrayBuffer());
}

async function loadFromSnapshot(pyodideModule, options, snapshot) {
  try {
    return await pyodideModule.loadPyodide({ ...options, _loadSnapshot: snapshot });
  } catch (error) {
    console.warn("[kcm] snapshot niet gebruikt, gewone start:", firstLine(error));
    return null;
  }
}
// ---------------------------------------------------------------------------------------------

async function start(base, given, rubricId) {
  const t0 = performance.now();
  const timing = {};
  let stage = "runtime";
  try {
    if (typeof WebAssembly !== "object") {
      throw stageError("wasm", "WebAssembly ontbreekt");
    }
    post({ type: "progress", stage: "runtime", step: 0, of: STEPS });
    const engine =
      given && typeof given === "object"
        ? given
        : JSON.parse(await fetchText(new URL("engine.json", base).href, "engine.json"));
    const files = engineFiles(base, engine);
    // Needed only once Python runs: fetched while the runtime loads. Awaited later; when an
    // earlier step fails first, its rejection is reported there, not as an unhandled one.
    const rubricText = fetchText(files.rubric, "rubric.json");
    rubricText.catch(() => {});
    // Build option: fetched and unpacked while the runtime loads; a failure is handled below.
    const snapshot = files.snapshot ? snapshotBytes(files.snapshot) : null;
    if (snapshot) {
      snapshot.catch(() => {});
    }
    const pyodideModule = await import(files.pyodide);
    if (engine.pyodide_version && pyodideModule.version !== engine.pyodide_version) {
      throw stageError(
        "mismatch",
        "Pyodide " + pyodideModule.version + " gevonden, " + engine.pyodide_version + " verwacht",
      );
    }
    timing.runtime_ms = ms(t0);

    stage = "python";
    post({ type: "progress", stage: "python", step: 1, of: STEPS });
    const options = {
      indexURL: files.indexURL,
      lockFileURL: files.lock,
      // Set explicitly: without it Pyodide keeps a CDN address as fallback for packages.
      packageBaseUrl: files.packageBaseUrl,
      // The wheel downloads while the interpreter boots.
      packages: [engine.package || "kcm-core"],
      stdout: () => {},
      stderr: (line) => console.warn("[pyodide]", line),
    };
    if (files.stdlib) {
      options.stdLibURL = files.stdlib;
    }
    const pyodide =
      (snapshot && (await loadFromSnapshot(pyodideModule, options, snapshot))) ||
      (await pyodideModule.loadPyodide(options));
    timing.python_ms = ms(t0);

    stage = "package";
    post({ type: "progress", stage: "package", step: 2, of: STEPS });
    let module;
    try {
      module = pyodide.pyimport("kcm_core.browser_api");
    } catch (error) {
      throw stageError("package", "kcm_core kon niet geladen worden (" + firstLine(error) + ")");
    }
    const init = JSON.parse(module.init(await rubricText, rubricId || ""));
    if (!init.ok) {
      const problem = init.problems && init.problems[0];
      throw stageError("rubric", problem ? problem.path + ": " + problem.message : "rubric onleesbaar");
    }
    api = Object.fromEntries(CALLABLE.map((name) => [name, module[name]]));
    timing.ready_ms = ms(t0);
    post({ type: "ready", rubric: init.rubric, rubrics: init.rubrics, timing: timing, pyodide: pyodideModule.version });
  } catch (error) {
    post({ type: "error", stage: stage, kind: error.kind || "load", detail: firstLine(error) });
  }
}

function firstLine(error) {
  const text = String((error && error.message) || error);
  // A Python traceback ends with the line that matters.
  const lines = text.trim().split("\n");
  return lines[lines.length - 1].slice(0, 300);
}

function call(message) {
  if (!api) {
    post({ type: "result", id: message.id, error: "not-ready" });
    return;
  }
  if (!CALLABLE.includes(message.fn) || !Array.isArray(message.args)) {
    post({ type: "result", id: message.id, error: "unknown-call" });
    return;
  }
  try {
    const text = api[message.fn](...message.args.map(String));
    post({ type: "result", id: message.id, text: String(text) });
  } catch (error) {
    // browser_api never raises by contract; a failure here is the bridge itself.
    post({ type: "result", id: message.id, error: firstLine(error) });
  }
}

// The start-up data in the worker's name (engine-start.js), or null.
function startData(name) {
  try {
    const data = JSON.parse(name);
    return data && typeof data.base === "string" ? data : null;
  } catch (error) {
    return null;
  }
}

self.addEventListener("message", (event) => {
  const message = event.data || {};
  if (message.type === "call") {
    call(message);
  }
});

post({ type: "alive" });
const startup = startData(self.name);
if (startup) {
  start(new URL(startup.base, selfUrl).href, startup.engine, typeof startup.rubric === "string" ? startup.rubric : "");
} else {
  const detail = "geen startgegevens in de naam van de worker";
  post({ type: "error", stage: "runtime", kind: "load", detail: detail });
}
