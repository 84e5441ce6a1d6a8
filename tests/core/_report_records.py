"""Records for the ``kcm report`` tests: sealed originals, pairs and joint records."""

from __future__ import annotations

from typing import Any

from _factories import LATER, NOW, kcm_rubric, sealed_data

from kcm_core.assessment_load import load_assessment_data
from kcm_core.merge import merge
from kcm_core.seal import seal_record

KCM_ALL = kcm_rubric().criterion_ids()


def candidate(name: str, *, datum: str = "2026-11-27") -> dict[str, str]:
    return {
        "bedrijf": "Belcentrum Noord",
        "naam_kandidaat": name,
        "datum": datum,
        "geboortedatum_kandidaat": "2001-05-04",
    }


def without(*criterion_ids: str) -> list[str]:
    """Every KCM criterion ticked except these."""
    return [c for c in KCM_ALL if c not in criterion_ids]


def original(
    record_id: str, assessor: str, name: str, missing: tuple[str, ...] = ()
) -> dict[str, Any]:
    return sealed_data(
        assessor=assessor,
        assessment_id=record_id,
        fields=candidate(name),
        checked=without(*missing),
    )


def joint_of(a_data: dict[str, Any], b_data: dict[str, Any], joint_id: str) -> dict[str, Any]:
    """The sealed joint record of two originals: every difference decided as "niet voldaan"
    (the merge leaves it unticked), with a reason."""
    rubric = kcm_rubric()
    a = load_assessment_data(a_data, rubric)
    b = load_assessment_data(b_data, rubric)
    joint, _ = merge(a, b, rubric, new_id=lambda: joint_id, now=lambda: NOW)
    data = joint.to_json_data()
    for entry in data["criteria"].values():
        if "decision" in entry:
            entry["decision"]["reason"] = "samen besproken"
    data |= {
        "status": "final",
        "finalized": LATER,
        "history": [{"at": LATER, "action": "finalized"}],
    }
    return seal_record(load_assessment_data(data, rubric), rubric)
