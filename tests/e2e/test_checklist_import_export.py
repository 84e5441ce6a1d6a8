"""Export and import: a round trip gives identical data; a bad file changes nothing and says
what is wrong and where (in words of the form, never as a path); a collection with a bad record
imports the good ones and names the bad one; an import never silently overwrites a newer local
version (the choices themselves: test_import_choices.py)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from _checklist import Checklist
from conftest import ChecklistFactory
from playwright.sync_api import expect


def make_two_assessments(checklist: Checklist) -> None:
    checklist.fill_header(naam="Eerste Kandidaat")
    checklist.call_type("inbound").check()
    checklist.tick_all()
    checklist.remark("1.1.1.b").fill("Volgde het script; zie notitie")
    checklist.action("finalize").click()
    checklist.answer_dialog("Afronden")
    # Finalising waits for kcm_core's seal.
    expect(checklist.page.locator("[data-lock-notice]")).to_contain_text("Afgerond op")
    checklist.action("new-assessment").click()
    checklist.fill_header(naam="Tweede", datum="2026-11-28", geboortedatum="")
    checklist.tick("2.1.1.a")
    checklist.page.locator('textarea[data-remark-id=""]').fill('Zei "tot ziens" 😀')
    expect(checklist.list_items()).to_have_count(2)


def kcm_storage(checklist: Checklist) -> dict[str, str]:
    return {k: v for k, v in checklist.storage().items() if k.startswith("kcm:")}


def test_export_all_delete_all_import_gives_identical_data(
    open_checklist: ChecklistFactory, download_dir: Path
) -> None:
    checklist = open_checklist()
    make_two_assessments(checklist)
    before = {i: r["data"] for i, r in checklist.records().items()}

    name, content = checklist.download("export-all-json", download_dir)
    exported = json.loads(content)
    assert exported["format"] == "kcm-assessments"
    assert exported["format_version"] == 1
    assert {a["id"]: a for a in exported["assessments"]} == before
    expect(checklist.banner("exported")).to_contain_text("persoonsgegevens")

    checklist.action("delete-all").click()
    checklist.answer_dialog("Alles verwijderen")
    assert kcm_storage(checklist) == {}
    expect(checklist.list_items()).to_have_count(0)

    checklist.import_file(name, content)
    expect(checklist.banner("import")).to_contain_text("2 nieuwe beoordelingen")
    expect(checklist.list_items()).to_have_count(2)
    after = {i: r["data"] for i, r in checklist.records().items()}
    assert after == before
    # Importing the same file again changes nothing.
    revs = {i: r["rev"] for i, r in checklist.records().items()}
    checklist.import_file(name, content)
    expect(checklist.banner("import")).to_contain_text("2 stonden er al precies zo")
    assert {i: r["rev"] for i, r in checklist.records().items()} == revs

    # The CSV of all: one row per criterion per assessment, for Excel.
    _, csv = checklist.download("export-all-csv", download_dir)
    text = csv.decode("utf-8-sig")
    assert csv.startswith(b"\xef\xbb\xbf")
    assert len(text.strip().split("\r\n")) == 1 + 2 * 37
    assert '"Volgde het script; zie notitie"' in text


def _valid_assessment(checklist: Checklist) -> dict[str, Any]:
    checklist.fill_header(naam="Origineel")
    checklist.tick("1.1.1.a")
    data: dict[str, Any] = checklist.only_record()["data"]
    return data


BAD_FILES: list[tuple[str, Any, str]] = [
    ("truncated", lambda good: json.dumps(good)[:-40], "regel"),
    ("another-format", lambda good: "naam;datum\nJan;2026-11-27\n", "JSON"),
    (
        "another-kind-of-json",
        lambda good: json.dumps({"format": "kcm-rubric", "id": "x"}),
        "Soort bestand: dit is geen kcm-beoordeling",
    ),
    (
        "another-rubric",
        lambda good: json.dumps({**good, "rubric": {"id": "klantcontact", "version": "0.9.0"}}),
        "Formulier: deze beoordeling hoort bij rubric 'klantcontact' versie '0.9.0'",
    ),
    (
        "another-rubric-content",
        lambda good: json.dumps({**good, "rubric": {**good["rubric"], "sha256": "0" * 64}}),
        "Formulier: ",
    ),
    (
        "unknown-criterion",
        lambda good: json.dumps({**good, "criteria": {"9.9.9.z": {"checked": True}}}),
        "Criterium 9.9.9.z: ",
    ),
    (
        "all-bad-among-many",
        lambda good: json.dumps(
            {
                "format": "kcm-assessments",
                "format_version": 1,
                "assessments": [
                    {**good, "id": "nieuw-1", "status": "klaar"},
                    {**good, "id": "nieuw-2", "fields": {**good["fields"], "datum": "morgen"}},
                ],
            }
        ),
        "Beoordeling 2 in het bestand, veld Datum: ongeldige datum 'morgen'",
    ),
    ("prototype-pollution", lambda good: json.dumps({**good, "__proto__": {"x": 1}}), "__proto__"),
]


@pytest.mark.parametrize(("case", "make", "where"), BAD_FILES, ids=[c[0] for c in BAD_FILES])
def test_a_bad_import_changes_nothing_and_says_where(
    open_checklist: ChecklistFactory, case: str, make: Any, where: str
) -> None:
    checklist = open_checklist()
    good = _valid_assessment(checklist)
    before = kcm_storage(checklist)
    checklist.import_file(f"{case}.json", make(good))
    banner = checklist.banner("import")
    expect(banner).to_contain_text("Niet ingelezen")
    expect(banner).to_contain_text("Er is niets veranderd")
    expect(banner.locator(".kcm-problems")).to_contain_text(where)
    assert "$." not in banner.inner_text(), "places are words of the form, never paths"
    assert kcm_storage(checklist) == before
    expect(checklist.list_items()).to_have_count(1)


def test_a_collection_imports_its_good_records_and_names_the_bad_ones(
    open_checklist: ChecklistFactory,
) -> None:
    checklist = open_checklist()
    good = _valid_assessment(checklist)
    nameless = {**good, "id": "nieuw-3", "status": "klaar"}
    del nameless["id"]
    collection = {
        "format": "kcm-assessments",
        "format_version": 1,
        "assessments": [
            {**good, "id": "nieuw-1"},
            {**good, "id": "nieuw-2", "status": "klaar"},
            nameless,
        ],
    }
    checklist.import_file("drie.json", json.dumps(collection))
    banner = checklist.banner("import")
    expect(banner).to_contain_text("Ingelezen: drie.json")
    expect(banner).to_contain_text("1 nieuwe beoordeling, 2 niet ingelezen.")
    items = banner.locator("li")
    expect(items).to_have_count(2)
    expect(items.nth(0)).to_contain_text(
        "Beoordeling 2 in het bestand (id nieuw-2): Status: verwacht 'draft' of 'final'"
    )
    expect(items.nth(1)).to_contain_text("Beoordeling 3 in het bestand (zonder id): ")
    assert "$." not in banner.inner_text()
    assert set(checklist.records()) == {good["id"], "nieuw-1"}


def test_a_name_with_markup_is_shown_as_text(
    open_checklist: ChecklistFactory, download_dir: Path
) -> None:
    checklist = open_checklist()
    good = _valid_assessment(checklist)
    hostile = (
        '<img src=x onerror="document.title=\'pwned\'"><script>document.title="pwned"</script>'
    )
    data = {**good, "id": "xss-1", "fields": {**good["fields"], "naam_kandidaat": hostile}}
    checklist.import_file("xss.json", json.dumps(data))
    expect(checklist.banner("import")).to_contain_text("1 nieuwe beoordeling")
    item = checklist.list_item("xss-1")
    expect(item).to_contain_text(hostile)
    assert item.locator("img, script").count() == 0
    item.locator('[data-action="open"]').click()
    expect(checklist.field("naam_kandidaat")).to_have_value(hostile)
    expect(checklist.page.locator("[data-form-title]")).to_have_text("Beoordeling van " + hostile)
    # The rubric's data block is the page's one script element there, and it never runs.
    hostile_nodes = "[data-kcm-app] img, [data-kcm-app] script:not([type='application/json'])"
    assert checklist.page.locator(hostile_nodes).count() == 0
    assert checklist.page.title() != "pwned"


def test_an_import_that_would_overwrite_a_newer_local_version_asks_first(
    open_checklist: ChecklistFactory, download_dir: Path
) -> None:
    checklist = open_checklist()
    checklist.fill_header(naam="Versie")
    checklist.tick("1.1.1.a")
    name, old_file = checklist.download("export-json", download_dir)
    checklist.tick("1.1.1.b")  # the local copy is now newer than the file
    newer = checklist.only_record()

    checklist.import_file(name, old_file)
    dialog = checklist.dialog()
    expect(dialog).to_contain_text("staat hier al, in een andere versie")
    expect(dialog).to_contain_text("Beoordeling van Versie")
    expect(dialog).to_contain_text("1 criterium anders (1.1.1.b)")
    # The stored version is the newer one: keeping it is what is suggested.
    expect(dialog.get_by_label("Mijn versie houden")).to_be_checked()
    checklist.answer_dialog("Annuleren")
    expect(checklist.banner("import")).to_contain_text("niets veranderd")
    assert checklist.only_record() == newer

    checklist.import_file(name, old_file)
    checklist.answer_dialog("Importeren")
    expect(checklist.banner("import")).to_contain_text("1 overgeslagen (je eigen versie blijft)")
    assert checklist.only_record() == newer

    checklist.import_file(name, old_file)
    checklist.dialog().get_by_label("Versie uit het bestand nemen").check()
    checklist.answer_dialog("Importeren")
    expect(checklist.banner("import")).to_contain_text("1 bijgewerkt")
    record = checklist.only_record()
    assert record["data"] == json.loads(old_file)
    assert record["rev"] == newer["rev"] + 1
    # The open form shows the imported version.
    expect(checklist.checkbox("1.1.1.b")).not_to_be_checked()
