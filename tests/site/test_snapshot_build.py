"""The ``--snapshot`` build option (build_tools.engine, build_tools/snapshot.mjs): a Pyodide
memory snapshot in the engine folder, hashed with the files it was made from, precached like
them, and an engine that starts from it in Node and scores. The default build has none.

The site with the option is built once per session (``built_snapshot_site`` in
tests/conftest.py, shared with tests/e2e/test_snapshot_checklist.py); the snapshot itself comes
from .cache/engine when its inputs did not change.
"""

from __future__ import annotations

import gzip
import json
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from _engine_manifest import default_manifest

from build_tools import engine
from build_tools.engine import EngineBuildError, build_engine

pytestmark = pytest.mark.build

REPO_ROOT = Path(__file__).resolve().parents[2]
KCM_RUBRIC = REPO_ROOT / "rubric" / "klantcontact.json"
GZIP_MAGIC = b"\x1f\x8b"
PRECACHE_ENTRY_RE = re.compile(r'\{url:"([^"]+)",revision:(?:"([0-9a-f]+)"|null)\}')


def manifest_of(site: Path) -> dict[str, str]:
    data: dict[str, str] = json.loads((site / "engine/engine.json").read_text(encoding="utf-8"))
    return data


def folder_files(site: Path) -> dict[str, Path]:
    folder = site / "engine" / manifest_of(site)["base"]
    return {path.name: path for path in folder.iterdir() if path.is_file()}


@pytest.fixture(scope="module")
def site(built_snapshot_site: Path) -> Path:
    return built_snapshot_site


@pytest.fixture(scope="module")
def probe(site: Path) -> dict[str, Any]:
    """The snapshot engine started in Node as the worker starts it, every browser API function
    called with good and bad input (build_tools/engine_node.mjs --snapshot)."""
    return engine.probe_engine(site / "engine", snapshot=True)


def test_engine_json_names_the_snapshot_beside_the_other_engine_files(site: Path) -> None:
    manifest = manifest_of(site)
    base = manifest["base"]
    assert manifest["snapshot"] == base + "snapshot.bin.gz"
    # Everything else is what a default build writes.
    assert {k: v for k, v in manifest.items() if k != "snapshot"} == default_manifest(base)


def test_snapshot_is_gzip_of_a_whole_pyodide_memory(site: Path) -> None:
    data = (site / "engine" / manifest_of(site)["snapshot"]).read_bytes()
    assert data[:2] == GZIP_MAGIC
    raw = gzip.decompress(data)
    # Pyodide's snapshot format (private, of the pinned release): its magic number, then the
    # WebAssembly memory, tens of MB after start-up.
    assert raw[:4] == b"\x00snp"
    assert len(raw) > 16_000_000
    # Compressed, it costs about 5 MB more on a first visit, not 30.
    assert len(data) < 8_000_000


def test_the_folder_name_covers_the_snapshot(site: Path) -> None:
    files = folder_files(site)
    base = manifest_of(site)["base"].removesuffix("/")
    assert engine.engine_hash(files) == base
    # Without it the hash differs: another snapshot always gets another URL, so the service
    # worker (which precaches this folder without revisions) can never keep a stale one.
    without = {name: path for name, path in files.items() if name != "snapshot.bin.gz"}
    assert engine.engine_hash(without) != base


def test_service_worker_precaches_the_snapshot_without_a_revision(site: Path) -> None:
    entries = dict(PRECACHE_ENTRY_RE.findall((site / "sw.js").read_text(encoding="utf-8")))
    assert entries["engine/" + manifest_of(site)["snapshot"]] == ""


def test_the_default_build_has_no_snapshot(built_site: Path) -> None:
    assert "snapshot" not in manifest_of(built_site)
    assert not list((built_site / "engine").rglob("snapshot*"))
    assert "snapshot" not in (built_site / "sw.js").read_text(encoding="utf-8")


def test_the_option_changes_nothing_but_the_snapshot(site: Path, built_site: Path) -> None:
    ours, default = folder_files(site), folder_files(built_site)
    assert sorted(ours) == sorted([*default, "snapshot.bin.gz"])
    for name, path in default.items():
        assert ours[name].read_bytes() == path.read_bytes(), name


def test_the_engine_starts_from_the_snapshot_and_scores_in_node(probe: dict[str, Any]) -> None:
    # kcm_core was imported before the first line of Python ran: it came from the snapshot.
    assert "kcm_core.browser_api" in probe["modules_after_start"]
    assert probe["init"]["ok"] is True
    assert probe["score"]["ok"] is True
    assert probe["score"]["result"]["verdict"] in ("pass", "fail")
    assert probe["bad"]["ok"] is False
    # The wheel is installed at start as well: kcm_core's files are there, with their .pyc.
    assert probe["kcm_core_file"] == "/lib/python3.14/site-packages/kcm_core/__init__.py"
    assert probe["kcm_core_modules"] == probe["kcm_core_modules_with_pyc"] > 0


def test_tracebacks_from_the_snapshot_engine_show_kcm_core_source_lines(
    probe: dict[str, Any],
) -> None:
    # A snapshot holds memory, not files; the source lines come from the installed wheel.
    assert "kcm_core/rubric_load.py" in probe["error_in_kcm_core"]
    assert "raise KcmError(" in probe["error_in_kcm_core"]


def test_a_stdlib_module_not_in_the_snapshot_still_imports(site: Path, tmp_path: Path) -> None:
    # decimal is in the site's stdlib zip (safety margin) but imported by nothing at start-up:
    # the zip must still be mounted after the snapshot is restored.
    script = tmp_path / "import_after_snapshot.mjs"
    script.write_text(
        f"""
import {{ readFileSync }} from "node:fs";
import {{ gunzipSync }} from "node:zlib";
import {{ openEngine }} from {json.dumps(str(REPO_ROOT / "build_tools/engine_open.mjs"))};
const dir = process.argv[2];
const {{ manifest, loadPyodide, loadOptions }} = await openEngine(dir);
const snapshot = gunzipSync(readFileSync(dir + "/" + manifest.snapshot));
const pyodide = await loadPyodide({{ ...loadOptions, _loadSnapshot: snapshot }});
const before = pyodide.runPython("import sys; 'decimal' in sys.modules");
const after = pyodide.runPython("import decimal; str(decimal.Decimal('1.5') * 2)");
console.log(JSON.stringify([before, after]));
""",
        encoding="utf-8",
    )
    result = subprocess.run(
        ["node", str(script), str(site / "engine")],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert json.loads(result.stdout.strip().splitlines()[-1]) == [False, "3.0"]


def test_snapshot_mjs_refuses_a_pyodide_other_than_engine_json_names(
    site: Path, tmp_path: Path
) -> None:
    copy = tmp_path / "engine"
    shutil.copytree(site / "engine", copy)
    manifest = manifest_of(site)
    manifest["pyodide_version"] = "314.0.6"
    (copy / "engine.json").write_text(json.dumps(manifest), encoding="utf-8")
    result = subprocess.run(
        ["node", str(engine.SNAPSHOT_SCRIPT), str(copy), str(tmp_path / "snapshot.bin")],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 1
    assert "Pyodide 314.0.7 loaded, engine.json says 314.0.6" in result.stderr
    assert not (tmp_path / "snapshot.bin").exists()


def test_the_build_refuses_a_pyodide_other_than_the_pinned_one(tmp_path: Path) -> None:
    pyodide_dir = tmp_path / "pyodide"
    pyodide_dir.mkdir()
    (pyodide_dir / "package.json").write_text('{"version": "314.0.6"}', encoding="utf-8")
    with pytest.raises(EngineBuildError, match=re.escape("holds Pyodide 314.0.6")):
        build_engine(KCM_RUBRIC, tmp_path / "site", pyodide_dir=pyodide_dir, snapshot=True)
    assert not (tmp_path / "site").exists()


def test_a_cached_snapshot_made_for_another_pyodide_is_refused(site: Path, tmp_path: Path) -> None:
    inputs = {k: v for k, v in folder_files(site).items() if k != "snapshot.bin.gz"}
    version = engine.PYODIDE_VERSION
    entry = tmp_path / f"snapshot-{engine._snapshot_key(inputs, version)}"
    entry.mkdir()
    shutil.copyfile(site / "engine" / manifest_of(site)["snapshot"], entry / "snapshot.bin.gz")
    (entry / "meta.json").write_text('{"pyodide_version": "314.0.6"}', encoding="utf-8")
    with pytest.raises(EngineBuildError, match=re.escape("made for Pyodide 314.0.6, not 314.0.7")):
        engine.cached_snapshot(inputs, version, "3.14.2", "kcm_core.whl", tmp_path)


def test_a_rebuild_takes_the_snapshot_from_the_cache(site: Path, tmp_path: Path) -> None:
    # Same inputs, same snapshot bytes, same folder: nothing new for a returning visitor.
    again = build_engine(KCM_RUBRIC, tmp_path / "site", snapshot=True)
    assert again.snapshot is not None
    assert again.base == manifest_of(site)["base"]
    assert (
        again.snapshot.path.read_bytes()
        == (site / "engine" / manifest_of(site)["snapshot"]).read_bytes()
    )
