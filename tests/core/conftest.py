"""Fixtures for the kcm_core tests, which run on CPython and inside Pyodide (under Node).

Files are found relative to this file, so the tests work from any directory and inside Pyodide
when the repository is mounted there; a fixture whose file is missing skips the test with the
reason instead of failing it.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest

from kcm_core.model import Rubric
from kcm_core.rubric_load import load_rubric_file
from kcm_core.schemacheck import Engine, jsonschema_available

REPO_ROOT = Path(__file__).resolve().parents[2]
KCM_RUBRIC_PATH = REPO_ROOT / "rubric" / "klantcontact.json"


@pytest.fixture(scope="session")
def kcm_rubric_path() -> Path:
    """Path of the repository's KCM rubric (rubric/klantcontact.json)."""
    if not KCM_RUBRIC_PATH.is_file():
        pytest.skip(f"{KCM_RUBRIC_PATH} is not available here")
    return KCM_RUBRIC_PATH


@pytest.fixture(scope="session")
def _kcm_rubric_pristine(kcm_rubric_path: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(kcm_rubric_path.read_text(encoding="utf-8"))
    return data


@pytest.fixture
def kcm_rubric_data(_kcm_rubric_pristine: dict[str, Any]) -> dict[str, Any]:
    """The KCM rubric as parsed JSON: a fresh deep copy per test, free to modify."""
    return copy.deepcopy(_kcm_rubric_pristine)


@pytest.fixture(scope="session")
def kcm_rubric(kcm_rubric_path: Path) -> Rubric:
    """The KCM rubric, loaded and validated by the real loader."""
    return load_rubric_file(kcm_rubric_path)


@pytest.fixture(params=["jsonschema", "pure"])
def schema_engine(request: pytest.FixtureRequest) -> Engine:
    """Each structure-check engine in turn: a test using this runs once per engine. The pure
    engine is what runs in the browser; "jsonschema" is skipped where it is not installed."""
    engine: Engine = request.param
    if engine == "jsonschema" and not jsonschema_available():
        pytest.skip("jsonschema is not installed (as in the browser)")
    return engine
