"""A site with two rubrics and an archived older version (fixture ``built_multi_site``, built
from the test data like a maintainer's rubric folder): every rubric is a section with its
pages and checklists, the main rubric keeps its URLs, and "Wijzigingen" shows what changed
(ARCHITECTURE.md §3; issue "every rubric in rubric/ is published")."""

from __future__ import annotations

import html
import json
import re
from pathlib import Path

import pytest

from build_tools.checklist_data import ELEMENT_ID
from kcm_core.canonical import rubric_sha256
from kcm_core.rubric_load import load_rubric_file
from tests.conftest import TEST_RUBRICS

TEAMLEIDER_PAGES = [
    "teamleider/",
    "teamleider/eindterm-1/",
    "teamleider/eindterm-2/",
    "teamleider/beoordeling/",
    "teamleider/checklist/",
    "teamleider/oefenen/",
    "teamleider/formulier/",
    "teamleider/wijzigingen/",
]


def page_text(site: Path, url: str) -> str:
    return (site / url / "index.html").read_text(encoding="utf-8")


def visible(markup: str) -> str:
    """The page's text, roughly as a reader sees it (tags dropped, entities read)."""
    body = markup.split('<article class="md-content__inner md-typeset">', 1)[-1]
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", body)).split())


def rubric_block(markup: str) -> dict[str, object]:
    found = re.search(rf'<script type="application/json" id="{ELEMENT_ID}">(.*?)</script>', markup)
    assert found is not None
    data: dict[str, object] = json.loads(found.group(1))
    return data


@pytest.mark.parametrize("url", ["", "checklist/", "oefenen/", "eindterm-2/", "formulier/"])
def test_the_main_rubric_keeps_its_urls(built_multi_site: Path, url: str) -> None:
    assert "Examen klantcontact medewerker" in page_text(built_multi_site, url)


@pytest.mark.parametrize("url", TEAMLEIDER_PAGES)
def test_the_second_rubric_has_every_page_in_its_own_folder(
    built_multi_site: Path, url: str
) -> None:
    assert "teamleider" in page_text(built_multi_site, url).lower()


def test_the_home_page_lists_the_other_rubric(built_multi_site: Path) -> None:
    home = page_text(built_multi_site, "")
    assert "Andere examens op deze site" in visible(home)
    assert 'href="teamleider/"' in home
    assert 'href="teamleider/checklist/"' in home


def test_each_checklist_names_its_own_rubric_to_the_engine(built_multi_site: Path) -> None:
    for url, rubric_id in [("checklist/", "klantcontact"), ("teamleider/checklist/", "teamleider")]:
        markup = page_text(built_multi_site, url)
        assert f'data-engine-rubric="{rubric_id}"' in markup
        assert rubric_block(markup)["id"] == rubric_id


def test_the_checklist_knows_the_archived_version_and_the_other_rubric(
    built_multi_site: Path,
) -> None:
    block = rubric_block(page_text(built_multi_site, "teamleider/checklist/"))
    archived = block["archived"]
    assert isinstance(archived, list)
    old = load_rubric_file(TEST_RUBRICS / "archive" / "teamleider" / "1.0.0.json")
    assert [(a["version"], a["sha256"]) for a in archived] == [("1.0.0", rubric_sha256(old))]
    assert block["others"] == [
        {
            "id": "klantcontact",
            "title": "Beoordelingsformulier klantcontact medewerker",
            "checklistUrl": "../../checklist/",
            "practiceUrl": "../../oefenen/",
        }
    ]
    assert block["changesUrl"] == "../../teamleider/wijzigingen/"


def test_the_engine_holds_every_rubric_and_version(built_multi_site: Path) -> None:
    shelf = json.loads((built_multi_site / "engine" / "rubrics.json").read_text("utf-8"))
    assert shelf["format"] == "kcm-rubric-shelf"
    assert [(r["id"], r["version"]) for r in shelf["rubrics"]] == [
        ("klantcontact", "1.0.0"),
        ("teamleider", "1.1.0"),
        ("teamleider", "1.0.0"),
    ]
    manifest = json.loads((built_multi_site / "engine" / "engine.json").read_text("utf-8"))
    assert manifest["rubrics"] == "rubrics.json"


def test_the_changes_page_says_what_changed_for_candidates(built_multi_site: Path) -> None:
    text = visible(page_text(built_multi_site, "teamleider/wijzigingen/"))
    assert "Van versie 1.0.0 naar 1.1.0" in text
    assert "Criterium 2.1.1.c is anders geformuleerd." in text
    assert "Eerst: “Vat de besluiten samen.” Nu: “Vat de besluiten kort samen.”" in text
    assert "Criterium 2.1.1.d is weggehaald." in text
    # The main rubric has no archived version, so no changes page.
    assert not (built_multi_site / "wijzigingen").exists()


def test_every_page_of_both_rubrics_is_in_the_navigation(built_multi_site: Path) -> None:
    # MkDocs writes links relative to the page: from the home page they are the URLs.
    nav = page_text(built_multi_site, "")
    for url in [*TEAMLEIDER_PAGES, "checklist/", "oefenen/", "eindterm-2/"]:
        assert f'href="{url}"' in nav, url
    # Each nested section is a landmark named by its title: no two share a name.
    label_re = r'id="__nav_[0-9_]+_label".*?<span class="md-ellipsis">(.*?)</span>'
    found = re.findall(label_re, nav, re.S)
    labels = [" ".join(label.split()) for label in found]
    assert "Eindtermen teamleider" in labels
    assert len(labels) == len(set(labels)), labels


def test_the_service_worker_keeps_both_rubrics_for_offline_use(built_multi_site: Path) -> None:
    worker = (built_multi_site / "sw.js").read_text(encoding="utf-8")
    for url in ("teamleider/checklist/index.html", "teamleider/oefenen/index.html", "rubrics.json"):
        assert url in worker
