"""Canonical JSON of a rubric and its sha256.

An assessment names the exact rubric it was made with by the sha256 of the rubric's canonical
JSON. The canonical form must therefore be byte-identical wherever kcm_core runs (CPython on
the command line, Pyodide in the browser). It is defined as:

- the parsed JSON value, with the top-level ``"$schema"`` key left out (it only points an
  editor at a schema file and says nothing about the rubric itself);
- object keys sorted by Unicode code point (Python's ``str`` ordering), at every level;
- no whitespace at all: separators ``,`` and ``:``;
- strings written as-is (``ensure_ascii=False``), escaping only what JSON requires
  (``"``, ``\\``, control characters below U+0020, as ``json.dumps`` does);
- integers as integers; floats as Python's ``repr`` (the shortest text that reads back to the
  same float, e.g. ``0.7``), so ``1`` and ``1.0`` are different values and hash differently;
  NaN and infinity are refused;
- the text encoded as UTF-8, without a byte order mark.

This is not RFC 8785 (JCS): JCS sorts keys by UTF-16 code units and formats numbers the
ECMAScript way. Both sides of kcm run the same Python code, so Python's rules are the simplest
way to get identical bytes; the test suite pins the KCM rubric's hash so that a run inside
Pyodide proves it.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from typing import Any

from kcm_core.model import Rubric

__all__ = ["canonical_bytes", "canonical_json", "rubric_sha256", "sha256_of_data"]

#: The top-level key that does not take part in the canonical form.
EXCLUDED_TOP_LEVEL_KEYS = frozenset({"$schema"})


def canonical_json(data: Mapping[str, Any]) -> str:
    """The canonical JSON text of a rubric's parsed data (see the module docstring)."""
    content = {k: v for k, v in data.items() if k not in EXCLUDED_TOP_LEVEL_KEYS}
    return json.dumps(
        content,
        sort_keys=True,
        separators=(",", ":"),
        ensure_ascii=False,
        allow_nan=False,
    )


def canonical_bytes(data: Mapping[str, Any]) -> bytes:
    """The canonical JSON encoded as UTF-8.

    A lone surrogate (``"\\ud800"`` in the source) cannot be encoded; the strict rubric loader
    refuses those, so here it raises ``UnicodeEncodeError`` rather than hashing something else.
    """
    return canonical_json(data).encode("utf-8")


def sha256_of_data(data: Mapping[str, Any]) -> str:
    """Lower-case hex sha256 of the canonical bytes of ``data``."""
    return hashlib.sha256(canonical_bytes(data)).hexdigest()


def rubric_sha256(rubric: Rubric) -> str:
    """The sha256 that assessments of ``rubric`` carry in ``rubric.sha256``."""
    return sha256_of_data(rubric.source)
