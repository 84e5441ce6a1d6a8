"""Agreement between two assessors of the same candidate: which records form a pair, and
Cohen's kappa per criterion (design §5 ``kcm report``).

A pair is two sealed originals (not joint records) of the same rubric content and candidate
(``naam_kandidaat`` and ``geboortedatum_kandidaat``, compared as ``kcm merge`` does: without
case and extra spaces). A joint record names its pair in ``sources``; without one, a candidate
with exactly two originals by two different assessors is a pair. More originals without a
joint record are ambiguous (a resit, a third assessor) and are not paired: a wrong pair would
make the figures look worse or better than they are.

Answers compared per criterion are the scoring states (met, not met, n.v.t.). Kappa is
``(po - pe) / (1 - pe)`` with exact fractions; when ``pe`` is 1 (both assessors gave one and
the same answer every time) it is undefined and None, written as an empty cell, never 1 or 0.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Hashable, Sequence
from fractions import Fraction

from kcm_core.assessment_model import Assessment
from kcm_core.model import Criterion, Rubric
from kcm_core.report_model import AssessorPairAgreement, CriterionAgreement
from kcm_core.scoring import CriterionState, criterion_state

# A record's answer to one criterion: kcm_core's scoring state (or the same read from a score
# already made, which the report does: it scored every record when it checked the seal).
type StateOf = Callable[[Criterion, Assessment], CriterionState]

__all__ = ["agreement", "candidate_key", "cohen_kappa", "find_pairs"]


def cohen_kappa(answers: Sequence[tuple[Hashable, Hashable]]) -> float | None:
    """Cohen's kappa over (answer A, answer B) pairs; None without pairs or variation."""
    total = len(answers)
    if total == 0:
        return None
    observed = Fraction(sum(1 for a, b in answers if a == b), total)
    by_a = Counter(a for a, _ in answers)
    by_b = Counter(b for _, b in answers)
    expected = sum((Fraction(by_a[k] * by_b[k], total * total) for k in by_a), Fraction(0))
    if expected == 1:
        return None
    return float((observed - expected) / (1 - expected))


def candidate_key(assessment: Assessment) -> tuple[str, str, str]:
    """Rubric content and candidate, compared without case and extra spaces."""

    def norm(value: str) -> str:
        return " ".join(value.split()).casefold()

    return (
        assessment.rubric.sha256 or "",
        norm(assessment.fields.get("naam_kandidaat", "")),
        norm(assessment.fields.get("geboortedatum_kandidaat", "")),
    )


def _assessor(assessment: Assessment) -> str:
    return assessment.assessors[0].name if assessment.assessors else ""


def find_pairs(records: Sequence[Assessment]) -> list[tuple[Assessment, Assessment]]:
    """The pairs among sealed records (see the module docstring), each original used once."""
    originals = {a.id: a for a in records if not a.joint}
    used: set[str] = set()
    pairs: list[tuple[Assessment, Assessment]] = []
    for joint in (a for a in records if a.joint):
        first, second = (originals.get(s.id) for s in joint.sources[:2])
        if first is None or second is None or {first.id, second.id} & used:
            continue
        used.update((first.id, second.id))
        pairs.append((first, second))
    by_candidate: defaultdict[tuple[str, str, str], list[Assessment]] = defaultdict(list)
    for record in originals.values():
        if record.id not in used:
            by_candidate[candidate_key(record)].append(record)
    for group in by_candidate.values():
        if len(group) == 2:
            first, second = group
            if _assessor(first).casefold() != _assessor(second).casefold():
                pairs.append((first, second))
    return pairs


def agreement(
    rubric: Rubric,
    pairs: Sequence[tuple[Assessment, Assessment]],
    state_of: StateOf = criterion_state,
) -> tuple[tuple[CriterionAgreement, ...], tuple[AssessorPairAgreement, ...]]:
    """Agreement per criterion (rubric order) and per assessor pair (sorted by names)."""
    if not pairs:
        return (), ()
    per_criterion: list[CriterionAgreement] = []
    # (name, name) -> [pairs, compared, agreements]
    per_assessors: defaultdict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0, 0])
    for a, b in pairs:
        names = sorted((_assessor(a), _assessor(b)))
        per_assessors[(names[0], names[1])][0] += 1
    for criterion in rubric.criteria():
        answers = [(state_of(criterion, a), state_of(criterion, b)) for a, b in pairs]
        same = sum(1 for x, y in answers if x == y)
        per_criterion.append(
            CriterionAgreement(criterion.id, len(answers), same, cohen_kappa(answers))
        )
        for (a, b), (x, y) in zip(pairs, answers, strict=True):
            names = sorted((_assessor(a), _assessor(b)))
            counts = per_assessors[(names[0], names[1])]
            counts[1] += 1
            counts[2] += x == y
    return tuple(per_criterion), tuple(
        AssessorPairAgreement(names[0], names[1], *counts)
        for names, counts in sorted(per_assessors.items())
    )
