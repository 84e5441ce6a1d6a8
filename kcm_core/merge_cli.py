"""``kcm merge``: two assessments of one candidate by two assessors → a joint draft
(ARCHITECTURE.md §5; the merge itself is ``kcm_core.merge``, the same code as the checklist's).

    kcm merge A.json B.json [-o OUT.json] [--rubric RUBRIC]

Each file holds one sealed assessment. A's rubric is found as ``kcm verify`` finds it (in
``./rubric/`` by id, version and sha256, or ``--rubric``); B must belong to the same one.

Exit status: 0 when merged: the joint draft (JSON) goes to OUT.json or stdout, and every
difference is one line on stderr that starts with what it is about, a criterion id first
(``2.2.1.e: A. Jansen: gecheckt; B. Bakker: niet gecheckt``). 1 when a file cannot be read or
the two do not belong together: one line per problem on stderr, ``FILE: $.json.path: message``.
2 for wrong usage.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any, TextIO

from kcm_core.assessment_load import load_assessment_data
from kcm_core.assessment_model import Assessment
from kcm_core.console import shown
from kcm_core.console import write as _write
from kcm_core.errors import KcmError, Problem, printable
from kcm_core.merge import MergeRefused, merge
from kcm_core.model import Rubric
from kcm_core.rubric_shelf import RubricShelf
from kcm_core.verify_cli import add_rubric_option, read_json_file, report, shelf_from_args

__all__ = ["add_parser", "run"]

EXIT_MERGED = 0
EXIT_REFUSED = 1


def add_parser(subparsers: Any) -> None:
    """Register ``merge`` on the ``kcm`` command's subparsers."""
    parser = subparsers.add_parser(
        "merge",
        help="twee beoordelingen van één kandidaat samenvoegen tot een gezamenlijk concept",
        description=(
            "Voeg de afgeronde, verzegelde beoordelingen van twee beoordelaars van dezelfde "
            "kandidaat samen tot één gezamenlijk concept. Waar ze hetzelfde antwoordden, is het "
            "ingevuld; elk verschil blijft open en staat op stderr, één regel per verschil. Geef "
            "de redenen en rond af in de checklist."
        ),
        epilog=(
            "Exitcode 0: samengevoegd. 1: een bestand is onleesbaar of de twee horen niet bij "
            "elkaar (andere kandidaat, andere rubric, niet afgerond); één regel per probleem op "
            "stderr (BESTAND: $.pad: melding). 2: verkeerd gebruik."
        ),
    )
    parser.add_argument("a", type=Path, metavar="A.json", help="de beoordeling van de eerste")
    parser.add_argument("b", type=Path, metavar="B.json", help="de beoordeling van de tweede")
    parser.add_argument(
        "-o",
        "--output",
        type=Path,
        metavar="OUT.json",
        help="schrijf het gezamenlijke concept naar dit bestand (anders naar stdout)",
    )
    add_rubric_option(parser)
    parser.set_defaults(run=run)


def run(
    args: argparse.Namespace, *, stdout: TextIO | None = None, stderr: TextIO | None = None
) -> int:
    """Run ``kcm merge`` with parsed arguments; returns the exit status."""
    out = stdout if stdout is not None else sys.stdout
    err = stderr if stderr is not None else sys.stderr
    shelf = shelf_from_args(args.rubric, err)
    if shelf is None:
        return EXIT_REFUSED
    paths: dict[str, Path] = {"a": args.a, "b": args.b}
    loaded = _load_pair(paths, shelf, err)
    if loaded is None:
        return EXIT_REFUSED
    a, b, rubric, sha256 = loaded
    try:
        joint, differences = merge(a, b, rubric, sha256=sha256)
    except MergeRefused as refused:
        for found in refused.problems:
            report(paths[found.side], (found.problem,), err)
        return EXIT_REFUSED
    text = json.dumps(joint.to_json_data(), ensure_ascii=False, indent=2) + "\n"
    if args.output is None:
        _write(out, text)
    else:
        try:
            args.output.write_text(text, encoding="utf-8")
        except OSError as error:
            problem = Problem((), f"kan niet schrijven ({error.strerror or error})")
            report(args.output, (problem,), err)
            return EXIT_REFUSED
    for difference in differences:
        _write(err, f"{printable(difference.label)}: {printable(difference.text)}\n")
    if args.output is not None:
        _write(
            out,
            f"{shown(args.output)}: gezamenlijk concept geschreven, {len(differences)} "
            f"{'verschil' if len(differences) == 1 else 'verschillen'} open\n",
        )
    return EXIT_MERGED


def _load_pair(
    paths: dict[str, Path], shelf: RubricShelf, err: TextIO
) -> tuple[Assessment, Assessment, Rubric, str | None] | None:
    """Both records, loaded against A's rubric; None after reporting every problem."""
    data: dict[str, Any] = {}
    for side, path in paths.items():
        try:
            data[side] = read_json_file(path)
        except KcmError as error:
            report(path, error.problems, err)
    if len(data) < len(paths):
        return None
    found = shelf.find(data["a"])
    if isinstance(found, Problem):
        report(paths["a"], (found,), err)
        return None
    rubric, sha256 = found
    records: dict[str, Assessment] = {}
    for side, path in paths.items():
        try:
            records[side] = load_assessment_data(data[side], rubric, sha256=sha256)
        except KcmError as error:
            report(path, error.problems, err)
    if len(records) < len(paths):
        return None
    return records["a"], records["b"], rubric, sha256
