"""Checking the sections of one assessment against its rubric (export format version 1).

``SectionChecker`` knows what each section of an assessment may hold for one rubric: header
fields, conditions, criteria marks (with a joint record's ``decision``), remarks, status,
history, and the optional assessors and live-call events. The exam-record keys are checked by
``kcm_core.assessment_exam_check``, which extends this class. The document around them
(format, rubric reference, status rules, collections) is checked by ``kcm_core.assessment_load``,
which extends this class. Each method returns the normalised section, or None after reporting
every problem it found there.
"""

from __future__ import annotations

import math
from typing import Any, Final

from kcm_core.assessment_exam import Answer, Decision
from kcm_core.assessment_model import (
    MAX_ASSESSORS,
    MAX_EVENTS,
    MAX_FIELD_CHARS,
    MAX_HISTORY,
    MAX_HOLD_SECONDS,
    MAX_REMARK_CHARS,
    Assessor,
    CallEvent,
    EventKind,
    HistoryEntry,
    Mark,
    Status,
    assessment_id_problem,
)
from kcm_core.datacheck import FORBIDDEN_KEYS, DataChecker, date_problem, describe, quote_list
from kcm_core.errors import PathParts, quote
from kcm_core.model import Rubric

__all__ = ["SectionChecker"]

_ANSWER_KEYS: Final = ("checked", "na", "remark")
_MARK_KEYS: Final = (*_ANSWER_KEYS, "decision")
# The fast path takes only the common entry; a decision goes through the full checks.
_FAST_MARK_KEY_SET: Final = frozenset(_ANSWER_KEYS)
_DECISION_KEYS: Final = ("a", "b", "reason")
_HISTORY_KEYS: Final = ("at", "action", "from", "by")
_HISTORY_REQUIRED: Final = ("at", "action")
_HISTORY_ACTIONS: Final = ("finalized", "reopened", "copied", "signed")
_ASSESSOR_KEYS: Final = ("name",)
_EVENT_KEYS: Final = ("at", "kind", "criterion", "seconds")
_EVENT_REQUIRED: Final = ("at", "kind", "criterion")


class SectionChecker(DataChecker):
    """The checks of an assessment's sections for ``rubric``."""

    def __init__(self, rubric: Rubric) -> None:
        super().__init__()
        self.rubric = rubric
        self._criteria = {c.id: c for c in rubric.criteria()}
        self._fields = {f.id: f for f in rubric.fields}
        self._conditions = {c.id: c for c in rubric.conditions}
        self._eindterm_ids = tuple(e.id for e in rubric.eindtermen)

    def fields_of(self, value: Any, path: PathParts) -> dict[str, str] | None:
        obj = self.object(value, path, tuple(self._fields), ())
        if obj is None:
            return None
        result = dict.fromkeys(self._fields, "")
        ok = True
        for key, raw in obj.items():
            if key in FORBIDDEN_KEYS or key not in self._fields:
                ok = False
                continue
            where = (*path, key)
            text = self.text(raw, where, MAX_FIELD_CHARS)
            if text is None:
                ok = False
                continue
            wrong_date = date_problem(text) if self._fields[key].type == "date" and text else None
            if wrong_date is not None:
                self.add(where, wrong_date)
                ok = False
                continue
            result[key] = text
        return result if ok else None

    def conditions_of(self, value: Any, path: PathParts) -> dict[str, tuple[str, ...]] | None:
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
            where = (*path, key)
            if not isinstance(raw, list):
                self.add(where, f"verwacht een lijst met keuzes, niet {describe(raw)}")
                ok = False
                continue
            options = condition.option_ids()
            chosen: set[str] = set()
            for index, option in enumerate(raw):
                at = (*where, index)
                if not isinstance(option, str):
                    self.add(at, f"verwacht tekst, niet {describe(option)}")
                    ok = False
                elif option not in options:
                    self.add(
                        at,
                        f"onbekende keuze {quote(option)} bij {quote(key)}; "
                        f"kies uit {quote_list(options)}",
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

    def criteria_of(
        self, value: Any, path: PathParts, *, reasons_required: bool
    ) -> dict[str, Mark] | None:
        """The marks in rubric order. An n.v.t. needs a reason only when ``reasons_required``
        (a final assessment): a draft keeps what the assessor has set so far, so that
        everything the checklist saves can be loaded again."""
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
                and raw.keys() <= _FAST_MARK_KEY_SET
                and type(raw.get("checked", False)) is bool
                and raw.get("na", False) is False
                and type(remark := raw.get("remark", "")) is str
                and len(remark) <= MAX_REMARK_CHARS
            ):
                mark = Mark(checked=raw.get("checked", False), remark=remark)
                if not mark.is_empty():
                    marks[key] = mark
                continue
            where = (*path, key)
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
                self.boolean(entry["checked"], (*where, "checked")) if "checked" in entry else False
            )
            na = self.boolean(entry["na"], (*where, "na")) if "na" in entry else False
            remark = (
                self.text(entry["remark"], (*where, "remark"), MAX_REMARK_CHARS)
                if "remark" in entry
                else ""
            )
            decision = (
                self.decision_of(
                    entry["decision"], (*where, "decision"), reasons_required=reasons_required
                )
                if "decision" in entry
                else None
            )
            if checked is None or na is None or remark is None:
                ok = False
                continue
            if "decision" in entry and decision is None:
                ok = False
            if na:
                if criterion.critical:
                    self.add(
                        (*where, "na"),
                        f"criterium {key} is kritisch en kan niet n.v.t. zijn",
                    )
                    ok = False
                elif not criterion.allow_na:
                    self.add((*where, "na"), f"bij criterium {key} mag n.v.t. niet")
                    ok = False
                if checked:
                    self.add(where, "een criterium kan niet tegelijk gecheckt en n.v.t. zijn")
                    ok = False
                if reasons_required and not remark.strip():
                    self.add(
                        (*where, "remark"),
                        "geef in de opmerking een reden waarom het criterium n.v.t. is",
                    )
                    ok = False
            mark = Mark(checked=checked, na=na, remark=remark, decision=decision)
            if not mark.is_empty():
                marks[key] = mark
        if not ok:
            return None
        # Normalised order: the rubric's.
        return {cid: marks[cid] for cid in self._criteria if cid in marks}

    def decision_of(
        self, value: Any, path: PathParts, *, reasons_required: bool
    ) -> Decision | None:
        """A joint record's ``{"a": answer, "b": answer, "reason"}``: what each assessor
        answered in the originals, and why the joint answer was chosen. The reason may wait in
        a draft; a final record needs it."""
        entry = self.object(value, path, _DECISION_KEYS, _DECISION_KEYS)
        if entry is None or any(key not in entry for key in _DECISION_KEYS):
            return None
        a = self._answer(entry["a"], (*path, "a"))
        b = self._answer(entry["b"], (*path, "b"))
        reason = self.text(entry["reason"], (*path, "reason"), MAX_REMARK_CHARS)
        if reason is not None and reasons_required and not reason.strip():
            self.add(
                (*path, "reason"),
                "de beoordelaars antwoordden hier verschillend: schrijf waarom dit antwoord "
                "gekozen is",
            )
            return None
        if a is None or b is None or reason is None:
            return None
        return Decision(a, b, reason)

    def _answer(self, value: Any, path: PathParts) -> Answer | None:
        entry = self.object(value, path, _ANSWER_KEYS, ())
        if entry is None:
            return None
        checked = (
            self.boolean(entry["checked"], (*path, "checked")) if "checked" in entry else False
        )
        na = self.boolean(entry["na"], (*path, "na")) if "na" in entry else False
        remark = (
            self.text(entry["remark"], (*path, "remark"), MAX_REMARK_CHARS)
            if "remark" in entry
            else ""
        )
        if checked is None or na is None or remark is None:
            return None
        if checked and na:
            self.add(path, "een antwoord kan niet tegelijk gecheckt en n.v.t. zijn")
            return None
        return Answer(checked, na, remark)

    def remarks_of(self, value: Any, path: PathParts) -> dict[str, str] | None:
        if not isinstance(value, dict):
            self.add(path, f"verwacht een object, niet {describe(value)}")
            return None
        allowed = ("", *self._eindterm_ids)
        ok = True
        for key, raw in value.items():
            if key in FORBIDDEN_KEYS:
                ok = False
                continue
            where = (*path, key)
            if key not in allowed:
                self.add(
                    where,
                    f"onbekende Eindterm {quote(key)}; een opmerking hoort bij een Eindterm "
                    f"({quote_list(self._eindterm_ids)}) of is algemeen ('')",
                )
                ok = False
                continue
            if self.text(raw, where, MAX_REMARK_CHARS) is None:
                ok = False
        if not ok:
            return None
        return {k: value[k] for k in allowed if value.get(k)}

    def status_of(self, value: Any, path: PathParts) -> Status | None:
        if value == "draft":
            return "draft"
        if value == "final":
            return "final"
        self.add(path, f"verwacht 'draft' of 'final', niet {describe(value)}")
        return None

    def finalized_of(self, value: Any, path: PathParts) -> str | None:
        if value is None:
            return None
        return self.datetime_text(value, path)

    def history_of(self, value: Any, path: PathParts) -> tuple[HistoryEntry, ...] | None:
        if not isinstance(value, list):
            self.add(path, f"verwacht een lijst, niet {describe(value)}")
            return None
        if len(value) > MAX_HISTORY:
            self.add(path, f"te veel regels: {len(value)}, maximaal {MAX_HISTORY}")
            return None
        entries: list[HistoryEntry] = []
        ok = True
        for index, raw in enumerate(value):
            where = (*path, index)
            entry = self.object(raw, where, _HISTORY_KEYS, _HISTORY_REQUIRED)
            if entry is None or "at" not in entry or "action" not in entry:
                ok = False
                continue
            at = self.datetime_text(entry["at"], (*where, "at"))
            action = entry["action"]
            if action not in _HISTORY_ACTIONS:
                self.add(
                    (*where, "action"),
                    "verwacht 'finalized', 'reopened' of 'signed' (of 'copied' bij een kopie), "
                    f"niet {describe(action)}",
                )
                ok = False
                continue
            from_id = self.history_source(entry, action, where)
            by = self.history_by(entry, where)
            if (
                at is None
                or (action == "copied" and from_id is None)
                or ("from" in entry and action != "copied")
                or ("by" in entry and by is None)
            ):
                ok = False
                continue
            entries.append(HistoryEntry(at, action, from_id, by))
        return tuple(entries) if ok else None

    def assessors_of(self, value: Any, path: PathParts) -> tuple[Assessor, ...] | None:
        """Who assessed: ``[{"name": "A. Jansen"}]``, one or two names that are not empty."""
        if not isinstance(value, list):
            self.add(path, f"verwacht een lijst, niet {describe(value)}")
            return None
        if len(value) > MAX_ASSESSORS:
            self.add(path, f"te veel beoordelaars: {len(value)}, maximaal {MAX_ASSESSORS}")
            return None
        assessors: list[Assessor] = []
        ok = True
        for index, raw in enumerate(value):
            where = (*path, index)
            entry = self.object(raw, where, _ASSESSOR_KEYS, _ASSESSOR_KEYS)
            if entry is None or "name" not in entry:
                ok = False
                continue
            name = self.text(entry["name"], (*where, "name"), MAX_FIELD_CHARS)
            if name is None:
                ok = False
                continue
            if not name.strip():
                self.add((*where, "name"), "de naam van de beoordelaar is leeg")
                ok = False
                continue
            assessors.append(Assessor(name))
        return tuple(assessors) if ok else None

    def events_of(self, value: Any, path: PathParts) -> tuple[CallEvent, ...] | None:
        """Live-call notes: ``{"at", "kind": "phase", "criterion"}`` or ``{"at", "kind":
        "hold", "criterion", "seconds"}``; ``criterion`` is a criterion of this rubric."""
        if not isinstance(value, list):
            self.add(path, f"verwacht een lijst, niet {describe(value)}")
            return None
        if len(value) > MAX_EVENTS:
            self.add(path, f"te veel notities: {len(value)}, maximaal {MAX_EVENTS}")
            return None
        events: list[CallEvent] = []
        ok = True
        for index, raw in enumerate(value):
            event = self._event(raw, (*path, index))
            if event is None:
                ok = False
            else:
                events.append(event)
        return tuple(events) if ok else None

    def _event(self, raw: Any, where: PathParts) -> CallEvent | None:
        start = len(self.problems) + self.skipped
        entry = self.object(raw, where, _EVENT_KEYS, _EVENT_REQUIRED)
        if entry is None:
            return None
        at = self.datetime_text(entry["at"], (*where, "at")) if "at" in entry else None
        kind: EventKind | None = None
        if "kind" in entry:
            if entry["kind"] == "phase":
                kind = "phase"
            elif entry["kind"] == "hold":
                kind = "hold"
            else:
                self.add(
                    (*where, "kind"), f"verwacht 'phase' of 'hold', niet {describe(entry['kind'])}"
                )
        raw_criterion = entry.get("criterion")
        # isinstance first: a list or object is no criterion id, and cannot be looked up.
        criterion = (
            raw_criterion
            if isinstance(raw_criterion, str) and raw_criterion in self._criteria
            else None
        )
        if "criterion" in entry and criterion is None:
            self.add(
                (*where, "criterion"),
                f"onbekend criterium {describe(raw_criterion)} in rubric {quote(self.rubric.id)}",
            )
        seconds = self._hold_seconds(entry, kind, where)
        if len(self.problems) + self.skipped > start or at is None or kind is None:
            return None
        if criterion is None:
            return None  # unreachable: a missing or unknown criterion came with a problem
        return CallEvent(at, kind, criterion, seconds)

    def _hold_seconds(
        self, entry: dict[str, Any], kind: EventKind | None, where: PathParts
    ) -> int | float | None:
        """A hold's length in seconds; a phase mark has none."""
        if kind != "hold":
            if kind == "phase" and "seconds" in entry:
                self.add((*where, "seconds"), "alleen een wachttijd ('hold') heeft seconden")
            return None
        if "seconds" not in entry:
            self.add(where, "de sleutel 'seconds' ontbreekt: hoe lang wachtte de klant?")
            return None
        seconds = entry["seconds"]
        # type() rather than isinstance(): in Python True is an int, and true is no number.
        if type(seconds) not in (int, float) or not math.isfinite(seconds):
            self.add((*where, "seconds"), f"verwacht een getal, niet {describe(seconds)}")
            return None
        if not 0 <= seconds <= MAX_HOLD_SECONDS:
            self.add(
                (*where, "seconds"),
                f"een wachttijd is 0 tot {MAX_HOLD_SECONDS} seconden (een dag), "
                f"niet {quote(seconds)}",
            )
            return None
        value: int | float = seconds
        return value

    def history_by(self, entry: dict[str, Any], where: PathParts) -> str | None:
        """Who did it (``"by"``): a name like an assessor's, or None (with a problem when given
        but not a name)."""
        if "by" not in entry:
            return None
        name = self.text(entry["by"], (*where, "by"), MAX_FIELD_CHARS)
        if name is not None and not name.strip():
            self.add((*where, "by"), "de naam is leeg")
            return None
        return name

    def history_source(self, entry: dict[str, Any], action: str, where: PathParts) -> str | None:
        """The id a ``"copied"`` entry names in ``"from"``; None (and a problem) when it is
        missing, not an id, or on another action."""
        if action != "copied":
            if "from" in entry:
                self.add(
                    (*where, "from"),
                    "alleen een regel met 'copied' noemt de beoordeling waar hij van komt",
                )
            return None
        if "from" not in entry:
            self.add(where, "de sleutel 'from' ontbreekt: van welke beoordeling is dit een kopie?")
            return None
        problem = assessment_id_problem(entry["from"])
        if problem is not None:
            self.add((*where, "from"), problem)
            return None
        source: str = entry["from"]
        return source
