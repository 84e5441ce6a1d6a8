"""Two tabs on the same assessment never overwrite each other's newer change."""

from __future__ import annotations

import json

from _checklist import RECORD_PREFIX
from conftest import ChecklistFactory, ContextFactory
from playwright.sync_api import expect


def test_a_change_in_one_tab_shows_in_the_other(
    open_checklist: ChecklistFactory, new_context: ContextFactory
) -> None:
    context = new_context()
    first = open_checklist(context)
    first.fill_header(naam="Samen")
    first.tick("1.1.1.a")
    # A second tab of the same browser opens the same draft.
    second = open_checklist(context)
    expect(second.field("naam_kandidaat")).to_have_value("Samen")
    expect(second.checkbox("1.1.1.a")).to_be_checked()

    second.tick("2.1.1.a")
    expect(first.checkbox("2.1.1.a")).to_be_checked()
    first.tick("3.1.1.a")
    expect(second.checkbox("3.1.1.a")).to_be_checked()
    second.remark("1.1.1.a").fill("uit tab twee")
    expect(first.remark("1.1.1.a")).to_have_value("uit tab twee")

    criteria = first.only_record()["data"]["criteria"]
    assert criteria == {
        "1.1.1.a": {"checked": True, "remark": "uit tab twee"},
        "2.1.1.a": {"checked": True},
        "3.1.1.a": {"checked": True},
    }
    first.expect_verdicts("fail")
    expect(second.outcome("1")).to_contain_text("1 van 4")


def test_a_stale_tab_merges_its_change_onto_the_newer_record(
    open_checklist: ChecklistFactory,
) -> None:
    checklist = open_checklist()
    checklist.tick("1.1.1.a")
    record = checklist.only_record()
    assessment_id = record["data"]["id"]
    # Another tab saved a newer revision whose storage event has not arrived here yet: a write
    # from this page itself fires no storage event in this page, which is exactly that.
    newer = json.loads(json.dumps(record))
    newer["rev"] += 1
    newer["data"]["criteria"]["3.2.1.a"] = {"checked": True}
    checklist.page.evaluate(
        "([k, v]) => localStorage.setItem(k, v)", [RECORD_PREFIX + assessment_id, json.dumps(newer)]
    )

    checklist.tick("2.1.1.a")  # made on the stale copy
    expect(checklist.banner("conflict")).to_contain_text("Beide wijzigingen zijn bewaard")
    stored = checklist.only_record()
    assert stored["rev"] == newer["rev"] + 1
    assert set(stored["data"]["criteria"]) == {"1.1.1.a", "2.1.1.a", "3.2.1.a"}
    expect(checklist.checkbox("3.2.1.a")).to_be_checked()


def test_finalising_in_one_tab_locks_the_other(
    open_checklist: ChecklistFactory, new_context: ContextFactory
) -> None:
    context = new_context()
    first = open_checklist(context)
    first.fill_header(naam="Klaar")
    first.call_type("outbound").check()
    first.tick_all()
    second = open_checklist(context)
    expect(second.checkbox("1.1.1.a")).to_be_checked()

    first.action("finalize").click()
    first.answer_dialog("Afronden")
    expect(second.checkbox("1.1.1.a")).to_be_disabled()
    expect(second.page.locator("[data-lock-notice]")).to_contain_text("Afgerond op")
    assert second.only_record()["data"]["status"] == "final"


def test_deleting_in_one_tab_clears_it_in_the_other(
    open_checklist: ChecklistFactory, new_context: ContextFactory
) -> None:
    context = new_context()
    first = open_checklist(context, wait_engine=False)
    first.fill_header(naam="Weg")
    second = open_checklist(context, wait_engine=False)
    expect(second.field("naam_kandidaat")).to_have_value("Weg")
    first.list_items().first.locator('[data-action="delete"]').click()
    first.answer_dialog("Verwijderen")
    expect(second.banner("conflict")).to_contain_text("verwijderd")
    expect(second.field("naam_kandidaat")).to_have_value("")
    expect(second.list_items()).to_have_count(0)
    assert second.records() == {}
