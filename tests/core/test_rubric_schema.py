"""The rubric JSON Schema: valid, self-explaining for editors, one source, and understood
identically by both engines of kcm_core.schemacheck."""

from __future__ import annotations

import dataclasses
import json
import re
from collections.abc import Iterator, Mapping
from importlib import resources
from pathlib import Path
from typing import Any

import pytest

from kcm_core import model
from kcm_core.rubric_load import SCHEMA_RESOURCE, rubric_schema
from kcm_core.schemacheck import Engine, check, search, unsupported_keywords

REPO_SCHEMA = Path(__file__).resolve().parents[2] / "rubric" / "schema.json"


def schemas(node: object, where: str = "#") -> Iterator[tuple[str, Mapping[str, Any]]]:
    """Every schema object in ``node`` (properties, definitions, items), with its location."""
    if not isinstance(node, Mapping):
        return
    yield where, node
    for name, sub in node.get("properties", {}).items():
        yield from schemas(sub, f"{where}/properties/{name}")
    for name, sub in node.get("$defs", {}).items():
        yield from schemas(sub, f"{where}/$defs/{name}")
    if "items" in node:
        yield from schemas(node["items"], f"{where}/items")


def test_package_schema_is_rubric_schema_json() -> None:
    # rubric/schema.json is the one real file; the package reads it through a link that every
    # build (editable install, wheel, sdist) resolves to the content.
    if not REPO_SCHEMA.is_file():
        pytest.skip(f"{REPO_SCHEMA} is not available here")
    packaged = resources.files("kcm_core").joinpath(SCHEMA_RESOURCE).read_bytes()
    assert packaged == REPO_SCHEMA.read_bytes()
    assert rubric_schema() == json.loads(REPO_SCHEMA.read_text(encoding="utf-8"))


def test_schema_is_valid_draft_2020_12() -> None:
    jsonschema = pytest.importorskip("jsonschema")
    schema = rubric_schema()
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    jsonschema.Draft202012Validator.check_schema(schema)


def test_every_property_and_definition_has_a_title_and_description() -> None:
    # Editors show these while typing; a property without them is a riddle for the author.
    lacking = [
        where
        for where, node in schemas(rubric_schema())
        if re.search(r"/(properties|\$defs)/[^/]+$", where)
        if not (node.get("title") and node.get("description"))
    ]
    assert lacking == []


def test_every_object_refuses_unknown_keys() -> None:
    open_objects = [
        where
        for where, node in schemas(rubric_schema())
        if node.get("type") == "object" and node.get("additionalProperties") is not False
    ]
    assert open_objects == []


def test_pure_engine_understands_every_keyword_of_the_schema() -> None:
    assert unsupported_keywords(rubric_schema()) == []


def test_unsupported_keywords_are_found() -> None:
    schema = {"type": "object", "properties": {"a": {"oneOf": [], "$ref": "other.json#/x"}}}
    assert unsupported_keywords(schema) == [
        "#/properties/a/oneOf",
        "#/properties/a/$ref (alleen verwijzingen binnen het schema)",
    ]


@pytest.mark.parametrize(
    ("definition", "cls", "extra_in_model"),
    [
        ("field", model.Field, set()),
        ("condition", model.Condition, set()),
        ("conditionOption", model.ConditionOption, set()),
        ("appliesWhen", model.AppliesWhen, set()),
        ("criterion", model.Criterion, set()),
        ("proces", model.Proces, set()),
        ("onderdeel", model.Onderdeel, set()),
        ("eindterm", model.Eindterm, set()),
        ("scoring", model.ScoringRule, set()),
        (None, model.Rubric, {"source"}),
    ],
)
def test_schema_keys_match_the_model(
    definition: str | None, cls: type[Any], extra_in_model: set[str]
) -> None:
    schema = rubric_schema()
    node = schema if definition is None else schema["$defs"][definition]
    keys = set(node["properties"]) - {"$schema"}
    fields = {f.name for f in dataclasses.fields(cls)} - extra_in_model
    assert keys == fields


def test_kcm_rubric_points_editors_at_the_schema(kcm_rubric_data: dict[str, Any]) -> None:
    assert kcm_rubric_data["$schema"] == "./schema.json"


def test_patterns_end_at_the_end_as_in_editors() -> None:
    # Python's "$" also matches before a final newline; ECMA-262 (editors) does not.
    assert search("^[a-z]+$", "abc")
    assert not search("^[a-z]+$", "abc\n")
    assert search("\\S", " x ")


# --- the editor's view: plain jsonschema, cross-field hints included ---------------------------


@pytest.mark.parametrize(
    "mutation",
    [
        {"scoring": {"rule": "min_count"}},
        {"scoring": {"rule": "all", "min_count": 3}},
        {"scoring": {"rule": "min_fraction"}},
        {"scoring": {"rule": "min_count", "min_count": 2, "min_fraction": 0.5}},
    ],
)
def test_editor_hints_flag_scoring_rules(
    mutation: dict[str, Any], kcm_rubric_data: dict[str, Any]
) -> None:
    jsonschema = pytest.importorskip("jsonschema")
    validator = jsonschema.Draft202012Validator(rubric_schema())
    assert validator.is_valid(kcm_rubric_data)
    kcm_rubric_data.update(mutation)
    assert not validator.is_valid(kcm_rubric_data)


def test_editor_hints_flag_critical_with_allow_na(kcm_rubric_data: dict[str, Any]) -> None:
    jsonschema = pytest.importorskip("jsonschema")
    validator = jsonschema.Draft202012Validator(rubric_schema())
    kcm_rubric_data["eindtermen"][0]["onderdelen"][0]["processen"][0]["criteria"][2]["critical"] = (
        True
    )
    assert not validator.is_valid(kcm_rubric_data)


# --- both engines on the corners of JSON Schema that differ from Python ------------------------

TRICKY_SCHEMA: dict[str, Any] = {
    "type": "object",
    "additionalProperties": {"type": "string"},
    "required": ["count"],
    "properties": {
        "count": {"type": "integer", "minimum": 1},
        "flag": {"const": True},
        "either": {"type": ["string", "null"]},
        "tags": {"type": "array", "uniqueItems": True, "maxItems": 3},
        "name": {"type": "string", "minLength": 2, "maxLength": 4},
        "ratio": {"type": "number", "exclusiveMaximum": 1},
    },
}


@pytest.mark.parametrize(
    ("instance", "expected"),
    [
        ({"count": 2.0}, []),  # 2.0 is an integer in JSON Schema
        ({"count": True}, [("$.count", "moet een geheel getal zijn, niet true of false (true)")]),
        ({"count": 0}, [("$.count", "moet minstens 1 zijn (gevonden: 0)")]),
        ({"count": 1, "flag": 1}, [("$.flag", "moet true zijn (gevonden: 1)")]),
        ({"count": 1, "either": None}, []),
        ({"count": 1, "either": 3}, [("$.either", "moet tekst of null zijn, niet 3")]),
        ({"count": 1, "tags": [1, True, "1"]}, []),  # true is not 1 in JSON
        ({"count": 1, "tags": [1, 1.0]}, [("$.tags[1]", "de waarde 1.0 staat al eerder")]),
        ({"count": 1, "tags": [[1], [1]]}, [("$.tags[1]", "de waarde een lijst staat al eerder")]),
        ({"count": 1, "tags": [1, 2, 3, 4]}, [("$.tags", "hoogstens 3 elementen")]),
        ({"count": 1, "name": "x"}, [("$.name", "moet minstens 2 tekens hebben")]),
        ({"count": 1, "name": "xxxxx"}, [("$.name", "mag hoogstens 4 tekens hebben (nu 5)")]),
        ({"count": 1, "ratio": 1}, [("$.ratio", "moet kleiner dan 1 zijn (gevonden: 1)")]),
        ({"count": 1, "other": 5}, [("$.other", "moet tekst zijn, niet 5")]),
        ({}, [("$", "de verplichte sleutel 'count' ontbreekt")]),
    ],
)
def test_engines_agree_on_json_schema_corners(
    instance: object, expected: list[tuple[str, str]], schema_engine: Engine
) -> None:
    problems = check(instance, TRICKY_SCHEMA, engine=schema_engine)
    assert [p.path for p in problems] == [path for path, _ in expected]
    for problem, (_, fragment) in zip(problems, expected, strict=True):
        assert fragment in problem.message


def test_schema_file_is_plain_json() -> None:
    # Loaded with the standard parser as well: no comments, no trailing commas.
    text = resources.files("kcm_core").joinpath(SCHEMA_RESOURCE).read_text(encoding="utf-8")
    assert json.loads(text) == rubric_schema()
