"""The result of comparing two rubric versions (``kcm_core.rubric_diff``): frozen, typed, and
written as JSON by ``to_json_data`` (the shape is in ARCHITECTURE.md §5)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from kcm_core.canonical import rubric_sha256
from kcm_core.model import Rubric, ScoringRule

__all__ = [
    "FORMAT",
    "FORMAT_VERSION",
    "Change",
    "ChangeKind",
    "Level",
    "RubricDiff",
    "RubricRef",
    "rule_data",
]

FORMAT = "kcm-rubric-diff"
FORMAT_VERSION = 1

ChangeKind = Literal["added", "removed", "reworded", "moved", "changed"]
Level = Literal["rubric", "field", "condition", "eindterm", "onderdeel", "proces", "criterion"]


@dataclass(frozen=True, slots=True)
class Change:
    """One difference. ``id`` is the item's id in the new rubric (in the old one when removed),
    ``old_id`` its id in the old rubric (None when added), ``eindterm`` the Eindterm it belongs
    to (None for the rubric, fields and conditions), ``aspect`` what changed of it (None for
    added and removed), ``old``/``new`` the values (JSON data; None where there is none)."""

    kind: ChangeKind
    level: Level
    id: str
    old_id: str | None
    eindterm: str | None
    aspect: str | None
    old: Any
    new: Any
    text: str

    def to_json_data(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "level": self.level,
            "id": self.id,
            "old_id": self.old_id,
            "eindterm": self.eindterm,
            "aspect": self.aspect,
            "old": self.old,
            "new": self.new,
            "text": self.text,
        }


@dataclass(frozen=True, slots=True)
class RubricRef:
    """Which rubric a side of the comparison is."""

    id: str
    version: str
    title: str
    sha256: str

    @classmethod
    def of(cls, rubric: Rubric) -> RubricRef:
        return cls(rubric.id, rubric.version, rubric.title, rubric_sha256(rubric))

    def to_json_data(self) -> dict[str, str]:
        return {"id": self.id, "version": self.version, "title": self.title, "sha256": self.sha256}


@dataclass(frozen=True, slots=True)
class RubricDiff:
    old: RubricRef
    new: RubricRef
    changes: tuple[Change, ...]

    def to_json_data(self) -> dict[str, Any]:
        return {
            "format": FORMAT,
            "format_version": FORMAT_VERSION,
            "old": self.old.to_json_data(),
            "new": self.new.to_json_data(),
            "changes": [c.to_json_data() for c in self.changes],
        }


def rule_data(rule: ScoringRule) -> dict[str, Any]:
    """A scoring rule as in the rubric file: only the keys it has."""
    data: dict[str, Any] = {"rule": rule.rule}
    if rule.min_count is not None:
        data["min_count"] = rule.min_count
    if rule.min_fraction is not None:
        data["min_fraction"] = rule.min_fraction
    return data
