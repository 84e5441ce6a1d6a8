"""Markup and script in any text end up on screen as text, never as HTML.

Two sources of text are attacked: a rubric (the site is built from a modified copy whose every
kind of text carries a payload) and the assessor's input (every text field and remark of the
checklist, and an imported file). On every page: no JavaScript dialog, no element that a payload
would create (``data-kcm-xss``), no CSP violation, and the payload readable as typed.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from _offline_support import html_pages, open_checklist, serving, watch_context
from playwright.sync_api import Browser, BrowserContext, FilePayload, Page, expect

pytestmark = pytest.mark.e2e

RUBRIC_PATH = Path(__file__).resolve().parents[2] / "rubric" / "klantcontact.json"

# Each payload would create an element with data-kcm-xss, run a dialog, or both, if it were
# treated as HTML (or as Markdown: the rubric pages are Markdown).
PAYLOADS = (
    '<img src=x onerror="alert(1)" data-kcm-xss>',
    "<script data-kcm-xss>alert(2)</script>",
    '"><svg data-kcm-xss onload=alert(3)>',
    "</textarea><b data-kcm-xss>vet</b>",
    "[klik](javascript:alert(4)) {{7*7}} *geen nadruk* `code`",
    "&lt;i data-kcm-xss&gt; &amp;amp; &#60;u data-kcm-xss&#62;",
    '<a href="javascript:alert(5)" data-kcm-xss>link</a>',
    "<style data-kcm-xss>body{display:none}</style>",
)

FIND_INJECTED = "document.querySelectorAll('[data-kcm-xss]').length"
# The text a visitor sees, with runs of white space made single (as on screen).
VISIBLE_TEXT = "document.body.innerText.replace(/\\s+/g, ' ')"


def hostile_rubric() -> dict[str, Any]:
    """The KCM rubric with a payload in every kind of text a rubric has."""
    data: dict[str, Any] = json.loads(RUBRIC_PATH.read_text(encoding="utf-8"))
    cycle = iter(PAYLOADS * 20)

    def spike(obj: dict[str, Any], key: str) -> None:
        obj[key] = f"{obj[key]} {next(cycle)}"

    spike(data, "title")
    for field in data["fields"]:
        spike(field, "label")
    for condition in data["conditions"]:
        spike(condition, "label")
        for option in condition["options"]:
            spike(option, "label")
    for eindterm in data["eindtermen"]:
        spike(eindterm, "title")
        spike(eindterm, "text")
        for onderdeel in eindterm["onderdelen"]:
            spike(onderdeel, "text")
            for proces in onderdeel["processen"]:
                spike(proces, "text")
                for criterion in proces["criteria"][:2]:
                    spike(criterion, "text")
    return data


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from build_tools.site import build_site

    folder = tmp_path_factory.mktemp("xss")
    rubric = folder / "rubric.json"
    rubric.write_text(json.dumps(hostile_rubric(), ensure_ascii=False), encoding="utf-8")
    out = folder / "site"
    build_site(out, rubric)
    return out


@pytest.fixture(scope="module")
def hostile_url(hostile_site: Path) -> Iterator[str]:
    with serving(hostile_site) as server:
        yield server.url


@pytest.fixture(scope="module")
def site(site_dir: Path) -> Iterator[str]:
    """The normal site, for text that comes from the assessor."""
    with serving(site_dir) as server:
        yield server.url


@pytest.fixture
def browser_context(browser: Browser) -> Iterator[BrowserContext]:
    context = browser.new_context()
    yield context
    context.close()


def assert_nothing_injected(page: Page) -> None:
    assert page.evaluate(FIND_INJECTED) == 0, page.url


def test_rubric_text_is_shown_as_text_on_every_page(
    browser_context: BrowserContext, hostile_url: str, hostile_site: Path
) -> None:
    site = hostile_url
    watch = watch_context(browser_context, site)
    page = browser_context.new_page()
    seen: set[str] = set()
    for path in html_pages(hostile_site):
        page.goto(site + path)
        page.wait_for_load_state("load")
        assert_nothing_injected(page)
        text = page.evaluate(VISIBLE_TEXT)
        seen.update(p for p in PAYLOADS if p in text)
    # Every payload appears somewhere, exactly as written (Markdown left alone too).
    assert seen == set(PAYLOADS)
    open_checklist(page, site)
    assert_nothing_injected(page)
    watch.assert_clean()


def test_typed_text_is_shown_as_text_after_saving_and_reloading(
    browser_context: BrowserContext, site: str
) -> None:
    watch = watch_context(browser_context, site)
    page = browser_context.new_page()
    open_checklist(page, site)
    boxes = page.locator(
        '[data-assessment-form] input[type="text"][data-field-id], [data-assessment-form] textarea'
    )
    count = boxes.count()
    assert count >= 40  # 2 text fields, 37 criterion remarks, Eindterm and general remarks
    typed = {}
    for i in range(count):
        payload = PAYLOADS[i % len(PAYLOADS)]
        boxes.nth(i).fill(payload)
        typed[i] = payload
    expect(page.locator("[data-save-status]")).to_have_attribute("data-save-state", "ok")
    assert_nothing_injected(page)

    page.reload()
    page.wait_for_selector("html[data-engine=ready]")
    for i, payload in typed.items():
        expect(boxes.nth(i)).to_have_value(payload)
    # The name is also shown outside the field: the list of assessments and the form title.
    name = page.locator('[data-field-id="naam_kandidaat"]').input_value()
    expect(page.locator("[data-assessment-id]").first).to_contain_text(name)
    assert_nothing_injected(page)
    watch.assert_clean()


def test_finalize_dialog_shows_rubric_and_typed_text_as_text(
    browser_context: BrowserContext, hostile_url: str
) -> None:
    site = hostile_url
    watch = watch_context(browser_context, site)
    page = browser_context.new_page()
    open_checklist(page, site)
    page.fill('[data-field-id="bedrijf"]', PAYLOADS[0])
    page.fill('[data-field-id="naam_kandidaat"]', PAYLOADS[1])
    page.fill('[data-field-id="datum"]', "2026-11-27")
    page.fill('[data-field-id="geboortedatum_kandidaat"]', "2001-05-04")
    page.fill('[data-field-id="beoordelaar"]', PAYLOADS[2])
    page.locator('input[data-condition-id="gesprekstype"][value="inbound"]').check()
    page.click('[data-action="finalize"]')
    dialog = page.locator("[data-dialog]")
    expect(dialog).to_be_visible()
    # The dialog lists the unticked criteria with their (hostile) rubric text.
    expect(dialog).to_contain_text(PAYLOADS[0])
    assert_nothing_injected(page)
    watch.assert_clean()


def test_imported_text_is_shown_as_text(
    browser_context: BrowserContext, site: str, site_dir: Path
) -> None:
    watch = watch_context(browser_context, site)
    page = browser_context.new_page()
    open_checklist(page, site)
    rubric = json.loads((site_dir / "engine" / "rubric.json").read_text(encoding="utf-8"))
    data = {
        "format": "kcm-assessment",
        "format_version": 1,
        "id": "xss-import",
        "rubric": {"id": rubric["id"], "version": rubric["version"]},
        "fields": {"bedrijf": PAYLOADS[2], "naam_kandidaat": PAYLOADS[3]},
        "criteria": {"1.1.1.a": {"checked": True, "remark": PAYLOADS[4]}},
        "remarks": {"": PAYLOADS[5]},
        "status": "draft",
        "created": "2026-11-27T09:12:00Z",
        "updated": "2026-11-27T09:12:00Z",
    }
    payload = FilePayload(
        name="aanval.json", mimeType="application/json", buffer=json.dumps(data).encode()
    )
    page.set_input_files('input[type=file][data-action="import"]', files=[payload])
    item = page.locator('[data-assessment-id="xss-import"]')
    expect(item).to_contain_text(PAYLOADS[3])
    # Opened at once when it is the only one, else opened from the list.
    open_button = item.locator('[data-action="open"]')
    if open_button.count():
        open_button.click()
    expect(page.locator('[data-field-id="bedrijf"]')).to_have_value(PAYLOADS[2])
    expect(page.locator('[data-criterion-id="1.1.1.a"] [data-role="remark"]')).to_have_value(
        PAYLOADS[4]
    )
    assert_nothing_injected(page)
    watch.assert_clean()
