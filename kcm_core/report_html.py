"""The report's ``index.html`` (design §5 ``kcm report``): Dutch, one self-contained file.

No outside resources and no scripts: the page opens from a USB stick or an e-mail attachment
and shows the same everywhere. Charts are inline SVG bars; every chart is followed by a table
with the same numbers, for screen readers (the SVG is marked as an image with a short
description) and for print. Every text from the records or the rubric goes through
``html.escape``.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape
from typing import Final

from kcm_core.report_model import Report, RubricReport, SkippedRecord
from kcm_core.report_text import (
    criteria_by_rate,
    kappa_text,
    month_text,
    percent_text,
    skipped_cells,
)

__all__ = ["report_html"]

_STYLE: Final = """
body{font-family:system-ui,sans-serif;margin:1.5rem auto;max-width:60rem;padding:0 1rem;
color:#1a1a1a;line-height:1.45}
h1,h2,h3{line-height:1.2}
table{border-collapse:collapse;margin:.5rem 0 1.5rem;font-variant-numeric:tabular-nums}
th,td{border:1px solid #999;padding:.2rem .5rem;text-align:left}
td.n{text-align:right}
svg{max-width:100%;height:auto;display:block}
svg text{font:12px system-ui,sans-serif;fill:#1a1a1a}
.bar{fill:#1f5f99}
@media print{.bar{fill:#555}h2{break-before:page}}
"""

_BAR_AREA: Final = 420
_LABEL_WIDTH: Final = 150
_ROW_HEIGHT: Final = 20


def _candidates(count: int) -> str:
    return "1 kandidaat is" if count == 1 else f"{count} kandidaten zijn"


def _bar_chart(title: str, rows: Sequence[tuple[str, float | None]]) -> str:
    """Horizontal bars from 0 to 100 %; a row without a value gets no bar."""
    height = _ROW_HEIGHT * len(rows) + 10
    width = _LABEL_WIDTH + _BAR_AREA + 70
    parts = [
        f'<svg role="img" aria-label="{escape(title)} (de tabel hieronder geeft dezelfde '
        f'cijfers)" viewBox="0 0 {width} {height}" width="{width}" height="{height}">'
    ]
    for index, (label, value) in enumerate(rows):
        y = 5 + index * _ROW_HEIGHT
        parts.append(
            f'<text x="{_LABEL_WIDTH - 6}" y="{y + 14}" text-anchor="end">{escape(label)}</text>'
        )
        if value is not None:
            bar = round(_BAR_AREA * value / 100, 1)
            parts.append(
                f'<rect class="bar" x="{_LABEL_WIDTH}" y="{y + 3}" width="{bar}" '
                f'height="{_ROW_HEIGHT - 6}"/>'
            )
            text_x = round(_LABEL_WIDTH + bar + 4, 1)
        else:
            text_x = _LABEL_WIDTH + 4
        parts.append(f'<text x="{text_x}" y="{y + 14}">{escape(percent_text(value))}</text>')
    parts.append("</svg>")
    return "".join(parts)


def _table(caption: str, header: Sequence[str], rows: Sequence[Sequence[str | int]]) -> str:
    head = "".join(f'<th scope="col">{escape(h)}</th>' for h in header)
    body = "".join(
        "<tr>"
        + "".join(
            f'<td class="n">{cell}</td>' if isinstance(cell, int) else f"<td>{escape(cell)}</td>"
            for cell in row
        )
        + "</tr>"
        for row in rows
    )
    return (
        f"<table><caption>{escape(caption)}</caption><thead><tr>{head}</tr></thead>"
        f"<tbody>{body}</tbody></table>"
    )


def _rubric_section(part: RubricReport, folder: str) -> str:
    out = [
        f"<section><h2>Rubric {escape(part.title)} ({escape(part.rubric_id)} versie "
        f"{escape(part.version)})</h2>",
        f"<p>Meegeteld: {part.assessed} beoordelingen, waarvan {part.passed} geslaagd "
        f"({escape(percent_text(part.percentage))}). Een gezamenlijke beoordeling van twee "
        "beoordelaars telt hier in plaats van hun twee eigen beoordelingen.</p>",
    ]
    by_rate = criteria_by_rate(part)
    out += [
        "<h3>Voldaan per criterium</h3>",
        "<p>Van weinig naar vaak voldaan. N.v.t. telt niet mee in het percentage.</p>",
        _bar_chart("Percentage voldaan per criterium", [(c.id, c.percentage) for c in by_rate]),
        _table(
            "Voldaan per criterium",
            ["Criterium", "Eindterm", "Van toepassing", "Voldaan", "Percentage", "N.v.t."],
            [
                (
                    c.id,
                    c.eindterm,
                    c.applicable,
                    c.met,
                    percent_text(c.percentage),
                    c.not_applicable,
                )
                for c in by_rate
            ],
        ),
        "<h3>Geslaagd per Eindterm</h3>",
        _bar_chart(
            "Percentage geslaagd per Eindterm",
            [(f"Eindterm {e.id}", e.percentage) for e in part.eindtermen],
        ),
        _table(
            "Geslaagd per Eindterm",
            ["Eindterm", "Titel", "Beoordeeld", "Behaald", "Percentage"],
            [
                (e.id, e.title, e.assessed, e.passed, percent_text(e.percentage))
                for e in part.eindtermen
            ],
        ),
        "<h3>Per maand</h3>",
        _table(
            "Uitslagen per maand (datum van het examen, anders de datum van afronden)",
            ["Maand", "Beoordeeld", "Geslaagd", "Percentage"],
            [
                (month_text(m.month), m.assessed, m.passed, percent_text(m.percentage))
                for m in part.months
            ],
        ),
    ]
    if part.agreement:
        out += [
            "<h3>Overeenstemming tussen twee beoordelaars</h3>",
            f"<p>{_candidates(part.pairs)} door twee beoordelaars beoordeeld. Per criterium: "
            "hoe vaak gaven ze hetzelfde antwoord (voldaan, niet voldaan of n.v.t.), en Cohens "
            "kappa: de overeenstemming gecorrigeerd voor toeval (1 is volledig eens, 0 niet "
            "beter dan toeval). Zonder variatie (altijd hetzelfde antwoord) is kappa niet te "
            "berekenen: dan staat er een streepje (in de CSV een leeg vak).</p>",
            _bar_chart(
                "Percentage overeenstemming per criterium",
                [(a.id, a.percentage) for a in part.agreement],
            ),
            _table(
                "Overeenstemming per criterium",
                ["Criterium", "Paren", "Eens", "Percentage", "Kappa"],
                [
                    (
                        a.id,
                        a.pairs,
                        a.agreements,
                        percent_text(a.percentage),
                        kappa_text(a.kappa),
                    )
                    for a in part.agreement
                ],
            ),
            _table(
                "Overeenstemming per tweetal beoordelaars (alle criteria samen)",
                ["Beoordelaar", "Beoordelaar", "Kandidaten", "Antwoorden", "Eens", "Percentage"],
                [
                    (
                        p.assessor_a,
                        p.assessor_b,
                        p.pairs,
                        p.compared,
                        p.agreements,
                        percent_text(p.percentage),
                    )
                    for p in part.assessor_pairs
                ],
            ),
        ]
    out.append(
        f'<p>Eén regel per beoordeling: <a href="{escape(folder)}kandidaten.csv">'
        f"{escape(folder)}kandidaten.csv</a>.</p></section>"
    )
    return "".join(out)


def _skipped_section(skipped: Sequence[SkippedRecord]) -> str:
    if not skipped:
        return ""
    rows = [skipped_cells(record) for record in skipped]
    return (
        "<section><h2>Niet meegeteld</h2><p>Alleen afgeronde, verzegelde beoordelingen waarvan "
        "het zegel klopt tellen mee.</p>"
        + _table("Niet meegeteld", ["Bestand", "Plek", "Soort", "Reden"], rows)
        + "</section>"
    )


def report_html(report: Report, folders: Sequence[str]) -> str:
    """The whole page; ``folders[i]`` is where ``report.rubrics[i]``'s CSV files are
    (``""`` or ``"klantcontact-1.0.0/"``)."""
    sections = "".join(
        _rubric_section(part, folder) for part, folder in zip(report.rubrics, folders, strict=True)
    )
    return (
        '<!DOCTYPE html>\n<html lang="nl"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        "<title>Rapport voor het examenbureau</title>"
        f"<style>{_STYLE}</style></head><body><main>"
        "<h1>Rapport voor het examenbureau</h1>"
        f"<p>Gelezen: {report.records} beoordelingen. Meegeteld: {report.counted} "
        f"({report.results} uitslagen). Niet meegeteld: {len(report.skipped)}.</p>"
        + (sections or "<p>Er is geen beoordeling meegeteld.</p>")
        + _skipped_section(report.skipped)
        + "</main></body></html>\n"
    )
