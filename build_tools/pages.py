"""Turn a rubric (``kcm_core.model.Rubric``) into the site's generated Markdown pages.

Plain functions without MkDocs: they take the rubric model and return Markdown text (with raw
HTML blocks where the markup must be exact, such as criterion anchors). The blank paper form is
``build_tools.paper_form``'s, the formats page's tables ``build_tools.schema_pages``', the
escaping and Dutch text helpers ``build_tools.page_text``'s; this module re-exports what other
modules and the tests use from them, so ``pages`` stays the one entry point.
``build_tools/mkdocs_hooks.py`` is the only module that knows MkDocs; moving the site to another
generator means rewriting that module, not this one.
"""

from __future__ import annotations

import html
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Final

from build_tools.page_text import CHECKLIST_PAGE as CHECKLIST_PAGE
from build_tools.page_text import FORM_PAGE as FORM_PAGE
from build_tools.page_text import SAFE_ID as SAFE_ID
from build_tools.page_text import SCORING_PAGE as SCORING_PAGE
from build_tools.page_text import PageError as PageError
from build_tools.page_text import condition_phrase as condition_phrase
from build_tools.page_text import count_noun as count_noun
from build_tools.page_text import front_matter as front_matter
from build_tools.page_text import html_text as html_text
from build_tools.page_text import join_dutch as join_dutch
from build_tools.page_text import lower_first as lower_first
from build_tools.page_text import md_escape as md_escape
from build_tools.page_text import percentage as percentage
from build_tools.page_text import safe_id as safe_id
from build_tools.paper_form import form_page as form_page
from build_tools.schema_pages import schema_reference as schema_reference
from kcm_core.model import Criterion, Eindterm, Proces, Rubric, ScoringRule
from kcm_core.scoring import required_count

# Hand-written pages in docs/, in navigation order after the generated ones.
HANDWRITTEN_NAV: Final[tuple[tuple[str, str], ...]] = (
    ("Voor beoordelaars", "beoordelaars.md"),
    ("Examenbureau", "examenbureau.md"),
    ("Voor beheerders", "beheer.md"),
    ("Bestandsformaten", "formaten.md"),
    ("Betrouwbaarheid", "betrouwbaarheid.md"),
    ("Privacy", "privacy.md"),
)

# Marker that a hand-written page uses to pull in a generated block: <!-- kcm:name -->
MARKER: Final = re.compile(r"<!--\s*kcm:([a-z][a-z0-9-]*)\s*-->")


@dataclass(frozen=True, slots=True)
class Download:
    """A file offered for download on the formats page."""

    path: str  # site-relative path, as in the Markdown link (e.g. downloads/rubric/schema.json)
    title: str  # Dutch, what the file is
    description: str  # Dutch, one sentence


# ---------------------------------------------------------------------------------------------
# Paths and links


def eindterm_page_src(eindterm: Eindterm) -> str:
    return f"eindterm-{safe_id(eindterm.id, 'Eindterm')}.md"


def criterion_link(rubric: Rubric, criterion: Criterion) -> str:
    """Markdown link to a criterion's anchor on its Eindterm page (checked by MkDocs --strict)."""
    page = eindterm_page_src(rubric.eindterm_of(criterion.id))
    return f"[{md_escape(criterion.id)}]({page}#{criterion.id})"


def site_nav(rubric: Rubric, *, checklist: bool) -> list[dict[str, object]]:
    """The navigation, in MkDocs' nav format. Depends on the rubric, so it is made here."""
    nav: list[dict[str, object]] = [
        {"Start": "index.md"},
        # The theme renders nav titles unescaped: rubric text must not become markup.
        {"Eindtermen": [{html.escape(e.title): eindterm_page_src(e)} for e in rubric.eindtermen]},
        {"Zo wordt beoordeeld": SCORING_PAGE},
    ]
    if checklist:
        nav.append({"Checklist": CHECKLIST_PAGE})
    nav.append({"Formulier om te printen": FORM_PAGE})
    nav.extend({title: src} for title, src in HANDWRITTEN_NAV)
    return nav


# ---------------------------------------------------------------------------------------------
# Rules in words. Every sentence here describes what kcm_core.scoring computes; the pages only
# ever show these sentences, so a rule change in the rubric changes every page that mentions it.


def rule_sentence(rule: ScoringRule) -> str:
    """The rule of one Eindterm as a Dutch sentence."""
    if rule.rule == "all":
        return "Alle criteria die van toepassing zijn, moeten behaald zijn."
    if rule.rule == "min_count":
        if rule.min_count is None:
            raise PageError("scoring rule 'min_count' without a min_count value")
        if rule.min_count == 1:
            return "Minstens 1 criterium dat van toepassing is, moet behaald zijn."
        return (
            f"Minstens {rule.min_count} van de criteria die van toepassing zijn, "
            "moeten behaald zijn."
        )
    if rule.rule == "min_fraction":
        if rule.min_fraction is None:
            raise PageError("scoring rule 'min_fraction' without a min_fraction value")
        return (
            f"Minstens {percentage(rule.min_fraction)} procent van de criteria die van "
            "toepassing zijn, moet behaald zijn."
        )
    raise PageError(f"unknown scoring rule {rule.rule!r}")


def criterion_notes(rubric: Rubric, criterion: Criterion) -> list[tuple[str, str]]:
    """(css modifier, Dutch note) for what is special about a criterion."""
    notes: list[tuple[str, str]] = []
    if criterion.applies_when is not None:
        notes.append(("condition", condition_phrase(rubric, criterion.applies_when)))
    if criterion.critical:
        notes.append(("critical", "Moet altijd behaald zijn (knock-out)"))
    if criterion.allow_na:
        notes.append(("na", "Mag n.v.t. zijn, met een reden"))
    return notes


# ---------------------------------------------------------------------------------------------
# Eindterm pages


def _criterion_item(rubric: Rubric, criterion: Criterion) -> str:
    cid = html_text(safe_id(criterion.id, "criterion"))
    notes = "".join(
        f'<span class="kcm-doc-note kcm-doc-note--{kind}">{html_text(text)}</span>'
        for kind, text in criterion_notes(rubric, criterion)
    )
    notes_html = f'<span class="kcm-doc-criterion__notes">{notes}</span>' if notes else ""
    return (
        f'<li class="kcm-doc-criterion" id="{cid}">'
        f'<a class="kcm-doc-criterion__id" href="#{cid}" title="Link naar dit criterium">{cid}</a> '
        f'<span class="kcm-doc-criterion__text">{html_text(criterion.text)}</span>'
        f"{notes_html}</li>"
    )


def _proces_block(rubric: Rubric, proces: Proces) -> list[str]:
    pid = safe_id(proces.id, "proces")
    return [
        f"### Proces {pid} {{#proces-{pid} }}",
        "",
        f'<p class="kcm-doc-text">{html_text(proces.text)}</p>',
        "",
        '<ul class="kcm-doc-criteria">',
        *(_criterion_item(rubric, c) for c in proces.criteria),
        "</ul>",
        "",
    ]


def eindterm_summary(rubric: Rubric, eindterm: Eindterm) -> str:
    """One line: how many criteria, how many depend on a condition."""
    criteria = list(eindterm.criteria())
    conditional = sum(1 for c in criteria if c.applies_when is not None)
    text = f"Deze eindterm heeft {count_noun(len(criteria), 'criterium', 'criteria')}."
    if conditional:
        text += (
            f" Daarvan {'geldt' if conditional == 1 else 'gelden'} er {conditional} "
            "alleen in een bepaalde situatie."
        )
    return text


def eindterm_page(rubric: Rubric, eindterm: Eindterm) -> str:
    lines = [
        front_matter(title=eindterm.title, description=eindterm.text),
        "",
        f"<h1>{html_text(eindterm.title)}</h1>",
        "",
        f'<p class="kcm-doc-lead">{html_text(eindterm.text)}</p>',
        "",
        '<div class="admonition info kcm-doc-rule" markdown>',
        '<p class="admonition-title">Zo wordt deze eindterm beoordeeld</p>',
        "",
        f"{eindterm_summary(rubric, eindterm)} {rule_sentence(rubric.rule_for(eindterm))}",
        f"Lees meer op [Zo wordt beoordeeld]({SCORING_PAGE}).",
        "",
        "</div>",
        "",
    ]
    for onderdeel in eindterm.onderdelen:
        oid = safe_id(onderdeel.id, "onderdeel")
        lines += [
            f"## Onderdeel {oid} {{#onderdeel-{oid} }}",
            "",
            f'<p class="kcm-doc-text kcm-doc-text--onderdeel">{html_text(onderdeel.text)}</p>',
            "",
        ]
        for proces in onderdeel.processen:
            lines += _proces_block(rubric, proces)
    return "\n".join(lines)


# ---------------------------------------------------------------------------------------------
# "Zo wordt beoordeeld"


def _criteria_list(rubric: Rubric, criteria: Sequence[Criterion], note: bool = False) -> list[str]:
    lines = []
    for c in criteria:
        line = f"- {criterion_link(rubric, c)}: {md_escape(c.text)}"
        if note and c.applies_when is not None:
            line += f" *({md_escape(condition_phrase(rubric, c.applies_when))})*"
        lines.append(line)
    return lines


def _needed_sentence(rule: ScoringRule, n: int) -> str:
    """'Zijn alle 26 criteria van toepassing, dan zijn er 21 nodig.'"""
    needed = required_count(rule, n)
    verb = "is" if needed == 1 else "zijn"
    if n == 1:
        return f"Is het criterium van toepassing, dan {verb} er {needed} nodig."
    return f"Zijn alle {n} criteria van toepassing, dan {verb} er {needed} nodig."


def scoring_page(rubric: Rubric) -> str:
    criteria = list(rubric.criteria())
    critical = [c for c in criteria if c.critical]
    allow_na = [c for c in criteria if c.allow_na]
    overrides = [e for e in rubric.eindtermen if e.scoring is not None]
    n_eind = len(rubric.eindtermen)

    lines = [
        front_matter(
            title="Zo wordt beoordeeld",
            description="Wanneer een eindterm is behaald en wanneer de kandidaat is geslaagd.",
        ),
        "",
        "# Zo wordt beoordeeld",
        "",
        "Op deze pagina staat hoe de uitslag tot stand komt. De tekst is gemaakt uit de regels "
        f"in de rubric zelf ({md_escape(rubric.title)}, versie {md_escape(rubric.version)}). "
        "De checklist en het programma `kcm score` rekenen met precies dezelfde regels.",
        "",
        "## Geslaagd of niet geslaagd",
        "",
        f"Het examen heeft {count_noun(n_eind, 'eindterm', 'eindtermen')}. "
        + (
            "De kandidaat is geslaagd als de eindterm is behaald."
            if n_eind == 1
            else "De kandidaat is geslaagd als **elke** eindterm is behaald. "
            "Is één eindterm niet behaald, dan is de kandidaat niet geslaagd."
        ),
        "",
        "De beoordelaar vinkt elk criterium aan dat de kandidaat in het gesprek laat zien. "
        "Een criterium dat niet is aangevinkt, is **niet behaald**.",
        "",
        "## Wanneer is een eindterm behaald?",
        "",
    ]
    if overrides:
        lines += [
            f"De gewone regel is: {lower_first(rule_sentence(rubric.scoring))} "
            "Voor sommige eindtermen geldt een andere regel. Dat staat hieronder.",
            "",
        ]
    for e in rubric.eindtermen:
        n = sum(1 for _ in e.criteria())
        rule = rubric.rule_for(e)
        # required_count is the function kcm_core.scoring scores with: the number here is the
        # number the checklist and `kcm score` use.
        lines.append(
            f"- **[{md_escape(e.title)}]({eindterm_page_src(e)})**, "
            f"{count_noun(n, 'criterium', 'criteria')}. {rule_sentence(rule)} "
            f"{_needed_sentence(rule, n)}"
        )
    lines += [
        "",
        "Een criterium dat niet van toepassing is (n.v.t.), telt niet mee: niet bij de behaalde "
        "criteria en niet bij het totaal. Een eindterm waarbij geen enkel criterium van "
        "toepassing is, is niet behaald.",
        "",
    ]
    rules = {rubric.rule_for(e).rule for e in rubric.eindtermen}
    if "min_count" in rules:
        lines += [
            "Vraagt een eindterm een vast aantal criteria? Dan blijft dat aantal nodig, ook als "
            "er criteria n.v.t. zijn. Zijn er minder criteria van toepassing dan nodig, dan is de "
            "eindterm niet behaald.",
            "",
        ]
    fraction_example = next(
        (e for e in rubric.eindtermen if rubric.rule_for(e).rule == "min_fraction"), None
    )
    if fraction_example is not None:
        rule = rubric.rule_for(fraction_example)
        n = sum(1 for _ in fraction_example.criteria())
        assert rule.min_fraction is not None  # checked by rule_sentence above
        example = (
            "Vraagt een eindterm een percentage? Dan wordt het aantal naar boven afgerond. "
            f"Een voorbeeld: bij {md_escape(fraction_example.title)} "
            f"{'is' if n == 1 else 'zijn'} {count_noun(n, 'criterium', 'criteria')}. "
            f"{percentage(rule.min_fraction)} procent daarvan, naar boven afgerond, is "
            f"{required_count(rule, n)}."
        )
        if n > 1:
            example += (
                f" Is één criterium n.v.t., dan telt het percentage van {n - 1} criteria: "
                f"dat is {required_count(rule, n - 1)}."
            )
        lines += [example, ""]

    lines += ["## Criteria die alleen soms van toepassing zijn", ""]
    conditional = [c for c in criteria if c.applies_when is not None]
    if not rubric.conditions:
        lines += ["In deze rubric zijn alle criteria altijd van toepassing.", ""]
    for condition in rubric.conditions:
        depends = [
            c for c in conditional if c.applies_when and c.applies_when.condition == condition.id
        ]
        options = join_dutch([lower_first(o.label) for o in condition.options], "of")
        lines += [f"### {md_escape(condition.label)}", ""]
        if condition.description:
            lines += [md_escape(condition.description), ""]
        choose = (
            f"De beoordelaar kiest: {md_escape(options)}."
            + (" Meer dan één keuze is mogelijk." if condition.multiple else "")
            + (
                " Dit moet gekozen zijn voordat de beoordeling klaar is."
                if condition.required
                else ""
            )
        )
        lines += [choose, ""]
        if depends:
            lines += [
                "Deze criteria tellen alleen mee als de keuze klopt:",
                "",
                *_criteria_list(rubric, depends, note=True),
                "",
                "Is er nog niets gekozen? Dan tellen deze criteria gewoon mee.",
                "",
            ]
        else:
            lines += ["Geen enkel criterium hangt van deze keuze af.", ""]

    lines += ["## Niet van toepassing, met een reden", ""]
    if allow_na:
        lines += [
            "Soms komt een situatie in het gesprek niet voor. Bijvoorbeeld: de klant hoeft niet "
            "in de wacht. Bij de criteria hieronder mag de beoordelaar dan **n.v.t.** kiezen. "
            "De beoordelaar schrijft er altijd een reden bij. Zonder reden kan het niet.",
            "",
            *_criteria_list(rubric, allow_na),
            "",
            "Bij alle andere criteria kan de beoordelaar niet zelf n.v.t. kiezen.",
            "",
        ]
    else:
        lines += [
            "In deze rubric kan de beoordelaar bij geen enkel criterium zelf n.v.t. kiezen.",
            "",
        ]

    lines += ["## Criteria die altijd behaald moeten zijn", ""]
    if critical:
        lines += [
            "Deze criteria zijn **knock-outcriteria**. Is één ervan niet behaald, dan is de "
            "eindterm niet behaald, ook als de regel van de eindterm minder vraagt. De "
            "beoordelaar kan een knock-outcriterium nooit zelf op n.v.t. zetten.",
            "",
            *_criteria_list(rubric, critical),
            "",
        ]
    else:
        lines += ["Deze rubric heeft geen knock-outcriteria.", ""]

    required_fields = [f.label for f in rubric.fields if f.required]
    required_conditions = [c.label for c in rubric.conditions if c.required]
    lines += ["## Wat moet ingevuld zijn", ""]
    if required_fields or required_conditions:
        lines += [
            "Een beoordeling is pas klaar (definitief) als dit is ingevuld: "
            f"{md_escape(join_dutch([*required_fields, *required_conditions]))}. "
            "Zolang de beoordeling nog een concept is, laat de checklist wel al een uitslag zien.",
            "",
        ]
    else:
        lines += ["Er zijn geen velden die ingevuld moeten zijn.", ""]

    lines += [
        "## De uitslag",
        "",
        "De uitslag zegt altijd **waarom**: welke eindterm niet is behaald en welke criteria "
        "daarvoor ontbraken.",
        "",
    ]
    return "\n".join(lines)


# ---------------------------------------------------------------------------------------------
# The checklist page (its HTML comes from build_tools.checklist)


def checklist_page() -> str:
    """Markdown shell of the checklist page; the hook puts the pre-rendered HTML in its place.

    The HTML is not passed through Markdown, so it reaches the browser byte for byte.
    """
    return "\n".join(
        [
            front_matter(
                title="Checklist",
                description="De checklist voor beoordelaars: aanvinken, bewaren en exporteren.",
                hide=["toc"],
            ),
            "",
        ]
    )


# ---------------------------------------------------------------------------------------------
# Blocks for hand-written pages: <!-- kcm:name --> markers


def eindtermen_block(rubric: Rubric) -> str:
    lines = []
    for e in rubric.eindtermen:
        n = sum(1 for _ in e.criteria())
        lines.append(
            f"- **[{md_escape(e.title)}]({eindterm_page_src(e)})**: {md_escape(e.text)} "
            f"({count_noun(n, 'criterium', 'criteria')})"
        )
    return "\n".join(lines)


def downloads_block(downloads: Sequence[Download]) -> str:
    if not downloads:
        raise PageError("no downloads to list")
    return "\n".join(
        f"- [{md_escape(d.title)}]({d.path}): {md_escape(d.description)}" for d in downloads
    )


def rubric_facts_block(rubric: Rubric) -> str:
    n = sum(1 for _ in rubric.criteria())
    return (
        f"De rubric op deze site is **{md_escape(rubric.title)}**, versie "
        f"**{md_escape(rubric.version)}**. Hij heeft "
        f"{count_noun(len(rubric.eindtermen), 'eindterm', 'eindtermen')} en "
        f"{count_noun(n, 'criterium', 'criteria')}."
    )


def expand_markers(markdown: str, blocks: Mapping[str, str], page: str) -> str:
    """Replace every ``<!-- kcm:name -->`` with ``blocks[name]``; an unknown name is an error."""

    def replace(match: re.Match[str]) -> str:
        name = match.group(1)
        if name not in blocks:
            known = ", ".join(sorted(blocks)) or "none"
            raise PageError(f"{page}: unknown marker <!-- kcm:{name} --> (known: {known})")
        return blocks[name]

    return MARKER.sub(replace, markdown)


def generated_pages(rubric: Rubric, *, checklist: bool) -> dict[str, str]:
    """Every generated page: docs-relative source path -> Markdown."""
    pages = {eindterm_page_src(e): eindterm_page(rubric, e) for e in rubric.eindtermen}
    pages[SCORING_PAGE] = scoring_page(rubric)
    pages[FORM_PAGE] = form_page(rubric, checklist=checklist)
    if checklist:
        pages[CHECKLIST_PAGE] = checklist_page()
    return pages
