"""The candidates' practice page (``render_checklist(..., practice=True)``, build_tools.
checklist_practice): the same checklist, marked "Oefening" wherever it could pass for an exam
result (design §4 ``practice: true``), without an assessor's name or signature lines; the exam
checklist carries none of these marks."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from build_tools.checklist import render_checklist
from build_tools.checklist_data import SiteRubrics
from build_tools.checklist_practice import MARK
from build_tools.checklist_tags import BODY_SCRIPTS, STYLES
from kcm_core.rubric_load import load_rubric_file

ROOT = Path(__file__).resolve().parents[2]
RUBRIC = load_rubric_file(ROOT / "rubric" / "klantcontact.json")
ASSETS = ROOT / "docs"
PRACTICE = render_checklist(RUBRIC, practice=True, site=SiteRubrics(sibling_url="../checklist/"))
EXAM = render_checklist(RUBRIC, site=SiteRubrics(sibling_url="../oefenen/"))


def data_block(html: str) -> dict[str, object]:
    found = re.search(r'<script type="application/json" id="kcm-rubric-data">(.*?)</script>', html)
    assert found is not None
    data: dict[str, object] = json.loads(found.group(1))
    return data


def text_of(html: str) -> str:
    """The page's words without markup, as a reader sees them."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_the_page_and_its_data_say_it_is_the_practice_page() -> None:
    assert re.search(r'<div class="kcm-app" id="kcm-app" data-kcm-app data-practice ', PRACTICE)
    assert data_block(PRACTICE)["practice"] is True
    assert data_block(PRACTICE)["siblingUrl"] == "../checklist/"
    assert data_block(EXAM)["practice"] is False
    assert "data-practice" not in EXAM.split("</script>", 1)[0]


def test_a_banner_at_the_top_says_practice_for_yourself_no_exam_result_and_on_this_device() -> None:
    banner = re.search(r"<section class=\"kcm-practice\".*?</section>", PRACTICE, re.DOTALL)
    assert banner is not None
    words = text_of(banner.group(0))
    for part in ("Oefening", "voor jezelf", "geen examenuitslag", "op dit apparaat"):
        assert part in words, part
    # Before the form, the list and the banners of the scripts: the first thing a reader sees.
    assert PRACTICE.index("data-practice-banner") < PRACTICE.index("data-list-section")
    assert PRACTICE.index("data-practice-banner") < PRACTICE.index("data-banners")


def test_the_sticky_bar_and_the_result_say_oefening() -> None:
    bar = re.search(r"<div class=\"kcm-summary\" data-summary>.*", PRACTICE, re.S)
    assert bar is not None
    assert re.search(r'<span class="kcm-summary__practice"[^>]*>Oefening</span>', bar[0])
    overall = PRACTICE[PRACTICE.index('id="kcm-overall"') : PRACTICE.index("data-reasons")]
    assert f"{MARK}." in overall
    assert overall.index("data-practice-note") < overall.index('data-result="overall"')
    assert "Uitslag van je oefening:" in overall


def test_the_printed_record_starts_with_the_practice_mark() -> None:
    status = re.search(r'<div class="kcm-print-only kcm-print-status">.*?</div>', PRACTICE, re.S)
    assert status is not None
    assert re.search(rf"^<div[^>]*>\s*<p class=\"kcm-print-practice\"[^>]*>{MARK}</p>", status[0])
    assert MARK == "Oefening \u2013 geen examenuitslag"


def test_no_assessor_name_and_no_lines_to_sign() -> None:
    assert 'data-field-id="beoordelaar"' not in PRACTICE
    assert "data-paper-signatures" not in PRACTICE
    # compare.js and signatures.js still find their parts, which stay hidden for a practice.
    for part in ("data-compare ", "data-signatures "):
        assert part in PRACTICE, part
    assert 'data-field-id="beoordelaar"' in EXAM
    assert "data-paper-signatures" in EXAM


@pytest.mark.parametrize(
    ("action", "practice", "exam"),
    [
        ("new-assessment", "Nieuwe oefening", "Nieuwe beoordeling"),
        ("next-candidate", "Nieuwe oefening", "Volgende kandidaat"),
        ("toggle-list", "Opgeslagen oefeningen", "Opgeslagen beoordelingen"),
    ],
)
def test_the_buttons_speak_of_oefeningen(action: str, practice: str, exam: str) -> None:
    def label(html: str) -> str:
        found = re.search(rf'data-action="{action}"[^>]*>(.*?)</button>', html, re.S)
        assert found is not None
        return text_of(found.group(1)).strip()

    assert label(PRACTICE).startswith(practice)
    assert label(EXAM).startswith(exam)


def test_the_exam_checklist_carries_no_practice_mark() -> None:
    for mark in (
        "data-practice-banner",
        "data-practice-mark",
        "data-practice-note",
        "data-print-practice",
        "Oefening",
    ):
        assert mark not in EXAM, mark


def test_the_practice_scripts_and_styles_are_loaded_in_order() -> None:
    scripts = list(BODY_SCRIPTS)
    for name in ("csv.js", "practice.js"):
        path = f"assets/kcm/{name}"
        assert path in scripts, name
        assert (ASSETS / path).is_file(), name
        # After the format helpers they use, before the session, transfer and views that use them.
        assert scripts.index("assets/kcm/assessment.js") < scripts.index(path)
        assert scripts.index(path) < scripts.index("assets/kcm/session.js")
    assert "assets/kcm/practice.css" in STYLES
    assert (ASSETS / "assets/kcm/practice.css").is_file()
