"""``kcm diff``: what changed between two versions of a rubric (ARCHITECTURE.md §5).

    kcm diff OLD.json NEW.json [--format text|json]

Exit status: 0 when both files are valid rubrics, also when they differ (like ``diff`` it is a
report, not a check: ``kcm validate`` is the check); 1 when a file cannot be read or is not a
valid rubric (one line per problem on stderr, ``FILE: $.json.path: message``, both files
checked); 2 for wrong usage.

Text output: a first line naming both versions and the number of changes, then one line per
change, the Dutch sentence of ``kcm_core.rubric_diff`` followed by the old and new text where a
text changed. Every value is printed escaped (``kcm_core.console``), so a change is one line.
``--format json`` prints ``RubricDiff.to_json_data()``, indent 2.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any, TextIO

from kcm_core.console import problem_line, shown
from kcm_core.console import write as _write
from kcm_core.errors import KcmError
from kcm_core.model import Rubric
from kcm_core.rubric_diff import Change, RubricDiff, diff_rubrics
from kcm_core.rubric_diff_text import said
from kcm_core.rubric_load import load_rubric_file

__all__ = ["add_parser", "format_text", "run"]

EXIT_OK = 0
EXIT_INVALID = 1

# Changes whose old and new text the line shows after the sentence.
_TEXT_ASPECTS = frozenset({"title", "description"})
_TEXT_LEVELS = frozenset({"criterion", "onderdeel", "proces"})


def add_parser(subparsers: Any) -> None:
    """Register ``diff`` on the ``kcm`` command's subparsers."""
    parser = subparsers.add_parser(
        "diff",
        help="verschillen tussen twee versies van een rubric",
        description=(
            "Toon per criterium wat er is veranderd tussen twee versies van een rubric: nieuw, "
            "weggehaald, anders geformuleerd, verplaatst, andere eigenschappen, en wat er in de "
            "regels, velden en situaties veranderde."
        ),
        epilog=(
            "Exitcode 0: beide bestanden zijn geldige rubrics (ook als ze verschillen). "
            "1: een bestand is geen geldige rubric, één regel per probleem op stderr "
            "(BESTAND: $.pad: melding). 2: verkeerd gebruik."
        ),
    )
    parser.add_argument("old", type=Path, metavar="OLD.json", help="de oude versie")
    parser.add_argument("new", type=Path, metavar="NEW.json", help="de nieuwe versie")
    parser.add_argument(
        "--format",
        choices=("text", "json"),
        default="text",
        help="uitvoer als tekst, één regel per wijziging (standaard), of als JSON",
    )
    parser.set_defaults(run=run)


def run(
    args: argparse.Namespace, *, stdout: TextIO | None = None, stderr: TextIO | None = None
) -> int:
    """Run ``kcm diff`` with parsed arguments; returns the exit status."""
    out = stdout if stdout is not None else sys.stdout
    err = stderr if stderr is not None else sys.stderr
    loaded: list[Rubric] = []
    for path in (args.old, args.new):
        try:
            loaded.append(load_rubric_file(path))
        except KcmError as error:
            for problem in error.problems:
                _write(err, problem_line(path, problem))
    if len(loaded) != 2:
        return EXIT_INVALID
    diff = diff_rubrics(loaded[0], loaded[1])
    if args.format == "json":
        _write(out, json.dumps(diff.to_json_data(), ensure_ascii=False, indent=2) + "\n")
    else:
        _write(out, format_text(diff))
    return EXIT_OK


def format_text(diff: RubricDiff) -> str:
    """A heading line, then one line per change (see the module docstring)."""
    old, new = diff.old, diff.new
    count = len(diff.changes)
    counted = {0: "geen wijzigingen", 1: "1 wijziging"}.get(count, f"{count} wijzigingen")
    target = shown(new.version) if new.id == old.id else f"{shown(new.id)} {shown(new.version)}"
    lines = [f"{shown(old.id)} {shown(old.version)} naar {target}: {counted}"]
    lines.extend(change_line(change) for change in diff.changes)
    return "\n".join(lines) + "\n"


def change_line(change: Change) -> str:
    """The sentence, and the texts where a text of the form was added, removed or reworded
    (names and labels are in the sentence already)."""
    line = change.text
    if change.kind == "reworded" or change.aspect in _TEXT_ASPECTS:
        line += f" Eerst: {_value(change.old)} Nu: {_value(change.new)}"
    elif change.level in _TEXT_LEVELS and change.kind in ("added", "removed"):
        line += f" Tekst: {_value(change.new if change.kind == 'added' else change.old)}"
    return shown(line)


def _value(value: object) -> str:
    return "(geen)" if value is None else said(str(value))
