"""The part of a rubric comparison below the rubric itself: Eindtermen, onderdelen, processen and
criteria (``kcm_core.rubric_diff`` describes the matching; this module does it)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from kcm_core.model import AppliesWhen, Criterion, Rubric
from kcm_core.rubric_diff_model import Change, ChangeKind, Level, rule_data
from kcm_core.rubric_diff_text import applies_phrase, rule_phrase

__all__ = ["CriterionPlace", "HierarchyDiff", "match_criteria", "out_of_order"]


@dataclass(frozen=True, slots=True)
class CriterionPlace:
    """A criterion where it stands: its Eindterm and proces, and its index in the whole form."""

    criterion: Criterion
    eindterm: str
    proces: str
    index: int


def _places(rubric: Rubric) -> list[CriterionPlace]:
    places: list[CriterionPlace] = []
    for eindterm in rubric.eindtermen:
        for onderdeel in eindterm.onderdelen:
            for proces in onderdeel.processen:
                for c in proces.criteria:
                    places.append(CriterionPlace(c, eindterm.id, proces.id, len(places)))
    return places


def match_criteria(old: Sequence[CriterionPlace], new: Sequence[CriterionPlace]) -> dict[str, str]:
    """Old criterion id -> new criterion id, in the three rounds of the module docstring."""
    pairs: dict[str, str] = {}
    taken: set[str] = set()
    rounds: tuple[Callable[[CriterionPlace, CriterionPlace], bool], ...] = (
        lambda o, n: o.criterion.id == n.criterion.id and o.criterion.text == n.criterion.text,
        lambda o, n: o.criterion.text == n.criterion.text,
        lambda o, n: o.criterion.id == n.criterion.id,
    )
    for same in rounds:
        for n in new:
            if n.criterion.id in taken:
                continue
            for o in old:
                if o.criterion.id not in pairs and same(o, n):
                    pairs[o.criterion.id] = n.criterion.id
                    taken.add(n.criterion.id)
                    break
    return pairs


def out_of_order(old_order: Sequence[str], new_order: Sequence[str]) -> set[str]:
    """The items of ``new_order`` (a reordering of ``old_order``) outside a longest common
    subsequence of the two: the fewest items whose move explains the new order."""
    rows, cols = len(old_order), len(new_order)
    length = [[0] * (cols + 1) for _ in range(rows + 1)]
    for i in range(rows - 1, -1, -1):
        for j in range(cols - 1, -1, -1):
            if old_order[i] == new_order[j]:
                length[i][j] = length[i + 1][j + 1] + 1
            else:
                length[i][j] = max(length[i + 1][j], length[i][j + 1])
    kept: set[str] = set()
    i = j = 0
    while i < rows and j < cols:
        if old_order[i] == new_order[j]:
            kept.add(old_order[i])
            i, j = i + 1, j + 1
        elif length[i + 1][j] >= length[i][j + 1]:
            i += 1
        else:
            j += 1
    return set(new_order) - kept


class HierarchyDiff:
    """The changes below the rubric: Eindtermen and everything in them."""

    def __init__(self, old: Rubric, new: Rubric) -> None:
        self.old, self.new = old, new
        self.old_places = {p.criterion.id: p for p in _places(old)}
        self.new_places = {p.criterion.id: p for p in _places(new)}
        self.pairs = match_criteria(list(self.old_places.values()), list(self.new_places.values()))
        self.new_to_old = {n: o for o, n in self.pairs.items()}
        matched_old = [o for o in self.old_places if o in self.pairs]
        matched_new = [self.new_to_old[n] for n in self.new_places if n in self.new_to_old]
        self.moved_in_order = out_of_order(matched_old, matched_new)
        self.old_texts, self.new_texts = _part_texts(old), _part_texts(new)

    def changes(self) -> list[Change]:
        changes: list[Change] = []
        old_eindtermen = {e.id: e for e in self.old.eindtermen}
        moved = out_of_order(
            [e.id for e in self.old.eindtermen if e.id in {n.id for n in self.new.eindtermen}],
            [e.id for e in self.new.eindtermen if e.id in old_eindtermen],
        )
        for eindterm in self.new.eindtermen:
            changes.extend(self._eindterm(eindterm.id, eindterm.id in moved))
        new_ids = {e.id for e in self.new.eindtermen}
        for eindterm in self.old.eindtermen:
            if eindterm.id not in new_ids:
                text = f"Eindterm {eindterm.id} is weggehaald."
                changes.append(
                    Change(
                        "removed",
                        "eindterm",
                        eindterm.id,
                        eindterm.id,
                        eindterm.id,
                        None,
                        eindterm.title,
                        None,
                        text,
                    )
                )
                changes.extend(self._removed_parts(eindterm.id))
        return changes

    def _eindterm(self, eid: str, moved: bool) -> Iterable[Change]:
        new = next(e for e in self.new.eindtermen if e.id == eid)
        old = next((e for e in self.old.eindtermen if e.id == eid), None)

        def change(kind: ChangeKind, aspect: str | None, a: Any, b: Any, text: str) -> Change:
            return Change(
                kind, "eindterm", eid, None if old is None else eid, eid, aspect, a, b, text
            )

        if old is None:
            yield change("added", None, None, new.title, f"Eindterm {eid} is nieuw.")
        else:
            if old.title != new.title:
                yield change(
                    "changed",
                    "title",
                    old.title,
                    new.title,
                    f"Eindterm {eid} heeft een andere titel.",
                )
            if old.text != new.text:
                text = f"De beschrijving van Eindterm {eid} is anders geformuleerd."
                yield change("reworded", "text", old.text, new.text, text)
            if moved:
                yield change(
                    "moved", "place", None, None, f"Eindterm {eid} staat nu op een andere plaats."
                )
            before, after = self.old.rule_for(old), self.new.rule_for(new)
            if before != after:
                text = (
                    f"Eindterm {eid} is nu behaald met {rule_phrase(after)}; eerst was dat "
                    f"{rule_phrase(before)}."
                )
                yield change("changed", "scoring", rule_data(before), rule_data(after), text)
        yield from self._parts(eid)
        yield from self._removed_parts(eid)

    def _parts(self, eid: str) -> Iterable[Change]:
        """Onderdelen, processen and criteria of Eindterm ``eid`` that are in the new rubric."""
        new_eindterm = next(e for e in self.new.eindtermen if e.id == eid)
        for onderdeel in new_eindterm.onderdelen:
            yield from _part_change(
                "onderdeel", eid, onderdeel.id, self.old_texts.get(onderdeel.id), onderdeel.text
            )
            for proces in onderdeel.processen:
                yield from _part_change(
                    "proces", eid, proces.id, self.old_texts.get(proces.id), proces.text
                )
                for c in proces.criteria:
                    yield from self._criterion(self.new_places[c.id])

    def _removed_parts(self, eid: str) -> Iterable[Change]:
        """What of Eindterm ``eid`` in the old rubric is gone, in old form order."""
        old_eindterm = next((e for e in self.old.eindtermen if e.id == eid), None)
        if old_eindterm is None:
            return
        for onderdeel in old_eindterm.onderdelen:
            parts: list[tuple[Level, str, str]] = [("onderdeel", onderdeel.id, onderdeel.text)]
            parts.extend(("proces", p.id, p.text) for p in onderdeel.processen)
            for level, part_id, old_text in parts:
                if part_id not in self.new_texts:
                    text = f"{level.capitalize()} {part_id} is weggehaald."
                    yield Change(
                        "removed", level, part_id, part_id, eid, None, old_text, None, text
                    )
        for place in self.old_places.values():
            if place.eindterm == eid and place.criterion.id not in self.pairs:
                c = place.criterion
                text = f"Criterium {c.id} is weggehaald."
                yield Change("removed", "criterion", c.id, c.id, eid, None, c.text, None, text)

    def _criterion(self, place: CriterionPlace) -> Iterable[Change]:
        c, eid = place.criterion, place.eindterm
        old_id = self.new_to_old.get(c.id)
        if old_id is None:
            yield Change(
                "added",
                "criterion",
                c.id,
                None,
                eid,
                None,
                None,
                c.text,
                f"Criterium {c.id} is nieuw.",
            )
            return
        was = self.old_places[old_id]
        before = was.criterion

        def change(kind: ChangeKind, aspect: str, a: Any, b: Any, text: str) -> Change:
            return Change(kind, "criterion", c.id, old_id, eid, aspect, a, b, text)

        if old_id != c.id or was.proces != place.proces or old_id in self.moved_in_order:
            yield change("moved", "place", _where(was), _where(place), self._move_text(was, place))
        if before.text != c.text:
            yield change(
                "reworded", "text", before.text, c.text, f"Criterium {c.id} is anders geformuleerd."
            )
        if before.critical != c.critical:
            text = (
                f"Criterium {c.id} moet nu altijd behaald zijn, anders is de Eindterm niet behaald."
                if c.critical
                else f"Criterium {c.id} hoeft niet meer altijd behaald te zijn."
            )
            yield change("changed", "critical", before.critical, c.critical, text)
        if before.allow_na != c.allow_na:
            text = (
                f"Bij criterium {c.id} mag de beoordelaar nu n.v.t. kiezen, met een reden."
                if c.allow_na
                else f"Bij criterium {c.id} mag de beoordelaar niet meer n.v.t. kiezen."
            )
            yield change("changed", "allow_na", before.allow_na, c.allow_na, text)
        if before.applies_when != c.applies_when:
            text = f"Criterium {c.id} geldt nu {applies_phrase(self.new, c.applies_when)}."
            old_value, new_value = _applies_data(before.applies_when), _applies_data(c.applies_when)
            yield change("changed", "applies_when", old_value, new_value, text)

    def _move_text(self, was: CriterionPlace, now: CriterionPlace) -> str:
        old_id, new_id = was.criterion.id, now.criterion.id
        if was.proces != now.proces:
            number = f" als {new_id}" if new_id != old_id else ""
            return f"Criterium {old_id} staat nu bij proces {now.proces}{number}."
        if new_id != old_id:
            return f"Criterium {old_id} heeft nu nummer {new_id}."
        siblings = [p for p in self.new_places.values() if p.proces == now.proces]
        before = [p for p in siblings if p.index < now.index]
        if not before:
            return f"Criterium {new_id} staat nu als eerste bij proces {now.proces}."
        return f"Criterium {new_id} staat nu na criterium {before[-1].criterion.id}."


def _where(place: CriterionPlace) -> dict[str, Any]:
    return {"id": place.criterion.id, "proces": place.proces}


def _part_texts(rubric: Rubric) -> dict[str, str]:
    texts: dict[str, str] = {}
    for eindterm in rubric.eindtermen:
        for onderdeel in eindterm.onderdelen:
            texts[onderdeel.id] = onderdeel.text
            for proces in onderdeel.processen:
                texts[proces.id] = proces.text
    return texts


def _part_change(
    level: Literal["onderdeel", "proces"], eid: str, part_id: str, old_text: str | None, text: str
) -> Iterable[Change]:
    label = "Onderdeel" if level == "onderdeel" else "Proces"
    if old_text is None:
        yield Change(
            "added", level, part_id, None, eid, None, None, text, f"{label} {part_id} is nieuw."
        )
    elif old_text != text:
        sentence = f"De tekst van {label.lower()} {part_id} is anders geformuleerd."
        yield Change("reworded", level, part_id, part_id, eid, "text", old_text, text, sentence)


def _applies_data(applies_when: AppliesWhen | None) -> dict[str, Any] | None:
    if applies_when is None:
        return None
    return {"condition": applies_when.condition, "any_of": list(applies_when.any_of)}
