"""Personal data of candidates: removable, never in URLs or titles, exports say what they hold.

A checklist holds names and birth dates of candidates, on shared phones and laptops in exam rooms.
"Alles verwijderen" must leave nothing the site wrote (the test lists the storage afterwards),
no URL or page title may carry a name, and the privacy page must tell what is kept where.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from urllib.parse import unquote, unquote_plus

import pytest
from _offline_support import (
    html_pages,
    local_storage,
    open_checklist,
    serving,
    wait_for_offline_ready,
    watch_context,
)
from playwright.sync_api import Browser, Page, expect

pytestmark = pytest.mark.e2e

NAME = "Privé Kandidaatnaam"
COMPANY = "Geheim Bedrijf BV"
BIRTH_DATE = "1999-12-31"
SECRETS = (NAME, COMPANY, BIRTH_DATE, "Kandidaatnaam", "Geheim")

# Everything the origin holds in this tab that a page can list.
LIST_STORAGE = """
async () => ({
  local: Object.keys(localStorage),
  session: Object.keys(sessionStorage),
  cookies: document.cookie,
  indexedDB: (await indexedDB.databases()).map((db) => db.name),
  caches: await caches.keys(),
})
"""


@pytest.fixture(scope="module")
def site(site_dir: Path) -> Iterator[str]:
    with serving(site_dir) as server:
        yield server.url


def fill_candidate(page: Page, name: str = NAME) -> None:
    page.click('[data-action="new-assessment"]')
    page.fill('[data-field-id="naam_kandidaat"]', name)
    page.fill('[data-field-id="bedrijf"]', COMPANY)
    page.fill('[data-field-id="datum"]', "2026-11-27")
    page.fill('[data-field-id="geboortedatum_kandidaat"]', BIRTH_DATE)
    page.locator('input[data-condition-id="gesprekstype"][value="inbound"]').check()
    expect(page.locator("[data-save-status]")).to_have_attribute("data-save-state", "ok")


def test_delete_all_leaves_no_key_the_site_wrote(browser: Browser, site: str) -> None:
    context = browser.new_context()
    watch = watch_context(context, site)
    page = context.new_page()
    # Use the site the way an assessor does, so that every kind of key gets written: the
    # colour choice (Material), a search, assessments, the open one per tab, a damaged record.
    page.goto(site)
    page.locator("form[data-md-component=palette] label").first.click()
    page.keyboard.press("s")
    page.keyboard.type("klant")
    page.keyboard.press("Escape")
    open_checklist(page, site)
    wait_for_offline_ready(page)
    fill_candidate(page)
    fill_candidate(page, "Tweede Kandidaat")
    page.evaluate("localStorage.setItem('kcm:v1:assessment:kapot', '{kapot')")
    page.reload()
    expect(page.locator('[data-banner="quarantine"]')).to_be_visible()
    before = page.evaluate(LIST_STORAGE)
    assert len(before["local"]) >= 4, before

    page.click('[data-action="delete-all"]')
    page.locator('[data-dialog] [data-dialog-value="yes"]').click()
    expect(page.locator("[data-assessment-id]")).to_have_count(0)

    left = page.evaluate(LIST_STORAGE)
    assert left["local"] == []
    assert left["session"] == []
    assert left["cookies"] == ""
    assert left["indexedDB"] == []
    # Only the service worker's copy of the site's own files stays (no personal data in it).
    assert all(name.startswith("kcm-precache") for name in left["caches"]), left["caches"]
    # And after a reload nothing comes back.
    page.reload()
    page.wait_for_selector("[data-assessment-form]")
    expect(page.locator("[data-assessment-id]")).to_have_count(0)
    assert [k for k in local_storage(page) if k.startswith("kcm:")] == []
    watch.assert_clean()
    context.close()


def test_exports_warn_that_they_hold_personal_data(browser: Browser, site: str) -> None:
    context = browser.new_context(accept_downloads=True)
    page = context.new_page()
    open_checklist(page, site)
    fill_candidate(page)
    for action in ("export-json", "export-csv", "export-all-json", "export-all-csv"):
        with page.expect_download():
            page.click(f'[data-action="{action}"]')
        banner = page.locator('[data-banner="exported"]')
        expect(banner).to_contain_text("persoonsgegevens")
    context.close()


def test_no_personal_data_in_urls_or_page_titles(browser: Browser, site: str) -> None:
    context = browser.new_context(accept_downloads=True)
    urls: list[str] = []
    titles: list[str] = []
    context.on("request", lambda request: urls.append(request.url))
    page = context.new_page()
    page.on("framenavigated", lambda frame: urls.append(frame.url))
    open_checklist(page, site)
    fill_candidate(page)
    titles.append(page.title())
    fill_candidate(page, "Tweede Kandidaat")
    # Switch back to the first one (the list offers "Openen" on the one that is not open).
    page.locator('[data-assessment-id] [data-action="open"]').first.click()
    expect(page.locator('[data-field-id="naam_kandidaat"]')).to_have_value(NAME)
    titles.append(page.title())
    page.locator('[data-criterion-id="1.1.1.a"] [data-role="remark"]').fill(f"{NAME} deed het goed")
    with page.expect_download():
        page.click('[data-action="export-json"]')
    page.reload()
    page.wait_for_selector("html[data-engine=ready]")
    titles.append(page.title())
    urls.append(page.url)
    urls.extend(page.evaluate("performance.getEntries().map((e) => e.name)"))

    for text in urls + titles:
        for form in (text, unquote(text), unquote_plus(text)):
            for secret in SECRETS:
                assert secret not in form, (secret, text)
    context.close()


def test_privacy_page_says_what_is_stored_where_and_how_to_remove_it(
    browser: Browser, site: str, site_dir: Path
) -> None:
    assert "privacy/" in html_pages(site_dir)
    context = browser.new_context()
    page = context.new_page()
    page.goto(site + "privacy/")
    text = page.locator("article").inner_text()
    # What and where: every storage key prefix the checklist uses, and the offline copy.
    for needed in (
        "localStorage",
        "kcm:v1:assessment:",
        "kcm:v1:quarantine:",
        "sessionStorage",
        "service worker",
    ):
        assert needed in text, needed
    # How to remove it: the button as the checklist names it, and the browser's own way.
    button = context.new_page()
    button.goto(site + "checklist/")
    label = button.locator('[data-action="delete-all"]').inner_text().strip()
    assert label in text
    assert "beginscherm" in text
    context.close()
