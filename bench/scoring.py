"""Benchmark: loading and scoring with a large rubric (2,000 criteria).

    python -m bench.scoring [--repeats N] [--criteria N] [--json]

Prints a table with the median (and fastest) time of each step over repeated runs, and the
time per criterion. The core, ``run_benchmark() -> dict``, uses only the standard library and
kcm_core, so a Pyodide runner can call it inside Pyodide and compare the figures with CPython.
Speed targets belong here, never in timed unit tests. The browser-API step loads the generated
rubric into ``kcm_core.browser_api`` and resets it afterwards: run it in its own interpreter,
not inside a live checklist worker.
"""

from __future__ import annotations

import argparse
import json
import platform
import random
import statistics
import sys
import time
from collections.abc import Callable
from typing import Any

from kcm_core import browser_api
from kcm_core.assessment import load_assessment
from kcm_core.canonical import rubric_sha256
from kcm_core.rubric_load import load_rubric
from kcm_core.scoring import score

__all__ = ["format_table", "generate_assessment", "generate_rubric", "run_benchmark"]

DEFAULT_CRITERIA = 2000
DEFAULT_REPEATS = 15

# Shape of the generated rubric: Eindtermen x onderdelen x processen x criteria per proces.
_ONDERDELEN = 4
_PROCESSEN = 5
_PER_PROCES = 10
_PER_EINDTERM = _ONDERDELEN * _PROCESSEN * _PER_PROCES


def generate_rubric(criteria: int = DEFAULT_CRITERIA, seed: int = 1) -> dict[str, Any]:
    """A valid rubric with ``criteria`` criteria (a multiple of 200) and every feature in use.

    Eindtermen alternate between the three rules; some criteria are critical, some apply only
    to outbound calls, some allow a manual n.v.t.
    """
    if criteria <= 0 or criteria % _PER_EINDTERM:
        raise ValueError(f"criteria must be a positive multiple of {_PER_EINDTERM}")
    rng = random.Random(seed)
    eindtermen = []
    for e in range(1, criteria // _PER_EINDTERM + 1):
        onderdelen = []
        for o in range(1, _ONDERDELEN + 1):
            processen = []
            for p in range(1, _PROCESSEN + 1):
                items = []
                for c in range(_PER_PROCES):
                    criterion: dict[str, Any] = {
                        "id": f"{e}.{o}.{p}.{chr(ord('a') + c)}",
                        "text": f"Criterium {c + 1} van proces {e}.{o}.{p}: " + "tekst " * 8,
                    }
                    roll = rng.random()
                    if roll < 0.02:
                        criterion["critical"] = True
                    elif roll < 0.10:
                        criterion["allow_na"] = True
                    elif roll < 0.15:
                        criterion["applies_when"] = {
                            "condition": "gesprekstype",
                            "any_of": ["outbound"],
                        }
                    items.append(criterion)
                processen.append({"id": f"{e}.{o}.{p}", "text": "Proces.", "criteria": items})
            onderdelen.append({"id": f"{e}.{o}", "text": "Onderdeel.", "processen": processen})
        eindterm: dict[str, Any] = {
            "id": str(e),
            "title": f"Eindterm {e}",
            "text": f"Tekst van Eindterm {e}.",
            "onderdelen": onderdelen,
        }
        if e % 3 == 1:
            eindterm["scoring"] = {"rule": "min_fraction", "min_fraction": 0.8}
        elif e % 3 == 2:
            eindterm["scoring"] = {"rule": "min_count", "min_count": 150}
        eindtermen.append(eindterm)
    return {
        "id": "bench",
        "version": "1.0.0",
        "title": "Benchmarkrubric",
        "language": "nl",
        "fields": [
            {"id": "naam_kandidaat", "label": "Naam Kandidaat", "type": "text", "required": True},
            {"id": "datum", "label": "Datum", "type": "date", "required": True},
        ],
        "conditions": [
            {
                "id": "gesprekstype",
                "label": "Soort gesprek",
                "multiple": True,
                "required": True,
                "options": [
                    {"id": "inbound", "label": "Inbound"},
                    {"id": "outbound", "label": "Outbound"},
                ],
            }
        ],
        "scoring": {"rule": "all"},
        "eindtermen": eindtermen,
    }


def generate_assessment(rubric: dict[str, Any], seed: int = 2) -> dict[str, Any]:
    """A realistic assessment: most criteria ticked, some with remarks, some n.v.t."""
    rng = random.Random(seed)
    criteria: dict[str, Any] = {}
    for eindterm in rubric["eindtermen"]:
        for onderdeel in eindterm["onderdelen"]:
            for proces in onderdeel["processen"]:
                for criterion in proces["criteria"]:
                    if criterion.get("allow_na") and rng.random() < 0.3:
                        criteria[criterion["id"]] = {"na": True, "remark": "niet van toepassing"}
                    elif rng.random() < 0.92:
                        entry: dict[str, Any] = {"checked": True}
                        if rng.random() < 0.1:
                            entry["remark"] = "Goed gedaan, " * 5
                        criteria[criterion["id"]] = entry
    return {
        "format": "kcm-assessment",
        "format_version": 1,
        "id": "bench-1",
        "rubric": {"id": rubric["id"], "version": rubric["version"]},
        "fields": {"naam_kandidaat": "Sanne de Vries", "datum": "2026-11-27"},
        "conditions": {"gesprekstype": ["inbound"]},
        "criteria": criteria,
        "remarks": {"": "Algemene opmerking."},
        "status": "draft",
        "created": "2026-11-27T09:12:00Z",
        "updated": "2026-11-27T10:30:00Z",
        "finalized": None,
    }


def _time(step: Callable[[], object], repeats: int) -> dict[str, float]:
    step()  # warm-up: first-call costs (imports, caches) are not what is measured
    samples = []
    for _ in range(repeats):
        start = time.perf_counter()
        step()
        samples.append((time.perf_counter() - start) * 1000)
    return {"median_ms": statistics.median(samples), "min_ms": min(samples), "runs": repeats}


def run_benchmark(
    repeats: int = DEFAULT_REPEATS, criteria: int = DEFAULT_CRITERIA
) -> dict[str, Any]:
    """Time each step on a generated rubric; returns the figures (no printing)."""
    rubric_text = json.dumps(generate_rubric(criteria), ensure_ascii=False)
    rubric = load_rubric(rubric_text)
    sha = rubric_sha256(rubric)
    assessment_text = json.dumps(generate_assessment(json.loads(rubric_text)), ensure_ascii=False)
    assessment = load_assessment(assessment_text, rubric, sha256=sha)
    result = score(rubric, assessment)
    if not json.loads(browser_api.init(rubric_text))["ok"]:
        raise RuntimeError("the generated rubric does not load in the browser API")

    def api_score() -> None:
        answer = browser_api.score(assessment_text)
        if not answer.startswith('{"ok": true'):
            raise RuntimeError(answer[:500])

    steps = {
        "rubric laden en controleren": lambda: load_rubric(rubric_text),
        "rubric sha256": lambda: rubric_sha256(rubric),
        "beoordeling laden en controleren": lambda: load_assessment(
            assessment_text, rubric, sha256=sha
        ),
        "scoren": lambda: score(rubric, assessment),
        "browser-API score (JSON in en uit)": api_score,
    }
    timings = {name: _time(step, repeats) for name, step in steps.items()}
    browser_api.reset()
    return {
        "python": sys.version.split()[0],
        "platform": sys.platform,
        "machine": platform.machine(),
        "criteria": criteria,
        "rubric_bytes": len(rubric_text.encode("utf-8")),
        "assessment_bytes": len(assessment_text.encode("utf-8")),
        "verdict": result.verdict,
        "timings": timings,
    }


def format_table(report: dict[str, Any]) -> str:
    criteria = report["criteria"]
    lines = [
        f"kcm scoring benchmark: {criteria} criteria, Python {report['python']} "
        f"({report['platform']}), rubric {report['rubric_bytes'] / 1000:.0f} kB, "
        f"assessment {report['assessment_bytes'] / 1000:.0f} kB",
        "",
        f"| {'step':<36} | {'median ms':>9} | {'min ms':>8} | {'µs/criterion':>12} |",
        f"|{'-' * 38}|{'-' * 11}|{'-' * 10}|{'-' * 14}|",
    ]
    for name, t in report["timings"].items():
        per = t["median_ms"] * 1000 / criteria
        lines.append(
            f"| {name:<36} | {t['median_ms']:>9.2f} | {t['min_ms']:>8.2f} | {per:>12.2f} |"
        )
    runs = next(iter(report["timings"].values()))["runs"]
    lines.append("")
    lines.append(f"median of {runs} runs after one warm-up run")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.scoring", description=__doc__)
    parser.add_argument("--repeats", type=int, default=DEFAULT_REPEATS)
    parser.add_argument("--criteria", type=int, default=DEFAULT_CRITERIA)
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args(argv)
    report = run_benchmark(repeats=args.repeats, criteria=args.criteria)
    print(json.dumps(report, indent=2) if args.json else format_table(report))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
