"""Notice a build that would change nothing, before doing any of its work.

A rebuild with nothing changed should cost a few file-system lookups, not a build. After
each successful build the state of every input is recorded: the signature (size,
modification and change times, inode, mode) of each content file, template and static file, the
settings and the code that built it, the output folder's marker file, and the span of
build times over which holding back future-dated items gives the same selection. When the
next build finds all of that as it was, it reports the previous result instead of
building. This module is light on purpose: the command line runs it before importing the
stages that parse and render.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import sys
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, replace
from datetime import datetime
from functools import cache
from pathlib import Path
from typing import BinaryIO

from .. import urls
from ..config import SiteConfig
from ..load.discover import is_content_file, is_skipped
from ..options import BuildOptions, BuildReport
from ..output import MARKER
from ..render.theme import theme_folders
from . import sealed

_FORMAT = 1
_LIBRARIES = ("markdown-it-py", "PyYAML", "python-frontmatter", "MarkupSafe", "Jinja2")
# (size, modification time, inode, mode, change time): `cp -p` and restore tools keep the first
# four of a file they rewrite in place, but the system always moves its change time.
Signature = tuple[int, int, int, int, int]


@cache
def code_version() -> str:
    """A hash of this package's code and of the libraries whose output a build keeps.

    Worked out once per process (a build asks for it three times: the content cache, the
    kept results, the build state), and rightly so: the code that runs is the code that was
    imported, whatever happens to the files afterwards."""
    digest = hashlib.blake2b(digest_size=16)
    digest.update(f"{_FORMAT} {sys.version}".encode())
    package = Path(__file__).resolve().parents[1]
    for path in sorted(package.rglob("*.py")):
        digest.update(path.relative_to(package).as_posix().encode() + b"\0" + path.read_bytes())
    for library, installed in library_versions(_LIBRARIES).items():
        digest.update(f"{library}={installed}".encode())
    return digest.hexdigest()


def _project_key(name: str) -> str:
    """A distribution's name as packaging compares names (PEP 503), with `_` for `-` as
    metadata folders spell it."""
    return re.sub(r"[-_.]+", "_", name).lower()


def library_versions(libraries: Iterable[str]) -> dict[str, str]:
    """What identifies each installed library: the name of its metadata folder
    (`jinja2-3.1.4.dist-info`), which holds its version, found as `importlib.metadata` finds
    it (the first on `sys.path`), else its version by `importlib.metadata`, else "?".

    Listing the folders of `sys.path` takes a fraction of a millisecond; importing
    `importlib.metadata` (and the email package it reads metadata with) took 13 ms of the
    0.2 s in which a build finds that nothing changed."""
    wanted = {_project_key(library): library for library in libraries}
    found: dict[str, str] = {}
    for entry in sys.path:
        try:
            names = sorted(os.listdir(entry or "."))
        except OSError:
            continue
        for name in names:
            if not name.endswith((".dist-info", ".egg-info")):
                continue
            library = wanted.get(_project_key(name.partition("-")[0]))
            if library is not None and library not in found:
                found[library] = name
    missing = [library for library in wanted.values() if library not in found]
    if missing:
        from importlib import metadata  # only for a library installed some other way

        for library in missing:
            try:
                found[library] = metadata.version(library)
            except metadata.PackageNotFoundError:
                found[library] = "?"
    return {library: found[library] for library in wanted.values()}


def signature(path: Path | str) -> Signature | None:
    try:
        status = os.stat(path)
    except OSError:
        return None
    return (status.st_size, status.st_mtime_ns, status.st_ino, status.st_mode, status.st_ctime_ns)


def _files(folder: Path, *, content: bool) -> Iterator[str]:
    """Every file below `folder`; for a content folder, only those discovery would read."""
    for parent, subfolders, names in os.walk(folder):
        if content:
            subfolders[:] = [name for name in subfolders if not is_skipped(name)]
        subfolders.sort()
        for name in sorted(names):
            if not content or is_content_file(name):
                yield os.path.join(parent, name)


def content_prefixes(config: SiteConfig) -> list[tuple[str, str]]:
    """(folder on disk with a trailing separator, prefix of its files' identities) for
    each content folder, as discovery names them."""
    several = len(config.content) > 1
    return [
        (os.path.join(str(folder), ""), label.strip("/") + "/" if several else "")
        for folder, label in zip(config.content_dirs, config.content, strict=True)
    ]


def _identity(path: str, prefixes: list[tuple[str, str]]) -> str | None:
    """The identity of the content file at `path` (see `content_prefixes`); None for a
    file outside the content folders."""
    for folder, label in prefixes:
        if path.startswith(folder):
            return label + path.removeprefix(folder).replace(os.sep, "/")
    return None


def _signatures(paths: Iterable[str]) -> tuple[tuple[str, Signature | None], ...]:
    return tuple((path, signature(path)) for path in paths)


def replace_file(path: Path, write: Callable[[BinaryIO], object]) -> None:
    """Write a file of the cache folder whole or not at all: a killed build leaves the old one."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    with temporary.open("wb") as stream:
        write(stream)
    os.replace(temporary, path)


def due_window(dates: Iterable[datetime], now: datetime | None) -> tuple[datetime | None, datetime | None]:
    """The build times that hold back exactly the same future-dated items as `now` does:
    from the newest date not after `now` (inclusive) to the oldest date after it (exclusive)."""
    if now is None:
        return None, None
    past = [date for date in dates if date <= now]
    future = [date for date in dates if date > now]
    return (max(past) if past else None), (min(future) if future else None)


@dataclass(frozen=True)
class BuildState:
    key: str
    inputs: tuple[tuple[str, Signature | None], ...]
    marker: Signature | None
    due_from: datetime | None
    due_until: datetime | None
    report: BuildReport


class Freshness:
    """The inputs of one build, compared with those of the last successful build."""

    def __init__(self, config: SiteConfig, options: BuildOptions) -> None:
        self.started = time.perf_counter()
        self.config, self.options = config, options
        self.marker = config.output_dir / MARKER
        self.file: Path | None = None
        self._state: tuple[BuildState | None] | None = None  # the last build's, once read
        if options.cache_dir is None:
            return
        place = "\n".join(
            [*(str(folder.resolve()) for folder in config.content_dirs), str(config.output_dir.resolve())]
        )
        self.file = options.cache_dir / "digest" / f"state-{urls.short_hash(place)}.sealed"
        folders = [*theme_folders(config.root, config.theme).watched, config.data_dir]
        self.key = "\n".join(
            [code_version(), repr(config), repr(config.root.resolve()), f"{options.strict} {options.drafts}"]
            + [str(folder.resolve()) for folder in folders]
            + [str(options.now is None)]
        )
        paths = [path for folder in config.content_dirs for path in _files(folder, content=True)]
        for folder in folders:
            paths += _files(folder, content=False)
        self.inputs = _signatures(paths)  # taken before the build reads anything

    def _comparable_state(self) -> BuildState | None:
        """The last build's state, if it was made with the same settings and code, for the
        same output folder as it is now, at a build time that selects the same items. Read
        once: a build asks several times, and nothing it does before `record` changes it."""
        if self._state is None:
            self._state = (self._read_state(),)
        return self._state[0]

    def _read_state(self) -> BuildState | None:
        key = sealed.cache_key()
        if self.file is None or key is None:
            return None
        try:
            with self.file.open("rb") as stream:
                file_format, state = sealed.load(stream, key)
        except Exception:  # missing, not ours, corrupt or from another version: build
            return None
        if file_format != _FORMAT or not isinstance(state, BuildState):
            return None
        if state.key != self.key or state.marker != signature(self.marker):
            return None
        now = self.options.now
        if now is not None:
            if state.due_from is not None and now < state.due_from:
                return None
            if state.due_until is not None and now >= state.due_until:
                return None
        return state

    def changed_content(self) -> set[str] | None:
        """The content files (relative paths) edited since the last build, when nothing else
        changed: no file added or removed, no template, static file, setting or code.
        None when something else changed or nothing is known."""
        state = self._comparable_state()
        if state is None:
            return None
        before, now = dict(state.inputs), dict(self.inputs)
        if before.keys() != now.keys():
            return None
        prefixes = content_prefixes(self.config)
        edited = set()
        for path in (path for path, sign in now.items() if before[path] != sign):
            identity = _identity(path, prefixes)
            if identity is None:
                return None
            edited.add(identity)
        return edited

    def content_signatures(self) -> dict[str, Signature | None]:
        """The signature of each content file as this build found it, by its identity (see
        `load.discover`), so that loading need not look at every file a second time."""
        if self.file is None:
            return {}
        prefixes = content_prefixes(self.config)
        found = {}
        for path, sign in self.inputs:
            identity = _identity(path, prefixes)
            if identity is not None:
                found[identity] = sign
        return found

    def same_setup(self) -> bool:
        """Whether the last build ran with these settings, code, templates, static and data
        files, into the output folder as it is now, whatever happened to content files
        since: then a page planned as it was last time is written as it was."""
        state = self._comparable_state()
        if state is None:
            return False
        folders = tuple(folder for folder, _ in content_prefixes(self.config))

        def others(inputs: Iterable[tuple[str, Signature | None]]) -> dict[str, Signature | None]:
            return {path: sign for path, sign in inputs if not path.startswith(folders)}

        return others(state.inputs) == others(self.inputs)

    def unchanged(self) -> BuildReport | None:
        """The last build's report if nothing it depended on has changed since, else None."""
        state = self._comparable_state()
        if state is None or state.inputs != self.inputs:
            return None
        return replace(
            state.report,
            unchanged=True,
            files_changed=0,
            files_removed=0,
            config_warnings=list(self.options.config_warnings),
            seconds=time.perf_counter() - self.started,
        )

    def record(self, report: BuildReport, dates: Iterable[datetime]) -> None:
        """Remember this successful build's inputs for the next one."""
        key = sealed.cache_key()
        if self.file is None or key is None:
            return
        due_from, due_until = due_window(dates, self.options.now)
        state = BuildState(self.key, self.inputs, signature(self.marker), due_from, due_until, report)
        with contextlib.suppress(OSError):  # without a record the next build simply builds
            replace_file(self.file, lambda stream: sealed.dump((_FORMAT, state), stream, key))
