"""Canonical JSON and the rubric sha256 that every assessment carries."""

from __future__ import annotations

import hashlib
import json
from typing import Any

import pytest
from _factories import kcm_rubric, kcm_rubric_data, rubric_from_data

from kcm_core.canonical import canonical_bytes, canonical_json, rubric_sha256, sha256_of_data

# The sha256 of rubric/klantcontact.json as computed on CPython. The same test runs inside
# Pyodide, where it proves the browser computes the identical hash. When the rubric's content
# changes on purpose (new version), update this value together with the rubric's version.
KCM_SHA256 = "343f7047966d384a2ee70ac9fab720163901ca01bc9a0ca95344185942711d2a"


def test_kcm_rubric_hash_is_pinned() -> None:
    assert rubric_sha256(kcm_rubric()) == KCM_SHA256


def test_hash_is_sha256_of_the_canonical_utf8_bytes() -> None:
    data = kcm_rubric_data()
    expected = hashlib.sha256(canonical_json(data).encode("utf-8")).hexdigest()
    assert sha256_of_data(data) == expected


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        pytest.param({"b": 1, "a": 2}, '{"a":2,"b":1}', id="keys-sorted"),
        pytest.param({"a": {"z": [1, 2], "y": None}}, '{"a":{"y":null,"z":[1,2]}}', id="nested"),
        pytest.param({"t": "Eindterm één"}, '{"t":"Eindterm één"}', id="non-ascii-as-is"),
        pytest.param({"t": 'a"b\\c\n'}, '{"t":"a\\"b\\\\c\\n"}', id="json-escapes-only"),
        pytest.param({"f": 0.7, "i": 1, "g": 1.0}, '{"f":0.7,"g":1.0,"i":1}', id="numbers"),
        pytest.param({"f": 1e-07}, '{"f":1e-07}', id="float-repr"),
        pytest.param({"$schema": "./schema.json", "id": "x"}, '{"id":"x"}', id="schema-left-out"),
        pytest.param({"b": True, "a": False}, '{"a":false,"b":true}', id="booleans"),
        # Code point order: "Z" (U+005A) before "a" (U+0061) before "é" (U+00E9).
        pytest.param({"é": 1, "a": 2, "Z": 3}, '{"Z":3,"a":2,"é":1}', id="code-point-order"),
    ],
)
def test_canonical_form(data: dict[str, Any], expected: str) -> None:
    assert canonical_json(data) == expected


def test_schema_key_only_left_out_at_top_level() -> None:
    # Deeper "$schema" keys are content (a rubric cannot have them, but the rule is exact).
    assert canonical_json({"a": {"$schema": 1}}) == '{"a":{"$schema":1}}'


def test_key_order_and_whitespace_of_the_file_do_not_matter() -> None:
    data = kcm_rubric_data()
    reordered = json.loads(json.dumps(dict(reversed(list(data.items()))), indent=4))
    assert sha256_of_data(reordered) == sha256_of_data(data)


def test_schema_reference_does_not_change_the_hash() -> None:
    data = kcm_rubric_data()
    data["$schema"] = "https://example.invalid/other.json"
    assert rubric_sha256(rubric_from_data(data)) == KCM_SHA256


def test_any_change_of_content_changes_the_hash() -> None:
    data = kcm_rubric_data()
    data["eindtermen"][1]["onderdelen"][0]["processen"][0]["criteria"][0]["text"] += "."
    assert rubric_sha256(rubric_from_data(data)) != KCM_SHA256


def test_integer_and_float_hash_differently() -> None:
    # Documented: values keep their JSON type; 1 and 1.0 are different texts.
    assert sha256_of_data({"x": 1}) != sha256_of_data({"x": 1.0})


def test_nan_is_refused() -> None:
    with pytest.raises(ValueError, match="JSON compliant"):
        canonical_json({"x": float("nan")})


def test_bytes_are_utf8_without_bom() -> None:
    raw = canonical_bytes({"t": "ë"})
    assert raw == '{"t":"ë"}'.encode()
    assert not raw.startswith(b"\xef\xbb\xbf")
