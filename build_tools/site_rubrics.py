"""Which rubrics a site publishes, and where each one's pages go (ARCHITECTURE.md §1 and §3).

Every rubric file in the rubric folder is published as a section of the site. The main rubric
(KCM; named by id in mkdocs.yml, ``extra.kcm.main``) keeps the site's root URLs (``eindterm-2/``,
``checklist/``), so bookmarks and installed apps keep working; every other rubric gets a folder
of its own, ``<rubric id>/`` (``teamleider/checklist/``). A rubric's earlier versions are read
from the archive beside it (``archive/<id>/<version>.json``, ``kcm_core.rubric_archive``): the
site shows what changed between them, and the engine scores an old record against its own
version.

Plain Python without MkDocs. The build checks what ``kcm validate`` checks (every file loads,
archived files sit in their place, a changed rubric has a new version) and stops with every
problem at once, each line naming its file.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Final

from build_tools.page_text import (
    CHANGES_PAGE,
    CHECKLIST_PAGE,
    FORM_PAGE,
    PRACTICE_PAGE,
    SCORING_PAGE,
)
from build_tools.pages import HANDWRITTEN_NAV
from kcm_core.canonical import rubric_sha256
from kcm_core.errors import KcmError, Problem
from kcm_core.model import Rubric
from kcm_core.rubric_archive import archived_files, history_problems, placement_problems
from kcm_core.rubric_load import load_rubric_file
from kcm_core.rubric_version import parse_version

__all__ = [
    "SCHEMA_FILE_NAME",
    "RubricSection",
    "SiteRubricError",
    "SiteRubricSet",
    "load_site_rubrics",
]

SCHEMA_FILE_NAME: Final = "schema.json"

#: Top-level folders of the site that a rubric's folder must not take: the site's own, and the
#: main rubric's pages and the hand-written ones (each page is a folder of its own).
RESERVED_FOLDERS: Final = frozenset(
    {
        *("assets", "downloads", "engine", "search", "stylesheets", "404"),
        *(
            Path(src).stem
            for src in (
                *(CHECKLIST_PAGE, PRACTICE_PAGE, FORM_PAGE, SCORING_PAGE, CHANGES_PAGE),
                *(src for _, src in HANDWRITTEN_NAV),
            )
        ),
    }
)


class SiteRubricError(Exception):
    """The site's rubrics cannot be published; one line per problem, each naming its file."""


@dataclass(frozen=True, slots=True)
class RubricSection:
    """One rubric of the site: its current version, its file, its archived versions (oldest
    first) and the folder of its pages (``""`` for the main rubric, else ``"<id>/"``)."""

    rubric: Rubric
    path: Path
    archived: tuple[tuple[Rubric, Path], ...]
    prefix: str

    @property
    def versions(self) -> tuple[Rubric, ...]:
        """Every version, oldest first, the current one last."""
        return (*(r for r, _ in self.archived), self.rubric)

    def src(self, page: str) -> str:
        """The docs-relative source path of one of this rubric's pages."""
        return self.prefix + page


@dataclass(frozen=True, slots=True)
class SiteRubricSet:
    """The rubrics of one site: the main one first."""

    main: RubricSection
    others: tuple[RubricSection, ...]

    @property
    def sections(self) -> tuple[RubricSection, ...]:
        return (self.main, *self.others)

    def section_of(self, src_uri: str) -> tuple[RubricSection, str]:
        """The section a page belongs to, and its name inside it (``"checklist.md"``)."""
        for section in self.others:
            if section.prefix and src_uri.startswith(section.prefix):
                return section, src_uri[len(section.prefix) :]
        return self.main, src_uri

    def shelf(self) -> Iterator[tuple[Rubric, Path]]:
        """Every rubric the engine must know, with its file: the current ones (main first),
        then every archived version, without duplicates (an archived copy of a current
        version)."""
        seen: set[str] = set()
        for rubric, path in (
            *((s.rubric, s.path) for s in self.sections),
            *(entry for s in self.sections for entry in s.archived),
        ):
            sha256 = rubric_sha256(rubric)
            if sha256 not in seen:
                seen.add(sha256)
                yield rubric, path

    def shelf_paths(self) -> list[Path]:
        return [path for _, path in self.shelf()]

    def watched(self) -> list[Path]:
        return [s.path for s in self.sections]


def load_site_rubrics(source: Path, main_id: str | None = None) -> SiteRubricSet:
    """The rubrics to publish from ``source``: a folder (every ``*.json`` in it except
    ``schema.json``, with the archive beside them) or one rubric file (that rubric alone, with
    its archive). ``main_id`` names the main rubric; without it, or when no rubric has that id
    and there is just one, the first by file name. Raises ``SiteRubricError`` with every
    problem."""
    problems: list[str] = []
    if source.is_dir():
        files = sorted(p for p in source.glob("*.json") if p.name != SCHEMA_FILE_NAME)
        archive_dir = source
    else:
        files = [source]
        archive_dir = source.parent
    current: list[tuple[Rubric, Path]] = []
    for path in files:
        rubric = _load(path, problems)
        if rubric is not None:
            current.append((rubric, path))
    if not files:
        problems.append(f"{source}: geen rubric gevonden (een *.json-bestand)")
    ids: dict[str, Path] = {}
    for rubric, path in current:
        if rubric.id in ids:
            problems.append(f"{path}: $.id: het id {rubric.id!r} heeft ook {ids[rubric.id]}")
        ids.setdefault(rubric.id, path)
        problems.extend(_lines(path, history_problems(path, rubric)))
    wanted = {rubric.id for rubric, _ in current}
    archived: dict[str, list[tuple[Rubric, Path]]] = {}
    for path in archived_files(archive_dir):
        rubric = _load(path, problems)
        if rubric is None:
            continue
        placed = placement_problems(path, rubric)
        problems.extend(_lines(path, placed))
        if not placed and rubric.id in wanted:
            archived.setdefault(rubric.id, []).append((rubric, path))
    if problems:
        raise SiteRubricError("\n".join(problems))
    main_index = next((i for i, (r, _) in enumerate(current) if r.id == main_id), None)
    if main_index is None:
        if main_id is not None and len(current) > 1:
            known = ", ".join(r.id for r, _ in current)
            raise SiteRubricError(
                f"{source}: geen rubric met id {main_id!r} (extra.kcm.main in mkdocs.yml); "
                f"wel: {known}"
            )
        main_index = 0
    sections = [
        RubricSection(
            rubric,
            path,
            tuple(
                sorted(
                    (
                        entry
                        for entry in archived.get(rubric.id, [])
                        if entry[0].version != rubric.version
                    ),
                    key=lambda entry: parse_version(entry[0].version).precedence(),
                )
            ),
            "" if index == main_index else f"{rubric.id}/",
        )
        for index, (rubric, path) in enumerate(current)
    ]
    main = sections.pop(main_index)
    taken = [
        s
        for s in sections
        if s.rubric.id in RESERVED_FOLDERS or s.rubric.id.startswith("eindterm-")
    ]
    if taken:
        raise SiteRubricError(
            "\n".join(
                f"{s.path}: $.id: het id {s.rubric.id!r} is ook de naam van een map van de site; "
                "kies een ander id"
                for s in taken
            )
        )
    return SiteRubricSet(main, tuple(sections))


def _load(path: Path, problems: list[str]) -> Rubric | None:
    try:
        return load_rubric_file(path)
    except KcmError as error:
        problems.extend(_lines(path, error.problems))
        return None


def _lines(path: Path, problems: list[Problem] | tuple[Problem, ...]) -> list[str]:
    return [f"{path}: {p.path}: {p.message}" for p in problems]
