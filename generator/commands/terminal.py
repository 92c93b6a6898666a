"""What a person at a terminal sees: a progress bar for long builds and coloured problems.

Both appear only on a terminal (and colour only without NO_COLOR), so logs, pipes and CI
get the same plain lines as before, one per problem, `path:line: field: message`.
"""

from __future__ import annotations

import os
import re
import sys
import time
from collections.abc import Iterable
from typing import TextIO

from ..errors import ContentProblem

_RED, _YELLOW, _BOLD, _RESET = "\033[31m", "\033[33m", "\033[1m", "\033[0m"
PROGRESS_AFTER = 2.0  # seconds: a quick build never shows a bar
_WIDTH = 30


def is_terminal(stream: TextIO) -> bool:
    return hasattr(stream, "isatty") and stream.isatty()


def wants_colour(stream: TextIO) -> bool:
    return is_terminal(stream) and "NO_COLOR" not in os.environ and os.environ.get("TERM") != "dumb"


class ProgressBar:
    """`reading  [=========>          ] 45%  4,512 of 10,000` on one line, redrawn in place."""

    def __init__(self, stream: TextIO = sys.stderr, *, enabled: bool = True) -> None:
        self.stream = stream
        self.enabled = enabled and is_terminal(stream)
        self.started = time.monotonic()
        self.shown = False
        self.last_draw = 0.0

    def __call__(self, stage: str, done: int, total: int) -> None:
        if not self.enabled or total <= 0:
            return
        now = time.monotonic()
        if now - self.started < PROGRESS_AFTER or (now - self.last_draw < 0.1 and done < total):
            return
        self.last_draw = now
        filled = int(_WIDTH * done / total)
        bar = "=" * filled + (">" if filled < _WIDTH else "") + " " * max(0, _WIDTH - filled - 1)
        self.stream.write(f"\r{stage:<8} [{bar}] {100 * done // total:3d}%  {done:,} of {total:,}\033[K")
        self.stream.flush()
        self.shown = True

    def clear(self) -> None:
        if self.shown:
            self.stream.write("\r\033[K")
            self.stream.flush()
            self.shown = False


# Characters a terminal acts on instead of showing: controls (ESC starts the sequences that
# clear the screen or retitle the window; CR returns over the line), line separators, and
# the marks that reorder text. Content can hold any of them; a problem line shows them escaped.
_ACTIVE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def printable(text: str) -> str:
    """`text` with every character a terminal would act on written as an escape (`\\x1b`)."""
    return _ACTIVE.sub(lambda match: match.group().encode("unicode_escape").decode("ascii"), text)


def format_problems(problems: Iterable[ContentProblem], *, colour: bool, errors_only: bool = False) -> list[str]:
    """One line per problem, in file order (so a file's problems stay together)."""
    lines = []
    for problem in problems:
        if errors_only and not problem.is_error:
            continue
        text = printable(str(problem))
        if colour:
            if problem.is_error:
                location, _, rest = text.partition(": ")
                text = f"{_BOLD}{_RED}{location}{_RESET}: {rest}"
            else:
                text = f"{_YELLOW}warning:{_RESET} {text.removeprefix('warning: ')}"
        lines.append(text)
    return lines
