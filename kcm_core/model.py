"""The rubric as frozen, typed domain objects.

Hierarchy, as on the paper form: Eindterm -> onderdeel -> proces -> beoordelingscriterium.
Objects are built from data that has already passed validation (``kcm_core.rubric_load``); the
constructors here trust their input and only convert shapes.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

Rule = Literal["all", "min_count", "min_fraction"]
FieldType = Literal["text", "date"]


@dataclass(frozen=True, slots=True)
class ScoringRule:
    """How many applicable criteria of an Eindterm must be met."""

    rule: Rule = "all"
    min_count: int | None = None
    min_fraction: float | None = None

    @classmethod
    def from_data(cls, data: Mapping[str, Any]) -> ScoringRule:
        return cls(
            rule=data.get("rule", "all"),
            min_count=data.get("min_count"),
            min_fraction=data.get("min_fraction"),
        )


@dataclass(frozen=True, slots=True)
class Field:
    """A header field of the form (Bedrijf, Naam Kandidaat, ...)."""

    id: str
    label: str
    type: FieldType = "text"
    required: bool = False
    description: str | None = None


@dataclass(frozen=True, slots=True)
class ConditionOption:
    id: str
    label: str
    # How the site announces a criterion limited to this option: "Alleen bij " + applies_text.
    applies_text: str | None = None


@dataclass(frozen=True, slots=True)
class Condition:
    """A fact about the assessed situation (KCM: the call type) that can make criteria n.v.t."""

    id: str
    label: str
    options: tuple[ConditionOption, ...]
    multiple: bool = False
    required: bool = False
    description: str | None = None

    def option_ids(self) -> tuple[str, ...]:
        return tuple(o.id for o in self.options)


@dataclass(frozen=True, slots=True)
class AppliesWhen:
    """The criterion applies only when condition ``condition`` has one of ``any_of`` selected."""

    condition: str
    any_of: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Criterion:
    id: str
    text: str
    critical: bool = False
    allow_na: bool = False
    applies_when: AppliesWhen | None = None


@dataclass(frozen=True, slots=True)
class Proces:
    id: str
    text: str
    criteria: tuple[Criterion, ...]


@dataclass(frozen=True, slots=True)
class Onderdeel:
    id: str
    text: str
    processen: tuple[Proces, ...]


@dataclass(frozen=True, slots=True)
class Eindterm:
    id: str
    title: str
    text: str
    onderdelen: tuple[Onderdeel, ...]
    scoring: ScoringRule | None = None

    def criteria(self) -> Iterator[Criterion]:
        for onderdeel in self.onderdelen:
            for proces in onderdeel.processen:
                yield from proces.criteria


@dataclass(frozen=True, slots=True)
class Rubric:
    id: str
    version: str
    title: str
    language: str
    fields: tuple[Field, ...]
    conditions: tuple[Condition, ...]
    scoring: ScoringRule
    eindtermen: tuple[Eindterm, ...]
    description: str | None = None
    # The parsed JSON this rubric was built from; kept for canonical hashing and export.
    source: Mapping[str, Any] = field(default_factory=dict, compare=False, repr=False)

    def criteria(self) -> Iterator[Criterion]:
        for eindterm in self.eindtermen:
            yield from eindterm.criteria()

    def criterion_ids(self) -> tuple[str, ...]:
        return tuple(c.id for c in self.criteria())

    def criterion(self, criterion_id: str) -> Criterion:
        for c in self.criteria():
            if c.id == criterion_id:
                return c
        raise KeyError(criterion_id)

    def eindterm_of(self, criterion_id: str) -> Eindterm:
        for eindterm in self.eindtermen:
            if any(c.id == criterion_id for c in eindterm.criteria()):
                return eindterm
        raise KeyError(criterion_id)

    def rule_for(self, eindterm: Eindterm) -> ScoringRule:
        return eindterm.scoring if eindterm.scoring is not None else self.scoring

    def field_ids(self) -> tuple[str, ...]:
        return tuple(f.id for f in self.fields)

    def condition(self, condition_id: str) -> Condition:
        for c in self.conditions:
            if c.id == condition_id:
                return c
        raise KeyError(condition_id)

    @classmethod
    def from_data(cls, data: Mapping[str, Any]) -> Rubric:
        """Build the model from rubric JSON that has passed validation."""
        return cls(
            id=data["id"],
            version=data["version"],
            title=data["title"],
            language=data.get("language", "nl"),
            description=data.get("description"),
            fields=tuple(
                Field(
                    id=f["id"],
                    label=f["label"],
                    type=f.get("type", "text"),
                    required=f.get("required", False),
                    description=f.get("description"),
                )
                for f in data.get("fields", ())
            ),
            conditions=tuple(
                Condition(
                    id=c["id"],
                    label=c["label"],
                    options=tuple(
                        ConditionOption(o["id"], o["label"], o.get("applies_text"))
                        for o in c["options"]
                    ),
                    multiple=c.get("multiple", False),
                    required=c.get("required", False),
                    description=c.get("description"),
                )
                for c in data.get("conditions", ())
            ),
            scoring=ScoringRule.from_data(data.get("scoring", {})),
            eindtermen=tuple(_eindterm(e) for e in data["eindtermen"]),
            source=data,
        )


def _eindterm(data: Mapping[str, Any]) -> Eindterm:
    scoring = data.get("scoring")
    return Eindterm(
        id=data["id"],
        title=data["title"],
        text=data["text"],
        scoring=ScoringRule.from_data(scoring) if scoring is not None else None,
        onderdelen=tuple(
            Onderdeel(
                id=o["id"],
                text=o["text"],
                processen=tuple(
                    Proces(
                        id=p["id"],
                        text=p["text"],
                        criteria=tuple(_criterion(c) for c in p["criteria"]),
                    )
                    for p in o["processen"]
                ),
            )
            for o in data["onderdelen"]
        ),
    )


def _criterion(data: Mapping[str, Any]) -> Criterion:
    aw = data.get("applies_when")
    return Criterion(
        id=data["id"],
        text=data["text"],
        critical=data.get("critical", False),
        allow_na=data.get("allow_na", False),
        applies_when=AppliesWhen(aw["condition"], tuple(aw["any_of"])) if aw else None,
    )
