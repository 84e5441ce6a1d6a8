"""Text helpers and page names shared by the generated pages (build_tools.pages, .paper_form,
.schema_pages) and the checklist (build_tools.checklist).

Escaping rules, because rubric text is data and never markup:
- text inside raw HTML blocks goes through :func:`html_text` (HTML-escaped);
- text inside Markdown goes through :func:`md_escape`, so ``*``, ``_``, ``[`` or ``<`` in a
  criterion never turn into emphasis, links or tags;
- ids are checked against :data:`SAFE_ID` before they become URLs, anchors or file names.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Sequence
from decimal import Decimal
from typing import Final

from kcm_core.model import AppliesWhen, Rubric

# Source paths of generated pages (relative to docs/). Hand-written pages must not use them.
SCORING_PAGE: Final = "beoordeling.md"
FORM_PAGE: Final = "formulier.md"
CHECKLIST_PAGE: Final = "checklist.md"
PRACTICE_PAGE: Final = "oefenen.md"
CHANGES_PAGE: Final = "wijzigingen.md"


# Ids end up in URLs, file names and HTML id attributes: keep them to a harmless alphabet.
SAFE_ID: Final = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")


# Characters that Python-Markdown can backslash-escape (its ESCAPED_CHARS, plus '|' from the
# tables extension). Others, such as '~' or ':', only act at the start of a line, where escaped
# text never stands.
_MD_BACKSLASH: Final = frozenset("\\`*_{}[]()#+-.!|")


class PageError(ValueError):
    """The rubric or a hand-written page cannot be turned into a page (message in English)."""


# ---------------------------------------------------------------------------------------------
# Escaping and small Dutch text helpers


def html_text(text: str) -> str:
    """Text for inside an HTML element or attribute value."""
    return html.escape(text, quote=True)


def element_text(text: str) -> str:
    """Text for inside an HTML element (quotes stay as they are: only an attribute needs them
    escaped)."""
    return html.escape(text, quote=False)


def md_escape(text: str) -> str:
    """Text for inside Markdown so that it renders literally, on one line.

    Newlines become spaces: every rubric text is one paragraph or less.
    """
    out: list[str] = []
    for ch in " ".join(text.split()):
        if ch == "&":
            out.append("&amp;")
        elif ch == "<":
            out.append("&lt;")
        elif ch == ">":
            out.append("&gt;")
        elif ch in _MD_BACKSLASH:
            out.append("\\" + ch)
        else:
            out.append(ch)
    return "".join(out)


def safe_id(value: str, what: str) -> str:
    if not SAFE_ID.match(value):
        raise PageError(
            f"{what} id {value!r} cannot be used in a URL or anchor: use letters, digits, '.', "
            "'_' or '-', starting with a letter or digit"
        )
    return value


def lower_first(text: str) -> str:
    """'Soort gesprek' -> 'soort gesprek', but leave 'KCM-gesprek' or 'A4' alone."""
    if len(text) >= 2 and text[0].isupper() and not text[1].isupper() and not text[1].isdigit():
        return text[0].lower() + text[1:]
    return text


def join_dutch(items: Sequence[str], word: str = "en") -> str:
    """['a'] -> 'a'; ['a', 'b'] -> 'a en b'; ['a', 'b', 'c'] -> 'a, b en c'."""
    if not items:
        return ""
    if len(items) == 1:
        return items[0]
    return f"{', '.join(items[:-1])} {word} {items[-1]}"


def count_noun(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


def percentage(fraction: float) -> str:
    """0.8 -> '80', 0.755 -> '75,5': exact (no float noise, no rounding), Dutch decimal comma."""
    value = format(Decimal(repr(fraction)) * 100, "f")
    if "." in value:
        value = value.rstrip("0").rstrip(".")
    return value.replace(".", ",")


def front_matter(**values: object) -> str:
    # JSON scalars and lists are valid YAML flow values, so json.dumps quotes safely. Theme
    # templates put page titles and descriptions into <title>, <meta> and the navigation
    # without escaping, so text from the rubric is HTML-escaped here.
    lines = ["---"]
    lines.extend(
        f"{key}: {json.dumps(_html_safe(value), ensure_ascii=True)}"
        for key, value in values.items()
    )
    lines.append("---")
    return "\n".join(lines)


def _html_safe(value: object) -> object:
    return html.escape(value, quote=True) if isinstance(value, str) else value


def condition_phrase(rubric: Rubric, applies_when: AppliesWhen) -> str:
    """'Alleen bij outbound gesprekken', or from the labels when the rubric gives no
    applies_text: 'Alleen bij soort gesprek: outbound (de medewerker belt de klant)'."""
    condition = rubric.condition(applies_when.condition)
    texts = {o.id: o.applies_text for o in condition.options}
    chosen = [texts[option] for option in applies_when.any_of]
    if all(chosen):
        return f"Alleen bij {join_dutch([t for t in chosen if t], 'of')}"
    labels = {o.id: o.label for o in condition.options}
    options = [lower_first(labels[option]) for option in applies_when.any_of]
    return f"Alleen bij {lower_first(condition.label)}: {join_dutch(options, 'of')}"
