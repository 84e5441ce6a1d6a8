"""The assessment: one filled-in checklist, export format version 1 (ARCHITECTURE.md §4).

This module is the format's public face; its parts live in two modules:

- ``kcm_core.assessment_model``: the format constants and limits, the frozen, normalised model
  (``Assessment``, ``Mark``, ``RubricRef``, ``HistoryEntry``, ``Assessor``,
  ``CallEvent``), ``new_assessment``,
  ``dump_assessments`` and the JSON Schema ``assessment_schema()``;
- ``kcm_core.assessment_load``: the strict loader (``load_assessment*``), which checks a file
  against the rubric it claims to belong to and reports every problem at once, and the import
  loader (``load_assessments_partial*``), which sets aside the records of a collection that
  cannot be read (``Rejected``) and keeps the good ones.

Both import nothing from here, so importing any of the three never runs into a cycle.
"""

from __future__ import annotations

from kcm_core.assessment_import import (
    Rejected,
    RejectedData,
    load_assessments_partial,
    load_assessments_partial_data,
)
from kcm_core.assessment_load import (
    load_assessment,
    load_assessment_data,
    load_assessments,
    load_assessments_data,
)
from kcm_core.assessment_model import (
    DATE_PATTERN,
    FORMAT,
    FORMAT_MANY,
    FORMAT_VERSION,
    MAX_ASSESSMENTS,
    MAX_ASSESSORS,
    MAX_DATE,
    MAX_DEPTH,
    MAX_EVENTS,
    MAX_FIELD_CHARS,
    MAX_FILE_BYTES,
    MAX_HISTORY,
    MAX_HOLD_SECONDS,
    MAX_ID_CHARS,
    MAX_REMARK_CHARS,
    MIN_DATE,
    Assessment,
    Assessor,
    CallEvent,
    EventKind,
    HistoryAction,
    HistoryEntry,
    Mark,
    RubricRef,
    Status,
    assessment_schema,
    dump_assessments,
    new_assessment,
)
from kcm_core.datacheck import FORBIDDEN_KEYS, MAX_PROBLEMS

__all__ = [
    "DATE_PATTERN",
    "FORBIDDEN_KEYS",
    "FORMAT",
    "FORMAT_MANY",
    "FORMAT_VERSION",
    "MAX_ASSESSMENTS",
    "MAX_ASSESSORS",
    "MAX_DATE",
    "MAX_DEPTH",
    "MAX_EVENTS",
    "MAX_FIELD_CHARS",
    "MAX_FILE_BYTES",
    "MAX_HISTORY",
    "MAX_HOLD_SECONDS",
    "MAX_ID_CHARS",
    "MAX_PROBLEMS",
    "MAX_REMARK_CHARS",
    "MIN_DATE",
    "Assessment",
    "Assessor",
    "CallEvent",
    "EventKind",
    "HistoryAction",
    "HistoryEntry",
    "Mark",
    "Rejected",
    "RejectedData",
    "RubricRef",
    "Status",
    "assessment_schema",
    "dump_assessments",
    "load_assessment",
    "load_assessment_data",
    "load_assessments",
    "load_assessments_data",
    "load_assessments_partial",
    "load_assessments_partial_data",
    "new_assessment",
]
