"""The assessments list with many stored: the newest at first, the rest one click or a name away.

Rendering hundreds of items would cost more than the rest of the page (bench: "1,000 stored
assessments"), so the list shows the newest (``limits.listLimit`` of the rubric data block) and
offers "Toon alle" and a search by the candidate's name.
"""

from __future__ import annotations

import json
from typing import Any

from _checklist import Checklist, envelope, seed_local_storage
from conftest import PageFactory, SiteServer
from playwright.sync_api import expect

STORED = 60
LIMIT = 50
# A name with an accent, found by typing it without one.
NAMES = ["Fátima Yilmaz" if n == 7 else f"Kandidaat {n:02d}" for n in range(STORED)]


def stored(number: int) -> dict[str, Any]:
    day = f"2026-10-{1 + number % 28:02d}"
    return {
        "format": "kcm-assessment",
        "format_version": 1,
        "id": f"a{number:02d}",
        "rubric": {"id": "klantcontact", "version": "1.0.0"},
        "fields": {
            "bedrijf": "",
            "naam_kandidaat": NAMES[number],
            "datum": day,
            "geboortedatum_kandidaat": "",
        },
        "conditions": {"gesprekstype": []},
        "criteria": {},
        "remarks": {},
        # Final: the page then opens none of them by itself, and the list holds only these.
        "status": "final",
        "created": f"{day}T09:00:00Z",
        "updated": f"{day}T10:00:00Z",
        "finalized": f"{day}T10:00:00Z",
        "history": [{"at": f"{day}T10:00:00Z", "action": "finalized"}],
    }


def open_with_stored(new_page: PageFactory, server: SiteServer, count: int) -> Checklist:
    page = new_page()
    page.goto(server.url(""))
    items = {f"kcm:v1:assessment:a{n:02d}": envelope(stored(n)) for n in range(count)}
    # The index lists the newest first, as store.js keeps it.
    ids = [f"a{n:02d}" for n in reversed(range(count))]
    items["kcm:v1:index"] = json.dumps({"schema": 1, "ids": ids})
    seed_local_storage(page, items)
    checklist = Checklist(page, server.url("checklist/"))
    checklist.open(wait_engine=False)
    return checklist


def shown_ids(checklist: Checklist) -> list[str]:
    return [str(item.get_attribute("data-assessment-id")) for item in checklist.list_items().all()]


def test_many_stored_the_newest_are_listed_and_the_rest_on_request(
    new_page: PageFactory, site_server: SiteServer
) -> None:
    checklist = open_with_stored(new_page, site_server, STORED)
    page = checklist.page
    expect(checklist.list_items()).to_have_count(LIMIT)
    assert shown_ids(checklist) == [f"a{n:02d}" for n in reversed(range(STORED))][:LIMIT]
    expect(page.locator("[data-assessment-list]")).to_have_attribute("data-list-total", str(STORED))
    expect(page.locator("[data-list-count]")).to_contain_text(f"50 nieuwste van de {STORED}")

    show_all = checklist.action("show-all")
    expect(show_all).to_have_text(f"Toon alle ({STORED})")
    show_all.click()
    expect(checklist.list_items()).to_have_count(STORED)
    expect(show_all).to_be_hidden()
    # An old one, listed only now, opens like any other.
    checklist.list_item("a00").locator('[data-action="open"]').click()
    expect(checklist.field("naam_kandidaat")).to_have_value("Kandidaat 00")


def test_many_stored_a_name_finds_any_of_them_accents_or_not(
    new_page: PageFactory, site_server: SiteServer
) -> None:
    checklist = open_with_stored(new_page, site_server, STORED)
    search = checklist.page.get_by_label("Zoek op naam van de kandidaat")
    expect(search).to_be_visible()
    # a07 is older than the 50 listed at first.
    search.fill("fatima")
    expect(checklist.list_items()).to_have_count(1)
    expect(checklist.list_item("a07")).to_contain_text("Fátima Yilmaz")
    expect(checklist.page.locator("[data-list-count]")).to_have_text("1 beoordeling gevonden.")

    search.fill("niemand")
    expect(checklist.list_items()).to_have_count(0)
    expect(checklist.page.locator("[data-list-count]")).to_contain_text("Geen beoordeling")

    search.fill("")
    expect(checklist.list_items()).to_have_count(LIMIT)


def test_few_stored_all_are_listed_without_search_or_more(
    new_page: PageFactory, site_server: SiteServer
) -> None:
    checklist = open_with_stored(new_page, site_server, 3)
    expect(checklist.list_items()).to_have_count(3)
    expect(checklist.page.locator("[data-list-tools]")).to_be_hidden()
    expect(checklist.action("show-all")).to_be_hidden()
