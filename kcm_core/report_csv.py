"""The report's CSV files (design §5 ``kcm report``), as text: the command line writes them,
the browser page offers them as downloads.

Like the checklist's CSV export (``csv.js`` ``text``): for Excel as Dutch offices use
it, UTF-8 with a byte order mark, ``;`` between cells, CRLF line ends, a cell quoted when it
holds ``;``, ``"`` or a line end, and a leading apostrophe before text Excel would run as a
formula (``=``, ``+``, ``-``, ``@``: CSV injection through a candidate's name). Decimal figures
use a comma, as Dutch Excel reads them beside ``;``: a percentage with one decimal
(``83,3``), a kappa with three (``0,524``); an undefined figure is an empty cell.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Final

from kcm_core.report_model import Report, RubricReport

__all__ = [
    "AGREEMENT_HEADER",
    "CRITERIA_HEADER",
    "EINDTERMEN_HEADER",
    "csv_text",
    "decimal",
    "report_csv_files",
    "report_folders",
]

BOM: Final = "\ufeff"
CRITERIA_HEADER: Final = ("criterium", "van_toepassing", "voldaan", "percentage")
EINDTERMEN_HEADER: Final = ("eindterm", "beoordeeld", "behaald", "percentage")
AGREEMENT_HEADER: Final = ("criterium", "paren", "eens", "kappa")
VERDICT_TEXT: Final = {"pass": "geslaagd", "fail": "niet geslaagd"}
OUTCOME_TEXT: Final = {"pass": "gehaald", "fail": "niet gehaald"}

_FORMULA = re.compile(r"[=+\-@\t\r]")
# A figure this module wrote (a negative kappa starts with "-"): a number to Excel, no formula.
_FIGURE = re.compile(r"-?[0-9]+(,[0-9]+)?")
_NEEDS_QUOTES = re.compile(r'[";\r\n]|^\s|\s$')
_UNSAFE_IN_NAME = re.compile(r"[^A-Za-z0-9._-]")


def decimal(value: float | None, places: int = 1) -> str:
    """A figure with a decimal comma (``83,3``); "" for None."""
    if value is None:
        return ""
    return f"{value:.{places}f}".replace(".", ",")


def _cell(value: str | int) -> str:
    text = str(value)
    if isinstance(value, str) and _FORMULA.match(text) and not _FIGURE.fullmatch(text):
        text = "'" + text
    if _NEEDS_QUOTES.search(text):
        text = '"' + text.replace('"', '""') + '"'
    return text


def csv_text(rows: Sequence[Sequence[str | int]]) -> str:
    """CSV text with the BOM (see the module docstring)."""
    return BOM + "".join(";".join(_cell(v) for v in row) + "\r\n" for row in rows)


def report_csv_files(part: RubricReport) -> dict[str, str]:
    """File name -> CSV text for one rubric version; ``overeenstemming.csv`` only with pairs."""
    files = {
        # Rubric order: a CSV is for looking up and sorting in Excel; the HTML chart sorts.
        "criteria.csv": csv_text(
            [
                CRITERIA_HEADER,
                *((c.id, c.applicable, c.met, decimal(c.percentage)) for c in part.criteria),
            ]
        ),
        "eindtermen.csv": csv_text(
            [
                EINDTERMEN_HEADER,
                *((e.id, e.assessed, e.passed, decimal(e.percentage)) for e in part.eindtermen),
            ]
        ),
        "kandidaten.csv": csv_text(_candidate_rows(part)),
    }
    if part.agreement:
        files["overeenstemming.csv"] = csv_text(
            [
                AGREEMENT_HEADER,
                *((a.id, a.pairs, a.agreements, decimal(a.kappa, 3)) for a in part.agreement),
            ]
        )
    return files


def report_folders(report: Report) -> tuple[str, ...]:
    """Where each rubric version's CSV files go: ``""`` (the report's own folder) with one
    version, else ``"<id>-<version>/"`` per version (``"<id>-<version>-<sha256[:8]>/"`` when two
    versions of the same number differ in content). Names hold only ``A-Za-z0-9._-``."""
    if len(report.rubrics) == 1:
        return ("",)
    folders: list[str] = []
    for part in report.rubrics:
        name = _UNSAFE_IN_NAME.sub("_", f"{part.rubric_id}-{part.version}")
        folders.append(name + "/" if name + "/" not in folders else f"{name}-{part.sha256[:8]}/")
    return tuple(folders)


def _candidate_rows(part: RubricReport) -> list[tuple[str | int, ...]]:
    eindterm_ids = [e.id for e in part.eindtermen]
    header = (
        "beoordeling",
        "kandidaat",
        "geboortedatum",
        "datum",
        "beoordelaars",
        *part.condition_ids,
        "uitslag",
        *(f"eindterm_{e}" for e in eindterm_ids),
        "nvt",
        "zegel",
    )
    rows: list[tuple[str | int, ...]] = [header]
    for row in part.candidates:
        outcomes = dict(row.outcomes)
        rows.append(
            (
                row.record_id,
                row.candidate,
                row.birth_date,
                row.date,
                " en ".join(row.assessors),
                *(", ".join(chosen) for _, chosen in row.conditions),
                VERDICT_TEXT[row.verdict],
                *(OUTCOME_TEXT[outcomes[e]] for e in eindterm_ids),
                row.not_applicable,
                row.seal[:12],
            )
        )
    return rows
