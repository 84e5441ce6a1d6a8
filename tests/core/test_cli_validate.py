"""``kcm validate``: exit status 0/1/2, one line per problem, never a traceback.

Most tests call ``main(argv)`` in-process (that also works inside Pyodide); the few that start
a real process are skipped where there are no processes (Pyodide, sys.platform "emscripten").
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from kcm_core.cli import main

NO_PROCESSES = sys.platform == "emscripten"
needs_processes = pytest.mark.skipif(NO_PROCESSES, reason="no subprocesses in Pyodide")


def run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    status = main(argv)
    out, err = capsys.readouterr()
    return status, out, err


def test_valid_rubric_exits_0_with_an_ok_line(
    kcm_rubric_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status, out, err = run(["validate", str(kcm_rubric_path)], capsys)
    assert status == 0
    assert out == f"{kcm_rubric_path}: in orde (klantcontact 1.0.0: 3 Eindtermen, 37 criteria)\n"
    assert err == ""


def test_without_arguments_every_rubric_in_rubric_dir_is_checked_but_not_the_schema(
    kcm_rubric_path: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    (tmp_path / "rubric").mkdir()
    shutil.copy(kcm_rubric_path, tmp_path / "rubric" / "klantcontact.json")
    shutil.copy(kcm_rubric_path, tmp_path / "rubric" / "b-kopie.json")
    (tmp_path / "rubric" / "schema.json").write_text("{}", encoding="utf-8")
    (tmp_path / "rubric" / "notities.txt").write_text("geen rubric", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    status, out, err = run(["validate"], capsys)
    assert status == 0, err
    assert [line.split(":")[0] for line in out.splitlines()] == [
        str(Path("rubric/b-kopie.json")),
        str(Path("rubric/klantcontact.json")),
    ]


def test_without_arguments_and_without_rubrics_is_wrong_usage(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    status, out, err = run(["validate"], capsys)
    assert status == 2
    assert out == ""
    assert err == "kcm validate: geen rubrics gevonden in rubric/; geef een of meer bestanden op\n"


def write_rubric(path: Path, data: dict[str, Any]) -> Path:
    path.write_text(json.dumps(data, ensure_ascii=False, indent=2), encoding="utf-8")
    return path


def test_invalid_rubric_exits_1_with_one_line_per_problem(
    kcm_rubric_data: dict[str, Any], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    kcm_rubric_data.pop("version")
    kcm_rubric_data["scoring"]["rule"] = "min_count"
    criteria = kcm_rubric_data["eindtermen"][1]["onderdelen"][0]["processen"][0]["criteria"]
    criteria[3]["critcal"] = True
    path = write_rubric(tmp_path / "kapot.json", kcm_rubric_data)
    status, out, err = run(["validate", str(path)], capsys)
    assert status == 1
    assert out == ""
    assert err.splitlines() == [
        f"{path}: $: de verplichte sleutel 'version' ontbreekt",
        f"{path}: $.eindtermen[1].onderdelen[0].processen[0].criteria[3].critcal: "
        "onbekende sleutel 'critcal'; bedoelt u 'critical'?",
        f"{path}: $.scoring: bij rule 'min_count' hoort ook de sleutel 'min_count'",
    ]


def test_every_file_is_checked_and_good_ones_still_get_their_ok_line(
    kcm_rubric_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    missing = tmp_path / "weg.json"
    status, out, err = run(["validate", str(missing), str(kcm_rubric_path)], capsys)
    assert status == 1
    assert out.startswith(f"{kcm_rubric_path}: in orde")
    assert err == f"{missing}: $: bestand niet gevonden\n"


def _nested(path: Path) -> None:
    path.write_bytes(b"[" * 100_000 + b"]" * 100_000)


def _huge(path: Path) -> None:
    with path.open("wb") as f:
        f.truncate(50_000_000)  # sparse: nothing is really written


NASTY_FILES: list[tuple[str, Callable[[Path], object], str]] = [
    ("empty", lambda p: p.write_bytes(b""), "$: het bestand is leeg"),
    (
        "invalid UTF-8",
        lambda p: p.write_bytes(b'{"id": "\xff"}'),
        "$: geen geldige UTF-8 op regel 1",
    ),
    (
        "UTF-16",
        lambda p: p.write_text("{}", encoding="utf-16"),
        "$: het bestand is opgeslagen als UTF-16",
    ),
    ("top-level array", lambda p: p.write_text("[]"), "$: het bestand moet een JSON-object"),
    ("top-level string", lambda p: p.write_text('"rubric"'), "$: het bestand moet een JSON-object"),
    ("100,000 nested brackets", _nested, "$: de JSON is te diep genest op regel 1, kolom 65"),
    ("50 MB", _huge, "$: het bestand is groter dan 5 MB"),
    ("NaN", lambda p: p.write_text('{"id": NaN}'), "$.id: NaN is geen geldig getal in JSON"),
    (
        "duplicate keys",
        lambda p: p.write_text('{"id": "a", "id": "b"}'),
        "$.id: de sleutel 'id' staat twee keer in dit object",
    ),
    (
        "syntax error",
        lambda p: p.write_text('{\n  "id": "a",\n}'),
        "$: ongeldige JSON op regel 2, kolom 12: komma te veel",
    ),
    ("a directory", lambda p: p.mkdir(), "$: dit is een map, geen bestand"),
    ("missing", lambda p: None, "$: bestand niet gevonden"),
]


@pytest.mark.parametrize(
    ("make", "message"), [(m, msg) for _, m, msg in NASTY_FILES], ids=[n for n, _, _ in NASTY_FILES]
)
def test_nasty_file_gets_a_one_line_message(
    make: Callable[[Path], object],
    message: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    path = tmp_path / "nasty.json"
    make(path)
    status, out, err = run(["validate", str(path)], capsys)
    assert status == 1
    assert out == ""
    assert err.count("\n") == 1
    assert err.startswith(f"{path}: {message}")


def test_bom_is_accepted(
    kcm_rubric_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "kladblok.json"
    path.write_bytes(b"\xef\xbb\xbf" + kcm_rubric_path.read_bytes())
    status, out, _ = run(["validate", str(path)], capsys)
    assert status == 0
    assert "in orde" in out


@pytest.mark.parametrize(
    "argv",
    [[], ["valideer"], ["validate", "--strict"], ["--bogus", "validate"]],
)
def test_wrong_usage_exits_2(argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    status, out, err = run(argv, capsys)
    assert status == 2
    assert out == ""
    assert err.startswith("gebruik: kcm")
    assert "kcm: fout: " in err or "kcm validate: fout: " in err


def test_help_is_dutch_and_lists_both_commands(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = run(["--help"], capsys)
    assert status == 0
    assert out.startswith("gebruik: kcm")
    assert "validate" in out
    assert "score" in out
    assert "toon deze hulp en stop" in out


def test_validate_help_explains_the_exit_codes(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = run(["validate", "--help"], capsys)
    assert status == 0
    assert "Exitcode 0" in out


# --- real processes: the installed entry points, and no traceback whatever the input -----------


def run_process(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "kcm_core", *args],
        capture_output=True,
        text=True,
        encoding="utf-8",
        cwd=cwd,
        timeout=120,
        check=False,
    )


@needs_processes
def test_python_m_kcm_core_exit_codes(kcm_rubric_path: Path, tmp_path: Path) -> None:
    ok = run_process("validate", str(kcm_rubric_path))
    assert (ok.returncode, ok.stderr) == (0, "")
    assert "in orde" in ok.stdout

    nested = tmp_path / "diep.json"
    _nested(nested)
    bad = run_process("validate", str(nested), str(tmp_path / "weg.json"))
    assert bad.returncode == 1
    assert "Traceback" not in bad.stderr
    assert bad.stderr.splitlines() == [
        f"{nested}: $: de JSON is te diep genest op regel 1, kolom 65: "
        "meer dan 64 lagen [ ] of { } in elkaar",
        f"{tmp_path / 'weg.json'}: $: bestand niet gevonden",
    ]

    usage = run_process("validate", "--strict")
    assert usage.returncode == 2
    assert "Traceback" not in usage.stderr


@needs_processes
def test_console_script_is_installed() -> None:
    kcm = shutil.which("kcm", path=str(Path(sys.executable).parent))
    if kcm is None:
        pytest.skip("the kcm console script is not installed next to this Python")
    done = subprocess.run([kcm, "--version"], capture_output=True, text=True, check=False)
    assert done.returncode == 0
    assert done.stdout.startswith("kcm ")
