"""Feedback and next steps where the assessor is (issue 12): messages beside the control that
caused them, problems at finalising as sentences that lead to the criterion, and after
finalising, export, print and the next candidate on the spot the page returns to."""

from __future__ import annotations

from pathlib import Path

from _checklist import Checklist
from conftest import ChecklistFactory
from playwright.sync_api import Locator, expect

SCREEN_HEIGHT = 844  # conftest.PHONE


def in_view(node: Locator) -> bool:
    box = node.bounding_box()
    return box is not None and box["y"] >= 0 and box["y"] + box["height"] <= SCREEN_HEIGHT


def fill_everything(checklist: Checklist) -> None:
    checklist.fill_header()
    assessor = checklist.page.locator('[data-field-id="beoordelaar"]')
    if assessor.count():
        assessor.fill("A. Jansen")
    checklist.call_type("inbound").check()


def test_an_export_message_appears_beside_its_button_and_is_announced(
    open_checklist: ChecklistFactory, download_dir: Path
) -> None:
    checklist = open_checklist()
    fill_everything(checklist)
    checklist.download("export-json", download_dir)
    message = checklist.page.locator('.kcm-actions [data-banner="exported"]')
    expect(message).to_be_visible()
    expect(message).to_contain_text("persoonsgegevens")
    assert in_view(message)
    expect(checklist.page.locator("[data-banners] [data-banner]")).to_have_count(0)
    expect(checklist.page.locator("[data-announce]")).to_contain_text("persoonsgegevens")


def test_blocking_problems_are_sentences_that_lead_to_the_criterion(
    open_checklist: ChecklistFactory,
) -> None:
    checklist = open_checklist()
    fill_everything(checklist)
    checklist.tick_all(except_ids=("2.4.2.b",))
    checklist.row("2.4.2.b").locator('[data-role="na"]').check()
    checklist.checkbox("1.1.1.a").focus()
    checklist.action("finalize").click()
    dialog = checklist.dialog()
    expect(dialog).to_contain_text("Nog niet compleet")
    assert "$." not in dialog.inner_text()
    dialog.get_by_role("button", name="2.4.2.b: schrijf een reden bij n.v.t.").click()
    expect(dialog).to_be_hidden()
    expect(checklist.remark("2.4.2.b")).to_be_focused()
    assert checklist.only_record()["data"]["status"] == "draft"


def test_after_finalising_the_next_steps_are_on_the_spot(
    open_checklist: ChecklistFactory,
) -> None:
    checklist = open_checklist()
    page = checklist.page
    fill_everything(checklist)
    checklist.tick_all()
    checklist.action("finalize").click()
    checklist.answer_dialog("Afronden")
    done = page.locator("[data-done-text]")
    expect(done).to_be_focused()
    expect(done).to_contain_text("Afgerond op")
    for action in ("export-json", "export-csv", "print", "next-candidate"):
        button = checklist.action(action)
        expect(button).to_be_visible()
        assert in_view(button), action
    finished = checklist.only_record()["data"]["id"]
    checklist.action("next-candidate").click()
    expect(checklist.field("naam_kandidaat")).to_have_value("")
    expect(checklist.field("bedrijf")).to_be_focused()
    assert checklist.records()[finished]["data"]["status"] == "final"
