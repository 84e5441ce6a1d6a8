"""``kcm report``: the exam office's report over many exported records (design §5).

    kcm report FILE|DIR... --out DIR [--rubric RUBRIC]

Reads single exports and ``kcm-assessments`` collections (a DIR: every ``*.json`` below it),
finds each record's rubric in ``./rubric/`` or ``--rubric`` (``kcm_core.rubric_shelf``) and
writes into ``--out``: ``index.html``, ``criteria.csv``, ``eindtermen.csv``,
``kandidaten.csv`` and, when two assessors assessed a candidate, ``overeenstemming.csv``. With
records of several rubric versions the CSV files go per version into
``<id>-<version>/`` below ``--out`` (the columns stay as the contract gives them), and
``index.html`` covers all versions.

A file that cannot be read and a record that is not counted (see ``kcm_core.report``) are
named on stderr, one line per problem, ``FILE: $.json.path: message``, escaped
(``kcm_core.console``). Exit status: 0 when at least one record was counted; 1 when none was
(then nothing is written) or ``--out`` cannot be written; 2 for wrong usage.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any, TextIO

from kcm_core.console import problem_line, shown
from kcm_core.console import write as _write
from kcm_core.errors import KcmError, Problem
from kcm_core.report import ReportBuilder, document_records
from kcm_core.report_csv import report_csv_files, report_folders
from kcm_core.report_html import report_html
from kcm_core.report_model import Report
from kcm_core.verify_cli import add_rubric_option, read_json_file, shelf_from_args

__all__ = ["add_parser", "run"]

EXIT_OK = 0
EXIT_NONE = 1


def add_parser(subparsers: Any) -> None:
    """Register ``report`` on the ``kcm`` command's subparsers."""
    parser = subparsers.add_parser(
        "report",
        help="rapport voor het examenbureau over veel beoordelingen",
        description=(
            "Maak een rapport over geëxporteerde beoordelingen (kcm-assessment of "
            "kcm-assessments; een map: elk *.json-bestand erin): geslaagd per Eindterm, "
            "voldaan per criterium, uitslagen per maand en de overeenstemming tussen twee "
            "beoordelaars. Alleen afgeronde, verzegelde beoordelingen waarvan het zegel klopt "
            "tellen mee. Schrijft index.html en CSV-bestanden in de map van --out."
        ),
        epilog=(
            "Exitcode 0: minstens één beoordeling meegeteld. 1: geen enkele (er wordt niets "
            "geschreven). 2: verkeerd gebruik. Elk probleem is één regel op stderr "
            "(BESTAND: $.pad: melding)."
        ),
    )
    parser.add_argument(
        "paths",
        nargs="+",
        type=Path,
        metavar="FILE|DIR",
        help="een geëxporteerd bestand (JSON) of een map met zulke bestanden",
    )
    parser.add_argument(
        "--out", type=Path, required=True, metavar="DIR", help="de map voor het rapport"
    )
    add_rubric_option(parser)
    parser.set_defaults(run=run)


def run(
    args: argparse.Namespace, *, stdout: TextIO | None = None, stderr: TextIO | None = None
) -> int:
    """Run ``kcm report`` with parsed arguments; returns the exit status."""
    out = stdout if stdout is not None else sys.stdout
    err = stderr if stderr is not None else sys.stderr
    shelf = shelf_from_args(args.rubric, err)
    if shelf is None:
        return EXIT_NONE
    fallback = shelf.fallback()
    if fallback is None:
        message = f"geen rubric gevonden in {shown(shelf.directory)}/; geef er een op met --rubric"
        _write(err, f"kcm report: {message}\n")
        return EXIT_NONE
    builder = ReportBuilder(shelf.rubrics())
    for path in _files(args.paths, err):
        try:
            records = document_records(str(path), read_json_file(path), fallback)
        except KcmError as error:
            for problem in error.problems:
                _write(err, problem_line(path, problem))
            continue
        # File by file: only the checked records stay in memory, not every file's JSON.
        builder.add(records)
    report = builder.result()
    for skipped in report.skipped:
        for problem in skipped.problems:
            _write(err, problem_line(skipped.source, problem))
    if not report.rubrics:
        _write(err, "kcm report: geen enkele beoordeling meegeteld; er is niets geschreven\n")
        return EXIT_NONE
    try:
        _write_report(report, args.out)
    except OSError as error:
        problem = Problem((), f"kan het rapport niet schrijven: {error.strerror or error}")
        _write(err, problem_line(args.out, problem))
        return EXIT_NONE
    _write(
        out,
        f"{shown(args.out / 'index.html')}: {report.counted} beoordelingen meegeteld "
        f"({report.results} uitslagen), {len(report.skipped)} niet meegeteld\n",
    )
    return EXIT_OK


def _files(paths: list[Path], err: TextIO) -> list[Path]:
    """The files to read: each FILE, and every ``*.json`` below each DIR (sorted)."""
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            found = sorted(p for p in path.rglob("*.json") if p.is_file())
            if not found:
                _write(err, problem_line(path, Problem((), "geen *.json-bestanden in deze map")))
            files += found
        else:
            # A missing file is read anyway, so that the loader names it in its own words.
            files.append(path)
    return files


def _write_report(report: Report, out_dir: Path) -> None:
    folders = report_folders(report)
    out_dir.mkdir(parents=True, exist_ok=True)
    for part, folder in zip(report.rubrics, folders, strict=True):
        target = out_dir / folder if folder else out_dir
        target.mkdir(exist_ok=True)
        for name, text in report_csv_files(part).items():
            # Bytes, so that the CRLF line ends stay CRLF on every platform.
            (target / name).write_bytes(text.encode("utf-8"))
    (out_dir / "index.html").write_bytes(report_html(report, folders).encode("utf-8"))
