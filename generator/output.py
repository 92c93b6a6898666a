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

import contextlib
import errno
import hashlib
import json
import logging
import os
import secrets
import shutil
import stat
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

from .errors import OutputError
from .parallel import Background

log = logging.getLogger("digest")

MARKER = ".digest-build.json"
COMMIT = ".digest-commit.json"  # in a staging folder: its files are to be moved in
STAGING = ".digest-staging-"  # a build's new files, until they are moved in
_ASIDE = ".replaced"  # in a staging folder: the files its moves replaced, for a rollback
_MARKER_FORMAT = 2
# From this many files in place, a warm build with workers scans the output in a process of
# its own (see `SiteWriter`): below it, starting the process costs more than the scan.
BACKGROUND_SCAN_FILES = 2_000
_GENERATOR = "Digest"


@dataclass(frozen=True, slots=True)
class WriteReport:
    files_written: int  # files whose bytes changed (all of them on a first build)
    carried_over: tuple[str, ...]  # content files whose previous pages were kept
    files_removed: int = 0
    replaced_links: tuple[str, ...] = ()  # symbolic links found in the output and removed
    refused_static: tuple[tuple[str, str], ...] = ()  # static files left out, and why


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
    others = [path for path in output_dir.iterdir() if not _is_own(path.name)]
    if others and not (output_dir / MARKER).is_file():
        raise OutputError(
            f"{output_dir}: refusing to replace this folder: it is not empty and was not made by Digest "
            f"(no {MARKER} in it); choose another output folder or empty this one"
        )


def read_previous(output_dir: Path) -> Previous:
    """The previous build's record, or an empty one if the marker is missing or unreadable
    (or is not a regular file: it is never read through a link)."""
    try:
        fd = os.open(output_dir / MARKER, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
        with os.fdopen(fd, "rb") as file:
            if not stat.S_ISREG(os.fstat(file.fileno()).st_mode):
                return Previous()
            data = json.loads(file.read().decode("utf-8"))
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


def _marker_bytes(sources: Mapping[str, Sequence[str]], files: Mapping[str, str] | None = None) -> bytes:
    """The marker of a build, whose id is the hash of the marker with an empty id: the same
    site always gets the same id, so output stays byte-identical between builds. (Its keys
    are sorted, so the id comes first and is filled in without writing the JSON twice.)"""
    data: dict[str, object] = {
        "generator": _GENERATOR,
        "format": _MARKER_FORMAT,
        "build": "",
        "sources": {key: sorted(value) for key, value in sources.items()},
    }
    if files is not None:
        data["files"] = files
    anonymous = (json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":")) + "\n").encode("utf-8")
    empty_id = b'{"build":""'
    assert anonymous.startswith(empty_id)
    return b'{"build":"%s"' % content_hash(anonymous).encode() + anonymous[len(empty_id) :]


def content_hash(data: bytes) -> str:
    """The hash of a file's bytes, then its size, so a file edited by hand is noticed cheaply.

    It tells this build's files from the last build's, so it needs no resistance to a
    forger, only speed: every byte a build writes goes through it (some 800 MB in a cold
    build of 10,000 items). Python's SHA-1 uses the processor's SHA instructions where
    it has them; on the benchmark machine it hashes twice as fast as BLAKE2b
    (docs/performance.md, ninth round)."""
    return f"{hashlib.sha1(data, usedforsecurity=False).hexdigest()}:{len(data)}"


def _size_of(stamp: str) -> int:
    return int(stamp.rpartition(":")[2] or -1)


def _new_staging(output_dir: Path) -> Path:
    """A fresh staging folder inside the output folder: on the same file system as the files
    it replaces (so every move is a rename, even when the output is a mount point), and
    hidden from the site by its name."""
    while True:
        candidate = output_dir / f"{STAGING}{secrets.token_hex(4)}"
        try:
            candidate.mkdir()
            return candidate
        except FileExistsError:
            continue


def _is_own(name: str) -> bool:
    """Names Digest keeps in the output folder besides the site: marker, lock, staging."""
    return name in (MARKER, f"{MARKER}.new") or name.startswith(STAGING)


def restore_interrupted_swap(output_dir: Path) -> None:
    """Put the previous site back if a build of an earlier version was killed between the
    two renames of a swap (no output folder, but a marked `.old-*` sibling)."""
    if output_dir.exists() or output_dir.is_symlink():
        return
    olds = [
        folder
        for folder in output_dir.parent.glob(f".{output_dir.name}.old-*")
        if folder.is_dir() and not folder.is_symlink() and (folder / MARKER).is_file()
    ]
    if olds:
        os.rename(max(olds, key=lambda folder: folder.stat().st_mtime), output_dir)


def _stagings(output_dir: Path) -> list[Path]:
    """The staging folders of earlier builds: inside the output (Digest's own names), and
    beside it (where earlier versions staged, marked as theirs)."""
    inside = [path for path in output_dir.glob(f"{STAGING}*") if path.is_dir() and not path.is_symlink()]
    legacy = [path for path in output_dir.parent.glob(f".{output_dir.name}.tmp-*") if path.is_dir()]
    return inside + [path for path in legacy if (path / MARKER).is_file()]


def finish_interrupted_commits(output_dir: Path) -> None:
    """Complete the moves of a build that was killed after it had committed to them."""
    for staging in _stagings(output_dir):
        if (staging / COMMIT).is_file():
            _apply_commit(staging, output_dir)


def remove_stale_folders(output_dir: Path) -> None:
    """Delete the leftovers of builds that were killed before they had committed."""
    olds = [path for path in output_dir.parent.glob(f".{output_dir.name}.old-*") if (path / MARKER).is_file()]
    for folder in _stagings(output_dir) + olds:
        if folder.is_dir() and not folder.is_symlink() and not (folder / COMMIT).is_file():
            shutil.rmtree(folder, ignore_errors=True)


@dataclass(frozen=True, slots=True)
class OutputScan:
    """What the output folder holds: its symbolic links, and the size of each regular file
    (when asked for), by path below the folder."""

    links: tuple[str, ...]
    sizes: dict[str, int]


def scan_output(output: str, sizes: bool = True) -> OutputScan:
    """Walk the output folder, changing nothing. It is read with `os.scandir`, whose entries
    know their own type, so finding the links costs no call per file; a size costs one
    (`lstat`). A warm build starts this walk in a process of its own while it plans (see
    `SiteWriter`): at 100,000 files it takes seconds."""
    links, found = [], {}
    folders = [(output, "")]
    while folders:
        folder, base = folders.pop()
        with os.scandir(folder) as entries:
            for entry in entries:
                if entry.is_symlink():
                    links.append(f"{base}{entry.name}")
                elif entry.is_dir(follow_symlinks=False):
                    folders.append((entry.path, f"{base}{entry.name}/"))
                elif sizes:
                    status = entry.stat(follow_symlinks=False)
                    if stat.S_ISREG(status.st_mode):
                        found[f"{base}{entry.name}"] = status.st_size
    return OutputScan(tuple(sorted(links)), found)


def remove_links(output_dir: Path, links: Iterable[str]) -> list[str]:
    """Delete these symbolic links of the output folder and name the ones removed. Digest
    never makes a link; one found there would make the next build write into, or publish,
    whatever it points at."""
    removed = []
    for link in links:
        path = os.path.join(output_dir, link)
        if os.path.islink(path):
            os.unlink(path)
            removed.append(link)
    return removed


class _Lock:
    """One build at a time per output folder: an advisory lock on the folder itself, which
    the system releases when the process ends however it ends (and which leaves no file)."""

    def __init__(self, output_dir: Path) -> None:
        self.fd: int | None = None
        try:
            import fcntl
        except ImportError:  # no advisory locks on this system
            return
        self.fd = os.open(output_dir, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0) | getattr(os, "O_NOFOLLOW", 0))
        try:
            fcntl.flock(self.fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            log.warning("waiting for another build of %s to finish", output_dir)
            fcntl.flock(self.fd, fcntl.LOCK_EX)

    def release(self) -> None:
        if self.fd is not None:
            os.close(self.fd)
            self.fd = None


def _checked_parts(relative: str) -> list[str]:
    parts = relative.split("/")
    # The staging folder holds no links (static files are copied, not linked), so a path
    # of plain names cannot lead out of it.
    if relative.startswith("/") or "\\" in relative or any(part in ("", ".", "..") for part in parts):
        raise OutputError(f"refusing to write outside the output folder: {relative!r}")
    if _is_own(parts[0]):
        raise OutputError(f"refusing to write over Digest's own file {relative!r}")
    return parts


_NEW_FILE = os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_BINARY", 0) | getattr(os, "O_NOFOLLOW", 0)


def _write_file(root: str, parts: list[str], data: bytes, made: set[str]) -> None:
    """Write one file below `root`, making its folders once. Paths are joined as text and
    written with `os` calls: a cold build writes some 30,000 files, and pathlib's objects
    cost 0.2 CPU-s for every 10,000 of them."""
    folder = root if len(parts) == 1 else f"{root}/{'/'.join(parts[:-1])}"
    if folder not in made:
        os.makedirs(folder, exist_ok=True)
        made.add(folder)
    fd = os.open(f"{folder}/{parts[-1]}", _NEW_FILE, 0o666)
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view) :]
    finally:
        os.close(fd)


def read_regular(root: Path, relative: str) -> bytes | None:
    """The bytes of a regular file below `root`, never through a link; None if there is none."""
    path = root.joinpath(*_checked_parts(relative))
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
    except OSError:
        return None
    with os.fdopen(fd, "rb") as file:
        if not stat.S_ISREG(os.fstat(file.fileno()).st_mode):
            return None
        return file.read()


@dataclass(frozen=True, slots=True)
class StaticFiles:
    files: dict[str, Path]  # output path -> the file to copy
    refused: tuple[tuple[str, str], ...]  # (path, why) of what is left out


def _refusal(path: Path, root: Path) -> str | None:
    """Why a static file is not published, or None: a link must lead to a file inside its
    own static folder, and only regular files are read (a pipe would block the build)."""
    if path.is_symlink() and not _inside(path, root):
        return "links to a file outside its static folder; not published"
    try:
        regular = stat.S_ISREG(path.stat().st_mode)
    except OSError as exc:
        return f"cannot be read ({exc.strerror}); not published"
    return None if regular else "is not a regular file; not published"


def static_files(static_dirs: Sequence[Path]) -> StaticFiles:
    """Every static file by its output path; later folders win, dotfiles are skipped."""
    found: dict[str, Path] = {}
    refused = []
    for folder in static_dirs:
        if not folder.is_dir():
            continue
        root = folder.resolve()
        for parent, subfolders, names in os.walk(folder):
            subfolders[:] = sorted(name for name in subfolders if not name.startswith("."))
            base = Path(parent).relative_to(folder)
            for name in sorted(name for name in names if not name.startswith(".")):
                path = Path(parent) / name
                reason = _refusal(path, root)
                if reason is not None:
                    refused.append((str(path), reason))
                    continue
                found[(base / name).as_posix()] = path
    return StaticFiles(found, tuple(refused))


def _inside(path: Path, root: Path) -> bool:
    try:
        return path.resolve(strict=True).is_relative_to(root)
    except (OSError, RuntimeError):
        return False


@dataclass
class Written:
    """What one batch of writes did, small enough to send from a worker to the parent."""

    hashes: dict[str, str] = field(default_factory=dict)
    changed: int = 0
    peak_mib: float = 0.0  # of the process that wrote the batch


class SiteWriter:
    """Writes one build's files, staging only those whose bytes differ from the last build.

    `write` may run in forked workers: each returns its `take()` to the parent, which
    `absorb`s it. `finish` then puts the new site in place; `abort` forgets it. Between
    the two, the writer holds the output folder's lock: a second build waits.
    """

    def __init__(self, output_dir: Path, *, scan_in_background: bool = False) -> None:
        check_output_folder(output_dir)
        self.output_dir = output_dir
        self._output = str(output_dir)  # joined as text: pathlib costs seconds at 100,000 files
        try:
            restore_interrupted_swap(output_dir)
            self.created = not output_dir.exists()
            output_dir.mkdir(parents=True, exist_ok=True)
            self._lock = _Lock(output_dir)
        except OSError as exc:
            raise OutputError(f"{output_dir}: cannot be written: {exc.strerror}") from None
        try:
            self._prepare(scan_in_background)
        except BaseException:
            self._lock.release()
            raise

    def _prepare(self, scan_in_background: bool) -> None:
        output_dir = self.output_dir
        try:
            finish_interrupted_commits(output_dir)
            remove_stale_folders(output_dir)
            self.previous = read_previous(output_dir)
            self.staging = _new_staging(output_dir)
        except OSError as exc:
            raise OutputError(f"{output_dir}: cannot be written: {exc.strerror}") from None
        self.incremental = self.previous.files is not None
        self.hashes: dict[str, str] = {}
        self.changed = 0
        self._batch = Written()
        self._made: set[str] = {str(self.staging)}
        # The sizes of the files in place, to keep the last build's files (see `keep`); a
        # first build needs only the links. Nothing reads or writes the output until
        # `settle` has removed the links.
        self.replaced_links: list[str] = []
        self._sizes: dict[str, int] = {}
        scan = partial(scan_output, self._output, self.incremental)
        many = self.previous.files is not None and len(self.previous.files) >= BACKGROUND_SCAN_FILES
        self._scan: Background[OutputScan] | None = Background(scan) if scan_in_background and many else None
        if self._scan is None:
            self._settle(scan)

    def settle(self) -> None:
        """Take the output folder's scan (waiting for it if it runs in the background) and
        remove the links it found; before anything is written, and before workers fork."""
        if self._scan is not None:
            background, self._scan = self._scan, None
            self._settle(background.result)

    def _settle(self, scan: Callable[[], OutputScan]) -> None:
        try:
            found = scan()
            self.replaced_links = remove_links(self.output_dir, found.links)
        except OSError as exc:
            raise OutputError(f"{self.output_dir}: cannot be written: {exc.strerror}") from None
        self._sizes = found.sizes

    def write(self, relative: str, data: bytes) -> None:
        self.settle()
        parts = _checked_parts(relative)
        digest = content_hash(data)
        self._batch.hashes[relative] = digest
        if self.incremental and self._unchanged(relative, digest, len(data)):
            return
        try:
            _write_file(str(self.staging), parts, data, self._made)
        except OSError as exc:
            raise OutputError(f"cannot write {relative} in {self.output_dir}: {exc.strerror}") from None
        self._batch.changed += 1

    def keep(self, relative: str) -> bool:
        """Keep the previous build's file at `relative` as this build's, if it is still there."""
        self.settle()
        digest = self.previous.files.get(relative) if self.previous.files is not None else None
        if digest is None or not self._in_place(relative, _size_of(digest)):
            return False
        self._batch.hashes[relative] = digest
        return True

    def _in_place(self, relative: str, size: int) -> bool:
        """Whether the output held a regular file of `size` bytes at `relative` when the
        build began (a file deleted or edited by hand since the last build is written again)."""
        return self._sizes.get(relative) == size

    def _unchanged(self, relative: str, digest: str, size: int) -> bool:
        if self.previous.files is None or self.previous.files.get(relative) != digest:
            return False
        return self._in_place(relative, size)

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
        """Forget this build's files, unless it had committed to moving them in: then the
        next build finishes the moves, so the site is never left half old, half new."""
        if self._scan is not None:
            self._scan.cancel()
            self._scan = None
        if not (self.staging / COMMIT).is_file():
            shutil.rmtree(self.staging, ignore_errors=True)
        self._leave()

    def _leave(self) -> None:
        """Release the lock; a folder this build created and left empty goes too."""
        self._lock.release()
        if self.created:
            with contextlib.suppress(OSError):
                self.output_dir.rmdir()

    def finish(
        self,
        *,
        static_dirs: Sequence[Path] = (),
        sources: Mapping[str, Sequence[str]] = {},
        keep_sources: Iterable[str] = (),
    ) -> WriteReport:
        """Add static files and carried-over pages, then put the new site in place."""
        self.settle()
        self.absorb(self.take())
        pages = set(self.hashes)
        static = static_files(static_dirs)
        unreadable = []
        for relative, path in static.files.items():
            if relative in pages:  # a page wins over a static file of the same name
                continue
            try:
                data = path.read_bytes()
            except OSError as exc:
                unreadable.append((str(path), f"cannot be read ({exc.strerror}); not published"))
                continue
            self.write(relative, data)
        self.absorb(self.take())
        kept_sources: dict[str, list[str]] = {key: list(value) for key, value in sources.items()}
        carried = []
        for source in sorted(set(keep_sources)):
            old_files = self._carry_over(source)
            if old_files:
                kept_sources[source] = old_files
                carried.append(source)
        try:
            removed = self._put_in_place(kept_sources)
        finally:
            self._lock.release()
        refused = (*static.refused, *unreadable)
        return WriteReport(self.changed, tuple(carried), len(removed), tuple(self.replaced_links), refused)

    def _carry_over(self, source: str) -> list[str]:
        """Keep the previous build's files of a content file that failed this time."""
        old_hashes = self.previous.files or {}
        kept = []
        for path in self.previous.sources.get(source, []):
            data = read_regular(self.output_dir, path) if path not in self.hashes else None
            if data is None:
                continue
            kept.append(path)
            if self.incremental and old_hashes.get(path) == content_hash(data):
                self.hashes[path] = old_hashes[path]  # already in place
            else:
                self.write(path, data)
        self.absorb(self.take())
        return kept

    def _old_files(self) -> set[str]:
        """The files of the site now in place: as the marker records them, or all of them."""
        if self.previous.files is not None:
            return set(self.previous.files)
        found = set()
        for parent, subfolders, names in os.walk(self.output_dir):
            base = os.path.relpath(parent, self.output_dir)
            if base == ".":
                subfolders[:] = [name for name in subfolders if not _is_own(name)]
                names = [name for name in names if not _is_own(name)]
            found |= {os.path.normpath(os.path.join(base, name)).replace(os.sep, "/") for name in names}
        return found

    def _put_in_place(self, kept_sources: Mapping[str, Sequence[str]]) -> list[str]:
        """Write the marker and the commit record, then move the staged files in; returns
        the files removed."""
        marker = _marker_bytes(kept_sources, self.hashes)
        removed = sorted(self._old_files() - set(self.hashes))
        try:
            (self.staging / MARKER).write_bytes(marker)
            record = self.staging / f"{COMMIT}.new"
            record.write_text(json.dumps({"delete": removed}), encoding="utf-8")
            os.replace(record, self.staging / COMMIT)  # from here on, the next build finishes the moves
        except OSError as exc:
            raise OutputError(f"cannot write in {self.output_dir}: {exc.strerror}") from None
        _apply_commit(self.staging, self.output_dir)
        return removed


def _move(source: Path, target: Path) -> None:
    """A rename; a copy when the two are on different file systems."""
    try:
        os.replace(source, target)
    except OSError as exc:
        if exc.errno != errno.EXDEV:
            raise
        if source.is_dir():
            shutil.copytree(source, target, symlinks=True)
            shutil.rmtree(source)
        else:
            shutil.copy2(source, target)
            source.unlink()


def _staged(staging: Path, output_dir: Path) -> Iterator[str]:
    """What to move in, top down: a whole folder the output does not have yet, else each
    file; never the commit's own files."""
    pending = [""]
    while pending:
        below = pending.pop()
        for entry in sorted(os.scandir(staging / below) if below else os.scandir(staging), key=lambda e: e.name):
            relative = below + entry.name
            if not below and entry.name in (MARKER, COMMIT, _ASIDE):
                continue
            target = output_dir / relative
            if entry.is_dir(follow_symlinks=False) and target.is_dir() and not target.is_symlink():
                pending.append(relative + "/")
            else:
                yield relative


class _Commit:
    """The moves of one commit, with what each replaced kept aside, so a failure can be undone."""

    def __init__(self, staging: Path, output_dir: Path) -> None:
        self.staging, self.output_dir, self.aside = staging, output_dir, staging / _ASIDE
        self.moved: list[str] = []  # moved in, in order
        self.set_aside: list[str] = []  # moved out of the site into `aside`
        self.copied: set[str] = set()  # kept in `aside` while still in place, until replaced

    def put_aside(self, relative: str) -> None:
        """Move the output's file (or folder) at `relative` out of the site, for a rollback."""
        target = self.output_dir / relative
        if os.path.lexists(target):
            (self.aside / relative).parent.mkdir(parents=True, exist_ok=True)
            os.replace(target, self.aside / relative)
            self.set_aside.append(relative)

    def keep_copy(self, relative: str) -> None:
        """Keep the output's file at `relative` for a rollback while it stays in place: a
        second name for it (or a copy where the file system has none), so it is replaced
        in one atomic rename and readers never find it missing. A copy left by a build that
        was killed is the old version already."""
        target, copy = self.output_dir / relative, self.aside / relative
        if not os.path.lexists(copy):
            copy.parent.mkdir(parents=True, exist_ok=True)
            try:
                os.link(target, copy, follow_symlinks=False)
            except OSError:
                shutil.copy2(target, copy, follow_symlinks=False)
        self.copied.add(relative)

    def move_in(self, relative: str) -> None:
        source, target = self.staging / relative, self.output_dir / relative
        _make_folder(target.parent, self.output_dir)
        if os.path.lexists(target) and (source.is_dir() or (target.is_dir() and not target.is_symlink())):
            self.put_aside(relative)  # a file and a folder trade places
        elif os.path.lexists(target):
            self.keep_copy(relative)
        _move(source, target)
        self.moved.append(relative)

    def roll_back(self) -> None:
        """Every moved file back to its old version (in one rename each), or out if it is new;
        every file set aside back in place."""
        for relative in reversed(self.moved):
            if relative in self.copied:
                os.replace(self.aside / relative, self.output_dir / relative)
            else:
                (self.staging / relative).parent.mkdir(parents=True, exist_ok=True)
                os.replace(self.output_dir / relative, self.staging / relative)
        for relative in reversed(self.set_aside):
            (self.output_dir / relative).parent.mkdir(parents=True, exist_ok=True)
            os.replace(self.aside / relative, self.output_dir / relative)


def _apply_commit(staging: Path, output_dir: Path) -> None:
    """Move a committed staging folder's files into the output. Run again after a kill, it
    finishes the moves; when a move fails, the moves made so far are undone and the output
    is the previous site again (if even that fails, the record stays for the next build)."""
    commit = _Commit(staging, output_dir)
    try:
        deleted = json.loads((staging / COMMIT).read_text(encoding="utf-8"))["delete"]
    except (OSError, ValueError, KeyError, TypeError):
        raise OutputError(f"{staging}: the record of an unfinished build cannot be read; remove that folder") from None
    try:
        for relative in list(_staged(staging, output_dir)):
            commit.move_in(relative)
        for relative in deleted:
            if not (output_dir / relative).is_dir() or (output_dir / relative).is_symlink():
                commit.put_aside("/".join(_checked_parts(relative)))
        temporary = output_dir / f"{MARKER}.new"
        shutil.copyfile(staging / MARKER, temporary)
        os.replace(temporary, output_dir / MARKER)
    except OSError as exc:
        _undo(commit, staging, exc)
    for relative in deleted:
        _remove_empty_parents((output_dir / relative).parent, output_dir)
    shutil.rmtree(staging, ignore_errors=True)


def _undo(commit: _Commit, staging: Path, failure: OSError) -> None:
    where = failure.filename or commit.output_dir
    try:
        commit.roll_back()
    except OSError:
        raise OutputError(
            f"cannot write {where}: {failure.strerror}; the site is half updated, and the next build "
            "finishes the update once this is fixed"
        ) from None
    shutil.rmtree(staging, ignore_errors=True)
    raise OutputError(f"cannot write {where}: {failure.strerror}; the site was left as it was") from None


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
