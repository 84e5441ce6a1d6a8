"""Python that runs INSIDE Pyodide under Node, for the build_tools/*.mjs scripts.

The scripts read this file and run it with ``pyodide.runPython``; they then call the functions
below. It must therefore import nothing from build_tools or the repository, only the standard
library (and pytest/hypothesis, which the test runner installs first).

- ``compile_tree``: byte-compile sources with Pyodide's own CPython (same version and magic
  number as the browser engine), for the precompiled standard library and the kcm_core wheel.
- ``engine_scenario``: what the checklist worker does (browser API init, new draft, score, a
  bad assessment); ``imported_modules``: which modules that imported, to measure what the
  engine needs.
- ``run_pytest``: the kcm_core test suite inside Pyodide, with a check that kcm_core really
  comes from the installed wheel and not from the repository.
"""

from __future__ import annotations

import importlib.util
import json
import os
import sys
from typing import Any

# The Hypothesis profile inside Pyodide: WebAssembly is a few times slower than native CPython,
# so time limits are off; the number of examples changes only with KCM_PYODIDE_MAX_EXAMPLES.
HYPOTHESIS_PROFILE = "kcm-pyodide"


def runtime_info() -> str:
    """The facts a .pyc file depends on, as JSON."""
    return json.dumps(
        {
            "python_version": ".".join(str(part) for part in sys.version_info[:3]),
            "cache_tag": sys.implementation.cache_tag,
            "magic": importlib.util.MAGIC_NUMBER.hex(),
        }
    )


def compile_tree(src_root: str, out_root: str, dfile_prefix: str) -> int:
    """Compile every ``.py`` below ``src_root`` to ``out_root/<same path>.pyc``.

    ``dfile_prefix`` + the relative path becomes the file name stored in the code objects, so
    tracebacks name the place the module lives at run time. The .pyc files are hash-based and
    unchecked: nothing compares them with a source file at import, which is the whole point.
    """
    import py_compile  # here, so the engine measurement does not count it as an engine import

    count = 0
    for directory, _subdirs, files in os.walk(src_root):
        for name in sorted(files):
            if not name.endswith(".py"):
                continue
            source = os.path.join(directory, name)
            relative = os.path.relpath(source, src_root)
            target = os.path.join(out_root, relative[: -len(".py")] + ".pyc")
            os.makedirs(os.path.dirname(target), exist_ok=True)
            py_compile.compile(
                source,
                cfile=target,
                dfile=dfile_prefix + relative,
                doraise=True,
                invalidation_mode=py_compile.PycInvalidationMode.UNCHECKED_HASH,
            )
            count += 1
    return count


def imported_modules() -> str:
    """Every imported module with the file it came from (None for built-in ones), as JSON."""
    found: dict[str, str | None] = {}
    for name, module in sorted(sys.modules.items()):
        found[name] = getattr(module, "__file__", None)
    return json.dumps(found)


def _installed_wheel_files() -> tuple[set[str], str]:
    """Files of the installed kcm-core distribution, and where Pyodide installed it from."""
    from importlib.metadata import distribution

    dist = distribution("kcm-core")
    files = {os.path.realpath(str(dist.locate_file(f))) for f in dist.files or ()}
    # loadPackage writes PYODIDE_SOURCE: "pyodide" when the wheel came through the lock file.
    return files, (dist.read_text("PYODIDE_SOURCE") or "").strip()


def _kcm_core_outside_wheel(wheel_files: set[str]) -> list[str]:
    """Loaded kcm_core modules whose file is not one of the installed wheel's files."""
    wrong = []
    for name, module in sorted(sys.modules.items()):
        if name == "kcm_core" or name.startswith("kcm_core."):
            path = getattr(module, "__file__", None) or ""
            if os.path.realpath(path) not in wheel_files:
                wrong.append(f"{name} from {path or '?'}")
    return wrong


class WheelOnlyPlugin:
    """Fails the run unless kcm_core comes from the wheel that loadPackage installed.

    Checked at session start (after the conftest files ran) and again at the end, because
    test modules import kcm_core submodules while they are collected and run.
    """

    def __init__(self) -> None:
        self.wheel_files, self.source = _installed_wheel_files()

    def pytest_sessionstart(self, session: Any) -> None:
        import pytest

        import kcm_core

        problems = _kcm_core_outside_wheel(self.wheel_files)
        if self.source != "pyodide":
            problems.append(f"kcm-core was not installed from the lock file ({self.source!r})")
        if problems:
            pytest.exit("kcm_core must come from the installed wheel: " + "; ".join(problems), 3)
        print(f"kcm_core comes from the installed wheel: {os.path.dirname(kcm_core.__file__)}")
        _load_hypothesis_profile()

    def pytest_sessionfinish(self, session: Any, exitstatus: int) -> None:
        wrong = _kcm_core_outside_wheel(self.wheel_files)
        if wrong:
            print("kcm_core modules imported from outside the wheel: " + ", ".join(wrong))
            session.exitstatus = 3


def _load_hypothesis_profile() -> None:
    """Hypothesis inside Pyodide: no time limits, fewer examples only when asked.

    Derived from the profile the conftest files chose, so only these settings change.
    """
    from hypothesis import HealthCheck, settings

    current = settings()  # the profile loaded now, with what the conftest files chose
    changes: dict[str, Any] = {
        "deadline": None,
        "suppress_health_check": [*current.suppress_health_check, HealthCheck.too_slow],
        # No example database: it would be written into Pyodide's throw-away file system.
        "database": None,
    }
    if os.environ.get("KCM_PYODIDE_MAX_EXAMPLES"):
        changes["max_examples"] = int(os.environ["KCM_PYODIDE_MAX_EXAMPLES"])
    settings.register_profile(HYPOTHESIS_PROFILE, current, **changes)
    settings.load_profile(HYPOTHESIS_PROFILE)


def run_pytest(args_json: str) -> int:
    """Run pytest with ``args_json`` (a JSON list) and return its exit code.

    Exit code 5 (nothing collected) is reported as such: the caller treats every non-zero
    code as failure.
    """

    # pytest would write its rewritten test modules' .pyc files next to the tests, which are
    # the repository's own files mounted from the host.
    sys.dont_write_bytecode = True
    # Nothing of the repository may shadow the wheel: the working directory holds only the
    # mounted tests/, but drop it from sys.path all the same.
    sys.path[:] = [entry for entry in sys.path if entry not in ("", os.getcwd())]

    import pytest

    code = int(pytest.main(json.loads(args_json), plugins=[WheelOnlyPlugin()]))
    if code == int(pytest.ExitCode.NO_TESTS_COLLECTED):
        print("pytest collected no tests: that counts as a failure here.")
    return code


def engine_scenario(rubric_json: str) -> str:
    """What the checklist worker does once the engine is up, and what it reports.

    Also takes the error path of a bad assessment (problems, no exception), so its imports are
    measured too; engine_node.mjs adds an exception that reaches JavaScript as a traceback.
    """
    from importlib import _bootstrap_external

    # Record every module compiled from source while kcm_core loads: with the wheel's .pyc
    # files there should be none.
    compiled: list[str] = []
    source_to_code = _bootstrap_external.SourceLoader.source_to_code

    def spy(self: Any, data: Any, path: str, *args: Any, **kwargs: Any) -> Any:
        compiled.append(path)
        return source_to_code(self, data, path, *args, **kwargs)

    _bootstrap_external.SourceLoader.source_to_code = spy  # type: ignore[method-assign,assignment]
    try:
        import kcm_core
        from kcm_core import browser_api
    finally:
        _bootstrap_external.SourceLoader.source_to_code = source_to_code  # type: ignore[method-assign]

    init = json.loads(browser_api.init(rubric_json))
    draft = json.loads(browser_api.new_assessment("2026-11-27T09:00:00Z", "probe"))
    scored = json.loads(browser_api.score(json.dumps(draft.get("assessment"))))
    bad = json.loads(browser_api.score('{"format": "kcm-assessment", "criteria": [}'))
    loaded = [m for n, m in sys.modules.items() if n == "kcm_core" or n.startswith("kcm_core.")]
    with_pyc = [
        getattr(m, "__name__", "?")
        for m in loaded
        if m.__file__ and os.path.exists(importlib.util.cache_from_source(m.__file__))
    ]
    return json.dumps(
        {
            "kcm_core_file": kcm_core.__file__,
            "kcm_core_modules": len(loaded),
            "kcm_core_modules_with_pyc": len(with_pyc),
            "compiled_from_source": compiled,
            "dont_write_bytecode": sys.dont_write_bytecode,
            "init": init,
            "draft": draft,
            "score": scored,
            "bad": bad,
        }
    )
