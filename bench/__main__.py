"""``make bench`` (``python -m bench``): build the site, serve it, measure it, print one table.

    python -m bench [--runs N] [--quick] [--site DIR] [--brotli] [--json PATH]
                    [--no-snapshot | --snapshot-site DIR]

See bench/README.md for what each figure means. Progress goes to stderr, the table to stdout,
and the table with every sample to ``.cache/bench/last.json`` (the previous one is shown in the
"last run" column).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bench.browser import BARE_PAGES
from bench.chromium import CHROMIUM
from bench.report import previous_medians, render_table, summary_line, to_json
from bench.results import SNAPSHOT_LABEL, Measurements, Visit, make_rows
from bench.server import BenchServer, brotli_module

ROOT = Path(__file__).resolve().parent.parent
CACHE = ROOT / ".cache" / "bench"
PYODIDE_DIR = ROOT / "node_modules" / "pyodide"
DEFAULT_JSON = CACHE / "last.json"
TICKS_JSON = CACHE / "last-ticks.json"
TICKS = 100
STORED = 1000
SCORE_CRITERIA = 2000


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def fmt(value: float | None) -> str:
    return "-" if value is None else f"{value:.0f}"


# --------------------------------------------------------------------------------------------
# Build


def build_site(out: Path, *, snapshot: bool = False) -> float:
    """``python -m build_tools.site build --out OUT`` (what ``make site`` runs), with
    ``--snapshot`` when asked; seconds taken."""
    shutil.rmtree(out, ignore_errors=True)
    out.parent.mkdir(parents=True, exist_ok=True)
    build_log = out.parent / ("build-snapshot.log" if snapshot else "build.log")
    command = [sys.executable, "-m", "build_tools.site", "build", "--out", str(out)]
    if snapshot:
        command.append("--snapshot")
    started = time.perf_counter()
    with build_log.open("w", encoding="utf-8") as handle:
        result = subprocess.run(command, cwd=ROOT, stdout=handle, stderr=subprocess.STDOUT)
    seconds = time.perf_counter() - started
    if result.returncode != 0:
        tail = build_log.read_text(encoding="utf-8").strip().splitlines()[-15:]
        raise SystemExit("bench: building the site failed:\n" + "\n".join(tail))
    return seconds


def check_site(site: Path, *, snapshot: bool = False) -> None:
    missing = [
        name
        for name in ("checklist/index.html", "engine/engine.json", "engine/rubric.json")
        if not (site / name).is_file()
    ]
    if missing:
        raise SystemExit(f"bench: {site} is not a built site (missing {', '.join(missing)})")
    if snapshot:
        engine = json.loads((site / "engine" / "engine.json").read_text(encoding="utf-8"))
        if not engine.get("snapshot"):
            raise SystemExit(f"bench: {site} was not built with --snapshot (engine.json)")
    if not (PYODIDE_DIR / "pyodide.mjs").is_file():
        raise SystemExit(f"bench: stock Pyodide not found in {PYODIDE_DIR}: run 'make setup'")


# --------------------------------------------------------------------------------------------
# Browser phases


def browser_phases(
    server: BenchServer,
    site: Path,
    m: Measurements,
    *,
    runs: int,
    ticks: int,
    snapshot_server: BenchServer | None = None,
    ticks_only: bool = False,
) -> None:
    from playwright.sync_api import Error as PlaywrightError
    from playwright.sync_api import sync_playwright

    from bench import browser, live_call, locked
    from bench.stored import stored_assessments
    from kcm_core.rubric_load import load_rubric_file

    def bare_run(pw: Any) -> None:
        with browser.session(pw, server.origin) as s:
            first = browser.visit(s, server, browser.BARE_URL)
            repeat = browser.visit(s, server, browser.BARE_URL)
        m.bare_first.append(first)
        m.bare_repeat.append(repeat)
        log(
            f"  bare: ready first {fmt(first.ready_ms)} ms, repeat {fmt(repeat.ready_ms)} ms, "
            f"{fmt((first.body_bytes or 0) / 1000)} kB" + _errors(first, repeat)
        )

    def checklist_visits(pw: Any, host: BenchServer) -> tuple[Visit, Visit, Visit]:
        """First visit (new profile), repeat visit, and offline (server stopped)."""
        with browser.session(pw, host.origin) as s:
            first = browser.visit(s, host, browser.SITE_URL, tick=True, wait_sw=True)
            repeat = browser.visit(s, host, browser.SITE_URL)
            if first.sw_state in ("ready", "update"):
                host.stop()
                try:
                    offline = browser.visit(s, host, browser.SITE_URL, count_bytes=False)
                finally:
                    host.start()
            else:
                offline = Visit(None, f"no service worker (data-sw={first.sw_state})", None)
            m.foreign_requests.extend(s.foreign_requests)
            if s.page_errors:
                log(f"  page errors: {s.page_errors[:3]}")
        return first, repeat, offline

    def site_run(pw: Any) -> None:
        first, repeat, offline = checklist_visits(pw, server)
        m.site_first.append(first)
        m.site_repeat.append(repeat)
        m.site_offline.append(offline)
        log(
            f"  site: tick saved {fmt(first.tick_saved_ms)} ms, ready first "
            f"{fmt(first.ready_ms)} / repeat {fmt(repeat.ready_ms)} / offline "
            f"{fmt(offline.ready_ms)} ms, blocks {fmt(first.longest_block_ms)}/"
            f"{fmt(repeat.longest_block_ms)} ms, {fmt((first.body_bytes or 0) / 1000)} kB"
            + _errors(first, repeat, offline)
        )

    def snapshot_run(pw: Any) -> None:
        assert snapshot_server is not None
        first, repeat, offline = checklist_visits(pw, snapshot_server)
        m.snapshot_first.append(first)
        m.snapshot_repeat.append(repeat)
        m.snapshot_offline.append(offline)
        log(
            f"  snapshot site: ready first {fmt(first.ready_ms)} / repeat "
            f"{fmt(repeat.ready_ms)} / offline {fmt(offline.ready_ms)} ms, "
            f"{fmt((first.body_bytes or 0) / 1000)} kB" + _errors(first, repeat, offline)
        )

    phases = [bare_run, site_run] + ([snapshot_run] if snapshot_server is not None else [])
    with sync_playwright() as pw:
        for run in range(0 if ticks_only else runs):
            log(f"run {run + 1}/{runs}")
            # Rotate the order (bare/site/snapshot, site/snapshot/bare, ...), so a machine that
            # gets busier favours none of them.
            shift = run % len(phases)
            for phase in phases[shift:] + phases[:shift]:
                phase(pw)

        log(f"tick -> verdict: {ticks} ticks")
        with browser.session(pw, server.origin) as s:
            try:
                m.tick_verdict_ms = browser.tick_to_verdict(s, server, count=ticks)
            except (PlaywrightError, RuntimeError) as error:
                m.tick_error = str(error).strip().splitlines()[0][:200]
                log(f"  failed: {m.tick_error}")

        log(f"tick -> Opgeslagen (on disk): {ticks} ticks")
        with browser.session(pw, server.origin) as s:
            try:
                m.tick_saved_ms = browser.tick_to_saved(s, server, count=ticks)
            except (PlaywrightError, RuntimeError) as error:
                m.tick_saved_error = str(error).strip().splitlines()[0][:200]
                log(f"  failed: {m.tick_saved_error}")

        log(f"passphrase lock: unlock, then {ticks} ticks -> Opgeslagen")
        with browser.session(pw, server.origin) as s:
            try:
                unlock_ms, m.tick_saved_locked_ms = locked.tick_to_saved_locked(
                    s, server, count=ticks
                )
                m.unlock_ms.append(unlock_ms)
            except (PlaywrightError, RuntimeError) as error:
                m.lock_error = str(error).strip().splitlines()[0][:200]
                log(f"  failed: {m.lock_error}")
        if ticks_only:
            return

        log(f"checklist with {STORED} stored assessments: {runs} loads")
        m.list_count = STORED
        items = stored_assessments(load_rubric_file(site / "engine" / "rubric.json"), STORED)
        with browser.session(pw, server.origin, list_target=STORED) as s:
            # A returning assessor: the site was visited before (HTTP cache, service worker).
            warm = browser.visit(s, server, browser.SITE_URL, wait_sw=True, count_bytes=False)
            if warm.error or s.page is None:
                m.list_error = f"warm-up visit failed: {warm.error}"
            else:
                browser.seed_storage(s.page, items)
                for _ in range(runs):
                    shown = browser.list_shown(s, server)
                    if shown is None:
                        m.list_error = "the list never reached the stored count"
                        break
                    m.list_in_dom_ms.append(shown[0])
                    m.list_painted_ms.append(shown[1])
            log(f"  list painted: {[round(v) for v in m.list_painted_ms]} ms {m.list_error}")

        log("live call at 390 px: one candidate, taps and screen-heights")
        with browser.session(pw, server.origin) as s:
            try:
                call = live_call.run(s.context.new_page(), server.origin + "/" + browser.SITE_URL)
                m.live_call.append(call)
                log(f"  {live_call.as_json(call)}")
            except (PlaywrightError, RuntimeError) as error:
                m.live_call_error = str(error).strip().splitlines()[0][:200]
                log(f"  failed: {m.live_call_error}")


def _errors(*visits: Visit) -> str:
    errors = [v.error for v in visits if v.error]
    return f" [{'; '.join(errors)}]" if errors else ""


# --------------------------------------------------------------------------------------------
# Scoring (Node + Pyodide, CPython)


def scoring_phase(site: Path, m: Measurements, runs: int) -> None:
    from bench.score_probe import generated_texts, measure_texts

    rubric_text, assessment_text = generated_texts(SCORE_CRITERIA)
    m.cpython_score = {
        "criteria": SCORE_CRITERIA,
        **measure_texts(rubric_text, assessment_text, runs),
    }
    node = shutil.which("node")
    if node is None:
        m.score_error = "node not found"
        return
    with tempfile.TemporaryDirectory(prefix="kcm-bench-score-") as tmp:
        rubric_path, assessment_path = Path(tmp, "rubric.json"), Path(tmp, "assessment.json")
        rubric_path.write_text(rubric_text, encoding="utf-8")
        assessment_path.write_text(assessment_text, encoding="utf-8")
        command = [
            node,
            str(ROOT / "bench" / "pyodide_score.mjs"),
            str(site / "engine"),
            str(rubric_path),
            str(assessment_path),
            str(runs),
        ]
        result = subprocess.run(
            command, cwd=ROOT, capture_output=True, text=True, timeout=600, check=False
        )
    if result.returncode == 0:
        m.pyodide_score = {
            "criteria": SCORE_CRITERIA,
            **json.loads(result.stdout.strip().splitlines()[-1]),
        }
    else:
        m.score_error = "Pyodide run failed: " + _last_error_line(result.stderr or result.stdout)


def _last_error_line(text: str) -> str:
    """The line that says what went wrong (Pyodide's own source is printed before it)."""
    lines = [line.strip() for line in text.splitlines() if len(line.strip()) < 400]
    for line in reversed(lines):
        if "Error" in line and not line.startswith("at "):
            return line[:300]
    return (lines[-1] if lines else "no output")[:300]


# --------------------------------------------------------------------------------------------
# Main


def _chromium_version() -> str:
    with contextlib.suppress(OSError, subprocess.SubprocessError):
        return subprocess.run(
            [str(CHROMIUM), "--version"], capture_output=True, text=True, timeout=30
        ).stdout.strip()
    return "unknown"


def _git_commit() -> str:
    with contextlib.suppress(OSError, subprocess.SubprocessError):
        return subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=30,
        ).stdout.strip()
    return ""


def _load_average() -> list[float]:
    try:
        return [round(v, 2) for v in os.getloadavg()]
    except OSError:
        return []


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench",
        description="Build the site, serve it on 127.0.0.1 and measure it in Chromium.",
    )
    parser.add_argument("--runs", type=int, default=5, help="runs per figure (default 5)")
    parser.add_argument(
        "--quick",
        action="store_true",
        help="2 runs and 30 ticks, the report over 100 and 1,000 assessments: a smoke run",
    )
    parser.add_argument("--site", type=Path, help="measure this built site; do not build")
    parser.add_argument(
        "--brotli", action="store_true", help="offer brotli before gzip (needs 'brotli')"
    )
    parser.add_argument("--json", type=Path, help=f"where the JSON goes (default {DEFAULT_JSON})")
    parser.add_argument(
        "--ticks-only",
        action="store_true",
        help="only the tick figures (verdict, Opgeslagen); implies --no-snapshot; "
        f"the JSON goes to {TICKS_JSON} unless --json says otherwise",
    )
    snapshot = parser.add_mutually_exclusive_group()
    snapshot.add_argument(
        "--no-snapshot",
        action="store_true",
        help="skip the second site, built with the --snapshot option",
    )
    snapshot.add_argument(
        "--snapshot-site",
        type=Path,
        help="measure this site built with --snapshot as the second site; do not build it",
    )
    args = parser.parse_args(argv)
    if args.json is None:
        args.json = TICKS_JSON if args.ticks_only else DEFAULT_JSON
    runs = 2 if args.quick else args.runs
    ticks = 30 if args.quick else TICKS
    if runs < 1:
        parser.error("--runs must be at least 1")
    if args.brotli and brotli_module() is None:
        parser.error("--brotli needs the 'brotli' module (pip install brotli)")
    encodings = ("br", "gzip") if args.brotli else ("gzip",)

    started = time.monotonic()
    load_before = _load_average()
    m = Measurements()
    if args.site:
        site = args.site.resolve()
    else:
        site = CACHE / "site"
        log(f"building the site into {site} ...")
        m.build_seconds = build_site(site)
        log(f"  built in {m.build_seconds:.1f} s")
    check_site(site)
    snapshot_site: Path | None = None
    if args.snapshot_site:
        snapshot_site = args.snapshot_site.resolve()
    elif not (args.no_snapshot or args.ticks_only):
        snapshot_site = CACHE / "site-snapshot"
        log(f"building the site with --snapshot into {snapshot_site} ...")
        m.snapshot_build_seconds = build_site(snapshot_site, snapshot=True)
        log(f"  built in {m.snapshot_build_seconds:.1f} s")
    if snapshot_site is not None:
        check_site(snapshot_site, snapshot=True)
        m.snapshot = True

    server = BenchServer(
        site, encodings=encodings, mounts={"/bare/": PYODIDE_DIR}, pages=BARE_PAGES
    )
    # The snapshot site on its own port: another origin, so its service worker, caches and
    # storage are its own, as on a separate host.
    snapshot_server = (
        BenchServer(snapshot_site, encodings=encodings) if snapshot_site is not None else None
    )
    with server, snapshot_server or contextlib.nullcontext():
        log(f"serving {site} on {server.origin} ({', '.join(encodings)})")
        if snapshot_server is not None:
            log(f"serving {snapshot_site} on {snapshot_server.origin}")
        browser_phases(
            server,
            site,
            m,
            runs=runs,
            ticks=ticks,
            snapshot_server=snapshot_server,
            ticks_only=args.ticks_only,
        )
    if not args.ticks_only:
        log("scoring a 2,000-criterion rubric in Pyodide (Node) and CPython")
        scoring_phase(site, m, max(20, runs))
        from bench.exam_office import bench_phase

        m.exam_office, m.exam_office_error = bench_phase(site, runs=runs, quick=args.quick, log=log)

    rows = make_rows(m)
    previous = None
    with contextlib.suppress(OSError, ValueError):
        previous = previous_medians(json.loads(args.json.read_text(encoding="utf-8")))
    engine = json.loads((site / "engine" / "engine.json").read_text(encoding="utf-8"))
    meta: dict[str, Any] = {
        "date": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "commit": _git_commit(),
        "runs": runs,
        "ticks": ticks,
        "chromium": _chromium_version(),
        "pyodide": engine.get("pyodide_version", ""),
        "python": platform.python_version(),
        "encodings": list(encodings),
        "cache_control": server.cache_control,
        "site": str(site),
        "snapshot_site": str(snapshot_site) if snapshot_site is not None else None,
        "load_average": {"before": load_before, "after": _load_average()},
        "seconds": round(time.monotonic() - started, 1),
        "transfers": {
            "site_first": [v.transfer() for v in m.site_first[-1:]],
            "site_repeat": [v.transfer() for v in m.site_repeat[-1:]],
            "bare_first": [v.transfer() for v in m.bare_first[-1:]],
            "snapshot_first": [v.transfer() for v in m.snapshot_first[-1:]],
        },
        "timelines": {
            "site_first": [v.timeline for v in m.site_first],
            "site_repeat": [v.timeline for v in m.site_repeat],
            "site_offline": [v.timeline for v in m.site_offline],
            "bare_first": [v.timeline for v in m.bare_first],
            "snapshot_first": [v.timeline for v in m.snapshot_first],
            "snapshot_repeat": [v.timeline for v in m.snapshot_repeat],
            "snapshot_offline": [v.timeline for v in m.snapshot_offline],
        },
    }
    title = (
        f"kcm bench {meta['date']} ({meta['commit'] or 'no commit'}): {runs} runs, "
        f"{meta['chromium']}, Pyodide {meta['pyodide']}, load average "
        f"{'/'.join(str(v) for v in load_before)} before, "
        f"{'/'.join(str(v) for v in meta['load_average']['after'])} after"
    )
    notes = [
        "Times are ms since navigation start, median and min-max over the runs.",
        "x bare: the median over the bare stock loadPyodide() first visit of this same run "
        "(bytes: over its bytes).",
        summary_line(rows),
    ]
    if m.snapshot:
        notes.insert(
            2,
            f"{SNAPSHOT_LABEL}: the same site built with --snapshot (a Pyodide memory snapshot, "
            "private API), served on its own port; information, no target.",
        )
    print(render_table(rows, previous=previous, title=title, notes=notes))
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(
        json.dumps(to_json(rows, meta), indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
    )
    log(f"written {args.json} ({meta['seconds']:.0f} s in all)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
