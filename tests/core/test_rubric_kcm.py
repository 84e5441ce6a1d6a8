"""The KCM rubric is the paper form: its shape, its ids in form order, its text verbatim."""

from __future__ import annotations

import re
import string
from pathlib import Path

from kcm_core.model import Rubric

# A copy of the paper form's text, kept with the tests (tests/ is mounted inside Pyodide too).
PAPER_FORM = Path(__file__).resolve().parents[1] / "data" / "beoordelingsformulier-kcm.txt"


def test_kcm_rubric_has_the_shape_of_the_form(kcm_rubric: Rubric) -> None:
    onderdelen = [o for e in kcm_rubric.eindtermen for o in e.onderdelen]
    processen = [p for o in onderdelen for p in o.processen]
    assert len(kcm_rubric.eindtermen) == 3
    assert len(onderdelen) == 7
    assert len(processen) == 9
    assert len(kcm_rubric.criterion_ids()) == 37
    assert [len(list(e.criteria())) for e in kcm_rubric.eindtermen] == [4, 26, 7]


def test_ids_follow_the_form_numbering_in_form_order(kcm_rubric: Rubric) -> None:
    # On the form, numbering restarts in each parent: 1, 2, ... and criteria a, b, c, ...
    assert [e.id for e in kcm_rubric.eindtermen] == ["1", "2", "3"]
    for eindterm in kcm_rubric.eindtermen:
        for k, onderdeel in enumerate(eindterm.onderdelen, start=1):
            assert onderdeel.id == f"{eindterm.id}.{k}"
            for n, proces in enumerate(onderdeel.processen, start=1):
                assert proces.id == f"{onderdeel.id}.{n}"
                letters = [c.id for c in proces.criteria]
                assert letters == [
                    f"{proces.id}.{x}" for x in string.ascii_lowercase[: len(letters)]
                ]


def test_header_fields_conditions_and_scoring(kcm_rubric: Rubric) -> None:
    assert kcm_rubric.field_ids() == (
        "bedrijf",
        "naam_kandidaat",
        "datum",
        "geboortedatum_kandidaat",
    )
    assert [f.label for f in kcm_rubric.fields] == [
        "Bedrijf",
        "Naam Kandidaat",
        "Datum",
        "Geboortedatum Kandidaat",
    ]
    assert all(f.required for f in kcm_rubric.fields)
    call_type = kcm_rubric.condition("gesprekstype")
    assert call_type.option_ids() == ("inbound", "outbound")
    assert call_type.multiple  # a call may be both
    assert kcm_rubric.scoring.rule == "all"
    assert all(e.scoring is None for e in kcm_rubric.eindtermen)


def test_only_the_outbound_question_depends_on_the_call_type(kcm_rubric: Rubric) -> None:
    conditional = [c for c in kcm_rubric.criteria() if c.applies_when is not None]
    assert [c.id for c in conditional] == ["2.4.1.b"]
    applies_when = conditional[0].applies_when
    assert applies_when is not None
    assert (applies_when.condition, applies_when.any_of) == ("gesprekstype", ("outbound",))
    assert conditional[0].text.startswith("outb:")


def normalise_form(text: str) -> str:
    """The form's text as one line: no HTML list markup, no '- ' bullets, single spaces."""
    text = re.sub(r"<[^>]+>", " ", text)
    text = re.sub(r"(?:(?<=\s)|^)- ", " ", text)  # a bullet, not the hyphen of "in- en/of"
    return re.sub(r"\s+", " ", text)


def test_every_text_is_verbatim_from_the_paper_form_in_form_order(kcm_rubric: Rubric) -> None:
    form = normalise_form(PAPER_FORM.read_text(encoding="utf-8"))
    texts: list[tuple[str, str]] = []
    for eindterm in kcm_rubric.eindtermen:
        texts.append((eindterm.id, eindterm.text))
        for onderdeel in eindterm.onderdelen:
            texts.append((onderdeel.id, onderdeel.text))
            for proces in onderdeel.processen:
                texts.append((proces.id, proces.text))
                texts.extend((c.id, c.text) for c in proces.criteria)
    # Each text must occur after the previous one: this also tells apart criteria that occur
    # twice on the form (1.1.1.a and 3.1.1.a have the same text).
    position = 0
    for item_id, text in texts:
        found = form.find(text, position)
        assert found >= 0, f"{item_id}: {text!r} is not on the form after position {position}"
        position = found + len(text)
    assert len(texts) == 3 + 7 + 9 + 37
