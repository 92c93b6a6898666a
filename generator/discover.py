"""Find the content files: every `*.md` below the content folder, in a stable order.

Names starting with `.` or `_` are skipped (editor backups, drafts folders, Jekyll-style
special files), and links that lead outside the content folder are refused, so a content
folder can never pull in files from elsewhere on the machine.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from .errors import ConfigError, ContentProblem


@dataclass(frozen=True, slots=True)
class SourceFile:
    """A content file: `relative` (POSIX, below the content folder) is its stable identity."""

    path: Path
    relative: str
    display: str


def display_path(path: Path) -> str:
    """How messages name a file: relative to the working folder when it lies below it."""
    try:
        return str(path.relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def _is_hidden(name: str) -> bool:
    return name.startswith((".", "_"))


def discover(content_dir: Path) -> tuple[list[SourceFile], list[ContentProblem]]:
    """All Markdown files below `content_dir`, sorted by their relative path."""
    if not content_dir.is_dir():
        raise ConfigError(f"content folder not found: {display_path(content_dir)}")
    root = content_dir.resolve()
    # Paths are joined as text: a site of 100,000 files would spend seconds in pathlib.
    display_root = display_path(root)
    display_prefix = "" if display_root == "." else display_root + os.sep
    found: list[SourceFile] = []
    problems: list[ContentProblem] = []
    folders = [("", str(root))]
    while folders:
        prefix, folder = folders.pop()
        with os.scandir(folder) as entries:
            for entry in entries:
                name = entry.name
                if _is_hidden(name):
                    continue
                if entry.is_dir(follow_symlinks=False):
                    folders.append((prefix + name + "/", entry.path))
                    continue
                if not name.lower().endswith(".md"):
                    continue
                relative = prefix + name
                display = display_prefix + relative.replace("/", os.sep)
                if entry.is_symlink() and not Path(entry.path).resolve().is_relative_to(root):
                    problems.append(
                        ContentProblem(
                            display, None, None, "links to a file outside the content folder; skipped", is_error=False
                        )
                    )
                    continue
                found.append(SourceFile(Path(entry.path), relative, display))
    found.sort(key=lambda source: source.relative)
    problems.sort(key=lambda problem: problem.path)
    return found, problems
