"""The checklist's parts for paper (build_tools.checklist_print): a mark per criterion, the
record's facts right after the result, and signature lines per role after the drawn signatures;
hidden on screen, and laid out by checklist-print.css so the record holds up on paper."""

from __future__ import annotations

import re
from pathlib import Path

from build_tools.checklist import render_checklist
from build_tools.checklist_tags import BODY_SCRIPTS
from kcm_core.assessment_exam import SIGNATURE_ROLES
from kcm_core.rubric_load import load_rubric_file

ROOT = Path(__file__).resolve().parents[2]
RUBRIC = load_rubric_file(ROOT / "rubric" / "klantcontact.json")
PRINT_CSS = (ROOT / "docs" / "assets" / "kcm" / "checklist-print.css").read_text("utf-8")


def rows(html: str) -> list[str]:
    return re.findall(r'<li class="kcm-criterion" data-criterion-id=.*?</li>', html, re.DOTALL)


def test_every_criterion_row_has_one_empty_print_mark_hidden_from_screen_readers() -> None:
    html = render_checklist(RUBRIC)
    found = rows(html)
    assert len(found) == len(list(RUBRIC.criteria()))
    for row in found:
        marks = re.findall(r"<span[^>]*data-print-mark[^>]*></span>", row)
        assert len(marks) == 1, row
        assert 'aria-hidden="true"' in marks[0]
        assert "kcm-print-only" in marks[0]


def test_record_facts_follow_the_result_and_signature_lines_follow_the_drawn_signatures() -> None:
    html = render_checklist(RUBRIC)
    order = [
        html.index('data-result="overall"'),
        html.index("data-print-record"),
        html.index("data-signatures "),
        html.index("data-paper-signatures"),
    ]
    assert order == sorted(order)
    for part in ("data-print-assessors", "data-print-seal", "data-print-history"):
        assert part in html
    roles = re.findall(r'data-paper-signature="([^"]+)"', html)
    assert tuple(roles) == SIGNATURE_ROLES


def test_labels_leave_no_space_before_the_colon_printed_after_them() -> None:
    html = render_checklist(RUBRIC)
    # The hidden "(verplicht)" carries its own space, so "Bedrijf" + ":" reads "Bedrijf:".
    assert 'Bedrijf<span class="kcm-required"> (verplicht)</span></label>' in html
    assert not re.search(r' <span class="kcm-required">', html)


def test_print_hides_the_site_heading_and_the_checkboxes_and_keeps_result_and_signatures() -> None:
    hidden = PRINT_CSS.split("display: none !important", 1)[0]
    for selector in (".md-content__inner > h1", ".kcm-app .kcm-criterion__check", ".kcm-na"):
        assert selector in hidden, selector
    assert re.search(r"\.kcm-signatures\s*\{\s*break-before:\s*avoid", PRINT_CSS)
    assert re.search(r"\.kcm-overall,[^{]*\{\s*break-inside:\s*avoid;\s*break-after:", PRINT_CSS)


def test_print_record_script_runs_before_the_app_that_wires_it() -> None:
    names = [path.rsplit("/", 1)[-1] for path in BODY_SCRIPTS]
    assert names.index("compare.js") < names.index("print-record.js") < names.index("app.js")
