"""The blank paper form (build_tools.paper_form, the ``formulier/`` page) asks for the same
things as the checklist's filled-in print: the call type, n.v.t. with a reason where the rubric
allows it, remarks, the result per Eindterm and overall, two assessors and three signatures."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from build_tools.paper_form import SIGNATURE_LABELS, form_page
from kcm_core.assessment_exam import SIGNATURE_ROLES
from kcm_core.model import Rubric
from kcm_core.rubric_load import load_rubric_file

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def kcm() -> Rubric:
    return load_rubric_file(ROOT / "rubric" / "klantcontact.json")


def test_blank_form_asks_for_the_call_type_with_a_box_per_option(kcm: Rubric) -> None:
    form = form_page(kcm, checklist=True)
    assert re.findall(r'data-form-condition="([^"]+)"', form) == ["gesprekstype"]
    assert re.findall(r'data-form-option="([^"]+)"', form) == ["inbound", "outbound"]
    assert "Soort gesprek:</span>" in form


def test_blank_form_offers_na_with_a_reason_line_only_where_the_rubric_allows_it(
    kcm: Rubric,
) -> None:
    form = form_page(kcm, checklist=True)
    allowed = [c.id for c in kcm.criteria() if c.allow_na and not c.critical]
    assert allowed, "the KCM rubric allows n.v.t. by hand somewhere"
    assert re.findall(r'data-form-na="([^"]+)"', form) == allowed
    assert form.count("n.v.t., reden:") == len(allowed)


def test_blank_form_has_result_and_remark_lines_per_eindterm_and_overall(kcm: Rubric) -> None:
    form = form_page(kcm, checklist=True)
    ids = [e.id for e in kcm.eindtermen]
    assert re.findall(r'data-form-outcome="([^"]+)"', form) == ids
    assert re.findall(r'data-form-remark="([^"]*)"', form) == [*ids, ""]
    assert re.findall(r'data-form-result="([^"]+)"', form) == ["overall"]
    assert "Algemene opmerking:" in form
    assert form.count("> niet gehaald</span>") == len(ids)
    assert "niet geslaagd" in form


def test_blank_form_names_two_assessors_and_has_signature_lines_for_every_role(
    kcm: Rubric,
) -> None:
    form = form_page(kcm, checklist=False)
    assert re.findall(r'data-form-assessor="([^"]+)"', form) == [
        "beoordelaar",
        "tweede_beoordelaar",
    ]
    assert "Naam beoordelaar:" in form
    assert "Naam tweede beoordelaar:" in form
    assert tuple(re.findall(r'data-form-signature="([^"]+)"', form)) == SIGNATURE_ROLES
    assert set(SIGNATURE_LABELS) == set(SIGNATURE_ROLES)
    # Labels end in a colon without a space before it, as in the filled-in print.
    assert not re.search(r"\w :", re.sub(r"<[^>]+>", "", form))


def test_blank_form_keeps_result_and_signatures_on_one_page() -> None:
    css = (ROOT / "docs" / "stylesheets" / "kcm.css").read_text(encoding="utf-8")
    printed = css.split("@media print", 1)[1]
    assert re.search(r"\.kcm-paper__record\s*\{[^}]*break-inside:\s*avoid", printed)


def test_built_form_page_carries_every_field_of_the_filled_print(built_site: Path) -> None:
    html = (built_site / "formulier" / "index.html").read_text(encoding="utf-8")
    for marker in (
        'data-form-condition="gesprekstype"',
        'data-form-na="2.4.2.b"',
        'data-form-outcome="3"',
        'data-form-remark=""',
        'data-form-result="overall"',
        'data-form-assessor="tweede_beoordelaar"',
        'data-form-signature="kandidaat"',
    ):
        assert marker in html, marker
