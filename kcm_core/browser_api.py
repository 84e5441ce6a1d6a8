"""The API the checklist's Web Worker calls through Pyodide (ARCHITECTURE.md §1 and §6).

Every function takes and returns a JSON string, so the JavaScript side never handles Python
objects. No function raises: every failure, including a bug, comes back as
``{"ok": false, "problems": [{"path": "$...", "parts": [...], "message": "..."}]}``, where
``parts`` are the keys and indices from the document root (``["criteria", "2.4.1.b",
"remark"]``) for a program to act on, and ``path`` is the same place as people read it
(``$.criteria['2.4.1.b'].remark``); see ``kcm_core.errors``.

- ``init(rubric_json)`` loads the rubric and keeps it for the calls below:
  ``{"ok": true, "rubric": {"id", "version", "sha256", "title"}}``.
- ``score(assessment_json)`` scores one assessment: ``{"ok": true, "result": {...}}``, the
  result of ``ScoreResult.to_browser_data``. A draft may be incomplete; the result says what
  finalising still needs (``missing_fields``, ``missing_conditions``, ``missing_reasons``) and
  ``complete`` is true when nothing is missing.
- ``check_import(file_text)`` checks a file with one assessment or many before anything is
  stored: ``{"ok": true, "assessments": [normalised assessment objects], "rejected": [...]}``.
  A ``kcm-assessments`` collection is checked record by record: each record that cannot be
  imported is in ``rejected`` as ``{"index": i, "id": "<its id>" or null, "problems": [...]}``
  (paths from the file's root, ``$.assessments[3].fields.datum``), and the good ones are still
  imported. The answer is ``{"ok": false, ...}`` when the file itself is unusable or holds no
  good record. A file with one assessment is all or nothing (``rejected`` is then empty).
  Imported assessments get the current rubric's sha256 when theirs was absent (they were
  already checked to belong to this rubric id and version).

- ``seal(assessment_json)`` seals a finalised assessment (``kcm_core.seal``):
  ``{"ok": true, "assessment": {...}}``, the record with a fresh ``result`` and ``seal`` (and
  the rubric's sha256); call it at finalising and again after signing. Refused (``ok: false``)
  for a draft, and for an exam record without ``assessors``.
- ``verify(file_text)`` verifies every record of a file (one assessment or a collection)
  against the loaded rubric: ``{"ok": true, "records": [{"index": i or null, "id": "<id>" or
  null, "state": "sealed"|"invalid"|"draft"|"practice"|"unsealed"|"changed", "problems":
  [...]}]}``; a record passes when its state is "sealed" (its problems are then empty).
  ``ok: false`` only when the file itself cannot be read.
- ``merge(a_json, b_json)`` merges two sealed assessments of one candidate by two assessors
  (``kcm_core.merge``): ``{"ok": true, "assessment": {the joint draft}, "differences": [{"kind":
  "criterion"|"field"|"condition"|"remark", "id", "a", "b", "text"}]}``. When they do not
  belong together: ``{"ok": false, "problems": [...]}`` where each problem also has ``"source":
  "a"|"b"``, the record it is about.

The page makes a new draft itself (it must work before the engine has loaded), so there is no
call for that here."""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from kcm_core.assessment_load import load_assessment, load_assessments_partial
from kcm_core.assessment_model import MAX_DEPTH, MAX_FILE_BYTES
from kcm_core.canonical import rubric_sha256
from kcm_core.errors import KcmError, Problem, ProblemData
from kcm_core.jsonparse import parse_json
from kcm_core.merge import MergeRefused
from kcm_core.merge import merge as _merge
from kcm_core.model import Rubric
from kcm_core.rubric_load import load_rubric
from kcm_core.scoring import score as _score
from kcm_core.seal import seal_assessment, verify_document

__all__ = ["check_import", "init", "merge", "reset", "score", "seal", "verify"]


@dataclass(frozen=True, slots=True)
class _Loaded:
    rubric: Rubric
    sha256: str


# The rubric loaded by init(); one worker serves one rubric.
_state: _Loaded | None = None


def init(rubric_json: str) -> str:
    """Load and check the rubric; keep it for score and check_import."""

    def run() -> dict[str, Any]:
        global _state
        # A failed init must not leave an older rubric in place to score against.
        _state = None
        text = _require_text(rubric_json)
        rubric = load_rubric(text)
        loaded = _Loaded(rubric, rubric_sha256(rubric))
        _state = loaded
        return {
            "rubric": {
                "id": rubric.id,
                "version": rubric.version,
                "sha256": loaded.sha256,
                "title": rubric.title,
            }
        }

    return _respond(run)


def score(assessment_json: str) -> str:
    """Score one assessment (a draft may have empty fields; it still scores)."""

    def run() -> dict[str, Any]:
        loaded = _loaded()
        assessment = load_assessment(
            _require_text(assessment_json), loaded.rubric, sha256=loaded.sha256
        )
        return {"result": _score(loaded.rubric, assessment).to_browser_data()}

    return _respond(run)


def check_import(file_text: str) -> str:
    """Check an import file: the good assessments in normalised form and the rejected records."""

    def run() -> dict[str, Any]:
        loaded = _loaded()
        assessments, rejected = load_assessments_partial(
            _require_text(file_text), loaded.rubric, sha256=loaded.sha256
        )
        normalised = [
            a
            if a.rubric.sha256 is not None
            else dataclasses.replace(a, rubric=dataclasses.replace(a.rubric, sha256=loaded.sha256))
            for a in assessments
        ]
        return {
            "assessments": [a.to_json_data() for a in normalised],
            "rejected": [r.to_dict() for r in rejected],
        }

    return _respond(run)


def seal(assessment_json: str) -> str:
    """Seal a finalised assessment: the record with ``result`` and ``seal``."""

    def run() -> dict[str, Any]:
        loaded = _loaded()
        assessment = load_assessment(
            _require_text(assessment_json), loaded.rubric, sha256=loaded.sha256
        )
        sealed = seal_assessment(assessment, loaded.rubric, sha256=loaded.sha256)
        return {"assessment": sealed.to_json_data()}

    return _respond(run)


def verify(file_text: str) -> str:
    """Verify every record of a file: per record its state and problems."""

    def run() -> dict[str, Any]:
        loaded = _loaded()
        data = parse_json(_require_text(file_text), max_bytes=MAX_FILE_BYTES, max_depth=MAX_DEPTH)
        records = verify_document(
            data, lambda _record: (loaded.rubric, loaded.sha256), loaded.rubric
        )
        return {"records": [r.to_dict() for r in records]}

    return _respond(run)


def merge(a_json: str, b_json: str) -> str:
    """Merge two sealed assessments of one candidate into a joint draft."""

    def run() -> dict[str, Any]:
        loaded = _loaded()
        records = []
        refused: list[dict[str, Any]] = []
        for side, text in (("a", a_json), ("b", b_json)):
            try:
                records.append(
                    load_assessment(_require_text(text), loaded.rubric, sha256=loaded.sha256)
                )
            except KcmError as error:
                refused.extend({**p.to_dict(), "source": side} for p in error.problems)
        if refused:
            raise _Refused(refused)
        try:
            joint, differences = _merge(records[0], records[1], loaded.rubric, sha256=loaded.sha256)
        except MergeRefused as error:
            raise _Refused(
                [{**p.problem.to_dict(), "source": p.side} for p in error.problems]
            ) from None
        return {
            "assessment": joint.to_json_data(),
            "differences": [d.to_json_data() for d in differences],
        }

    return _respond(run)


def reset() -> None:
    """Forget the loaded rubric (for tests)."""
    global _state
    _state = None


# --------------------------------------------------------------------------------------------


def _loaded() -> _Loaded:
    if _state is None:
        raise KcmError((Problem((), "er is nog geen rubric geladen: roep eerst init aan"),))
    return _state


def _require_text(value: object) -> str:
    if not isinstance(value, str):
        raise KcmError((Problem((), f"verwacht JSON als tekst, niet een {type(value).__name__}"),))
    return value


class _Refused(Exception):
    """Problems that carry more than a path and a message (merge: which record)."""

    def __init__(self, problems: list[dict[str, Any]]) -> None:
        super().__init__(problems)
        self.problems = problems


def _respond(run: Callable[[], dict[str, Any]]) -> str:
    try:
        body = {"ok": True, **run()}
    except KcmError as error:
        body = {"ok": False, "problems": _problems(error.problems)}
    except _Refused as refused:
        body = {"ok": False, "problems": refused.problems}
    except Exception as error:  # never raise into JavaScript: a bug is a problem too
        detail = str(error)
        if len(detail) > 300:
            detail = detail[:300] + "…"
        unexpected = Problem(
            (),
            f"onverwachte fout in kcm_core ({type(error).__name__}: {detail}); "
            "meld deze fout aan de beheerder van de site",
        )
        body = {"ok": False, "problems": _problems((unexpected,))}
    return json.dumps(body, ensure_ascii=False)


def _problems(problems: Iterable[Problem]) -> list[ProblemData]:
    return [p.to_dict() for p in problems]
