// Runs inside the service worker: sw.js (made by build_tools/sw-build.mjs) imports this file before
// Workbox adds its own fetch handler, so for the requests matched here this handler answers first.
//
// Pyodide's WebAssembly file (engine/<content hash>/pyodide.asm.wasm, about 10 MB) is answered from
// the browser's HTTP cache when it is there, and from the precache otherwise. Why: Chromium keeps
// the machine code it compiled for a WebAssembly module next to the stored response it came from.
// The first visit fills the HTTP cache (the engine loads before the service worker exists) and that
// entry gets the compiled code; the precache holds a second copy without it. Served from the
// precache, the second visit compiled the engine again and took about 300 ms longer (bench/README.md).
// With this handler every visit reuses the compiled code of the one before.
//
// `cache: "only-if-cached"` never touches the network: an entry is used even when stale (safe,
// because a URL under engine/<hash>/ never changes its content) and a missing entry fails at once,
// also offline. Then the precache answers, and the network only when both lack the file.
(function () {
  "use strict";

  const scope = new URL(self.registration.scope);
  const escaped = scope.pathname.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  // Any hex folder name: the build (build_tools/offline.py) already checked that every such
  // folder is named after the hash of its files, so its length is not repeated here.
  const COMPILED_FROM_HTTP_CACHE = new RegExp("^" + escaped + "engine/[0-9a-f]+/[^/]+\\.wasm$");

  async function answer(request) {
    try {
      const cached = await fetch(request.url, {
        cache: "only-if-cached",
        mode: "same-origin",
        credentials: "same-origin",
      });
      if (cached.ok) {
        return cached;
      }
    } catch (error) {
      // Not in the HTTP cache: the precache has it.
    }
    const precached = await self.caches.match(request.url);
    return precached || fetch(request);
  }

  self.addEventListener("fetch", (event) => {
    const request = event.request;
    if (request.method !== "GET") {
      return;
    }
    const url = new URL(request.url);
    if (url.origin !== scope.origin || !COMPILED_FROM_HTTP_CACHE.test(url.pathname)) {
      return;
    }
    event.respondWith(answer(request));
  });
})();
