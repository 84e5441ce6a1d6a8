"""End-to-end fixtures: the real site, built once, served on 127.0.0.1, driven in Chromium.

Reusable by every test under tests/e2e/ (the checklist tests and the fault tests):

- ``site_dir`` (session): the complete site, built with ``build_tools.site.build_site`` into a
  temporary folder. Set ``KCM_E2E_SITE=/path/to/site`` to test an existing build instead (handy
  while iterating; the build takes a few seconds).
- ``site_server`` (session): :class:`SiteServer` on a random free port; ``url("checklist/")``,
  ``stop()``/``start()`` (same port, for honest offline tests) and ``stopped()``.
- ``browser`` (session): Debian's Chromium, never a downloaded one.
- ``new_context`` / ``new_page`` / ``open_checklist`` (per test): factories. Each context is a
  fresh browser profile (empty localStorage), phone-sized by default, records every request and
  console message, and reports Content-Security-Policy violations. At the end of the test every
  context is closed and the test fails when a request left the site's origin, a page threw an
  uncaught error, or the CSP blocked something.
- helpers to read and seed localStorage and to drive the checklist: ``_checklist.Checklist``.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from _checklist import Checklist
from playwright.sync_api import Browser, BrowserContext, ConsoleMessage, Page, sync_playwright

from build_tools.chromium import CHROMIUM, CHROMIUM_ARGS
from build_tools.site import build_site, make_server

ROOT = Path(__file__).resolve().parents[2]
PHONE = {"width": 390, "height": 844}
LAPTOP = {"width": 1280, "height": 900}

# Runs before any script of every page: reports CSP violations on the console (the page's own
# CSP forbids inline listeners, but init scripts are injected by the browser, outside the CSP),
# and replaces window.print, which would block a headless browser, by a counter.
INIT_SCRIPT = """
document.addEventListener("securitypolicyviolation", (e) => {
  console.error("kcm-csp-violation " + e.violatedDirective + " " + e.blockedURI);
});
window.print = () => {
  const html = document.documentElement;
  html.dataset.printed = String(Number(html.dataset.printed || "0") + 1);
};
"""

# Schemes that never reach a server: downloads (blob:), inline images (data:), blank pages.
LOCAL_SCHEMES = {"blob", "data", "about", "file"}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    here = Path(__file__).parent
    for item in items:
        if here in Path(str(item.fspath)).parents:
            item.add_marker(pytest.mark.e2e)


# ------------------------------------------------------------------------------------------
# The site and its server


@pytest.fixture(scope="session")
def site_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    given = os.environ.get("KCM_E2E_SITE")
    if given:
        path = Path(given).resolve()
        if not (path / "checklist" / "index.html").is_file():
            pytest.fail(f"KCM_E2E_SITE={given} holds no built site (checklist/index.html)")
        return path
    out = tmp_path_factory.mktemp("e2e") / "site"
    build_site(out, ROOT / "rubric" / "klantcontact.json")
    return out


class SiteServer:
    """The built site on http://127.0.0.1:<port>/, stoppable and restartable on that port."""

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

    def url(self, path: str = "") -> str:
        return f"{self.origin}/{path.lstrip('/')}"

    @property
    def running(self) -> bool:
        return self._server is not None

    def start(self) -> None:
        if self._server is not None:
            return
        server = make_server(self.root, self.host, self.port)
        # A browser that stops reading (navigation, closed tab) is not a test failure.
        server.handle_error = lambda request, client_address: None  # type: ignore[method-assign]
        self.port = int(server.server_address[1])
        self._server = server
        self._thread = threading.Thread(target=server.serve_forever, name="kcm-e2e", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        if self._server is None:
            return
        self._server.shutdown()
        self._server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)
        self._server = None
        self._thread = None

    @contextlib.contextmanager
    def stopped(self) -> Iterator[None]:
        """The server is down inside the block (the honest "offline" of a static site)."""
        self.stop()
        try:
            yield
        finally:
            self.start()


@pytest.fixture(scope="session")
def site_server(site_dir: Path) -> Iterator[SiteServer]:
    server = SiteServer(site_dir)
    yield server
    server.stop()


# ------------------------------------------------------------------------------------------
# The browser


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is not installed")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@dataclass
class Recorder:
    """What the contexts of one test did; checked when the test ends."""

    origin: str
    requests: list[str] = field(default_factory=list)
    console: list[ConsoleMessage] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    # Substrings of page errors that a test expects (e.g. a deliberately broken file).
    expected_errors: list[str] = field(default_factory=list)

    def foreign_requests(self) -> list[str]:
        expected = urlsplit(self.origin).netloc
        return [
            url
            for url in self.requests
            if urlsplit(url).scheme not in LOCAL_SCHEMES and urlsplit(url).netloc != expected
        ]

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


@pytest.fixture
def recorder(site_server: SiteServer) -> Recorder:
    return Recorder(site_server.origin)


ContextFactory = Callable[..., BrowserContext]
PageFactory = Callable[..., Page]
ChecklistFactory = Callable[..., Checklist]


@pytest.fixture
def new_context(browser: Browser, recorder: Recorder) -> Iterator[ContextFactory]:
    """Factory: a fresh profile (empty storage). Keyword arguments go to new_context()."""
    contexts: list[BrowserContext] = []

    def factory(**options: Any) -> BrowserContext:
        settings: dict[str, Any] = {
            "viewport": PHONE,
            "locale": "nl-NL",
            "timezone_id": "Europe/Amsterdam",
            "accept_downloads": True,
        }
        settings.update(options)
        context = browser.new_context(**settings)
        context.add_init_script(script=INIT_SCRIPT)
        context.on("request", lambda request: recorder.requests.append(request.url))
        context.on("console", lambda message: recorder.console.append(message))
        context.on("weberror", lambda error: recorder.page_errors.append(str(error.error)))
        contexts.append(context)
        return context

    yield factory
    for context in contexts:
        with contextlib.suppress(Exception):
            context.close()
    foreign = recorder.foreign_requests()
    assert not foreign, f"requests left the site's origin: {foreign}"
    violations = recorder.csp_violations()
    assert not violations, f"Content-Security-Policy violations: {violations}"
    unexpected = recorder.unexpected_page_errors()
    assert not unexpected, f"uncaught errors in the page: {unexpected}"


@pytest.fixture
def new_page(new_context: ContextFactory) -> PageFactory:
    """Factory: a page in a fresh context, or in ``context=`` (two tabs of one profile)."""

    def factory(context: BrowserContext | None = None, **options: Any) -> Page:
        return (context or new_context(**options)).new_page()

    return factory


@pytest.fixture
def open_checklist(new_page: PageFactory, site_server: SiteServer) -> ChecklistFactory:
    """Factory: the checklist page opened and (by default) with its engine ready."""

    def factory(
        context: BrowserContext | None = None, *, wait_engine: bool = True, **options: Any
    ) -> Checklist:
        checklist = Checklist(new_page(context, **options), site_server.url("checklist/"))
        checklist.open(wait_engine=wait_engine)
        return checklist

    return factory


@pytest.fixture
def download_dir(tmp_path: Path) -> Path:
    path = tmp_path / "downloads"
    path.mkdir()
    return path


@pytest.fixture
def shots(tmp_path: Path) -> Path:
    """Where a test saves screenshots: KCM_E2E_SHOTS (to look at them) or a temporary folder."""
    path = Path(os.environ.get("KCM_E2E_SHOTS") or tmp_path / "shots")
    path.mkdir(parents=True, exist_ok=True)
    return path


@pytest.fixture
def site_copy(site_dir: Path, tmp_path: Path) -> Path:
    """A private copy of the site, for tests that open it from file:// or change files."""
    target = tmp_path / "site"
    shutil.copytree(site_dir, target)
    return target
