"""A new assessor at phone width, from an empty browser to a finalised, printed, exported
assessment: the whole workflow of issue 5 in one session, as a user would go through it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from _checklist import Checklist
from conftest import LAPTOP, ChecklistFactory
from playwright.sync_api import expect


def test_new_assessor_at_phone_width_end_to_end(
    open_checklist: ChecklistFactory, download_dir: Path, shots: Path
) -> None:
    checklist = open_checklist()
    page = checklist.page
    expect(page.locator("[data-list-empty]")).to_be_visible()
    expect(checklist.list_items()).to_have_count(0)
    page.screenshot(path=shots / "phone-01-empty.png")

    # The call, as it happens: candidate, call type, ticks, remarks.
    checklist.fill_header(geboortedatum="")
    checklist.call_type("inbound").check()
    checklist.tick_all(except_ids=("3.2.1.d", "2.4.2.b"))
    checklist.row("2.4.2.b").locator('[data-role="na"]').check()
    checklist.remark("2.4.2.b").fill("Klant niet in de wacht gezet")
    checklist.remark("2.2.1.e").fill("Samenvatting kon korter")
    checklist.eindterm_remark("3").fill("Let op positief taalgebruik")
    page.locator('textarea[data-remark-id=""]').fill("Rustig en vriendelijk gesprek")
    checklist.expect_verdicts("fail", et1="pass", et2="pass", et3="fail")
    # During the call the sticky bar shows progress, not a verdict (issue 12).
    expect(page.locator("[data-summary]")).to_contain_text("Voorlopig 35/36")
    expect(page.locator("[data-summary]")).not_to_contain_text("Niet geslaagd")
    checklist.outcome("3").scroll_into_view_if_needed()
    page.screenshot(path=shots / "phone-02-filling.png")

    # Afronden checks the required fields first.
    checklist.action("finalize").click()
    expect(checklist.dialog()).to_contain_text("Nog niet compleet")
    expect(checklist.dialog()).to_contain_text("Geboortedatum Kandidaat")
    page.screenshot(path=shots / "phone-03-missing-field.png")
    checklist.answer_dialog("Terug naar het formulier")
    expect(checklist.field("geboortedatum_kandidaat")).to_be_focused()
    checklist.field("geboortedatum_kandidaat").fill("2001-05-04")

    # Then it lists the unticked criteria and asks to confirm.
    checklist.action("finalize").click()
    dialog = checklist.dialog()
    expect(dialog).to_contain_text("Beoordeling afronden?")
    expect(dialog).to_contain_text("niet geslaagd")
    expect(dialog).to_contain_text("3.2.1.d Is het visitekaartje")
    expect(dialog).not_to_contain_text("2.4.2.b")  # n.v.t. with a reason: not "unticked"
    expect(dialog).not_to_contain_text("2.4.1.b")  # outbound only, this was inbound
    page.screenshot(path=shots / "phone-04-confirm-fail.png")
    checklist.answer_dialog("Annuleren")
    assert checklist.only_record()["data"]["status"] == "draft"

    checklist.tick("3.2.1.d")
    checklist.expect_verdicts("pass", et3="pass")
    checklist.action("finalize").click()
    expect(checklist.dialog()).to_contain_text("Alle criteria die van toepassing zijn")
    checklist.answer_dialog("Afronden")

    # Final: read-only, recorded, shown as such in the list. Finalising waits for the engine's
    # check, so wait until the page shows it before reading storage.
    expect(page.locator("[data-lock-notice]")).to_contain_text("Afgerond op")
    data = checklist.only_record()["data"]
    assert data["status"] == "final"
    assert data["finalized"]
    assert [h["action"] for h in data["history"]] == ["finalized"]
    expect(checklist.checkbox("1.1.1.a")).to_be_disabled()
    expect(checklist.field("naam_kandidaat")).to_be_disabled()
    expect(checklist.action("finalize")).to_be_hidden()
    expect(checklist.overall()).to_contain_text("geslaagd")
    expect(checklist.overall()).not_to_contain_text("voorlopig")
    item = checklist.list_item(data["id"])
    expect(item).to_contain_text("Jan de Vries")
    expect(item).to_contain_text("27-11-2026")
    expect(item).to_contain_text("Afgerond")
    expect(item).to_contain_text("Geslaagd")
    page.screenshot(path=shots / "phone-05-final.png")

    # Print: the paper form with ticks, results, remarks and signature lines.
    checklist.action("print").click()
    expect(page.locator("html")).to_have_attribute("data-printed", "1")
    page.emulate_media(media="print")
    expect(page.locator(".kcm-signatures")).to_be_visible()
    expect(page.locator('[data-print-remark="3"]')).to_have_text("Let op positief taalgebruik")
    expect(page.locator("[data-assessment-list]")).to_be_hidden()
    expect(checklist.remark("2.2.1.e")).to_be_hidden()
    expect(checklist.row("2.2.1.e").locator("[data-print-remark-criterion]")).to_be_visible()
    page.screenshot(path=shots / "phone-06-print.png", full_page=True)
    page.emulate_media(media="screen")

    # Export: JSON (exactly what is stored) and CSV for Excel, with the privacy warning.
    name, content = checklist.download("export-json", download_dir)
    assert name == "kcm-Jan-de-Vries-2026-11-27.json"
    assert json.loads(content) == data
    expect(checklist.banner("exported")).to_contain_text("persoonsgegevens")
    name, content = checklist.download("export-csv", download_dir)
    assert name.endswith(".csv")
    assert content.startswith(b"\xef\xbb\xbf")
    lines = content.decode("utf-8-sig").split("\r\n")
    assert lines[0].startswith("Beoordeling-id;Bedrijf;Naam Kandidaat;Datum;")
    assert len([line for line in lines if line]) == 1 + 37
    assert ";geslaagd;A. Jansen;Eindterm 1;gehaald;" in lines[1]
    page.screenshot(path=shots / "phone-07-exported.png")

    # Reopening is possible and recorded.
    page.locator('[data-action="reopen"]').click()
    checklist.answer_dialog("Heropenen")
    data = checklist.only_record()["data"]
    assert data["status"] == "draft"
    assert data["finalized"] is None
    assert [h["action"] for h in data["history"]] == ["finalized", "reopened"]
    expect(checklist.checkbox("1.1.1.a")).to_be_enabled()

    # Delete, with a confirmation that can be cancelled.
    item.locator('[data-action="delete"]').click()
    expect(checklist.dialog()).to_contain_text("Beoordeling van Jan de Vries verwijderen?")
    checklist.answer_dialog("Annuleren")
    expect(checklist.list_items()).to_have_count(1)
    item.locator('[data-action="delete"]').click()
    checklist.answer_dialog("Verwijderen")
    expect(checklist.list_items()).to_have_count(0)
    assert checklist.records() == {}
    expect(checklist.field("naam_kandidaat")).to_have_value("")


def test_several_assessments_in_the_list(open_checklist: ChecklistFactory) -> None:
    checklist = open_checklist()
    checklist.fill_header(naam="Eerste")
    checklist.tick_all()
    checklist.action("new-assessment").click()
    expect(checklist.field("naam_kandidaat")).to_have_value("")
    expect(checklist.field("bedrijf")).to_be_focused()
    checklist.fill_header(naam="Tweede", datum="2026-11-28")
    checklist.tick("1.1.1.a")
    expect(checklist.list_items()).to_have_count(2)
    first = checklist.list_items().filter(has_text="Eerste")
    second = checklist.list_items().filter(has_text="Tweede")
    expect(first).to_contain_text("Geslaagd")
    expect(first).to_contain_text("Concept")
    expect(second).to_contain_text("Niet geslaagd")
    expect(second).to_have_attribute("aria-current", "true")

    first.locator('[data-action="open"]').click()
    expect(checklist.field("naam_kandidaat")).to_have_value("Eerste")
    checklist.expect_verdicts("pass")
    # Reload keeps the assessment this tab had open.
    checklist.reload()
    expect(checklist.field("naam_kandidaat")).to_have_value("Eerste")

    checklist.action("delete-all").click()
    expect(checklist.dialog()).to_contain_text("Alle 2 beoordelingen")
    checklist.answer_dialog("Alles verwijderen")
    expect(checklist.list_items()).to_have_count(0)
    assert not [k for k in checklist.storage() if k.startswith("kcm:")]


@pytest.mark.parametrize("viewport", [LAPTOP], ids=["laptop"])
def test_laptop_layout_screenshots(
    open_checklist: ChecklistFactory, shots: Path, viewport: dict[str, int]
) -> None:
    checklist: Checklist = open_checklist(viewport=viewport)
    page = checklist.page
    checklist.fill_header()
    checklist.call_type("outbound").check()
    checklist.tick_all(except_ids=("2.1.2.d",))
    checklist.expect_verdicts("fail", et2="fail")
    page.screenshot(path=shots / "laptop-01-top.png")
    checklist.outcome("2").scroll_into_view_if_needed()
    page.screenshot(path=shots / "laptop-02-outcome.png")
    page.emulate_media(media="print")
    page.screenshot(path=shots / "laptop-03-print.png", full_page=True)
