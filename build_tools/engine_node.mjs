// Start the built engine in Node the way the checklist worker does, and report (one JSON line).
// Usage: node engine_node.mjs ENGINE_DIR [--stdlib FILE] [--test-extra ZIP] [--snapshot]
//   --stdlib FILE     start with this stdlib zip of the engine folder instead of engine.json's
//   --snapshot        start from engine.json's memory snapshot (a `--snapshot` build), as the
//                     worker does: gunzip it and pass it as `_loadSnapshot`
//   --test-extra ZIP  make the modules of build_tools/stdlib.py's test extra zip importable
//                     too (for modules the site's zip does not hold): the report then shows
//                     whether the engine would have needed any of them
// Used by tests/site/test_engine.py, `python -m build_tools.engine bench` and the measurement
// of the modules the engine imports (build_tools/stdlib.py: ENGINE_MODULES).
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { gunzipSync } from "node:zlib";

import { openEngine } from "./engine_open.mjs";

async function probe() {
  const { values: options, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      stdlib: { type: "string" },
      "test-extra": { type: "string" },
      snapshot: { type: "boolean" },
    },
  });
  const [engineDir] = positionals;
  const { manifest, loadPyodide, loadOptions } = await openEngine(engineDir, {
    stdlib: options.stdlib,
  });
  // `sys` is built in: listing the modules imports nothing.
  const moduleNames = (pyodide) => pyodide.runPython("import sys\nsorted(sys.modules)").toJs();

  const t0 = performance.now();
  const startOptions = { ...loadOptions };
  if (options.snapshot) {
    if (!manifest.snapshot) {
      throw new Error("engine.json names no snapshot: build with --snapshot");
    }
    startOptions._loadSnapshot = gunzipSync(readFileSync(join(engineDir, manifest.snapshot)));
  }
  const pyodide = await loadPyodide(startOptions);
  const t1 = performance.now();
  const afterStart = moduleNames(pyodide);
  // Imports only what Pyodide's start-up imported already (json, os, sys, typing).
  const helpers = pyodide.runPython(
    `${readFileSync(new URL("in_pyodide.py", import.meta.url), "utf8")}\nglobals()`,
  );
  if (options["test-extra"]) {
    const archive = helpers.get("TEST_EXTRA_STDLIB");
    pyodide.FS.writeFile(archive, readFileSync(options["test-extra"]));
    helpers.get("add_test_stdlib")(archive);
  }
  const t2a = performance.now();
  await pyodide.loadPackage(manifest.package, { messageCallback: () => {} });
  const t2 = performance.now();
  const afterLoadPackage = moduleNames(pyodide);
  const scenario = helpers.get("engine_scenario");
  const report = JSON.parse(scenario(readFileSync(join(engineDir, manifest.rubric), "utf8")));
  const t3 = performance.now();

  // The error path: Python exceptions that reach JavaScript, formatted as tracebacks (one raised
  // while calling, one deep inside kcm_core, with its source lines).
  const pythonError = (code) => {
    try {
      pyodide.runPython(code);
    } catch (caught) {
      return `${caught.constructor.name}: ${caught.message}`;
    }
    return "";
  };
  report.error = pythonError("import kcm_core.browser_api as api\napi.init()");
  report.error_in_kcm_core = pythonError(
    "from kcm_core.rubric_load import load_rubric\nload_rubric('{\"id\": 1}')",
  );
  report.modules = JSON.parse(helpers.get("imported_modules")());
  report.modules_after_start = afterStart;
  report.modules_after_load_package = afterLoadPackage;
  report.timings_ms = { loadPyodide: t1 - t0, loadPackage: t2 - t2a, firstScore: t3 - t2, ready: t3 - t0 };
  return report;
}

// A failure prints its message only: Node would print the whole minified line of
// pyodide.asm.mjs it was thrown from (1 MB) before it.
try {
  console.log(JSON.stringify(await probe()));
} catch (error) {
  console.error(`${error?.constructor?.name ?? "Error"}: ${error?.message ?? error}`);
  process.exit(1);
}
