// Run the kcm_core tests inside Pyodide under Node (called by build_tools/pyodide_tests.py).
// Usage: node pyodide_pytest.mjs ENGINE_DIR REPO_DIR MOUNTS_JSON WHEELS_JSON PYTEST_ARGS_JSON
// The engine starts exactly as in the site (engine.json: precompiled stdlib, the site's lock,
// loadPackage of kcm-core); pytest and friends come from local wheel files. Only the folders
// in MOUNTS_JSON (tests/, rubric/) are mounted from REPO_DIR to /kcm, plus a copy of
// pyproject.toml for pytest's settings; the working directory is /kcm. The repository's
// kcm_core is not reachable from inside Pyodide. Exits with pytest's exit code.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";

const [engineDir, repoDir, mountsJson, wheelsJson, argsJson] = process.argv.slice(2);
const manifest = JSON.parse(readFileSync(join(engineDir, "engine.json"), "utf8"));
const { loadPyodide } = await import(pathToFileURL(join(engineDir, "pyodide.mjs")).href);
const pyodide = await loadPyodide({
  indexURL: `${engineDir}/`,
  stdLibURL: join(engineDir, manifest.stdlib),
  lockFileURL: join(engineDir, manifest.lock),
  // Only kcm's own settings (KCM_PYODIDE_MAX_EXAMPLES) reach Python's os.environ.
  env: Object.fromEntries(Object.entries(process.env).filter(([key]) => key.startsWith("KCM_"))),
});
await pyodide.loadPackage(manifest.package);
await pyodide.loadPackage(JSON.parse(wheelsJson));

for (const folder of JSON.parse(mountsJson)) {
  pyodide.FS.mkdirTree(`/kcm/${folder}`);
  pyodide.FS.mount(pyodide.FS.filesystems.NODEFS, { root: join(repoDir, folder) }, `/kcm/${folder}`);
}
pyodide.FS.writeFile("/kcm/pyproject.toml", readFileSync(join(repoDir, "pyproject.toml")));
pyodide.FS.chdir("/kcm");

const helpers = pyodide.runPython(
  `${readFileSync(new URL("in_pyodide.py", import.meta.url), "utf8")}\nglobals()`,
);
const code = helpers.get("run_pytest")(argsJson);
process.exit(code);
