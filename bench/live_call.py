"""One candidate during a live call, at phone size: what it costs the assessor (issue 12).

The scenario, as an assessor on a 390 x 844 screen goes through it with one thumb: the header
fields, the call type (inbound), every applicable criterion ticked except one that is n.v.t. by
hand with a reason, two remarks, finalise, export as JSON. It counts

- **taps**: every click, and every tap into a field before typing (typing itself is not a tap);
- **screen-heights scrolled**: every scroll movement of the page, up or down, whoever caused it
  (the assessor, or the page moving the focus), divided by the screen's height;
- **page height**: the page with a new assessment, everything laid out (the checklist lets the
  browser skip laying out onderdelen far off screen; they are laid out here, as they are once
  the assessor has scrolled past them).

Playwright scrolls a control into view before it clicks it, as a user scrolls to what they tap
next; no figure here is a time. ``bench.__main__`` prints the figures in the table (targets:
``bench.results``); ``tests/e2e/test_live_call_*.py`` checks the behaviour behind them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from playwright.sync_api import Locator, Page

PHONE = {"width": 390, "height": 844}
# The engine may take a while on a loaded machine; the scenario waits for its verdict.
ENGINE_TIMEOUT_MS = 120_000

# Added before the page's own scripts: sums every scroll movement of the page.
SCROLL_COUNTER = """
(() => {
  let last = 0;
  window.__kcmScrolled = 0;
  addEventListener("scroll", () => {
    window.__kcmScrolled += Math.abs(window.scrollY - last);
    last = window.scrollY;
  }, { passive: true, capture: true });
})();
"""

# The criterion set n.v.t. by hand (it allows that), and the two with a remark.
NA_CRITERION = "2.4.2.b"
NA_REASON = "Klant niet in de wacht gezet"
REMARKS = {"2.2.1.e": "Samenvatting kon korter", "3.1.1.b": "Goed doorgevraagd"}
HEADER = {
    "bedrijf": "Bel & Co",
    "naam_kandidaat": "Jan de Vries",
    "datum": "2026-11-27",
    "geboortedatum_kandidaat": "2001-05-04",
    "beoordelaar": "A. Jansen",
}


@dataclass(frozen=True, slots=True)
class LiveCall:
    """The figures of one run of the scenario."""

    page_height_px: int
    taps: int
    scrolled_px: float
    screen_px: int

    @property
    def screens(self) -> float:
        return self.scrolled_px / self.screen_px


def page_height(page: Page) -> int:
    """The page's height with every onderdeel laid out (their content-visibility undone)."""
    height: int = page.evaluate(
        """() => {
            document.querySelectorAll('.kcm-onderdeel').forEach((e) => {
                e.style.contentVisibility = 'visible';
            });
            return document.documentElement.scrollHeight;
        }"""
    )
    page.evaluate(
        "() => document.querySelectorAll('.kcm-onderdeel')"
        ".forEach((e) => { e.style.contentVisibility = ''; })"
    )
    return height


class _Thumb:
    """Taps, counted."""

    def __init__(self, page: Page) -> None:
        self.page = page
        self.taps = 0

    def tap(self, target: Locator) -> None:
        target.click()
        self.taps += 1

    def type_into(self, target: Locator, text: str) -> None:
        """Tap into a field (one tap), then type."""
        self.tap(target)
        target.press_sequentially(text)


def run(page: Page, url: str) -> LiveCall:
    """The scenario on ``page`` (a fresh profile), the checklist at ``url``."""
    page.set_viewport_size(PHONE)  # type: ignore[arg-type]
    page.add_init_script(SCROLL_COUNTER)
    page.goto(url)
    page.locator("html[data-engine=ready]").wait_for(state="attached", timeout=ENGINE_TIMEOUT_MS)
    height = page_height(page)
    page.evaluate("() => { window.scrollTo(0, 0); window.__kcmScrolled = 0; }")
    thumb = _Thumb(page)

    for field_id, value in HEADER.items():
        field = page.locator(f'[data-field-id="{field_id}"]')
        # A field the page fills in itself (Datum: today; the assessor's remembered name) is
        # left as it is, as an assessor would.
        if field.count() and not field.input_value():
            if field.get_attribute("type") == "date":
                field.fill(value)
                thumb.taps += 1
            else:
                thumb.type_into(field, value)
    thumb.tap(page.locator('input[data-condition-id="gesprekstype"][value="inbound"]'))
    _wait_until_scored(page)

    rows = page.locator("[data-criterion-id]")
    for index in range(rows.count()):
        row = rows.nth(index)
        cid = row.get_attribute("data-criterion-id")
        if row.get_attribute("data-not-applicable") is not None:
            continue
        if cid == NA_CRITERION:
            # n.v.t. moves the focus to the remark, which then is open: type the reason.
            thumb.tap(row.locator('[data-role="na"]'))
            page.keyboard.type(NA_REASON)
            continue
        thumb.tap(row.locator('[data-role="checked"]'))
        if cid in REMARKS:
            thumb.tap(row.locator('[data-action="remark"]'))
            page.keyboard.type(REMARKS[cid])

    thumb.tap(page.locator('[data-action="finalize"]'))
    dialog = page.locator("dialog[data-dialog]")
    thumb.tap(dialog.get_by_role("button", name="Afronden", exact=True))
    page.locator("[data-done-text]").wait_for(state="visible")
    with page.expect_download():
        thumb.tap(page.locator('[data-action="export-json"]'))
    scrolled: float = page.evaluate("() => window.__kcmScrolled")
    return LiveCall(
        page_height_px=height, taps=thumb.taps, scrolled_px=scrolled, screen_px=PHONE["height"]
    )


def _wait_until_scored(page: Page) -> None:
    """Until kcm_core has said which criteria apply to an inbound call."""
    page.locator('[data-criterion-id="2.4.1.b"][data-not-applicable]').wait_for(
        state="attached", timeout=ENGINE_TIMEOUT_MS
    )


def as_json(call: LiveCall) -> dict[str, Any]:
    return {
        "page_height_px": call.page_height_px,
        "taps": call.taps,
        "scrolled_px": round(call.scrolled_px),
        "screens": round(call.screens, 2),
    }
