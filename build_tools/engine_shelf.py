"""``engine/rubrics.json``: every rubric the engine knows, for the worker's ``init``.

The engine serves every page that scores: each rubric's checklist and practice checklist, and
the exam office's report. It holds every rubric of the site and every archived version of them
(``build_tools.site_rubrics``), so a record made with an older version is checked, scored and
verified against that version, never against today's (ARCHITECTURE.md §3). The shelf is
``{"format": "kcm-rubric-shelf", "format_version": 1, "rubrics": [<rubric>, ...]}``, the page's
own rubric chosen by id (``kcm_core.browser_api.init(text, rubric_id)``). Each rubric is its
file's JSON as parsed, so its canonical sha256 (what a record names) stays the same.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Final

__all__ = ["SHELF_FORMAT", "SHELF_NAME", "shelf_text"]

SHELF_NAME: Final = "rubrics.json"
# kcm_core.browser_api.SHELF_FORMAT; written here without importing kcm_core's browser API.
SHELF_FORMAT: Final = "kcm-rubric-shelf"


def shelf_text(rubric_paths: Sequence[Path]) -> str:
    """The shelf of the rubric files ``rubric_paths`` (the main rubric first)."""
    rubrics = [json.loads(path.read_text(encoding="utf-8")) for path in rubric_paths]
    data = {"format": SHELF_FORMAT, "format_version": 1, "rubrics": rubrics}
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")) + "\n"
