"""MkDocs glue: the only module of the site build that knows MkDocs.

Listed under ``hooks:`` in mkdocs.yml. It adds the pages that ``build_tools.pages`` generates
from the rubric as virtual files (nothing is written into docs/, nothing generated is
committed), offers the JSON schemas for download, expands ``<!-- kcm:name -->`` markers in
hand-written pages, sets the navigation, and puts the checklist HTML of ``build_tools.checklist``
on the checklist page together with that page's own CSS and JS (``build_tools.checklist_tags``).

Moving the site to another generator (Zensical) means rewriting this module only.

The rubrics come from ``extra.kcm.rubric`` in mkdocs.yml (a folder: every rubric in it, or one
file), the main one is ``extra.kcm.main`` (``build_tools.site_rubrics``); ``build_tools.site``
points ``rubric`` at what it was asked to build, so plain ``mkdocs build`` and ``make site`` give
the same site. Every rubric's pages and checklists come from ``build_tools.site_pages``.
"""

from __future__ import annotations

import json
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.livereload import LiveReloadServer
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page

# MkDocs loads this file by path with only build_tools/ on sys.path; the generators live in the
# build_tools package at the repository root.
ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from build_tools import checklist, checklist_tags, pages, report_page, site_pages  # noqa: E402
from build_tools.site import ASSESSMENT_SCHEMA, RUBRIC_SCHEMA  # noqa: E402
from build_tools.site_rubrics import (  # noqa: E402
    RubricSection,
    SiteRubricError,
    SiteRubricSet,
    load_site_rubrics,
)


@dataclass
class _Build:
    """What one build needs; made fresh in on_config (MkDocs keeps hook modules loaded)."""

    source: Path  # the rubric folder, or one rubric file
    site: SiteRubricSet
    # engine.json's content when the engine was built first (build_tools.site); None in a
    # plain `mkdocs build`, where the worker then fetches engine.json itself.
    engine_manifest: dict[str, Any] | None
    downloads: list[tuple[pages.Download, Path]] = field(default_factory=list)
    blocks: dict[str, str] = field(default_factory=dict)


_build: _Build | None = None


def _state() -> _Build:
    if _build is None:
        raise PluginError("kcm hooks: on_config did not run")
    return _build


def _downloads(site: SiteRubricSet) -> list[tuple[pages.Download, Path]]:
    found = [
        (
            pages.Download(
                "downloads/rubric/schema.json",
                "Schema van een rubric (rubric/schema.json)",
                "JSON Schema (draft 2020-12) waaraan elk rubricbestand moet voldoen.",
            ),
            RUBRIC_SCHEMA,
        ),
    ]
    for section in site.sections:
        rubric = section.rubric
        found.append(
            (
                pages.Download(
                    f"downloads/rubric/{pages.safe_id(rubric.id, 'rubric')}.json",
                    f"De rubric {rubric.title} ({rubric.id}.json, versie {rubric.version})",
                    "Het rubricbestand waarmee de pagina's en de checklist van dit examen "
                    "zijn gemaakt.",
                ),
                section.path,
            )
        )
    found.append(
        (
            pages.Download(
                "downloads/assessment.schema.json",
                "Schema van een beoordeling (assessment.schema.json)",
                "JSON Schema van een geëxporteerde beoordeling, één of meer tegelijk.",
            ),
            ASSESSMENT_SCHEMA,
        )
    )
    return found


def _schema_block(path: Path, what: str) -> str:
    try:
        schema = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise PluginError(f"{path}: cannot read the JSON schema of {what}: {error}") from error
    try:
        return pages.schema_reference(schema)
    except pages.PageError as error:
        raise PluginError(f"{path}: {error}") from error


def _blocks(site: SiteRubricSet, downloads: list[tuple[pages.Download, Path]]) -> dict[str, str]:
    """Generated blocks that hand-written pages pull in with <!-- kcm:name -->."""
    rubric = site.main.rubric
    return {
        "eindtermen": pages.eindtermen_block(rubric),
        "rubric-feiten": pages.rubric_facts_block(rubric),
        "andere-rubrics": site_pages.other_rubrics_block(site),
        "downloads": pages.downloads_block([d for d, _ in downloads]),
        "schema-rubric": _schema_block(RUBRIC_SCHEMA, "een rubric"),
        "schema-beoordeling": _schema_block(ASSESSMENT_SCHEMA, "een beoordeling"),
    }


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    global _build
    kcm: dict[str, Any] = dict(config.extra.get("kcm") or {})
    if "rubric" not in kcm:
        raise PluginError("mkdocs.yml: extra.kcm.rubric (the rubric folder or file) is missing")
    source = Path(str(kcm["rubric"]))
    if not source.is_absolute():
        source = Path(config.config_file_path).parent / source
    main = kcm.get("main")
    try:
        site = load_site_rubrics(source, str(main) if main else None)
    except SiteRubricError as error:
        raise PluginError(str(error)) from error
    manifest = kcm.get("engine_manifest")
    if manifest is not None and not isinstance(manifest, dict):
        raise PluginError("extra.kcm.engine_manifest must be engine.json's content (an object)")
    downloads = _downloads(site)
    _build = _Build(source, site, manifest, downloads, _blocks(site, downloads))
    config.nav = site_pages.site_nav(site)
    return config


def on_files(files: Files, *, config: MkDocsConfig) -> Files:
    build = _state()
    generated: dict[str, str] = {}
    for section in build.site.sections:
        generated.update(site_pages.section_pages(section, main=section is build.site.main))
    taken = [
        src
        for src in [*generated, *(d.path for d, _ in build.downloads)]
        if files.get_file_from_path(src)
    ]
    if taken:
        raise PluginError(
            "; ".join(f"docs/{src} exists" for src in taken)
            + ": these files are generated from the rubric, remove or rename them"
        )
    for src_uri, markdown in generated.items():
        files.append(File.generated(config, src_uri, content=markdown))
    for download, source in build.downloads:
        files.append(File.generated(config, download.path, abs_src_path=str(source)))
    return files


def on_page_markdown(markdown: str, /, *, page: Page, config: MkDocsConfig, files: Files) -> str:
    try:
        return pages.expand_markers(markdown, _state().blocks, page.file.src_uri)
    except pages.PageError as error:
        raise PluginError(str(error)) from error


def _site_root(page: Page) -> str:
    """Relative URL from the page to the site root: 'checklist/' -> '../'."""
    depth = page.url.count("/")
    return "../" * depth if depth else "./"


def _checklist_of(page: Page) -> tuple[RubricSection, bool] | None:
    """The rubric of a checklist page and whether it is the practice one; None for others."""
    section, name = _state().site.section_of(page.file.src_uri)
    practice = site_pages.checklist_kind(name)
    return None if practice is None else (section, practice)


def _is_report(page: Page) -> bool:
    return page.file.src_uri == report_page.REPORT_PAGE


def on_page_content(html: str, /, *, page: Page, config: MkDocsConfig, files: Files) -> str:
    build = _state()
    root = _site_root(page)
    if _is_report(page):
        return html + "\n" + report_page.render_report_page(root)
    found = _checklist_of(page)
    if found is None:
        return html
    section, practice = found
    # The checklist HTML skips Markdown on purpose: it must reach the browser exactly as
    # rendered, data-* attributes and all. Its scripts follow it directly, so they run as soon
    # as the checklist is parsed instead of after the rest of the page and the theme's script.
    site = site_pages.site_rubrics_data(build.site, section, practice=practice, site_root=root)
    rendered: str = checklist.render_checklist(
        section.rubric, site_root=root, practice=practice, site=site
    )
    return rendered + "\n" + checklist_tags.body_tags(root)


# <meta charset> opens Material's <head>; build_tools.offline puts the CSP right after it.
_CHARSET_RE = re.compile(r"<meta\s+charset\s*=\s*[\"']?[\w-]+[\"']?\s*/?>", re.I)


def on_post_page(output: str, /, *, page: Page, config: MkDocsConfig) -> str:
    found = _checklist_of(page)
    report = _is_report(page)
    if found is None and not report:
        return output
    # The checklist's CSS and JS load on its pages only. The engine starter goes first in
    # <head>, so the browser starts the worker before it has the rest of the page; the
    # stylesheet goes last, after the theme's, which it overrides.
    build = _state()
    root = _site_root(page)
    charset = _CHARSET_RE.search(output)
    head_end = output.find("</head>")
    if charset is None or head_end < 0 or charset.start() > head_end:
        raise PluginError(f"{page.file.src_uri}: no <meta charset> in its <head>")
    code = (Path(config.docs_dir) / checklist_tags.ENGINE_STARTER).read_text(encoding="utf-8")
    rubric_id = (found[0] if found else build.site.main).rubric.id
    starter: str = checklist_tags.head_tags(
        code, root, build.engine_manifest, rubric_id=rubric_id, preload_checklist=not report
    )
    if report:
        styles: str = report_page.style_tags(root)
    else:
        styles = checklist_tags.style_tags(root)
    return (
        output[: charset.end()]
        + "\n"
        + starter
        + output[charset.end() : head_end]
        + styles
        + "\n"
        + output[head_end:]
    )


def on_serve(server: LiveReloadServer, /, *, config: MkDocsConfig, builder: Any) -> None:
    # Plain `mkdocs serve` also rebuilds when the rubric or a schema changes.
    build = _state()
    server.watch(str(build.source), recursive=build.source.is_dir())
    for path in {RUBRIC_SCHEMA, ASSESSMENT_SCHEMA}:
        if path.exists():
            server.watch(str(path), recursive=False)
