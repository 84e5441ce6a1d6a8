"""The report's figures and words as people read them, for both faces of the report:
``kcm report``'s ``index.html`` (``kcm_core.report_html``) and the browser page "Examenbureau"
(through ``kcm_core.report_json``), so both show exactly the same text.

Kept apart from ``report_html`` so that the browser's engine does not import ``html`` (not in
the engine's trimmed standard library, build_tools/stdlib.py).
"""

from __future__ import annotations

from typing import Final

from kcm_core.errors import json_path
from kcm_core.report_csv import decimal
from kcm_core.report_model import CriterionRate, RubricReport, SkippedRecord

__all__ = [
    "NO_VALUE",
    "STATE_TEXT",
    "criteria_by_rate",
    "kappa_text",
    "month_text",
    "percent_text",
    "skipped_cells",
]

# Shown for a figure that has no value (nothing to divide by; kappa without variation).
NO_VALUE: Final = "\u2013"
# Why a record is not counted, in a word or two.
STATE_TEXT: Final = {
    "invalid": "niet leesbaar of ongeldig",
    "draft": "concept",
    "practice": "oefening",
    "unsealed": "niet verzegeld",
    "changed": "zegel of uitslag klopt niet",
    "duplicate": "dubbel",
}


def percent_text(value: float | None) -> str:
    """A percentage as shown: ``66,7 %``, or a dash without a value."""
    return NO_VALUE if value is None else f"{decimal(value)} %"


def kappa_text(value: float | None) -> str:
    """Cohen's kappa as shown: ``0,524``, or a dash without variation."""
    return decimal(value, 3) or NO_VALUE


def month_text(month: str) -> str:
    """``2026-11``, or "onbekend" for results without a date."""
    return month or "onbekend"


def criteria_by_rate(part: RubricReport) -> list[CriterionRate]:
    """The criteria as the chart shows them: least often met first, without a value last."""
    return sorted(part.criteria, key=lambda c: (c.percentage is None, c.percentage or 0.0, c.id))


def skipped_cells(record: SkippedRecord) -> tuple[str, str, str, str]:
    """File, place, kind and reason of a record that is not counted."""
    return (
        record.source,
        json_path(record.problems[0].parts) if record.problems else "$",
        STATE_TEXT[record.state],
        # One problem per clause: its messages are sentences without a full stop.
        "; ".join(p.message for p in record.problems),
    )
