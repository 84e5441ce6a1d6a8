"""The Content-Security-Policy holds in a real browser on every page, with the engine loaded.

tests/site/test_offline_build.py checks the policy as text; here Chromium enforces it. Any
``securitypolicyviolation`` event fails a test (a CSP in <meta> cannot report anywhere, so the
page itself must be watched), and so does any request to another host.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from _offline_support import (
    Watch,
    html_pages,
    open_checklist,
    serving,
    watch_context,
)
from playwright.sync_api import Browser, Page, expect

pytestmark = pytest.mark.e2e

# The smallest valid WebAssembly module: magic number and version.
EMPTY_WASM = "[0, 97, 115, 109, 1, 0, 0, 0]"


@pytest.fixture(scope="module")
def site(site_dir: Path) -> Iterator[str]:
    with serving(site_dir) as server:
        yield server.url


@pytest.fixture
def watched(browser: Browser, site: str) -> Iterator[tuple[Page, Watch]]:
    context = browser.new_context()
    watch = watch_context(context, site)
    yield context.new_page(), watch
    context.close()


def test_no_violation_on_any_page_with_search_palette_and_engine(
    watched: tuple[Page, Watch], site: str, site_dir: Path
) -> None:
    page, watch = watched
    pages = html_pages(site_dir)
    assert "checklist/" in pages
    assert len(pages) >= 10
    for path in pages:
        response = page.goto(site + path)
        assert response is not None
        assert response.ok, path
        page.wait_for_load_state("load")
        # The policy in force is the one the build wrote (and only one).
        metas = page.locator('meta[http-equiv="Content-Security-Policy"]')
        expect(metas).to_have_count(1)
    # Material's search runs in its own worker; the colour switch writes to storage.
    page.goto(site)
    page.keyboard.press("s")
    page.keyboard.type("klant")
    expect(page.locator(".md-search-result__item").first).to_be_visible()
    page.keyboard.press("Escape")
    page.locator("form[data-md-component=palette] label").first.click()
    # The checklist with the scoring engine (Pyodide in a worker) loaded and used.
    open_checklist(page, site)
    page.locator('[data-criterion-id="1.1.1.a"] [data-role="checked"]').check()
    expect(page.locator('[data-result="overall"]')).to_have_attribute("data-verdict", "fail")
    watch.assert_clean()


def test_policy_blocks_eval_inline_code_and_foreign_scripts(
    watched: tuple[Page, Watch], site: str
) -> None:
    page, watch = watched
    open_checklist(page, site, engine=False)
    # Code run by the test itself is exempt from the page's CSP (DevTools), so each attempt
    # makes the page run the code: a timer with a string (eval), an event handler attribute, an
    # inline and a data: script element.
    ran = page.evaluate(
        """() => new Promise((resolve) => {
          setTimeout("window.__evalRan = true", 0);
          const button = document.createElement("button");
          button.setAttribute("onclick", "window.__handlerRan = true");
          document.body.append(button);
          button.click();
          const inline = document.createElement("script");
          inline.textContent = "window.__inlineRan = true";
          document.head.append(inline);
          const data = document.createElement("script");
          data.src = "data:text/javascript,window.__dataRan=true";
          document.head.append(data);
          setTimeout(() => resolve([window.__evalRan, window.__handlerRan,
                                    window.__inlineRan, window.__dataRan]), 500);
        })"""
    )
    assert ran == [None, None, None, None]
    # Each refusal was reported as a violation: the watcher that the other tests rely on sees
    # them.
    violations = watch.collected()["csp"]
    for expected in (
        "script-src blocked eval",
        "script-src-attr blocked inline",
        "script-src-elem blocked inline",
        "script-src-elem blocked data",
    ):
        assert any(v.startswith(expected) for v in violations), (expected, violations)


def test_policy_allows_webassembly_for_the_engine(watched: tuple[Page, Watch], site: str) -> None:
    page, watch = watched
    open_checklist(page, site, engine=False)
    compiled = page.evaluate(
        f"WebAssembly.compile(new Uint8Array({EMPTY_WASM})).then(() => true, (e) => e.name)"
    )
    assert compiled is True
    watch.assert_clean()
