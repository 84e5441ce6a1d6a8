"""A record finalised in the browser is sealed by kcm_core: its export passes `kcm verify`, and a
hand change to the file fails `kcm verify` and is named when the file is imported again."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from _checklist import Checklist
from conftest import ChecklistFactory
from playwright.sync_api import expect

pytestmark = pytest.mark.e2e

# The installed command, next to this interpreter (make setup installs the project in the venv).
KCM = [str(Path(sys.executable).parent / "kcm")]


def finalised_export(checklist: Checklist, folder: Path) -> Path:
    checklist.fill_header(naam="Zegel Kandidaat", beoordelaar="A. Jansen")
    checklist.call_type("inbound").check()
    checklist.tick_all(except_ids=("3.2.1.d",))
    checklist.action("finalize").click()
    checklist.answer_dialog("Afronden")
    expect(checklist.page.locator("[data-lock-notice]")).to_contain_text("Afgerond op")
    name, body = checklist.download("export-json", folder)
    path = folder / name
    path.write_bytes(body)
    return path


def verify(path: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*KCM, "verify", str(path)], capture_output=True, text=True, check=False, timeout=120
    )


def test_a_record_finalised_in_the_page_passes_kcm_verify_and_a_changed_tick_fails(
    open_checklist: ChecklistFactory, download_dir: Path
) -> None:
    checklist = open_checklist(accept_downloads=True)
    path = finalised_export(checklist, download_dir)
    record = json.loads(path.read_text(encoding="utf-8"))
    assert record["status"] == "final"
    assert record["assessors"] == [{"name": "A. Jansen"}]
    assert record["result"]["verdict"] == "fail"
    assert len(record["seal"]["sha256"]) == 64
    passed = verify(path)
    assert passed.returncode == 0, passed.stderr

    record["criteria"]["3.2.1.d"] = {"checked": True}
    changed = download_dir / "veranderd.json"
    changed.write_text(json.dumps(record, ensure_ascii=False), encoding="utf-8")
    failed = verify(changed)
    assert failed.returncode == 1
    assert "veranderd.json: $.seal" in failed.stderr
    assert "zegel klopt niet" in failed.stderr

    # The checklist on another device says so when the changed file is imported.
    other = open_checklist()
    other.import_file("veranderd.json", changed.read_bytes())
    banner = other.banner("import")
    expect(banner).to_contain_text("veranderd na het afronden")
    expect(banner).to_contain_text("Zegel Kandidaat")


def test_finalising_asks_who_assessed_first(open_checklist: ChecklistFactory) -> None:
    checklist = open_checklist()
    checklist.fill_header(beoordelaar="")
    checklist.call_type("inbound").check()
    checklist.action("finalize").click()
    expect(checklist.dialog()).to_contain_text("Naam beoordelaar")
    checklist.answer_dialog("Terug naar het formulier")
    expect(checklist.field("beoordelaar")).to_be_focused()
