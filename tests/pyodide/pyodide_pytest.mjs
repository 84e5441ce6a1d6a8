// Run the kcm_core tests inside Pyodide under Node (called by tests/pyodide/pyodide_tests.py).
// Usage: node pyodide_pytest.mjs ENGINE_DIR REPO_DIR MOUNTS_JSON WHEELS_JSON PYTEST_ARGS_JSON
//        TEST_EXTRA_ZIP SITE_STDLIB_SHA256
// The engine starts exactly as in the site (engine.json: the site's precompiled stdlib zip, the
// site's lock, loadPackage of kcm-core). The standard-library modules the site's zip leaves out
// (pytest needs pdb, argparse, ...) come from TEST_EXTRA_ZIP, and only for modules the site's
// zip does not hold; the engine's own imports are listed before the test tools are installed,
// and pytest fails at session start unless all of them come from the site's zip, whose sha256
// must be SITE_STDLIB_SHA256. pytest and friends come from local wheel files. Only the folders
// in MOUNTS_JSON (tests/, rubric/) are mounted from REPO_DIR to /kcm, plus a copy of
// pyproject.toml for pytest's settings; the working directory is /kcm. The repository's
// kcm_core is not reachable from inside Pyodide. Exits with pytest's exit code.
import { readFileSync } from "node:fs";
import { join } from "node:path";

import { openEngine } from "../../build_tools/engine_open.mjs";

const [engineDir, repoDir, mountsJson, wheelsJson, argsJson, testExtraZip, siteSha256] =
  process.argv.slice(2);
const { manifest, loadPyodide, loadOptions } = await openEngine(engineDir);
const pyodide = await loadPyodide({
  ...loadOptions,
  // Only kcm's own settings (KCM_PYODIDE_MAX_EXAMPLES) reach Python's os.environ.
  env: Object.fromEntries(Object.entries(process.env).filter(([key]) => key.startsWith("KCM_"))),
});
const helpers = pyodide.runPython(
  `${readFileSync(new URL("../../build_tools/in_pyodide.py", import.meta.url), "utf8")}\nglobals()`,
);
const archive = helpers.get("TEST_EXTRA_STDLIB");
pyodide.FS.writeFile(archive, readFileSync(testExtraZip));
helpers.get("add_test_stdlib")(archive);

await pyodide.loadPackage(manifest.package);
// What the engine imports, before anything of the test tools is there.
const engineModules = helpers.get("engine_stdlib_modules")();
await pyodide.loadPackage(JSON.parse(wheelsJson));

for (const folder of JSON.parse(mountsJson)) {
  pyodide.FS.mkdirTree(`/kcm/${folder}`);
  pyodide.FS.mount(pyodide.FS.filesystems.NODEFS, { root: join(repoDir, folder) }, `/kcm/${folder}`);
}
pyodide.FS.writeFile("/kcm/pyproject.toml", readFileSync(join(repoDir, "pyproject.toml")));
pyodide.FS.chdir("/kcm");

const code = helpers.get("run_pytest")(argsJson, siteSha256, engineModules);
process.exit(code);
