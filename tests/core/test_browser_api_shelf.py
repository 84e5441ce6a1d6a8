"""The worker's engine holds every rubric of the site and their archived versions (a shelf,
``engine/rubrics.json``): each record is checked, scored, sealed and verified against the
version it names, never re-mapped to today's (ARCHITECTURE.md §3 and §6). Runs inside Pyodide
too."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from _factories import kcm_rubric_data

from kcm_core import browser_api
from kcm_core.canonical import rubric_sha256
from kcm_core.rubric_load import load_rubric_file

DATA = Path(__file__).resolve().parents[1] / "data" / "rubrics"
OLD = DATA / "archive" / "teamleider" / "1.0.0.json"
NEW = DATA / "teamleider.json"
OLD_RECORD = DATA.parent / "records" / "teamleider-1.0.0.json"
NOW = "2026-11-27T09:12:00Z"


def call(function: Any, *args: Any) -> dict[str, Any]:
    answer: dict[str, Any] = json.loads(function(*args))
    return answer


def shelf(*rubrics: dict[str, Any]) -> str:
    return json.dumps({"format": "kcm-rubric-shelf", "format_version": 1, "rubrics": rubrics})


def rubric_json(path: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data


@pytest.fixture
def teamleider_page() -> Iterator[None]:
    """The teamleider checklist's engine: KCM, teamleider 1.1.0 and its archived 1.0.0."""
    answer = call(
        browser_api.init,
        shelf(kcm_rubric_data(), rubric_json(NEW), rubric_json(OLD)),
        "teamleider",
    )
    assert answer["ok"], answer
    yield
    browser_api.reset()


def old_record(**changes: Any) -> dict[str, Any]:
    """A record made with teamleider 1.0.0 (tests/data/records): everything met but 2.1.1.d,
    which 1.1.0 dropped. Under 1.0.0 (every criterion) Eindterm 2 fails; 1.1.0's rule (75
    percent) would pass it."""
    record: dict[str, Any] = json.loads(OLD_RECORD.read_text(encoding="utf-8"))
    record.update(changes)
    return record


def test_the_page_rubric_is_the_newest_version_of_its_id(teamleider_page: None) -> None:
    answer = call(browser_api.init, shelf(rubric_json(OLD), rubric_json(NEW)), "teamleider")
    assert answer["rubric"]["version"] == "1.1.0"
    assert [(r["id"], r["version"]) for r in answer["rubrics"]] == [
        ("teamleider", "1.0.0"),
        ("teamleider", "1.1.0"),
    ]


def test_an_old_record_is_scored_against_its_own_version(teamleider_page: None) -> None:
    answer = call(browser_api.score, json.dumps(old_record()))
    assert answer["ok"], answer
    result = answer["result"]
    assert result["verdict"] == "fail"
    second = next(o for o in result["outcomes"] if o["id"] == "2")
    assert (second["verdict"], second["missing"]) == ("fail", ["2.1.1.d"])


def test_an_import_takes_records_of_every_version_and_rubric_it_knows(
    teamleider_page: None,
) -> None:
    new = old_record(
        id="1a2b3c4d-1111-4222-8333-444455556666",
        rubric={"id": "teamleider", "version": "1.1.0"},
    )
    del new["criteria"]["1.1.1.d"]
    collection = {
        "format": "kcm-assessments",
        "format_version": 1,
        "assessments": [old_record(), new],
    }
    answer = call(browser_api.check_import, json.dumps(collection))
    assert answer["ok"], answer
    assert answer["rejected"] == []
    hashes = [a["rubric"]["sha256"] for a in answer["assessments"]]
    assert hashes == [
        rubric_sha256(load_rubric_file(OLD)),
        rubric_sha256(load_rubric_file(NEW)),
    ]


def test_a_record_of_a_version_the_engine_lacks_is_refused_as_another_rubric(
    teamleider_page: None,
) -> None:
    unknown = old_record(rubric={"id": "teamleider", "version": "0.9.0"})
    answer = call(browser_api.check_import, json.dumps(unknown))
    assert not answer["ok"]
    assert answer["problems"][0]["parts"][:1] == ["rubric"]


def test_an_old_record_seals_and_verifies_against_its_own_version(teamleider_page: None) -> None:
    final = old_record(
        status="final", finalized=NOW, assessors=[{"name": "A. Jansen"}], updated=NOW
    )
    sealed = call(browser_api.seal, json.dumps(final))
    assert sealed["ok"], sealed
    record = sealed["assessment"]
    assert record["result"]["outcomes"] == {"1": "pass", "2": "fail"}
    assert record["rubric"]["sha256"] == rubric_sha256(load_rubric_file(OLD))
    verified = call(browser_api.verify, json.dumps(record))
    assert [r["state"] for r in verified["records"]] == ["sealed"]


@pytest.mark.parametrize(
    ("rubrics", "rubric_id", "parts"),
    [
        ([{"id": "kapot"}], "", ["rubrics", 0]),
        ([], "", ["rubrics"]),
        ([kcm_rubric_data()], "teamleider", []),
    ],
    ids=["broken rubric", "empty shelf", "unknown page rubric"],
)
def test_a_bad_shelf_is_refused_and_names_the_place(
    teamleider_page: None, rubrics: list[dict[str, Any]], rubric_id: str, parts: list[Any]
) -> None:
    answer = call(browser_api.init, shelf(*rubrics), rubric_id)
    assert not answer["ok"]
    assert answer["problems"][0]["parts"][: len(parts)] == parts
    # Nothing stays loaded to score against.
    assert not call(browser_api.score, json.dumps(old_record()))["ok"]
