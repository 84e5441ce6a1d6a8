"""Finding the rubric a record belongs to, among the rubric files on disk (``kcm verify``,
``kcm merge``).

A record names its rubric by id, version and (in every record the checklist writes) the sha256
of its content. The shelf holds every rubric file under ``rubric/`` (also older versions kept
in a subfolder such as ``rubric/archive/``), or the one file given with ``--rubric``. A file
under ``rubric/`` that does not load is passed over: ``kcm validate`` is where it is reported.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

from kcm_core.canonical import rubric_sha256
from kcm_core.console import shown
from kcm_core.errors import KcmError, Problem, quote
from kcm_core.model import Rubric
from kcm_core.rubric_load import load_rubric_file
from kcm_core.rubric_ref import named_rubric, rubric_ref

__all__ = ["DEFAULT_RUBRIC_DIR", "SCHEMA_FILE_NAME", "RubricShelf", "ShelfEntry"]

DEFAULT_RUBRIC_DIR: Final = Path("rubric")
SCHEMA_FILE_NAME: Final = "schema.json"


@dataclass(frozen=True, slots=True)
class ShelfEntry:
    """A usable rubric on the shelf: where it came from (None for ``given``) and its sha256."""

    path: Path | None
    rubric: Rubric
    sha256: str


class RubricShelf:
    """The rubrics a command may score against: ``given`` alone, or all in ``directory``."""

    def __init__(self, given: Rubric | None = None, directory: Path = DEFAULT_RUBRIC_DIR) -> None:
        self.given = given
        self.directory = directory
        self._entries: list[ShelfEntry] | None = None

    def entries(self) -> list[ShelfEntry]:
        """Every usable rubric with its file and sha256 (loaded once, on first use), in the
        order of the file names."""
        if self._entries is None:
            if self.given is not None:
                self._entries = [ShelfEntry(None, self.given, rubric_sha256(self.given))]
            else:
                self._entries = []
                files = self.directory.rglob("*.json") if self.directory.is_dir() else ()
                for path in sorted(files):
                    if path.name == SCHEMA_FILE_NAME:
                        continue
                    try:
                        rubric = load_rubric_file(path)
                    except KcmError:
                        continue
                    self._entries.append(ShelfEntry(path, rubric, rubric_sha256(rubric)))
        return self._entries

    def rubrics(self) -> list[tuple[Rubric, str]]:
        """Every usable rubric with its sha256 (see ``entries``)."""
        return [(entry.rubric, entry.sha256) for entry in self.entries()]

    def fallback(self) -> Rubric | None:
        """A rubric to check a file's outer form with, or None when there is none at all."""
        found = self.rubrics()
        return found[0][0] if found else None

    def find(self, record: Any) -> tuple[Rubric, str | None] | Problem:
        """The rubric ``record`` (parsed JSON) names, or the problem that it is not here.

        With ``given`` that rubric always: loading says it when the record is of another one.
        A record that names no rubric in a readable way gets the first rubric, so that loading
        says what is wrong with it.
        """
        found = self.rubrics()
        if self.given is not None:
            return self.given, found[0][1]
        ref = rubric_ref(record)
        if ref is None:
            if found:
                return found[0]
            return Problem(
                (), f"geen rubric gevonden in {shown(self.directory)}/; geef er een op met --rubric"
            )
        named = named_rubric(record, found)
        if named is not None:
            return named
        sha256 = ref[2]
        with_hash = f" met sha256 {quote(sha256[:12])}…" if isinstance(sha256, str) else ""
        return Problem(
            ("rubric",),
            f"geen rubric {quote(ref[0])} versie {quote(ref[1])}{with_hash} gevonden "
            f"in {shown(self.directory)}/; geef het rubric-bestand op met --rubric",
        )
