"""What a build is asked to do and what it reports.

Kept apart from the pipeline, and light, so that the command line can find out whether
anything changed since the last build before it imports the stages that do the work.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from .errors import ContentProblem, ProblemTally

# Told how far a long stage has got: (what is being done, how many done, how many in all).
Progress = Callable[[str, int, int], None]


def _no_progress(stage: str, done: int, total: int) -> None:
    pass


@dataclass(frozen=True)
class BuildOptions:
    """How to build: `strict` stops at the first content error, `drafts` shows drafts, and
    items dated after `now` are held back (None: nothing is too new)."""

    strict: bool = False
    drafts: bool = False
    now: datetime | None = None
    config_warnings: tuple[str, ...] = ()
    progress: Progress = _no_progress
    cache_dir: Path | None = None  # where loaded items are kept between builds; None: nowhere
    workers: int = 1  # processes for loading and rendering


DEFAULT_OPTIONS = BuildOptions()


@dataclass
class BuildReport(ProblemTally):
    """What a build did, for the summary line and the exit status."""

    items_read: int = 0
    items_published: int = 0
    held_back: int = 0
    stories: int = 0
    pages_written: int = 0
    files_changed: int = 0
    files_removed: int = 0
    problems: list[ContentProblem] = field(default_factory=list)
    config_warnings: list[str] = field(default_factory=list)
    carried_over: tuple[str, ...] = ()
    seconds: float = 0.0
    unchanged: bool = False  # nothing changed since the last build, so nothing was done

    def summary(self) -> str:
        held_back = f"{self.held_back} held back, " if self.held_back else ""
        stories = f"{self.stories} story" if self.stories == 1 else f"{self.stories} stories"
        as_stories = f" as {stories}" if self.stories != self.items_published else ""
        removed = f", {self.files_removed} removed" if self.files_removed else ""
        nothing = "nothing changed since the last build: " if self.unchanged else ""
        return (
            f"{nothing}{_count(self.items_read, 'item')} read, "
            f"{self.items_published} published{as_stories}, {held_back}"
            f"{_count(self.pages_written, 'page')}, {_count(self.files_changed, 'file')} written{removed}, "
            f"{_count(self.warnings, 'warning')}, "
            f"{_count(self.errors, 'error')} in {self.seconds:.2f} s"
        )


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}" if number == 1 else f"{number} {noun}s"
