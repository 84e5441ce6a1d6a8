"""Old records stay usable, and every rubric lives side by side (issue "every rubric in
rubric/ is published"; ARCHITECTURE.md §3, §6): on a site built from two rubrics and an archived
older version (``built_multi_site``), an export made with the old version imports, opens with a
notice, is scored by kcm_core against its own version (the same verdict as ``kcm score`` with
that version), prints with its own texts and exports a record that ``kcm verify`` accepts; a
record of the other rubric is listed with its name and points to its own checklist."""

from __future__ import annotations

import contextlib
import io
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from _checklist import Checklist
from _offline_support import Recorder, SiteServer
from playwright.sync_api import Browser, BrowserContext, ViewportSize, expect
from pypdf import PdfReader

from kcm_core.assessment_load import load_assessment_data
from kcm_core.cli import main as kcm
from kcm_core.rubric_load import load_rubric_file
from kcm_core.seal import seal_assessment
from tests.conftest import TEST_RUBRICS, multi_rubric_folder

OLD_RUBRIC = TEST_RUBRICS / "archive" / "teamleider" / "1.0.0.json"
NEW_RUBRIC = TEST_RUBRICS / "teamleider.json"
OLD_RECORD = TEST_RUBRICS.parent / "records" / "teamleider-1.0.0.json"
NOW = "2026-03-02T09:00:00Z"
OLD_ID = "0f3c9a4e-1111-4222-8333-444455556666"


def old_record(**changes: Any) -> dict[str, Any]:
    """Made with teamleider 1.0.0 (tests/data/records): all met but 2.1.1.d, which 1.1.0
    dropped. Version 1.0.0 needs every criterion, so Eindterm 2 fails; 1.1.0's rule (75
    percent) would pass it."""
    record: dict[str, Any] = json.loads(OLD_RECORD.read_text(encoding="utf-8"))
    record.update(changes)
    return record


def sealed_old_record() -> dict[str, Any]:
    rubric = load_rubric_file(OLD_RUBRIC)
    final = old_record(status="final", finalized=NOW, assessors=[{"name": "A. Jansen"}])
    sealed = seal_assessment(load_assessment_data(final, rubric), rubric)
    return sealed.to_json_data()


def run_kcm(*args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = kcm(list(args))
    return code, out.getvalue(), err.getvalue()


@pytest.fixture(scope="module")
def multi_server(built_multi_site: Path) -> Iterator[SiteServer]:
    server = SiteServer(built_multi_site)
    yield server
    server.stop()


@pytest.fixture
def context(browser: Browser, multi_server: SiteServer) -> Iterator[BrowserContext]:
    """A fresh profile on the two-rubric site; fails on requests to other hosts, uncaught
    errors and CSP violations, as every end-to-end test does."""
    recorder = Recorder(multi_server.origin)
    made = browser.new_context(
        viewport=ViewportSize(width=1280, height=900),
        locale="nl-NL",
        timezone_id="Europe/Amsterdam",
        accept_downloads=True,
    )
    recorder.record(made)
    yield made
    made.close()
    assert not recorder.foreign_requests()
    assert not recorder.csp_violations()
    assert not recorder.unexpected_page_errors()


def checklist(context: BrowserContext, server: SiteServer, url: str) -> Checklist:
    opened = Checklist(context.new_page(), server.url(url))
    opened.open()
    return opened


def open_listed(page: Checklist, assessment_id: str) -> None:
    page.show_list()
    item = page.list_item(assessment_id)
    opener = item.locator('[data-action="open"]')
    if opener.count():
        opener.click()


def test_an_old_export_imports_opens_with_its_notice_and_scores_against_its_own_version(
    context: BrowserContext, multi_server: SiteServer, tmp_path: Path
) -> None:
    page = checklist(context, multi_server, "teamleider/checklist/")
    page.import_file("oud.json", json.dumps(old_record()))
    page.show_list()
    item = page.list_item(OLD_ID)
    expect(item.locator("[data-list-rubric]")).to_have_text("Versie 1.0.0 van het formulier")
    open_listed(page, OLD_ID)
    expect(page.page.locator("[data-lock-text]")).to_contain_text(
        "gemaakt met versie 1.0.0 van het formulier. Nu is het versie 1.1.0"
    )
    result = page.page.locator("[data-foreign-result]")
    expect(result).to_have_attribute("data-verdict", "fail")
    expect(result).to_contain_text("Eindterm 2 niet behaald: 2.1.1.d ontbreekt.")
    # The old version's own criterion, which today's form no longer has.
    expect(page.page.locator('[data-foreign-criterion="2.1.1.d"]')).to_contain_text(
        "Sluit af met de actiepunten."
    )
    expect(item).to_contain_text("Niet geslaagd")

    # kcm score with the old version says the same; with today's version it refuses.
    exported = tmp_path / "oud.json"
    exported.write_text(json.dumps(old_record()), encoding="utf-8")
    code, out, _ = run_kcm("score", "--rubric", str(OLD_RUBRIC), str(exported), "--format", "json")
    assert code == 0
    scored = json.loads(out)
    assert scored["verdict"] == "fail"
    assert [o["missing"] for o in scored["outcomes"] if o["id"] == "2"] == [["2.1.1.d"]]
    code, _, err = run_kcm("score", "--rubric", str(NEW_RUBRIC), str(exported))
    assert code == 1
    assert "$.rubric" in err


def test_an_old_final_record_prints_with_its_own_texts_and_exports_a_verifiable_file(
    context: BrowserContext,
    multi_server: SiteServer,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    page = checklist(context, multi_server, "teamleider/checklist/")
    page.import_file("oud-afgerond.json", json.dumps(sealed_old_record()))
    open_listed(page, OLD_ID)
    expect(page.page.locator("[data-foreign-result]")).to_have_attribute("data-verdict", "fail")

    pdf = page.page.pdf(format="A4")
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)
    assert "versie 1.0.0" in text
    assert "Sluit af met de actiepunten." in text
    assert "Uitslag volgens versie 1.0.0: Niet geslaagd" in text

    name, content = page.download("export-json", tmp_path)
    exported = tmp_path / name
    assert json.loads(content)["rubric"]["version"] == "1.0.0"
    # kcm verify finds the archived version in rubric/archive/ by itself.
    multi_rubric_folder(tmp_path / "rubric")
    monkeypatch.chdir(tmp_path)
    code, out, err = run_kcm("verify", str(exported))
    assert (code, err) == (0, ""), err
    assert "in orde" in out


def test_a_record_of_another_rubric_is_listed_with_its_name_and_points_to_its_checklist(
    context: BrowserContext, multi_server: SiteServer
) -> None:
    page = checklist(context, multi_server, "checklist/")
    other = old_record(rubric={"id": "teamleider", "version": "1.1.0"})
    del other["criteria"]["1.1.1.d"]
    page.import_file("teamleider.json", json.dumps(other))
    page.show_list()
    label = page.list_item(OLD_ID).locator("[data-list-rubric]")
    expect(label).to_have_text("Beoordelingsformulier teamleider klantcontact (testdata)")
    open_listed(page, OLD_ID)
    expect(page.page.locator("[data-lock-text]")).to_contain_text("hoort bij een ander examen")
    link = page.page.locator("[data-foreign] a")
    expect(link).to_have_attribute("href", "../teamleider/checklist/")
    link.click()
    page.page.wait_for_url("**/teamleider/checklist/")
    there = Checklist(page.page, multi_server.url("teamleider/checklist/"))
    there.wait_engine("ready")
    there.show_list()
    # On its own checklist it is an ordinary record of this form: no label, editable.
    expect(there.list_item(OLD_ID).locator("[data-list-rubric]")).to_have_count(0)
