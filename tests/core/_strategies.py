"""Hypothesis strategies for assessments; imported only by tests that have hypothesis."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from _factories import kcm_rubric, modified_kcm_rubric, rubric_from_data, small_rubric_data
from hypothesis import strategies as st

from kcm_core.canonical import rubric_sha256
from kcm_core.model import Rubric

# Rubrics with each scoring rule, critical criteria and manual n.v.t., so that properties are
# checked against every rule, not just the KCM rubric's "all".
RUBRICS: tuple[Rubric, ...] = (
    kcm_rubric(),
    modified_kcm_rubric(
        scoring={"rule": "min_fraction", "min_fraction": 0.7}, critical=["2.3.1.a"]
    ),
    modified_kcm_rubric(
        scoring={"rule": "min_count", "min_count": 3},
        eindterm_scoring={"2": {"rule": "min_fraction", "min_fraction": 0.35}},
        critical=["1.1.1.a", "2.4.1.b"],
    ),
    rubric_from_data(
        small_rubric_data([3, 1, 7], scoring={"rule": "min_count", "min_count": 1}, allow_na=True)
    ),
)

JSON_SCALARS = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(10**6), max_value=10**6)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=12)
)
JSON_VALUES = st.recursive(
    JSON_SCALARS,
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3)
    ),
    max_leaves=8,
)

_moments = st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2099, 12, 31))
DATETIMES = st.one_of(
    _moments.map(lambda d: d.strftime("%Y-%m-%dT%H:%M:%SZ")),
    _moments.map(lambda d: d.strftime("%Y-%m-%dT%H:%M:%S.%f") + "+02:00"),
)
DATES = st.dates().map(lambda d: d.isoformat()).filter(lambda s: len(s) == 10)
IDS = st.from_regex(r"[A-Za-z0-9][A-Za-z0-9_.:-]{0,30}", fullmatch=True)
REMARKS = st.text(max_size=40)
REASONS = st.text(min_size=1, max_size=40).filter(lambda s: bool(s.strip()))
NAMES = st.text(min_size=1, max_size=30).filter(lambda s: bool(s.strip()))
HOLD_SECONDS = st.integers(min_value=0, max_value=86400) | st.floats(
    min_value=0, max_value=86400, allow_nan=False, allow_infinity=False
)


def call_events(rubric: Rubric) -> st.SearchStrategy[dict[str, Any]]:
    """Live-call notes (``events``) of ``rubric``: phase marks and holds."""
    criteria = st.sampled_from(rubric.criterion_ids())
    phase = st.fixed_dictionaries(
        {"at": DATETIMES, "kind": st.just("phase"), "criterion": criteria}
    )
    hold = st.fixed_dictionaries(
        {"at": DATETIMES, "kind": st.just("hold"), "criterion": criteria, "seconds": HOLD_SECONDS}
    )
    return phase | hold


# An n.v.t. without a reason, as a draft may hold it: the key left out, empty or blank.
_NO_REASONS = st.sampled_from([{}, {"remark": ""}, {"remark": "  "}])


@st.composite
def assessment_json(draw: st.DrawFn, rubric: Rubric) -> dict[str, Any]:
    """JSON data of a valid assessment of ``rubric`` (any mix of ticks, n.v.t. and remarks).

    Drafts may be as incomplete as the checklist saves them: empty required fields and
    conditions, and n.v.t. without a reason yet.
    """
    conditions: dict[str, list[str]] = {}
    for condition in rubric.conditions:
        size = len(condition.options) if condition.multiple else 1
        conditions[condition.id] = draw(
            st.lists(st.sampled_from(condition.option_ids()), unique=True, max_size=size)
        )
    fields = {
        f.id: draw(st.just("") | DATES) if f.type == "date" else draw(st.text(max_size=30))
        for f in rubric.fields
    }
    complete = all(fields[f.id].strip() for f in rubric.fields if f.required) and all(
        conditions[c.id] for c in rubric.conditions if c.required
    )
    final = complete and draw(st.booleans())
    criteria: dict[str, Any] = {}
    for criterion in rubric.criteria():
        kinds = ["absent", "checked", "unchecked"]
        if criterion.allow_na and not criterion.critical:
            kinds.append("na")
            if not final:
                kinds.append("na-without-reason")
        kind = draw(st.sampled_from(kinds))
        if kind == "checked":
            criteria[criterion.id] = {"checked": True, "remark": draw(REMARKS)}
        elif kind == "unchecked":
            criteria[criterion.id] = {"checked": False, "remark": draw(REMARKS)}
        elif kind == "na":
            criteria[criterion.id] = {"na": True, "remark": draw(REASONS)}
        elif kind == "na-without-reason":
            criteria[criterion.id] = {"na": True, **draw(_NO_REASONS)}
    remarks = draw(
        st.dictionaries(st.sampled_from(["", *(e.id for e in rubric.eindtermen)]), REMARKS)
    )
    ref: dict[str, Any] = {"id": rubric.id, "version": rubric.version}
    if draw(st.booleans()):
        ref["sha256"] = rubric_sha256(rubric)
    data: dict[str, Any] = {
        "format": "kcm-assessment",
        "format_version": 1,
        "id": draw(IDS),
        "rubric": ref,
        "fields": fields,
        "conditions": conditions,
        "criteria": criteria,
        "remarks": remarks,
        "status": "final" if final else "draft",
        "created": draw(DATETIMES),
        "updated": draw(DATETIMES),
        "finalized": draw(DATETIMES) if final else None,
    }
    if draw(st.booleans()):
        data["history"] = draw(
            st.lists(
                st.fixed_dictionaries(
                    {"at": DATETIMES, "action": st.sampled_from(["finalized", "reopened"])}
                ),
                max_size=3,
            )
        )
    if draw(st.booleans()):
        data["assessors"] = draw(st.lists(st.fixed_dictionaries({"name": NAMES}), max_size=2))
    if draw(st.booleans()):
        data["events"] = draw(st.lists(call_events(rubric), max_size=4))
    return data


@st.composite
def rubric_and_assessment(draw: st.DrawFn) -> tuple[Rubric, dict[str, Any]]:
    rubric = draw(st.sampled_from(RUBRICS))
    return rubric, draw(assessment_json(rubric))


@st.composite
def rubric_and_collection(draw: st.DrawFn) -> tuple[Rubric, list[dict[str, Any]]]:
    """A rubric and 1 to 5 valid assessments of it, each with its own id."""
    rubric = draw(st.sampled_from(RUBRICS))
    records = draw(st.lists(assessment_json(rubric), min_size=1, max_size=5))
    for index, record in enumerate(records):
        record["id"] = f"{record['id'][:30]}-{index}"
    return rubric, records


SVG_PATHS = st.from_regex(
    r"M[0-9]{1,3} [0-9]{1,3}( [LlCcQqZz][0-9., -]{0,20}){0,6}", fullmatch=True
)


def signatures() -> st.SearchStrategy[dict[str, Any]]:
    """``signatures``: some roles, each a typed name or a name with a drawn path."""
    signature = st.fixed_dictionaries(
        {"name": NAMES, "at": DATETIMES}, optional={"svg_path": SVG_PATHS}
    )
    return st.dictionaries(
        st.sampled_from(["beoordelaar", "tweede_beoordelaar", "kandidaat"]), signature
    )


@st.composite
def sealable_record(draw: st.DrawFn) -> tuple[Rubric, dict[str, Any]]:
    """A rubric and a finalised record of it that kcm_core can seal: every required field,
    condition and reason filled in, an assessor (or a practice record), maybe signed."""
    rubric, data = draw(rubric_and_assessment())
    for f in rubric.fields:
        if f.required and not data["fields"][f.id].strip():
            data["fields"][f.id] = "2001-05-04" if f.type == "date" else "Sanne"
    for c in rubric.conditions:
        if c.required and not data["conditions"][c.id]:
            data["conditions"][c.id] = [c.options[0].id]
    for entry in data["criteria"].values():
        if entry.get("na") and not entry.get("remark", "").strip():
            entry["remark"] = "geen wachttijd"
    data.update(status="final", finalized=data["updated"])
    if draw(st.booleans()):
        data["practice"] = True
    elif not data.get("assessors"):
        data["assessors"] = [{"name": draw(NAMES)}]
    if draw(st.booleans()):
        data["signatures"] = draw(signatures())
    return rubric, data
