"""The benchmark's table logic (bench/report.py, bench/results.py): no browser, no timing.

The figures themselves are only ever printed by ``make bench``; these tests check that a figure
turns into the right median, ratio and pass/miss, with made-up numbers.
"""

from __future__ import annotations

import json

import pytest

from bench.report import (
    Row,
    Stat,
    Target,
    format_range,
    format_value,
    percentile,
    previous_medians,
    ratio,
    render_table,
    summarize,
    summary_line,
    to_json,
)
from bench.results import Measurements, Visit, make_rows
from bench.server import Response


@pytest.mark.parametrize(
    ("samples", "expected"),
    [
        ([3.0], Stat(3.0, 3.0, 3.0, 1)),
        ([5.0, 1.0, 3.0], Stat(3.0, 1.0, 5.0, 3)),
        # An even count takes the mean of the middle two, like statistics.median.
        ([4.0, 1.0, 2.0, 10.0], Stat(3.0, 1.0, 10.0, 4)),
    ],
)
def test_summarize_gives_median_and_range(samples: list[float], expected: Stat) -> None:
    assert summarize(samples) == expected


def test_summarize_of_nothing_is_none_not_zero() -> None:
    # A figure that was not measured must not look like a fast one.
    assert summarize([]) is None


@pytest.mark.parametrize(
    ("fraction", "expected"),
    [(0.0, 1.0), (0.5, 50.5), (0.95, 95.05), (1.0, 100.0)],
)
def test_percentile_interpolates_between_ranks(fraction: float, expected: float) -> None:
    samples = [float(v) for v in range(100, 0, -1)]  # order must not matter
    assert percentile(samples, fraction) == pytest.approx(expected)


@pytest.mark.parametrize(("samples", "fraction"), [([], 0.5), ([1.0], 1.5), ([1.0], -0.1)])
def test_percentile_refuses_nonsense(samples: list[float], fraction: float) -> None:
    with pytest.raises(ValueError, match=r"percentile|fraction"):
        percentile(samples, fraction)


@pytest.mark.parametrize(
    ("stat", "baseline", "expected"),
    [
        (Stat(500, 400, 600, 5), Stat(2000, 1900, 2100, 5), 0.25),
        (None, Stat(2000, 1900, 2100, 5), None),
        (Stat(500, 400, 600, 5), None, None),
        (Stat(500, 400, 600, 5), Stat(0, 0, 0, 5), None),
    ],
)
def test_ratio_is_median_over_baseline_median(
    stat: Stat | None, baseline: Stat | None, expected: float | None
) -> None:
    assert ratio(stat, baseline) == expected


@pytest.mark.parametrize(
    ("target", "stat", "the_ratio", "verdict"),
    [
        (Target(300.0), Stat(299.9, 1, 400, 5), None, "pass"),
        (Target(300.0), Stat(300.0, 1, 400, 5), None, "pass"),
        (Target(300.0), Stat(300.1, 1, 400, 5), None, "MISS"),
        (Target(300.0), None, None, "no data"),
        # A ratio target looks at the ratio only, however large the absolute figure.
        (Target(0.55, "ratio"), Stat(9000, 1, 1, 5), 0.5, "pass"),
        (Target(0.55, "ratio"), Stat(10, 1, 1, 5), 0.56, "MISS"),
        (Target(0.55, "ratio"), Stat(10, 1, 1, 5), None, "no data"),
        (Target(0.0), Stat(0, 0, 0, 5), None, "pass"),
        (Target(0.0), Stat(1, 0, 2, 5), None, "MISS"),
    ],
)
def test_target_check(
    target: Target, stat: Stat | None, the_ratio: float | None, verdict: str
) -> None:
    assert target.check(stat, the_ratio) == verdict


@pytest.mark.parametrize(
    ("value", "unit", "text"),
    [
        (12.345, "ms", "12.3 ms"),
        (1234.5, "ms", "1234 ms"),
        (41.62, "s", "41.6 s"),
        (512, "bytes", "512 B"),
        (25_400, "bytes", "25.4 kB"),
        (5_432_100, "bytes", "5.43 MB"),
        (3, "count", "3"),
    ],
)
def test_format_value(value: float, unit: str, text: str) -> None:
    assert format_value(value, unit) == text  # type: ignore[arg-type]


def test_format_range_shares_the_unit_and_is_empty_for_one_run() -> None:
    assert format_range(Stat(2, 1_100_000, 1_200_000, 5), "bytes") == "1.10-1.20 MB"
    assert format_range(Stat(2, 900, 1_200, 5), "bytes") == "900 B-1.2 kB"
    assert format_range(Stat(2, 2, 2, 1), "ms") == ""


def _row(key: str, value: float | None, target: Target | None = None, **kw: object) -> Row:
    stat = None if value is None else Stat(value, value - 1, value + 1, 5)
    return Row(key, key.replace("_", " "), "ms", stat, target=target, **kw)  # type: ignore[arg-type]


def test_table_has_target_and_result_columns_and_aligned_lines() -> None:
    rows = [
        _row("engine_ready_first", 1800.0, Target(0.55, "ratio"), ratio=0.5),
        _row("first_tick_saved", 450.0, Target(300.0)),
        _row("not_measured", None, Target(16.0), note="engine did not start"),
    ]
    text = render_table(rows)
    table = [line for line in text.splitlines() if line.startswith("|")]
    assert len({len(line) for line in table}) == 1, "every table line has the same width"
    assert "target" in table[0]
    assert "result" in table[0]
    engine, tick, missing = table[2], table[3], table[4]
    assert "0.50x" in engine
    assert "<= 0.55x" in engine
    assert engine.rstrip(" |").endswith("pass")
    assert "<= 300 ms" in tick
    assert tick.rstrip(" |").endswith("MISS")
    assert "engine did not start" not in missing, "a reason is too long for a cell"
    assert "  not measured: engine did not start" in text.splitlines()
    assert missing.rstrip(" |").endswith("no data")


def test_table_shows_the_previous_run_when_given() -> None:
    rows = [_row("first_tick_saved", 250.0, Target(300.0))]
    text = render_table(rows, previous={"first_tick_saved": 310.0})
    header, _, line = (row for row in text.splitlines() if row.startswith("|"))
    assert "last run" in header
    assert line.rstrip(" |").endswith("310 ms")


def test_summary_line_names_what_missed() -> None:
    rows = [
        _row("a_pass", 1.0, Target(2.0)),
        _row("b_miss", 3.0, Target(2.0)),
        _row("c_none", None, Target(2.0)),
        _row("d_info", 9.0),
    ]
    assert summary_line(rows) == ("1 of 3 targets met, 1 missed, 1 without data (missed: b miss)")


def test_json_round_trip_gives_previous_medians() -> None:
    rows = [
        Row("x", "x", "ms", Stat(5.0, 4.0, 6.0, 3), samples=(4.0, 5.0, 6.0)),
        Row("y", "y", "ms", None, note="failed"),
    ]
    data = json.loads(json.dumps(to_json(rows, {"runs": 3})))
    assert data["meta"] == {"runs": 3}
    assert data["rows"][0]["samples"] == [4.0, 5.0, 6.0]
    assert previous_medians(data) == {"x": 5.0}


@pytest.mark.parametrize(
    "data",
    [None, [], {"rows": "x"}, {"rows": [1, {"key": 3, "median": 1}, {"key": "a", "median": True}]}],
)
def test_previous_medians_skips_what_it_cannot_read(data: object) -> None:
    assert previous_medians(data) == {}


# ---------------------------------------------------------------------------------------------
# bench/results.py: measurements -> rows


def _visit(ready: float | None, **kw: object) -> Visit:
    defaults: dict[str, object] = {"error": None, "longest_block_ms": 20.0}
    defaults.update(kw)
    return Visit(ready, **defaults)  # type: ignore[arg-type]


def _rows_by_key(m: Measurements) -> dict[str, Row]:
    return {row.key: row for row in make_rows(m)}


def test_engine_figures_are_ratios_to_the_bare_first_visit() -> None:
    m = Measurements(
        bare_first=[_visit(r) for r in (3000.0, 4000.0, 5000.0)],
        bare_repeat=[_visit(2000.0)],
        site_first=[_visit(r) for r in (1800.0, 2000.0, 2200.0)],
        site_repeat=[_visit(1600.0)],
        site_offline=[_visit(1000.0)],
    )
    rows = _rows_by_key(m)
    assert rows["bare_ready_first"].ratio == 1.0
    assert rows["engine_ready_first"].ratio == pytest.approx(0.5)
    assert rows["engine_ready_first"].verdict == "pass"
    assert rows["engine_ready_repeat"].ratio == pytest.approx(0.4)
    assert rows["engine_ready_repeat"].verdict == "MISS"  # target 0.35x
    assert rows["engine_ready_offline"].ratio == pytest.approx(0.25)
    assert rows["bare_ready_repeat"].target is None  # information, not a target


def test_failed_runs_are_left_out_and_reported() -> None:
    m = Measurements(
        bare_first=[_visit(4000.0)],
        site_offline=[
            _visit(None, error="no service worker (data-sw=error)", longest_block_ms=None),
            _visit(800.0),
        ],
    )
    row = _rows_by_key(m)["engine_ready_offline"]
    assert row.stat == Stat(800.0, 800.0, 800.0, 1)
    assert "1 of 2 runs failed: no service worker" in row.note


def test_no_successful_run_means_no_data_not_a_pass() -> None:
    m = Measurements(site_first=[_visit(None, error="engine error: load")])
    rows = _rows_by_key(m)
    assert rows["engine_ready_first"].verdict == "no data"
    assert rows["tick_verdict_median"].verdict == "no data"
    assert rows["list_shown"].verdict == "no data"
    assert rows["score_pyodide"].verdict == "no data"


def test_bytes_first_visit_compares_with_the_bare_bytes_and_repeat_needs_no_body() -> None:
    ok = Response("/sw.js", 304, 0, None, 0.0)
    m = Measurements(
        bare_first=[_visit(4000.0, body_bytes=6_000_000)],
        site_first=[_visit(2000.0, body_bytes=4_500_000)],
        site_repeat=[
            _visit(900.0, body_bytes=0, responses=(ok,)),
            _visit(900.0, body_bytes=0, responses=(ok,)),
        ],
    )
    rows = _rows_by_key(m)
    assert rows["bytes_first"].ratio == pytest.approx(0.75)
    assert rows["bytes_first"].verdict == "pass"
    assert rows["bytes_repeat"].verdict == "pass"
    assert "1 requests: 304 /sw.js" in rows["bytes_repeat"].note

    m.site_repeat.append(_visit(900.0, body_bytes=70_000))
    m.site_repeat.append(_visit(900.0, body_bytes=70_000))
    assert _rows_by_key(m)["bytes_repeat"].verdict == "MISS"


def test_tick_rows_give_median_and_p95_of_the_samples() -> None:
    m = Measurements(tick_verdict_ms=[float(v) for v in range(1, 101)])
    rows = _rows_by_key(m)
    median, p95 = rows["tick_verdict_median"], rows["tick_verdict_p95"]
    assert median.stat is not None
    assert median.stat.value == 50.5
    assert median.stat.n == 100
    assert median.verdict == "MISS"
    assert p95.stat is not None
    assert p95.stat.value == pytest.approx(95.05)
    assert p95.verdict == "MISS"


def test_score_rows_come_from_the_probe_results() -> None:
    probe = {"python": "3.14.2", "criteria": 2000, "init_ms": [70.0, 72.0], "score_ms": [15.0]}
    m = Measurements(pyodide_score=probe, cpython_score={**probe, "score_ms": [30.0]})
    rows = _rows_by_key(m)
    assert rows["score_pyodide"].verdict == "pass"
    assert rows["score_pyodide"].label == "2,000-criterion rubric, one score, Pyodide"
    assert rows["score_cpython"].target is None
    assert rows["init_pyodide"].stat == Stat(71.0, 70.0, 72.0, 2)


def test_a_request_to_another_host_misses_its_target() -> None:
    m = Measurements(foreign_requests=["https://cdn.jsdelivr.net/pyodide/x.js"])
    row = _rows_by_key(m)["foreign_requests"]
    assert row.verdict == "MISS"
    assert "cdn.jsdelivr.net" in row.note
    assert _rows_by_key(Measurements())["foreign_requests"].verdict == "pass"
