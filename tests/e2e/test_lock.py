"""The passphrase lock for shared devices, and the reminder to delete exported assessments.

With the lock on, nothing the page stores (localStorage, the IndexedDB mirror) holds a
candidate's name or birth date in readable form; only the passphrase opens the checklist, a
wrong one is refused with a message, export works once unlocked, and turning the lock off gives
everything back. A forgotten passphrase leaves one way: wiping the checklist's data.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from _checklist import Checklist, seed_local_storage
from conftest import ChecklistFactory
from playwright.sync_api import expect

pytestmark = pytest.mark.e2e

NAME = "Geheime Kandidaatnaam"
BIRTH_DATE = "1999-12-31"
PASSPHRASE = "paarse olifant op de fiets"

# Every value the origin's storage holds, as text: localStorage and the mirror in IndexedDB.
ALL_STORED_TEXT = """
async () => {
  const local = Object.keys(localStorage).map((k) => k + "=" + localStorage.getItem(k));
  const db = await new Promise((resolve, reject) => {
    const request = indexedDB.open("kcm");
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
  const names = Array.from(db.objectStoreNames);
  let mirrored = [];
  if (names.includes("records")) {
    mirrored = await new Promise((resolve) => {
      const request = db.transaction("records").objectStore("records").getAll();
      request.onsuccess = () => resolve(request.result);
    });
  }
  db.close();
  return { local: local.join("\\n"), mirrored: JSON.stringify(mirrored), count: mirrored.length };
}
"""


def saved(checklist: Checklist) -> None:
    expect(checklist.page.locator("[data-save-status]")).to_have_attribute("data-save-state", "ok")


def fill_candidate(checklist: Checklist) -> None:
    checklist.fill_header(naam=NAME, geboortedatum=BIRTH_DATE)
    checklist.call_type("inbound").check()
    checklist.tick("1.1.1.a")
    saved(checklist)


def security(checklist: Checklist) -> None:
    box = checklist.page.locator("[data-privacy]")
    if box.get_attribute("open") is None:
        box.locator("summary").click()


def turn_lock_on(checklist: Checklist, passphrase: str = PASSPHRASE) -> None:
    security(checklist)
    page = checklist.page
    page.locator("[data-lock-passphrase]").fill(passphrase)
    page.locator("[data-lock-repeat]").fill(passphrase)
    page.locator("[data-lock-understood]").check()
    with page.expect_navigation():
        checklist.action("lock-enable").click()
    expect(page.locator("[data-unlock]")).to_be_visible()


def unlock(checklist: Checklist, passphrase: str = PASSPHRASE) -> None:
    page = checklist.page
    page.locator("[data-unlock-passphrase]").fill(passphrase)
    page.locator("[data-unlock-submit]").click()


def test_locked_storage_holds_no_readable_personal_data_and_opens_only_with_the_passphrase(
    open_checklist: ChecklistFactory, download_dir: Path
) -> None:
    checklist = open_checklist(accept_downloads=True)
    page = checklist.page
    fill_candidate(checklist)
    before = page.evaluate(ALL_STORED_TEXT)
    assert NAME in before["local"], "the test's premise"
    assert NAME in before["mirrored"], "the test's premise"

    turn_lock_on(checklist)
    expect(page.locator("[data-assessment-form]")).to_be_hidden()
    stored = page.evaluate(ALL_STORED_TEXT)
    for secret in (NAME, BIRTH_DATE, "Kandidaatnaam"):
        assert secret not in stored["local"]
        assert secret not in stored["mirrored"]
    assert stored["count"] == 1, "the mirror still holds the record, encrypted"

    unlock(checklist, "paarse olifant op de fietS")
    expect(page.locator("[data-unlock-message]")).to_contain_text("klopt niet")
    expect(page.locator("[data-assessment-form]")).to_be_hidden()

    unlock(checklist)
    expect(page.locator("[data-unlock]")).to_be_hidden()
    expect(checklist.field("naam_kandidaat")).to_have_value(NAME)
    checklist.tick("1.1.1.b")
    saved(checklist)
    stored = page.evaluate(ALL_STORED_TEXT)
    assert NAME not in stored["local"]
    assert NAME not in stored["mirrored"]

    _name, body = checklist.download("export-json", download_dir)
    exported = json.loads(body)
    assert exported["fields"]["naam_kandidaat"] == NAME
    assert exported["criteria"]["1.1.1.b"] == {"checked": True}

    # "Nu vergrendelen": locked again, until the passphrase is typed.
    security(checklist)
    with page.expect_navigation():
        checklist.action("lock-now").click()
    expect(page.locator("[data-unlock]")).to_be_visible()
    unlock(checklist)
    expect(checklist.field("naam_kandidaat")).to_have_value(NAME)

    # Off again: everything is readable without a passphrase, nothing lost.
    security(checklist)
    checklist.action("lock-disable").click()
    with page.expect_navigation():
        checklist.answer_dialog("Uitzetten")
    expect(page.locator("[data-unlock]")).to_be_hidden()
    expect(checklist.field("naam_kandidaat")).to_have_value(NAME)
    record = checklist.only_record()
    assert record["data"]["criteria"]["1.1.1.b"] == {"checked": True}
    assert "kcm:v1:lock" not in checklist.storage()
    assert NAME in page.evaluate(ALL_STORED_TEXT)["mirrored"]


def test_a_forgotten_passphrase_leaves_only_wiping_everything(
    open_checklist: ChecklistFactory,
) -> None:
    checklist = open_checklist()
    page = checklist.page
    fill_candidate(checklist)
    turn_lock_on(checklist)
    checklist.action("forgot-passphrase").click()
    expect(checklist.dialog()).to_contain_text("niemand")
    with page.expect_navigation():
        checklist.answer_dialog("Alles wissen")
    expect(page.locator("[data-unlock]")).to_be_hidden()
    expect(checklist.list_items()).to_have_count(0)
    assert [k for k in checklist.storage() if k.startswith("kcm:")] == []
    assert page.evaluate(ALL_STORED_TEXT)["count"] == 0


@pytest.mark.parametrize(
    ("passphrase", "repeated", "understood", "message"),
    [
        ("kort", "kort", True, "minstens 10 tekens"),
        (PASSPHRASE, PASSPHRASE + "!", True, "niet hetzelfde"),
        (PASSPHRASE, PASSPHRASE, False, "Vink aan"),
    ],
)
def test_the_lock_is_not_turned_on_without_a_good_passphrase_and_the_warning_ticked(
    open_checklist: ChecklistFactory,
    passphrase: str,
    repeated: str,
    understood: bool,
    message: str,
) -> None:
    checklist = open_checklist(wait_engine=False)
    page = checklist.page
    security(checklist)
    page.locator("[data-lock-passphrase]").fill(passphrase)
    page.locator("[data-lock-repeat]").fill(repeated)
    if understood:
        page.locator("[data-lock-understood]").check()
    checklist.action("lock-enable").click()
    expect(page.locator("[data-lock-message]")).to_contain_text(message)
    assert "kcm:v1:lock" not in checklist.storage()


def test_the_reminder_offers_to_delete_assessments_exported_long_ago(
    open_checklist: ChecklistFactory,
) -> None:
    checklist = open_checklist(wait_engine=False)
    page = checklist.page
    fill_candidate(checklist)
    record = checklist.only_record()
    record_id = record["data"]["id"]
    ten_days_ago = (datetime.now(UTC) - timedelta(days=10)).isoformat().replace("+00:00", "Z")
    record["saved_at"] = (datetime.now(UTC) - timedelta(days=11)).isoformat().replace("+00:00", "Z")
    seed_local_storage(
        page,
        {
            f"kcm:v1:assessment:{record_id}": json.dumps(record),
            "kcm:v1:exported": json.dumps({"schema": 1, "at": {record_id: ten_days_ago}}),
        },
        clear=False,
    )
    checklist.reload(wait_engine=False)
    expect(checklist.banner("reminder")).to_have_count(0)

    security(checklist)
    page.locator("[data-reminder-days]").select_option("7")
    expect(page.locator("[data-reminder-message]")).to_contain_text("Opgeslagen")
    banner = checklist.banner("reminder")
    expect(banner).to_contain_text("meer dan 7 dagen geleden geëxporteerd")
    expect(banner).to_contain_text(NAME)
    banner.locator('[data-action="reminder-delete"]').click()
    checklist.answer_dialog("Verwijderen")
    expect(checklist.list_items()).to_have_count(0)
    assert checklist.records() == {}

    # The choice stays on this device.
    checklist.reload(wait_engine=False)
    expect(page.locator("[data-reminder-days]")).to_have_value("7")


def test_delete_all_while_locked_removes_the_lock_too(open_checklist: ChecklistFactory) -> None:
    checklist = open_checklist(wait_engine=False)
    page = checklist.page
    fill_candidate(checklist)
    turn_lock_on(checklist)
    unlock(checklist)
    expect(checklist.field("naam_kandidaat")).to_have_value(NAME)
    checklist.action("delete-all").click()
    with page.expect_navigation():
        checklist.answer_dialog("Alles verwijderen")
    expect(page.locator("[data-unlock]")).to_be_hidden()
    expect(checklist.list_items()).to_have_count(0)
    assert [k for k in checklist.storage() if k.startswith("kcm:")] == []
