"""The assessor's checklist as static HTML, rendered from the rubric at build time.

The page must be usable the moment its HTML arrives: every criterion, header field, call-type
choice and remark field is in the markup, so an assessor can tick and type while the scoring
engine (Pyodide + kcm_core in a Web Worker) is still loading. The JavaScript in
``docs/assets/kcm/`` only wires behaviour (saving, scoring, export) onto this markup.

The markup is for people; the scripts read every fact about the rubric from the JSON data
block at its top (``build_tools.checklist_data``). The ``data-*`` attributes that remain are
the ones the scripts use to find their elements and the ones tests select on (ARCHITECTURE.md
§6). Every text from the rubric is escaped here; the scripts put user text in with
``textContent`` only.

With ``practice`` it is the candidates' practice page (``oefenen/``): the same checklist, marked
"Oefening" wherever it could pass for an exam result (``build_tools.checklist_practice``),
without the assessor's name and the paper's signature lines.

No event handlers or style attributes: the site's Content-Security-Policy (build_tools.offline)
allows neither. The script tags that go with this HTML are ``build_tools.checklist_tags``'s.
"""

from __future__ import annotations

from collections.abc import Iterator

from build_tools import checklist_practice
from build_tools.checklist_aids import assessor_field, criterion_aids
from build_tools.checklist_data import SiteRubrics, data_block
from build_tools.checklist_exam import exam_sections
from build_tools.checklist_live import actions, manage, overall, summary_bar
from build_tools.checklist_print import criterion_mark, record_facts, signature_lines
from build_tools.checklist_privacy import privacy_section, unlock_panel
from build_tools.page_text import element_text as _text
from build_tools.page_text import html_text as _attr
from build_tools.pages import condition_phrase
from kcm_core.assessment import MAX_DATE, MAX_FIELD_CHARS, MAX_REMARK_CHARS, MIN_DATE
from kcm_core.model import Condition, Criterion, Eindterm, Field, Onderdeel, Proces, Rubric

__all__ = ["render_checklist"]


def render_checklist(
    rubric: Rubric,
    *,
    site_root: str = "../",
    practice: bool = False,
    site: SiteRubrics | None = None,
) -> str:
    """The checklist for ``rubric`` as an HTML fragment for the ``checklist/`` page (or, with
    ``practice``, the candidates' practice page ``oefenen/``).

    ``site_root`` is the relative URL from the checklist page to the site root; the engine
    lives at ``<site_root>engine/``. ``site``: the rubric's archived versions and the site's
    other rubrics (``checklist_data.SiteRubrics``).
    """
    return "\n".join(_app(rubric, site_root, practice, site))


def _app(rubric: Rubric, site_root: str, practice: bool, site: SiteRubrics | None) -> Iterator[str]:
    practice_attr = " data-practice" if practice else ""
    yield (
        f'<div class="kcm-app" id="kcm-app" data-kcm-app{practice_attr}'
        f' data-engine-base="{_attr(site_root + "engine/")}">'
    )
    # First, so that the scripts right after the checklist find it parsed.
    yield data_block(rubric, practice=practice, site=site)
    yield (
        '<noscript><p class="kcm-banner kcm-banner--error">Deze checklist heeft JavaScript'
        " nodig om op te slaan en de uitslag te berekenen. Zet JavaScript aan, of gebruik het"
        " papieren formulier.</p></noscript>"
    )
    if practice:
        yield from checklist_practice.banner()
    yield from _engine_status()
    yield '<div class="kcm-banners" data-banners></div>'
    yield from unlock_panel()
    yield from manage(practice=practice)
    yield from _form(rubric, practice)
    yield from _data_section(practice)
    yield from summary_bar(rubric, practice=practice)
    yield '<div class="kcm-sr-only" aria-live="polite" aria-atomic="true" data-announce></div>'
    yield from _dialog()
    yield "</div>"


def _engine_status() -> Iterator[str]:
    # Filled in by app.js; the text below is what a visitor sees if the scripts never run.
    yield '<div class="kcm-engine" data-engine-status role="status">'
    yield (
        '<p class="kcm-engine__text" data-engine-text>De rekenmodule voor de uitslag wordt'
        " geladen. Je kunt al invullen en aanvinken.</p>"
    )
    yield (
        '<progress class="kcm-engine__progress" data-engine-progress max="3" value="0"'
        ' aria-label="Voortgang laden rekenmodule"></progress>'
    )
    yield "</div>"


def _data_section(practice: bool) -> Iterator[str]:
    # Rare tasks, below the form so that on a phone the form starts on the first screen. On a
    # phone they fold behind the heading's button (folds.js), as the saved assessments do; the
    # fold's button is the heading's only content, so its name is the heading's text.
    yield (
        '<section class="kcm-data" id="kcm-data" aria-labelledby="kcm-data-title"'
        " data-data-section>"
    )
    yield (
        '<h2 id="kcm-data-title" class="kcm-data__title"><button type="button" class="kcm-fold"'
        ' data-action="toggle-data" aria-expanded="true" aria-controls="kcm-data-body">'
        "Gegevens beheren</button></h2>"
    )
    yield '<div class="kcm-data__body" id="kcm-data-body" data-data-body>'
    what = "oefening" if practice else "beoordeling"
    yield (
        '<p class="kcm-hint">Een browser kan opgeslagen gegevens wissen, bijvoorbeeld als de'
        f" ruimte opraakt. Exporteer daarom elke {what} als bestand. Met importeren zet je"
        " een geëxporteerd bestand terug, ook op een ander apparaat.</p>"
    )
    yield '<div class="kcm-toolbar">'
    yield (
        '<button type="button" class="kcm-button" data-action="export-all-json">'
        "Alles exporteren (JSON)</button>"
    )
    yield (
        '<button type="button" class="kcm-button" data-action="export-all-csv">'
        "Alles exporteren voor Excel (CSV)</button>"
    )
    # The file input stays in the accessibility tree and keyboard order; its label is styled
    # as a button because the native control cannot be styled.
    yield (
        '<span class="kcm-file"><input type="file" id="kcm-import" class="kcm-file__input"'
        ' accept=".json,application/json" data-action="import">'
        '<label for="kcm-import" class="kcm-button">Importeren (JSON)</label></span>'
    )
    yield (
        '<button type="button" class="kcm-button kcm-button--danger" data-action="delete-all">'
        "Alles verwijderen</button>"
    )
    yield "</div>"
    yield '<p class="kcm-storage-info" data-storage-info></p>'
    yield "</div>"
    # Outside the fold: already folded on its own (a <details>), one line high.
    yield from privacy_section()
    yield "</section>"


def _form(rubric: Rubric, practice: bool) -> Iterator[str]:
    yield (
        '<form class="kcm-form" data-assessment-form novalidate autocomplete="off"'
        ' aria-labelledby="kcm-form-title">'
    )
    yield '<div class="kcm-form__head">'
    yield f'<h2 id="kcm-form-title" data-form-title>{_text(rubric.title)}</h2>'
    yield (
        '<p class="kcm-save-status" data-save-status>Nog niets ingevuld. Wat je invult, wordt'
        " meteen in deze browser opgeslagen.</p>"
    )
    yield "</div>"
    # On paper only, where the record starts (the screen's title and the site's heading are
    # not printed): which form, whose assessment of which day, and whether it is final.
    yield '<div class="kcm-print-only kcm-print-status">'
    if practice:
        yield checklist_practice.print_mark()
    yield f'<p class="kcm-print-status__title">{_text(rubric.title)}</p>'
    yield (
        "<p><span data-print-candidate></span> <span data-print-status></span>"
        f" <span>Formulier versie {_text(rubric.version)}.</span></p>"
    )
    yield "</div>"
    yield '<div class="kcm-notice" data-lock-notice hidden>'
    yield "<p data-lock-text></p>"
    yield (
        '<button type="button" class="kcm-button" data-action="reopen" hidden>Heropenen</button>'
    )
    yield "</div>"
    yield '<div class="kcm-foreign" data-foreign hidden></div>'
    # One fieldset around every control, so a finished assessment is read-only in one step.
    yield '<fieldset class="kcm-lock" data-lock>'
    yield '<legend class="kcm-sr-only">Beoordeling invullen</legend>'
    yield from _fields(rubric.fields, practice)
    for condition in rubric.conditions:
        yield from _condition(condition)
    for eindterm in rubric.eindtermen:
        yield from _eindterm(rubric, eindterm)
    yield from overall(practice=practice)
    yield from record_facts()
    yield "</fieldset>"
    yield from actions(practice=practice)
    # Present on the practice page too (compare.js and signatures.js find their parts), but
    # never shown there: a practice is not compared or signed (kcm_core refuses a joint one).
    yield from exam_sections()
    if not practice:
        yield from signature_lines()
    yield "</form>"


def _fields(fields: tuple[Field, ...], practice: bool) -> Iterator[str]:
    yield '<fieldset class="kcm-fields">'
    yield "<legend>Gegevens</legend>"
    for field in fields:
        control_id = f"kcm-field-{field.id}"
        input_type = "date" if field.type == "date" else "text"
        required = " required" if field.required else ""
        # A date input with min and max lets the browser take only a year of four digits, the
        # dates kcm_core accepts.
        limit = (
            f' min="{MIN_DATE}" max="{MAX_DATE}"'
            if field.type == "date"
            else f' maxlength="{MAX_FIELD_CHARS}"'
        )
        yield '<div class="kcm-field">'
        yield (
            f'<label for="{_attr(control_id)}">{_text(field.label)}'
            f"{_required_mark(field.required)}</label>"
        )
        if field.description:
            hint_id = f"{control_id}-hint"
            yield f'<p class="kcm-hint" id="{_attr(hint_id)}">{_text(field.description)}</p>'
        described = f' aria-describedby="{_attr(control_id)}-hint"' if field.description else ""
        yield (
            f'<input type="{input_type}" id="{_attr(control_id)}" name="{_attr(control_id)}"'
            f' data-field-id="{_attr(field.id)}"'
            f' autocomplete="off"{limit}{required}{described}>'
        )
        yield (f'<span class="kcm-print-value" data-print-field="{_attr(field.id)}"></span>')
        yield "</div>"
    # A candidate who practises has no assessor (kcm_core seals a practice without one).
    if not practice:
        yield from assessor_field()
    yield "</fieldset>"


def _condition(condition: Condition) -> Iterator[str]:
    kind = "checkbox" if condition.multiple else "radio"
    yield ('<fieldset class="kcm-condition">')
    yield (f"<legend>{_text(condition.label)}{_required_mark(condition.required)}</legend>")
    if condition.description:
        yield f'<p class="kcm-hint">{_text(condition.description)}</p>'
    elif condition.multiple:
        yield '<p class="kcm-hint">Kies wat van toepassing is; meer dan één mag.</p>'
    for option in condition.options:
        control_id = f"kcm-cond-{condition.id}-{option.id}"
        yield '<div class="kcm-check">'
        yield (
            f'<input type="{kind}" id="{_attr(control_id)}"'
            f' name="kcm-cond-{_attr(condition.id)}" value="{_attr(option.id)}"'
            f' data-condition-id="{_attr(condition.id)}">'
        )
        yield f'<label for="{_attr(control_id)}">{_text(option.label)}</label>'
        yield "</div>"
    yield "</fieldset>"


def _eindterm(rubric: Rubric, eindterm: Eindterm) -> Iterator[str]:
    section_id = f"kcm-eindterm-{eindterm.id}"
    yield (
        f'<section class="kcm-eindterm" id="{_attr(section_id)}"'
        f' aria-labelledby="{_attr(section_id)}-title">'
    )
    # A complete Eindterm can be folded to its head and result (the script shows the button).
    yield '<div class="kcm-eindterm__head">'
    yield f'<h2 id="{_attr(section_id)}-title">{_text(eindterm.title)}</h2>'
    # On a phone the Eindterm's description folds behind this button (folds.js shows it): it
    # says what the Eindterm is about, which an assessor mid-call does not need to tick.
    yield (
        '<button type="button" class="kcm-button kcm-eindterm__info" data-action="eindterm-text"'
        f' aria-expanded="true" aria-controls="{_attr(section_id)}-text" hidden>Uitleg'
        f'<span class="kcm-sr-only"> bij {_text(eindterm.title)}</span></button>'
    )
    yield (
        '<button type="button" class="kcm-button kcm-eindterm__fold" data-action="fold-eindterm"'
        f' aria-expanded="true" aria-controls="{_attr(section_id)}-body" hidden>Inklappen'
        f'<span class="kcm-sr-only"> {_text(eindterm.title)}</span></button>'
    )
    yield "</div>"
    yield f'<div class="kcm-eindterm__body" id="{_attr(section_id)}-body">'
    yield (
        f'<p class="kcm-eindterm__text" id="{_attr(section_id)}-text">{_text(eindterm.text)}</p>'
    )
    # The paper form's column heads; shown only when printing, where the rows form a table.
    yield (
        '<div class="kcm-print-head" aria-hidden="true"><span>Eindterm</span><span>Proces</span>'
        "<span>Beoordelingscriteria</span><span>Gecheckt</span></div>"
    )
    for onderdeel in eindterm.onderdelen:
        yield from _onderdeel(rubric, onderdeel)
    yield "</div>"
    remark_id = f"kcm-remark-{eindterm.id}"
    # The result, and beside it the button of the Eindterm's remark: on a phone the remark folds
    # away as a row's remark does, until asked for or while it has text (folds.js shows the
    # button; without the script the remark stays open).
    yield '<div class="kcm-eindterm__foot">'
    yield from _outcome(eindterm)
    yield (
        '<button type="button" class="kcm-button kcm-remark-toggle" data-action="eindterm-remark"'
        f' aria-expanded="true" aria-controls="{_attr(remark_id)}-box" hidden>'
        '<span aria-hidden="true">✎</span>'
        f'<span class="kcm-sr-only">Opmerking bij {_text(eindterm.title)}</span></button>'
    )
    yield "</div>"
    yield f'<div class="kcm-field kcm-field--remark" id="{_attr(remark_id)}-box">'
    yield f'<label for="{_attr(remark_id)}">Opmerking bij {_text(eindterm.title)}</label>'
    yield (
        f'<textarea id="{_attr(remark_id)}" rows="1" maxlength="{MAX_REMARK_CHARS}"'
        f' data-remark-id="{_attr(eindterm.id)}">'
        "</textarea>"
    )
    yield f'<p class="kcm-print-value" data-print-remark="{_attr(eindterm.id)}"></p>'
    yield "</div>"
    yield "</section>"


def _onderdeel(rubric: Rubric, onderdeel: Onderdeel) -> Iterator[str]:
    yield '<section class="kcm-onderdeel">'
    yield (
        f'<h3 class="kcm-onderdeel__title"><span class="kcm-num">{_text(onderdeel.id)}</span> '
        f"{_text(onderdeel.text)}</h3>"
    )
    yield '<div class="kcm-processen">'
    for proces in onderdeel.processen:
        yield from _proces(rubric, proces)
    yield "</div>"
    yield "</section>"


def _proces(rubric: Rubric, proces: Proces) -> Iterator[str]:
    yield '<div class="kcm-proces">'
    yield (
        f'<h4 class="kcm-proces__title"><span class="kcm-num">{_text(proces.id)}</span> '
        f"{_text(proces.text)}</h4>"
    )
    yield '<ul class="kcm-criteria">'
    for criterion in proces.criteria:
        yield from _criterion(rubric, criterion)
    yield "</ul>"
    yield "</div>"


def _criterion(rubric: Rubric, criterion: Criterion) -> Iterator[str]:
    cid = criterion.id
    check_id = f"kcm-check-{cid}"
    yield f'<li class="kcm-criterion" data-criterion-id="{_attr(cid)}">'
    yield '<div class="kcm-criterion__main">'
    yield (
        f'<input type="checkbox" id="{_attr(check_id)}" class="kcm-criterion__check"'
        f' data-role="checked" aria-describedby="{_attr(check_id)}-note">'
    )
    # On paper the checkbox gives way to a black mark as text (a disabled box prints grey).
    yield criterion_mark()
    badge = ' <strong class="kcm-badge">knock-out</strong>' if criterion.critical else ""
    # The same words as on the Eindterm pages ("Alleen bij outbound gesprekken"), so that the
    # assessor sees during the call which criteria depend on the call type.
    applies = (
        f' <span class="kcm-criterion__applies">'
        f"{_text(condition_phrase(rubric, criterion.applies_when))}</span>"
        if criterion.applies_when is not None
        else ""
    )
    remark_id = f"kcm-remark-{cid}"
    # The tools (the remark button, n.v.t.) come before the text: on a phone they float at its
    # right and the text flows under them, so long criteria get the full width after the first
    # lines. The keyboard order stays checkbox, remark button, n.v.t. (a label takes no focus).
    yield '<div class="kcm-criterion__tools">'
    yield (
        f'<button type="button" class="kcm-button kcm-remark-toggle" data-action="remark"'
        f' aria-expanded="true" aria-controls="{_attr(remark_id)}-box">'
        '<span aria-hidden="true">✎</span>'
        f'<span class="kcm-sr-only">Opmerking bij {_text(cid)}</span></button>'
    )
    if criterion.allow_na and not criterion.critical:
        na_id = f"kcm-na-{cid}"
        yield '<div class="kcm-na">'
        yield f'<input type="checkbox" id="{_attr(na_id)}" data-role="na">'
        yield (
            f'<label for="{_attr(na_id)}">n.v.t.<span class="kcm-sr-only"> bij {_text(cid)}'
            "</span></label>"
        )
        yield "</div>"
    yield "</div>"
    yield (
        f'<label for="{_attr(check_id)}" class="kcm-criterion__label">'
        f'<span class="kcm-num">{_text(cid)}</span> '
        f"{_text(criterion.text)}{badge}{applies}</label>"
    )
    yield "</div>"
    # On a phone the remark is folded away until asked for (or until it has text, or an n.v.t.
    # needs its reason).
    yield '<div class="kcm-criterion__extra">'
    yield f'<div class="kcm-remark" id="{_attr(remark_id)}-box">'
    yield f'<label for="{_attr(remark_id)}" class="kcm-sr-only">Opmerking bij {_text(cid)}</label>'
    yield (
        f'<textarea id="{_attr(remark_id)}" class="kcm-remark__input" rows="1"'
        f' maxlength="{MAX_REMARK_CHARS}" placeholder="Opmerking" data-role="remark"></textarea>'
    )
    yield '<p class="kcm-print-value" data-print-remark-criterion></p>'
    yield "</div>"
    yield "</div>"
    yield from criterion_aids(rubric, criterion)
    # Filled by app.js: why the criterion is n.v.t., or what an n.v.t. still needs.
    yield f'<p class="kcm-criterion__note" id="{_attr(check_id)}-note" data-criterion-note></p>'
    yield "</li>"


def _outcome(eindterm: Eindterm) -> Iterator[str]:
    yield (
        f'<div class="kcm-outcome" data-outcome-id="{_attr(eindterm.id)}"'
        f' aria-label="Uitslag {_attr(eindterm.title)}">'
    )
    yield (
        # On a phone the Eindterm's name is only read out (it is the section's title): the
        # result then fits on one line beside the remark's button.
        f'<p class="kcm-outcome__verdict"><span>Uitslag<span class="kcm-outcome__of">'
        f" {_text(eindterm.title)}</span>:</span>"
        " <strong data-verdict-text>nog niet berekend</strong></p>"
    )
    yield '<p class="kcm-outcome__count" data-outcome-count></p>'
    yield '<ul class="kcm-outcome__missing" data-outcome-missing></ul>'
    yield "</div>"


def _dialog() -> Iterator[str]:
    # One modal dialog, filled by app.js for confirmations (finalise, delete, import).
    yield (
        '<dialog class="kcm-dialog" data-dialog aria-labelledby="kcm-dialog-title"'
        ' aria-describedby="kcm-dialog-body">'
    )
    yield '<h2 id="kcm-dialog-title" data-dialog-title></h2>'
    yield '<div id="kcm-dialog-body" class="kcm-dialog__body" data-dialog-body></div>'
    yield '<div class="kcm-dialog__buttons" data-dialog-buttons></div>'
    yield "</dialog>"


def _required_mark(required: bool) -> str:
    # The space is inside the span: on paper the mark is hidden and the label is followed by
    # a colon, which must not get a space before it ("Bedrijf:", not "Bedrijf :").
    return '<span class="kcm-required"> (verplicht)</span>' if required else ""
