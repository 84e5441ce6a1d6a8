"""The end-to-end tests' server and recorder, and helpers for the fault, CSP and privacy tests.

- :class:`SiteServer`: a built site on 127.0.0.1 (``build_tools.site.make_server``, the server of
  ``make serve``) that can really be stopped, and restarted on the same port, possibly serving
  another folder (a new build). Stopping it is the honest offline test: Playwright's
  ``set_offline`` does not cover requests made by a service worker (microsoft/playwright#2311).
- :class:`Recorder`: what the browser contexts of a test did (requests, console messages,
  uncaught errors, dialogs, CSP violations), checked when the test ends.

conftest.py's ``site_server`` and ``new_context`` fixtures use both; the fault, CSP and privacy
tests start a server of their own with :func:`serving` (the update test serves two builds in
turn from one origin) and watch each context with :func:`watch_context`.
"""

from __future__ import annotations

import contextlib
import json
import shutil
import threading
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from _checklist import ENGINE_TIMEOUT_MS, local_storage
from playwright.sync_api import BrowserContext, ConsoleMessage, Page

from build_tools import offline
from build_tools.site import make_server

__all__ = [
    "ENGINE_TIMEOUT_MS",
    "INIT_SCRIPT",
    "Recorder",
    "SiteServer",
    "SiteURL",
    "Watch",
    "build_marker",
    "copy_build_with_marker",
    "html_pages",
    "local_storage",
    "open_checklist",
    "serving",
    "wait_for_offline_ready",
    "watch_context",
]

# Installed before any script of every page (init scripts run outside the page's CSP):
# - CSP violations, uncaught errors and unhandled rejections are kept in window.__kcmWatch (read
#   by Recorder.collected), and CSP violations are also reported on the console
#   (Recorder.csp_violations);
# - window.print, which would block a headless browser, is replaced by a counter.
INIT_SCRIPT = """
(() => {
  const box = { csp: [], errors: [] };
  Object.defineProperty(window, "__kcmWatch", { value: box });
  document.addEventListener("securitypolicyviolation", (e) => {
    const what = `${e.violatedDirective} blocked ${e.blockedURI || "inline"}`;
    box.csp.push(`${what} at ${e.sourceFile}:${e.lineNumber} ${e.sample}`);
    console.error("kcm-csp-violation " + e.violatedDirective + " " + e.blockedURI);
  });
  window.addEventListener("error", (e) => {
    box.errors.push(`${e.message} at ${e.filename}:${e.lineno}`);
  });
  window.addEventListener("unhandledrejection", (e) => {
    box.errors.push(`unhandled rejection: ${e.reason}`);
  });
})();
window.print = () => {
  const html = document.documentElement;
  html.dataset.printed = String(Number(html.dataset.printed || "0") + 1);
};
"""

# Schemes that never reach a server: downloads (blob:), inline images (data:), blank pages.
LOCAL_SCHEMES = {"blob", "data", "about", "file"}


# ------------------------------------------------------------------------------------------
# The server


class SiteURL(str):
    """The server's root URL, ``http://127.0.0.1:<port>/``; ``url + "checklist/"`` and
    ``url("checklist/")`` give the same address."""

    __slots__ = ()

    def __call__(self, path: str = "") -> str:
        return f"{self}{path.lstrip('/')}"


class SiteServer:
    """A built site on http://127.0.0.1:<port>/, serving from the moment it is made.

    ``stop()`` closes the listening socket and checks that nothing answers any more;
    ``start()`` listens again on the same port (same origin, so the service worker and
    localStorage stay), serving ``root`` when given (a new build)."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.host = "127.0.0.1"
        self.port = 0
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None
        self.start()

    @property
    def origin(self) -> str:
        return f"http://{self.host}:{self.port}"

    @property
    def url(self) -> SiteURL:
        return SiteURL(f"{self.origin}/")

    @property
    def running(self) -> bool:
        return self._server is not None

    def start(self, root: Path | None = None) -> None:
        if root is not None and root != self.root:
            assert self._server is None, "stop the server before serving another folder"
            self.root = root
        if self._server is not None:
            return
        server = make_server(self.root, self.host, self.port)
        # A browser that stops reading (navigation, closed tab) is not a test failure.
        server.handle_error = lambda request, client_address: None  # type: ignore[method-assign]
        self.port = int(server.server_address[1])
        self._server = server
        # A short poll interval: shutdown() waits for the next poll (0.5 s by default).
        self._thread = threading.Thread(
            target=server.serve_forever,
            kwargs={"poll_interval": 0.05},
            name="kcm-e2e",
            daemon=True,
        )
        self._thread.start()

    def stop(self) -> None:
        if self._server is None:
            return
        self._server.shutdown()
        self._server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=10)
        self._server = None
        self._thread = None
        try:
            urllib.request.urlopen(self.url, timeout=2)
        except (TimeoutError, urllib.error.URLError, ConnectionError):
            return
        raise AssertionError(f"{self.url} still answers after the server was stopped")

    @contextlib.contextmanager
    def stopped(self) -> Iterator[None]:
        """The server is down inside the block (the honest "offline" of a static site)."""
        self.stop()
        try:
            yield
        finally:
            self.start()


@contextlib.contextmanager
def serving(site_dir: Path) -> Iterator[SiteServer]:
    """A server of its own for ``site_dir``, stopped after the block."""
    server = SiteServer(site_dir)
    try:
        yield server
    finally:
        server.stop()


# ------------------------------------------------------------------------------------------
# The recorder


@dataclass
class Recorder:
    """What the browser contexts given to :meth:`record` did, for the checks at a test's end."""

    origin: str
    requests: list[str] = field(default_factory=list)
    console: list[ConsoleMessage] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    # Substrings of page errors that a test expects (e.g. a deliberately broken file).
    expected_errors: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)
    pages: list[Page] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.origin = self.origin.rstrip("/")

    def record(self, context: BrowserContext, *, dismiss_dialogs: bool = False) -> None:
        """Install INIT_SCRIPT in ``context`` and record its requests (recorded, not routed:
        routing would change how the service worker's requests flow), console messages, pages
        and their uncaught errors; with ``dismiss_dialogs``, JavaScript dialogs are dismissed and
        recorded too."""
        context.add_init_script(script=INIT_SCRIPT)

        def on_page(page: Page) -> None:
            self.pages.append(page)
            page.on("pageerror", lambda error: self.page_errors.append(str(error)))
            if dismiss_dialogs:

                def on_dialog(dialog: Any) -> None:
                    self.dialogs.append(f"{dialog.type}: {dialog.message}")
                    dialog.dismiss()

                page.on("dialog", on_dialog)

        context.on("page", on_page)
        context.on("request", lambda request: self.requests.append(request.url))
        context.on("console", lambda message: self.console.append(message))

    def foreign_requests(self) -> list[str]:
        """Requests to any origin but the site's (nothing may leave the site)."""
        foreign = []
        for url in self.requests:
            parts = urlsplit(url)
            if (
                parts.scheme not in LOCAL_SCHEMES
                and f"{parts.scheme}://{parts.netloc}" != self.origin
            ):
                foreign.append(url)
        return foreign

    def csp_violations(self) -> list[str]:
        return [
            m.text
            for m in self.console
            if m.text.startswith("kcm-csp-violation") or "Content Security Policy" in m.text
        ]

    def unexpected_page_errors(self) -> list[str]:
        return [e for e in self.page_errors if not any(x in e for x in self.expected_errors)]

    def console_errors(self) -> list[str]:
        return [m.text for m in self.console if m.type == "error"]

    def collected(self) -> dict[str, list[str]]:
        """What the pages did that they never should, as seen from inside them (INIT_SCRIPT's
        window.__kcmWatch of every open page) and from outside."""
        csp: list[str] = []
        errors: list[str] = []
        for page in self.pages:
            if page.is_closed():
                continue
            box = page.evaluate("window.__kcmWatch || {csp: [], errors: []}")
            csp += box["csp"]
            errors += box["errors"]
        return {
            "csp": csp,
            "errors": errors + self.page_errors,
            "dialogs": self.dialogs,
            "foreign_requests": self.foreign_requests(),
        }

    def assert_clean(self) -> None:
        found = {k: v for k, v in self.collected().items() if v}
        assert not found, json.dumps(found, indent=2, ensure_ascii=False)


# The name the fault tests use for the recorder of one watched context.
Watch = Recorder


def watch_context(context: BrowserContext, origin: str) -> Recorder:
    """Record every page of ``context``, dismissing (and recording) dialogs; the test ends with
    ``assert_clean()``."""
    watch = Recorder(origin)
    watch.record(context, dismiss_dialogs=True)
    return watch


def open_checklist(page: Page, base_url: str, *, engine: bool = True) -> None:
    page.goto(base_url + "checklist/")
    page.wait_for_selector("[data-assessment-form]")
    if engine:
        page.wait_for_selector("html[data-engine=ready]", timeout=ENGINE_TIMEOUT_MS)


def wait_for_offline_ready(page: Page) -> None:
    """Until the service worker holds the whole site (its install step precaches everything)."""
    page.wait_for_selector("html[data-sw=ready]", timeout=ENGINE_TIMEOUT_MS)
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")


def html_pages(site_dir: Path) -> list[str]:
    """URL paths (relative to the root) of every page of the site, 404 page included."""
    paths = []
    for page in sorted(site_dir.rglob("*.html")):
        rel = page.relative_to(site_dir).as_posix()
        paths.append(rel.removesuffix("index.html"))
    return paths


def copy_build_with_marker(site_dir: Path, dest: Path, marker: str) -> Path:
    """A second build of the same site that differs in every page (a <meta> naming it), made
    the way a real build ends: the offline post-build runs again on the changed files."""
    shutil.copytree(site_dir, dest)
    for page in dest.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        tag = f'<meta name="kcm-test-build" content="{marker}">'
        page.write_text(text.replace("</head>", tag + "\n</head>", 1), encoding="utf-8")
    offline.postbuild(dest)
    return dest


def build_marker(page: Page) -> str | None:
    value: str | None = page.evaluate(
        "document.querySelector('meta[name=kcm-test-build]')?.content ?? null"
    )
    return value
