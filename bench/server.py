"""The benchmark's web server: a static host as the site will have, plus the bare baseline.

What a static host (GitHub Pages, Netlify, nginx with defaults) does and this server copies:

- ``Content-Encoding: gzip`` (or ``br`` when the ``brotli`` module is installed and asked for)
  for text-like types, negotiated on ``Accept-Encoding``, with ``Vary: Accept-Encoding``; files
  that are compressed already (``.zip``, ``.whl``, ``.png``) go out as they are;
- ``application/wasm`` for ``.wasm`` (browsers refuse to stream-compile anything else);
- ``ETag`` and ``Last-Modified`` with ``304 Not Modified`` answers, and a ``Cache-Control``
  header (GitHub Pages sends ``max-age=600``);
- HTTP/1.1 keep-alive; ``/dir`` redirects to ``/dir/``, ``/dir/`` serves ``index.html``.

What it adds for measuring:

- it counts the body bytes it sends (after compression) and logs each response, so a visit's
  transfer size is measured where it happens, not guessed in the browser;
- ``stop()`` closes the listening socket *and* every open keep-alive connection, and
  ``start()`` listens on the same port again: the offline run is honest (a service worker has
  to answer, nothing else can);
- ``mounts`` serve other folders under a prefix (stock Pyodide under ``/bare/``) and ``pages``
  serve small in-memory files (the baseline's bench page), none of which are part of the site.

The tests serve the site with ``make serve``'s server instead (``build_tools.site.make_server``,
through tests/e2e/_offline_support.py's ``SiteServer``): they check behaviour, and a host's
compression, caching headers and byte counts, which this server exists to reproduce and measure,
would only add to what can differ between a test run and ``make serve``.
"""

from __future__ import annotations

import contextlib
import email.utils
import gzip
import hashlib
import importlib
import posixpath
import socket
import threading
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import ModuleType
from typing import Any
from urllib.parse import unquote, urlsplit

CONTENT_TYPES: dict[str, str] = {
    ".html": "text/html; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".mjs": "text/javascript; charset=utf-8",
    ".json": "application/json",
    ".map": "application/json",
    ".webmanifest": "application/manifest+json",
    ".svg": "image/svg+xml",
    ".xml": "application/xml",
    ".txt": "text/plain; charset=utf-8",
    ".wasm": "application/wasm",
    ".zip": "application/zip",
    ".whl": "application/zip",
    ".gz": "application/gzip",
    ".png": "image/png",
    ".ico": "image/x-icon",
    ".woff2": "font/woff2",
}
DEFAULT_CONTENT_TYPE = "application/octet-stream"

# Types a static host compresses (GitHub Pages: text, JSON, JavaScript, SVG and WebAssembly).
COMPRESSIBLE = frozenset(
    {
        "text/html",
        "text/css",
        "text/javascript",
        "text/plain",
        "application/json",
        "application/manifest+json",
        "application/xml",
        "image/svg+xml",
        "application/wasm",
    }
)
GZIP_LEVEL = 6  # nginx's gzip_comp_level is 1, CDNs use about 6: the middle of what hosts do
BROTLI_QUALITY = 5  # what CDNs use for on-the-fly brotli
MIN_COMPRESS = 256  # bytes; smaller bodies go out as they are (nginx: gzip_min_length)


def content_type(name: str) -> str:
    return CONTENT_TYPES.get(posixpath.splitext(name)[1].lower(), DEFAULT_CONTENT_TYPE)


def is_compressible(ctype: str) -> bool:
    return ctype.split(";")[0].strip() in COMPRESSIBLE


def brotli_module() -> ModuleType | None:
    """The ``brotli`` module when installed (it is optional), else None."""
    try:
        return importlib.import_module("brotli")
    except ImportError:
        return None


def choose_encoding(accept_encoding: str, offered: Sequence[str]) -> str | None:
    """The first of ``offered`` (in the server's order of preference) the client accepts.

    ``Accept-Encoding: gzip;q=0`` refuses gzip; ``*`` accepts anything not named.
    """
    accepted: dict[str, float] = {}
    for part in accept_encoding.split(","):
        token, _, params = part.strip().partition(";")
        token = token.strip().lower()
        if not token:
            continue
        quality = 1.0
        for param in params.split(";"):
            key, _, value = param.strip().partition("=")
            if key.strip() == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        accepted[token] = quality
    for encoding in offered:
        quality = accepted.get(encoding, accepted.get("*", 0.0))
        if quality > 0:
            return encoding
    return None


@dataclass(frozen=True, slots=True)
class Response:
    """One response the server sent: what the byte counts are made of."""

    path: str
    status: int
    body_bytes: int
    encoding: str | None
    started: float  # time.monotonic() when the request arrived


@dataclass(frozen=True, slots=True)
class _Body:
    data: bytes
    etag: str
    last_modified: str | None


class BenchServer:
    """A threaded static server for ``root`` on ``host``; see the module docstring."""

    def __init__(
        self,
        root: Path,
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        encodings: Sequence[str] = ("gzip",),
        cache_control: str = "max-age=600",
        mounts: Mapping[str, Path] | None = None,
        pages: Mapping[str, bytes] | None = None,
    ) -> None:
        unknown = [e for e in encodings if e not in ("gzip", "br")]
        if unknown:
            raise ValueError(f"unknown encodings {unknown}; the server offers gzip and br")
        self._brotli = brotli_module() if "br" in encodings else None
        if "br" in encodings and self._brotli is None:
            raise ValueError("brotli asked for, but the 'brotli' module is not installed")
        self.root = root.resolve()
        self.host = host
        self.port = port
        self.encodings = tuple(encodings)
        self.cache_control = cache_control
        # Longest prefix first, so "/bare/" wins over "/".
        self.mounts = sorted(
            ((prefix, path.resolve()) for prefix, path in (mounts or {}).items()),
            key=lambda item: -len(item[0]),
        )
        self.pages = dict(pages or {})
        self._lock = threading.Lock()
        self._responses: list[Response] = []
        self._in_flight = 0
        self._last_activity = time.monotonic()
        self._compressed: dict[tuple[str, int, int, str], bytes] = {}
        self._connections: set[socket.socket] = set()
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    # ------------------------------------------------------------------ lifecycle

    @property
    def running(self) -> bool:
        return self._server is not None

    @property
    def origin(self) -> str:
        return f"http://{self.host}:{self.port}"

    def url(self, path: str = "") -> str:
        return f"{self.origin}/{path.lstrip('/')}"

    def start(self) -> None:
        """Listen (again) on ``self.port``; the first start with port 0 picks a free port."""
        if self._server is not None:
            return
        owner = self

        class Handler(_Handler):
            server_owner = owner

        class Server(ThreadingHTTPServer):
            daemon_threads = True
            allow_reuse_address = True

            def process_request(self, request: Any, client_address: Any) -> None:
                owner._track(request, add=True)
                super().process_request(request, client_address)

            def shutdown_request(self, request: Any) -> None:
                owner._track(request, add=False)
                super().shutdown_request(request)

            def handle_error(self, request: Any, client_address: Any) -> None:
                # A browser that drops a connection (navigation, closed page) is no error here.
                pass

        # The restarted server may find the port in TIME_WAIT for a moment.
        deadline = time.monotonic() + 10
        while True:
            try:
                server = Server((self.host, self.port), Handler)
                break
            except OSError:
                if self.port == 0 or time.monotonic() > deadline:
                    raise
                time.sleep(0.1)
        self.port = int(server.server_address[1])
        self._server = server
        self._thread = threading.Thread(
            target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self._thread.start()

    def stop(self) -> None:
        """Stop listening and cut every open connection: the host is gone."""
        server, self._server = self._server, None
        if server is None:
            return
        server.shutdown()
        server.server_close()
        with self._lock:
            connections = list(self._connections)
            self._connections.clear()
        for conn in connections:
            with contextlib.suppress(OSError):
                conn.shutdown(socket.SHUT_RDWR)
            with contextlib.suppress(OSError):
                conn.close()
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None

    def __enter__(self) -> BenchServer:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def _track(self, conn: socket.socket, *, add: bool) -> None:
        with self._lock:
            if add:
                self._connections.add(conn)
            else:
                self._connections.discard(conn)

    # ------------------------------------------------------------------ counting

    def take_responses(self) -> list[Response]:
        """The responses sent since the last call (and forget them)."""
        with self._lock:
            taken, self._responses = self._responses, []
        return taken

    def wait_quiet(self, quiet: float = 1.0, timeout: float = 120.0) -> bool:
        """Wait until no request is open and none arrived for ``quiet`` seconds."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self._lock:
                idle = self._in_flight == 0 and time.monotonic() - self._last_activity >= quiet
            if idle:
                return True
            time.sleep(0.05)
        return False

    def _begin(self) -> float:
        with self._lock:
            self._in_flight += 1
            self._last_activity = time.monotonic()
            return self._last_activity

    def _end(self, response: Response | None) -> None:
        with self._lock:
            self._in_flight -= 1
            self._last_activity = time.monotonic()
            if response is not None:
                self._responses.append(response)

    # ------------------------------------------------------------------ content

    def resolve(self, url_path: str) -> tuple[str, Path | bytes | None, str]:
        """Map a URL path to ("file", path) / ("page", bytes) / ("redirect", None) / 404.

        Returns (kind, target, name) where name is used for the content type.
        """
        path = posixpath.normpath(unquote(url_path))
        if url_path.endswith("/") and not path.endswith("/"):
            path += "/"
        if not path.startswith("/"):
            return "missing", None, path
        if path in self.pages:
            return "page", self.pages[path], path
        for prefix, folder in [*self.mounts, ("/", self.root)]:
            if not path.startswith(prefix) and path + "/" != prefix:
                continue
            relative = path[len(prefix) :] if path.startswith(prefix) else ""
            target = (folder / relative).resolve()
            if target != folder and folder not in target.parents:
                return "missing", None, path
            if target.is_dir():
                if not path.endswith("/"):
                    return "redirect", None, path + "/"
                target = target / "index.html"
            if target.is_file():
                return "file", target, target.name
            return "missing", None, path
        return "missing", None, path

    def body(self, target: Path | bytes, encoding: str | None) -> _Body:
        """The (compressed) bytes to send and their validators; compressed once, then cached."""
        if isinstance(target, bytes):
            name, mtime_ns, size = hashlib.sha256(target).hexdigest(), 0, len(target)
            last_modified = None
        else:
            stat = target.stat()
            name, mtime_ns, size = str(target), stat.st_mtime_ns, stat.st_size
            last_modified = email.utils.formatdate(stat.st_mtime, usegmt=True)
        tag = hashlib.sha256(f"{name}\0{mtime_ns}\0{size}".encode()).hexdigest()[:16]
        etag = f'"{tag}-{encoding}"' if encoding else f'"{tag}"'
        key = (name, mtime_ns, size, encoding or "identity")
        with self._lock:
            cached = self._compressed.get(key)
        if cached is None:
            raw = target if isinstance(target, bytes) else target.read_bytes()
            cached = self._encode(raw, encoding)
            with self._lock:
                self._compressed[key] = cached
        return _Body(cached, etag, last_modified)

    def _encode(self, raw: bytes, encoding: str | None) -> bytes:
        if encoding == "gzip":
            return gzip.compress(raw, compresslevel=GZIP_LEVEL, mtime=0)
        if encoding == "br" and self._brotli is not None:
            data: bytes = self._brotli.compress(raw, quality=BROTLI_QUALITY)
            return data
        return raw

    def encoding_for(self, name: str, size: int, accept_encoding: str) -> str | None:
        if size < MIN_COMPRESS or not is_compressible(content_type(name)):
            return None
        return choose_encoding(accept_encoding, self.encodings)


class _Handler(BaseHTTPRequestHandler):
    server_owner: BenchServer
    protocol_version = "HTTP/1.1"
    timeout = 30  # idle keep-alive connections give their thread back
    server_version = "kcm-bench"
    sys_version = ""

    def log_message(self, format: str, *args: Any) -> None:
        pass  # a page load is dozens of requests; the counts are what matters

    def do_HEAD(self) -> None:
        self._serve(head=True)

    def do_GET(self) -> None:
        self._serve(head=False)

    def _serve(self, *, head: bool) -> None:
        owner = self.server_owner
        started = owner._begin()
        response: Response | None = None
        try:
            response = self._respond(owner, head=head, started=started)
        finally:
            owner._end(response)

    def _respond(self, owner: BenchServer, *, head: bool, started: float) -> Response:
        url_path = urlsplit(self.path).path or "/"
        kind, target, name = owner.resolve(url_path)
        if kind == "redirect":
            query = urlsplit(self.path).query
            return self._send(
                url_path,
                HTTPStatus.MOVED_PERMANENTLY,
                b"",
                None,
                started,
                head=head,
                headers={"Location": name + (f"?{query}" if query else "")},
            )
        if target is None:
            return self._send(
                url_path,
                HTTPStatus.NOT_FOUND,
                b"404 Not Found\n",
                None,
                started,
                head=head,
                headers={"Content-Type": "text/plain; charset=utf-8"},
            )
        size = len(target) if isinstance(target, bytes) else target.stat().st_size
        encoding = owner.encoding_for(name, size, self.headers.get("Accept-Encoding", ""))
        content = owner.body(target, encoding)
        headers = {
            "Content-Type": content_type(name),
            "ETag": content.etag,
            "Cache-Control": owner.cache_control,
            "Vary": "Accept-Encoding",
        }
        if content.last_modified:
            headers["Last-Modified"] = content.last_modified
        if encoding:
            headers["Content-Encoding"] = encoding
        if _not_modified(self.headers.get("If-None-Match"), content.etag):
            return self._send(
                url_path,
                HTTPStatus.NOT_MODIFIED,
                b"",
                encoding,
                started,
                head=True,
                headers=headers,
            )
        return self._send(
            url_path, HTTPStatus.OK, content.data, encoding, started, head=head, headers=headers
        )

    def _send(
        self,
        path: str,
        status: HTTPStatus,
        body: bytes,
        encoding: str | None,
        started: float,
        *,
        head: bool,
        headers: Mapping[str, str],
    ) -> Response:
        self.send_response(status)
        for key, value in headers.items():
            self.send_header(key, value)
        if status != HTTPStatus.NOT_MODIFIED:
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        sent = 0
        if not head and body:
            with contextlib.suppress(ConnectionError, OSError):
                self.wfile.write(body)
                sent = len(body)
        return Response(path, int(status), sent, encoding, started)


def _not_modified(if_none_match: str | None, etag: str) -> bool:
    if not if_none_match:
        return False
    tags = {tag.strip().removeprefix("W/") for tag in if_none_match.split(",")}
    return "*" in tags or etag in tags
