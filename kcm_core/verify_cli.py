"""``kcm verify``: check that exported exam records are sealed and unchanged (ARCHITECTURE.md §5).

    kcm verify FILE... [--rubric RUBRIC]

Every file holds one assessment or a ``kcm-assessments`` collection. Each record is checked
against the rubric it names, found in ``./rubric/`` (also in subfolders such as
``rubric/archive/``) by id, version and sha256, or the one given with ``--rubric``
(``kcm_core.rubric_shelf``), and must be finalised, not a practice record, sealed, with a seal
that matches its content and a recorded result equal to a fresh scoring (``kcm_core.seal``).

Exit status: 0 when every record of every file passes (one line per file on stdout,
``FILE: in orde (...)``); 1 otherwise, one line per problem on stderr,
``FILE: $.json.path: message`` ("niet afgerond" for a draft, "niet verzegeld" for a record
finalised without a seal, "het zegel klopt niet" for a changed record); 2 for wrong usage.
File names and values are printed escaped (``kcm_core.console``): one problem is one line.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any, TextIO

from kcm_core.assessment_model import MAX_DEPTH, MAX_FILE_BYTES
from kcm_core.console import problem_line, shown
from kcm_core.console import write as _write
from kcm_core.errors import KcmError, Problem
from kcm_core.jsonparse import parse_json, read_file_limited
from kcm_core.rubric_load import load_rubric_file
from kcm_core.rubric_shelf import DEFAULT_RUBRIC_DIR, RubricShelf
from kcm_core.seal import verify_document

__all__ = ["add_parser", "add_rubric_option", "read_json_file", "run", "shelf_from_args"]

EXIT_OK = 0
EXIT_INVALID = 1


def add_parser(subparsers: Any) -> None:
    """Register ``verify`` on the ``kcm`` command's subparsers."""
    parser = subparsers.add_parser(
        "verify",
        help="controleren of afgeronde beoordelingen verzegeld en onveranderd zijn",
        description=(
            "Controleer geëxporteerde beoordelingen (kcm-assessment of kcm-assessments): "
            "afgerond, geen oefening, verzegeld, het zegel klopt bij de inhoud en de uitslag is "
            "gelijk aan een nieuwe berekening met de rubric die de beoordeling noemt (gezocht "
            "in ./rubric/ op id, versie en sha256, of opgegeven met --rubric)."
        ),
        epilog=(
            "Exitcode 0: alles in orde. 1: een of meer problemen, één regel per probleem op "
            "stderr (BESTAND: $.pad: melding). 2: verkeerd gebruik."
        ),
    )
    parser.add_argument(
        "files", nargs="+", type=Path, metavar="FILE", help="een geëxporteerd bestand (JSON)"
    )
    add_rubric_option(parser)
    parser.set_defaults(run=run)


def add_rubric_option(parser: argparse.ArgumentParser) -> None:
    """``--rubric``, as verify, merge and report take it (read back by ``shelf_from_args``)."""
    parser.add_argument(
        "--rubric",
        type=Path,
        metavar="RUBRIC",
        help="het rubric-bestand, als het niet in ./rubric/ staat",
    )


def shelf_from_args(rubric_path: Path | None, err: TextIO) -> RubricShelf | None:
    """The rubrics to use: the one ``--rubric`` names, or all in ./rubric/. None (and the
    problems on ``err``) when the named rubric does not load."""
    if rubric_path is None:
        return RubricShelf(directory=DEFAULT_RUBRIC_DIR)
    try:
        return RubricShelf(load_rubric_file(rubric_path))
    except KcmError as error:
        report(rubric_path, error.problems, err)
        return None


def read_json_file(path: Path) -> Any:
    """A file's parsed JSON within the format's limits; raises KcmError."""
    return parse_json(
        read_file_limited(path, max_bytes=MAX_FILE_BYTES),
        max_bytes=MAX_FILE_BYTES,
        max_depth=MAX_DEPTH,
    )


def report(path: Path, problems: Any, err: TextIO) -> None:
    for problem in problems:
        _write(err, problem_line(path, problem))


def run(
    args: argparse.Namespace, *, stdout: TextIO | None = None, stderr: TextIO | None = None
) -> int:
    """Run ``kcm verify`` with parsed arguments; returns the exit status."""
    out = stdout if stdout is not None else sys.stdout
    err = stderr if stderr is not None else sys.stderr
    shelf = shelf_from_args(args.rubric, err)
    if shelf is None:
        return EXIT_INVALID
    status = EXIT_OK
    good: list[tuple[Path, int]] = []
    for path in args.files:
        count, problems = _verify_file(path, shelf)
        if problems:
            status = EXIT_INVALID
            report(path, problems, err)
        else:
            good.append((path, count))
    # The "in orde" lines only when everything passed: a partial success reads as a pass.
    if status == EXIT_OK:
        for path, count in good:
            what = "verzegelde beoordeling" if count == 1 else "verzegelde beoordelingen"
            _write(out, f"{shown(path)}: in orde ({count} {what})\n")
    return status


def _verify_file(path: Path, shelf: RubricShelf) -> tuple[int, tuple[Problem, ...]]:
    """How many records the file holds, and every problem with it."""
    try:
        data = read_json_file(path)
    except KcmError as error:
        return 0, error.problems
    fallback = shelf.fallback()
    if fallback is None:
        found = shelf.find(data)
        return 0, (found,) if isinstance(found, Problem) else ()
    try:
        records = verify_document(data, shelf.find, fallback)
    except KcmError as error:
        return 0, error.problems
    return len(records), tuple(p for r in records for p in r.verification.problems)
