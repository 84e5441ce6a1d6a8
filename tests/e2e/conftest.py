"""End-to-end fixtures: the real site, built once, served on 127.0.0.1, driven in Chromium.

Reusable by every test under tests/e2e/ (the checklist tests and the fault tests):

- ``site_dir`` (session): the complete site, the session's ``built_site`` (tests/conftest.py),
  shared with the tests in tests/site. Set ``KCM_E2E_SITE=/path/to/site`` to test an existing
  build instead (handy while iterating).
- ``site_server`` (session): :class:`SiteServer` (``_offline_support``) on a random free port;
  ``url("checklist/")``, ``stop()``/``start()`` (same port, for honest offline tests) and
  ``stopped()``.
- ``browser`` (session): Debian's Chromium (``bench/chromium.py``), never a downloaded one.
  Without it every end-to-end test fails with how to install it, unless ``KCM_SKIP_E2E=1``
  asks to skip them (the run then says loudly how many were skipped).
- ``new_context`` / ``new_page`` / ``open_checklist`` (per test): factories. Each context is a
  fresh browser profile (empty localStorage), phone-sized by default, and its requests, console
  messages and page errors go to the test's :class:`Recorder` (``_offline_support``), which
  also sees Content-Security-Policy violations. At the end of the test every context is closed
  and the test fails when a request left the site's origin, a page threw an uncaught error, or
  the CSP blocked something.
- helpers to read and seed localStorage and to drive the checklist: ``_checklist.Checklist``.
"""

from __future__ import annotations

import contextlib
import os
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from _checklist import Checklist
from _offline_support import Recorder as Recorder
from _offline_support import SiteServer as SiteServer
from playwright.sync_api import Browser, BrowserContext, Page, sync_playwright

from bench import chromium
from bench.chromium import CHROMIUM as CHROMIUM
from bench.chromium import chromium_missing

# The benchmark's Chromium flags, plus one for the tests only: V8 compiles WebAssembly with its
# baseline compiler alone (no optimising tier-up in the background). Every test page starts
# Pyodide in a fresh profile, and that tier-up of its 9.6 MB wasm is work that a page living a
# few seconds never profits from: the end-to-end suite needs about 17 % less CPU with this flag.
# The behaviour under test is the same; bench/ measures start-up with the plain flags.
CHROMIUM_ARGS = [*chromium.CHROMIUM_ARGS, "--js-flags=--liftoff-only"]

PHONE = {"width": 390, "height": 844}
LAPTOP = {"width": 1280, "height": 900}

# KCM_SKIP_E2E=1 skips the end-to-end tests on purpose (no browser here); anything else runs them.
SKIP_E2E = os.environ.get("KCM_SKIP_E2E", "") not in ("", "0")
_skipped_e2e: list[str] = []


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    here = Path(__file__).parent
    for item in items:
        if here in Path(str(item.fspath)).parents:
            item.add_marker(pytest.mark.e2e)
            if SKIP_E2E:
                item.add_marker(pytest.mark.skip(reason="KCM_SKIP_E2E=1"))
                _skipped_e2e.append(item.nodeid)


def pytest_terminal_summary(terminalreporter: Any) -> None:
    if _skipped_e2e:
        terminalreporter.section("END-TO-END TESTS SKIPPED", sep="!", red=True, bold=True)
        terminalreporter.write_line(
            f"{len(_skipped_e2e)} end-to-end tests did not run (KCM_SKIP_E2E=1): nothing was "
            "tested in a browser. Unset KCM_SKIP_E2E to run them.",
            red=True,
            bold=True,
        )


@pytest.fixture(scope="session", autouse=True)
def _chromium_present() -> None:
    """Every end-to-end test fails at once, saying how to get Chromium, when it is missing."""
    problem = chromium_missing()
    if problem is not None:
        pytest.fail(f"{problem} Or set KCM_SKIP_E2E=1 to skip the end-to-end tests.")


# ------------------------------------------------------------------------------------------
# The site and its server


@pytest.fixture(scope="session")
def site_dir(request: pytest.FixtureRequest) -> Path:
    """The session's ``built_site``, or the existing build named by KCM_E2E_SITE."""
    given = os.environ.get("KCM_E2E_SITE")
    if given:
        path = Path(given).resolve()
        if not (path / "checklist" / "index.html").is_file():
            pytest.fail(f"KCM_E2E_SITE={given} holds no built site (checklist/index.html)")
        return path
    built: Path = request.getfixturevalue("built_site")
    return built


@pytest.fixture(scope="session")
def site_server(site_dir: Path) -> Iterator[SiteServer]:
    server = SiteServer(site_dir)
    yield server
    server.stop()


# ------------------------------------------------------------------------------------------
# The browser


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


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
        recorder.record(context)
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
