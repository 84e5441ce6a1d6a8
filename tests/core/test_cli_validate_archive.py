"""``kcm validate`` and the archive of earlier versions (``rubric/archive/<id>/<version>.json``,
ARCHITECTURE.md §3, §5): archived files are checked too, and a current rubric whose content
differs from an archived one needs a newer version. In-process, so it runs inside Pyodide too."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from kcm_core.cli import main

DATA = Path(__file__).resolve().parents[1] / "data" / "rubrics"

Data = dict[str, Any]


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A working folder whose rubric/ holds the test rubric (1.1.0) and its archived 1.0.0."""
    shutil.copytree(DATA, tmp_path / "rubric")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def run(capsys: pytest.CaptureFixture[str], *args: str | Path) -> tuple[int, str, str]:
    status = main([str(a) for a in args])
    out, err = capsys.readouterr()
    return status, out, err


def edit(path: Path, change: Callable[[Data], object]) -> None:
    data = json.loads(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(json.dumps(data, ensure_ascii=False, indent=2), encoding="utf-8")


CURRENT = Path("rubric/teamleider.json")
ARCHIVED = Path("rubric/archive/teamleider/1.0.0.json")


def test_without_arguments_the_archive_is_checked_too(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status, out, err = run(capsys, "validate")
    assert (status, err) == (0, "")
    assert out.splitlines() == [
        f"{CURRENT}: in orde (teamleider 1.1.0: 2 Eindtermen, 8 criteria)",
        f"{ARCHIVED}: in orde (teamleider 1.0.0: 2 Eindtermen, 8 criteria)",
    ]


def reword_current(data: Data) -> None:
    data["version"] = "1.0.0"
    data["title"] = "Anders"


def copy_as(name: str) -> Callable[[Path], Path]:
    """Put a copy of the archived 1.0.0 at ``rubric/archive/<name>``; returns its path."""

    def place(repo: Path) -> Path:
        target = Path("rubric", "archive", name)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(repo / ARCHIVED, target)
        return target

    return place


def changed_without_new_version(repo: Path) -> Path:
    edit(repo / CURRENT, reword_current)
    return CURRENT


def older_than_the_archive(repo: Path) -> Path:
    edit(repo / CURRENT, lambda d: d.update(version="0.9.0"))
    return CURRENT


def older_by_number_not_by_text(repo: Path) -> Path:
    edit(repo / CURRENT, lambda d: d.update(version="1.9.0"))
    edit(copy_as("teamleider/1.10.0.json")(repo), lambda d: d.update(version="1.10.0"))
    return CURRENT


ARCHIVE_PROBLEMS: list[tuple[str, Callable[[Path], Path], list[str]]] = [
    (
        "content changed, version not",
        changed_without_new_version,
        [
            f"$.version: de rubric is veranderd maar de versie niet: {ARCHIVED} heeft "
            "ook versie '1.0.0', met een andere inhoud; verhoog de versie"
        ],
    ),
    (
        "older than the archive",
        older_than_the_archive,
        [
            f"$.version: de versie '0.9.0' moet nieuwer zijn dan elke gearchiveerde "
            f"versie, maar {ARCHIVED} heeft versie '1.0.0'"
        ],
    ),
    (
        "1.9.0 is older than 1.10.0",
        older_by_number_not_by_text,
        [
            f"$.version: de versie '1.9.0' moet nieuwer zijn dan elke gearchiveerde "
            f"versie, maar {Path('rubric/archive/teamleider/1.10.0.json')} heeft versie '1.10.0'"
        ],
    ),
    (
        "version does not match the file name",
        copy_as("teamleider/1.0.1.json"),
        [
            "$.version: de versie '1.0.0' past niet bij de bestandsnaam '1.0.1.json': een "
            "gearchiveerde rubric staat in archive/<id>/<versie>.json"
        ],
    ),
    (
        "id does not match the folder",
        copy_as("klantcontact/1.0.0.json"),
        [
            "$.id: het id 'teamleider' past niet bij de map 'klantcontact': een gearchiveerde "
            "rubric staat in archive/<id>/<versie>.json"
        ],
    ),
    (
        "not in a folder per id",
        copy_as("teamleider-1.0.0.json"),
        [
            "$: een gearchiveerde rubric hoort in archive/<id>/<versie>.json; zet dit bestand in "
            "archive/teamleider/1.0.0.json"
        ],
    ),
]


@pytest.mark.parametrize(
    ("make", "problems"), [pytest.param(m, p, id=name) for name, m, p in ARCHIVE_PROBLEMS]
)
def test_archive_problems_exit_1_with_one_line_each(
    repo: Path,
    make: Callable[[Path], Path],
    problems: list[str],
    capsys: pytest.CaptureFixture[str],
) -> None:
    culprit = make(repo)
    status, _, err = run(capsys, "validate")
    assert status == 1
    assert err.splitlines() == [f"{culprit}: {problem}" for problem in problems]


def test_an_archived_copy_of_the_current_version_is_fine(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = repo / "rubric" / "archive" / "teamleider" / "1.1.0.json"
    shutil.copy(repo / CURRENT, target)
    status, _, err = run(capsys, "validate")
    assert (status, err) == (0, "")


def test_a_change_of_layout_alone_is_no_change(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = repo / "rubric" / "archive" / "teamleider" / "1.1.0.json"
    target.write_text(json.dumps(json.loads((repo / CURRENT).read_text("utf-8"))), "utf-8")
    status, _, err = run(capsys, "validate")
    assert (status, err) == (0, "")


def test_a_file_named_on_the_command_line_is_compared_with_the_archive_beside_it(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    changed_without_new_version(repo)
    status, _, err = run(capsys, "validate", repo / CURRENT)
    assert status == 1
    assert "de rubric is veranderd maar de versie niet" in err


def test_an_archived_file_named_on_the_command_line_is_checked_against_its_place(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    wrong = repo / copy_as("teamleider/2.0.0.json")(repo)
    status, _, err = run(capsys, "validate", wrong)
    assert status == 1
    assert err.startswith(f"{wrong}: $.version: de versie '1.0.0' past niet bij de bestandsnaam")


def test_an_archive_without_current_rubrics_is_still_checked(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (repo / CURRENT).unlink()
    status, out, _ = run(capsys, "validate")
    assert status == 0
    assert out.startswith(f"{ARCHIVED}: in orde")
