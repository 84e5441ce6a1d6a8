// Generates the site's service worker with Workbox (workbox-build, pinned in package.json).
//
// Called by build_tools/offline.py as the very last build step, after the CSP <meta> tags are in
// every page, so the revision hashes in the precache manifest describe the final bytes.
//
//   node build_tools/sw-build.mjs SITE_DIR
//
// Prints one JSON line on stdout: {"count", "size", "warnings", "urls"}. Exits 1 on any error.
// Workbox warnings (a file skipped because it is too big, ...) are returned, and offline.py
// treats them as errors: a file missing from the precache breaks offline use without a sound.
import path from "node:path";
import process from "node:process";
import { generateSW } from "workbox-build";

const siteDir = process.argv[2];
if (!siteDir) {
  console.error("gebruik: node build_tools/sw-build.mjs SITE_DIR");
  process.exit(2);
}

// Files that are never precached: the service worker itself (the browser fetches it on its own),
// source maps (only developer tools read them; Pyodide's are large) and the standard library's
// sources, which only a developer debugging the engine loads (build_tools/engine.py).
const IGNORED = ["sw.js", "**/*.map", "engine/python_stdlib_src.zip"];

// The precached URLs, captured for offline.py's check that every file of the site is in them.
let urls = [];
const recordUrls = async (entries) => {
  urls = entries.map((entry) => entry.url);
  return { manifest: entries, warnings: [] };
};

try {
  const { count, size, warnings } = await generateSW({
    globDirectory: siteDir,
    globPatterns: ["**/*"],
    globIgnores: IGNORED,
    globFollow: false,
    swDest: path.join(siteDir, "sw.js"),
    // Pyodide's WebAssembly file alone is about 10 MB: the default limit (2 MB) would leave it out.
    maximumFileSizeToCacheInBytes: 128 * 1024 * 1024,
    // A new build waits until the assessor accepts the Dutch prompt (assets/kcm/sw-register.js),
    // and the prompt only activates it when this is the site's only open tab (sw-update.js):
    // no open page is ever switched to files of another build.
    skipWaiting: false,
    clientsClaim: false,
    cleanupOutdatedCaches: true,
    cacheId: "kcm",
    // "checklist/" is served from the precached "checklist/index.html".
    directoryIndex: "index.html",
    // No runtime caching: every file the site uses is in the precache, and no other origin is
    // ever contacted.
    runtimeCaching: [],
    navigationPreload: false,
    importScripts: ["assets/kcm/sw-update.js"],
    inlineWorkboxRuntime: true,
    sourcemap: false,
    mode: "production",
    disableDevLogs: true,
    manifestTransforms: [recordUrls],
  });
  process.stdout.write(`${JSON.stringify({ count, size, warnings, urls })}\n`);
} catch (error) {
  console.error(`Service worker maken mislukt: ${error?.stack ?? error}`);
  process.exit(1);
}
