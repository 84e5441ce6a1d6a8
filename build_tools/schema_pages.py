"""The formats page's reference tables, made from a JSON Schema's own titles and descriptions.

Plain functions (build_tools.pages re-exports :func:`schema_reference`); the page documents a
format with the words of its schema, so the two cannot drift apart.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any, Final

from build_tools.page_text import PageError, md_escape

__all__ = ["schema_reference"]


def _resolve(schema: Mapping[str, Any], node: Mapping[str, Any]) -> Mapping[str, Any]:
    """Follow a local ``$ref`` ('#/$defs/x'); the node's own title/description win."""
    ref = node.get("$ref")
    if not isinstance(ref, str):
        return node
    if not ref.startswith("#/"):
        raise PageError(f"schema reference {ref!r} is not local")
    target: Any = schema
    for part in ref[2:].split("/"):
        if not isinstance(target, Mapping) or part not in target:
            raise PageError(f"schema reference {ref!r} points nowhere")
        target = target[part]
    if not isinstance(target, Mapping):
        raise PageError(f"schema reference {ref!r} is not a schema")
    merged = dict(_resolve(schema, target))
    merged.update({k: v for k, v in node.items() if k != "$ref"})
    return merged


def _children(node: Mapping[str, Any]) -> list[tuple[str | None, Mapping[str, Any]]]:
    """Sub-schemas that describe structure, with the property name they sit under (if any).

    Constraint keywords (allOf, if/then/else, not) only restate fields already listed.
    """
    found: list[tuple[str | None, Mapping[str, Any]]] = []
    for key in ("oneOf", "anyOf"):
        found += [(None, n) for n in node.get(key, ()) if isinstance(n, Mapping)]
    for key in ("items", "additionalProperties"):
        value = node.get(key)
        if isinstance(value, Mapping):
            found.append((None, value))
    for name, value in (node.get("properties") or {}).items():
        if isinstance(value, Mapping):
            found.append((name, value))
    return found


_JSON_TYPES: Final = {
    "string": "tekst",
    "boolean": "true/false",
    "integer": "geheel getal",
    "number": "getal",
    "array": "lijst",
    "object": "object",
    "null": "null",
}


def _kind(schema: Mapping[str, Any], raw: Mapping[str, Any]) -> str:
    """What kind of value a property holds, in a few Dutch words."""
    node = _resolve(schema, raw)
    if "const" in node:
        return f"`{json.dumps(node['const'], ensure_ascii=False)}`"
    if "enum" in node:
        return " of ".join(f"`{json.dumps(v, ensure_ascii=False)}`" for v in node["enum"])
    types = node.get("type")
    if isinstance(types, str):
        kind = _JSON_TYPES.get(types, types)
        items = node.get("items")
        if types == "array" and isinstance(items, Mapping):
            item = _resolve(schema, items)
            # "lijst van Kopveld" points at the table of that name further down.
            kind += (
                f" van {md_escape(str(item['title']))}"
                if item.get("title")
                else (f" van {_kind(schema, items)}")
            )
        return kind
    if isinstance(types, list):
        return " of ".join(_JSON_TYPES.get(str(t), str(t)) for t in types)
    for key in ("oneOf", "anyOf"):
        if isinstance(node.get(key), list):
            return " of ".join(_kind(schema, n) for n in node[key] if isinstance(n, Mapping))
    if "properties" in node:
        return "object"
    return "-"


def schema_reference(schema: Mapping[str, Any], heading_level: int = 3) -> str:
    """Markdown tables of every object in a JSON Schema, from its own titles and descriptions.

    The page documents the format with the words of the schema itself, so the two cannot drift
    apart. Objects appear in the order they are reached from the root.
    """
    sections: list[str] = []
    seen: set[int] = set()
    queue: list[tuple[str, Mapping[str, Any]]] = [("", schema)]
    visited: set[int] = set()  # raw schema nodes already walked: recursive schemas end
    while queue:
        context, raw = queue.pop(0)
        if id(raw) in visited:
            continue
        visited.add(id(raw))
        node = _resolve(schema, raw)
        properties = node.get("properties")
        if isinstance(properties, Mapping) and properties and id(properties) not in seen:
            seen.add(id(properties))
            title = str(node.get("title") or context or "Object")
            required = set(node.get("required", ()))
            lines = [f"{'#' * heading_level} {md_escape(title)}", ""]
            if node.get("description"):
                lines += [md_escape(str(node["description"])), ""]
            lines += ["| Veld | Soort | Verplicht | Betekenis |", "| --- | --- | --- | --- |"]
            for name, raw_child in properties.items():
                child = _resolve(schema, raw_child) if isinstance(raw_child, Mapping) else {}
                meaning = " ".join(
                    part
                    for part in (
                        f"**{md_escape(str(child['title']))}.**" if child.get("title") else "",
                        md_escape(str(child.get("description", ""))),
                    )
                    if part
                )
                kind = _kind(schema, raw_child) if isinstance(raw_child, Mapping) else "-"
                lines.append(
                    f"| `{name}` | {kind} | {'ja' if name in required else 'nee'} "
                    f"| {meaning or '-'} |"
                )
            sections.append("\n".join(lines))
        elif isinstance(properties, Mapping) and id(properties) in seen:
            continue
        for name, child in _children(node):
            label = f"{node.get('title') or context}: veld {name}" if name else context
            queue.append((str(label), child))
    return "\n\n".join(sections)
