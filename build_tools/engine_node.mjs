// Start the built engine in Node the way the checklist worker does, and report (one JSON line).
// Usage: node engine_node.mjs ENGINE_DIR [STDLIB_FILE]   (STDLIB_FILE overrides engine.json's)
// Used by tests/site/test_engine.py and `python -m build_tools.engine bench`.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";

const [engineDir, stdlibOverride] = process.argv.slice(2);
const manifest = JSON.parse(readFileSync(join(engineDir, "engine.json"), "utf8"));
const { loadPyodide } = await import(pathToFileURL(join(engineDir, "pyodide.mjs")).href);

const t0 = performance.now();
const pyodide = await loadPyodide({
  indexURL: `${engineDir}/`,
  stdLibURL: join(engineDir, stdlibOverride ?? manifest.stdlib),
  lockFileURL: join(engineDir, manifest.lock),
});
const t1 = performance.now();
await pyodide.loadPackage(manifest.package, { messageCallback: () => {} });
const t2 = performance.now();
const helpers = pyodide.runPython(
  `${readFileSync(new URL("in_pyodide.py", import.meta.url), "utf8")}\nglobals()`,
);
const scenario = helpers.get("engine_scenario");
const report = JSON.parse(scenario(readFileSync(join(engineDir, manifest.rubric), "utf8")));
const t3 = performance.now();

// The error path: a Python exception that reaches JavaScript, formatted as a traceback.
let error = "";
try {
  pyodide.runPython("import kcm_core.browser_api as api\napi.init()");
} catch (caught) {
  error = `${caught.constructor.name}: ${caught.message}`;
}
report.error = error;
report.modules = JSON.parse(helpers.get("imported_modules")());
report.timings_ms = { loadPyodide: t1 - t0, loadPackage: t2 - t1, firstScore: t3 - t2, ready: t3 - t0 };
console.log(JSON.stringify(report));
