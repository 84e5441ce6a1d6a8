"""The benchmark's server (bench/server.py) behaves like a static host and counts honestly.

Its byte counts and its stop/start are what the "bytes sent" and "offline" figures rest on, so
they are checked here with plain HTTP requests on a random free port.
"""

from __future__ import annotations

import gzip
import http.client
import socket
from collections.abc import Iterator
from pathlib import Path

import pytest

from bench.server import BenchServer, Response, choose_encoding

JS = b"export const answer = 42;\n" * 100  # compressible and over the minimum size


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    root = tmp_path / "site"
    (root / "checklist").mkdir(parents=True)
    (root / "checklist" / "index.html").write_bytes(b"<!doctype html><title>x</title>" * 20)
    (root / "app.js").write_bytes(JS)
    (root / "engine.wasm").write_bytes(b"\0asm" + bytes(4000))
    (root / "stdlib.zip").write_bytes(bytes(range(256)) * 20)
    (root / "tiny.json").write_bytes(b"{}")
    (tmp_path / "secret.txt").write_text("not served")
    bare = tmp_path / "pyodide"
    bare.mkdir()
    (bare / "pyodide.mjs").write_bytes(JS)
    return root


@pytest.fixture
def server(tree: Path) -> Iterator[BenchServer]:
    with BenchServer(
        tree,
        mounts={"/bare/": tree.parent / "pyodide"},
        pages={"/bare/bench.html": b"<!doctype html><p>bench page</p>"},
    ) as running:
        yield running


def get(
    server: BenchServer, path: str, headers: dict[str, str] | None = None
) -> tuple[int, dict[str, str], bytes]:
    conn = http.client.HTTPConnection(server.host, server.port, timeout=10)
    try:
        conn.request("GET", path, headers=headers or {})
        response = conn.getresponse()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, response.read()
    finally:
        conn.close()


def settled(server: BenchServer) -> list[Response]:
    # A response is logged when the server's write returns, which can be just after the client
    # has read it: wait for the server to be idle, as the benchmark does before counting.
    assert server.wait_quiet(quiet=0.05, timeout=5)
    return server.take_responses()


@pytest.mark.parametrize(
    ("accept", "offered", "chosen"),
    [
        ("gzip, deflate, br, zstd", ("gzip",), "gzip"),
        ("gzip, deflate, br, zstd", ("br", "gzip"), "br"),
        ("deflate", ("gzip",), None),
        ("", ("gzip",), None),
        ("gzip;q=0, *", ("gzip",), None),
        ("*", ("gzip",), "gzip"),
        ("br;q=0.5, gzip;q=0", ("br", "gzip"), "br"),
    ],
)
def test_choose_encoding(accept: str, offered: tuple[str, ...], chosen: str | None) -> None:
    assert choose_encoding(accept, offered) == chosen


@pytest.mark.parametrize(
    ("path", "content_type", "encoded"),
    [
        ("/app.js", "text/javascript; charset=utf-8", True),
        ("/engine.wasm", "application/wasm", True),
        ("/checklist/", "text/html; charset=utf-8", True),
        # Already compressed, or too small to be worth it: sent as they are.
        ("/stdlib.zip", "application/zip", False),
        ("/tiny.json", "application/json", False),
    ],
)
def test_types_and_gzip_like_a_static_host(
    server: BenchServer, tree: Path, path: str, content_type: str, encoded: bool
) -> None:
    status, headers, body = get(server, path, {"Accept-Encoding": "gzip, br"})
    assert status == 200
    assert headers["content-type"] == content_type
    assert headers["vary"] == "Accept-Encoding"
    assert headers["cache-control"] == "max-age=600"
    relative = path.strip("/") or "index.html"
    original = tree / relative / "index.html" if path.endswith("/") else tree / relative
    if encoded:
        assert headers["content-encoding"] == "gzip"
        assert gzip.decompress(body) == original.read_bytes()
    else:
        assert "content-encoding" not in headers
        assert body == original.read_bytes()
    assert int(headers["content-length"]) == len(body)


def test_no_gzip_for_a_client_that_does_not_ask(server: BenchServer) -> None:
    status, headers, body = get(server, "/app.js")
    assert status == 200
    assert "content-encoding" not in headers
    assert body == JS


def test_counts_the_body_bytes_it_sent(server: BenchServer) -> None:
    server.take_responses()
    _, _, gzipped = get(server, "/app.js", {"Accept-Encoding": "gzip"})
    _, _, plain = get(server, "/stdlib.zip")
    responses = settled(server)
    # Logged in the order the server threads finished, which need not be the request order.
    assert sorted((r.path, r.status, r.body_bytes) for r in responses) == [
        ("/app.js", 200, len(gzipped)),
        ("/stdlib.zip", 200, len(plain)),
    ]
    assert len(gzipped) < len(JS), "what is counted is the compressed size"
    assert server.take_responses() == [], "taking the responses resets the count"


def test_revalidation_answers_304_without_a_body(server: BenchServer) -> None:
    _, headers, _ = get(server, "/app.js", {"Accept-Encoding": "gzip"})
    settled(server)
    status, _, body = get(
        server, "/app.js", {"Accept-Encoding": "gzip", "If-None-Match": headers["etag"]}
    )
    assert (status, body) == (304, b"")
    assert [(r.status, r.body_bytes) for r in settled(server)] == [(304, 0)]
    # The gzip and the plain variant are different bodies, so they have different ETags.
    _, plain_headers, _ = get(server, "/app.js")
    assert plain_headers["etag"] != headers["etag"]


@pytest.mark.parametrize(
    ("path", "status", "location"),
    [
        ("/checklist", 301, "/checklist/"),
        ("/bare", 301, "/bare/"),
        ("/missing.js", 404, None),
        ("/../secret.txt", 404, None),
        ("/%2e%2e/secret.txt", 404, None),
        ("//etc/passwd", 404, None),
    ],
)
def test_redirects_and_refusals(
    server: BenchServer, path: str, status: int, location: str | None
) -> None:
    got, headers, _ = get(server, path)
    assert got == status
    assert headers.get("location") == location


def test_mounts_and_in_memory_pages_are_served_beside_the_site(server: BenchServer) -> None:
    status, _, body = get(server, "/bare/pyodide.mjs")
    assert (status, body) == (200, JS)
    status, headers, body = get(server, "/bare/bench.html")
    assert status == 200
    assert b"bench page" in body
    assert headers["content-type"].startswith("text/html")
    assert get(server, "/pyodide.mjs")[0] == 404, "a mount does not leak into the site root"


def ask_again(conn: http.client.HTTPConnection) -> None:
    # The request may still be written into the dead socket; no answer can come back.
    conn.request("GET", "/app.js")
    conn.getresponse()


def test_stop_refuses_connections_and_start_uses_the_same_port(server: BenchServer) -> None:
    port = server.port
    # A keep-alive connection opened before the stop must not survive it either.
    kept = http.client.HTTPConnection(server.host, port, timeout=5)
    kept.request("GET", "/app.js")
    assert kept.getresponse().read() == JS
    server.stop()
    with pytest.raises(ConnectionRefusedError):
        socket.create_connection((server.host, port), timeout=2).close()
    with pytest.raises((ConnectionError, http.client.RemoteDisconnected)):
        ask_again(kept)
    kept.close()
    server.start()
    assert server.port == port
    assert get(server, "/app.js")[0] == 200


def test_wait_quiet_returns_once_nothing_happens(server: BenchServer) -> None:
    get(server, "/app.js")
    assert server.wait_quiet(quiet=0.1, timeout=5)


def test_brotli_is_refused_clearly_when_the_module_is_missing(
    tree: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("bench.server.brotli_module", lambda: None)
    with pytest.raises(ValueError, match="brotli"):
        BenchServer(tree, encodings=("br", "gzip"))
    with pytest.raises(ValueError, match="unknown encodings"):
        BenchServer(tree, encodings=("zstd",))
