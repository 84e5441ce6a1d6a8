"""A printed record that holds up (issue 13): an assessment finalised in the page, printed to PDF
by Chromium, and read back as text, the way an exam office would read the paper.

The PDF's text (pypdf) must carry every mark as text (✓, ✗, n.v.t.; a disabled checkbox prints
as a light-grey box that says nothing in grey scale), the candidate, the assessor, the seal's
first 12 characters, the verdict with kcm_core's reasons, the history, no site heading or
navigation, and the signature lines on the page of the result.
"""

from __future__ import annotations

import io
import json
import re
from pathlib import Path
from typing import Any

from _checklist import Checklist, seed_local_storage
from conftest import LAPTOP, ChecklistFactory, PageFactory, SiteServer
from playwright.sync_api import Page, expect
from pypdf import PdfReader

from kcm_core.assessment import load_assessment_data, new_assessment
from kcm_core.rubric_load import load_rubric_file

RUBRIC_PATH = Path(__file__).resolve().parents[2] / "rubric" / "klantcontact.json"

# Words of the site's frame (Material's header, search, navigation, footer) that a record on
# paper must not carry.
SITE_WORDS = ("Zoeken", "Examen klantcontact medewerker", "Volgende", "Vorige", "Checklist")


def finalised_record(open_checklist: ChecklistFactory) -> Checklist:
    """A final record: header with the assessor, inbound, all ticked but 3.2.1.d, 2.4.2.b n.v.t.
    with its reason, remarks; finalised with the dialog's "Afronden"."""
    checklist = open_checklist(viewport=LAPTOP)
    page = checklist.page
    checklist.fill_header()
    checklist.call_type("inbound").check()
    checklist.tick_all(except_ids=("3.2.1.d", "2.4.2.b"))
    checklist.row("2.4.2.b").locator('[data-role="na"]').check()
    checklist.remark("2.4.2.b").fill("Klant niet in de wacht gezet")
    checklist.remark("2.2.1.e").fill("Samenvatting kon korter")
    page.locator('textarea[data-remark-id=""]').fill("Rustig en vriendelijk gesprek")
    checklist.action("finalize").click()
    checklist.answer_dialog("Afronden")
    expect(page.locator("[data-lock-notice]")).to_contain_text("Afgerond op")
    # The seal comes from kcm_core with the final record; the print shows its start.
    expect(page.locator("[data-print-seal]")).to_have_text(re.compile(r"^Zegel: [0-9a-f]{12}…"))
    return checklist


def pdf_pages(page: Page) -> list[str]:
    pdf = page.pdf(format="A4")
    return [p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages]


def test_printed_record_has_marks_names_seal_verdict_and_history_as_text(
    open_checklist: ChecklistFactory,
) -> None:
    checklist = finalised_record(open_checklist)
    pages = pdf_pages(checklist.page)
    text = "\n".join(pages)
    # One mark per criterion, as text: 34 ticked (2.4.1.b is for outbound calls only, so the
    # tick from tick_all does not count and it prints as n.v.t.), one not met, two n.v.t.
    # (The notes "n.v.t.: …" and kcm_core's "(2 n.v.t.)" are not marks.)
    assert text.count("✓") == 34, text
    assert text.count("✗") == 1
    assert len(re.findall(r"n\.v\.t\.(?![:)])", text)) == 2
    marks = {
        cid: checklist.row(cid).locator("[data-print-mark]")
        for cid in ("1.1.1.a", "2.4.1.b", "2.4.2.b", "3.2.1.d")
    }
    expect(marks["1.1.1.a"]).to_have_text("✓")
    expect(marks["2.4.1.b"]).to_have_text("n.v.t.")
    expect(marks["2.4.2.b"]).to_have_text("n.v.t.")
    expect(marks["3.2.1.d"]).to_have_text("✗")
    # n.v.t. by hand with its reason, and the other remarks.
    assert "Reden n.v.t.: Klant niet in de wacht gezet" in text
    assert "Opmerking: Samenvatting kon korter" in text
    assert "Opmerking: Rustig en vriendelijk gesprek" in text
    # The record starts with the form's title, then whose record of which day it is.
    assert pages[0].startswith("Beoordelingsformulier klantcontact medewerker\n")
    assert "Beoordeling van Jan de Vries, 27-11-2026." in pages[0]
    # Labels end in a colon without a space before it.
    assert "Bedrijf: Bel & Co" in pages[0]
    assert not re.search(r"\w :", text)
    assert "Beoordelaar: A. Jansen." in text
    # The seal's start, so paper and file can be matched.
    seal = checklist.only_record()["data"]["seal"]["sha256"]
    assert f"Zegel: {seal[:12]}…" in text
    # The verdict and kcm_core's reasons.
    assert "De kandidaat is niet geslaagd" in text
    assert "Eindterm 3 niet behaald: 3.2.1.d ontbreekt." in text
    # The history: when it was finalised.
    assert "Geschiedenis:" in text
    assert re.search(r"^Afgerond door A. Jansen: \d\d-\d\d-\d{4} \d\d:\d\d$", text, re.MULTILINE)
    for word in SITE_WORDS:
        assert word not in text, f"{word!r} is printed"


def test_result_and_signature_lines_print_on_one_page(open_checklist: ChecklistFactory) -> None:
    pages = pdf_pages(finalised_record(open_checklist).page)
    with_result = [i for i, t in enumerate(pages) if "De kandidaat is niet geslaagd" in t]
    with_signatures = [i for i, t in enumerate(pages) if "Handtekening:" in t]
    assert len(with_result) == 1, pages
    assert with_signatures == with_result
    last = pages[with_result[0]]
    # The known names are on the signature lines; one assessor: no line for a second one.
    assert re.search(r"Beoordelaar\nNaam:\nA\. Jansen\nHandtekening:", last), last
    assert re.search(r"Kandidaat\nNaam:\nJan de Vries\nHandtekening:", last), last
    assert "Tweede beoordelaar" not in last


def joint_draft() -> dict[str, Any]:
    """A joint draft of two assessors (as compare.js stores it): 3.2.1.d differed, agreed as
    ticked with a reason; nothing else ticked yet."""
    rubric = load_rubric_file(RUBRIC_PATH)
    draft = new_assessment(rubric, "joint-print", "2026-11-27T11:00:00Z").to_json_data()
    draft["fields"].update(naam_kandidaat="Jan de Vries", datum="2026-11-27")
    draft["conditions"]["gesprekstype"] = ["inbound"]
    draft["criteria"] = {
        "3.2.1.d": {
            "checked": True,
            "decision": {
                "a": {"checked": True},
                "b": {"checked": False},
                "reason": "Visitekaartje gehoord in de opname",
            },
        }
    }
    draft["assessors"] = [{"name": "A. Jansen"}, {"name": "B. Bakker"}]
    draft["sources"] = [
        {"id": "orig-a", "seal": "a" * 64, "assessor": "A. Jansen"},
        {"id": "orig-b", "seal": "b" * 64, "assessor": "B. Bakker"},
    ]
    # The same checks the page's engine makes: a draft the checklist would accept.
    load_assessment_data(draft, rubric)
    return draft


def test_joint_record_prints_both_assessors_and_each_difference_with_its_reason(
    new_page: PageFactory, site_server: SiteServer
) -> None:
    page = new_page(viewport=LAPTOP)
    page.goto(site_server.url(""))
    data = joint_draft()
    seed_local_storage(
        page,
        {
            f"kcm:v1:assessment:{data['id']}": json.dumps(
                {"schema": 2, "rev": 1, "saved_at": data["updated"], "data": data}
            ),
            "kcm:v1:index": json.dumps({"schema": 1, "ids": [data["id"]]}),
        },
    )
    checklist = Checklist(page, site_server.url("checklist/"))
    checklist.open()
    # The page opens the one stored draft by itself; otherwise the assessor opens it.
    item = checklist.list_item(data["id"])
    expect(item).to_be_visible()
    if item.get_attribute("aria-current") != "true":
        item.get_by_role("button", name=re.compile("^Openen")).click()
    expect(page.locator("[data-print-assessors]")).to_have_text(
        "Beoordelaars: A. Jansen en B. Bakker."
    )
    text = "\n".join(pdf_pages(page))
    assert "Beoordelaars: A. Jansen en B. Bakker." in text
    assert "Verschillen tussen de beoordelaars:" in text
    one_line = " ".join(text.split())
    assert (
        "3.2.1.d: A. Jansen: gecheckt / B. Bakker: niet gecheckt. Gekozen: gecheckt. "
        "Reden: Visitekaartje gehoord in de opname"
    ) in one_line
    # A draft: not judged yet, so no ✗ for what is still open, and no seal yet.
    assert "✗" not in text
    assert "✓" in text
    assert "Zegel: nog geen." in one_line
    # Both assessors get a line to sign, with their names.
    assert re.search(r"Tweede beoordelaar\nNaam:\nB\. Bakker\nHandtekening:", text), text
