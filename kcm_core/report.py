"""The exam office's report over many exported records (design §5 ``kcm report``; issue 14).

``build_report`` is pure: parsed records in, a ``Report`` out. ``ReportBuilder`` does the same
file by file: the command line (``kcm_core.report_cli``) and the browser page (through
``kcm_core.browser_api.report_add``) feed it the same way, so they give the same numbers. Each
record is loaded once and scored once (the seal check's score, ``check_sealed_scored``); every
rate comes from those scores. What counts:

- every record is loaded against the rubric it names (id, version and, when present, sha256)
  and verified (``kcm_core.seal.check_sealed``): only a final, sealed exam record whose seal and
  result match counts. Drafts, practice records, records without a seal, changed records and
  records that do not load are listed in ``Report.skipped`` with the reason, never counted;
- a record met twice (same id and seal: exported in two files) counts once;
- a joint record counts for pass rates in place of its two originals (matched through
  ``sources[].id``); the originals count for agreement (``kcm_core.report_agreement``);
- verdicts come from kcm_core's own scoring (``kcm_core.scoring``), never from the file.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from kcm_core.assessment_load import collection_records, load_assessment_data
from kcm_core.assessment_model import FORMAT_MANY, Assessment, assessment_id_problem
from kcm_core.canonical import rubric_sha256
from kcm_core.errors import KcmError, Problem, quote
from kcm_core.model import Criterion, Rubric
from kcm_core.report_agreement import agreement, find_pairs
from kcm_core.report_model import (
    CandidateRow,
    CriterionRate,
    EindtermRate,
    MonthCount,
    Report,
    RubricReport,
    SkippedRecord,
    SourceRecord,
)
from kcm_core.rubric_ref import named_rubric, rubric_ref
from kcm_core.scoring import CriterionState, ScoreResult
from kcm_core.seal import check_sealed_scored

__all__ = ["ReportBuilder", "build_report", "document_records"]

_DATE = re.compile(r"(\d{4}-\d{2})-\d{2}")


@dataclass(frozen=True, slots=True)
class _Counted:
    assessment: Assessment
    rubric: Rubric
    sha256: str
    # The score the seal check made: every figure of the report comes from it (scored once).
    scored: ScoreResult


def document_records(source: str, data: object, fallback: Rubric) -> list[SourceRecord]:
    """The records of one parsed file (one assessment or a ``kcm-assessments`` collection);
    raises KcmError when the collection around them is broken (``fallback`` checks that)."""
    if isinstance(data, dict) and data.get("format") == FORMAT_MANY:
        items = collection_records(data, fallback)
        return [SourceRecord(source, ("assessments", i), item) for i, item in enumerate(items)]
    return [SourceRecord(source, (), data)]


def build_report(records: Iterable[SourceRecord], rubrics: Iterable[Rubric]) -> Report:
    """The report over ``records``, each scored against the rubric of ``rubrics`` it names."""
    builder = ReportBuilder((rubric, rubric_sha256(rubric)) for rubric in rubrics)
    builder.add(records)
    return builder.result()


class ReportBuilder:
    """A report built file by file: ``add`` loads, verifies and scores records (the costly
    part, so a page can show progress between files), ``result`` counts what was added.

    ``shelf``: every rubric a record may name, each with its sha256 (computed once, by the
    caller that holds them: the command line's ``rubric/`` folder, the browser engine's shelf).
    Only the verified records are kept (not their parsed JSON), so memory grows with the
    number of records and nothing else.
    """

    def __init__(self, shelf: Iterable[tuple[Rubric, str]]) -> None:
        self._shelf = tuple(shelf)
        self._skipped: list[SkippedRecord] = []
        self._seen: dict[tuple[str, str], str] = {}
        self._groups: defaultdict[tuple[str, str, str], list[_Counted]] = defaultdict(list)
        self._records = 0

    def add(self, records: Iterable[SourceRecord]) -> tuple[SkippedRecord, ...]:
        """Verify and keep ``records``; returns those of them that are not counted."""
        first_skipped = len(self._skipped)
        for record in records:
            self._records += 1
            counted = _verified(record, self._shelf, self._skipped)
            if counted is None:
                continue
            assessment = counted.assessment
            key = (assessment.id, assessment.seal or "")
            if key in self._seen:
                message = f"staat al in {quote(self._seen[key])}: één keer geteld"
                self._skipped.append(
                    SkippedRecord(
                        record.source,
                        assessment.id,
                        "duplicate",
                        (Problem(record.parts, message),),
                    )
                )
                continue
            self._seen[key] = record.source
            rubric = counted.rubric
            self._groups[(rubric.id, rubric.version, counted.sha256)].append(counted)
        return tuple(self._skipped[first_skipped:])

    def result(self) -> Report:
        """The report over every record added so far."""
        return Report(
            tuple(_rubric_report(self._groups[key]) for key in sorted(self._groups)),
            tuple(self._skipped),
            self._records,
        )


def _verified(
    record: SourceRecord, shelf: Sequence[tuple[Rubric, str]], skipped: list[SkippedRecord]
) -> _Counted | None:
    raw_id = record.data.get("id") if isinstance(record.data, dict) else None
    record_id = raw_id if assessment_id_problem(raw_id) is None else None
    found = _find_rubric(record.data, shelf)
    if isinstance(found, Problem):
        skipped.append(SkippedRecord(record.source, record_id, "invalid", _under(record, (found,))))
        return None
    rubric, sha256 = found
    try:
        assessment = load_assessment_data(record.data, rubric, sha256=sha256)
    except KcmError as error:
        skipped.append(
            SkippedRecord(record.source, record_id, "invalid", _under(record, error.problems))
        )
        return None
    verification, scored = check_sealed_scored(assessment, rubric, sha256=sha256)
    if not verification.ok or scored is None:
        skipped.append(
            SkippedRecord(
                record.source,
                record_id,
                verification.state,
                _under(record, verification.problems),
            )
        )
        return None
    return _Counted(assessment, rubric, sha256, scored)


def _find_rubric(data: object, shelf: Sequence[tuple[Rubric, str]]) -> tuple[Rubric, str] | Problem:
    ref = rubric_ref(data)
    if ref is None:
        return Problem(("rubric",), "de beoordeling noemt geen rubric (id en versie)")
    found = named_rubric(data, shelf)
    if found is not None:
        return found
    return Problem(
        ("rubric",),
        f"geen rubric {quote(ref[0])} versie {quote(ref[1])} gevonden; geef het "
        "rubric-bestand op met --rubric",
    )


def _under(record: SourceRecord, problems: Iterable[Problem]) -> tuple[Problem, ...]:
    return tuple(Problem((*record.parts, *p.parts), p.message) for p in problems)


def _month(assessment: Assessment) -> str:
    """``YYYY-MM`` of the field ``datum``, else of ``finalized``; "" when neither has one."""
    for text in (assessment.fields.get("datum", ""), assessment.finalized or ""):
        match = _DATE.match(text.strip())
        if match:
            return match.group(1)
    return ""


def _rubric_report(group: Sequence[_Counted]) -> RubricReport:
    rubric, sha256 = group[0].rubric, group[0].sha256
    records = [c.assessment for c in group]
    replaced = {s.id for a in records if a.joint for s in a.sources}
    results = [c for c in group if c.assessment.id not in replaced]
    scores = [c.scored for c in results]
    eindtermen = tuple(
        EindtermRate(
            e.id,
            e.title,
            len(scores),
            sum(1 for s in scores if s.outcome(e.id).verdict == "pass"),
        )
        for e in rubric.eindtermen
    )
    months: defaultdict[str, list[int]] = defaultdict(lambda: [0, 0])
    for counted in results:
        counts = months[_month(counted.assessment)]
        counts[0] += 1
        counts[1] += counted.scored.passed
    # Each record's answers as its score found them: only the criteria not met are listed.
    answers = {id(c.assessment): _not_met(c.scored) for c in group}

    def state_of(criterion: Criterion, assessment: Assessment) -> CriterionState:
        return answers[id(assessment)].get(criterion.id, "met")

    per_criterion, per_assessors = agreement(rubric, find_pairs(records), state_of)
    return RubricReport(
        rubric_id=rubric.id,
        version=rubric.version,
        title=rubric.title,
        sha256=sha256,
        assessed=len(scores),
        passed=sum(1 for s in scores if s.passed),
        criteria=_criterion_rates(rubric, scores),
        eindtermen=eindtermen,
        months=tuple(MonthCount(m, *counts) for m, counts in sorted(months.items())),
        agreement=per_criterion,
        assessor_pairs=per_assessors,
        candidates=tuple(
            sorted(
                (_candidate_row(rubric, c.assessment, c.scored) for c in results),
                key=lambda row: (row.date, row.candidate.casefold(), row.record_id),
            )
        ),
        condition_ids=tuple(c.id for c in rubric.conditions),
    )


def _not_met(scored: ScoreResult) -> Mapping[str, CriterionState]:
    """The criteria of a score that are not met (missing or n.v.t.); every other one is met."""
    states: dict[str, CriterionState] = {}
    for outcome in scored.outcomes:
        states.update(dict.fromkeys(outcome.missing, "missing"))
        states.update(dict.fromkeys(outcome.not_applicable, "na"))
    return states


def _criterion_rates(rubric: Rubric, scores: Sequence[ScoreResult]) -> tuple[CriterionRate, ...]:
    """Per criterion in rubric order, from the scores' lists of missing and n.v.t. criteria
    (short), not criterion by criterion again: what is neither, is met."""
    missing: Counter[str] = Counter()
    not_applicable: Counter[str] = Counter()
    for scored in scores:
        for outcome in scored.outcomes:
            missing.update(outcome.missing)
            not_applicable.update(outcome.not_applicable)
    total = len(scores)
    return tuple(
        CriterionRate(
            criterion.id,
            eindterm.id,
            total - not_applicable[criterion.id],
            total - not_applicable[criterion.id] - missing[criterion.id],
            not_applicable[criterion.id],
        )
        for eindterm in rubric.eindtermen
        for criterion in eindterm.criteria()
    )


def _candidate_row(rubric: Rubric, assessment: Assessment, scored: ScoreResult) -> CandidateRow:
    return CandidateRow(
        record_id=assessment.id,
        candidate=assessment.fields.get("naam_kandidaat", ""),
        birth_date=assessment.fields.get("geboortedatum_kandidaat", ""),
        date=assessment.fields.get("datum", "") or (assessment.finalized or "")[:10],
        assessors=tuple(a.name for a in assessment.assessors),
        conditions=tuple((c.id, assessment.selected(c.id)) for c in rubric.conditions),
        verdict=scored.verdict,
        outcomes=tuple((o.id, o.verdict) for o in scored.outcomes),
        not_applicable=len(scored.not_applicable),
        seal=assessment.seal or "",
        joint=assessment.joint,
    )
