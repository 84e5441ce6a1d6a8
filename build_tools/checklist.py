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

No event handlers or style attributes: the site's Content-Security-Policy (build_tools.offline)
allows neither. The script tags that go with this HTML are ``build_tools.checklist_tags``'s.
"""

from __future__ import annotations

from collections.abc import Iterator
from html import escape

from build_tools.checklist_data import data_block
from build_tools.checklist_privacy import privacy_section, unlock_panel
from build_tools.pages import condition_phrase
from kcm_core.assessment import MAX_DATE, MAX_FIELD_CHARS, MAX_REMARK_CHARS, MIN_DATE
from kcm_core.model import Condition, Criterion, Eindterm, Field, Onderdeel, Proces, Rubric

__all__ = ["render_checklist"]


def render_checklist(rubric: Rubric, *, site_root: str = "../") -> str:
    """The checklist for ``rubric`` as an HTML fragment for the ``checklist/`` page.

    ``site_root`` is the relative URL from the checklist page to the site root; the engine
    lives at ``<site_root>engine/``.
    """
    return "\n".join(_app(rubric, site_root))


def _app(rubric: Rubric, site_root: str) -> Iterator[str]:
    yield (
        '<div class="kcm-app" id="kcm-app" data-kcm-app'
        f' data-engine-base="{_attr(site_root + "engine/")}">'
    )
    # First, so that the scripts right after the checklist find it parsed.
    yield data_block(rubric)
    yield (
        '<noscript><p class="kcm-banner kcm-banner--error">Deze checklist heeft JavaScript'
        " nodig om op te slaan en de uitslag te berekenen. Zet JavaScript aan, of gebruik het"
        " papieren formulier.</p></noscript>"
    )
    yield from _engine_status()
    yield '<div class="kcm-banners" data-banners></div>'
    yield from unlock_panel()
    yield from _manage()
    yield from _form(rubric)
    yield from _data_section()
    yield from _summary_bar(rubric)
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


def _manage() -> Iterator[str]:
    yield '<section class="kcm-manage" aria-labelledby="kcm-manage-title">'
    yield '<h2 id="kcm-manage-title">Beoordelingen</h2>'
    yield (
        '<p class="kcm-privacy">Alles wat je invult blijft in deze browser op dit apparaat.'
        ' Er wordt niets verstuurd. <a href="#kcm-data">Exporteren, importeren en'
        " verwijderen</a> staan onderaan.</p>"
    )
    # Shown by app.js once there are more assessments than the list shows at first: with
    # hundreds stored, a name is quicker to find by typing than by scrolling.
    yield '<div class="kcm-list-filter" data-list-tools hidden>'
    yield '<label for="kcm-list-filter">Zoek op naam van de kandidaat</label>'
    yield (
        '<input type="search" id="kcm-list-filter" data-list-filter autocomplete="off"'
        ' spellcheck="false" aria-describedby="kcm-list-count">'
    )
    yield "</div>"
    yield ('<ul class="kcm-list" data-assessment-list aria-label="Opgeslagen beoordelingen"></ul>')
    yield '<p class="kcm-list-empty" data-list-empty>Nog geen beoordelingen opgeslagen.</p>'
    yield '<div class="kcm-list-more" data-list-more hidden>'
    yield '<p class="kcm-list-count" id="kcm-list-count" data-list-count aria-live="polite"></p>'
    yield (
        '<button type="button" class="kcm-button" data-action="show-all" hidden>Toon alle</button>'
    )
    yield "</div>"
    yield '<div class="kcm-toolbar">'
    yield (
        '<button type="button" class="kcm-button kcm-button--primary"'
        ' data-action="new-assessment">Nieuwe beoordeling</button>'
    )
    yield "</div>"
    yield "</section>"


def _data_section() -> Iterator[str]:
    # Rare tasks, below the form so that on a phone the form starts on the first screen.
    yield '<section class="kcm-data" id="kcm-data" aria-labelledby="kcm-data-title">'
    yield '<h2 id="kcm-data-title">Gegevens beheren</h2>'
    yield (
        '<p class="kcm-hint">Een browser kan opgeslagen gegevens wissen, bijvoorbeeld als de'
        " ruimte opraakt. Exporteer daarom elke beoordeling als bestand. Met importeren zet je"
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
    yield from privacy_section()
    yield "</section>"


def _form(rubric: Rubric) -> Iterator[str]:
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
    # On paper only: which form, and whether this is a draft or final.
    yield (
        f'<p class="kcm-print-only kcm-print-status"><span>{_text(rubric.title)}, versie'
        f" {_text(rubric.version)}.</span> <span data-print-status></span></p>"
    )
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
    yield from _fields(rubric.fields)
    for condition in rubric.conditions:
        yield from _condition(condition)
    yield from _jump_nav(rubric)
    for eindterm in rubric.eindtermen:
        yield from _eindterm(rubric, eindterm)
    yield from _overall()
    yield "</fieldset>"
    yield from _actions()
    yield from _signatures()
    yield "</form>"


def _fields(fields: tuple[Field, ...]) -> Iterator[str]:
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


def _jump_nav(rubric: Rubric) -> Iterator[str]:
    yield '<nav class="kcm-jump" aria-label="Naar Eindterm">'
    yield '<ul class="kcm-jump__list">'
    for eindterm in rubric.eindtermen:
        yield (
            f'<li><a class="kcm-jump__link" href="#kcm-eindterm-{_attr(eindterm.id)}">'
            f"{_text(eindterm.title)}</a></li>"
        )
    yield '<li><a class="kcm-jump__link" href="#kcm-overall">Uitslag</a></li>'
    yield "</ul>"
    yield "</nav>"


def _eindterm(rubric: Rubric, eindterm: Eindterm) -> Iterator[str]:
    section_id = f"kcm-eindterm-{eindterm.id}"
    yield (
        f'<section class="kcm-eindterm" id="{_attr(section_id)}"'
        f' aria-labelledby="{_attr(section_id)}-title">'
    )
    yield f'<h2 id="{_attr(section_id)}-title">{_text(eindterm.title)}</h2>'
    yield f'<p class="kcm-eindterm__text">{_text(eindterm.text)}</p>'
    # The paper form's column heads; shown only when printing, where the rows form a table.
    yield (
        '<div class="kcm-print-head" aria-hidden="true"><span>Eindterm</span><span>Proces</span>'
        "<span>Beoordelingscriteria</span><span>Gecheckt</span></div>"
    )
    for onderdeel in eindterm.onderdelen:
        yield from _onderdeel(rubric, onderdeel)
    yield from _outcome(eindterm)
    remark_id = f"kcm-remark-{eindterm.id}"
    yield '<div class="kcm-field kcm-field--remark">'
    yield f'<label for="{_attr(remark_id)}">Opmerking bij {_text(eindterm.title)}</label>'
    yield (
        f'<textarea id="{_attr(remark_id)}" rows="2" maxlength="{MAX_REMARK_CHARS}"'
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
    badge = ' <strong class="kcm-badge">knock-out</strong>' if criterion.critical else ""
    # The same words as on the Eindterm pages ("Alleen bij outbound gesprekken"), so that the
    # assessor sees during the call which criteria depend on the call type.
    applies = (
        f' <span class="kcm-criterion__applies">'
        f"{_text(condition_phrase(rubric, criterion.applies_when))}</span>"
        if criterion.applies_when is not None
        else ""
    )
    yield (
        f'<label for="{_attr(check_id)}" class="kcm-criterion__label">'
        f'<span class="kcm-num">{_text(cid)}</span> '
        f"{_text(criterion.text)}{badge}{applies}</label>"
    )
    yield "</div>"
    yield '<div class="kcm-criterion__extra">'
    if criterion.allow_na and not criterion.critical:
        na_id = f"kcm-na-{cid}"
        yield '<div class="kcm-na">'
        yield f'<input type="checkbox" id="{_attr(na_id)}" data-role="na">'
        yield (
            f'<label for="{_attr(na_id)}">n.v.t.<span class="kcm-sr-only"> bij {_text(cid)}'
            "</span></label>"
        )
        yield "</div>"
    remark_id = f"kcm-remark-{cid}"
    yield '<div class="kcm-remark">'
    yield f'<label for="{_attr(remark_id)}" class="kcm-sr-only">Opmerking bij {_text(cid)}</label>'
    yield (
        f'<textarea id="{_attr(remark_id)}" class="kcm-remark__input" rows="1"'
        f' maxlength="{MAX_REMARK_CHARS}" placeholder="Opmerking" data-role="remark"></textarea>'
    )
    yield '<p class="kcm-print-value" data-print-remark-criterion></p>'
    yield "</div>"
    yield "</div>"
    # Filled by app.js: why the criterion is n.v.t., or what an n.v.t. still needs.
    yield f'<p class="kcm-criterion__note" id="{_attr(check_id)}-note" data-criterion-note></p>'
    yield "</li>"


def _outcome(eindterm: Eindterm) -> Iterator[str]:
    yield (
        f'<div class="kcm-outcome" data-outcome-id="{_attr(eindterm.id)}"'
        f' aria-label="Uitslag {_attr(eindterm.title)}">'
    )
    yield (
        f'<p class="kcm-outcome__verdict"><span>Uitslag {_text(eindterm.title)}:</span>'
        " <strong data-verdict-text>nog niet berekend</strong></p>"
    )
    yield '<p class="kcm-outcome__count" data-outcome-count></p>'
    yield '<ul class="kcm-outcome__missing" data-outcome-missing></ul>'
    yield "</div>"


def _overall() -> Iterator[str]:
    yield '<section class="kcm-overall" id="kcm-overall" aria-labelledby="kcm-overall-title">'
    yield '<h2 id="kcm-overall-title">Uitslag</h2>'
    yield '<div class="kcm-result" data-result="overall">'
    yield (
        '<p class="kcm-result__verdict"><span>De kandidaat is</span>'
        " <strong data-verdict-text>nog niet beoordeeld</strong></p>"
    )
    yield '<ul class="kcm-result__reasons" data-reasons></ul>'
    yield "</div>"
    yield '<div class="kcm-field kcm-field--remark">'
    yield '<label for="kcm-remark-general">Algemene opmerking</label>'
    yield (
        f'<textarea id="kcm-remark-general" rows="3" maxlength="{MAX_REMARK_CHARS}"'
        ' data-remark-id=""></textarea>'
    )
    yield '<p class="kcm-print-value" data-print-remark=""></p>'
    yield "</div>"
    yield "</section>"


def _actions() -> Iterator[str]:
    yield '<div class="kcm-actions" role="group" aria-label="Deze beoordeling">'
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
    yield "</div>"
    yield (
        '<p class="kcm-hint kcm-export-warning">Een export bevat persoonsgegevens (naam en'
        " geboortedatum van de kandidaat). Bewaar het bestand veilig en verwijder het als je het"
        " niet meer nodig hebt.</p>"
    )


def _signatures() -> Iterator[str]:
    # Only on paper: the form is signed by both people after the assessment.
    yield '<div class="kcm-signatures" aria-hidden="true">'
    for who in ("beoordelaar", "kandidaat"):
        yield '<div class="kcm-signature">'
        yield f"<p>Naam {who}:</p>"
        yield '<div class="kcm-signature__line"></div>'
        yield f"<p>Handtekening {who}:</p>"
        yield '<div class="kcm-signature__line kcm-signature__line--tall"></div>'
        yield "<p>Datum:</p>"
        yield '<div class="kcm-signature__line"></div>'
        yield "</div>"
    yield "</div>"


def _summary_bar(rubric: Rubric) -> Iterator[str]:
    # A compact, always visible verdict for phones, where the per-Eindterm results scroll away.
    yield '<div class="kcm-summary" data-summary>'
    yield '<a class="kcm-summary__link" href="#kcm-overall">'
    yield '<span class="kcm-summary__items">'
    for eindterm in rubric.eindtermen:
        yield (
            f'<span class="kcm-summary__item" data-summary-id="{_attr(eindterm.id)}">'
            f'<span class="kcm-summary__label">ET {_text(eindterm.id)}</span>'
            '<span class="kcm-summary__mark" data-summary-mark>…</span></span>'
        )
    yield "</span>"
    yield '<span class="kcm-summary__overall" data-summary-overall>Uitslag volgt</span>'
    yield "</a>"
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
    return ' <span class="kcm-required">(verplicht)</span>' if required else ""


def _text(value: str) -> str:
    return escape(value, quote=False)


def _attr(value: str) -> str:
    return escape(value, quote=True)
