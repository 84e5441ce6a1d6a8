"""``kcm report`` (design §5), run in-process through ``kcm_core.cli.main``: the files it
writes (names, exact CSV headers, BOM), exit codes, and one escaped line per problem.

No subprocess: these tests also run inside Pyodide (files are written in a tmp dir).
"""

from __future__ import annotations

import copy
import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from _factories import (
    KCM_RUBRIC_PATH,
    assessment_data,
    collection_data,
    dumps,
    kcm_rubric_data,
    rubric_from_data,
    sealed_data,
)
from _report_records import candidate, joint_of, original

from kcm_core.cli import main
from kcm_core.errors import printable

RUBRIC = ["--rubric", str(KCM_RUBRIC_PATH)]


def write(folder: Path, name: str, data: Any) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(data if isinstance(data, str) else dumps(data), encoding="utf-8")
    return path


def run(capsys: pytest.CaptureFixture[str], *args: str | Path) -> tuple[int, str, str]:
    status = main([str(a) for a in args])
    out, err = capsys.readouterr()
    return status, out, err


def csv_of(path: Path) -> str:
    """A CSV file's text as written (read_text would turn CRLF into LF)."""
    return path.read_bytes().decode("utf-8-sig")


def tampered() -> dict[str, Any]:
    record = copy.deepcopy(sealed_data(assessment_id="t1"))
    record["criteria"]["2.2.1.e"]["checked"] = False
    return record


@pytest.mark.parametrize(
    ("name", "header"),
    [
        ("criteria.csv", "criterium;van_toepassing;voldaan;percentage"),
        ("eindtermen.csv", "eindterm;beoordeeld;behaald;percentage"),
        ("overeenstemming.csv", "criterium;paren;eens;kappa"),
        (
            "kandidaten.csv",
            "beoordeling;kandidaat;geboortedatum;datum;beoordelaars;gesprekstype;uitslag;"
            "eindterm_1;eindterm_2;eindterm_3;nvt;zegel",
        ),
    ],
)
def test_each_csv_starts_with_a_bom_and_the_contract_header(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str, header: str
) -> None:
    a = original("orig-a", "A. Jansen", "Sanne de Vries")
    b = original("orig-b", "B. Bakker", "Sanne de Vries", ("2.2.1.e",))
    write(tmp_path / "in", "a.json", a)
    write(tmp_path / "in" / "sub", "b.json", b)
    status, out, err = run(capsys, "report", tmp_path / "in", "--out", tmp_path / "out", *RUBRIC)
    assert (status, err) == (0, "")
    assert "2 beoordelingen meegeteld (2 uitslagen)" in out
    data = (tmp_path / "out" / name).read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    text = data.decode("utf-8-sig")
    assert text.split("\r\n")[0] == header


def test_the_csv_figures_use_a_decimal_comma(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    passed = sealed_data(assessment_id="p", fields=candidate("P"))
    failed = original("f", "A. Jansen", "F", ("1.1.1.a",))
    third = sealed_data(assessment_id="q", fields=candidate("Q"))
    path = write(tmp_path, "alles.json", collection_data(passed, failed, third))
    assert run(capsys, "report", path, "--out", tmp_path / "out", *RUBRIC)[0] == 0
    criteria = csv_of(tmp_path / "out" / "criteria.csv")
    assert "1.1.1.a;3;2;66,7\r\n" in criteria
    assert "2.4.1.b;0;0;\r\n" in criteria
    eindtermen = csv_of(tmp_path / "out" / "eindtermen.csv")
    assert "1;3;2;66,7\r\n" in eindtermen
    assert not (tmp_path / "out" / "overeenstemming.csv").exists()


@pytest.mark.parametrize(
    ("files", "status"),
    [
        pytest.param({"a.json": sealed_data()}, 0, id="one-sealed-record"),
        pytest.param({"a.json": sealed_data(), "kapot.json": "{"}, 0, id="one-good-one-broken"),
        pytest.param({"concept.json": assessment_data()}, 1, id="only-a-draft"),
        pytest.param({"kapot.json": "{", "leeg.json": ""}, 1, id="nothing-readable"),
        pytest.param({"veranderd.json": tampered()}, 1, id="only-a-tampered-record"),
    ],
)
def test_exit_status_says_whether_any_record_was_counted(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], files: dict[str, Any], status: int
) -> None:
    paths = [write(tmp_path / "in", name, data) for name, data in files.items()]
    result = run(capsys, "report", *paths, "--out", tmp_path / "out", *RUBRIC)
    assert result[0] == status
    assert (tmp_path / "out" / "index.html").exists() == (status == 0)


@pytest.mark.parametrize(
    "args",
    [
        pytest.param(["report", "a.json"], id="no-out"),
        pytest.param(["report", "--out", "x"], id="no-files"),
        pytest.param(["report", "a.json", "--out", "x", "--extra"], id="unknown-option"),
    ],
)
def test_wrong_usage_exits_2(capsys: pytest.CaptureFixture[str], args: list[str]) -> None:
    assert run(capsys, *args)[0] == 2


def test_an_unreadable_file_and_a_skipped_record_are_named_one_line_each(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    good = write(tmp_path, "goed.json", sealed_data())
    broken = write(tmp_path, "kapot\nbestand.json", "{")
    missing = tmp_path / "weg.json"
    changed = write(tmp_path, "veranderd.json", collection_data(assessment_data(), tampered()))
    status, _, err = run(
        capsys, "report", good, broken, missing, changed, "--out", tmp_path / "out", *RUBRIC
    )
    assert status == 0
    lines = err.splitlines()
    # The tampered record: its seal, and the recorded result against a fresh scoring.
    assert len(lines) == 6
    assert lines[0].startswith(f"{printable(str(broken))}: $: ")
    assert lines[1].startswith(f"{missing}: $: ")
    assert lines[2].startswith(f"{changed}: $.assessments[0].status: niet afgerond")
    assert lines[3].startswith(f"{changed}: $.assessments[1].seal.sha256: het zegel klopt niet")
    assert all(line.startswith(f"{changed}: $.assessments[1].result") for line in lines[4:])
    html = (tmp_path / "out" / "index.html").read_text(encoding="utf-8")
    assert "Niet meegeteld" in html
    assert "het zegel klopt niet" in html


def test_the_page_is_dutch_self_contained_and_escapes_every_text(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    name = '<img src="http://x/y.png">'
    a = original("orig-a", "<b>A</b>", name)
    b = original("orig-b", "B. Bakker", name, ("2.2.1.e",))
    path = write(tmp_path, "paar.json", collection_data(a, b, joint_of(a, b, "joint-1")))
    assert run(capsys, "report", path, "--out", tmp_path / "out", *RUBRIC)[0] == 0
    html = (tmp_path / "out" / "index.html").read_text(encoding="utf-8")
    assert html.startswith('<!DOCTYPE html>\n<html lang="nl">')
    for forbidden in ("<script", "http://", "https://", "<img", "<b>", "src="):
        assert forbidden not in html
    assert "&lt;b&gt;A&lt;/b&gt;" in html
    assert html.count("<svg") == 3
    # Criteria, Eindtermen, months, agreement per criterion and per assessor pair.
    assert html.count("<table") == 5
    rows = csv_of(tmp_path / "out" / "kandidaten.csv").splitlines()
    assert len(rows) == 2
    assert rows[1].startswith(f'joint-1;"{name.replace(chr(34), 2 * chr(34))}";')


def test_several_rubric_versions_get_a_folder_each(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    shelf = tmp_path / "rubric"
    shelf.mkdir()
    shutil.copy(KCM_RUBRIC_PATH, shelf / "klantcontact.json")
    newer = kcm_rubric_data() | {"version": "1.1.0"}
    write(shelf / "archive", "nieuw.json", json.dumps(newer))
    old = sealed_data()
    new = sealed_data(rubric_from_data(newer), assessment_id="n1")
    path = write(tmp_path, "beide.json", collection_data(old, new))
    monkeypatch.chdir(tmp_path)
    status, _, err = run(capsys, "report", path, "--out", "out")
    assert (status, err) == (0, "")
    written = sorted(str(p.relative_to(tmp_path / "out")) for p in (tmp_path / "out").rglob("*"))
    assert written == [
        "index.html",
        "klantcontact-1.0.0",
        "klantcontact-1.0.0/criteria.csv",
        "klantcontact-1.0.0/eindtermen.csv",
        "klantcontact-1.0.0/kandidaten.csv",
        "klantcontact-1.1.0",
        "klantcontact-1.1.0/criteria.csv",
        "klantcontact-1.1.0/eindtermen.csv",
        "klantcontact-1.1.0/kandidaten.csv",
    ]
