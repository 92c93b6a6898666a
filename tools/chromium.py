"""The system's Chromium, as the browser tests and the checking tools start it.

Never a downloaded browser: Debian's `chromium` package (or whatever CHROME_PATH or
DIGEST_CHROMIUM names), so the tests and tools run offline on any machine that has one.
"""

from __future__ import annotations

import os
import shutil

# Quiet, reproducible Chromium: no GPU or sandbox in containers, and no background traffic
# (updates, sync, QUIC probes) that a closed network refuses and a noisy machine pays for.
CHROME_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")


def find_chromium() -> str | None:
    """The Chromium binary to use: $DIGEST_CHROMIUM, $CHROME_PATH, then the usual names."""
    for variable in ("DIGEST_CHROMIUM", "CHROME_PATH"):
        named = os.environ.get(variable)
        if named:
            return named
    for name in _NAMES:
        found = shutil.which(name)
        if found:
            return found
    return None
