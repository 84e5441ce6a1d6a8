// Runs bench/score_probe.py inside Pyodide under Node, on the site's own engine: the same
// precompiled standard library and kcm_core wheel (with its .pyc files) the browser worker uses.
//   node bench/pyodide_score.mjs ENGINE_DIR RUNS CRITERIA
// Prints one JSON line: the result of score_probe.measure().
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const [engineDir, runs, criteria] = process.argv.slice(2);
const benchDir = dirname(fileURLToPath(import.meta.url));
const manifest = JSON.parse(readFileSync(join(engineDir, "engine.json"), "utf8"));
const { loadPyodide } = await import(pathToFileURL(join(engineDir, "pyodide.mjs")).href);
const pyodide = await loadPyodide({
  indexURL: `${engineDir}/`,
  stdLibURL: join(engineDir, manifest.stdlib),
  lockFileURL: join(engineDir, manifest.lock),
});
await pyodide.loadPackage(manifest.package, { messageCallback: () => {} });
pyodide.FS.mkdirTree("/home/pyodide/bench");
for (const name of ["__init__.py", "scoring.py", "score_probe.py"]) {
  pyodide.FS.writeFile(`/home/pyodide/bench/${name}`, readFileSync(join(benchDir, name)));
}
const result = pyodide.runPython(`
import json, sys
sys.path.insert(0, "/home/pyodide")
from bench.score_probe import measure
json.dumps(measure(${Number(runs)}, ${Number(criteria)}))
`);
console.log(result);
