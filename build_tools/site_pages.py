"""The pages and the navigation of a site with several rubrics (ARCHITECTURE.md §1 and §3).

Each rubric of the site (``build_tools.site_rubrics``) gets its pages: Eindtermen, "Zo wordt
beoordeeld", the checklist, the practice checklist ("Oefenen"), the blank form and, when it has
archived versions, "Wijzigingen". The main rubric's pages sit at the root with the hand-written
pages (its home page is docs/index.md); every other rubric's pages sit in its folder with a
generated home page. Plain functions without MkDocs, like ``build_tools.pages``.
"""

from __future__ import annotations

import html
from typing import Final

from build_tools.changes_page import changes_page
from build_tools.checklist_data import OtherRubric, SiteRubrics
from build_tools.page_text import (
    CHANGES_PAGE,
    PRACTICE_PAGE,
    count_noun,
    front_matter,
    md_escape,
)
from build_tools.pages import (
    CHECKLIST_PAGE,
    FORM_PAGE,
    HANDWRITTEN_NAV,
    SCORING_PAGE,
    eindterm_page_src,
    eindtermen_block,
    generated_pages,
)
from build_tools.site_rubrics import RubricSection, SiteRubricSet

__all__ = [
    "CHANGES_PAGE",
    "HOME_PAGE",
    "PRACTICE_PAGE",
    "checklist_kind",
    "other_rubrics_block",
    "section_pages",
    "site_nav",
    "site_rubrics_data",
]

HOME_PAGE: Final = "index.md"


def section_pages(section: RubricSection, *, main: bool) -> dict[str, str]:
    """Every generated page of one rubric: docs-relative source path -> Markdown."""
    rubric = section.rubric
    found = generated_pages(rubric, checklist=True)
    found[PRACTICE_PAGE] = practice_page()
    if section.archived:
        found[CHANGES_PAGE] = changes_page(
            section.versions,
            eindterm_pages={e.id: eindterm_page_src(e) for e in rubric.eindtermen},
        )
    if not main:
        found[HOME_PAGE] = home_page(section)
    return {section.src(name): text for name, text in found.items()}


def checklist_kind(name: str) -> bool | None:
    """For a page's name inside its section: False for the checklist, True for the practice
    checklist, None for any other page."""
    return {CHECKLIST_PAGE: False, PRACTICE_PAGE: True}.get(name)


def practice_page() -> str:
    """Markdown shell of the practice checklist; the hook puts the checklist HTML in."""
    return (
        front_matter(
            title="Oefenen",
            description="Oefen met de checklist: beoordeel zelf een gesprek. Dit is geen examen.",
            hide=["toc"],
        )
        + "\n"
    )


def home_page(section: RubricSection) -> str:
    """The start page of a rubric other than the main one."""
    rubric = section.rubric
    n = sum(1 for _ in rubric.criteria())
    lines = [
        front_matter(
            title=rubric.title, description=f"De eindtermen en criteria van {rubric.title}."
        ),
        "",
        f"# {md_escape(rubric.title)}",
        "",
    ]
    if rubric.description:
        lines += [md_escape(rubric.description), ""]
    lines += [
        f"Dit formulier heeft {count_noun(len(rubric.eindtermen), 'eindterm', 'eindtermen')} en "
        f"{count_noun(n, 'criterium', 'criteria')}. Je bent geslaagd als je elke eindterm hebt "
        f"behaald. Hoeveel criteria je per eindterm moet behalen, lees je op "
        f"[Zo wordt beoordeeld]({SCORING_PAGE}).",
        "",
        "## Eindtermen",
        "",
        eindtermen_block(rubric),
        "",
        "## Verder op deze site",
        "",
        f"- [Zo wordt beoordeeld]({SCORING_PAGE}): wanneer een eindterm is behaald.",
        f"- [Checklist]({CHECKLIST_PAGE}): de lijst voor beoordelaars, om af te vinken.",
        f"- [Oefenen]({PRACTICE_PAGE}): beoordeel zelf een gesprek, als oefening.",
        f"- [Formulier om te printen]({FORM_PAGE}): het lege formulier op papier.",
    ]
    if section.archived:
        lines.append(f"- [Wijzigingen]({CHANGES_PAGE}): wat er per versie is veranderd.")
    lines += ["", f"Dit is versie **{md_escape(rubric.version)}** van het formulier.", ""]
    return "\n".join(lines)


def _section_nav(section: RubricSection) -> list[dict[str, object]]:
    rubric = section.rubric
    src = section.src
    nav: list[dict[str, object]] = [{"Start": src(HOME_PAGE)}]
    # The theme renders nav titles unescaped: rubric text must not become markup.
    eindtermen = [{html.escape(e.title): src(eindterm_page_src(e))} for e in rubric.eindtermen]
    # Each nested section is a landmark named by its title: two sections both called
    # "Eindtermen" would be two landmarks with one name.
    title = f"Eindtermen {html.escape(rubric.id)}" if section.prefix else "Eindtermen"
    nav.append({title: eindtermen})
    nav.append({"Zo wordt beoordeeld": src(SCORING_PAGE)})
    nav.append({"Checklist": src(CHECKLIST_PAGE)})
    nav.append({"Oefenen": src(PRACTICE_PAGE)})
    nav.append({"Formulier om te printen": src(FORM_PAGE)})
    if section.archived:
        nav.append({"Wijzigingen": src(CHANGES_PAGE)})
    return nav


def site_nav(site: SiteRubricSet) -> list[dict[str, object]]:
    """The navigation, in MkDocs' nav format: the main rubric's pages, then each other rubric
    as a section of its own, then the hand-written pages."""
    nav = _section_nav(site.main)
    for section in site.others:
        nav.append({html.escape(section.rubric.title): _section_nav(section)})
    nav.extend({title: src} for title, src in HANDWRITTEN_NAV)
    return nav


def other_rubrics_block(site: SiteRubricSet) -> str:
    """For the main home page (``<!-- kcm:andere-rubrics -->``): the site's other rubrics."""
    if not site.others:
        return ""
    lines = ["## Andere examens op deze site", ""]
    for section in site.others:
        rubric = section.rubric
        lines.append(
            f"- [{md_escape(rubric.title)}]({section.src(HOME_PAGE)}), versie "
            f"{md_escape(rubric.version)}: [checklist]({section.src(CHECKLIST_PAGE)}), "
            f"[oefenen]({section.src(PRACTICE_PAGE)})"
        )
    return "\n".join(lines)


def site_rubrics_data(
    site: SiteRubricSet, section: RubricSection, *, practice: bool, site_root: str
) -> SiteRubrics:
    """What the checklist of ``section`` knows of the site (``checklist_data.SiteRubrics``);
    URLs relative to the page, which is ``site_root`` away from the site's root."""

    def url(other: RubricSection, page: str) -> str:
        return site_root + other.prefix + page.removesuffix(".md") + "/"

    sibling = url(section, CHECKLIST_PAGE if practice else PRACTICE_PAGE)
    return SiteRubrics(
        archived=tuple(r for r, _ in section.archived),
        others=tuple(
            OtherRubric(
                s.rubric.id,
                s.rubric.title,
                url(s, CHECKLIST_PAGE),
                url(s, PRACTICE_PAGE),
            )
            for s in site.sections
            if s is not section
        ),
        changes_url=url(section, CHANGES_PAGE) if section.archived else None,
        sibling_url=sibling,
    )
