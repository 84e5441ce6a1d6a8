"""Sealing a finalised assessment and verifying the seal (design §4 ``result``, ``seal``; §5).

At finalising, kcm_core writes two keys into the record:

- ``result``: the verdict and the outcome per Eindterm from kcm_core's own scoring
  (``recorded_result``), so the file says what the assessor saw;
- ``seal``: ``{"sha256": ...}``, the sha256 of the canonical JSON (``kcm_core.canonical``, the
  same form as the rubric hash) of the normalised record without ``seal`` (``seal_sha256``).

A seal makes a change visible: any change to a sealed record (a tick, a name, the result)
gives another hash. It is not a signature with a key: whoever changes a record can compute a
new seal. It proves that the file is what kcm_core wrote, not who wrote it.

The hash is taken over the *normalised* record (``Assessment.to_json_data``), so a change
that loading undoes (key order, spaces, ``"na": false``) does not break the seal: the content
is the same.

``verify`` checks a record: loaded against its rubric, final, not a practice record, sealed,
the seal matches, and the recorded result equals a fresh scoring.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any, Literal

from kcm_core.assessment_exam import RecordedResult
from kcm_core.assessment_load import collection_records, load_assessment_data
from kcm_core.assessment_model import FORMAT_MANY, Assessment, assessment_id_problem
from kcm_core.canonical import rubric_sha256, sha256_of_data
from kcm_core.errors import KcmError, PathParts, Problem, quote
from kcm_core.model import Rubric
from kcm_core.scoring import ScoreResult, score

__all__ = [
    "NOT_FINAL",
    "NOT_SEALED",
    "Verification",
    "VerifyState",
    "check_sealed",
    "check_sealed_scored",
    "recorded_result",
    "seal_assessment",
    "seal_record",
    "seal_sha256",
    "verify",
    "verify_data",
    "verify_document",
]

# The words design §5 names, at the start of their messages, so that people and scripts that
# look for them find them.
NOT_FINAL = "niet afgerond"
NOT_SEALED = "niet verzegeld"

# What a verification found, for a page that words it in its own way:
# "sealed" all good; "invalid" the record does not load (or belongs to another rubric);
# "draft" not finalised; "practice" a self-assessment; "unsealed" finalised without a seal;
# "changed" the seal or the result does not match the content.
VerifyState = Literal["sealed", "invalid", "draft", "practice", "unsealed", "changed"]


@dataclass(frozen=True, slots=True)
class Verification:
    """The outcome of verifying one record: its state and every problem (none when sealed)."""

    state: VerifyState
    problems: tuple[Problem, ...] = ()

    @property
    def ok(self) -> bool:
        return self.state == "sealed"


def recorded_result(rubric: Rubric, assessment: Assessment) -> RecordedResult:
    """The ``result`` key for ``assessment``: kcm_core's verdict and per-Eindterm outcomes."""
    return _recorded(score(rubric, assessment))


def _recorded(scored: ScoreResult) -> RecordedResult:
    return RecordedResult(
        scored.verdict, MappingProxyType({o.id: o.verdict for o in scored.outcomes})
    )


def seal_sha256(assessment: Assessment) -> str:
    """The sha256 of the canonical JSON of the normalised record without ``seal``."""
    data = assessment.to_json_data()
    data.pop("seal", None)
    return sha256_of_data(data)


def seal_assessment(
    assessment: Assessment, rubric: Rubric, *, sha256: str | None = None
) -> Assessment:
    """``assessment`` (final) with a fresh ``result`` and ``seal``; raises KcmError when it
    cannot be sealed. An older result and seal (a record signed after finalising) are
    replaced. The rubric's sha256 is filled in when the record lacked it.
    """
    rubric_hash = sha256 if sha256 is not None else rubric_sha256(rubric)
    problems: list[Problem] = []
    if not assessment.final:
        problems.append(
            Problem(
                ("status",),
                f"{NOT_FINAL}: alleen een afgeronde beoordeling (status 'final') krijgt een "
                "zegel; rond de beoordeling eerst af",
            )
        )
    if not assessment.practice and not assessment.assessors:
        problems.append(
            Problem(
                ("assessors",),
                "de naam van de beoordelaar ontbreekt: een examenbeoordeling zegt wie beoordeelde",
            )
        )
    if assessment.rubric.sha256 not in (None, rubric_hash):
        problems.append(_other_rubric_content(rubric))
    if problems:
        raise KcmError(problems)
    with_result = dataclasses.replace(
        assessment,
        rubric=dataclasses.replace(assessment.rubric, sha256=rubric_hash),
        result=recorded_result(rubric, assessment),
        seal=None,
    )
    return dataclasses.replace(with_result, seal=seal_sha256(with_result))


def seal_record(assessment: Assessment, rubric: Rubric) -> dict[str, Any]:
    """The final record with ``result`` and ``seal``, as JSON data (see ``seal_assessment``)."""
    return seal_assessment(assessment, rubric).to_json_data()


def check_sealed(
    assessment: Assessment, rubric: Rubric, *, sha256: str | None = None
) -> Verification:
    """Verify an assessment that already loaded against ``rubric`` (see ``verify``)."""
    return check_sealed_scored(assessment, rubric, sha256=sha256)[0]


def check_sealed_scored(
    assessment: Assessment, rubric: Rubric, *, sha256: str | None = None
) -> tuple[Verification, ScoreResult | None]:
    """``check_sealed``, and the fresh score it compared the recorded result with (None when
    it stopped before: a draft, a practice record, no seal). The exam office's report needs
    that score too; scoring each record once halves its scoring time."""
    if not assessment.final:
        return Verification(
            "draft",
            (
                Problem(
                    ("status",),
                    f"{NOT_FINAL}: dit is een concept (status 'draft'), geen uitslag",
                ),
            ),
        ), None
    if assessment.practice:
        return Verification(
            "practice",
            (
                Problem(
                    ("practice",),
                    "dit is een oefening van de kandidaat zelf, nooit een examenuitslag",
                ),
            ),
        ), None
    if assessment.seal is None:
        return Verification(
            "unsealed",
            (
                Problem(
                    (),
                    f"{NOT_SEALED}: afgerond zonder zegel (voordat kcm zegels schreef, of het "
                    "zegel is weggehaald), dus een wijziging is niet te zien; heropen de "
                    "beoordeling in de checklist en rond hem opnieuw af",
                ),
            ),
        ), None
    problems: list[Problem] = []
    rubric_hash = sha256 if sha256 is not None else rubric_sha256(rubric)
    if assessment.rubric.sha256 is None:
        problems.append(
            Problem(
                ("rubric",),
                "de sleutel 'sha256' ontbreekt: een verzegelde beoordeling noemt de rubric "
                "waarmee hij gescoord is",
            )
        )
    elif assessment.rubric.sha256 != rubric_hash:
        problems.append(_other_rubric_content(rubric))
    actual = seal_sha256(assessment)
    if actual != assessment.seal:
        problems.append(
            Problem(
                ("seal", "sha256"),
                f"het zegel klopt niet: de beoordeling is veranderd na het afronden (zegel "
                f"{assessment.seal[:12]}…, de inhoud geeft {actual[:12]}…)",
            )
        )
    scored = score(rubric, assessment)
    problems.extend(_result_problems(assessment, scored))
    if not assessment.assessors:
        problems.append(Problem(("assessors",), "de naam van de beoordelaar ontbreekt"))
    return Verification("changed" if problems else "sealed", tuple(problems)), scored


def verify_data(
    record: Any, rubric: Rubric, *, sha256: str | None = None, path: PathParts = ()
) -> Verification:
    """Load one record's parsed JSON against ``rubric`` and verify it; problem paths start
    with ``path`` (the record's place in its file, such as ``("assessments", 3)``)."""
    try:
        assessment = load_assessment_data(record, rubric, sha256=sha256)
    except KcmError as error:
        return Verification("invalid", _under(path, error.problems))
    found = check_sealed(assessment, rubric, sha256=sha256)
    return dataclasses.replace(found, problems=_under(path, found.problems))


def verify(record: Any, rubric: Rubric) -> list[Problem]:
    """Every problem with one record (parsed JSON); an empty list when it is a finalised,
    sealed exam record whose seal matches and whose result equals a fresh scoring."""
    return list(verify_data(record, rubric).problems)


# Which rubric a record belongs to, from its parsed JSON: the rubric and its sha256 (or None
# to compute it), or the problem that none was found.
type RubricFinder = Callable[[Any], tuple[Rubric, str | None] | Problem]


@dataclass(frozen=True, slots=True)
class RecordVerification:
    """One record of a file: its place (``index`` in a collection, None for a file with one
    record), its id when that is a valid id, and what verifying it found."""

    index: int | None
    id: str | None
    verification: Verification

    def to_dict(self) -> dict[str, Any]:
        return {
            "index": self.index,
            "id": self.id,
            "state": self.verification.state,
            "problems": [p.to_dict() for p in self.verification.problems],
        }


def verify_document(
    data: Any, find_rubric: RubricFinder, fallback: Rubric
) -> tuple[RecordVerification, ...]:
    """Verify every record of a parsed file (one assessment or a collection), each against
    the rubric ``find_rubric`` names for it; paths start at the file's root. Raises KcmError
    when the file around the records is broken (``fallback`` builds that check)."""
    if isinstance(data, dict) and data.get("format") == FORMAT_MANY:
        items = collection_records(data, fallback)
        return tuple(
            _verify_item(item, find_rubric, ("assessments", index), index)
            for index, item in enumerate(items)
        )
    return (_verify_item(data, find_rubric, (), None),)


def _verify_item(
    item: Any, find_rubric: RubricFinder, path: PathParts, index: int | None
) -> RecordVerification:
    raw_id = item.get("id") if isinstance(item, dict) else None
    record_id = raw_id if assessment_id_problem(raw_id) is None else None
    found = find_rubric(item)
    if isinstance(found, Problem):
        verification = Verification("invalid", _under(path, (found,)))
    else:
        rubric, sha256 = found
        verification = verify_data(item, rubric, sha256=sha256, path=path)
    return RecordVerification(index, record_id, verification)


# --------------------------------------------------------------------------------------------


def _result_problems(assessment: Assessment, scored: ScoreResult) -> list[Problem]:
    recorded = assessment.result
    if recorded is None:
        return [Problem((), "de sleutel 'result' ontbreekt: de uitslag van het afronden")]
    fresh = _recorded(scored)
    problems: list[Problem] = []
    if recorded.verdict != fresh.verdict:
        problems.append(
            Problem(
                ("result", "verdict"),
                f"de uitslag {quote(recorded.verdict)} klopt niet met een nieuwe berekening: "
                f"{quote(fresh.verdict)}",
            )
        )
    for eindterm_id, verdict in fresh.outcomes.items():
        if recorded.outcomes.get(eindterm_id) != verdict:
            problems.append(
                Problem(
                    ("result", "outcomes", eindterm_id),
                    f"Eindterm {eindterm_id}: {quote(recorded.outcomes.get(eindterm_id))} "
                    f"klopt niet met een nieuwe berekening: {quote(verdict)}",
                )
            )
    return problems


def _other_rubric_content(rubric: Rubric) -> Problem:
    return Problem(
        ("rubric", "sha256"),
        f"de beoordeling is gemaakt met een andere inhoud van rubric {quote(rubric.id)} "
        f"versie {quote(rubric.version)}",
    )


def _under(path: PathParts, problems: tuple[Problem, ...]) -> tuple[Problem, ...]:
    if not path:
        return problems
    return tuple(Problem((*path, *p.parts), p.message) for p in problems)
