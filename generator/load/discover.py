"""Find the content files: every `*.md` below the content folders, in a stable order.

Names starting with `.` or `_` below a content folder are skipped (editor backups, drafts
folders, Jekyll-style special files), and links that lead outside the content folder are
refused, so a content folder can never pull in files from elsewhere on the machine. A
Jekyll site keeps its items in such folders (`_news/`, `_archive/_news/`): they are read
when the configuration names them as content folders, and a content folder whose Markdown
lies only in skipped folders says so, naming the setting, instead of building an empty site.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import ConfigError, ContentProblem
from ..pickled import Pickled

if TYPE_CHECKING:
    from ..config import SiteConfig

# How many folders the hint about skipped folders looks at before it gives up: it runs
# only when a content folder yields nothing, and must stay quick in a huge checkout.
_HINT_FOLDER_LIMIT = 2000
# The hint is looked for only when a folder gives this few files (a Jekyll site's root has
# a README or two), so discovering a real content folder never pays for it.
_FEW_FILES = 10
# Jekyll's own folders hold layouts, data and drafts, never published items.
_JEKYLL_INTERNALS = frozenset({"_data", "_drafts", "_includes", "_layouts", "_plugins", "_sass", "_site"})


@dataclass(frozen=True, slots=True)
class SourceFile(Pickled):
    """A content file: `relative` (POSIX) is its stable identity: its path below its content
    folder, prefixed with that folder's name when a site has several."""

    path: Path
    relative: str
    display: str
    collection: str = ""  # the name of its content folder, for `:collection` in addresses


@dataclass(frozen=True, slots=True)
class ContentFolder:
    """One folder of news items: `label` is its name in the configuration."""

    path: Path
    label: str


def content_folders(config: SiteConfig) -> list[ContentFolder]:
    """The content folders a site's configuration names, in its order."""
    return [ContentFolder(path, label) for path, label in zip(config.content_dirs, config.content, strict=True)]


def display_path(path: Path) -> str:
    """How messages name a file: relative to the working folder when it lies below it."""
    try:
        return str(path.relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def is_skipped(name: str) -> bool:
    """A file or folder below a content folder that is not content: names starting with
    `.` or `_` (editor backups, drafts folders, Jekyll's special files)."""
    return name.startswith((".", "_"))


def is_content_file(name: str) -> bool:
    """The one rule for which files are content (freshness uses it too): Markdown files
    whose names are not skipped."""
    return not is_skipped(name) and name.lower().endswith(".md")


def collection_name(label: str) -> str:
    """`_archive/_news` -> `news`: the last folder's name without Jekyll's underscore."""
    return Path(label).name.lstrip("_") or Path(label).name


def discover(folders: Path | Sequence[ContentFolder]) -> tuple[list[SourceFile], list[ContentProblem]]:
    """All Markdown files below the content folders, sorted by their relative path."""
    if isinstance(folders, Path):
        folders = [ContentFolder(folders, "")]
    prefixed = len(folders) > 1
    found: list[SourceFile] = []
    problems: list[ContentProblem] = []
    for folder in folders:
        prefix = folder.label.strip("/").replace(os.sep, "/") + "/" if prefixed else ""
        files, skipped = _discover_one(folder.path, prefix, collection_name(folder.label or folder.path.name))
        found += files
        problems += skipped
        if len(files) <= _FEW_FILES:
            problems += _skipped_markdown_hint(folder, len(files))
    found.sort(key=lambda source: source.relative)
    problems.sort(key=lambda problem: problem.path)
    return found, problems


def printable_name(text: str) -> str:
    """A path as messages can print it: bytes of a name that is not UTF-8 written as `\\xNN`."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return text.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
    return text


def _is_utf8(name: str) -> bool:
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _link_problem(path: str, root: Path) -> str | None:
    """Why a symbolic link cannot be content, or None when it leads to a file inside `root`."""
    try:
        target = Path(path).resolve(strict=True)
    except (OSError, RuntimeError):  # a loop, or a link to nothing
        return "is a link that leads nowhere (a loop, or a missing file); skipped"
    return None if target.is_relative_to(root) else "links to a file outside the content folder; skipped"


def _discover_one(content_dir: Path, prefix: str, collection: str) -> tuple[list[SourceFile], list[ContentProblem]]:
    if not content_dir.is_dir():
        raise ConfigError(f"content folder not found: {display_path(content_dir)}{_jekyll_hint(content_dir.parent)}")
    root = content_dir.resolve()
    # Paths are joined as text: a site of 100,000 files would spend seconds in pathlib.
    display_root = display_path(root)
    display_prefix = "" if display_root == "." else display_root + os.sep
    found: list[SourceFile] = []
    problems: list[ContentProblem] = []
    folders = [("", str(root))]
    while folders:
        below, folder = folders.pop()
        try:
            entries = list(os.scandir(folder))
        except OSError as exc:
            where = printable_name(display_prefix + below.rstrip("/").replace("/", os.sep)) or display_root
            problems.append(ContentProblem(where, None, None, f"cannot be read: {exc.strerror}; skipped"))
            continue
        for entry in entries:
            name = entry.name
            if is_skipped(name):
                continue
            relative = below + name
            display = printable_name(display_prefix + relative.replace("/", os.sep))
            if not _is_utf8(name):
                if entry.is_dir(follow_symlinks=False) or is_content_file(name):
                    message = "its name is not UTF-8 text; rename it (convmv -f latin1 -t utf-8 does it); skipped"
                    problems.append(ContentProblem(display, None, None, message))
                continue
            if entry.is_dir(follow_symlinks=False):
                folders.append((relative + "/", entry.path))
                continue
            if not is_content_file(name):
                continue
            problem = _link_problem(entry.path, root) if entry.is_symlink() else None
            if problem is not None:
                problems.append(ContentProblem(display, None, None, problem, is_error=False))
                continue
            found.append(SourceFile(Path(entry.path), prefix + relative, display, collection))
    return found, problems


def _jekyll_hint(site_root: Path) -> str:
    if (site_root / "_config.yml").is_file():
        return "; this looks like a Jekyll site: `digest init` here writes a site.toml that reads its collections"
    return ""


def skipped_markdown_folders(content_dir: Path) -> list[tuple[str, int]]:
    """Folders below `content_dir` that hold Markdown files but are skipped by name, as
    (path from the content folder, number of Markdown files directly in it)."""
    counts: dict[str, int] = {}
    folders = [("", content_dir, False)]
    seen = 0
    while folders and seen < _HINT_FOLDER_LIMIT:
        below, folder, skipped = folders.pop()
        seen += 1
        try:
            entries = list(os.scandir(folder))
        except OSError:
            continue
        for entry in entries:
            if (
                entry.is_dir(follow_symlinks=False)
                and not entry.name.startswith(".")
                and entry.name not in _JEKYLL_INTERNALS
            ):
                folders.append((below + entry.name + "/", Path(entry.path), skipped or is_skipped(entry.name)))
            elif skipped and entry.name.lower().endswith(".md"):
                counts[below.rstrip("/")] = counts.get(below.rstrip("/"), 0) + 1
    return sorted(counts.items())


def _skipped_markdown_hint(folder: ContentFolder, read: int) -> list[ContentProblem]:
    """The warning for a content folder whose Markdown lies mostly in skipped folders."""
    skipped = skipped_markdown_folders(folder.path)
    if sum(count for _, count in skipped) <= read:
        return []
    listed = ", ".join(f"{name}/ ({count})" for name, count in skipped)
    base = folder.label.strip("/") if folder.label not in ("", ".") and not Path(folder.label).is_absolute() else ""
    if Path(folder.label).is_absolute():  # given on the command line: name them from here
        names = ", ".join(f'"{display_path(folder.path / name)}"' for name, _ in skipped)
    else:
        names = ", ".join(f'"{base}/{name}"' if base else f'"{name}"' for name, _ in skipped)
    message = (
        f"{'no' if not read else f'only {read}'} Markdown {'file' if read == 1 else 'files'} here outside "
        f"folders whose names start with _ or . (skipped): {listed}; "
        f"to read them, name them in site.toml: content = [{names}]"
    )
    return [ContentProblem(display_path(folder.path), None, None, message, is_error=False)]
