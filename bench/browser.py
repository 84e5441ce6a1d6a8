"""Chromium runs of the benchmark, driven with Playwright.

Every figure is read inside the page, as milliseconds since its navigation started
(``performance.now()``), by a script added with ``add_init_script`` that runs before any of the
page's own scripts:

- a 10 ms ``setInterval`` heartbeat: the longest gap between two beats, minus the 10 ms, is the
  longest the main thread was blocked (the Long Tasks API reports nothing on pages controlled
  by a service worker);
- a MutationObserver on ``<html data-engine>``: when the engine state became ``ready``/``error``;
- ``Storage.prototype.setItem`` wrapped: when the first record with a ticked criterion was
  written to localStorage (store.js reads every write back; the wrapper sees the write);
- optionally a MutationObserver that notes when the assessments list is on the page for N stored
  assessments: it knows all N (``data-list-total``) and holds the items it shows at first (all,
  or the newest up to the list limit of its rubric data block; "Toon alle" shows the rest).

A "first visit" is a new Chromium profile (fresh user-data-dir: empty HTTP cache, no service
worker, no localStorage); the "repeat visit" is a new tab in that same profile; the "offline"
visit is another tab after ``BenchServer.stop()``, so only the service worker can answer.
Playwright's request routing is not used: it turns Chromium's HTTP cache off.
"""

from __future__ import annotations

import contextlib
import json
import shutil
import tempfile
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from playwright.sync_api import BrowserContext, Page, Playwright
from playwright.sync_api import Error as PlaywrightError

from bench.chromium import CHROMIUM, CHROMIUM_ARGS
from bench.results import Visit
from bench.server import BenchServer, Response

VIEWPORT = {"width": 1280, "height": 900}
HEARTBEAT_MS = 10
ENGINE_TIMEOUT_MS = 180_000  # the bare baseline on a machine shared by six people
SW_TIMEOUT_MS = 60_000  # installing = precaching the whole site
CHECKBOX = '[data-criterion-id] [data-role="checked"]'

# The baseline: stock Pyodide from node_modules/pyodide, mounted at /bare/, started the way its
# documentation shows, in a module worker. Served from memory; not part of the site.
BARE_PAGE = b"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>bare loadPyodide()</title></head>
<body><p>Stock <code>loadPyodide()</code> in a module worker (kcm benchmark baseline).</p>
<script type="module">
const html = document.documentElement;
html.setAttribute("data-engine", "loading");
const started = performance.now();
const worker = new Worker("bench-worker.mjs", { type: "module" });
worker.addEventListener("message", (event) => {
  if (event.data.ok) {
    html.setAttribute("data-engine-ms", String(Math.round(performance.now() - started)));
    html.setAttribute("data-engine", "ready");
  } else {
    html.setAttribute("data-engine-error", event.data.error);
    html.setAttribute("data-engine", "error");
  }
});
worker.addEventListener("error", (event) => {
  html.setAttribute("data-engine-error", String(event.message));
  html.setAttribute("data-engine", "error");
});
</script></body></html>
"""
BARE_WORKER = b"""import { loadPyodide } from "./pyodide.mjs";
const t0 = performance.now();
try {
  const pyodide = await loadPyodide();
  pyodide.runPython("1 + 1");
  self.postMessage({ ok: true, ms: performance.now() - t0 });
} catch (error) {
  self.postMessage({ ok: false, error: String(error && error.message || error) });
}
"""
BARE_PAGES: dict[str, bytes] = {
    "/bare/bench.html": BARE_PAGE,
    "/bare/bench-worker.mjs": BARE_WORKER,
}
BARE_URL = "bare/bench.html"
SITE_URL = "checklist/"

INIT_SCRIPT = """
(() => {
  if (window.__kcmBench) { return; }
  const listTarget = __LIST_TARGET__;
  const b = { maxGap: 0, maxGapEnd: 0, last: performance.now(), beats: 0, engine: {},
              tickSavedAt: null, listAt: null, listPaintedAt: null, gaps: [] };
  Object.defineProperty(window, "__kcmBench", { value: b });
  setInterval(() => {
    const t = performance.now();
    const gap = t - b.last;
    if (gap > b.maxGap) { b.maxGap = gap; b.maxGapEnd = t; }
    // The long ones, with when they ended: where a block comes from.
    if (gap > 50 && b.gaps.length < 50) { b.gaps.push([Math.round(t), Math.round(gap)]); }
    b.last = t;
    b.beats += 1;
  }, __HEARTBEAT__);
  new MutationObserver(() => {
    const value = document.documentElement && document.documentElement.getAttribute("data-engine");
    if (value && !(value in b.engine)) { b.engine[value] = performance.now(); }
  }).observe(document, { subtree: true, attributes: true, attributeFilter: ["data-engine"] });
  const setItem = Storage.prototype.setItem;
  Storage.prototype.setItem = function (key, value) {
    setItem.call(this, key, value);
    if (b.tickSavedAt === null && String(key).startsWith("kcm:v1:assessment:")
        && String(value).includes('"checked":true')) {
      b.tickSavedAt = performance.now();
    }
  };
  if (listTarget > 0) {
    // The list is complete when it knows all stored assessments (data-list-total) and shows as
    // many items as it shows at first: all of them, or the newest ones up to the list limit of
    // the page's rubric data block.
    const complete = () => {
      const list = document.querySelector("[data-assessment-list]");
      if (!list || Number(list.getAttribute("data-list-total")) < listTarget) { return false; }
      const data = document.getElementById("kcm-rubric-data");
      const limit = (data && JSON.parse(data.textContent).limits.listLimit) || listTarget;
      return document.querySelectorAll("[data-assessment-id]").length >= Math.min(listTarget,
                                                                                 limit);
    };
    const observer = new MutationObserver((records) => {
      const added = records.some((r) => Array.from(r.addedNodes).some(
        (n) => n.nodeType === 1 && n.hasAttribute("data-assessment-id")));
      if (added && complete()) {
        b.listAt = performance.now();
        observer.disconnect();
        // The list is on screen once the frame holding it is rendered: a task queued from the
        // next animation frame runs after that frame's style, layout and paint.
        requestAnimationFrame(() => setTimeout(() => { b.listPaintedAt = performance.now(); }, 0));
      }
    });
    observer.observe(document, { subtree: true, childList: true });
  }
})();
"""

# Ticks the first criterion as soon as a user could: app.js sets <html data-engine> first and
# wires every handler in that same script, so when the attribute appears the handlers are there;
# then one frame is painted (requestAnimationFrame, then a task) and the box is clicked in the
# page. Clicking from Playwright would add its own round trips (scroll, stability checks) to the
# figure, and those are the driver's time, not the page's.
AUTO_TICK = """
(() => {
  const observer = new MutationObserver(() => {
    if (!document.documentElement || !document.documentElement.hasAttribute("data-engine")) {
      return;
    }
    observer.disconnect();
    requestAnimationFrame(() => setTimeout(() => {
      const box = document.querySelector('__CHECKBOX__');
      window.__kcmBenchTick = { wiredAt: performance.now() };
      if (box) { box.click(); window.__kcmBenchTick.clickedAt = performance.now(); }
    }, 0));
  });
  observer.observe(document, { subtree: true, attributes: true, attributeFilter: ["data-engine"] });
})();
""".replace("__CHECKBOX__", CHECKBOX)

READ_STATE = """() => {
  const b = window.__kcmBench;
  const html = document.documentElement;
  const nav = performance.getEntriesByType("navigation")[0];
  const paint = performance.getEntriesByName("first-contentful-paint")[0];
  const round = (v) => (typeof v === "number" ? Math.round(v) : null);
  return { maxGap: Math.max(b.maxGap, performance.now() - b.last),
           timeline: { responseEnd: round(nav && nav.responseEnd),
                       firstContentfulPaint: round(paint && paint.startTime),
                       domInteractive: round(nav && nav.domInteractive),
                       // Observer records arrive after a script has run: app.js is done.
                       appRan: round(b.engine.loading),
                       tickClicked: round(window.__kcmBenchTick && window.__kcmBenchTick.wiredAt),
                       tickSaved: round(b.tickSavedAt),
                       listInDom: round(b.listAt),
                       listPainted: round(b.listPaintedAt),
                       domContentLoaded: round(nav && nav.domContentLoadedEventEnd),
                       load: round(nav && nav.loadEventEnd),
                       engineReady: round(b.engine.ready),
                       // From creating the worker to ready (app.js and the bare page both
                       // put it on <html>): the rest of engineReady is the page's.
                       engineMs: Number(html.getAttribute("data-engine-ms")) || null,
                       longestBlockEnded: round(b.maxGapEnd),
                       gapsOver50ms: b.gaps },
           engine: b.engine, tickSavedAt: b.tickSavedAt, listAt: b.listAt,
           engineError: html.getAttribute("data-engine-error"),
           sw: html.getAttribute("data-sw") };
}"""

ENGINE_SETTLED = """() => {
  const e = window.__kcmBench && window.__kcmBench.engine;
  return Boolean(e && (e.ready !== undefined || e.error !== undefined));
}"""

# The service worker has finished installing (precache complete) or will never: sw-register.js
# sets <html data-sw="registering|ready|update|error|unsupported">.
SW_SETTLED = """() => {
  const state = document.documentElement.getAttribute("data-sw");
  return state !== null && state !== "registering";
}"""

# 100 ticks in a row: click a criterion's checkbox and wait for the overall result to change
# (app.js re-renders it when kcm_core's answer arrives). In the page, so the figure holds no
# Playwright round trips.
TICK_LOOP = """async ({ count, pause }) => {
  const overall = document.querySelector('[data-result="overall"]');
  const boxes = Array.from(document.querySelectorAll('__CHECKBOX__'));
  const samples = [];
  for (let i = 0; i < count; i += 1) {
    const box = boxes[i % boxes.length];
    let observer;
    const updated = new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error("no verdict update within 10 s")), 10000);
      observer = new MutationObserver(() => { clearTimeout(timer); resolve(performance.now()); });
      observer.observe(overall, { subtree: true, childList: true, attributes: true,
                                  characterData: true });
    });
    const start = performance.now();
    box.click();
    try {
      samples.push((await updated) - start);
    } finally {
      observer.disconnect();
    }
    if (!overall.hasAttribute("data-verdict")) {
      throw new Error("the result was updated without a verdict");
    }
    await new Promise((resolve) => setTimeout(resolve, pause));
  }
  return samples;
}""".replace("__CHECKBOX__", CHECKBOX)


# 100 ticks in a row, timed until the save status says "Opgeslagen": since the durable mirror
# (store-durable.js), that is when IndexedDB's strict-durability transaction completed, i.e. the
# tick is on disk. session.js sets the status in the click's own handler ("Wordt opgeslagen…",
# or at once "Opgeslagen" on a build that only writes localStorage), so a status that already
# says "Opgeslagen" right after click() is this tick's.
TICK_SAVED_LOOP = """async ({ count, pause }) => {
  const status = document.querySelector("[data-save-status]");
  const boxes = Array.from(document.querySelectorAll('__CHECKBOX__'));
  const done = () => status.getAttribute("data-save-state") === "ok"
    && status.textContent.startsWith("Opgeslagen");
  const samples = [];
  for (let i = 0; i < count; i += 1) {
    const box = boxes[i % boxes.length];
    let observer;
    const saved = new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error("not Opgeslagen within 10 s")), 10000);
      observer = new MutationObserver(() => {
        if (done()) { clearTimeout(timer); resolve(performance.now()); }
      });
      observer.observe(status, { subtree: true, childList: true, attributes: true,
                                 characterData: true });
    });
    const start = performance.now();
    box.click();
    try {
      samples.push((done() ? performance.now() : await saved) - start);
    } finally {
      observer.disconnect();
    }
    await new Promise((resolve) => setTimeout(resolve, pause));
  }
  return samples;
}""".replace("__CHECKBOX__", CHECKBOX)


@dataclass(slots=True)
class Session:
    """A Chromium profile (persistent context) in a temporary user-data-dir."""

    context: BrowserContext
    user_data_dir: Path
    foreign_requests: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    page: Page | None = None


@contextlib.contextmanager
def session(playwright: Playwright, origin: str, *, list_target: int = 0) -> Iterator[Session]:
    """A fresh profile: first visits start here. Closed and deleted afterwards."""
    user_data_dir = Path(tempfile.mkdtemp(prefix="kcm-bench-profile-"))
    context = playwright.chromium.launch_persistent_context(
        str(user_data_dir),
        executable_path=str(CHROMIUM),
        args=CHROMIUM_ARGS,
        headless=True,
        viewport=VIEWPORT,  # type: ignore[arg-type]
        service_workers="allow",
    )
    own_host = urlsplit(origin).netloc
    current = Session(context, user_data_dir)

    def on_request(request: Any) -> None:
        parts = urlsplit(request.url)
        if parts.scheme in ("http", "https", "ws", "wss") and parts.netloc != own_host:
            current.foreign_requests.append(request.url)

    context.on("request", on_request)
    context.add_init_script(init_script(list_target))
    try:
        yield current
    finally:
        with contextlib.suppress(PlaywrightError):
            context.close()
        shutil.rmtree(user_data_dir, ignore_errors=True)


def init_script(list_target: int = 0) -> str:
    return INIT_SCRIPT.replace("__LIST_TARGET__", str(int(list_target))).replace(
        "__HEARTBEAT__", str(HEARTBEAT_MS)
    )


def _new_page(current: Session) -> Page:
    """A new tab; the previous one is closed (its worker stops, so it takes no CPU)."""
    page = current.context.new_page()
    page.on("pageerror", lambda error: current.page_errors.append(str(error)))
    if current.page is not None:
        with contextlib.suppress(PlaywrightError):
            current.page.close()
    current.page = page
    return page


def visit(
    current: Session,
    server: BenchServer,
    path: str,
    *,
    tick: bool = False,
    wait_sw: bool = False,
    count_bytes: bool = True,
    settle_ms: int = 500,
) -> Visit:
    """Open ``path`` in a new tab and wait for the engine; see the module docstring."""
    page = _new_page(current)
    if tick:
        page.add_init_script(AUTO_TICK)
    server.take_responses()
    try:
        page.goto(server.url(path), wait_until="commit", timeout=60_000)
    except PlaywrightError as error:
        return Visit(None, f"page did not load: {_first_line(error)}", None)
    tick_error = None
    if tick:
        tick_error = _tick_first(page)
    try:
        page.wait_for_function(ENGINE_SETTLED, timeout=ENGINE_TIMEOUT_MS, polling=20)
    except PlaywrightError as error:
        return Visit(None, f"engine not settled: {_first_line(error)}", None)
    # A block right after "ready" (the first score, the first render) belongs to loading too.
    page.wait_for_timeout(settle_ms)
    state = page.evaluate(READ_STATE)
    sw_state = None
    if wait_sw:
        with contextlib.suppress(PlaywrightError):
            page.wait_for_function(SW_SETTLED, timeout=SW_TIMEOUT_MS, polling=100)
        sw_state = page.evaluate("() => document.documentElement.getAttribute('data-sw')")
    responses: tuple[Response, ...] = ()
    if count_bytes:
        server.wait_quiet(quiet=1.0, timeout=120)
        responses = tuple(server.take_responses())
    engine = state["engine"]
    ready = engine.get("ready")
    problem = None
    if ready is None:
        problem = f"engine error: {state.get('engineError') or 'unknown'}"
    elif tick_error:
        problem = tick_error
    return Visit(
        ready_ms=ready,
        error=problem,
        longest_block_ms=max(0.0, float(state["maxGap"]) - HEARTBEAT_MS),
        tick_saved_ms=state["tickSavedAt"],
        body_bytes=sum(r.body_bytes for r in responses) if count_bytes else None,
        responses=responses,
        sw_state=sw_state,
        timeline=state["timeline"],
    )


def _tick_first(page: Page) -> str | None:
    """Wait until the tick ``AUTO_TICK`` made is in localStorage; None when it was saved."""
    try:
        page.wait_for_function(
            "() => window.__kcmBench.tickSavedAt !== null", timeout=60_000, polling=10
        )
    except PlaywrightError as error:
        clicked = page.evaluate("() => window.__kcmBenchTick || null")
        return f"tick not saved (clicked: {clicked}): {_first_line(error)}"
    return None


def tick_to_verdict(
    current: Session, server: BenchServer, *, count: int, pause_ms: int = 50
) -> list[float]:
    """``count`` ticks on a ready checklist; ms from the click to the updated result."""
    page = _new_page(current)
    page.goto(server.url(SITE_URL), wait_until="commit", timeout=60_000)
    page.wait_for_function(ENGINE_SETTLED, timeout=ENGINE_TIMEOUT_MS, polling=20)
    if page.evaluate("() => window.__kcmBench.engine.ready") is None:
        raise RuntimeError("the engine did not start, so no tick can be scored")
    # The first result after "ready" (app.js scores at once) must not count as a tick's.
    page.wait_for_selector('[data-result="overall"][data-verdict]', timeout=30_000)
    page.wait_for_timeout(500)
    samples: list[float] = page.evaluate(TICK_LOOP, {"count": count, "pause": pause_ms})
    return samples


def tick_to_saved(
    current: Session, server: BenchServer, *, count: int, pause_ms: int = 50
) -> list[float]:
    """``count`` ticks on a ready checklist; ms from the click until "Opgeslagen" (on disk)."""
    page = _new_page(current)
    page.goto(server.url(SITE_URL), wait_until="commit", timeout=60_000)
    page.wait_for_function(ENGINE_SETTLED, timeout=ENGINE_TIMEOUT_MS, polling=20)
    # The first tick creates the assessment; the figure is for ticks on one that exists.
    page.locator(CHECKBOX).first.click()
    page.wait_for_selector('[data-save-status][data-save-state="ok"]', timeout=30_000)
    page.wait_for_timeout(500)
    samples: list[float] = page.evaluate(TICK_SAVED_LOOP, {"count": count, "pause": pause_ms})
    return samples


def seed_storage(page: Page, items: Mapping[str, str]) -> None:
    """Replace the site's kcm records with ``items`` (key -> stored text) in localStorage, and
    delete the durable mirror (IndexedDB ``kcm``, store-durable.js), which would otherwise put
    back the records of earlier visits when the page starts."""
    page.evaluate(
        """async (items) => {
          for (const key of Object.keys(localStorage)) {
            if (key.startsWith("kcm:")) { localStorage.removeItem(key); }
          }
          for (const [key, value] of Object.entries(items)) { localStorage.setItem(key, value); }
          sessionStorage.clear();
          if (window.indexedDB) {
            await new Promise((resolve) => {
              const request = indexedDB.deleteDatabase("kcm");
              request.onsuccess = request.onerror = request.onblocked = () => resolve();
            });
          }
        }""",
        dict(items),
    )


def list_shown(current: Session, server: BenchServer) -> tuple[float, float] | None:
    """Open the checklist; ms until the list holds the expected items, and until painted."""
    page = _new_page(current)
    page.goto(server.url(SITE_URL), wait_until="commit", timeout=60_000)
    try:
        page.wait_for_function(
            "() => window.__kcmBench.listPaintedAt !== null", timeout=60_000, polling=20
        )
    except PlaywrightError:
        return None
    in_dom, painted = page.evaluate(
        "() => [window.__kcmBench.listAt, window.__kcmBench.listPaintedAt]"
    )
    return float(in_dom), float(painted)


def _first_line(error: BaseException) -> str:
    return str(error).strip().splitlines()[0][:300] if str(error).strip() else repr(error)


def dumps(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2)
