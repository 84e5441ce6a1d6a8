"""The exam office's report as plain JSON data, for the browser page (``Report.to_json_data``).

Everything the page "Examenbureau" shows, with the words and figures already as ``kcm report``'s
``index.html`` writes them (``*_text``, from ``kcm_core.report_text``), so that the page only
places them and both show the same; and the CSV files as text, from ``kcm_core.report_csv``, so
that the page's downloads are byte for byte the files ``kcm report`` writes. Numbers stay
numbers beside their text (the charts need them); a value that cannot be computed is ``None``.

    {"records", "counted", "results", "not_counted",
     "rubrics": [{"id", "version", "title", "sha256", "folder", "assessed", "passed",
                  "percentage", "percentage_text", "pairs",
                  "criteria": [...], "eindtermen": [...], "months": [...],
                  "agreement": [...], "assessor_pairs": [...],
                  "files": {"criteria.csv": "<text>", ...}}],
     "skipped": [{"source", "record_id", "state", "state_text", "place", "reason",
                  "problems": [{"path", "parts", "message"}]}]}

``criteria`` are in the order of the page's chart and table (least often met first);
``files`` holds the texts of ``report_csv_files`` (the CSV files keep rubric order), and
``folder`` is where ``kcm report`` writes them (``""`` or ``"klantcontact-1.0.0/"``).
"""

from __future__ import annotations

from typing import Any

from kcm_core.report_csv import report_csv_files, report_folders
from kcm_core.report_model import Report, RubricReport, SkippedRecord
from kcm_core.report_text import (
    criteria_by_rate,
    kappa_text,
    month_text,
    percent_text,
    skipped_cells,
)

__all__ = ["report_json_data"]


def report_json_data(report: Report) -> dict[str, Any]:
    """The report as JSON data (see the module docstring)."""
    return {
        "records": report.records,
        "counted": report.counted,
        "results": report.results,
        "not_counted": len(report.skipped),
        "rubrics": [
            _rubric(part, folder)
            for part, folder in zip(report.rubrics, report_folders(report), strict=True)
        ],
        "skipped": [_skipped(record) for record in report.skipped],
    }


def _rate(percentage: float | None) -> dict[str, Any]:
    return {"percentage": percentage, "percentage_text": percent_text(percentage)}


def _rubric(part: RubricReport, folder: str) -> dict[str, Any]:
    return {
        "id": part.rubric_id,
        "version": part.version,
        "title": part.title,
        "sha256": part.sha256,
        "folder": folder,
        "assessed": part.assessed,
        "passed": part.passed,
        **_rate(part.percentage),
        "pairs": part.pairs,
        "criteria": [
            {
                "id": c.id,
                "eindterm": c.eindterm,
                "applicable": c.applicable,
                "met": c.met,
                "not_applicable": c.not_applicable,
                **_rate(c.percentage),
            }
            for c in criteria_by_rate(part)
        ],
        "eindtermen": [
            {
                "id": e.id,
                "title": e.title,
                "assessed": e.assessed,
                "passed": e.passed,
                **_rate(e.percentage),
            }
            for e in part.eindtermen
        ],
        "months": [
            {
                "month": m.month,
                "month_text": month_text(m.month),
                "assessed": m.assessed,
                "passed": m.passed,
                **_rate(m.percentage),
            }
            for m in part.months
        ],
        "agreement": [
            {
                "id": a.id,
                "pairs": a.pairs,
                "agreements": a.agreements,
                **_rate(a.percentage),
                "kappa": a.kappa,
                "kappa_text": kappa_text(a.kappa),
            }
            for a in part.agreement
        ],
        "assessor_pairs": [
            {
                "assessor_a": p.assessor_a,
                "assessor_b": p.assessor_b,
                "pairs": p.pairs,
                "compared": p.compared,
                "agreements": p.agreements,
                **_rate(p.percentage),
            }
            for p in part.assessor_pairs
        ],
        "files": report_csv_files(part),
    }


def _skipped(record: SkippedRecord) -> dict[str, Any]:
    source, place, state_text, reason = skipped_cells(record)
    return {
        "source": source,
        "record_id": record.record_id,
        "state": record.state,
        "state_text": state_text,
        "place": place,
        "reason": reason,
        "problems": [p.to_dict() for p in record.problems],
    }
