"""The checklist's own parts for paper: what a printed record needs that the screen does not show.

A printed record must hold up when a candidate objects (issue 13): per criterion a black mark as
text (✓, ✗ or n.v.t.), who assessed, the first characters of the seal (so paper and file can be
matched), what happened to the record and when, and the signature lines, on the same page as
the result. ``build_tools.checklist`` puts these parts in place; ``docs/assets/kcm/
print-record.js`` fills them from the open record with ``textContent`` only, and
``checklist-print.css`` lays them out. On screen every part here is hidden (``kcm-print-only``,
``kcm-signatures``).

No event handlers or style attributes (the Content-Security-Policy allows neither).
"""

from __future__ import annotations

from collections.abc import Iterator

from build_tools.paper_form import SIGNATURE_LABELS
from kcm_core.assessment_exam import SIGNATURE_ROLES

__all__ = ["criterion_mark", "record_facts", "signature_lines"]


def criterion_mark() -> str:
    """A criterion's mark on paper, in the column "Gecheckt". Empty it prints as an empty box,
    like the blank form: a record nobody filled in, or an open criterion of a draft."""
    return '<span class="kcm-print-only kcm-print-mark" data-print-mark aria-hidden="true"></span>'


def record_facts() -> Iterator[str]:
    """Right after the result: who assessed, the seal, a joint record's differences with their
    reasons, and the record's history (print-record.js fills it)."""
    yield '<div class="kcm-print-only kcm-print-record" data-print-record aria-hidden="true">'
    yield '<p class="kcm-print-record__line" data-print-assessors></p>'
    yield '<p class="kcm-print-record__line" data-print-seal></p>'
    yield '<div class="kcm-print-record__part" data-print-differences></div>'
    yield '<div class="kcm-print-record__part" data-print-history></div>'
    yield "</div>"


def signature_lines() -> Iterator[str]:
    """Lines to sign on paper, one block per role (the roles of kcm_core). print-record.js
    writes the known name on the block's first line, and hides the blocks of roles that signed
    on screen (their drawn signature prints instead) and the second assessor's without one."""
    yield '<div class="kcm-signatures" data-paper-signatures aria-hidden="true">'
    for role in SIGNATURE_ROLES:
        label = SIGNATURE_LABELS[role]
        yield f'<div class="kcm-signature" data-paper-signature="{role}">'
        yield f'<p class="kcm-signature__role">{label}</p>'
        yield "<p>Naam:</p>"
        yield '<div class="kcm-signature__line" data-paper-signature-name></div>'
        yield "<p>Handtekening:</p>"
        yield '<div class="kcm-signature__line kcm-signature__line--tall"></div>'
        yield "<p>Datum:</p>"
        yield '<div class="kcm-signature__line"></div>'
        yield "</div>"
    yield "</div>"
