// Runs bench/score_probe.py inside Pyodide under Node, on the site's own engine: the same
// trimmed, precompiled standard library and kcm_core wheel (with its .pyc files) the browser
// worker uses.
//   node bench/pyodide_score.mjs ENGINE_DIR RUBRIC.json ASSESSMENT.json RUNS
// Prints one JSON line: the result of score_probe.measure_texts().
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const [engineDir, rubricPath, assessmentPath, runs] = process.argv.slice(2);
const benchDir = dirname(fileURLToPath(import.meta.url));
const manifest = JSON.parse(readFileSync(join(engineDir, "engine.json"), "utf8"));
// engine.json's paths are relative to its folder; Pyodide itself is in the content-addressed
// folder "base" (build_tools/engine.py).
const runtimeDir = join(engineDir, manifest.base);
const { loadPyodide } = await import(pathToFileURL(join(runtimeDir, "pyodide.mjs")).href);
const pyodide = await loadPyodide({
  indexURL: join(runtimeDir, "/"),
  stdLibURL: join(engineDir, manifest.stdlib),
  lockFileURL: join(engineDir, manifest.lock),
});
await pyodide.loadPackage(manifest.package, { messageCallback: () => {} });
pyodide.FS.mkdirTree("/home/pyodide/probe");
pyodide.FS.writeFile("/home/pyodide/probe/score_probe.py", readFileSync(join(benchDir, "score_probe.py")));
pyodide.globals.set("rubric_text", readFileSync(rubricPath, "utf8"));
pyodide.globals.set("assessment_text", readFileSync(assessmentPath, "utf8"));
const result = pyodide.runPython(`
import json, sys
sys.path.insert(0, "/home/pyodide/probe")
from score_probe import measure_texts
json.dumps(measure_texts(rubric_text, assessment_text, ${Number(runs)}))
`);
console.log(result);
