"""The "Wijzigingen" page of a rubric: what changed from each version to the next, for
candidates (ARCHITECTURE.md §3).

Plain functions without MkDocs. The sentences are ``kcm_core.rubric_diff``'s, the same that
``kcm diff`` prints, so the page and the command line never disagree; this module only groups
them per version and per Eindterm and shows the old and new texts beside them.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator, Sequence
from typing import Final

from build_tools.page_text import CHANGES_PAGE, count_noun, front_matter, md_escape
from kcm_core.model import Rubric
from kcm_core.rubric_diff import Change, RubricDiff, diff_rubrics

__all__ = ["CHANGES_PAGE", "changes_page"]


# Changes whose old and new texts a candidate wants to read side by side.
_TEXT_ASPECTS: Final = frozenset({"text", "title", "description"})
_TEXT_LEVELS: Final = frozenset({"criterion", "onderdeel", "proces", "eindterm"})


def changes_page(versions: Sequence[Rubric], *, eindterm_pages: dict[str, str]) -> str:
    """The page for ``versions`` (oldest first, the current one last; at least two).

    ``eindterm_pages`` maps the current rubric's Eindterm ids to their page (``eindterm-2.md``),
    so a criterion of the current version links to its place.
    """
    if len(versions) < 2:
        raise ValueError("a changes page needs at least two versions")
    current = versions[-1]
    lines = [
        front_matter(
            title="Wijzigingen",
            description=f"Wat er veranderd is in {current.title}, per versie.",
        ),
        "",
        "# Wijzigingen",
        "",
        f"Op deze pagina lees je wat er veranderd is in **{md_escape(current.title)}**. De "
        f"nieuwste versie is **{md_escape(current.version)}**: die staat op deze site en daarmee "
        "word je beoordeeld. Een beoordeling die met een oudere versie is gemaakt, blijft bij die "
        "versie horen en wordt daarmee berekend.",
        "",
    ]
    steps = list(itertools.pairwise(versions))
    for old, new in reversed(steps):
        lines.extend(_step(diff_rubrics(old, new), current, eindterm_pages))
    return "\n".join(lines) + "\n"


def _step(diff: RubricDiff, current: Rubric, eindterm_pages: dict[str, str]) -> Iterator[str]:
    yield f"## Van versie {md_escape(diff.old.version)} naar {md_escape(diff.new.version)}"
    yield ""
    if not diff.changes:
        yield "In deze versie is niets veranderd wat je op het formulier merkt."
        yield ""
        return
    yield f"{count_noun(len(diff.changes), 'wijziging', 'wijzigingen').capitalize()}:"
    yield ""
    group: str | None = ""
    for change in diff.changes:
        if change.eindterm != group:
            if group != "":
                yield ""
            group = change.eindterm
            yield f"### {'Eindterm ' + md_escape(group) if group else 'Het hele formulier'}"
            yield ""
        linked = diff.new.version == current.version and change.kind != "removed"
        yield from _change(change, eindterm_pages if linked else {})
    yield ""


def _change(change: Change, eindterm_pages: dict[str, str]) -> Iterator[str]:
    text = md_escape(change.text)
    page = eindterm_pages.get(change.eindterm or "")
    if change.level == "criterion" and page:
        text += f" [Bekijk {md_escape(change.id)}]({page}#{change.id})"
    yield f"- {text}"
    if change.kind == "reworded" or change.aspect in _TEXT_ASPECTS:
        yield f"    - Eerst: {_quoted(change.old)}"
        yield f"    - Nu: {_quoted(change.new)}"
    elif change.level in _TEXT_LEVELS and change.kind in ("added", "removed"):
        value = change.new if change.kind == "added" else change.old
        if isinstance(value, str):
            yield f"    - Tekst: {_quoted(value)}"


def _quoted(value: object) -> str:
    return "(geen)" if value is None else f"“{md_escape(str(value))}”"
