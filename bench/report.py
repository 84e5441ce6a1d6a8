"""The benchmark's table: summaries, ratios to the baseline, targets, text and JSON.

Pure functions only (no browser, no server), so tests/site/test_bench_report.py checks them.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

Unit = Literal["ms", "bytes", "s", "count", "px", "screens"]
Verdict = Literal["pass", "MISS", "no data", ""]


@dataclass(frozen=True, slots=True)
class Stat:
    """A figure over several runs: the median, the range, and how many runs."""

    value: float
    low: float
    high: float
    n: int


def summarize(samples: Iterable[float]) -> Stat | None:
    """Median with min and max; None when there is no sample."""
    values = [float(v) for v in samples]
    if not values:
        return None
    return Stat(statistics.median(values), min(values), max(values), len(values))


def percentile(samples: Sequence[float], fraction: float) -> float:
    """The ``fraction`` quantile (0..1), linear between the closest ranks (numpy's default)."""
    if not samples:
        raise ValueError("percentile of no samples")
    if not 0.0 <= fraction <= 1.0:
        raise ValueError(f"fraction must be within 0..1, not {fraction}")
    ordered = sorted(float(v) for v in samples)
    position = fraction * (len(ordered) - 1)
    below = math.floor(position)
    above = min(below + 1, len(ordered) - 1)
    return ordered[below] + (ordered[above] - ordered[below]) * (position - below)


def single(value: float | None) -> Stat | None:
    """A figure measured once (a p95, a build time)."""
    return None if value is None else Stat(float(value), float(value), float(value), 1)


def ratio(stat: Stat | None, baseline: Stat | None) -> float | None:
    """Median over the baseline's median; None when either is missing or the baseline is 0."""
    if stat is None or baseline is None or baseline.value == 0:
        return None
    return stat.value / baseline.value


@dataclass(frozen=True, slots=True)
class Target:
    """An upper limit on the figure itself (``on="value"``) or on its ratio to the baseline."""

    limit: float
    on: Literal["value", "ratio"] = "value"

    def check(self, stat: Stat | None, ratio: float | None) -> Verdict:
        measured = ratio if self.on == "ratio" else (stat.value if stat else None)
        if measured is None:
            return "no data"
        return "pass" if measured <= self.limit else "MISS"

    def describe(self, unit: Unit) -> str:
        if self.on == "ratio":
            return f"<= {self.limit:.2f}x"
        if unit == "ms":
            return f"<= {self.limit:g} ms"
        return f"<= {format_value(self.limit, unit)}"


@dataclass(frozen=True, slots=True)
class Row:
    """One line of the table. ``key`` is stable (JSON, comparisons); ``label`` is for people."""

    key: str
    label: str
    unit: Unit
    stat: Stat | None
    ratio: float | None = None
    target: Target | None = None
    note: str = ""
    samples: tuple[float, ...] = field(default=(), compare=False)

    @property
    def verdict(self) -> Verdict:
        return self.target.check(self.stat, self.ratio) if self.target else ""


def format_value(value: float, unit: Unit) -> str:
    if unit == "ms":
        return f"{value:.1f} ms" if abs(value) < 100 else f"{value:.0f} ms"
    if unit == "s":
        return f"{value:.1f} s"
    if unit == "bytes":
        if abs(value) >= 1_000_000:
            return f"{value / 1_000_000:.2f} MB"
        if abs(value) >= 1_000:
            return f"{value / 1_000:.1f} kB"
        return f"{value:.0f} B"
    if unit == "px":
        return f"{value:,.0f} px"
    if unit == "screens":
        return f"{value:.1f}"
    return f"{value:.0f}"


def format_range(stat: Stat, unit: Unit) -> str:
    if stat.n < 2:
        return ""
    low, high = format_value(stat.low, unit), format_value(stat.high, unit)
    # "1.1 MB-1.2 MB" reads worse than "1.1-1.2 MB": one unit at the end when both share it.
    low_number, _, low_unit = low.partition(" ")
    high_number, _, high_unit = high.partition(" ")
    if low_unit == high_unit:
        return f"{low_number}-{high_number} {high_unit}".rstrip()
    return f"{low}-{high}"


HEADERS = ("figure", "median", "min-max", "n", "x bare", "target", "result")


def table_cells(row: Row, previous: Mapping[str, float] | None = None) -> list[str]:
    cells = [
        row.label,
        format_value(row.stat.value, row.unit) if row.stat else "-",
        format_range(row.stat, row.unit) if row.stat else "",
        str(row.stat.n) if row.stat else "0",
        f"{row.ratio:.2f}x" if row.ratio is not None else "",
        row.target.describe(row.unit) if row.target else "",
        row.verdict,
    ]
    if previous is not None:
        before = previous.get(row.key)
        cells.append(format_value(before, row.unit) if before is not None else "")
    return cells


def render_table(
    rows: Sequence[Row],
    *,
    previous: Mapping[str, float] | None = None,
    title: str = "",
    notes: Sequence[str] = (),
) -> str:
    """A plain-text table, one row per figure; numbers right-aligned."""
    headers = [*HEADERS, "last run"] if previous is not None else list(HEADERS)
    body = [table_cells(row, previous) for row in rows]
    widths = [max(len(line[i]) for line in [headers, *body]) for i in range(len(headers))]

    def line(cells: Sequence[str]) -> str:
        parts = [
            cell.ljust(width) if i == 0 else cell.rjust(width)
            for i, (cell, width) in enumerate(zip(cells, widths, strict=True))
        ]
        return "| " + " | ".join(parts) + " |"

    rule = "|" + "|".join("-" * (w + 2) for w in widths) + "|"
    out = [title, ""] if title else []
    out += [line(headers), rule, *(line(cells) for cells in body)]
    # Notes (why a figure is missing, what a visit requested) go under the table, in full.
    out += [f"  {row.label}: {row.note}" for row in rows if row.note]
    out += [f"  {note}" for note in notes]
    return "\n".join(out)


def summary_line(rows: Sequence[Row]) -> str:
    verdicts = [row.verdict for row in rows if row.target is not None]
    missed = [row.label for row in rows if row.verdict == "MISS"]
    text = (
        f"{verdicts.count('pass')} of {len(verdicts)} targets met, "
        f"{verdicts.count('MISS')} missed, {verdicts.count('no data')} without data"
    )
    return text + (f" (missed: {'; '.join(missed)})" if missed else "")


def to_json(rows: Sequence[Row], meta: Mapping[str, Any]) -> dict[str, Any]:
    """Everything of the table, plus the raw samples, for comparing runs later."""
    return {
        "meta": dict(meta),
        "rows": [
            {
                "key": row.key,
                "label": row.label,
                "unit": row.unit,
                "median": row.stat.value if row.stat else None,
                "min": row.stat.low if row.stat else None,
                "max": row.stat.high if row.stat else None,
                "n": row.stat.n if row.stat else 0,
                "ratio": row.ratio,
                "target": (
                    {"limit": row.target.limit, "on": row.target.on} if row.target else None
                ),
                "result": row.verdict,
                "note": row.note,
                "samples": list(row.samples),
            }
            for row in rows
        ],
    }


def previous_medians(data: Any) -> dict[str, float]:
    """key -> median from an earlier ``to_json`` result; anything unreadable is skipped."""
    found: dict[str, float] = {}
    rows = data.get("rows") if isinstance(data, dict) else None
    if not isinstance(rows, list):
        return found
    for row in rows:
        if not isinstance(row, dict):
            continue
        key, median = row.get("key"), row.get("median")
        if isinstance(median, bool) or not isinstance(median, int | float):
            continue
        if isinstance(key, str):
            found[key] = float(median)
    return found
