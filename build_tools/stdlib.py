"""The precompiled standard library the engine starts with (issue 7 item 2: the engine starts fast).

Most of Pyodide's start-up is CPython compiling standard-library sources at import
(notes/pyodide-startup.md: Node 2.2 s stock, 0.8 s with ``.pyc``). So at site-build time every
``.py`` in Pyodide's ``python_stdlib.zip`` is compiled to ``.pyc`` by Pyodide's own CPython
(the magic number must match), with ``PycInvalidationMode.UNCHECKED_HASH`` so nothing is compared
with a source at import. ``zipimport`` loads ``name.pyc`` from the zip when there is no
``name.py``; the worker passes the zip as ``loadPyodide({stdLibURL})``.

Trimming saves bytes, not time, so it stays modest: only the modules in ``EXCLUDED_MODULES`` go,
each one checked to be imported neither by the engine (browser API, its error path, Pyodide's
own start-up) nor by the test tools that run the kcm_core tests on this same stdlib
(``python -m build_tools.pyodide_tests``). Sources stay available for debugging: the engine
ships the untouched zip as ``python_stdlib_src.zip``.

The compiled zip is cached in ``.cache/engine/`` keyed by the Pyodide version, the source zip's
sha256, the exclusion list and the compiler code, and a cached zip made for another Pyodide is
refused.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
import tempfile
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

BUILD_TOOLS = Path(__file__).resolve().parent
COMPILER_SCRIPT = BUILD_TOOLS / "pyodide_compile.mjs"
IN_PYODIDE = BUILD_TOOLS / "in_pyodide.py"

PYC_STDLIB_NAME = "python_stdlib_pyc.zip"
SOURCE_STDLIB_NAME = "python_stdlib_src.zip"

# Top-level standard-library modules left out of the precompiled zip: nothing a Web Worker that
# scores assessments can use (processes, mail and RPC protocols, a WSGI server, demo modules).
# test_engine.py measures the modules the engine imports and fails if one of these is among
# them; the in-Pyodide test run fails if pytest or Hypothesis needs one (the REPL package
# _pyrepl stays: pdb imports it, and pytest imports pdb).
EXCLUDED_MODULES: tuple[str, ...] = (
    "__hello__",
    "__phello__",
    "antigravity",
    "ftplib",
    "imaplib",
    "mailbox",
    "multiprocessing",
    "poplib",
    "smtplib",
    "this",
    "wsgiref",
    "xmlrpc",
)

# Fixed zip timestamps, so the same inputs give the same bytes (and the same sha256).
_ZIP_DATE = (1980, 1, 1, 0, 0, 0)


class CompileError(RuntimeError):
    """Compiling with Pyodide failed, or a precompiled file does not fit this Pyodide."""


@dataclass(frozen=True, slots=True)
class PycRuntime:
    """What a .pyc file depends on: the CPython inside Pyodide."""

    python_version: str
    cache_tag: str
    magic: str  # importlib.util.MAGIC_NUMBER as hex


@dataclass(frozen=True, slots=True)
class PrecompiledStdlib:
    """A cached precompiled stdlib zip and what it was made for."""

    path: Path
    pyodide_version: str
    source_sha256: str
    runtime: PycRuntime
    excluded: tuple[str, ...]


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def prune_cache(cache_dir: Path, prefix: str, keep: int = 3) -> None:
    """Delete all but the ``keep`` newest ``<prefix>-<key>`` cache entries.

    Every change to kcm_core or the compiler makes a new entry; old ones are never used again.
    """
    entries = [p for p in cache_dir.glob(f"{prefix}-*") if p.is_dir() and "-tmp-" not in p.name]
    entries.sort(key=lambda path: path.stat().st_mtime, reverse=True)
    for old in entries[keep:]:
        shutil.rmtree(old, ignore_errors=True)


def compiler_fingerprint() -> str:
    """Hash of the code that compiles and zips: a change to it invalidates cached files."""
    digest = hashlib.sha256()
    for path in (COMPILER_SCRIPT, IN_PYODIDE, Path(__file__)):
        digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def node_executable() -> str:
    node = shutil.which("node")
    if node is None:
        raise CompileError("node not found on PATH: Node.js 20 is needed to run Pyodide")
    return node


def compile_with_pyodide(
    pyodide_dir: Path, work_dir: Path, jobs: Sequence[tuple[str, str, str]]
) -> tuple[PycRuntime, list[int]]:
    """Compile with Pyodide under Node. Each job is (src, out, dfile_prefix), paths relative to
    ``work_dir``; returns the runtime facts and how many files each job compiled."""
    payload = [
        {"src": f"/work/{src}", "out": f"/work/{out}", "dfile_prefix": prefix}
        for src, out, prefix in jobs
    ]
    command = [
        node_executable(),
        str(COMPILER_SCRIPT),
        str(pyodide_dir.resolve()),
        str(work_dir.resolve()),
        json.dumps(payload),
    ]
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    lines = result.stdout.strip().splitlines()
    if result.returncode != 0 or not lines:
        raise CompileError(
            f"compiling with Pyodide failed (exit {result.returncode}):\n"
            f"{result.stderr.strip() or result.stdout.strip()}"
        )
    report = json.loads(lines[-1])
    runtime = PycRuntime(
        python_version=report["python_version"],
        cache_tag=report["cache_tag"],
        magic=report["magic"],
    )
    return runtime, [int(count) for count in report["counts"]]


def _top_level_name(entry: str) -> str:
    first = entry.split("/", 1)[0]
    return first.removesuffix(".py")


def _deflated(name: str) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, date_time=_ZIP_DATE)
    info.compress_type = zipfile.ZIP_DEFLATED
    info.external_attr = (0o40755 if name.endswith("/") else 0o100644) << 16
    return info


def _write_pyc_zip(source_zip: Path, compiled_dir: Path, target: Path, excluded: set[str]) -> None:
    """Same entries, in the same order, as ``source_zip``: ``x.py`` replaced by ``x.pyc``."""
    with (
        zipfile.ZipFile(source_zip) as source,
        zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as out,
    ):
        for entry in source.infolist():
            if _top_level_name(entry.filename) in excluded:
                continue
            if entry.filename.endswith(".py"):
                name = entry.filename[: -len(".py")] + ".pyc"
                out.writestr(_deflated(name), (compiled_dir / name).read_bytes())
            else:
                out.writestr(_deflated(entry.filename), source.read(entry))


def check_pyc_zip(path: Path, runtime: PycRuntime) -> None:
    """Every .pyc in the zip must carry this Pyodide's magic number."""
    magic = bytes.fromhex(runtime.magic)
    with zipfile.ZipFile(path) as archive:
        for entry in archive.infolist():
            if entry.filename.endswith(".pyc"):
                with archive.open(entry) as handle:
                    if handle.read(len(magic)) != magic:
                        raise CompileError(
                            f"{path.name}: {entry.filename} was not compiled by Python "
                            f"{runtime.python_version} (magic {runtime.magic})"
                        )


def _cache_key(pyodide_version: str, source_sha256: str, excluded: Iterable[str]) -> str:
    digest = hashlib.sha256()
    for part in (pyodide_version, source_sha256, ",".join(excluded), compiler_fingerprint()):
        digest.update(part.encode() + b"\0")
    return digest.hexdigest()[:20]


def _read_cached(entry_dir: Path) -> PrecompiledStdlib | None:
    meta_path = entry_dir / "meta.json"
    zip_path = entry_dir / PYC_STDLIB_NAME
    if not (meta_path.is_file() and zip_path.is_file()):
        return None
    meta = json.loads(meta_path.read_text(encoding="utf-8"))
    if sha256_file(zip_path) != meta["sha256"]:
        return None
    return PrecompiledStdlib(
        path=zip_path,
        pyodide_version=meta["pyodide_version"],
        source_sha256=meta["source_sha256"],
        runtime=PycRuntime(**meta["runtime"]),
        excluded=tuple(meta["excluded"]),
    )


def stdlib_cache_entry(
    cache_dir: Path, pyodide_version: str, source_sha256: str, excluded: Sequence[str]
) -> Path:
    """The cache folder of the precompiled stdlib for these inputs."""
    return cache_dir / f"stdlib-{_cache_key(pyodide_version, source_sha256, excluded)}"


def precompiled_stdlib(
    pyodide_dir: Path,
    pyodide_version: str,
    cache_dir: Path,
    excluded: Sequence[str] = EXCLUDED_MODULES,
) -> PrecompiledStdlib:
    """The precompiled stdlib for the Pyodide in ``pyodide_dir``, from the cache or built now.

    Refuses a cached zip made for another Pyodide release or another source zip.
    """
    source_zip = pyodide_dir / "python_stdlib.zip"
    source_sha256 = sha256_file(source_zip)
    entry_dir = stdlib_cache_entry(cache_dir, pyodide_version, source_sha256, excluded)
    cached = _read_cached(entry_dir)
    if cached is None:
        # A half-written or damaged entry: start it again.
        shutil.rmtree(entry_dir, ignore_errors=True)
        cached = _build(
            pyodide_dir, pyodide_version, source_zip, source_sha256, entry_dir, excluded
        )
    if cached.pyodide_version != pyodide_version or cached.source_sha256 != source_sha256:
        raise CompileError(
            f"{cached.path} was made for Pyodide {cached.pyodide_version}, not for "
            f"{pyodide_version}: delete {entry_dir} and build again"
        )
    return cached


def _build(
    pyodide_dir: Path,
    pyodide_version: str,
    source_zip: Path,
    source_sha256: str,
    entry_dir: Path,
    excluded: Sequence[str],
) -> PrecompiledStdlib:
    entry_dir.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=entry_dir.parent, prefix="stdlib-tmp-") as tmp:
        work = Path(tmp)
        with zipfile.ZipFile(source_zip) as archive:
            archive.extractall(work / "src")
        runtime, _counts = compile_with_pyodide(
            pyodide_dir, work, [("src", "out", f"/lib/python{_zip_suffix(pyodide_dir)}.zip/")]
        )
        staged = work / "result"
        staged.mkdir()
        zip_path = staged / PYC_STDLIB_NAME
        _write_pyc_zip(source_zip, work / "out", zip_path, set(excluded))
        check_pyc_zip(zip_path, runtime)
        meta = {
            "pyodide_version": pyodide_version,
            "source_sha256": source_sha256,
            "runtime": asdict(runtime),
            "excluded": list(excluded),
            "sha256": sha256_file(zip_path),
        }
        (staged / "meta.json").write_text(json.dumps(meta, indent=2) + "\n", encoding="utf-8")
        # Several builds may run at once (tests, make): whoever renames first wins, and the
        # others use that result, which is identical.
        try:
            staged.rename(entry_dir)
        except OSError:
            if not entry_dir.is_dir():
                raise
    cached = _read_cached(entry_dir)
    if cached is None:
        raise CompileError(f"the precompiled stdlib in {entry_dir} is incomplete")
    prune_cache(entry_dir.parent, "stdlib")
    return cached


def _zip_suffix(pyodide_dir: Path) -> str:
    """``314`` for Python 3.14: Pyodide installs the stdlib as ``/lib/python314.zip``."""
    lock = json.loads((pyodide_dir / "pyodide-lock.json").read_text(encoding="utf-8"))
    major, minor = lock["info"]["python"].split(".")[:2]
    return f"{major}{minor}"
