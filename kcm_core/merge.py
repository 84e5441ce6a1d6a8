"""Two assessors, one joint record: merging two sealed assessments of one candidate (design §4,
§5 ``kcm merge``). The command line and the checklist (``browser_api.merge``) call this code.

Both originals must be sealed exam records (``kcm_core.seal.check_sealed`` finds nothing) of
the same rubric content (sha256), the same candidate (``naam_kandidaat`` and
``geboortedatum_kandidaat``, compared without case and extra spaces) by two different
assessors, each with one assessor and neither a joint record itself; otherwise ``MergeRefused``
names every problem and the record it is in.

The joint record is a draft with a new id, both assessors, ``sources`` with both ids, seals and
assessors, and no result, seal, signatures, history or live-call notes (those stay in the
originals, which ``sources`` names). What is decided where:

- a criterion with the same answer (ticked, n.v.t. or neither) in both: that answer. Its
  remark is the one remark, or both with their assessor's name when they differ; when both
  remarks together are too long, the criterion counts as a difference;
- a criterion with different answers: left open (not ticked) with ``decision`` = both answers
  and an empty reason, and listed as a ``Difference``. The assessors choose and write the
  reason in the checklist; a final record needs every reason (the loader checks);
- a header field: the one value when equal or when one is empty, else A's (a difference);
- a condition: the same, but when both chose differently it takes every option either chose
  where the rubric allows more (so no criterion of either call type is skipped), else A's
  (a difference);
- a remark per Eindterm: the one, or both with their names (a difference when too long).
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from types import MappingProxyType
from typing import Any, Literal

from kcm_core.assessment_exam import Answer, Decision, Source, answer_data
from kcm_core.assessment_model import MAX_REMARK_CHARS, Assessment, Mark
from kcm_core.canonical import rubric_sha256
from kcm_core.errors import PathParts, Problem, quote
from kcm_core.model import Rubric
from kcm_core.seal import check_sealed

__all__ = [
    "CANDIDATE_FIELDS",
    "Difference",
    "DifferenceKind",
    "MergeProblem",
    "MergeRefused",
    "Side",
    "merge",
    "new_record_id",
    "utc_now",
]

Side = Literal["a", "b"]
DifferenceKind = Literal["criterion", "field", "condition", "remark"]
# The fields that say who the candidate is: both originals must agree on them.
CANDIDATE_FIELDS = ("naam_kandidaat", "geboortedatum_kandidaat")


@dataclass(frozen=True, slots=True)
class Difference:
    """Where the two originals differ: what kind of thing, its id (a criterion, field or
    condition id; for a remark the Eindterm id or "" for the general one), both values as
    JSON, and a Dutch line that says it."""

    kind: DifferenceKind
    id: str
    a: Any
    b: Any
    text: str

    @property
    def label(self) -> str:
        """How a line about it starts: the criterion id (``2.2.1.e``), or the field,
        condition or remark it is about."""
        if self.kind == "remark":
            return f"opmerking Eindterm {self.id}" if self.id else "algemene opmerking"
        return self.id

    def to_json_data(self) -> dict[str, Any]:
        return {"kind": self.kind, "id": self.id, "a": self.a, "b": self.b, "text": self.text}


@dataclass(frozen=True, slots=True)
class MergeProblem:
    """Why the two cannot be merged, and in which original (``a`` or ``b``)."""

    side: Side
    problem: Problem


class MergeRefused(Exception):
    """The two originals do not belong together; ``problems`` names every reason."""

    def __init__(self, problems: tuple[MergeProblem, ...]) -> None:
        self.problems = problems
        super().__init__(problems)


def new_record_id() -> str:
    """A random id in the form of a UUID version 4 (``os.urandom``: uuid is not in the
    browser engine's standard library)."""
    raw = bytearray(os.urandom(16))
    raw[6] = (raw[6] & 0x0F) | 0x40
    raw[8] = (raw[8] & 0x3F) | 0x80
    text = raw.hex()
    return f"{text[:8]}-{text[8:12]}-{text[12:16]}-{text[16:20]}-{text[20:]}"


def utc_now() -> str:
    """The current moment as the format writes it: 2026-11-27T09:12:00Z."""
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def merge(
    a: Assessment,
    b: Assessment,
    rubric: Rubric,
    *,
    new_id: Callable[[], str] = new_record_id,
    now: Callable[[], str] = utc_now,
    sha256: str | None = None,
) -> tuple[Assessment, tuple[Difference, ...]]:
    """The joint draft of ``a`` and ``b`` and every difference; raises ``MergeRefused``."""
    rubric_hash = sha256 if sha256 is not None else rubric_sha256(rubric)
    _refuse_unless_together(a, b, rubric, rubric_hash)
    name_a, name_b = a.assessors[0].name, b.assessors[0].name
    joint = _Joint(rubric, name_a, name_b)
    fields = joint.fields(a, b)
    conditions = joint.conditions(a, b)
    criteria = joint.criteria(a, b)
    remarks = joint.remarks(a, b)
    moment = now()
    record = Assessment(
        id=new_id(),
        rubric=a.rubric,
        fields=MappingProxyType(fields),
        conditions=MappingProxyType(conditions),
        criteria=MappingProxyType(criteria),
        remarks=MappingProxyType(remarks),
        status="draft",
        created=moment,
        updated=moment,
        assessors=(a.assessors[0], b.assessors[0]),
        sources=tuple(Source(x.id, x.seal or "", x.assessors[0].name) for x in (a, b)),
    )
    return record, tuple(joint.differences)


def _refuse_unless_together(a: Assessment, b: Assessment, rubric: Rubric, rubric_hash: str) -> None:
    found: list[MergeProblem] = []
    sides: tuple[tuple[Side, Assessment], ...] = (("a", a), ("b", b))
    for side, record in sides:
        for problem in check_sealed(record, rubric, sha256=rubric_hash).problems:
            found.append(MergeProblem(side, problem))
        if record.joint:
            found.append(
                MergeProblem(
                    side,
                    Problem(("sources",), "dit is al een gezamenlijke beoordeling"),
                )
            )
        if len(record.assessors) > 1:
            found.append(
                MergeProblem(
                    side,
                    Problem(
                        ("assessors",),
                        f"{len(record.assessors)} beoordelaars: een beoordeling om samen te "
                        "voegen is van één beoordelaar",
                    ),
                )
            )
    if found:
        raise MergeRefused(tuple(found))
    if a.id == b.id:
        found.append(_b(("id",), f"dit is dezelfde beoordeling (id {quote(a.id)}) als de eerste"))
    if a.rubric.sha256 != b.rubric.sha256:
        found.append(
            _b(("rubric", "sha256"), "gemaakt met een andere inhoud van de rubric dan de eerste")
        )
    if _same(a.assessors[0].name, b.assessors[0].name):
        found.append(
            _b(
                ("assessors", 0, "name"),
                f"dezelfde beoordelaar als de eerste ({quote(a.assessors[0].name)}): samenvoegen "
                "is voor twee beoordelaars",
            )
        )
    labels = {f.id: f.label for f in rubric.fields}
    for field_id in CANDIDATE_FIELDS:
        if field_id in labels:
            va, vb = a.fields.get(field_id, ""), b.fields.get(field_id, "")
            if not _same(va, vb):
                found.append(
                    _b(
                        ("fields", field_id),
                        f"een andere kandidaat: {labels[field_id]} is hier {quote(vb)}, in de "
                        f"eerste beoordeling {quote(va)}",
                    )
                )
    if found:
        raise MergeRefused(tuple(found))


def _b(parts: PathParts, message: str) -> MergeProblem:
    return MergeProblem("b", Problem(parts, message))


def _same(x: str, y: str) -> bool:
    """Equal for people: without regard to case and extra spaces."""
    return " ".join(x.split()).casefold() == " ".join(y.split()).casefold()


_ANSWER_WORDS = {
    (True, False): "gecheckt",
    (False, True): "n.v.t.",
    (False, False): "niet gecheckt",
}


def _answer_text(answer: Answer) -> str:
    text = _ANSWER_WORDS.get((answer.checked, answer.na), "gecheckt en n.v.t.")
    return f"{text} ({quote(answer.remark)})" if answer.remark else text


class _Joint:
    """Builds the joint sections and collects the differences on the way."""

    def __init__(self, rubric: Rubric, name_a: str, name_b: str) -> None:
        self.rubric = rubric
        self.name_a = name_a
        self.name_b = name_b
        self.differences: list[Difference] = []

    def _both(self, a: str, b: str) -> str:
        return f"{self.name_a}: {quote(a)}; {self.name_b}: {quote(b)}"

    def _joined(self, a: str, b: str) -> str | None:
        """One text from both: the one when equal or the other is empty; both with their
        names when they differ; None when that would be too long."""
        if a == b or not b:
            return a
        if not a:
            return b
        joined = f"{self.name_a}: {a}\n{self.name_b}: {b}"
        return joined if len(joined) <= MAX_REMARK_CHARS else None

    def fields(self, a: Assessment, b: Assessment) -> dict[str, str]:
        result: dict[str, str] = {}
        for f in self.rubric.fields:
            va, vb = a.fields.get(f.id, ""), b.fields.get(f.id, "")
            if _same(va, vb) or not vb.strip():
                result[f.id] = va
            elif not va.strip():
                result[f.id] = vb
            else:
                result[f.id] = va
                self.differences.append(
                    Difference("field", f.id, va, vb, f"{f.label}: {self._both(va, vb)}")
                )
        return result

    def conditions(self, a: Assessment, b: Assessment) -> dict[str, tuple[str, ...]]:
        result: dict[str, tuple[str, ...]] = {}
        for c in self.rubric.conditions:
            sa, sb = a.selected(c.id), b.selected(c.id)
            if sa == sb or not sb:
                result[c.id] = sa
            elif not sa:
                result[c.id] = sb
            else:
                union = tuple(o for o in c.option_ids() if o in sa or o in sb)
                result[c.id] = union if c.multiple else sa
                self.differences.append(
                    Difference(
                        "condition",
                        c.id,
                        list(sa),
                        list(sb),
                        f"{c.label}: {self.name_a}: {', '.join(sa)}; {self.name_b}: "
                        f"{', '.join(sb)}; in de gezamenlijke beoordeling: "
                        f"{', '.join(result[c.id])}",
                    )
                )
        return result

    def criteria(self, a: Assessment, b: Assessment) -> dict[str, Mark]:
        result: dict[str, Mark] = {}
        for criterion_id in self.rubric.criterion_ids():
            ma, mb = a.mark(criterion_id), b.mark(criterion_id)
            answer_a = Answer(ma.checked, ma.na, ma.remark)
            answer_b = Answer(mb.checked, mb.na, mb.remark)
            remark = self._joined(ma.remark, mb.remark)
            if (ma.checked, ma.na) == (mb.checked, mb.na) and remark is not None:
                mark = Mark(ma.checked, ma.na, remark)
            else:
                mark = Mark(decision=Decision(answer_a, answer_b, ""))
                self.differences.append(
                    Difference(
                        "criterion",
                        criterion_id,
                        answer_data(answer_a),
                        answer_data(answer_b),
                        f"{self.name_a}: {_answer_text(answer_a)}; "
                        f"{self.name_b}: {_answer_text(answer_b)}",
                    )
                )
            if not mark.is_empty():
                result[criterion_id] = mark
        return result

    def remarks(self, a: Assessment, b: Assessment) -> dict[str, str]:
        result: dict[str, str] = {}
        for key in ("", *(e.id for e in self.rubric.eindtermen)):
            ra, rb = a.remarks.get(key, ""), b.remarks.get(key, "")
            joined = self._joined(ra, rb)
            if joined is None:
                joined = ra
                self.differences.append(
                    Difference(
                        "remark",
                        key,
                        ra,
                        rb,
                        f"te lang om samen te voegen; de opmerking van {self.name_a} is "
                        f"overgenomen, die van {self.name_b} niet",
                    )
                )
            if joined:
                result[key] = joined
        return result
