// Runs the exam office's report inside Pyodide under Node, on the site's own engine (the same
// trimmed, precompiled standard library and kcm_core wheel the browser worker uses), calling the
// browser API as the page "Examenbureau" does: report_start, report_add per file, report_result.
//   node bench/pyodide_report.mjs ENGINE_DIR FOLDER RUNS
// Prints one JSON line: {python, seconds: [per run], wasm_bytes, counted, results}. The files are
// read before the clock starts (the page reads each from disk too, but that is the browser's).
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";

import { openEngine } from "../build_tools/engine_open.mjs";

const [engineDir, folder, runs] = process.argv.slice(2);
const { manifest, loadPyodide, loadOptions } = await openEngine(engineDir);
const pyodide = await loadPyodide(loadOptions);
await pyodide.loadPackage(manifest.package, { messageCallback: () => {} });
const api = pyodide.pyimport("kcm_core.browser_api");
const shelf = readFileSync(join(engineDir, manifest.rubrics || manifest.rubric), "utf8");
const init = JSON.parse(api.init(shelf));
if (!init.ok) {
  throw new Error("init: " + JSON.stringify(init.problems).slice(0, 300));
}
const files = readdirSync(folder)
  .filter((name) => name.endsWith(".json"))
  .sort()
  .map((name) => [name, readFileSync(join(folder, name), "utf8")]);

const seconds = [];
let report = null;
for (let run = 0; run < Number(runs); run += 1) {
  const started = performance.now();
  JSON.parse(api.report_start());
  for (const [name, text] of files) {
    const added = JSON.parse(api.report_add(name, text));
    if (!added.ok) {
      throw new Error(name + ": " + JSON.stringify(added.problems).slice(0, 300));
    }
  }
  report = JSON.parse(api.report_result()).report;
  seconds.push((performance.now() - started) / 1000);
}
console.log(
  JSON.stringify({
    python: pyodide.runPython("import sys; sys.version.split()[0]"),
    seconds: seconds,
    // WebAssembly memory only grows: its size now is the peak of the runs.
    wasm_bytes: pyodide._module.HEAPU8.length,
    counted: report.counted,
    results: report.results,
  }),
);
