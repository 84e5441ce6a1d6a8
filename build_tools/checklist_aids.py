"""Aids during the live call, as HTML for the checklist (build_tools.checklist calls these).

An assessor listens to a phone call and ticks what the candidate does. Some criteria of the KCM
rubric are easier to judge with a small tool in their own row:

- 2.4.2.c ("maximaal 30 sec. in de wacht"): a hold timer; one tap starts and stops it, it warns
  at the limit, and every hold is kept in the assessment as evidence (``events``, kind "hold");
- 2.4.1.a, c, d, e (the phases of the call): one tap marks when a phase starts (``events``, kind
  "phase");
- 2.3.1.a ("Nationale spellingsalfabet"): the alphabet as a card that folds open.

Which criterion gets which aid is the table ``AIDS``, per rubric id: the aids belong to the
meaning of a criterion, and ids mean something only within their rubric. A criterion that is not
in the rubric gets no aid, because these functions are only called for the criteria that are.

The assessor's name (``[data-field-id="beoordelaar"]``) goes with the header fields; it is not
a field of the rubric but the assessment's ``assessors`` (ARCHITECTURE.md §4).

Behaviour is ``docs/assets/kcm/callaids.js``'s; it finds these elements by their ``data-aid``
and ``data-action`` attributes and reads the criterion from the row around them. No event
handlers or style attributes (the Content-Security-Policy allows neither).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Final, Literal

from build_tools.page_text import element_text as _text
from build_tools.page_text import html_text as _attr
from kcm_core.assessment import MAX_FIELD_CHARS
from kcm_core.model import Criterion, Rubric

__all__ = [
    "AIDS",
    "ASSESSOR_FIELD_ID",
    "HOLD_LIMIT_SECONDS",
    "SPELLING_ALPHABET",
    "Aid",
    "aids_of",
    "assessor_field",
    "criterion_aids",
]

AidKind = Literal["hold", "phase", "spelling"]


@dataclass(frozen=True, slots=True)
class Aid:
    """One aid in a criterion's row; ``label`` names a phase ("Contact")."""

    kind: AidKind
    label: str = ""


#: The attribute value of the assessor's name field (design §6).
ASSESSOR_FIELD_ID: Final = "beoordelaar"
#: 2.4.2.c: "laat klant niet lang (maximaal 30 sec.) in de wacht staan".
HOLD_LIMIT_SECONDS: Final = 30

#: Per rubric id, per criterion id: its aid.
AIDS: Final[Mapping[str, Mapping[str, Aid]]] = {
    "klantcontact": {
        "2.3.1.a": Aid("spelling"),
        "2.4.1.a": Aid("phase", "Contact"),
        "2.4.1.c": Aid("phase", "Analyse"),
        "2.4.1.d": Aid("phase", "Aanbod"),
        "2.4.1.e": Aid("phase", "Afsluiting"),
        "2.4.2.c": Aid("hold"),
    },
}

#: The Nationaal spellingsalfabet, the Dutch telephone alphabet.
SPELLING_ALPHABET: Final = (
    ("A", "Anton"),
    ("B", "Bernard"),
    ("C", "Cornelis"),
    ("D", "Dirk"),
    ("E", "Eduard"),
    ("F", "Ferdinand"),
    ("G", "Gerard"),
    ("H", "Hendrik"),
    ("I", "Izaak"),
    ("J", "Johan"),
    ("K", "Karel"),
    ("L", "Lodewijk"),
    ("M", "Maria"),
    ("N", "Nico"),
    ("O", "Otto"),
    ("P", "Pieter"),
    ("Q", "Quotiënt"),
    ("R", "Rudolf"),
    ("S", "Simon"),
    ("T", "Teunis"),
    ("U", "Utrecht"),
    ("V", "Victor"),
    ("W", "Willem"),
    ("X", "Xantippe"),
    ("Y", "Ypsilon"),
    ("Z", "Zaandam"),
)


def aids_of(rubric: Rubric) -> dict[str, Aid]:
    """The aids the checklist of ``rubric`` shows, by criterion id, in rubric order."""
    table = AIDS.get(rubric.id, {})
    return {cid: table[cid] for cid in rubric.criterion_ids() if cid in table}


def criterion_aids(rubric: Rubric, criterion: Criterion) -> Iterator[str]:
    """The aid in the row of ``criterion``, if it has one."""
    aid = AIDS.get(rubric.id, {}).get(criterion.id)
    if aid is None:
        return
    if aid.kind == "hold":
        yield from _hold(criterion.id)
    elif aid.kind == "phase":
        yield from _phase(criterion.id, aid.label)
    else:
        yield from _spelling()


def assessor_field() -> Iterator[str]:
    """The assessor's name, with the header fields. Remembered on the device (callaids.js)."""
    control_id = f"kcm-field-{ASSESSOR_FIELD_ID}"
    yield '<div class="kcm-field kcm-field--assessor">'
    yield f'<label for="{control_id}">Naam beoordelaar</label>'
    yield (f'<p class="kcm-hint" id="{control_id}-hint">Dit apparaat onthoudt je naam.</p>')
    yield (
        f'<input type="text" id="{control_id}" name="{control_id}"'
        f' data-field-id="{ASSESSOR_FIELD_ID}" autocomplete="off" maxlength="{MAX_FIELD_CHARS}"'
        f' aria-describedby="{control_id}-hint">'
    )
    yield '<span class="kcm-print-value" data-print-assessor></span>'
    yield "</div>"


def _hold(criterion_id: str) -> Iterator[str]:
    cid = _attr(criterion_id)
    yield (
        f'<div class="kcm-aid kcm-aid--hold" data-aid="hold"'
        f' data-hold-limit="{HOLD_LIMIT_SECONDS}">'
    )
    # aria-pressed: a screen reader says whether the timer runs; the clock itself stays quiet
    # (role timer is not announced), the warning at the limit is announced once.
    yield (
        '<button type="button" class="kcm-button kcm-aid__button" data-action="hold"'
        f' aria-pressed="false" aria-describedby="kcm-hold-{cid}-clock">'
        "<span data-hold-label>Wacht starten</span></button>"
    )
    yield (
        f'<span class="kcm-aid__clock" id="kcm-hold-{cid}-clock" role="timer"'
        f" data-hold-clock>0:00</span>"
    )
    yield (
        '<p class="kcm-aid__warning" data-hold-warning hidden>Langer dan'
        f" {HOLD_LIMIT_SECONDS} seconden in de wacht.</p>"
    )
    yield '<p class="kcm-aid__log" data-aid-log></p>'
    yield "</div>"


def _phase(criterion_id: str, label: str) -> Iterator[str]:
    yield f'<div class="kcm-aid kcm-aid--phase" data-aid="phase" data-phase="{_attr(label)}">'
    yield (
        '<button type="button" class="kcm-button kcm-aid__button" data-action="phase">'
        f'{_text(label)} begint nu<span class="kcm-sr-only"> ({_text(criterion_id)})</span>'
        "</button>"
    )
    yield '<p class="kcm-aid__log" data-aid-log></p>'
    yield "</div>"


def _spelling() -> Iterator[str]:
    yield '<details class="kcm-aid kcm-aid--spelling" data-aid="spelling">'
    yield '<summary class="kcm-aid__summary">Spellingsalfabet</summary>'
    yield '<dl class="kcm-spelling">'
    for letter, word in SPELLING_ALPHABET:
        yield f"<div><dt>{letter}</dt><dd>{_text(word)}</dd></div>"
    yield "</dl>"
    yield "</details>"
