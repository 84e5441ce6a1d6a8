"""Scoring an assessment against its rubric (ARCHITECTURE.md §3).

The rules come from the rubric, never from here. This module only applies them:

- A criterion is *not applicable* (n.v.t.) when its ``applies_when`` condition has options
  selected and none of them is in ``any_of``. A condition with nothing selected yet leaves the
  criterion applicable: the strict reading, so a forgotten call type can only make the result
  harder, never easier. A criterion is also n.v.t. when the assessor set ``na`` by hand and the
  rubric allows it (``allow_na``, never for a critical criterion). An n.v.t. criterion counts
  neither as met nor in the total of applicable criteria.
- Per Eindterm the rule (the Eindterm's own ``scoring`` or else the rubric's) gives the number
  of criteria that must be met, ``required``:

  * ``all``: every applicable criterion, ``required = applicable``;
  * ``min_count``: ``required = min_count``. When fewer criteria than that are applicable, the
    Eindterm cannot pass, and the reason says so (the rubric asks for at least that many
    criteria shown; n.v.t. does not lower the bar);
  * ``min_fraction``: ``required = ceil(min_fraction x applicable)``, computed with exact
    fractions of the decimal number in the rubric (``0.7`` is 7/10, not the float just below
    it), so 0.7 of 10 is exactly 7.

- A critical criterion that applies and is not met fails its Eindterm whatever the count says.
- An Eindterm with no applicable criterion at all fails: nothing of it has been shown.
- The candidate passes when every Eindterm passes.

Every result carries short Dutch sentences (``reasons``) that say why. A draft also says what
finalising still needs: required header fields, required conditions, and reasons for an n.v.t.
set by hand (a draft may hold an n.v.t. without its reason; until it has one, the criterion
counts as applicable and not met).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any, Literal

from kcm_core.assessment_model import Assessment
from kcm_core.errors import KcmError, Problem, quote
from kcm_core.model import Criterion, Eindterm, Rubric, ScoringRule

__all__ = [
    "CriterionState",
    "EindtermOutcome",
    "ScoreResult",
    "Verdict",
    "applies_by_condition",
    "criterion_state",
    "required_count",
    "score",
]

Verdict = Literal["pass", "fail"]
CriterionState = Literal["met", "missing", "na"]

# A reason lists at most this many criterion ids; the full list is in ``missing``.
MAX_IDS_IN_REASON = 5


@dataclass(frozen=True, slots=True)
class EindtermOutcome:
    """How one Eindterm scored."""

    id: str
    verdict: Verdict
    met: int
    applicable: int
    required: int
    # Applicable criteria that are not ticked, in rubric order.
    missing: tuple[str, ...]
    # The critical ones among ``missing``: each alone fails the Eindterm.
    critical_missing: tuple[str, ...]
    not_applicable: tuple[str, ...]
    reason: str

    def to_json_data(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "verdict": self.verdict,
            "met": self.met,
            "applicable": self.applicable,
            "required": self.required,
            "missing": list(self.missing),
        }


@dataclass(frozen=True, slots=True)
class ScoreResult:
    """The overall verdict, per-Eindterm outcomes and the reasons in Dutch."""

    verdict: Verdict
    final: bool
    outcomes: tuple[EindtermOutcome, ...]
    reasons: tuple[str, ...]
    # Required header fields that are empty, required conditions with nothing selected, and
    # criteria set to n.v.t. without a reason: a draft still scores, but cannot be made final
    # like this.
    missing_fields: tuple[str, ...]
    missing_conditions: tuple[str, ...]
    missing_reasons: tuple[str, ...]
    not_applicable: tuple[str, ...]

    @property
    def passed(self) -> bool:
        return self.verdict == "pass"

    @property
    def complete(self) -> bool:
        """Whether everything finalising needs is filled in (always so for a final one)."""
        return not (self.missing_fields or self.missing_conditions or self.missing_reasons)

    def outcome(self, eindterm_id: str) -> EindtermOutcome:
        for outcome in self.outcomes:
            if outcome.id == eindterm_id:
                return outcome
        raise KeyError(eindterm_id)

    def to_json_data(self) -> dict[str, Any]:
        """The result as ``kcm score --format json`` prints it (ARCHITECTURE.md §5)."""
        return {
            "verdict": self.verdict,
            "final": self.final,
            "outcomes": [o.to_json_data() for o in self.outcomes],
            "reasons": list(self.reasons),
        }

    def to_browser_data(self) -> dict[str, Any]:
        """The result as the checklist worker receives it (browser API ``score``)."""
        data = self.to_json_data()
        data["missing_fields"] = list(self.missing_fields)
        data["missing_conditions"] = list(self.missing_conditions)
        data["missing_reasons"] = list(self.missing_reasons)
        data["complete"] = self.complete
        data["not_applicable"] = list(self.not_applicable)
        return data


def applies_by_condition(criterion: Criterion, assessment: Assessment) -> bool:
    """Whether the criterion's condition holds; true when nothing is selected yet."""
    when = criterion.applies_when
    if when is None:
        return True
    selected = assessment.selected(when.condition)
    if not selected:
        return True
    return any(option in selected for option in when.any_of)


def criterion_state(criterion: Criterion, assessment: Assessment) -> CriterionState:
    if not applies_by_condition(criterion, assessment):
        return "na"
    mark = assessment.mark(criterion.id)
    # The loader refuses a manual n.v.t. that the rubric does not allow; an Assessment built
    # by hand might still carry one, and then the rubric wins: the criterion stays applicable.
    # A manual n.v.t. counts only with its reason. Until the assessor writes one (a draft may
    # wait), the criterion stays applicable and unticked, so it can never turn a fail into a
    # pass; missing_reasons says what finalising still needs.
    if mark.na and criterion.allow_na and not criterion.critical and not mark.needs_reason:
        return "na"
    return "met" if mark.checked else "missing"


def required_count(rule: ScoringRule, applicable: int) -> int:
    """How many applicable criteria must be met under ``rule``."""
    if rule.rule == "all":
        return applicable
    if rule.rule == "min_count":
        if rule.min_count is None:
            raise ValueError("scoring rule min_count has no min_count")
        return rule.min_count
    if rule.rule == "min_fraction":
        if rule.min_fraction is None:
            raise ValueError("scoring rule min_fraction has no min_fraction")
        # repr() gives the shortest decimal that reads back as this float ("0.7"), and
        # Fraction("0.7") is exactly 7/10: no rounding error at the boundary.
        fraction = Fraction(repr(rule.min_fraction))
        return math.ceil(fraction * applicable)
    raise ValueError(f"unknown scoring rule {rule.rule!r}")


def score(rubric: Rubric, assessment: Assessment) -> ScoreResult:
    """Score ``assessment`` (already checked against ``rubric`` by the loader)."""
    if assessment.rubric.id != rubric.id or assessment.rubric.version != rubric.version:
        raise KcmError(
            (
                Problem(
                    ("rubric",),
                    f"deze beoordeling hoort bij rubric {quote(assessment.rubric.id)} versie "
                    f"{quote(assessment.rubric.version)}, niet bij rubric {quote(rubric.id)} "
                    f"versie {quote(rubric.version)}",
                ),
            )
        )
    outcomes = tuple(_score_eindterm(rubric, e, assessment) for e in rubric.eindtermen)
    failed = [o.id for o in outcomes if o.verdict == "fail"]
    verdict: Verdict = "fail" if failed else "pass"
    # The loader refuses these in a final assessment; a draft may hold them for now.
    missing_reasons = tuple(c.id for c in rubric.criteria() if assessment.mark(c.id).needs_reason)
    reasons = (_overall_reason(outcomes, failed), *(o.reason for o in outcomes))
    if missing_reasons:
        reasons = (*reasons, f"Bij n.v.t. ontbreekt nog een reden: {_ids(missing_reasons)}.")
    return ScoreResult(
        verdict=verdict,
        final=assessment.final,
        outcomes=outcomes,
        reasons=reasons,
        missing_fields=tuple(
            f.id
            for f in rubric.fields
            if f.required and not assessment.fields.get(f.id, "").strip()
        ),
        missing_conditions=tuple(
            c.id for c in rubric.conditions if c.required and not assessment.selected(c.id)
        ),
        missing_reasons=missing_reasons,
        not_applicable=tuple(na for o in outcomes for na in o.not_applicable),
    )


def _score_eindterm(rubric: Rubric, eindterm: Eindterm, assessment: Assessment) -> EindtermOutcome:
    met = 0
    missing: list[str] = []
    critical_missing: list[str] = []
    not_applicable: list[str] = []
    for criterion in eindterm.criteria():
        state = criterion_state(criterion, assessment)
        if state == "met":
            met += 1
        elif state == "na":
            not_applicable.append(criterion.id)
        else:
            missing.append(criterion.id)
            if criterion.critical:
                critical_missing.append(criterion.id)
    applicable = met + len(missing)
    rule = rubric.rule_for(eindterm)
    required = required_count(rule, applicable)
    passed = applicable > 0 and met >= required and not critical_missing
    outcome_missing = tuple(missing)
    return EindtermOutcome(
        id=eindterm.id,
        verdict="pass" if passed else "fail",
        met=met,
        applicable=applicable,
        required=required,
        missing=outcome_missing,
        critical_missing=tuple(critical_missing),
        not_applicable=tuple(not_applicable),
        reason=_eindterm_reason(
            eindterm,
            rule,
            passed,
            met,
            applicable,
            required,
            outcome_missing,
            critical_missing,
            len(not_applicable),
        ),
    )


# --------------------------------------------------------------------------------------------
# Reasons, in plain Dutch (B1)


def _join(items: Sequence[str]) -> str:
    """ "a", "a en b", "a, b en c"."""
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " en " + items[-1]


def _ids(ids: Sequence[str]) -> str:
    if len(ids) <= MAX_IDS_IN_REASON:
        return _join(ids)
    rest = len(ids) - MAX_IDS_IN_REASON
    return ", ".join(ids[:MAX_IDS_IN_REASON]) + f" en nog {rest} andere"


def _criteria(count: int) -> str:
    return "criterium" if count == 1 else "criteria"


def _missing_clause(ids: Sequence[str], *, further: bool) -> str:
    """Say which ids are missing: "2.1.1.a ontbreekt", "verder ontbreken 2.1.1.a en 2.1.1.b"."""
    verb = "ontbreekt" if len(ids) == 1 else "ontbreken"
    if len(ids) > MAX_IDS_IN_REASON:
        head = f"{len(ids)} criteria"
        lead = f"verder {verb} nog {head}" if further else f"{head} {verb}"
        return f"{lead} ({_ids(ids)})"
    return f"verder {verb} {_ids(ids)}" if further else f"{_ids(ids)} {verb}"


def _eindterm_reason(
    eindterm: Eindterm,
    rule: ScoringRule,
    passed: bool,
    met: int,
    applicable: int,
    required: int,
    missing: Sequence[str],
    critical_missing: Sequence[str],
    na_count: int,
) -> str:
    name = f"Eindterm {eindterm.id}"
    na_note = f" ({na_count} n.v.t.)" if na_count else ""
    counted = f"{met} van {applicable} {_criteria(applicable)} gecheckt{na_note}"
    if passed:
        if rule.rule == "all":
            return f"{name} behaald: {counted}."
        return f"{name} behaald: {counted}, minimaal {required} nodig."

    if applicable == 0:
        return (
            f"{name} niet behaald: geen enkel criterium is van toepassing "
            f"(alle {na_count} zijn n.v.t.), dus er is niets beoordeeld."
        )
    sentences: list[str] = []
    if critical_missing:
        if len(critical_missing) == 1:
            sentences.append(f"kritisch criterium {critical_missing[0]} ontbreekt")
        else:
            sentences.append(f"kritische criteria {_ids(critical_missing)} ontbreken")
    if met < required:
        if rule.rule == "all":
            others = [c for c in missing if c not in critical_missing]
            if others:
                sentences.append(_missing_clause(others, further=bool(critical_missing)))
        else:
            if required > applicable:
                sentences.append(
                    f"er {'is' if applicable == 1 else 'zijn'} maar {applicable} "
                    f"{_criteria(applicable)} van toepassing{na_note} en er moeten er minstens "
                    f"{required} gecheckt zijn"
                )
            else:
                sentences.append(f"{counted} en er zijn er minstens {required} nodig")
            if missing:
                sentences.append(f"niet gecheckt: {_ids(missing)}")
    text = ". ".join(s[0].upper() + s[1:] if i else s for i, s in enumerate(sentences))
    return f"{name} niet behaald: {text}."


def _overall_reason(outcomes: Sequence[EindtermOutcome], failed: Sequence[str]) -> str:
    if not failed:
        if len(outcomes) == 1:
            return f"Geslaagd: Eindterm {outcomes[0].id} is behaald."
        return f"Geslaagd: alle {len(outcomes)} Eindtermen zijn behaald."
    if len(failed) == 1:
        return f"Niet geslaagd: Eindterm {failed[0]} is niet behaald."
    return f"Niet geslaagd: Eindtermen {_join(failed)} zijn niet behaald."
