"""The blank paper form (the ``formulier/`` page): the rubric as a table to print and fill in.

It asks for the same things as the checklist's filled-in print (``build_tools.checklist`` and
``docs/assets/kcm/checklist-print.css``), so a record on paper and one from the checklist hold
the same facts: the header fields, each condition with a box per option ("Soort gesprek":
inbound, outbound), per criterion a box and, where the rubric allows it, "n.v.t." with a line
for the reason, per Eindterm its result and lines for remarks, the overall result with a general
remark, both assessors' names, and signature lines for the assessor, the second assessor and the
candidate.

A plain function that returns Markdown with one raw HTML block; every rubric text goes through
``html_text``. The ``data-form-*`` attributes name what each part is for (tests select on them).
Styles: ``docs/stylesheets/kcm.css`` (``.kcm-paper*``).
"""

from __future__ import annotations

from collections.abc import Iterator

from build_tools.page_text import CHECKLIST_PAGE, condition_phrase, front_matter, html_text, safe_id
from kcm_core.assessment_exam import SIGNATURE_ROLES
from kcm_core.model import Criterion, Eindterm, Proces, Rubric

__all__ = ["SIGNATURE_LABELS", "form_page"]

#: Who signs, in the words of the paper (the keys are kcm_core's signature roles).
SIGNATURE_LABELS = {
    "beoordelaar": "Beoordelaar",
    "tweede_beoordelaar": "Tweede beoordelaar",
    "kandidaat": "Kandidaat",
}


def form_page(rubric: Rubric, *, checklist: bool) -> str:
    alternative = (
        " Werk je liever op een laptop, tablet of telefoon? "
        f"Gebruik dan de [checklist]({CHECKLIST_PAGE})."
        if checklist
        else ""
    )
    lines = [
        front_matter(
            title="Formulier om te printen",
            description="Het lege beoordelingsformulier, klaar om op A4 te printen.",
            hide=["navigation", "toc"],
        ),
        "",
        '<div class="kcm-screen-only admonition tip" markdown>',
        '<p class="admonition-title">Dit formulier printen</p>',
        "",
        "Dit is het lege beoordelingsformulier. Print het met de printfunctie van je browser "
        "(Ctrl+P, op een Mac Cmd+P). Het past op A4; menu en zoekbalk worden niet geprint."
        + alternative,
        "",
        "</div>",
        "",
        '<div class="kcm-paper">',
        f'<h1 class="kcm-paper__title">{html_text(rubric.title)}</h1>',
    ]
    lines += _fields(rubric)
    lines += _table(rubric)
    lines += _result(rubric)
    lines += [
        f'<p class="kcm-paper__version">{html_text(rubric.title)}, versie '
        f"{html_text(rubric.version)}</p>",
        "</div>",
        "",
    ]
    return "\n".join(lines)


def _fields(rubric: Rubric) -> list[str]:
    lines = ['<div class="kcm-paper__fields">']
    for f in rubric.fields:
        lines.append(
            f'<div class="kcm-paper__field" data-form-field="{html_text(safe_id(f.id, "field"))}">'
            f'<span class="kcm-paper__label">{html_text(f.label)}:</span>'
            '<span class="kcm-paper__line"></span></div>'
        )
    lines.append("</div>")
    # Each condition with a box per option: which criteria apply depends on it.
    for condition in rubric.conditions:
        hint = "meer dan één mag" if condition.multiple else "kies er één"
        lines.append(
            '<div class="kcm-paper__condition-choice"'
            f' data-form-condition="{html_text(safe_id(condition.id, "condition"))}">'
            f'<span class="kcm-paper__caption">{html_text(condition.label)}:</span>'
        )
        lines += [
            f'<span class="kcm-paper__option" data-form-option="{html_text(option.id)}">'
            f'<span class="kcm-paper__choice" role="img"'
            f' aria-label="{html_text(option.label)}"></span> {html_text(option.label)}</span>'
            for option in condition.options
        ]
        lines.append(f'<span class="kcm-paper__hint">({hint})</span></div>')
    return lines


def _table(rubric: Rubric) -> list[str]:
    lines = [
        '<table class="kcm-paper__table">',
        '<colgroup><col class="kcm-paper__col-eindterm"><col class="kcm-paper__col-proces">'
        '<col class="kcm-paper__col-criterium"><col class="kcm-paper__col-check"></colgroup>',
        "<thead><tr>"
        '<th scope="col">Eindterm</th><th scope="col">Proces</th>'
        '<th scope="col">Beoordelingscriteria</th><th scope="col">Gecheckt</th>'
        "</tr></thead>",
    ]
    for eindterm in rubric.eindtermen:
        lines += [
            '<tbody class="kcm-paper__eindterm">',
            '<tr class="kcm-paper__eindterm-row"><th colspan="4" scope="colgroup">'
            f"{html_text(eindterm.title)}: {html_text(eindterm.text)}</th></tr>",
        ]
        lines += _criterion_rows(rubric, eindterm)
        lines += _eindterm_foot(eindterm)
        lines.append("</tbody>")
    lines.append("</table>")
    return lines


def _criterion_rows(rubric: Rubric, eindterm: Eindterm) -> Iterator[str]:
    for onderdeel in eindterm.onderdelen:
        onderdeel_rows = sum(len(p.criteria) for p in onderdeel.processen)
        first_in_onderdeel = True
        for proces in onderdeel.processen:
            first_in_proces = True
            for criterion in proces.criteria:
                cells = []
                if first_in_onderdeel:
                    cells.append(
                        f'<td class="kcm-paper__onderdeel" rowspan="{onderdeel_rows}">'
                        f"<b>{html_text(onderdeel.id)}</b> {html_text(onderdeel.text)}</td>"
                    )
                if first_in_proces:
                    cells.append(
                        f'<td class="kcm-paper__proces" rowspan="{len(proces.criteria)}">'
                        f"<b>{html_text(proces.id)}</b> {html_text(proces.text)}</td>"
                    )
                condition = (
                    '<span class="kcm-paper__condition">'
                    f"{html_text(condition_phrase(rubric, criterion.applies_when))}</span>"
                    if criterion.applies_when is not None
                    else ""
                )
                cells.append(
                    '<td class="kcm-paper__criterion">'
                    f'<span class="kcm-paper__letter">'
                    f"{html_text(_short_criterion_label(proces, criterion))}</span> "
                    f"{html_text(criterion.text)}{condition}{_na(criterion)}</td>"
                )
                cells.append(
                    '<td class="kcm-paper__check">'
                    '<span class="kcm-paper__box" role="img" '
                    f'aria-label="Gecheckt {html_text(criterion.id)}"></span></td>'
                )
                row = f'<tr class="kcm-paper__row" data-criterion="{html_text(criterion.id)}">'
                yield row + "".join(cells) + "</tr>"
                first_in_onderdeel = first_in_proces = False


def _na(criterion: Criterion) -> str:
    # As in the checklist: n.v.t. by hand only where the rubric allows it, never for a
    # knock-out, and always with a reason.
    if not criterion.allow_na or criterion.critical:
        return ""
    cid = html_text(criterion.id)
    return (
        f'<span class="kcm-paper__na" data-form-na="{cid}">'
        f'<span class="kcm-paper__choice" role="img" aria-label="n.v.t. {cid}"></span>'
        ' n.v.t., reden:<span class="kcm-paper__write"></span></span>'
    )


def _eindterm_foot(eindterm: Eindterm) -> list[str]:
    eid = html_text(eindterm.id)
    title = html_text(eindterm.title)
    return [
        f'<tr class="kcm-paper__outcome" data-form-outcome="{eid}"><td colspan="4">'
        f'<span class="kcm-paper__caption">Uitslag {title}:</span>'
        f"{_choices(('gehaald', 'niet gehaald'))}</td></tr>",
        f'<tr class="kcm-paper__remark-row" data-form-remark="{eid}"><td colspan="4">'
        f'<span class="kcm-paper__caption">Opmerking bij {title}:</span>'
        '<span class="kcm-paper__write"></span><span class="kcm-paper__write"></span>'
        "</td></tr>",
    ]


def _result(rubric: Rubric) -> list[str]:
    # One block that prints on one page: the result, who assessed and who signed belong
    # together on paper, as in the checklist's print.
    lines = [
        '<section class="kcm-paper__record" aria-label="Uitslag en handtekeningen">',
        '<h2 class="kcm-paper__heading">Uitslag</h2>',
        '<p class="kcm-paper__result" data-form-result="overall">'
        '<span class="kcm-paper__caption">De kandidaat is:</span>'
        f"{_choices(('geslaagd', 'niet geslaagd'))}</p>",
        '<div class="kcm-paper__remark" data-form-remark="">'
        '<span class="kcm-paper__caption">Algemene opmerking:</span>'
        '<span class="kcm-paper__write"></span><span class="kcm-paper__write"></span>'
        '<span class="kcm-paper__write"></span></div>',
        '<div class="kcm-paper__fields kcm-paper__assessors">',
    ]
    lines += [
        f'<div class="kcm-paper__assessor" data-form-assessor="{role}">'
        f'<span class="kcm-paper__caption">Naam {SIGNATURE_LABELS[role].lower()}:</span>'
        '<span class="kcm-paper__write"></span></div>'
        for role in ("beoordelaar", "tweede_beoordelaar")
    ]
    lines += ["</div>", '<div class="kcm-paper__signatures">']
    for role in SIGNATURE_ROLES:
        lines += [
            f'<div class="kcm-paper__signature" data-form-signature="{role}">',
            f'<p class="kcm-paper__signer">{SIGNATURE_LABELS[role]}</p>',
            '<span class="kcm-paper__caption">Handtekening:</span>',
            '<span class="kcm-paper__write kcm-paper__write--tall"></span>',
            '<span class="kcm-paper__caption">Datum:</span>',
            '<span class="kcm-paper__write"></span>',
            "</div>",
        ]
    lines += ["</div>", "</section>"]
    return lines


def _choices(words: tuple[str, ...]) -> str:
    return "".join(
        f'<span class="kcm-paper__option"><span class="kcm-paper__choice" role="img"'
        f' aria-label="{word}"></span> {word}</span>'
        for word in words
    )


def _short_criterion_label(proces: Proces, criterion: Criterion) -> str:
    """'2.4.1.b' under proces '2.4.1' -> 'b.'; other id schemes keep the full id."""
    prefix = proces.id + "."
    if criterion.id.startswith(prefix) and len(criterion.id) > len(prefix):
        return criterion.id[len(prefix) :] + "."
    return criterion.id
