"""What a default build writes into engine.json, shared by the engine and snapshot tests."""

from __future__ import annotations


def default_manifest(base: str) -> dict[str, str]:
    """engine.json of a default build whose content-addressed folder is ``base`` ("<hash>/");
    every path is relative to engine.json's folder."""
    return {
        "pyodide_version": "314.0.7",
        "python_version": "3.14.2",
        "base": base,
        "stdlib": base + "python_stdlib_pyc.zip",
        "stdlib_sources": base + "python_stdlib_src.zip",
        "lock": base + "pyodide-lock.json",
        "package": "kcm-core",
        "wheel": base + "kcm_core-1.0.0-py3-none-any.whl",
        "rubric": "rubric.json",
        "rubrics": "rubrics.json",
    }
