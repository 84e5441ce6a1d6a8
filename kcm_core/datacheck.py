"""Checking parsed JSON data by hand: a walker that collects every problem instead of stopping.

``DataChecker`` holds the problems found so far and the checks every JSON format needs (an object
with only known keys, text with a length limit, a boolean, a moment in time, no keys that pollute
a JavaScript prototype). A loader for one format subclasses it and adds the checks of its format;
``kcm_core.assessment_load`` is one. Locations are path parts from the document root
(``kcm_core.errors``); text is only made of them when a problem is shown.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from typing import Any, Final

from kcm_core.errors import KcmError, PathParts, Problem, quote

__all__ = [
    "DATE_PATTERN",
    "FORBIDDEN_KEYS",
    "MAX_PROBLEMS",
    "DataChecker",
    "date_problem",
    "datetime_problem",
    "describe",
    "more_problems_message",
    "quote_list",
]

# Keys that turn into prototype pollution when a browser merges parsed JSON into an object.
FORBIDDEN_KEYS: Final = frozenset({"__proto__", "constructor", "prototype"})
# Past this many problems the rest are counted, not listed: nobody reads 100,000 lines.
MAX_PROBLEMS: Final = 100

# A date is jjjj-mm-dd with a four-digit year, and must exist in the calendar. The pattern is
# written so that an HTML ``pattern`` attribute and a JavaScript RegExp read it the same way.
DATE_PATTERN: Final = r"\d{4}-\d{2}-\d{2}"
_DATE_RE: Final = re.compile(DATE_PATTERN + r"\Z", re.ASCII)
# RFC 3339 profile of ISO 8601: seconds and a time zone are required, so a moment is exact.
_DATETIME_RE: Final = re.compile(
    r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,9})?(?:Z|[+-]\d{2}:\d{2})\Z", re.ASCII
)


def more_problems_message(count: int) -> str:
    """The line that stands for ``count`` problems left out of a list."""
    return f"en nog {count} problemen; los eerst de problemen hierboven op"


def describe(value: Any) -> str:
    """A short Dutch description of a JSON value for messages: "de tekst 'ja'"."""
    if isinstance(value, str):
        return f"de tekst {quote(value)}"
    if isinstance(value, int | float) and not isinstance(value, bool):
        return f"het getal {quote(value)}"
    return quote(value)


def quote_list(items: Iterable[str]) -> str:
    """Values quoted and separated by commas: "'a', 'b'"."""
    return ", ".join(quote(i) for i in items)


def datetime_problem(value: str) -> str | None:
    """Why ``value`` is not a moment such as 2026-11-27T09:12:00Z, or None when it is one."""
    if _DATETIME_RE.match(value):
        # The pattern allows up to 9 decimals and Python reads at most 6; only the calendar
        # and the clock are checked here, so the decimals are dropped first.
        head, _, rest = value.partition(".")
        candidate = head + rest.lstrip("0123456789") if rest else value
        try:
            datetime.fromisoformat(candidate)
        except ValueError:
            pass
        else:
            return None
    return (
        f"ongeldige datum en tijd {quote(value)}: schrijf bijvoorbeeld "
        "2026-11-27T09:12:00Z (met seconden en tijdzone)"
    )


def date_problem(value: str) -> str | None:
    """Why ``value`` is not a date such as 2026-11-27, or None when it is one."""
    if _DATE_RE.match(value):
        try:
            date.fromisoformat(value)
        except ValueError:
            pass
        else:
            return None
    return (
        f"ongeldige datum {quote(value)}: schrijf jjjj-mm-dd, bijvoorbeeld 2026-11-27, "
        "of laat het veld leeg"
    )


class DataChecker:
    """Collects problems while it walks parsed JSON; each check returns None on a problem."""

    def __init__(self, max_problems: int = MAX_PROBLEMS) -> None:
        self.problems: list[Problem] = []
        # How many problems are kept; the rest are only counted. A caller that checks many
        # parts one by one may lower it between parts to share one budget among them.
        self.max_problems = max_problems
        self._skipped = 0

    @property
    def skipped(self) -> int:
        """How many problems were counted but not kept (past ``max_problems``)."""
        return self._skipped

    def add(self, path: PathParts, message: str) -> None:
        if len(self.problems) < self.max_problems:
            self.problems.append(Problem(path, message))
        else:
            self._skipped += 1

    def take_problems(self, summary_at: PathParts = ()) -> tuple[Problem, ...]:
        """The problems found so far, and a last one at ``summary_at`` that counts those past
        the limit; the checker starts again with none."""
        problems = list(self.problems)
        if self._skipped:
            problems.append(Problem(summary_at, more_problems_message(self._skipped)))
        self.problems = []
        self._skipped = 0
        return tuple(problems)

    def raise_if_problems(self) -> None:
        if self.problems or self._skipped:
            raise KcmError(self.take_problems())

    def forbidden_keys(self, data: Any, path: PathParts) -> None:
        """Report every key in ``FORBIDDEN_KEYS``, at any depth below ``path``."""
        if not _holds_forbidden_key(data):
            # The common case, found without a path for every object (a third of loading).
            return
        # Iterative walk: the data may come from a caller that did not limit its depth.
        stack: list[tuple[Any, PathParts]] = [(data, path)]
        while stack:
            value, where = stack.pop()
            if isinstance(value, dict):
                for key, item in reversed(list(value.items())):
                    if key in FORBIDDEN_KEYS:
                        self.add((*where, key), f"de sleutel {quote(key)} is niet toegestaan")
                    elif isinstance(item, dict | list):
                        stack.append((item, (*where, key)))
            elif isinstance(value, list):
                for index in range(len(value) - 1, -1, -1):
                    if isinstance(value[index], dict | list):
                        stack.append((value[index], (*where, index)))

    def object(
        self, value: Any, path: PathParts, allowed: Sequence[str], required: Sequence[str] = ()
    ) -> dict[str, Any] | None:
        """``value`` if it is an object with only ``allowed`` keys, else None and a problem."""
        if not isinstance(value, dict):
            self.add(path, f"verwacht een object, niet {describe(value)}")
            return None
        for key in value:
            if key in FORBIDDEN_KEYS:
                continue  # already reported by forbidden_keys
            if key not in allowed:
                self.add(
                    (*path, key),
                    f"onbekende sleutel {quote(key)}; toegestaan zijn: {quote_list(allowed)}",
                )
        for key in required:
            if key not in value:
                self.add(path, f"de sleutel '{key}' ontbreekt")
        return value

    def text(self, value: Any, path: PathParts, max_chars: int) -> str | None:
        if not isinstance(value, str):
            self.add(path, f"verwacht tekst, niet {describe(value)}")
            return None
        if len(value) > max_chars:
            self.add(path, f"te lang: {len(value)} tekens, maximaal {max_chars}")
            return None
        return value

    def boolean(self, value: Any, path: PathParts) -> bool | None:
        # type() rather than isinstance(): in Python True is an int, and 1 is not a boolean.
        if type(value) is not bool:
            self.add(path, f"moet true of false zijn, niet {describe(value)}")
            return None
        return value

    def datetime_text(self, value: Any, path: PathParts) -> str | None:
        if not isinstance(value, str):
            self.add(path, f"verwacht een datum en tijd als tekst, niet {describe(value)}")
            return None
        problem = datetime_problem(value)
        if problem is not None:
            self.add(path, problem)
            return None
        return value


def _holds_forbidden_key(data: Any) -> bool:
    """Whether any object at any depth of ``data`` has a key in ``FORBIDDEN_KEYS`` (or may
    have: data that is not plain JSON types, which the full walk then looks at)."""
    stack = [data]
    while stack:
        value = stack.pop()
        # Exact types first: parsed JSON is plain dicts and lists, and this is the fast way.
        if type(value) is dict:
            if not FORBIDDEN_KEYS.isdisjoint(value):
                return True
            stack += [v for v in value.values() if type(v) not in _SCALARS]
        elif type(value) is list:
            stack += [v for v in value if type(v) not in _SCALARS]
        elif isinstance(value, dict | list):
            return True
    return False


_SCALARS: Final = frozenset({str, int, float, bool, type(None)})
