// sw-engine.js in a node:vm context with a fake service-worker global: which requests it answers,
// and in which order it asks the HTTP cache, the precache and the network.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import vm from "node:vm";

const SOURCE = readFileSync(
  join(dirname(fileURLToPath(import.meta.url)), "..", "..", "docs", "assets", "kcm", "sw-engine.js"),
  "utf8",
);
const SCOPE = "https://example.test/kcm/";
const WASM = SCOPE + "engine/0123456789abcdef/pyodide.asm.wasm";

// httpCache / precache: URL -> body. The network answers every URL unless `offline`.
function serviceWorker({ httpCache = {}, precache = {}, offline = false } = {}) {
  const calls = [];
  let handler = null;
  const response = (body, from) => ({ ok: true, status: 200, body, from });
  const context = vm.createContext({
    URL,
    self: {
      registration: { scope: SCOPE },
      addEventListener: (type, fn) => {
        assert.equal(type, "fetch");
        handler = fn;
      },
      caches: {
        match: async (url) => {
          calls.push(["precache", url]);
          return url in precache ? response(precache[url], "precache") : undefined;
        },
      },
    },
    fetch: async (target, options = {}) => {
      const url = typeof target === "string" ? target : target.url;
      if (options.cache === "only-if-cached") {
        calls.push(["http-cache", url, options.mode]);
        if (url in httpCache) {
          return response(httpCache[url], "http-cache");
        }
        throw new TypeError("Failed to fetch");
      }
      calls.push(["network", url]);
      if (offline) {
        throw new TypeError("Failed to fetch");
      }
      return response("from network", "network");
    },
  });
  vm.runInContext(SOURCE, context, { filename: "sw-engine.js" });
  assert.ok(handler, "sw-engine.js adds a fetch handler");

  // Dispatch a fetch event; resolves to the response given to respondWith, or null when the
  // handler left the request to the next handler (Workbox's precache route).
  async function request(url, method = "GET") {
    let answered = null;
    handler({ request: { url, method }, respondWith: (promise) => (answered = promise) });
    return answered === null ? null : await answered;
  }
  return { request, calls };
}

test("the engine's WebAssembly comes from the HTTP cache when it is there", async () => {
  const sw = serviceWorker({ httpCache: { [WASM]: "compiled" }, precache: { [WASM]: "copy" } });
  const answer = await sw.request(WASM);
  assert.equal(answer.from, "http-cache");
  // Never the network: only-if-cached needs same-origin mode.
  assert.deepEqual(sw.calls, [["http-cache", WASM, "same-origin"]]);
});

test("without an HTTP cache entry the precache answers, also offline", async () => {
  const sw = serviceWorker({ precache: { [WASM]: "copy" }, offline: true });
  const answer = await sw.request(WASM);
  assert.equal(answer.from, "precache");
  assert.deepEqual(
    sw.calls.map((call) => call[0]),
    ["http-cache", "precache"],
  );
});

test("the network is asked only when both caches lack the file", async () => {
  const sw = serviceWorker();
  const answer = await sw.request(WASM);
  assert.equal(answer.from, "network");
  assert.deepEqual(
    sw.calls.map((call) => call[0]),
    ["http-cache", "precache", "network"],
  );
});

const LEFT_TO_WORKBOX = [
  ["another engine file", SCOPE + "engine/0123456789abcdef/python_stdlib_pyc.zip", "GET"],
  ["a page", SCOPE + "checklist/", "GET"],
  ["engine.json (not content-addressed)", SCOPE + "engine/engine.json", "GET"],
  ["a folder that is not a content hash", SCOPE + "engine/latest/pyodide.asm.wasm", "GET"],
  ["outside the scope", "https://example.test/other/engine/0123456789abcdef/x.wasm", "GET"],
  ["another origin", "https://cdn.example/kcm/engine/0123456789abcdef/pyodide.asm.wasm", "GET"],
  ["not a GET", WASM, "POST"],
];

for (const [what, url, method] of LEFT_TO_WORKBOX) {
  test(`left to the precache route: ${what}`, async () => {
    const sw = serviceWorker({ httpCache: { [url]: "x" } });
    assert.equal(await sw.request(url, method), null);
    assert.deepEqual(sw.calls, []);
  });
}
