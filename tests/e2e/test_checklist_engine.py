"""When the scoring engine cannot run, the page says so in Dutch and everything else keeps
working: ticking, saving, exporting, printing."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from _checklist import Checklist
from conftest import PageFactory, Recorder
from playwright.sync_api import Page, Route, expect


def assert_still_usable(checklist: Checklist, download_dir: Path) -> None:
    checklist.field("naam_kandidaat").fill("Zonder Engine")
    checklist.tick("1.1.1.a")
    record = checklist.only_record()
    assert record["data"]["criteria"] == {"1.1.1.a": {"checked": True}}
    expect(checklist.page.locator("[data-save-status]")).to_contain_text("Opgeslagen")
    expect(checklist.overall()).not_to_have_attribute("data-verdict", "fail")
    expect(checklist.overall()).to_contain_text("niet beschikbaar")
    name, content = checklist.download("export-json", download_dir)
    assert b"Zonder Engine" in content
    checklist.import_file(name, content)
    expect(checklist.banner("import")).to_contain_text("werkt niet in deze browser")
    checklist.action("finalize").click()
    expect(checklist.banner("finalize")).to_contain_text("afronden kan hier niet")
    assert checklist.only_record()["data"]["status"] == "draft"


def abort(route: Route) -> None:
    route.abort()


ENGINE_FAILURES: list[tuple[str, Callable[[Page], object], str]] = [
    (
        "engine-files-missing",
        lambda page: page.route("**/engine/**", abort),
        "konden niet geladen worden",
    ),
    (
        "worker-cannot-start",
        lambda page: page.route("**/assets/kcm/worker.js", abort),
        "kon niet starten",
    ),
    (
        "no-webassembly",
        lambda page: page.add_init_script(script="delete globalThis.WebAssembly;"),
        "geen WebAssembly",
    ),
]


@pytest.mark.parametrize(
    ("case", "breakage", "message"), ENGINE_FAILURES, ids=[c[0] for c in ENGINE_FAILURES]
)
def test_engine_failure_is_explained_and_the_rest_keeps_working(
    new_page: PageFactory,
    site_server_url: str,
    download_dir: Path,
    case: str,
    breakage: Callable[[Page], object],
    message: str,
) -> None:
    page = new_page()
    breakage(page)
    checklist = Checklist(page, site_server_url)
    checklist.open(wait_engine=False)
    checklist.wait_engine("error")
    status = page.locator("[data-engine-status]")
    expect(status).to_have_attribute("role", "alert")
    expect(status).to_contain_text("De uitslag kan nu niet berekend worden")
    expect(status).to_contain_text(message)
    expect(status).to_contain_text("aanvinken, opslaan, exporteren en afdrukken werken wel")
    assert_still_usable(checklist, download_dir)


def test_retry_after_a_failed_load(new_page: PageFactory, site_server_url: str) -> None:
    page = new_page()
    page.route("**/engine/**", abort)
    checklist = Checklist(page, site_server_url)
    checklist.open(wait_engine=False)
    checklist.wait_engine("error")
    checklist.tick("1.1.1.a")
    page.unroute("**/engine/**")
    page.locator('[data-action="engine-retry"]').click()
    checklist.wait_engine("ready")
    checklist.expect_verdicts("fail", et1="fail")
    expect(checklist.outcome("1")).to_contain_text("1 van 4")


def test_opened_from_a_file_it_still_saves_and_says_why_there_is_no_verdict(
    new_page: PageFactory, site_dir: Path, download_dir: Path, recorder: Recorder
) -> None:
    # Material's search index cannot load from file:// either; that is the theme's, not ours.
    recorder.expected_errors.append("search/search_index.js")
    page = new_page()
    checklist = Checklist(page, (site_dir / "checklist" / "index.html").as_uri())
    checklist.open(wait_engine=False)
    checklist.wait_engine("error")
    expect(page.locator("[data-engine-status]")).to_contain_text("file://")
    assert_still_usable(checklist, download_dir)
    page.reload()
    expect(checklist.checkbox("1.1.1.a")).to_be_checked()


@pytest.fixture
def site_server_url(site_server: object) -> str:
    url: str = site_server.url("checklist/")  # type: ignore[attr-defined]
    return url


def engine_json_requests(page: Page) -> list[str]:
    # Page-level request events include the requests of the page's dedicated workers.
    seen: list[str] = []
    page.on("request", lambda r: seen.append(r.url) if r.url.endswith("/engine.json") else None)
    return seen


def test_engine_starts_from_the_manifest_in_the_page(
    new_page: PageFactory, site_server_url: str
) -> None:
    # The build writes engine.json's content into the checklist page: one request less before
    # Pyodide's own (build_tools.checklist_tags.head_tags, from the engine built before the pages).
    page = new_page()
    requested = engine_json_requests(page)
    checklist = Checklist(page, site_server_url)
    checklist.open()
    checklist.tick("1.1.1.a")
    checklist.expect_verdicts("fail", et1="fail")
    assert requested == []


def test_an_unreadable_manifest_in_the_page_means_fetching_engine_json(
    new_page: PageFactory, site_server_url: str
) -> None:
    page = new_page()
    requested = engine_json_requests(page)

    def damage(route: Route) -> None:
        response = route.fetch()
        body = response.text()
        damaged = body.replace('data-engine-manifest="{', 'data-engine-manifest="{kapot', 1)
        assert damaged != body
        route.fulfill(response=response, body=damaged)

    page.route("**/checklist/", damage)
    checklist = Checklist(page, site_server_url)
    checklist.open()
    checklist.tick("1.1.1.a")
    checklist.expect_verdicts("fail", et1="fail")
    assert [url.rsplit("/", 2)[-2:] for url in requested] == [["engine", "engine.json"]]
