"""Benchmark: the exam office's report over 1,000 and 10,000 assessments (issue 14).

    python -m bench.exam_office [--site DIR] [--runs N] [--quick] [--json]

Goals: 10,000 assessments in at most 5 s with ``kcm report`` on CPython and 20 s in the browser,
memory growing linearly. Two ways of running the same work on the same generated files:

- CPython: the ``kcm report`` command in a child process (interpreter start included, as an
  exam office runs it), wall time and the child's peak resident memory;
- Pyodide: the site's own engine under Node (``bench/pyodide_report.mjs``, as
  ``bench/pyodide_score.mjs`` does), calling the browser API as the page "Examenbureau" does:
  ``report_start``, ``report_add`` per file, ``report_result``; wall time and the size of the
  WebAssembly memory afterwards (it only grows, so that is the peak).

The records are made and sealed by kcm_core (realistic: two assessors for one candidate in five,
some joint records, a few drafts), split over files of at most 2,500 records (the loader's
per-file limit is 5,000 records and 20 MB). ``make bench`` puts the rows in its table
(``exam_office_rows``); run on its own, this module prints a table with the ratio to each goal.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from bench.report import Row, Stat, Target, format_value, summarize
from kcm_core.assessment_load import load_assessment_data
from kcm_core.merge import merge
from kcm_core.model import Rubric
from kcm_core.rubric_load import load_rubric_file
from kcm_core.seal import seal_record

__all__ = [
    "GOALS",
    "SIZES",
    "ExamOfficeRun",
    "bench_phase",
    "exam_office_rows",
    "generate_records",
    "measure",
    "write_exports",
]

ROOT = Path(__file__).resolve().parent.parent
SIZES: tuple[int, ...] = (1_000, 10_000)
QUICK_SIZES: tuple[int, ...] = (100, 1_000)
PER_FILE = 2_500
# Seconds for 10,000 assessments (issue 14); the rows of other sizes are information.
GOALS: dict[str, float] = {"cpython": 5.0, "pyodide": 20.0}
GOAL_SIZE = 10_000
_WHERE = {"cpython": "kcm report, CPython", "pyodide": "browser API, Pyodide (Node)"}
_NOW = "2026-11-27T09:12:00Z"
_SUMMARY = re.compile(r"(\d+) beoordelingen meegeteld \((\d+) uitslagen\)")


@dataclass(slots=True)
class ExamOfficeRun:
    """One size, one way: seconds and peak memory per run, and what the report counted."""

    where: str  # "cpython" or "pyodide"
    records: int
    files: int
    seconds: list[float] = field(default_factory=list)
    peak_bytes: list[float] = field(default_factory=list)
    counted: int | None = None
    results: int | None = None
    error: str = ""


# --------------------------------------------------------------------------------------------
# Records


def _record(
    rubric: Rubric, record_id: str, assessor: str, name: str, missing: set[str], month: int
) -> dict[str, Any]:
    values = {"naam_kandidaat": name, "datum": f"2026-{month:02d}-15"}
    return {
        "format": "kcm-assessment",
        "format_version": 1,
        "id": record_id,
        "rubric": {"id": rubric.id, "version": rubric.version},
        "fields": {
            f.id: values.get(f.id, "2001-05-04" if f.type == "date" else "x") for f in rubric.fields
        },
        "conditions": {c.id: [c.options[0].id] for c in rubric.conditions},
        "criteria": {c: {"checked": True} for c in rubric.criterion_ids() if c not in missing},
        "remarks": {},
        "status": "final",
        "created": _NOW,
        "updated": _NOW,
        "finalized": _NOW,
        "history": [{"at": _NOW, "action": "finalized"}],
        "assessors": [{"name": assessor}],
    }


def _sealed(rubric: Rubric, data: dict[str, Any]) -> dict[str, Any]:
    return seal_record(load_assessment_data(data, rubric), rubric)


def generate_records(rubric: Rubric, count: int, seed: int = 1) -> list[dict[str, Any]]:
    """``count`` records of ``rubric``, sealed: mostly one assessor per candidate, one
    candidate in five by two (and a third of those with their joint record), one in a hundred
    left a draft."""
    rng = random.Random(seed)
    ids = rubric.criterion_ids()
    records: list[dict[str, Any]] = []
    candidate = 0
    while len(records) < count:
        candidate += 1
        name = f"Kandidaat {candidate}"
        month = 1 + candidate % 12

        def missing() -> set[str]:
            return {c for c in ids if rng.random() < 0.05}

        first = _record(rubric, f"r{candidate}-a", "A. Jansen", name, missing(), month)
        if rng.random() < 0.01:
            first |= {"status": "draft", "finalized": None, "history": []}
            records.append(first)
            continue
        records.append(_sealed(rubric, first))
        if rng.random() < 0.2 and len(records) < count:
            second = _sealed(
                rubric, _record(rubric, f"r{candidate}-b", "B. Bakker", name, missing(), month)
            )
            records.append(second)
            if rng.random() < 0.33 and len(records) < count:
                records.append(joint_record(rubric, records[-2], second, f"r{candidate}-j"))
    return records


def joint_record(
    rubric: Rubric, a: dict[str, Any], b: dict[str, Any], joint_id: str, at: str = _NOW
) -> dict[str, Any]:
    """Two assessors' sealed joint record of ``a`` and ``b`` (``kcm_core.merge``), finalised
    ``at``, with a reason for every difference (the end-to-end test uses it too)."""
    merged, _ = merge(
        load_assessment_data(a, rubric),
        load_assessment_data(b, rubric),
        rubric,
        new_id=lambda: joint_id,
        now=lambda: at,
    )
    data = merged.to_json_data()
    for entry in data["criteria"].values():
        if "decision" in entry:
            entry["decision"]["reason"] = "samen besproken"
    data |= {"status": "final", "finalized": at, "history": [{"at": at, "action": "finalized"}]}
    return _sealed(rubric, data)


def write_exports(records: Sequence[dict[str, Any]], folder: Path) -> list[Path]:
    """``records`` as ``kcm-assessments`` files of at most ``PER_FILE`` records each."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for start in range(0, len(records), PER_FILE):
        path = folder / f"export-{start // PER_FILE + 1:02d}.json"
        collection = {
            "format": "kcm-assessments",
            "format_version": 1,
            "assessments": list(records[start : start + PER_FILE]),
        }
        path.write_text(json.dumps(collection, ensure_ascii=False), encoding="utf-8")
        paths.append(path)
    return paths


# --------------------------------------------------------------------------------------------
# Measuring


# The child process: ``kcm report``, then its own peak resident memory on stderr. Linux's VmHWM
# starts afresh with the new program; ru_maxrss would carry this benchmark's own size (the
# generated records) over from before the child's exec.
_CHILD = """
import resource, sys
from kcm_core.cli import main
code = main(sys.argv[1:])
try:
    with open("/proc/self/status") as status:
        kb = next(int(line.split()[1]) for line in status if line.startswith("VmHWM:"))
except (OSError, StopIteration):
    kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print("peak_kb", kb, file=sys.stderr)
sys.exit(code)
"""


def _cpython_run(folder: Path, rubric_path: Path, out: Path) -> tuple[float, float, str]:
    """One ``kcm report`` in a child process: seconds, peak resident bytes, its stdout."""
    arguments = ["report", str(folder), "--out", str(out), "--rubric", str(rubric_path)]
    shutil.rmtree(out, ignore_errors=True)
    started = time.perf_counter()
    child = subprocess.run(
        [sys.executable, "-c", _CHILD, *arguments],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    seconds = time.perf_counter() - started
    if child.returncode != 0:
        raise RuntimeError(f"kcm report ended with {child.returncode}")
    peak = next(
        (
            line.split()[1]
            for line in reversed(child.stderr.splitlines())
            if line.startswith("peak_kb")
        ),
        "0",
    )
    return seconds, float(peak) * 1024, child.stdout


def _pyodide_runs(engine_dir: Path, folder: Path, runs: int) -> dict[str, Any]:
    node = shutil.which("node")
    if node is None:
        raise RuntimeError("node not found")
    command = [node, str(ROOT / "bench" / "pyodide_report.mjs"), str(engine_dir), str(folder)]
    result = subprocess.run(
        [*command, str(runs)], cwd=ROOT, capture_output=True, text=True, timeout=1800, check=False
    )
    if result.returncode != 0:
        lines = (result.stderr or result.stdout).strip().splitlines()
        raise RuntimeError("Pyodide run failed: " + (lines[-1] if lines else "no output")[:300])
    answer: dict[str, Any] = json.loads(result.stdout.strip().splitlines()[-1])
    return answer


def _counted(stdout: str) -> tuple[int | None, int | None]:
    """``N beoordelingen meegeteld (M uitslagen)`` from kcm report's summary line."""
    found = _SUMMARY.search(stdout)
    return (int(found.group(1)), int(found.group(2))) if found else (None, None)


def measure(
    site: Path | None, runs: int, sizes: Sequence[int] = SIZES, rubric_path: Path | None = None
) -> list[ExamOfficeRun]:
    """Every size on CPython and (with a built ``site``) in Pyodide, ``runs`` times each."""
    rubric_path = rubric_path or (
        site / "engine" / "rubric.json" if site else ROOT / "rubric" / "klantcontact.json"
    )
    rubric = load_rubric_file(rubric_path)
    measured: list[ExamOfficeRun] = []
    with tempfile.TemporaryDirectory(prefix="kcm-bench-report-") as tmp:
        records = generate_records(rubric, max(sizes))
        for size in sizes:
            folder = Path(tmp) / f"exports-{size}"
            paths = write_exports(records[:size], folder)
            cpython = ExamOfficeRun("cpython", size, len(paths))
            try:
                for _ in range(runs):
                    seconds, peak, stdout = _cpython_run(folder, rubric_path, Path(tmp) / "out")
                    cpython.seconds.append(seconds)
                    cpython.peak_bytes.append(peak)
                cpython.counted, cpython.results = _counted(stdout)
            except (OSError, RuntimeError) as error:
                cpython.error = str(error)
            measured.append(cpython)
            pyodide = ExamOfficeRun("pyodide", size, len(paths))
            if site is None:
                pyodide.error = "no site given"
            else:
                try:
                    answer = _pyodide_runs(site / "engine", folder, runs)
                    pyodide.seconds = [float(s) for s in answer["seconds"]]
                    pyodide.peak_bytes = [float(answer["wasm_bytes"])]
                    pyodide.counted, pyodide.results = answer["counted"], answer["results"]
                except (OSError, RuntimeError, subprocess.SubprocessError) as error:
                    pyodide.error = str(error)
            measured.append(pyodide)
    return measured


def bench_phase(
    site: Path, *, runs: int, quick: bool, log: Callable[[str], None]
) -> tuple[list[ExamOfficeRun], str]:
    """``make bench``'s phase: 1,000 and 10,000 assessments (100 and 1,000 with ``quick``, one
    run), at most 3 runs (10,000 takes seconds per run in each place); the runs and an error."""
    sizes = QUICK_SIZES if quick else SIZES
    log(f"exam office report, kcm report and Pyodide (Node): {' and '.join(map(str, sizes))}")
    try:
        measured = measure(site, 1 if quick else min(runs, 3), sizes)
    except (OSError, RuntimeError, ValueError) as error:
        return [], str(error).strip().splitlines()[0][:200]
    for run in measured:
        log(f"  {run.where} {run.records}: {[round(s, 2) for s in run.seconds]} s {run.error}")
    return measured, ""


# --------------------------------------------------------------------------------------------
# Rows


def _note(run: ExamOfficeRun, stat: Stat | None, others: Sequence[ExamOfficeRun]) -> str:
    if run.error:
        return run.error
    notes = [f"{run.files} file" if run.files == 1 else f"{run.files} files"]
    goal = GOALS[run.where] if run.records == GOAL_SIZE else None
    if goal is not None and stat is not None:
        notes.append(f"{stat.value / goal:.2f}x the {goal:g} s goal")
    same = [o for o in others if o.records == run.records and o.where != run.where and o.counted]
    if (
        same
        and run.counted is not None
        and (same[0].counted, same[0].results)
        != (
            run.counted,
            run.results,
        )
    ):
        notes.append(
            f"DIFFERENT COUNTS: {run.counted}/{run.results} vs {same[0].counted}/{same[0].results}"
        )
    return "; ".join(notes)


def exam_office_rows(runs: Sequence[ExamOfficeRun], error: str = "") -> list[Row]:
    """Per run: seconds (against the goal for 10,000 records) and peak memory."""
    if not runs:
        return [Row("report_cpython_10000", "exam office report, 10,000", "s", None, note=error)]
    rows: list[Row] = []
    for run in runs:
        key = f"report_{run.where}_{run.records}"
        stat = summarize(run.seconds)
        target = Target(GOALS[run.where]) if run.records == GOAL_SIZE else None
        label = f"exam office report, {run.records:,} assessments, {_WHERE[run.where]}"
        rows.append(
            Row(
                key,
                label,
                "s",
                stat,
                target=target,
                note=_note(run, stat, runs),
                samples=tuple(run.seconds),
            )
        )
        memory = "peak resident memory" if run.where == "cpython" else "WebAssembly memory"
        rows.append(
            Row(
                f"{key}_memory",
                f"{label}: {memory}",
                "bytes",
                summarize(run.peak_bytes),
                note=run.error,
                samples=tuple(run.peak_bytes),
            )
        )
    return rows


def format_table(rows: Sequence[Row]) -> str:
    lines = [
        f"| {'figure':<72} | {'median':>10} | {'target':>8} | {'result':>6} | note",
        f"|{'-' * 74}|{'-' * 12}|{'-' * 10}|{'-' * 8}|------",
    ]
    for row in rows:
        value = format_value(row.stat.value, row.unit) if row.stat else "-"
        target = row.target.describe(row.unit) if row.target else ""
        lines.append(
            f"| {row.label:<72} | {value:>10} | {target:>8} | {row.verdict:>6} | {row.note}"
        )
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.exam_office", description=__doc__)
    parser.add_argument("--site", type=Path, help="a built site (its engine runs the Pyodide rows)")
    parser.add_argument("--runs", type=int, default=3, help="runs per figure (default 3)")
    parser.add_argument(
        "--quick", action="store_true", help=f"1 run, {QUICK_SIZES[0]} and {QUICK_SIZES[1]}"
    )
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args(argv)
    runs, sizes = (1, QUICK_SIZES) if args.quick else (args.runs, SIZES)
    measured = measure(args.site.resolve() if args.site else None, runs, sizes)
    if args.json:
        print(json.dumps([asdict(run) for run in measured], indent=2))
    else:
        print(format_table(exam_office_rows(measured)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
