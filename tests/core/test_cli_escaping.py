"""Every file name and value the command line prints is escaped: one problem is one line.

A name with a newline or a terminal escape must neither split a problem over two lines nor
steer the terminal; a plain name prints exactly as it is.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from _factories import KCM_RUBRIC_PATH, assessment_data, dumps, kcm_rubric_text

from kcm_core.cli import main
from kcm_core.errors import KcmError, printable
from kcm_core.rubric_load import load_rubric

# name in the file system -> how it is shown
NAMES = {
    "newline": ("a\nb.json", "a\\nb.json"),
    "carriage-return": ("c\rd.json", "c\\rd.json"),
    "escape": ("x\x1b[31m.json", "x\\u001b[31m.json"),
    "line-separator": ("p\u2028q.json", "p\\u2028q.json"),
    "c1-control": ("k\x9bl.json", "k\\u009bl.json"),
    "plain": ("beoordeling één.json", "beoordeling één.json"),
}
CASES = [pytest.param(name, shown, id=key) for key, (name, shown) in NAMES.items()]

BROKEN_RUBRIC = {"id": "x", "version": 1}


def _is_safe(text: str) -> bool:
    return printable(text) == text


def _run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    status = main(argv)
    out, err = capsys.readouterr()
    return status, out, err


def _expected_rubric_problems() -> int:
    with pytest.raises(KcmError) as info:
        load_rubric(json.dumps(BROKEN_RUBRIC))
    return len(info.value.problems)


@pytest.mark.parametrize(("name", "shown"), CASES)
def test_kcm_validate_prints_one_escaped_line_per_problem(
    name: str, shown: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / name
    path.write_text(json.dumps(BROKEN_RUBRIC), encoding="utf-8")
    status, out, err = _run(["validate", str(path)], capsys)
    assert (status, out) == (1, "")
    lines = err.splitlines()
    assert len(lines) == _expected_rubric_problems() > 1
    prefix = f"{tmp_path}/{shown}: $"
    assert all(line.startswith(prefix) for line in lines), lines
    assert _is_safe(err.replace("\n", ""))


@pytest.mark.parametrize(("name", "shown"), CASES)
def test_kcm_validate_ok_line_of_a_good_rubric_is_one_line(
    name: str, shown: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / name
    path.write_text(kcm_rubric_text(), encoding="utf-8")
    status, out, _ = _run(["validate", str(path)], capsys)
    assert status == 0
    assert out.splitlines() == [
        f"{tmp_path}/{shown}: in orde (klantcontact 1.0.0: 3 Eindtermen, 37 criteria)"
    ]


@pytest.mark.parametrize(("name", "shown"), CASES)
def test_kcm_score_prints_one_escaped_line_per_problem(
    name: str, shown: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = assessment_data()
    data["fields"]["datum"] = "27-11-2026"
    data["criteria"]["1.1.1.a"] = {"checked": "ja"}
    data["criteria"]["x\x1b[2J"] = {"checked": True}
    path = tmp_path / name
    path.write_text(dumps(data), encoding="utf-8")
    status, out, err = _run(["score", "--rubric", str(KCM_RUBRIC_PATH), str(path)], capsys)
    assert (status, out) == (1, "")
    lines = err.splitlines()
    assert len(lines) == 3
    assert all(line.startswith(f"{tmp_path}/{shown}: $") for line in lines), lines
    assert _is_safe(err.replace("\n", ""))


@pytest.mark.parametrize(("name", "shown"), CASES)
def test_a_missing_file_is_one_escaped_line(
    name: str, shown: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    for argv in (
        ["validate", str(tmp_path / name)],
        ["score", "--rubric", str(KCM_RUBRIC_PATH), str(tmp_path / name)],
        ["score", "--rubric", str(tmp_path / name), str(KCM_RUBRIC_PATH)],
    ):
        status, _, err = _run(argv, capsys)
        assert status == 1
        assert err == f"{tmp_path}/{shown}: $: bestand niet gevonden\n"


def test_a_plain_name_prints_byte_for_byte(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "rubric").mkdir()
    (tmp_path / "rubric" / "klantcontact.json").write_text('{"id": "x"}', encoding="utf-8")
    _, _, err = _run(["validate", "rubric/klantcontact.json"], capsys)
    assert err.startswith("rubric/klantcontact.json: $")


def test_typed_text_in_the_score_output_is_escaped(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = assessment_data(fields={"bedrijf": "Rood\x1b[31m BV", "naam_kandidaat": "A\u2028B"})
    path = tmp_path / "a.json"
    path.write_text(dumps(data), encoding="utf-8")
    status, out, _ = _run(["score", "--rubric", str(KCM_RUBRIC_PATH), str(path)], capsys)
    assert status == 0
    assert "Bedrijf: Rood\\u001b[31m BV" in out.split("\n")
    # str.split() already turns U+2028 into a space: the value stays on its line either way.
    assert "Naam Kandidaat: A B" in out.split("\n")
    assert _is_safe(out.replace("\n", ""))
