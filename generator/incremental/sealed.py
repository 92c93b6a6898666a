"""Cache records that only this user's Digest can have written.

The cache lives next to the site (`.cache/digest/`), where a checkout, a downloaded archive
or a restored CI cache can put any file. Its records are pickles, which run code when read,
so each carries an HMAC-SHA256 made with a key that never lives in the site: a random key
in the user's own state folder (`$XDG_STATE_HOME/digest/cache.key`, by default
`~/.local/state/digest/cache.key`, readable by the user alone). A record whose code does
not match is never unpickled; the build then simply parses the files again. Without a
usable key folder the cache is not used at all.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import pickle
import secrets
from functools import cache
from pathlib import Path
from typing import Any, BinaryIO

_MAGIC = b"DIGEST-SEALED-1\n"
_LENGTH = 8
_CODE = 32


class Unsealed(ValueError):
    """A record that this user's Digest did not write, or one cut short."""


def key_file() -> Path:
    state = os.environ.get("XDG_STATE_HOME") or str(Path.home() / ".local" / "state")
    return Path(state) / "digest" / "cache.key"


@cache
def cache_key() -> bytes | None:
    """This user's key, made on first use; None when it can be neither read nor made."""
    path = key_file()
    try:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0), 0o600)
        except FileExistsError:
            pass
        else:
            with os.fdopen(fd, "wb") as stream:
                stream.write(secrets.token_bytes(32))
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
        with os.fdopen(fd, "rb") as stream:
            key = stream.read(64)
    except OSError:
        return None
    return key if len(key) >= 32 else None


def dump(value: Any, stream: BinaryIO, key: bytes) -> None:
    data = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
    code = hmac.new(key, data, hashlib.sha256).digest()
    stream.write(_MAGIC + len(data).to_bytes(_LENGTH, "big") + code + data)


def load(stream: BinaryIO, key: bytes) -> Any:
    """The next record of `stream`; `EOFError` at its clean end, `Unsealed` for anything else
    (whose bytes are never unpickled)."""
    magic = stream.read(len(_MAGIC))
    if not magic:
        raise EOFError
    if magic != _MAGIC:
        raise Unsealed("not a sealed record")
    length = int.from_bytes(stream.read(_LENGTH), "big")
    code = stream.read(_CODE)
    data = stream.read(length)
    if len(data) != length or not hmac.compare_digest(code, hmac.new(key, data, hashlib.sha256).digest()):
        raise Unsealed("the record's code does not match")
    return pickle.loads(data)


def read_journal(journal: Path, into: dict[Any, Any], key: bytes) -> int | None:
    """Apply a journal's records (dicts of entries added after its main record was written)
    to `into`; return how many entries there were (0 without a journal). A journal cut
    short by a killed build gives what was read before the cut, and None: its owner then
    writes the record whole at its next save, instead of appending after the damage."""
    count = 0
    try:
        with journal.open("rb") as stream:
            while True:
                try:
                    batch = load(stream, key)
                except EOFError:
                    return count
                into.update(batch)
                count += len(batch)
    except FileNotFoundError:
        return 0
    except Exception:  # cut short or unreadable: what was read stands
        return None


# A journal is folded into its record once it would hold more than a tenth of the
# record's entries (and at least this many): reading it back then costs more than a rewrite.
_JOURNAL_SHARE = 10
_JOURNAL_MIN = 1000


def journal_has_room(in_journal: int | None, adding: int, record_entries: int) -> bool:
    """Whether `adding` entries may go to a journal that holds `in_journal` (None: damaged,
    see `read_journal`) beside a record of `record_entries`."""
    return in_journal is not None and in_journal + adding <= max(_JOURNAL_MIN, record_entries // _JOURNAL_SHARE)


def append_journal(journal: Path, entries: dict[Any, Any], key: bytes) -> bool:
    """Add entries to a journal beside a record instead of writing the record whole;
    False when the journal cannot be written."""
    try:
        with journal.open("ab") as stream:
            dump(entries, stream, key)
    except OSError:
        return False
    return True
