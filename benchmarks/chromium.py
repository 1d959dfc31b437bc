"""Debian's Chromium as the browser tests and the browser benchmarks launch it
(Playwright cannot download a browser here; STANCE_CHROMIUM names another)."""

from __future__ import annotations

import os
from pathlib import Path

CHROMIUM = Path(os.environ.get("STANCE_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
