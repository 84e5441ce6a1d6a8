// Make a Pyodide memory snapshot of a built engine folder, for `build_tools.site build
// --snapshot` (build_tools/engine.py: make_snapshot). Pyodide's snapshot API is private
// (`_makeSnapshot`, `makeMemorySnapshot`, `_loadSnapshot`) and only fits the exact runtime,
// standard-library zip and wheel it was made with: engine.py hashes them together.
//
// Usage: node snapshot.mjs ENGINE_DIR OUT_FILE
//   ENGINE_DIR  an engine folder with engine.json (build_tools/engine_open.mjs reads it)
//   OUT_FILE    the raw snapshot (engine.py compresses it)
// Prints one JSON line: {pyodide, bytes, make_ms, check_ms, modules}.
//
// kcm_core goes in without loadPackage: the package loader leaves a JavaScript reference
// behind, and makeMemorySnapshot then refuses ("Unexpected hiwire entry"). The wheel is
// unpacked with Python's zipfile into site-packages instead (the files loadPackage would write),
// kcm_core.browser_api is imported and the package data it reads lazily (the rubric schema,
// through importlib.resources) is read, so all of it is in memory. A snapshot holds memory
// only, not the file system: the worker still installs the wheel from the site's lock at run
// time, so tracebacks have their source lines and a module imported later is found.
import { readFileSync, writeFileSync } from "node:fs";
import { basename, join } from "node:path";

import { openEngine } from "./engine_open.mjs";

// Runs inside Pyodide; returns nothing, so no JavaScript reference to a Python object stays
// behind (makeMemorySnapshot refuses a snapshot with one).
const PREPARE = `
import zipfile
from pathlib import Path
from site import getsitepackages

# Where loadPackage unpacks wheels (pyodide._package_loader.SITE_PACKAGES).
wheel = Path(WHEEL)
with zipfile.ZipFile(wheel) as archive:
    archive.extractall(getsitepackages()[0])
wheel.unlink()
del archive, wheel

import importlib
importlib.invalidate_caches()
import kcm_core.browser_api
from kcm_core.rubric_load import rubric_schema
rubric_schema()
del importlib, rubric_schema, getsitepackages, zipfile, Path, WHEEL
import gc
gc.collect()
del gc
`;

const CHECK = `
import sys
"kcm_core.browser_api" in sys.modules and "kcm_core.rubric_load" in sys.modules
`;

async function main() {
  const [engineDir, outFile] = process.argv.slice(2);
  if (!engineDir || !outFile) {
    throw new Error("usage: node snapshot.mjs ENGINE_DIR OUT_FILE");
  }
  const { manifest, loadPyodide, loadOptions } = await openEngine(engineDir);
  const quiet = { stdout: () => {}, stderr: () => {} };
  const options = { ...loadOptions, packageBaseUrl: loadOptions.indexURL, ...quiet };

  const t0 = performance.now();
  const maker = await loadPyodide({ ...options, _makeSnapshot: true });
  if (maker.version !== manifest.pyodide_version) {
    throw new Error(`Pyodide ${maker.version} loaded, engine.json says ${manifest.pyodide_version}`);
  }
  const wheelPath = `/tmp/${basename(manifest.wheel)}`;
  maker.FS.writeFile(wheelPath, readFileSync(join(engineDir, manifest.wheel)));
  maker.globals.set("WHEEL", wheelPath);
  maker.runPython(PREPARE);
  const snapshot = maker.makeMemorySnapshot();
  const t1 = performance.now();
  writeFileSync(outFile, snapshot);

  // Load it back, as the worker will: kcm_core must already be imported.
  const loaded = await loadPyodide({ ...options, _loadSnapshot: snapshot });
  if (!loaded.runPython(CHECK)) {
    throw new Error("the loaded snapshot has no kcm_core.browser_api in sys.modules");
  }
  const modules = loaded.runPython("len(sys.modules)");
  const t2 = performance.now();
  return {
    pyodide: maker.version,
    bytes: snapshot.length,
    make_ms: Math.round(t1 - t0),
    check_ms: Math.round(t2 - t1),
    modules,
  };
}

// A failure prints its message only: Node would print the whole minified line of
// pyodide.asm.mjs it was thrown from (1 MB) before it.
try {
  console.log(JSON.stringify(await main()));
} catch (error) {
  console.error(`${error?.constructor?.name ?? "Error"}: ${error?.message ?? error}`);
  process.exit(1);
}
