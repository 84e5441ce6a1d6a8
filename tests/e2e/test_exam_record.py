"""Two assessors, one sealed exam record (issue 13, items 3 and 4), in Chromium at phone width.

Each assessor fills in and finalises the same candidate in a browser of their own and exports
it; the second compares with the first's file ("Vergelijk met collega"), chooses the agreed
answer and writes the reason per difference, and makes the joint record, which is finalised
like any other. Its export passes ``kcm verify``, a changed tick fails it; signing by mouse and
by keyboard (a typed name) keeps it verified; the print shows the signatures with the result.
"""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path
from typing import Any

from _checklist import Checklist
from conftest import LAPTOP, ChecklistFactory
from playwright.sync_api import FilePayload, expect

REPO = Path(__file__).resolve().parents[2]
KCM = REPO / ".venv" / "bin" / "kcm"


def verify(path: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(KCM), "verify", str(path)], cwd=REPO, capture_output=True, text=True, check=False
    )


def final_export(
    checklist: Checklist,
    folder: Path,
    assessor: str,
    *,
    unticked: tuple[str, ...] | None,
    candidate: str = "Jan de Vries",
) -> bytes:
    """One assessor's assessment of a candidate, finalised and exported as JSON (``unticked``
    None: nothing ticked at all)."""
    checklist.fill_header(beoordelaar=assessor, naam=candidate)
    checklist.call_type("inbound").check()
    if unticked is not None:
        checklist.tick_all(except_ids=unticked)
    checklist.action("finalize").click()
    checklist.answer_dialog("Afronden")
    expect(checklist.page.locator("[data-lock-notice]")).to_contain_text("Afgerond op")
    _name, content = checklist.download("export-json", folder)
    return bytes(content)


def compare_with(checklist: Checklist, name: str, content: bytes) -> None:
    payload: FilePayload = {"name": name, "mimeType": "application/json", "buffer": content}
    checklist.page.locator('input[type=file][data-action="compare"]').set_input_files(
        files=[payload]
    )


def changed(content: bytes, change: Any) -> bytes:
    data = json.loads(content)
    change(data)
    return json.dumps(data).encode()


def test_two_assessors_make_a_joint_signed_record_that_verifies(
    open_checklist: ChecklistFactory, download_dir: Path, shots: Path
) -> None:
    first = open_checklist()
    jansen = final_export(first, download_dir / "a", "A. Jansen", unticked=("3.2.1.d",))
    second = open_checklist()
    page = second.page
    bakker = final_export(second, download_dir / "b", "B. Bakker", unticked=("2.2.1.e",))

    first.action("next-candidate").click()
    other = final_export(first, download_dir / "c", "A. Jansen", unticked=None, candidate="Piet")

    # Refused with a sentence beside the control: another candidate, a file changed after
    # finalising, the same record.
    message = page.locator("[data-compare-message]")
    compare_with(second, "piet.json", other)
    expect(message).to_contain_text("kunnen niet samen één beoordeling worden")
    expect(message).to_contain_text("Het bestand van je collega: veld Naam Kandidaat: een ander")
    edited = changed(jansen, lambda d: d["fields"].update(bedrijf="X"))
    compare_with(second, "veranderd.json", edited)
    expect(message).to_contain_text("Het bestand van je collega: het zegel klopt niet")
    compare_with(second, "zelf.json", bakker)
    expect(message).to_contain_text("dezelfde beoordeling")
    expect(page.locator("[data-compare-plan]")).to_be_hidden()

    # The differences, criterion by criterion, with both answers in the assessors' names.
    compare_with(second, "jansen.json", jansen)
    plan = page.locator("[data-compare-plan]")
    expect(plan).to_contain_text("Verschillen met A. Jansen")
    differences = plan.locator("[data-difference]")
    expect(differences).to_have_count(2)
    visit = plan.locator('[data-difference="3.2.1.d"]')
    expect(visit).to_contain_text("B. Bakker: gecheckt")
    expect(visit).to_contain_text("A. Jansen: niet gecheckt")
    page.screenshot(path=shots / "exam-01-compare-390.png", full_page=False)

    # Every difference needs a choice and a reason.
    plan.get_by_role("button", name="Gezamenlijke beoordeling maken").click()
    expect(plan.locator("[data-plan-message]")).to_contain_text("2.2.1.e, 3.2.1.d")
    visit.get_by_label("B. Bakker: gecheckt").check()
    visit.get_by_label("Reden").fill("Visitekaartje gehoord in de opname")
    summary = plan.locator('[data-difference="2.2.1.e"]')
    summary.get_by_label("A. Jansen: gecheckt").check()
    summary.get_by_label("Reden").fill("Samenvatting was er, kort")
    plan.get_by_role("button", name="Gezamenlijke beoordeling maken").click()

    # The joint draft opens: both answers and the reason in the rows that differed.
    expect(page.locator("[data-compare-joint]")).to_contain_text(
        "Gezamenlijke beoordeling van B. Bakker en A. Jansen"
    )
    row = second.row("3.2.1.d")
    expect(row.locator("[data-decision-answers]")).to_have_text(
        "B. Bakker: gecheckt / A. Jansen: niet gecheckt"
    )
    expect(second.checkbox("3.2.1.d")).to_be_checked()
    expect(second.checkbox("2.2.1.e")).to_be_checked()
    row.scroll_into_view_if_needed()
    row.screenshot(path=shots / "exam-02-joint-row-390.png")

    # A missing reason blocks finalising and leads to its field.
    reason = row.locator('[data-role="reason"]')
    reason.fill("")
    second.action("finalize").click()
    expect(second.dialog()).to_contain_text("3.2.1.d: reden van de gezamenlijke keuze")
    second.answer_dialog("Terug naar het formulier")
    expect(reason).to_be_focused()
    reason.fill("Visitekaartje gehoord in de opname")
    second.action("finalize").click()
    second.answer_dialog("Afronden")
    expect(page.locator("[data-lock-notice]")).to_contain_text("Afgerond op")
    expect(reason).to_be_disabled()

    _name, joint_bytes = second.download("export-json", download_dir / "joint")
    joint_file = download_dir / "joint.json"
    joint_file.write_bytes(joint_bytes)
    outcome = verify(joint_file)
    assert outcome.returncode == 0, outcome.stderr
    joint = json.loads(joint_bytes)
    assert [a["name"] for a in joint["assessors"]] == ["B. Bakker", "A. Jansen"]
    assert [s["assessor"] for s in joint["sources"]] == ["B. Bakker", "A. Jansen"]
    assert joint["criteria"]["3.2.1.d"]["decision"]["reason"] == (
        "Visitekaartje gehoord in de opname"
    )
    assert joint["criteria"]["2.2.1.e"]["decision"]["reason"] == "Samenvatting was er, kort"
    assert joint["criteria"]["2.2.1.e"]["checked"] is True

    # A changed tick in the exported file fails kcm verify.
    tampered = download_dir / "tampered.json"
    tampered.write_bytes(
        changed(joint_bytes, lambda d: d["criteria"]["3.2.1.d"].update(checked=False))
    )
    assert verify(tampered).returncode == 1

    # Signing: the first assessor with the mouse on the pad ...
    signing = page.locator("[data-signatures]")
    expect(signing.locator('[data-signature-role="tweede_beoordelaar"]')).to_be_visible()
    signing.locator('[data-signature-role="beoordelaar"] [data-action="sign"]').click()
    canvas = signing.locator("[data-pad-canvas]")
    canvas.scroll_into_view_if_needed()
    box = canvas.bounding_box()
    assert box
    page.mouse.move(box["x"] + 20, box["y"] + box["height"] * 0.7)
    page.mouse.down()
    for step in range(1, 30):
        page.mouse.move(
            box["x"] + 20 + step * (box["width"] - 40) / 30,
            box["y"] + box["height"] * (0.7 - 0.4 * (step % 2)),
        )
    page.mouse.up()
    page.screenshot(path=shots / "exam-03-pad-390.png")
    signing.get_by_role("button", name="Opslaan").click()
    drawn = signing.locator('[data-signature-role="beoordelaar"] svg path')
    expect(drawn).to_have_attribute("d", re.compile(r"^M\d+ \d+L"))

    # ... and the second by keyboard: a typed name only.
    second_button = signing.locator(
        '[data-signature-role="tweede_beoordelaar"] [data-action="sign"]'
    )
    second_button.focus()
    page.keyboard.press("Enter")
    name = signing.locator("[data-pad-name]")
    expect(name).to_be_focused()
    expect(name).to_have_value("A. Jansen")
    page.keyboard.press("Enter")
    expect(signing.locator('[data-signature-role="tweede_beoordelaar"]')).to_contain_text(
        "Ondertekend met getypte naam: A. Jansen"
    )
    page.screenshot(path=shots / "exam-04-signed-390.png", full_page=False)

    _name, signed_bytes = second.download("export-json", download_dir / "signed")
    signed_file = download_dir / "signed.json"
    signed_file.write_bytes(signed_bytes)
    outcome = verify(signed_file)
    assert outcome.returncode == 0, outcome.stderr
    signed = json.loads(signed_bytes)
    assert signed["signatures"]["beoordelaar"]["name"] == "B. Bakker"
    assert signed["signatures"]["beoordelaar"]["svg_path"].startswith("M")
    assert "svg_path" not in signed["signatures"]["tweede_beoordelaar"]
    assert [h["action"] for h in signed["history"]] == ["finalized", "signed", "signed"]

    # On paper: the signatures with their names, right after the result.
    expect(signing.locator("[data-signature-message]")).to_contain_text("ondertekend")
    page.set_viewport_size({"width": LAPTOP["width"], "height": LAPTOP["height"]})
    signing.scroll_into_view_if_needed()
    page.screenshot(path=shots / "exam-05-signed-1280.png", full_page=False)
    page.emulate_media(media="print")
    expect(signing).to_be_visible()
    expect(signing).to_contain_text("Getekend door B. Bakker")
    expect(signing).to_contain_text("Ondertekend met getypte naam: A. Jansen")
    expect(signing.locator('[data-action="sign"]').first).to_be_hidden()
    expect(signing.locator('[data-signature-role="kandidaat"]')).to_be_hidden()
    signing.screenshot(path=shots / "exam-06-print-signatures.png")
    expect(row.locator("[data-print-reason]")).to_have_text(
        "Reden: Visitekaartje gehoord in de opname"
    )
    result = page.locator('[data-result="overall"]').bounding_box()
    signed_box = signing.bounding_box()
    assert result
    assert signed_box
    assert 0 < signed_box["y"] - result["y"] < 1200, "the signatures follow the result"
    pdf = page.pdf(format="A4")
    assert pdf.startswith(b"%PDF")
    (shots / "exam-print.pdf").write_bytes(pdf)
