"""Material's lunr files: only those for the site's search languages stay (and get precached)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from build_tools.search_assets import (
    LUNR_DIR,
    SEARCH_INDEX,
    SearchAssetsError,
    needed_lunr_files,
    prune_search_languages,
)

SUPPORT = "min/lunr.stemmer.support.min.js"


@pytest.mark.parametrize(
    ("languages", "needed"),
    [
        (["nl"], {SUPPORT, "min/lunr.nl.min.js"}),
        (["en"], {SUPPORT}),
        (["nl", "en"], {SUPPORT, "min/lunr.nl.min.js", "min/lunr.multi.min.js"}),
        (["ja"], {SUPPORT, "min/lunr.ja.min.js", "tinyseg.js"}),
        (["th"], {SUPPORT, "min/lunr.th.min.js", "wordcut.js"}),
        (
            ["hi", "nl"],
            {
                SUPPORT,
                "min/lunr.hi.min.js",
                "min/lunr.nl.min.js",
                "wordcut.js",
                "min/lunr.multi.min.js",
            },
        ),
        (["nl", "nl"], {SUPPORT, "min/lunr.nl.min.js"}),
    ],
)
def test_needed_files_follow_materials_search_worker(
    languages: list[str], needed: set[str]
) -> None:
    assert needed_lunr_files(languages) == needed


def test_no_language_is_refused() -> None:
    with pytest.raises(SearchAssetsError, match="no language"):
        needed_lunr_files([])


def small_site(root: Path, config: object, files: list[str]) -> Path:
    (root / "search").mkdir(parents=True)
    (root / SEARCH_INDEX).write_text(json.dumps({"config": config, "docs": []}), encoding="utf-8")
    for name in files:
        path = root / LUNR_DIR / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("//", encoding="utf-8")
    return root


MATERIAL = [
    SUPPORT,
    "min/lunr.nl.min.js",
    "min/lunr.de.min.js",
    "min/lunr.multi.min.js",
    "tinyseg.js",
    "wordcut.js",
]


def test_prune_keeps_what_search_loads_and_removes_the_rest(tmp_path: Path) -> None:
    site = small_site(tmp_path, {"lang": ["nl"]}, MATERIAL)
    removed = prune_search_languages(site)
    assert removed == ["min/lunr.de.min.js", "min/lunr.multi.min.js", "tinyseg.js", "wordcut.js"]
    left = sorted(
        p.relative_to(site / LUNR_DIR).as_posix() for p in (site / LUNR_DIR).rglob("*.js")
    )
    assert left == sorted([SUPPORT, "min/lunr.nl.min.js"])


@pytest.mark.parametrize(
    ("config", "files", "problem"),
    [
        ({"lang": ["nl"]}, [SUPPORT], "needs min/lunr.nl.min.js"),
        ({"lang": "nl"}, MATERIAL, "not a list"),
        ({}, MATERIAL, "no search languages"),
    ],
)
def test_prune_refuses_what_would_break_search(
    tmp_path: Path, config: object, files: list[str], problem: str
) -> None:
    site = small_site(tmp_path, config, files)
    before = sorted((site / LUNR_DIR).rglob("*.js"))
    with pytest.raises(SearchAssetsError, match=problem):
        prune_search_languages(site)
    assert sorted((site / LUNR_DIR).rglob("*.js")) == before


def test_the_built_site_keeps_only_dutch_search(built_site: Path) -> None:
    left = sorted(
        p.relative_to(built_site / LUNR_DIR).as_posix()
        for p in (built_site / LUNR_DIR).rglob("*.js")
    )
    assert left == sorted([SUPPORT, "min/lunr.nl.min.js"])
    precached = (built_site / "sw.js").read_text(encoding="utf-8")
    assert "lunr/wordcut.js" not in precached
    assert "lunr/min/lunr.nl.min.js" in precached
