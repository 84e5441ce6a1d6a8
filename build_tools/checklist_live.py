"""The parts of the checklist that serve the assessor during a live call.

An assessor ticks during a phone call on a phone held in one hand, so these parts keep the page
short and keep what is needed next within reach (issue 12):

- the list of saved assessments, behind a fold (``data-action="toggle-list"``), so that on a
  phone the form starts near the top;
- the sticky bar at the bottom of the screen: progress per Eindterm ("ET 2 18/24", each a link
  to its Eindterm), the overall progress, the save state and "Volgende open"
  (``data-action="next-open"``);
- the overall result, which reads as provisional while the assessment is a draft;
- the actions at the end of the form, which are also the spot finalising returns to: there the
  assessor finds export, print and "Volgende kandidaat".

On the candidates' practice page (``practice``) the same parts speak of "oefeningen" and carry
the practice marks of ``build_tools.checklist_practice``.

Every text from the rubric is escaped; ``build_tools.checklist`` puts these parts in place.
"""

from __future__ import annotations

from collections.abc import Iterator

from build_tools import checklist_practice
from build_tools.page_text import element_text as _text
from build_tools.page_text import html_text as _attr
from kcm_core.assessment import MAX_REMARK_CHARS
from kcm_core.model import Rubric

__all__ = ["actions", "manage", "overall", "summary_bar"]


def manage(*, practice: bool = False) -> Iterator[str]:
    # The fold's button is the heading's only content, so its name is the heading's text; on a
    # narrow screen the script folds the list at the start and whenever an assessment is opened.
    plural = "oefeningen" if practice else "beoordelingen"
    yield '<section class="kcm-manage" aria-labelledby="kcm-manage-title" data-list-section>'
    yield '<div class="kcm-manage__head">'
    yield (
        '<h2 id="kcm-manage-title" class="kcm-manage__title"><button type="button"'
        ' class="kcm-fold" data-action="toggle-list" aria-expanded="true"'
        f' aria-controls="kcm-list-body">Opgeslagen {plural}'
        ' <span class="kcm-fold__count" data-list-badge></span></button></h2>'
    )
    yield (
        '<button type="button" class="kcm-button kcm-button--primary"'
        f' data-action="new-assessment">Nieuwe {"oefening" if practice else "beoordeling"}'
        "</button>"
    )
    yield "</div>"
    # Outside the fold: with nothing stored there is nothing to unfold.
    yield f'<p class="kcm-list-empty" data-list-empty>Nog geen {plural} opgeslagen.</p>'
    yield '<div class="kcm-manage__body" id="kcm-list-body" data-list-body>'
    yield (
        '<p class="kcm-privacy">Alles wat je invult blijft in deze browser op dit apparaat.'
        ' Er wordt niets verstuurd. <a href="#kcm-data">Exporteren, importeren en'
        " verwijderen</a> staan onderaan.</p>"
    )
    # Shown by the script once there are more assessments than the list shows at first: with
    # hundreds stored, a name is quicker to find by typing than by scrolling.
    yield '<div class="kcm-list-filter" data-list-tools hidden>'
    yield '<label for="kcm-list-filter">Zoek op naam van de kandidaat</label>'
    yield (
        '<input type="search" id="kcm-list-filter" data-list-filter autocomplete="off"'
        ' spellcheck="false" aria-describedby="kcm-list-count">'
    )
    yield "</div>"
    yield f'<ul class="kcm-list" data-assessment-list aria-label="Opgeslagen {plural}"></ul>'
    yield '<div class="kcm-list-more" data-list-more hidden>'
    yield '<p class="kcm-list-count" id="kcm-list-count" data-list-count aria-live="polite"></p>'
    yield (
        '<button type="button" class="kcm-button" data-action="show-all" hidden>Toon alle</button>'
    )
    yield "</div>"
    yield "</div>"
    yield "</section>"


def overall(*, practice: bool = False) -> Iterator[str]:
    yield '<section class="kcm-overall" id="kcm-overall" aria-labelledby="kcm-overall-title">'
    yield '<h2 id="kcm-overall-title">Uitslag</h2>'
    if practice:
        # Right above the verdict, so that no one reads it (or its print) as an exam result.
        yield checklist_practice.result_note()
    lead = "Uitslag van je oefening:" if practice else "De kandidaat is"
    yield '<div class="kcm-result" data-result="overall">'
    yield (
        f'<p class="kcm-result__verdict"><span data-verdict-lead>{lead}</span>'
        " <strong data-verdict-text>nog niet beoordeeld</strong></p>"
    )
    yield '<ul class="kcm-result__reasons" data-reasons></ul>'
    yield "</div>"
    yield '<div class="kcm-field kcm-field--remark">'
    yield '<label for="kcm-remark-general">Algemene opmerking</label>'
    yield (
        f'<textarea id="kcm-remark-general" rows="2" maxlength="{MAX_REMARK_CHARS}"'
        ' data-remark-id=""></textarea>'
    )
    yield '<p class="kcm-print-value" data-print-remark=""></p>'
    yield "</div>"
    yield "</section>"


def actions(*, practice: bool = False) -> Iterator[str]:
    # After finalising, the focus comes back here (to the text that says it is done), where
    # the assessor just tapped "Afronden": the next steps are beside it, not screens away.
    group = "Deze oefening" if practice else "Deze beoordeling"
    yield f'<div class="kcm-actions" role="group" aria-label="{group}" data-actions>'
    yield '<p class="kcm-actions__done" data-done-text tabindex="-1" hidden></p>'
    yield '<div class="kcm-toolbar">'
    yield (
        '<button type="button" class="kcm-button kcm-button--primary" data-action="finalize">'
        "Afronden</button>"
    )
    yield (
        '<button type="button" class="kcm-button" data-action="export-json">'
        "Exporteren (JSON)</button>"
    )
    yield (
        '<button type="button" class="kcm-button" data-action="export-csv">'
        "Exporteren voor Excel (CSV)</button>"
    )
    yield '<button type="button" class="kcm-button" data-action="print">Afdrukken</button>'
    yield (
        '<button type="button" class="kcm-button kcm-button--primary"'
        ' data-action="next-candidate" hidden>'
        f"{'Nieuwe oefening' if practice else 'Volgende kandidaat'}</button>"
    )
    yield "</div>"
    yield "</div>"
    whose = (
        "je naam en geboortedatum, als je die hebt ingevuld"
        if practice
        else "naam en geboortedatum van de kandidaat"
    )
    yield (
        f'<p class="kcm-hint kcm-export-warning">Een export bevat persoonsgegevens ({whose}).'
        " Bewaar het bestand veilig en verwijder het als je het niet meer nodig hebt.</p>"
    )


def summary_bar(rubric: Rubric, *, practice: bool = False) -> Iterator[str]:
    # Always on screen at the bottom: how far the assessor is, per Eindterm and in all, and the
    # way to the next criterion that is still open. Filled by the script (views-result.js).
    yield '<div class="kcm-summary" data-summary>'
    yield '<nav class="kcm-summary__items" aria-label="Voortgang per Eindterm">'
    for eindterm in rubric.eindtermen:
        eid = _attr(eindterm.id)
        yield (
            f'<a class="kcm-summary__item" href="#kcm-eindterm-{eid}" data-summary-id="{eid}"'
            f' data-progress="{eid}"><span class="kcm-summary__label">ET {_text(eindterm.id)}'
            '</span> <span class="kcm-summary__mark" data-summary-mark>…</span></a>'
        )
    yield (
        '<a class="kcm-summary__item kcm-summary__overall" href="#kcm-overall"'
        ' data-progress="overall" data-summary-overall>Uitslag volgt</a>'
    )
    yield "</nav>"
    yield '<div class="kcm-summary__tools">'
    # The save state where the assessor is; the full sentence stays at the form's top, and
    # screen readers hear neither on every tick (the save status is not a live region).
    yield '<span class="kcm-summary__save" data-save-mirror></span>'
    yield (
        '<button type="button" class="kcm-button kcm-summary__next" data-action="next-open">'
        "Volgende open</button>"
    )
    yield "</div>"
    if practice:
        # Last, out of the bar's flow (practice.css puts it on the bar's top edge as a tab), so
        # the bar is as high as on the exam checklist.
        yield checklist_practice.bar_badge()
    yield "</div>"
