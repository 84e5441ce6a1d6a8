"""A candidate practises on `oefenen/` (design §4 `practice: true`), in Chromium against the built
site: the page says "Oefening", a practice is finalised without an assessor and sealed by
kcm_core as a practice (`kcm verify` refuses it as an exam result), every export and the print
say so, and the exam checklist in the same browser neither lists nor imports it."""

from __future__ import annotations

import io
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from _checklist import Checklist
from conftest import PageFactory, SiteServer
from playwright.sync_api import Page, expect
from pypdf import PdfReader

from kcm_core.assessment import load_assessment_data
from kcm_core.rubric_load import load_rubric_file
from kcm_core.seal import seal_sha256, verify_data

pytestmark = pytest.mark.e2e

RUBRIC = load_rubric_file(Path(__file__).resolve().parents[2] / "rubric" / "klantcontact.json")
# The installed command, next to this interpreter (make setup installs the project in the venv).
KCM = [str(Path(sys.executable).parent / "kcm")]
# What the page, the note beside the result and the print call a practice (an en dash).
MARK = "Oefening \u2013 geen examenuitslag"


def practise(checklist: Checklist) -> None:
    """What a candidate fills in on the practice page (there is no assessor's name to give),
    ticks all but 3.2.1.d, and finalises."""
    checklist.field("bedrijf").fill("Bel & Co")
    checklist.field("naam_kandidaat").fill("Jan de Vries")
    checklist.field("datum").fill("2026-11-27")
    checklist.field("geboortedatum_kandidaat").fill("2001-05-04")
    checklist.call_type("inbound").check()
    checklist.tick_all(except_ids=("3.2.1.d",))
    checklist.action("finalize").click()
    checklist.answer_dialog("Afronden")
    # kcm_core seals asynchronously; the record is final once the notice says so.
    expect(checklist.page.locator("[data-lock-notice]")).to_contain_text("Afgerond op")


def pdf_text(page: Page) -> list[str]:
    pdf = page.pdf(format="A4")
    return [p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages]


def test_a_candidate_practises_and_it_never_passes_for_an_exam_result(
    new_page: PageFactory, site_server: SiteServer, download_dir: Path
) -> None:
    page = new_page()
    practice = Checklist(page, site_server.url("oefenen/"))
    practice.open()

    # The page says what it is: at the top, in its title and in the bar that stays on screen.
    banner = page.locator("[data-practice-banner]")
    expect(banner).to_be_visible()
    expect(banner).to_contain_text("Oefening")
    expect(banner).to_contain_text("geen examenuitslag")
    expect(banner).to_contain_text("op dit apparaat")
    assert "Oefenen" in page.title()
    expect(page.locator("[data-summary] [data-practice-mark]")).to_have_text("Oefening")
    expect(page.locator("[data-form-title]")).to_have_text(re.compile(r"^Oefening"))
    expect(practice.field("beoordelaar")).to_have_count(0)

    practise(practice)
    stored = practice.only_record()["data"]
    assert stored["practice"] is True
    assert "assessors" not in stored
    assert stored["status"] == "final"
    expect(page.locator("[data-practice-note]")).to_contain_text(MARK)
    # Nothing to compare or sign: kcm_core refuses a joint practice.
    expect(page.locator("[data-compare]")).to_be_hidden()
    expect(page.locator("[data-signatures]")).to_be_hidden()
    item = practice.list_item(stored["id"])
    expect(item).to_have_attribute("data-practice", "")
    expect(item).to_contain_text("Oefening")

    # The JSON: a practice, sealed by kcm_core with a seal that matches its content.
    name, body = practice.download("export-json", download_dir)
    assert name.startswith("oefening-Jan-de-Vries-")
    exported = json.loads(body)
    assert exported == stored
    assert exported["practice"] is True
    assessment = load_assessment_data(exported, RUBRIC)
    assert assessment.seal == seal_sha256(assessment)
    assert verify_data(exported, RUBRIC).state == "practice"
    path = download_dir / name
    checked = subprocess.run(
        [*KCM, "verify", str(path)], capture_output=True, text=True, check=False, timeout=120
    )
    assert checked.returncode == 1, checked.stdout
    assert "een oefening van de kandidaat zelf, nooit een examenuitslag" in checked.stderr

    # The CSV says it on every row.
    name, body = practice.download("export-csv", download_dir)
    assert name.startswith("oefening-")
    rows = [line for line in body.decode("utf-8-sig").split("\r\n")[1:] if line]
    assert len(rows) == 37
    assert all(";oefening (geen examenuitslag);" in row for row in rows)

    # On paper: at the top of the record, and beside the result.
    pages = pdf_text(page)
    assert pages[0].startswith(MARK), pages[0][:200]
    assert "Oefening van Jan de Vries, 27-11-2026." in pages[0]
    text = "\n".join(pages)
    assert text.count(MARK) == 2, text
    assert "Zelf beoordeeld door de kandidaat, als oefening." in text
    assert "Handtekening:" not in text

    # The exam checklist in the same browser shares the storage, but not the practice.
    exam = Checklist(new_page(page.context), site_server.url("checklist/"))
    exam.open()
    expect(exam.page.locator("[data-assessment-list]")).to_have_attribute("data-list-total", "0")
    expect(exam.page.locator("[data-assessment-id]")).to_have_count(0)
    expect(exam.page.locator("[data-practice-banner]")).to_have_count(0)
    exam.import_file(path.name, path.read_bytes())
    refused = exam.banner("import")
    expect(refused).to_contain_text("Dit bestand is een oefening van een kandidaat")
    expect(refused).to_contain_text(f"op de pagina Oefenen: {site_server.url('oefenen/')}")
    expect(refused).to_contain_text("Er is niets veranderd.")
    expect(refused.locator('[data-action="open-other-page"]')).to_have_text("Naar Oefenen")
    assert list(exam.records()) == [stored["id"]], "nothing stored, the practice unchanged"
    assert exam.records()[stored["id"]]["data"] == stored
