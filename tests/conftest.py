"""Fixtures shared by tests/site and tests/e2e.

tests/core also runs inside Pyodide, where pytest loads this file too: import nothing here at
module level but pytest and the standard library. Heavy imports (build_tools, mkdocs) happen
inside the fixtures, which tests/core never asks for.
"""

from __future__ import annotations

from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parent.parent
KCM_RUBRIC = REPO_ROOT / "rubric" / "klantcontact.json"


@pytest.fixture(scope="session")
def built_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The real site, built once per test session into a temporary folder.

    All build steps run (``build_tools.site.build_site``): MkDocs pages, checklist, engine and
    the offline post-build, exactly as ``make site`` makes ``site/``. The build tests in
    tests/site read it, and the end-to-end tests serve it (tests/e2e/conftest.py's
    ``site_dir``). Treat it as read-only: tests that change files work on a copy.
    """
    from build_tools.site import build_site

    out = tmp_path_factory.mktemp("built") / "site"
    build_site(out, KCM_RUBRIC)
    return out


@pytest.fixture(scope="session")
def built_snapshot_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The real site built with the ``--snapshot`` build option (a Pyodide memory snapshot in
    the engine folder), once per test session, for tests/site/test_snapshot_build.py and
    tests/e2e/test_snapshot_checklist.py. Read-only, like ``built_site``."""
    from build_tools.site import build_site

    out = tmp_path_factory.mktemp("built-snapshot") / "site"
    build_site(out, KCM_RUBRIC, snapshot=True)
    return out


TEST_RUBRICS = REPO_ROOT / "tests" / "data" / "rubrics"


def multi_rubric_folder(folder: Path) -> Path:
    """A rubric folder as a maintainer would have it with two exams: KCM (the main rubric),
    the test data's teamleider rubric (1.1.0) and its archived 1.0.0, and the schema."""
    import shutil

    shutil.copytree(TEST_RUBRICS, folder)
    shutil.copy(KCM_RUBRIC, folder / KCM_RUBRIC.name)
    shutil.copy(REPO_ROOT / "rubric" / "schema.json", folder / "schema.json")
    return folder


@pytest.fixture(scope="session")
def built_multi_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The site built from a folder with a second rubric and an archived older version of it
    (``multi_rubric_folder``), once per session; read-only like ``built_site``."""
    from build_tools.site import build_site

    base = tmp_path_factory.mktemp("built-multi")
    out = base / "site"
    build_site(out, multi_rubric_folder(base / "rubric"))
    return out
