"""A draft may be incomplete: everything the checklist saves or exports loads again.

An n.v.t. set by hand needs a reason only in a final assessment; a draft without it still
loads, scores (the criterion counts as n.v.t.) and says what finalising still needs.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from _factories import (
    KCM_RUBRIC_PATH,
    LATER,
    assessment_data,
    collection_data,
    dumps,
    kcm_rubric,
)

from kcm_core.assessment import Mark, load_assessment, load_assessment_data, load_assessments
from kcm_core.cli import main
from kcm_core.errors import KcmError, Problem
from kcm_core.scoring import ScoreResult, score

KCM_ALL = kcm_rubric().criterion_ids()
REASON_MESSAGE = "geef in de opmerking een reden waarom het criterium n.v.t. is"


def with_open_na(entries: dict[str, dict[str, Any]], status: str = "draft") -> dict[str, Any]:
    """An assessment with every criterion ticked except those given, which get their entry."""
    data = assessment_data(status=status, checked=[c for c in KCM_ALL if c not in entries])
    data["criteria"].update(entries)
    return data


def score_of(data: dict[str, Any]) -> ScoreResult:
    return score(kcm_rubric(), load_assessment_data(data, kcm_rubric()))


# --- loading ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("entry", "mark"),
    [
        ({"na": True}, Mark(na=True)),
        ({"na": True, "checked": False}, Mark(na=True)),
        ({"na": True, "remark": "   "}, Mark(na=True, remark="   ")),
    ],
)
def test_a_draft_keeps_an_n_v_t_without_a_reason(entry: dict[str, Any], mark: Mark) -> None:
    data = with_open_na({"2.4.1.b": entry})
    assert load_assessment_data(data, kcm_rubric()).mark("2.4.1.b") == mark


@pytest.mark.parametrize("entry", [{"na": True}, {"na": True, "remark": " \t"}])
def test_a_final_assessment_still_needs_the_reason(entry: dict[str, Any]) -> None:
    data = with_open_na({"2.4.1.b": entry}, "final")
    with pytest.raises(KcmError) as info:
        load_assessment_data(data, kcm_rubric())
    assert info.value.problems == (Problem(("criteria", "2.4.1.b", "remark"), REASON_MESSAGE),)
    assert info.value.problems[0].path == "$.criteria['2.4.1.b'].remark"


def test_a_draft_with_an_open_n_v_t_makes_a_round_trip() -> None:
    data = with_open_na({"2.4.2.b": {"na": True}})
    first = load_assessment_data(data, kcm_rubric())
    written = first.to_json_data()
    assert written["criteria"]["2.4.2.b"] == {"checked": False, "na": True}
    second = load_assessment(dumps(written), kcm_rubric())
    assert second == first
    assert second.to_json_data() == written


def test_a_backup_with_an_open_n_v_t_loads_as_a_whole() -> None:
    # "Exporteer alles": one such draft must not make the whole backup unreadable.
    draft = with_open_na({"2.4.1.b": {"na": True}}) | {"id": "concept"}
    final = assessment_data(status="final", assessment_id="klaar")
    loaded = load_assessments(dumps(collection_data(draft, final)), kcm_rubric())
    assert [a.id for a in loaded] == ["concept", "klaar"]


def test_other_n_v_t_rules_still_hold_in_a_draft() -> None:
    data = with_open_na({"1.1.1.a": {"na": True}, "1.1.1.c": {"na": True, "checked": True}})
    with pytest.raises(KcmError) as info:
        load_assessment_data(data, kcm_rubric())
    assert [(p.path, p.message) for p in info.value.problems] == [
        ("$.criteria['1.1.1.a'].na", "bij criterium 1.1.1.a mag n.v.t. niet"),
        ("$.criteria['1.1.1.c']", "een criterium kan niet tegelijk gecheckt en n.v.t. zijn"),
    ]


# --- scoring: not met until its reason is given, and says what finalising still needs --------


def test_an_open_n_v_t_counts_as_not_met_until_its_reason_is_given() -> None:
    # Otherwise ticking n.v.t. alone would turn a fail into a pass, reason or not.
    result = score_of(with_open_na({"1.1.1.c": {"na": True}}))
    first = result.outcome("1")
    assert (first.verdict, first.met, first.applicable) == ("fail", 3, 4)
    assert first.missing == ("1.1.1.c",)
    assert "1.1.1.c" not in result.not_applicable
    assert not result.passed
    given = score_of(with_open_na({"1.1.1.c": {"na": True, "remark": "niet van toepassing"}}))
    assert (given.outcome("1").verdict, given.outcome("1").applicable) == ("pass", 3)
    assert "1.1.1.c" in given.not_applicable


@pytest.mark.parametrize(
    ("open_ids", "sentence"),
    [
        (["2.4.2.b"], "Bij n.v.t. ontbreekt nog een reden: 2.4.2.b."),
        (["3.2.1.c", "1.1.1.c"], "Bij n.v.t. ontbreekt nog een reden: 1.1.1.c en 3.2.1.c."),
    ],
)
def test_the_result_names_every_n_v_t_without_a_reason(open_ids: list[str], sentence: str) -> None:
    result = score_of(with_open_na({cid: {"na": True} for cid in open_ids}))
    assert result.missing_reasons == tuple(sorted(open_ids))
    assert result.reasons[-1] == sentence
    assert result.complete is False
    data = result.to_browser_data()
    assert data["missing_reasons"] == sorted(open_ids)
    assert data["complete"] is False


@pytest.mark.parametrize(
    ("data", "complete"),
    [
        (assessment_data(), True),
        (assessment_data(status="final"), True),
        (with_open_na({"1.1.1.c": {"na": True, "remark": "reden"}}), True),
        (with_open_na({"1.1.1.c": {"na": True}}), False),
        (assessment_data(fields={"bedrijf": ""}), False),
        (assessment_data(conditions={"gesprekstype": []}), False),
    ],
    ids=["draft", "final", "n.v.t.-with-reason", "open-n.v.t.", "empty-field", "no-condition"],
)
def test_complete_means_nothing_is_missing_for_finalising(
    data: dict[str, Any], complete: bool
) -> None:
    result = score_of(data)
    assert result.complete is complete
    assert result.to_browser_data()["complete"] is complete
    if complete:
        assert not any(r.startswith("Bij n.v.t. ontbreekt") for r in result.reasons)


def test_the_cli_contract_keys_stay_the_same() -> None:
    data = score_of(with_open_na({"1.1.1.c": {"na": True}})).to_json_data()
    assert list(data) == ["verdict", "final", "outcomes", "reasons"]
    assert data["reasons"][-1] == "Bij n.v.t. ontbreekt nog een reden: 1.1.1.c."


@pytest.mark.parametrize("output", ["text", "json"])
def test_kcm_score_mentions_the_missing_reason(
    output: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "concept.json"
    path.write_text(dumps(with_open_na({"2.4.2.b": {"na": True}})), encoding="utf-8")
    status = main(["score", "--rubric", str(KCM_RUBRIC_PATH), str(path), "--format", output])
    out, err = capsys.readouterr()
    assert (status, err) == (0, "")
    if output == "text":
        assert "- Bij n.v.t. ontbreekt nog een reden: 2.4.2.b." in out.splitlines()
    else:
        assert json.loads(out)["reasons"][-1] == "Bij n.v.t. ontbreekt nog een reden: 2.4.2.b."


def test_finalising_after_giving_the_reason_loads() -> None:
    data = with_open_na({"2.4.2.b": {"na": True, "remark": "niet in de wacht"}}, "final")
    assert data["finalized"] == LATER
    assert score_of(data).complete
