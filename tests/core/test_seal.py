"""Sealing a finalised record and verifying it (design §4 ``result`` and ``seal``).

A sealed record verifies clean; every change to it is found and named by its place. The same
code runs on CPython and inside Pyodide (the checklist seals and verifies through it).
"""

from __future__ import annotations

import copy
import json
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from _factories import LATER, assessment_data, dumps, kcm_rubric, kcm_rubric_text, sealed_data
from _strategies import sealable_record
from hypothesis import given

from kcm_core import browser_api
from kcm_core.assessment import load_assessment_data
from kcm_core.canonical import rubric_sha256, sha256_of_data
from kcm_core.errors import KcmError
from kcm_core.model import Rubric
from kcm_core.seal import (
    NOT_FINAL,
    NOT_SEALED,
    seal_assessment,
    seal_record,
    seal_sha256,
    verify,
    verify_data,
)

KCM_ALL = kcm_rubric().criterion_ids()


def test_a_sealed_record_holds_the_result_and_the_hash_of_the_rest() -> None:
    checked = [c for c in KCM_ALL if c != "2.3.1.a"]
    record = sealed_data(checked=checked)
    assert record["result"] == {
        "verdict": "fail",
        "outcomes": {"1": "pass", "2": "fail", "3": "pass"},
    }
    without_seal = {k: v for k, v in record.items() if k != "seal"}
    assert record["seal"] == {"sha256": sha256_of_data(without_seal)}
    assert list(record)[-2:] == ["result", "seal"]
    assert record["rubric"]["sha256"] == rubric_sha256(kcm_rubric())
    assert verify(record, kcm_rubric()) == []


def test_sealing_again_replaces_an_older_result_and_seal() -> None:
    record = sealed_data()
    record["signatures"] = {"beoordelaar": {"name": "A. Jansen", "at": LATER, "svg_path": "M1 1"}}
    assert verify_data(record, kcm_rubric()).state == "changed"
    again = seal_record(load_assessment_data(record, kcm_rubric()), kcm_rubric())
    assert again["seal"] != record["seal"]
    assert verify(again, kcm_rubric()) == []


def test_a_practice_record_is_sealed_without_an_assessor() -> None:
    data = assessment_data(status="final") | {"practice": True}
    sealed = seal_record(load_assessment_data(data, kcm_rubric()), kcm_rubric())
    assert sealed["practice"] is True
    assert "seal" in sealed


@pytest.mark.parametrize(
    ("data", "path", "fragment"),
    [
        pytest.param(
            assessment_data() | {"assessors": [{"name": "A"}]}, "$.status", NOT_FINAL, id="draft"
        ),
        pytest.param(
            assessment_data(status="final"),
            "$.assessors",
            "naam van de beoordelaar",
            id="no-assessor",
        ),
    ],
)
def test_a_record_that_cannot_be_sealed_says_why(
    data: dict[str, Any], path: str, fragment: str
) -> None:
    with pytest.raises(KcmError) as caught:
        seal_assessment(load_assessment_data(data, kcm_rubric()), kcm_rubric())
    assert [(p.path, fragment in p.message) for p in caught.value.problems] == [(path, True)]


# --- tampering ---------------------------------------------------------------------------------


def _set(path: tuple[str, ...], value: Any) -> Callable[[dict[str, Any]], None]:
    def change(record: dict[str, Any]) -> None:
        target = record
        for key in path[:-1]:
            target = target[key]
        target[path[-1]] = value

    return change


def _drop(path: tuple[str, ...]) -> Callable[[dict[str, Any]], None]:
    def change(record: dict[str, Any]) -> None:
        target = record
        for key in path[:-1]:
            target = target[key]
        del target[path[-1]]

    return change


def _reopen(record: dict[str, Any]) -> None:
    record.update(status="draft", finalized=None)
    del record["seal"], record["result"]


def _forge(record: dict[str, Any]) -> None:
    # Whoever changes a file can compute a new seal: the result still gives the change away.
    record["criteria"]["2.2.1.e"]["checked"] = False
    record["seal"] = {"sha256": seal_sha256(load_assessment_data(record, kcm_rubric()))}


# name -> (change, state, [(path, fragment)] every problem in order)
TAMPER: dict[str, tuple[Callable[[dict[str, Any]], None], str, list[tuple[str, str]]]] = {
    "a-changed-tick": (
        _set(("criteria", "2.2.1.e", "checked"), False),
        "changed",
        [
            ("$.seal.sha256", "het zegel klopt niet"),
            ("$.result.verdict", "klopt niet met een nieuwe berekening: 'fail'"),
            ("$.result.outcomes['2']", "Eindterm 2"),
        ],
    ),
    "a-removed-criterion": (
        _drop(("criteria", "3.1.1.a")),
        "changed",
        [
            ("$.seal.sha256", "veranderd na het afronden"),
            ("$.result.verdict", "klopt niet"),
            ("$.result.outcomes['3']", "klopt niet"),
        ],
    ),
    "a-changed-result": (
        _set(("result", "verdict"), "fail"),
        "changed",
        [("$.seal.sha256", "het zegel klopt niet"), ("$.result.verdict", "'fail' klopt niet")],
    ),
    "a-changed-name": (
        _set(("fields", "naam_kandidaat"), "Iemand Anders"),
        "changed",
        [("$.seal.sha256", "het zegel klopt niet")],
    ),
    "a-changed-rubric-version": (
        _set(("rubric", "version"), "1.0.1"),
        "invalid",
        [("$.rubric", "versie '1.0.1'")],
    ),
    "a-removed-seal": (_drop(("seal",)), "unsealed", [("$", NOT_SEALED)]),
    "a-removed-result": (
        _drop(("result",)),
        "changed",
        [("$.seal.sha256", "het zegel klopt niet"), ("$", "'result' ontbreekt")],
    ),
    "a-practice-record": (_set(("practice",), True), "practice", [("$.practice", "oefening")]),
    "reopened-as-draft": (
        _reopen,
        "draft",
        [("$.status", NOT_FINAL)],
    ),
    "a-forged-seal-over-a-changed-tick": (
        _forge,
        "changed",
        [("$.result.verdict", "klopt niet"), ("$.result.outcomes['2']", "klopt niet")],
    ),
}


@pytest.mark.parametrize(("change", "state", "expected"), TAMPER.values(), ids=TAMPER.keys())
def test_every_change_to_a_sealed_record_is_found(
    change: Callable[[dict[str, Any]], None], state: str, expected: list[tuple[str, str]]
) -> None:
    record = copy.deepcopy(sealed_data())
    change(record)
    found = verify_data(record, kcm_rubric())
    assert found.state == state
    assert len(found.problems) == len(expected), found.problems
    for problem, (path, fragment) in zip(found.problems, expected, strict=True):
        assert problem.path == path
        assert fragment in problem.message


def test_a_change_loading_undoes_keeps_the_seal() -> None:
    # Key order and an explicit "na": false are the same content: the seal is over content.
    record = sealed_data()
    shuffled = dict(reversed(list(record.items())))
    shuffled["criteria"]["1.1.1.a"] = {"na": False, "checked": True}
    assert verify(shuffled, kcm_rubric()) == []


@given(sealable_record())
def test_seal_then_verify_is_clean(case: tuple[Rubric, dict[str, Any]]) -> None:
    rubric, data = case
    sealed = seal_record(load_assessment_data(data, rubric), rubric)
    found = verify_data(json.loads(json.dumps(sealed)), rubric)
    # A practice record is sealed like any other, and never accepted as an exam result.
    assert found.state == ("practice" if data.get("practice") else "sealed"), found.problems
    assert seal_sha256(load_assessment_data(sealed, rubric)) == sealed["seal"]["sha256"]


# --- through the worker's API --------------------------------------------------------------------


@pytest.fixture
def ready() -> Iterator[None]:
    assert json.loads(browser_api.init(kcm_rubric_text()))["ok"]
    yield
    browser_api.reset()


def test_the_worker_seals_a_finalised_record(ready: None) -> None:
    data = assessment_data(status="final") | {"assessors": [{"name": "A. Jansen"}]}
    answer = json.loads(browser_api.seal(dumps(data)))
    assert answer["ok"] is True
    assert verify(answer["assessment"], kcm_rubric()) == []


def test_the_worker_refuses_to_seal_a_draft(ready: None) -> None:
    answer = json.loads(browser_api.seal(dumps(assessment_data())))
    assert answer["ok"] is False
    assert [p["parts"] for p in answer["problems"]] == [["status"], ["assessors"]]


def test_the_worker_verifies_each_record_of_a_file(ready: None) -> None:
    good = sealed_data()
    changed = copy.deepcopy(sealed_data(assessment_id="a2"))
    changed["criteria"]["1.1.1.a"]["checked"] = False
    file = {"format": "kcm-assessments", "format_version": 1, "assessments": [good, changed]}
    answer = json.loads(browser_api.verify(dumps(file)))
    assert answer["ok"] is True
    records = answer["records"]
    assert [(r["index"], r["id"], r["state"]) for r in records] == [
        (0, "a1", "sealed"),
        (1, "a2", "changed"),
    ]
    assert records[0]["problems"] == []
    assert records[1]["problems"][0]["path"] == "$.assessments[1].seal.sha256"


@pytest.mark.parametrize("text", ["{", "[]", ""])
def test_the_worker_says_when_a_file_cannot_be_verified(ready: None, text: str) -> None:
    answer = json.loads(browser_api.verify(text))
    if answer["ok"]:
        assert [r["state"] for r in answer["records"]] == ["invalid"]
    else:
        assert answer["problems"]
