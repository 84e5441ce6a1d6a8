"""Helpers for the fault, CSP and privacy tests: a server that can really be stopped (and
restarted on the same port with another build), and a watcher for what must never happen (CSP
violations, dialogs, uncaught errors, requests to another host).

The tests use conftest.py's ``browser`` and ``site_dir`` but their own server and contexts: the
update test serves two builds in turn from one origin, which the shared server does not do.

Stopping the server is the honest offline test: Playwright's ``set_offline`` does not cover
requests made by a service worker (microsoft/playwright#2311).
"""

from __future__ import annotations

import json
import shutil
import threading
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from _checklist import ENGINE_TIMEOUT_MS, local_storage
from playwright.sync_api import BrowserContext, Page

from build_tools import offline
from build_tools.site import make_server

__all__ = [
    "ENGINE_TIMEOUT_MS",
    "SiteServer",
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

# Installed before any page script: records CSP violations, uncaught errors and rejections.
WATCH_SCRIPT = """
(() => {
  const box = { csp: [], errors: [] };
  Object.defineProperty(window, "__kcmWatch", { value: box });
  document.addEventListener("securitypolicyviolation", (e) => {
    const what = `${e.violatedDirective} blocked ${e.blockedURI || "inline"}`;
    box.csp.push(`${what} at ${e.sourceFile}:${e.lineNumber} ${e.sample}`);
  });
  window.addEventListener("error", (e) => {
    box.errors.push(`${e.message} at ${e.filename}:${e.lineno}`);
  });
  window.addEventListener("unhandledrejection", (e) => {
    box.errors.push(`unhandled rejection: ${e.reason}`);
  });
})();
"""


class SiteServer:
    """A static server for a built site on 127.0.0.1 that can be stopped and started again on
    the same port (same origin, so the service worker and localStorage stay), possibly serving
    another folder (a new build)."""

    def __init__(self, site_dir: Path) -> None:
        self.site_dir = site_dir
        self.port = 0
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/"

    @property
    def running(self) -> bool:
        return self._server is not None

    def start(self, site_dir: Path | None = None) -> None:
        assert self._server is None, "already running"
        if site_dir is not None:
            self.site_dir = site_dir
        server = make_server(self.site_dir, "127.0.0.1", self.port)
        self.port = server.server_address[1]
        self._server = server
        self._thread = threading.Thread(target=server.serve_forever, daemon=True)
        self._thread.start()

    def stop(self) -> None:
        """Stop serving and close the listening socket; then prove nothing answers any more."""
        assert self._server is not None
        assert self._thread is not None
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=10)
        self._server = None
        self._thread = None
        try:
            urllib.request.urlopen(self.url, timeout=2)
        except (TimeoutError, urllib.error.URLError, ConnectionError):
            return
        raise AssertionError(f"{self.url} still answers after the server was stopped")


@contextmanager
def serving(site_dir: Path) -> Iterator[SiteServer]:
    server = SiteServer(site_dir)
    server.start()
    try:
        yield server
    finally:
        if server.running:
            server.stop()


@dataclass
class Watch:
    """What the pages of one browser context did that they never should."""

    origin: str
    dialogs: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    foreign_requests: list[str] = field(default_factory=list)
    pages: list[Page] = field(default_factory=list)

    def collected(self) -> dict[str, list[str]]:
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
            "foreign_requests": self.foreign_requests,
        }

    def assert_clean(self) -> None:
        found = {k: v for k, v in self.collected().items() if v}
        assert not found, json.dumps(found, indent=2, ensure_ascii=False)


def watch_context(context: BrowserContext, origin: str) -> Watch:
    """Watch every page of ``context``: dialogs are dismissed and recorded, and so are requests
    to any origin other than ``origin`` (nothing may leave the site)."""
    watch = Watch(origin=origin.rstrip("/"))
    context.add_init_script(WATCH_SCRIPT)

    def on_page(page: Page) -> None:
        watch.pages.append(page)

        def on_dialog(dialog: Any) -> None:
            watch.dialogs.append(f"{dialog.type}: {dialog.message}")
            dialog.dismiss()

        page.on("dialog", on_dialog)
        page.on("pageerror", lambda error: watch.page_errors.append(str(error)))

    def on_request(request: Any) -> None:
        # Recorded, not routed: routing would change how the service worker's requests flow.
        parts = urlsplit(request.url)
        if (
            parts.scheme not in ("data", "blob")
            and f"{parts.scheme}://{parts.netloc}" != watch.origin
        ):
            watch.foreign_requests.append(request.url)

    context.on("page", on_page)
    context.on("request", on_request)
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
