"""The script and style tags of the checklist page, and where they go.

Loading order, for speed (measured with ``make bench``): ``head_tags`` go first in ``<head>``
and start the engine's worker while the page is still arriving; ``body_tags`` go right after the
checklist HTML (``build_tools.checklist``), so the scripts run as soon as the checklist is
parsed, before the theme's own script; ``style_tags`` go last in ``<head>``, after the theme's
stylesheet, which they override.

The one inline script is the engine starter; the site's Content-Security-Policy allows it by
its hash, computed at the end of the build (build_tools.offline).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from html import escape
from typing import Any

__all__ = [
    "BODY_SCRIPTS",
    "ENGINE_STARTER",
    "ENGINE_WORKER",
    "MANIFEST_ATTRIBUTE",
    "STYLES",
    "body_tags",
    "head_tags",
    "inline_script",
    "style_tags",
]

#: First in ``<head>``, inline: sets up the scoring engine and starts its Web Worker right after
#: the page's first frame, so that downloading and starting Pyodide (seconds of CPU work in the
#: worker) overlaps with the rest of loading the page but not with its first layout (``make
#: bench``). Inline, so it needs no request of its own (as an ``async`` file it ran 40-110 ms
#: after navigation start; as a plain script file it held up the requests for the stylesheets).
ENGINE_STARTER = "assets/kcm/engine-start.js"
#: The worker the starter creates; its address goes in the starter's ``data-engine-worker``.
ENGINE_WORKER = "assets/kcm/worker.js"

#: The checklist's behaviour, in load order, placed right after the checklist HTML (not at the
#: end of the page or ``defer``: those wait for the rest of the page and the theme's script), so
#: ticking and saving work as soon as the checklist is on screen. Classic scripts, not ES
#: modules: Chromium refuses module scripts on ``file://`` pages, and ticking and saving must
#: keep working there.
BODY_SCRIPTS: tuple[str, ...] = (
    "assets/kcm/store-codec.js",
    "assets/kcm/store.js",
    "assets/kcm/store-durable.js",
    "assets/kcm/store-keeper.js",
    "assets/kcm/store-device.js",
    "assets/kcm/store-crypto.js",
    "assets/kcm/assessment.js",
    "assets/kcm/csv.js",
    "assets/kcm/versions.js",
    "assets/kcm/practice.js",
    "assets/kcm/import-plan.js",
    "assets/kcm/page.js",
    "assets/kcm/ui.js",
    "assets/kcm/engine-client.js",
    "assets/kcm/scoring.js",
    "assets/kcm/undo.js",
    "assets/kcm/session-remove.js",
    "assets/kcm/session.js",
    "assets/kcm/finalize.js",
    "assets/kcm/transfer.js",
    "assets/kcm/progress.js",
    "assets/kcm/views-result.js",
    "assets/kcm/views-foreign.js",
    "assets/kcm/views.js",
    "assets/kcm/folds.js",
    "assets/kcm/reminder.js",
    "assets/kcm/lock.js",
    "assets/kcm/callaids.js",
    "assets/kcm/compare.js",
    "assets/kcm/signatures.js",
    "assets/kcm/print-record.js",
    "assets/kcm/app.js",
)
STYLES: tuple[str, ...] = (
    "assets/kcm/checklist.css",
    "assets/kcm/checklist-manage.css",
    "assets/kcm/checklist-rows.css",
    "assets/kcm/checklist-print.css",
    "assets/kcm/privacy.css",
    "assets/kcm/callaids.css",
    "assets/kcm/exam.css",
    "assets/kcm/versions.css",
    "assets/kcm/practice.css",
)


#: The attribute of the engine starter that carries engine.json's content.
MANIFEST_ATTRIBUTE = "data-engine-manifest"


def head_tags(
    starter_code: str,
    site_root: str = "../",
    manifest: Mapping[str, Any] | None = None,
    *,
    rubric_id: str = "",
    preload_checklist: bool = True,
) -> str:
    """The tags for the top of ``<head>``, relative to ``site_root``: the engine starter inline
    (``starter_code``, the text of ``ENGINE_STARTER``; it reads the engine folder and its worker
    from its own tag) and preloads of what comes later.

    ``manifest`` is the content of the engine's engine.json (``build_tools.engine`` builds the
    engine before the pages). With it on the starter's tag, the worker starts Pyodide without
    fetching engine.json first (one request less on the way to the engine), and the page always
    starts the engine of its own build. Without it (a plain ``mkdocs build``), the worker
    fetches engine.json.

    ``rubric_id`` names the page's rubric: the engine holds every rubric of the site (and their
    archived versions) and serves this one as the page's. ``preload_checklist``: also preload
    the checklist's styles and scripts (not on other pages that use the engine).
    """
    engine = _attr(site_root + "engine/")
    worker = _attr(site_root + ENGINE_WORKER)
    carried = ""
    if manifest is not None:
        value = json.dumps(manifest, separators=(",", ":"), sort_keys=True)
        carried = f' {MANIFEST_ATTRIBUTE}="{_attr(value)}"'
    if rubric_id:
        carried += f' data-engine-rubric="{_attr(rubric_id)}"'
    starters = [
        f'<script data-engine-base="{engine}" data-engine-worker="{worker}"{carried}>'
        f"{inline_script(starter_code)}</script>"
    ]
    if not preload_checklist:
        return starters[0]
    # Without these, Chromium fetched the body scripts one after the other only when the parser
    # reached each of them, after the first paint (~150 ms later on a loaded machine), and the
    # stylesheet (which the scripts and the first paint wait for) only after Material's inline
    # script in <head> had run.
    preloads = [
        *(f'<link rel="preload" as="style" href="{_attr(site_root + href)}">' for href in STYLES),
        *(f'<link rel="preload" as="script" href="{_attr(site_root + s)}">' for s in BODY_SCRIPTS),
    ]
    return "\n".join(starters + preloads)


def inline_script(code: str) -> str:
    """``code`` for a ``<script>`` element in HTML, without its whole-line ``//`` comments (they
    are for readers of the file; every page view would download them). Refuses code that would
    end the element early."""
    if "</script" in code.lower() or "<!--" in code:
        raise ValueError("script text holds '</script' or '<!--' and cannot be inlined")
    lines = (line for line in code.splitlines() if not line.lstrip().startswith("//"))
    return "\n".join(line for line in lines if line.strip()) + "\n"


def style_tags(site_root: str = "../") -> str:
    """The checklist's stylesheet, for the end of ``<head>`` (after the theme's, to override)."""
    return "\n".join(f'<link rel="stylesheet" href="{_attr(site_root + href)}">' for href in STYLES)


def body_tags(site_root: str = "../") -> str:
    """The ``<script>`` tags that go right after the checklist HTML, in load order."""
    return "\n".join(f'<script src="{_attr(site_root + src)}"></script>' for src in BODY_SCRIPTS)


def _attr(value: str) -> str:
    return escape(value, quote=True)
