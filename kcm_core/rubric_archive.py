"""The archive of earlier rubric versions, and the rules that keep it true (``kcm validate``,
``kcm new-version``; ARCHITECTURE.md §3).

An earlier version of the rubric in ``rubric/klantcontact.json`` is kept as
``rubric/archive/klantcontact/1.0.0.json``: the archive sits beside the rubric files, one folder
per rubric id, one file per version, a byte-for-byte copy of the file as it was published.
Assessments name their rubric by id, version and sha256, so an archived file must never change
and a published version number must never get other content. Three rules follow:

- an archived file's ``id`` and ``version`` match its place (``archive/<id>/<version>.json``);
- a current rubric with the same version as an archived one has the same content (compared as
  canonical JSON, so a change of layout alone is no change): otherwise "de rubric is veranderd
  maar de versie niet";
- a current rubric is at least as new as every archived version of its id (versions compare by
  their numbers, ``kcm_core.rubric_version``).

Archived files are found with ``kcm_core.rubric_shelf`` (which also lets ``kcm verify`` find
them for old records); files that do not load are skipped here, because ``kcm validate``
reports them as files of their own.
"""

from __future__ import annotations

from pathlib import Path
from typing import Final

from kcm_core.canonical import rubric_sha256
from kcm_core.console import shown
from kcm_core.errors import Problem, quote
from kcm_core.model import Rubric
from kcm_core.rubric_shelf import RubricShelf, ShelfEntry
from kcm_core.rubric_version import parse_version

__all__ = [
    "ARCHIVE_DIR_NAME",
    "archive_entries",
    "archive_folder",
    "archive_path",
    "archived_files",
    "history_problems",
    "is_archived",
    "placement_problems",
]

ARCHIVE_DIR_NAME: Final = "archive"
_PLACE = f"{ARCHIVE_DIR_NAME}/<id>/<versie>.json"


def archive_folder(rubric_path: Path, rubric_id: str) -> Path:
    """The folder with the earlier versions of the rubric in ``rubric_path``."""
    return rubric_path.parent / ARCHIVE_DIR_NAME / rubric_id


def archive_path(rubric_path: Path, rubric_id: str, version: str) -> Path:
    """Where version ``version`` of the rubric in ``rubric_path`` is archived."""
    return archive_folder(rubric_path, rubric_id) / f"{version}.json"


def archived_files(directory: Path) -> list[Path]:
    """Every ``*.json`` under ``directory/archive/``, sorted; also misplaced ones, so that
    ``placement_problems`` can report them."""
    folder = directory / ARCHIVE_DIR_NAME
    return sorted(folder.rglob("*.json")) if folder.is_dir() else []


def is_archived(path: Path) -> bool:
    """Whether ``path`` is a file in an archive (``archive/<id>/<version>.json``, or misplaced
    right in ``archive/``) rather than a current rubric."""
    return ARCHIVE_DIR_NAME in (path.parent.name, path.parent.parent.name)


def placement_problems(path: Path, rubric: Rubric) -> list[Problem]:
    """An archived file's id and version must be the ones its place names."""
    if path.parent.parent.name != ARCHIVE_DIR_NAME:
        expected = f"{ARCHIVE_DIR_NAME}/{rubric.id}/{rubric.version}.json"
        return [
            Problem(
                (),
                f"een gearchiveerde rubric hoort in {_PLACE}; zet dit bestand in {shown(expected)}",
            )
        ]
    problems: list[Problem] = []
    if rubric.id != path.parent.name:
        problems.append(
            Problem(
                ("id",),
                f"het id {quote(rubric.id)} past niet bij de map {quote(path.parent.name)}: "
                f"een gearchiveerde rubric staat in {_PLACE}",
            )
        )
    if rubric.version != path.stem:
        problems.append(
            Problem(
                ("version",),
                f"de versie {quote(rubric.version)} past niet bij de bestandsnaam "
                f"{quote(path.name)}: een gearchiveerde rubric staat in {_PLACE}",
            )
        )
    return problems


def archive_entries(rubric_path: Path, rubric_id: str) -> list[ShelfEntry]:
    """The archived versions of ``rubric_id`` beside ``rubric_path`` that load and carry that
    id (a file with another id is misplaced: ``placement_problems`` reports it)."""
    folder = archive_folder(rubric_path, rubric_id)
    if not folder.is_dir():
        return []
    return [e for e in RubricShelf(directory=folder).entries() if e.rubric.id == rubric_id]


def history_problems(path: Path, rubric: Rubric) -> list[Problem]:
    """A current rubric against the archived versions of its id (see the module docstring)."""
    current = parse_version(rubric.version)
    sha256 = rubric_sha256(rubric)
    problems: list[Problem] = []
    newest: ShelfEntry | None = None
    for entry in archive_entries(path, rubric.id):
        archived = parse_version(entry.rubric.version)
        if archived.precedence() == current.precedence():
            if entry.sha256 != sha256:
                problems.append(
                    Problem(
                        ("version",),
                        "de rubric is veranderd maar de versie niet: "
                        f"{shown(entry.path or '')} heeft ook versie "
                        f"{quote(entry.rubric.version)}, met een andere inhoud; verhoog de versie",
                    )
                )
        elif archived.is_newer_than(current) and (
            newest is None or archived.is_newer_than(parse_version(newest.rubric.version))
        ):
            newest = entry
    if newest is not None:
        problems.append(
            Problem(
                ("version",),
                f"de versie {quote(rubric.version)} moet nieuwer zijn dan elke gearchiveerde "
                f"versie, maar {shown(newest.path or '')} heeft versie "
                f"{quote(newest.rubric.version)}",
            )
        )
    return problems
