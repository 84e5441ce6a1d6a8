"""Which rubrics a site publishes (``build_tools.site_rubrics``): every rubric in the folder,
the main one at the root, the others in a folder of their own, each with its archived
versions; a folder that ``kcm validate`` would refuse stops the build with every problem."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from build_tools.site_rubrics import SiteRubricError, load_site_rubrics
from tests.conftest import KCM_RUBRIC, multi_rubric_folder


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    return multi_rubric_folder(tmp_path / "rubric")


def edit(path: Path, change: Callable[[dict[str, Any]], object]) -> None:
    data = json.loads(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(json.dumps(data, ensure_ascii=False, indent=2), encoding="utf-8")


def changed_without_new_version(folder: Path) -> None:
    """Version 1.1.0 archived as published, then changed under the same number."""
    shutil.copy(folder / "teamleider.json", folder / "archive" / "teamleider" / "1.1.0.json")
    edit(folder / "teamleider.json", lambda d: d["eindtermen"].pop())


def test_the_main_rubric_keeps_the_root_and_the_others_get_a_folder(folder: Path) -> None:
    site = load_site_rubrics(folder, "klantcontact")
    assert (site.main.rubric.id, site.main.prefix) == ("klantcontact", "")
    assert [(s.rubric.id, s.prefix) for s in site.others] == [("teamleider", "teamleider/")]
    assert [r.version for r, _ in site.others[0].archived] == ["1.0.0"]
    assert site.section_of("teamleider/checklist.md") == (site.others[0], "checklist.md")
    assert site.section_of("checklist.md") == (site.main, "checklist.md")


def test_the_engine_shelf_holds_every_current_and_archived_version_once(folder: Path) -> None:
    shutil.copy(folder / "teamleider.json", folder / "archive" / "teamleider" / "1.1.0.json")
    site = load_site_rubrics(folder, "klantcontact")
    assert [(r.id, r.version) for r, _ in site.shelf()] == [
        ("klantcontact", "1.0.0"),
        ("teamleider", "1.1.0"),
        ("teamleider", "1.0.0"),
    ]
    assert site.others[0].versions[-1].version == "1.1.0"


def test_one_rubric_file_is_published_alone() -> None:
    site = load_site_rubrics(KCM_RUBRIC, "teamleider")
    assert site.main.rubric.id == "klantcontact"
    assert site.others == ()


@pytest.mark.parametrize(
    ("change", "fragment"),
    [
        (changed_without_new_version, "de rubric is veranderd maar de versie niet"),
        (
            lambda f: (f / "archive" / "teamleider" / "1.0.0.json").write_text("{", "utf-8"),
            "archive/teamleider/1.0.0.json: $",
        ),
        (
            lambda f: edit(f / "teamleider.json", lambda d: d.update(id="checklist")),
            "is ook de naam van een map van de site",
        ),
        (
            lambda f: shutil.copy(f / "teamleider.json", f / "tweede.json"),
            "heeft ook",
        ),
    ],
    ids=["changed without a new version", "broken archived file", "reserved id", "same id twice"],
)
def test_a_folder_kcm_validate_would_refuse_stops_the_build(
    folder: Path, change: Callable[[Path], object], fragment: str
) -> None:
    change(folder)
    with pytest.raises(SiteRubricError) as raised:
        load_site_rubrics(folder, "klantcontact")
    assert fragment in str(raised.value)


def test_a_main_rubric_that_is_not_there_is_named(folder: Path) -> None:
    with pytest.raises(SiteRubricError, match=r"extra\.kcm\.main"):
        load_site_rubrics(folder, "bestaat-niet")
