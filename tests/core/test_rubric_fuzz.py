"""Random damage to the KCM rubric: the loader only ever says KcmError, never crashes, and the
pure engine (browser) finds exactly what jsonschema finds."""

from __future__ import annotations

import contextlib
import copy
import json
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("hypothesis")

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kcm_core.errors import KcmError
from kcm_core.jsonparse import parse_json
from kcm_core.model import Rubric
from kcm_core.rubric_load import load_rubric, validate_rubric_data
from kcm_core.schemacheck import jsonschema_available

KCM_RUBRIC_PATH = Path(__file__).resolve().parents[2] / "rubric" / "klantcontact.json"
if not KCM_RUBRIC_PATH.is_file():
    pytest.skip(f"{KCM_RUBRIC_PATH} is not available here", allow_module_level=True)

BASE: dict[str, Any] = json.loads(KCM_RUBRIC_PATH.read_text(encoding="utf-8"))

# Values that mean something in a rubric, so that mutations often come close to valid.
MEANINGFUL = st.sampled_from(
    ["1", "2", "2.1", "2.1.1", "2.1.1.a", "gesprekstype", "outbound", "all", "min_count",
     "min_fraction", "text", "date", "", " ", "1.0.0"]
)  # fmt: skip
KEYS = st.sampled_from(
    ["id", "text", "title", "critical", "allow_na", "applies_when", "condition", "any_of",
     "rule", "min_count", "min_fraction", "options", "criteria", "processen", "onderdelen",
     "critcal", "$schema"]
)  # fmt: skip
SCALARS = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-3, max_value=40)
    | st.floats(allow_nan=False, allow_infinity=False, width=32)
    | st.text(max_size=6)
    | MEANINGFUL
)
JSON_VALUES = st.recursive(
    SCALARS,
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(KEYS | st.text(max_size=4), inner, max_size=3)
    ),
    max_leaves=6,
)

Container = dict[str, Any] | list[Any]


def members(value: object) -> list[tuple[Container, str | int]]:
    """Every (container, key-or-index) in the document, to pick a place to damage."""
    found: list[tuple[Container, str | int]] = []
    stack = [value]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            found.extend((node, key) for key in node)
            stack.extend(node.values())
        elif isinstance(node, list):
            found.extend((node, i) for i in range(len(node)))
            stack.extend(node)
    return found


@st.composite
def damaged_rubrics(draw: st.DrawFn) -> dict[str, Any]:
    data = copy.deepcopy(BASE)
    for _ in range(draw(st.integers(min_value=1, max_value=4))):
        places = members(data)
        container, key = draw(st.sampled_from(places))
        action = draw(st.sampled_from(["delete", "replace", "add_key", "copy_sibling", "reuse_id"]))
        if action == "delete":
            del container[key]  # type: ignore[arg-type]
        elif action == "replace":
            container[key] = draw(JSON_VALUES)  # type: ignore[index]
        elif action == "add_key":
            target = container[key]  # type: ignore[index]
            if isinstance(target, dict):
                target[draw(KEYS)] = draw(JSON_VALUES)
        elif action == "copy_sibling" and isinstance(container, list):
            assert isinstance(key, int)
            container.insert(key, copy.deepcopy(container[key]))
        elif action == "reuse_id":
            ids = [c["id"] for c, k in places if k == "id" and isinstance(c, dict)]
            target = container[key]  # type: ignore[index]
            if isinstance(target, dict) and "id" in target and ids:
                target["id"] = draw(st.sampled_from(ids))
    return data


FUZZ = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@FUZZ
@given(damaged_rubrics())
def test_loader_raises_only_kcm_error(data: dict[str, Any]) -> None:
    try:
        rubric = load_rubric(json.dumps(data))
    except KcmError as error:
        problems = error.problems
    else:
        # What passes validation must make a complete model.
        assert isinstance(rubric, Rubric)
        assert len(rubric.criterion_ids()) == len(set(rubric.criterion_ids()))
        return
    assert problems
    assert all(p.path.startswith("$") and "\n" not in p.message for p in problems)


@FUZZ
@given(damaged_rubrics())
def test_pure_engine_finds_what_jsonschema_finds(data: dict[str, Any]) -> None:
    if not jsonschema_available():
        pytest.skip("jsonschema is not installed (as in the browser)")
    assert validate_rubric_data(data, engine="pure") == validate_rubric_data(
        data, engine="jsonschema"
    )


@FUZZ
@given(st.binary(max_size=200) | st.text(max_size=200))
def test_parser_raises_only_kcm_error_on_any_input(raw: bytes | str) -> None:
    try:
        parse_json(raw)
    except KcmError as error:
        messages = [p.message for p in error.problems]
    else:
        return
    assert all("\n" not in m for m in messages)


@FUZZ
@given(st.data())
def test_parser_survives_damaged_rubric_text(data: st.DataObject) -> None:
    text = KCM_RUBRIC_PATH.read_text(encoding="utf-8")
    start = data.draw(st.integers(min_value=0, max_value=len(text)))
    length = data.draw(st.integers(min_value=0, max_value=20))
    insert = data.draw(st.text(alphabet='{}[]",:\\ \n0aN-', max_size=5))
    damaged = text[:start] + insert + text[start + length :]
    with contextlib.suppress(KcmError):
        load_rubric(damaged)
