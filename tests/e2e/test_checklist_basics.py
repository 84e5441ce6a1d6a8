"""The checklist in Chromium: ticking, saving, live verdicts, phone width, keyboard and screen
readers."""

from __future__ import annotations

from _checklist import Checklist
from conftest import ChecklistFactory
from playwright.sync_api import Route, expect


def test_ticking_works_and_is_saved_before_the_engine_is_ready(
    open_checklist: ChecklistFactory,
) -> None:
    held: list[Route] = []
    holding = [True]

    def hold(route: Route) -> None:
        if holding[0]:
            held.append(route)
        else:
            route.continue_()

    checklist = open_checklist(wait_engine=False)
    page = checklist.page
    # Hold every engine file back: the page must be fully usable while the engine "loads".
    page.route("**/engine/**", hold)
    checklist.reload(wait_engine=False)
    assert checklist.engine_state == "loading"
    expect(page.locator("[data-engine-status]")).to_contain_text("Rekenmodule laden")

    checklist.field("naam_kandidaat").fill("Ada")
    checklist.tick("1.1.1.a")
    record = checklist.only_record()
    assert record["data"]["criteria"] == {"1.1.1.a": {"checked": True}}
    assert record["data"]["fields"]["naam_kandidaat"] == "Ada"
    expect(checklist.overall()).not_to_have_attribute("data-verdict", "fail")
    expect(checklist.overall()).to_contain_text("rekenmodule")

    holding[0] = False
    for route in held:
        route.continue_()
    checklist.wait_engine("ready")
    checklist.expect_verdicts("fail", et1="fail", et2="fail", et3="fail")
    expect(checklist.outcome("1")).to_contain_text("1 van 4 criteria gehaald")


def test_ticks_remarks_and_fields_survive_a_reload(open_checklist: ChecklistFactory) -> None:
    checklist = open_checklist()
    checklist.fill_header()
    checklist.call_type("inbound").check()
    checklist.tick("2.1.1.a")
    checklist.tick("3.2.1.d")
    checklist.remark("2.1.1.b").fill("Sprak wat zacht")
    checklist.eindterm_remark("2").fill("Goed gesprek")
    expect(checklist.page.locator("[data-save-status]")).to_contain_text("Opgeslagen")

    checklist.reload()
    expect(checklist.checkbox("2.1.1.a")).to_be_checked()
    expect(checklist.checkbox("3.2.1.d")).to_be_checked()
    expect(checklist.checkbox("1.1.1.a")).not_to_be_checked()
    expect(checklist.remark("2.1.1.b")).to_have_value("Sprak wat zacht")
    expect(checklist.page.locator('textarea[data-remark-id="2"]')).to_have_value("Goed gesprek")
    expect(checklist.field("naam_kandidaat")).to_have_value("Jan de Vries")
    expect(checklist.field("datum")).to_have_value("2026-11-27")
    expect(checklist.call_type("inbound")).to_be_checked()
    expect(checklist.call_type("outbound")).not_to_be_checked()
    expect(checklist.list_items()).to_have_count(1)
    expect(checklist.list_items().first).to_contain_text("Jan de Vries")

    data = checklist.only_record()["data"]
    assert data["criteria"] == {
        "2.1.1.a": {"checked": True},
        "2.1.1.b": {"checked": False, "remark": "Sprak wat zacht"},
        "3.2.1.d": {"checked": True},
    }
    assert data["conditions"] == {"gesprekstype": ["inbound"]}
    assert data["remarks"] == {"2": "Goed gesprek"}


def test_verdicts_follow_every_change(open_checklist: ChecklistFactory) -> None:
    checklist = open_checklist()
    checklist.tick_all()
    checklist.expect_verdicts("pass", et1="pass", et2="pass", et3="pass")
    expect(checklist.overall()).to_contain_text("geslaagd")

    checklist.tick("2.2.1.a", on=False)
    checklist.expect_verdicts("fail", et1="pass", et2="fail", et3="pass")
    missing = checklist.outcome("2").locator("[data-outcome-missing]")
    expect(missing).to_contain_text("2.2.1.a")
    expect(missing).to_contain_text("Neemt alle opmerkingen van de klant mee")
    expect(checklist.overall().locator("[data-reasons]")).to_contain_text("Eindterm 2")

    checklist.tick("2.2.1.a")
    checklist.tick("2.4.1.b", on=False)
    checklist.expect_verdicts("fail", et2="fail")
    # An inbound call: the outbound-only criterion is n.v.t. and the candidate passes again.
    checklist.call_type("inbound").check()
    checklist.expect_verdicts("pass", et2="pass")
    expect(checklist.row("2.4.1.b")).to_have_attribute("data-not-applicable", "")
    expect(checklist.row("2.4.1.b").locator("[data-criterion-note]")).to_contain_text("n.v.t.")
    # Both call types: the criterion applies again.
    checklist.call_type("outbound").check()
    checklist.expect_verdicts("fail", et2="fail")
    expect(checklist.page.locator("[data-summary]")).to_have_attribute("data-verdict", "fail")


def test_a_manual_na_needs_a_reason_before_it_counts(open_checklist: ChecklistFactory) -> None:
    checklist = open_checklist()
    checklist.tick_all(except_ids=("2.4.2.b",))
    checklist.expect_verdicts("fail", et2="fail")
    checklist.row("2.4.2.b").locator('[data-role="na"]').check()
    # Focus moves to the remark, and the page says what is missing; no verdict meanwhile.
    expect(checklist.remark("2.4.2.b")).to_be_focused()
    expect(checklist.row("2.4.2.b").locator("[data-criterion-note]")).to_contain_text("waarom")
    expect(checklist.overall()).not_to_have_attribute("data-verdict", "pass")
    expect(checklist.overall()).to_contain_text("reden")
    checklist.remark("2.4.2.b").fill("Niet in de wacht gezet")
    checklist.expect_verdicts("pass", et2="pass")
    assert checklist.only_record()["data"]["criteria"]["2.4.2.b"] == {
        "checked": False,
        "na": True,
        "remark": "Niet in de wacht gezet",
    }


def test_phone_width_has_no_sideways_scrolling_and_44px_targets(
    open_checklist: ChecklistFactory,
) -> None:
    checklist = open_checklist(wait_engine=False)
    page = checklist.page
    checklist.tick("1.1.1.a")  # a list item with its buttons exists too
    overflow = page.evaluate(
        "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0
    too_small = page.evaluate(
        """() => {
            const app = document.querySelector('[data-kcm-app]');
            const targets = app.querySelectorAll(
              'button, input[type=text], input[type=date], textarea, .kcm-criterion__label,'
              + ' .kcm-na label, .kcm-check label, .kcm-jump__link, .kcm-summary__link,'
              + ' .kcm-file label'
            );
            return Array.from(targets)
              .filter((el) => el.offsetParent !== null)
              .map((el) => [el.className || el.tagName, el.getBoundingClientRect().height])
              .filter(([, h]) => h < 44);
        }"""
    )
    assert too_small == []


def test_everything_is_reachable_by_keyboard(open_checklist: ChecklistFactory) -> None:
    checklist = open_checklist()
    page = checklist.page
    checklist.field("naam_kandidaat").focus()
    page.keyboard.type("Kees")
    # Tab on from the name to the first criterion's checkbox; tick it with the space bar.
    for _ in range(40):
        page.keyboard.press("Tab")
        if page.evaluate("() => document.activeElement.getAttribute('data-role')") == "checked":
            break
    focused_row = page.evaluate(
        "() => document.activeElement.closest('[data-criterion-id]').dataset.criterionId"
    )
    assert focused_row == "1.1.1.a"
    page.keyboard.press("Space")
    expect(checklist.checkbox("1.1.1.a")).to_be_checked()
    assert checklist.only_record()["data"]["criteria"] == {"1.1.1.a": {"checked": True}}
    # A dialog opens with the keyboard and Escape closes it without doing anything.
    checklist.action("finalize").focus()
    page.keyboard.press("Enter")
    expect(checklist.dialog()).to_be_visible()
    page.keyboard.press("Escape")
    expect(checklist.dialog()).to_be_hidden()
    assert checklist.only_record()["data"]["status"] == "draft"


def test_verdict_changes_are_announced_to_screen_readers(open_checklist: ChecklistFactory) -> None:
    checklist = open_checklist()
    live = checklist.page.locator("[data-announce]")
    expect(live).to_have_attribute("aria-live", "polite")
    checklist.tick_all(except_ids=("3.1.1.a",))
    checklist.expect_verdicts("fail", et3="fail")
    checklist.tick("3.1.1.a")
    checklist.expect_verdicts("pass", et3="pass")
    expect(live).to_have_text("Eindterm 3 nu gehaald. Uitslag: geslaagd.")


def test_labels_name_every_control(open_checklist: ChecklistFactory) -> None:
    checklist: Checklist = open_checklist(wait_engine=False)
    unnamed = checklist.page.evaluate(
        """() => Array
            .from(document.querySelectorAll('[data-kcm-app] input, [data-kcm-app] textarea'))
            .filter((el) => !el.labels || !el.labels.length || !el.labels[0].textContent.trim())
            .map((el) => el.outerHTML)"""
    )
    assert unnamed == []
