"""An import never overwrites silently, in Chromium: a record that is here already with other
content is a question, and each of the three answers does what it says; dismissing the question
changes nothing; a final record is never replaced by a draft; a time in the future never wins.
Also drafts with an n.v.t. without its reason: they export and import again, and finalising
them is refused with a sentence that names the criterion."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from _checklist import Checklist
from conftest import ChecklistFactory
from playwright.sync_api import Locator, expect

CHOICES = {
    "local": "Mijn versie houden",
    "incoming": "Versie uit het bestand nemen",
    "both": "Allebei houden",
}


def kcm_storage(checklist: Checklist) -> dict[str, str]:
    return {k: v for k, v in checklist.storage().items() if k.startswith("kcm:")}


def saved(checklist: Checklist) -> None:
    expect(checklist.page.locator("[data-save-status]")).to_have_attribute("data-save-state", "ok")


def one_assessment(checklist: Checklist, download_dir: Path) -> tuple[dict[str, Any], str]:
    """An assessment made in the page, and its export (name, data)."""
    checklist.fill_header(naam="Sam de Vries")
    checklist.tick("1.1.1.a")
    saved(checklist)
    name, content = checklist.download("export-json", download_dir)
    data: dict[str, Any] = json.loads(content)
    return data, name


def soon() -> str:
    """A minute from now: later than anything saved so far, but not suspect (the page treats
    a time more than five minutes ahead of its clock as suspect)."""
    return (datetime.now(UTC) + timedelta(minutes=1)).isoformat(timespec="milliseconds")


def later_version(data: dict[str, Any], updated: str | None = None) -> str:
    """The file's version: one more criterion ticked, another company, changed at `updated`
    (default: soon())."""
    changed = json.loads(json.dumps(data))
    changed["criteria"]["1.1.1.b"] = {"checked": True}
    changed["fields"]["bedrijf"] = "Ander Bedrijf"
    changed["updated"] = updated or soon()
    return json.dumps(changed)


def choice_group(checklist: Checklist, assessment_id: str) -> Locator:
    return checklist.dialog().locator(f'[data-choice="{assessment_id}"]')


@pytest.mark.parametrize("choice", list(CHOICES))
def test_a_differing_record_is_a_question_and_each_answer_does_what_it_says(
    open_checklist: ChecklistFactory, download_dir: Path, choice: str
) -> None:
    checklist = open_checklist()
    here, name = one_assessment(checklist, download_dir)
    before = checklist.only_record()
    theirs = later_version(here)

    checklist.import_file(name, theirs)
    dialog = checklist.dialog()
    expect(dialog).to_contain_text("Deze beoordeling staat hier al, in een andere versie")
    group = choice_group(checklist, here["id"])
    expect(group.locator("legend")).to_have_text("Beoordeling van Sam de Vries, 27-11-2026")
    expect(group).to_contain_text("Hier: concept, gewijzigd op")
    expect(group).to_contain_text("In het bestand: concept, gewijzigd op")
    expect(group).to_contain_text("1 criterium anders (1.1.1.b)")
    expect(group).to_contain_text("veld anders: Bedrijf")
    # The file's version is newer, so it is suggested; nothing happens before "Importeren".
    expect(group.get_by_label(CHOICES["incoming"])).to_be_checked()
    assert checklist.only_record() == before

    group.get_by_label(CHOICES[choice]).check()
    checklist.answer_dialog("Importeren")
    banner = checklist.banner("import")
    records = checklist.records()
    if choice == "local":
        expect(banner).to_contain_text("1 overgeslagen (je eigen versie blijft)")
        assert records == {here["id"]: before}
    elif choice == "incoming":
        expect(banner).to_contain_text("1 bijgewerkt")
        assert list(records) == [here["id"]]
        assert records[here["id"]]["data"] == json.loads(theirs)
        expect(checklist.checkbox("1.1.1.b")).to_be_checked()  # the open form shows it
    else:
        expect(banner).to_contain_text("1 als kopie toegevoegd")
        assert records[here["id"]] == before
        (copy_id,) = set(records) - {here["id"]}
        copy = records[copy_id]["data"]
        assert copy["status"] == "draft"
        assert copy["criteria"] == json.loads(theirs)["criteria"]
        assert copy["history"][-1]["action"] == "copied"
        assert copy["history"][-1]["from"] == here["id"]
        expect(checklist.list_items()).to_have_count(2)
        # The copy is a valid record: exporting everything and importing it changes nothing.
        all_name, everything = checklist.download("export-all-json", download_dir)
        checklist.import_file(all_name, everything)
        expect(banner).to_contain_text("2 stonden er al precies zo")
    assert "$." not in banner.inner_text()


@pytest.mark.parametrize("how", ["Annuleren", "Escape"])
def test_dismissing_the_question_changes_nothing_at_all(
    open_checklist: ChecklistFactory, download_dir: Path, how: str
) -> None:
    checklist = open_checklist()
    here, _ = one_assessment(checklist, download_dir)
    before = kcm_storage(checklist)
    fresh = {**json.loads(later_version(here)), "id": "nieuw-uit-bestand"}
    collection = {
        "format": "kcm-assessments",
        "format_version": 1,
        "assessments": [json.loads(later_version(here)), fresh],
    }
    checklist.import_file("twee.json", json.dumps(collection))
    expect(checklist.dialog()).to_contain_text("ook de nieuwe beoordeling uit het bestand")
    if how == "Escape":
        checklist.page.keyboard.press("Escape")
        expect(checklist.dialog()).to_be_hidden()
    else:
        checklist.answer_dialog("Annuleren")
    cancelled = "Importeren geannuleerd. Er is niets veranderd."
    expect(checklist.banner("import")).to_contain_text(cancelled)
    assert kcm_storage(checklist) == before
    expect(checklist.list_items()).to_have_count(1)


def test_a_final_record_is_never_replaced_by_a_draft(
    open_checklist: ChecklistFactory, download_dir: Path
) -> None:
    checklist = open_checklist()
    checklist.fill_header(naam="Afgerond")
    checklist.call_type("inbound").check()
    checklist.tick_all()
    saved(checklist)
    _, draft_file = checklist.download("export-json", download_dir)
    checklist.action("finalize").click()
    checklist.answer_dialog("Afronden")
    # Finalising waits for kcm_core's seal.
    expect(checklist.page.locator("[data-lock-notice]")).to_contain_text("Afgerond op")
    final = checklist.only_record()
    assert final["data"]["status"] == "final"
    # The draft in the file was changed later still, but it is a draft.
    theirs = later_version(json.loads(draft_file))

    checklist.import_file("concept.json", theirs)
    group = choice_group(checklist, final["data"]["id"])
    expect(group).to_contain_text("Hier: afgerond op")
    expect(group).to_contain_text("niet vervangen door een concept")
    expect(group.get_by_role("radio")).to_have_count(2)
    expect(group.get_by_label(CHOICES["incoming"])).to_have_count(0)
    expect(group.get_by_label(CHOICES["local"])).to_be_checked()
    checklist.answer_dialog("Importeren")
    expect(checklist.banner("import")).to_contain_text("1 overgeslagen")
    assert checklist.only_record() == final


def test_a_time_in_the_future_never_wins_silently(
    open_checklist: ChecklistFactory, download_dir: Path
) -> None:
    checklist = open_checklist()
    here, name = one_assessment(checklist, download_dir)
    before = checklist.only_record()
    theirs = later_version(here, updated="2099-01-01T00:00:00.000Z")

    checklist.import_file(name, theirs)
    group = choice_group(checklist, here["id"])
    expect(group).to_contain_text("de tijd in het bestand ligt in de toekomst")
    expect(group.get_by_label(CHOICES["local"])).to_be_checked()
    checklist.answer_dialog("Importeren")
    expect(checklist.banner("import")).to_contain_text("1 overgeslagen")
    assert checklist.only_record() == before


def test_a_draft_with_na_without_reason_round_trips_but_cannot_be_finalised(
    open_checklist: ChecklistFactory, download_dir: Path
) -> None:
    checklist = open_checklist()
    checklist.fill_header(naam="Nog Geen Reden")
    checklist.call_type("inbound").check()
    checklist.tick_all(except_ids=("2.4.2.b",))
    checklist.row("2.4.2.b").locator('[data-role="na"]').check()
    saved(checklist)
    record = checklist.only_record()["data"]
    assert record["criteria"]["2.4.2.b"] == {"checked": False, "na": True}

    # Export, delete everything, import: the same draft again.
    name, content = checklist.download("export-all-json", download_dir)
    checklist.action("delete-all").click()
    checklist.answer_dialog("Alles verwijderen")
    expect(checklist.list_items()).to_have_count(0)
    checklist.import_file(name, content)
    expect(checklist.banner("import")).to_contain_text("1 nieuwe beoordeling")
    assert checklist.only_record()["data"] == record

    # Finalising is refused: the dialog names the criterion, the focus goes to its remark.
    checklist.action("finalize").click()
    dialog = checklist.dialog()
    expect(dialog).to_contain_text("Nog niet compleet")
    expect(dialog).to_contain_text("2.4.2.b: schrijf een reden bij n.v.t.")
    assert "$." not in dialog.inner_text()
    checklist.answer_dialog("Terug naar het formulier")
    expect(checklist.remark("2.4.2.b")).to_be_focused()
    assert checklist.only_record()["data"]["status"] == "draft"
    expect(checklist.overall()).to_contain_text("Bij n.v.t. ontbreekt nog een reden: 2.4.2.b")

    checklist.remark("2.4.2.b").fill("Klant niet in de wacht gezet")
    checklist.action("finalize").click()
    expect(checklist.dialog()).to_contain_text("Beoordeling afronden?")
    checklist.answer_dialog("Afronden")
    expect(checklist.page.locator("[data-lock-notice]")).to_contain_text("Afgerond op")
    assert checklist.only_record()["data"]["status"] == "final"


def test_a_date_kcm_core_would_refuse_is_not_stored_and_the_field_says_why(
    open_checklist: ChecklistFactory,
) -> None:
    checklist = open_checklist()
    date = checklist.field("datum")
    assert (date.get_attribute("min"), date.get_attribute("max")) == ("0001-01-01", "9999-12-31")
    checklist.fill_header(naam="Datum Test")
    saved(checklist)
    assert checklist.only_record()["data"]["fields"]["datum"] == "2026-11-27"

    # A six-digit year, as a date input without max lets one type (its value is then
    # "020026-11-27"): stored as "", and the field keeps it and says what to do.
    date.fill("020026-11-27")
    hint = checklist.page.locator('[data-date-hint="datum"]')
    expect(hint).to_be_visible()
    expect(hint).to_contain_text("Vul een bestaande datum in, met een jaartal van vier cijfers.")
    expect(date).to_have_attribute("aria-invalid", "true")
    assert checklist.only_record()["data"]["fields"]["datum"] == ""

    date.fill("2026-11-28")
    expect(hint).to_be_hidden()
    expect(date).not_to_have_attribute("aria-invalid", "true")
    assert checklist.only_record()["data"]["fields"]["datum"] == "2026-11-28"
