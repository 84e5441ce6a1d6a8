"""Problems as data: path parts for programs, one path builder for people, one line each."""

from __future__ import annotations

import json

import pytest

from kcm_core.errors import KcmError, PathPart, Problem, json_path, printable, quote


@pytest.mark.parametrize(
    ("parts", "path"),
    [
        ((), "$"),
        (("eindtermen", 1, "onderdelen", 0, "id"), "$.eindtermen[1].onderdelen[0].id"),
        (("criteria", "1.1.1.a", "checked"), "$.criteria['1.1.1.a'].checked"),
        (("criteria", "2.4.1.b", "remark"), "$.criteria['2.4.1.b'].remark"),
        (("assessments", 3, "fields", "datum"), "$.assessments[3].fields.datum"),
        ((0,), "$[0]"),
        (("_private2",), "$._private2"),
        (("2",), "$['2']"),
        (("$schema",), "$['$schema']"),
        (("remarks", ""), "$.remarks['']"),
        (("it's",), "$['it\\'s']"),
        (("a\nb",), "$['a\\nb']"),
        (("back\\slash",), "$['back\\\\slash']"),
        (("x" * 60,), "$." + "x" * 60),
        (("x" * 100,), "$['" + "x" * 60 + "…']"),
    ],
)
def test_json_path_of_parts(parts: tuple[PathPart, ...], path: str) -> None:
    assert json_path(parts) == path
    assert Problem(parts, "m").path == path


def test_a_problem_is_frozen_data() -> None:
    problem = Problem(("criteria", "2.4.1.b", "remark"), "geef een reden")
    assert problem == Problem(("criteria", "2.4.1.b", "remark"), "geef een reden")
    assert problem.parts == ("criteria", "2.4.1.b", "remark")
    with pytest.raises(AttributeError):
        problem.message = "anders"  # type: ignore[misc]


def test_to_dict_gives_the_display_path_the_parts_and_the_message() -> None:
    problem = Problem(("assessments", 1, "criteria", "2.4.1.b", "na"), "mag niet")
    data = problem.to_dict()
    assert data == {
        "path": "$.assessments[1].criteria['2.4.1.b'].na",
        "parts": ["assessments", 1, "criteria", "2.4.1.b", "na"],
        "message": "mag niet",
    }
    assert list(data) == ["path", "parts", "message"]
    # JSON keeps the kinds of parts apart: an index stays a number, a key stays text.
    assert json.loads(json.dumps(data))["parts"] == ["assessments", 1, "criteria", "2.4.1.b", "na"]
    assert Problem((), "x").to_dict() == {"path": "$", "parts": [], "message": "x"}


@pytest.mark.parametrize(
    ("value", "text"),
    [
        ("critcal", "'critcal'"),
        ("regel\neen\ttwee\u2028", "'regel\\neen\\ttwee\\u2028'"),
        ("x" * 70, "'" + "x" * 60 + "…'"),
        (None, "null"),
        (True, "true"),
        (2.5, "2.5"),
        ([1], "een lijst"),
        ({}, "een object"),
    ],
)
def test_quote_keeps_values_short_and_on_one_line(value: object, text: str) -> None:
    assert quote(value) == text


def test_kcm_error_prints_one_line_per_problem() -> None:
    error = KcmError([Problem(("a",), "eerste"), Problem(("b",), "tweede")], source="f.json")
    assert str(error) == "f.json: $.a: eerste\nf.json: $.b: tweede"
    assert KcmError([Problem((), "x")]).lines() == ["$: x"]
    assert str(Problem(("a\nb", 0), "x")) == "$['a\\nb'][0]: x"


def test_kcm_error_needs_a_problem() -> None:
    with pytest.raises(ValueError, match="at least one problem"):
        KcmError([])


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("rubric/klantcontact.json", "rubric/klantcontact.json"),
        ("C:\\kcm\\beoordeling één.json", "C:\\kcm\\beoordeling één.json"),
        ("it's", "it's"),
        ("a\nb", "a\\nb"),
        ("a\r\tb", "a\\r\\tb"),
        ("x\x1b[31m", "x\\u001b[31m"),
        ("\x00\x7f\x85\x9b", "\\u0000\\u007f\\u0085\\u009b"),
        ("p\u2028q\u2029", "p\\u2028q\\u2029"),
        ("\udcff.json", "\\udcff.json"),
        ("x" * 200, "x" * 200),
    ],
)
def test_printable_escapes_only_what_breaks_a_line_or_steers_a_terminal(
    text: str, shown: str
) -> None:
    assert printable(text) == shown


def test_kcm_error_lines_escape_the_source() -> None:
    error = KcmError([Problem(("a",), "x")], source="a\nb.json")
    assert error.lines() == ["a\\nb.json: $.a: x"]
