"""Problems found in input, each tied to a JSON path, and the error that carries all of them.

Everything that checks user input (JSON syntax, schema, meaning) reports *all* problems it finds
at once as ``Problem`` objects; a caller that cannot continue raises ``KcmError`` with them.

A problem keeps its location as data: the keys and indices from the document root
(``("criteria", "2.4.1.b", "remark")``), so a program (the checklist page) never has to parse a
path back out of text. ``json_path`` is the one place that turns them into the text people read,
in the style of JSONPath (RFC 9535) normalised paths: ``$`` is the whole document,
``$.eindtermen[1].onderdelen[0].id`` a value inside it, and keys that are not plain names use
brackets: ``$.criteria['1.1.1.a']``.

Messages are Dutch (users read them) and always a single line, so that a command-line tool can
print one line per problem; values from the input are quoted with ``quote``, and text that is
shown as it is (a file name, a field's value) goes through ``printable``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TypedDict

PathPart = str | int
# A location in a document: the keys and indices from its root; () is the whole document.
type PathParts = tuple[PathPart, ...]

_PLAIN_KEY = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
# Control characters, the Unicode line/paragraph separators that some terminals honour, and lone
# surrogates (JSON allows "\ud800"; such a string cannot be printed or encoded as UTF-8).
_UNPRINTABLE = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff]")
_QUOTE_LIMIT = 60


class ProblemData(TypedDict):
    """A problem as JSON data (``Problem.to_dict``): the browser API answers with these."""

    path: str
    parts: list[PathPart]
    message: str


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong with the input: where (path parts from the root) and what (one line)."""

    parts: PathParts
    message: str

    @property
    def path(self) -> str:
        """The location as people read it: ``$.criteria['2.4.1.b'].remark``."""
        return json_path(self.parts)

    def __str__(self) -> str:
        return f"{self.path}: {self.message}"

    def to_dict(self) -> ProblemData:
        return {"path": self.path, "parts": list(self.parts), "message": self.message}


class KcmError(Exception):
    """Input that cannot be used, with every problem found in it.

    ``source`` names where the input came from (a file name) and prefixes each line of ``str()``.
    """

    problems: tuple[Problem, ...]
    source: str | None

    def __init__(self, problems: Iterable[Problem], *, source: str | None = None) -> None:
        self.problems = tuple(problems)
        if not self.problems:
            raise ValueError("KcmError needs at least one problem")
        self.source = source
        super().__init__(self.problems)

    def lines(self) -> list[str]:
        """One line per problem: ``SOURCE: $.path: message`` (without SOURCE when unknown)."""
        prefix = f"{printable(self.source)}: " if self.source else ""
        return [f"{prefix}{printable(str(p))}" for p in self.problems]

    def __str__(self) -> str:
        return "\n".join(self.lines())

    def __repr__(self) -> str:
        return f"KcmError({list(self.problems)!r}, source={self.source!r})"


def json_path(parts: Iterable[PathPart]) -> str:
    """The path ``$...`` for keys and indices from the document root; the only path builder."""
    path = "$"
    for part in parts:
        if isinstance(part, int):
            path += f"[{part}]"
        elif _PLAIN_KEY.fullmatch(part) and len(part) <= _QUOTE_LIMIT:
            path += f".{part}"
        else:
            # A key is shortened like any quoted value: a path must stay readable on one line.
            path += f"[{quote(part)}]"
    return path


def quote(value: object, limit: int = _QUOTE_LIMIT) -> str:
    """A short, single-line rendering of a value from the input, for use in a message.

    Strings are put in single quotes, with control characters escaped and long text cut off, so
    that a hostile or huge value can never break the one-line-per-problem output.
    """
    if isinstance(value, str):
        shown = value if len(value) <= limit else value[:limit] + "…"
        return _quote_full(shown)
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        text = repr(value)
        return text if len(text) <= limit else text[:limit] + "…"
    if isinstance(value, list):
        return "een lijst"
    if isinstance(value, dict):
        return "een object"
    return type(value).__name__


def printable(text: str) -> str:
    """``text`` with every character that could break a line or steer a terminal escaped.

    Unlike ``quote`` it adds no quotes, cuts nothing off and leaves backslashes alone, so a
    plain name (``rubric/klantcontact.json``, ``C:\\kcm\\a.json``) stays exactly as it is; only
    control characters, DEL, C1 controls, U+2028/U+2029 and lone surrogates (an undecodable byte
    in a file name) become escapes such as ``\\n`` and ``\\u001b``.
    """
    return _UNPRINTABLE.sub(lambda m: _escape_char(m.group()), text)


def _quote_full(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace("'", "\\'")
    escaped = _UNPRINTABLE.sub(lambda m: _escape_char(m.group()), escaped)
    return f"'{escaped}'"


def _escape_char(char: str) -> str:
    named = {"\n": "\\n", "\r": "\\r", "\t": "\\t", "\b": "\\b", "\f": "\\f"}
    return named.get(char, f"\\u{ord(char):04x}")
