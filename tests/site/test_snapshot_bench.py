"""The rows of the ``--snapshot`` build in the benchmark's table (bench/results.py): no browser,
no timing, made-up numbers."""

from __future__ import annotations

import pytest

from bench.report import Row, render_table
from bench.results import Measurements, Visit, make_rows

SNAPSHOT_KEYS = [
    "engine_ready_first_snapshot",
    "engine_ready_repeat_snapshot",
    "engine_ready_offline_snapshot",
    "bytes_first_snapshot",
    "build_seconds_snapshot",
]


def _visit(ready: float, body_bytes: int | None = None) -> Visit:
    return Visit(ready, None, 20.0, body_bytes=body_bytes)


def _measured(*, snapshot: bool) -> Measurements:
    return Measurements(
        bare_first=[_visit(4000.0, 6_000_000), _visit(4400.0, 6_000_000)],
        site_first=[_visit(2000.0, 4_000_000)],
        site_repeat=[_visit(1000.0, 0)],
        site_offline=[_visit(800.0)],
        snapshot=snapshot,
        snapshot_first=[_visit(1050.0, 9_240_000), _visit(1470.0, 9_240_000)],
        snapshot_repeat=[_visit(630.0, 0)],
        snapshot_offline=[_visit(420.0)],
        snapshot_build_seconds=12.0,
    )


def _rows(m: Measurements) -> dict[str, Row]:
    return {row.key: row for row in make_rows(m)}


@pytest.mark.parametrize(
    ("key", "ratio"),
    [
        ("engine_ready_first_snapshot", 0.3),  # median 1260 ms / bare median 4200 ms
        ("engine_ready_repeat_snapshot", 0.15),
        ("engine_ready_offline_snapshot", 0.1),
        ("bytes_first_snapshot", 1.54),  # over the bare page's bytes
    ],
)
def test_snapshot_rows_are_ratios_to_the_same_bare_baseline(key: str, ratio: float) -> None:
    row = _rows(_measured(snapshot=True))[key]
    assert row.ratio == pytest.approx(ratio)
    assert "snapshot build (option)" in row.label


def test_snapshot_rows_are_information_without_a_target() -> None:
    rows = _rows(_measured(snapshot=True))
    for key in SNAPSHOT_KEYS:
        assert rows[key].target is None, key
        assert rows[key].verdict == "", key
    # The default build's rows keep their targets.
    assert rows["engine_ready_first"].target is not None


def test_snapshot_rows_follow_the_rows_they_compare_with() -> None:
    keys = [row.key for row in make_rows(_measured(snapshot=True))]
    offline = keys.index("engine_ready_offline")
    assert keys[offline + 1 : offline + 4] == SNAPSHOT_KEYS[:3]
    assert keys[keys.index("bytes_first") + 1] == "bytes_first_snapshot"
    assert keys[keys.index("build_seconds") + 1] == "build_seconds_snapshot"


def test_without_the_snapshot_site_the_table_has_no_snapshot_rows() -> None:
    rows = make_rows(_measured(snapshot=False))
    assert not [row.key for row in rows if row.key.endswith("_snapshot")]
    assert "snapshot" not in render_table(rows)
