"""Scoring on the real KCM rubric and on small rubrics with other rules (ARCHITECTURE.md §3)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import pytest
from _factories import (
    assessment_data,
    kcm_rubric,
    modified_kcm_rubric,
    rubric_from_data,
    small_rubric_data,
)

from kcm_core.assessment import load_assessment_data
from kcm_core.errors import KcmError
from kcm_core.model import Rubric, ScoringRule
from kcm_core.scoring import ScoreResult, required_count, score

KCM_ALL = kcm_rubric().criterion_ids()


def all_but(*missing: str) -> list[str]:
    return [cid for cid in KCM_ALL if cid not in missing]


def score_data(data: Mapping[str, Any], rubric: Rubric | None = None) -> ScoreResult:
    rubric = rubric if rubric is not None else kcm_rubric()
    return score(rubric, load_assessment_data(data, rubric))


@dataclass(frozen=True)
class Case:
    """One assessment of the KCM rubric and the outcome it must get."""

    checked: list[str]
    conditions: dict[str, list[str]]
    verdict: str
    # Eindterm id -> (verdict, met, applicable, required, missing)
    outcomes: dict[str, tuple[str, int, int, int, tuple[str, ...]]]
    na: dict[str, str] = field(default_factory=dict)


INBOUND = {"gesprekstype": ["inbound"]}
OUTBOUND = {"gesprekstype": ["outbound"]}
BOTH = {"gesprekstype": ["inbound", "outbound"]}
UNSET: dict[str, list[str]] = {"gesprekstype": []}

KCM_CASES = {
    "all-met-inbound": Case(
        list(KCM_ALL),
        INBOUND,
        "pass",
        # 2.4.1.b is for outbound calls only: inbound, Eindterm 2 has 25 applicable criteria.
        {"1": ("pass", 4, 4, 4, ()), "2": ("pass", 25, 25, 25, ()), "3": ("pass", 7, 7, 7, ())},
    ),
    "all-met-outbound": Case(
        list(KCM_ALL),
        OUTBOUND,
        "pass",
        {"1": ("pass", 4, 4, 4, ()), "2": ("pass", 26, 26, 26, ()), "3": ("pass", 7, 7, 7, ())},
    ),
    "one-missing": Case(
        all_but("2.1.1.a"),
        INBOUND,
        "fail",
        {
            "1": ("pass", 4, 4, 4, ()),
            "2": ("fail", 24, 25, 25, ("2.1.1.a",)),
            "3": ("pass", 7, 7, 7, ()),
        },
    ),
    "outbound-criterion-unticked-for-inbound-call": Case(
        all_but("2.4.1.b"),
        INBOUND,
        "pass",
        {"1": ("pass", 4, 4, 4, ()), "2": ("pass", 25, 25, 25, ()), "3": ("pass", 7, 7, 7, ())},
    ),
    "outbound-criterion-unticked-for-outbound-call": Case(
        all_but("2.4.1.b"),
        OUTBOUND,
        "fail",
        {
            "1": ("pass", 4, 4, 4, ()),
            "2": ("fail", 25, 26, 26, ("2.4.1.b",)),
            "3": ("pass", 7, 7, 7, ()),
        },
    ),
    "outbound-criterion-counts-when-call-is-both": Case(
        all_but("2.4.1.b"),
        BOTH,
        "fail",
        {
            "1": ("pass", 4, 4, 4, ()),
            "2": ("fail", 25, 26, 26, ("2.4.1.b",)),
            "3": ("pass", 7, 7, 7, ()),
        },
    ),
    # Strict reading: no call type chosen yet, so the outbound criterion still counts.
    "outbound-criterion-counts-when-call-type-unset": Case(
        all_but("2.4.1.b"),
        UNSET,
        "fail",
        {
            "1": ("pass", 4, 4, 4, ()),
            "2": ("fail", 25, 26, 26, ("2.4.1.b",)),
            "3": ("pass", 7, 7, 7, ()),
        },
    ),
    "nothing-ticked": Case(
        [],
        INBOUND,
        "fail",
        {
            "1": ("fail", 0, 4, 4, ("1.1.1.a", "1.1.1.b", "1.1.1.c", "1.1.1.d")),
            "2": ("fail", 0, 25, 25, tuple(c for c in KCM_ALL if c[0] == "2" and c != "2.4.1.b")),
            "3": ("fail", 0, 7, 7, tuple(c for c in KCM_ALL if c[0] == "3")),
        },
    ),
    "manual-na-leaves-count-and-total": Case(
        all_but("1.1.1.c"),
        INBOUND,
        "pass",
        {"1": ("pass", 3, 3, 3, ()), "2": ("pass", 25, 25, 25, ()), "3": ("pass", 7, 7, 7, ())},
        na={"1.1.1.c": "geen twijfelgeval in dit gesprek"},
    ),
}


@pytest.mark.parametrize("case", KCM_CASES.values(), ids=KCM_CASES.keys())
def test_kcm_scoring_table(case: Case) -> None:
    result = score_data(
        assessment_data(checked=case.checked, conditions=case.conditions, na=case.na)
    )
    assert result.verdict == case.verdict
    got = {o.id: (o.verdict, o.met, o.applicable, o.required, o.missing) for o in result.outcomes}
    assert got == case.outcomes


@pytest.mark.parametrize(
    ("checked", "conditions", "expected"),
    [
        pytest.param(
            KCM_ALL,
            INBOUND,
            [
                "Geslaagd: alle 3 Eindtermen zijn behaald.",
                "Eindterm 1 behaald: 4 van 4 criteria gecheckt.",
                "Eindterm 2 behaald: 25 van 25 criteria gecheckt (1 n.v.t.).",
                "Eindterm 3 behaald: 7 van 7 criteria gecheckt.",
            ],
            id="pass",
        ),
        pytest.param(
            all_but("2.1.1.a"),
            INBOUND,
            [
                "Niet geslaagd: Eindterm 2 is niet behaald.",
                "Eindterm 1 behaald: 4 van 4 criteria gecheckt.",
                "Eindterm 2 niet behaald: 2.1.1.a ontbreekt.",
                "Eindterm 3 behaald: 7 van 7 criteria gecheckt.",
            ],
            id="one-missing",
        ),
        pytest.param(
            all_but("1.1.1.a", "3.1.1.a", "3.2.1.d"),
            OUTBOUND,
            [
                "Niet geslaagd: Eindtermen 1 en 3 zijn niet behaald.",
                "Eindterm 1 niet behaald: 1.1.1.a ontbreekt.",
                "Eindterm 2 behaald: 26 van 26 criteria gecheckt.",
                "Eindterm 3 niet behaald: 3.1.1.a en 3.2.1.d ontbreken.",
            ],
            id="two-eindtermen",
        ),
        pytest.param(
            [],
            INBOUND,
            [
                "Niet geslaagd: Eindtermen 1, 2 en 3 zijn niet behaald.",
                "Eindterm 1 niet behaald: 1.1.1.a, 1.1.1.b, 1.1.1.c en 1.1.1.d ontbreken.",
                "Eindterm 2 niet behaald: 25 criteria ontbreken "
                "(2.1.1.a, 2.1.1.b, 2.1.1.c, 2.1.1.d, 2.1.2.a en nog 20 andere).",
                "Eindterm 3 niet behaald: 7 criteria ontbreken "
                "(3.1.1.a, 3.1.1.b, 3.1.1.c, 3.2.1.a, 3.2.1.b en nog 2 andere).",
            ],
            id="nothing-ticked",
        ),
    ],
)
def test_kcm_reasons_say_why_in_dutch(
    checked: list[str], conditions: dict[str, list[str]], expected: list[str]
) -> None:
    result = score_data(assessment_data(checked=checked, conditions=conditions))
    assert list(result.reasons) == expected


def test_critical_criterion_knocks_out_even_when_min_fraction_holds() -> None:
    rubric = modified_kcm_rubric(
        scoring={"rule": "min_fraction", "min_fraction": 0.8}, critical=["2.3.1.a"]
    )
    result = score_data(assessment_data(rubric, checked=all_but("2.3.1.a")), rubric)
    outcome = result.outcome("2")
    # 24 of 25 is well above 80 %, yet the knock-out criterion fails the Eindterm.
    assert (outcome.met, outcome.applicable, outcome.required) == (24, 25, 20)
    assert outcome.verdict == "fail"
    assert outcome.critical_missing == ("2.3.1.a",)
    assert result.verdict == "fail"
    assert "Eindterm 2 niet behaald: kritisch criterium 2.3.1.a ontbreekt." in result.reasons


def test_critical_criterion_met_lets_min_fraction_decide() -> None:
    rubric = modified_kcm_rubric(
        scoring={"rule": "min_fraction", "min_fraction": 0.8}, critical=["2.3.1.a"]
    )
    result = score_data(assessment_data(rubric, checked=all_but("2.1.1.a", "2.1.1.b")), rubric)
    assert result.outcome("2").verdict == "pass"
    assert result.verdict == "pass"
    assert "Eindterm 2 behaald: 23 van 25 criteria gecheckt (1 n.v.t.), minimaal 20 nodig." in (
        result.reasons
    )


def test_critical_and_other_missing_are_both_named() -> None:
    rubric = modified_kcm_rubric(critical=["2.3.1.a"])
    result = score_data(assessment_data(rubric, checked=all_but("2.3.1.a", "2.1.1.a")), rubric)
    assert result.reasons[2] == (
        "Eindterm 2 niet behaald: kritisch criterium 2.3.1.a ontbreekt. Verder ontbreekt 2.1.1.a."
    )


def test_critical_criterion_outside_its_condition_does_not_knock_out() -> None:
    rubric = modified_kcm_rubric(critical=["2.4.1.b"])
    result = score_data(assessment_data(rubric, checked=all_but("2.4.1.b")), rubric)
    assert result.verdict == "pass"


def test_eindterm_override_beats_rubric_default() -> None:
    rubric = modified_kcm_rubric(eindterm_scoring={"2": {"rule": "min_count", "min_count": 20}})
    result = score_data(assessment_data(rubric, checked=all_but("2.1.1.a", "2.1.1.b")), rubric)
    assert (result.outcome("2").verdict, result.outcome("2").required) == ("pass", 20)
    # Eindterm 1 keeps the rubric's rule "all".
    result = score_data(assessment_data(rubric, checked=all_but("1.1.1.a")), rubric)
    assert result.outcome("1").verdict == "fail"


# --- boundaries of min_count and min_fraction on small rubrics ------------------------------


def small(count: int, scoring: Mapping[str, Any], *, allow_na: bool = False) -> Rubric:
    return rubric_from_data(small_rubric_data([count], scoring=scoring, allow_na=allow_na))


def score_small(rubric: Rubric, met: int, *, na: int = 0) -> ScoreResult:
    ids = rubric.criterion_ids()
    na_ids = dict.fromkeys(ids[len(ids) - na :], "past niet bij dit gesprek") if na else {}
    return score_data(assessment_data(rubric, checked=ids[:met], na=na_ids), rubric)


@pytest.mark.parametrize(
    ("count", "min_count", "met", "verdict"),
    [
        (5, 3, 3, "pass"),  # exactly enough
        (5, 3, 2, "fail"),  # one short
        (5, 5, 5, "pass"),
        (5, 5, 4, "fail"),
        (1, 1, 1, "pass"),
        (1, 1, 0, "fail"),
    ],
)
def test_min_count_boundary(count: int, min_count: int, met: int, verdict: str) -> None:
    result = score_small(small(count, {"rule": "min_count", "min_count": min_count}), met)
    outcome = result.outcomes[0]
    assert (outcome.verdict, outcome.required, outcome.met) == (verdict, min_count, met)


def test_min_count_above_applicable_fails_and_says_so() -> None:
    # Decided and documented: n.v.t. does not lower min_count; with 5 criteria of which 3 are
    # n.v.t., only 2 apply and the required 3 cannot be reached.
    rubric = small(5, {"rule": "min_count", "min_count": 3}, allow_na=True)
    result = score_small(rubric, 2, na=3)
    outcome = result.outcomes[0]
    assert (outcome.verdict, outcome.met, outcome.applicable, outcome.required) == (
        "fail",
        2,
        2,
        3,
    )
    assert result.reasons[1] == (
        "Eindterm 1 niet behaald: er zijn maar 2 criteria van toepassing (3 n.v.t.) "
        "en er moeten er minstens 3 gecheckt zijn."
    )


@pytest.mark.parametrize(
    ("count", "fraction", "met", "required", "verdict"),
    [
        # 0.7 x 10 is 7.000000000000001 in floating point; the exact rule needs 7, not 8.
        (10, 0.7, 7, 7, "pass"),
        (10, 0.7, 6, 7, "fail"),
        # 0.7 x 7 = 4.9, so 5 are needed.
        (7, 0.7, 5, 5, "pass"),
        (7, 0.7, 4, 5, "fail"),
        # 0.75 x 4 = 3 exactly.
        (4, 0.75, 3, 3, "pass"),
        (4, 0.75, 2, 3, "fail"),
        # 0.1 x 3 = 0.30000000000000004 in floating point; one criterion is enough.
        (3, 0.1, 1, 1, "pass"),
        (3, 0.1, 0, 1, "fail"),
        (20, 0.35, 7, 7, "pass"),
        (100, 0.29, 29, 29, "pass"),
        (100, 0.29, 28, 29, "fail"),
        (6, 1, 6, 6, "pass"),
        (6, 1.0, 5, 6, "fail"),
    ],
)
def test_min_fraction_boundary(
    count: int, fraction: float, met: int, required: int, verdict: str
) -> None:
    result = score_small(small(count, {"rule": "min_fraction", "min_fraction": fraction}), met)
    outcome = result.outcomes[0]
    assert (outcome.verdict, outcome.required) == (verdict, required)


def test_min_fraction_reasons() -> None:
    rubric = small(10, {"rule": "min_fraction", "min_fraction": 0.7})
    assert score_small(rubric, 6).reasons[1] == (
        "Eindterm 1 niet behaald: 6 van 10 criteria gecheckt en er zijn er minstens 7 nodig. "
        "Niet gecheckt: 1.1.1.g, 1.1.1.h, 1.1.1.i en 1.1.1.j."
    )
    assert score_small(rubric, 7).reasons[1] == (
        "Eindterm 1 behaald: 7 van 10 criteria gecheckt, minimaal 7 nodig."
    )


@pytest.mark.parametrize(
    ("fraction", "applicable", "required"),
    [(0.7, 10, 7), (0.7, 0, 0), (0.5, 3, 2), (0.9, 10, 9), (0.01, 1, 1), (0.333, 3, 1)],
)
def test_required_count_for_fractions(fraction: float, applicable: int, required: int) -> None:
    rule = ScoringRule(rule="min_fraction", min_fraction=fraction)
    assert required_count(rule, applicable) == required


def test_eindterm_with_nothing_applicable_fails() -> None:
    # Every criterion n.v.t. means nothing of the Eindterm was shown: not a pass.
    rubric = rubric_from_data(small_rubric_data([2, 1], allow_na=True))
    na = {"1.1.1.a": "niet gezien", "1.1.1.b": "niet gezien"}
    result = score_data(assessment_data(rubric, checked=["2.1.1.a"], na=na), rubric)
    assert (result.outcome("1").verdict, result.outcome("1").applicable) == ("fail", 0)
    assert result.reasons[1] == (
        "Eindterm 1 niet behaald: geen enkel criterium is van toepassing "
        "(alle 2 zijn n.v.t.), dus er is niets beoordeeld."
    )
    assert result.outcome("2").verdict == "pass"


def test_singular_wording_for_one_criterion() -> None:
    rubric = rubric_from_data(small_rubric_data([1]))
    result = score_data(assessment_data(rubric), rubric)
    assert result.reasons == (
        "Geslaagd: Eindterm 1 is behaald.",
        "Eindterm 1 behaald: 1 van 1 criterium gecheckt.",
    )


# --- what the result carries besides the verdict -------------------------------------------


def test_final_is_carried_from_status() -> None:
    assert score_data(assessment_data(status="final")).final is True
    assert score_data(assessment_data(status="draft")).final is False


def test_draft_with_empty_fields_still_scores_and_lists_what_is_missing() -> None:
    data = assessment_data(fields={"bedrijf": "", "naam_kandidaat": "  "}, conditions=UNSET)
    result = score_data(data)
    assert result.missing_fields == (
        "bedrijf",
        "naam_kandidaat",
        "datum",
        "geboortedatum_kandidaat",
    )
    assert result.missing_conditions == ("gesprekstype",)


def test_not_applicable_lists_condition_and_manual_na() -> None:
    result = score_data(assessment_data(checked=all_but("1.1.1.c"), na={"1.1.1.c": "reden"}))
    assert result.not_applicable == ("1.1.1.c", "2.4.1.b")


def test_json_data_has_exactly_the_cli_contract_keys() -> None:
    data = score_data(assessment_data(checked=all_but("2.1.1.a"))).to_json_data()
    assert list(data) == ["verdict", "final", "outcomes", "reasons"]
    assert data["outcomes"][1] == {
        "id": "2",
        "verdict": "fail",
        "met": 24,
        "applicable": 25,
        "required": 25,
        "missing": ["2.1.1.a"],
    }


def test_scoring_an_assessment_of_another_rubric_is_refused() -> None:
    other = rubric_from_data(small_rubric_data([1]))
    assessment = load_assessment_data(assessment_data(other), other)
    with pytest.raises(KcmError) as info:
        score(kcm_rubric(), assessment)
    assert info.value.problems[0].path == "$.rubric"
