"""The only stage that writes: put a new site in place without ever showing a broken one.

The first build writes the whole site to `.<name>.tmp-*` next to the output folder and
renames it over the output only when everything succeeded. Later builds know the hash of
every file they wrote last time (kept in the marker file), so they stage only the files
whose bytes changed and then move them into place, each with an atomic rename, after a
commit record has been written; a build killed during those moves is finished by the next
one. A build that fails before that point leaves the output exactly as it was.

A marker file tells a folder Digest made from any other folder, so a mistyped `--output`
can never replace someone's files. The marker also records which content file produced
which page, so the page of an item whose file is broken today can be carried over from the
previous build instead of vanishing from the site.
"""

from __future__ import annotations

import hashlib
import json
import os
import secrets
import shutil
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from .errors import OutputError

MARKER = ".digest-build.json"
COMMIT = ".digest-commit.json"  # in a staging folder: its files are to be moved in
_MARKER_FORMAT = 2
_GENERATOR = "Digest"


@dataclass(frozen=True, slots=True)
class WriteReport:
    files_written: int  # files whose bytes changed (all of them on a first build)
    carried_over: tuple[str, ...]
    files_removed: int = 0


@dataclass(frozen=True, slots=True)
class Previous:
    """What the marker of the current output says about the build that made it."""

    sources: dict[str, list[str]] = field(default_factory=dict)
    files: dict[str, str] | None = None  # relative path -> content hash and size; None: unknown


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


def read_previous(output_dir: Path) -> Previous:
    """The previous build's record, or an empty one if the marker is missing or unreadable."""
    try:
        data = json.loads((output_dir / MARKER).read_text(encoding="utf-8"))
        sources = {str(key): [str(path) for path in value] for key, value in data["sources"].items()}
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return Previous()
    files = data.get("files")
    if data.get("format") != _MARKER_FORMAT or not isinstance(files, dict):
        return Previous(sources)
    return Previous(sources, {str(key): str(value) for key, value in files.items()})


def read_manifest(output_dir: Path) -> dict[str, list[str]]:
    """Which content file produced which output files in the previous build (empty if unknown)."""
    return read_previous(output_dir).sources


def _marker_bytes(
    sources: Mapping[str, Sequence[str]], files: Mapping[str, str] | None = None, build: str = ""
) -> bytes:
    data: dict[str, object] = {
        "generator": _GENERATOR,
        "format": _MARKER_FORMAT,
        "build": build,
        "sources": {key: sorted(value) for key, value in sorted(sources.items())},
    }
    if files is not None:
        data["files"] = dict(sorted(files.items()))
    return (json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":")) + "\n").encode("utf-8")


def content_hash(data: bytes) -> str:
    """The hash of a file's bytes, then its size, so a file edited by hand is noticed cheaply."""
    return f"{hashlib.blake2b(data, digest_size=16).hexdigest()}:{len(data)}"


def _size_of(stamp: str) -> int:
    return int(stamp.rpartition(":")[2] or -1)


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


def finish_interrupted_commits(output_dir: Path) -> None:
    """Complete the moves of a build that was killed after it had committed to them."""
    for staging in output_dir.parent.glob(f".{output_dir.name}.tmp-*"):
        if (staging / COMMIT).is_file() and (staging / MARKER).is_file() and output_dir.is_dir():
            _apply_commit(staging, output_dir)


def remove_stale_folders(output_dir: Path) -> None:
    """Delete the leftovers of builds that were killed before they could clean up."""
    for pattern in (f".{output_dir.name}.tmp-*", f".{output_dir.name}.old-*"):
        for folder in output_dir.parent.glob(pattern):
            if folder.is_dir() and not folder.is_symlink() and (folder / MARKER).is_file():
                shutil.rmtree(folder, ignore_errors=True)


def _checked_parts(relative: str) -> list[str]:
    parts = relative.split("/")
    # The staging folder holds no links (static files are copied, not linked), so a path
    # of plain names cannot lead out of it.
    if relative.startswith("/") or "\\" in relative or any(part in ("", ".", "..") for part in parts):
        raise OutputError(f"refusing to write outside the output folder: {relative!r}")
    return parts


def _write_file(root: Path, parts: list[str], data: bytes, made: set[Path]) -> None:
    target = root.joinpath(*parts)
    if target.parent not in made:
        target.parent.mkdir(parents=True, exist_ok=True)
        made.add(target.parent)
    target.write_bytes(data)


def _static_files(static_dirs: Sequence[Path]) -> dict[str, Path]:
    """Every static file by its output path; later folders win, dotfiles are skipped."""
    found: dict[str, Path] = {}
    for folder in static_dirs:
        if not folder.is_dir():
            continue
        for parent, subfolders, names in os.walk(folder):
            subfolders[:] = sorted(name for name in subfolders if not name.startswith("."))
            base = Path(parent).relative_to(folder)
            for name in sorted(names):
                if not name.startswith("."):
                    found[(base / name).as_posix()] = Path(parent) / name
    return found


@dataclass
class Written:
    """What one batch of writes did, small enough to send from a worker to the parent."""

    hashes: dict[str, str] = field(default_factory=dict)
    changed: int = 0
    peak_mib: float = 0.0  # of the process that wrote the batch


class SiteWriter:
    """Writes one build's files, staging only those whose bytes differ from the last build.

    `write` may run in forked workers: each returns its `take()` to the parent, which
    `absorb`s it. `finish` then puts the new site in place; `abort` forgets it.
    """

    def __init__(self, output_dir: Path) -> None:
        check_output_folder(output_dir)
        output_dir.parent.mkdir(parents=True, exist_ok=True)
        restore_interrupted_swap(output_dir)
        finish_interrupted_commits(output_dir)
        remove_stale_folders(output_dir)
        self.output_dir = output_dir
        self._output = str(output_dir)  # joined as text: pathlib costs seconds at 100,000 files
        self.previous = read_previous(output_dir) if output_dir.is_dir() else Previous()
        self.incremental = self.previous.files is not None
        self.staging = _new_sibling(output_dir, "tmp")
        (self.staging / MARKER).write_bytes(_marker_bytes({}))  # lets a later build recognise this leftover
        self.hashes: dict[str, str] = {}
        self.changed = 0
        self._batch = Written()
        self._made: set[Path] = {self.staging}

    def write(self, relative: str, data: bytes) -> None:
        parts = _checked_parts(relative)
        digest = content_hash(data)
        self._batch.hashes[relative] = digest
        if self.incremental and self._unchanged(relative, digest, len(data)):
            return
        _write_file(self.staging, parts, data, self._made)
        self._batch.changed += 1

    def keep(self, relative: str) -> bool:
        """Keep the previous build's file at `relative` as this build's, if it is still there."""
        digest = self.previous.files.get(relative) if self.previous.files is not None else None
        if digest is None:
            return False
        _checked_parts(relative)
        try:  # a file deleted or edited by hand since the last build is written again
            if os.stat(os.path.join(self._output, relative)).st_size != _size_of(digest):
                return False
        except (OSError, ValueError):
            return False
        self._batch.hashes[relative] = digest
        return True

    def _unchanged(self, relative: str, digest: str, size: int) -> bool:
        if self.previous.files is None or self.previous.files.get(relative) != digest:
            return False
        try:  # a file deleted or edited by hand since the last build is written again
            return os.stat(os.path.join(self._output, relative)).st_size == size
        except OSError:
            return False

    def take(self) -> Written:
        batch, self._batch = self._batch, Written()
        return batch

    def absorb(self, batch: Written) -> None:
        for relative in batch.hashes:
            if relative in self.hashes:
                raise OutputError(f"two pages would be written to {relative}")
        self.hashes.update(batch.hashes)
        self.changed += batch.changed

    def abort(self) -> None:
        shutil.rmtree(self.staging, ignore_errors=True)

    def finish(
        self,
        *,
        static_dirs: Sequence[Path] = (),
        sources: Mapping[str, Sequence[str]] = {},
        keep_sources: Iterable[str] = (),
    ) -> WriteReport:
        """Add static files and carried-over pages, then put the new site in place."""
        self.absorb(self.take())
        pages = set(self.hashes)
        for relative, path in _static_files(static_dirs).items():
            if relative not in pages:  # a page wins over a static file of the same name
                self.write(relative, path.read_bytes())
        self.absorb(self.take())
        kept_sources: dict[str, list[str]] = {key: list(value) for key, value in sources.items()}
        carried = []
        for source in sorted(set(keep_sources)):
            old_files = self._carry_over(source)
            if old_files:
                kept_sources[source] = old_files
                carried.append(source)
        removed = self._put_in_place(kept_sources)
        return WriteReport(self.changed, tuple(carried), len(removed))

    def _carry_over(self, source: str) -> list[str]:
        """Keep the previous build's files of a content file that failed this time."""
        old_hashes = self.previous.files or {}
        old_files = [path for path in self.previous.sources.get(source, []) if path not in self.hashes]
        old_files = [path for path in old_files if (self.output_dir / path).is_file()]
        for path in old_files:
            data = (self.output_dir / path).read_bytes()
            if self.incremental and old_hashes.get(path) == content_hash(data):
                self.hashes[path] = old_hashes[path]  # already in place
            else:
                self.write(path, data)
        self.absorb(self.take())
        return old_files

    def _put_in_place(self, kept_sources: Mapping[str, Sequence[str]]) -> list[str]:
        """Write the marker and move the staged files in (or swap the whole site in on a
        first build); returns the files removed."""
        old_hashes = self.previous.files or {}
        # The same site always gets the same id, so output stays byte-identical between builds.
        build_id = content_hash(_marker_bytes(kept_sources, self.hashes))
        marker = _marker_bytes(kept_sources, self.hashes, build_id)
        removed = sorted(set(old_hashes) - set(self.hashes)) if self.incremental else []
        if self.incremental:
            commit = {"delete": removed}
            (self.staging / COMMIT).write_text(json.dumps(commit), encoding="utf-8")
            (self.staging / MARKER).write_bytes(marker)  # from here on, the next build finishes the moves
            _apply_commit(self.staging, self.output_dir)
        else:
            (self.staging / MARKER).write_bytes(marker)
            _swap_in(self.staging, self.output_dir)
        return removed


def _apply_commit(staging: Path, output_dir: Path) -> None:
    """Move a committed staging folder's files into the output; safe to run again if killed."""
    commit = json.loads((staging / COMMIT).read_text(encoding="utf-8"))
    made: set[Path] = set()
    for parent, _subfolders, names in os.walk(staging):
        base = Path(parent).relative_to(staging)
        for name in names:
            if base == Path(".") and name in (MARKER, COMMIT):
                continue
            target = output_dir / base / name
            if target.parent not in made:
                _make_folder(target.parent, output_dir)
                made.add(target.parent)
            if target.is_dir() and not target.is_symlink():
                shutil.rmtree(target)  # a folder of the last build where a file goes now
            os.replace(Path(parent) / name, target)
    for relative in commit["delete"]:
        target = output_dir.joinpath(*_checked_parts(relative))
        if target.is_symlink() or target.is_file():  # not if a folder of this build took its place
            target.unlink()
        _remove_empty_parents(target.parent, output_dir)
    temporary = output_dir / f"{MARKER}.new"
    shutil.copyfile(staging / MARKER, temporary)
    os.replace(temporary, output_dir / MARKER)
    shutil.rmtree(staging, ignore_errors=True)


def _make_folder(folder: Path, root: Path) -> None:
    """Create `folder` below `root`, removing files of the last build that stand in its way."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
        return
    except (FileExistsError, NotADirectoryError):
        pass
    for ancestor in [*reversed(folder.relative_to(root).parents), folder.relative_to(root)]:
        path = root / ancestor
        if path != root and (path.is_file() or path.is_symlink()):
            path.unlink()
    folder.mkdir(parents=True, exist_ok=True)


def _remove_empty_parents(folder: Path, root: Path) -> None:
    while folder != root and root in folder.parents:
        try:
            folder.rmdir()
        except OSError:  # not empty, or already gone
            return
        folder = folder.parent


def write_site(
    output_dir: Path,
    files: Iterable[tuple[str, bytes]],
    *,
    static_dirs: Sequence[Path] = (),
    sources: Mapping[str, Sequence[str]] = {},
    keep_sources: Iterable[str] = (),
) -> WriteReport:
    """Write a complete site in this process and put it in place (see `SiteWriter`)."""
    writer = SiteWriter(output_dir)
    try:
        for relative, data in files:
            writer.write(relative, data)
        return writer.finish(static_dirs=static_dirs, sources=sources, keep_sources=keep_sources)
    except BaseException:
        writer.abort()
        raise


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
