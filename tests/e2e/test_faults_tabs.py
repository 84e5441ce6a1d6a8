"""Tabs that die and tabs that compete.

Phones kill background tabs without running unload handlers, so a change counts only once the
page says it is saved, and then it must survive the tab's death. Here the tab's renderer is
killed (SIGKILL) after every one of 50 random changes, and the reopened page must
show every acknowledged change. Two tabs editing one assessment in turns must lose nothing (or
one of them must say clearly that it cannot save).
"""

from __future__ import annotations

import os
import random
import signal
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from _offline_support import open_checklist, serving, watch_context
from conftest import CHROMIUM, CHROMIUM_ARGS
from playwright.sync_api import Browser, Page, expect

pytestmark = pytest.mark.e2e

SEED = 20261127
TEXT_FIELDS = ("bedrijf", "naam_kandidaat")
# Texts with what tends to go wrong: accents, emoji, quotes, markup, line breaks in remarks.
TEXTS = (
    "Jaïr Öztürk",
    "Belcentrum 'De Lijn' & Co",
    "<b>vet</b>",
    "😀 goed gedaan",
    "",
    "regel 1\nregel 2",
    "spatie aan het eind ",
)

# The state of the open assessment as the page shows it.
READ_STATE = """
() => {
  const form = document.querySelector("[data-assessment-form]");
  const fields = {};
  form.querySelectorAll("[data-field-id]").forEach((i) => { fields[i.dataset.fieldId] = i.value; });
  const checked = {};
  const remarks = {};
  form.querySelectorAll("[data-criterion-id]").forEach((row) => {
    const id = row.dataset.criterionId;
    checked[id] = row.querySelector('[data-role="checked"]').checked;
    remarks[id] = row.querySelector('[data-role="remark"]').value;
  });
  const conditions = {};
  form.querySelectorAll("input[data-condition-id]").forEach((i) => {
    conditions[i.dataset.conditionId + "=" + i.value] = i.checked;
  });
  return { fields, checked, remarks, conditions };
}
"""


@pytest.fixture
def site(site_dir: Path) -> Iterator[str]:
    with serving(site_dir) as server:
        yield server.url


def read_state(page: Page) -> dict[str, Any]:
    state: dict[str, Any] = page.evaluate(READ_STATE)
    return state


def saved(page: Page) -> None:
    """The page acknowledged the change: "saved" and no write error."""
    expect(page.locator("[data-save-status]")).to_have_attribute("data-save-state", "ok")
    expect(page.locator('[data-banner="save-failed"]')).to_have_count(0)


def random_change(page: Page, rng: random.Random, state: dict[str, Any]) -> str:
    """Make one change like an assessor would, update ``state`` to match, and describe it."""
    kind = rng.choice(["check", "check", "remark", "field", "condition"])
    if kind == "check":
        cid = rng.choice(sorted(state["checked"]))
        box = page.locator(f'[data-criterion-id="{cid}"] [data-role="checked"]')
        box.set_checked(not state["checked"][cid])
        state["checked"][cid] = not state["checked"][cid]
        return f"{cid} aangevinkt={state['checked'][cid]}"
    if kind == "remark":
        cid = rng.choice(sorted(state["remarks"]))
        text = rng.choice(TEXTS)
        page.fill(f'[data-criterion-id="{cid}"] [data-role="remark"]', text)
        state["remarks"][cid] = text
        return f"{cid} opmerking={text!r}"
    if kind == "field":
        fid = rng.choice(TEXT_FIELDS)
        text = rng.choice([t for t in TEXTS if "\n" not in t])
        page.fill(f'[data-field-id="{fid}"]', text)
        state["fields"][fid] = text
        return f"{fid}={text!r}"
    key = rng.choice(sorted(state["conditions"]))
    cond, value = key.split("=")
    box = page.locator(f'input[data-condition-id="{cond}"][value="{value}"]')
    box.set_checked(not state["conditions"][key])
    state["conditions"][key] = not state["conditions"][key]
    return f"{key}={state['conditions'][key]}"


def kill(browser: Browser, page: Page) -> None:
    """End the tab the way a phone does: its renderer process is killed (SIGKILL), so no
    unload, pagehide or visibilitychange handler runs. ``browser`` is a browser of this test
    alone with only this tab open: every renderer it has belongs to this tab."""
    session = browser.new_browser_cdp_session()
    processes = session.send("SystemInfo.getProcessInfo")["processInfo"]
    session.detach()
    renderers = [p["id"] for p in processes if p["type"] == "renderer"]
    assert renderers
    with page.expect_event("crash", timeout=10_000):
        for pid in renderers:
            os.kill(pid, signal.SIGKILL)
    page.close()


@pytest.fixture
def own_browser(browser: Browser) -> Iterator[Browser]:
    """A second Chromium for the kill test, so killing renderers cannot hit other tests' pages."""
    own = browser.browser_type.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
    yield own
    own.close()


def test_every_acknowledged_change_survives_the_tab_being_killed(
    own_browser: Browser, site: str
) -> None:
    browser = own_browser
    rng = random.Random(SEED)
    context = browser.new_context()
    watch = watch_context(context, site)
    page = context.new_page()
    open_checklist(page, site, engine=False)
    page.fill('[data-field-id="naam_kandidaat"]', "Eerste versie")
    saved(page)
    expected = read_state(page)
    history: list[str] = []
    for step in range(50):
        history.append(random_change(page, rng, expected))
        saved(page)
        kill(browser, page)
        page = context.new_page()
        page.goto(site + "checklist/")
        page.wait_for_selector("[data-assessment-form][data-status=draft]")
        assert read_state(page) == expected, f"na stap {step}: {history[-3:]}"
    watch.page_errors.clear()  # crashed pages report "Target crashed", which is the point
    watch.assert_clean()
    context.close()


def test_two_tabs_editing_one_assessment_in_turns_lose_no_change(
    browser: Browser, site: str
) -> None:
    rng = random.Random(SEED + 1)
    context = browser.new_context()
    watch = watch_context(context, site)
    first = context.new_page()
    open_checklist(first, site, engine=False)
    first.fill('[data-field-id="naam_kandidaat"]', "Gedeelde Kandidaat")
    saved(first)
    second = context.new_page()
    open_checklist(second, site, engine=False)
    # The second tab opened the same assessment (the most recently changed draft).
    expect(second.locator('[data-field-id="naam_kandidaat"]')).to_have_value("Gedeelde Kandidaat")

    expected = read_state(first)
    for turn in range(16):
        page = first if turn % 2 == 0 else second
        # Each tab acts on what it shows; it must have picked up the other tab's changes,
        # unless it clearly says it cannot save (a lock or conflict message).
        if not locked(page):
            expect_state(page, expected)
        random_change(page, rng, expected)
        if locked(page):
            continue
        saved(page)

    for page in (first, second):
        page.reload()
        page.wait_for_selector("[data-assessment-form]")
        expect_state(page, expected)
    watch.assert_clean()
    context.close()


def locked(page: Page) -> bool:
    notice = page.locator("[data-lock-notice]")
    return notice.count() > 0 and notice.is_visible()


def expect_state(page: Page, expected: dict[str, Any]) -> None:
    """The page shows ``expected``, allowing a moment for the other tab's storage event."""
    for _ in range(50):
        if read_state(page) == expected:
            return
        page.wait_for_timeout(100)
    assert read_state(page) == expected
