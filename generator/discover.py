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
    found: list[SourceFile] = []
    problems: list[ContentProblem] = []
    for folder, subfolders, names in os.walk(root, followlinks=False):
        subfolders[:] = sorted(name for name in subfolders if not _is_hidden(name))
        for name in names:
            if _is_hidden(name) or not name.lower().endswith(".md"):
                continue
            path = Path(folder) / name
            relative = path.relative_to(root).as_posix()
            if path.is_symlink() and not path.resolve().is_relative_to(root):
                problems.append(
                    ContentProblem(
                        display_path(path),
                        None,
                        None,
                        "links to a file outside the content folder; skipped",
                        is_error=False,
                    )
                )
                continue
            found.append(SourceFile(path, relative, display_path(path)))
    found.sort(key=lambda source: source.relative)
    return found, problems
