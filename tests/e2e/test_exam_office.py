"""The exam office's page ("Examenbureau", issue 14): on the same files it shows the numbers of
`kcm report`'s index.html and offers its CSV files byte for byte; a record or file that does not
count is named with its reason; it works at phone width, and offline after one visit."""

from __future__ import annotations

import copy
import json
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from _checklist import ENGINE_TIMEOUT_MS
from _offline_support import wait_for_offline_ready
from conftest import PageFactory, SiteServer
from playwright.sync_api import FilePayload, Page, expect

from bench.exam_office import joint_record
from kcm_core.assessment_load import load_assessment_data
from kcm_core.cli import main as kcm
from kcm_core.rubric_load import load_rubric_file
from kcm_core.seal import seal_record

pytestmark = pytest.mark.e2e

KCM_RUBRIC = Path(__file__).resolve().parents[2] / "rubric" / "klantcontact.json"
RUBRIC = load_rubric_file(KCM_RUBRIC)
NOW = "2026-11-27T09:12:00Z"
LATER = "2026-11-27T10:30:00Z"
# kcm_core reads many files in the worker: more than one engine start.
REPORT_TIMEOUT_MS = ENGINE_TIMEOUT_MS + 60_000

Table = tuple[str, list[list[str]]]


# ------------------------------------------------------------------------------------------
# Records, made and sealed by kcm_core as the checklist does


def record(
    record_id: str,
    assessor: str,
    name: str,
    missing: tuple[str, ...] = (),
    *,
    datum: str = "2026-11-27",
    status: str = "final",
) -> dict[str, Any]:
    """A record by ``assessor``: every criterion ticked but ``missing``."""
    final = status == "final"
    return {
        "format": "kcm-assessment",
        "format_version": 1,
        "id": record_id,
        "rubric": {"id": RUBRIC.id, "version": RUBRIC.version},
        "fields": {
            "bedrijf": "Belcentrum Noord",
            "naam_kandidaat": name,
            "datum": datum,
            "geboortedatum_kandidaat": "2001-05-04",
        },
        "conditions": {"gesprekstype": ["inbound"]},
        "criteria": {c: {"checked": True} for c in RUBRIC.criterion_ids() if c not in missing},
        "remarks": {},
        "status": status,
        "created": NOW,
        "updated": LATER,
        "finalized": LATER if final else None,
        "history": [{"at": LATER, "action": "finalized"}] if final else [],
        "assessors": [{"name": assessor}],
    }


def sealed(*args: Any, **kwargs: Any) -> dict[str, Any]:
    """``record`` finalised and sealed, as the checklist does."""
    return seal_record(load_assessment_data(record(*args, **kwargs), RUBRIC), RUBRIC)


def joint(a: dict[str, Any], b: dict[str, Any], joint_id: str) -> dict[str, Any]:
    """The two assessors' sealed joint record: every difference decided, with a reason."""
    return joint_record(RUBRIC, a, b, joint_id, at=LATER)


def collection(*records: dict[str, Any]) -> dict[str, Any]:
    return {"format": "kcm-assessments", "format_version": 1, "assessments": list(records)}


def changed(record: dict[str, Any]) -> dict[str, Any]:
    """A sealed record with a tick taken away afterwards: its seal no longer matches."""
    data = copy.deepcopy(record)
    data["criteria"]["2.2.1.e"] = {"checked": False}
    return data


def exports() -> dict[str, str]:
    """An exam office's folder: two assessors' exports with pairs and a joint record, a draft,
    a changed record and a file that is no JSON."""
    a1 = sealed("a1", "A. Jansen", "Sanne de Vries", ("2.2.1.e",))
    b1 = sealed("b1", "B. Bakker", "Sanne de Vries", ("1.1.1.a", "3.1.1.a"))
    a2 = sealed("a2", "A. Jansen", "Piet Pijl", ("2.4.2.a",))
    b2 = sealed("b2", "B. Bakker", "Piet Pijl")
    a3 = sealed("a3", "A. Jansen", "Ayse Yilmaz", datum="2026-10-30")
    draft = record("d1", "A. Jansen", "Jan Jansen", status="draft")
    files = {
        "jansen.json": collection(a1, a2, a3),
        "bakker.json": collection(b1, b2),
        "samen.json": joint(a1, b1, "j1"),
        "concept.json": draft,
        "veranderd.json": changed(sealed("c1", "B. Bakker", "Mo Bakr")),
    }
    texts = {name: json.dumps(data, ensure_ascii=False) for name, data in files.items()}
    texts["kapot.json"] = '{"format": "kcm-assessment", '
    return texts


# ------------------------------------------------------------------------------------------
# The page and the CLI's page, read as tables


class _Tables(HTMLParser):
    """Every table of an HTML page: its caption and its rows of cell texts."""

    def __init__(self) -> None:
        super().__init__()
        self.tables: list[Table] = []
        self._text: list[str] | None = None
        self._row: list[str] = []
        self._caption = ""
        self._rows: list[list[str]] = []

    def handle_starttag(self, tag: str, attrs: Any) -> None:
        if tag in ("caption", "th", "td"):
            self._text = []
        elif tag == "tr":
            self._row = []
        elif tag == "table":
            self._rows = []

    def handle_data(self, data: str) -> None:
        if self._text is not None:
            self._text.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag in ("caption", "th", "td") and self._text is not None:
            text = "".join(self._text)
            self._text = None
            if tag == "caption":
                self._caption = text
            else:
                self._row.append(text)
        elif tag == "tr":
            self._rows.append(self._row)
        elif tag == "table":
            self.tables.append((self._caption, self._rows))


def cli_tables(index_html: str) -> list[Table]:
    parser = _Tables()
    parser.feed(index_html)
    return parser.tables


def page_tables(page: Page) -> list[Table]:
    found: list[list[Any]] = page.evaluate(
        """() => Array.from(document.querySelectorAll("[data-report-result] table")).map((t) => [
             t.caption.textContent,
             Array.from(t.rows).map((r) => Array.from(r.cells).map((c) => c.textContent)),
           ])"""
    )
    return [(caption, rows) for caption, rows in found]


def by_file_name(tables: list[Table]) -> list[Table]:
    """The CLI names a file by its path, the page by its name: compare names."""
    return [
        (caption, [[Path(row[0]).name, *row[1:]] for row in rows])
        if caption == "Niet meegeteld"
        else (caption, rows)
        for caption, rows in tables
    ]


def payloads(texts: dict[str, str]) -> list[FilePayload]:
    return [
        {"name": name, "mimeType": "application/json", "buffer": text.encode("utf-8")}
        for name, text in sorted(texts.items())
    ]


def open_page(new_page: PageFactory, site_server: SiteServer, **options: Any) -> Page:
    page = new_page(**options)
    page.goto(site_server.url("examenbureau/"))
    return page


def wait_for_report(page: Page) -> None:
    expect(page.locator("[data-report-status]")).to_contain_text("Klaar", timeout=REPORT_TIMEOUT_MS)


@pytest.fixture
def cli_report(tmp_path: Path) -> tuple[dict[str, str], Path]:
    """The exports, and the folder `kcm report` wrote from them."""
    texts = exports()
    folder = tmp_path / "exports"
    folder.mkdir()
    for name, text in texts.items():
        (folder / name).write_text(text, encoding="utf-8")
    out = tmp_path / "rapport"
    assert kcm(["report", str(folder), "--out", str(out), "--rubric", str(KCM_RUBRIC)]) == 0
    return texts, out


# ------------------------------------------------------------------------------------------


def test_the_page_shows_the_numbers_of_kcm_report_and_offers_its_csv_files_byte_for_byte(
    new_page: PageFactory,
    site_server: SiteServer,
    cli_report: tuple[dict[str, str], Path],
    download_dir: Path,
) -> None:
    texts, out = cli_report
    page = open_page(new_page, site_server, viewport={"width": 1280, "height": 900})
    page.locator('[data-action="report-files"]').set_input_files(payloads(texts))
    wait_for_report(page)

    html = (out / "index.html").read_text(encoding="utf-8")
    total = page.locator("[data-report-total]").text_content() or ""
    assert f"<p>{total}</p>" in html
    assert total == "Gelezen: 8 beoordelingen. Meegeteld: 6 (4 uitslagen). Niet meegeteld: 2."
    shown = by_file_name(page_tables(page))
    written = by_file_name(cli_tables(html))
    assert [caption for caption, _ in shown] == [
        "Voldaan per criterium",
        "Geslaagd per Eindterm",
        "Uitslagen per maand (datum van het examen, anders de datum van afronden)",
        "Overeenstemming per criterium",
        "Overeenstemming per tweetal beoordelaars (alle criteria samen)",
        "Niet meegeteld",
    ]
    assert shown == written

    links = page.locator("[data-report-result] a[download]")
    names = links.evaluate_all("(links) => links.map((a) => a.download)")
    assert sorted(names) == sorted(p.name for p in out.glob("*.csv"))
    for name in names:
        with page.expect_download() as info:
            page.locator(f'[data-report-download="{name}"]').click()
        info.value.save_as(download_dir / name)
        assert (download_dir / name).read_bytes() == (out / name).read_bytes(), name


def test_files_and_records_that_do_not_count_are_named_with_their_reason_at_phone_width(
    new_page: PageFactory, site_server: SiteServer
) -> None:
    texts = exports()
    page = open_page(new_page, site_server)
    # Dropped on the page (a synthetic drop: Playwright cannot drag files from the desktop).
    dropped = {name: texts[name] for name in ("jansen.json", "concept.json", "kapot.json")}
    page.evaluate(
        """(files) => {
             const transfer = new DataTransfer();
             for (const [name, text] of files) {
               transfer.items.add(new File([text], name, { type: "application/json" }));
             }
             document.body.dispatchEvent(
               new DragEvent("drop", { dataTransfer: transfer, bubbles: true, cancelable: true })
             );
           }""",
        sorted(dropped.items()),
    )
    wait_for_report(page)
    files = page.locator('[data-report-files] [data-report-table="files"]')
    expect(files).to_contain_text("kapot.json")
    expect(files).to_contain_text("Niet gelezen: ongeldige JSON")
    expect(page.locator("[data-report-status]")).to_contain_text("1 bestand niet te lezen")

    # A second choice adds to the same report.
    more = {name: texts[name] for name in ("veranderd.json",)}
    page.locator('[data-action="report-files"]').set_input_files(payloads(more))
    expect(page.locator("[data-report-total]")).to_have_text(
        "Gelezen: 5 beoordelingen. Meegeteld: 3 (3 uitslagen). Niet meegeteld: 2.",
        timeout=REPORT_TIMEOUT_MS,
    )
    rows = page.locator('[data-report-table="skipped"] tbody tr')
    expect(rows).to_have_count(2)
    expect(rows.nth(0)).to_contain_text("concept.json")
    expect(rows.nth(0)).to_contain_text("concept")
    expect(rows.nth(0)).to_contain_text("niet afgerond")
    expect(rows.nth(1)).to_contain_text("veranderd.json")
    expect(rows.nth(1)).to_contain_text("zegel of uitslag klopt niet")
    expect(rows.nth(1)).to_contain_text("het zegel klopt niet")

    # 390 px: nothing wider than the screen but the tables that scroll on their own.
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0

    page.locator('[data-action="report-clear"]').click()
    expect(page.locator("[data-report-result]")).to_be_hidden()
    expect(page.locator("[data-report-files]")).to_be_hidden()


def test_after_one_visit_the_page_makes_a_report_with_the_server_gone(
    new_page: PageFactory, site_server: SiteServer
) -> None:
    page = open_page(new_page, site_server)
    wait_for_offline_ready(page)
    with site_server.stopped():
        page.reload()
        texts = exports()
        page.locator('[data-action="report-files"]').set_input_files(
            payloads({"bakker.json": texts["bakker.json"]})
        )
        wait_for_report(page)
        expect(page.locator("[data-report-total]")).to_have_text(
            "Gelezen: 2 beoordelingen. Meegeteld: 2 (2 uitslagen). Niet meegeteld: 0."
        )
