"""Properties of scoring that must hold for any assessment and any rule (hypothesis)."""

from __future__ import annotations

import copy
from fractions import Fraction
from typing import Any

import pytest

pytest.importorskip("hypothesis")

from _strategies import rubric_and_assessment
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from kcm_core.assessment import load_assessment_data
from kcm_core.model import Rubric, ScoringRule
from kcm_core.scoring import criterion_state, required_count, score

SETTINGS = settings(
    deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large]
)


def _eindterm_of(rubric: Rubric, criterion_id: str) -> str:
    return rubric.eindterm_of(criterion_id).id


@SETTINGS
@given(rubric_and_assessment(), st.data())
def test_ticking_one_more_criterion_never_turns_a_pass_into_a_fail(
    case: tuple[Rubric, dict[str, Any]], data: st.DataObject
) -> None:
    rubric, before = case
    criterion_id = data.draw(st.sampled_from(rubric.criterion_ids()))
    after = copy.deepcopy(before)
    # Ticking replaces whatever was there (an untick or a manual n.v.t.).
    after["criteria"][criterion_id] = {"checked": True}
    old = score(rubric, load_assessment_data(before, rubric))
    new = score(rubric, load_assessment_data(after, rubric))
    for old_outcome, new_outcome in zip(old.outcomes, new.outcomes, strict=True):
        if old_outcome.verdict == "pass":
            assert new_outcome.verdict == "pass"
    if old.verdict == "pass":
        assert new.verdict == "pass"


@SETTINGS
@given(rubric_and_assessment(), st.data())
def test_manual_na_changes_no_other_criterion(
    case: tuple[Rubric, dict[str, Any]], data: st.DataObject
) -> None:
    rubric, before = case
    allowed = [c.id for c in rubric.criteria() if c.allow_na and not c.critical]
    assume(allowed)
    target = data.draw(st.sampled_from(allowed))
    after = copy.deepcopy(before)
    after["criteria"][target] = {"na": True, "remark": "past niet bij dit gesprek"}
    a_before = load_assessment_data(before, rubric)
    a_after = load_assessment_data(after, rubric)

    for criterion in rubric.criteria():
        if criterion.id != target:
            assert criterion_state(criterion, a_after) == criterion_state(criterion, a_before)
    assert criterion_state(rubric.criterion(target), a_after) == "na"

    # The counts move only by the target's own contribution, and only in its Eindterm.
    old_state = criterion_state(rubric.criterion(target), a_before)
    old, new = score(rubric, a_before), score(rubric, a_after)
    for o, n in zip(old.outcomes, new.outcomes, strict=True):
        if o.id != _eindterm_of(rubric, target):
            assert (n.met, n.applicable, n.missing) == (o.met, o.applicable, o.missing)
        else:
            assert n.met == o.met - (old_state == "met")
            assert n.applicable == o.applicable - (old_state != "na")


@SETTINGS
@given(rubric_and_assessment())
def test_outcome_counts_are_consistent(case: tuple[Rubric, dict[str, Any]]) -> None:
    rubric, data = case
    result = score(rubric, load_assessment_data(data, rubric))
    assert result.verdict == (
        "pass" if all(o.verdict == "pass" for o in result.outcomes) else "fail"
    )
    for outcome in result.outcomes:
        total = len(list(next(e for e in rubric.eindtermen if e.id == outcome.id).criteria()))
        assert outcome.met + len(outcome.missing) == outcome.applicable
        assert outcome.applicable + len(outcome.not_applicable) == total
        assert set(outcome.critical_missing) <= set(outcome.missing)
        if outcome.verdict == "pass":
            assert outcome.met >= outcome.required
            assert not outcome.critical_missing
    # An overall reason, one per Eindterm, and one more when a draft misses n.v.t. reasons.
    assert len(result.reasons) == len(result.outcomes) + 1 + bool(result.missing_reasons)
    # An n.v.t. without a reason counts as not met (unless its condition already makes it
    # n.v.t.): it never helps a verdict, and finalising waits for the reason.
    missing = {cid for o in result.outcomes for cid in o.missing}
    assert set(result.missing_reasons) <= missing | set(result.not_applicable)
    assert not (result.final and result.missing_reasons)


@given(
    st.integers(min_value=1, max_value=1000),
    st.integers(min_value=1, max_value=1000),
    st.integers(min_value=0, max_value=5000),
)
def test_min_fraction_required_is_the_exact_ceiling(num: int, den: int, applicable: int) -> None:
    assume(num <= den)
    # A fraction as a rubric author writes it: a decimal number with up to 3 digits.
    decimal = round(num / den, 3)
    assume(decimal > 0)
    exact = Fraction(str(decimal))
    required = required_count(ScoringRule("min_fraction", min_fraction=decimal), applicable)
    # The smallest whole number k with k >= fraction x applicable, checked in integers.
    p, q = exact.numerator, exact.denominator
    assert required * q >= p * applicable
    assert required == 0 or (required - 1) * q < p * applicable
