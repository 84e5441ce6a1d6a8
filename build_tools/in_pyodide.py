"""Python that runs INSIDE Pyodide under Node, for the build_tools/*.mjs scripts.

The scripts read this file and run it with ``pyodide.runPython``; they then call the functions
below. It must therefore import nothing from build_tools or the repository, only the standard
library (and pytest/hypothesis, which the test runner installs first), and at module level only
what the engine imports anyway (json, os, sys, typing), so measuring the engine's imports is
not disturbed by it.

- ``compile_tree``: byte-compile sources with Pyodide's own CPython (same version and magic
  number as the browser engine), for the precompiled standard library and the kcm_core wheel.
- ``engine_scenario``: what the checklist worker does, every browser API function with good
  and bad input; ``imported_modules``: which modules that imported, to measure what the
  engine needs.
- ``add_test_stdlib``: the standard-library modules the site's zip leaves out, from a second
  zip, for modules the site's zip does not hold only (build_tools/stdlib.py).
- ``engine_stdlib_modules`` and ``run_pytest``: the kcm_core test suite inside Pyodide, with
  checks that kcm_core really comes from the installed wheel, and every standard-library
  module the engine uses from the site's own zip.
"""

from __future__ import annotations

import json
import os
import sys
from typing import Any

# The Hypothesis profile inside Pyodide: WebAssembly is a few times slower than native CPython,
# so time limits are off; the number of examples changes only with KCM_PYODIDE_MAX_EXAMPLES.
HYPOTHESIS_PROFILE = "kcm-pyodide"
# Where the mjs scripts put the test extra zip of build_tools/stdlib.py.
TEST_EXTRA_STDLIB = "/lib/python_stdlib_test_extra.zip"


def runtime_info() -> str:
    """The facts a .pyc file depends on, as JSON."""
    from importlib import _bootstrap_external

    return json.dumps(
        {
            "python_version": ".".join(str(part) for part in sys.version_info[:3]),
            "cache_tag": sys.implementation.cache_tag,
            "magic": _bootstrap_external.MAGIC_NUMBER.hex(),
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


def site_stdlib() -> str:
    """Where Pyodide put the zip given as ``stdLibURL`` (the site's): ``/lib/python314.zip``."""
    return f"/lib/python{sys.version_info[0]}{sys.version_info[1]}.zip"


class ExtraStdlibFinder:
    """Finds the standard-library modules the site's zip leaves out in the test extra zip.

    It is the last finder on ``sys.meta_path``, so it is asked only after the path finder found
    nothing in the site's zip: a module the site's zip holds always comes from there. Parts of
    a package may be in both zips (``email/__init__`` in the site's, ``email/parser`` in the
    extra one): a submodule is looked up in the extra zip's folder of its package.
    """

    def __init__(self, archive: str) -> None:
        self.archive = archive

    def find_spec(self, fullname: str, path: Any = None, target: Any = None) -> Any:
        import zipimport  # frozen, always loaded

        package = fullname.rpartition(".")[0]
        location = f"{self.archive}/{package.replace('.', '/')}" if package else self.archive
        try:
            importer = zipimport.zipimporter(location)
        except zipimport.ZipImportError:
            return None
        return importer.find_spec(fullname, target)


def add_test_stdlib(archive: str = TEST_EXTRA_STDLIB) -> None:
    """Make the modules of the test extra zip importable, after everything else."""
    if not any(isinstance(finder, ExtraStdlibFinder) for finder in sys.meta_path):
        sys.meta_path.append(ExtraStdlibFinder(archive))


def _module_in_zip(file: str, archive: str) -> str | None:
    """``json.decoder`` for ``<archive>/json/decoder.pyc``; None for a file elsewhere."""
    if not file.startswith(archive + "/"):
        return None
    parts = file[len(archive) + 1 :].rsplit(".", 1)[0].split("/")
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _stdlib_module_files() -> dict[str, str]:
    """Loaded modules that come from one of the two stdlib zips, with their file."""
    found = {}
    for name, module in sys.modules.items():
        file = getattr(module, "__file__", None) or ""
        if file.startswith((site_stdlib() + "/", TEST_EXTRA_STDLIB + "/")):
            found[name] = file
    return found


def engine_stdlib_modules() -> str:
    """Import the engine (kcm_core.browser_api) and list the stdlib modules loaded by then, as
    JSON; refuses to answer when one of them came from the test extra zip.

    Called after Pyodide started and loadPackage installed kcm-core, before the test tools are
    installed: what is loaded by then is what the engine needs.
    """
    import kcm_core.browser_api  # noqa: F401

    files = _stdlib_module_files()
    extra = sorted(name for name, file in files.items() if file.startswith(TEST_EXTRA_STDLIB))
    if extra:
        raise RuntimeError(
            "the engine imported modules the site's stdlib zip does not hold: "
            + ", ".join(extra)
            + " (add them to ENGINE_MODULES in build_tools/stdlib.py)"
        )
    return json.dumps(sorted(files))


def stdlib_origin_problems(site_sha256: str, engine_modules: list[str]) -> list[str]:
    """What is wrong with where the standard library comes from in this test run.

    The zip Pyodide started with must be the site's, byte for byte; every module the engine
    uses must come from it; no module may come from the extra zip when the site's holds it.
    """
    import hashlib
    import zipfile

    problems = []
    with open(site_stdlib(), "rb") as handle:
        digest = hashlib.sha256(handle.read()).hexdigest()
    if digest != site_sha256:
        problems.append(f"{site_stdlib()} is not the site's stdlib zip (sha256 {digest[:12]})")
    files = _stdlib_module_files()
    for name in engine_modules:
        file = files.get(name, "")
        if not file.startswith(site_stdlib() + "/"):
            problems.append(f"{name} (used by the engine) comes from {file or '?'}")
    with zipfile.ZipFile(site_stdlib()) as archive:
        in_site_zip = {
            _module_in_zip(f"{site_stdlib()}/{name}", site_stdlib())
            for name in archive.namelist()
            if name.endswith(".pyc")
        }
    for name, file in sorted(files.items()):
        module = _module_in_zip(file, TEST_EXTRA_STDLIB)
        if module is not None and module in in_site_zip:
            problems.append(f"{name} comes from {file}, but the site's zip holds it")
    return problems


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


class EngineOriginPlugin:
    """Fails the run unless it tests the site's engine: kcm_core from the wheel that loadPackage
    installed, and the standard library the engine uses from the site's own zip.

    Checked at session start (after the conftest files ran) and again at the end, because
    test modules import kcm_core submodules and test tools import stdlib modules while they
    are collected and run.
    """

    def __init__(self, site_sha256: str, engine_modules: list[str]) -> None:
        self.wheel_files, self.source = _installed_wheel_files()
        self.site_sha256 = site_sha256
        self.engine_modules = engine_modules

    def _problems(self) -> list[str]:
        problems = [
            f"kcm_core must come from the installed wheel: {name}"
            for name in _kcm_core_outside_wheel(self.wheel_files)
        ]
        if self.source != "pyodide":
            problems.append(f"kcm-core was not installed from the lock file ({self.source!r})")
        return problems + stdlib_origin_problems(self.site_sha256, self.engine_modules)

    def pytest_sessionstart(self, session: Any) -> None:
        import pytest

        import kcm_core

        problems = self._problems()
        if problems:
            pytest.exit("not the site's engine: " + "; ".join(problems), 3)
        extra = [f for f in _stdlib_module_files().values() if f.startswith(TEST_EXTRA_STDLIB)]
        print(
            f"kcm_core comes from the installed wheel: {os.path.dirname(kcm_core.__file__)}; "
            f"the {len(self.engine_modules)} stdlib modules of the engine from the site's "
            f"{site_stdlib()} (sha256 {self.site_sha256[:12]}), {len(extra)} modules of the "
            "test tools so far from the test extra zip"
        )
        _load_hypothesis_profile()

    def pytest_sessionfinish(self, session: Any, exitstatus: int) -> None:
        problems = self._problems()
        if problems:
            print("not the site's engine: " + "; ".join(problems))
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


def run_pytest(args_json: str, site_sha256: str, engine_modules_json: str) -> int:
    """Run pytest with ``args_json`` (a JSON list) and return its exit code.

    ``site_sha256`` is the sha256 of the site's stdlib zip, ``engine_modules_json`` what
    ``engine_stdlib_modules`` answered. Exit code 5 (nothing collected) is reported as such:
    the caller treats every non-zero code as failure.
    """

    # pytest would write its rewritten test modules' .pyc files next to the tests, which are
    # the repository's own files mounted from the host.
    sys.dont_write_bytecode = True
    # Nothing of the repository may shadow the wheel: the working directory holds only the
    # mounted tests/, but drop it from sys.path all the same.
    sys.path[:] = [entry for entry in sys.path if entry not in ("", os.getcwd())]

    import pytest

    plugin = EngineOriginPlugin(site_sha256, json.loads(engine_modules_json))
    code = int(pytest.main(json.loads(args_json), plugins=[plugin]))
    if code == int(pytest.ExitCode.NO_TESTS_COLLECTED):
        print("pytest collected no tests: that counts as a failure here.")
    return code


def _complete_assessment(rubric: dict[str, Any], draft: dict[str, Any]) -> dict[str, Any]:
    """``draft`` with every field filled, every condition set and every criterion ticked."""
    criteria = [
        criterion["id"]
        for eindterm in rubric["eindtermen"]
        for onderdeel in eindterm["onderdelen"]
        for proces in onderdeel["processen"]
        for criterion in proces["criteria"]
    ]
    return {
        **draft,
        "fields": {
            field["id"]: "2026-11-27" if field.get("type") == "date" else "Proef"
            for field in rubric["fields"]
        },
        "conditions": {c["id"]: [c["options"][0]["id"]] for c in rubric["conditions"]},
        "criteria": {cid: {"checked": True} for cid in criteria},
        "status": "final",
        "finalized": draft["updated"],
    }


def _browser_api_calls(browser_api: Any, rubric_json: str) -> dict[str, Any]:
    """Every browser API function with good and bad input, in the order a worker could call
    them; the parsed answer of each, by label.

    The bad inputs take each kind of error path (a problem before init, text that is no
    JSON, a duplicate key, NaN, nesting too deep, a number too long, a schema violation, an
    assessment of another rubric, an unexpected exception), so the modules those paths import
    are measured too.
    """
    rubric = json.loads(rubric_json)
    broken_rubric = {**rubric, "version": "een", "eindtermen": []}
    del broken_rubric["title"]
    now = "2026-11-27T09:00:00Z"
    answers: dict[str, Any] = {}

    def call(label: str, function: Any, *args: Any) -> dict[str, Any]:
        answer: dict[str, Any] = json.loads(function(*args))
        answers[label] = answer
        return answer

    call("score before init", browser_api.score, "{}")
    call("init not text", browser_api.init, 42)
    call("init no JSON", browser_api.init, '{"id": "kcm",')
    call("init duplicate key", browser_api.init, '{"id": "a", "id": "b"}')
    call("init NaN", browser_api.init, '{"id": NaN}')
    call("init too deep", browser_api.init, "[" * 5000 + "]" * 5000)
    call("init huge number", browser_api.init, '{"id": ' + "9" * 5000 + "}")
    call("init invalid rubric", browser_api.init, json.dumps(broken_rubric))
    call("init", browser_api.init, rubric_json)
    # An empty draft as the checklist page makes it (docs/assets/kcm/assessment.js: newDraft).
    draft: dict[str, Any] = {
        "format": "kcm-assessment",
        "format_version": 1,
        "id": "probe",
        "rubric": {
            "id": rubric["id"],
            "version": rubric["version"],
            "sha256": answers["init"]["rubric"]["sha256"],
        },
        "fields": {f["id"]: "" for f in rubric["fields"]},
        "conditions": {c["id"]: [] for c in rubric["conditions"]},
        "criteria": {},
        "remarks": {},
        "status": "draft",
        "created": now,
        "updated": now,
        "finalized": None,
        "history": [],
    }
    complete = _complete_assessment(rubric, draft)
    call("score draft", browser_api.score, json.dumps(draft))
    call("score complete", browser_api.score, json.dumps(complete))
    call("score no JSON", browser_api.score, '{"format": "kcm-assessment", "criteria": [}')
    invalid = {
        **draft,
        "fields": {**draft["fields"], "datum": "27-11-2026"},
        "criteria": {"9.9.9.z": {"checked": True}},
        "created": "gisteren",
    }
    call("score invalid", browser_api.score, json.dumps(invalid))
    other = {**draft, "rubric": {**draft["rubric"], "id": "ander", "sha256": "0" * 64}}
    call("score other rubric", browser_api.score, json.dumps(other))
    call("import one", browser_api.check_import, json.dumps(complete))
    second = {**complete, "id": "probe-2"}
    many = {"format": "kcm-assessments", "format_version": 1, "assessments": [draft, second]}
    call("import many", browser_api.check_import, json.dumps(many))
    many_invalid = {**many, "assessments": [draft, invalid]}
    call("import many, one invalid", browser_api.check_import, json.dumps(many_invalid))
    none_valid = {**many, "assessments": [invalid]}
    call("import many, none valid", browser_api.check_import, json.dumps(none_valid))
    call("import no JSON", browser_api.check_import, "geen JSON \ud800")
    # Finalising: kcm_core seals, an import verifies, the exam office counts (report_*).
    final = {
        **complete,
        "status": "final",
        "finalized": now,
        "history": [{"at": now, "action": "finalized"}],
        "assessors": [{"name": "A. Jansen"}],
    }
    sealed = call("seal", browser_api.seal, json.dumps(final)).get("assessment")
    call("seal a draft", browser_api.seal, json.dumps(draft))
    call("verify", browser_api.verify, json.dumps(sealed))
    call("report start", browser_api.report_start)
    call("report add", browser_api.report_add, "a.json", json.dumps(sealed))
    call("report add no JSON", browser_api.report_add, "b.json", "geen JSON")
    call("report result", browser_api.report_result)
    # The engine's shelf (engine/rubrics.json): every rubric and archived version; a record
    # of the older version is scored against its own.
    older = {**rubric, "version": "0.9.0"}
    shelf = {"format": "kcm-rubric-shelf", "format_version": 1, "rubrics": [rubric, older]}
    call("init shelf, unknown rubric", browser_api.init, json.dumps(shelf), "ander")
    call("init shelf", browser_api.init, json.dumps(shelf), rubric["id"])
    older_draft = {**draft, "rubric": {"id": rubric["id"], "version": "0.9.0"}}
    call("score older version", browser_api.score, json.dumps(older_draft))
    # The last resort of the contract (a bug in kcm_core): answered, never raised.
    answers["unexpected error"] = json.loads(browser_api._respond(lambda: {"x": 1 / 0}))
    return answers


def engine_scenario(rubric_json: str) -> str:
    """What the checklist worker does once the engine is up, and what it reports.

    Every browser API function runs with good and bad input (``_browser_api_calls``), so the
    modules of the error paths are imported and measured too; engine_node.mjs adds exceptions
    that reach JavaScript as tracebacks. Uses only modules the engine imports anyway (json,
    os, sys and the frozen import machinery), so ``imported_modules`` measures the engine.
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

    calls = _browser_api_calls(browser_api, rubric_json)
    loaded = [m for n, m in sys.modules.items() if n == "kcm_core" or n.startswith("kcm_core.")]
    with_pyc = [
        getattr(m, "__name__", "?")
        for m in loaded
        if m.__file__ and os.path.exists(_bootstrap_external.cache_from_source(m.__file__))
    ]
    return json.dumps(
        {
            "kcm_core_file": kcm_core.__file__,
            "kcm_core_modules": len(loaded),
            "kcm_core_modules_with_pyc": len(with_pyc),
            "compiled_from_source": compiled,
            "dont_write_bytecode": sys.dont_write_bytecode,
            "calls": calls,
            "init": calls["init"],
            "score": calls["score draft"],
            "bad": calls["score no JSON"],
        }
    )
