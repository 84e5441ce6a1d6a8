"""Strict JSON loading for files that people make by hand or that arrive as uploads.

``json.loads`` alone is too lenient and too fragile for that: it accepts ``NaN`` and duplicate
keys (keeping the last one silently), turns ``1e999`` into infinity, lets lone surrogates through
(which later fail to encode as UTF-8), and deep nesting ends in ``RecursionError`` (or, inside
Pyodide, may exhaust the WebAssembly stack). This module checks all of that and reports a
one-line Dutch message with a JSON path, or line and column for syntax errors, as ``KcmError``.

Limits are explicit parameters so that each file kind picks its own (rubrics and assessment
files use the defaults below). The size limit is checked before any decoding or parsing.
"""

from __future__ import annotations

import json
import math
import os
import re
from collections.abc import Callable
from itertools import accumulate
from typing import Any

from kcm_core.errors import KcmError, PathPart, Problem, quote

# Limits are whole MB (1024 x 1024 bytes), so every message and the checklist page name the same
# number ("groter dan 20 MB"); see format_limit.
MB = 1024 * 1024
# A hand-made rubric or an export of many assessments is a few hundred kB at most; 5 MB leaves
# ample room while keeping parsing (also inside Pyodide) well under a second.
DEFAULT_MAX_BYTES = 5 * MB
# The KCM rubric nests 9 levels deep; no sensible file of ours needs more than a few dozen.
DEFAULT_MAX_DEPTH = 64
# Longer integers are not data a person typed; Python itself refuses > 4300 digits.
MAX_INTEGER_DIGITS = 100

_JSON_WHITESPACE = " \t\n\r"
# A complete JSON string (escapes included) or a bracket: used to measure nesting without
# recursion and without being misled by brackets inside strings.
_STRING = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"', re.DOTALL)
_DEPTH_TOKEN = re.compile(_STRING.pattern + r"|[\[\]{}]", re.DOTALL)
# The same measure in C-speed steps (a 20 MB export: 0.6 s less): strings out, then everything
# but brackets out, then the running depth. Only a document that is too deep is walked token
# by token, for the line and column of the message.
_NOT_BRACKET = re.compile(r"[^\[\]{}]+")
_DEPTH_STEP = {"[": 1, "{": 1, "]": -1, "}": -1}
_LONE_SURROGATE = re.compile(r"[\ud800-\udfff]")
# Where a parsed string may hold a lone surrogate: a surrogate in the text itself (a str
# argument) or a \uD800-\uDFFF escape. Without either, no string can hold one.
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")

# Python's messages (3.12-3.14, C and pure-Python scanner), by prefix, in Dutch.
_SYNTAX_MESSAGES: tuple[tuple[str, str], ...] = (
    ("Expecting value", "hier hoort een waarde (tekst, getal, true, false, null, [ of {)"),
    (
        "Expecting property name enclosed in double quotes",
        'hier hoort een sleutel tussen dubbele aanhalingstekens, zoals "id"',
    ),
    ("Expecting ':' delimiter", "hier hoort een dubbele punt ':' na de sleutel"),
    ("Expecting ',' delimiter", "hier hoort een komma ',' of een sluithaakje"),
    ("Illegal trailing comma before end of object", "komma te veel voor de '}'"),
    ("Illegal trailing comma before end of array", "komma te veel voor de ']'"),
    ("Unterminated string", "de tekst die hier begint, heeft geen sluitend aanhalingsteken"),
    (
        "Invalid control character",
        "in een tekst staat een regeleinde, tab of ander stuurteken; schrijf \\n of \\t",
    ),
    ("Invalid \\uXXXX escape", "ongeldige \\u-code; gebruik vier hexadecimale cijfers"),
    ("Invalid \\escape", "ongeldige backslash-code; gebruik \\\\ voor een backslash"),
    ("Extra data", "na het einde van de JSON staat nog tekst"),
)


class _Invalid:
    """Stands in for a value that JSON allows syntactically but we do not (``NaN``, ``1e999``)."""

    __slots__ = ("message",)

    def __init__(self, message: str) -> None:
        self.message = message


def parse_json(
    raw: bytes | str,
    *,
    max_bytes: int = DEFAULT_MAX_BYTES,
    max_depth: int = DEFAULT_MAX_DEPTH,
) -> object:
    """Parse one JSON document strictly; raise ``KcmError`` listing every problem.

    ``raw`` is the file content: bytes must be UTF-8 (a UTF-8 byte order mark is ignored).
    Rejected: input above ``max_bytes`` (UTF-8 bytes), an empty file, syntax errors (with line
    and column), nesting deeper than ``max_depth``, duplicate keys in one object, ``NaN`` and
    ``Infinity``, numbers too large to be real data, and text with lone surrogates.
    """
    value, problems = parse_json_located(raw, max_bytes=max_bytes, max_depth=max_depth)
    if problems:
        raise KcmError(problems)
    return value


def parse_json_located(
    raw: bytes | str,
    *,
    max_bytes: int = DEFAULT_MAX_BYTES,
    max_depth: int = DEFAULT_MAX_DEPTH,
) -> tuple[object, tuple[Problem, ...]]:
    """Like ``parse_json``, but problems at a place inside the document (a duplicate key, NaN,
    a lone surrogate) are returned beside the value instead of raised, so that a caller can set
    aside only the part that holds them (one record of a collection). Problems of the whole
    document (size, encoding, syntax, depth) still raise ``KcmError``.

    Nothing under the path of a returned problem may be used: a refused value stays in the data
    as a marker that is no JSON type.
    """
    if _utf8_size(raw, max_bytes) > max_bytes:
        raise _error(too_large_message(max_bytes))
    text = _decode(raw) if isinstance(raw, bytes) else raw.removeprefix("\ufeff")
    if not text.strip(_JSON_WHITESPACE):
        raise _error("het bestand is leeg" if not text else "het bestand bevat alleen witruimte")
    _check_depth(text, max_depth)

    duplicates: dict[int, list[str]] = {}
    # How many values the hooks refused (NaN, a too long integer, a too large float).
    refused = [0]

    def refusing[T](hook: Callable[[str], T]) -> Callable[[str], T]:
        def wrapped(text: str) -> T:
            value = hook(text)
            if isinstance(value, _Invalid):
                refused[0] += 1
            return value

        return wrapped

    def object_pairs(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        obj = dict(pairs)
        if len(obj) != len(pairs):
            seen: set[str] = set()
            dups = duplicates.setdefault(id(obj), [])
            for key, _ in pairs:
                if key in seen and key not in dups:
                    dups.append(key)
                seen.add(key)
        return obj

    try:
        value = json.loads(
            text,
            object_pairs_hook=object_pairs,
            parse_constant=refusing(_parse_constant),
            parse_int=refusing(_parse_int),
            parse_float=refusing(_parse_float),
        )
    except json.JSONDecodeError as exc:
        raise _error(syntax_message(exc.msg, exc.lineno, exc.colno)) from None
    if not (
        duplicates or refused[0] or _LONE_SURROGATE.search(text) or _SURROGATE_ESCAPE.search(text)
    ):
        # Nothing for the walk to find (it would take longer than the parse itself).
        return value, ()
    return value, tuple(_check_values(value, duplicates))


def parse_json_object(
    raw: bytes | str,
    *,
    max_bytes: int = DEFAULT_MAX_BYTES,
    max_depth: int = DEFAULT_MAX_DEPTH,
) -> dict[str, Any]:
    """Like ``parse_json``, but the document must be a JSON object (``{...}``)."""
    value = parse_json(raw, max_bytes=max_bytes, max_depth=max_depth)
    if not isinstance(value, dict):
        raise _error(f"het bestand moet een JSON-object {{...}} zijn, niet {describe(value)}")
    return value


def read_file_limited(path: str | os.PathLike[str], *, max_bytes: int = DEFAULT_MAX_BYTES) -> bytes:
    """Read a file's bytes, never more than ``max_bytes`` + 1; raise ``KcmError`` on failure.

    A huge file is refused after reading just past the limit, so a 50 MB mistake costs nothing.
    """
    try:
        with open(path, "rb") as f:
            data = f.read(max_bytes + 1)
            if len(data) > max_bytes:
                raise _error(too_large_message(max_bytes))
    except FileNotFoundError:
        raise _error("bestand niet gevonden") from None
    except IsADirectoryError:
        raise _error("dit is een map, geen bestand") from None
    except PermissionError:
        raise _error("geen toestemming om het bestand te lezen") from None
    except OSError as exc:
        raise _error(f"het bestand kan niet worden gelezen ({exc.strerror or exc})") from None
    return data


def load_json_file(
    path: str | os.PathLike[str],
    *,
    max_bytes: int = DEFAULT_MAX_BYTES,
    max_depth: int = DEFAULT_MAX_DEPTH,
) -> object:
    """``parse_json`` on the content of a file (read with ``read_file_limited``)."""
    raw = read_file_limited(path, max_bytes=max_bytes)
    return parse_json(raw, max_bytes=max_bytes, max_depth=max_depth)


def syntax_message(msg: str, line: int, column: int) -> str:
    """The Dutch message for a ``json.JSONDecodeError`` (its ``msg``, ``lineno``, ``colno``)."""
    dutch = next((nl for prefix, nl in _SYNTAX_MESSAGES if msg.startswith(prefix)), msg)
    return f"ongeldige JSON op regel {line}, kolom {column}: {dutch}"


def too_large_message(max_bytes: int) -> str:
    """The message for a file above ``max_bytes``, worded as the checklist page words it."""
    return f"het bestand is groter dan {format_limit(max_bytes)}"


def format_limit(max_bytes: int) -> str:
    """A byte limit as people read it: '20 MB' (MB = 1024 x 1024 bytes), else '5 kB' or
    '812 bytes'. The one formatter of sizes in messages: the limit, never a rounded size."""
    if max_bytes >= MB and max_bytes % MB == 0:
        return f"{max_bytes // MB} MB"
    if max_bytes >= 1024 and max_bytes % 1024 == 0:
        return f"{max_bytes // 1024} kB"
    return "1 byte" if max_bytes == 1 else f"{max_bytes} bytes"


def describe(value: object) -> str:
    """What kind of JSON value this is, in Dutch ('een lijst', 'tekst', ...)."""
    if isinstance(value, dict):
        return "een object"
    if isinstance(value, list):
        return "een lijst"
    if isinstance(value, str):
        return "tekst"
    if isinstance(value, bool):
        return "true of false"
    if isinstance(value, int | float):
        return "een getal"
    if value is None:
        return "null"
    return type(value).__name__


def _error(message: str) -> KcmError:
    return KcmError([Problem((), message)])


def _utf8_size(raw: bytes | str, max_bytes: int) -> int:
    if isinstance(raw, bytes):
        return len(raw)
    # Every character is at least one byte: a long string is too large without encoding it.
    if len(raw) > max_bytes:
        return len(raw)
    return len(raw.encode("utf-8", "surrogatepass"))


def _decode(raw: bytes) -> str:
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    elif raw.startswith((b"\xff\xfe", b"\xfe\xff")) or (len(raw) >= 2 and 0 in raw[:2]):
        raise _error("het bestand is opgeslagen als UTF-16 of UTF-32; sla het op als UTF-8")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        pos = exc.start
        line = raw.count(b"\n", 0, pos) + 1
        line_start = raw.rfind(b"\n", 0, pos) + 1
        column = len(raw[line_start:pos].decode("utf-8", "replace")) + 1
        raise _error(
            f"geen geldige UTF-8 op regel {line}, kolom {column} (byte 0x{raw[pos]:02x}); "
            "sla het bestand op als UTF-8"
        ) from None


def _check_depth(text: str, max_depth: int) -> None:
    # Fast path: with no more opening brackets than the limit, nesting cannot exceed it.
    if text.count("[") + text.count("{") <= max_depth:
        return
    brackets = _NOT_BRACKET.sub("", _STRING.sub("", text))
    if max(accumulate(map(_DEPTH_STEP.__getitem__, brackets)), default=0) <= max_depth:
        return
    depth = 0
    for match in _DEPTH_TOKEN.finditer(text):
        char = text[match.start()]
        if char in "[{":
            depth += 1
            if depth > max_depth:
                pos = match.start()
                line = text.count("\n", 0, pos) + 1
                column = pos - (text.rfind("\n", 0, pos) + 1) + 1
                raise _error(
                    f"de JSON is te diep genest op regel {line}, kolom {column}: "
                    f"meer dan {max_depth} lagen [ ] of {{ }} in elkaar"
                )
        elif char in "]}":
            depth -= 1


def _parse_constant(name: str) -> _Invalid:
    return _Invalid(f"{name} is geen geldig getal in JSON")


def _parse_int(digits: str) -> int | _Invalid:
    if len(digits) > MAX_INTEGER_DIGITS:
        return _Invalid(f"getal met meer dan {MAX_INTEGER_DIGITS} cijfers")
    return int(digits)


def _parse_float(text: str) -> float | _Invalid:
    value = float(text)
    if not math.isfinite(value):
        return _Invalid(f"getal {quote(text)} is te groot")
    return value


# A path as a chain of (parent, key-or-index) links: building the parts of every path in a large
# document would cost more than the whole parse, and only paths of problems are ever needed.
type _PathLink = tuple[_PathLink, PathPart] | None


def _path_parts(link: _PathLink) -> tuple[PathPart, ...]:
    parts: list[PathPart] = []
    while link is not None:
        link, part = link
        parts.append(part)
    return tuple(reversed(parts))


def _check_values(root: object, duplicates: dict[int, list[str]]) -> list[Problem]:
    """Walk the parsed document for what the parser hooks could only mark, in document order.

    The walk is iterative: depth is already limited, but a stack never overflows anyway.
    """
    problems: list[Problem] = []
    stack: list[tuple[object, _PathLink]] = [(root, None)]
    while stack:
        value, link = stack.pop()
        if isinstance(value, dict):
            for key in duplicates.get(id(value), ()):
                message = f"de sleutel {quote(key)} staat twee keer in dit object"
                problems.append(Problem(_path_parts((link, key)), message))
            for key in value:
                if _LONE_SURROGATE.search(key):
                    problems.append(
                        Problem(_path_parts((link, key)), _surrogate_message("de sleutel"))
                    )
            # Pushed in reverse so that members are visited in document order.
            stack.extend((value[key], (link, key)) for key in reversed(value))
        elif isinstance(value, list):
            stack.extend((value[i], (link, i)) for i in range(len(value) - 1, -1, -1))
        elif isinstance(value, str):
            if _LONE_SURROGATE.search(value):
                problems.append(Problem(_path_parts(link), _surrogate_message("de tekst")))
        elif isinstance(value, _Invalid):
            problems.append(Problem(_path_parts(link), value.message))
    return problems


def _surrogate_message(what: str) -> str:
    return f"{what} bevat een ongeldig teken (een losse surrogaatcode zoals \\ud800)"
