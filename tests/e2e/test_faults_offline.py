"""Offline after one visit, and new builds only when the assessor says so.

The server is really stopped (its socket closed, and checked), because Playwright's offline mode
does not cover the service worker's own requests. Assessors work in exam rooms without network;
one online visit must be enough for the whole site and the scoring engine.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from _offline_support import (
    ENGINE_TIMEOUT_MS,
    build_marker,
    copy_build_with_marker,
    open_checklist,
    serving,
    wait_for_offline_ready,
    watch_context,
)
from playwright.sync_api import Browser, Page, expect

pytestmark = pytest.mark.e2e

NAME = '[data-field-id="naam_kandidaat"]'
REMARK = '[data-criterion-id="1.1.1.a"] [data-role="remark"]'


def tick_eindterm(page: Page, eindterm_id: str) -> None:
    for box in page.locator(f'[data-criterion-id^="{eindterm_id}."] [data-role="checked"]').all():
        box.check()


def test_site_and_engine_work_with_the_server_stopped_after_one_visit(
    browser: Browser, site_dir: Path
) -> None:
    with serving(site_dir) as server:
        context = browser.new_context()
        watch = watch_context(context, server.url)
        page = context.new_page()
        open_checklist(page, server.url)
        wait_for_offline_ready(page)
        page.fill(NAME, "Kandidaat Zonder Netwerk")
        page.locator('[data-criterion-id="1.1.1.a"] [data-role="checked"]').check()
        expect(page.locator("[data-save-status]")).to_have_attribute("data-save-state", "ok")

        server.stop()

        page.reload()
        page.wait_for_selector("html[data-engine=ready]", timeout=ENGINE_TIMEOUT_MS)
        expect(page.locator(NAME)).to_have_value("Kandidaat Zonder Netwerk")
        expect(page.locator('[data-criterion-id="1.1.1.a"] [data-role="checked"]')).to_be_checked()
        # The engine really scores offline: a fully ticked Eindterm 1 passes.
        tick_eindterm(page, "1")
        expect(page.locator('[data-outcome-id="1"]')).to_have_attribute("data-verdict", "pass")

        # A new tab (the phone killed the old one) and the other pages work too.
        fresh = context.new_page()
        open_checklist(fresh, server.url)
        expect(fresh.locator(NAME)).to_have_value("Kandidaat Zonder Netwerk")
        for path in ("", "beoordelaars/", "privacy/", "eindterm-2/"):
            response = fresh.goto(server.url + path)
            assert response is not None
            assert response.ok, path
            assert response.from_service_worker, path
        watch.assert_clean()
        context.close()


def test_engine_starts_offline_from_the_precache_when_the_http_cache_was_emptied(
    browser: Browser, site_dir: Path
) -> None:
    # The service worker answers Pyodide's WebAssembly from the browser's HTTP cache first, for
    # the machine code Chromium keeps there (assets/kcm/sw-engine.js). A browser may drop its
    # HTTP cache at any time; the precache must then answer, with no network.
    with serving(site_dir) as server:
        context = browser.new_context()
        watch = watch_context(context, server.url)
        page = context.new_page()
        open_checklist(page, server.url)
        wait_for_offline_ready(page)
        page.reload()
        page.wait_for_selector("html[data-engine=ready]", timeout=ENGINE_TIMEOUT_MS)

        server.stop()
        cdp = context.new_cdp_session(page)
        cdp.send("Network.clearBrowserCache")
        cdp.detach()

        wasm: list[bool] = []
        page.on(
            "response",
            lambda r: wasm.append(r.from_service_worker) if r.url.endswith(".wasm") else None,
        )
        page.reload()
        page.wait_for_selector("html[data-engine=ready]", timeout=ENGINE_TIMEOUT_MS)
        tick_eindterm(page, "1")
        expect(page.locator('[data-outcome-id="1"]')).to_have_attribute("data-verdict", "pass")
        assert wasm in ([], [True]), wasm
        watch.assert_clean()
        context.close()


def test_new_build_is_offered_never_forced_and_never_mixed(
    browser: Browser, site_dir: Path, tmp_path: Path
) -> None:
    new_build = copy_build_with_marker(site_dir, tmp_path / "nieuw", "B")
    with serving(site_dir) as server:
        context = browser.new_context()
        watch = watch_context(context, server.url)
        page = context.new_page()
        open_checklist(page, server.url, engine=False)
        wait_for_offline_ready(page)
        page.fill(NAME, "Voor de update")

        # The server now has a new build; the assessor comes back to the page.
        server.stop()
        server.start(new_build)
        page.reload()
        page.wait_for_selector("[data-assessment-form]")
        assert build_marker(page) is None, "the page must come from the installed build"
        page.evaluate("window.__sameDocument = true")
        page.click(REMARK)
        page.keyboard.type("typen terwijl de nieuwe versie binnenkomt")

        banner = page.locator("[data-kcm-update]")
        expect(banner).to_be_visible(timeout=ENGINE_TIMEOUT_MS)
        expect(banner).to_contain_text("Nieuwe versie beschikbaar")
        page.keyboard.type(", en verder")
        page.wait_for_timeout(1500)
        # Nothing reloaded by itself: same document, same build, the text and focus intact.
        assert page.evaluate("window.__sameDocument === true")
        assert build_marker(page) is None
        expect(page.locator(REMARK)).to_be_focused()
        expect(page.locator(REMARK)).to_have_value(
            "typen terwijl de nieuwe versie binnenkomt, en verder"
        )

        # Another open tab of the site would get files of the new build halfway: refused.
        other = context.new_page()
        other.goto(server.url + "beoordelaars/")
        assert build_marker(other) is None
        page.click("[data-action=sw-update]")
        expect(page.locator("[data-kcm-update-note]")).to_contain_text("Sluit eerst")
        page.wait_for_timeout(1000)
        assert page.evaluate("window.__sameDocument === true")
        assert build_marker(other) is None
        other.close()

        with page.expect_navigation():
            page.click("[data-action=sw-update]")
        page.wait_for_selector("[data-assessment-form]")
        assert build_marker(page) == "B"
        assert page.evaluate("window.__sameDocument === undefined")
        expect(page.locator(NAME)).to_have_value("Voor de update")
        expect(page.locator(REMARK)).to_have_value(
            "typen terwijl de nieuwe versie binnenkomt, en verder"
        )
        expect(page.locator("[data-kcm-update]")).to_have_count(0)
        page.wait_for_selector("html[data-engine=ready]", timeout=ENGINE_TIMEOUT_MS)
        watch.assert_clean()
        context.close()


def test_later_hides_the_prompt_and_keeps_the_old_build(
    browser: Browser, site_dir: Path, tmp_path: Path
) -> None:
    new_build = copy_build_with_marker(site_dir, tmp_path / "nieuw", "C")
    with serving(site_dir) as server:
        context = browser.new_context()
        page = context.new_page()
        open_checklist(page, server.url, engine=False)
        wait_for_offline_ready(page)
        server.stop()
        server.start(new_build)
        page.reload()
        expect(page.locator("[data-kcm-update]")).to_be_visible(timeout=ENGINE_TIMEOUT_MS)
        page.click("[data-action=sw-later]")
        expect(page.locator("[data-kcm-update]")).to_have_count(0)
        assert build_marker(page) is None
        context.close()
