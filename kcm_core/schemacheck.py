"""Check parsed JSON against one of our JSON Schemas, with or without the ``jsonschema`` package.

Two engines give the same problems with the same Dutch messages:

- ``"jsonschema"``: the reference implementation (draft 2020-12), used where it is installed
  (command line, build, tests);
- ``"pure"``: a small interpreter of the subset of JSON Schema our schemas use, with no
  dependencies, for the browser (Pyodide). It reads the very same schema file, so the two cannot
  drift apart; ``unsupported_keywords`` lists anything in a schema it would not understand, and a
  test keeps that list empty.

Both engines report raw failures (instance path, keyword, schema node, value); one function turns
those into messages, so wording never depends on the engine.

Keywords inside ``if``/``then``/``else`` are hints for editors about rules that span several
keys (for example "rule 'min_count' needs min_count"). Neither engine reports them: the loader
of each file kind checks those rules itself, with messages that explain the rule.

Patterns follow ECMA-262 (what editors use) where Python differs for our patterns: a final ``$``
matches only at the very end, not before a trailing newline.
"""

from __future__ import annotations

import difflib
import functools
import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal, cast

from kcm_core.errors import PathPart, Problem, quote
from kcm_core.jsonparse import describe

if TYPE_CHECKING:
    from jsonschema.protocols import Validator

Engine = Literal["auto", "jsonschema", "pure"]
# A problem before it becomes a ``Problem``: path parts (sortable) and message.
type Located = tuple[tuple[PathPart, ...], str]

# Keywords the pure engine evaluates, and keywords that only describe (for editors and people).
VALIDATION_KEYWORDS = frozenset(
    {
        "$ref",
        "allOf",
        "type",
        "enum",
        "const",
        "pattern",
        "minLength",
        "maxLength",
        "minimum",
        "maximum",
        "exclusiveMinimum",
        "exclusiveMaximum",
        "items",
        "minItems",
        "maxItems",
        "uniqueItems",
        "properties",
        "required",
        "additionalProperties",
    }
)
EDITOR_ONLY_KEYWORDS = frozenset({"if", "then", "else"})
ANNOTATION_KEYWORDS = frozenset(
    {
        "$schema",
        "$id",
        "$defs",
        "$comment",
        "title",
        "description",
        "default",
        "examples",
        # Shown by VS Code instead of its generic message; our engines use it too.
        "patternErrorMessage",
    }
)

_TYPE_NAMES = {
    "object": "een object {...}",
    "array": "een lijst [...]",
    "string": "tekst",
    "integer": "een geheel getal",
    "number": "een getal",
    "boolean": "true of false",
    "null": "null",
}


@dataclass(frozen=True, slots=True)
class _Failure:
    """One keyword that does not hold for the value at ``path``; ``node`` is the schema object
    that holds the keyword (after following ``$ref``)."""

    path: tuple[PathPart, ...]
    keyword: str
    node: Mapping[str, Any]
    instance: object


@functools.cache
def jsonschema_available() -> bool:
    try:
        import jsonschema  # noqa: F401
    except ImportError:
        return False
    return True


def check(instance: object, schema: Mapping[str, Any], *, engine: Engine = "auto") -> list[Problem]:
    """All structural problems of ``instance`` against ``schema``, sorted by path."""
    return to_problems(check_located(instance, schema, engine=engine))


def check_located(
    instance: object, schema: Mapping[str, Any], *, engine: Engine = "auto"
) -> list[Located]:
    """Like ``check``, as path parts and messages, to merge with problems found elsewhere."""
    if engine == "auto":
        engine = "jsonschema" if jsonschema_available() else "pure"
    if engine == "jsonschema":
        failures = list(_jsonschema_failures(instance, schema))
    elif engine == "pure":
        failures = []
        _pure(instance, schema, (), schema, failures)
    else:
        raise ValueError(f"unknown engine {engine!r}")
    return _messages(failures)


def to_problems(located: Sequence[Located]) -> list[Problem]:
    """Sort by location (array indices numerically), drop exact repeats, make ``Problem``s."""
    unique = dict.fromkeys(located)
    ordered = sorted(unique, key=lambda item: (_path_key(item[0]), item[1]))
    return [Problem(parts, message) for parts, message in ordered]


def search(pattern: str, text: str) -> bool:
    """Whether ``text`` matches a schema ``pattern`` (ECMA-262 semantics for a final ``$``)."""
    return _compiled(pattern).search(text) is not None


def unsupported_keywords(schema: Mapping[str, Any]) -> list[str]:
    """JSON paths (in the schema) of keywords the pure engine does not understand."""
    found: list[str] = []
    known = VALIDATION_KEYWORDS | ANNOTATION_KEYWORDS | EDITOR_ONLY_KEYWORDS

    def walk(node: object, where: str) -> None:
        if not isinstance(node, Mapping):
            if not isinstance(node, bool):
                found.append(f"{where} (geen schema)")
            return
        for key, value in node.items():
            here = f"{where}/{key}"
            if key not in known:
                found.append(here)
            elif key in {"properties", "$defs"}:
                for name, sub in value.items():
                    walk(sub, f"{here}/{name}")
            elif key in {"items", "additionalProperties"}:
                walk(value, here)
            # if/then/else are never evaluated by either engine: anything goes in there.
            elif key == "allOf":
                for i, sub in enumerate(value):
                    walk(sub, f"{here}/{i}")
            elif key == "$ref" and not str(value).startswith("#/"):
                found.append(f"{here} (alleen verwijzingen binnen het schema)")

    walk(schema, "#")
    return found


# --- engines -----------------------------------------------------------------------------------


def _pure(
    instance: object,
    node: Mapping[str, Any],
    path: tuple[PathPart, ...],
    root: Mapping[str, Any],
    out: list[_Failure],
) -> None:
    """Evaluate ``node`` for ``instance``: each keyword independently, as JSON Schema does."""

    def fail(keyword: str) -> None:
        out.append(_Failure(path, keyword, node, instance))

    if "$ref" in node:
        _pure(instance, _resolve(root, node["$ref"]), path, root, out)
    for sub in node.get("allOf", ()):
        _pure(instance, sub, path, root, out)
    if "type" in node and not _is_type(instance, node["type"]):
        fail("type")
    if "enum" in node and not any(_json_equal(instance, v) for v in node["enum"]):
        fail("enum")
    if "const" in node and not _json_equal(instance, node["const"]):
        fail("const")

    if isinstance(instance, str):
        if "pattern" in node and not search(node["pattern"], instance):
            fail("pattern")
        if "minLength" in node and len(instance) < node["minLength"]:
            fail("minLength")
        if "maxLength" in node and len(instance) > node["maxLength"]:
            fail("maxLength")
    elif _is_type(instance, "number"):
        assert isinstance(instance, int | float)
        if "minimum" in node and instance < node["minimum"]:
            fail("minimum")
        if "maximum" in node and instance > node["maximum"]:
            fail("maximum")
        if "exclusiveMinimum" in node and instance <= node["exclusiveMinimum"]:
            fail("exclusiveMinimum")
        if "exclusiveMaximum" in node and instance >= node["exclusiveMaximum"]:
            fail("exclusiveMaximum")
    elif isinstance(instance, list):
        if "minItems" in node and len(instance) < node["minItems"]:
            fail("minItems")
        if "maxItems" in node and len(instance) > node["maxItems"]:
            fail("maxItems")
        if node.get("uniqueItems") is True and _first_repeat(instance) is not None:
            fail("uniqueItems")
        if "items" in node:
            for i, item in enumerate(instance):
                _pure(item, node["items"], (*path, i), root, out)
    elif isinstance(instance, dict):
        if any(name not in instance for name in node.get("required", ())):
            fail("required")
        properties: Mapping[str, Any] = node.get("properties", {})
        for name, sub in properties.items():
            if name in instance:
                _pure(instance[name], sub, (*path, name), root, out)
        extra = node.get("additionalProperties", True)
        if extra is False and any(name not in properties for name in instance):
            fail("additionalProperties")
        elif isinstance(extra, Mapping):
            for name in instance:
                if name not in properties:
                    _pure(instance[name], extra, (*path, name), root, out)


def _jsonschema_failures(instance: object, schema: Mapping[str, Any]) -> Iterator[_Failure]:
    validator = _jsonschema_validator(schema)
    # jsonschema's stubs type instances as JSON-like; ours is whatever the parser produced.
    for error in validator.iter_errors(cast(Any, instance)):
        if _in_editor_only_branch(error.absolute_schema_path):
            continue
        node = error.schema
        assert isinstance(node, Mapping)
        yield _Failure(tuple(error.absolute_path), str(error.validator), node, error.instance)


def _in_editor_only_branch(schema_path: Sequence[str | int]) -> bool:
    skip_next = False
    for part in schema_path:
        if skip_next:  # a property or definition name, not a keyword
            skip_next = False
        elif part in {"properties", "$defs"}:
            skip_next = True
        elif part in EDITOR_ONLY_KEYWORDS:
            return True
    return False


_VALIDATORS: dict[int, tuple[Mapping[str, Any], Validator]] = {}


def _jsonschema_validator(schema: Mapping[str, Any]) -> Validator:
    cached = _VALIDATORS.get(id(schema))
    if cached is not None and cached[0] is schema:
        return cached[1]
    from jsonschema import Draft202012Validator, validators
    from jsonschema.exceptions import ValidationError

    def ecma_pattern(
        validator: Validator, pattern: str, instance: object, _schema: object
    ) -> Iterator[ValidationError]:
        if isinstance(instance, str) and not search(pattern, instance):
            yield ValidationError(f"{instance!r} does not match {pattern!r}")

    extend = cast("Callable[..., type[Validator]]", validators.extend)
    cls = extend(Draft202012Validator, validators={"pattern": ecma_pattern})
    validator = cls(schema)
    if len(_VALIDATORS) >= 16:  # schemas are few and long-lived; never grow without bound
        _VALIDATORS.clear()
    _VALIDATORS[id(schema)] = (schema, validator)
    return validator


# --- messages ----------------------------------------------------------------------------------


def _messages(failures: Sequence[_Failure]) -> list[Located]:
    # A value of the wrong type gets one message; "not one of the allowed values" adds nothing.
    wrong_type = {f.path for f in failures if f.keyword == "type"}
    located: list[Located] = []
    for f in failures:
        if f.keyword != "type" and f.path in wrong_type:
            continue
        located.extend(_describe_failure(f))
    return located


def _describe_failure(f: _Failure) -> list[Located]:
    node, value = f.node, f.instance
    keyword_value: Any = node.get(f.keyword)
    if f.keyword == "type":
        return [(f.path, f"moet {_expected_type(keyword_value)} zijn, niet {_found(value)}")]
    if f.keyword == "required" and isinstance(value, dict):
        # A misspelt key ("titel") already gets "unknown key; did you mean 'title'?": saying
        # that 'title' is missing as well would report one mistake twice.
        suggested = {_close_match(name, node) for name in _unknown_keys(value, node)}
        return [
            (f.path, f"de verplichte sleutel {quote(name)} ontbreekt")
            for name in keyword_value
            if name not in value and name not in suggested
        ]
    if f.keyword == "additionalProperties" and isinstance(value, dict):
        allowed = list(node.get("properties", {}))
        return [
            ((*f.path, name), _unknown_key_message(name, allowed))
            for name in _unknown_keys(value, node)
        ]
    if f.keyword == "enum":
        options = ", ".join(quote(v) for v in keyword_value)
        return [(f.path, f"moet een van deze waarden zijn: {options} (gevonden: {quote(value)})")]
    if f.keyword == "const":
        return [(f.path, f"moet {quote(keyword_value)} zijn (gevonden: {quote(value)})")]
    if f.keyword == "pattern" and isinstance(value, str):
        text = node.get("patternErrorMessage") or f"heeft niet de vorm {quote(keyword_value)}"
        return [(f.path, text + (f" (gevonden: {quote(value)})" if value.strip() else ""))]
    if f.keyword == "minLength":
        return [(f.path, f"moet minstens {keyword_value} tekens hebben")]
    if f.keyword == "maxLength" and isinstance(value, str):
        return [(f.path, f"mag hoogstens {keyword_value} tekens hebben (nu {len(value)})")]
    if f.keyword == "minItems":
        if keyword_value == 1:
            return [(f.path, "de lijst mag niet leeg zijn")]
        return [(f.path, f"de lijst moet minstens {keyword_value} elementen hebben")]
    if f.keyword == "maxItems":
        return [(f.path, f"de lijst mag hoogstens {keyword_value} elementen hebben")]
    if f.keyword == "uniqueItems" and isinstance(value, list):
        index = _first_repeat(value)
        if index is not None:
            message = f"de waarde {quote(value[index])} staat al eerder in deze lijst"
            return [((*f.path, index), message)]
    bounds = {
        "minimum": "moet minstens {} zijn",
        "maximum": "mag hoogstens {} zijn",
        "exclusiveMinimum": "moet groter dan {} zijn",
        "exclusiveMaximum": "moet kleiner dan {} zijn",
    }
    if f.keyword in bounds:
        limit = bounds[f.keyword].format(quote(keyword_value))
        return [(f.path, f"{limit} (gevonden: {quote(value)})")]
    # Only reachable with a schema keyword the pure engine does not support (a test prevents it).
    return [(f.path, f"voldoet niet aan de regel {quote(f.keyword)} van het schema")]


def _unknown_keys(value: Mapping[str, Any], node: Mapping[str, Any]) -> list[str]:
    if node.get("additionalProperties", True) is not False:
        return []
    allowed = node.get("properties", {})
    return [name for name in value if name not in allowed]


def _close_match(name: str, node: Mapping[str, Any]) -> str | None:
    close = difflib.get_close_matches(name, list(node.get("properties", {})), n=1, cutoff=0.75)
    return close[0] if close else None


def _unknown_key_message(name: str, allowed: Sequence[str]) -> str:
    close = difflib.get_close_matches(name, allowed, n=1, cutoff=0.75)
    if close:
        return f"onbekende sleutel {quote(name)}; bedoelt u {quote(close[0])}?"
    if not allowed:
        return f"onbekende sleutel {quote(name)}; hier horen geen sleutels"
    return f"onbekende sleutel {quote(name)}; toegestaan: {', '.join(quote(a) for a in allowed)}"


def _expected_type(expected: object) -> str:
    names = expected if isinstance(expected, list) else [expected]
    return " of ".join(_TYPE_NAMES.get(str(n), str(n)) for n in names)


def _found(value: object) -> str:
    if isinstance(value, int | float) and not isinstance(value, bool):
        return quote(value)
    if isinstance(value, str | bool):
        return f"{describe(value)} ({quote(value)})"
    return describe(value)


# --- JSON Schema semantics shared by the pure engine -------------------------------------------


def _is_type(value: object, expected: object) -> bool:
    if isinstance(expected, list):
        return any(_is_type(value, e) for e in expected)
    if expected == "object":
        return isinstance(value, dict)
    if expected == "array":
        return isinstance(value, list)
    if expected == "string":
        return isinstance(value, str)
    if expected == "boolean":
        return isinstance(value, bool)
    if expected == "null":
        return value is None
    if isinstance(value, bool):  # bool is an int subclass in Python, never a number in JSON
        return False
    if expected == "number":
        return isinstance(value, int | float)
    if expected == "integer":
        # Draft 2020-12: 2.0 is an integer (jsonschema agrees).
        return isinstance(value, int) or (isinstance(value, float) and value.is_integer())
    return False


def _json_equal(a: object, b: object) -> bool:
    """JSON equality for scalars: true is not 1, 1 is 1.0."""
    if isinstance(a, bool) or isinstance(b, bool):
        return isinstance(a, bool) and isinstance(b, bool) and a == b
    return a == b


def _first_repeat(items: Sequence[object]) -> int | None:
    """Index of the first item equal to an earlier one (JSON equality), or None."""
    seen_hashable: set[tuple[bool, object]] = set()
    seen_other: list[object] = []
    for i, item in enumerate(items):
        if isinstance(item, str | int | float | bool) or item is None:
            key = (isinstance(item, bool), item)
            if key in seen_hashable:
                return i
            seen_hashable.add(key)
        else:
            if any(other == item for other in seen_other):
                return i
            seen_other.append(item)
    return None


def _resolve(root: Mapping[str, Any], ref: str) -> Mapping[str, Any]:
    if not ref.startswith("#/"):
        raise ValueError(f"only local $ref is supported, not {ref!r}")
    node: Any = root
    for token in ref[2:].split("/"):
        node = node[token.replace("~1", "/").replace("~0", "~")]
    if not isinstance(node, Mapping):
        raise ValueError(f"$ref {ref!r} does not point to a schema")
    return node


@functools.lru_cache(maxsize=256)
def _compiled(pattern: str) -> re.Pattern[str]:
    # ECMA-262: "$" (without the m flag) matches only at the end; in Python also before a final
    # "\n". Our patterns use "$" only as the final anchor.
    if pattern.endswith("$") and not pattern.endswith("\\$"):
        pattern = pattern[:-1] + r"\Z"
    return re.compile(pattern)


def _path_key(parts: Sequence[PathPart]) -> tuple[tuple[int, int, str], ...]:
    return tuple((0, p, "") if isinstance(p, int) else (1, 0, p) for p in parts)
