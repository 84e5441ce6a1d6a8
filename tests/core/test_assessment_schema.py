"""The JSON Schema of the assessment format, shipped as package data.

Reading it needs nothing but the standard library (it must load in Pyodide too); checking files
against it needs jsonschema, so those tests skip where it is missing (as in the browser).
"""

from __future__ import annotations

import copy
from typing import Any

import pytest
from _factories import LATER, NOW, assessment_data, collection_data, kcm_rubric

from kcm_core.assessment import (
    FORBIDDEN_KEYS,
    MAX_ASSESSMENTS,
    MAX_FIELD_CHARS,
    MAX_HISTORY,
    MAX_ID_CHARS,
    MAX_REMARK_CHARS,
    assessment_schema,
    new_assessment,
)


def test_schema_ships_as_package_data() -> None:
    schema = assessment_schema()
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert set(schema["$defs"]) >= {"assessment", "collection"}


def test_schema_states_the_loader_limits() -> None:
    # The schema documents the limits; the loader enforces them. They must say the same.
    defs = assessment_schema()["$defs"]
    props = defs["assessment"]["properties"]
    assert props["id"]["maxLength"] == MAX_ID_CHARS
    assert props["fields"]["additionalProperties"]["maxLength"] == MAX_FIELD_CHARS
    mark = props["criteria"]["additionalProperties"]["properties"]
    assert mark["remark"]["maxLength"] == MAX_REMARK_CHARS
    assert props["remarks"]["additionalProperties"]["maxLength"] == MAX_REMARK_CHARS
    assert props["history"]["maxItems"] == MAX_HISTORY
    assert defs["collection"]["properties"]["assessments"]["maxItems"] == MAX_ASSESSMENTS
    assert set(defs["allowedKey"]["not"]["enum"]) == FORBIDDEN_KEYS
    assert "20 MB" in assessment_schema()["description"]


def test_schema_keys_match_what_the_model_writes() -> None:
    # A new draft writes every key but the optional ones that hold nothing yet.
    written = new_assessment(kcm_rubric(), "k1", NOW).to_json_data()
    optional = {"assessors", "events", "practice", "sources", "signatures", "result", "seal"}
    assert set(written) | optional == set(assessment_schema()["$defs"]["assessment"]["properties"])


# --- validation with jsonschema (skipped without it) -----------------------------------------


@pytest.fixture(scope="module")
def validator() -> Any:
    jsonschema = pytest.importorskip("jsonschema")
    schema = assessment_schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


def _valid_examples() -> dict[str, Any]:
    draft = assessment_data(na={"1.1.1.c": "geen twijfel"})
    open_na = assessment_data()
    open_na["criteria"]["1.1.1.c"] = {"na": True}
    final = assessment_data(status="final", na={"1.1.1.c": "geen twijfel"})
    final["history"] = [{"at": LATER, "action": "finalized"}]
    return {
        "draft": draft,
        "draft-with-n.v.t.-without-reason": open_na,
        "final": final,
        "new": new_assessment(kcm_rubric(), "k1", NOW).to_json_data(),
        "collection": collection_data(draft, final | {"id": "a2"}),
    }


@pytest.mark.parametrize("name", list(_valid_examples()))
def test_valid_files_pass_the_schema(validator: Any, name: str) -> None:
    validator.validate(_valid_examples()[name])


def _broken(change: Any) -> dict[str, Any]:
    data = copy.deepcopy(assessment_data())
    change(data)
    return data


def _final_with(entry: dict[str, Any]) -> Any:
    def change(data: dict[str, Any]) -> None:
        data.update(status="final", finalized=LATER)
        data["criteria"]["1.1.1.c"] = entry

    return change


BROKEN = {
    "checked-as-text": lambda d: d["criteria"].update({"1.1.1.a": {"checked": "ja"}}),
    "final-na-without-remark": _final_with({"na": True}),
    "final-na-with-blank-remark": _final_with({"na": True, "remark": "  "}),
    "na-and-checked": lambda d: d["criteria"].update(
        {"1.1.1.c": {"na": True, "checked": True, "remark": "r"}}
    ),
    "proto-key": lambda d: d["criteria"].update({"__proto__": {}}),
    "bad-status": lambda d: d.update(status="klaar"),
    "bad-datetime": lambda d: d.update(created="2026-11-27 09:12"),
    "draft-with-finalized": lambda d: d.update(finalized=LATER),
    "final-without-finalized": lambda d: d.update(status="final", finalized=None),
    "unknown-key": lambda d: d.update(extra=1),
    "long-remark": lambda d: d["remarks"].update({"": "x" * (MAX_REMARK_CHARS + 1)}),
    "bad-sha256": lambda d: d["rubric"].update(sha256="ABC"),
    "format-version-2": lambda d: d.update(format_version=2),
}


@pytest.mark.parametrize("change", BROKEN.values(), ids=BROKEN.keys())
def test_broken_files_fail_the_schema(validator: Any, change: Any) -> None:
    assert not validator.is_valid(_broken(change))


def test_an_empty_collection_fails_the_schema(validator: Any) -> None:
    assert not validator.is_valid(collection_data())
