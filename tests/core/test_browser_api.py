"""The checklist worker's API: JSON text in, JSON text out, never an exception."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from _factories import assessment_data, collection_data, dumps, kcm_rubric, kcm_rubric_text

from kcm_core import browser_api
from kcm_core.canonical import rubric_sha256
from kcm_core.errors import json_path

KCM_ALL = kcm_rubric().criterion_ids()


def call(function: Any, *args: Any) -> dict[str, Any]:
    """Call an API function and check the envelope every answer has."""
    answer = function(*args)
    assert isinstance(answer, str)
    data: dict[str, Any] = json.loads(answer)
    assert isinstance(data["ok"], bool)
    if not data["ok"]:
        assert list(data) == ["ok", "problems"]
        assert data["problems"]
        for problem in data["problems"]:
            assert list(problem) == ["path", "parts", "message"]
            assert isinstance(problem["parts"], list)
            assert problem["path"] == json_path(problem["parts"])
    return data


@pytest.fixture
def ready() -> Iterator[None]:
    """The API with the KCM rubric loaded; forgotten again after the test."""
    assert call(browser_api.init, kcm_rubric_text())["ok"]
    yield
    browser_api.reset()


@pytest.fixture
def not_ready() -> Iterator[None]:
    browser_api.reset()
    yield
    browser_api.reset()


def test_init_returns_the_rubric_identity(not_ready: None) -> None:
    identity = {
        "id": "klantcontact",
        "version": "1.0.0",
        "sha256": rubric_sha256(kcm_rubric()),
        "title": "Beoordelingsformulier klantcontact medewerker",
    }
    assert call(browser_api.init, kcm_rubric_text()) == {
        "ok": True,
        "rubric": identity,
        "rubrics": [identity],
    }


@pytest.mark.parametrize(
    ("text", "path", "fragment"),
    [
        ("{", "$", "ongeldige JSON op regel 1"),
        ('{"id": "x"}', "$", "ontbreekt"),
        ("", "$", "leeg"),
    ],
)
def test_init_with_a_bad_rubric_reports_problems(
    not_ready: None, text: str, path: str, fragment: str
) -> None:
    answer = call(browser_api.init, text)
    assert answer["ok"] is False
    assert any(p["path"] == path and fragment in p["message"] for p in answer["problems"])


def test_failed_init_forgets_the_previous_rubric(ready: None) -> None:
    assert call(browser_api.init, "{")["ok"] is False
    answer = call(browser_api.score, dumps(assessment_data()))
    assert answer["problems"][0]["message"].startswith("er is nog geen rubric geladen")


def test_calls_before_init_are_refused(not_ready: None) -> None:
    for function, args in [
        (browser_api.score, (dumps(assessment_data()),)),
        (browser_api.check_import, (dumps(assessment_data()),)),
    ]:
        answer = call(function, *args)
        assert answer == {
            "ok": False,
            "problems": [
                {
                    "path": "$",
                    "parts": [],
                    "message": "er is nog geen rubric geladen: roep eerst init aan",
                }
            ],
        }


def test_score_returns_the_full_result(ready: None) -> None:
    checked = [c for c in KCM_ALL if c != "2.1.1.a"]
    data = assessment_data(checked=checked, fields={"bedrijf": "", "naam_kandidaat": "Sanne"})
    answer = call(browser_api.score, dumps(data))
    assert answer["ok"] is True
    result = answer["result"]
    assert list(result) == [
        "verdict",
        "final",
        "outcomes",
        "reasons",
        "missing_fields",
        "missing_conditions",
        "missing_reasons",
        "complete",
        "not_applicable",
    ]
    assert (result["verdict"], result["final"]) == ("fail", False)
    assert result["outcomes"][1]["missing"] == ["2.1.1.a"]
    assert "Eindterm 2 niet behaald: 2.1.1.a ontbreekt." in result["reasons"]
    assert result["missing_fields"] == ["bedrijf", "datum", "geboortedatum_kandidaat"]
    assert result["missing_conditions"] == []
    assert result["missing_reasons"] == []
    assert result["complete"] is False
    assert result["not_applicable"] == ["2.4.1.b"]


def test_score_of_a_draft_with_an_n_v_t_without_a_reason_says_it_is_missing(
    ready: None,
) -> None:
    data = assessment_data()
    data["criteria"]["2.4.1.b"] = {"na": True}
    result = call(browser_api.score, dumps(data))["result"]
    assert result["missing_reasons"] == ["2.4.1.b"]
    assert result["complete"] is False
    assert result["reasons"][-1] == "Bij n.v.t. ontbreekt nog een reden: 2.4.1.b."
    assert "2.4.1.b" in result["not_applicable"]


def test_score_of_a_final_n_v_t_without_a_reason_points_at_the_remark(ready: None) -> None:
    # A dotted criterion id is one key: programs read the parts, never the display path.
    data = assessment_data(status="final")
    data["criteria"]["2.4.1.b"] = {"na": True}
    answer = call(browser_api.score, dumps(data))
    assert answer == {
        "ok": False,
        "problems": [
            {
                "path": "$.criteria['2.4.1.b'].remark",
                "parts": ["criteria", "2.4.1.b", "remark"],
                "message": "geef in de opmerking een reden waarom het criterium n.v.t. is",
            }
        ],
    }


def test_check_import_of_one_assessment_normalises_and_fills_in_the_hash(ready: None) -> None:
    data = assessment_data(checked=["1.1.1.a"])
    del data["fields"]["datum"]
    answer = call(browser_api.check_import, dumps(data))
    assert answer["ok"] is True
    assert answer["rejected"] == []
    [imported] = answer["assessments"]
    assert imported["rubric"]["sha256"] == rubric_sha256(kcm_rubric())
    assert imported["fields"]["datum"] == ""
    assert imported["criteria"] == {"1.1.1.a": {"checked": True}}


def test_check_import_of_many(ready: None) -> None:
    doc = collection_data(assessment_data(assessment_id="x"), assessment_data(assessment_id="y"))
    answer = call(browser_api.check_import, dumps(doc))
    assert list(answer) == ["ok", "assessments", "rejected"]
    assert [a["id"] for a in answer["assessments"]] == ["x", "y"]
    assert answer["rejected"] == []


def test_check_import_of_many_imports_the_good_ones_and_names_the_bad_ones(ready: None) -> None:
    bad = assessment_data(assessment_id="y")
    bad["conditions"]["gesprekstype"] = ["chat"]
    no_id = assessment_data(assessment_id="z")
    no_id["id"] = "geen geldig id"
    doc = collection_data(assessment_data(assessment_id="x"), bad, no_id)
    answer = call(browser_api.check_import, dumps(doc))
    assert answer["ok"] is True
    assert [a["id"] for a in answer["assessments"]] == ["x"]
    assert answer["rejected"] == [
        {
            "index": 1,
            "id": "y",
            "problems": [
                {
                    "path": "$.assessments[1].conditions.gesprekstype[0]",
                    "parts": ["assessments", 1, "conditions", "gesprekstype", 0],
                    "message": "onbekende keuze 'chat' bij 'gesprekstype'; "
                    "kies uit 'inbound', 'outbound'",
                }
            ],
        },
        {
            "index": 2,
            "id": None,
            "problems": [
                {
                    "path": "$.assessments[2].id",
                    "parts": ["assessments", 2, "id"],
                    "message": "ongeldig id 'geen geldig id': gebruik 1 tot 100 tekens uit "
                    "A-Z, a-z, 0-9, '-', '_', '.' en ':', beginnend met een letter of cijfer",
                }
            ],
        },
    ]


def test_check_import_keeps_the_first_of_two_records_with_one_id(ready: None) -> None:
    doc = collection_data(assessment_data(), assessment_data() | {"status": "final"})
    answer = call(browser_api.check_import, dumps(doc))
    assert [(a["id"], a["status"]) for a in answer["assessments"]] == [("a1", "draft")]
    assert [(r["index"], r["id"]) for r in answer["rejected"]] == [(1, "a1")]


def test_check_import_accepts_every_draft_the_page_may_save(ready: None) -> None:
    draft = assessment_data(fields={}, conditions={"gesprekstype": []}, checked=[])
    draft["criteria"]["2.4.2.b"] = {"na": True}
    answer = call(browser_api.check_import, dumps(collection_data(draft)))
    assert answer["ok"] is True
    assert answer["assessments"][0]["criteria"] == {"2.4.2.b": {"checked": False, "na": True}}


@pytest.mark.parametrize(
    ("doc", "paths"),
    [
        (collection_data(), ["$.assessments"]),
        (
            collection_data(
                assessment_data(assessment_id="x") | {"status": "klaar"},
                assessment_data(assessment_id="y") | {"created": "gisteren"},
            ),
            ["$.assessments[0].status", "$.assessments[1].created"],
        ),
        (collection_data(assessment_data()) | {"geheim": 1}, ["$.geheim"]),
        (assessment_data() | {"status": "klaar"}, ["$.status"]),
    ],
    ids=["empty", "no-good-record", "unknown-top-key", "one-bad-assessment"],
)
def test_check_import_refuses_a_file_with_nothing_to_import(
    ready: None, doc: dict[str, Any], paths: list[str]
) -> None:
    answer = call(browser_api.check_import, dumps(doc))
    assert answer["ok"] is False
    assert [p["path"] for p in answer["problems"]] == paths


@pytest.mark.parametrize(
    "text",
    [
        '{"__proto__": {"isAdmin": true}}',
        '{"format": "kcm-assessment", "format_version": 1, "constructor": {}}',
        "x" * 100,
        '{"format": "kcm-assessments", "format_version": 1, "assessments": 5}',
    ],
)
def test_check_import_refuses_hostile_or_broken_files(ready: None, text: str) -> None:
    assert call(browser_api.check_import, text)["ok"] is False


def test_there_is_no_call_to_make_a_draft() -> None:
    # The page makes a new draft itself, before the engine has loaded.
    assert browser_api.__all__ == [
        "check_import",
        "init",
        "merge",
        "report_add",
        "report_result",
        "report_start",
        "reset",
        "score",
        "seal",
        "verify",
    ]
    assert not hasattr(browser_api, "new_assessment")


def test_arguments_that_are_not_text_are_refused(ready: None) -> None:
    # From JavaScript a wrong call may pass undefined (None) or a number.
    # init last: a failed init forgets the rubric, and the others would fail for that reason.
    for function in (
        browser_api.score,
        browser_api.check_import,
        browser_api.seal,
        browser_api.verify,
        browser_api.init,
    ):
        answer = call(function, None)
        assert answer["ok"] is False


def test_merge_refuses_arguments_that_are_not_text_per_record(ready: None) -> None:
    # A merge problem also says which of the two records it is about ("source").
    merge: Any = browser_api.merge  # called as JavaScript may call it: without text
    answer = json.loads(merge(None, 3))
    assert answer["ok"] is False
    assert [(p["source"], p["path"], p["message"][:20]) for p in answer["problems"]] == [
        ("a", "$", "verwacht JSON als te"),
        ("b", "$", "verwacht JSON als te"),
    ]


def test_unexpected_error_becomes_a_problem(ready: None, monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*_: Any, **__: Any) -> None:
        raise RuntimeError("kapot")

    monkeypatch.setattr(browser_api, "_score", broken)
    answer = call(browser_api.score, dumps(assessment_data()))
    assert answer == {
        "ok": False,
        "problems": [
            {
                "path": "$",
                "parts": [],
                "message": "onverwachte fout in kcm_core (RuntimeError: kapot); "
                "meld deze fout aan de beheerder van de site",
            }
        ],
    }


def test_answers_keep_non_ascii_text_readable(ready: None) -> None:
    data = assessment_data(fields={"naam_kandidaat": "Zoë Çelik"})
    answer = browser_api.check_import(dumps(data))
    assert "Zoë Çelik" in answer
