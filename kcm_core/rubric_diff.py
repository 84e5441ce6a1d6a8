"""What changed between two versions of a rubric: ``diff_rubrics(old, new) -> RubricDiff``.

Pure (no files, no clock) and pure Python, so the command line (``kcm diff``) and the site (a
"Wijzigingen" page for candidates, also inside Pyodide) show the same list. Each ``Change``
carries the ids, the old and new values and one Dutch sentence at B1 level for candidates
("Criterium 2.4.1.b is anders geformuleerd.").

Criteria are matched in three rounds (ARCHITECTURE.md §3): the same id with the same text; then
the same text under another id; then the same id with another text. So a criterion inserted in
the middle of a proces, which renumbers the ones after it, shows as one criterion added and the
others moved, not as a row of rewordings. A matched criterion "moved" when its id, its proces or
its order among the matched criteria changed (order: the criteria outside a longest common
subsequence of the two orders, so one criterion moved down is one move, not many). Eindtermen,
onderdelen, processen, fields, conditions and condition options are matched by id.

Changes come in form order: the rubric as a whole, fields, conditions, then per Eindterm (new
order, removed ones last) the Eindterm itself, its onderdelen and processen, and its criteria;
removed items follow the ones still there. The JSON shape (``RubricDiff.to_json_data``) is in
ARCHITECTURE.md §5.

This module compares the rubric as a whole, its fields and its conditions, and puts the result
together; the types are in ``rubric_diff_model``, the form's items (Eindtermen down to criteria)
in ``rubric_diff_tree``, and the Dutch phrases in ``rubric_diff_text``.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from kcm_core.model import Rubric
from kcm_core.rubric_diff_model import (
    FORMAT,
    FORMAT_VERSION,
    Change,
    RubricDiff,
    RubricRef,
    rule_data,
)
from kcm_core.rubric_diff_text import rule_phrase, said
from kcm_core.rubric_diff_tree import HierarchyDiff

__all__ = ["FORMAT", "FORMAT_VERSION", "Change", "RubricDiff", "RubricRef", "diff_rubrics"]


def diff_rubrics(old: Rubric, new: Rubric) -> RubricDiff:
    """Every difference between ``old`` and ``new`` that a reader of the rubric notices."""
    changes = [*_rubric_changes(old, new), *_field_changes(old, new)]
    changes.extend(_condition_changes(old, new))
    changes.extend(HierarchyDiff(old, new).changes())
    return RubricDiff(RubricRef.of(old), RubricRef.of(new), tuple(changes))


# --- the rubric as a whole, fields, conditions ---------------------------------------------------


def _rubric_changes(old: Rubric, new: Rubric) -> Iterable[Change]:
    def change(aspect: str, old_value: Any, new_value: Any, text: str) -> Change:
        return Change("changed", "rubric", new.id, old.id, None, aspect, old_value, new_value, text)

    if old.id != new.id:
        yield change("id", old.id, new.id, f"Dit is een andere rubric: {said(new.id)}.")
    if old.title != new.title:
        yield change("title", old.title, new.title, "Het formulier heeft een andere titel.")
    if old.description != new.description:
        yield change(
            "description",
            old.description,
            new.description,
            "De toelichting bij het formulier is veranderd.",
        )
    if old.language != new.language:
        yield change("language", old.language, new.language, "De taal van het formulier is anders.")
    if old.scoring != new.scoring:
        yield change(
            "scoring",
            rule_data(old.scoring),
            rule_data(new.scoring),
            f"De gewone regel voor de uitslag is veranderd: nu {rule_phrase(new.scoring)}; "
            f"eerst {rule_phrase(old.scoring)}.",
        )


def _field_changes(old: Rubric, new: Rubric) -> Iterable[Change]:
    olds = {f.id: f for f in old.fields}
    news = {f.id: f for f in new.fields}
    for f in new.fields:
        before = olds.get(f.id)
        if before is None:
            text = f"Er is een nieuw veld op het formulier: {said(f.label)}."
            yield Change("added", "field", f.id, None, None, None, None, f.label, text)
            continue

        def change(
            aspect: str, old_value: Any, new_value: Any, text: str, fid: str = f.id
        ) -> Change:
            return Change("changed", "field", fid, fid, None, aspect, old_value, new_value, text)

        name = said(f.label)
        if before.label != f.label:
            yield change(
                "label", before.label, f.label, f"Het veld {said(before.label)} heet nu {name}."
            )
        if before.type != f.type:
            what = "een datum" if f.type == "date" else "tekst"
            yield change("type", before.type, f.type, f"In het veld {name} komt nu {what}.")
        if before.required != f.required:
            now = "nu verplicht" if f.required else "niet meer verplicht"
            yield change("required", before.required, f.required, f"Het veld {name} is {now}.")
        if before.description != f.description:
            text = f"De uitleg bij het veld {name} is veranderd."
            yield change("description", before.description, f.description, text)
    for f in old.fields:
        if f.id not in news:
            text = f"Het veld {said(f.label)} staat niet meer op het formulier."
            yield Change("removed", "field", f.id, f.id, None, None, f.label, None, text)


def _condition_changes(old: Rubric, new: Rubric) -> Iterable[Change]:
    olds = {c.id: c for c in old.conditions}
    news = {c.id: c for c in new.conditions}
    for c in new.conditions:
        before = olds.get(c.id)
        if before is None:
            text = f"Er is een nieuwe situatie: {said(c.label)}."
            yield Change("added", "condition", c.id, None, None, None, None, c.label, text)
            continue

        def change(
            aspect: str, old_value: Any, new_value: Any, text: str, cid: str = c.id
        ) -> Change:
            return Change(
                "changed", "condition", cid, cid, None, aspect, old_value, new_value, text
            )

        name = said(c.label)
        if before.label != c.label:
            yield change(
                "label", before.label, c.label, f"De situatie {said(before.label)} heet nu {name}."
            )
        if before.multiple != c.multiple:
            how = "meer dan één keuze" if c.multiple else "maar één keuze"
            yield change("multiple", before.multiple, c.multiple, f"Bij {name} mag nu {how}.")
        if before.required != c.required:
            how = (
                "moet nu altijd ingevuld worden"
                if c.required
                else "hoeft niet meer ingevuld te worden"
            )
            yield change("required", before.required, c.required, f"De situatie {name} {how}.")
        if before.description != c.description:
            text = f"De uitleg bij de situatie {name} is veranderd."
            yield change("description", before.description, c.description, text)
        old_options = {o.id: o for o in before.options}
        new_options = {o.id: o for o in c.options}
        for o in c.options:
            was = old_options.get(o.id)
            data = {"id": o.id, "label": o.label, "applies_text": o.applies_text}
            if was is None:
                yield change(
                    "option", None, data, f"Bij {name} is de keuze {said(o.label)} erbij gekomen."
                )
            elif (was.label, was.applies_text) != (o.label, o.applies_text):
                old_data = {"id": o.id, "label": was.label, "applies_text": was.applies_text}
                text = f"Bij {name} is de keuze {said(was.label)} anders beschreven."
                yield change("option", old_data, data, text)
        for o in before.options:
            if o.id not in new_options:
                data = {"id": o.id, "label": o.label, "applies_text": o.applies_text}
                yield change(
                    "option", data, None, f"Bij {name} is de keuze {said(o.label)} weggehaald."
                )
    for c in old.conditions:
        if c.id not in news:
            text = f"De situatie {said(c.label)} is weggehaald."
            yield Change("removed", "condition", c.id, c.id, None, None, c.label, None, text)
