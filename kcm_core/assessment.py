"""The assessment: one filled-in checklist, export format version 1 (design section 4).

The loader here is strict and pure Python, so the browser (Pyodide, no jsonschema) rejects bad
imports exactly as the command line does. It checks the assessment against the rubric it claims
to belong to and reports every problem at once, each with a JSON path
(``$.criteria["2.4.1.b"].remark``). The JSON Schema ``assessment.schema.json`` next to this
module describes the same format for people and other tools; this loader is the authority.

A loaded assessment is *normalised*: every header field and condition of the rubric is present
(empty when not filled in), condition options and criteria follow the rubric's order, and
criteria entries and remarks that hold nothing are left out. ``Assessment.to_json_data()``
writes exactly that form, so loading what it writes gives the same assessment back.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from importlib import resources
from types import MappingProxyType
from typing import Any, Final, Literal

from kcm_core.canonical import rubric_sha256
from kcm_core.errors import KcmError, PathPart, Problem, child_path, quote
from kcm_core.jsonparse import parse_json
from kcm_core.model import Rubric

__all__ = [
    "FORMAT",
    "FORMAT_MANY",
    "FORMAT_VERSION",
    "MAX_ASSESSMENTS",
    "MAX_FIELD_CHARS",
    "MAX_FILE_BYTES",
    "MAX_REMARK_CHARS",
    "Assessment",
    "HistoryEntry",
    "Mark",
    "RubricRef",
    "assessment_schema",
    "dump_assessments",
    "load_assessment",
    "load_assessment_data",
    "load_assessments",
    "load_assessments_data",
    "new_assessment",
]

FORMAT: Final = "kcm-assessment"
FORMAT_MANY: Final = "kcm-assessments"
FORMAT_VERSION: Final = 1

# Documented limits (docs and assessment.schema.json say the same). They keep a hostile or
# broken file from exhausting memory in the browser; real assessments stay far below them.
MAX_FILE_BYTES: Final = 20 * 1024 * 1024
MAX_ASSESSMENTS: Final = 5000
MAX_REMARK_CHARS: Final = 2000
MAX_FIELD_CHARS: Final = 200
MAX_ID_CHARS: Final = 100
MAX_HISTORY: Final = 1000
# A valid file is at most 5 levels deep ($.assessments[0].criteria["x"].remark); leave room.
MAX_DEPTH: Final = 16
# Past this many problems the rest are counted, not listed: nobody reads 100,000 lines.
MAX_PROBLEMS: Final = 100

Status = Literal["draft", "final"]
HistoryAction = Literal["finalized", "reopened"]

# Keys that turn into prototype pollution when a browser merges parsed JSON into an object.
FORBIDDEN_KEYS: Final = frozenset({"__proto__", "constructor", "prototype"})

_ID_RE: Final = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.:-]*\Z", re.ASCII)
_SHA256_RE: Final = re.compile(r"[0-9a-f]{64}\Z", re.ASCII)
_DATE_RE: Final = re.compile(r"\d{4}-\d{2}-\d{2}\Z", re.ASCII)
# RFC 3339 profile of ISO 8601: seconds and a time zone are required, so a moment is exact.
_DATETIME_RE: Final = re.compile(
    r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,9})?(?:Z|[+-]\d{2}:\d{2})\Z", re.ASCII
)

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
)
_REQUIRED_TOP_KEYS: Final = ("format", "format_version", "id", "rubric", "status", "created")
_MANY_KEYS: Final = ("format", "format_version", "exported", "assessments")
_MARK_KEYS: Final = ("checked", "na", "remark")
_MARK_KEY_SET: Final = frozenset(_MARK_KEYS)
_RUBRIC_REF_KEYS: Final = ("id", "version", "sha256")
_HISTORY_KEYS: Final = ("at", "action")


# --------------------------------------------------------------------------------------------
# Model


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


@dataclass(frozen=True, slots=True)
class HistoryEntry:
    """A moment the assessment was made final or opened again."""

    at: str
    action: HistoryAction


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
            "history": [{"at": h.at, "action": h.action} for h in self.history],
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
    id_problem = _assessment_id_problem(assessment_id)
    if id_problem is not None:
        problems.append(Problem("$.id", id_problem))
    now_problem = (
        _datetime_problem(now) if isinstance(now, str) else f"verwacht tekst, niet {describe(now)}"
    )
    if now_problem is not None:
        problems.append(Problem("$.created", now_problem))
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


# --------------------------------------------------------------------------------------------
# Loading


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
    checker = _Checker(rubric, sha256, accept_many=False)
    checker.forbidden_keys(data, "$")
    result = checker.assessment(data, "$")
    checker.raise_if_problems()
    assert result is not None  # no problems means the checker built the assessment
    return result


def load_assessments_data(
    data: Any, rubric: Rubric, *, sha256: str | None = None
) -> tuple[Assessment, ...]:
    """Check parsed data that is either one assessment or a ``kcm-assessments`` collection."""
    checker = _Checker(rubric, sha256, accept_many=True)
    checker.forbidden_keys(data, "$")
    if isinstance(data, dict) and data.get("format") == FORMAT_MANY:
        results = checker.collection(data)
    else:
        one = checker.assessment(data, "$")
        results = (one,) if one is not None else ()
    checker.raise_if_problems()
    return results


# --------------------------------------------------------------------------------------------
# The checker


def describe(value: Any) -> str:
    """A short Dutch description of a JSON value for messages: "de tekst 'ja'"."""
    if isinstance(value, str):
        return f"de tekst {quote(value)}"
    if isinstance(value, int | float) and not isinstance(value, bool):
        return f"het getal {quote(value)}"
    return quote(value)


def _quote_list(items: Iterable[str]) -> str:
    return ", ".join(quote(i) for i in items)


class _Checker:
    """Collects problems while it walks the data; builds the model where the data allows."""

    def __init__(self, rubric: Rubric, sha256: str | None, *, accept_many: bool) -> None:
        self.rubric = rubric
        self.accept_many = accept_many
        self._sha256 = sha256
        self.problems: list[Problem] = []
        self._skipped = 0
        self._criteria = {c.id: c for c in rubric.criteria()}
        self._fields = {f.id: f for f in rubric.fields}
        self._conditions = {c.id: c for c in rubric.conditions}
        self._eindterm_ids = tuple(e.id for e in rubric.eindtermen)

    @property
    def sha256(self) -> str:
        if self._sha256 is None:
            self._sha256 = rubric_sha256(self.rubric)
        return self._sha256

    def add(self, path: str, message: str) -> None:
        if len(self.problems) < MAX_PROBLEMS:
            self.problems.append(Problem(path, message))
        else:
            self._skipped += 1

    def raise_if_problems(self) -> None:
        if not self.problems:
            return
        problems = list(self.problems)
        if self._skipped:
            problems.append(
                Problem(
                    "$", f"en nog {self._skipped} problemen; los eerst de problemen hierboven op"
                )
            )
        raise KcmError(tuple(problems))

    # -- generic checks ----------------------------------------------------------------------

    def forbidden_keys(self, data: Any, path: str) -> None:
        # Iterative walk: the data may come from a caller that did not limit its depth. Paths
        # are kept as parts and only turned into text for a problem: most files have none.
        stack: list[tuple[Any, tuple[PathPart, ...]]] = [(data, ())]
        while stack:
            value, parts = stack.pop()
            if isinstance(value, dict):
                for key, item in reversed(list(value.items())):
                    if key in FORBIDDEN_KEYS:
                        where = _join_path(path, (*parts, key))
                        self.add(where, f"de sleutel {quote(key)} is niet toegestaan")
                    elif isinstance(item, dict | list):
                        stack.append((item, (*parts, key)))
            elif isinstance(value, list):
                for index in range(len(value) - 1, -1, -1):
                    if isinstance(value[index], dict | list):
                        stack.append((value[index], (*parts, index)))

    def object(
        self, value: Any, path: str, allowed: Sequence[str], required: Sequence[str] = ()
    ) -> dict[str, Any] | None:
        """``value`` if it is an object with only ``allowed`` keys, else None and a problem."""
        if not isinstance(value, dict):
            self.add(path, f"verwacht een object, niet {describe(value)}")
            return None
        for key in value:
            if key in FORBIDDEN_KEYS:
                continue  # already reported by forbidden_keys
            if key not in allowed:
                self.add(
                    child_path(path, key),
                    f"onbekende sleutel {quote(key)}; toegestaan zijn: {_quote_list(allowed)}",
                )
        for key in required:
            if key not in value:
                self.add(path, f"de sleutel '{key}' ontbreekt")
        return value

    def text(self, value: Any, path: str, max_chars: int) -> str | None:
        if not isinstance(value, str):
            self.add(path, f"verwacht tekst, niet {describe(value)}")
            return None
        if len(value) > max_chars:
            self.add(path, f"te lang: {len(value)} tekens, maximaal {max_chars}")
            return None
        return value

    def boolean(self, value: Any, path: str) -> bool | None:
        # type() rather than isinstance(): in Python True is an int, and 1 is not a boolean.
        if type(value) is not bool:
            self.add(path, f"moet true of false zijn, niet {describe(value)}")
            return None
        return value

    def datetime_text(self, value: Any, path: str) -> str | None:
        if not isinstance(value, str):
            self.add(path, f"verwacht een datum en tijd als tekst, niet {describe(value)}")
            return None
        problem = _datetime_problem(value)
        if problem is not None:
            self.add(path, problem)
            return None
        return value

    # -- one assessment ----------------------------------------------------------------------

    def assessment(self, data: Any, path: str) -> Assessment | None:
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
        if not self._rubric_ref(top["rubric"], child_path(path, "rubric")):
            # Another rubric: its criteria and fields mean nothing here, so stop.
            return None
        for key in _REQUIRED_TOP_KEYS:
            if key not in top:
                self.add(path, f"de sleutel '{key}' ontbreekt")

        assessment_id = None
        if "id" in top:
            id_problem = _assessment_id_problem(top["id"])
            if id_problem is None:
                assessment_id = top["id"]
            else:
                self.add(child_path(path, "id"), id_problem)
        fields = self._fields_of(top.get("fields", {}), child_path(path, "fields"))
        conditions = self._conditions_of(top.get("conditions", {}), child_path(path, "conditions"))
        criteria = self._criteria_of(top.get("criteria", {}), child_path(path, "criteria"))
        remarks = self._remarks_of(top.get("remarks", {}), child_path(path, "remarks"))
        status = (
            self._status(top.get("status"), child_path(path, "status")) if "status" in top else None
        )
        created = (
            self.datetime_text(top["created"], child_path(path, "created"))
            if "created" in top
            else None
        )
        # "updated" may be absent in a hand-made file: then it equals "created".
        updated = (
            self.datetime_text(top["updated"], child_path(path, "updated"))
            if "updated" in top
            else created
        )
        finalized = self._finalized(top.get("finalized"), child_path(path, "finalized"))
        history = self._history(top.get("history", []), child_path(path, "history"))

        if status is not None and fields is not None and conditions is not None:
            self._status_rules(path, status, top.get("finalized"), fields, conditions)

        if len(self.problems) > start or self._skipped:
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
        )

    def _format(self, top: Mapping[str, Any], path: str, expected: str) -> bool:
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
                if path == "$" and self.accept_many:
                    allowed = f"'{FORMAT}' of '{FORMAT_MANY}'"
                message = (
                    f"dit is geen kcm-beoordeling: format is {describe(fmt)}, verwacht {allowed}"
                )
            self.add(child_path(path, "format"), message)
            return False
        version = top.get("format_version")
        if "format_version" not in top:
            self.add(path, "de sleutel 'format_version' ontbreekt")
            return False
        if type(version) is not int or version != FORMAT_VERSION:
            self.add(
                child_path(path, "format_version"),
                f"format_version {describe(version)} wordt niet ondersteund; "
                f"deze versie van kcm leest versie {FORMAT_VERSION}",
            )
            return False
        return True

    def _rubric_ref(self, value: Any, path: str) -> bool:
        rubric = self.rubric
        ref = self.object(value, path, _RUBRIC_REF_KEYS, ("id", "version"))
        if ref is None or "id" not in ref or "version" not in ref:
            return False
        ok = True
        for key in ("id", "version"):
            if not isinstance(ref[key], str):
                self.add(child_path(path, key), f"verwacht tekst, niet {describe(ref[key])}")
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
            if not isinstance(sha, str) or not _SHA256_RE.match(sha):
                self.add(
                    child_path(path, "sha256"),
                    f"verwacht 64 tekens 0-9 en a-f (sha256), niet {describe(sha)}",
                )
            elif sha != self.sha256:
                self.add(
                    child_path(path, "sha256"),
                    f"de beoordeling is gemaakt met een andere inhoud van rubric "
                    f"{quote(rubric.id)} versie {quote(rubric.version)} (sha256 {sha[:12]}…, "
                    f"deze rubric heeft {self.sha256[:12]}…)",
                )
        return True

    def _fields_of(self, value: Any, path: str) -> dict[str, str] | None:
        obj = self.object(value, path, tuple(self._fields), ())
        if obj is None:
            return None
        result = dict.fromkeys(self._fields, "")
        ok = True
        for key, raw in obj.items():
            if key in FORBIDDEN_KEYS or key not in self._fields:
                ok = False
                continue
            where = child_path(path, key)
            text = self.text(raw, where, MAX_FIELD_CHARS)
            if text is None:
                ok = False
                continue
            date_problem = (
                _date_problem(text) if self._fields[key].type == "date" and text else None
            )
            if date_problem is not None:
                self.add(where, date_problem)
                ok = False
                continue
            result[key] = text
        return result if ok else None

    def _conditions_of(self, value: Any, path: str) -> dict[str, tuple[str, ...]] | None:
        obj = self.object(value, path, tuple(self._conditions), ())
        if obj is None:
            return None
        result: dict[str, tuple[str, ...]] = dict.fromkeys(self._conditions, ())
        ok = True
        for key, raw in obj.items():
            if key in FORBIDDEN_KEYS or key not in self._conditions:
                ok = False
                continue
            condition = self._conditions[key]
            where = child_path(path, key)
            if not isinstance(raw, list):
                self.add(where, f"verwacht een lijst met keuzes, niet {describe(raw)}")
                ok = False
                continue
            options = condition.option_ids()
            chosen: set[str] = set()
            for index, option in enumerate(raw):
                at = child_path(where, index)
                if not isinstance(option, str):
                    self.add(at, f"verwacht tekst, niet {describe(option)}")
                    ok = False
                elif option not in options:
                    self.add(
                        at,
                        f"onbekende keuze {quote(option)} bij {quote(key)}; "
                        f"kies uit {_quote_list(options)}",
                    )
                    ok = False
                elif option in chosen:
                    self.add(at, f"de keuze {quote(option)} staat er twee keer in")
                    ok = False
                else:
                    chosen.add(option)
            if len(chosen) > 1 and not condition.multiple:
                self.add(where, f"bij {quote(key)} mag maar één keuze gekozen zijn")
                ok = False
            result[key] = tuple(o for o in options if o in chosen)
        return result if ok else None

    def _criteria_of(self, value: Any, path: str) -> dict[str, Mark] | None:
        if not isinstance(value, dict):
            self.add(path, f"verwacht een object, niet {describe(value)}")
            return None
        marks: dict[str, Mark] = {}
        ok = True
        for key, raw in value.items():
            if key in FORBIDDEN_KEYS:
                ok = False
                continue
            criterion = self._criteria.get(key)
            # Fast path for the common entry: known criterion, right types, no n.v.t.; its
            # paths are never needed. Anything else goes through the full checks below.
            if (
                criterion is not None
                and type(raw) is dict
                and raw.keys() <= _MARK_KEY_SET
                and type(raw.get("checked", False)) is bool
                and raw.get("na", False) is False
                and type(remark := raw.get("remark", "")) is str
                and len(remark) <= MAX_REMARK_CHARS
            ):
                mark = Mark(checked=raw.get("checked", False), remark=remark)
                if not mark.is_empty():
                    marks[key] = mark
                continue
            where = child_path(path, key)
            if criterion is None:
                self.add(
                    where, f"onbekend criterium {quote(key)} in rubric {quote(self.rubric.id)}"
                )
                ok = False
                continue
            entry = self.object(raw, where, _MARK_KEYS, ())
            if entry is None:
                ok = False
                continue
            checked = (
                self.boolean(entry["checked"], child_path(where, "checked"))
                if "checked" in entry
                else False
            )
            na = self.boolean(entry["na"], child_path(where, "na")) if "na" in entry else False
            remark = (
                self.text(entry["remark"], child_path(where, "remark"), MAX_REMARK_CHARS)
                if "remark" in entry
                else ""
            )
            if checked is None or na is None or remark is None:
                ok = False
                continue
            if na:
                if criterion.critical:
                    self.add(
                        child_path(where, "na"),
                        f"criterium {key} is kritisch en kan niet n.v.t. zijn",
                    )
                    ok = False
                elif not criterion.allow_na:
                    self.add(child_path(where, "na"), f"bij criterium {key} mag n.v.t. niet")
                    ok = False
                if checked:
                    self.add(where, "een criterium kan niet tegelijk gecheckt en n.v.t. zijn")
                    ok = False
                if not remark.strip():
                    self.add(
                        child_path(where, "remark"),
                        "geef in de opmerking een reden waarom het criterium n.v.t. is",
                    )
                    ok = False
            mark = Mark(checked=checked, na=na, remark=remark)
            if not mark.is_empty():
                marks[key] = mark
        if not ok:
            return None
        # Normalised order: the rubric's.
        return {cid: marks[cid] for cid in self._criteria if cid in marks}

    def _remarks_of(self, value: Any, path: str) -> dict[str, str] | None:
        if not isinstance(value, dict):
            self.add(path, f"verwacht een object, niet {describe(value)}")
            return None
        allowed = ("", *self._eindterm_ids)
        ok = True
        for key, raw in value.items():
            if key in FORBIDDEN_KEYS:
                ok = False
                continue
            where = child_path(path, key)
            if key not in allowed:
                self.add(
                    where,
                    f"onbekende Eindterm {quote(key)}; een opmerking hoort bij een Eindterm "
                    f"({_quote_list(self._eindterm_ids)}) of is algemeen ('')",
                )
                ok = False
                continue
            if self.text(raw, where, MAX_REMARK_CHARS) is None:
                ok = False
        if not ok:
            return None
        return {k: value[k] for k in allowed if value.get(k)}

    def _status(self, value: Any, path: str) -> Status | None:
        if value == "draft":
            return "draft"
        if value == "final":
            return "final"
        self.add(path, f"verwacht 'draft' of 'final', niet {describe(value)}")
        return None

    def _finalized(self, value: Any, path: str) -> str | None:
        if value is None:
            return None
        return self.datetime_text(value, path)

    def _history(self, value: Any, path: str) -> tuple[HistoryEntry, ...] | None:
        if not isinstance(value, list):
            self.add(path, f"verwacht een lijst, niet {describe(value)}")
            return None
        if len(value) > MAX_HISTORY:
            self.add(path, f"te veel regels: {len(value)}, maximaal {MAX_HISTORY}")
            return None
        entries: list[HistoryEntry] = []
        ok = True
        for index, raw in enumerate(value):
            where = child_path(path, index)
            entry = self.object(raw, where, _HISTORY_KEYS, _HISTORY_KEYS)
            if entry is None or "at" not in entry or "action" not in entry:
                ok = False
                continue
            at = self.datetime_text(entry["at"], child_path(where, "at"))
            action = entry["action"]
            if action not in ("finalized", "reopened"):
                self.add(
                    child_path(where, "action"),
                    f"verwacht 'finalized' of 'reopened', niet {describe(action)}",
                )
                ok = False
                continue
            if at is None:
                ok = False
                continue
            entries.append(HistoryEntry(at, action))
        return tuple(entries) if ok else None

    def _status_rules(
        self,
        path: str,
        status: Status,
        finalized: Any,
        fields: Mapping[str, str],
        conditions: Mapping[str, tuple[str, ...]],
    ) -> None:
        if status == "draft":
            if finalized is not None:
                self.add(
                    child_path(path, "finalized"),
                    "een concept (status 'draft') heeft geen moment van afronden: maak dit null",
                )
            return
        if finalized is None:
            self.add(
                child_path(path, "finalized"),
                "een definitieve beoordeling (status 'final') heeft het moment van afronden nodig",
            )
        for f in self.rubric.fields:
            if f.required and not fields[f.id].strip():
                self.add(
                    child_path(child_path(path, "fields"), f.id),
                    f"{f.label} is verplicht in een definitieve beoordeling",
                )
        for c in self.rubric.conditions:
            if c.required and not conditions[c.id]:
                self.add(
                    child_path(child_path(path, "conditions"), c.id),
                    f"{c.label}: kies minstens één optie in een definitieve beoordeling",
                )

    # -- many assessments --------------------------------------------------------------------

    def collection(self, data: dict[str, Any]) -> tuple[Assessment, ...]:
        if not self._format(data, "$", FORMAT_MANY):
            return ()
        top = self.object(data, "$", _MANY_KEYS, ("assessments",))
        if top is None:
            return ()
        if "exported" in top:
            self.datetime_text(top["exported"], "$.exported")
        items = top.get("assessments")
        if items is None:
            return ()
        if not isinstance(items, list):
            self.add("$.assessments", f"verwacht een lijst, niet {describe(items)}")
            return ()
        if len(items) > MAX_ASSESSMENTS:
            self.add(
                "$.assessments",
                f"te veel beoordelingen in één bestand: {len(items)}, maximaal {MAX_ASSESSMENTS}",
            )
            return ()
        results: list[Assessment] = []
        seen: dict[str, int] = {}
        for index, item in enumerate(items):
            where = child_path("$.assessments", index)
            one = self.assessment(item, where)
            if one is None:
                continue
            if one.id in seen:
                self.add(
                    child_path(where, "id"),
                    f"het id {quote(one.id)} staat ook bij $.assessments[{seen[one.id]}]",
                )
                continue
            seen[one.id] = index
            results.append(one)
        return tuple(results)


# --------------------------------------------------------------------------------------------
# Small checks shared by the loader and new_assessment


def _join_path(base: str, parts: Sequence[PathPart]) -> str:
    for part in parts:
        base = child_path(base, part)
    return base


def _assessment_id_problem(value: Any) -> str | None:
    # The id ends up in storage keys and HTML attributes: a small, safe alphabet only.
    if not isinstance(value, str):
        return f"verwacht tekst, niet {describe(value)}"
    if not value or len(value) > MAX_ID_CHARS or not _ID_RE.match(value):
        return (
            f"ongeldig id {quote(value)}: gebruik 1 tot {MAX_ID_CHARS} tekens uit "
            "A-Z, a-z, 0-9, '-', '_', '.' en ':', beginnend met een letter of cijfer"
        )
    return None


def _datetime_problem(value: str) -> str | None:
    if _DATETIME_RE.match(value):
        # The pattern allows up to 9 decimals and Python reads at most 6; only the calendar
        # and the clock are checked here, so the decimals are dropped first.
        head, _, rest = value.partition(".")
        candidate = head + rest.lstrip("0123456789") if rest else value
        try:
            datetime.fromisoformat(candidate)
        except ValueError:
            pass
        else:
            return None
    return (
        f"ongeldige datum en tijd {quote(value)}: schrijf bijvoorbeeld "
        "2026-11-27T09:12:00Z (met seconden en tijdzone)"
    )


def _date_problem(value: str) -> str | None:
    if _DATE_RE.match(value):
        try:
            date.fromisoformat(value)
        except ValueError:
            pass
        else:
            return None
    return (
        f"ongeldige datum {quote(value)}: schrijf jjjj-mm-dd, bijvoorbeeld 2026-11-27, "
        "of laat het veld leeg"
    )


def assessment_schema() -> dict[str, Any]:
    """The JSON Schema of the format (package data ``assessment.schema.json``)."""
    text = resources.files("kcm_core").joinpath("assessment.schema.json").read_text("utf-8")
    schema: dict[str, Any] = json.loads(text)
    return schema
