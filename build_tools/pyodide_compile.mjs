// Byte-compile Python sources with Pyodide's own CPython (called by build_tools/engine.py).
// Usage: node pyodide_compile.mjs PYODIDE_DIR WORK_DIR JOBS_JSON
//   PYODIDE_DIR holds the npm package; WORK_DIR is mounted at /work;
//   JOBS_JSON = [{"src", "out", "dfile_prefix"}], with paths below /work.
// Prints one JSON line: the runtime facts (.pyc magic, cache tag) and the number compiled per job.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";

const [pyodideDir, workDir, jobsJson] = process.argv.slice(2);
const { loadPyodide } = await import(pathToFileURL(join(pyodideDir, "pyodide.mjs")).href);
const pyodide = await loadPyodide({ indexURL: `${pyodideDir}/` });
pyodide.FS.mkdirTree("/work");
pyodide.FS.mount(pyodide.FS.filesystems.NODEFS, { root: workDir }, "/work");
const helpers = pyodide.runPython(
  readFileSync(new URL("in_pyodide.py", import.meta.url), "utf8") + "\nglobals()",
);
const counts = JSON.parse(jobsJson).map((job) =>
  helpers.get("compile_tree")(job.src, job.out, job.dfile_prefix),
);
const info = JSON.parse(helpers.get("runtime_info")());
console.log(JSON.stringify({ ...info, counts }));
