"""The only stage that writes: build the site in a sibling folder, then swap it into place.

Readers of the published folder see either the old site or the new one, never a mix: the
new site is written to `.<name>.tmp-*` next to the output folder and renamed over it only
when everything succeeded. A marker file tells a folder Digest made from any other folder,
so a mistyped `--output` can never replace someone's files. The marker also records which
content file produced which page, so the page of an item whose file is broken today can be
carried over from the previous build instead of vanishing from the site.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from .errors import OutputError

MARKER = ".digest-build.json"
_MARKER_FORMAT = 1
_GENERATOR = "Digest"


@dataclass(frozen=True, slots=True)
class WriteReport:
    files_written: int
    carried_over: tuple[str, ...]


def check_output_folder(output_dir: Path) -> None:
    """Refuse, before any work, an output folder that Digest must not replace."""
    if output_dir.is_symlink():
        raise OutputError(f"{output_dir}: is a symbolic link; give the real folder as the output folder")
    if not output_dir.exists():
        return
    if not output_dir.is_dir():
        raise OutputError(f"{output_dir}: exists and is not a folder; refusing to replace it")
    if any(output_dir.iterdir()) and not (output_dir / MARKER).is_file():
        raise OutputError(
            f"{output_dir}: refusing to replace this folder: it is not empty and was not made by Digest "
            f"(no {MARKER} in it); choose another output folder or empty this one"
        )


def read_manifest(output_dir: Path) -> dict[str, list[str]]:
    """Which content file produced which output files in the previous build (empty if unknown)."""
    try:
        data = json.loads((output_dir / MARKER).read_text(encoding="utf-8"))
        sources = data["sources"]
        return {str(key): [str(path) for path in value] for key, value in sources.items()}
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return {}


def _marker_bytes(sources: Mapping[str, Sequence[str]]) -> bytes:
    data = {
        "generator": _GENERATOR,
        "format": _MARKER_FORMAT,
        "sources": {key: sorted(value) for key, value in sorted(sources.items())},
    }
    return (json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True) + "\n").encode("utf-8")


def _new_sibling(output_dir: Path, kind: str) -> Path:
    """A fresh folder next to the output (same file system, so the final rename is atomic)."""
    while True:
        candidate = output_dir.parent / f".{output_dir.name}.{kind}-{secrets.token_hex(4)}"
        try:
            candidate.mkdir()
            return candidate
        except FileExistsError:
            continue


def restore_interrupted_swap(output_dir: Path) -> None:
    """Put the previous site back if a build was killed between the two renames of a swap.

    That leaves no output folder but a marked `.old-*` sibling holding the previous site.
    """
    if output_dir.exists() or output_dir.is_symlink():
        return
    olds = [
        folder
        for folder in output_dir.parent.glob(f".{output_dir.name}.old-*")
        if folder.is_dir() and not folder.is_symlink() and (folder / MARKER).is_file()
    ]
    if olds:
        os.rename(max(olds, key=lambda folder: folder.stat().st_mtime), output_dir)


def remove_stale_folders(output_dir: Path) -> None:
    """Delete the leftovers of builds that were killed before they could clean up."""
    for pattern in (f".{output_dir.name}.tmp-*", f".{output_dir.name}.old-*"):
        for folder in output_dir.parent.glob(pattern):
            if folder.is_dir() and not folder.is_symlink() and (folder / MARKER).is_file():
                shutil.rmtree(folder, ignore_errors=True)


class _Folder:
    """Writes files below one root, creating each parent folder once."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.made: set[Path] = {root}
        self.written: set[str] = set()

    def write(self, relative: str, data: bytes) -> None:
        parts = relative.split("/")
        # The temporary folder holds no links (static files are copied, not linked), so a
        # path of plain names cannot lead out of it.
        if relative.startswith("/") or "\\" in relative or any(part in ("", ".", "..") for part in parts):
            raise OutputError(f"refusing to write outside the output folder: {relative!r}")
        target = self.root.joinpath(*parts)
        if target.parent not in self.made:
            target.parent.mkdir(parents=True, exist_ok=True)
            self.made.add(target.parent)
        target.write_bytes(data)
        self.written.add(relative)


def write_site(
    output_dir: Path,
    files: Iterable[tuple[str, bytes]],
    *,
    static_dirs: Sequence[Path] = (),
    sources: Mapping[str, Sequence[str]] = {},
    keep_sources: Iterable[str] = (),
) -> WriteReport:
    """Write a complete site and swap it in; on any failure the old folder stays untouched.

    `sources` maps content files to the outputs they produced in this build; `keep_sources`
    names content files that failed this time, whose previous pages are carried over.
    """
    check_output_folder(output_dir)
    output_dir.parent.mkdir(parents=True, exist_ok=True)
    restore_interrupted_swap(output_dir)
    remove_stale_folders(output_dir)
    previous = read_manifest(output_dir)
    temp = _new_sibling(output_dir, "tmp")
    try:
        (temp / MARKER).write_bytes(_marker_bytes({}))  # lets a later build recognise this leftover
        for folder in static_dirs:
            if folder.is_dir():
                shutil.copytree(folder, temp, dirs_exist_ok=True, ignore=shutil.ignore_patterns(".*"))
        out = _Folder(temp)
        for relative, data in files:
            out.write(relative, data)
        pages_written = len(out.written)
        kept_sources: dict[str, list[str]] = {key: list(value) for key, value in sources.items()}
        carried = []
        for source in sorted(set(keep_sources)):
            old_files = [path for path in previous.get(source, []) if path not in out.written]
            old_files = [path for path in old_files if (output_dir / path).is_file()]
            for path in old_files:
                out.write(path, (output_dir / path).read_bytes())
            if old_files:
                kept_sources[source] = old_files
                carried.append(source)
        (temp / MARKER).write_bytes(_marker_bytes(kept_sources))
        _swap_in(temp, output_dir)
    except BaseException:
        shutil.rmtree(temp, ignore_errors=True)
        raise
    return WriteReport(pages_written, tuple(carried))


def _swap_in(temp: Path, output_dir: Path) -> None:
    if not output_dir.exists():
        os.rename(temp, output_dir)
        return
    old = _new_sibling(output_dir, "old")
    old.rmdir()
    os.rename(output_dir, old)
    try:
        os.rename(temp, output_dir)
    except BaseException:
        os.rename(old, output_dir)
        raise
    shutil.rmtree(old, ignore_errors=True)
