"""Strict JSON loading: every nasty input gets one clear message with its place, never a crash."""

from __future__ import annotations

from pathlib import Path

import pytest

from kcm_core.errors import KcmError, Problem
from kcm_core.jsonparse import (
    DEFAULT_MAX_BYTES,
    DEFAULT_MAX_DEPTH,
    MB,
    format_limit,
    load_json_file,
    parse_json,
    parse_json_located,
    parse_json_object,
    read_file_limited,
)


def problems_of(raw: bytes | str, **limits: int) -> list[tuple[str, str]]:
    with pytest.raises(KcmError) as caught:
        parse_json(raw, **limits)
    return [(p.path, p.message) for p in caught.value.problems]


# --- whole-file problems: path "$", one line ---------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        (b"", "het bestand is leeg"),
        ("", "het bestand is leeg"),
        (b" \n\t\r\n", "het bestand bevat alleen witruimte"),
        (b"\xef\xbb\xbf", "het bestand is leeg"),
        (
            b"\xff\xfe{\x00}\x00",
            "het bestand is opgeslagen als UTF-16 of UTF-32; sla het op als UTF-8",
        ),
        (b"{\x00}\x00", "het bestand is opgeslagen als UTF-16 of UTF-32; sla het op als UTF-8"),
        (
            # "José" saved as Latin-1
            b'{\n  "naam": "Jos\xe9"\n}',
            "geen geldige UTF-8 op regel 2, kolom 15 (byte 0xe9); sla het bestand op als UTF-8",
        ),
        (
            '{"a": 1,}',
            "ongeldige JSON op regel 1, kolom 8: komma te veel voor de '}'",
        ),
        ("[1,]", "ongeldige JSON op regel 1, kolom 3: komma te veel voor de ']'"),
        (
            '{\n"a" 1\n}',
            "ongeldige JSON op regel 2, kolom 5: hier hoort een dubbele punt ':' na de sleutel",
        ),
        (
            "{'a': 1}",
            "ongeldige JSON op regel 1, kolom 2: hier hoort een sleutel tussen dubbele "
            'aanhalingstekens, zoals "id"',
        ),
        (
            "[1, 2",
            "ongeldige JSON op regel 1, kolom 6: hier hoort een komma ',' of een sluithaakje",
        ),
        (
            '{"a": 1} x',
            "ongeldige JSON op regel 1, kolom 10: na het einde van de JSON staat nog tekst",
        ),
        ("[1] [2]", "ongeldige JSON op regel 1, kolom 5: na het einde van de JSON staat nog tekst"),
        (
            '{"a": "b',
            "ongeldige JSON op regel 1, kolom 7: de tekst die hier begint, heeft geen sluitend "
            "aanhalingsteken",
        ),
        ('"a\tb"', "ongeldige JSON op regel 1, kolom 3: in een tekst staat een regeleinde"),
        ('"\\x"', "ongeldige JSON op regel 1, kolom 2: ongeldige backslash-code"),
        ('"\\u12x4"', "ongeldige JSON op regel 1, kolom 3: ongeldige \\u-code"),
        ("{,}", "ongeldige JSON op regel 1, kolom 2: hier hoort een sleutel"),
        ("tru", "ongeldige JSON op regel 1, kolom 1: hier hoort een waarde"),
        ("// commentaar\n{}", "ongeldige JSON op regel 1, kolom 1: hier hoort een waarde"),
        (
            "[" * 100_000 + "]" * 100_000,
            f"de JSON is te diep genest op regel 1, kolom {DEFAULT_MAX_DEPTH + 1}: "
            f"meer dan {DEFAULT_MAX_DEPTH} lagen [ ] of {{ }} in elkaar",
        ),
        ('{"a":\n' * 100_000, "de JSON is te diep genest op regel 65, kolom 1"),
        ("1" * 101, "getal met meer dan 100 cijfers"),
    ],
)
def test_whole_file_problem(raw: bytes | str, message: str) -> None:
    ((path, got),) = problems_of(raw)
    assert path == "$"
    assert got.startswith(message)
    assert "\n" not in got


def test_size_is_checked_before_parsing() -> None:
    # Not even valid JSON: the size limit speaks first, so a 50 MB upload costs nothing.
    assert problems_of(b"[" * 6, max_bytes=5) == [("$", "het bestand is groter dan 5 bytes")]


def test_size_of_text_counts_utf8_bytes() -> None:
    assert parse_json('"éé"', max_bytes=6) == "éé"
    assert problems_of('"ééé"', max_bytes=6) == [("$", "het bestand is groter dan 6 bytes")]


def test_nesting_up_to_the_limit_is_fine() -> None:
    assert parse_json("[" * 5 + "]" * 5, max_depth=5) == [[[[[]]]]]
    assert problems_of("[" * 6 + "]" * 6, max_depth=5) == [
        (
            "$",
            "de JSON is te diep genest op regel 1, kolom 6: meer dan 5 lagen [ ] of { } in elkaar",
        )
    ]


@pytest.mark.parametrize(
    ("text", "column"),
    [
        # More brackets than the limit, side by side: shallow, so fine.
        pytest.param("[" + "[[]]," * 50 + "[]]", None, id="many-shallow-brackets"),
        # Too deep only at the end: the message still names the exact place.
        pytest.param("[" + "[]," * 50 + "[[[[[[]]]]]]]", 156, id="deep-after-many-shallow"),
    ],
)
def test_nesting_is_measured_over_the_whole_document(text: str, column: int | None) -> None:
    if column is None:
        assert parse_json(text, max_depth=5) == [[[]]] * 50 + [[]]
    else:
        assert problems_of(text, max_depth=5) == [
            (
                "$",
                f"de JSON is te diep genest op regel 1, kolom {column}: meer dan 5 lagen "
                "[ ] of { } in elkaar",
            )
        ]


def test_brackets_inside_strings_do_not_count_as_nesting() -> None:
    text = '{"a": "' + "[{" * 1000 + '\\"]"}'
    assert parse_json(text, max_depth=1) == {"a": "[{" * 1000 + '"]'}


# --- problems at a place inside the document ------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ('{"a": 1, "a": 2}', [("$.a", "de sleutel 'a' staat twee keer in dit object")]),
        (
            '{"x": [{"id": 1, "id": 1, "id": 1}]}',
            [("$.x[0].id", "de sleutel 'id' staat twee keer")],
        ),
        (
            '{"criteria": {"1.1.1.a": {}, "1.1.1.a": {}}}',
            [("$.criteria['1.1.1.a']", "de sleutel '1.1.1.a' staat twee keer")],
        ),
        ('{"a": NaN}', [("$.a", "NaN is geen geldig getal in JSON")]),
        ("[Infinity, -Infinity]", [("$[0]", "Infinity is"), ("$[1]", "-Infinity is")]),
        ('{"a": [1e999]}', [("$.a[0]", "getal '1e999' is te groot")]),
        ('{"a": "\\ud800"}', [("$.a", "de tekst bevat een ongeldig teken")]),
        ('{"\\udc00": 1}', [("$['\\udc00']", "de sleutel bevat een ongeldig teken")]),
        # Upper-case hex, and a surrogate in the text itself (text handed over as str).
        ('{"a": ["\\uDBFF"]}', [("$.a[0]", "de tekst bevat een ongeldig teken")]),
        ('{"a": "\ud800"}', [("$.a", "de tekst bevat een ongeldig teken")]),
        (
            # Every problem at once, in document order.
            '{"b": NaN, "a": {"c": 1, "c": 2}, "d": [Infinity]}',
            [("$.b", "NaN"), ("$.a.c", "twee keer"), ("$.d[0]", "Infinity")],
        ),
    ],
)
def test_problem_inside_the_document(raw: str, expected: list[tuple[str, str]]) -> None:
    got = problems_of(raw)
    assert [path for path, _ in got] == [path for path, _ in expected]
    for (_, message), (_, fragment) in zip(got, expected, strict=True):
        assert fragment in message


@pytest.mark.parametrize(
    ("raw", "value"),
    [
        (b'\xef\xbb\xbf{"a": 1}', {"a": 1}),  # Notepad's byte order mark
        ('\ufeff{"a": 1}', {"a": 1}),
        ('  {"naam": "José", "n": -0.5, "z": null}\n', {"naam": "José", "n": -0.5, "z": None}),
        ('"\\ud83d\\ude00"', "\U0001f600"),  # a surrogate pair is one valid character
        ("[]", []),
        ("1" * 100, int("1" * 100)),
    ],
)
def test_valid_json_is_parsed(raw: bytes | str, value: object) -> None:
    assert parse_json(raw) == value


@pytest.mark.parametrize(
    ("raw", "kind"),
    [
        ("[]", "een lijst"),
        ('"x"', "tekst"),
        ("3", "een getal"),
        ("null", "null"),
        ("true", "true of false"),
    ],
)
def test_parse_json_object_refuses_other_values(raw: str, kind: str) -> None:
    with pytest.raises(KcmError) as caught:
        parse_json_object(raw)
    message = f"het bestand moet een JSON-object {{...}} zijn, niet {kind}"
    assert caught.value.problems == (Problem((), message),)


# --- files -----------------------------------------------------------------------------------


def test_file_is_read_and_parsed(tmp_path: Path) -> None:
    path = tmp_path / "a.json"
    path.write_bytes(b'{"a": [1, 2]}')
    assert load_json_file(path) == {"a": [1, 2]}


@pytest.mark.parametrize(
    ("is_directory", "message"),
    [(False, "bestand niet gevonden"), (True, "dit is een map, geen bestand")],
)
def test_unreadable_file_gives_one_message(
    tmp_path: Path, is_directory: bool, message: str
) -> None:
    path = tmp_path / "x.json"
    if is_directory:
        path.mkdir()
    with pytest.raises(KcmError) as caught:
        read_file_limited(path)
    assert caught.value.problems == (Problem((), message),)


def test_huge_file_is_refused_naming_the_limit(tmp_path: Path) -> None:
    path = tmp_path / "groot.json"
    with path.open("wb") as f:
        f.truncate(50_000_000)  # sparse: no 50 MB written to disk
    with pytest.raises(KcmError) as caught:
        read_file_limited(path)
    assert caught.value.problems == (Problem((), "het bestand is groter dan 5 MB"),)


def test_file_at_the_limit_is_read(tmp_path: Path) -> None:
    path = tmp_path / "precies.json"
    path.write_bytes(b" " * 9 + b"1")
    assert read_file_limited(path, max_bytes=10) == b" " * 9 + b"1"
    assert DEFAULT_MAX_BYTES == 5 * MB == 5 * 1024 * 1024


@pytest.mark.parametrize(
    ("limit", "text"),
    [
        (1, "1 byte"),
        (999, "999 bytes"),
        (1024, "1 kB"),
        (1500, "1500 bytes"),
        (5 * MB, "5 MB"),
        (20 * 1024 * 1024, "20 MB"),
        (MB + 1024, "1025 kB"),
    ],
)
def test_limits_are_named_in_whole_units(limit: int, text: str) -> None:
    # The checklist page says "groter dan 20 MB" for the same limit (MB = 1024 x 1024 bytes).
    assert format_limit(limit) == text


def test_located_parse_returns_problems_inside_the_document_beside_the_value() -> None:
    value, problems = parse_json_located('{"a": [1, NaN], "b": {"x": 1, "x": 2}, "c": "ok"}')
    assert isinstance(value, dict)
    assert value["c"] == "ok"
    assert [(p.path, p.message) for p in problems] == [
        ("$.a[1]", "NaN is geen geldig getal in JSON"),
        ("$.b.x", "de sleutel 'x' staat twee keer in dit object"),
    ]


@pytest.mark.parametrize("raw", ["", "{", "[" * 100 + "]" * 100, b"\xff"])
def test_located_parse_still_raises_for_the_whole_document(raw: str | bytes) -> None:
    with pytest.raises(KcmError) as caught:
        parse_json_located(raw, max_depth=64)
    assert [p.parts for p in caught.value.problems] == [()]


def test_syntax_errors_are_about_the_whole_document_and_say_where() -> None:
    with pytest.raises(KcmError) as caught:
        parse_json('{\n"a" 1\n}')
    (problem,) = caught.value.problems
    assert problem.parts == ()
    assert problem.message.startswith("ongeldige JSON op regel 2, kolom 5: ")


def test_problems_inside_the_document_carry_their_parts() -> None:
    with pytest.raises(KcmError) as caught:
        parse_json('{"criteria": {"2.4.1.b": {"x": 1, "x": 2}}, "l": [1, 1e999]}')
    assert [p.parts for p in caught.value.problems] == [("criteria", "2.4.1.b", "x"), ("l", 1)]
