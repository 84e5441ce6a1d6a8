"""Loading a file for import record by record (ARCHITECTURE.md §4): the good assessments of a
``kcm-assessments`` collection load and each record that cannot be read is set aside
(``Rejected``) with every problem, so one broken record never makes a whole backup useless. The
command line loads all or nothing instead (``kcm_core.assessment_load``). ``per_record`` lets a
caller that holds several rubrics (the browser's engine: every rubric of the site and their
archived versions) check each record against the rubric it names.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, NoReturn, TypedDict

from kcm_core.assessment_load import DocumentChecker, load_assessments_data
from kcm_core.assessment_model import (
    FORMAT_MANY,
    MAX_DEPTH,
    MAX_FILE_BYTES,
    Assessment,
    assessment_id_problem,
)
from kcm_core.datacheck import MAX_PROBLEMS
from kcm_core.errors import KcmError, PathParts, Problem, ProblemData, json_path, quote
from kcm_core.jsonparse import parse_json_located
from kcm_core.model import Rubric

__all__ = [
    "RecordRubric",
    "Rejected",
    "RejectedData",
    "load_assessments_partial",
    "load_assessments_partial_data",
]


class RejectedData(TypedDict):
    """A rejected record as JSON data (``Rejected.to_dict``), as the browser API answers it."""

    index: int
    id: str | None
    problems: list[ProblemData]


@dataclass(frozen=True, slots=True)
class Rejected:
    """A record of a collection that was set aside: its place in ``assessments``, its id when
    that is a valid id (else None), and every problem, with paths from the file's root."""

    index: int
    id: str | None
    problems: tuple[Problem, ...]

    def to_dict(self) -> RejectedData:
        return {
            "index": self.index,
            "id": self.id,
            "problems": [p.to_dict() for p in self.problems],
        }


#: Which rubric (and its sha256) a parsed record is checked against, when a caller holds
#: several (the browser's engine: every rubric of the site and their archived versions).
type RecordRubric = Callable[[Any], tuple[Rubric, str | None]]


def load_assessments_partial(
    text: str | bytes,
    rubric: Rubric,
    *,
    sha256: str | None = None,
    per_record: RecordRubric | None = None,
) -> tuple[tuple[Assessment, ...], tuple[Rejected, ...]]:
    """Parse and check a file for import: the good assessments and the rejected records.

    A ``kcm-assessments`` collection is checked record by record: a record with problems (or
    with the id of an earlier good one) is rejected, the others load. ``KcmError`` is raised
    when the file itself is unusable (not JSON, another format, a problem outside the records,
    no records, too many) or when no record is good. Any other file loads all or nothing, as
    with ``load_assessments``, and rejects nothing.

    ``per_record`` picks the rubric of each record (a file may hold records of several rubrics
    or versions); ``rubric`` then only checks the file around them.
    """
    data, found = parse_json_located(text, max_bytes=MAX_FILE_BYTES, max_depth=MAX_DEPTH)
    return _load_partial(data, found, rubric, sha256, per_record)


def load_assessments_partial_data(
    data: Any, rubric: Rubric, *, sha256: str | None = None
) -> tuple[tuple[Assessment, ...], tuple[Rejected, ...]]:
    """``load_assessments_partial`` for already parsed data."""
    return _load_partial(data, (), rubric, sha256)


def _load_partial(
    data: Any,
    found: Sequence[Problem],
    rubric: Rubric,
    sha256: str | None,
    per_record: RecordRubric | None = None,
) -> tuple[tuple[Assessment, ...], tuple[Rejected, ...]]:
    """``found``: problems the parser located inside ``data`` (see ``parse_json_located``)."""
    if not (isinstance(data, dict) and data.get("format") == FORMAT_MANY):
        if found:
            raise KcmError(found)
        if per_record is not None:
            rubric, sha256 = per_record(data)
        return load_assessments_data(data, rubric, sha256=sha256), ()
    in_record: dict[int, list[Problem]] = {}
    for problem in found:
        parts = problem.parts
        if not (len(parts) > 1 and parts[0] == "assessments" and isinstance(parts[1], int)):
            # Outside the records the file itself is broken: refused as parse_json refuses it.
            raise KcmError(found)
        in_record.setdefault(parts[1], []).append(problem)
    checker = DocumentChecker(rubric, sha256, accept_many=True)
    checker.forbidden_keys({k: v for k, v in data.items() if k != "assessments"}, ())
    checked_items = checker.collection_items(data)
    if checker.problems or checked_items is None:
        _refuse_whole(data, found, rubric, sha256)

    good: list[Assessment] = []
    rejected: list[Rejected] = []
    seen: dict[str, int] = {}
    listed = 0
    # One checker per rubric the records name (its sha256 is computed once).
    checkers: dict[int, DocumentChecker] = {id(rubric): checker}
    for index, item in enumerate(checked_items):
        where: PathParts = ("assessments", index)
        if per_record is not None:
            item_rubric, item_sha256 = per_record(item)
            if id(item_rubric) not in checkers:
                checkers[id(item_rubric)] = DocumentChecker(
                    item_rubric, item_sha256, accept_many=True
                )
            checker = checkers[id(item_rubric)]
        if index in in_record:
            problems: tuple[Problem, ...] = tuple(in_record[index])
        else:
            # One budget for the whole answer, but every rejected record says why.
            checker.max_problems = max(1, MAX_PROBLEMS - listed)
            checker.forbidden_keys(item, where)
            one = checker.assessment(item, where)
            # A forbidden key is reported before the record is read, which then ignores it.
            if one is not None and not checker.problems:
                if one.id in seen:
                    first = json_path(("assessments", seen[one.id]))
                    checker.add((*where, "id"), f"het id {quote(one.id)} staat ook bij {first}")
                else:
                    seen[one.id] = index
                    good.append(one)
            problems = checker.take_problems(where)
        if problems:
            listed += len(problems)
            rejected.append(Rejected(index, _readable_id(item), problems))
    if not good:
        if per_record is not None and rejected:
            # Each record was checked against its own rubric: its problems are the answer.
            raise KcmError(tuple(p for r in rejected for p in r.problems))
        _refuse_whole(data, found, rubric, checker.sha256)
    return tuple(good), tuple(rejected)


def _refuse_whole(
    data: Any, found: Sequence[Problem], rubric: Rubric, sha256: str | None
) -> NoReturn:
    """Refuse a collection that cannot be imported (the file around the records is broken, or
    no record is good) with every problem, exactly as ``load_assessments`` refuses it: what the
    parser found first, else what the checker finds."""
    if found:
        raise KcmError(found)
    load_assessments_data(data, rubric, sha256=sha256)
    raise AssertionError("a collection with a problem loaded without one")


def _readable_id(item: Any) -> str | None:
    """A record's id for a message about it: only a valid id, never arbitrary text."""
    if isinstance(item, dict) and assessment_id_problem(item.get("id")) is None:
        value: str = item["id"]
        return value
    return None
