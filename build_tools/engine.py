"""The scoring engine of the site: vendored Pyodide + the kcm_core wheel, in ``site/engine/``.

``build_engine(rubric_path, site_dir)`` writes ``site_dir/engine/``:

| file | what |
| --- | --- |
| ``engine.json`` | the contract for the checklist worker, below |
| ``rubric.json`` | the main rubric, byte for byte |
| ``rubrics.json`` | every rubric of the site and their archived versions (``engine_shelf``) |
| ``<hash>/pyodide.mjs``, ``.asm.mjs``, ``.asm.wasm`` | Pyodide from ``node_modules/pyodide`` |
| ``<hash>/python_stdlib_pyc.zip`` | the stdlib modules the engine needs, ``.pyc`` (stdlib.py) |
| ``<hash>/python_stdlib_src.zip`` | Pyodide's own ``python_stdlib.zip``, sources for debugging |
| ``<hash>/kcm_core-<version>-py3-none-any.whl`` | kcm_core (``python -m build`` + ``.pyc``) |
| ``<hash>/pyodide-lock.json`` | only ``kcm-core``, added by ``pyodide lockfile add-wheels`` |
| ``<hash>/snapshot.bin.gz`` | only with ``snapshot=True``: a Pyodide memory snapshot, below |

``<hash>`` is content addressing: the first 16 hex digits of a sha256 over the names and bytes
of every file in that folder (``engine_hash``). A URL under ``engine/<hash>/`` therefore never
changes its content, and the service worker may take those files from the HTTP cache the page's
own engine load has just filled, instead of downloading 5-6 MB a second time: sw-build.mjs
precaches them without a revision (Workbox ``dontCacheBustURLsMatching``), while ``engine.json``
and ``rubric.json`` stay small, revisioned files. A new build with another engine writes another
folder, so the files of two builds never share a URL.

``engine.json`` (every path relative to the folder of engine.json itself)::

    {"pyodide_version": "314.0.7", "python_version": "3.14.2", "base": "<hash>/",
     "stdlib": "<hash>/python_stdlib_pyc.zip", "stdlib_sources": "<hash>/python_stdlib_src.zip",
     "lock": "<hash>/pyodide-lock.json", "package": "kcm-core",
     "wheel": "<hash>/kcm_core-1.0.0-py3-none-any.whl", "rubric": "rubric.json",
     "rubrics": "rubrics.json"}

The worker starts the engine with ``loadPyodide({indexURL: <engine>/<base>, stdLibURL:
<engine>/<stdlib>, lockFileURL: <engine>/<lock>, packageBaseUrl: <engine>/<base>, packages:
[<package>]})`` (or ``loadPackage(<package>)`` afterwards); ``<base>`` holds ``pyodide.mjs``
and the wheel. In the browser Pyodide fetches the wheel with the lock's sha256 as Subresource
Integrity. To debug with source lines in standard-library tracebacks, pass ``stdLibURL:
<engine>/<stdlib_sources>`` instead (start-up is then about twice as slow; it holds the whole
standard library). Neither the worker nor the service worker fetches ``stdlib_sources``
(build_tools/sw-build.mjs leaves it out of the precache), so it costs a visitor nothing.

Decisions:

- The wheel, its ``.pyc`` files and its lock: ``build_tools.engine_wheel``.
- The build refuses any Pyodide other than ``PYODIDE_VERSION``, and a cached precompiled file
  made for another one.

The memory snapshot (``build_engine(..., snapshot=True)``, ``python -m build_tools.site build
--snapshot``; off by default). Pyodide can start from a copy of its WebAssembly memory made
after start-up (``loadPyodide({_loadSnapshot})``): no CPython bootstrap, no imports. It rests
on private API (``_makeSnapshot``, ``makeMemorySnapshot``, ``_loadSnapshot``) and fits only the
exact runtime, standard-library zip and wheel it was made with, so:

- ``build_tools/snapshot.mjs`` makes it at build time in Node from the very files of the
  engine folder (Pyodide, the precompiled stdlib, the wheel unpacked and ``kcm_core.browser_api``
  imported), loads it back once as a check, and the snapshot then goes into ``<hash>/`` with
  them: the content hash covers it, and another byte in any of them makes a new snapshot;
- the build refuses any Pyodide but ``PYODIDE_VERSION`` (as for everything else), snapshot.mjs
  refuses a Pyodide whose version is not engine.json's, and a cached snapshot made for another
  Pyodide is refused;
- it is stored gzip-compressed (31 MB of memory, 5 MB gzip): static hosts such as GitHub Pages
  do not compress ``application/octet-stream``. The worker decompresses it with
  ``DecompressionStream`` and falls back to the normal start (with a ``console.warn``) when it
  cannot be fetched, decompressed or loaded;
- a snapshot holds memory, not files: the worker still installs the wheel (``packages``), so
  the kcm_core files are there for tracebacks and later imports, as in the normal start;
- it is cached in ``.cache/engine/snapshot-<key>``, keyed by the engine hash of its inputs and
  the code that makes it. A snapshot is not reproducible (CPython's hash seed, libc's random
  state), so only the cache keeps ``<hash>/`` the same from one build to the next: a build on a
  clean machine moves the whole engine to a new URL.

``engine.json`` then also has ``"snapshot": "<hash>/snapshot.bin.gz"``.

Command line: ``python -m build_tools.engine build --out SITE_DIR [--rubric RUBRIC]
[--snapshot]`` and
``python -m build_tools.engine bench [--runs 5]`` (start-up in Node: stock stdlib vs ``.pyc``).
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import json
import shutil
import statistics
import sys
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from build_tools.engine_shelf import SHELF_NAME, shelf_text

# Re-exported: the engine's callers name these through this module.
from build_tools.engine_wheel import LOCK_NAME as LOCK_NAME
from build_tools.engine_wheel import PACKAGE_NAME as PACKAGE_NAME
from build_tools.engine_wheel import REPO_ROOT as REPO_ROOT
from build_tools.engine_wheel import EngineBuildError as EngineBuildError
from build_tools.engine_wheel import cached_wheel, check_lock, run_command
from build_tools.stdlib import (
    PYC_STDLIB_NAME,
    SOURCE_STDLIB_NAME,
    CompileError,
    node_executable,
    precompiled_stdlib,
    prune_cache,
    sha256_file,
)

DEFAULT_PYODIDE_DIR = REPO_ROOT / "node_modules" / "pyodide"
DEFAULT_CACHE_DIR = REPO_ROOT / ".cache" / "engine"
DEFAULT_RUBRIC = REPO_ROOT / "rubric" / "klantcontact.json"
PROBE_SCRIPT = Path(__file__).resolve().parent / "engine_node.mjs"
SNAPSHOT_SCRIPT = Path(__file__).resolve().parent / "snapshot.mjs"
ENGINE_OPEN_SCRIPT = Path(__file__).resolve().parent / "engine_open.mjs"

# The one Pyodide release this site is built and tested with (package.json pins the same).
PYODIDE_VERSION = "314.0.7"
ENGINE_DIR_NAME = "engine"
MANIFEST_NAME = "engine.json"
# Length of the content hash naming the folder of the immutable files (hex digits of sha256).
ENGINE_HASH_LENGTH = 16
RUBRIC_NAME = "rubric.json"
RUNTIME_FILES = ("pyodide.mjs", "pyodide.asm.mjs", "pyodide.asm.wasm")
SNAPSHOT_NAME = "snapshot.bin.gz"


@dataclass(frozen=True, slots=True)
class EngineFile:
    """One file of site/engine/."""

    name: str  # relative to the engine folder, as in its URL ("<hash>/pyodide.mjs")
    path: Path
    size: int
    sha256: str

    @classmethod
    def of(cls, engine_dir: Path, name: str) -> EngineFile:
        path = engine_dir / name
        return cls(name=name, path=path, size=path.stat().st_size, sha256=sha256_file(path))


@dataclass(frozen=True, slots=True)
class EngineInfo:
    """What ``build_engine`` wrote."""

    engine_dir: Path
    base: str  # "<hash>/": the content-addressed folder of everything but engine.json and rubric
    pyodide_version: str
    python_version: str
    wheel: EngineFile
    lock: EngineFile
    stdlib: EngineFile  # precompiled, what the worker loads
    stdlib_sources: EngineFile  # Pyodide's original zip, for debugging
    rubric: EngineFile
    rubrics: EngineFile  # rubrics.json: every rubric, for the worker
    manifest: EngineFile  # engine.json
    files: tuple[EngineFile, ...]  # every file under the engine folder, by name
    snapshot: EngineFile | None = None  # the memory snapshot, gzip (build option)

    @property
    def stdlib_url(self) -> str:
        """The ``stdLibURL`` the worker passes, relative to the site root."""
        return f"{ENGINE_DIR_NAME}/{self.stdlib.name}"

    @property
    def runtime_dir(self) -> Path:
        """``engine/<hash>/``: Pyodide's ``indexURL`` and the wheel's folder."""
        return self.engine_dir / self.base

    @property
    def total_size(self) -> int:
        return sum(file.size for file in self.files)

    def manifest_data(self) -> dict[str, Any]:
        """engine.json's content, for the checklist page (build_tools.site hands it to the
        page templates)."""
        data: dict[str, Any] = json.loads(self.manifest.path.read_text(encoding="utf-8"))
        return data


# --------------------------------------------------------------------------------------------
# Pyodide version


def pinned_pyodide_version(pyodide_dir: Path) -> str:
    """The version of the npm package in ``pyodide_dir``; refuses anything but the pin."""
    package_json = pyodide_dir / "package.json"
    if not package_json.is_file():
        raise EngineBuildError(
            f"Pyodide not found: {package_json} is missing. Run 'make setup' (npm ci) first."
        )
    version = str(json.loads(package_json.read_text(encoding="utf-8")).get("version"))
    if version != PYODIDE_VERSION:
        raise EngineBuildError(
            f"{pyodide_dir} holds Pyodide {version}, but kcm is built and tested with "
            f"Pyodide {PYODIDE_VERSION} only (build_tools/engine.py: PYODIDE_VERSION). "
            "Run 'npm ci' to restore the pinned version, or update the pin and test again."
        )
    for name in (*RUNTIME_FILES, "python_stdlib.zip", LOCK_NAME):
        if not (pyodide_dir / name).is_file():
            raise EngineBuildError(f"Pyodide {version} in {pyodide_dir} has no {name}")
    return version


# --------------------------------------------------------------------------------------------
# The memory snapshot (build option)


def _manifest(
    version: str, python_version: str, base: str, wheel_name: str, *, snapshot: bool
) -> dict[str, str]:
    """engine.json; see the module docstring."""
    manifest = {
        "pyodide_version": version,
        "python_version": python_version,
        "base": base,
        "stdlib": base + PYC_STDLIB_NAME,
        "stdlib_sources": base + SOURCE_STDLIB_NAME,
        "lock": base + LOCK_NAME,
        "package": PACKAGE_NAME,
        "wheel": base + wheel_name,
        "rubric": RUBRIC_NAME,
        "rubrics": SHELF_NAME,
    }
    if snapshot:
        manifest["snapshot"] = base + SNAPSHOT_NAME
    return manifest


def _snapshot_key(inputs: dict[str, Path], version: str) -> str:
    """The cache key of a snapshot: the engine files it is made from and the code making it."""
    digest = hashlib.sha256()
    # The code that makes the snapshot is part of its key.
    parts = [version, engine_hash(inputs), hashlib.sha256(Path(__file__).read_bytes()).hexdigest()]
    parts += [sha256_file(script) for script in (SNAPSHOT_SCRIPT, ENGINE_OPEN_SCRIPT)]
    for part in parts:
        digest.update(part.encode() + b"\0")
    return digest.hexdigest()[:20]


def _read_cached_snapshot(entry: Path, version: str) -> Path | None:
    meta_path, path = entry / "meta.json", entry / SNAPSHOT_NAME
    if not (meta_path.is_file() and path.is_file()):
        return None
    meta = json.loads(meta_path.read_text(encoding="utf-8"))
    if meta.get("pyodide_version") != version:
        raise EngineBuildError(
            f"{entry} was made for Pyodide {meta.get('pyodide_version')}, not {version}: "
            "delete it and build again"
        )
    return path if sha256_file(path) == meta.get("sha256") else None


def cached_snapshot(
    inputs: dict[str, Path], version: str, python_version: str, wheel_name: str, cache_dir: Path
) -> Path:
    """``snapshot.bin.gz`` for the engine files ``inputs`` (name in ``<hash>/`` -> source), from
    the cache or made now by ``build_tools/snapshot.mjs`` in a copy of the engine folder."""
    entry = cache_dir / f"snapshot-{_snapshot_key(inputs, version)}"
    found = _read_cached_snapshot(entry, version)
    if found is not None:
        return found
    # A half-written or damaged entry: make it again.
    shutil.rmtree(entry, ignore_errors=True)
    cache_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=cache_dir, prefix="snapshot-tmp-") as tmp:
        work = Path(tmp)
        # The engine folder as the site will have it (snapshot.mjs opens it like the worker).
        base = engine_hash(inputs) + "/"
        (work / ENGINE_DIR_NAME / base).mkdir(parents=True)
        for name, source in inputs.items():
            shutil.copyfile(source, work / ENGINE_DIR_NAME / base / name)
        manifest = _manifest(version, python_version, base, wheel_name, snapshot=False)
        (work / ENGINE_DIR_NAME / MANIFEST_NAME).write_text(json.dumps(manifest), encoding="utf-8")
        raw = work / "snapshot.bin"
        output = run_command(
            [node_executable(), str(SNAPSHOT_SCRIPT), str(work / ENGINE_DIR_NAME), str(raw)],
            "making the Pyodide memory snapshot (build_tools/snapshot.mjs)",
        )
        report = json.loads(output.strip().splitlines()[-1])
        if report.get("pyodide") != version or report.get("bytes") != raw.stat().st_size:
            raise EngineBuildError(f"snapshot.mjs reported {report}, expected Pyodide {version}")
        staged = work / "result"
        staged.mkdir()
        # mtime=0: the same snapshot gives the same bytes.
        (staged / SNAPSHOT_NAME).write_bytes(
            gzip.compress(raw.read_bytes(), compresslevel=9, mtime=0)
        )
        meta = {
            "pyodide_version": version,
            "inputs": base.rstrip("/"),
            "raw_bytes": report["bytes"],
            "sha256": sha256_file(staged / SNAPSHOT_NAME),
            "report": report,
        }
        (staged / "meta.json").write_text(json.dumps(meta, indent=2) + "\n", encoding="utf-8")
        try:
            staged.rename(entry)
        except OSError:
            # Another build finished the same entry first; it is as good as this one.
            if not (entry / "meta.json").is_file():
                raise
    prune_cache(cache_dir, "snapshot")
    found = _read_cached_snapshot(entry, version)
    if found is None:
        raise EngineBuildError(f"the snapshot in {entry} is incomplete")
    return found


# --------------------------------------------------------------------------------------------
# The engine folder


def engine_hash(files: dict[str, Path]) -> str:
    """The name of the folder that holds ``files`` (name in that folder -> source): sha256 over
    every name, size and content, in name order. Another byte anywhere, another folder."""
    digest = hashlib.sha256()
    for name in sorted(files):
        size = files[name].stat().st_size
        digest.update(f"{name}\0{size}\0".encode())
        with files[name].open("rb") as handle:
            for block in iter(lambda: handle.read(1 << 20), b""):
                digest.update(block)
    return digest.hexdigest()[:ENGINE_HASH_LENGTH]


def build_engine(
    rubric_path: Path,
    site_dir: Path,
    *,
    pyodide_dir: Path = DEFAULT_PYODIDE_DIR,
    cache_dir: Path = DEFAULT_CACHE_DIR,
    project_root: Path = REPO_ROOT,
    snapshot: bool = False,
    shelf: Sequence[Path] = (),
) -> EngineInfo:
    """Write ``site_dir/engine/`` (replacing what was there) and describe it; ``snapshot``
    adds the memory snapshot (see the module docstring). ``shelf``: every rubric file the
    engine must know (the site's rubrics and their archived versions); without it only
    ``rubric_path``."""
    version = pinned_pyodide_version(pyodide_dir)
    if not rubric_path.is_file():
        raise EngineBuildError(f"rubric not found: {rubric_path}")
    try:
        stdlib = precompiled_stdlib(pyodide_dir, version, cache_dir)
        built = cached_wheel(project_root, pyodide_dir, cache_dir, version)
    except CompileError as error:
        raise EngineBuildError(str(error)) from error
    if built.runtime != stdlib.runtime:
        raise EngineBuildError(
            f"the wheel's .pyc files ({built.runtime}) and the stdlib's ({stdlib.runtime}) "
            "come from different Pythons; delete .cache/engine and build again"
        )
    check_lock(built.lock, built.wheel, pyodide_dir)

    # The immutable files, named as in their folder. The rubric stays outside: it is the
    # contract's engine/rubric.json, and a rubric change should not move 5 MB to a new URL.
    immutable = {
        **{name: pyodide_dir / name for name in RUNTIME_FILES},
        PYC_STDLIB_NAME: stdlib.path,
        SOURCE_STDLIB_NAME: pyodide_dir / "python_stdlib.zip",
        built.wheel.name: built.wheel,
        LOCK_NAME: built.lock,
    }
    python_version = stdlib.runtime.python_version
    if snapshot:
        # Made from the other immutable files and hashed with them into the folder name.
        immutable[SNAPSHOT_NAME] = cached_snapshot(
            dict(immutable), version, python_version, built.wheel.name, cache_dir
        )
    base = engine_hash(immutable) + "/"

    engine_dir = site_dir / ENGINE_DIR_NAME
    shutil.rmtree(engine_dir, ignore_errors=True)
    (engine_dir / base).mkdir(parents=True)
    for name, source in immutable.items():
        shutil.copyfile(source, engine_dir / base / name)
    shutil.copyfile(rubric_path, engine_dir / RUBRIC_NAME)
    (engine_dir / SHELF_NAME).write_text(shelf_text(shelf or [rubric_path]), encoding="utf-8")
    manifest = _manifest(version, python_version, base, built.wheel.name, snapshot=snapshot)
    (engine_dir / MANIFEST_NAME).write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")

    def file(name: str) -> EngineFile:
        return EngineFile.of(engine_dir, name)

    every = sorted(
        p.relative_to(engine_dir).as_posix() for p in engine_dir.rglob("*") if p.is_file()
    )
    return EngineInfo(
        engine_dir=engine_dir,
        base=base,
        pyodide_version=version,
        python_version=python_version,
        wheel=file(base + built.wheel.name),
        lock=file(base + LOCK_NAME),
        stdlib=file(base + PYC_STDLIB_NAME),
        stdlib_sources=file(base + SOURCE_STDLIB_NAME),
        rubric=file(RUBRIC_NAME),
        rubrics=file(SHELF_NAME),
        manifest=file(MANIFEST_NAME),
        files=tuple(file(name) for name in every),
        snapshot=file(base + SNAPSHOT_NAME) if snapshot else None,
    )


# --------------------------------------------------------------------------------------------
# Running the built engine in Node (tests, benchmark)


def probe_engine(
    engine_dir: Path,
    *,
    stdlib: str | None = None,
    test_extra: Path | None = None,
    snapshot: bool = False,
) -> dict[str, Any]:
    """Start the engine in Node as the worker does, call every browser API function with good
    and bad input, and report (``build_tools/engine_node.mjs``).

    ``stdlib`` overrides engine.json's stdlib file (a path relative to the engine folder, to
    compare with the source zip);
    ``test_extra`` makes the modules of that zip importable when the site's lacks them (to
    measure whether the engine would need any of them);
    ``snapshot`` starts from engine.json's memory snapshot (a ``snapshot=True`` build).
    """
    command = [node_executable(), str(PROBE_SCRIPT), str(engine_dir.resolve())]
    if stdlib is not None:
        command += ["--stdlib", stdlib]
    if test_extra is not None:
        command += ["--test-extra", str(test_extra.resolve())]
    if snapshot:
        command.append("--snapshot")
    output = run_command(command, "starting the engine in Node")
    report: dict[str, Any] = json.loads(output.strip().splitlines()[-1])
    return report


def measure_startup(engine_dir: Path, runs: int) -> dict[str, dict[str, float]]:
    """Median start-up in fresh Node processes: Pyodide's source stdlib vs the .pyc one."""
    base = json.loads((engine_dir / MANIFEST_NAME).read_text(encoding="utf-8"))["base"]
    variants = {
        "stock stdlib (.py)": base + SOURCE_STDLIB_NAME,
        "precompiled (.pyc)": base + PYC_STDLIB_NAME,
    }
    samples: dict[str, dict[str, list[float]]] = {name: {} for name in variants}
    for _ in range(runs):
        # Interleaved, so a busy machine slows both variants alike.
        for name, stdlib in variants.items():
            timings = probe_engine(engine_dir, stdlib=stdlib)["timings_ms"]
            for key, value in timings.items():
                samples[name].setdefault(key, []).append(float(value))
    return {
        name: {key: statistics.median(values) for key, values in timings.items()}
        for name, timings in samples.items()
    }


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m build_tools.engine", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    build = commands.add_parser("build", help="write SITE_DIR/engine/")
    build.add_argument("--out", type=Path, required=True, help="the site folder")
    build.add_argument("--rubric", type=Path, default=DEFAULT_RUBRIC)
    build.add_argument(
        "--snapshot", action="store_true", help="add a Pyodide memory snapshot (private API)"
    )
    bench = commands.add_parser("bench", help="start-up in Node, median of --runs")
    bench.add_argument("--runs", type=int, default=5)
    args = parser.parse_args(argv)
    try:
        if args.command == "build":
            info = build_engine(args.rubric, args.out, snapshot=args.snapshot)
            for item in info.files:
                print(f"{item.size:>10}  {item.sha256[:12]}  {item.name}")
            print(f"{info.total_size:>10}  total, Pyodide {info.pyodide_version}")
            return 0
        with tempfile.TemporaryDirectory(prefix="kcm-engine-bench-") as tmp:
            info = build_engine(DEFAULT_RUBRIC, Path(tmp))
            result = measure_startup(info.engine_dir, args.runs)
        for name, timings in result.items():
            shown = ", ".join(f"{key} {value:.0f} ms" for key, value in timings.items())
            print(f"{name:<20} median of {args.runs}: {shown}")
        return 0
    except EngineBuildError as error:
        print(f"engine: {error}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    raise SystemExit(main())
