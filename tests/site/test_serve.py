"""`make serve`: MIME types, the change watcher, the swap of a rebuilt site, the serve loop.

The server runs on a free port picked by the OS; builds here are tiny stand-ins, so the tests
check the serving machinery without building the real site.
"""

from __future__ import annotations

import os
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from build_tools import site
from build_tools.site import SiteBuildError


@pytest.fixture
def server_for(tmp_path: Path) -> Iterator[str]:
    root = tmp_path / "site"
    root.mkdir()
    for name in ("index.html", "a.wasm", "b.mjs", "c.js", "manifest.webmanifest", "d.json"):
        (root / name).write_bytes(b"x")
    server = site.make_server(root, "127.0.0.1", 0)
    # A short poll interval: shutdown() waits for the next poll (0.5 s by default).
    thread = threading.Thread(
        target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
    )
    thread.start()
    host, port = server.server_address[:2]
    try:
        yield f"http://{host!s}:{port}/"
    finally:
        server.shutdown()
        server.server_close()


@pytest.mark.parametrize(
    ("name", "mime"),
    [
        ("a.wasm", "application/wasm"),  # anything else and WebAssembly.compileStreaming fails
        ("b.mjs", "application/javascript"),
        ("c.js", "application/javascript"),
        ("manifest.webmanifest", "application/manifest+json"),
        ("d.json", "application/json"),
        ("index.html", "text/html"),
    ],
)
def test_files_are_served_with_the_right_mime_type(server_for: str, name: str, mime: str) -> None:
    with urllib.request.urlopen(server_for + name, timeout=10) as response:
        assert response.headers.get_content_type() == mime
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert response.headers["Cache-Control"] == "no-cache"


def test_a_missing_file_is_a_404(server_for: str) -> None:
    with pytest.raises(urllib.error.HTTPError) as error:
        urllib.request.urlopen(server_for + "nope.html", timeout=10)
    assert error.value.code == 404


def test_the_watcher_sees_added_changed_and_removed_files(tmp_path: Path) -> None:
    (tmp_path / "a.md").write_text("a", encoding="utf-8")
    (tmp_path / "b.md").write_text("b", encoding="utf-8")
    (tmp_path / ".hidden").mkdir()
    before = site.snapshot([tmp_path])

    (tmp_path / "a.md").write_text("a, langer", encoding="utf-8")
    (tmp_path / "b.md").unlink()
    (tmp_path / "c.md").write_text("c", encoding="utf-8")
    (tmp_path / ".hidden" / "x").write_text("editor swap file", encoding="utf-8")
    after = site.snapshot([tmp_path])

    assert site.changed_files(before, after) == [
        str(tmp_path / name) for name in ("a.md", "b.md", "c.md")
    ]
    assert site.changed_files(after, site.snapshot([tmp_path])) == []


def test_a_rebuilt_site_replaces_the_old_one_in_one_step(tmp_path: Path) -> None:
    out = tmp_path / "site"
    out.mkdir()
    (out / "old.html").write_text("oud", encoding="utf-8")

    def build(folder: Path) -> None:
        (folder / "new.html").write_text("nieuw", encoding="utf-8")

    site.build_swap(out, build)
    assert sorted(p.name for p in out.iterdir()) == ["new.html"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]  # nothing left behind


def test_a_failed_rebuild_keeps_the_last_good_site(tmp_path: Path) -> None:
    out = tmp_path / "site"
    out.mkdir()
    (out / "index.html").write_text("werkt", encoding="utf-8")

    def broken(folder: Path) -> None:
        (folder / "half.html").write_text("half", encoding="utf-8")
        raise SiteBuildError("rubric: fout")

    with pytest.raises(SiteBuildError):
        site.build_swap(out, broken)
    assert (out / "index.html").read_text(encoding="utf-8") == "werkt"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]


def fetch(url: str) -> str:
    with urllib.request.urlopen(url, timeout=10) as response:
        body: bytes = response.read()
    return body.decode("utf-8")


def test_serve_rebuilds_when_the_rubric_changes(tmp_path: Path) -> None:
    rubric = tmp_path / "rubric" / "r.json"
    rubric.parent.mkdir()
    rubric.write_text('{"versie": 1}', encoding="utf-8")
    builds: list[str] = []

    def builder(folder: Path, rubric_path: Path) -> None:
        text = rubric_path.read_text(encoding="utf-8")
        builds.append(text)
        (folder / "index.html").write_text(text, encoding="utf-8")

    ready: list[str] = []
    stop = threading.Event()
    thread = threading.Thread(
        target=site.serve,
        args=(tmp_path / "site", rubric, "127.0.0.1", 0),
        kwargs={"poll_seconds": 0.05, "stop": stop, "builder": builder, "ready": ready.append},
        daemon=True,
    )
    thread.start()
    try:
        deadline = time.monotonic() + 20
        while not ready and time.monotonic() < deadline:
            time.sleep(0.02)
        assert ready, "the server did not start"
        assert fetch(ready[0]) == '{"versie": 1}'

        rubric.write_text('{"versie": 2}', encoding="utf-8")
        # A different size, and an mtime surely different from the first write.
        os.utime(rubric, ns=(time.time_ns(), time.time_ns() + 1_000_000_000))
        while fetch(ready[0]) != '{"versie": 2}' and time.monotonic() < deadline:
            time.sleep(0.05)
        assert fetch(ready[0]) == '{"versie": 2}'
    finally:
        stop.set()
        thread.join(timeout=10)
    assert not thread.is_alive()
    assert builds[:2] == ['{"versie": 1}', '{"versie": 2}']


def test_serve_refuses_to_start_without_a_first_build(tmp_path: Path) -> None:
    def broken(folder: Path, rubric_path: Path) -> None:
        raise SiteBuildError(f"{rubric_path}: $.id: ontbreekt")

    with pytest.raises(SiteBuildError, match="niets om te serveren"):
        site.serve(tmp_path / "site", tmp_path / "r.json", "127.0.0.1", 0, builder=broken)
