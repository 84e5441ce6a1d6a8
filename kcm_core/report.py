"""The exam office's report over many exported records (design §5 ``kcm report``; issue 14).

``build_report`` is pure: parsed records in, a ``Report`` out. The command line
(``kcm_core.report_cli``) and the browser page feed it the same way, so they give the same
numbers. What counts:

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
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from kcm_core.assessment_load import collection_records, load_assessment_data
from kcm_core.assessment_model import FORMAT_MANY, Assessment, assessment_id_problem
from kcm_core.canonical import rubric_sha256
from kcm_core.errors import KcmError, Problem, quote
from kcm_core.model import Rubric
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
from kcm_core.scoring import ScoreResult, criterion_state, score
from kcm_core.seal import check_sealed

__all__ = ["build_report", "document_records"]

_DATE = re.compile(r"(\d{4}-\d{2})-\d{2}")


@dataclass(frozen=True, slots=True)
class _Counted:
    assessment: Assessment
    rubric: Rubric
    sha256: str


def document_records(source: str, data: object, fallback: Rubric) -> list[SourceRecord]:
    """The records of one parsed file (one assessment or a ``kcm-assessments`` collection);
    raises KcmError when the collection around them is broken (``fallback`` checks that)."""
    if isinstance(data, dict) and data.get("format") == FORMAT_MANY:
        items = collection_records(data, fallback)
        return [SourceRecord(source, ("assessments", i), item) for i, item in enumerate(items)]
    return [SourceRecord(source, (), data)]


def build_report(records: Iterable[SourceRecord], rubrics: Iterable[Rubric]) -> Report:
    """The report over ``records``, each scored against the rubric of ``rubrics`` it names."""
    shelf = [(rubric, rubric_sha256(rubric)) for rubric in rubrics]
    skipped: list[SkippedRecord] = []
    seen: dict[tuple[str, str], str] = {}
    groups: defaultdict[tuple[str, str, str], list[_Counted]] = defaultdict(list)
    total = 0
    for record in records:
        total += 1
        counted = _verified(record, shelf, skipped)
        if counted is None:
            continue
        assessment = counted.assessment
        key = (assessment.id, assessment.seal or "")
        if key in seen:
            skipped.append(
                SkippedRecord(
                    record.source,
                    assessment.id,
                    "duplicate",
                    (Problem(record.parts, f"staat al in {quote(seen[key])}: één keer geteld"),),
                )
            )
            continue
        seen[key] = record.source
        groups[(counted.rubric.id, counted.rubric.version, counted.sha256)].append(counted)
    return Report(
        tuple(_rubric_report(groups[key]) for key in sorted(groups)), tuple(skipped), total
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
    verification = check_sealed(assessment, rubric, sha256=sha256)
    if not verification.ok:
        skipped.append(
            SkippedRecord(
                record.source,
                record_id,
                verification.state,
                _under(record, verification.problems),
            )
        )
        return None
    return _Counted(assessment, rubric, sha256)


def _find_rubric(data: object, shelf: Sequence[tuple[Rubric, str]]) -> tuple[Rubric, str] | Problem:
    ref = data.get("rubric") if isinstance(data, dict) else None
    if not isinstance(ref, dict) or not all(isinstance(ref.get(k), str) for k in ("id", "version")):
        return Problem(("rubric",), "de beoordeling noemt geen rubric (id en versie)")
    sha256 = ref.get("sha256")
    for rubric, rubric_hash in shelf:
        if (
            rubric.id == ref["id"]
            and rubric.version == ref["version"]
            and sha256 in (None, rubric_hash)
        ):
            return rubric, rubric_hash
    return Problem(
        ("rubric",),
        f"geen rubric {quote(ref['id'])} versie {quote(ref['version'])} gevonden; geef het "
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
    results = [a for a in records if a.id not in replaced]
    scores = [score(rubric, a) for a in results]
    criteria = tuple(_criterion_rate(rubric, cid, results) for cid in rubric.criterion_ids())
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
    for assessment, scored in zip(results, scores, strict=True):
        counts = months[_month(assessment)]
        counts[0] += 1
        counts[1] += scored.passed
    per_criterion, per_assessors = agreement(rubric, find_pairs(records))
    return RubricReport(
        rubric_id=rubric.id,
        version=rubric.version,
        title=rubric.title,
        sha256=sha256,
        assessed=len(scores),
        passed=sum(1 for s in scores if s.passed),
        criteria=criteria,
        eindtermen=eindtermen,
        months=tuple(MonthCount(m, *counts) for m, counts in sorted(months.items())),
        agreement=per_criterion,
        assessor_pairs=per_assessors,
        candidates=tuple(
            sorted(
                (_candidate_row(rubric, a, s) for a, s in zip(results, scores, strict=True)),
                key=lambda row: (row.date, row.candidate.casefold(), row.record_id),
            )
        ),
        condition_ids=tuple(c.id for c in rubric.conditions),
    )


def _criterion_rate(
    rubric: Rubric, criterion_id: str, results: Sequence[Assessment]
) -> CriterionRate:
    criterion = rubric.criterion(criterion_id)
    states = [criterion_state(criterion, a) for a in results]
    na = states.count("na")
    return CriterionRate(
        criterion_id,
        rubric.eindterm_of(criterion_id).id,
        len(states) - na,
        states.count("met"),
        na,
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
