"""Rubrics and assessments for the kcm_core tests (CPython and Pyodide alike).

Files are found relative to this module, so the tests run from any working directory and
inside Pyodide when the repository is mounted there.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Iterable, Mapping
from functools import cache
from pathlib import Path
from typing import Any

from kcm_core.model import Rubric
from kcm_core.rubric_load import load_rubric

REPO = Path(__file__).resolve().parents[2]
KCM_RUBRIC_PATH = REPO / "rubric" / "klantcontact.json"


NOW = "2026-11-27T09:12:00Z"
LATER = "2026-11-27T10:30:00Z"

KCM_FIELDS = {
    "bedrijf": "Belcentrum Noord",
    "naam_kandidaat": "Sanne de Vries",
    "datum": "2026-11-27",
    "geboortedatum_kandidaat": "2001-05-04",
}


@cache
def kcm_rubric_text() -> str:
    return KCM_RUBRIC_PATH.read_text(encoding="utf-8")


def kcm_rubric_data() -> dict[str, Any]:
    """A fresh copy of the KCM rubric's JSON data, free to modify."""
    data: dict[str, Any] = json.loads(kcm_rubric_text())
    return data


@cache
def kcm_rubric() -> Rubric:
    return load_rubric(kcm_rubric_text())


def rubric_from_data(data: Mapping[str, Any]) -> Rubric:
    """A rubric from (modified) data, through the real loader so it is a valid rubric."""
    return load_rubric(json.dumps(data, ensure_ascii=False))


def modified_kcm_rubric(
    *,
    scoring: Mapping[str, Any] | None = None,
    eindterm_scoring: Mapping[str, Mapping[str, Any]] | None = None,
    critical: Iterable[str] = (),
) -> Rubric:
    """The KCM rubric with other scoring rules or critical criteria (for rule tests)."""
    data = kcm_rubric_data()
    if scoring is not None:
        data["scoring"] = dict(scoring)
    critical_ids = set(critical)
    for eindterm in data["eindtermen"]:
        if eindterm_scoring and eindterm["id"] in eindterm_scoring:
            eindterm["scoring"] = dict(eindterm_scoring[eindterm["id"]])
        for onderdeel in eindterm["onderdelen"]:
            for proces in onderdeel["processen"]:
                for criterion in proces["criteria"]:
                    if criterion["id"] in critical_ids:
                        criterion["critical"] = True
                        criterion.pop("allow_na", None)
    return rubric_from_data(data)


def small_rubric_data(
    counts: Iterable[int],
    *,
    scoring: Mapping[str, Any] | None = None,
    allow_na: bool = False,
) -> dict[str, Any]:
    """A valid rubric with one Eindterm per count, each holding that many criteria.

    Ids follow the KCM pattern: Eindterm "1", onderdeel "1.1", processen "1.1.1", "1.1.2", ...
    of up to 26 criteria each, "1.1.1.a" to "1.1.1.z" (criterion ids end in letters).
    """
    eindtermen = []
    for number, count in enumerate(counts, start=1):
        eid = str(number)
        processen = []
        for start in range(0, count, 26):
            pid = f"{eid}.1.{start // 26 + 1}"
            criteria = [
                {
                    "id": f"{pid}.{chr(ord('a') + i)}",
                    "text": f"Criterium {start + i + 1}.",
                    **({"allow_na": True} if allow_na else {}),
                }
                for i in range(min(26, count - start))
            ]
            processen.append({"id": pid, "text": "Proces.", "criteria": criteria})
        eindtermen.append(
            {
                "id": eid,
                "title": f"Eindterm {eid}",
                "text": f"Tekst van Eindterm {eid}.",
                "onderdelen": [{"id": f"{eid}.1", "text": "Onderdeel.", "processen": processen}],
            }
        )
    return {
        "id": "proef",
        "version": "1.0.0",
        "title": "Proefrubric",
        "language": "nl",
        "fields": [{"id": "naam_kandidaat", "label": "Naam Kandidaat", "type": "text"}],
        "conditions": [],
        "scoring": dict(scoring) if scoring is not None else {"rule": "all"},
        "eindtermen": eindtermen,
    }


def all_criterion_ids(rubric: Rubric) -> tuple[str, ...]:
    return rubric.criterion_ids()


def assessment_data(
    rubric: Rubric | None = None,
    *,
    checked: Iterable[str] | None = None,
    na: Mapping[str, str] | None = None,
    conditions: Mapping[str, list[str]] | None = None,
    fields: Mapping[str, str] | None = None,
    status: str = "draft",
    assessment_id: str = "a1",
) -> dict[str, Any]:
    """JSON data of a valid assessment.

    ``checked`` defaults to every criterion; ``na`` maps criterion ids to the reason for a
    manual n.v.t.; ``conditions`` defaults to an inbound call for the KCM rubric.
    """
    rubric = rubric if rubric is not None else kcm_rubric()
    ticked = list(rubric.criterion_ids() if checked is None else checked)
    na = na or {}
    criteria: dict[str, Any] = {cid: {"checked": True} for cid in ticked if cid not in na}
    for cid, reason in na.items():
        criteria[cid] = {"checked": False, "na": True, "remark": reason}
    if conditions is None:
        conditions = {c.id: [c.options[0].id] for c in rubric.conditions}
    if fields is None:
        fields = {f.id: KCM_FIELDS.get(f.id, "x") for f in rubric.fields}
    final = status == "final"
    return {
        "format": "kcm-assessment",
        "format_version": 1,
        "id": assessment_id,
        "rubric": {"id": rubric.id, "version": rubric.version},
        "fields": dict(fields),
        "conditions": {k: list(v) for k, v in conditions.items()},
        "criteria": criteria,
        "remarks": {},
        "status": status,
        "created": NOW,
        "updated": LATER,
        "finalized": LATER if final else None,
    }


def collection_data(*assessments: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "format": "kcm-assessments",
        "format_version": 1,
        "assessments": [copy.deepcopy(dict(a)) for a in assessments],
    }


def dumps(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False)


def sealed_data(
    rubric: Rubric | None = None,
    *,
    assessor: str = "A. Jansen",
    assessment_id: str = "a1",
    **kwargs: Any,
) -> dict[str, Any]:
    """JSON data of a finalised, sealed exam record by ``assessor`` (see ``assessment_data``
    for the other arguments)."""
    from kcm_core.assessment_load import load_assessment_data
    from kcm_core.seal import seal_record

    rubric = rubric if rubric is not None else kcm_rubric()
    data = assessment_data(rubric, status="final", assessment_id=assessment_id, **kwargs)
    data["history"] = [{"at": LATER, "action": "finalized"}]
    data["assessors"] = [{"name": assessor}]
    return seal_record(load_assessment_data(data, rubric), rubric)
