// Open a built engine folder (site/engine/) in Node the way the checklist worker does: read
// engine.json, import Pyodide from the content-addressed folder it names, and give the options
// for loadPyodide. Shared by engine_node.mjs, snapshot.mjs, tests/pyodide/pyodide_pytest.mjs and
// bench/pyodide_score.mjs.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";

/**
 * @param {string} engineDir the engine folder (holds engine.json)
 * @param {{stdlib?: string}} [overrides] stdlib: another stdlib zip of the engine folder
 * @returns {Promise<{manifest: any, loadPyodide: Function, loadOptions: object}>}
 */
export async function openEngine(engineDir, overrides = {}) {
  const manifest = JSON.parse(readFileSync(join(engineDir, "engine.json"), "utf8"));
  // engine.json's paths are relative to its folder; Pyodide itself is in the content-addressed
  // folder "base" (build_tools/engine.py).
  const runtimeDir = join(engineDir, manifest.base);
  const { loadPyodide } = await import(pathToFileURL(join(runtimeDir, "pyodide.mjs")).href);
  const loadOptions = {
    indexURL: join(runtimeDir, "/"),
    stdLibURL: join(engineDir, overrides.stdlib ?? manifest.stdlib),
    lockFileURL: join(engineDir, manifest.lock),
  };
  return { manifest, loadPyodide, loadOptions };
}
