"""The ``kcm`` command (also ``python -m kcm_core``), ARCHITECTURE.md §5.

    kcm validate [RUBRIC ...]
    kcm score --rubric RUBRIC ASSESSMENT.json [--format text|json]   (kcm_core.score_cli)
    kcm verify FILE... [--rubric RUBRIC]                             (kcm_core.verify_cli)
    kcm merge A.json B.json [-o OUT.json] [--rubric RUBRIC]          (kcm_core.merge_cli)
    kcm diff OLD.json NEW.json [--format text|json]                   (kcm_core.diff_cli)
    kcm new-version RUBRIC [--version X.Y.Z | --bump PART]            (kcm_core.new_version_cli)
    kcm report FILE|DIR... --out DIR [--rubric RUBRIC]                (kcm_core.report_cli)

``kcm validate`` checks rubric files; without arguments every ``*.json`` in ``./rubric/`` except
``schema.json``, and every earlier version in ``./rubric/archive/`` (``kcm_core.rubric_archive``:
an archived file's id and version match its place; a current rubric has other content than an
archived one only with a newer version). Exit status:

- 0: every file is a valid rubric; one line per file on stdout (``FILE: in orde (...)``);
- 1: at least one file has problems; one line per problem on stderr,
  ``FILE: $.json.path: message``. A file that is missing or unreadable is a problem of that file
  (path ``$``), not wrong usage: the other files are still checked;
- 2: wrong usage (argparse), or no arguments and no rubrics in ``./rubric/``.

Bad files never produce a traceback: everything wrong with a file is a ``KcmError``. File names
and values are printed escaped (``kcm_core.console``), so one problem is always one line.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any, NoReturn

from kcm_core import (
    __version__,
    diff_cli,
    merge_cli,
    new_version_cli,
    report_cli,
    rubric_archive,
    score_cli,
    verify_cli,
)
from kcm_core.console import problem_line, shown
from kcm_core.console import write as _write
from kcm_core.errors import KcmError
from kcm_core.rubric_load import load_rubric_file
from kcm_core.rubric_shelf import DEFAULT_RUBRIC_DIR, SCHEMA_FILE_NAME

EXIT_OK = 0
EXIT_INVALID = 1
EXIT_USAGE = 2


class _DutchHelpFormatter(argparse.HelpFormatter):
    def add_usage(
        self,
        usage: str | None,
        actions: Any,
        groups: Any,
        prefix: str | None = None,
    ) -> None:
        super().add_usage(usage, actions, groups, "gebruik: " if prefix is None else prefix)


class _DutchParser(argparse.ArgumentParser):
    """argparse with Dutch headings and help option. (Messages argparse writes itself, such as
    'the following arguments are required', stay English.)"""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("formatter_class", _DutchHelpFormatter)
        kwargs["add_help"] = False
        super().__init__(*args, **kwargs)
        self._positionals.title = "argumenten"
        self._optionals.title = "opties"
        self.add_argument("-h", "--help", action="help", help="toon deze hulp en stop")

    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        self.exit(EXIT_USAGE, f"{self.prog}: fout: {message}\n")


def build_parser() -> argparse.ArgumentParser:
    parser = _DutchParser(
        prog="kcm",
        description="Rubrics controleren en beoordelingen scoren (klantcontact medewerker).",
    )
    parser.add_argument(
        "--version", action="version", version=f"kcm {__version__}", help="toon de versie"
    )
    commands = parser.add_subparsers(
        dest="command", required=True, metavar="OPDRACHT", parser_class=_DutchParser
    )
    validate = commands.add_parser(
        "validate",
        help="rubric-bestanden controleren",
        description=(
            "Controleer rubric-bestanden: geldige JSON, de opbouw volgens rubric/schema.json en "
            "de betekenis (unieke ids, verwijzingen, regels), en vergelijk met de eerdere "
            "versies in archive/ naast het bestand: een andere inhoud vraagt een nieuwere versie. "
            "Zonder bestanden: elk *.json-bestand in ./rubric/ behalve schema.json, en elke "
            "eerdere versie in ./rubric/archive/<id>/<versie>.json."
        ),
        epilog=(
            "Exitcode 0: alles in orde. 1: een of meer problemen, één regel per probleem op "
            "stderr (BESTAND: $.pad: melding). 2: verkeerd gebruik."
        ),
    )
    validate.add_argument(
        "rubrics", nargs="*", type=Path, metavar="RUBRIC", help="rubric-bestand (JSON)"
    )
    validate.set_defaults(run=run_validate)
    score_cli.add_parser(commands)
    verify_cli.add_parser(commands)
    merge_cli.add_parser(commands)
    diff_cli.add_parser(commands)
    new_version_cli.add_parser(commands)
    report_cli.add_parser(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run ``kcm`` with ``argv`` (default: the process arguments); return the exit status."""
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exit_:
        # argparse exits itself for --help/--version (0) and usage errors (2); callers such as
        # tests get the status back instead of an exception.
        return exit_.code if isinstance(exit_.code, int) else EXIT_USAGE
    status: int = args.run(args)
    return status


def run_validate(args: argparse.Namespace) -> int:
    given: list[Path] = list(args.rubrics)
    paths = given or default_rubrics()
    # Without arguments the archive of earlier versions is checked too (rubric_archive).
    archived = [] if given else rubric_archive.archived_files(DEFAULT_RUBRIC_DIR)
    if not paths and not archived:
        _write(
            sys.stderr,
            f"kcm validate: geen rubrics gevonden in {DEFAULT_RUBRIC_DIR}/; "
            "geef een of meer bestanden op\n",
        )
        return EXIT_USAGE
    status = EXIT_OK
    for path in [*paths, *archived]:
        try:
            rubric = load_rubric_file(path)
        except KcmError as error:
            status = EXIT_INVALID
            for problem in error.problems:
                _write(sys.stderr, problem_line(path, problem))
            continue
        if path in archived or rubric_archive.is_archived(path):
            problems = rubric_archive.placement_problems(path, rubric)
        else:
            problems = rubric_archive.history_problems(path, rubric)
        if problems:
            status = EXIT_INVALID
            for problem in problems:
                _write(sys.stderr, problem_line(path, problem))
            continue
        eindtermen = len(rubric.eindtermen)
        criteria = len(rubric.criterion_ids())
        _write(
            sys.stdout,
            f"{shown(path)}: in orde ({shown(rubric.id)} {shown(rubric.version)}: "
            f"{eindtermen} Eindtermen, {criteria} criteria)\n",
        )
    return status


def default_rubrics(directory: Path = DEFAULT_RUBRIC_DIR) -> list[Path]:
    """Every rubric file in ``directory``: ``*.json`` except the schema, sorted by name."""
    if not directory.is_dir():
        return []
    return sorted(p for p in directory.glob("*.json") if p.name != SCHEMA_FILE_NAME)
