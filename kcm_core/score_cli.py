"""``kcm score``: score assessment files against a rubric (ARCHITECTURE.md §5).

    kcm score --rubric RUBRIC ASSESSMENT.json [--format text|json]

Exit status: 0 when the file was scored (pass or fail), 1 when the rubric or the assessment
cannot be read, is invalid, or belongs to another rubric (one line per problem on stderr:
``FILE: $.json.path: message``), 2 for wrong usage (argparse).

The file may hold one assessment (``kcm-assessment``) or many (``kcm-assessments``). With many,
each one is scored: the text output has a block per assessment, and ``--format json`` prints a
JSON list with one result per assessment, each the single-assessment object plus the key
``"assessment"`` (its id). A collection with any invalid assessment is rejected as a whole, so
a score is never printed for half a file (an import in the checklist keeps the good records
instead: ``load_assessments_partial``). File names and values are printed escaped
(``kcm_core.console``): one problem is one line.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any, TextIO

from kcm_core.assessment import (
    FORMAT_MANY,
    MAX_DEPTH,
    MAX_FILE_BYTES,
    Assessment,
    load_assessments_data,
)
from kcm_core.canonical import rubric_sha256
from kcm_core.console import problem_line, shown
from kcm_core.console import write as _write
from kcm_core.errors import KcmError, Problem
from kcm_core.jsonparse import parse_json, read_file_limited
from kcm_core.model import Rubric
from kcm_core.rubric_load import load_rubric_file
from kcm_core.scoring import ScoreResult, score

__all__ = ["add_parser", "format_text", "run"]

EXIT_SCORED = 0
EXIT_INVALID = 1


def add_parser(subparsers: Any) -> None:
    """Register ``score`` on the ``kcm`` command's subparsers."""
    parser = subparsers.add_parser(
        "score",
        help="beoordeling(en) scoren tegen een rubric",
        description=(
            "Scoor een beoordeling (kcm-assessment) of een export met meer beoordelingen "
            "(kcm-assessments) tegen een rubric. Exitcode 0: gescoord (geslaagd of niet); "
            "1: bestand ongeldig of hoort niet bij deze rubric; 2: verkeerd gebruik."
        ),
    )
    parser.add_argument(
        "--rubric", required=True, type=Path, metavar="RUBRIC", help="het rubric-bestand (JSON)"
    )
    parser.add_argument(
        "assessment", type=Path, metavar="ASSESSMENT.json", help="het beoordelingsbestand"
    )
    parser.add_argument(
        "--format",
        choices=("text", "json"),
        default="text",
        help="uitvoer als tekst voor mensen (standaard) of als JSON",
    )
    parser.set_defaults(run=run)


def run(
    args: argparse.Namespace, *, stdout: TextIO | None = None, stderr: TextIO | None = None
) -> int:
    """Run ``kcm score`` with parsed arguments; returns the exit status."""
    out = stdout if stdout is not None else sys.stdout
    err = stderr if stderr is not None else sys.stderr
    rubric_path: Path = args.rubric
    assessment_path: Path = args.assessment

    try:
        rubric = load_rubric_file(rubric_path)
    except KcmError as error:
        _report(rubric_path, error.problems, err)
        return EXIT_INVALID

    try:
        data = parse_json(
            read_file_limited(assessment_path, max_bytes=MAX_FILE_BYTES),
            max_bytes=MAX_FILE_BYTES,
            max_depth=MAX_DEPTH,
        )
        assessments = load_assessments_data(data, rubric, sha256=rubric_sha256(rubric))
    except KcmError as error:
        _report(assessment_path, error.problems, err)
        return EXIT_INVALID

    results = [(a, score(rubric, a)) for a in assessments]
    many = isinstance(data, dict) and data.get("format") == FORMAT_MANY
    if args.format == "json":
        _write(out, _json_output(results, many=many) + "\n")
    else:
        _write(out, format_text(rubric, results))
    return EXIT_SCORED


def format_text(rubric: Rubric, results: Sequence[tuple[Assessment, ScoreResult]]) -> str:
    """The result for people: a block per assessment, a line per Eindterm, verdict, reasons."""
    blocks: list[str] = []
    for assessment, result in results:
        lines = [
            f"Beoordeling {shown(assessment.id)} ({shown(rubric.title)}, "
            f"versie {shown(rubric.version)})"
        ]
        # The header fields as on the form (Bedrijf, Naam Kandidaat, ...), where filled in;
        # a value is typed text, so it is escaped like a file name.
        lines.extend(
            f"{shown(f.label)}: {shown(' '.join(assessment.fields[f.id].split()))}"
            for f in rubric.fields
            if assessment.fields.get(f.id, "").strip()
        )
        lines.append(
            "Status: definitief" if result.final else "Status: concept (nog niet definitief)"
        )
        for outcome in result.outcomes:
            verdict = "behaald" if outcome.verdict == "pass" else "niet behaald"
            lines.append(
                f"Eindterm {outcome.id}: {verdict} "
                f"({outcome.met} van {outcome.applicable} gecheckt, {outcome.required} nodig)"
            )
        lines.append("Uitslag: " + ("GESLAAGD" if result.passed else "NIET GESLAAGD"))
        lines.append("Waarom:")
        lines.extend(f"- {shown(reason)}" for reason in result.reasons)
        blocks.append("\n".join(lines) + "\n")
    return "\n".join(blocks)


def _json_output(results: Sequence[tuple[Assessment, ScoreResult]], *, many: bool) -> str:
    if not many:
        return json.dumps(results[0][1].to_json_data(), ensure_ascii=False, indent=2)
    return json.dumps(
        [{"assessment": a.id, **r.to_json_data()} for a, r in results],
        ensure_ascii=False,
        indent=2,
    )


def _report(path: Path, problems: Sequence[Problem], err: TextIO) -> None:
    for problem in problems:
        _write(err, problem_line(path, problem))
