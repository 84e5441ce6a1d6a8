"""Storage that fails or holds something unexpected: shown, never reported as saved, nothing
deleted silently, nothing re-mapped."""

from __future__ import annotations

import copy
import json
import re
from pathlib import Path
from typing import Any

from _checklist import Checklist, envelope, seed_local_storage
from conftest import PageFactory, SiteServer
from playwright.sync_api import Page, expect

# setItem fails like a full localStorage (QuotaExceededError, nothing written) while
# window.kcmTestFull is true; only for assessment records, so the start-up probe passes.
QUOTA_SCRIPT = """
(() => {
  const original = Storage.prototype.setItem;
  Storage.prototype.setItem = function (key, value) {
    if (window.kcmTestFull && String(key).startsWith("kcm:v1:assessment:")) {
      throw new DOMException("The quota has been exceeded.", "QuotaExceededError");
    }
    return original.call(this, key, value);
  };
})();
"""

# Old Safari private mode: every write fails.
NO_WRITES_SCRIPT = """
Storage.prototype.setItem = function () {
  throw new DOMException("The operation is insecure.", "SecurityError");
};
"""


def open_with(page: Page, server: SiteServer, *, wait_engine: bool = False) -> Checklist:
    checklist = Checklist(page, server.url("checklist/"))
    checklist.open(wait_engine=wait_engine)
    return checklist


def test_a_failed_write_is_shown_and_never_reported_as_saved(
    new_page: PageFactory, site_server: SiteServer, download_dir: Path
) -> None:
    page = new_page()
    page.add_init_script(script=QUOTA_SCRIPT)
    checklist = open_with(page, site_server)
    checklist.tick("1.1.1.a")
    expect(page.locator("[data-save-status]")).to_contain_text("Opgeslagen")

    page.evaluate("() => { window.kcmTestFull = true; }")
    checklist.tick("1.1.1.b")
    banner = checklist.banner("save-failed")
    expect(banner).to_have_attribute("role", "alert")
    expect(banner).to_contain_text("Niet opgeslagen")
    expect(banner).to_contain_text("opslagruimte van de browser is vol")
    expect(page.locator("[data-save-status]")).to_contain_text("NIET opgeslagen")
    assert set(checklist.only_record()["data"]["criteria"]) == {"1.1.1.a"}

    # "Exporteer nu" saves what is on screen, including the change storage refused.
    with page.expect_download() as info:
        banner.get_by_role("button", name="Exporteer nu").click()
    exported = json.loads(Path(info.value.path()).read_text(encoding="utf-8"))
    assert set(exported["criteria"]) == {"1.1.1.a", "1.1.1.b"}

    # Space again; leaving the page (visibilitychange) writes what was not saved.
    page.evaluate(
        """() => {
            window.kcmTestFull = false;
            Object.defineProperty(
              document, "visibilityState", { value: "hidden", configurable: true });
            document.dispatchEvent(new Event("visibilitychange"));
        }"""
    )
    expect(banner).to_have_count(0)
    assert set(checklist.only_record()["data"]["criteria"]) == {"1.1.1.a", "1.1.1.b"}


def test_a_browser_that_cannot_store_anything_says_so_at_once(
    new_page: PageFactory, site_server: SiteServer, download_dir: Path
) -> None:
    page = new_page()
    page.add_init_script(script=NO_WRITES_SCRIPT)
    checklist = open_with(page, site_server)
    banner = checklist.banner("storage")
    expect(banner).to_contain_text("Opslaan werkt niet in deze browser")
    expect(banner).to_contain_text("privévenster")
    checklist.tick("1.1.1.a")
    expect(page.locator("[data-save-status]")).to_contain_text("NIET opgeslagen")
    with page.expect_download() as info:
        banner.get_by_role("button", name="Exporteer nu").click()
    exported = json.loads(Path(info.value.path()).read_text(encoding="utf-8"))
    assert exported["criteria"] == {"1.1.1.a": {"checked": True}}


def test_lasting_storage_is_asked_at_the_first_save_and_the_answer_shown(
    new_page: PageFactory, site_server: SiteServer
) -> None:
    checklist = open_with(new_page(), site_server)
    info = checklist.page.locator("[data-storage-info]")
    expect(info).to_have_text("")
    checklist.tick("1.1.1.a")
    expect(info).to_contain_text("Blijvend bewaren:")
    # Chromium decides by its own rules; either answer must be shown.
    expect(info).to_have_attribute("data-persisted", re.compile(r"^(true|false)$"))


def seed(page: Page, server: SiteServer, items: dict[str, str]) -> None:
    page.goto(server.url(""))
    seed_local_storage(page, items)


def stored_assessment(assessment_id: str, **changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "format": "kcm-assessment",
        "format_version": 1,
        "id": assessment_id,
        "rubric": {"id": "klantcontact", "version": "1.0.0"},
        "fields": {
            "bedrijf": "",
            "naam_kandidaat": "Bewaard",
            "datum": "2026-11-20",
            "geboortedatum_kandidaat": "",
        },
        "conditions": {"gesprekstype": []},
        "criteria": {"1.1.1.a": {"checked": True}},
        "remarks": {},
        "status": "draft",
        "created": "2026-11-20T09:00:00Z",
        "updated": "2026-11-20T09:00:00Z",
        "finalized": None,
        "history": [],
    }
    data.update(copy.deepcopy(changes))
    return data


def test_an_unreadable_record_is_kept_aside_and_reported(
    new_page: PageFactory, site_server: SiteServer, download_dir: Path
) -> None:
    page = new_page()
    broken = '{"schema":1,"rev":3,"saved_at":"2026-11-20T09:00:00Z","data":{"id":"kapot","fie'
    seed(
        page,
        site_server,
        {
            "kcm:v1:assessment:goed": envelope(stored_assessment("goed")),
            "kcm:v1:assessment:kapot": broken,
        },
    )
    checklist = open_with(page, site_server)
    banner = checklist.banner("quarantine")
    expect(banner).to_contain_text("onleesbaar")
    expect(banner).to_contain_text("kcm:v1:assessment:kapot")
    expect(checklist.list_items()).to_have_count(1)
    expect(checklist.field("naam_kandidaat")).to_have_value("Bewaard")
    storage = checklist.storage()
    assert "kcm:v1:assessment:kapot" not in storage
    aside = json.loads(storage["kcm:v1:quarantine:kapot"])
    assert aside["raw"] == broken

    with page.expect_download() as info:
        banner.get_by_role("button", name="Download apart gezette gegevens").click()
    assert (
        broken in json.loads(Path(info.value.path()).read_text(encoding="utf-8"))["items"][0]["raw"]
    )

    banner.get_by_role("button", name="Apart gezette gegevens verwijderen").click()
    checklist.answer_dialog("Annuleren")
    assert "kcm:v1:quarantine:kapot" in checklist.storage()
    banner.get_by_role("button", name="Apart gezette gegevens verwijderen").click()
    checklist.answer_dialog("Verwijderen")
    assert "kcm:v1:quarantine:kapot" not in checklist.storage()
    expect(checklist.banner("quarantine")).to_have_count(0)


def test_an_assessment_of_another_rubric_version_opens_read_only_and_unchanged(
    new_page: PageFactory, site_server: SiteServer, download_dir: Path
) -> None:
    page = new_page()
    old = stored_assessment(
        "oud",
        rubric={"id": "klantcontact", "version": "0.9.0", "sha256": "1" * 64},
        criteria={"9.1.1.a": {"checked": True, "remark": "oud criterium"}},
    )
    seed(page, site_server, {"kcm:v1:assessment:oud": envelope(old, rev=4)})
    checklist = open_with(page, site_server, wait_engine=True)
    before = checklist.storage()
    # Not opened by itself: the empty form is this rubric's.
    expect(checklist.field("naam_kandidaat")).to_have_value("")
    item = checklist.list_item("oud")
    expect(item.locator("[data-list-rubric]")).to_have_text("Onbekende versie 0.9.0")

    item.locator('[data-action="open"]').click()
    notice = page.locator("[data-lock-notice]")
    expect(notice).to_contain_text("gemaakt met versie 0.9.0 van het formulier")
    expect(notice).to_contain_text("Die versie staat niet op deze site")
    expect(page.locator("[data-lock]")).to_be_hidden()
    expect(checklist.action("finalize")).to_be_hidden()
    expect(page.locator("[data-foreign]")).to_contain_text("9.1.1.a: gecheckt (oud criterium)")
    assert checklist.storage() == before, "opening must not re-map or rewrite it"

    _, content = checklist.download("export-json", download_dir)
    assert json.loads(content) == old
