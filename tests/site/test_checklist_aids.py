"""The aids during the call (build_tools.checklist_aids): which criterion gets which aid, taken
from the rubric, and the HTML that callaids.js wires up."""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest
from test_checklist_render import RUBRIC_FILE, Node, parse

from build_tools.checklist import render_checklist
from build_tools.checklist_aids import (
    ASSESSOR_FIELD_ID,
    HOLD_LIMIT_SECONDS,
    SPELLING_ALPHABET,
    Aid,
    aids_of,
    assessor_field,
    criterion_aids,
)
from kcm_core.assessment import MAX_FIELD_CHARS
from kcm_core.model import Rubric


def rubric_data() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(RUBRIC_FILE.read_text(encoding="utf-8"))
    return data


def rubric_without(*criterion_ids: str) -> Rubric:
    """The KCM rubric with some criteria taken out (still a valid rubric)."""
    data = copy.deepcopy(rubric_data())
    for eindterm in data["eindtermen"]:
        for onderdeel in eindterm["onderdelen"]:
            for proces in onderdeel["processen"]:
                proces["criteria"] = [c for c in proces["criteria"] if c["id"] not in criterion_ids]
    return Rubric.from_data(data)


@pytest.fixture(scope="module")
def kcm() -> Rubric:
    return Rubric.from_data(rubric_data())


@pytest.fixture(scope="module")
def page(kcm: Rubric) -> Node:
    return parse(render_checklist(kcm))


def test_the_kcm_rubric_gets_each_aid_beside_its_criterion(kcm: Rubric) -> None:
    assert aids_of(kcm) == {
        "2.3.1.a": Aid("spelling"),
        "2.4.1.a": Aid("phase", "Contact"),
        "2.4.1.c": Aid("phase", "Analyse"),
        "2.4.1.d": Aid("phase", "Aanbod"),
        "2.4.1.e": Aid("phase", "Afsluiting"),
        "2.4.2.c": Aid("hold"),
    }


@pytest.mark.parametrize(
    ("absent", "left"),
    [
        (("2.4.2.c",), {"2.3.1.a", "2.4.1.a", "2.4.1.c", "2.4.1.d", "2.4.1.e"}),
        (("2.4.1.c", "2.4.1.d"), {"2.3.1.a", "2.4.1.a", "2.4.1.e", "2.4.2.c"}),
        (("2.3.1.a",), {"2.4.1.a", "2.4.1.c", "2.4.1.d", "2.4.1.e", "2.4.2.c"}),
    ],
)
def test_a_criterion_that_is_not_in_the_rubric_gets_no_aid(
    absent: tuple[str, ...], left: set[str]
) -> None:
    rubric = rubric_without(*absent)
    assert set(aids_of(rubric)) == left
    page = parse(render_checklist(rubric))
    rows = {n.attrs["data-criterion-id"] for n in page.find_all("li", data_criterion_id=None)}
    aids = {
        row for row in rows if page.find("li", data_criterion_id=row).find_all(None, data_aid=None)
    }
    assert aids == left


def test_another_rubric_gets_no_aids(kcm: Rubric) -> None:
    data = rubric_data()
    data["id"] = "ander-examen"
    other = Rubric.from_data(data)
    assert aids_of(other) == {}
    assert all("".join(criterion_aids(other, c)) == "" for c in other.criteria())
    assert "data-aid=" not in render_checklist(other)


@pytest.mark.parametrize(
    ("criterion_id", "kind"),
    [("2.4.2.c", "hold"), ("2.4.1.a", "phase"), ("2.4.1.e", "phase"), ("2.3.1.a", "spelling")],
)
def test_each_aid_sits_in_the_row_of_its_criterion(
    page: Node, criterion_id: str, kind: str
) -> None:
    row = page.find("li", data_criterion_id=criterion_id)
    (aid,) = row.find_all(None, data_aid=None)
    assert aid.attrs["data-aid"] == kind


def test_the_hold_timer_is_one_button_with_a_clock_a_warning_and_a_log(page: Node) -> None:
    aid = page.find(None, data_aid="hold")
    assert aid.attrs["data-hold-limit"] == str(HOLD_LIMIT_SECONDS)
    button = aid.find("button", data_action="hold")
    assert button.attrs["aria-pressed"] == "false"
    clock = aid.find(None, data_hold_clock="")
    assert clock.attrs["role"] == "timer"
    assert button.attrs["aria-describedby"] == clock.attrs["id"]
    warning = aid.find("p", data_hold_warning="")
    assert "hidden" in warning.attrs
    assert "30 seconden" in warning.all_text()
    aid.find("p", data_aid_log="")


@pytest.mark.parametrize(
    ("criterion_id", "words"),
    [
        ("2.4.1.a", "Contact begint nu"),
        ("2.4.1.c", "Analyse begint nu"),
        ("2.4.1.d", "Aanbod begint nu"),
        ("2.4.1.e", "Afsluiting begint nu"),
    ],
)
def test_a_phase_marker_says_which_phase_starts(page: Node, criterion_id: str, words: str) -> None:
    row = page.find("li", data_criterion_id=criterion_id)
    button = row.find("button", data_action="phase")
    assert button.all_text().startswith(words)
    assert criterion_id in button.all_text()  # for a screen reader: which row


def test_the_spelling_card_is_folded_and_holds_the_whole_alphabet(page: Node) -> None:
    card = page.find("details", data_aid="spelling")
    assert "open" not in card.attrs
    pairs = [
        (div.find("dt").all_text(), div.find("dd").all_text())
        for div in card.find("dl").find_all("div")
    ]
    assert pairs == list(SPELLING_ALPHABET)
    assert [letter for letter, _ in pairs] == [chr(c) for c in range(ord("A"), ord("Z") + 1)]
    assert all(word.startswith(letter) for letter, word in pairs)


def test_the_assessor_name_is_with_the_header_fields(page: Node) -> None:
    control = page.find("input", data_field_id=ASSESSOR_FIELD_ID)
    assert control.attrs["maxlength"] == str(MAX_FIELD_CHARS)
    assert any(a.attrs.get("class") == "kcm-fields" for a in control.ancestors())
    label = page.find("label", **{"for": control.attrs["id"]})
    assert label.all_text() == "Naam beoordelaar"
    page.find(None, data_print_assessor="")


def test_the_assessor_field_is_rendered_once() -> None:
    assert "".join(assessor_field()).count("data-field-id=") == 1
