"""Which Chromium the benchmark (bench/browser.py) and the end-to-end tests (tests/e2e) drive,
and how it is started. The tests import this module too, so both use the same browser and flags.
"""

from __future__ import annotations

import os
from pathlib import Path

# Debian's Chromium by default (`.ci/run` installs it); KCM_CHROMIUM points at another build.
CHROMIUM = Path(os.environ.get("KCM_CHROMIUM", "/usr/bin/chromium"))

# Headless as root, with no background traffic: this machine's network is closed, and a browser
# that phones home at start-up only adds noise to the request log and the timings.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def chromium_missing() -> str | None:
    """None when CHROMIUM is an executable file; otherwise what is wrong and how to fix it."""
    if CHROMIUM.is_file() and os.access(CHROMIUM, os.X_OK):
        return None
    return (
        f"Chromium is not installed at {CHROMIUM}. The end-to-end tests and the benchmark drive "
        "the system's Chromium (never a downloaded one): on Debian, install it with "
        "`apt-get install chromium` (as root; .ci/run does this), or set "
        "KCM_CHROMIUM=/path/to/chromium to use another Chromium binary."
    )
