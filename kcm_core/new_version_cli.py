"""``kcm new-version``: keep the current version of a rubric in the archive and give the rubric
a new version number (ARCHITECTURE.md §5, ``kcm_core.rubric_archive``).

    kcm new-version RUBRIC [--version X.Y.Z | --bump major|minor|patch]   (default: --bump minor)

Run it *before* editing the rubric: it copies the file byte for byte to
``archive/<id>/<version>.json`` beside it, then writes the new number into the rubric file and
changes nothing else there (only the text of the ``version`` value, so layout, key order and
line ends stay; should that text not be found once, the file is written anew with indent 2).
It never overwrites an archived file with other content, and the new version must be newer than
the current one and every archived one.

Exit status: 0 when done (what it did and the next steps on stdout); 1 when the rubric is not a
valid rubric, is itself an archived file, its version is already archived with other content,
or the new version is not newer (one line per problem on stderr, ``FILE: $.path: message``);
2 for wrong usage (also a ``--version`` that is no version number).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path
from typing import Any, TextIO

from kcm_core.canonical import rubric_sha256
from kcm_core.console import problem_line, shown
from kcm_core.console import write as _write
from kcm_core.errors import KcmError, Problem, quote
from kcm_core.jsonparse import read_file_limited
from kcm_core.rubric_archive import archive_entries, archive_path, is_archived
from kcm_core.rubric_load import MAX_RUBRIC_BYTES, load_rubric
from kcm_core.rubric_version import BUMP_PARTS, Version, parse_version

__all__ = ["add_parser", "run", "with_version"]

EXIT_OK = 0
EXIT_REFUSED = 1

# The "version" member with its string value; a key cannot match inside a string, where every
# quote is escaped. with_version checks the result anyway.
_VERSION_MEMBER = re.compile(r'("version"\s*:\s*)"((?:[^"\\]|\\.)*)"')


def add_parser(subparsers: Any) -> None:
    """Register ``new-version`` on the ``kcm`` command's subparsers."""
    parser = subparsers.add_parser(
        "new-version",
        help="huidige versie archiveren en het versienummer verhogen",
        description=(
            "Bewaar de huidige versie van een rubric in archive/<id>/<versie>.json naast het "
            "bestand en zet een nieuw versienummer in de rubric. Doe dit vóór je de rubric "
            "aanpast. Zonder --version of --bump: --bump minor."
        ),
        epilog=(
            "Exitcode 0: gedaan. 1: geweigerd (ongeldige rubric, een andere inhoud in het "
            "archief, of een versie die niet nieuwer is), één regel per probleem op stderr "
            "(BESTAND: $.pad: melding). 2: verkeerd gebruik."
        ),
    )
    parser.add_argument("rubric", type=Path, metavar="RUBRIC", help="het rubric-bestand (JSON)")
    choice = parser.add_mutually_exclusive_group()
    choice.add_argument(
        "--version",
        dest="new_version",
        type=_version_argument,
        metavar="X.Y.Z",
        help="het nieuwe versienummer, zoals 1.1.0",
    )
    choice.add_argument(
        "--bump",
        choices=BUMP_PARTS,
        default="minor",
        help="welk getal omhoog gaat: major (1.0.0 → 2.0.0), minor (→ 1.1.0, standaard) "
        "of patch (→ 1.0.1)",
    )
    parser.set_defaults(run=run)


def _version_argument(text: str) -> Version:
    try:
        return parse_version(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"{quote(text)} is geen versienummer zoals 1.1.0"
        ) from None


def run(
    args: argparse.Namespace, *, stdout: TextIO | None = None, stderr: TextIO | None = None
) -> int:
    """Run ``kcm new-version`` with parsed arguments; returns the exit status."""
    out = stdout if stdout is not None else sys.stdout
    err = stderr if stderr is not None else sys.stderr
    path: Path = args.rubric

    def refuse(where: Path, problems: list[Problem]) -> int:
        for problem in problems:
            _write(err, problem_line(where, problem))
        return EXIT_REFUSED

    try:
        raw = read_file_limited(path, max_bytes=MAX_RUBRIC_BYTES)
        rubric = load_rubric(raw, source=str(path))
    except KcmError as error:
        return refuse(path, list(error.problems))
    if is_archived(path):
        message = "dit is een gearchiveerde versie; geef het huidige rubric-bestand op"
        return refuse(path, [Problem((), message)])

    current = parse_version(rubric.version)
    new: Version = args.new_version or current.bumped(args.bump)
    target = archive_path(path, rubric.id, rubric.version)
    archived = archive_entries(path, rubric.id)
    kept = any(e.path == target and e.sha256 == rubric_sha256(rubric) for e in archived)
    if target.exists() and not kept:
        message = (
            f"staat al in het archief met een andere inhoud dan {shown(path)}; "
            "kcm new-version overschrijft een gearchiveerde versie nooit"
        )
        return refuse(target, [Problem((), message)])
    # The newest of the current and the archived versions: the new one must beat it.
    newest: tuple[str, Path | None] = (rubric.version, None)
    for entry in archived:
        if parse_version(entry.rubric.version).is_newer_than(parse_version(newest[0])):
            newest = (entry.rubric.version, entry.path)
    if not new.is_newer_than(parse_version(newest[0])):
        where = f" ({shown(newest[1])})" if newest[1] is not None else ""
        message = f"de nieuwe versie {quote(str(new))} moet nieuwer zijn dan {quote(newest[0])}"
        return refuse(path, [Problem(("version",), message + where)])

    text = with_version(raw.decode("utf-8"), rubric.version, str(new))
    load_rubric(text, source=str(path))  # still a valid rubric: only the version changed
    if not kept:
        target.parent.mkdir(parents=True, exist_ok=True)
        # "x": never replace a file that appeared since the check above.
        with target.open("xb") as archive_file:
            archive_file.write(raw)
    # Written in place rather than through a renamed temporary file, which would reset the
    # file's permissions; the archived copy above holds the old content should this fail.
    path.write_bytes(text.encode("utf-8"))

    done = "staat al in het archief" if kept else "bewaard in het archief"
    _write(out, f"{shown(target)}: versie {shown(rubric.version)} {done}\n")
    _write(out, f"{shown(path)}: nu versie {new} (was {shown(rubric.version)})\n")
    _write(
        out,
        "Volgende stappen:\n"
        f"1. Pas {shown(path)} aan.\n"
        f"2. Bekijk de wijzigingen: kcm diff {shown(target)} {shown(path)}\n"
        f"3. Controleer de rubric en het archief: kcm validate {shown(path)} {shown(target)}\n"
        "4. Bouw de site en kijk hem na: make site (of make serve)\n",
    )
    return EXIT_OK


def with_version(text: str, old: str, new: str) -> str:
    """``text`` (a rubric file) with its top-level ``version`` ``old`` replaced by ``new``."""
    data = json.loads(text)
    expected = {**data, "version": new}
    matches = [m for m in _VERSION_MEMBER.finditer(text) if m.group(2) == old]
    if len(matches) == 1:
        match = matches[0]
        changed = f'{text[: match.start()]}{match.group(1)}"{new}"{text[match.end() :]}'
        if json.loads(changed) == expected:
            return changed
    return json.dumps(expected, ensure_ascii=False, indent=2) + "\n"
