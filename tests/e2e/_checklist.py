"""Driving the checklist page like an assessor, and reading what it stored.

Selectors are the page's contract (ARCHITECTURE.md §6); nothing here reaches into the scripts'
internals. localStorage is read through page.evaluate (it runs outside the page's CSP).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from playwright.sync_api import FilePayload, Locator, Page, expect

ENGINE_TIMEOUT_MS = 90_000
# The actions under "Gegevens beheren", which folds away on a phone.
DATA_ACTIONS = frozenset({"export-all-json", "export-all-csv", "delete-all"})
RECORD_PREFIX = "kcm:v1:assessment:"


def local_storage(page: Page) -> dict[str, str]:
    """Everything in the page's localStorage."""
    data: dict[str, str] = page.evaluate(
        "() => Object.fromEntries("
        "Object.keys(localStorage).map((k) => [k, localStorage.getItem(k)]))"
    )
    return data


def seed_local_storage(page: Page, items: dict[str, str], *, clear: bool = True) -> None:
    """Put raw values into localStorage of the page's origin (call before opening the app)."""
    page.evaluate(
        """([items, clear]) => {
            if (clear) localStorage.clear();
            for (const [k, v] of Object.entries(items)) localStorage.setItem(k, v);
        }""",
        [items, clear],
    )


def envelope(data: dict[str, Any], rev: int = 1, saved_at: str = "2026-11-27T09:00:00Z") -> str:
    return json.dumps({"schema": 1, "rev": rev, "saved_at": saved_at, "data": data})


class Checklist:
    """One tab with the checklist open."""

    def __init__(self, page: Page, url: str) -> None:
        self.page = page
        self.url = url

    # -- page and engine ------------------------------------------------------------------

    def open(self, *, wait_engine: bool = True) -> None:
        self.page.goto(self.url)
        expect(self.page.locator("[data-kcm-app]")).to_be_visible()
        if wait_engine:
            self.wait_engine("ready")

    def reload(self, *, wait_engine: bool = True) -> None:
        self.page.reload()
        if wait_engine:
            self.wait_engine("ready")

    def wait_engine(self, state: str = "ready") -> None:
        # A locator wait, not wait_for_function: the page's CSP forbids eval.
        self.page.locator(f"html[data-engine={state}]").wait_for(
            state="attached", timeout=ENGINE_TIMEOUT_MS
        )

    @property
    def engine_state(self) -> str | None:
        return self.page.locator("html").get_attribute("data-engine")

    # -- controls ---------------------------------------------------------------------------

    def row(self, criterion_id: str) -> Locator:
        return self.page.locator(f'[data-criterion-id="{criterion_id}"]')

    def checkbox(self, criterion_id: str) -> Locator:
        return self.row(criterion_id).locator('[data-role="checked"]')

    def tick(self, criterion_id: str, on: bool = True) -> None:
        box = self.checkbox(criterion_id)
        if on:
            box.check()
        else:
            box.uncheck()

    def tick_all(self, *, except_ids: tuple[str, ...] = ()) -> None:
        for box in self.page.locator('[data-role="checked"]').all():
            row_id = box.locator("xpath=ancestor::li[@data-criterion-id][1]").get_attribute(
                "data-criterion-id"
            )
            if row_id not in except_ids:
                box.check()

    def field(self, field_id: str) -> Locator:
        return self.page.locator(f'[data-field-id="{field_id}"]')

    def fill_header(
        self,
        *,
        bedrijf: str = "Bel & Co",
        naam: str = "Jan de Vries",
        datum: str = "2026-11-27",
        geboortedatum: str = "2001-05-04",
        beoordelaar: str = "A. Jansen",
    ) -> None:
        self.field("bedrijf").fill(bedrijf)
        self.field("naam_kandidaat").fill(naam)
        self.field("datum").fill(datum)
        self.field("geboortedatum_kandidaat").fill(geboortedatum)
        # Finalising needs the assessor's name (the exam record says who assessed).
        self.field("beoordelaar").fill(beoordelaar)

    def call_type(self, option: str) -> Locator:
        return self.page.locator(f'input[data-condition-id="gesprekstype"][value="{option}"]')

    def action(self, name: str) -> Locator:
        """The control of an action; one of "Gegevens beheren" is unfolded first (on a phone it
        is folded away, as an assessor finds it)."""
        if name in DATA_ACTIONS:
            self.show_data()
        return self.page.locator(f'[data-action="{name}"]')

    def show_data(self) -> None:
        """Unfold "Gegevens beheren" (folded on a phone)."""
        toggle = self.page.locator('[data-action="toggle-data"]')
        if toggle.get_attribute("aria-expanded") == "false":
            toggle.click()

    def eindterm_remark(self, eindterm_id: str) -> Locator:
        """The Eindterm's remark field, unfolded first when it is folded away (on a phone an
        empty one sits behind the button beside the Eindterm's result)."""
        toggle = self.page.locator(f'#kcm-eindterm-{eindterm_id} [data-action="eindterm-remark"]')
        if toggle.is_visible() and toggle.get_attribute("aria-expanded") == "false":
            toggle.click()
        return self.page.locator(f'textarea[data-remark-id="{eindterm_id}"]')

    def remark(self, criterion_id: str) -> Locator:
        """The criterion's remark field, unfolded first when it is folded away (on a phone a
        remark without text sits behind its row's button, as an assessor finds it)."""
        toggle = self.row(criterion_id).locator('[data-action="remark"]')
        if toggle.is_visible() and toggle.get_attribute("aria-expanded") == "false":
            toggle.click()
        return self.row(criterion_id).locator('[data-role="remark"]')

    # -- results ----------------------------------------------------------------------------

    def outcome(self, eindterm_id: str) -> Locator:
        return self.page.locator(f'[data-outcome-id="{eindterm_id}"]')

    def overall(self) -> Locator:
        return self.page.locator('[data-result="overall"]')

    def expect_verdicts(self, overall: str, **eindtermen: str) -> None:
        """expect_verdicts("fail", et1="pass", et2="fail")"""
        for key, verdict in eindtermen.items():
            expect(self.outcome(key.removeprefix("et"))).to_have_attribute("data-verdict", verdict)
        expect(self.overall()).to_have_attribute("data-verdict", overall)

    # -- list, dialog, banners ----------------------------------------------------------------

    def show_list(self) -> None:
        """Unfold the list of saved assessments (folded on a phone while one is open)."""
        toggle = self.page.locator('[data-action="toggle-list"]')
        if toggle.get_attribute("aria-expanded") == "false":
            toggle.click()

    def list_items(self) -> Locator:
        self.show_list()
        return self.page.locator("[data-assessment-id]")

    def list_item(self, assessment_id: str) -> Locator:
        self.show_list()
        return self.page.locator(f'[data-assessment-id="{assessment_id}"]')

    def dialog(self) -> Locator:
        return self.page.locator("dialog[data-dialog]")

    def answer_dialog(self, button: str) -> None:
        dialog = self.dialog()
        expect(dialog).to_be_visible()
        dialog.get_by_role("button", name=button, exact=True).click()
        expect(dialog).to_be_hidden()

    def banner(self, topic: str) -> Locator:
        return self.page.locator(f'[data-banner="{topic}"]')

    # -- storage ------------------------------------------------------------------------------

    def storage(self) -> dict[str, str]:
        return local_storage(self.page)

    def records(self) -> dict[str, dict[str, Any]]:
        """Stored envelopes by assessment id."""
        return {
            key.removeprefix(RECORD_PREFIX): json.loads(value)
            for key, value in self.storage().items()
            if key.startswith(RECORD_PREFIX)
        }

    def only_record(self) -> dict[str, Any]:
        records = self.records()
        assert len(records) == 1, f"expected one stored assessment, found {sorted(records)}"
        return next(iter(records.values()))

    # -- files ----------------------------------------------------------------------------------

    def download(self, action: str, folder: Path) -> tuple[str, bytes]:
        """Click an export action; return the suggested file name and the file's bytes."""
        with self.page.expect_download() as info:
            self.action(action).click()
        download = info.value
        target = folder / download.suggested_filename
        download.save_as(target)
        return download.suggested_filename, target.read_bytes()

    def import_file(self, name: str, content: bytes | str) -> None:
        data = content.encode("utf-8") if isinstance(content, str) else content
        payload: FilePayload = {"name": name, "mimeType": "application/json", "buffer": data}
        self.page.locator('input[type=file][data-action="import"]').set_input_files(files=[payload])
