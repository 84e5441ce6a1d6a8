"""``kcm verify`` and ``kcm merge`` (ARCHITECTURE.md §5), run in-process through
``kcm_core.cli.main``: exit codes, and one escaped line per problem or difference.

No subprocess: these tests also run inside Pyodide.
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
    kcm_rubric,
    kcm_rubric_data,
    sealed_data,
)

from kcm_core.assessment import load_assessment_data
from kcm_core.cli import main
from kcm_core.errors import printable

KCM_ALL = kcm_rubric().criterion_ids()
RUBRIC = ["--rubric", str(KCM_RUBRIC_PATH)]


def write(tmp_path: Path, name: str, data: Any) -> Path:
    path = tmp_path / name
    path.write_text(data if isinstance(data, str) else dumps(data), encoding="utf-8")
    return path


def run(capsys: pytest.CaptureFixture[str], *args: str | Path) -> tuple[int, str, str]:
    status = main([str(a) for a in args])
    out, err = capsys.readouterr()
    return status, out, err


def changed_tick() -> dict[str, Any]:
    record = copy.deepcopy(sealed_data())
    record["criteria"]["2.2.1.e"]["checked"] = False
    return record


def unsealed() -> dict[str, Any]:
    return {k: v for k, v in sealed_data().items() if k not in ("seal", "result")}


# --- kcm verify --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "line"),
    [
        pytest.param(sealed_data(), "in orde (1 verzegelde beoordeling)", id="one"),
        pytest.param(
            collection_data(sealed_data(), sealed_data(assessment_id="a2")),
            "in orde (2 verzegelde beoordelingen)",
            id="collection",
        ),
    ],
)
def test_verify_passes_sealed_records(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], data: dict[str, Any], line: str
) -> None:
    path = write(tmp_path, "a.json", data)
    assert run(capsys, "verify", path, *RUBRIC) == (0, f"{path}: {line}\n", "")


# name -> (record, expected stderr lines after "FILE: ")
REFUSED: dict[str, tuple[Any, list[str]]] = {
    "draft": (
        assessment_data(),
        ["$.status: niet afgerond: dit is een concept (status 'draft'), geen uitslag"],
    ),
    "not-sealed": (
        unsealed(),
        [
            "$: niet verzegeld: afgerond zonder zegel (voordat kcm zegels schreef, of het zegel "
            "is weggehaald), dus een wijziging is niet te zien; heropen de beoordeling in de "
            "checklist en rond hem opnieuw af"
        ],
    ),
    "changed-tick": (
        changed_tick(),
        [
            "$.seal.sha256: het zegel klopt niet: de beoordeling is veranderd na het afronden",
            "$.result.verdict: de uitslag 'pass' klopt niet met een nieuwe berekening: 'fail'",
            "$.result.outcomes['2']: Eindterm 2: 'pass' klopt niet met een nieuwe berekening: "
            "'fail'",
        ],
    ),
    "practice": (
        sealed_data() | {"practice": True},
        ["$.practice: dit is een oefening van de kandidaat zelf, nooit een examenuitslag"],
    ),
    "one-bad-record-in-a-collection": (
        collection_data(sealed_data(), assessment_data(assessment_id="a2")),
        ["$.assessments[1].status: niet afgerond"],
    ),
}


@pytest.mark.parametrize(("data", "lines"), REFUSED.values(), ids=REFUSED.keys())
def test_verify_names_every_problem_on_its_own_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], data: Any, lines: list[str]
) -> None:
    path = write(tmp_path, "a.json", data)
    status, out, err = run(capsys, "verify", path, *RUBRIC)
    assert (status, out) == (1, "")
    found = err.splitlines()
    assert len(found) == len(lines), found
    for line, expected in zip(found, lines, strict=True):
        assert line.startswith(f"{path}: {expected}")


def test_verify_reports_every_file_and_passes_none_when_one_fails(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    good = write(tmp_path, "goed.json", sealed_data())
    bad = write(tmp_path, "fout.json", changed_tick())
    missing = tmp_path / "weg.json"
    status, out, err = run(capsys, "verify", good, bad, missing, *RUBRIC)
    assert (status, out) == (1, "")
    assert [line.split(": ")[0] for line in err.splitlines()] == [str(bad)] * 3 + [str(missing)]
    assert err.endswith(f"{missing}: $: bestand niet gevonden\n")


@pytest.fixture
def rubric_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A working directory with ./rubric/ holding the KCM rubric, and an older version of it
    in ./rubric/archive/."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "rubric" / "archive").mkdir(parents=True)
    shutil.copy(KCM_RUBRIC_PATH, tmp_path / "rubric" / "klantcontact.json")
    older = kcm_rubric_data()
    older["version"] = "0.9.0"
    write(tmp_path / "rubric" / "archive", "klantcontact-0.9.0.json", older)
    return tmp_path


def test_verify_finds_each_record_s_rubric_in_the_rubric_folder(
    rubric_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from kcm_core.rubric_load import load_rubric_file

    older = load_rubric_file(rubric_dir / "rubric" / "archive" / "klantcontact-0.9.0.json")
    doc = collection_data(sealed_data(), sealed_data(older, assessment_id="oud"))
    path = write(rubric_dir, "export.json", doc)
    assert run(capsys, "verify", path) == (
        0,
        f"{path}: in orde (2 verzegelde beoordelingen)\n",
        "",
    )


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        pytest.param(
            lambda r: r["rubric"].update(version="1.0.1"),
            "$.rubric: geen rubric 'klantcontact' versie '1.0.1' met sha256",
            id="changed-version",
        ),
        pytest.param(
            lambda r: r["rubric"].update(sha256="0" * 64),
            "$.rubric: geen rubric 'klantcontact' versie '1.0.0' met sha256 '000000000000'",
            id="other-content",
        ),
    ],
)
def test_verify_says_when_the_rubric_is_not_there(
    rubric_dir: Path, capsys: pytest.CaptureFixture[str], change: Any, expected: str
) -> None:
    record = copy.deepcopy(sealed_data())
    change(record)
    path = write(rubric_dir, "a.json", record)
    status, _, err = run(capsys, "verify", path)
    assert status == 1
    assert err.startswith(f"{path}: {expected}")
    assert err.count("\n") == 1


def test_verify_with_a_named_rubric_refuses_records_of_another_version(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    record = copy.deepcopy(sealed_data())
    record["rubric"]["version"] = "1.0.1"
    path = write(tmp_path, "a.json", record)
    status, _, err = run(capsys, "verify", path, *RUBRIC)
    assert status == 1
    assert err == (
        f"{path}: $.rubric: deze beoordeling hoort bij rubric 'klantcontact' versie '1.0.1', "
        "niet bij rubric 'klantcontact' versie '1.0.0'\n"
    )


@pytest.mark.parametrize(
    "args",
    [
        pytest.param(["verify"], id="no-files"),
        pytest.param(["verify", "a.json", "--rubric"], id="rubric-without-file"),
        pytest.param(["verify", "a.json", "--kleur"], id="unknown-option"),
        pytest.param(["merge", "a.json"], id="merge-one-file"),
        pytest.param(["merge", "a.json", "b.json", "c.json"], id="merge-three-files"),
    ],
)
def test_wrong_usage_exits_2(args: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    assert main(args) == 2
    assert "gebruik:" in capsys.readouterr().err


# --- kcm merge ---------------------------------------------------------------------------------


def pair(tmp_path: Path, **b_keys: Any) -> tuple[Path, Path]:
    a = write(tmp_path, "a.json", sealed_data())
    b = write(tmp_path, "b.json", sealed_data(assessor="B. Bakker", assessment_id="b1", **b_keys))
    return a, b


def test_merge_writes_the_joint_draft_and_one_line_per_difference(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    a, b = pair(tmp_path, checked=[c for c in KCM_ALL if c not in ("2.2.1.e", "3.1.1.b")])
    status, out, err = run(capsys, "merge", a, b, *RUBRIC)
    assert status == 0
    assert err.splitlines() == [
        "2.2.1.e: A. Jansen: gecheckt; B. Bakker: niet gecheckt",
        "3.1.1.b: A. Jansen: gecheckt; B. Bakker: niet gecheckt",
    ]
    joint = load_assessment_data(json.loads(out), kcm_rubric())
    assert joint.status == "draft"
    assert [s.id for s in joint.sources] == ["a1", "b1"]


def test_merge_writes_to_a_file_with_o(
    rubric_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    a, b = pair(rubric_dir)
    out_path = rubric_dir / "samen.json"
    status, out, err = run(capsys, "merge", a, b, "-o", out_path)
    assert (status, err) == (0, "")
    assert out == f"{out_path}: gezamenlijk concept geschreven, 0 verschillen open\n"
    assert load_assessment_data(json.loads(out_path.read_text("utf-8")), kcm_rubric()).joint


@pytest.mark.parametrize(
    ("b_keys", "b_line"),
    [
        pytest.param(
            {
                "fields": {
                    "naam_kandidaat": "Piet",
                    "bedrijf": "x",
                    "datum": "2026-11-27",
                    "geboortedatum_kandidaat": "2001-05-04",
                }
            },
            "$.fields.naam_kandidaat: een andere kandidaat: Naam Kandidaat is hier 'Piet', in "
            "de eerste beoordeling 'Sanne de Vries'",
            id="other-candidate",
        ),
        pytest.param(
            {"assessor": "A. Jansen"},
            "$.assessors[0].name: dezelfde beoordelaar als de eerste ('A. Jansen')",
            id="same-assessor",
        ),
    ],
)
def test_merge_refuses_two_records_that_do_not_belong_together(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    b_keys: dict[str, Any],
    b_line: str,
) -> None:
    a = write(tmp_path, "a.json", sealed_data())
    keys = {"assessor": "B. Bakker", "assessment_id": "b1"} | b_keys
    b = write(tmp_path, "b.json", sealed_data(**keys))
    status, out, err = run(capsys, "merge", a, b, *RUBRIC)
    assert (status, out) == (1, "")
    assert err.splitlines()[0].startswith(f"{b}: {b_line}")
    assert len(err.splitlines()) == 1


def test_merge_refuses_a_draft_and_names_its_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    a = write(tmp_path, "a.json", assessment_data(status="final"))
    b = write(tmp_path, "b.json", sealed_data(assessor="B. Bakker", assessment_id="b1"))
    status, _, err = run(capsys, "merge", a, b, *RUBRIC)
    assert status == 1
    assert err.splitlines() == [
        f"{a}: $: niet verzegeld: afgerond zonder zegel (voordat kcm zegels schreef, of het "
        "zegel is weggehaald), dus een wijziging is niet te zien; heropen de beoordeling in de "
        "checklist en rond hem opnieuw af"
    ]


def test_merge_refuses_a_record_of_another_rubric_version(
    rubric_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from kcm_core.rubric_load import load_rubric_file

    older = load_rubric_file(rubric_dir / "rubric" / "archive" / "klantcontact-0.9.0.json")
    a = write(rubric_dir, "a.json", sealed_data())
    b = write(rubric_dir, "b.json", sealed_data(older, assessor="B", assessment_id="b1"))
    status, _, err = run(capsys, "merge", a, b)
    assert status == 1
    assert err == (
        f"{b}: $.rubric: deze beoordeling hoort bij rubric 'klantcontact' versie '0.9.0', "
        "niet bij rubric 'klantcontact' versie '1.0.0'\n"
    )


# --- one escaped line per problem and per difference ------------------------------------------

NAMES = [
    pytest.param("a\nb.json", id="newline"),
    pytest.param("x\x1b[31m.json", id="escape"),
    pytest.param("p\u2028q.json", id="line-separator"),
]


@pytest.mark.parametrize("name", NAMES)
def test_verify_prints_escaped_file_names(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str
) -> None:
    path = write(tmp_path, name, changed_tick())
    status, _, err = run(capsys, "verify", path, *RUBRIC)
    assert status == 1
    lines = err.splitlines()
    assert len(lines) == 3
    assert all(line.startswith(f"{tmp_path}/{printable(name)}: $") for line in lines)


def test_merge_prints_typed_names_escaped(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    a = write(tmp_path, "a.json", sealed_data(assessor="A\nJansen"))
    b = write(
        tmp_path,
        "b.json",
        sealed_data(assessor="B\x1b[2JBakker", assessment_id="b1", checked=KCM_ALL[1:]),
    )
    status, _, err = run(capsys, "merge", a, b, *RUBRIC)
    assert status == 0
    assert err == f"{KCM_ALL[0]}: A\\nJansen: gecheckt; B\\u001b[2JBakker: niet gecheckt\n"
