"""Which Chromium the end-to-end tests and the benchmark drive, and how it is started."""

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
