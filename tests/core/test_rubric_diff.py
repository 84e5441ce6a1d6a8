"""``diff_rubrics``: what changed between two rubric versions, change by change, with ids, old
and new values and a Dutch sentence (ARCHITECTURE.md §3, §5). Pure: runs inside Pyodide too.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from _factories import kcm_rubric_data

from kcm_core.canonical import rubric_sha256
from kcm_core.model import Rubric
from kcm_core.rubric_diff import Change, diff_rubrics
from kcm_core.rubric_diff_tree import out_of_order
from kcm_core.rubric_load import load_rubric_file, rubric_from_data

DATA = Path(__file__).resolve().parents[1] / "data" / "rubrics"
TEAMLEIDER_OLD = DATA / "archive" / "teamleider" / "1.0.0.json"
TEAMLEIDER_NEW = DATA / "teamleider.json"

Data = dict[str, Any]


def kcm_changed(mutate: Callable[[Data], object]) -> tuple[Rubric, Rubric]:
    old = kcm_rubric_data()
    new = kcm_rubric_data()
    mutate(new)
    return rubric_from_data(old), rubric_from_data(new)


def criteria_of(data: Data, proces: str) -> list[Data]:
    for eindterm in data["eindtermen"]:
        for onderdeel in eindterm["onderdelen"]:
            for p in onderdeel["processen"]:
                if p["id"] == proces:
                    criteria: list[Data] = p["criteria"]
                    return criteria
    raise KeyError(proces)


def criterion(data: Data, criterion_id: str) -> Data:
    proces = criterion_id.rsplit(".", 1)[0]
    return next(c for c in criteria_of(data, proces) if c["id"] == criterion_id)


def summary(change: Change) -> tuple[str, str, str, str | None, str | None]:
    return (change.kind, change.level, change.id, change.old_id, change.aspect)


def test_the_same_rubric_has_no_changes() -> None:
    old, new = kcm_changed(lambda data: None)
    assert diff_rubrics(old, new).changes == ()


def test_a_new_version_number_alone_is_no_change() -> None:
    old, new = kcm_changed(lambda data: data.update(version="1.0.1"))
    diff = diff_rubrics(old, new)
    assert diff.changes == ()
    assert (diff.old.version, diff.new.version) == ("1.0.0", "1.0.1")


def test_every_change_between_the_test_versions_in_form_order() -> None:
    diff = diff_rubrics(load_rubric_file(TEAMLEIDER_OLD), load_rubric_file(TEAMLEIDER_NEW))
    assert [(summary(c), c.text) for c in diff.changes] == [
        (
            ("changed", "field", "datum", "datum", "label"),
            "Het veld “Datum” heet nu “Datum gesprek”.",
        ),
        (("added", "field", "team", None, None), "Er is een nieuw veld op het formulier: “Team”."),
        (
            ("changed", "condition", "overleg", "overleg", "option"),
            "Bij “Soort overleg” is de keuze “Online overleg” erbij gekomen.",
        ),
        (("added", "criterion", "1.1.1.b", None, None), "Criterium 1.1.1.b is nieuw."),
        (
            ("moved", "criterion", "1.1.1.c", "1.1.1.b", "place"),
            "Criterium 1.1.1.b heeft nu nummer 1.1.1.c.",
        ),
        (
            ("moved", "criterion", "1.1.1.d", "1.1.1.c", "place"),
            "Criterium 1.1.1.c heeft nu nummer 1.1.1.d.",
        ),
        (
            ("moved", "criterion", "1.1.1.e", "1.1.1.d", "place"),
            "Criterium 1.1.1.d heeft nu nummer 1.1.1.e.",
        ),
        (("changed", "eindterm", "2", "2", "title"), "Eindterm 2 heeft een andere titel."),
        (
            ("changed", "eindterm", "2", "2", "scoring"),
            "Eindterm 2 is nu behaald met minstens 75 procent van de criteria die van toepassing "
            "zijn; eerst was dat alle criteria die van toepassing zijn.",
        ),
        (
            ("reworded", "proces", "2.1.1", "2.1.1", "text"),
            "De tekst van proces 2.1.1 is anders geformuleerd.",
        ),
        (
            ("changed", "criterion", "2.1.1.a", "2.1.1.a", "critical"),
            "Criterium 2.1.1.a moet nu altijd behaald zijn, anders is de Eindterm niet behaald.",
        ),
        (
            ("changed", "criterion", "2.1.1.b", "2.1.1.b", "applies_when"),
            "Criterium 2.1.1.b geldt nu alleen bij teamoverleggen of online overleggen.",
        ),
        (
            ("reworded", "criterion", "2.1.1.c", "2.1.1.c", "text"),
            "Criterium 2.1.1.c is anders geformuleerd.",
        ),
        (
            ("changed", "criterion", "2.1.1.c", "2.1.1.c", "allow_na"),
            "Bij criterium 2.1.1.c mag de beoordelaar niet meer n.v.t. kiezen.",
        ),
        (("removed", "criterion", "2.1.1.d", "2.1.1.d", None), "Criterium 2.1.1.d is weggehaald."),
    ]


def test_an_inserted_criterion_is_added_and_the_ones_after_it_moved_not_reworded() -> None:
    diff = diff_rubrics(load_rubric_file(TEAMLEIDER_OLD), load_rubric_file(TEAMLEIDER_NEW))
    in_1 = [c for c in diff.changes if c.eindterm == "1"]
    assert {c.kind for c in in_1} == {"added", "moved"}
    moved = next(c for c in in_1 if c.id == "1.1.1.c")
    assert moved.old == {"id": "1.1.1.b", "proces": "1.1.1"}
    assert moved.new == {"id": "1.1.1.c", "proces": "1.1.1"}


def reword(data: Data) -> None:
    criterion(data, "2.4.1.c")["text"] = "Vraagt door tot de vraag van de klant helder is."


def swap_first_two(data: Data) -> None:
    criteria = criteria_of(data, "1.1.1")
    criteria[0], criteria[1] = criteria[1], criteria[0]


def move_to_other_proces(data: Data) -> None:
    moving = criteria_of(data, "2.1.1").pop()  # 2.1.1.d
    criteria_of(data, "2.1.2").append({**moving, "id": "2.1.2.f"})


def drop_applies_when(data: Data) -> None:
    criterion(data, "2.4.1.b").pop("applies_when")


Expected = tuple[str, str, str, str | None]
SINGLE_CHANGES: list[tuple[str, Callable[[Data], object], Expected, str]] = [
    (
        "reworded criterion",
        reword,
        ("reworded", "criterion", "2.4.1.c", "text"),
        "Criterium 2.4.1.c is anders geformuleerd.",
    ),
    (
        "removed criterion",
        lambda d: criteria_of(d, "2.2.1").pop(),
        ("removed", "criterion", "2.2.1.f", None),
        "Criterium 2.2.1.f is weggehaald.",
    ),
    (
        "knock-out",
        lambda d: criterion(d, "2.2.1.a").update(critical=True),
        ("changed", "criterion", "2.2.1.a", "critical"),
        "Criterium 2.2.1.a moet nu altijd behaald zijn, anders is de Eindterm niet behaald.",
    ),
    (
        "manual n.v.t. allowed",
        lambda d: criterion(d, "2.2.1.a").update(allow_na=True),
        ("changed", "criterion", "2.2.1.a", "allow_na"),
        "Bij criterium 2.2.1.a mag de beoordelaar nu n.v.t. kiezen, met een reden.",
    ),
    (
        "condition added",
        lambda d: criterion(d, "3.1.1.a").update(
            applies_when={"condition": "gesprekstype", "any_of": ["inbound"]}
        ),
        ("changed", "criterion", "3.1.1.a", "applies_when"),
        "Criterium 3.1.1.a geldt nu alleen bij inbound gesprekken.",
    ),
    (
        "condition dropped",
        drop_applies_when,
        ("changed", "criterion", "2.4.1.b", "applies_when"),
        "Criterium 2.4.1.b geldt nu altijd.",
    ),
    (
        "order within a proces",
        swap_first_two,
        ("moved", "criterion", "1.1.1.a", "place"),
        "Criterium 1.1.1.a staat nu na criterium 1.1.1.b.",
    ),
    (
        "to another proces",
        move_to_other_proces,
        ("moved", "criterion", "2.1.2.f", "place"),
        "Criterium 2.1.1.d staat nu bij proces 2.1.2 als 2.1.2.f.",
    ),
    (
        "Eindterm text",
        lambda d: d["eindtermen"][2].update(text="Nieuwe tekst."),
        ("reworded", "eindterm", "3", "text"),
        "De beschrijving van Eindterm 3 is anders geformuleerd.",
    ),
    (
        "Eindterm rule",
        lambda d: d["eindtermen"][0].update(scoring={"rule": "min_count", "min_count": 3}),
        ("changed", "eindterm", "1", "scoring"),
        "Eindterm 1 is nu behaald met minstens 3 van de criteria die van toepassing zijn; eerst "
        "was dat alle criteria die van toepassing zijn.",
    ),
    (
        "onderdeel text",
        lambda d: d["eindtermen"][1]["onderdelen"][0].update(text="Anders."),
        ("reworded", "onderdeel", "2.1", "text"),
        "De tekst van onderdeel 2.1 is anders geformuleerd.",
    ),
    (
        "title",
        lambda d: d.update(title="Nieuw formulier"),
        ("changed", "rubric", "klantcontact", "title"),
        "Het formulier heeft een andere titel.",
    ),
    (
        "field removed",
        lambda d: d["fields"].pop(0),
        ("removed", "field", "bedrijf", None),
        "Het veld “Bedrijf” staat niet meer op het formulier.",
    ),
    (
        "field optional",
        lambda d: d["fields"][0].update(required=False),
        ("changed", "field", "bedrijf", "required"),
        "Het veld “Bedrijf” is niet meer verplicht.",
    ),
    (
        "field type",
        lambda d: d["fields"][0].update(type="date"),
        ("changed", "field", "bedrijf", "type"),
        "In het veld “Bedrijf” komt nu een datum.",
    ),
    (
        "one choice",
        lambda d: d["conditions"][0].update(multiple=False),
        ("changed", "condition", "gesprekstype", "multiple"),
        "Bij “Soort gesprek” mag nu maar één keuze.",
    ),
    (
        "option renamed",
        lambda d: d["conditions"][0]["options"][0].update(label="Inkomend"),
        ("changed", "condition", "gesprekstype", "option"),
        "Bij “Soort gesprek” is de keuze “Inbound (de klant belt)” anders beschreven.",
    ),
]


@pytest.mark.parametrize(
    ("mutate", "expected", "text"),
    [pytest.param(m, e, t, id=name) for name, m, e, t in SINGLE_CHANGES],
)
def test_one_edit_gives_one_change_with_its_sentence(
    mutate: Callable[[Data], object], expected: tuple[str, str, str, str | None], text: str
) -> None:
    changes = diff_rubrics(*kcm_changed(mutate)).changes
    assert [(c.kind, c.level, c.id, c.aspect) for c in changes] == [expected]
    assert changes[0].text == text


def test_a_reworded_criterion_carries_both_texts() -> None:
    old, new = kcm_changed(reword)
    (change,) = diff_rubrics(old, new).changes
    assert change.old == old.criterion("2.4.1.c").text
    assert change.new == "Vraagt door tot de vraag van de klant helder is."
    assert change.eindterm == "2"


def test_a_new_default_rule_shows_for_the_rubric_and_every_eindterm_it_governs() -> None:
    def default_fraction(data: Data) -> None:
        data["scoring"] = {"rule": "min_fraction", "min_fraction": 0.755}
        data["eindtermen"][2]["scoring"] = {"rule": "all"}

    changes = diff_rubrics(*kcm_changed(default_fraction)).changes
    assert [(c.level, c.id) for c in changes] == [
        ("rubric", "klantcontact"),
        ("eindterm", "1"),
        ("eindterm", "2"),
    ]
    assert changes[0].new == {"rule": "min_fraction", "min_fraction": 0.755}
    assert "minstens 75,5 procent" in changes[1].text


def test_a_removed_eindterm_lists_its_parts_and_criteria() -> None:
    changes = diff_rubrics(*kcm_changed(lambda d: d["eindtermen"].pop())).changes
    assert [summary(c)[:3] for c in changes] == [
        ("removed", "eindterm", "3"),
        ("removed", "onderdeel", "3.1"),
        ("removed", "proces", "3.1.1"),
        ("removed", "onderdeel", "3.2"),
        ("removed", "proces", "3.2.1"),
        *[("removed", "criterion", c) for c in ("3.1.1.a", "3.1.1.b", "3.1.1.c")],
        *[("removed", "criterion", c) for c in ("3.2.1.a", "3.2.1.b", "3.2.1.c", "3.2.1.d")],
    ]


@pytest.mark.parametrize(
    ("old", "new", "moved"),
    [
        ("abcd", "abcd", set()),
        ("abcd", "bcda", {"a"}),
        ("abcd", "dabc", {"d"}),
        ("abcd", "badc", {"a", "c"}),
        ("", "", set()),
    ],
)
def test_out_of_order_finds_the_fewest_moves(old: str, new: str, moved: set[str]) -> None:
    assert out_of_order(list(old), list(new)) == moved


def test_json_data_has_the_documented_shape_and_round_trips() -> None:
    old_rubric, new_rubric = load_rubric_file(TEAMLEIDER_OLD), load_rubric_file(TEAMLEIDER_NEW)
    data = diff_rubrics(old_rubric, new_rubric).to_json_data()
    assert json.loads(json.dumps(data)) == data
    assert list(data) == ["format", "format_version", "old", "new", "changes"]
    assert (data["format"], data["format_version"]) == ("kcm-rubric-diff", 1)
    assert data["old"] == {
        "id": "teamleider",
        "version": "1.0.0",
        "title": old_rubric.title,
        "sha256": rubric_sha256(old_rubric),
    }
    keys = ["kind", "level", "id", "old_id", "eindterm", "aspect", "old", "new", "text"]
    assert all(list(change) == keys for change in data["changes"])
    assert data["changes"][-1] == {
        "kind": "removed",
        "level": "criterion",
        "id": "2.1.1.d",
        "old_id": "2.1.1.d",
        "eindterm": "2",
        "aspect": None,
        "old": "Sluit af met de actiepunten.",
        "new": None,
        "text": "Criterium 2.1.1.d is weggehaald.",
    }
