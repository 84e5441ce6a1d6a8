"""Which of several loaded rubrics a record names (its ``rubric`` key: id, version, sha256).

One rule for every place that holds more than one rubric: the browser's engine (the current
rubrics and their archived versions), ``kcm report`` and ``kcm verify`` (``rubric_shelf``). A
record matches a rubric with the same id and version, and the same sha256 when it gives one.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from kcm_core.model import Rubric

__all__ = ["named_rubric", "rubric_ref"]


def rubric_ref(record: Any) -> tuple[str, str, str | None] | None:
    """The (id, version, sha256 or None) a parsed record names, or None when it names no
    rubric in a readable way."""
    ref = record.get("rubric") if isinstance(record, dict) else None
    if not (
        isinstance(ref, dict)
        and isinstance(ref.get("id"), str)
        and isinstance(ref.get("version"), str)
    ):
        return None
    sha256 = ref.get("sha256")
    return ref["id"], ref["version"], sha256 if isinstance(sha256, str) else None


def named_rubric(record: Any, rubrics: Iterable[tuple[Rubric, str]]) -> tuple[Rubric, str] | None:
    """The first of ``rubrics`` (each with its sha256) that ``record`` names, or None."""
    ref = rubric_ref(record)
    if ref is None:
        return None
    rubric_id, version, sha256 = ref
    for rubric, rubric_hash in rubrics:
        if rubric.id == rubric_id and rubric.version == version and sha256 in (None, rubric_hash):
            return rubric, rubric_hash
    return None
