"""The marks of the candidates' practice page (``oefenen/``), as HTML.

A candidate scores themselves there with the same checklist and engine (for example on a
recording of their own call; design §4 ``practice: true``). The page must never pass for an exam
result, on screen or on paper, so it says "Oefening" where a reader looks: a banner at the top,
a badge in the sticky bar, a note beside the result, and a line at the top of the printed
record (``build_tools.checklist`` puts each in place; ``practice.css`` styles them). The records'
own marks (the list items, the exports, the print's lines) are the scripts' (practice.js).

No event handlers or style attributes (the Content-Security-Policy allows neither).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Final

__all__ = ["MARK", "banner", "bar_badge", "print_mark", "result_note"]

#: What a practice is called wherever it might be taken for an exam result (an en dash).
MARK: Final = "Oefening \u2013 geen examenuitslag"


def banner() -> Iterator[str]:
    """At the top of the page: what this page is, and that nothing leaves the device."""
    yield (
        '<section class="kcm-practice" aria-labelledby="kcm-practice-title" data-practice-banner>'
    )
    yield '<h2 id="kcm-practice-title" class="kcm-practice__title">Oefening voor jezelf</h2>'
    yield (
        "<p>Hier beoordeel je jezelf. Luister bijvoorbeeld naar een opname van je eigen"
        " gesprek en vink aan wat je goed deed. Je ziet dan wat je uitslag zou zijn.</p>"
    )
    yield (
        "<p><strong>Dit is geen examenuitslag.</strong> Alles blijft op dit apparaat. Er"
        " wordt niets verstuurd.</p>"
    )
    yield "</section>"


def bar_badge() -> str:
    """On the sticky bar, which stays on screen while the candidate ticks."""
    return '<span class="kcm-summary__practice" data-practice-mark>Oefening</span>'


def result_note() -> str:
    """Beside the overall result, on screen and on paper."""
    return (
        f'<p class="kcm-practice-note" data-practice-note><strong>{MARK}.</strong>'
        " Deze uitslag telt niet voor je examen.</p>"
    )


def print_mark() -> str:
    """At the top of the printed record, before the candidate's line."""
    return f'<p class="kcm-print-practice" data-print-practice>{MARK}</p>'
