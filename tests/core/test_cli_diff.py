"""``kcm diff OLD.json NEW.json [--format text|json]`` (ARCHITECTURE.md §5): exit codes, one
escaped line per change, the JSON shape. In-process, so it runs inside Pyodide too."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from _factories import KCM_RUBRIC_PATH, dumps, kcm_rubric_data

from kcm_core.cli import main
from kcm_core.rubric_diff import diff_rubrics
from kcm_core.rubric_load import load_rubric_file

DATA = Path(__file__).resolve().parents[1] / "data" / "rubrics"
OLD = DATA / "archive" / "teamleider" / "1.0.0.json"
NEW = DATA / "teamleider.json"


def run(capsys: pytest.CaptureFixture[str], *args: str | Path) -> tuple[int, str, str]:
    status = main([str(a) for a in args])
    out, err = capsys.readouterr()
    return status, out, err


def test_differences_exit_0_with_a_heading_and_one_line_per_change(
    capsys: pytest.CaptureFixture[str],
) -> None:
    status, out, err = run(capsys, "diff", OLD, NEW)
    assert (status, err) == (0, "")
    lines = out.splitlines()
    assert lines[0] == "teamleider 1.0.0 naar 1.1.0: 15 wijzigingen"
    assert len(lines) == 16
    assert (
        "Criterium 2.1.1.c is anders geformuleerd. "
        "Eerst: “Vat de besluiten samen.” Nu: “Vat de besluiten kort samen.”"
    ) in lines
    assert "Criterium 1.1.1.b is nieuw. Tekst: “Zorgt voor een rustige plek zonder storing.”" in (
        lines
    )
    assert "Criterium 2.1.1.d is weggehaald. Tekst: “Sluit af met de actiepunten.”" in lines


def test_the_same_rubric_exits_0_with_no_changes(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = run(capsys, "diff", KCM_RUBRIC_PATH, KCM_RUBRIC_PATH)
    assert (status, out) == (0, "klantcontact 1.0.0 naar 1.0.0: geen wijzigingen\n")


def test_json_output_is_the_diff_data(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, err = run(capsys, "diff", OLD, NEW, "--format", "json")
    assert (status, err) == (0, "")
    expected = diff_rubrics(load_rubric_file(OLD), load_rubric_file(NEW)).to_json_data()
    assert json.loads(out) == expected


def test_every_problem_of_both_files_is_reported_and_exits_1(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    broken = kcm_rubric_data()
    del broken["title"]
    bad = tmp_path / "kapot.json"
    bad.write_text(dumps(broken), encoding="utf-8")
    missing = tmp_path / "weg.json"
    status, out, err = run(capsys, "diff", bad, missing)
    assert (status, out) == (1, "")
    assert err.splitlines() == [
        f"{bad}: $: de verplichte sleutel 'title' ontbreekt",
        f"{missing}: $: bestand niet gevonden",
    ]


@pytest.mark.parametrize(
    "args",
    [["diff"], ["diff", "a.json"], ["diff", "a.json", "b.json", "--format", "html"]],
)
def test_wrong_usage_exits_2(args: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    status, out, err = run(capsys, *args)
    assert (status, out) == (2, "")
    assert "gebruik: kcm diff" in err


def test_texts_with_control_characters_stay_on_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data: dict[str, Any] = kcm_rubric_data()
    data["eindtermen"][0]["onderdelen"][0]["processen"][0]["criteria"][0]["text"] = "a\nb\x1b[31m"
    new = tmp_path / "nieuw.json"
    new.write_text(dumps(data), encoding="utf-8")
    status, out, _ = run(capsys, "diff", KCM_RUBRIC_PATH, new)
    assert status == 0
    lines = out.splitlines()
    assert len(lines) == 2
    assert lines[1].endswith("Nu: “a\\nb\\u001b[31m”")
