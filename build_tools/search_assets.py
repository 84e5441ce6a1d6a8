"""Only the search languages the site uses: Material's lunr files for the other ones go.

Material for MkDocs copies lunr's support for about 30 languages into every site
(``assets/javascripts/lunr/``, 235 kB gzip). Its search worker loads only the files for the
languages in the search index's config (``search/search_index.json``: ``config.lang``, from the
``search`` plugin's ``lang`` in mkdocs.yml). The rest is never requested by a browser, but the
service worker precaches every file of the site, so each first visit downloaded them all, 6 % of
the site's first-visit bytes (``make bench``): ``wordcut.js`` alone, for Thai and Hindi, is
159 kB. This step removes them after the MkDocs build, before the service worker is made.

Which files a language needs follows Material's search worker (``search.*.min.js``, 9.x):
``min/lunr.stemmer.support.min.js`` always, ``min/lunr.<lang>.min.js`` for every language but
English, ``min/lunr.multi.min.js`` for more than one language, ``tinyseg.js`` for Japanese and
``wordcut.js`` for Thai and Hindi.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path, PurePosixPath

LUNR_DIR = "assets/javascripts/lunr"
SEARCH_INDEX = "search/search_index.json"


class SearchAssetsError(RuntimeError):
    """The search index or Material's lunr folder is not what this step expects."""


def needed_lunr_files(languages: Iterable[str]) -> frozenset[str]:
    """The files under ``LUNR_DIR`` that Material's search worker loads for ``languages``."""
    langs = list(dict.fromkeys(languages))
    if not langs:
        raise SearchAssetsError("the search index names no language")
    needed = {"min/lunr.stemmer.support.min.js"}
    for lang in langs:
        if lang == "ja":
            needed.add("tinyseg.js")
        if lang in ("hi", "th"):
            needed.add("wordcut.js")
        if lang != "en":
            needed.add(f"min/lunr.{lang}.min.js")
    if len(langs) > 1:
        needed.add("min/lunr.multi.min.js")
    return frozenset(needed)


def search_languages(site_dir: Path) -> list[str]:
    """``config.lang`` of the built site's search index."""
    path = site_dir / SEARCH_INDEX
    try:
        config = json.loads(path.read_text(encoding="utf-8"))["config"]
        langs = config["lang"]
    except (OSError, ValueError, KeyError, TypeError) as error:
        raise SearchAssetsError(f"{path}: no search languages in it ({error})") from error
    if not isinstance(langs, list) or not all(isinstance(lang, str) for lang in langs):
        raise SearchAssetsError(f"{path}: config.lang is not a list of language codes")
    return langs


def prune_search_languages(site_dir: Path) -> list[str]:
    """Remove the lunr files the site's search languages do not need; return what went
    (paths relative to ``LUNR_DIR``). Refuses when a needed file is missing: then Material's
    layout changed and search would break."""
    lunr = site_dir / LUNR_DIR
    if not lunr.is_dir():
        raise SearchAssetsError(f"{lunr} is missing: Material's search files moved")
    needed = needed_lunr_files(search_languages(site_dir))
    present = {PurePosixPath(p.relative_to(lunr).as_posix()) for p in lunr.rglob("*.js")}
    missing = sorted(name for name in needed if PurePosixPath(name) not in present)
    if missing:
        raise SearchAssetsError(f"search needs {', '.join(missing)} under {LUNR_DIR}/")
    removed = sorted(str(p) for p in present if str(p) not in needed)
    for name in removed:
        (lunr / name).unlink()
    return removed
