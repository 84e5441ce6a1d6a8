"""The API the checklist's Web Worker calls through Pyodide (ARCHITECTURE.md §1 and §6).

Every function takes and returns a JSON string, so the JavaScript side never handles Python
objects. No function raises: every failure, including a bug, comes back as
``{"ok": false, "problems": [{"path": "$...", "parts": [...], "message": "..."}]}``, where
``parts`` are the keys and indices from the document root (``["criteria", "2.4.1.b",
"remark"]``) for a program to act on, and ``path`` is the same place as people read it
(``$.criteria['2.4.1.b'].remark``); see ``kcm_core.errors``.

- ``init(rubric_json, rubric_id="")`` loads the rubrics and keeps them for the calls below.
  ``rubric_json`` is one rubric, or a shelf of several (``{"format": "kcm-rubric-shelf",
  "format_version": 1, "rubrics": [<rubric>, ...]}``: every rubric of the site and their
  archived versions, ``engine/rubrics.json``). The page's rubric is the newest version of
  ``rubric_id`` (without it: the shelf's first rubric). Answer: ``{"ok": true, "rubric": {"id",
  "version", "sha256", "title"}, "rubrics": [{"id", "version", "sha256", "title"}, ...]}``.
  Every call below checks, scores, seals and verifies a record against the rubric it names
  (id, version, sha256) when the shelf holds it, else against the page's rubric (which then
  says that the record belongs to another rubric).
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
- The exam office's report (``kcm_core.report``; the page "Examenbureau"), in steps, so that
  the page can show progress per file while the work stays in the worker:
  ``report_start()`` forgets the files added before: ``{"ok": true}``;
  ``report_add(name, file_text)`` reads one exported file (one assessment or a collection; the
  loader's limits per file) and checks, scores and keeps its records, each against the rubric
  of the shelf it names: ``{"ok": true, "name", "records", "counted", "not_counted"}``
  (``counted`` verified and not met before), or ``{"ok": false, "problems": [...]}`` when the
  file itself cannot be read (nothing of it is added); ``report_result()`` gives the report
  over every file added so far: ``{"ok": true, "report": <Report.to_json_data()>}``, the
  figures and words of ``kcm report``'s ``index.html`` and its CSV files as text
  (``kcm_core.report_json``). A record that does not count is in ``report.skipped`` with its
  reasons, its file name as given to ``report_add``.

The page makes a new draft itself (it must work before the engine has loaded), so there is no
call for that here."""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from kcm_core.assessment_import import load_assessments_partial
from kcm_core.assessment_load import load_assessment_data
from kcm_core.assessment_model import MAX_DEPTH, MAX_FILE_BYTES, Assessment
from kcm_core.canonical import rubric_sha256
from kcm_core.errors import KcmError, Problem, ProblemData, quote
from kcm_core.jsonparse import parse_json
from kcm_core.merge import MergeRefused
from kcm_core.merge import merge as _merge
from kcm_core.model import Rubric
from kcm_core.report import ReportBuilder, document_records
from kcm_core.rubric_load import MAX_RUBRIC_BYTES, rubric_from_data
from kcm_core.rubric_ref import named_rubric
from kcm_core.rubric_version import parse_version
from kcm_core.scoring import score as _score
from kcm_core.seal import seal_assessment, verify_document

# A shelf holds every rubric of a site with their archived versions.
MAX_SHELF_BYTES = 16 * MAX_RUBRIC_BYTES

__all__ = [
    "check_import",
    "init",
    "merge",
    "report_add",
    "report_result",
    "report_start",
    "reset",
    "score",
    "seal",
    "verify",
]


SHELF_FORMAT = "kcm-rubric-shelf"


@dataclass(frozen=True, slots=True)
class _Loaded:
    rubric: Rubric  # the page's rubric
    sha256: str
    shelf: tuple[tuple[Rubric, str], ...]  # every rubric loaded, with its sha256

    def for_record(self, record: Any) -> tuple[Rubric, str]:
        """The rubric ``record`` (parsed JSON) names, else the page's."""
        return named_rubric(record, self.shelf) or (self.rubric, self.sha256)


# The rubrics loaded by init(); one worker serves one page.
_state: _Loaded | None = None


def init(rubric_json: str, rubric_id: str = "") -> str:
    """Load and check the rubric (or a shelf of them); keep them for the calls below."""

    def run() -> dict[str, Any]:
        global _state
        # A failed init must not leave an older rubric in place to score against.
        _state = None
        rubrics = _shelf_rubrics(_require_text(rubric_json))
        shelf = tuple((r, rubric_sha256(r)) for r in rubrics)
        page = _page_rubric(shelf, rubric_id)
        loaded = _Loaded(page[0], page[1], shelf)
        _state = loaded
        return {
            "rubric": _rubric_info(*page),
            "rubrics": [_rubric_info(r, sha) for r, sha in shelf],
        }

    return _respond(run)


def score(assessment_json: str) -> str:
    """Score one assessment (a draft may have empty fields; it still scores)."""

    def run() -> dict[str, Any]:
        rubric, _, assessment = _record(assessment_json)
        return {"result": _score(rubric, assessment).to_browser_data()}

    return _respond(run)


def check_import(file_text: str) -> str:
    """Check an import file: the good assessments in normalised form and the rejected records."""

    def run() -> dict[str, Any]:
        loaded = _loaded()
        assessments, rejected = load_assessments_partial(
            _require_text(file_text),
            loaded.rubric,
            sha256=loaded.sha256,
            per_record=loaded.for_record,
        )
        hashes = {(r.id, r.version): sha for r, sha in loaded.shelf}
        normalised = [
            a
            if a.rubric.sha256 is not None
            else dataclasses.replace(
                a,
                rubric=dataclasses.replace(
                    a.rubric, sha256=hashes.get((a.rubric.id, a.rubric.version), loaded.sha256)
                ),
            )
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
        rubric, sha256, assessment = _record(assessment_json)
        sealed = seal_assessment(assessment, rubric, sha256=sha256)
        return {"assessment": sealed.to_json_data()}

    return _respond(run)


def verify(file_text: str) -> str:
    """Verify every record of a file: per record its state and problems."""

    def run() -> dict[str, Any]:
        loaded = _loaded()
        data = parse_json(_require_text(file_text), max_bytes=MAX_FILE_BYTES, max_depth=MAX_DEPTH)
        records = verify_document(data, loaded.for_record, loaded.rubric)
        return {"records": [r.to_dict() for r in records]}

    return _respond(run)


def merge(a_json: str, b_json: str) -> str:
    """Merge two sealed assessments of one candidate into a joint draft."""

    def run() -> dict[str, Any]:
        records = []
        refused: list[dict[str, Any]] = []
        # Both against A's rubric: merge refuses B when it is of another.
        loaded = _loaded()
        rubric, sha256 = loaded.rubric, loaded.sha256
        for side, text in (("a", a_json), ("b", b_json)):
            try:
                rubric, sha256, record = _record(text, (rubric, sha256) if side == "b" else None)
            except KcmError as error:
                refused.extend({**p.to_dict(), "source": side} for p in error.problems)
                continue
            records.append(record)
        if refused:
            raise _Refused(refused)
        try:
            joint, differences = _merge(records[0], records[1], rubric, sha256=sha256)
        except MergeRefused as error:
            raise _Refused(
                [{**p.problem.to_dict(), "source": p.side} for p in error.problems]
            ) from None
        return {
            "assessment": joint.to_json_data(),
            "differences": [d.to_json_data() for d in differences],
        }

    return _respond(run)


# The exam office's report being built (report_start, report_add, report_result).
_report: ReportBuilder | None = None


def report_start() -> str:
    """Start a new report for the exam office: forget the files added before."""

    def run() -> dict[str, Any]:
        global _report
        _report = ReportBuilder(_loaded().shelf)
        return {}

    return _respond(run)


def report_add(name: str, file_text: str) -> str:
    """Add one exported file (one assessment or a collection) to the report."""

    def run() -> dict[str, Any]:
        global _report
        loaded = _loaded()
        if not isinstance(name, str):
            raise KcmError((Problem((), "verwacht de naam van het bestand als tekst"),))
        data = parse_json(_require_text(file_text), max_bytes=MAX_FILE_BYTES, max_depth=MAX_DEPTH)
        records = document_records(name, data, loaded.rubric)
        if _report is None:
            _report = ReportBuilder(loaded.shelf)
        skipped = _report.add(records)
        return {
            "name": name,
            "records": len(records),
            "counted": len(records) - len(skipped),
            "not_counted": len(skipped),
        }

    return _respond(run)


def report_result() -> str:
    """The report over every file added since report_start (``Report.to_json_data``)."""

    def run() -> dict[str, Any]:
        # Before any file: an empty report (nothing read), not an error.
        builder = _report if _report is not None else ReportBuilder(_loaded().shelf)
        return {"report": builder.result().to_json_data()}

    return _respond(run)


def reset() -> None:
    """Forget the loaded rubric and the report (for tests)."""
    global _state, _report
    _state = None
    _report = None


# --------------------------------------------------------------------------------------------


def _loaded() -> _Loaded:
    if _state is None:
        raise KcmError((Problem((), "er is nog geen rubric geladen: roep eerst init aan"),))
    return _state


def _record(
    text: object, given: tuple[Rubric, str] | None = None
) -> tuple[Rubric, str, Assessment]:
    """One assessment, loaded against the rubric it names (or ``given``, a rubric with its
    sha256); with that rubric and its sha256, which the shelf computed once."""
    data = parse_json(_require_text(text), max_bytes=MAX_FILE_BYTES, max_depth=MAX_DEPTH)
    rubric, sha256 = given or _loaded().for_record(data)
    return rubric, sha256, load_assessment_data(data, rubric, sha256=sha256)


def _shelf_rubrics(text: str) -> list[Rubric]:
    """One rubric, or every rubric of a shelf (all problems at once, paths from the file)."""
    data = parse_json(text, max_bytes=MAX_SHELF_BYTES, max_depth=MAX_DEPTH)
    if not (isinstance(data, dict) and data.get("format") == SHELF_FORMAT):
        return [rubric_from_data(data)]
    items = data.get("rubrics")
    if data.get("format_version") != 1 or not isinstance(items, list) or not items:
        raise KcmError(
            (
                Problem(
                    ("rubrics",), "verwacht een lijst met minstens één rubric (format_version 1)"
                ),
            )
        )
    rubrics: list[Rubric] = []
    problems: list[Problem] = []
    for index, item in enumerate(items):
        try:
            rubrics.append(rubric_from_data(item))
        except KcmError as error:
            problems.extend(
                Problem(("rubrics", index, *p.parts), p.message) for p in error.problems
            )
    if problems:
        raise KcmError(problems)
    return rubrics


def _page_rubric(shelf: tuple[tuple[Rubric, str], ...], rubric_id: str) -> tuple[Rubric, str]:
    """The newest version of ``rubric_id`` on the shelf (the first rubric without an id)."""
    if not rubric_id:
        return shelf[0]
    versions = [entry for entry in shelf if entry[0].id == rubric_id]
    if not versions:
        known = ", ".join(sorted({quote(r.id) for r, _ in shelf}))
        raise KcmError((Problem((), f"geen rubric {quote(rubric_id)} geladen (wel: {known})"),))
    return max(versions, key=lambda entry: parse_version(entry[0].version).precedence())


def _rubric_info(rubric: Rubric, sha256: str) -> dict[str, str]:
    return {"id": rubric.id, "version": rubric.version, "sha256": sha256, "title": rubric.title}


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
