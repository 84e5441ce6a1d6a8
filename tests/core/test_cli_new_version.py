"""``kcm new-version RUBRIC [--version X.Y.Z | --bump major|minor|patch]`` (ARCHITECTURE.md §5),
always on a temporary copy: the current file goes to the archive byte for byte, only the version
text changes in the rubric, an archived file is never overwritten with other content."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from _factories import KCM_RUBRIC_PATH

from kcm_core.cli import main
from kcm_core.new_version_cli import with_version

DATA = Path(__file__).resolve().parents[1] / "data" / "rubrics"
RUBRIC = Path("rubric/klantcontact.json")
ARCHIVED = Path("rubric/archive/klantcontact/1.0.0.json")


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A working folder with a copy of the KCM rubric in rubric/."""
    (tmp_path / "rubric").mkdir()
    shutil.copy(KCM_RUBRIC_PATH, tmp_path / RUBRIC)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def run(capsys: pytest.CaptureFixture[str], *args: str | Path) -> tuple[int, str, str]:
    status = main([str(a) for a in args])
    out, err = capsys.readouterr()
    return status, out, err


@pytest.mark.parametrize(
    ("options", "version"),
    [
        ([], "1.1.0"),
        (["--bump", "minor"], "1.1.0"),
        (["--bump", "major"], "2.0.0"),
        (["--bump", "patch"], "1.0.1"),
        (["--version", "1.10.0"], "1.10.0"),
    ],
)
def test_archives_the_file_as_it_was_and_changes_only_the_version_text(
    repo: Path, options: list[str], version: str, capsys: pytest.CaptureFixture[str]
) -> None:
    before = KCM_RUBRIC_PATH.read_bytes()
    status, out, err = run(capsys, "new-version", RUBRIC, *options)
    assert (status, err) == (0, "")
    assert ARCHIVED.read_bytes() == before
    after = RUBRIC.read_bytes()
    assert after == before.replace(b'"version": "1.0.0"', f'"version": "{version}"'.encode(), 1)
    assert out.splitlines()[:3] == [
        f"{ARCHIVED}: versie 1.0.0 bewaard in het archief",
        f"{RUBRIC}: nu versie {version} (was 1.0.0)",
        "Volgende stappen:",
    ]
    assert f"kcm diff {ARCHIVED} {RUBRIC}" in out


def test_the_result_passes_kcm_validate(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(capsys, "new-version", RUBRIC)[0] == 0
    (repo / "rubric" / "schema.json").write_text("{}", encoding="utf-8")
    status, out, err = run(capsys, "validate")
    assert (status, err) == (0, "")
    assert len(out.splitlines()) == 2


def test_twice_in_a_row_keeps_both_versions(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(capsys, "new-version", RUBRIC)[0] == 0
    assert run(capsys, "new-version", RUBRIC, "--bump", "patch")[0] == 0
    versions = sorted(p.name for p in ARCHIVED.parent.iterdir())
    assert versions == ["1.0.0.json", "1.1.0.json"]
    assert json.loads(RUBRIC.read_text(encoding="utf-8"))["version"] == "1.1.1"


def test_an_identical_archived_copy_is_kept_and_not_rewritten(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    ARCHIVED.parent.mkdir(parents=True)
    ARCHIVED.write_text(json.dumps(json.loads(RUBRIC.read_text("utf-8"))), encoding="utf-8")
    kept = ARCHIVED.read_bytes()
    status, out, _ = run(capsys, "new-version", RUBRIC)
    assert status == 0
    assert out.startswith(f"{ARCHIVED}: versie 1.0.0 staat al in het archief\n")
    assert ARCHIVED.read_bytes() == kept


def test_refuses_to_overwrite_a_different_archived_file(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    ARCHIVED.parent.mkdir(parents=True)
    shutil.copy(DATA / "teamleider.json", ARCHIVED)
    before = RUBRIC.read_bytes(), ARCHIVED.read_bytes()
    status, out, err = run(capsys, "new-version", RUBRIC)
    assert (status, out) == (1, "")
    assert err == (
        f"{ARCHIVED}: $: staat al in het archief met een andere inhoud dan {RUBRIC}; "
        "kcm new-version overschrijft een gearchiveerde versie nooit\n"
    )
    assert (RUBRIC.read_bytes(), ARCHIVED.read_bytes()) == before


@pytest.mark.parametrize(
    ("archived", "version", "problem"),
    [
        (None, "1.0.0", "de nieuwe versie '1.0.0' moet nieuwer zijn dan '1.0.0'"),
        (None, "0.9.9", "de nieuwe versie '0.9.9' moet nieuwer zijn dan '1.0.0'"),
        (
            "1.2.0",
            "1.1.0",
            "de nieuwe versie '1.1.0' moet nieuwer zijn dan '1.2.0' "
            f"({Path('rubric/archive/klantcontact/1.2.0.json')})",
        ),
    ],
)
def test_refuses_a_version_that_is_not_newer_than_the_current_and_every_archived_one(
    repo: Path,
    archived: str | None,
    version: str,
    problem: str,
    capsys: pytest.CaptureFixture[str],
) -> None:
    if archived is not None:
        later = repo / "rubric" / "archive" / "klantcontact" / f"{archived}.json"
        later.parent.mkdir(parents=True)
        later.write_text(RUBRIC.read_text("utf-8").replace('"1.0.0"', f'"{archived}"', 1), "utf-8")
    before = RUBRIC.read_bytes()
    status, _, err = run(capsys, "new-version", RUBRIC, "--version", version)
    assert status == 1
    assert err == f"{RUBRIC}: $.version: {problem}\n"
    assert RUBRIC.read_bytes() == before
    assert not ARCHIVED.exists()


def test_refuses_an_invalid_rubric_with_its_problems(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    RUBRIC.write_text("{}", encoding="utf-8")
    status, _, err = run(capsys, "new-version", RUBRIC)
    assert status == 1
    assert err.startswith(f"{RUBRIC}: $: de verplichte sleutel")
    assert not ARCHIVED.exists()


def test_refuses_an_archived_file(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(capsys, "new-version", RUBRIC)[0] == 0
    status, _, err = run(capsys, "new-version", ARCHIVED)
    assert status == 1
    assert err == (
        f"{ARCHIVED}: $: dit is een gearchiveerde versie; geef het huidige rubric-bestand op\n"
    )


@pytest.mark.parametrize(
    "args",
    [
        ["new-version"],
        ["new-version", "r.json", "--version", "1.1"],
        ["new-version", "r.json", "--version", "1.1.0", "--bump", "major"],
        ["new-version", "r.json", "--bump", "groot"],
    ],
)
def test_wrong_usage_exits_2(args: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    status, out, err = run(capsys, *args)
    assert (status, out) == (2, "")
    assert "gebruik: kcm new-version" in err


@pytest.mark.parametrize(
    "text",
    [
        '{"id": "x", "version": "1.0.0", "title": "t"}',
        '{\r\n    "version"  :  "1.0.0",\r\n    "id": "x"\r\n}\r\n',
        '{"title": "\\"version\\": \\"1.0.0\\"", "version": "1.0.0"}',
    ],
)
def test_only_the_version_value_changes_whatever_the_layout(text: str) -> None:
    changed = with_version(text, "1.0.0", "1.1.0")
    assert changed == text[::-1].replace('"0.0.1"', '"0.1.1"', 1)[::-1]
    assert json.loads(changed)["version"] == "1.1.0"


def test_a_file_where_the_version_text_is_not_found_once_is_written_anew() -> None:
    text = '{"version": "1.0.0", "nested": {"version": "1.0.0"}}'
    assert with_version(text, "1.0.0", "1.1.0") == (
        '{\n  "version": "1.1.0",\n  "nested": {\n    "version": "1.0.0"\n  }\n}\n'
    )
