"""The real site, built from the KCM rubric (fixture ``built_site`` in tests/conftest.py).

What candidates, assessors and maintainers rely on: every criterion under its own anchor, the
blank form, Dutch everywhere, nothing loaded from another host, and "Zo wordt beoordeeld" that
follows the rubric's rules.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from mkdocs.config import load_config
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files

from build_tools import mkdocs_hooks, pages
from build_tools.site import SiteBuildError, build_pages
from kcm_core.model import Rubric
from kcm_core.rubric_load import load_rubric_file

pytestmark = pytest.mark.build

REPO_ROOT = Path(__file__).resolve().parents[2]
KCM_RUBRIC = REPO_ROOT / "rubric" / "klantcontact.json"


@pytest.fixture(scope="module")
def kcm() -> Rubric:
    return load_rubric_file(KCM_RUBRIC)


class Page(HTMLParser):
    """Elements of one HTML page: attributes in order, and the text inside each element id."""

    def __init__(self, text: str) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, dict[str, str | None]]] = []
        self.text_by_id: dict[str, str] = {}
        self.ids: list[str] = []
        self._open: list[tuple[str, str | None]] = []
        self.feed(text)
        self.close()

    VOID = frozenset(
        ("area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source")
    )

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        self.elements.append((tag, attributes))
        element_id = attributes.get("id")
        if element_id is not None:
            self.ids.append(element_id)
            self.text_by_id[element_id] = ""
        if tag not in self.VOID:
            self._open.append((tag, element_id))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements.append((tag, dict(attrs)))

    def handle_endtag(self, tag: str) -> None:
        while self._open:
            if self._open.pop()[0] == tag:
                break

    def handle_data(self, data: str) -> None:
        for _, element_id in self._open:
            if element_id is not None:
                self.text_by_id[element_id] += data

    def with_class(self, css_class: str) -> list[dict[str, str | None]]:
        return [a for _, a in self.elements if css_class in (a.get("class") or "").split()]


def read_page(site: Path, url: str) -> Page:
    return Page((site / url / "index.html").read_text(encoding="utf-8"))


def normalise(text: str) -> str:
    return " ".join(text.split())


def html_files(site: Path) -> Iterator[Path]:
    yield from sorted(site.rglob("*.html"))


# --- pages and anchors ----------------------------------------------------------------------------


def test_every_page_is_dutch(built_site: Path) -> None:
    for path in html_files(built_site):
        assert '<html lang="nl"' in path.read_text(encoding="utf-8"), path


def test_every_criterion_text_is_on_its_eindterm_page_under_its_own_anchor(
    built_site: Path, kcm: Rubric
) -> None:
    for eindterm in kcm.eindtermen:
        page = read_page(built_site, f"eindterm-{eindterm.id}")
        for criterion in eindterm.criteria():
            assert page.ids.count(criterion.id) == 1, criterion.id
            assert normalise(criterion.text) in normalise(page.text_by_id[criterion.id])


def test_a_criterion_anchor_exists_on_no_other_eindterm_page(built_site: Path, kcm: Rubric) -> None:
    # eindterm-2/#2.4.1.b must point at exactly one criterion of the whole site.
    for eindterm in kcm.eindtermen:
        ids = set(read_page(built_site, f"eindterm-{eindterm.id}").ids)
        others = {c.id for c in kcm.criteria()} - {c.id for c in eindterm.criteria()}
        assert not ids & others


def test_the_outbound_criterion_shows_its_condition(built_site: Path) -> None:
    text = read_page(built_site, "eindterm-2").text_by_id["2.4.1.b"]
    assert "Alleen bij outbound gesprekken" in text


def test_generated_pages_are_not_written_into_docs(built_site: Path, kcm: Rubric) -> None:
    for src in pages.generated_pages(kcm, checklist=True):
        assert not (REPO_ROOT / "docs" / src).exists(), src


def test_hand_written_pages_have_their_generated_blocks(built_site: Path) -> None:
    home = (built_site / "index.html").read_text(encoding="utf-8")
    formats = (built_site / "formaten" / "index.html").read_text(encoding="utf-8")
    assert "kcm:" not in home + formats  # no marker left unexpanded
    assert 'href="eindterm-2/"' in home
    assert "3 eindtermen en 37 criteria" in home
    assert "<code>applies_when</code>" in formats  # from rubric/schema.json
    assert "<code>format_version</code>" in formats  # from kcm_core/assessment.schema.json


@pytest.mark.parametrize(
    ("download", "source"),
    [
        ("downloads/rubric/schema.json", "rubric/schema.json"),
        ("downloads/rubric/klantcontact.json", "rubric/klantcontact.json"),
        ("downloads/assessment.schema.json", "kcm_core/assessment.schema.json"),
    ],
)
def test_schemas_and_rubric_are_offered_for_download_unchanged(
    built_site: Path, download: str, source: str
) -> None:
    assert (built_site / download).read_bytes() == (REPO_ROOT / source).read_bytes()
    formats = (built_site / "formaten" / "index.html").read_text(encoding="utf-8")
    assert f'href="../{download}"' in formats


def test_search_is_dutch(built_site: Path) -> None:
    index = json.loads((built_site / "search" / "search_index.json").read_text(encoding="utf-8"))
    assert index["config"]["lang"] == ["nl"]
    assert (built_site / "assets" / "javascripts" / "lunr" / "min" / "lunr.nl.min.js").is_file()


def test_no_page_uses_instant_navigation(built_site: Path) -> None:
    # The checklist runs its scripts on a real page load; instant loading would skip that.
    for path in html_files(built_site):
        assert "navigation.instant" not in path.read_text(encoding="utf-8"), path


# --- the blank form -------------------------------------------------------------------------------


def test_form_has_four_fields_with_lines_and_37_empty_boxes(built_site: Path, kcm: Rubric) -> None:
    form = read_page(built_site, "formulier")
    fields = form.with_class("kcm-paper__field")
    assert [f["data-form-field"] for f in fields] == [f.id for f in kcm.fields]
    assert len(form.with_class("kcm-paper__line")) == 4
    assert len(form.with_class("kcm-paper__box")) == 37
    headers = [
        normalise(t)
        for t in re.findall(
            r"<th scope=\"col\">([^<]*)</th>",
            (built_site / "formulier" / "index.html").read_text(encoding="utf-8"),
        )
    ]
    assert headers == ["Eindterm", "Proces", "Beoordelingscriteria", "Gecheckt"]


def test_form_labels_are_the_rubric_field_labels(built_site: Path, kcm: Rubric) -> None:
    text = (built_site / "formulier" / "index.html").read_text(encoding="utf-8")
    labels = re.findall(r'<span class="kcm-paper__label">([^<]*):</span>', text)
    assert labels == ["Bedrijf", "Naam Kandidaat", "Datum", "Geboortedatum Kandidaat"]


def test_print_css_is_a4_and_keeps_rows_whole(built_site: Path) -> None:
    css = (built_site / "stylesheets" / "kcm.css").read_text(encoding="utf-8")
    assert re.search(r"@page\s*\{[^}]*size:\s*A4", css)
    assert re.search(r"\.kcm-paper__table tr\s*\{\s*break-inside:\s*avoid", css)
    assert re.search(r"\.md-header,[^{]*\.md-sidebar,[^{]*\{\s*display:\s*none", css)


# --- the checklist page ---------------------------------------------------------------------------


def test_checklist_page_has_every_criterion_and_its_own_assets(
    built_site: Path, kcm: Rubric
) -> None:
    text = (built_site / "checklist" / "index.html").read_text(encoding="utf-8")
    rows = re.findall(r'data-criterion-id="([^"]+)"', text)
    assert list(dict.fromkeys(rows)) == list(kcm.criterion_ids())
    from build_tools import checklist_tags as checklist

    head, body = text.split("</head>")
    for style in checklist.STYLES:
        assert f'href="../{style}"' in head
    # The engine starter is inline, first in <head>, allowed by the page's CSP hash, and
    # carries engine.json's content so the worker need not fetch it.
    assert f'data-engine-worker="../{checklist.ENGINE_WORKER}" ' in head
    manifest = re.search(rf'{checklist.MANIFEST_ATTRIBUTE}="([^"]+)"', head)
    assert manifest is not None
    engine_json = (built_site / "engine" / "engine.json").read_text(encoding="utf-8")
    assert json.loads(html.unescape(manifest.group(1))) == json.loads(engine_json)
    assert head.index("data-engine-worker") < head.index("<link")
    # The app scripts run right after the checklist HTML, before the theme's script.
    last_row = body.rindex("data-criterion-id=")
    for script in checklist.BODY_SCRIPTS:
        assert last_row < body.index(f'<script src="../{script}">') < body.index("bundle.")
    # Only the checklist pages (and the practice checklist) load the checklist's own files.
    own = (*checklist.STYLES, checklist.ENGINE_WORKER, *checklist.BODY_SCRIPTS)
    checklists = {built_site / page / "index.html" for page in ("checklist", "oefenen")}
    # The exam office's page runs the same engine, and only that of the checklist's files.
    engine = {checklist.ENGINE_WORKER, "assets/kcm/engine-client.js"}
    office = built_site / "examenbureau" / "index.html"
    for path in html_files(built_site):
        if path not in checklists:
            other = path.read_text(encoding="utf-8")
            allowed = engine if path == office else set()
            assert not [a for a in own if a in other and a not in allowed], path


# --- nothing from another host ------------------------------------------------------------

# Attributes that make a browser fetch something, or that a visitor follows (links). Decision: the
# site has no links to other hosts at all, not even in the text, so this checks <a href> too.
URL_ATTRIBUTES = ("src", "href", "srcset", "poster", "data", "action", "formaction", "xlink:href")
CSS_URL = re.compile(r"""url\(\s*(['"]?)(.*?)\1\s*\)|@import\s+(['"])(.*?)\3""", re.I)


def is_same_origin(url: str) -> bool:
    """Relative or same-origin only: no scheme (except data:) and no //host."""
    url = url.strip()
    if url.startswith("data:") or url.startswith("#") or url == "":
        return True
    parts = urlsplit(url)
    return not parts.scheme and not parts.netloc


@pytest.mark.parametrize(
    ("url", "same"),
    [
        ("../assets/x.css", True),
        ("/assets/x.css", True),
        ("#2.4.1.b", True),
        ("data:image/svg+xml;base64,AAAA", True),
        ("https://fonts.googleapis.com/css", False),
        ("//cdn.example.org/x.js", False),
        ("http://127.0.0.1:8000/", False),
        ("mailto:iemand@example.org", False),
        ("javascript:alert(1)", False),
    ],
)
def test_same_origin_check(url: str, same: bool) -> None:
    assert is_same_origin(url) is same


def test_no_html_or_css_file_points_at_another_host(built_site: Path) -> None:
    offenders: list[str] = []
    for path in sorted(built_site.rglob("*")):
        if path.suffix == ".html":
            page = Page(path.read_text(encoding="utf-8"))
            for tag, attrs in page.elements:
                for name in URL_ATTRIBUTES:
                    value = attrs.get(name)
                    if value is None:
                        continue
                    urls = [u.split()[0] for u in value.split(",")] if name == "srcset" else [value]
                    offenders += [
                        f"{path.relative_to(built_site)}: <{tag} {name}={u}>"
                        for u in urls
                        if u.strip() and not is_same_origin(u)
                    ]
                if tag == "meta" and (attrs.get("http-equiv") or "").lower() == "refresh":
                    offenders.append(f"{path.relative_to(built_site)}: meta refresh")
            text = path.read_text(encoding="utf-8")
            for style in re.findall(r"<style[^>]*>(.*?)</style>", text, re.S | re.I):
                offenders += [
                    f"{path.relative_to(built_site)}: <style> {m.group(2) or m.group(4)}"
                    for m in CSS_URL.finditer(style)
                    if not is_same_origin(m.group(2) or m.group(4) or "")
                ]
        elif path.suffix == ".css":
            css = path.read_text(encoding="utf-8")
            offenders += [
                f"{path.relative_to(built_site)}: {m.group(2) or m.group(4)}"
                for m in CSS_URL.finditer(css)
                if not is_same_origin(m.group(2) or m.group(4) or "")
            ]
    assert offenders == []


def test_no_font_is_requested_from_anywhere(built_site: Path) -> None:
    for path in html_files(built_site):
        text = path.read_text(encoding="utf-8")
        assert "fonts.googleapis.com" not in text
        assert "fonts.gstatic.com" not in text


# --- building with another rubric -----------------------------------------------------------------


def test_scoring_page_follows_a_rule_change_in_the_rubric(tmp_path: Path, built_site: Path) -> None:
    data = json.loads(KCM_RUBRIC.read_text(encoding="utf-8"))
    data.pop("$schema")
    data["eindtermen"][1]["scoring"] = {"rule": "min_fraction", "min_fraction": 0.8}
    changed = tmp_path / "klantcontact.json"
    changed.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")

    build_pages(tmp_path / "site", changed)

    def scoring_text(site: Path) -> str:
        return normalise(
            re.sub(r"<[^>]+>", " ", (site / "beoordeling" / "index.html").read_text("utf-8"))
        )

    before, after = scoring_text(built_site), scoring_text(tmp_path / "site")
    assert "80 procent" not in before
    # ceil(0.8 x 26) = 21, as kcm_core.scoring computes it.
    assert (
        "Eindterm 2 , 26 criteria. Minstens 80 procent van de criteria die van toepassing zijn, "
        "moet behaald zijn. Zijn alle 26 criteria van toepassing, dan zijn er 21 nodig." in after
    )
    assert "Eindterm 1 , 4 criteria. Alle criteria die van toepassing zijn, moeten" in after
    eindterm_2 = (tmp_path / "site" / "eindterm-2" / "index.html").read_text("utf-8")
    assert "Minstens 80 procent" in eindterm_2


def test_an_invalid_rubric_stops_the_build_and_leaves_the_folder_alone(tmp_path: Path) -> None:
    data = json.loads(KCM_RUBRIC.read_text(encoding="utf-8"))
    data["eindtermen"][1]["scoring"] = {"rule": "min_count", "min_count": 0}
    data["eindtermen"][0]["onderdelen"][0]["processen"][0]["criteria"][1]["id"] = "1.1.1.a"
    bad = tmp_path / "kapot.json"
    bad.write_text(json.dumps(data), encoding="utf-8")
    out = tmp_path / "site"
    out.mkdir()
    (out / "index.html").write_text("vorige versie", encoding="utf-8")

    with pytest.raises(SiteBuildError) as error:
        build_pages(out, bad)

    lines = str(error.value).splitlines()
    assert any("$.eindtermen[1].scoring.min_count" in line for line in lines)
    assert any(
        "$.eindtermen[0].onderdelen[0].processen[0].criteria[1].id" in line for line in lines
    )
    assert all(line.startswith(str(bad)) for line in lines)
    assert (out / "index.html").read_text(encoding="utf-8") == "vorige versie"


def test_a_docs_page_named_like_a_generated_page_stops_the_build(tmp_path: Path) -> None:
    # The hook refuses to let a generated page silently replace a hand-written one.
    config = load_config(str(REPO_ROOT / "mkdocs.yml"), site_dir=str(tmp_path / "out"))
    mkdocs_hooks.on_config(config)
    (tmp_path / "beoordeling.md").write_text("# Met de hand\n", encoding="utf-8")
    files = Files([File("beoordeling.md", str(tmp_path), str(tmp_path / "out"), True)])
    with pytest.raises(PluginError, match=r"docs/beoordeling\.md exists"):
        mkdocs_hooks.on_files(files, config=config)
