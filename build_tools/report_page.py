"""The exam office's page ("Examenbureau"): ``kcm report`` in the browser (design §5, issue 14).

The hand-written ``docs/examenbureau.md`` says what the page does; ``build_tools.mkdocs_hooks``
puts ``render_report_page`` after its content and ``style_tags`` at the end of its ``<head>``,
and the engine starter (``build_tools.checklist_tags.head_tags``) at the top, so the worker with
kcm_core starts as on a checklist page. This module renders only the static markup the scripts
(``docs/assets/kcm/report-*.js``) find by their ``data-*`` attributes; the report itself is
kcm_core's (``kcm_core.browser_api.report_*``), shown with the words of ``kcm report``'s
``index.html``. Nothing the user chooses leaves the device: the files are read in the page and
handed to the worker.
"""

from __future__ import annotations

from html import escape
from typing import Final

from kcm_core.assessment_model import MAX_ASSESSMENTS, MAX_FILE_BYTES
from kcm_core.jsonparse import format_limit, too_large_message

__all__ = ["REPORT_PAGE", "SCRIPTS", "STYLES", "render_report_page", "style_tags"]

#: The page's source in docs/ (the hook acts only when it exists).
REPORT_PAGE: Final = "examenbureau.md"

#: In load order, at the end of the page's content: the engine client (as the checklist uses
#: it), the chart, the report's view, and the page's composition root.
SCRIPTS: Final[tuple[str, ...]] = (
    "assets/kcm/engine-client.js",
    "assets/kcm/report-files.js",
    "assets/kcm/report-chart.js",
    "assets/kcm/report-view.js",
    "assets/kcm/report-app.js",
)
STYLES: Final[tuple[str, ...]] = ("assets/kcm/report.css",)


def render_report_page(site_root: str) -> str:
    """The page's working part, after its own text, ending with its ``<script>`` tags
    (``site_root``: the relative URL of the site's root, ``"../"``)."""
    # The loader's limits per file (kcm_core), the number with a Dutch thousands separator.
    limit = format_limit(MAX_FILE_BYTES)
    records = f"{MAX_ASSESSMENTS:,}".replace(",", ".")
    parts = [
        '<div class="kcm-report" data-report'
        f' data-max-file-bytes="{MAX_FILE_BYTES}"'
        f' data-too-large="{_attr(too_large_message(MAX_FILE_BYTES))}">',
        '<section class="kcm-report__choose" aria-labelledby="kcm-report-choose-title">',
        '<h2 id="kcm-report-choose-title">Bestanden kiezen</h2>',
        '<div class="kcm-report__drop" data-report-drop>',
        "<p>Sleep de geëxporteerde bestanden (JSON) hierheen, of kies ze. Je kunt ook een hele"
        " map kiezen: dan tellen alle JSON-bestanden in die map mee.</p>",
        '<div class="kcm-report__buttons">',
        '<label class="kcm-report__button kcm-report__button--primary">'
        '<input type="file" class="kcm-report__file" multiple'
        ' accept=".json,application/json" data-action="report-files">'
        "Bestanden kiezen</label>",
        '<label class="kcm-report__button">'
        '<input type="file" class="kcm-report__file" multiple webkitdirectory'
        ' data-action="report-folder">'
        "Map kiezen</label>",
        "</div>",
        f'<p class="kcm-report__hint">Per bestand: hoogstens {records} beoordelingen en'
        f" {escape(limit)}. Heb je er meer, verdeel ze dan over meer bestanden.</p>",
        "</div>",
        '<p class="kcm-report__engine" role="status" data-report-engine>'
        "De rekenmodule wordt geladen. Je kunt al bestanden kiezen.</p>",
        '<button type="button" class="kcm-report__button" data-action="report-retry" hidden>'
        "Opnieuw proberen</button>",
        '<div class="kcm-report__progress" data-report-progress hidden>',
        '<label for="kcm-report-progress">Voortgang</label>',
        '<progress id="kcm-report-progress" max="1" value="0" data-report-bar></progress>',
        "</div>",
        '<p class="kcm-report__status" role="status" aria-live="polite" data-report-status></p>',
        # Folded: a hundred files make a long list; report-app.js opens it when a file could
        # not be read.
        '<details class="kcm-report__files" data-report-files hidden>',
        "<summary data-report-files-summary>Gelezen bestanden</summary>",
        "<div data-report-file-list></div>",
        "</details>",
        '<button type="button" class="kcm-report__button" data-action="report-clear" hidden>'
        "Opnieuw beginnen</button>",
        "</section>",
        '<div class="kcm-report__result" data-report-result tabindex="-1" hidden></div>',
        "<noscript><p>Deze pagina werkt alleen met JavaScript aan. Gebruik anders"
        " <code>kcm report</code> op de opdrachtregel.</p></noscript>",
        "</div>",
        *(f'<script src="{_attr(site_root + src)}"></script>' for src in SCRIPTS),
    ]
    return "\n".join(parts)


def style_tags(site_root: str) -> str:
    """The page's stylesheet, for the end of ``<head>`` (after the theme's, to override)."""
    return "\n".join(f'<link rel="stylesheet" href="{_attr(site_root + href)}">' for href in STYLES)


def _attr(value: str) -> str:
    return escape(value, quote=True)
