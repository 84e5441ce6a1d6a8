"""A site built with ``--snapshot``: the checklist's engine starts from the Pyodide memory
snapshot and scores, and when the snapshot cannot be used (damaged, not a snapshot, missing)
the worker starts the normal way, telling only the console.

The site is built once per session (``built_snapshot_site``, tests/conftest.py); a broken
snapshot is made in a private copy of it, served on its own port.
"""

from __future__ import annotations

import gzip
import json
import re
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from _checklist import Checklist
from conftest import PageFactory, Recorder, SiteServer
from playwright.sync_api import expect

WARNING = "[kcm] snapshot niet gebruikt"
VERDICT = re.compile(r"^(pass|fail)$")


def snapshot_path(site: Path) -> Path:
    manifest: dict[str, str] = json.loads((site / "engine/engine.json").read_text("utf-8"))
    return site / "engine" / manifest["snapshot"]


def damage(path: Path) -> None:
    """Flip bytes in the middle of the compressed data: gzip's own check fails."""
    data = bytearray(path.read_bytes())
    for at in range(len(data) // 2, len(data) // 2 + 64):
        data[at] ^= 0xFF
    path.write_bytes(bytes(data))


def not_a_snapshot(path: Path) -> None:
    """Valid gzip, but not Pyodide memory: Pyodide itself refuses it."""
    path.write_bytes(gzip.compress(bytes(range(256)) * 4096))


BREAKAGES: dict[str, Callable[[Path], None]] = {
    "damaged": damage,
    "not-a-snapshot": not_a_snapshot,
    "missing": Path.unlink,
}


@pytest.fixture
def server(
    request: pytest.FixtureRequest, built_snapshot_site: Path, tmp_path: Path
) -> Iterator[SiteServer]:
    """The snapshot site; with a parameter (a key of BREAKAGES), a copy with that breakage."""
    root = built_snapshot_site
    breakage = getattr(request, "param", None)
    if breakage is not None:
        root = tmp_path / "site"
        shutil.copytree(built_snapshot_site, root)
        BREAKAGES[breakage](snapshot_path(root))
    served = SiteServer(root)
    yield served
    served.stop()


@pytest.fixture
def recorder(server: SiteServer) -> Recorder:
    # Replaces conftest's (the default site's origin): requests go to this server only.
    return Recorder(server.origin)


def snapshot_warnings(recorder: Recorder) -> list[str]:
    return [m.text for m in recorder.console if WARNING in m.text]


def test_checklist_engine_starts_from_the_snapshot_and_scores(
    new_page: PageFactory, server: SiteServer, recorder: Recorder
) -> None:
    checklist = Checklist(new_page(), server.url("checklist/"))
    checklist.open()
    checklist.tick("1.1.1.a")
    expect(checklist.overall()).to_have_attribute("data-verdict", VERDICT)
    assert server.url(snapshot_path(server.root).relative_to(server.root).as_posix()) in (
        recorder.requests
    )
    assert not snapshot_warnings(recorder)
    assert not recorder.console_errors()


@pytest.mark.parametrize("server", sorted(BREAKAGES), indirect=True)
def test_a_snapshot_that_cannot_be_used_falls_back_to_the_normal_start(
    new_page: PageFactory, server: SiteServer, recorder: Recorder
) -> None:
    checklist = Checklist(new_page(), server.url("checklist/"))
    checklist.open()
    checklist.tick("1.1.1.a")
    expect(checklist.overall()).to_have_attribute("data-verdict", VERDICT)
    # Nothing for the assessor to see; one warning for whoever opens the console.
    expect(checklist.page.locator("[data-engine-status]")).to_have_attribute("data-state", "ready")
    assert len(snapshot_warnings(recorder)) == 1
    assert not recorder.console_errors()
