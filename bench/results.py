"""What the benchmark measured, and the table rows (with targets) made from it.

No browser here: ``bench.browser`` fills a :class:`Measurements`, ``make_rows`` turns it into
:class:`bench.report.Row` objects. Targets are those of issue 7; every engine figure is also a
ratio to the baseline measured in the same run (stock ``loadPyodide()`` on a first visit), because
the machine is shared and absolute times swing with its load.

A second site built with the ``--snapshot`` option (a Pyodide memory snapshot, build_tools/
engine.py) is measured in the same loop when asked; its rows are information, without a target:
the default build is the one the targets are for.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from bench.exam_office import ExamOfficeRun, exam_office_rows
from bench.live_call import LiveCall
from bench.report import Row, Stat, Target, Unit, percentile, ratio, single, summarize
from bench.server import Response

# The rows of the site built with the --snapshot option: information only (no target).
SNAPSHOT_LABEL = "snapshot build (option)"

TARGETS: dict[str, Target] = {
    "first_tick_saved": Target(300.0),
    "engine_ready_first": Target(0.55, "ratio"),
    "engine_ready_repeat": Target(0.35, "ratio"),
    "engine_ready_offline": Target(0.30, "ratio"),
    "longest_block_first": Target(50.0),
    "longest_block_repeat": Target(50.0),
    "tick_verdict_median": Target(16.0),
    "tick_verdict_p95": Target(50.0),
    "bytes_first": Target(1.0, "ratio"),
    # "Repeat visit: only revalidation of HTML": every answer a 304, no body sent at all.
    "bytes_repeat": Target(0.0),
    "list_shown": Target(300.0),
    "score_pyodide": Target(20.0),
    "foreign_requests": Target(0.0),
    # Issue 12: one candidate during a live call at 390 px (bench/live_call.py).
    "live_page_height": Target(5500.0),
    "live_screens": Target(25.0),
    "live_taps": Target(50.0),
}


@dataclass(frozen=True, slots=True)
class Visit:
    """One page load. Times in ms since its navigation started; None when not reached."""

    ready_ms: float | None
    error: str | None
    longest_block_ms: float | None
    tick_saved_ms: float | None = None
    body_bytes: int | None = None
    responses: tuple[Response, ...] = ()
    sw_state: str | None = None
    # When things happened (ms): first paint, app.js started, the longest block ended, ...
    timeline: dict[str, Any] = field(default_factory=dict, compare=False)

    def transfer(self) -> dict[str, Any]:
        """A short account of the requests, for the JSON report."""
        statuses: dict[str, int] = {}
        for response in self.responses:
            statuses[str(response.status)] = statuses.get(str(response.status), 0) + 1
        return {
            "requests": len(self.responses),
            "statuses": statuses,
            "bytes": self.body_bytes,
            "paths": [f"{r.status} {r.path} {r.body_bytes}" for r in self.responses],
        }


@dataclass(slots=True)
class Measurements:
    """Everything one ``make bench`` measured; lists hold one entry per run."""

    bare_first: list[Visit] = field(default_factory=list)
    bare_repeat: list[Visit] = field(default_factory=list)
    site_first: list[Visit] = field(default_factory=list)
    site_repeat: list[Visit] = field(default_factory=list)
    site_offline: list[Visit] = field(default_factory=list)
    # The site built with --snapshot; measured (and in the table) only when ``snapshot`` is set.
    snapshot: bool = False
    snapshot_first: list[Visit] = field(default_factory=list)
    snapshot_repeat: list[Visit] = field(default_factory=list)
    snapshot_offline: list[Visit] = field(default_factory=list)
    snapshot_build_seconds: float | None = None
    tick_verdict_ms: list[float] = field(default_factory=list)
    tick_error: str = ""
    # From the click until the save status says "Opgeslagen" (on disk: store-durable.js).
    tick_saved_ms: list[float] = field(default_factory=list)
    tick_saved_error: str = ""
    # The same with the passphrase lock on (store-crypto.js), and the unlock it needs first.
    tick_saved_locked_ms: list[float] = field(default_factory=list)
    unlock_ms: list[float] = field(default_factory=list)
    lock_error: str = ""
    list_in_dom_ms: list[float] = field(default_factory=list)
    list_painted_ms: list[float] = field(default_factory=list)
    list_count: int = 0
    list_error: str = ""
    pyodide_score: dict[str, Any] | None = None
    cpython_score: dict[str, Any] | None = None
    score_error: str = ""
    build_seconds: float | None = None
    foreign_requests: list[str] = field(default_factory=list)
    # One candidate during a live call at phone size (bench/live_call.py), once per bench.
    live_call: list[LiveCall] = field(default_factory=list)
    live_call_error: str = ""
    # The exam office's report over 1,000 and 10,000 assessments (bench/exam_office.py).
    exam_office: list[ExamOfficeRun] = field(default_factory=list)
    exam_office_error: str = ""


def _visit_row(
    key: str,
    label: str,
    unit: Unit,
    visits: Sequence[Visit],
    pick: Callable[[Visit], float | None],
    *,
    baseline: Stat | None = None,
    extra_note: str = "",
) -> Row:
    """A row from the visits that produced the figure; failed ones are counted in the note."""
    values = [v for v in (pick(visit) for visit in visits if visit.error is None) if v is not None]
    errors = [visit.error for visit in visits if visit.error is not None]
    stat = summarize(values)
    notes = [extra_note] if extra_note else []
    if errors:
        notes.append(f"{len(errors)} of {len(visits)} runs failed: {errors[0]}")
    return Row(
        key=key,
        label=label,
        unit=unit,
        stat=stat,
        ratio=ratio(stat, baseline),
        target=TARGETS.get(key),
        note="; ".join(notes),
        samples=tuple(values),
    )


def _repeat_note(visits: Sequence[Visit]) -> str:
    """What the repeat visit asked the server, e.g. '2 requests: 304 /sw.js, 304 /...'."""
    if not visits:
        return ""
    responses = visits[-1].responses
    shown = ", ".join(f"{r.status} {r.path}" for r in responses[:6])
    more = f", ... ({len(responses) - 6} more)" if len(responses) > 6 else ""
    return f"last run: {len(responses)} requests" + (f": {shown}{more}" if responses else "")


def _bytes(visit: Visit) -> float | None:
    return None if visit.body_bytes is None else float(visit.body_bytes)


def _median_and_p95(key: str, label: str, samples: list[float], error: str) -> list[Row]:
    """Two rows for a series of samples: its median (with the samples) and its p95, with the
    targets TARGETS holds for ``<key>_median`` and ``<key>_p95``, if any."""
    note = error or ("" if samples else "not measured")
    return [
        Row(
            f"{key}_median",
            f"{label}, median of {len(samples)}",
            "ms",
            summarize(samples),
            target=TARGETS.get(f"{key}_median"),
            note=note,
            samples=tuple(samples),
        ),
        Row(
            f"{key}_p95",
            f"{label}, p95",
            "ms",
            single(percentile(samples, 0.95) if samples else None),
            target=TARGETS.get(f"{key}_p95"),
            note=note,
        ),
    ]


def make_rows(m: Measurements) -> list[Row]:
    """The table, top to bottom: baseline, engine start, responsiveness, bytes, data, build."""
    rows: list[Row] = []
    baseline = _visit_row(
        "bare_ready_first",
        "bare loadPyodide(), first visit (baseline)",
        "ms",
        m.bare_first,
        lambda v: v.ready_ms,
    )
    base = baseline.stat
    rows.append(_with_ratio(baseline, base))
    rows.append(
        _visit_row(
            "bare_ready_repeat",
            "bare loadPyodide(), repeat visit",
            "ms",
            m.bare_repeat,
            lambda v: v.ready_ms,
            baseline=base,
        )
    )
    rows.append(
        _visit_row(
            "first_tick_saved",
            "first tick saved (not waiting for the engine)",
            "ms",
            m.site_first,
            lambda v: v.tick_saved_ms,
        )
    )
    for key, label, visits in (
        ("engine_ready_first", "engine ready, first visit", m.site_first),
        ("engine_ready_repeat", "engine ready, repeat visit", m.site_repeat),
        ("engine_ready_offline", "engine ready, offline (service worker)", m.site_offline),
    ):
        rows.append(_visit_row(key, label, "ms", visits, lambda v: v.ready_ms, baseline=base))
    if m.snapshot:
        for key, label, visits in (
            ("engine_ready_first_snapshot", "engine ready, first visit", m.snapshot_first),
            ("engine_ready_repeat_snapshot", "engine ready, repeat visit", m.snapshot_repeat),
            ("engine_ready_offline_snapshot", "engine ready, offline", m.snapshot_offline),
        ):
            label = f"{label}, {SNAPSHOT_LABEL}"
            rows.append(_visit_row(key, label, "ms", visits, lambda v: v.ready_ms, baseline=base))
    for key, label, visits in (
        ("longest_block_first", "longest main-thread block, first visit", m.site_first),
        ("longest_block_repeat", "longest main-thread block, repeat visit", m.site_repeat),
        ("longest_block_bare", "longest main-thread block, bare page", m.bare_first),
    ):
        rows.append(_visit_row(key, label, "ms", visits, lambda v: v.longest_block_ms))

    rows += _median_and_p95(
        "tick_verdict", "tick -> verdict updated", m.tick_verdict_ms, m.tick_error
    )
    rows += _median_and_p95(
        "tick_saved", "tick -> Opgeslagen (on disk)", m.tick_saved_ms, m.tick_saved_error
    )
    rows += _median_and_p95(
        "tick_saved_locked",
        "tick -> Opgeslagen, passphrase lock on",
        m.tick_saved_locked_ms,
        m.lock_error,
    )
    rows.append(
        Row(
            "unlock",
            "unlock: passphrase -> checklist shown (PBKDF2, 600,000 rounds)",
            "ms",
            summarize(m.unlock_ms),
            note=m.lock_error or ("" if m.unlock_ms else "not measured"),
            samples=tuple(m.unlock_ms),
        )
    )

    bare_bytes = _visit_row(
        "bytes_bare_first", "bytes sent (gzip), bare first visit", "bytes", m.bare_first, _bytes
    )
    rows.append(bare_bytes)
    rows.append(
        _visit_row(
            "bytes_first",
            "bytes sent (gzip), first visit",
            "bytes",
            m.site_first,
            _bytes,
            baseline=bare_bytes.stat,
            extra_note="includes the service worker's precache",
        )
    )
    if m.snapshot:
        rows.append(
            _visit_row(
                "bytes_first_snapshot",
                f"bytes sent (gzip), first visit, {SNAPSHOT_LABEL}",
                "bytes",
                m.snapshot_first,
                _bytes,
                baseline=bare_bytes.stat,
                extra_note="includes the service worker's precache",
            )
        )
    rows.append(
        _visit_row(
            "bytes_repeat",
            "bytes sent, repeat visit",
            "bytes",
            m.site_repeat,
            _bytes,
            extra_note=_repeat_note(m.site_repeat),
        )
    )

    list_note = m.list_error or ("" if m.list_painted_ms else "not measured")
    for key, what, samples in (
        ("list_in_dom", "list in the DOM", m.list_in_dom_ms),
        ("list_shown", "list painted", m.list_painted_ms),
    ):
        rows.append(
            Row(
                key,
                f"{m.list_count:,} stored assessments: {what}",
                "ms",
                summarize(samples),
                target=TARGETS.get(key),
                note=list_note,
                samples=tuple(samples),
            )
        )

    rows.extend(_live_call_rows(m))
    rows.extend(_score_rows(m))
    rows.extend(exam_office_rows(m.exam_office, m.exam_office_error))
    rows.append(
        Row(
            "build_seconds",
            "make site (build_tools.site build), wall time",
            "s",
            single(m.build_seconds),
            note="" if m.build_seconds is not None else "not built (--site given)",
        )
    )
    if m.snapshot:
        rows.append(
            Row(
                "build_seconds_snapshot",
                "make site with --snapshot, wall time",
                "s",
                single(m.snapshot_build_seconds),
                note=(
                    "snapshot from .cache/engine when its inputs did not change"
                    if m.snapshot_build_seconds is not None
                    else "not built (--snapshot-site given)"
                ),
            )
        )
    foreign = m.foreign_requests
    rows.append(
        Row(
            "foreign_requests",
            "requests to other hosts",
            "count",
            single(float(len(foreign))),
            target=TARGETS["foreign_requests"],
            note=", ".join(sorted(set(foreign))[:3]),
        )
    )
    return rows


def _with_ratio(row: Row, base: Stat | None) -> Row:
    return Row(
        row.key,
        row.label,
        row.unit,
        row.stat,
        ratio(row.stat, base),
        row.target,
        row.note,
        row.samples,
    )


def _score_rows(m: Measurements) -> list[Row]:
    rows: list[Row] = []
    for key, where, result in (
        ("score_pyodide", "Pyodide", m.pyodide_score),
        ("score_cpython", "CPython", m.cpython_score),
    ):
        criteria = result.get("criteria", 2000) if result else 2000
        samples = [float(v) for v in result["score_ms"]] if result else []
        python = f"Python {result['python']}" if result else ""
        rows.append(
            Row(
                key,
                f"{criteria:,}-criterion rubric, one score, {where}",
                "ms",
                summarize(samples),
                target=TARGETS.get(key),
                note=python if result else (m.score_error or "not measured"),
                samples=tuple(samples),
            )
        )
    if m.pyodide_score:
        samples = [float(v) for v in m.pyodide_score["init_ms"]]
        rows.append(
            Row(
                "init_pyodide",
                f"{m.pyodide_score.get('criteria', 2000):,}-criterion rubric, load, Pyodide",
                "ms",
                summarize(samples),
                samples=tuple(samples),
            )
        )
    return rows


def _live_call_rows(m: Measurements) -> list[Row]:
    """Page height, taps and screen-heights of one candidate at 390 px (issue 12)."""
    note = m.live_call_error or ("" if m.live_call else "not measured")
    calls = m.live_call
    figures: tuple[tuple[str, str, Unit, list[float]], ...] = (
        (
            "live_page_height",
            "live call, 390 px: page height with a new assessment",
            "px",
            [float(c.page_height_px) for c in calls],
        ),
        (
            "live_screens",
            "live call, 390 px: screen-heights scrolled, one candidate",
            "screens",
            [c.screens for c in calls],
        ),
        (
            "live_taps",
            "live call, 390 px: taps, one candidate",
            "count",
            [float(c.taps) for c in calls],
        ),
    )
    return [
        Row(
            key,
            label,
            unit,
            summarize(values),
            target=TARGETS[key],
            note=note,
            samples=tuple(values),
        )
        for key, label, unit, values in figures
    ]
