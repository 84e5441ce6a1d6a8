"""The exam record's own parts of the checklist, as HTML (build_tools.checklist calls these).

Two assessors judge one candidate, each on their own device (issue 13, design §4):

- ``decision_box``: a template for the row of a criterion for which the open (joint) record
  holds a ``decision``: both original answers and the reason of the agreed answer
  (``[data-role="reason"]``, editable while the joint record is a draft);
- ``exam_sections``: after the form's actions, "Vergelijk met collega" (a file input like the
  import, ``[data-action="compare"]``) with the place where the differences and the choices
  appear, and the signatures of a final record (``[data-signatures]``: one block per role, a
  drawing pad for finger, pen or mouse, and a typed name for keyboard users).

Behaviour is ``docs/assets/kcm/compare.js``'s and ``signatures.js``'s; they find these elements
by their ``data-*`` attributes, and fill in text with ``textContent`` only. Everything starts
hidden: without the scripts there is nothing to compare or sign. No event handlers or style
attributes (the Content-Security-Policy allows neither).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Final

from build_tools.page_text import element_text as _text
from build_tools.page_text import html_text as _attr
from kcm_core.assessment import MAX_FIELD_CHARS, MAX_REMARK_CHARS
from kcm_core.assessment_exam import MAX_SVG_PATH_CHARS, SIGNATURE_ROLES

__all__ = [
    "PAD_HEIGHT",
    "PAD_WIDTH",
    "ROLE_LABELS",
    "decision_box",
    "exam_sections",
]

#: What each signature role is called on screen and on paper (the keys are kcm_core's roles).
ROLE_LABELS: Final = {
    "beoordelaar": "Beoordelaar",
    "tweede_beoordelaar": "Tweede beoordelaar",
    "kandidaat": "Kandidaat",
}
#: The drawing pad's own coordinates (its ``width`` and ``height``): a signature's path is
#: stored in these units, whatever size the pad has on screen, and drawn back in the same box.
PAD_WIDTH: Final = 600
PAD_HEIGHT: Final = 200


def decision_box() -> Iterator[str]:
    """A criterion row's part for a joint record: both answers and the agreed answer's reason.

    One ``<template>``: compare.js puts a copy into the rows of the criteria that have a
    decision (and gives its field the row's id), so the other rows carry nothing extra."""
    yield "<template data-decision-template>"
    yield '<div class="kcm-decision" data-decision>'
    yield '<p class="kcm-decision__answers" data-decision-answers></p>'
    yield (
        '<label class="kcm-decision__label">Reden van de keuze'
        '<span class="kcm-sr-only" data-decision-of></span></label>'
    )
    yield (
        f'<textarea class="kcm-decision__reason" rows="1" maxlength="{MAX_REMARK_CHARS}"'
        ' data-role="reason"></textarea>'
    )
    yield '<p class="kcm-print-value" data-print-reason></p>'
    yield "</div>"
    yield "</template>"


def exam_sections() -> Iterator[str]:
    """The comparison with a colleague's record and the signatures, after the form's actions."""
    yield from decision_box()
    yield from _compare()
    yield from _signatures()


def _compare() -> Iterator[str]:
    # Shown by compare.js for a final record of one assessor (where a joint record can start),
    # and, for a joint record, as the line that says whose answers it joins.
    yield (
        '<section class="kcm-compare" id="kcm-compare" aria-labelledby="kcm-compare-title"'
        " data-compare hidden>"
    )
    yield '<h2 id="kcm-compare-title" class="kcm-compare__title">Samen beoordelen</h2>'
    yield '<p class="kcm-hint" data-compare-joint hidden></p>'
    yield "<div data-compare-start>"
    yield (
        '<p class="kcm-hint" id="kcm-compare-hint">Heeft een collega dezelfde kandidaat'
        " beoordeeld? Kies het bestand dat je collega heeft geëxporteerd. Je ziet dan waar jullie"
        " verschillen, en maakt samen één beoordeling.</p>"
    )
    yield '<div class="kcm-toolbar">'
    yield (
        '<span class="kcm-file"><input type="file" id="kcm-compare-file" class="kcm-file__input"'
        ' accept=".json,application/json" data-action="compare"'
        ' aria-describedby="kcm-compare-hint">'
        '<label for="kcm-compare-file" class="kcm-button">Vergelijk met collega</label></span>'
    )
    yield "</div>"
    yield "</div>"
    yield '<div class="kcm-compare__message" data-compare-message role="status"></div>'
    yield '<div class="kcm-compare__plan" data-compare-plan hidden></div>'
    yield "</section>"


def _signatures() -> Iterator[str]:
    yield (
        '<section class="kcm-signing" id="kcm-signing" aria-labelledby="kcm-signing-title"'
        f' data-signatures data-max-path="{MAX_SVG_PATH_CHARS}" hidden>'
    )
    yield '<h2 id="kcm-signing-title" class="kcm-signing__title">Handtekeningen</h2>'
    yield (
        '<p class="kcm-hint kcm-signing__hint">Ondertekenen mag, maar hoeft niet: je kunt ook het'
        " papier ondertekenen. Een handtekening hoort bij deze afgeronde beoordeling. Wie hem"
        " heropent, moet opnieuw tekenen.</p>"
    )
    yield '<div class="kcm-signing__roles">'
    for role in SIGNATURE_ROLES:
        label = ROLE_LABELS[role]
        yield (
            f'<div class="kcm-sign" data-signature-role="{_attr(role)}"'
            f' aria-labelledby="kcm-sign-{_attr(role)}-title" role="group">'
        )
        yield f'<h3 class="kcm-sign__title" id="kcm-sign-{_attr(role)}-title">{label}</h3>'
        yield '<div class="kcm-sign__shown" data-signature-shown></div>'
        yield (
            '<button type="button" class="kcm-button kcm-sign__start" data-action="sign"'
            f' data-role-name="{_attr(role)}">Ondertekenen<span class="kcm-sr-only"> als'
            f" {_text(label.lower())}</span></button>"
        )
        yield "</div>"
    yield "</div>"
    yield from _pad()
    yield '<div class="kcm-signing__message" data-signature-message role="status"></div>'
    yield "</section>"


def _pad() -> Iterator[str]:
    # One pad, opened for the role whose button was used. The canvas is for finger, pen and
    # mouse; the name field alone is enough to sign (keyboard users), so nobody needs to draw.
    yield (
        '<div class="kcm-pad" data-signature-pad role="group" aria-labelledby="kcm-pad-title"'
        " hidden>"
    )
    yield '<h3 class="kcm-pad__title" id="kcm-pad-title" data-pad-title>Ondertekenen</h3>'
    yield '<div class="kcm-field">'
    yield '<label for="kcm-pad-name">Naam</label>'
    yield (
        f'<input type="text" id="kcm-pad-name" maxlength="{MAX_FIELD_CHARS}" autocomplete="off"'
        " data-pad-name>"
    )
    yield "</div>"
    yield (
        '<p class="kcm-hint" id="kcm-pad-hint">Teken hieronder met je vinger, een pen of de'
        " muis. Met het toetsenbord: typ alleen je naam en kies Opslaan.</p>"
    )
    yield (
        f'<canvas class="kcm-pad__canvas" width="{PAD_WIDTH}" height="{PAD_HEIGHT}"'
        ' role="img" aria-label="Tekenvlak voor de handtekening" data-pad-canvas></canvas>'
    )
    yield '<div class="kcm-toolbar">'
    yield (
        '<button type="button" class="kcm-button kcm-button--primary" data-action="sign-save">'
        "Opslaan</button>"
    )
    yield '<button type="button" class="kcm-button" data-action="sign-clear">Wissen</button>'
    yield '<button type="button" class="kcm-button" data-action="sign-cancel">Annuleren</button>'
    yield "</div>"
    yield "</div>"
