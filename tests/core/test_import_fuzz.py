"""Bad-input fuzzing of the import path, the way the checklist uses it.

test_assessment_properties.py (the loader's own properties) already generates valid assessments
and mutates their JSON structure. This file adds what an assessor's import really meets:

- files damaged as bytes (cut off by a failed download, a flipped bit, a stray BOM, a NUL,
  invalid UTF-8), fed to the same loader;
- a value of the wrong kind at a known place, where the problem must name that very place, not
  just "somewhere in the file";
- text at the length limits and hostile text (HTML, script, control and bidi characters), which
  must come back exactly as written, never cleaned up or half-kept;
- everything through ``browser_api.check_import``, the function the worker calls: its answer is
  always JSON with ``ok`` true, or false with located problems, and never the "unexpected error"
  message that stands for an exception that escaped the loader.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Iterator
from typing import Any

import pytest

pytest.importorskip("hypothesis")

from _factories import kcm_rubric, kcm_rubric_text
from _strategies import assessment_json
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kcm_core import browser_api
from kcm_core.assessment import (
    MAX_FIELD_CHARS,
    MAX_REMARK_CHARS,
    Assessment,
    load_assessments,
)
from kcm_core.errors import KcmError, json_path

SETTINGS = settings(
    deadline=None,
    max_examples=60,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

# What browser_api answers when an exception other than KcmError escaped (see _respond there).
UNEXPECTED = "onverwachte fout"

# Bytes that damaged or hand-edited files contain.
INSERTS = (
    b"\x00",
    b"\xff",
    b"\xc3",
    b"\xef\xbb\xbf",
    b"\xe2\x80\xa8",
    b"\r\n",
    b",",
    b"}",
    b"]",
    b"{",
    b"[",
    b'"',
    b"\\",
    b":",
    b"NaN",
    b"-Infinity",
    b"1e999",
    b"9" * 120,
    b'"\\ud800"',
    b'"__proto__": {"x": 1},',
    b'"id": "dubbel",',
)

# Text that must survive an import byte for byte and never be treated as markup.
HOSTILE_TEXT = (
    '<img src=x onerror="alert(1)">',
    "<script>alert(document.domain)</script>",
    '"><svg onload=alert(1)>',
    "javascript:alert(1)",
    "{{constructor.constructor('alert(1)')()}}",
    "\u202eevil\u202c",
    "Zoë & Jaïr <3 \u2018quotes\u2019",
    "tab\there\nnewline",
    "__proto__",
)


@pytest.fixture(autouse=True)
def _browser_api_with_kcm() -> Iterator[None]:
    """browser_api keeps the rubric in module state: load the KCM rubric, forget it after."""
    answer = json.loads(browser_api.init(kcm_rubric_text()))
    assert answer["ok"], answer
    yield
    browser_api.reset()


def check_import(text: str) -> dict[str, Any]:
    answer: dict[str, Any] = json.loads(browser_api.check_import(text))
    if answer["ok"]:
        assert isinstance(answer["assessments"], list)
    else:
        assert answer["problems"]
        for problem in answer["problems"]:
            assert list(problem) == ["path", "parts", "message"], problem
            assert problem["path"] == json_path(problem["parts"]), problem
            assert problem["message"].strip(), problem
            assert "\n" not in problem["message"], problem
            assert UNEXPECTED not in problem["message"], problem
    return answer


def assert_located(error: KcmError) -> None:
    for problem in error.problems:
        assert problem.path.startswith("$"), problem
        assert problem.message.strip(), problem
        assert "\n" not in problem.path + problem.message, problem


def load_or_problems(raw: bytes | str) -> tuple[Assessment, ...] | KcmError:
    """The loader's answer: the assessments, or the KcmError. Any other exception fails."""
    try:
        return load_assessments(raw, kcm_rubric())
    except KcmError as error:
        assert_located(error)
        return error


def assert_stable(assessments: tuple[Assessment, ...]) -> None:
    """An accepted file normalises to a fixed point: writing and re-reading changes nothing."""
    for assessment in assessments:
        text = json.dumps(assessment.to_json_data(), ensure_ascii=False)
        (again,) = load_assessments(text, kcm_rubric())
        assert again == assessment


# --- valid files through the browser's import function -----------------------------------------


@SETTINGS
@given(assessment_json(kcm_rubric()), st.booleans())
def test_valid_file_imports_and_reimports_unchanged(data: dict[str, Any], many: bool) -> None:
    document: dict[str, Any] = (
        {"format": "kcm-assessments", "format_version": 1, "assessments": [data]} if many else data
    )
    first = check_import(json.dumps(document, ensure_ascii=False))
    assert first["ok"], first
    (imported,) = first["assessments"]
    # The worker stores what check_import returns; importing that export again is the identity.
    assert imported["rubric"]["sha256"]
    second = check_import(json.dumps(imported, ensure_ascii=False))
    assert second["assessments"] == [imported]
    # Nothing the assessor wrote is lost or changed on the way.
    assert imported["fields"] == data["fields"]
    assert imported["id"] == data["id"]
    for criterion_id, mark in data["criteria"].items():
        if mark.get("checked") or mark.get("na") or mark.get("remark"):
            assert imported["criteria"][criterion_id].get("remark", "") == mark.get("remark", "")


# --- files damaged as bytes -------------------------------------------------------------------


@st.composite
def damaged_file(draw: st.DrawFn) -> bytes:
    data = draw(assessment_json(kcm_rubric()))
    text = json.dumps(
        data, ensure_ascii=draw(st.booleans()), indent=draw(st.sampled_from([None, 1, 2]))
    )
    raw = text.encode("utf-8")
    for _ in range(draw(st.integers(min_value=1, max_value=4))):
        op = draw(st.sampled_from(["truncate", "flip", "insert", "delete", "repeat"]))
        pos = draw(st.integers(min_value=0, max_value=len(raw)))
        if op == "truncate":
            raw = raw[:pos]
        elif op == "flip" and pos < len(raw):
            bit = 1 << draw(st.integers(min_value=0, max_value=7))
            raw = raw[:pos] + bytes([raw[pos] ^ bit]) + raw[pos + 1 :]
        elif op == "insert":
            raw = raw[:pos] + draw(st.sampled_from(INSERTS)) + raw[pos:]
        elif op == "delete":
            raw = raw[:pos] + raw[pos + draw(st.integers(min_value=1, max_value=12)) :]
        elif op == "repeat":
            raw = raw[:pos] + raw[pos : pos + 40] + raw[pos:]
    return raw


@SETTINGS
@given(damaged_file())
def test_damaged_file_is_imported_or_refused_with_located_problems(raw: bytes) -> None:
    result = load_or_problems(raw)
    if not isinstance(result, KcmError):
        assert_stable(result)
    # The browser reads the file as UTF-8 text (FileReader replaces invalid bytes with U+FFFD).
    answer = check_import(raw.decode("utf-8", errors="replace"))
    if isinstance(result, KcmError) and not answer["ok"]:
        return
    if answer["ok"]:
        for item in answer["assessments"]:
            assert check_import(json.dumps(item))["assessments"] == [item]


# --- a wrong kind of value at a known place ---------------------------------------------------


def leaves(value: Any, path: tuple[str | int, ...] = ()) -> Iterator[tuple[str | int, ...]]:
    """Every place in a JSON value that holds a scalar or a list of scalars."""
    if isinstance(value, dict):
        for key, item in value.items():
            yield from leaves(item, (*path, key))
    elif isinstance(value, list) and any(isinstance(v, dict | list) for v in value):
        for index, item in enumerate(value):
            yield from leaves(item, (*path, index))
    elif path:
        yield path


def wrong_kind(value: Any) -> st.SearchStrategy[Any]:
    """A value of another JSON kind than ``value``; never one the format also allows there."""
    options: list[Any] = [{"x": 1}]
    # Where a number stands (a hold's seconds), another number may be just as valid.
    if isinstance(value, bool) or not isinstance(value, int | float):
        options += [7, 2.5]
    if not isinstance(value, bool):
        options.append(True)
    if not isinstance(value, list):
        options.append(["x"])
    if not isinstance(value, str):
        options.append("ja")
    return st.sampled_from(options)


@SETTINGS
@given(st.data())
def test_wrong_kind_of_value_is_reported_at_its_place(data: st.DataObject) -> None:
    valid = data.draw(assessment_json(kcm_rubric()))
    place = data.draw(st.sampled_from(sorted(leaves(valid), key=repr)))
    broken = copy.deepcopy(valid)
    parent: Any = broken
    for part in place[:-1]:
        parent = parent[part]
    original = parent[place[-1]]
    parent[place[-1]] = data.draw(wrong_kind(original))
    result = load_or_problems(json.dumps(broken))
    assert isinstance(result, KcmError), f"{place} = {parent[place[-1]]!r} was accepted"
    paths = {p.path for p in result.problems}
    # Reported at the value itself, or at the object holding it (an object that cannot be used
    # as a whole, such as a rubric reference, is reported once at its own place).
    assert paths & {json_path(place), json_path(place[:-1])}, (place, paths)
    assert not check_import(json.dumps(broken))["ok"]


# --- text at the limits, and hostile text ------------------------------------------------------


@SETTINGS
@given(
    assessment_json(kcm_rubric()),
    st.sampled_from(["bedrijf", "naam_kandidaat"]),
    st.integers(min_value=MAX_FIELD_CHARS - 2, max_value=MAX_FIELD_CHARS + 2),
    st.sampled_from(["a", "é", "😀"]),
)
def test_field_text_at_the_limit_is_kept_whole_or_refused_at_the_field(
    data: dict[str, Any], field_id: str, length: int, char: str
) -> None:
    data["fields"][field_id] = char * length
    answer = check_import(json.dumps(data, ensure_ascii=False))
    if length <= MAX_FIELD_CHARS:
        assert answer["ok"], answer
        assert answer["assessments"][0]["fields"][field_id] == char * length
    else:
        assert not answer["ok"]
        assert f"$.fields.{field_id}" in {p["path"] for p in answer["problems"]}


@SETTINGS
@given(
    assessment_json(kcm_rubric()),
    st.sampled_from([c.id for c in kcm_rubric().criteria()]),
    st.integers(min_value=MAX_REMARK_CHARS - 1, max_value=MAX_REMARK_CHARS + 1),
)
def test_remark_at_the_limit_is_kept_whole_or_refused_at_the_remark(
    data: dict[str, Any], criterion_id: str, length: int
) -> None:
    data["criteria"][criterion_id] = {"checked": True, "remark": "x" * length}
    answer = check_import(json.dumps(data))
    place = json_path(["criteria", criterion_id, "remark"])
    if length <= MAX_REMARK_CHARS:
        assert answer["assessments"][0]["criteria"][criterion_id]["remark"] == "x" * length
    else:
        assert place in {p["path"] for p in answer["problems"]}
        assert ["criteria", criterion_id, "remark"] in [p["parts"] for p in answer["problems"]]


@SETTINGS
@given(
    assessment_json(kcm_rubric()),
    st.sampled_from(HOSTILE_TEXT),
    st.sampled_from(["field", "remark", "general"]),
)
def test_hostile_text_is_imported_exactly_as_written(
    data: dict[str, Any], text: str, where: str
) -> None:
    if where == "field":
        data["fields"]["naam_kandidaat"] = text
    elif where == "remark":
        data["criteria"]["1.1.1.a"] = {"checked": False, "remark": text}
    else:
        data["remarks"][""] = text
    answer = check_import(json.dumps(data))
    assert answer["ok"], answer
    (imported,) = answer["assessments"]
    if where == "field":
        found = imported["fields"]["naam_kandidaat"]
    elif where == "remark":
        found = imported["criteria"]["1.1.1.a"]["remark"]
    else:
        found = imported["remarks"][""]
    assert found == text


@pytest.mark.parametrize(
    "text",
    [
        "",
        " \n",
        "null",
        "[]",
        '"kcm-assessment"',
        "{}",
        '{"format": "kcm-assessments", "format_version": 1, "assessments": {}}',
        '{"__proto__": {"polluted": true}}',
        "\ufeff{}",
        '{"format": "kcm-assessment", "format_version": 1e400}',
        '{"format": "kcm-assessment", "format_version": ' + "1" * 5000 + "}",
        "[" * 100_000,
        '"' + "\\ud800" * 10 + '"',
    ],
    ids=lambda t: repr(t[:30]),
)
def test_files_that_are_no_assessment_are_refused_through_the_browser_api(text: str) -> None:
    assert not check_import(text)["ok"]
