// Generates the site's service worker with Workbox (workbox-build, pinned in package.json).
//
// Called by build_tools/offline.py as the very last build step, after the CSP <meta> tags are in
// every page, so the revision hashes in the precache manifest describe the final bytes.
//
//   node build_tools/sw-build.mjs SITE_DIR SETTINGS_JSON
//
// SETTINGS_JSON comes from offline.py (service_worker_settings), the one place that keeps them:
// {swFile: the worker's file name, ignored: [globs never precached], contentAddressed: <regex
// source>, importScripts: [scripts the worker loads before Workbox's handlers]}.
//
// Prints one JSON line on stdout: {"count", "size", "warnings", "urls", "unrevisioned"} (the
// last: the precached URLs without a revision, see ENGINE_FILES). Exits 1 on any error.
// Workbox warnings (a file skipped because it is too big, ...) are returned, and offline.py
// treats them as errors: a file missing from the precache breaks offline use without a sound.
import path from "node:path";
import process from "node:process";
import { generateSW } from "workbox-build";

const siteDir = process.argv[2];
const settingsJson = process.argv[3];
if (!siteDir || !settingsJson) {
  console.error("gebruik: node build_tools/sw-build.mjs SITE_DIR SETTINGS_JSON");
  process.exit(2);
}
const settings = JSON.parse(settingsJson);

// Files that are never precached: the service worker itself (the browser fetches it on its own),
// source maps (only developer tools read them; Pyodide's are large) and the standard library's
// sources, which only a developer debugging the engine loads (build_tools/engine.py).
const IGNORED = settings.ignored;

// The engine's heavy files live in engine/<content hash>/ (build_tools/engine.py): a URL there
// never changes its content. They are precached without a revision, and Workbox then fetches
// them with cache mode "default" instead of "reload" plus a ?__WB_REVISION__= URL: the
// install step takes them from the HTTP cache the page's own engine load has just filled (or
// revalidates them, 304) instead of downloading Pyodide a second time. Every other file keeps
// its revision (an MD5 of its content). offline.py checks that each folder matched here is
// named after the hash of its files.
const ENGINE_FILES = new RegExp(settings.contentAddressed);

// The precached URLs, captured for offline.py's checks: every file of the site is in them, and
// only content-addressed ones go without a revision.
let urls = [];
let unrevisioned = [];
const recordUrls = async (entries) => {
  urls = entries.map((entry) => entry.url);
  unrevisioned = entries.filter((entry) => !entry.revision).map((entry) => entry.url);
  return { manifest: entries, warnings: [] };
};

try {
  const { count, size, warnings } = await generateSW({
    globDirectory: siteDir,
    globPatterns: ["**/*"],
    globIgnores: IGNORED,
    globFollow: false,
    swDest: path.join(siteDir, settings.swFile),
    // Pyodide's WebAssembly file alone is about 10 MB: the default limit (2 MB) would leave it out.
    maximumFileSizeToCacheInBytes: 128 * 1024 * 1024,
    dontCacheBustURLsMatching: ENGINE_FILES,
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
    // The update prompt's handler, and the engine's WebAssembly from the HTTP cache (sw-engine.js):
    // imported before Workbox registers its fetch handler, so that one answers first.
    importScripts: settings.importScripts,
    inlineWorkboxRuntime: true,
    sourcemap: false,
    mode: "production",
    disableDevLogs: true,
    manifestTransforms: [recordUrls],
  });
  process.stdout.write(`${JSON.stringify({ count, size, warnings, urls, unrevisioned })}\n`);
} catch (error) {
  console.error(`Service worker maken mislukt: ${error?.stack ?? error}`);
  process.exit(1);
}
