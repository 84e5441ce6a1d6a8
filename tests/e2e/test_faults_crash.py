"""The whole browser dies (a crash, an OS kill, a flat battery) right after "Opgeslagen".

"Opgeslagen" means on disk (ARCHITECTURE.md section 6). Chromium writes localStorage to disk
lazily, a second or more after a write, so the checklist says "Opgeslagen" only once its
durable mirror in IndexedDB (store-durable.js, strict durability) holds the change, and on the
next start puts back what localStorage lost.

This test starts Chromium itself with a persistent profile, makes changes, waits until the page
says "Opgeslagen", waits half a second more, and then kills every process of that browser at
once (SIGSTOP first, so none of them can write anything more, then SIGKILL). It starts the
browser again on the same profile and checks that every acknowledged change is there. Several
rounds, each adding changes on top of what came back.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from _checklist import Checklist
from _offline_support import Recorder, SiteServer
from conftest import CHROMIUM, CHROMIUM_ARGS
from playwright.sync_api import Browser, BrowserContext, expect

pytestmark = pytest.mark.e2e

ROUNDS = 5
# How long after "Opgeslagen" the browser dies: well inside the seconds Chromium may wait
# before it writes localStorage to disk.
AFTER_SAVED_S = 0.5
TICKS_PER_ROUND = 3
RESTORE_TIMEOUT_S = 20.0


def _processes() -> dict[int, tuple[int, str]]:
    """pid -> (parent pid, command line) of every process we may see."""
    found: dict[int, tuple[int, str]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            cmdline = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        # The second field (the name) may hold spaces; the parent pid follows its ")".
        parent = int(stat.rsplit(")", 1)[1].split()[1])
        found[int(entry.name)] = (parent, cmdline)
    return found


def browser_processes(user_data_dir: Path) -> list[int]:
    """Every process of the browser that runs on ``user_data_dir``: those whose command line
    names it, and all their descendants (zygote, renderers, GPU, network and storage
    services), the browser process first."""
    table = _processes()
    marker = f"--user-data-dir={user_data_dir}"
    roots = sorted(pid for pid, (_, cmdline) in table.items() if marker in cmdline)
    tree: list[int] = []
    todo = list(roots)
    while todo:
        pid = todo.pop(0)
        if pid in tree:
            continue
        tree.append(pid)
        todo.extend(child for child, (parent, _) in table.items() if parent == pid)
    return tree


def kill_browser(user_data_dir: Path) -> list[int]:
    """Kill the whole browser at once, like a power cut: all its processes are stopped first
    (none can react to another's death by writing), then killed."""
    pids = browser_processes(user_data_dir)
    assert pids, f"no Chromium process runs on {user_data_dir}"
    for sig in (signal.SIGSTOP, signal.SIGKILL):
        for pid in pids:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, sig)
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and any(_alive(pid) for pid in pids):
        time.sleep(0.05)
    return pids


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


@contextlib.contextmanager
def launched(browser: Browser, user_data_dir: Path, recorder: Recorder) -> Iterator[BrowserContext]:
    """Chromium on ``user_data_dir``, a profile kept between launches."""
    context = browser.browser_type.launch_persistent_context(
        str(user_data_dir),
        executable_path=str(CHROMIUM),
        args=CHROMIUM_ARGS,
        headless=True,
        locale="nl-NL",
        timezone_id="Europe/Amsterdam",
    )
    recorder.record(context)
    try:
        yield context
    finally:
        with contextlib.suppress(Exception):
            context.close()


def stored_ticks(checklist: Checklist) -> dict[str, set[str]]:
    """Per candidate name, the ticked criteria of the stored assessment."""
    result: dict[str, set[str]] = {}
    for envelope in checklist.records().values():
        data = envelope["data"]
        ticked = {cid for cid, mark in data["criteria"].items() if mark.get("checked")}
        result[data["fields"]["naam_kandidaat"]] = ticked
    return result


def wait_for(checklist: Checklist, expected: dict[str, set[str]]) -> dict[str, set[str]]:
    """What is stored once every expected change is back (the restore from disk runs right
    after the page started), or what is stored when the time is up."""
    deadline = time.monotonic() + RESTORE_TIMEOUT_S
    while True:
        found = stored_ticks(checklist)
        if all(found.get(name, set()) >= ticks for name, ticks in expected.items()):
            return found
        if time.monotonic() > deadline:
            return found
        time.sleep(0.1)


def saved(checklist: Checklist) -> None:
    """The page acknowledged the last change: "Opgeslagen" (on disk), no warning."""
    status = checklist.page.locator("[data-save-status]")
    expect(status).to_have_attribute("data-save-state", "ok", timeout=20_000)
    expect(status).to_contain_text("Opgeslagen in deze browser om")


def test_every_acknowledged_change_survives_the_whole_browser_being_killed(
    browser: Browser, site_server: SiteServer, tmp_path: Path
) -> None:
    profile = tmp_path / "profile"
    recorder = Recorder(site_server.origin)
    url = site_server.url("checklist/")
    expected: dict[str, set[str]] = {}
    rounds: list[dict[str, Any]] = []
    criteria: list[str] = []
    for number in range(1, ROUNDS + 2):
        with launched(browser, profile, recorder) as context:
            checklist = Checklist(context.pages[0] if context.pages else context.new_page(), url)
            checklist.open(wait_engine=False)
            if number > 1:
                found = wait_for(checklist, expected)
                lost = {
                    name: sorted(ticks - found.get(name, set()))
                    for name, ticks in expected.items()
                    if not found.get(name, set()) >= ticks
                }
                rounds[-1]["lost"] = lost
                # Measure every round on its own: go on from what came back.
                expected = {name: set(ticks) for name, ticks in found.items()}
            if number > ROUNDS:
                expect(checklist.list_items()).to_have_count(len(expected))
                break
            if not criteria:
                criteria = [
                    str(row.get_attribute("data-criterion-id"))
                    for row in checklist.page.locator("[data-criterion-id]").all()
                ]
            changes = make_changes(checklist, number, criteria, expected)
            time.sleep(AFTER_SAVED_S)
            killed = kill_browser(profile)
            rounds.append({"round": number, "changes": changes, "processes_killed": len(killed)})
    report = json.dumps(rounds, indent=1, ensure_ascii=False)
    print(report)
    assert all(not r["lost"] for r in rounds), f"acknowledged changes lost:\n{report}"
    assert not recorder.foreign_requests()


def make_changes(
    checklist: Checklist, number: int, criteria: list[str], expected: dict[str, set[str]]
) -> list[str]:
    """One more tick on the previous round's assessment, then a new assessment with a name and
    a few ticks; each acknowledged ("Opgeslagen") before the next. Updates ``expected``."""
    changes: list[str] = []
    previous = f"Kandidaat {number - 1}"
    if previous in expected:
        if checklist.field("naam_kandidaat").input_value() != previous:
            checklist.list_items().filter(has_text=previous).first.locator(
                '[data-action="open"]'
            ).click()
        expect(checklist.field("naam_kandidaat")).to_have_value(previous)
        extra = criteria[-number]
        checklist.tick(extra)
        saved(checklist)
        expected[previous].add(extra)
        changes.append(f"{previous}: +{extra}")
    name = f"Kandidaat {number}"
    checklist.action("new-assessment").click()
    checklist.field("naam_kandidaat").fill(name)
    ticks = criteria[(number - 1) * TICKS_PER_ROUND : number * TICKS_PER_ROUND]
    for cid in ticks:
        checklist.tick(cid)
    saved(checklist)
    expected[name] = set(ticks)
    changes.append(f"{name}: {', '.join(ticks)}")
    return changes
