"""The exam office's report through the worker API (``report_start``, ``report_add``,
``report_result``; ARCHITECTURE.md §6): the same figures and the same CSV bytes as ``kcm
report`` on the same files, counts per file, and files or records that do not count. Runs
inside Pyodide too (``kcm report`` in-process, into a tmp dir)."""

from __future__ import annotations

import copy
import json
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from _factories import (
    KCM_RUBRIC_PATH,
    assessment_data,
    collection_data,
    dumps,
    kcm_rubric_data,
    sealed_data,
)
from _report_records import joint_of, original

from kcm_core import browser_api
from kcm_core.cli import main
from kcm_core.rubric_load import load_rubric_file

RUBRICS = Path(__file__).resolve().parents[1] / "data" / "rubrics"
TEAMLEIDER_OLD = RUBRICS / "archive" / "teamleider" / "1.0.0.json"
TEAMLEIDER_NEW = RUBRICS / "teamleider.json"


def call(function: Any, *args: Any) -> dict[str, Any]:
    answer: dict[str, Any] = json.loads(function(*args))
    return answer


def shelf(*paths: Path) -> str:
    rubrics = [json.loads(p.read_text(encoding="utf-8")) for p in paths]
    return json.dumps({"format": "kcm-rubric-shelf", "format_version": 1, "rubrics": rubrics})


@pytest.fixture
def engine() -> Iterator[None]:
    """An engine as the site's: every rubric of the site and the archived versions."""
    answer = call(
        browser_api.init, shelf(KCM_RUBRIC_PATH, TEAMLEIDER_NEW, TEAMLEIDER_OLD), "klantcontact"
    )
    assert answer["ok"], answer
    assert call(browser_api.report_start)["ok"]
    yield
    browser_api.reset()


def add(name: str, data: Any) -> dict[str, Any]:
    return call(browser_api.report_add, name, data if isinstance(data, str) else dumps(data))


def result() -> dict[str, Any]:
    answer = call(browser_api.report_result)
    assert answer["ok"], answer
    report: dict[str, Any] = answer["report"]
    return report


def tampered(record: dict[str, Any]) -> dict[str, Any]:
    changed = copy.deepcopy(record)
    changed["criteria"]["2.2.1.e"]["checked"] = False
    return changed


def kcm_files() -> dict[str, Any]:
    """Two assessors of one candidate with their joint record, a second candidate, a draft and
    a changed record, over a collection and single files."""
    a = original("orig-a", "A. Jansen", "Sanne de Vries")
    b = original("orig-b", "B. Bakker", "Sanne de Vries", ("2.2.1.e", "1.1.1.a"))
    return {
        "jansen.json": collection_data(a, original("c2", "A. Jansen", "Piet Pijl", ("3.1.1.a",))),
        "bakker.json": b,
        "samen.json": joint_of(a, b, "joint-1"),
        "concept.json": assessment_data(assessment_id="draft-1"),
        "veranderd.json": tampered(sealed_data(assessment_id="t1")),
    }


def teamleider_files() -> dict[str, Any]:
    """Records of two versions of one rubric: each counts against its own version."""
    old, new = load_rubric_file(TEAMLEIDER_OLD), load_rubric_file(TEAMLEIDER_NEW)
    return {
        "oud.json": sealed_data(old, assessment_id="t-old"),
        "nieuw.json": collection_data(
            sealed_data(new, assessment_id="t-new-1"),
            sealed_data(new, assessment_id="t-new-2", checked=["1.1.1.a"]),
        ),
    }


def cli_report(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, files: dict[str, Any]) -> Path:
    """``kcm report`` on ``files`` (written to a folder) against a ``rubric/`` folder like the
    site's: KCM, teamleider and its archive. Returns the report's folder."""
    (tmp_path / "rubric").mkdir()
    shutil.copy(KCM_RUBRIC_PATH, tmp_path / "rubric" / "klantcontact.json")
    shutil.copytree(RUBRICS, tmp_path / "rubric", dirs_exist_ok=True)
    exports = tmp_path / "exports"
    exports.mkdir()
    for name, data in files.items():
        (exports / name).write_text(dumps(data), encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    status = main(["report", str(exports), "--out", "rapport"])
    assert status == 0
    return tmp_path / "rapport"


@pytest.mark.parametrize("files", [kcm_files(), teamleider_files()], ids=["kcm", "two-versions"])
def test_the_browser_report_gives_the_cli_files_byte_for_byte(
    engine: None,
    files: dict[str, Any],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    out = cli_report(tmp_path, monkeypatch, files)
    # The CLI reads a folder's files in name order; the page in the order they are given.
    for name in sorted(files):
        assert add(name, files[name])["ok"]
    report = result()
    written = {
        p.relative_to(out).as_posix(): p.read_bytes() for p in out.rglob("*.csv") if p.is_file()
    }
    offered = {
        part["folder"] + name: text.encode("utf-8")
        for part in report["rubrics"]
        for name, text in part["files"].items()
    }
    assert offered == written
    html = (out / "index.html").read_text(encoding="utf-8")
    summary = (
        f"Gelezen: {report['records']} beoordelingen. Meegeteld: {report['counted']} "
        f"({report['results']} uitslagen). Niet meegeteld: {report['not_counted']}."
    )
    assert summary in html


def test_each_file_says_how_many_of_its_records_count(engine: None) -> None:
    files = kcm_files()
    assert add("jansen.json", files["jansen.json"]) == {
        "ok": True,
        "name": "jansen.json",
        "records": 2,
        "counted": 2,
        "not_counted": 0,
    }
    concept = add("concept.json", files["concept.json"])
    assert (concept["records"], concept["counted"], concept["not_counted"]) == (1, 0, 1)
    # The same collection again: both records were met before.
    again = add("kopie.json", files["jansen.json"])
    assert (again["counted"], again["not_counted"]) == (0, 2)


def test_a_record_that_does_not_count_is_named_with_its_file_and_reason(engine: None) -> None:
    files = kcm_files()
    for name in ("jansen.json", "concept.json", "veranderd.json"):
        add(name, files[name])
    report = result()
    skipped = {(s["source"], s["state"], s["state_text"]): s for s in report["skipped"]}
    assert set(skipped) == {
        ("concept.json", "draft", "concept"),
        ("veranderd.json", "changed", "zegel of uitslag klopt niet"),
    }
    changed = skipped[("veranderd.json", "changed", "zegel of uitslag klopt niet")]
    assert changed["record_id"] == "t1"
    assert "het zegel klopt niet" in changed["reason"]
    assert changed["place"] == "$.seal.sha256"
    assert (report["records"], report["counted"], report["not_counted"]) == (4, 2, 2)


@pytest.mark.parametrize(
    ("text", "words"),
    [
        pytest.param("{kapot", "ongeldige JSON op regel 1", id="no-json"),
        pytest.param(
            json.dumps({"format": "kcm-assessments", "format_version": 1, "assessments": 3}),
            "verwacht een lijst",
            id="broken-collection",
        ),
        pytest.param(
            json.dumps({"format": "kcm-assessments", "format_version": 1, "assessments": []}),
            "geen beoordelingen",
            id="empty-collection",
        ),
        pytest.param(" " * (20 * 1024 * 1024 + 1), "groter dan 20 MB", id="too-large"),
    ],
)
def test_a_file_that_cannot_be_read_is_refused_and_adds_nothing(
    engine: None, text: str, words: str
) -> None:
    answer = add("kapot.json", text)
    assert not answer["ok"]
    assert words in answer["problems"][0]["message"]
    assert result()["records"] == 0


def test_a_file_of_another_format_is_read_as_one_record_that_does_not_count(
    engine: None,
) -> None:
    answer = add("anders.json", {"format": "iets anders"})
    assert (answer["records"], answer["counted"], answer["not_counted"]) == (1, 0, 1)
    (skipped,) = result()["skipped"]
    assert (skipped["source"], skipped["state"], skipped["record_id"]) == (
        "anders.json",
        "invalid",
        None,
    )


def test_starting_again_forgets_the_files_added_before(engine: None) -> None:
    add("bakker.json", kcm_files()["bakker.json"])
    assert result()["counted"] == 1
    assert call(browser_api.report_start) == {"ok": True}
    assert (result()["records"], result()["rubrics"]) == (0, [])


def test_figures_carry_the_words_of_the_cli_page(engine: None) -> None:
    files = kcm_files()
    for name in ("jansen.json", "bakker.json", "samen.json"):
        add(name, files[name])
    (part,) = result()["rubrics"]
    assert (part["id"], part["folder"], part["assessed"], part["pairs"]) == (
        "klantcontact",
        "",
        2,
        1,
    )
    rates = {c["id"]: c for c in part["criteria"]}
    assert (rates["3.1.1.a"]["met"], rates["3.1.1.a"]["percentage_text"]) == (1, "50,0 %")
    # The chart's order: least often met first.
    assert [c["percentage"] for c in part["criteria"]] == sorted(
        c["percentage"] for c in part["criteria"] if c["percentage"] is not None
    ) + [None] * sum(c["percentage"] is None for c in part["criteria"])
    agreement = {a["id"]: a for a in part["agreement"]}
    # One pair that differs: no better than chance; one that agrees without variation: a dash.
    assert (agreement["2.2.1.e"]["agreements"], agreement["2.2.1.e"]["kappa_text"]) == (
        0,
        "0,000",
    )
    assert (agreement["1.1.1.b"]["kappa"], agreement["1.1.1.b"]["kappa_text"]) == (None, "\u2013")


@pytest.mark.parametrize(
    ("function", "args", "words"),
    [
        (browser_api.report_start, (), "er is nog geen rubric geladen"),
        (browser_api.report_add, ("a.json", "{}"), "er is nog geen rubric geladen"),
        (browser_api.report_result, (), "er is nog geen rubric geladen"),
    ],
)
def test_report_calls_before_init_answer_with_a_problem(
    function: Any, args: tuple[str, ...], words: str
) -> None:
    browser_api.reset()
    answer = call(function, *args)
    assert not answer["ok"]
    assert words in answer["problems"][0]["message"]


def test_a_file_name_that_is_no_text_is_refused(engine: None) -> None:
    answer = call(browser_api.report_add, None, dumps(kcm_rubric_data()))
    assert not answer["ok"]
    assert "naam van het bestand" in answer["problems"][0]["message"]
