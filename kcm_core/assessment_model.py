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
    "MAX_DATE",
    "MAX_DEPTH",
    "MAX_FIELD_CHARS",
    "MAX_FILE_BYTES",
    "MAX_HISTORY",
    "MAX_ID_CHARS",
    "MAX_REMARK_CHARS",
    "MIN_DATE",
    "Assessment",
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
# A valid file is at most 5 levels deep ($.assessments[0].criteria['x'].remark); leave room.
MAX_DEPTH: Final = 16
# The first and last dates a date field accepts (DATE_PATTERN, and the day must exist): the
# page puts them in ``min`` and ``max`` of its date inputs, so it never offers a date that the
# loader would refuse.
MIN_DATE: Final = "0001-01-01"
MAX_DATE: Final = "9999-12-31"

Status = Literal["draft", "final"]
HistoryAction = Literal["finalized", "reopened", "copied"]

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

    def is_empty(self) -> bool:
        return not self.checked and not self.na and not self.remark

    @property
    def needs_reason(self) -> bool:
        """n.v.t. without a reason yet: allowed in a draft, refused in a final assessment."""
        return self.na and not self.remark.strip()


@dataclass(frozen=True, slots=True)
class HistoryEntry:
    """A moment the assessment was made final, opened again, or made as a copy.

    ``from_id`` is the id of the assessment a copy was made from (written as ``"from"``); an
    import that keeps both versions stores the imported one as such a copy. Only a
    ``"copied"`` entry has it.
    """

    at: str
    action: HistoryAction
    from_id: str | None = None

    def to_json_data(self) -> dict[str, str]:
        data = {"at": self.at, "action": self.action}
        if self.from_id is not None:
            data["from"] = self.from_id
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

    @property
    def final(self) -> bool:
        return self.status == "final"

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
        criteria: dict[str, Any] = {}
        for criterion_id, mark in self.criteria.items():
            entry: dict[str, Any] = {"checked": mark.checked}
            if mark.na:
                entry["na"] = True
            if mark.remark:
                entry["remark"] = mark.remark
            criteria[criterion_id] = entry
        return {
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
