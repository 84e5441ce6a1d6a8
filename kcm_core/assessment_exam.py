"""The exam-record keys of an assessment (design §4, ARCHITECTURE.md §4): frozen types.

A finalised assessment can carry what the exam office needs to trust it:

- ``result``: the verdict and the outcome per Eindterm, as kcm_core scored them at finalising
  (``RecordedResult``);
- ``seal``: the sha256 of the record's canonical JSON without the seal (``kcm_core.seal``);
- ``signatures``: who signed, when, and the drawn signature as SVG path data (``Signature``);
- for a joint record of two assessors, ``sources`` (the two originals, ``Source``) and per
  criterion where they differed a ``decision`` (both answers and the reason, ``Decision``);
- ``practice``: a candidate's self-assessment, never an exam result.

The checks live in ``kcm_core.assessment_exam_check`` (document level) and
``kcm_core.assessment_sections`` (a criterion's ``decision``); this module only holds data.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Final, Literal

__all__ = [
    "MAX_SVG_PATH_CHARS",
    "SIGNATURE_ROLES",
    "SOURCE_COUNT",
    "SVG_PATH_PATTERN",
    "SVG_PATH_RE",
    "Answer",
    "Decision",
    "RecordedResult",
    "Signature",
    "SignatureRole",
    "Source",
    "Verdict",
    "answer_data",
]

SignatureRole = Literal["beoordelaar", "tweede_beoordelaar", "kandidaat"]
SIGNATURE_ROLES: Final[tuple[SignatureRole, ...]] = (
    "beoordelaar",
    "tweede_beoordelaar",
    "kandidaat",
)
# A signature drawn with a finger is a few hundred points; 20,000 characters is room for a
# slow, detailed one, and keeps a file of 5,000 signed records within the 20 MB file limit's
# order of magnitude. Longer is not a signature but a drawing, or an attack.
MAX_SVG_PATH_CHARS: Final = 20_000
# Path data only (SVG 1.1 "d"): commands, numbers, separators. No other characters, so the
# value can never close an attribute or smuggle markup into a page or a print.
SVG_PATH_PATTERN: Final = r"[Mm][MmLlHhVvCcSsQqTtAaZz0-9.,+\-eE ]*"
SVG_PATH_RE: Final = re.compile(SVG_PATH_PATTERN + r"\Z", re.ASCII)
# A joint record combines exactly two originals: one per assessor.
SOURCE_COUNT: Final = 2

Verdict = Literal["pass", "fail"]


@dataclass(frozen=True, slots=True)
class RecordedResult:
    """The result written at finalising: ``{"verdict", "outcomes": {eindterm id: verdict}}``.

    ``outcomes`` holds every Eindterm of the rubric, in rubric order.
    """

    verdict: Verdict
    outcomes: Mapping[str, Verdict]

    def to_json_data(self) -> dict[str, Any]:
        return {"verdict": self.verdict, "outcomes": dict(self.outcomes)}


@dataclass(frozen=True, slots=True)
class Signature:
    """A signature: a typed name (keyboard users), or a name and a drawn SVG path."""

    name: str
    at: str
    svg_path: str | None = None

    def to_json_data(self) -> dict[str, str]:
        data = {"name": self.name, "at": self.at}
        if self.svg_path is not None:
            data["svg_path"] = self.svg_path
        return data


@dataclass(frozen=True, slots=True)
class Source:
    """One of the two originals of a joint record: its id, its seal and who assessed it."""

    id: str
    seal: str
    assessor: str

    def to_json_data(self) -> dict[str, str]:
        return {"id": self.id, "seal": self.seal, "assessor": self.assessor}


@dataclass(frozen=True, slots=True)
class Answer:
    """What one assessor answered for a criterion in an original (``Mark`` without a decision)."""

    checked: bool = False
    na: bool = False
    remark: str = ""


def answer_data(answer: Answer) -> dict[str, Any]:
    """An answer as JSON, in the form of a criteria entry: ``{"checked", "na"?, "remark"?}``."""
    data: dict[str, Any] = {"checked": answer.checked}
    if answer.na:
        data["na"] = True
    if answer.remark:
        data["remark"] = answer.remark
    return data


@dataclass(frozen=True, slots=True)
class Decision:
    """Where two assessors differed on a criterion: both answers, and why the joint answer
    (the criterion's own mark) was chosen. ``reason`` may be empty in a draft only."""

    a: Answer
    b: Answer
    reason: str = ""

    def to_json_data(self) -> dict[str, Any]:
        return {"a": answer_data(self.a), "b": answer_data(self.b), "reason": self.reason}
