"""Properties of the assessment format, checked on generated assessments (hypothesis)."""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest

pytest.importorskip("hypothesis")

from _strategies import JSON_VALUES, assessment_json, rubric_and_assessment, rubric_and_collection
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kcm_core.assessment import (
    FORBIDDEN_KEYS,
    dump_assessments,
    load_assessment,
    load_assessment_data,
    load_assessments,
    load_assessments_partial,
)
from kcm_core.errors import KcmError
from kcm_core.model import Rubric

# Generated assessments are large (37 criteria): skip the data-size health check, and no
# deadline, because the same tests run much slower inside Pyodide.
SETTINGS = settings(
    deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large]
)


@SETTINGS
@given(rubric_and_assessment())
def test_generated_assessments_are_valid(case: tuple[Rubric, dict[str, Any]]) -> None:
    rubric, data = case
    load_assessment_data(data, rubric)


@SETTINGS
@given(rubric_and_assessment())
def test_json_round_trip_is_the_identity(case: tuple[Rubric, dict[str, Any]]) -> None:
    rubric, data = case
    first = load_assessment_data(data, rubric)
    text = json.dumps(first.to_json_data(), ensure_ascii=False)
    second = load_assessment(text, rubric)
    assert second == first
    # And the written form is stable: writing the re-read assessment gives the same text.
    assert json.dumps(second.to_json_data(), ensure_ascii=False) == text


@SETTINGS
@given(rubric_and_assessment())
def test_what_is_written_loads_back_to_the_same_json(case: tuple[Rubric, dict[str, Any]]) -> None:
    # Drafts as incomplete as the checklist saves them, and finals: each written form loads.
    rubric, data = case
    written = load_assessment_data(data, rubric).to_json_data()
    (again,) = load_assessments(json.dumps(written, ensure_ascii=False), rubric)
    assert again.to_json_data() == written


@SETTINGS
@given(rubric_and_collection())
def test_an_export_of_everything_imports_whole(case: tuple[Rubric, list[dict[str, Any]]]) -> None:
    rubric, records = case
    originals = [load_assessment_data(r, rubric) for r in records]
    text = json.dumps(dump_assessments(originals), ensure_ascii=False)
    assessments, rejected = load_assessments_partial(text, rubric)
    assert rejected == ()
    assert [a.to_json_data() for a in assessments] == [a.to_json_data() for a in originals]
    assert load_assessments(text, rubric) == assessments


def _locations(value: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every place in a JSON value, as a path of keys and indices (the root is ())."""
    found = [path]
    if isinstance(value, dict):
        for key, item in value.items():
            found.extend(_locations(item, (*path, key)))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            found.extend(_locations(item, (*path, index)))
    return found


@st.composite
def mutated(draw: st.DrawFn) -> tuple[Rubric, Any]:
    """A valid assessment with one random change: replaced value, removed key or extra key."""
    rubric, data = draw(rubric_and_assessment())
    data = copy.deepcopy(data)
    where = draw(st.sampled_from(_locations(data)))
    action = draw(st.sampled_from(["replace", "delete", "add"]))
    if not where:
        return rubric, draw(JSON_VALUES) if action == "replace" else data
    parent: Any = data
    for part in where[:-1]:
        parent = parent[part]
    last = where[-1]
    if action == "replace":
        parent[last] = draw(JSON_VALUES)
    elif action == "delete":
        del parent[last]
    elif isinstance(parent, dict):
        key = draw(st.text(max_size=8) | st.sampled_from(sorted(FORBIDDEN_KEYS)))
        parent[key] = draw(JSON_VALUES)
    else:
        parent.append(draw(JSON_VALUES))
    return rubric, data


def _assert_located(error: KcmError) -> None:
    assert error.problems
    for problem in error.problems:
        assert problem.path.startswith("$")
        assert problem.message
        assert "\n" not in problem.message


@SETTINGS
@given(mutated())
def test_mutated_assessment_is_accepted_or_refused_with_located_problems(
    case: tuple[Rubric, Any],
) -> None:
    rubric, data = case
    try:
        load_assessment_data(data, rubric)
    except KcmError as error:
        _assert_located(error)
    # Through the text loader as well: parsing limits and syntax checks come first there.
    try:
        load_assessments(json.dumps(data), rubric)
    except KcmError as error:
        _assert_located(error)


@SETTINGS
@given(st.data())
def test_mutated_assessment_inside_a_collection_names_its_index(data: st.DataObject) -> None:
    rubric, broken = data.draw(mutated())
    good = data.draw(assessment_json(rubric))
    # A duplicate id is reported at the second one, so the property below holds then too.
    doc = {"format": "kcm-assessments", "format_version": 1, "assessments": [good, broken]}
    try:
        load_assessments(json.dumps(doc), rubric)
    except KcmError as error:
        _assert_located(error)
        # Problems inside the assessments are always placed in the one that has them.
        for problem in error.problems:
            if problem.path.startswith("$.assessments["):
                assert problem.path.startswith("$.assessments[1]")
