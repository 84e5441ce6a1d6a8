"""The post-build step (build_tools.offline): manifest, icons, CSP <meta> tags, service worker.

Two levels: a small hand-made site shows each rule in isolation (fast, and failures point at the
rule), and the real site built from the KCM rubric shows that the rules hold for every page and
every file that users get, Pyodide and the kcm_core wheel included.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
import struct
import zlib
from collections.abc import Iterator
from pathlib import Path

import pytest

from build_tools import offline
from build_tools.engine import engine_hash

pytestmark = pytest.mark.build

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
# An inline script the way the browser's HTML parser sees it: up to the first "</script".
INLINE_SCRIPT_RE = re.compile(r"<script(?P<attrs>(?:\s[^>]*)?)>(?P<code>.*?)</script", re.S | re.I)
CSP_META_RE = re.compile(r'<meta http-equiv="Content-Security-Policy" content="([^"]*)"', re.I)
PRECACHE_ENTRY_RE = re.compile(r'\{url:"([^"]+)",revision:(?:"([0-9a-f]+)"|null)\}')
CONTENT_FOLDER_RE = re.compile(r"[0-9a-f]{16}")


# --- helpers ----------------------------------------------------------------------------------


def page(title: str, head: str = "", body: str = "", base: str = "") -> str:
    """A page shaped like Material's: charset first, stylesheet link telling the base."""
    return (
        '<!doctype html>\n<html lang="nl">\n  <head>\n    <meta charset="utf-8">\n'
        f'    <link rel="stylesheet" href="{base}assets/stylesheets/main.0123abcd.min.css">\n'
        f"    <title>{title}</title>\n{head}  </head>\n  <body>\n{body}\n  </body>\n</html>\n"
    )


def make_site(root: Path) -> Path:
    """A tiny site with what the real one has that matters here: nested pages, an absolute-link
    404 page, inline scripts (one with CR LF line ends, one JSON data block), a <style> element,
    a file bigger than Workbox's default size limit, a source map, the service worker helper,
    and an engine folder like build_tools.engine's: engine.json beside a folder named after the
    hash of its files (the stdlib sources for debugging among them)."""
    site = root / "site"
    files: dict[str, str | bytes] = {
        "index.html": page(
            "Start",
            head='    <script>var a = "</div>";\r\nconsole.log(a)</script>\n',
            body='<script id="__config" type="application/json">{"x": 1}</script>',
        ),
        "checklist/index.html": page(
            "Checklist",
            head="    <style>.kcm{color:red}</style>\n",
            body='<script src="../assets/kcm/app.js" defer></script><script>var b=1</script>',
            base="../",
        ),
        "deep/er/index.html": page("Diep", base="../../"),
        "404.html": page("Niet gevonden", base="/"),
        "assets/stylesheets/main.0123abcd.min.css": "body{margin:0}",
        "assets/kcm/app.js": "console.log('app')",
        "assets/kcm/app.js.map": "{}",
        **{
            script: (offline.REPO_ROOT / script.replace("assets/", "docs/assets/", 1)).read_text(
                encoding="utf-8"
            )
            for script in offline.SW_IMPORTED_SCRIPTS
        },
        "engine/engine.json": '{"base": "see engine_base()"}',
        # Pyodide's wasm file is ~10 MB; 3 MB is enough to pass Workbox's 2 MB default.
        "engine/staging/big.wasm": bytes(range(256)) * (3 * 4096),
        "engine/staging/pyodide.mjs": "export const version = 'test';",
        "engine/staging/python_stdlib_src.zip": b"PK\x05\x06" + bytes(18),
    }
    for rel, content in files.items():
        path = site / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_bytes(content.encode("utf-8"))
    staging = site / "engine" / "staging"
    staging.rename(site / "engine" / engine_hash({p.name: p for p in staging.iterdir()}))
    return site


def engine_base(site: Path) -> str:
    """``engine/<hash>/`` of a built site."""
    (folder,) = [p for p in (site / "engine").iterdir() if CONTENT_FOLDER_RE.fullmatch(p.name)]
    return f"engine/{folder.name}/"


def snapshot(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in site.rglob("*") if p.is_file()}


def browser_hash(code: str) -> str:
    normalised = code.replace("\r\n", "\n").replace("\r", "\n")
    return (
        "'sha256-" + base64.b64encode(hashlib.sha256(normalised.encode()).digest()).decode() + "'"
    )


def csp_of(html_text: str) -> dict[str, list[str]]:
    match = CSP_META_RE.search(html_text)
    assert match, "no CSP <meta>"
    directives: dict[str, list[str]] = {}
    for part in match.group(1).split(";"):
        name, *values = part.split()
        directives[name] = values
    return directives


def inline_scripts(html_text: str) -> Iterator[str]:
    # External scripts and data blocks (type="application/json": never run) need no hash.
    for match in INLINE_SCRIPT_RE.finditer(html_text):
        attrs = match.group("attrs")
        if not re.search(r"\ssrc\s*=", attrs) and 'type="application/json"' not in attrs:
            yield match.group("code")


def png_info(data: bytes) -> tuple[int, int, tuple[int, ...]]:
    """Width, height and the top-left pixel of an 8-bit RGB/RGBA PNG.

    The first pixel of the first row is stored unfiltered whatever the row's filter type (no
    neighbour to the left or above), so it can be read without a full PNG decoder."""
    assert data.startswith(PNG_SIGNATURE)
    width, height, depth, colour = struct.unpack(">IIBB", data[16:26])
    assert depth == 8
    assert colour in (2, 6)
    channels = 4 if colour == 6 else 3
    pos, idat = 8, b""
    while pos < len(data):
        (length,) = struct.unpack(">I", data[pos : pos + 4])
        kind = data[pos + 4 : pos + 8]
        if kind == b"IDAT":
            idat += data[pos + 8 : pos + 8 + length]
        pos += 12 + length
    raw = zlib.decompressobj().decompress(idat, 1 + channels)
    pixel = tuple(raw[1 : 1 + channels])
    return width, height, pixel if channels == 4 else (*pixel, 255)


def precache(site: Path) -> dict[str, str | None]:
    """URL -> revision (None: precached without one) of every entry of the site's sw.js."""
    entries = PRECACHE_ENTRY_RE.findall((site / "sw.js").read_text(encoding="utf-8"))
    return {url: revision or None for url, revision in entries}


@pytest.fixture(scope="module")
def small_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    site = make_site(tmp_path_factory.mktemp("offline"))
    offline.postbuild(site)
    return site


# --- manifest and icons -----------------------------------------------------------------------


def test_manifest_is_dutch_standalone_and_starts_at_the_checklist(small_site: Path) -> None:
    manifest = json.loads((small_site / "manifest.webmanifest").read_text(encoding="utf-8"))
    assert manifest["name"] == "KCM beoordelen"
    assert manifest["lang"] == "nl"
    assert manifest["display"] == "standalone"
    assert manifest["start_url"] == "checklist/"
    assert manifest["scope"] == "./"
    assert (small_site / manifest["start_url"] / "index.html").is_file()
    assert re.fullmatch(r"#[0-9a-f]{6}", manifest["theme_color"])
    purposes = {icon["purpose"] for icon in manifest["icons"]}
    assert {"any", "maskable"} <= purposes


def test_every_manifest_icon_exists_with_the_size_it_declares(small_site: Path) -> None:
    manifest = json.loads((small_site / "manifest.webmanifest").read_text(encoding="utf-8"))
    for icon in manifest["icons"]:
        data = (small_site / icon["src"]).read_bytes()
        if icon["type"] == "image/svg+xml":
            assert data.startswith(b"<svg")
            continue
        width, height, _ = png_info(data)
        assert icon["sizes"] == f"{width}x{height}"
        assert width in (192, 512)


@pytest.mark.parametrize(
    ("file", "corner_opaque"),
    [
        # The plain icon has rounded corners: its corner pixel is transparent.
        ("icon-512.png", False),
        # Launchers crop maskable and iPhone icons themselves: they must fill the square.
        ("icon-maskable-512.png", True),
        ("apple-touch-icon.png", True),
    ],
)
def test_icons_are_rendered_from_the_svg(small_site: Path, file: str, corner_opaque: bool) -> None:
    _, _, corner = png_info((small_site / offline.ICON_DIR / file).read_bytes())
    theme = json.loads((small_site / "manifest.webmanifest").read_text())["theme_color"]
    if corner_opaque:
        assert corner == (*bytes.fromhex(theme[1:]), 255)
    else:
        assert corner[3] == 0


# --- HTML: head links and CSP -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("rel", "base"),
    [
        ("index.html", ""),
        ("checklist/index.html", "../"),
        ("deep/er/index.html", "../../"),
        # 404.html is served at any URL: it keeps MkDocs' absolute links.
        ("404.html", "/"),
    ],
)
def test_every_page_links_manifest_and_service_worker_from_its_own_place(
    small_site: Path, rel: str, base: str
) -> None:
    text = (small_site / rel).read_text(encoding="utf-8")
    assert f'<link rel="manifest" href="{base}manifest.webmanifest">' in text
    assert (
        f'<script src="{base}assets/kcm/sw-register.js" data-sw-url="{base}sw.js" defer></script>'
        in text
    )
    assert f'href="{base}assets/kcm/icons/apple-touch-icon.png"' in text


def test_csp_comes_right_after_the_charset_before_any_script(small_site: Path) -> None:
    for html_file in small_site.rglob("*.html"):
        head = html_file.read_text(encoding="utf-8").split("<head>", 1)[1]
        first, second = re.findall(r"<(?:meta|link|script|style|title)\b[^>]*>", head)[:2]
        assert first == '<meta charset="utf-8">', html_file
        assert second.startswith('<meta http-equiv="Content-Security-Policy"'), html_file


def test_csp_allows_exactly_the_inline_scripts_of_each_page(small_site: Path) -> None:
    for html_file in small_site.rglob("*.html"):
        text = html_file.read_text(encoding="utf-8")
        script_src = csp_of(text)["script-src"]
        expected = {browser_hash(code) for code in inline_scripts(text)}
        hashes = {v for v in script_src if v.startswith("'sha256-")}
        assert hashes == expected, html_file


def test_csp_hashes_inline_style_elements(small_site: Path) -> None:
    text = (small_site / "checklist/index.html").read_text(encoding="utf-8")
    assert browser_hash(".kcm{color:red}") in csp_of(text)["style-src"]


def test_csp_forbids_eval_plugins_and_foreign_origins(small_site: Path) -> None:
    for html_file in small_site.rglob("*.html"):
        csp = csp_of(html_file.read_text(encoding="utf-8"))
        assert "'unsafe-eval'" not in csp["script-src"]
        assert "'unsafe-inline'" not in csp["script-src"]
        assert "'wasm-unsafe-eval'" in csp["script-src"]
        assert csp["object-src"] == ["'none'"]
        assert csp["base-uri"] == ["'self'"]
        assert csp["worker-src"] == ["'self'"]
        assert csp["default-src"] == ["'self'"]
        # No directive names another host or a wildcard.
        for values in csp.values():
            for value in values:
                assert value.startswith("'") or value in ("data:",), value


def test_a_page_with_an_inline_event_handler_fails_the_build(tmp_path: Path) -> None:
    site = make_site(tmp_path)
    (site / "bad.html").write_text(page("x", body='<button onclick="go()">x</button>'))
    with pytest.raises(offline.OfflineBuildError, match=r"bad\.html: <button onclick"):
        offline.postbuild(site)


def test_a_javascript_url_fails_the_build(tmp_path: Path) -> None:
    site = make_site(tmp_path)
    (site / "bad.html").write_text(page("x", body='<a href=" JavaScript:go()">x</a>'))
    with pytest.raises(offline.OfflineBuildError, match=r"bad\.html: <a href"):
        offline.postbuild(site)


def test_a_site_without_the_checklist_is_refused(tmp_path: Path) -> None:
    site = make_site(tmp_path)
    (site / "checklist/index.html").unlink()
    with pytest.raises(offline.OfflineBuildError, match="checklist"):
        offline.postbuild(site)


def test_running_the_post_build_twice_changes_nothing(tmp_path: Path) -> None:
    site = make_site(tmp_path)
    offline.postbuild(site)
    first = snapshot(site)
    offline.postbuild(site)
    assert snapshot(site) == first


# --- service worker ---------------------------------------------------------------------------


def test_service_worker_precaches_every_file_with_the_md5_of_its_final_bytes(
    small_site: Path,
) -> None:
    entries = precache(small_site)
    base = engine_base(small_site)
    files = {
        rel: data
        for rel, data in snapshot(small_site).items()
        if rel not in ("sw.js", f"{base}python_stdlib_src.zip") and not rel.endswith(".map")
    }
    assert set(entries) == set(files)
    # The revision is Workbox's MD5 of the file: equal to the final bytes means the service
    # worker was generated after the CSP was put into the pages.
    revisioned = {rel: rev for rel, rev in entries.items() if not rel.startswith(base)}
    assert len(revisioned) >= 8
    for rel, revision in revisioned.items():
        assert revision == hashlib.md5(files[rel]).hexdigest(), rel


def test_content_addressed_engine_files_are_precached_without_a_revision(
    small_site: Path,
) -> None:
    # Workbox fetches an entry without a revision with cache mode "default": the install then
    # takes Pyodide from the HTTP cache the page's own engine load filled, instead of a second
    # download ("reload" and a ?__WB_REVISION__= URL). Safe only because the folder's name
    # changes with its content; engine.json beside it keeps its revision.
    entries = precache(small_site)
    base = engine_base(small_site)
    assert {rel for rel, rev in entries.items() if rev is None} == {
        f"{base}big.wasm",
        f"{base}pyodide.mjs",
    }
    assert entries["engine/engine.json"] is not None
    # The stdlib sources, for debugging only, are never fetched by a visitor.
    assert (small_site / base / "python_stdlib_src.zip").is_file()
    assert f"{base}python_stdlib_src.zip" not in entries


@pytest.mark.parametrize(
    "damage",
    ["a file changed after naming", "a file added after naming", "a folder with another name"],
)
def test_an_engine_folder_not_named_after_its_content_fails_the_build(
    tmp_path: Path, damage: str
) -> None:
    # Without a revision, a changed file under an old URL would stay stale in every installed
    # service worker for good: the build refuses it.
    site = make_site(tmp_path)
    folder = site / engine_base(site)
    if damage == "a file changed after naming":
        (folder / "pyodide.mjs").write_text("export const version = 'other';", encoding="utf-8")
    elif damage == "a file added after naming":
        (folder / "extra.js").write_text("1", encoding="utf-8")
    else:
        folder.rename(folder.with_name("0123456789abcdef"))
    with pytest.raises(offline.OfflineBuildError, match=r"engine/[0-9a-f]{16}/ heeft als inhoud"):
        offline.postbuild(site)


def test_service_worker_includes_files_above_workbox_default_size(small_site: Path) -> None:
    big = engine_base(small_site) + "big.wasm"
    assert (small_site / big).stat().st_size > 2 * 1024 * 1024
    assert big in precache(small_site)


def test_service_worker_waits_for_the_assessor_before_taking_over(small_site: Path) -> None:
    code = (small_site / "sw.js").read_text(encoding="utf-8")
    # Workbox writes a bare self.skipWaiting() call at the top level when skipWaiting is on;
    # with it off, the only call is inside the message handler for the update prompt.
    assert code.count("skipWaiting()") == 1
    assert re.search(r'"SKIP_WAITING"===\w+\.data\.type&&self\.skipWaiting\(\)', code)
    assert "clients.claim" not in code.replace(" ", "")
    assert 'importScripts("assets/kcm/sw-update.js","assets/kcm/sw-engine.js")' in code
    # Runtime caching would register routes with a strategy for URLs outside the precache.
    for strategy in ("NetworkFirst", "CacheFirst", "StaleWhileRevalidate"):
        assert strategy not in code


# --- the real site ----------------------------------------------------------------------------


def test_real_site_every_page_has_its_own_policy_and_the_head_links(built_site: Path) -> None:
    pages = sorted(built_site.rglob("*.html"))
    assert len(pages) >= 10
    for html_file in pages:
        text = html_file.read_text(encoding="utf-8")
        assert len(CSP_META_RE.findall(text)) == 1, html_file
        script_src = set(csp_of(text)["script-src"])
        assert {browser_hash(code) for code in inline_scripts(text)} <= script_src, html_file
        assert "manifest.webmanifest" in text, html_file
        assert "assets/kcm/sw-register.js" in text, html_file


def test_real_site_precache_holds_every_file_pyodide_and_the_wheel_included(
    built_site: Path,
) -> None:
    entries = precache(built_site)
    files = offline.expected_precache(built_site)
    assert sorted(entries) == files
    base = engine_base(built_site)
    engine = json.loads((built_site / "engine/engine.json").read_text(encoding="utf-8"))
    assert f"engine/{engine['base']}" == base
    for needed in ("checklist/index.html", "engine/engine.json", "engine/rubric.json"):
        assert entries[needed] == hashlib.md5((built_site / needed).read_bytes()).hexdigest()
    # Pyodide, the stdlib, the lock and the wheel: content-addressed, without a revision.
    for name in ("pyodide.mjs", "pyodide.asm.mjs", "pyodide.asm.wasm", "python_stdlib_pyc.zip"):
        assert entries[base + name] is None, name
    assert entries[f"engine/{engine['lock']}"] is None
    assert entries[f"engine/{engine['wheel']}"] is None
    assert f"engine/{engine['stdlib_sources']}" not in entries
    for rel, revision in entries.items():
        if not rel.startswith(base):
            assert revision == hashlib.md5((built_site / rel).read_bytes()).hexdigest(), rel


@pytest.mark.parametrize(
    ("path", "excluded"),
    [
        ("sw.js", True),
        ("assets/sw.js", False),
        ("x.map", True),
        ("engine/0123456789abcdef/pyodide.asm.mjs.map", True),
        ("engine/0123456789abcdef/python_stdlib_src.zip", True),
        ("engine/0123456789abcdef/python_stdlib_pyc.zip", False),
        ("engine/0123456789abcdef/sub/python_stdlib_src.zip", False),
        ("checklist/index.html", False),
    ],
)
def test_the_precache_globs_and_their_regex_agree(path: str, excluded: bool) -> None:
    # sw-build.mjs gets the globs; offline.py checks the precache with the regex made from them.
    assert bool(offline.PRECACHE_EXCLUDED.search(path)) is excluded


def test_the_service_worker_build_gets_its_settings_from_one_place() -> None:
    settings = offline.service_worker_settings()
    assert settings["ignored"] == list(offline.PRECACHE_IGNORED)
    assert settings["importScripts"] == list(offline.SW_IMPORTED_SCRIPTS)
    assert re.compile(str(settings["contentAddressed"])).match("engine/0123456789abcdef/x.wasm")
    script = offline.SW_BUILD_SCRIPT.read_text(encoding="utf-8")
    for setting in offline.PRECACHE_IGNORED:
        assert f'"{setting}"' not in script
