"""Run the kcm_core tests (tests/core/) inside Pyodide under Node: ``make test-pyodide``.

Proof that the browser runs the same code (ARCHITECTURE.md §8): the engine is built exactly as
for the site (``build_tools.engine.build_engine``: the site's precompiled stdlib zip, the site's
lock, the kcm_core wheel installed by ``loadPackage("kcm-core")``), then pytest runs the same
test files as on CPython. kcm_core is imported from the wheel only: just tests/ and rubric/ are
mounted into Pyodide, and a check at session start and end fails the run if any kcm_core module
came from elsewhere or the wheel was not installed through the lock file.

The site's stdlib zip holds only what the engine needs (build_tools/stdlib.py), so the modules
pytest and Hypothesis need besides come from a second zip, ``python_stdlib_test_extra.zip``
(precompiled the same way, kept in ``.cache/engine/``, never in the site), consulted only for
modules the site's zip does not hold. The same check fails the run unless Pyodide started from
the site's zip byte for byte and every stdlib module the engine imports came from it.

pytest, Hypothesis and their dependencies are downloaded once into ``.cache/pyodide-wheels/``
at the versions pinned in requirements.lock: pure-Python wheels, or a wheel built for this
Pyodide's platform (Hypothesis has a Rust extension and publishes
``cp314-cp314-pyemscripten_2026_0_wasm32`` wheels). The dependencies are read from the wheels'
metadata with Pyodide's environment markers, so a new dependency is picked up or reported.

Usage: ``python -m tests.pyodide.pyodide_tests [PYTEST ARGS ...]``; pytest gets
``-q -p no:cacheprovider`` and the arguments, by default ``tests/core`` (give the path when
adding options: ``tests/core -k canonical``).
``KCM_PYODIDE_MAX_EXAMPLES`` sets Hypothesis' examples per test inside Pyodide (unset: 100, or
what a test's own settings say; ``make test-pyodide`` sets 25). The engine comes from the same
caches as the site's (``.cache/engine/``): after a site build, nothing is compiled again.
Exit code: pytest's (5, nothing collected, is a failure like any non-zero code).
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import time
import zipfile
from collections.abc import Sequence
from email.parser import HeaderParser
from pathlib import Path

from packaging.markers import Marker
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name, parse_wheel_filename

from build_tools.engine import (
    DEFAULT_CACHE_DIR,
    DEFAULT_PYODIDE_DIR,
    DEFAULT_RUBRIC,
    REPO_ROOT,
    EngineBuildError,
    build_engine,
)
from build_tools.stdlib import CompileError, node_executable, precompiled_stdlib, sha256_file

WHEEL_CACHE = REPO_ROOT / ".cache" / "pyodide-wheels"
ENGINE_CACHE = REPO_ROOT / ".cache" / "pyodide-tests"
RUNNER_SCRIPT = Path(__file__).resolve().parent / "pyodide_pytest.mjs"
# What the in-Pyodide run needs; their dependencies are found from the wheels' metadata.
ROOT_PACKAGES = ("pytest", "hypothesis")
# pyproject's `timeout` belongs to pytest-timeout, which guards the browser tests on CPython and
# is not installed here (no signals in Pyodide): its "unknown option" warning is noise.
PYTEST_OPTIONS = (
    "-q",
    "-p",
    "no:cacheprovider",
    "-W",
    "ignore:Unknown config option:pytest.PytestConfigWarning",
)
DEFAULT_TEST_PATHS = ("tests/core",)
# The repository folders the tests read, mounted into Pyodide; never kcm_core/ or the root.
MOUNTED_FOLDERS = ("tests", "rubric")


class SetupError(RuntimeError):
    """The in-Pyodide test run cannot be prepared."""


def locked_versions(lock_file: Path = REPO_ROOT / "requirements.lock") -> dict[str, str]:
    """``name==version`` pins of requirements.lock, by canonical name."""
    pins = {}
    for line in lock_file.read_text(encoding="utf-8").splitlines():
        match = re.fullmatch(r"\s*([A-Za-z0-9][A-Za-z0-9._-]*)==([^\s;#]+).*", line)
        if match:
            pins[str(canonicalize_name(match[1]))] = match[2]
    return pins


def pyodide_markers(pyodide_dir: Path) -> dict[str, str]:
    """Environment markers as Pyodide evaluates them (Python version from Pyodide's lock)."""
    info = json.loads((pyodide_dir / "pyodide-lock.json").read_text(encoding="utf-8"))["info"]
    full = info["python"]
    return {
        "implementation_name": "cpython",
        "implementation_version": full,
        "os_name": "posix",
        "platform_machine": "wasm32",
        "platform_python_implementation": "CPython",
        "platform_release": "",
        "platform_system": "Emscripten",
        "platform_version": "",
        "python_full_version": full,
        "python_version": ".".join(full.split(".")[:2]),
        "sys_platform": "emscripten",
        "extra": "",
    }


def pyodide_platform(pyodide_dir: Path) -> str:
    """The wheel platform tag of this Pyodide, e.g. ``pyemscripten_2026_0_wasm32``."""
    info = json.loads((pyodide_dir / "pyodide-lock.json").read_text(encoding="utf-8"))["info"]
    return f"pyemscripten_{info['abi_version']}_{info['arch']}"


def _cached_wheel(name: str, version: str) -> Path | None:
    for path in sorted(WHEEL_CACHE.glob("*.whl")):
        wheel_name, wheel_version, _build, _tags = parse_wheel_filename(path.name)
        if wheel_name == name and str(wheel_version) == version:
            return path
    return None


def _requirements(wheel: Path, markers: dict[str, str]) -> list[str]:
    """Canonical names of the wheel's dependencies that apply inside Pyodide."""
    with zipfile.ZipFile(wheel) as archive:
        metadata_name = next(n for n in archive.namelist() if n.endswith(".dist-info/METADATA"))
        headers = HeaderParser().parsestr(archive.read(metadata_name).decode("utf-8"))
    needed = []
    for text in headers.get_all("Requires-Dist") or []:
        requirement = Requirement(text)
        marker: Marker | None = requirement.marker
        if marker is None or marker.evaluate(dict(markers)):
            needed.append(str(canonicalize_name(requirement.name)))
    return needed


def _download(pins: dict[str, str], platform: str, python_version: str) -> None:
    WHEEL_CACHE.mkdir(parents=True, exist_ok=True)
    command = [
        sys.executable,
        "-m",
        "pip",
        "download",
        "--disable-pip-version-check",
        "--no-deps",
        "--only-binary=:all:",
        "--python-version",
        python_version,
        "--platform",
        "any",
        "--platform",
        platform,
        "--dest",
        str(WHEEL_CACHE),
        *(f"{name}=={version}" for name, version in sorted(pins.items())),
    ]
    print(f"pyodide-tests: downloading {', '.join(sorted(pins))} into {WHEEL_CACHE}")
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise SetupError(f"pip download failed:\n{result.stderr.strip()[-3000:]}")


def wheels_for_tests(pyodide_dir: Path = DEFAULT_PYODIDE_DIR) -> list[Path]:
    """The wheels pytest and Hypothesis need inside Pyodide, downloaded once at pinned versions."""
    pins = locked_versions()
    markers = pyodide_markers(pyodide_dir)
    platform = pyodide_platform(pyodide_dir)
    wheels: dict[str, Path] = {}
    wanted = [str(canonicalize_name(name)) for name in ROOT_PACKAGES]
    while wanted:
        unpinned = [name for name in wanted if name not in pins]
        if unpinned:
            raise SetupError(
                f"{', '.join(unpinned)} is needed inside Pyodide but not pinned in "
                "requirements.lock: add it there (name==version)"
            )
        missing = {n: pins[n] for n in wanted if _cached_wheel(n, pins[n]) is None}
        if missing:
            _download(missing, platform, markers["python_version"])
        for name in wanted:
            wheel = _cached_wheel(name, pins[name])
            if wheel is None:
                raise SetupError(f"no wheel of {name}=={pins[name]} for Pyodide ({platform})")
            wheels[name] = wheel
        wanted = sorted(
            {dep for name in wanted for dep in _requirements(wheels[name], markers)} - set(wheels)
        )
    return [wheels[name] for name in sorted(wheels)]


def run(pytest_args: Sequence[str]) -> int:
    started = time.monotonic()
    wheels = wheels_for_tests()
    # Same builder and cache as the site, in a folder of its own (the site's may be in use).
    info = build_engine(DEFAULT_RUBRIC, ENGINE_CACHE / "site")
    # The same cache entry the site's zip was copied from, so its test extra zip matches it.
    stdlib = precompiled_stdlib(DEFAULT_PYODIDE_DIR, info.pyodide_version, DEFAULT_CACHE_DIR)
    if sha256_file(stdlib.path) != info.stdlib.sha256:
        raise SetupError(f"{stdlib.path} is not the engine's {info.stdlib.name}")
    print(
        f"pyodide-tests: Pyodide {info.pyodide_version} (Python {info.python_version}), "
        f"stdlib {info.stdlib.name}, {info.wheel.name}; "
        f"{', '.join(w.name.split('-')[0] for w in wheels)}"
    )
    command = [
        node_executable(),
        str(RUNNER_SCRIPT),
        str(info.engine_dir.resolve()),
        str(REPO_ROOT),
        json.dumps(MOUNTED_FOLDERS),
        json.dumps([str(wheel.resolve()) for wheel in wheels]),
        json.dumps(list(pytest_args)),
        str(stdlib.test_extra.resolve()),
        info.stdlib.sha256,
    ]
    code = subprocess.run(command, check=False).returncode
    print(f"pyodide-tests: exit {code} after {time.monotonic() - started:.1f} s")
    return code


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    try:
        return run([*PYTEST_OPTIONS, *(args or DEFAULT_TEST_PATHS)])
    except (SetupError, EngineBuildError, CompileError) as error:
        print(f"pyodide-tests: {error}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    raise SystemExit(main())
