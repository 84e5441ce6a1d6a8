"""``kcm score`` (ARCHITECTURE.md §5), run in-process through ``kcm_core.cli.main``.

No subprocess: these tests also run inside Pyodide.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from _factories import (
    KCM_RUBRIC_PATH,
    assessment_data,
    collection_data,
    dumps,
    kcm_rubric,
    kcm_rubric_data,
)

from kcm_core.cli import main

KCM_ALL = kcm_rubric().criterion_ids()


def write(tmp_path: Path, name: str, data: Any) -> Path:
    path = tmp_path / name
    path.write_text(data if isinstance(data, str) else dumps(data), encoding="utf-8")
    return path


def run(capsys: pytest.CaptureFixture[str], *args: str | Path) -> tuple[int, str, str]:
    status = main(["score", *map(str, args)])
    out, err = capsys.readouterr()
    return status, out, err


def test_json_output_of_a_pass(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write(tmp_path, "a.json", assessment_data(status="final"))
    status, out, err = run(capsys, "--rubric", KCM_RUBRIC_PATH, path, "--format", "json")
    assert (status, err) == (0, "")
    result = json.loads(out)
    assert list(result) == ["verdict", "final", "outcomes", "reasons"]
    assert (result["verdict"], result["final"]) == ("pass", True)
    assert [o["id"] for o in result["outcomes"]] == ["1", "2", "3"]
    assert result["outcomes"][1] == {
        "id": "2",
        "verdict": "pass",
        "met": 25,
        "applicable": 25,
        "required": 25,
        "missing": [],
    }
    assert result["reasons"][0] == "Geslaagd: alle 3 Eindtermen zijn behaald."


def test_a_fail_is_scored_with_exit_zero(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    checked = [c for c in KCM_ALL if c != "2.3.1.a"]
    path = write(tmp_path, "a.json", assessment_data(checked=checked))
    status, out, _ = run(capsys, "--rubric", KCM_RUBRIC_PATH, path, "--format", "json")
    result = json.loads(out)
    assert status == 0
    assert (result["verdict"], result["final"]) == ("fail", False)
    assert result["outcomes"][1]["missing"] == ["2.3.1.a"]
    assert "Eindterm 2 niet behaald: 2.3.1.a ontbreekt." in result["reasons"]


def test_text_output_is_for_people(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    checked = [c for c in KCM_ALL if c != "2.1.1.a"]
    path = write(tmp_path, "a.json", assessment_data(checked=checked))
    status, out, _ = run(capsys, "--rubric", KCM_RUBRIC_PATH, path)
    assert status == 0
    lines = out.splitlines()
    assert lines[:10] == [
        "Beoordeling a1 (Beoordelingsformulier klantcontact medewerker, versie 1.0.0)",
        "Bedrijf: Belcentrum Noord",
        "Naam Kandidaat: Sanne de Vries",
        "Datum: 2026-11-27",
        "Geboortedatum Kandidaat: 2001-05-04",
        "Status: concept (nog niet definitief)",
        "Eindterm 1: behaald (4 van 4 gecheckt, 4 nodig)",
        "Eindterm 2: niet behaald (24 van 25 gecheckt, 25 nodig)",
        "Eindterm 3: behaald (7 van 7 gecheckt, 7 nodig)",
        "Uitslag: NIET GESLAAGD",
    ]
    assert "- Eindterm 2 niet behaald: 2.1.1.a ontbreekt." in lines


def test_many_assessments_are_each_scored(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    doc = collection_data(
        assessment_data(assessment_id="x"), assessment_data(assessment_id="y", checked=[])
    )
    path = write(tmp_path, "export.json", doc)
    status, out, _ = run(capsys, "--rubric", KCM_RUBRIC_PATH, path, "--format", "json")
    results = json.loads(out)
    assert status == 0
    assert [(r["assessment"], r["verdict"]) for r in results] == [("x", "pass"), ("y", "fail")]
    status, out, _ = run(capsys, "--rubric", KCM_RUBRIC_PATH, path)
    assert out.count("Beoordeling ") == 2


def test_invalid_assessment_gives_one_line_per_problem(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = assessment_data()
    data["criteria"]["1.1.1.a"] = {"checked": "ja"}
    data["fields"]["datum"] = "27-11-2026"
    path = write(tmp_path, "fout.json", data)
    status, out, err = run(capsys, "--rubric", KCM_RUBRIC_PATH, path)
    assert (status, out) == (1, "")
    assert err.splitlines() == [
        f"{path}: $.fields.datum: ongeldige datum '27-11-2026': schrijf jjjj-mm-dd, "
        "bijvoorbeeld 2026-11-27, of laat het veld leeg",
        f"{path}: $.criteria['1.1.1.a'].checked: moet true of false zijn, niet de tekst 'ja'",
    ]


def test_assessment_of_another_rubric_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = assessment_data()
    data["rubric"]["version"] = "0.9.0"
    path = write(tmp_path, "oud.json", data)
    status, _, err = run(capsys, "--rubric", KCM_RUBRIC_PATH, path)
    assert status == 1
    assert err == (
        f"{path}: $.rubric: deze beoordeling hoort bij rubric 'klantcontact' versie '0.9.0', "
        "niet bij rubric 'klantcontact' versie '1.0.0'\n"
    )


def test_changed_rubric_content_is_detected_by_sha256(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from kcm_core.canonical import rubric_sha256

    data = assessment_data()
    data["rubric"]["sha256"] = rubric_sha256(kcm_rubric())
    assessment = write(tmp_path, "a.json", data)
    changed = kcm_rubric_data()
    changed["title"] += " (aangepast)"
    rubric = write(tmp_path, "rubric.json", changed)
    status, _, err = run(capsys, "--rubric", rubric, assessment)
    assert status == 1
    assert f"{assessment}: $.rubric.sha256: de beoordeling is gemaakt met een andere inhoud" in err


@pytest.mark.parametrize(
    ("content", "fragment"),
    [
        ('{"format": "kcm-assessment", ', "ongeldige JSON op regel 1"),
        ("[1, 2]", "verwacht een kcm-beoordeling (een object), niet een lijst"),
        ("", "leeg"),
    ],
)
def test_unreadable_assessment_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], content: str, fragment: str
) -> None:
    path = write(tmp_path, "kapot.json", content)
    status, out, err = run(capsys, "--rubric", KCM_RUBRIC_PATH, path)
    assert (status, out) == (1, "")
    assert err.startswith(f"{path}: $")
    assert fragment in err
    assert "Traceback" not in err


def test_missing_files_are_problems_not_tracebacks(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status, _, err = run(capsys, "--rubric", KCM_RUBRIC_PATH, tmp_path / "weg.json")
    assert status == 1
    assert err == f"{tmp_path / 'weg.json'}: $: bestand niet gevonden\n"
    path = write(tmp_path, "a.json", assessment_data())
    status, _, err = run(capsys, "--rubric", tmp_path / "geen-rubric.json", path)
    assert status == 1
    assert err == f"{tmp_path / 'geen-rubric.json'}: $: bestand niet gevonden\n"


def test_invalid_rubric_is_reported_against_the_rubric_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rubric = write(tmp_path, "rubric.json", {"id": "x"})
    path = write(tmp_path, "a.json", assessment_data())
    status, _, err = run(capsys, "--rubric", rubric, path)
    assert status == 1
    assert all(line.startswith(f"{rubric}: $") for line in err.splitlines())


@pytest.mark.parametrize(
    "args",
    [
        pytest.param([], id="nothing"),
        pytest.param(["a.json"], id="no-rubric"),
        pytest.param(["--rubric", "r.json"], id="no-assessment"),
        pytest.param(["--rubric", "r.json", "a.json", "--format", "xml"], id="bad-format"),
        pytest.param(["--rubric", "r.json", "a.json", "b.json"], id="two-files"),
    ],
)
def test_wrong_usage_exits_2(args: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["score", *args]) == 2
    _, err = capsys.readouterr()
    assert "gebruik:" in err
