"""A refused import changes nothing: localStorage stays byte for byte what it was.

kcm_core checks every file in the worker before anything is stored (the fuzzing of that check
is in tests/core/test_import_fuzz.py). Here the browser side: for each kind of bad file the
assessor sees why (with the place in the file, in words of the form, where there is one), and
not one key or value of the stored data changed. A collection with one bad record among good
ones imports the good ones, names the bad one, and touches no stored record. Also a good file
that no longer fits in storage: all or nothing.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from _offline_support import local_storage, open_checklist, serving, watch_context
from playwright.sync_api import Browser, FilePayload, Page, expect

from kcm_core.assessment import new_assessment
from kcm_core.model import Rubric
from kcm_core.rubric_load import load_rubric_file

pytestmark = pytest.mark.e2e

RUBRIC_PATH = Path(__file__).resolve().parents[2] / "rubric" / "klantcontact.json"
NOW = "2026-11-27T09:12:00Z"


def rubric() -> Rubric:
    return load_rubric_file(RUBRIC_PATH)


def assessment(assessment_id: str, name: str) -> dict[str, Any]:
    draft = new_assessment(rubric(), assessment_id, NOW)
    fields = {**draft.fields, "naam_kandidaat": name}
    data: dict[str, Any] = dataclasses.replace(draft, fields=fields).to_json_data()
    return data


def many(*items: dict[str, Any]) -> dict[str, Any]:
    return {"format": "kcm-assessments", "format_version": 1, "assessments": list(items)}


def broken_date() -> dict[str, Any]:
    data = assessment("import-b", "Tweede Import")
    data["fields"]["datum"] = "27-11-2026"
    return data


def other_rubric() -> dict[str, Any]:
    data = assessment("import-c", "Ander Formulier")
    data["rubric"] = {"id": "ander-examen", "version": "1.0.0"}
    return data


def wrong_hash() -> dict[str, Any]:
    data = assessment("import-d", "Andere Inhoud")
    data["rubric"]["sha256"] = "0" * 64
    return data


def polluted() -> str:
    text = json.dumps(assessment("import-e", "Proto"))
    return text.replace('"criteria": {}', '"criteria": {"__proto__": {"checked": true}}')


# (file content, the place the message must name in words, or None where the file has none)
BAD_FILES: dict[str, tuple[bytes, str | None]] = {
    "not-json": (b'{"format": "kcm-assessment", "id": ', None),
    "binary": (bytes(range(256)) * 8, None),
    "empty": (b"", None),
    "no-good-record": (
        json.dumps(many(broken_date(), other_rubric())).encode(),
        "Beoordeling 1 in het bestand, veld Datum",
    ),
    "empty-collection": (json.dumps(many()).encode(), "Lijst met beoordelingen"),
    "other-rubric": (json.dumps(other_rubric()).encode(), "Formulier"),
    "other-rubric-content": (json.dumps(wrong_hash()).encode(), "Formulier"),
    "prototype-key": (polluted().encode(), "'__proto__' is niet toegestaan"),
    "too-big": (b" " * (20 * 1024 * 1024 + 1), None),
}


@pytest.fixture(scope="module")
def site(site_dir: Path) -> Iterator[str]:
    with serving(site_dir) as server:
        yield server.url


@pytest.fixture
def page(browser: Browser, site: str) -> Iterator[Page]:
    """The checklist with two saved assessments, engine ready (it checks imports)."""
    context = browser.new_context()
    watch = watch_context(context, site)
    page = context.new_page()
    open_checklist(page, site)
    for name in ("Al Bewaard", "Ook Bewaard"):
        page.click('[data-action="new-assessment"]')
        page.fill('[data-field-id="naam_kandidaat"]', name)
        expect(page.locator("[data-save-status]")).to_have_attribute("data-save-state", "ok")
    yield page
    watch.assert_clean()
    context.close()


def choose_file(page: Page, name: str, content: bytes) -> None:
    payload = FilePayload(name=name, mimeType="application/json", buffer=content)
    page.set_input_files('input[type=file][data-action="import"]', files=[payload])


@pytest.mark.parametrize(("content", "path"), BAD_FILES.values(), ids=BAD_FILES.keys())
def test_refused_import_leaves_storage_byte_identical(
    page: Page, content: bytes, path: str | None
) -> None:
    before = local_storage(page)
    choose_file(page, "export.json", content)
    banner = page.locator('[data-banner="import"]')
    expect(banner).to_be_visible()
    expect(banner).to_contain_text("Niet ingelezen")
    expect(banner).to_contain_text("niets veranderd")
    if path is not None:
        expect(banner.locator(".kcm-problems li", has_text=path).first).to_be_visible()
    assert "$." not in banner.inner_text()
    assert local_storage(page) == before
    expect(page.locator("[data-assessment-id]")).to_have_count(2)
    assert page.evaluate("({}).checked === undefined && Object.prototype.checked === undefined")


def test_one_bad_record_among_good_ones_is_named_and_the_rest_imported(page: Page) -> None:
    before = local_storage(page)
    content = json.dumps(many(assessment("import-a", "Eerste Import"), broken_date())).encode()
    choose_file(page, "export.json", content)
    banner = page.locator('[data-banner="import"]')
    expect(banner).to_contain_text("Ingelezen: export.json")
    expect(banner).to_contain_text("1 nieuwe beoordeling, 1 niet ingelezen.")
    expect(banner.locator("li")).to_have_text(
        [
            "Beoordeling 2 in het bestand (id import-b): Veld Datum: ongeldige datum '27-11-2026':"
            " schrijf jjjj-mm-dd, bijvoorbeeld 2026-11-27, of laat het veld leeg."
        ]
    )
    assert "$." not in banner.inner_text()
    # The good record was added; every stored record is untouched.
    expect(page.locator('[data-assessment-id="import-a"]')).to_have_count(1)
    after = local_storage(page)
    assert set(before) <= set(after)
    assert all(after[k] == v for k, v in before.items() if ":assessment:" in k)
    expect(page.locator("[data-assessment-id]")).to_have_count(3)


def test_import_that_does_not_fit_in_storage_stores_nothing(page: Page) -> None:
    page.evaluate(
        """() => {
          let chunk = "x".repeat(1 << 20);
          for (let n = 0; chunk.length > 0; ) {
            try { localStorage.setItem("test-filler:" + n, chunk); n += 1; }
            catch (error) { chunk = chunk.slice(0, chunk.length >> 1); }
          }
        }"""
    )
    before = local_storage(page)
    good = many(*(assessment(f"past-niet-{i}", f"Kandidaat {i}") for i in range(5)))
    choose_file(page, "vijf.json", json.dumps(good).encode())
    banner = page.locator('[data-banner="import"]')
    expect(banner).to_contain_text("Niet geïmporteerd")
    expect(banner).to_contain_text("niets veranderd")
    assert local_storage(page) == before
