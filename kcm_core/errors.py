"""Problems found in input, each tied to a JSON path, and the error that carries all of them.

Everything that checks user input (JSON syntax, schema, meaning) reports *all* problems it finds
at once as ``Problem`` objects; a caller that cannot continue raises ``KcmError`` with them.
Paths follow JSONPath (RFC 9535) normalised paths: ``$`` is the whole document,
``$.eindtermen[1].onderdelen[0].id`` a value inside it, and keys that are not plain names use
brackets: ``$.criteria['1.1.1.a']``.

Messages are Dutch (users read them) and always a single line, so that a command-line tool can
print one line per problem; values from the input are quoted with ``quote``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

PathPart = str | int

_PLAIN_KEY = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
# Control characters, the Unicode line/paragraph separators that some terminals honour, and lone
# surrogates (JSON allows "\ud800"; such a string cannot be printed or encoded as UTF-8).
_UNPRINTABLE = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff]")
_QUOTE_LIMIT = 60


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong with the input: where (a JSON path) and what (a one-line message)."""

    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}: {self.message}"

    def to_dict(self) -> dict[str, str]:
        return {"path": self.path, "message": self.message}


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
        prefix = f"{self.source}: " if self.source else ""
        return [f"{prefix}{p}" for p in self.problems]

    def __str__(self) -> str:
        return "\n".join(self.lines())

    def __repr__(self) -> str:
        return f"KcmError({list(self.problems)!r}, source={self.source!r})"


def child_path(parent: str, part: PathPart) -> str:
    """The path of member ``part`` (object key or array index) of the value at ``parent``."""
    if isinstance(part, int):
        return f"{parent}[{part}]"
    if _PLAIN_KEY.fullmatch(part) and len(part) <= _QUOTE_LIMIT:
        return f"{parent}.{part}"
    # A key is shortened like any quoted value: a path must stay readable on one line.
    return f"{parent}[{quote(part)}]"


def json_path(parts: Sequence[PathPart]) -> str:
    """The path ``$...`` for a sequence of keys and indices from the document root."""
    path = "$"
    for part in parts:
        path = child_path(path, part)
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


def _quote_full(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace("'", "\\'")
    escaped = _UNPRINTABLE.sub(lambda m: _escape_char(m.group()), escaped)
    return f"'{escaped}'"


def _escape_char(char: str) -> str:
    named = {"\n": "\\n", "\r": "\\r", "\t": "\\t", "\b": "\\b", "\f": "\\f"}
    return named.get(char, f"\\u{ord(char):04x}")
