"""The kcm_core wheel of the engine: built with ``python -m build`` (pure Python), its modules
precompiled to ``.pyc`` with Pyodide's own Python, registered in a ``pyodide-lock.json`` with
``pyodide lockfile add-wheels`` (``pyodide build`` needs the internet), and cached by a
fingerprint of the sources and the compiler (``.cache/engine``). ``build_tools.engine`` puts
the result into the site's engine folder.

- The lock holds only kcm-core. Pyodide's full lock (119 kB, fetched at every start) lists 350
  packages this site does not ship; under Node, Pyodide would even fetch a listed package from
  its CDN. ``add-wheels`` resolves the wheel's dependencies against this small lock, so a
  runtime dependency of kcm_core fails the build, as it should: the site could not load it
  (kcm_core has none).
- The wheel also carries ``kcm_core/__pycache__/<module>.cpython-314.pyc`` files, compiled by
  Pyodide's CPython (unchecked hash-based .pyc). ``loadPackage`` only unpacks a wheel, so this is
  the way to precompile kcm_core while the wheel stays the one registered artifact (the lock's
  sha256 covers the .pyc files) and its ``.py`` sources stay next to them for tracebacks.
  CPython of another version ignores them (other cache tag).
- The wheel is reproducible (fixed ``SOURCE_DATE_EPOCH``) and cached in ``.cache/engine/``
  keyed by the hash of everything that goes into it; so is the precompiled stdlib.
"""

from __future__ import annotations

import base64
import csv
import hashlib
import io
import json
import os
import shutil
import subprocess
import sys
import tempfile
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from build_tools.stdlib import (
    PycRuntime,
    compile_with_pyodide,
    compiler_fingerprint,
    prune_cache,
    sha256_file,
)

__all__ = [
    "LOCK_NAME",
    "PACKAGE_NAME",
    "REPO_ROOT",
    "CachedWheel",
    "EngineBuildError",
    "cached_wheel",
    "check_lock",
    "kcm_core_fingerprint",
    "run_command",
]

REPO_ROOT = Path(__file__).resolve().parents[1]
PACKAGE_NAME = "kcm-core"
LOCK_NAME = "pyodide-lock.json"
# Files of the project that end up in the wheel (besides kcm_core/ itself, which also holds the
# package's README: the repository's README.md is not in the wheel, so editing it does not
# change the engine's content hash and send every visitor the engine again).
_PROJECT_FILES = ("pyproject.toml", "LICENSE", "LICENSE.txt", "LICENSE.md")
# Fixed timestamp for the files in the wheel: same sources, same bytes, same sha256.
_SOURCE_DATE_EPOCH = "315532800"  # 1980-01-01, the earliest a zip file can hold


class EngineBuildError(RuntimeError):
    """The engine cannot be built; the message says why and what to do."""


@dataclass(frozen=True, slots=True)
class CachedWheel:
    wheel: Path
    lock: Path
    runtime: PycRuntime


def _pyodide_lock(pyodide_dir: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((pyodide_dir / LOCK_NAME).read_text(encoding="utf-8"))
    return data


def _site_packages(pyodide_dir: Path) -> str:
    major, minor = _pyodide_lock(pyodide_dir)["info"]["python"].split(".")[:2]
    return f"/lib/python{major}.{minor}/site-packages/"


def _project_sources(project_root: Path) -> list[Path]:
    """Everything of the project that goes into the wheel, relative to the project root."""
    files = [Path(name) for name in _PROJECT_FILES if (project_root / name).is_file()]
    package = project_root / "kcm_core"
    for path in sorted(package.rglob("*")):
        relative = path.relative_to(project_root)
        if path.is_file() and "__pycache__" not in relative.parts and path.suffix != ".pyc":
            files.append(relative)
    return files


def _file_sha256() -> str:
    # This code makes the wheel: a change to it is a change to the wheel's key.
    return hashlib.sha256(Path(__file__).read_bytes()).hexdigest()


def kcm_core_fingerprint(project_root: Path = REPO_ROOT, pyodide_version: str = "") -> str:
    """Hash of what the cached wheel is made from: sources, metadata, compiler, Pyodide."""
    digest = hashlib.sha256()
    for relative in _project_sources(project_root):
        content = (project_root / relative).read_bytes()
        digest.update(f"{relative.as_posix()}\0{len(content)}\0".encode() + content)
    # This file too: it rewrites the wheel.
    for part in (pyodide_version, compiler_fingerprint(), _SOURCE_DATE_EPOCH, _file_sha256()):
        digest.update(part.encode() + b"\0")
    return digest.hexdigest()[:20]


def run_command(command: Sequence[str], what: str, **kwargs: Any) -> str:
    result = subprocess.run(list(command), capture_output=True, text=True, check=False, **kwargs)
    if result.returncode != 0:
        raise EngineBuildError(
            f"{what} failed (exit {result.returncode}):\n"
            f"{(result.stderr.strip() or result.stdout.strip())[-4000:]}"
        )
    return str(result.stdout)


def _build_pure_wheel(project_root: Path, work: Path) -> Path:
    """``python -m build --wheel`` on a clean copy, so the working tree gets no build/ folder."""
    source = work / "project"
    for relative in _project_sources(project_root):
        (source / relative).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(project_root / relative, source / relative)
    dist = work / "dist"
    # --no-isolation: setuptools comes from requirements.lock, not from a download.
    run_command(
        [sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir", str(dist), "."],
        "building the kcm_core wheel (python -m build --wheel)",
        cwd=source,
        env={**os.environ, "SOURCE_DATE_EPOCH": _SOURCE_DATE_EPOCH},
    )
    wheels = sorted(dist.glob("*.whl"))
    if len(wheels) != 1 or not wheels[0].name.endswith("-py3-none-any.whl"):
        raise EngineBuildError(f"expected one pure-Python wheel, got {[w.name for w in wheels]}")
    return wheels[0]


def _record_line(name: str, data: bytes) -> list[str]:
    digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
    return [name, f"sha256={digest}", str(len(data))]


def _add_pyc_files(wheel: Path, compiled: dict[str, bytes], target: Path) -> None:
    """Copy ``wheel`` to ``target`` with extra files ``compiled`` (name -> bytes), RECORD updated.

    Order: package files, the .pyc files, then .dist-info with RECORD last.
    """
    with zipfile.ZipFile(wheel) as source:
        entries = source.infolist()
        record = next(e for e in entries if e.filename.endswith(".dist-info/RECORD"))
        rows = [row for row in csv.reader(io.StringIO(source.read(record).decode())) if row]
        rows = [row for row in rows if row[0] != record.filename]
        package = [e for e in entries if ".dist-info/" not in e.filename]
        dist_info = [e for e in entries if ".dist-info/" in e.filename and e is not record]
        date_time = record.date_time
        with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as out:
            for entry in package:
                out.writestr(entry, source.read(entry))
            for name, data in sorted(compiled.items()):
                info = zipfile.ZipInfo(name, date_time=date_time)
                info.compress_type = zipfile.ZIP_DEFLATED
                info.external_attr = 0o100644 << 16
                out.writestr(info, data)
                rows.append(_record_line(name, data))
            for entry in dist_info:
                out.writestr(entry, source.read(entry))
            text = io.StringIO()
            csv.writer(text, lineterminator="\n").writerows([*rows, [record.filename, "", ""]])
            out.writestr(record, text.getvalue())


def _precompile_wheel(pure_wheel: Path, pyodide_dir: Path, work: Path, target: Path) -> PycRuntime:
    """Add ``kcm_core/__pycache__/*.cpython-XY.pyc`` compiled by Pyodide to the wheel."""
    with zipfile.ZipFile(pure_wheel) as archive:
        modules = [name for name in archive.namelist() if name.endswith(".py")]
        for name in modules:
            archive.extract(name, work / "py")
    runtime, (count,) = compile_with_pyodide(
        pyodide_dir, work, [("py", "pyc", _site_packages(pyodide_dir))]
    )
    if count != len(modules):
        raise EngineBuildError(f"compiled {count} of the wheel's {len(modules)} modules")
    compiled = {}
    for name in modules:
        folder, _, file = name.rpartition("/")
        cached = f"{folder}/__pycache__/{file[: -len('.py')]}.{runtime.cache_tag}.pyc"
        compiled[cached] = (work / "pyc" / (name[: -len(".py")] + ".pyc")).read_bytes()
    _add_pyc_files(pure_wheel, compiled, target)
    return runtime


def _pyodide_cli() -> str:
    beside = Path(sys.executable).parent / "pyodide"
    found = str(beside) if beside.is_file() else shutil.which("pyodide")
    if found is None:
        raise EngineBuildError(
            "the 'pyodide' command (pyodide-cli + pyodide-lock) is missing: run 'make setup'"
        )
    return found


def _register_wheel(wheel: Path, pyodide_dir: Path, target: Path) -> None:
    """Write ``target``: a lock with Pyodide's ``info`` and only the wheel in it."""
    with tempfile.TemporaryDirectory(prefix="kcm-lock-") as tmp:
        work = Path(tmp)
        base = {"info": _pyodide_lock(pyodide_dir)["info"], "packages": {}}
        (work / "base-lock.json").write_text(json.dumps(base), encoding="utf-8")
        shutil.copyfile(wheel, work / wheel.name)
        run_command(
            [
                _pyodide_cli(),
                "lockfile",
                "add-wheels",
                "--input",
                "base-lock.json",
                "--output",
                LOCK_NAME,
                "--base-path",
                ".",
                wheel.name,
            ],
            "registering the wheel (pyodide lockfile add-wheels)",
            cwd=work,
        )
        shutil.copyfile(work / LOCK_NAME, target)


def cached_wheel(
    project_root: Path, pyodide_dir: Path, cache_dir: Path, version: str
) -> CachedWheel:
    """The precompiled wheel and its lock, from the cache or built now (``version``: the
    pinned Pyodide in ``pyodide_dir``)."""
    entry = cache_dir / f"wheel-{kcm_core_fingerprint(project_root, version)}"
    meta_path = entry / "meta.json"
    if not meta_path.is_file():
        shutil.rmtree(entry, ignore_errors=True)
        cache_dir.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryDirectory(dir=cache_dir, prefix="wheel-tmp-") as tmp:
            work = Path(tmp)
            pure = _build_pure_wheel(project_root, work / "build")
            staged = work / "result"
            staged.mkdir()
            runtime = _precompile_wheel(pure, pyodide_dir, work / "compile", staged / pure.name)
            _register_wheel(staged / pure.name, pyodide_dir, staged / LOCK_NAME)
            meta = {
                "wheel": pure.name,
                "pyodide_version": version,
                "runtime": {
                    "python_version": runtime.python_version,
                    "cache_tag": runtime.cache_tag,
                    "magic": runtime.magic,
                },
            }
            (staged / "meta.json").write_text(json.dumps(meta, indent=2), encoding="utf-8")
            try:
                staged.rename(entry)
            except OSError:
                # Another build finished the same entry first; its files are identical.
                if not meta_path.is_file():
                    raise
        prune_cache(cache_dir, "wheel")
    meta = json.loads(meta_path.read_text(encoding="utf-8"))
    if meta["pyodide_version"] != version:
        raise EngineBuildError(f"{entry} was made for Pyodide {meta['pyodide_version']}")
    return CachedWheel(
        wheel=entry / meta["wheel"], lock=entry / LOCK_NAME, runtime=PycRuntime(**meta["runtime"])
    )


def check_lock(lock_path: Path, wheel: Path, pyodide_dir: Path) -> None:
    """The lock must register exactly this wheel, so the browser's integrity check passes."""
    lock = json.loads(lock_path.read_text(encoding="utf-8"))
    problems = []
    if lock.get("info") != _pyodide_lock(pyodide_dir)["info"]:
        problems.append("its info differs from Pyodide's")
    entry = lock.get("packages", {}).get(PACKAGE_NAME)
    if set(lock.get("packages", {})) != {PACKAGE_NAME} or entry is None:
        problems.append(f"it should hold only {PACKAGE_NAME}, not {sorted(lock['packages'])}")
    else:
        if entry.get("file_name") != wheel.name:
            problems.append(f"file_name is {entry.get('file_name')!r}, not {wheel.name!r}")
        if entry.get("sha256") != sha256_file(wheel):
            problems.append("its sha256 is not the wheel's")
    if problems:
        raise EngineBuildError(f"{lock_path}: " + "; ".join(problems))
