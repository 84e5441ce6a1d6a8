"""The "Wijzigingen" page (``build_tools.changes_page``) and each rubric's pages and navigation
(``build_tools.site_pages``): plain functions, tested without MkDocs."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from build_tools import site_pages
from build_tools.changes_page import changes_page
from build_tools.site_rubrics import load_site_rubrics
from kcm_core.model import Rubric
from kcm_core.rubric_load import load_rubric_file, rubric_from_data
from tests.conftest import KCM_RUBRIC, TEST_RUBRICS, multi_rubric_folder

OLD = load_rubric_file(TEST_RUBRICS / "archive" / "teamleider" / "1.0.0.json")
NEW = load_rubric_file(TEST_RUBRICS / "teamleider.json")
PAGES = {"1": "eindterm-1.md", "2": "eindterm-2.md"}


def same_as(rubric_path: Path, version: str) -> Rubric:
    data = json.loads(rubric_path.read_text(encoding="utf-8"))
    data["version"] = version
    return rubric_from_data(data)


def test_a_reworded_criterion_shows_the_old_and_the_new_text() -> None:
    page = changes_page([OLD, NEW], eindterm_pages=PAGES)
    assert "- Criterium 2\\.1\\.1\\.c is anders geformuleerd\\." in page
    assert "    - Eerst: “Vat de besluiten samen\\.”" in page
    assert "    - Nu: “Vat de besluiten kort samen\\.”" in page


def test_a_removed_criterion_shows_its_text_and_links_nowhere() -> None:
    page = changes_page([OLD, NEW], eindterm_pages=PAGES)
    removed = page.split("Criterium 2\\.1\\.1\\.d is weggehaald\\.", 1)[1].split("\n", 2)
    assert removed[0] == ""
    assert removed[1] == "    - Tekst: “Sluit af met de actiepunten\\.”"


def test_a_criterion_of_the_current_version_links_to_its_place() -> None:
    page = changes_page([OLD, NEW], eindterm_pages=PAGES)
    assert "[Bekijk 2\\.1\\.1\\.c](eindterm-2.md#2.1.1.c)" in page


def test_versions_are_listed_newest_first_and_only_the_newest_links() -> None:
    newest = same_as(TEST_RUBRICS / "teamleider.json", "1.2.0")
    page = changes_page([OLD, NEW, newest], eindterm_pages=PAGES)
    first = page.index("## Van versie 1\\.1\\.0 naar 1\\.2\\.0")
    second = page.index("## Van versie 1\\.0\\.0 naar 1\\.1\\.0")
    assert first < second
    assert "In deze versie is niets veranderd" in page[first:second]
    assert "(eindterm-2.md#" not in page[second:]


def test_a_changes_page_needs_two_versions() -> None:
    with pytest.raises(ValueError, match="at least two"):
        changes_page([NEW], eindterm_pages=PAGES)


def test_a_site_with_one_rubric_has_no_changes_page_and_no_list_of_others() -> None:
    site = load_site_rubrics(KCM_RUBRIC)
    assert site_pages.CHANGES_PAGE not in site_pages.section_pages(site.main, main=True)
    assert site_pages.other_rubrics_block(site) == ""
    titles = [next(iter(item)) for item in site_pages.site_nav(site)]
    assert titles[:6] == [
        "Start",
        "Eindtermen",
        "Zo wordt beoordeeld",
        "Checklist",
        "Oefenen",
        "Formulier om te printen",
    ]


def test_another_rubric_gets_a_home_page_and_every_page_in_its_folder(tmp_path: Path) -> None:
    site = load_site_rubrics(multi_rubric_folder(tmp_path / "rubric"), "klantcontact")
    pages = site_pages.section_pages(site.others[0], main=False)
    assert sorted(pages) == [
        "teamleider/beoordeling.md",
        "teamleider/checklist.md",
        "teamleider/eindterm-1.md",
        "teamleider/eindterm-2.md",
        "teamleider/formulier.md",
        "teamleider/index.md",
        "teamleider/oefenen.md",
        "teamleider/wijzigingen.md",
    ]
    home = pages["teamleider/index.md"]
    assert "[Checklist](checklist.md)" in home
    assert "[Wijzigingen](wijzigingen.md)" in home
    assert "versie **1\\.1\\.0**" in home
    # The main rubric's home page is docs/index.md, hand-written.
    assert "index.md" not in site_pages.section_pages(site.main, main=True)
