"""Last build step: make the built site installable, usable offline and locked down.

``postbuild(site_dir)`` runs after MkDocs and the engine step (``build_tools.site``) and does, in
this order, because every step must see the final bytes of the steps before it:

1. icons: PNG files rendered from ``docs/assets/kcm/icon.svg`` (resvg, pinned in
   requirements.lock; no system library needed) and the web app manifest
   ``manifest.webmanifest`` (Dutch, ``display: standalone``, start page ``checklist/``);
2. every HTML page gets the manifest link, the theme colour, the iPhone home-screen icon and the
   script that registers the service worker (``assets/kcm/sw-register.js``);
3. every HTML page gets a Content-Security-Policy ``<meta>`` tag with the sha256 hash of each of
   its inline scripts (Material writes per-page inline scripts, so hashes are computed per page
   and only now, when nothing else changes the pages any more);
4. the service worker ``sw.js`` is generated with Workbox (``build_tools/sw-build.mjs``), which
   precaches every file of the site with a revision hash of its final content. It must come
   last: any change to a page after it would leave the precache with a stale revision. The
   exception are the engine's heavy files in ``engine/<content hash>/`` (build_tools.engine):
   their URL already names their content, so they go without a revision and the service
   worker's install takes them from the HTTP cache instead of downloading them again; this
   step checks that each such folder really is named after the hash of its files.

``sw-register.js`` registers the service worker only once the checklist's engine has loaded (or
failed), and on other pages once the page has loaded and the browser is idle, so that its
precache requests meet a filled HTTP cache instead of racing the page for the same files.

Running it twice on the same folder gives the same result: earlier injections are replaced.
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import html
import json
import logging
import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from collections.abc import Sequence
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

import resvg_py

from build_tools.engine import ENGINE_HASH_LENGTH, engine_hash

log = logging.getLogger(__name__)

REPO_ROOT = Path(__file__).resolve().parent.parent
ICON_SVG = REPO_ROOT / "docs" / "assets" / "kcm" / "icon.svg"
SW_BUILD_SCRIPT = REPO_ROOT / "build_tools" / "sw-build.mjs"

MANIFEST_FILE = "manifest.webmanifest"
ICON_DIR = "assets/kcm/icons"
SW_REGISTER_SCRIPT = "assets/kcm/sw-register.js"
SW_UPDATE_SCRIPT = "assets/kcm/sw-update.js"
SW_ENGINE_SCRIPT = "assets/kcm/sw-engine.js"
#: Loaded by sw.js with importScripts, in this order, before Workbox's own handlers
#: (handed to build_tools/sw-build.mjs by ``service_worker_settings``).
SW_IMPORTED_SCRIPTS = (SW_UPDATE_SCRIPT, SW_ENGINE_SCRIPT)
SW_FILE = "sw.js"
START_URL = "checklist/"
APP_NAME = "KCM beoordelen"
APP_SHORT_NAME = "KCM"
APP_DESCRIPTION = (
    "Beoordelingsformulier klantcontact medewerker: vink de criteria af en zie meteen de uitslag. "
    "Werkt ook zonder internet; de gegevens blijven op dit apparaat."
)

# Files the service worker does not precache, as Workbox globs: the worker itself, source maps,
# which only developer tools read, and the stdlib sources for debugging. sw-build.mjs receives
# them from here (``service_worker_settings``); PRECACHE_EXCLUDED is the same as a regex.
PRECACHE_IGNORED = (SW_FILE, "**/*.map", "engine/*/python_stdlib_src.zip")


def _glob_regex(glob: str) -> str:
    """A Workbox (minimatch) glob of this module as a regex over site-relative paths; only the
    forms used here: ``**/`` (any folders, or none) and ``*`` (within one folder)."""
    parts = re.split(r"(\*\*/|\*)", glob)
    table = {"**/": "(?:[^/]+/)*", "*": "[^/]*"}
    return "^" + "".join(table.get(part, re.escape(part)) for part in parts) + "$"


PRECACHE_EXCLUDED = re.compile("|".join(_glob_regex(g) for g in PRECACHE_IGNORED))
# The engine's content-addressed folder: precached without a revision, so its name must be the
# hash of its files (build_tools.engine). Written so that JavaScript's RegExp reads it the same.
CONTENT_ADDRESSED = re.compile(rf"^engine/([0-9a-f]{{{ENGINE_HASH_LENGTH}}})/")


def service_worker_settings() -> dict[str, object]:
    """What sw-build.mjs needs besides the site folder, so that no setting is kept twice."""
    return {
        "swFile": SW_FILE,
        "ignored": list(PRECACHE_IGNORED),
        "contentAddressed": CONTENT_ADDRESSED.pattern,
        "importScripts": list(SW_IMPORTED_SCRIPTS),
    }


# Directives that do not depend on the page. 'wasm-unsafe-eval' lets Pyodide compile WebAssembly;
# 'unsafe-eval' is never allowed. Material's CSS draws icons from data: URLs (img-src).
# frame-ancestors and report-uri are not listed: browsers ignore them in a <meta> tag.
CSP_FIXED = (
    ("default-src", "'self'"),
    ("connect-src", "'self'"),
    ("img-src", "'self' data:"),
    ("font-src", "'self'"),
    ("worker-src", "'self'"),
    ("manifest-src", "'self'"),
    ("object-src", "'none'"),
    ("base-uri", "'self'"),
    ("form-action", "'self'"),
)

BLOCK_START = "<!-- kcm-offline:start -->"
BLOCK_END = "<!-- kcm-offline:end -->"
_BLOCK_RE = re.compile(re.escape(BLOCK_START) + r".*?" + re.escape(BLOCK_END) + r"\n?", re.S)
_CSP_META_RE = re.compile(
    r'\n?<meta http-equiv="Content-Security-Policy" content="[^"]*" data-kcm-csp>', re.I
)
_HEAD_RE = re.compile(r"<head(?:\s[^>]*)?>", re.I)
_HEAD_END_RE = re.compile(r"</head\s*>", re.I)
_CHARSET_RE = re.compile(r"\s*<meta\s+charset\s*=\s*[\"']?[\w-]+[\"']?\s*/?>", re.I)
_MAIN_CSS_RE = re.compile(r'href="([^"]*?)assets/stylesheets/main\.[0-9a-f]+\.min\.css"')


class OfflineBuildError(Exception):
    """The post-build step cannot produce a correct site; the message says why, in Dutch."""


@dataclass(frozen=True, slots=True)
class IconSpec:
    """One rendered icon. ``maskable`` icons fill the square and keep the drawing in the safe
    zone (the middle 80 %), because launchers cut them to circles or rounded squares."""

    file: str
    size: int
    purpose: str
    maskable: bool


ICONS = (
    IconSpec("icon-192.png", 192, "any", maskable=False),
    IconSpec("icon-512.png", 512, "any", maskable=False),
    IconSpec("icon-maskable-512.png", 512, "maskable", maskable=True),
    # iOS ignores manifest icons on older versions and rounds the corners itself, so it gets a
    # full square without transparency.
    IconSpec("apple-touch-icon.png", 180, "apple", maskable=True),
)


@dataclass(frozen=True, slots=True)
class PageSecurity:
    """What a page needs in its CSP, and what it contains that no hash-based CSP can allow."""

    script_hashes: tuple[str, ...]
    style_hashes: tuple[str, ...]
    style_attr_hashes: tuple[str, ...]
    forbidden: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class ServiceWorkerBuild:
    count: int
    size: int
    urls: tuple[str, ...]
    unrevisioned: tuple[str, ...]  # precached without a revision: content-addressed URLs


def postbuild(site_dir: Path) -> None:
    """Run all post-build steps on a built site (see the module docstring for the order)."""
    site_dir = site_dir.resolve()
    if not (site_dir / START_URL / "index.html").is_file():
        raise OfflineBuildError(
            f"{site_dir}: de checklist ({START_URL}index.html) ontbreekt; de web-app zou op een "
            "lege pagina starten. Bouw eerst de hele site (python -m build_tools.site build)."
        )
    theme_color = icon_background(ICON_SVG.read_text(encoding="utf-8"))
    write_icons(site_dir, ICON_SVG)
    write_manifest(site_dir, theme_color)
    pages = sorted(site_dir.rglob("*.html"))
    problems: list[str] = []
    for page in pages:
        rel = page.relative_to(site_dir).as_posix()
        text = page.read_text(encoding="utf-8")
        text = inject_head_block(text, page_base(text, rel), theme_color)
        text, forbidden = inject_csp(text)
        problems.extend(f"{rel}: {item}" for item in forbidden)
        page.write_text(text, encoding="utf-8")
    if problems:
        raise OfflineBuildError(
            "Deze pagina's bevatten code die de Content-Security-Policy blokkeert "
            "(inline event handlers of javascript:-links); zet die code in een .js-bestand:\n  "
            + "\n  ".join(problems)
        )
    build = generate_service_worker(site_dir)
    missing = sorted(set(expected_precache(site_dir)) - set(build.urls))
    if missing:
        raise OfflineBuildError(
            "De service worker slaat deze bestanden niet op, dus zonder internet ontbreken ze: "
            + ", ".join(missing)
        )
    check_unrevisioned(site_dir, build)
    log.info(
        "offline: %d pagina's met CSP, %d bestanden (%.1f MB) in de service worker",
        len(pages),
        build.count,
        build.size / 1e6,
    )


# --- icons and manifest ---------------------------------------------------------------------


def icon_background(svg_text: str) -> str:
    """The icon's background colour (``<rect id="background" fill=...>``): also the theme colour,
    so the phone's status bar, splash screen and maskable icon all match the icon."""
    root = ET.fromstring(svg_text)
    for element in root.iter():
        if element.get("id") == "background":
            fill = element.get("fill")
            if fill and re.fullmatch(r"#[0-9a-fA-F]{6}", fill):
                return fill.lower()
    raise OfflineBuildError(
        f'{ICON_SVG}: geen <rect id="background" fill="#rrggbb"> gevonden; die kleur is ook '
        "de themakleur van de web-app."
    )


def maskable_svg(svg_text: str, background: str) -> str:
    """The icon scaled to 80 % on a full square of its background colour.

    The drawing of icon.svg stays within 232 px of the centre of its 512 px square; at 80 % that
    is 186 px, inside the 205 px circle that a maskable icon must keep visible."""
    data = base64.b64encode(svg_text.encode("utf-8")).decode("ascii")
    return (
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 512 512" width="512" height="512">'
        f'<rect width="512" height="512" fill="{background}"/>'
        '<image x="51.2" y="51.2" width="409.6" height="409.6" '
        f'href="data:image/svg+xml;base64,{data}"/></svg>'
    )


def render_png(svg_text: str, size: int) -> bytes:
    png = bytes(resvg_py.svg_to_bytes(svg_string=svg_text, width=size, height=size))
    if not png.startswith(b"\x89PNG\r\n\x1a\n"):
        raise OfflineBuildError("resvg gaf geen PNG terug")
    return png


def write_icons(site_dir: Path, svg_path: Path) -> None:
    svg_text = svg_path.read_text(encoding="utf-8")
    background = icon_background(svg_text)
    out = site_dir / ICON_DIR
    out.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(svg_path, out / "icon.svg")
    masked = maskable_svg(svg_text, background)
    for spec in ICONS:
        source = masked if spec.maskable else svg_text
        (out / spec.file).write_bytes(render_png(source, spec.size))


def manifest_data(theme_color: str) -> dict[str, object]:
    """The web app manifest. URLs are relative to the manifest (at the site root), so the site
    works under any base path (e.g. a GitHub Pages project folder)."""
    icons: list[dict[str, str]] = [
        {
            "src": f"{ICON_DIR}/{spec.file}",
            "sizes": f"{spec.size}x{spec.size}",
            "type": "image/png",
            "purpose": spec.purpose,
        }
        for spec in ICONS
        if spec.purpose in ("any", "maskable")
    ]
    icons.append(
        {"src": f"{ICON_DIR}/icon.svg", "sizes": "any", "type": "image/svg+xml", "purpose": "any"}
    )
    return {
        "name": APP_NAME,
        "short_name": APP_SHORT_NAME,
        "description": APP_DESCRIPTION,
        "lang": "nl",
        "dir": "ltr",
        "start_url": START_URL,
        "scope": "./",
        "display": "standalone",
        "orientation": "any",
        "background_color": "#ffffff",
        "theme_color": theme_color,
        "categories": ["education", "productivity"],
        "icons": icons,
    }


def write_manifest(site_dir: Path, theme_color: str) -> None:
    text = json.dumps(manifest_data(theme_color), ensure_ascii=False, indent=2) + "\n"
    (site_dir / MANIFEST_FILE).write_text(text, encoding="utf-8")


# --- HTML injection ---------------------------------------------------------------------------


def page_base(text: str, rel_path: str) -> str:
    """The URL prefix from this page to the site root.

    Taken from the page's own link to Material's stylesheet when there is one: 404.html is
    served at any path and MkDocs gives it absolute links, which a relative prefix would break.
    Otherwise derived from the page's folder depth."""
    match = _MAIN_CSS_RE.search(text)
    if match:
        return match.group(1)
    return "../" * rel_path.count("/")


def head_block(base: str, theme_color: str) -> str:
    def url(path: str) -> str:
        return html.escape(base + path, quote=True)

    return (
        f"{BLOCK_START}\n"
        f'<link rel="manifest" href="{url(MANIFEST_FILE)}">\n'
        f'<meta name="theme-color" content="{theme_color}">\n'
        f'<link rel="apple-touch-icon" href="{url(ICON_DIR + "/apple-touch-icon.png")}">\n'
        f'<script src="{url(SW_REGISTER_SCRIPT)}" data-sw-url="{url(SW_FILE)}" defer></script>\n'
        f"{BLOCK_END}\n"
    )


def inject_head_block(text: str, base: str, theme_color: str) -> str:
    """Put the manifest link, theme colour, touch icon and service worker script at the end of
    <head> (replacing an earlier injection)."""
    text = _BLOCK_RE.sub("", text)
    end = _HEAD_END_RE.search(text)
    if end is None:
        raise OfflineBuildError("pagina zonder </head>")
    return text[: end.start()] + head_block(base, theme_color) + text[end.start() :]


def _sha256(text: str) -> str:
    # The browser hashes the script text after the HTML parser turned CR LF and CR into LF.
    normalised = text.replace("\r\n", "\n").replace("\r", "\n")
    digest = hashlib.sha256(normalised.encode("utf-8")).digest()
    return "'sha256-" + base64.b64encode(digest).decode("ascii") + "'"


class _InlineCodeFinder(HTMLParser):
    """Collects the text of inline <script> and <style> elements, style attributes, and what a
    hash-based CSP can never allow (event handler attributes, javascript: URLs)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.scripts: list[str] = []
        self.styles: list[str] = []
        self.style_attrs: list[str] = []
        self.forbidden: list[str] = []
        self._open: str | None = None
        self._buffer: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name.startswith("on"):
                self.forbidden.append(f"<{tag} {name}=...>")
            elif name == "style" and value is not None:
                self.style_attrs.append(value)
            elif (
                name in ("href", "src", "action", "formaction")
                and value is not None
                and re.sub(r"[\s\x00-\x1f]", "", value).lower().startswith("javascript:")
            ):
                self.forbidden.append(f"<{tag} {name}={value!r}>")
        if tag in ("script", "style"):
            is_external = tag == "script" and any(name == "src" for name, _ in attrs)
            # A data block (the checklist's rubric data) is never run: it needs no hash.
            is_data = tag == "script" and ("type", "application/json") in attrs
            self._open = None if is_external or is_data else tag
            self._buffer = []

    def handle_data(self, data: str) -> None:
        if self._open is not None:
            self._buffer.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style") and self._open == tag:
            code = "".join(self._buffer)
            (self.scripts if tag == "script" else self.styles).append(code)
            self._open = None
            self._buffer = []


def page_security(text: str) -> PageSecurity:
    finder = _InlineCodeFinder()
    finder.feed(text)
    finder.close()

    def unique(items: list[str]) -> tuple[str, ...]:
        return tuple(dict.fromkeys(_sha256(item) for item in items))

    return PageSecurity(
        script_hashes=unique(finder.scripts),
        style_hashes=unique(finder.styles),
        style_attr_hashes=unique(finder.style_attrs),
        forbidden=tuple(finder.forbidden),
    )


def content_security_policy(security: PageSecurity) -> str:
    script_src = ["'self'", "'wasm-unsafe-eval'", *security.script_hashes]
    style_src = ["'self'", *security.style_hashes]
    if security.style_attr_hashes:
        style_src += ["'unsafe-hashes'", *security.style_attr_hashes]
    directives = [
        *CSP_FIXED,
        ("script-src", " ".join(script_src)),
        ("style-src", " ".join(style_src)),
    ]
    return "; ".join(f"{name} {value}" for name, value in directives)


def inject_csp(text: str) -> tuple[str, tuple[str, ...]]:
    """Put the page's CSP <meta> first in <head> and return the page and what the CSP blocks.

    Only ``<meta charset>`` stays in front of it: browsers look for the charset in the first
    1024 bytes, and a long list of hashes would push it out. A CSP in <meta> covers only what
    comes after it, and Material puts no script before the charset."""
    text = _CSP_META_RE.sub("", text)
    security = page_security(text)
    policy = content_security_policy(security)
    meta = f'\n<meta http-equiv="Content-Security-Policy" content="{policy}" data-kcm-csp>'
    head = _HEAD_RE.search(text)
    if head is None:
        raise OfflineBuildError("pagina zonder <head>")
    position = head.end()
    charset = _CHARSET_RE.match(text, position)
    if charset is not None:
        position = charset.end()
    return text[:position] + meta + text[position:], security.forbidden


# --- service worker ---------------------------------------------------------------------------


def expected_precache(site_dir: Path) -> list[str]:
    """Every file of the site that the service worker must hold, as URLs relative to the root."""
    files = (p.relative_to(site_dir).as_posix() for p in site_dir.rglob("*") if p.is_file())
    return sorted(f for f in files if not PRECACHE_EXCLUDED.search(f))


def check_unrevisioned(site_dir: Path, build: ServiceWorkerBuild) -> None:
    """Only files in ``engine/<hash>/`` go without a revision, all of them do, and ``<hash>`` is
    the hash of that folder's files. A file without a revision is never fetched again by an
    installed service worker: changed bytes under an old name would stay stale for good."""
    expected = {url for url in build.urls if CONTENT_ADDRESSED.match(url)}
    problems = []
    if set(build.unrevisioned) != expected:
        wrong = sorted(set(build.unrevisioned) ^ expected)
        problems.append("precache zonder revisie klopt niet voor: " + ", ".join(wrong))
    for name in sorted({url.split("/")[1] for url in expected}):
        folder = site_dir / "engine" / name
        files = {p.relative_to(folder).as_posix(): p for p in folder.rglob("*") if p.is_file()}
        actual = engine_hash(files)
        if actual != name:
            problems.append(f"engine/{name}/ heeft als inhoud-hash {actual}")
    if problems:
        raise OfflineBuildError(
            "Bestanden zonder revisie haalt de service worker nooit opnieuw op. Alleen de "
            "bestanden in engine/<hash>/ mogen zo in de precache, en <hash> moet de hash van hun "
            "inhoud zijn (build_tools/engine.py):\n  " + "\n  ".join(problems)
        )


def generate_service_worker(site_dir: Path) -> ServiceWorkerBuild:
    node = shutil.which("node")
    if node is None:
        raise OfflineBuildError(
            "Node.js (node) is niet gevonden; de service worker wordt met Node gemaakt."
        )
    if not (REPO_ROOT / "node_modules" / "workbox-build").is_dir():
        raise OfflineBuildError(
            "node_modules/workbox-build ontbreekt; installeer het met 'make setup' (npm ci)."
        )
    for script in SW_IMPORTED_SCRIPTS:
        if not (site_dir / script).is_file():
            raise OfflineBuildError(
                f"{script} ontbreekt in de site; de service worker laadt het bij de start."
            )
    (site_dir / SW_FILE).unlink(missing_ok=True)
    result = subprocess.run(
        [node, str(SW_BUILD_SCRIPT), str(site_dir), json.dumps(service_worker_settings())],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        raise OfflineBuildError(f"Workbox faalde:\n{result.stderr.strip()}")
    report = json.loads(result.stdout.strip().splitlines()[-1])
    warnings = [str(w) for w in report["warnings"]]
    if warnings:
        raise OfflineBuildError(
            "Workbox waarschuwt (offline zou onvolledig zijn):\n" + "\n".join(warnings)
        )
    return ServiceWorkerBuild(
        count=int(report["count"]),
        size=int(report["size"]),
        urls=tuple(str(u) for u in report["urls"]),
        unrevisioned=tuple(str(u) for u in report["unrevisioned"]),
    )


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m build_tools.offline",
        description="Manifest, iconen, CSP en service worker toevoegen aan een gebouwde site.",
    )
    parser.add_argument("site_dir", type=Path, help="map met de gebouwde site")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    try:
        postbuild(args.site_dir)
    except OfflineBuildError as error:
        print(f"fout: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
