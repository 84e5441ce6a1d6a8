"""Loading an assessment: the strict checker of export format version 1 (ARCHITECTURE.md §4).

The checker is pure Python, so the browser (Pyodide, no jsonschema) rejects bad imports exactly
as the command line does. It checks an assessment against the rubric it claims to belong to and
reports every problem at once, each located by its path parts (``("criteria", "2.4.1.b",
"remark")``, shown as ``$.criteria['2.4.1.b'].remark``). The JSON Schema
``assessment.schema.json`` describes the same format for people and other tools; this checker is
the authority. What it builds is the normalised model of ``kcm_core.assessment_model``.

A draft may be incomplete (empty required fields and conditions, an n.v.t. without its reason
yet): everything the checklist saves or exports must load again. A final assessment may not.

Files with many assessments load in one of two ways: ``load_assessments`` all or nothing (the
command line: a score is never printed for half a file), or record by record for an import in
the checklist (``kcm_core.assessment_import``, on this module's ``DocumentChecker``).
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Any, Final

from kcm_core.assessment_exam_check import SHA256_RE, ExamChecker
from kcm_core.assessment_model import (
    FORMAT,
    FORMAT_MANY,
    FORMAT_VERSION,
    MAX_ASSESSMENTS,
    MAX_DEPTH,
    MAX_FILE_BYTES,
    Assessment,
    RubricRef,
    assessment_id_problem,
)
from kcm_core.canonical import rubric_sha256
from kcm_core.datacheck import describe
from kcm_core.errors import PathParts, json_path, quote
from kcm_core.jsonparse import parse_json
from kcm_core.model import Rubric

__all__ = [
    "DocumentChecker",
    "collection_records",
    "load_assessment",
    "load_assessment_data",
    "load_assessments",
    "load_assessments_data",
]

_TOP_KEYS: Final = (
    "format",
    "format_version",
    "id",
    "rubric",
    "fields",
    "conditions",
    "criteria",
    "remarks",
    "status",
    "created",
    "updated",
    "finalized",
    "history",
    "assessors",
    "events",
    "practice",
    "sources",
    "signatures",
    "result",
    "seal",
)
_REQUIRED_TOP_KEYS: Final = ("format", "format_version", "id", "rubric", "status", "created")
_MANY_KEYS: Final = ("format", "format_version", "exported", "assessments")
_RUBRIC_REF_KEYS: Final = ("id", "version", "sha256")


def load_assessment(text: str | bytes, rubric: Rubric, *, sha256: str | None = None) -> Assessment:
    """Parse and check one ``kcm-assessment`` document; raises KcmError with every problem.

    ``sha256`` is the rubric's hash when the caller already knows it (saves hashing again).
    """
    data = parse_json(text, max_bytes=MAX_FILE_BYTES, max_depth=MAX_DEPTH)
    return load_assessment_data(data, rubric, sha256=sha256)


def load_assessments(
    text: str | bytes, rubric: Rubric, *, sha256: str | None = None
) -> tuple[Assessment, ...]:
    """Parse and check a file holding one assessment or a ``kcm-assessments`` collection."""
    data = parse_json(text, max_bytes=MAX_FILE_BYTES, max_depth=MAX_DEPTH)
    return load_assessments_data(data, rubric, sha256=sha256)


def load_assessment_data(data: Any, rubric: Rubric, *, sha256: str | None = None) -> Assessment:
    """Check already parsed JSON data of one assessment."""
    checker = DocumentChecker(rubric, sha256, accept_many=False)
    checker.forbidden_keys(data, ())
    result = checker.assessment(data, ())
    checker.raise_if_problems()
    assert result is not None  # no problems means the checker built the assessment
    return result


def load_assessments_data(
    data: Any, rubric: Rubric, *, sha256: str | None = None
) -> tuple[Assessment, ...]:
    """Check parsed data that is either one assessment or a ``kcm-assessments`` collection."""
    checker = DocumentChecker(rubric, sha256, accept_many=True)
    checker.forbidden_keys(data, ())
    if isinstance(data, dict) and data.get("format") == FORMAT_MANY:
        results = checker.collection(data)
    else:
        one = checker.assessment(data, ())
        results = (one,) if one is not None else ()
    checker.raise_if_problems()
    return results


def collection_records(data: Any, rubric: Rubric) -> list[Any]:
    """The records of a ``kcm-assessments`` collection, unchecked, after checking the file
    around them; raises KcmError when that is broken. For callers that check each record on
    its own, perhaps against its own rubric (``kcm verify``); ``rubric`` is only needed to
    build the checker."""
    checker = DocumentChecker(rubric, None, accept_many=True)
    if isinstance(data, dict):
        checker.forbidden_keys({k: v for k, v in data.items() if k != "assessments"}, ())
    items = checker.collection_items(data) if isinstance(data, dict) else None
    if items is None and not checker.problems:
        checker.add(
            (), f"verwacht een export met beoordelingen (een object), niet {describe(data)}"
        )
    checker.raise_if_problems()
    assert items is not None  # no problems means the file around the records is right
    return items


class DocumentChecker(ExamChecker):
    """Checks whole documents: format, rubric, status and collections; the sections of one
    assessment are checked by ``SectionChecker``, the exam-record keys and the status rules by
    ``ExamChecker``. Builds the model where the data allows."""

    def __init__(self, rubric: Rubric, sha256: str | None, *, accept_many: bool) -> None:
        super().__init__(rubric)
        self.accept_many = accept_many
        self._sha256 = sha256

    @property
    def sha256(self) -> str:
        if self._sha256 is None:
            self._sha256 = rubric_sha256(self.rubric)
        return self._sha256

    # -- one assessment ----------------------------------------------------------------------

    def assessment(self, data: Any, path: PathParts) -> Assessment | None:
        start = len(self.problems)
        if not isinstance(data, dict):
            self.add(path, f"verwacht een kcm-beoordeling (een object), niet {describe(data)}")
            return None
        # Format first: in another format, other keys are expected and nothing else is useful.
        if not self._format(data, path, FORMAT):
            return None
        top = self.object(data, path, _TOP_KEYS, ())
        if top is None:
            return None
        if "rubric" not in top:
            self.add(path, "de sleutel 'rubric' ontbreekt")
            return None
        if not self._rubric_ref(top["rubric"], (*path, "rubric")):
            # Another rubric: its criteria and fields mean nothing here, so stop.
            return None
        for key in _REQUIRED_TOP_KEYS:
            if key not in top:
                self.add(path, f"de sleutel '{key}' ontbreekt")

        assessment_id = None
        if "id" in top:
            id_problem = assessment_id_problem(top["id"])
            if id_problem is None:
                assessment_id = top["id"]
            else:
                self.add((*path, "id"), id_problem)
        fields = self.fields_of(top.get("fields", {}), (*path, "fields"))
        conditions = self.conditions_of(top.get("conditions", {}), (*path, "conditions"))
        # Read before its own check, which comes later so problems stay in document order.
        reasons_required = top.get("status") == "final"
        criteria = self.criteria_of(
            top.get("criteria", {}), (*path, "criteria"), reasons_required=reasons_required
        )
        remarks = self.remarks_of(top.get("remarks", {}), (*path, "remarks"))
        status = self.status_of(top.get("status"), (*path, "status")) if "status" in top else None
        created = (
            self.datetime_text(top["created"], (*path, "created")) if "created" in top else None
        )
        # "updated" may be absent in a hand-made file: then it equals "created".
        updated = (
            self.datetime_text(top["updated"], (*path, "updated")) if "updated" in top else created
        )
        finalized = self.finalized_of(top.get("finalized"), (*path, "finalized"))
        history = self.history_of(top.get("history", []), (*path, "history"))
        assessors = self.assessors_of(top.get("assessors", []), (*path, "assessors"))
        events = self.events_of(top.get("events", []), (*path, "events"))
        exam = self.exam_keys(top, path)

        if status is not None and fields is not None and conditions is not None:
            self.status_rules(path, top, status, fields, conditions, criteria)

        if len(self.problems) > start or self.skipped:
            return None
        if (
            assessment_id is None
            or fields is None
            or conditions is None
            or criteria is None
            or remarks is None
            or status is None
            or created is None
            or updated is None
            or history is None
            or assessors is None
            or events is None
            or exam is None
        ):
            return None  # unreachable: every None above came with a problem
        ref = top["rubric"]
        return Assessment(
            id=assessment_id,
            rubric=RubricRef(ref["id"], ref["version"], ref.get("sha256")),
            fields=MappingProxyType(fields),
            conditions=MappingProxyType(conditions),
            criteria=MappingProxyType(criteria),
            remarks=MappingProxyType(remarks),
            status=status,
            created=created,
            updated=updated,
            finalized=finalized,
            history=history,
            assessors=assessors,
            events=events,
            practice=exam.practice,
            sources=exam.sources,
            signatures=exam.signatures,
            result=exam.result,
            seal=exam.seal,
        )

    def _format(self, top: Mapping[str, Any], path: PathParts, expected: str) -> bool:
        """Format and version first: in any other format the rest cannot be read."""
        if "format" not in top:
            self.add(path, f"de sleutel 'format' ontbreekt; verwacht '{expected}'")
            return False
        fmt = top["format"]
        if fmt != expected:
            if expected == FORMAT and fmt == FORMAT_MANY:
                message = "dit is een export met meer beoordelingen; hier past er maar één"
            else:
                allowed = f"'{expected}'"
                if not path and self.accept_many:
                    allowed = f"'{FORMAT}' of '{FORMAT_MANY}'"
                message = (
                    f"dit is geen kcm-beoordeling: format is {describe(fmt)}, verwacht {allowed}"
                )
            self.add((*path, "format"), message)
            return False
        version = top.get("format_version")
        if "format_version" not in top:
            self.add(path, "de sleutel 'format_version' ontbreekt")
            return False
        if type(version) is not int or version != FORMAT_VERSION:
            self.add(
                (*path, "format_version"),
                f"format_version {describe(version)} wordt niet ondersteund; "
                f"deze versie van kcm leest versie {FORMAT_VERSION}",
            )
            return False
        return True

    def _rubric_ref(self, value: Any, path: PathParts) -> bool:
        rubric = self.rubric
        ref = self.object(value, path, _RUBRIC_REF_KEYS, ("id", "version"))
        if ref is None or "id" not in ref or "version" not in ref:
            return False
        ok = True
        for key in ("id", "version"):
            if not isinstance(ref[key], str):
                self.add((*path, key), f"verwacht tekst, niet {describe(ref[key])}")
                ok = False
        if not ok:
            return False
        if ref["id"] != rubric.id or ref["version"] != rubric.version:
            self.add(
                path,
                f"deze beoordeling hoort bij rubric {quote(ref['id'])} versie "
                f"{quote(ref['version'])}, niet bij rubric {quote(rubric.id)} versie "
                f"{quote(rubric.version)}",
            )
            return False
        if "sha256" in ref:
            sha = ref["sha256"]
            if not isinstance(sha, str) or not SHA256_RE.match(sha):
                self.add(
                    (*path, "sha256"),
                    f"verwacht 64 tekens 0-9 en a-f (sha256), niet {describe(sha)}",
                )
            elif sha != self.sha256:
                self.add(
                    (*path, "sha256"),
                    f"de beoordeling is gemaakt met een andere inhoud van rubric "
                    f"{quote(rubric.id)} versie {quote(rubric.version)} (sha256 {sha[:12]}…, "
                    f"deze rubric heeft {self.sha256[:12]}…)",
                )
        return True

    # -- many assessments --------------------------------------------------------------------

    def collection_items(self, data: dict[str, Any]) -> list[Any] | None:
        """The records of a collection after the checks of the file around them, or None."""
        if not self._format(data, (), FORMAT_MANY):
            return None
        top = self.object(data, (), _MANY_KEYS, ("assessments",))
        if top is None:
            return None
        if "exported" in top:
            self.datetime_text(top["exported"], ("exported",))
        items = top.get("assessments")
        if items is None:
            return None
        if not isinstance(items, list):
            self.add(("assessments",), f"verwacht een lijst, niet {describe(items)}")
            return None
        if not items:
            self.add(("assessments",), "het bestand bevat geen beoordelingen")
            return None
        if len(items) > MAX_ASSESSMENTS:
            self.add(
                ("assessments",),
                f"te veel beoordelingen in één bestand: {len(items)}, maximaal {MAX_ASSESSMENTS}",
            )
            return None
        return items

    def collection(self, data: dict[str, Any]) -> tuple[Assessment, ...]:
        items = self.collection_items(data)
        if items is None:
            return ()
        results: list[Assessment] = []
        seen: dict[str, int] = {}
        for index, item in enumerate(items):
            where: PathParts = ("assessments", index)
            one = self.assessment(item, where)
            if one is None:
                continue
            if one.id in seen:
                first = json_path(("assessments", seen[one.id]))
                self.add((*where, "id"), f"het id {quote(one.id)} staat ook bij {first}")
                continue
            seen[one.id] = index
            results.append(one)
        return tuple(results)
