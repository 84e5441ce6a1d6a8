"""The assessment model: one filled-in checklist in export format version 1 (ARCHITECTURE.md §4).

A model ``Assessment`` is always *normalised* against its rubric: every header field and
condition of the rubric is present (empty when not filled in), condition options and criteria
follow the rubric's order, and criteria entries and remarks that hold nothing are left out.
``Assessment.to_json_data()`` writes exactly that form, so loading what it writes
(``kcm_core.assessment_load``) gives the same assessment back.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from importlib import resources
from types import MappingProxyType
from typing import Any, Final, Literal

from kcm_core.assessment_exam import Decision, RecordedResult, Signature, SignatureRole, Source
from kcm_core.canonical import rubric_sha256
from kcm_core.datacheck import DATE_PATTERN, datetime_problem, describe
from kcm_core.errors import KcmError, Problem, quote
from kcm_core.jsonparse import MB
from kcm_core.model import Rubric

__all__ = [
    "DATE_PATTERN",
    "FORMAT",
    "FORMAT_MANY",
    "FORMAT_VERSION",
    "MAX_ASSESSMENTS",
    "MAX_ASSESSORS",
    "MAX_DATE",
    "MAX_DEPTH",
    "MAX_EVENTS",
    "MAX_FIELD_CHARS",
    "MAX_FILE_BYTES",
    "MAX_HISTORY",
    "MAX_HOLD_SECONDS",
    "MAX_ID_CHARS",
    "MAX_REMARK_CHARS",
    "MIN_DATE",
    "Assessment",
    "Assessor",
    "CallEvent",
    "EventKind",
    "HistoryAction",
    "HistoryEntry",
    "Mark",
    "RubricRef",
    "Status",
    "assessment_id_problem",
    "assessment_schema",
    "dump_assessments",
    "new_assessment",
]

FORMAT: Final = "kcm-assessment"
FORMAT_MANY: Final = "kcm-assessments"
FORMAT_VERSION: Final = 1

# Documented limits (docs and assessment.schema.json say the same). They keep a hostile or
# broken file from exhausting memory in the browser; real assessments stay far below them.
MAX_FILE_BYTES: Final = 20 * MB
MAX_ASSESSMENTS: Final = 5000
MAX_REMARK_CHARS: Final = 2000
MAX_FIELD_CHARS: Final = 200
MAX_ID_CHARS: Final = 100
MAX_HISTORY: Final = 1000
# Who assessed: one assessor, or two for a joint assessment (design §4).
MAX_ASSESSORS: Final = 2
# Live-call notes (phase marks, holds): a call of an hour with a mark every few seconds stays
# far below this.
MAX_EVENTS: Final = 1000
# A hold is evidence for a criterion such as 2.4.2.c (at most 30 s on hold); one longer than a
# day is a timer that was left running, not a hold.
MAX_HOLD_SECONDS: Final = 24 * 60 * 60
# A valid file is at most 5 levels deep ($.assessments[0].criteria['x'].remark); leave room.
MAX_DEPTH: Final = 16
# The first and last dates a date field accepts (DATE_PATTERN, and the day must exist): the
# page puts them in ``min`` and ``max`` of its date inputs, so it never offers a date that the
# loader would refuse.
MIN_DATE: Final = "0001-01-01"
MAX_DATE: Final = "9999-12-31"

Status = Literal["draft", "final"]
HistoryAction = Literal["finalized", "reopened", "copied", "signed"]
EventKind = Literal["phase", "hold"]

_ID_RE: Final = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.:-]*\Z", re.ASCII)


@dataclass(frozen=True, slots=True)
class RubricRef:
    """Which rubric an assessment belongs to; ``sha256`` may be absent in imported files."""

    id: str
    version: str
    sha256: str | None = None


@dataclass(frozen=True, slots=True)
class Mark:
    """What the assessor set for one criterion. Unticked means not met."""

    checked: bool = False
    na: bool = False
    remark: str = ""
    # Only in a joint record, where the two assessors answered differently.
    decision: Decision | None = None

    def is_empty(self) -> bool:
        return not self.checked and not self.na and not self.remark and self.decision is None

    def to_json_data(self) -> dict[str, Any]:
        entry: dict[str, Any] = {"checked": self.checked}
        if self.na:
            entry["na"] = True
        if self.remark:
            entry["remark"] = self.remark
        if self.decision is not None:
            entry["decision"] = self.decision.to_json_data()
        return entry

    @property
    def needs_reason(self) -> bool:
        """n.v.t. without a reason yet: allowed in a draft, refused in a final assessment."""
        return self.na and not self.remark.strip()


@dataclass(frozen=True, slots=True)
class HistoryEntry:
    """A moment the assessment was made final, opened again, signed, or made as a copy.

    ``from_id`` is the id of the assessment a copy was made from (written as ``"from"``); an
    import that keeps both versions stores the imported one as such a copy. Only a
    ``"copied"`` entry has it. ``by``: who did it ("A. Jansen"), so that a printed record says
    who finalised, reopened or signed; optional (records from before it have none).
    """

    at: str
    action: HistoryAction
    from_id: str | None = None
    by: str | None = None

    def to_json_data(self) -> dict[str, str]:
        data = {"at": self.at, "action": self.action}
        if self.from_id is not None:
            data["from"] = self.from_id
        if self.by is not None:
            data["by"] = self.by
        return data


@dataclass(frozen=True, slots=True)
class Assessor:
    """Someone who assessed the candidate, as written on the form ("A. Jansen")."""

    name: str

    def to_json_data(self) -> dict[str, str]:
        return {"name": self.name}


@dataclass(frozen=True, slots=True)
class CallEvent:
    """A note made during the live call, kept as evidence beside a criterion.

    ``kind`` "phase": the call reached the phase of ``criterion`` (for KCM 2.4.1.a contact,
    2.4.1.c analyse, 2.4.1.d aanbod, 2.4.1.e afsluiting) at ``at``. ``kind`` "hold": the
    customer was on hold for ``seconds``, starting at ``at``; ``criterion`` is what it is
    evidence for (KCM 2.4.2.c: at most 30 seconds). Scoring never reads events.
    """

    at: str
    kind: EventKind
    criterion: str
    seconds: int | float | None = None

    def to_json_data(self) -> dict[str, Any]:
        data: dict[str, Any] = {"at": self.at, "kind": self.kind, "criterion": self.criterion}
        if self.seconds is not None:
            data["seconds"] = self.seconds
        return data


_EMPTY_MARK: Final = Mark()


@dataclass(frozen=True, slots=True)
class Assessment:
    """One assessment, normalised against its rubric (see the module docstring).

    The mappings are read-only views; datetimes are kept as the text that was read, so a
    round trip writes them back unchanged.
    """

    id: str
    rubric: RubricRef
    fields: Mapping[str, str]
    conditions: Mapping[str, tuple[str, ...]]
    criteria: Mapping[str, Mark]
    remarks: Mapping[str, str]
    status: Status
    created: str
    updated: str
    finalized: str | None = None
    history: tuple[HistoryEntry, ...] = field(default=())
    assessors: tuple[Assessor, ...] = field(default=())
    events: tuple[CallEvent, ...] = field(default=())
    # The exam-record keys (kcm_core.assessment_exam); result, signatures and seal only in a
    # final record. ``seal`` is the hex sha256, written as {"sha256": ...}.
    practice: bool = False
    sources: tuple[Source, ...] = field(default=())
    signatures: Mapping[SignatureRole, Signature] = field(
        default_factory=lambda: MappingProxyType({})
    )
    result: RecordedResult | None = None
    seal: str | None = None

    @property
    def final(self) -> bool:
        return self.status == "final"

    @property
    def joint(self) -> bool:
        """A joint record of two assessors (it names its two originals in ``sources``)."""
        return bool(self.sources)

    def mark(self, criterion_id: str) -> Mark:
        """The mark for a criterion; an empty mark (not met) when nothing was set."""
        return self.criteria.get(criterion_id, _EMPTY_MARK)

    def selected(self, condition_id: str) -> tuple[str, ...]:
        """The options chosen for a condition; empty when nothing was chosen yet."""
        return self.conditions.get(condition_id, ())

    def to_json_data(self) -> dict[str, Any]:
        """The assessment as JSON data in format version 1 (normalised)."""
        rubric: dict[str, Any] = {"id": self.rubric.id, "version": self.rubric.version}
        if self.rubric.sha256 is not None:
            rubric["sha256"] = self.rubric.sha256
        criteria = {
            criterion_id: mark.to_json_data() for criterion_id, mark in self.criteria.items()
        }
        data: dict[str, Any] = {
            "format": FORMAT,
            "format_version": FORMAT_VERSION,
            "id": self.id,
            "rubric": rubric,
            "fields": dict(self.fields),
            "conditions": {k: list(v) for k, v in self.conditions.items()},
            "criteria": criteria,
            "remarks": dict(self.remarks),
            "status": self.status,
            "created": self.created,
            "updated": self.updated,
            "finalized": self.finalized,
            "history": [h.to_json_data() for h in self.history],
        }
        # Optional keys of format 1: written only when they hold something, so a record
        # without them is the same file as before they existed.
        if self.assessors:
            data["assessors"] = [a.to_json_data() for a in self.assessors]
        if self.events:
            data["events"] = [e.to_json_data() for e in self.events]
        # The seal comes last: it covers everything above it (kcm_core.seal).
        if self.practice:
            data["practice"] = True
        if self.sources:
            data["sources"] = [s.to_json_data() for s in self.sources]
        if self.signatures:
            data["signatures"] = {role: s.to_json_data() for role, s in self.signatures.items()}
        if self.result is not None:
            data["result"] = self.result.to_json_data()
        if self.seal is not None:
            data["seal"] = {"sha256": self.seal}
        return data


def dump_assessments(
    assessments: Sequence[Assessment], *, exported: str | None = None
) -> dict[str, Any]:
    """Many assessments as one ``kcm-assessments`` document."""
    data: dict[str, Any] = {"format": FORMAT_MANY, "format_version": FORMAT_VERSION}
    if exported is not None:
        data["exported"] = exported
    data["assessments"] = [a.to_json_data() for a in assessments]
    return data


def new_assessment(
    rubric: Rubric, assessment_id: str, now: str, *, sha256: str | None = None
) -> Assessment:
    """An empty draft for ``rubric``, created and updated at ``now``.

    Raises KcmError when the id or the moment is not valid; ``sha256`` defaults to the rubric's.
    """
    problems: list[Problem] = []
    id_problem = assessment_id_problem(assessment_id)
    if id_problem is not None:
        problems.append(Problem(("id",), id_problem))
    now_problem = (
        datetime_problem(now) if isinstance(now, str) else f"verwacht tekst, niet {describe(now)}"
    )
    if now_problem is not None:
        problems.append(Problem(("created",), now_problem))
    if problems:
        raise KcmError(tuple(problems))
    return Assessment(
        id=assessment_id,
        rubric=RubricRef(
            rubric.id, rubric.version, sha256 if sha256 is not None else rubric_sha256(rubric)
        ),
        fields=MappingProxyType({f.id: "" for f in rubric.fields}),
        conditions=MappingProxyType({c.id: () for c in rubric.conditions}),
        criteria=MappingProxyType({}),
        remarks=MappingProxyType({}),
        status="draft",
        created=now,
        updated=now,
    )


def assessment_id_problem(value: Any) -> str | None:
    """Why ``value`` cannot be an assessment id, or None when it can."""
    # The id ends up in storage keys and HTML attributes: a small, safe alphabet only.
    if not isinstance(value, str):
        return f"verwacht tekst, niet {describe(value)}"
    if not value or len(value) > MAX_ID_CHARS or not _ID_RE.match(value):
        return (
            f"ongeldig id {quote(value)}: gebruik 1 tot {MAX_ID_CHARS} tekens uit "
            "A-Z, a-z, 0-9, '-', '_', '.' en ':', beginnend met een letter of cijfer"
        )
    return None


def assessment_schema() -> dict[str, Any]:
    """The JSON Schema of the format (package data ``assessment.schema.json``)."""
    text = resources.files("kcm_core").joinpath("assessment.schema.json").read_text("utf-8")
    schema: dict[str, Any] = json.loads(text)
    return schema
