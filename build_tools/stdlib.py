"""The precompiled standard library the engine starts with (issue 7: the engine starts fast, and
the first visit downloads no more than stock Pyodide).

Most of Pyodide's start-up is CPython compiling standard-library sources at import
(notes/pyodide-startup.md: Node 2.2 s stock, 0.8 s with ``.pyc``). So at site-build time every
``.py`` in Pyodide's ``python_stdlib.zip`` is compiled to ``.pyc`` by Pyodide's own CPython
(the magic number must match), with ``PycInvalidationMode.UNCHECKED_HASH`` so nothing is compared
with a source at import. ``zipimport`` loads ``name.pyc`` from the zip when there is no
``name.py``; the worker passes the zip as ``loadPyodide({stdLibURL})``.

A ``.pyc`` is about 1.6 times the size of its source, even compressed: the whole standard
library precompiled is 4.1 MB, Pyodide's zip of sources 2.5 MB. Trimming saves bytes, not time
(start-up in Node is the same), so the compiled modules are split in two zips:

- ``python_stdlib_pyc.zip``, the site's: only the modules in ``ENGINE_MODULES``, the allow-list
  of what the engine imports (Pyodide's start-up, ``loadPackage`` of the kcm_core wheel, every
  browser API function with good and bad input and an exception formatted as a traceback,
  measured in Pyodide by tests/site/test_engine.py) plus a small documented safety margin;
  1.7 MB, so the first visit downloads less than stock Pyodide's.
- ``python_stdlib_test_extra.zip``, everything else, for the kcm_core tests that run inside
  Pyodide on the site's zip (``python -m tests.pyodide.pyodide_tests``): pytest and Hypothesis
  need pdb, argparse, unittest, ... It stays in ``.cache/engine/`` and is never part of the site.

A module is in exactly one of the two, so a module the engine uses always comes from the site's
zip, also in the test run (``in_pyodide.add_test_stdlib`` consults the second zip only for
modules the first does not have). Sources stay available for debugging: the engine ships
Pyodide's untouched zip as ``python_stdlib_src.zip``, which nothing downloads on its own.

The zips are cached in ``.cache/engine/`` keyed by the Pyodide version, the source zip's
sha256, the allow-list and the compiler code, and a cached zip made for another Pyodide is
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
# The rest of the standard library, precompiled the same way: for the in-Pyodide test run only.
TEST_EXTRA_STDLIB_NAME = "python_stdlib_test_extra.zip"

# What the site's stdlib zip holds. "name" is one module (for a package: its __init__ only),
# "name.*" a package with all it holds (data files included). Names are those of the files in
# the zip: importlib._bootstrap, not _frozen_importlib; posixpath, not os.path.
# Why each module is here, by group. Groups 1 to 3 were measured inside Pyodide (sys.modules,
# build_tools/engine_node.mjs); tests/site/test_engine.py measures again on every run and
# fails, naming the module, when the engine imports one that is not listed.
#
# 1. loadPyodide: Pyodide's own packages, whole, and what its start-up imports.
_PYODIDE_START = """
    _pyodide.* pyodide.*
    __future__ _collections_abc _colorize _opcode_metadata _py_warnings _sitebuiltins _ssl
    _weakrefset abc annotationlib ast asyncio asyncio.base_events asyncio.base_futures
    asyncio.base_subprocess asyncio.base_tasks asyncio.constants asyncio.coroutines
    asyncio.events asyncio.exceptions asyncio.format_helpers asyncio.futures asyncio.graph
    asyncio.locks asyncio.log asyncio.mixins asyncio.protocols asyncio.queues asyncio.runners
    asyncio.selector_events asyncio.sslproto asyncio.staggered asyncio.streams
    asyncio.subprocess asyncio.taskgroups asyncio.tasks asyncio.threads asyncio.timeouts
    asyncio.transports asyncio.trsock asyncio.unix_events base64 bisect bz2 codecs codeop
    collections compression compression._common compression._common._streams
    compression.zstd compression.zstd._zstdfile concurrent concurrent.futures
    concurrent.futures._base contextlib contextvars copy copyreg dataclasses dis encodings
    encodings.aliases encodings.utf_8 enum fnmatch functools genericpath glob heapq importlib
    importlib._abc importlib._bootstrap importlib._bootstrap_external importlib.abc
    importlib.machinery importlib.util inspect io json json.decoder json.encoder json.scanner
    keyword linecache locale logging lzma ntpath opcode operator os pathlib pathlib._os
    posixpath random re re._casefix re._compiler re._constants re._parser reprlib selectors
    shutil signal site socket ssl stat string struct subprocess tempfile textwrap threading
    token tokenize traceback types typing warnings weakref zipfile zipfile._path
    zipfile._path.glob zipimport
"""
# 2. loadPackage("kcm-core"): unpacking the wheel and recording it as installed.
_LOAD_PACKAGE = """
    email encodings.cp437 importlib.metadata importlib.metadata._collections
    importlib.metadata._functools importlib.metadata._itertools importlib.metadata._meta tarfile
"""
# 3. kcm_core.browser_api: init, score and check_import with good input and
#    with every kind of bad input (in_pyodide._browser_api_calls), and Python exceptions that
#    reach JavaScript as tracebacks (traceback, linecache, tokenize are in group 1 already).
_BROWSER_API = """
    datetime difflib fractions hashlib numbers importlib.readers importlib.resources
    importlib.resources._adapters importlib.resources._common importlib.resources._functional
    importlib.resources._itertools importlib.resources.abc importlib.resources.readers
"""
# 4. Safety margin, small modules (together about 45 kB) that code on the engine's paths
#    imports lazily or that a small change to kcm_core would plausibly need: decimal (fractions
#    imports it inside functions; the C _decimal is built into Pyodide), _strptime and calendar
#    (datetime.strptime), and the common text codecs (bytes.decode of a file's contents).
_SAFETY_MARGIN = """
    decimal _strptime calendar
    encodings.ascii encodings.latin_1 encodings.utf_8_sig encodings.utf_16 encodings.utf_16_le
    encodings.utf_16_be encodings.utf_32 encodings.utf_32_le encodings.utf_32_be
    encodings.unicode_escape encodings.raw_unicode_escape encodings.cp1252
"""
ENGINE_MODULES: tuple[str, ...] = tuple(
    sorted({*_PYODIDE_START.split(), *_LOAD_PACKAGE.split(), *_BROWSER_API.split()})
) + tuple(sorted(set(_SAFETY_MARGIN.split())))

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
    """The cached precompiled stdlib zips and what they were made for."""

    path: Path  # the site's zip: the modules in ``modules``
    test_extra: Path  # every other module, for the in-Pyodide test run
    pyodide_version: str
    source_sha256: str
    runtime: PycRuntime
    modules: tuple[str, ...]  # the allow-list it was made with


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


def module_name(entry: str) -> str:
    """The module a stdlib zip entry belongs to: ``json/decoder.pyc`` -> ``json.decoder``,
    ``json/__init__.py`` -> ``json``; a folder or data file, to its package (``json/``,
    ``pyodide/py.typed``)."""
    parts = entry.rstrip("/").split("/")
    if entry.endswith("/"):
        return ".".join(parts)
    stem, _, suffix = parts[-1].rpartition(".")
    if suffix not in ("py", "pyc"):
        return ".".join(parts[:-1])
    return ".".join(parts[:-1] if stem == "__init__" else [*parts[:-1], stem])


def in_allow_list(entry: str, allowed: Iterable[str]) -> bool:
    """Whether the stdlib zip entry ``entry`` belongs in the site's zip (see ENGINE_MODULES).

    A data file goes with its package only when the whole package is listed (``name.*``)."""
    name = module_name(entry)
    is_module = entry.endswith((".py", ".pyc"))
    for pattern in allowed:
        if pattern.endswith(".*"):
            package = pattern[: -len(".*")]
            if name == package or name.startswith(package + "."):
                return True
        elif is_module and name == pattern:
            return True
    return False


def _deflated(name: str) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, date_time=_ZIP_DATE)
    info.compress_type = zipfile.ZIP_DEFLATED
    info.external_attr = (0o40755 if name.endswith("/") else 0o100644) << 16
    return info


def check_allow_list(source_zip: Path, allowed: Iterable[str]) -> None:
    """Refuse an allow-list entry that names no module of ``source_zip``: a typo would leave
    a needed module out of the site's zip unnoticed."""
    with zipfile.ZipFile(source_zip) as source:
        modules = {module_name(name) for name in source.namelist() if name.endswith(".py")}
    unknown = [pattern for pattern in allowed if pattern.removesuffix(".*") not in modules]
    if unknown:
        raise CompileError(
            f"ENGINE_MODULES names modules that {source_zip.name} does not hold: "
            + ", ".join(unknown)
        )


def _write_pyc_zips(
    source_zip: Path, compiled_dir: Path, site_target: Path, extra_target: Path, allowed: set[str]
) -> None:
    """Split ``source_zip``'s entries, ``x.py`` replaced by ``x.pyc``, between the site's zip
    (the allow-list) and the test extra zip (the rest), each in the source's order.

    A folder entry goes into each zip that holds a file below it.
    """
    with zipfile.ZipFile(source_zip) as source:
        entries = source.infolist()
        files = [e for e in entries if not e.is_dir()]
        site_files = {e.filename for e in files if in_allow_list(e.filename, allowed)}
        with (
            zipfile.ZipFile(site_target, "w") as site,
            zipfile.ZipFile(extra_target, "w") as extra,
        ):
            for entry in entries:
                name = entry.filename
                if entry.is_dir():
                    below = [f.filename for f in files if f.filename.startswith(name)]
                    if any(f in site_files for f in below):
                        site.writestr(_deflated(name), b"")
                    if any(f not in site_files for f in below):
                        extra.writestr(_deflated(name), b"")
                    continue
                target = site if name in site_files else extra
                if name.endswith(".py"):
                    name = name[: -len(".py")] + ".pyc"
                    data = (compiled_dir / name).read_bytes()
                else:
                    data = source.read(entry)
                target.writestr(_deflated(name), data, compresslevel=9)


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


def _cache_key(pyodide_version: str, source_sha256: str, modules: Iterable[str]) -> str:
    digest = hashlib.sha256()
    for part in (pyodide_version, source_sha256, ",".join(modules), compiler_fingerprint()):
        digest.update(part.encode() + b"\0")
    return digest.hexdigest()[:20]


def _read_cached(entry_dir: Path) -> PrecompiledStdlib | None:
    meta_path = entry_dir / "meta.json"
    zip_path = entry_dir / PYC_STDLIB_NAME
    extra_path = entry_dir / TEST_EXTRA_STDLIB_NAME
    if not (meta_path.is_file() and zip_path.is_file() and extra_path.is_file()):
        return None
    meta = json.loads(meta_path.read_text(encoding="utf-8"))
    if "modules" not in meta or sha256_file(zip_path) != meta["sha256"]:
        return None
    if sha256_file(extra_path) != meta["test_extra_sha256"]:
        return None
    return PrecompiledStdlib(
        path=zip_path,
        test_extra=extra_path,
        pyodide_version=meta["pyodide_version"],
        source_sha256=meta["source_sha256"],
        runtime=PycRuntime(**meta["runtime"]),
        modules=tuple(meta["modules"]),
    )


def stdlib_cache_entry(
    cache_dir: Path, pyodide_version: str, source_sha256: str, modules: Sequence[str]
) -> Path:
    """The cache folder of the precompiled stdlib for these inputs."""
    return cache_dir / f"stdlib-{_cache_key(pyodide_version, source_sha256, modules)}"


def precompiled_stdlib(
    pyodide_dir: Path,
    pyodide_version: str,
    cache_dir: Path,
    modules: Sequence[str] = ENGINE_MODULES,
) -> PrecompiledStdlib:
    """The precompiled stdlib zips for the Pyodide in ``pyodide_dir``, from the cache or built
    now; ``modules`` is the allow-list of the site's zip.

    Refuses an allow-list naming a module the stdlib does not hold, and a cached zip made for
    another Pyodide release or another source zip.
    """
    source_zip = pyodide_dir / "python_stdlib.zip"
    check_allow_list(source_zip, modules)
    source_sha256 = sha256_file(source_zip)
    entry_dir = stdlib_cache_entry(cache_dir, pyodide_version, source_sha256, modules)
    cached = _read_cached(entry_dir)
    if cached is None:
        # A half-written or damaged entry: start it again.
        shutil.rmtree(entry_dir, ignore_errors=True)
        cached = _build(pyodide_dir, pyodide_version, source_zip, source_sha256, entry_dir, modules)
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
    modules: Sequence[str],
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
        extra_path = staged / TEST_EXTRA_STDLIB_NAME
        _write_pyc_zips(source_zip, work / "out", zip_path, extra_path, set(modules))
        check_pyc_zip(zip_path, runtime)
        check_pyc_zip(extra_path, runtime)
        meta = {
            "pyodide_version": pyodide_version,
            "source_sha256": source_sha256,
            "runtime": asdict(runtime),
            "modules": list(modules),
            "sha256": sha256_file(zip_path),
            "test_extra_sha256": sha256_file(extra_path),
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
