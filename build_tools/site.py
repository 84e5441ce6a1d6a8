"""Build the published site, or build it and serve it while you edit.

    python -m build_tools.site build --out site [--rubric FOLDER|RUBRIC.json] [--site-url URL]
        [--snapshot]
    python -m build_tools.site serve --out site [--rubric FOLDER|RUBRIC.json] [--host H]
        [--port 8000]

``--rubric`` is the rubric folder (default ``rubric/``: every rubric in it is published, the
main one named by ``extra.kcm.main`` in mkdocs.yml) or one rubric file (that rubric alone);
either way with the archived versions beside it (``build_tools.site_rubrics``).

Steps of a build, in this order; each step only reads what the steps before it made, and no
step edits a finished page afterwards, except the last one:

1. load and validate the rubrics with kcm_core (also the archive rules of ``kcm validate``);
2. ``build_tools.engine.build_engine``: the scoring engine (vendored Pyodide, kcm_core wheel,
   pyodide-lock.json, the main rubric, and every rubric with its archived versions in
   ``rubrics.json``) into a staging folder; with ``--snapshot`` (``snapshot=True``)
   also a Pyodide memory snapshot (private Pyodide API, off by default). Its manifest
   (engine.json's content) is handed to step 3;
3. ``mkdocs build --strict`` into the output folder; ``build_tools/mkdocs_hooks.py`` generates
   the rubric pages and puts the checklist HTML in, with the engine manifest on the engine
   starter (the worker need not fetch engine.json); then the engine moves into ``engine/``, and
   Material's search files for languages the site does not use are removed
   (``build_tools.search_assets``);
4. ``build_tools.offline.postbuild``: web manifest, icons, service worker and CSP hashes. Last,
   because it hashes the final files (it is the one step that writes into finished pages: the
   CSP hashes of their inline scripts).

``serve`` builds, serves the folder on http://HOST:PORT/ with the right MIME types (a browser
refuses to compile ``.wasm`` served as anything but application/wasm) and rebuilds when the
rubric, docs/ or mkdocs.yml change. A rebuild goes into a fresh folder that replaces the served
one only when it is complete; a failed rebuild keeps the last good site online.
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import logging
import os
import shutil
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from build_tools.engine import ENGINE_DIR_NAME, build_engine
from build_tools.offline import postbuild
from build_tools.search_assets import prune_search_languages
from build_tools.site_rubrics import SiteRubricError, SiteRubricSet, load_site_rubrics
from kcm_core.errors import KcmError
from kcm_core.model import Rubric

ROOT = Path(__file__).resolve().parent.parent
MKDOCS_YML = ROOT / "mkdocs.yml"
DOCS_DIR = ROOT / "docs"
DEFAULT_RUBRIC = ROOT / "rubric" / "klantcontact.json"
DEFAULT_RUBRICS = ROOT / "rubric"
RUBRIC_SCHEMA = ROOT / "rubric" / "schema.json"
ASSESSMENT_SCHEMA = ROOT / "kcm_core" / "assessment.schema.json"


# Served types that Python's mimetypes gets wrong or does not know.
MIME_TYPES: dict[str, str] = {
    ".wasm": "application/wasm",
    ".mjs": "application/javascript",
    ".js": "application/javascript",
    ".json": "application/json",
    ".webmanifest": "application/manifest+json",
    ".svg": "image/svg+xml",
    ".whl": "application/zip",
    ".zip": "application/zip",
}

log = logging.getLogger("kcm.site")


class SiteBuildError(Exception):
    """The site could not be built; the message says why, in Dutch, one problem per line."""


# ---------------------------------------------------------------------------------------------
# Step 1: the rubric


def load_checked_rubric(path: Path) -> Rubric:
    """Load the rubric at ``path`` with kcm_core's checks; every problem in the message."""
    from kcm_core.rubric_load import load_rubric_file

    try:
        return load_rubric_file(path)
    except KcmError as error:
        raise SiteBuildError(str(error)) from error


def configured_main_id() -> str | None:
    """The main rubric's id from mkdocs.yml (``extra.kcm.main``), or None."""
    import yaml

    try:
        config = yaml.safe_load(MKDOCS_YML.read_text(encoding="utf-8"))
        main = config["extra"]["kcm"].get("main")
    except (OSError, yaml.YAMLError, KeyError, TypeError, AttributeError):
        return None
    return str(main) if main else None


def load_checked_rubrics(source: Path) -> SiteRubricSet:
    """The rubrics to publish from ``source`` (a folder or one file), checked like ``kcm
    validate`` checks them; every problem in the message."""
    try:
        return load_site_rubrics(source, configured_main_id())
    except SiteRubricError as error:
        raise SiteBuildError(str(error)) from error


# ---------------------------------------------------------------------------------------------
# Step 2: MkDocs


@contextlib.contextmanager
def _mkdocs_log_to_stderr(level: int) -> Iterator[None]:
    logger = logging.getLogger("mkdocs")
    handler = logging.StreamHandler(sys.stderr)
    handler.setLevel(level)
    handler.setFormatter(logging.Formatter("mkdocs %(levelname)s: %(message)s"))
    old_level = logger.level
    logger.addHandler(handler)
    logger.setLevel(min(level, logging.WARNING))
    try:
        yield
    finally:
        logger.removeHandler(handler)
        logger.setLevel(old_level)


def build_pages(
    out_dir: Path,
    rubric_path: Path,
    *,
    site_url: str | None = None,
    verbose: bool = False,
    engine_manifest: Mapping[str, Any] | None = None,
) -> Rubric:
    """Steps 1 and 3: check the rubric, then ``mkdocs build --strict`` into ``out_dir``.

    Everything in ``out_dir`` except dot-files is replaced. Returns the rubric. ``site_url`` is
    the address the site will be published at; only the 404 page needs it (its links must work
    from any depth), plus the sitemap. Without it the site works from any folder of any host.
    ``engine_manifest`` is engine.json's content, for the checklist page's engine starter.
    """
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from mkdocs.exceptions import Abort, MkDocsException

    rubric_path = rubric_path.resolve()
    rubric = load_checked_rubrics(rubric_path).main.rubric
    out_dir = out_dir.resolve()
    with _mkdocs_log_to_stderr(logging.INFO if verbose else logging.WARNING):
        try:
            config = load_config(
                str(MKDOCS_YML), site_dir=str(out_dir), site_url=site_url or None, strict=True
            )
            kcm = {**(config.extra.get("kcm") or {}), "rubric": str(rubric_path)}
            if engine_manifest is not None:
                kcm["engine_manifest"] = dict(engine_manifest)
            config.extra["kcm"] = kcm
            config.plugins.on_startup(command="build", dirty=False)
            try:
                build(config)
            finally:
                config.plugins.on_shutdown()
        except (Abort, MkDocsException) as error:
            raise SiteBuildError(f"mkdocs build --strict is mislukt: {error}") from error
    return rubric


# ---------------------------------------------------------------------------------------------
# The whole build


def build_site(
    out_dir: Path,
    rubric_path: Path = DEFAULT_RUBRICS,
    *,
    site_url: str | None = None,
    verbose: bool = False,
    snapshot: bool = False,
) -> None:
    """Build the complete static site into ``out_dir`` (steps 1-4); ``snapshot`` adds the
    engine's memory snapshot."""
    out_dir = out_dir.resolve()
    rubric_path = rubric_path.resolve()
    rubrics = load_checked_rubrics(rubric_path)
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    # MkDocs empties its output folder, so the engine is built beside it and moved in after.
    staging = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}-engine-", dir=out_dir.parent))
    try:
        engine = build_engine(
            rubrics.main.path, staging, snapshot=snapshot, shelf=rubrics.shelf_paths()
        )
        manifest = engine.manifest_data()
        build_pages(
            out_dir, rubric_path, site_url=site_url, verbose=verbose, engine_manifest=manifest
        )
        shutil.rmtree(out_dir / ENGINE_DIR_NAME, ignore_errors=True)
        engine.engine_dir.rename(out_dir / ENGINE_DIR_NAME)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    prune_search_languages(out_dir)
    postbuild(out_dir)


# ---------------------------------------------------------------------------------------------
# Serving


class SiteRequestHandler(SimpleHTTPRequestHandler):
    """Static files with correct MIME types; revalidated on every request (it is a dev server)."""

    # An instance attribute in typeshed, a class attribute in http.server: extend it here.
    extensions_map: dict[str, str] = {  # noqa: RUF012
        **SimpleHTTPRequestHandler.extensions_map,
        **MIME_TYPES,
    }

    def end_headers(self) -> None:
        self.send_header("Cache-Control", "no-cache")
        self.send_header("X-Content-Type-Options", "nosniff")
        super().end_headers()

    def log_message(self, format: str, *args: Any) -> None:
        # Only what went wrong: a page load fetches dozens of files.
        if len(args) >= 2 and str(args[1]).startswith(("4", "5")):
            super().log_message(format, *args)


def make_server(site_dir: Path, host: str = "127.0.0.1", port: int = 0) -> ThreadingHTTPServer:
    """A server for ``site_dir``; port 0 picks a free port (see ``server.server_address``)."""
    handler = functools.partial(SiteRequestHandler, directory=str(site_dir))
    server = ThreadingHTTPServer((host, port), handler)
    server.daemon_threads = True
    return server


Snapshot = dict[str, tuple[int, int]]


def snapshot(paths: Iterable[Path]) -> Snapshot:
    """(mtime, size) of every file under ``paths``, skipping dot-files and dot-folders."""
    state: Snapshot = {}
    for path in paths:
        if path.is_file():
            stat = path.stat()
            state[str(path)] = (stat.st_mtime_ns, stat.st_size)
            continue
        for dirpath, dirnames, filenames in os.walk(path):
            dirnames[:] = [d for d in dirnames if not d.startswith(".")]
            for name in filenames:
                if name.startswith("."):
                    continue
                file = Path(dirpath, name)
                with contextlib.suppress(FileNotFoundError):  # deleted while we looked
                    stat = file.stat()
                    state[str(file)] = (stat.st_mtime_ns, stat.st_size)
    return state


def changed_files(before: Snapshot, after: Snapshot) -> list[str]:
    """Files added, removed or changed between two snapshots, sorted."""
    return sorted(k for k in before.keys() | after.keys() if before.get(k) != after.get(k))


def watched_paths(rubric_path: Path) -> list[Path]:
    # A folder of rubrics holds its archive; a single file's archive sits beside it.
    folder = rubric_path if rubric_path.is_dir() else rubric_path.parent
    return [folder, DOCS_DIR, MKDOCS_YML, ASSESSMENT_SCHEMA]


def build_swap(out_dir: Path, build: Callable[[Path], None]) -> None:
    """Build into a new folder next to ``out_dir``, then put it in place of ``out_dir``.

    The served folder is never half-built; when the build fails ``out_dir`` is left as it was.
    """
    out_dir = out_dir.resolve()
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}-new-", dir=out_dir.parent))
    old = out_dir.parent / f".{out_dir.name}-old-{os.getpid()}"
    try:
        build(staging)
        shutil.rmtree(old, ignore_errors=True)
        if out_dir.exists():
            out_dir.rename(old)
        staging.rename(out_dir)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
        shutil.rmtree(old, ignore_errors=True)


def serve(
    out_dir: Path,
    rubric_path: Path,
    host: str,
    port: int,
    *,
    poll_seconds: float = 1.0,
    stop: threading.Event | None = None,
    builder: Callable[[Path, Path], None] = build_site,
    ready: Callable[[str], None] | None = None,
) -> None:
    """Build, serve and rebuild on changes until interrupted (or ``stop`` is set).

    ``builder(folder, rubric_path)`` builds a site (tests pass a small one); ``ready(url)`` is
    called once the server listens (port 0 picks a free port).
    """
    out_dir = out_dir.resolve()

    def rebuild() -> bool:
        started = time.monotonic()
        try:
            build_swap(out_dir, lambda folder: builder(folder, rubric_path))
        except SiteBuildError as error:
            print(f"Bouwen mislukt:\n{error}", file=sys.stderr)
            return False
        print(f"Gebouwd in {time.monotonic() - started:.1f} s.", flush=True)
        return True

    paths = watched_paths(rubric_path)
    before = snapshot(paths)
    if not rebuild():
        raise SiteBuildError("De site is niet gebouwd; er is niets om te serveren.")
    try:
        server = make_server(out_dir, host, port)
    except OSError as error:
        raise SiteBuildError(f"Kan niet serveren op {host}:{port}: {error.strerror}") from error
    bound_host, bound_port = server.server_address[:2]
    thread = threading.Thread(target=server.serve_forever, name="kcm-serve", daemon=True)
    thread.start()
    url = f"http://{bound_host!s}:{bound_port}/"
    print(f"De site staat op {url} (stoppen: Ctrl+C)", flush=True)
    if ready is not None:
        ready(url)
    stop = stop or threading.Event()
    try:
        while not stop.wait(poll_seconds):
            after = snapshot(paths)
            changes = changed_files(before, after)
            if not changes:
                continue
            # Editors save in several writes: wait until the files are quiet.
            while not stop.wait(0.3):
                settled = snapshot(paths)
                if settled == after:
                    break
                after = settled
            before = after
            shown = ", ".join(os.path.relpath(c, ROOT) for c in changes[:3])
            more = f" en {len(changes) - 3} meer" if len(changes) > 3 else ""
            print(f"Gewijzigd: {shown}{more}. Opnieuw bouwen...", flush=True)
            rebuild()
    except KeyboardInterrupt:
        pass
    finally:
        server.shutdown()
        server.server_close()


# ---------------------------------------------------------------------------------------------
# Command line


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m build_tools.site",
        description="Bouw de site (build) of bouw en serveer hem tijdens het werken (serve).",
    )
    commands = parser.add_subparsers(dest="command", required=True)
    build_cmd = commands.add_parser("build", help="bouw de statische site")
    serve_cmd = commands.add_parser("serve", help="bouw, serveer en bouw opnieuw bij wijzigingen")
    for sub in (build_cmd, serve_cmd):
        sub.add_argument("--out", type=Path, default=ROOT / "site", help="map voor de site")
        sub.add_argument(
            "--rubric",
            type=Path,
            default=DEFAULT_RUBRICS,
            help="map met rubrics (standaard rubric/) of één rubric (JSON)",
        )
        sub.add_argument("-v", "--verbose", action="store_true", help="toon alle MkDocs-meldingen")
    build_cmd.add_argument(
        "--site-url",
        default=os.environ.get("KCM_SITE_URL") or None,
        help="adres waarop de site komt (standaard: $KCM_SITE_URL); nodig voor de 404-pagina",
    )
    build_cmd.add_argument(
        "--snapshot",
        action="store_true",
        help="zet ook een geheugen-snapshot van de engine in de site: sneller starten, "
        "ongeveer 5 MB meer (private Pyodide-API; zie docs/beheer.md)",
    )
    serve_cmd.add_argument("--host", default="127.0.0.1")
    serve_cmd.add_argument("--port", type=int, default=8000)
    args = parser.parse_args(argv)

    try:
        if args.command == "build":
            started = time.monotonic()
            build_site(
                args.out,
                args.rubric,
                site_url=args.site_url,
                verbose=args.verbose,
                snapshot=args.snapshot,
            )
            print(f"Site gebouwd in {args.out} ({time.monotonic() - started:.1f} s).")
        else:
            serve(args.out, args.rubric, args.host, args.port)
    except SiteBuildError as error:
        print(error, file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
