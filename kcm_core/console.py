"""Writing reports to a terminal: one line per problem, and never a traceback.

Every file name and value the command line prints goes through ``kcm_core.errors.printable``,
so a name with a newline or an escape character (``"a\\nb.json"``, ``"x\\x1b[31m.json"``) still
gives one line per problem and cannot steer the terminal. Plain names print unchanged.
"""

from __future__ import annotations

import os
from typing import TextIO

from kcm_core.errors import Problem, printable

__all__ = ["problem_line", "shown", "write"]


def shown(value: str | os.PathLike[str]) -> str:
    """A file name or a value as the terminal may show it (see the module docstring)."""
    return printable(os.fspath(value))


def problem_line(source: str | os.PathLike[str], problem: Problem) -> str:
    """``FILE: $.json.path: message`` and a newline: one problem, one line."""
    return f"{shown(source)}: {printable(problem.path)}: {printable(problem.message)}\n"


def write(stream: TextIO, text: str) -> None:
    """Write ``text``; characters the terminal's encoding lacks (a name with "ë" on an ASCII
    console) are shown as escapes instead of raising UnicodeEncodeError halfway a report."""
    try:
        stream.write(text)
    except UnicodeEncodeError:
        encoding = stream.encoding or "ascii"
        stream.write(text.encode(encoding, "backslashreplace").decode(encoding))
