"""The engine folder (build_tools.engine): vendored Pyodide, the kcm_core wheel in the site's own
lock, the precompiled standard library, and proof that it all loads and scores in Pyodide.

The engine is built once into a temporary folder (the wheel and the precompiled stdlib come
from .cache/engine when their inputs did not change) and then started for real in Node, the
way the checklist worker starts it, and every browser API function is called with good and bad
input. The site's stdlib zip holds only the allow-list of build_tools/stdlib.py; a second
start, with the rest of the stdlib importable, measures that the engine needs none of it.
"""

from __future__ import annotations

import ast
import base64
import csv
import gzip
import hashlib
import io
import json
import re
import shutil
import zipfile
from pathlib import Path
from typing import Any

import pytest
from _engine_manifest import default_manifest

from build_tools import engine, engine_wheel, stdlib
from build_tools.engine import EngineBuildError, EngineInfo, build_engine
from kcm_core.errors import json_path

pytestmark = pytest.mark.build

REPO_ROOT = Path(__file__).resolve().parents[2]
KCM_RUBRIC = REPO_ROOT / "rubric" / "klantcontact.json"
NPM_PYODIDE = REPO_ROOT / "node_modules" / "pyodide"
CACHE_DIR = engine.DEFAULT_CACHE_DIR
SITE_ZIP = "/lib/python314.zip/"
SITE_PACKAGES = "/lib/python3.14/site-packages/"


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> EngineInfo:
    return build_engine(KCM_RUBRIC, tmp_path_factory.mktemp("engine") / "site")


@pytest.fixture(scope="module")
def wheel_names(built: EngineInfo) -> set[str]:
    with zipfile.ZipFile(built.wheel.path) as archive:
        return set(archive.namelist())


@pytest.fixture(scope="module")
def probe(built: EngineInfo) -> dict[str, Any]:
    """The engine started in Node as the worker starts it, on the site's stdlib zip alone,
    after every browser API function was called with good and bad input."""
    return engine.probe_engine(built.engine_dir)


@pytest.fixture(scope="module")
def test_extra(built: EngineInfo) -> Path:
    """The rest of the stdlib, precompiled: the cache entry the site's zip was copied from."""
    compiled = stdlib.precompiled_stdlib(NPM_PYODIDE, engine.PYODIDE_VERSION, CACHE_DIR)
    assert stdlib.sha256_file(compiled.path) == built.stdlib.sha256
    return compiled.test_extra


@pytest.fixture(scope="module")
def measured(built: EngineInfo, test_extra: Path) -> dict[str, Any]:
    """The same start and calls, with every other stdlib module importable as well: what the
    engine would take from there, it needs and the site's zip lacks."""
    return engine.probe_engine(built.engine_dir, test_extra=test_extra)


def zip_modules(path: Path) -> dict[str, str]:
    """Module name -> entry of every .py/.pyc file in a stdlib zip."""
    with zipfile.ZipFile(path) as archive:
        return {
            stdlib.module_name(name): name
            for name in archive.namelist()
            if name.endswith((".py", ".pyc"))
        }


def gzip_size(path: Path) -> int:
    return len(gzip.compress(path.read_bytes(), compresslevel=9, mtime=0))


def package_sources() -> set[str]:
    """kcm_core's files in the repository, as wheel paths (no caches)."""
    root = REPO_ROOT / "kcm_core"
    return {
        f"kcm_core/{path.relative_to(root).as_posix()}"
        for path in root.rglob("*")
        if path.is_file() and "__pycache__" not in path.parts and path.suffix != ".pyc"
    }


# --- refusing what does not fit ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("package_json", "expected"),
    [
        ({"name": "pyodide", "version": "0.27.7"}, "holds Pyodide 0.27.7"),
        ({"name": "pyodide", "version": "314.0.6"}, "holds Pyodide 314.0.6"),
        ({"name": "pyodide"}, "holds Pyodide None"),
        (None, "package.json is missing"),
    ],
    ids=["old release", "other patch release", "no version", "not installed"],
)
def test_build_refuses_a_pyodide_other_than_the_pinned_one(
    tmp_path: Path, package_json: dict[str, str] | None, expected: str
) -> None:
    pyodide_dir = tmp_path / "pyodide"
    pyodide_dir.mkdir()
    if package_json is not None:
        (pyodide_dir / "package.json").write_text(json.dumps(package_json), encoding="utf-8")
    with pytest.raises(EngineBuildError) as raised:
        build_engine(KCM_RUBRIC, tmp_path / "site", pyodide_dir=pyodide_dir)
    assert expected in str(raised.value)
    if package_json is not None:
        assert f"Pyodide {engine.PYODIDE_VERSION} only" in str(raised.value)
    assert not (tmp_path / "site").exists()


def test_the_pin_matches_package_json() -> None:
    # package.json pins the npm package; PYODIDE_VERSION is the engine's own pin. They must agree.
    pinned = json.loads((REPO_ROOT / "package.json").read_text(encoding="utf-8"))
    assert pinned["dependencies"]["pyodide"] == engine.PYODIDE_VERSION


def test_a_cached_stdlib_made_for_another_pyodide_is_refused(tmp_path: Path) -> None:
    source_sha = stdlib.sha256_file(NPM_PYODIDE / "python_stdlib.zip")
    entry = stdlib.stdlib_cache_entry(
        tmp_path, engine.PYODIDE_VERSION, source_sha, stdlib.ENGINE_MODULES
    )
    entry.mkdir(parents=True)
    zips = {}
    for name in (stdlib.PYC_STDLIB_NAME, stdlib.TEST_EXTRA_STDLIB_NAME):
        with zipfile.ZipFile(entry / name, "w") as archive:
            archive.writestr("os.pyc", b"\x00" * 16)
        zips[name] = stdlib.sha256_file(entry / name)
    meta = {
        "pyodide_version": "0.27.7",
        "source_sha256": source_sha,
        "runtime": {"python_version": "3.12.7", "cache_tag": "cpython-312", "magic": "cb0d0d0a"},
        "modules": list(stdlib.ENGINE_MODULES),
        "sha256": zips[stdlib.PYC_STDLIB_NAME],
        "test_extra_sha256": zips[stdlib.TEST_EXTRA_STDLIB_NAME],
    }
    (entry / "meta.json").write_text(json.dumps(meta), encoding="utf-8")
    with pytest.raises(stdlib.CompileError, match=r"made for Pyodide 0\.27\.7, not for 314"):
        stdlib.precompiled_stdlib(NPM_PYODIDE, engine.PYODIDE_VERSION, tmp_path)


def test_an_allow_list_naming_a_module_the_stdlib_lacks_is_refused(tmp_path: Path) -> None:
    # A typo would leave a module the engine needs out of the site's zip.
    modules = ("json", "jsn", "pyodide.*", "pyodid.*", "collections.abc")
    with pytest.raises(stdlib.CompileError) as raised:
        stdlib.precompiled_stdlib(NPM_PYODIDE, engine.PYODIDE_VERSION, tmp_path, modules)
    assert str(raised.value).endswith("does not hold: jsn, pyodid.*, collections.abc")
    assert not list(tmp_path.iterdir())


def test_a_pyc_from_another_python_is_refused(tmp_path: Path) -> None:
    runtime = stdlib.PycRuntime(python_version="3.14.2", cache_tag="cpython-314", magic="2b0e0d0a")
    zip_path = tmp_path / "stdlib.zip"
    with zipfile.ZipFile(zip_path, "w") as archive:
        archive.writestr("os.pyc", bytes.fromhex(runtime.magic) + b"\x01" + b"\x00" * 11)
        archive.writestr("json/__init__.pyc", bytes.fromhex("cb0d0d0a") + b"\x00" * 12)
    with pytest.raises(stdlib.CompileError, match=r"json/__init__\.pyc was not compiled by"):
        stdlib.check_pyc_zip(zip_path, runtime)


# --- what the engine folder holds -------------------------------------------------------------


def test_engine_folder_holds_runtime_stdlib_wheel_lock_rubric_and_manifest(
    built: EngineInfo,
) -> None:
    files = sorted(p.relative_to(built.engine_dir).as_posix() for p in built.engine_dir.rglob("*"))
    folder = built.base.removesuffix("/")
    assert files == sorted(
        [
            "engine.json",
            "rubric.json",
            "rubrics.json",
            folder,
            *(
                built.base + name
                for name in (
                    "kcm_core-1.0.0-py3-none-any.whl",
                    "pyodide-lock.json",
                    "pyodide.asm.mjs",
                    "pyodide.asm.wasm",
                    "pyodide.mjs",
                    "python_stdlib_pyc.zip",
                    "python_stdlib_src.zip",
                )
            ),
        ]
    )
    assert built.wheel.name == built.base + "kcm_core-1.0.0-py3-none-any.whl"


def test_heavy_files_sit_in_a_folder_named_after_their_content(built: EngineInfo) -> None:
    # The service worker precaches engine/<hash>/ without revisions (sw-build.mjs): that is only
    # safe when the name changes with every byte of the files in it.
    folder = built.runtime_dir
    assert re.fullmatch(r"[0-9a-f]{16}/", built.base)
    files = {path.name: path for path in folder.iterdir()}
    assert engine.engine_hash(files) == built.base.removesuffix("/")


@pytest.mark.parametrize(
    "change",
    ["one byte of a file", "a file renamed", "a file added"],
)
def test_the_folder_name_changes_with_any_change_of_its_files(
    built: EngineInfo, tmp_path: Path, change: str
) -> None:
    files = {path.name: path for path in built.runtime_dir.iterdir()}
    before = engine.engine_hash(files)
    lock = tmp_path / "pyodide-lock.json"
    shutil.copyfile(files["pyodide-lock.json"], lock)
    if change == "one byte of a file":
        data = bytearray(lock.read_bytes())
        data[-2] ^= 1
        lock.write_bytes(bytes(data))
        files["pyodide-lock.json"] = lock
    elif change == "a file renamed":
        files["pyodide-lock-2.json"] = files.pop("pyodide-lock.json")
    else:
        files["extra.json"] = lock
    assert engine.engine_hash(files) != before


@pytest.mark.parametrize(
    ("ours", "npm"),
    [
        ("pyodide.mjs", "pyodide.mjs"),
        ("pyodide.asm.mjs", "pyodide.asm.mjs"),
        ("pyodide.asm.wasm", "pyodide.asm.wasm"),
        # The sources, for debugging: Pyodide's own zip, untouched.
        ("python_stdlib_src.zip", "python_stdlib.zip"),
    ],
)
def test_pyodide_files_are_the_pinned_npm_files_unchanged(
    built: EngineInfo, ours: str, npm: str
) -> None:
    assert (built.runtime_dir / ours).read_bytes() == (NPM_PYODIDE / npm).read_bytes()


def test_rubric_is_copied_byte_for_byte(built: EngineInfo) -> None:
    assert built.rubric.path.read_bytes() == KCM_RUBRIC.read_bytes()


def test_engine_json_tells_the_worker_what_to_load(built: EngineInfo) -> None:
    manifest = json.loads(built.manifest.path.read_text(encoding="utf-8"))
    # Every path relative to engine.json's folder; "base" is where pyodide.mjs and the wheel are.
    base = built.base
    assert manifest == default_manifest(base)
    for key in ("stdlib", "stdlib_sources", "lock", "wheel", "rubric"):
        assert (built.engine_dir / manifest[key]).is_file(), key
    assert (built.engine_dir / base / "pyodide.mjs").is_file()
    assert built.stdlib_url == f"engine/{base}python_stdlib_pyc.zip"


def test_engine_info_describes_the_files_as_written(built: EngineInfo) -> None:
    assert [file.name for file in built.files] == sorted(
        path.relative_to(built.engine_dir).as_posix()
        for path in built.engine_dir.rglob("*")
        if path.is_file()
    )
    for file in built.files:
        data = file.path.read_bytes()
        assert (file.size, file.sha256) == (len(data), sha256(data)), file.name
    assert built.total_size == sum(len(f.path.read_bytes()) for f in built.files)


def test_a_second_build_writes_identical_bytes(built: EngineInfo, tmp_path: Path) -> None:
    # Same inputs, same bytes: the service worker's precache and the lock's sha256 stay valid.
    again = build_engine(KCM_RUBRIC, tmp_path / "site")
    assert [(f.name, f.sha256) for f in again.files] == [(f.name, f.sha256) for f in built.files]
    assert again.base == built.base


def test_another_rubric_keeps_the_engine_folder(built: EngineInfo, tmp_path: Path) -> None:
    # The rubric stays outside engine/<hash>/: a new rubric version must not make every
    # visitor download Pyodide again under a new URL.
    rubric = json.loads(KCM_RUBRIC.read_text(encoding="utf-8"))
    rubric["version"] = rubric["version"] + "-test"
    other = tmp_path / "rubric.json"
    other.write_text(json.dumps(rubric), encoding="utf-8")
    again = build_engine(other, tmp_path / "site")
    assert again.base == built.base
    assert again.rubric.sha256 != built.rubric.sha256


@pytest.mark.parametrize(
    "stale", ["kcm_core-0.9.0-py3-none-any.whl", "0123456789abcdef/pyodide.asm.wasm"]
)
def test_build_replaces_an_old_engine_folder(tmp_path: Path, stale: str) -> None:
    old = tmp_path / "site" / "engine" / stale
    old.parent.mkdir(parents=True)
    old.write_bytes(b"old")
    build_engine(KCM_RUBRIC, tmp_path / "site")
    assert not old.exists()
    assert not old.parent.exists() or old.parent.name == "engine"


# --- the lock and the wheel -------------------------------------------------------------------


def test_lock_registers_only_the_wheel_with_its_sha256(built: EngineInfo) -> None:
    lock = json.loads(built.lock.path.read_text(encoding="utf-8"))
    npm_lock = json.loads((NPM_PYODIDE / "pyodide-lock.json").read_text(encoding="utf-8"))
    assert lock["info"] == npm_lock["info"]
    assert list(lock["packages"]) == ["kcm-core"]
    entry = lock["packages"]["kcm-core"]
    assert entry["name"] == "kcm-core"
    assert entry["version"] == "1.0.0"
    assert entry["file_name"] == built.wheel.path.name
    assert entry["sha256"] == sha256(built.wheel.path.read_bytes())
    assert entry["imports"] == ["kcm_core"]
    assert entry["depends"] == []
    assert entry["install_dir"] == "site"


def test_wheel_holds_every_source_file_and_the_package_data(wheel_names: set[str]) -> None:
    sources = package_sources()
    assert sources <= wheel_names, sorted(sources - wheel_names)
    packaged = {name for name in wheel_names if "__pycache__" not in name}
    assert {n for n in packaged if n.startswith("kcm_core/")} == sources
    assert "kcm_core/py.typed" in wheel_names
    data = {name for name in sources if name.endswith(".json")}
    assert data, "kcm_core ships its JSON schemas as package data"
    assert data <= wheel_names


def test_wheel_carries_an_unchecked_pyc_beside_every_module(
    built: EngineInfo, wheel_names: set[str]
) -> None:
    with zipfile.ZipFile(built.stdlib.path) as archive:
        stdlib_magic = archive.read("os.pyc")[:4]
    modules = sorted(name for name in wheel_names if name.endswith(".py"))
    assert modules
    with zipfile.ZipFile(built.wheel.path) as archive:
        for module in modules:
            folder, _, file = module.rpartition("/")
            header = archive.read(f"{folder}/__pycache__/{file[:-3]}.cpython-314.pyc")[:8]
            # Same magic number as the stdlib (Pyodide's CPython); flags 0b01 = hash-based,
            # source not checked.
            assert header[:4] == stdlib_magic, module
            assert int.from_bytes(header[4:8], "little") == 0b01, module
    assert len([n for n in wheel_names if n.endswith(".pyc")]) == len(modules)


def test_wheel_record_lists_every_file_with_its_hash(built: EngineInfo) -> None:
    # The .pyc files were added after `python -m build`: RECORD must still be exact.
    with zipfile.ZipFile(built.wheel.path) as archive:
        record_name = next(n for n in archive.namelist() if n.endswith(".dist-info/RECORD"))
        rows = list(csv.reader(io.StringIO(archive.read(record_name).decode())))
        assert sorted(row[0] for row in rows) == sorted(archive.namelist())
        for path, hashed, size in rows:
            if path == record_name:
                assert (hashed, size) == ("", "")
                continue
            data = archive.read(path)
            digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=")
            assert (hashed, size) == (f"sha256={digest.decode()}", str(len(data))), path


# --- the precompiled standard library --------------------------------------------------------


@pytest.mark.parametrize(
    ("entry", "module", "allowed"),
    [
        ("json/__init__.pyc", "json", True),
        ("json/decoder.pyc", "json.decoder", True),
        ("os.pyc", "os", True),
        ("pyodide/http/pyxhr.pyc", "pyodide.http.pyxhr", True),  # the package, whole
        ("pyodide/py.typed", "pyodide", True),  # data files go with a whole package
        ("email/__init__.pyc", "email", True),  # the package's __init__ only ...
        ("email/parser.pyc", "email.parser", False),  # ... not its modules
        ("encodings/cp437.pyc", "encodings.cp437", True),
        ("encodings/cp1250.pyc", "encodings.cp1250", False),
        ("pdb.pyc", "pdb", False),
        ("_pyrepl/__init__.pyc", "_pyrepl", False),
        ("tomllib/mypy.ini", "tomllib", False),
        ("site-packages/README.txt", "site-packages", False),
    ],
)
def test_allow_list_selects_modules_and_whole_packages(
    entry: str, module: str, allowed: bool
) -> None:
    assert stdlib.module_name(entry) == module
    assert stdlib.in_allow_list(entry, stdlib.ENGINE_MODULES) is allowed


def test_site_stdlib_holds_exactly_the_allow_listed_modules_as_pyc(built: EngineInfo) -> None:
    source = zip_modules(NPM_PYODIDE / "python_stdlib.zip")
    with zipfile.ZipFile(built.stdlib.path) as compiled:
        names = compiled.namelist()
        magics = {compiled.read(n)[:4] for n in names if n.endswith(".pyc")}
    assert not [name for name in names if name.endswith(".py")]
    outside = [
        n
        for n in names
        if not n.endswith("/") and not stdlib.in_allow_list(n, stdlib.ENGINE_MODULES)
    ]
    assert outside == []
    expected = {
        entry + "c"
        for entry in source.values()
        if stdlib.in_allow_list(entry, stdlib.ENGINE_MODULES)
    }
    assert {name for name in names if name.endswith(".pyc")} == expected
    assert len(magics) == 1
    # What the in-Pyodide test run needs besides is not there.
    assert not {"pdb", "_pyrepl", "argparse", "unittest", "doctest"} & set(
        zip_modules(built.stdlib.path)
    )


def test_site_and_test_extra_zips_split_the_stdlib_without_overlap(
    built: EngineInfo, test_extra: Path
) -> None:
    source = set(zip_modules(NPM_PYODIDE / "python_stdlib.zip"))
    site = set(zip_modules(built.stdlib.path))
    extra = set(zip_modules(test_extra))
    # Every module in exactly one of them: one the engine uses always comes from the site's.
    assert site | extra == source
    assert site & extra == set()
    with zipfile.ZipFile(test_extra) as archive:
        names = archive.namelist()
        assert not [name for name in names if name.endswith(".py")]
        magics = {archive.read(n)[:4] for n in names if n.endswith(".pyc")}
    with zipfile.ZipFile(built.stdlib.path) as archive:
        assert magics == {archive.read("os.pyc")[:4]}


def test_first_visit_downloads_no_more_than_stock_pyodide(built: EngineInfo) -> None:
    # Issue 7: first-visit bytes (gzip) <= stock Pyodide's. pyodide.mjs, .asm.mjs and .wasm
    # are the same files in both (test above), so the rest decides: what the worker fetches
    # besides them, against stock Pyodide's stdlib and lock.
    ours = [built.stdlib, built.lock, built.wheel, built.manifest, built.rubric]
    stock = [NPM_PYODIDE / "python_stdlib.zip", NPM_PYODIDE / "pyodide-lock.json"]
    assert sum(gzip_size(f.path) for f in ours) < sum(gzip_size(path) for path in stock)


# --- the engine for real, in Pyodide under Node -----------------------------------------------


def test_kcm_core_is_installed_from_the_wheel_with_its_pyc_files(probe: dict[str, Any]) -> None:
    assert probe["kcm_core_file"] == f"{SITE_PACKAGES}kcm_core/__init__.py"
    assert probe["kcm_core_modules"] >= 5
    # Pyodide never writes bytecode (dont_write_bytecode), so a .pyc there came from the wheel.
    assert probe["dont_write_bytecode"] is True
    assert probe["kcm_core_modules_with_pyc"] == probe["kcm_core_modules"]
    # ... and they were used: importing kcm_core compiled no source file at all.
    assert probe["compiled_from_source"] == []


def test_browser_api_loads_the_rubric_and_scores_a_draft_in_pyodide(
    probe: dict[str, Any],
) -> None:
    rubric = json.loads(KCM_RUBRIC.read_text(encoding="utf-8"))
    assert probe["init"]["ok"] is True
    assert probe["init"]["rubric"]["id"] == rubric["id"]
    assert probe["init"]["rubric"]["version"] == rubric["version"]
    result = probe["score"]["result"]
    # An empty draft: nothing ticked, so every Eindterm fails, and the reasons say so.
    assert probe["score"]["ok"] is True
    assert result["verdict"] == "fail"
    assert result["final"] is False
    assert [o["id"] for o in result["outcomes"]] == [e["id"] for e in rubric["eindtermen"]]
    assert {o["verdict"] for o in result["outcomes"]} == {"fail"}
    assert result["reasons"]


# Every call of in_pyodide._browser_api_calls: the paths of the problems in its answer, or None
# for a success. A module missing from the site's zip would turn an answer into the "onverwachte
# fout" of browser_api's last resort, so this table also guards the trimming.
CALL_ANSWERS: list[tuple[str, list[str] | None]] = [
    ("score before init", ["$"]),
    ("init not text", ["$"]),
    ("init no JSON", ["$"]),
    ("init duplicate key", ["$.id"]),
    ("init NaN", ["$.id"]),
    ("init too deep", ["$"]),
    ("init huge number", ["$.id"]),
    ("init invalid rubric", ["$", "$.eindtermen", "$.version"]),
    ("init", None),
    ("score draft", None),
    ("score complete", None),
    ("score no JSON", ["$"]),
    ("score invalid", ["$.fields.datum", "$.criteria['9.9.9.z']", "$.created"]),
    ("score other rubric", ["$.rubric"]),
    ("import one", None),
    ("import many", None),
    # Record by record: the good one comes in, the bad one is named (see the test below).
    ("import many, one invalid", None),
    (
        "import many, none valid",
        [
            "$.assessments[0].fields.datum",
            "$.assessments[0].criteria['9.9.9.z']",
            "$.assessments[0].created",
        ],
    ),
    ("import no JSON", ["$"]),
    ("seal", None),
    ("seal a draft", ["$.status", "$.assessors"]),
    ("verify", None),
    ("report start", None),
    ("report add", None),
    ("report add no JSON", ["$"]),
    ("report result", None),
    ("init shelf, unknown rubric", ["$"]),
    ("init shelf", None),
    ("score older version", None),
    ("unexpected error", ["$"]),
]


@pytest.mark.parametrize(("label", "problem_paths"), CALL_ANSWERS, ids=[c[0] for c in CALL_ANSWERS])
def test_every_browser_api_call_answers_as_the_contract_says_in_pyodide(
    probe: dict[str, Any], label: str, problem_paths: list[str] | None
) -> None:
    answer = probe["calls"][label]
    if problem_paths is None:
        assert answer["ok"] is True, answer
        return
    assert answer["ok"] is False
    assert [problem["path"] for problem in answer["problems"]] == problem_paths
    # Each problem also carries its path as parts, for the page to use (ARCHITECTURE.md §4).
    assert [json_path(tuple(problem["parts"])) for problem in answer["problems"]] == problem_paths
    unexpected = [p for p in answer["problems"] if "onverwachte fout" in p["message"]]
    assert bool(unexpected) == (label == "unexpected error"), answer


def test_the_calls_cover_every_function_of_the_contract(probe: dict[str, Any]) -> None:
    assert list(probe["calls"]) == [label for label, _ in CALL_ANSWERS]
    complete = probe["calls"]["score complete"]["result"]
    assert (complete["verdict"], complete["final"]) == ("pass", True)
    assert len(probe["calls"]["import many"]["assessments"]) == 2
    partly = probe["calls"]["import many, one invalid"]
    assert [a["id"] for a in partly["assessments"]] == ["probe"]
    (rejected,) = partly["rejected"]
    assert rejected["index"] == 1
    assert [p["path"] for p in rejected["problems"]] == [
        "$.assessments[1].fields.datum",
        "$.assessments[1].criteria['9.9.9.z']",
        "$.assessments[1].created",
    ]
    # The sealed record verifies and counts in the exam office's report, in the real engine.
    assert [r["state"] for r in probe["calls"]["verify"]["records"]] == ["sealed"]
    assert probe["calls"]["report add"]["counted"] == 1
    assert probe["calls"]["report result"]["report"]["counted"] == 1
    # An older version on the shelf scores against itself, not against today's.
    assert probe["calls"]["init shelf"]["rubric"]["version"] != "0.9.0"
    assert probe["calls"]["score older version"]["result"]["final"] is False


def test_bad_input_and_exceptions_come_back_readable_in_pyodide(probe: dict[str, Any]) -> None:
    assert probe["bad"]["ok"] is False
    assert probe["bad"]["problems"][0]["path"] == "$"
    assert "JSON" in probe["bad"]["problems"][0]["message"]
    # An exception that reaches JavaScript carries a Python traceback ...
    assert probe["error"].startswith("PythonError: Traceback (most recent call last):")
    assert "TypeError: init() missing 1 required positional argument" in probe["error"]
    # ... also from deep inside kcm_core, with its source lines (the wheel ships the .py files).
    error = probe["error_in_kcm_core"]
    assert error.startswith("PythonError: Traceback (most recent call last):")
    assert f'File "{SITE_PACKAGES}kcm_core/rubric_load.py", line ' in error
    assert "    raise KcmError(problems, source=source)" in error
    assert "kcm_core.errors.KcmError: $: de verplichte sleutel 'eindtermen' ontbreekt" in error


def test_stdlib_modules_come_from_the_site_zip_and_are_allow_listed(
    probe: dict[str, Any],
) -> None:
    files = {name: file for name, file in probe["modules"].items() if file}
    # Only kcm_core comes from site-packages; the rest of what has a file, from the site's zip.
    elsewhere = [f for n, f in files.items() if not n.startswith("kcm_core") and SITE_ZIP not in f]
    assert elsewhere == []
    entries = [file.removeprefix(SITE_ZIP) for file in files.values() if SITE_ZIP in file]
    assert len(entries) > 100
    assert [e for e in entries if not stdlib.in_allow_list(e, stdlib.ENGINE_MODULES)] == []


def test_engine_needs_nothing_from_the_rest_of_the_stdlib(
    probe: dict[str, Any], measured: dict[str, Any]
) -> None:
    # With every other stdlib module importable, the engine still takes none of them: the
    # site's zip lacks nothing it imports, on any of the paths above. When this fails, add
    # the module named to ENGINE_MODULES (build_tools/stdlib.py).
    from_extra = {n: f for n, f in measured["modules"].items() if f and "test_extra" in f}
    assert from_extra == {}
    assert measured["calls"] == probe["calls"]
    assert measured["error_in_kcm_core"] == probe["error_in_kcm_core"]


def test_every_stdlib_import_of_the_engine_is_allow_listed() -> None:
    # Static, for error paths no input above takes: every standard-library module that a
    # kcm_core module of the engine imports, also inside a function, is in the site's zip
    # (or built into Pyodide, like sys and math, or not in the stdlib at all, like jsonschema).
    source = zip_modules(NPM_PYODIDE / "python_stdlib.zip")
    imports = engine_imports()
    assert ("kcm_core.assessment_model", "importlib.resources") in imports
    assert ("kcm_core.schemacheck", "difflib") in imports
    left_out = [
        f"{module} imports {imported}"
        for module, imported in imports
        if not stdlib.in_allow_list(source[imported], stdlib.ENGINE_MODULES)
    ]
    assert left_out == []


def _longest_prefix(dotted: str, known: Any) -> str | None:
    parts = dotted.split(".")
    for end in range(len(parts), 0, -1):
        if ".".join(parts[:end]) in known:
            return ".".join(parts[:end])
    return None


def engine_imports() -> list[tuple[str, str]]:
    """(kcm_core module, stdlib module of the zip) for every import statement, at any depth, of
    the kcm_core modules that importing kcm_core.browser_api loads, directly or indirectly."""
    stdlib_modules = set(zip_modules(NPM_PYODIDE / "python_stdlib.zip"))
    own = {
        ".".join(path.relative_to(REPO_ROOT).with_suffix("").parts).removesuffix(".__init__")
        for path in (REPO_ROOT / "kcm_core").rglob("*.py")
    }
    found: list[tuple[str, str]] = []
    todo, seen = ["kcm_core", "kcm_core.browser_api"], set()
    while todo:
        module = todo.pop()
        if module in seen:
            continue
        seen.add(module)
        path = REPO_ROOT / (module.replace(".", "/") + ".py")
        if not path.is_file():
            path = REPO_ROOT / module.replace(".", "/") / "__init__.py"
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                # from X import Y: Y may be a submodule or a name in X.
                names = [f"{node.module}.{alias.name}" for alias in node.names]
            else:
                continue
            for name in names:
                if (target := _longest_prefix(name, own)) is not None:
                    todo.append(target)
                elif (target := _longest_prefix(name, stdlib_modules)) is not None:
                    found.append((module, target))
    return sorted(set(found))


def test_a_module_missing_from_the_site_zip_is_noticed(
    built: EngineInfo, test_extra: Path, tmp_path: Path
) -> None:
    # The measurement above can fail: with fractions (which scoring imports) left out of the
    # allow-list, the engine takes it from the rest of the stdlib, and the probe says so.
    modules = tuple(m for m in stdlib.ENGINE_MODULES if m != "fractions")
    smaller = stdlib.precompiled_stdlib(
        NPM_PYODIDE, engine.PYODIDE_VERSION, tmp_path / "cache", modules
    )
    copy = tmp_path / "engine"
    shutil.copytree(built.engine_dir, copy)
    shutil.copyfile(smaller.path, copy / built.base / stdlib.PYC_STDLIB_NAME)
    report = engine.probe_engine(copy, test_extra=smaller.test_extra)
    from_extra = {n: f for n, f in report["modules"].items() if f and "test_extra" in f}
    assert from_extra == {"fractions": "/lib/python_stdlib_test_extra.zip/fractions.pyc"}
    # On that zip alone, the engine would not even load kcm_core.
    with pytest.raises(EngineBuildError, match=r"No module named 'fractions'"):
        engine.probe_engine(copy)


def test_engine_does_not_start_from_a_stdlib_it_was_not_built_with(
    built: EngineInfo, tmp_path: Path
) -> None:
    # The contract is engine.json: a worker that ignores it and asks for Pyodide's default
    # python_stdlib.zip gets nothing, instead of silently starting the slow way.
    copy = tmp_path / "engine"
    shutil.copytree(built.engine_dir, copy)
    with pytest.raises(EngineBuildError, match=r"(?s)engine in Node failed.*python_stdlib\.zip"):
        engine.probe_engine(copy, stdlib=built.base + "python_stdlib.zip")


def _project_copy(root: Path) -> Path:
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(engine.REPO_ROOT / name, root / name)
    shutil.copytree(engine.REPO_ROOT / "kcm_core", root / "kcm_core")
    return root


def test_editing_the_repository_readme_keeps_the_engine_cached(tmp_path: Path) -> None:
    # The wheel's bytes name the engine folder (engine/<hash>/): a visitor downloads the engine
    # again whenever they change. The repository README is about the whole project, not the
    # package, so editing it must not change them; the package's own description must.
    root = _project_copy(tmp_path)
    before = engine_wheel.kcm_core_fingerprint(root)
    (root / "README.md").write_text("# Anders\n", encoding="utf-8")
    assert engine_wheel.kcm_core_fingerprint(root) == before
    (root / "kcm_core" / "README.md").write_text("# kcm-core, anders\n", encoding="utf-8")
    assert engine_wheel.kcm_core_fingerprint(root) != before
