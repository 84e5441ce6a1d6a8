"""The exam office's report as data (design §5 ``kcm report``; issue 14): frozen, typed, no I/O.

``kcm_core.report.build_report`` fills it; ``report_csv`` and ``report_html`` write it; the
browser page reads the same objects through the engine, so both show the same numbers.
Percentages are ``None`` when there is nothing to divide by (never 0 or 100 by default), and
so is a kappa without variation (see ``kcm_core.report_agreement``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from kcm_core.errors import PathParts, Problem
from kcm_core.scoring import Verdict
from kcm_core.seal import VerifyState

__all__ = [
    "AssessorPairAgreement",
    "CandidateRow",
    "CriterionAgreement",
    "CriterionRate",
    "EindtermRate",
    "MonthCount",
    "Report",
    "RubricReport",
    "SkipState",
    "SkippedRecord",
    "SourceRecord",
    "percentage",
]

# Why a record is not counted: a verification state other than "sealed", or "duplicate" (the
# same record, same id and seal, met before in this report: exported twice).
SkipState = VerifyState | Literal["duplicate"]


def percentage(part: int, whole: int) -> float | None:
    """``part`` of ``whole`` in percent, or None when ``whole`` is 0."""
    return None if whole == 0 else 100.0 * part / whole


@dataclass(frozen=True, slots=True)
class SourceRecord:
    """One record as read: the file it came from (as the user named it), its place in that
    file (``("assessments", 3)``, or ``()`` for a file with one record) and its parsed JSON."""

    source: str
    parts: PathParts
    data: Any


@dataclass(frozen=True, slots=True)
class SkippedRecord:
    """A record that is not counted, and why (problems with paths from its file's root)."""

    source: str
    record_id: str | None
    state: SkipState
    problems: tuple[Problem, ...]


@dataclass(frozen=True, slots=True)
class CriterionRate:
    """How often a criterion was met among the counted results; n.v.t. is left out of
    ``applicable`` and counted on its own."""

    id: str
    eindterm: str
    applicable: int
    met: int
    not_applicable: int

    @property
    def percentage(self) -> float | None:
        return percentage(self.met, self.applicable)


@dataclass(frozen=True, slots=True)
class EindtermRate:
    """How many counted results passed one Eindterm."""

    id: str
    title: str
    assessed: int
    passed: int

    @property
    def percentage(self) -> float | None:
        return percentage(self.passed, self.assessed)


@dataclass(frozen=True, slots=True)
class MonthCount:
    """Results of one month (``"2026-11"``: by the field ``datum``, else by ``finalized``)."""

    month: str
    assessed: int
    passed: int

    @property
    def percentage(self) -> float | None:
        return percentage(self.passed, self.assessed)


@dataclass(frozen=True, slots=True)
class CriterionAgreement:
    """Two assessors of one candidate compared on one criterion over every pair: how many
    pairs gave the same answer (met, not met or n.v.t.) and Cohen's kappa (None without
    variation)."""

    id: str
    pairs: int
    agreements: int
    kappa: float | None

    @property
    def percentage(self) -> float | None:
        return percentage(self.agreements, self.pairs)


@dataclass(frozen=True, slots=True)
class AssessorPairAgreement:
    """Two assessors (names in alphabetical order) over every candidate both assessed:
    ``compared`` answers (pairs x criteria) of which ``agreements`` were the same."""

    assessor_a: str
    assessor_b: str
    pairs: int
    compared: int
    agreements: int

    @property
    def percentage(self) -> float | None:
        return percentage(self.agreements, self.compared)


@dataclass(frozen=True, slots=True)
class CandidateRow:
    """One counted assessment (issue 14 item 3): the summary sheet's row."""

    record_id: str
    candidate: str
    birth_date: str
    date: str
    assessors: tuple[str, ...]
    # (condition id, chosen option ids) in rubric order: the call type for KCM.
    conditions: tuple[tuple[str, tuple[str, ...]], ...]
    verdict: Verdict
    # (Eindterm id, verdict) in rubric order.
    outcomes: tuple[tuple[str, Verdict], ...]
    not_applicable: int
    seal: str
    joint: bool


@dataclass(frozen=True, slots=True)
class RubricReport:
    """Everything about the counted results of one rubric version (id, version, sha256)."""

    rubric_id: str
    version: str
    title: str
    sha256: str
    assessed: int
    passed: int
    criteria: tuple[CriterionRate, ...]
    eindtermen: tuple[EindtermRate, ...]
    months: tuple[MonthCount, ...]
    agreement: tuple[CriterionAgreement, ...]
    assessor_pairs: tuple[AssessorPairAgreement, ...]
    candidates: tuple[CandidateRow, ...]
    condition_ids: tuple[str, ...]

    @property
    def percentage(self) -> float | None:
        return percentage(self.passed, self.assessed)

    @property
    def pairs(self) -> int:
        """How many candidates two assessors assessed (each pair once)."""
        return max((a.pairs for a in self.agreement), default=0)


@dataclass(frozen=True, slots=True)
class Report:
    """The report over every record read: one part per rubric version (sorted by id and
    version), and every record that was not counted, in the order read."""

    rubrics: tuple[RubricReport, ...]
    skipped: tuple[SkippedRecord, ...]
    records: int

    @property
    def counted(self) -> int:
        """Records counted as exam results or for agreement (sealed, verified, no duplicate)."""
        return self.records - len(self.skipped)

    @property
    def results(self) -> int:
        """Exam results counted for pass rates (a joint record in place of its originals)."""
        return sum(part.assessed for part in self.rubrics)

    def to_json_data(self) -> dict[str, Any]:
        """Plain JSON data for the browser page: what it shows and the CSV files as text
        (``kcm_core.report_json`` describes the shape)."""
        # Imported here: report_json builds on the CSV and HTML writers, which import this.
        from kcm_core.report_json import report_json_data

        return report_json_data(self)
