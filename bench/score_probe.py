"""Times one score of a 2,000-criterion rubric through the browser API, as the worker calls it.

Runs unchanged on CPython and inside Pyodide (``bench/pyodide_score.mjs`` copies this package
into Pyodide's file system next to the engine's own kcm_core wheel). The rubric and the
assessment come from ``bench.scoring`` (its generators); this module only keeps every sample,
so the table can show the range and not just a median.
"""

from __future__ import annotations

import json
import sys
import time
from typing import Any

from bench.scoring import generate_assessment, generate_rubric
from kcm_core import browser_api


def measure(runs: int, criteria: int = 2000) -> dict[str, Any]:
    """``runs`` timed calls each of ``browser_api.init`` and ``browser_api.score`` (ms)."""
    rubric = generate_rubric(criteria)
    rubric_text = json.dumps(rubric, ensure_ascii=False)
    assessment_text = json.dumps(generate_assessment(rubric), ensure_ascii=False)

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
        "criteria": criteria,
        "verdict": verdict,
        "init_ms": init_ms,
        "score_ms": score_ms,
    }
