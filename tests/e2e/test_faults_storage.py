"""The browser's storage fails: full, switched off, or holding a damaged record.

What the checklist promises (ARCHITECTURE.md §6): a write that fails is shown and never reported
as saved, and what was saved before stays; storage that cannot be used gives a warning, not a
crash; a record that cannot be read is kept aside and reported while the others still open.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from _offline_support import (
    Watch,
    local_storage,
    open_checklist,
    serving,
    watch_context,
)
from playwright.sync_api import Browser, Page, expect

pytestmark = pytest.mark.e2e

NAME = '[data-field-id="naam_kandidaat"]'
RECORD_PREFIX = "kcm:v1:assessment:"
QUARANTINE_PREFIX = "kcm:v1:quarantine:"

# Fills localStorage with filler keys until not one more character fits (halving the chunk
# after each refusal), so the next write of the checklist must fail on the quota.
FILL_STORAGE = """
() => {
  let chunk = "x".repeat(1 << 20);
  let n = 0;
  while (chunk.length > 0) {
    try {
      localStorage.setItem("test-filler:" + n, chunk);
      n += 1;
    } catch (error) {
      if (error.name !== "QuotaExceededError") throw error;
      chunk = chunk.slice(0, chunk.length >> 1);
    }
  }
  return n;
}
"""
EMPTY_FILLER = """
() => Object.keys(localStorage).filter((k) => k.startsWith("test-filler:"))
  .forEach((k) => localStorage.removeItem(k))
"""

# Private windows and locked-down browsers: each makes localStorage unusable in another way.
BROKEN_STORAGE = {
    # Safari's old private mode: reading works, every write fails on a quota of 0.
    "quota-0": """
      Storage.prototype.setItem = function () {
        throw new DOMException("The quota has been exceeded.", "QuotaExceededError");
      };
    """,
    # Site data blocked (Chromium's setting): even reaching localStorage throws.
    "blocked": """
      for (const name of ["localStorage", "sessionStorage"]) {
        Object.defineProperty(window, name, {
          configurable: true,
          get() {
            throw new DOMException("Access is denied for this document.", "SecurityError");
          },
        });
      }
    """,
    # A storage whose every call throws a SecurityError.
    "security-error": """
      for (const name of ["setItem", "getItem", "removeItem", "key", "clear"]) {
        Storage.prototype[name] = function () {
          throw new DOMException("Access is denied for this document.", "SecurityError");
        };
      }
    """,
}


@pytest.fixture
def site(site_dir: Path) -> Iterator[str]:
    with serving(site_dir) as server:
        yield server.url


def records(page: Page) -> dict[str, str]:
    return {k: v for k, v in local_storage(page).items() if k.startswith(RECORD_PREFIX)}


def test_full_storage_shows_the_write_error_and_keeps_what_was_saved(
    browser: Browser, site: str
) -> None:
    context = browser.new_context()
    watch = watch_context(context, site)
    page = context.new_page()
    open_checklist(page, site, engine=False)
    page.fill(NAME, "Eerder opgeslagen")
    expect(page.locator("[data-save-status]")).to_have_attribute("data-save-state", "ok")
    before = records(page)
    assert len(before) == 1

    assert page.evaluate(FILL_STORAGE) > 0
    page.fill(NAME, "Eerder opgeslagen, en dit past niet meer")
    page.locator('[data-criterion-id="2.1.1.a"] [data-role="checked"]').check()

    expect(page.locator('[data-banner="save-failed"]')).to_be_visible()
    expect(page.locator("[data-save-status]")).to_have_attribute("data-save-state", "error")
    # Never "saved" when it was not, and the saved record is byte for byte what it was.
    expect(page.locator("[data-save-status]")).not_to_contain_text("Opgeslagen in")
    assert records(page) == before

    # Room again: the next change saves everything on screen and the error goes away.
    page.evaluate(EMPTY_FILLER)
    page.fill('[data-field-id="bedrijf"]', "Belcentrum")
    expect(page.locator("[data-save-status]")).to_have_attribute("data-save-state", "ok")
    expect(page.locator('[data-banner="save-failed"]')).to_have_count(0)
    page.reload()
    page.wait_for_selector("[data-assessment-form]")
    expect(page.locator(NAME)).to_have_value("Eerder opgeslagen, en dit past niet meer")
    expect(page.locator('[data-criterion-id="2.1.1.a"] [data-role="checked"]')).to_be_checked()
    watch.assert_clean()
    context.close()


@pytest.mark.parametrize("kind", BROKEN_STORAGE)
def test_unusable_storage_gives_a_warning_and_no_uncaught_error(
    browser: Browser, site: str, kind: str
) -> None:
    context = browser.new_context()
    watch = watch_context(context, site)
    context.add_init_script(BROKEN_STORAGE[kind])
    page = context.new_page()
    open_checklist(page, site)

    banner = page.locator('[data-banner="storage"]')
    expect(banner).to_be_visible()
    expect(banner).to_contain_text("Opslaan werkt niet")
    # Still usable on screen (and exportable), but never claims to have saved.
    page.fill(NAME, "Alleen op het scherm")
    page.locator('[data-criterion-id="1.1.1.a"] [data-role="checked"]').check()
    expect(page.locator("[data-save-status]")).not_to_have_attribute("data-save-state", "ok")
    expect(page.locator('[data-outcome-id="1"]')).to_have_attribute("data-verdict", "fail")
    watch.assert_clean()
    context.close()


CORRUPT_RECORDS = {
    "not-json": '{"schema": 1, "rev": 3, "data": {"id": "kapot"',
    "no-envelope": '"alleen tekst"',
    "other-id": json.dumps(
        {"schema": 1, "rev": 1, "saved_at": "2026-11-27T09:00:00Z", "data": {"id": "iemand-anders"}}
    ),
    "bad-revision": json.dumps(
        {"schema": 1, "rev": -1, "saved_at": "2026-11-27T09:00:00Z", "data": {"id": "kapot"}}
    ),
}


@pytest.mark.parametrize("raw", CORRUPT_RECORDS.values(), ids=CORRUPT_RECORDS.keys())
def test_corrupt_record_is_kept_aside_and_reported_and_others_still_open(
    browser: Browser, site: str, raw: str
) -> None:
    context = browser.new_context()
    watch = watch_context(context, site)
    page = context.new_page()
    open_checklist(page, site, engine=False)
    page.fill(NAME, "Leesbare Kandidaat")
    expect(page.locator("[data-save-status]")).to_have_attribute("data-save-state", "ok")
    (good_key,) = records(page)
    page.evaluate(
        """([key, raw]) => {
          localStorage.setItem(key, raw);
          const index = JSON.parse(localStorage.getItem("kcm:v1:index"));
          index.ids.push("kapot");
          localStorage.setItem("kcm:v1:index", JSON.stringify(index));
        }""",
        [RECORD_PREFIX + "kapot", raw],
    )

    page.reload()
    page.wait_for_selector("[data-assessment-form]")
    banner = page.locator('[data-banner="quarantine"]')
    expect(banner).to_be_visible()
    expect(banner).to_contain_text("onleesbaar")
    assert_kept_aside(page, raw)
    # The readable assessment is listed and opens.
    item = page.locator(f'[data-assessment-id="{good_key.removeprefix(RECORD_PREFIX)}"]')
    expect(item).to_have_count(1)
    expect(page.locator(NAME)).to_have_value("Leesbare Kandidaat")
    expect(page.locator('[data-assessment-id="kapot"]')).to_have_count(0)
    watch.assert_clean()
    context.close()


def test_corrupt_index_is_kept_aside_and_no_assessment_is_lost(browser: Browser, site: str) -> None:
    context = browser.new_context()
    watch: Watch = watch_context(context, site)
    page = context.new_page()
    open_checklist(page, site, engine=False)
    for name in ("Eerste Kandidaat", "Tweede Kandidaat"):
        page.click('[data-action="new-assessment"]')
        page.fill(NAME, name)
        expect(page.locator("[data-save-status]")).to_have_attribute("data-save-state", "ok")
    page.evaluate("localStorage.setItem('kcm:v1:index', '{kapot')")

    page.reload()
    page.wait_for_selector("[data-assessment-form]")
    expect(page.locator('[data-banner="quarantine"]')).to_be_visible()
    assert_kept_aside(page, "{kapot")
    expect(page.locator("[data-assessment-id]")).to_have_count(2)
    watch.assert_clean()
    context.close()


def assert_kept_aside(page: Page, raw: str) -> None:
    """The unreadable text is stored, unchanged, under a quarantine key."""
    aside = [
        json.loads(value)
        for key, value in local_storage(page).items()
        if key.startswith(QUARANTINE_PREFIX)
    ]
    assert [entry["raw"] for entry in aside] == [raw]
