"""The aids during the live call, as an assessor uses them on a phone: the hold timer warns at
30 seconds and its hold is stored, exported and imported again; a phase is marked with its
time; undo takes back a tick; a new assessment starts with today's date; the assessor's name is
remembered across a new assessment and a reload."""

from __future__ import annotations

import json
from pathlib import Path

from _checklist import Checklist
from conftest import ChecklistFactory, PageFactory, SiteServer
from playwright.sync_api import Locator, expect

from kcm_core.assessment import load_assessment
from kcm_core.rubric_load import load_rubric

RUBRIC = Path(__file__).resolve().parents[2] / "rubric" / "klantcontact.json"


def hold_aid(checklist: Checklist) -> Locator:
    return checklist.row("2.4.2.c").locator('[data-aid="hold"]')


def today(checklist: Checklist) -> str:
    """The device's local date, as the page computes it."""
    value: str = checklist.page.evaluate(
        "(() => { const d = new Date(); const p = (n) => String(n).padStart(2, '0');"
        " return d.getFullYear() + '-' + p(d.getMonth() + 1) + '-' + p(d.getDate()); })()"
    )
    return value


def test_a_hold_warns_at_30_seconds_and_travels_with_the_export(
    new_page: PageFactory, site_server: SiteServer, download_dir: Path
) -> None:
    page = new_page()
    # The page's clock runs as usual, and can jump ahead: no test waits half a minute.
    page.clock.install()
    checklist = Checklist(page, site_server.url("checklist/"))
    checklist.open()
    aid = hold_aid(checklist)
    button = aid.locator('[data-action="hold"]')

    button.click()
    expect(button).to_have_attribute("aria-pressed", "true")
    expect(aid.locator("[data-hold-warning]")).to_be_hidden()
    page.clock.fast_forward("00:31")
    expect(aid.locator("[data-hold-warning]")).to_be_visible()
    expect(aid.locator("[data-hold-clock]")).to_have_text("0:31")
    expect(page.locator("[data-announce]")).to_contain_text("langer dan 30 seconden")
    button.click()
    expect(button).to_have_attribute("aria-pressed", "false")
    expect(aid.locator("[data-aid-log]")).to_contain_text("0:31 om")
    expect(aid.locator("[data-aid-log]")).to_contain_text("(te lang)")

    checklist.row("2.4.1.a").locator('[data-action="phase"]').click()
    expect(checklist.row("2.4.1.a").locator("[data-aid-log]")).to_contain_text("Begonnen om")

    data = checklist.only_record()["data"]
    hold, phase = data["events"]
    assert hold["kind"] == "hold"
    assert hold["criterion"] == "2.4.2.c"
    assert hold["seconds"] == 31
    assert phase["kind"] == "phase"
    assert phase["criterion"] == "2.4.1.a"

    name, content = checklist.download("export-json", download_dir)
    exported = json.loads(content)
    assert exported["events"] == data["events"]
    # What the page exports, kcm_core accepts as it is.
    loaded = load_assessment(content, load_rubric(RUBRIC.read_text(encoding="utf-8")))
    assert [e.kind for e in loaded.events] == ["hold", "phase"]

    checklist.action("delete-all").click()
    checklist.answer_dialog("Alles verwijderen")
    checklist.import_file(name, content)
    expect(checklist.banner("import")).to_contain_text("1 nieuwe beoordeling")
    assert checklist.only_record()["data"] == data
    expect(hold_aid(checklist).locator("[data-aid-log]")).to_contain_text("(te lang)")


def test_undo_takes_back_the_last_tick(open_checklist: ChecklistFactory) -> None:
    checklist = open_checklist()
    undo = checklist.action("undo")
    expect(undo).to_be_disabled()
    checklist.tick("1.1.1.a")
    checklist.tick("1.1.1.b")
    expect(undo).to_be_enabled()
    undo.click()
    expect(checklist.checkbox("1.1.1.b")).not_to_be_checked()
    expect(checklist.checkbox("1.1.1.a")).to_be_checked()
    expect(checklist.page.locator("[data-announce]")).to_contain_text(
        "Ongedaan gemaakt: vinkje bij 1.1.1.b"
    )
    assert list(checklist.only_record()["data"]["criteria"]) == ["1.1.1.a"]


def test_a_new_assessment_starts_with_today_as_its_date(open_checklist: ChecklistFactory) -> None:
    checklist = open_checklist()
    expect(checklist.field("datum")).to_have_value(today(checklist))
    checklist.tick("1.1.1.a")
    assert checklist.only_record()["data"]["fields"]["datum"] == today(checklist)
    checklist.action("new-assessment").click()
    expect(checklist.field("datum")).to_have_value(today(checklist))


def test_the_assessor_name_is_remembered_across_a_new_assessment_and_a_reload(
    open_checklist: ChecklistFactory,
) -> None:
    checklist = open_checklist()
    name = checklist.field("beoordelaar")
    name.fill("A. Jansen")
    first = checklist.only_record()["data"]
    assert first["assessors"] == [{"name": "A. Jansen"}]

    checklist.action("new-assessment").click()
    expect(name).to_have_value("A. Jansen")
    checklist.tick("1.1.1.a")
    expect(checklist.list_items()).to_have_count(2)
    second = next(r["data"] for i, r in checklist.records().items() if i != first["id"])
    assert second["assessors"] == [{"name": "A. Jansen"}]

    checklist.reload()
    expect(name).to_have_value("A. Jansen")
    checklist.action("new-assessment").click()
    expect(name).to_have_value("A. Jansen")
