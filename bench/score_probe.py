"""Times one score of a 2,000-criterion rubric through the browser API, as the worker calls it.

``measure_texts`` needs nothing but the standard library's ``json``/``time``/``sys`` and kcm_core,
so it runs unchanged inside Pyodide on the engine's own trimmed standard library
(``bench/pyodide_score.mjs`` copies this one file into Pyodide). The rubric and the assessment
come from ``bench.scoring`` (its generators), made on CPython: ``measure`` does both there.
Every sample is kept, so the table can show the range and not just a median.
"""

from __future__ import annotations

import json
import sys
import time
from typing import Any

from kcm_core import browser_api


def measure_texts(rubric_text: str, assessment_text: str, runs: int) -> dict[str, Any]:
    """``runs`` timed calls each of ``browser_api.init`` and ``browser_api.score`` (ms)."""
    init_ms = []
    for _ in range(runs):
        start = time.perf_counter()
        answer = json.loads(browser_api.init(rubric_text))
        init_ms.append((time.perf_counter() - start) * 1000)
        if not answer["ok"]:
            raise RuntimeError(f"the generated rubric does not load: {answer['problems'][:3]}")

    def score() -> dict[str, Any]:
        result: dict[str, Any] = json.loads(browser_api.score(assessment_text))
        if not result["ok"]:
            raise RuntimeError(f"the generated assessment does not score: {result['problems'][:3]}")
        return result

    verdict = score()["result"]["verdict"]  # warm-up: the first call pays for imports
    score_ms = []
    for _ in range(runs):
        start = time.perf_counter()
        score()
        score_ms.append((time.perf_counter() - start) * 1000)
    browser_api.reset()
    return {
        "python": sys.version.split()[0],
        "platform": sys.platform,
        "verdict": verdict,
        "init_ms": init_ms,
        "score_ms": score_ms,
    }


def generated_texts(criteria: int = 2000) -> tuple[str, str]:
    """The rubric and assessment of ``bench.scoring``, as JSON text."""
    from bench.scoring import generate_assessment, generate_rubric

    rubric = generate_rubric(criteria)
    return (
        json.dumps(rubric, ensure_ascii=False),
        json.dumps(generate_assessment(rubric), ensure_ascii=False),
    )


def measure(runs: int, criteria: int = 2000) -> dict[str, Any]:
    """``measure_texts`` on CPython, on the generated rubric of ``criteria`` criteria."""
    return {"criteria": criteria, **measure_texts(*generated_texts(criteria), runs)}
