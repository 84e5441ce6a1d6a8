// Runs bench/score_probe.py inside Pyodide under Node, on the site's own engine: the same
// trimmed, precompiled standard library and kcm_core wheel (with its .pyc files) the browser
// worker uses.
//   node bench/pyodide_score.mjs ENGINE_DIR RUBRIC.json ASSESSMENT.json RUNS
// Prints one JSON line: the result of score_probe.measure_texts().
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

import { openEngine } from "../build_tools/engine_open.mjs";

const [engineDir, rubricPath, assessmentPath, runs] = process.argv.slice(2);
const benchDir = dirname(fileURLToPath(import.meta.url));
const { manifest, loadPyodide, loadOptions } = await openEngine(engineDir);
const pyodide = await loadPyodide(loadOptions);
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
