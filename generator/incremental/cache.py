"""Remember each content file's parsed and validated item, so a rebuild parses only what changed.

Reading YAML and rendering Markdown is most of the cost of loading a site, and between two
builds almost every file is the same. The cache maps a file's relative path to its stat
signature (size, modification and change times, inode, mode), the hash of its bytes and the
`LoadResult` that loading it gave. A file whose signature is unchanged is not even read; one
whose signature changed but whose bytes hash the same (a `touch`, a fresh checkout) is
read but not parsed.

Everything else that decides a `LoadResult` is in the cache's key: the code of this
package, the versions of the libraries that parse and render, the time zone and the size
limit. Any change there, and any unreadable or corrupt cache file, means starting empty,
silently: the cache can only make a build faster, never different.
"""

from __future__ import annotations

import hashlib
import stat
from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import BinaryIO

from ..errors import ContentProblem
from ..load.discover import SourceFile
from ..load.validate import LoadResult
from ..model import Item
from ..pickled import Pickled
from ..urls import AddressRules
from . import sealed
from .fingerprint import file_item_digest
from .freshness import Signature, replace_file, signature

_FORMAT = 5
_SLICE = 1000


def file_digest(path: Path, sign: Signature | None, max_bytes: int) -> str | None:
    """The hash of a regular file's bytes; None for anything loading would refuse unread."""
    if sign is None or not stat.S_ISREG(sign[3]) or sign[0] > max_bytes:
        return None
    try:
        return hashlib.blake2b(path.read_bytes(), digest_size=16).hexdigest()
    except OSError:
        return None


@dataclass(frozen=True, slots=True)
class CachedLoad(Pickled):
    """What loading a file gave (see `LoadResult`), with the file state it was made from.

    The file itself is named by text (`origin`), not by its `SourceFile`: a warm build
    finds every file anyway, and unpickling a path object for each of 10,000 cached items
    was a quarter of reading the cache."""

    signature: Signature | None
    digest: str | None
    origin: tuple[str, str, str]  # the file's path, display name and collection (see `SourceFile`)
    item: Item | None
    problems: tuple[ContentProblem, ...]
    # The digest that names the item in page digests: its file's (see
    # `fingerprint.file_item_digest`), so neither loading nor a warm build walks the item.
    item_digest: bytes | None = None

    def result(self, source: SourceFile) -> LoadResult:
        return LoadResult(source, self.item, self.problems)


def origin_of(source: SourceFile) -> tuple[str, str, str]:
    return str(source.path), source.display, source.collection


class ContentCache:
    """The loaded items of one content folder, kept in one pickle file between builds."""

    def __init__(self, file: Path | None, key: str) -> None:
        self.seal_key = sealed.cache_key()
        if self.seal_key is None:  # without this user's key no record can be trusted: no cache
            file = None
        self.file = file
        self.key = key
        self.entries: dict[str, CachedLoad] = {}
        self.kept: dict[str, CachedLoad] = {}
        self.journal = file.with_name(file.name + ".journal") if file is not None else None
        self.journal_entries: int | None = 0
        if file is not None and self.journal is not None:
            self.entries = _read(file, key, self.seal_key)
            if self.entries:
                self.journal_entries = sealed.read_journal(self.journal, self.entries, self.seal_key)

    def recall(
        self, source: SourceFile, max_bytes: int, known: Mapping[str, Signature | None] = {}
    ) -> LoadResult | None:
        """The cached result for `source` if its file is the one that was loaded, else None.
        `known` gives files' signatures as the build found them (see `Freshness`); a file
        not in it is looked at here."""
        entry = self.entries.get(source.relative)
        if entry is None or entry.origin != origin_of(source):
            return None
        sign = known[source.relative] if source.relative in known else signature(source.path)
        if sign is None:
            return None
        if sign != entry.signature:
            digest = file_digest(source.path, sign, max_bytes)
            if digest is None or digest != entry.digest:
                return None
            entry = replace(entry, signature=sign)
        self.kept[source.relative] = entry
        return entry.result(source)

    def previous(self, relative: str) -> CachedLoad | None:
        """What the file at `relative` gave in the build that wrote the cache."""
        return self.entries.get(relative)

    def item_digests(self) -> list[tuple[Item, bytes]]:
        """Each kept item with its digest (see `fingerprint.Digests`)."""
        return [
            (entry.item, entry.item_digest)
            for entry in self.kept.values()
            if entry.item is not None and entry.item_digest is not None
        ]

    def remember(self, source: SourceFile, entry: CachedLoad) -> None:
        self.kept[source.relative] = entry

    def save(self) -> None:
        """Keep this build's entries (only them: deleted files drop out) for the next build.

        A few changed entries are appended to a journal beside the cache file instead of
        rewriting it whole, which for 10,000 items costs a second. The journal is read
        after the cache file, and every entry is checked against its file before use, so
        a journal left behind by a killed build can only cause a miss, never a wrong hit.
        """
        if self.file is None or self.journal is None or self.seal_key is None:
            return
        kept, entries = self.kept, self.entries
        changed = {relative: entry for relative, entry in kept.items() if entries.get(relative) is not entry}
        dropped = any(relative not in kept for relative in entries)  # some files are gone
        if not changed and not dropped:
            return
        small = sealed.journal_has_room(self.journal_entries, len(changed), len(self.kept))
        if self.entries and not dropped and small and sealed.append_journal(self.journal, changed, self.seal_key):
            return
        try:
            self.journal.unlink(missing_ok=True)  # first: an old journal must not outlive its file
            replace_file(self.file, self._write_slices)
        except OSError:
            pass  # a cache that cannot be written only makes the next build slower

    def _write_slices(self, stream: BinaryIO) -> None:
        """In slices, each its own pickle: the pickler remembers every object it wrote until
        it is told to forget, which for 100,000 items is hundreds of MB."""
        entries = list(self.kept.items())
        assert self.seal_key is not None  # no file to write without a key
        sealed.dump((_FORMAT, self.key, len(entries)), stream, self.seal_key)
        for start in range(0, len(entries), _SLICE):
            sealed.dump(entries[start : start + _SLICE], stream, self.seal_key)


def _read(file: Path, key: str, seal_key: bytes | None) -> dict[str, CachedLoad]:
    if seal_key is None:
        return {}
    try:
        with file.open("rb") as stream:
            file_format, file_key, count = sealed.load(stream, seal_key)
            if file_format != _FORMAT or file_key != key:
                return {}
            entries: dict[str, CachedLoad] = {}
            while len(entries) < count:
                entries.update(sealed.load(stream, seal_key))
        return entries
    except Exception:  # missing, not ours, truncated, corrupt or from another version: start afresh
        return {}


def only_body_changed(before: CachedLoad | None, after: CachedLoad) -> bool:
    """True if the item differs from `before` in its Markdown body alone, which only the
    pages that show bodies (its own page, the feeds carrying it) can see."""
    if before is None or before.item is None or after.item is None or before.problems != after.problems:
        return False
    return replace(before.item, summary_utf8=after.item.summary_utf8) == after.item


def load_fresh(
    source: SourceFile, tz_name: str, max_bytes: int, addresses: AddressRules, max_summary_bytes: int, key: str
) -> CachedLoad:
    """Load a file that the cache could not answer for, with the state to remember it by.
    `key` is the cache's (`ContentCache.key`): all besides the file that decides what
    loading gives, so it goes into the item's digest too."""
    from zoneinfo import ZoneInfo

    from ..load.item import load_item

    sign = signature(source.path)
    digest = file_digest(source.path, sign, max_bytes)
    result = load_item(source, ZoneInfo(tz_name), max_bytes, addresses, max_summary_bytes)
    origin = origin_of(source)
    item_digest = None
    if result.item is not None and digest is not None:
        item_digest = file_item_digest(digest, origin, key)
    return CachedLoad(sign, digest, origin, result.item, result.problems, item_digest)
