"""The exam office's bench (bench/exam_office.py, issue 14), run on a handful of records so that
it cannot rot: its records are real exam records, both ways of running the report count them
the same, and its rows say how a figure compares with its goal. No figure is judged here."""

from __future__ import annotations

from pathlib import Path

import pytest

from bench.exam_office import (
    ExamOfficeRun,
    exam_office_rows,
    generate_records,
    measure,
    write_exports,
)
from bench.report import Stat
from kcm_core.report import build_report
from kcm_core.report_model import SourceRecord
from kcm_core.rubric_load import load_rubric_file

KCM_RUBRIC = Path(__file__).resolve().parents[2] / "rubric" / "klantcontact.json"


def test_generated_records_are_exam_records_with_pairs_and_joint_records() -> None:
    rubric = load_rubric_file(KCM_RUBRIC)
    records = generate_records(rubric, 120)
    assert len(records) == 120
    report = build_report([SourceRecord("x.json", (), r) for r in records], [rubric])
    assert {s.state for s in report.skipped} <= {"draft"}
    (part,) = report.rubrics
    # Some candidates had two assessors, some of them a joint record in place of both.
    assert part.pairs > 0
    assert 0 < part.assessed < report.counted


def test_exports_keep_below_the_loaders_limit_per_file(tmp_path: Path) -> None:
    records = generate_records(load_rubric_file(KCM_RUBRIC), 30)
    paths = write_exports(records, tmp_path)
    assert [p.name for p in paths] == ["export-01.json"]


def test_cpython_and_pyodide_count_the_same_on_a_handful_of_records(built_site: Path) -> None:
    measured = measure(built_site, 1, (12,))
    by_where = {run.where: run for run in measured}
    assert set(by_where) == {"cpython", "pyodide"}
    for run in measured:
        assert run.error == ""
        assert len(run.seconds) == 1
        assert len(run.peak_bytes) == 1
        assert run.peak_bytes[0] > 0
    assert (by_where["cpython"].counted, by_where["cpython"].results) == (
        by_where["pyodide"].counted,
        by_where["pyodide"].results,
    )
    assert by_where["cpython"].counted


@pytest.mark.parametrize(
    ("where", "seconds", "verdict", "note"),
    [
        ("cpython", [4.0], "pass", "0.80x the 5 s goal"),
        ("cpython", [6.0], "MISS", "1.20x the 5 s goal"),
        ("pyodide", [10.0], "pass", "0.50x the 20 s goal"),
    ],
)
def test_ten_thousand_records_are_judged_against_their_goal(
    where: str, seconds: list[float], verdict: str, note: str
) -> None:
    run = ExamOfficeRun(where, 10_000, 4, seconds, [100e6], 9_000, 8_000)
    time_row, memory_row = exam_office_rows([run])
    assert (time_row.key, time_row.verdict) == (f"report_{where}_10000", verdict)
    assert note in time_row.note
    assert memory_row.stat == Stat(100e6, 100e6, 100e6, 1)


def test_a_smaller_size_is_information_and_different_counts_are_flagged() -> None:
    cpython = ExamOfficeRun("cpython", 1_000, 1, [0.5], [40e6], 900, 800)
    pyodide = ExamOfficeRun("pyodide", 1_000, 1, [0.7], [38e6], 899, 800)
    rows = {row.key: row for row in exam_office_rows([cpython, pyodide])}
    assert rows["report_cpython_1000"].verdict == ""
    assert "DIFFERENT COUNTS" in rows["report_pyodide_1000"].note


def test_a_failed_run_says_why_instead_of_a_figure() -> None:
    run = ExamOfficeRun("pyodide", 10_000, 4, error="node not found")
    (time_row, _) = exam_office_rows([run])
    assert (time_row.stat, time_row.verdict, time_row.note) == (None, "no data", "node not found")
