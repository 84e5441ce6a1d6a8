"""Checking the exam-record keys of an assessment and the rules of a final record.

``ExamChecker`` extends ``SectionChecker`` with the optional keys a finalised exam record can
carry (``practice``, ``sources``, ``signatures``, ``result``, ``seal``; the types are in
``kcm_core.assessment_exam``) and with the rules that tie them to the status:

- a final record has a moment of finalising, every required field and condition, and (checked
  in the criteria) a reason for every n.v.t. and every ``decision``;
- ``result``, ``seal`` and ``signatures`` belong to a final record only: reopening removes
  them, so a draft that still holds one is refused rather than silently stripped;
- a ``decision`` belongs to a joint record (one with ``sources``), and a practice record is
  never joint.

Whether the seal and the result are *right* is not the loader's business: a changed record must
still load, so that ``kcm verify`` and the checklist can say what changed
(``kcm_core.seal``).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any, Final

from kcm_core.assessment_exam import (
    MAX_SVG_PATH_CHARS,
    SIGNATURE_ROLES,
    SOURCE_COUNT,
    SVG_PATH_RE,
    RecordedResult,
    Signature,
    SignatureRole,
    Source,
    Verdict,
)
from kcm_core.assessment_model import MAX_FIELD_CHARS, Mark, Status, assessment_id_problem
from kcm_core.assessment_sections import SectionChecker
from kcm_core.datacheck import describe
from kcm_core.errors import PathParts, quote

__all__ = ["SHA256_RE", "ExamChecker", "ExamKeys"]

SHA256_RE: Final = re.compile(r"[0-9a-f]{64}\Z", re.ASCII)
_SHA256_TEXT: Final = "64 tekens 0-9 en a-f (sha256)"
_RESULT_KEYS: Final = ("verdict", "outcomes")
_SEAL_KEYS: Final = ("sha256",)
_SIGNATURE_KEYS: Final = ("name", "at", "svg_path")
_SIGNATURE_REQUIRED: Final = ("name", "at")
_SOURCE_KEYS: Final = ("id", "seal", "assessor")
# Keys only a final record may hold, and what the problem says about each.
_FINAL_ONLY: Final = {
    "result": "een concept heeft nog geen uitslag: die komt pas bij het afronden",
    "signatures": "een concept heeft geen handtekeningen: tekenen kan pas na het afronden",
    "seal": "een concept heeft geen zegel: het zegel komt pas bij het afronden",
}


@dataclass(frozen=True, slots=True)
class ExamKeys:
    """The exam-record keys of one record, checked; empty where the key was absent."""

    practice: bool = False
    sources: tuple[Source, ...] = ()
    signatures: Mapping[SignatureRole, Signature] = field(
        default_factory=lambda: MappingProxyType({})
    )
    result: RecordedResult | None = None
    seal: str | None = None


class ExamChecker(SectionChecker):
    """The checks of the exam-record keys and of a final record's status rules."""

    def exam_keys(self, top: Mapping[str, Any], path: PathParts) -> ExamKeys | None:
        """Read the optional exam-record keys of ``top``; None after reporting problems."""
        start = len(self.problems) + self.skipped
        practice = (
            self._practice(top["practice"], (*path, "practice")) if "practice" in top else False
        )
        sources = self._sources(top["sources"], (*path, "sources")) if "sources" in top else ()
        signatures = (
            self._signatures(top["signatures"], (*path, "signatures"))
            if "signatures" in top
            else {}
        )
        result = self._result(top["result"], (*path, "result")) if "result" in top else None
        seal = self._seal(top["seal"], (*path, "seal")) if "seal" in top else None
        if practice is True and sources:
            self.add((*path, "practice"), "een oefening kan geen gezamenlijke beoordeling zijn")
        if len(self.problems) + self.skipped > start:
            return None
        if practice is None or sources is None or signatures is None:
            return None  # unreachable: each None came with a problem
        return ExamKeys(practice, sources, MappingProxyType(signatures), result, seal)

    def status_rules(
        self,
        path: PathParts,
        top: Mapping[str, Any],
        status: Status,
        fields: Mapping[str, str],
        conditions: Mapping[str, tuple[str, ...]],
        criteria: Mapping[str, Mark] | None,
    ) -> None:
        """What a draft may not hold, and what a final record needs."""
        if criteria is not None and "sources" not in top:
            for criterion_id, mark in criteria.items():
                if mark.decision is not None:
                    self.add(
                        (*path, "criteria", criterion_id, "decision"),
                        "alleen een gezamenlijke beoordeling (met 'sources') heeft een "
                        "beslissing bij een criterium",
                    )
        finalized = top.get("finalized")
        if status == "draft":
            if finalized is not None:
                self.add(
                    (*path, "finalized"),
                    "een concept (status 'draft') heeft geen moment van afronden: maak dit null",
                )
            for key, message in _FINAL_ONLY.items():
                if key in top:
                    self.add((*path, key), message)
            return
        if finalized is None:
            self.add(
                (*path, "finalized"),
                "een definitieve beoordeling (status 'final') heeft het moment van afronden nodig",
            )
        for f in self.rubric.fields:
            if f.required and not fields[f.id].strip():
                self.add(
                    (*path, "fields", f.id),
                    f"{f.label} is verplicht in een definitieve beoordeling",
                )
        for c in self.rubric.conditions:
            if c.required and not conditions[c.id]:
                self.add(
                    (*path, "conditions", c.id),
                    f"{c.label}: kies minstens één optie in een definitieve beoordeling",
                )

    # -- the keys ------------------------------------------------------------------------------

    def _practice(self, value: Any, path: PathParts) -> bool | None:
        # Only true is written; false would be the same record as no key, in two spellings.
        if value is not True:
            self.add(
                path,
                f"verwacht true (een oefening), niet {describe(value)}; laat de sleutel weg als "
                "het geen oefening is",
            )
            return None
        return True

    def _hex_digest(self, value: Any, path: PathParts) -> str | None:
        if not isinstance(value, str) or not SHA256_RE.match(value):
            self.add(path, f"verwacht {_SHA256_TEXT}, niet {describe(value)}")
            return None
        return value

    def _seal(self, value: Any, path: PathParts) -> str | None:
        entry = self.object(value, path, _SEAL_KEYS, _SEAL_KEYS)
        if entry is None or "sha256" not in entry:
            return None
        return self._hex_digest(entry["sha256"], (*path, "sha256"))

    def _result(self, value: Any, path: PathParts) -> RecordedResult | None:
        entry = self.object(value, path, _RESULT_KEYS, _RESULT_KEYS)
        if entry is None or any(key not in entry for key in _RESULT_KEYS):
            return None
        verdict = self._verdict(entry["verdict"], (*path, "verdict"))
        outcomes = self._outcomes(entry["outcomes"], (*path, "outcomes"))
        if verdict is None or outcomes is None:
            return None
        return RecordedResult(verdict, MappingProxyType(outcomes))

    def _verdict(self, value: Any, path: PathParts) -> Verdict | None:
        if value == "pass":
            return "pass"
        if value == "fail":
            return "fail"
        self.add(path, f"verwacht 'pass' of 'fail', niet {describe(value)}")
        return None

    def _outcomes(self, value: Any, path: PathParts) -> dict[str, Verdict] | None:
        """Every Eindterm of the rubric, each 'pass' or 'fail', in rubric order."""
        ids = tuple(e.id for e in self.rubric.eindtermen)
        entry = self.object(value, path, ids, ids)
        if entry is None:
            return None
        outcomes: dict[str, Verdict] = {}
        for eindterm_id in ids:
            if eindterm_id in entry:
                verdict = self._verdict(entry[eindterm_id], (*path, eindterm_id))
                if verdict is not None:
                    outcomes[eindterm_id] = verdict
        return outcomes if len(outcomes) == len(ids) == len(entry) else None

    def _signatures(self, value: Any, path: PathParts) -> dict[SignatureRole, Signature] | None:
        entry = self.object(value, path, SIGNATURE_ROLES, ())
        if entry is None:
            return None
        signatures: dict[SignatureRole, Signature] = {}
        ok = True
        for role in SIGNATURE_ROLES:
            if role in entry:
                signature = self._signature(entry[role], (*path, role))
                if signature is None:
                    ok = False
                else:
                    signatures[role] = signature
        return signatures if ok and len(signatures) == len(entry) else None

    def _signature(self, value: Any, path: PathParts) -> Signature | None:
        entry = self.object(value, path, _SIGNATURE_KEYS, _SIGNATURE_REQUIRED)
        if entry is None or any(key not in entry for key in _SIGNATURE_REQUIRED):
            return None
        name = self._name(entry["name"], (*path, "name"), "de naam bij de handtekening is leeg")
        at = self.datetime_text(entry["at"], (*path, "at"))
        svg_path = (
            self._svg_path(entry["svg_path"], (*path, "svg_path")) if "svg_path" in entry else None
        )
        if name is None or at is None or ("svg_path" in entry and svg_path is None):
            return None
        return Signature(name, at, svg_path)

    def _svg_path(self, value: Any, path: PathParts) -> str | None:
        text = self.text(value, path, MAX_SVG_PATH_CHARS)
        if text is None:
            return None
        if not SVG_PATH_RE.match(text):
            self.add(
                path,
                "verwacht een getekende handtekening als SVG-pad: beginnend met M, daarna alleen "
                "de letters MLHVCSQTAZ (ook klein), cijfers, punten, komma's, spaties, '-', '+' "
                "en 'e'",
            )
            return None
        return text

    def _name(self, value: Any, path: PathParts, empty: str) -> str | None:
        name = self.text(value, path, MAX_FIELD_CHARS)
        if name is not None and not name.strip():
            self.add(path, empty)
            return None
        return name

    def _sources(self, value: Any, path: PathParts) -> tuple[Source, ...] | None:
        if not isinstance(value, list):
            self.add(path, f"verwacht een lijst, niet {describe(value)}")
            return None
        if len(value) != SOURCE_COUNT:
            self.add(
                path,
                f"een gezamenlijke beoordeling komt uit precies {SOURCE_COUNT} beoordelingen, "
                f"niet {len(value)}",
            )
            return None
        sources: list[Source] = []
        for index, raw in enumerate(value):
            where = (*path, index)
            entry = self.object(raw, where, _SOURCE_KEYS, _SOURCE_KEYS)
            if entry is None or any(key not in entry for key in _SOURCE_KEYS):
                continue
            id_problem = assessment_id_problem(entry["id"])
            if id_problem is not None:
                self.add((*where, "id"), id_problem)
            seal = self._hex_digest(entry["seal"], (*where, "seal"))
            assessor = self._name(
                entry["assessor"], (*where, "assessor"), "de naam van de beoordelaar is leeg"
            )
            if id_problem is None and seal is not None and assessor is not None:
                sources.append(Source(entry["id"], seal, assessor))
        if len(sources) != SOURCE_COUNT:
            return None
        if sources[0].id == sources[1].id:
            self.add(
                (*path, 1, "id"),
                f"beide beoordelingen hebben het id {quote(sources[0].id)}: een gezamenlijke "
                "beoordeling komt uit twee verschillende",
            )
            return None
        return tuple(sources)
