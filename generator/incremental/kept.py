"""Results worked out from the whole site that few changes alter, kept between builds.

A story's "More on" list depends on that story and the stories before it alone (see
`curate.ranking.more_on`), so it is kept under a hash of those, and a build that adds
today's stories works out their lists only. The normalized key of each address and
headline (see `curate.stories.Keys`) is kept under the text itself, and which related
coverage a story of one item keeps under the texts that decide it (`own_related`). The
record is sealed like every cache record (see `sealed`) and belongs to one version of the
code; it holds what the last build used.

A build that only adds results (today's stories) appends them to a journal beside the
record, as the content cache does: at 100,000 items the record is some 90 MB, and writing
it whole took a second. Every value is a pure function of its key, so a journal left by a
killed build cannot make a result wrong.
"""

from __future__ import annotations

import contextlib
from pathlib import Path
from typing import Any

from . import sealed
from .freshness import replace_file


class KeptResults(dict[bytes, Any]):
    """The results a build found in its record or added to it, for `save` to keep."""

    def __init__(self, file: Path, version: str) -> None:
        super().__init__()
        self.file = file
        self.journal = file.with_name(file.name + ".journal")
        self.version = version
        self.used: dict[bytes, Any] = {}
        self.new: dict[bytes, Any] = {}
        self.journal_entries: int | None = 0
        self.seal_key = sealed.cache_key()
        if self.seal_key is not None:
            self.update(_read(file, version, self.seal_key))
            if self:
                self.journal_entries = sealed.read_journal(self.journal, self, self.seal_key)

    def get(self, key: bytes, default: Any = None) -> Any:
        value = super().get(key)
        if value is None:
            return default
        self.used[key] = value
        return value

    def __setitem__(self, key: bytes, value: Any) -> None:
        super().__setitem__(key, value)
        self.used[key] = value
        self.new[key] = value

    def save(self) -> None:
        """Keep what this build used: the new results appended to the journal when nothing
        else changed and the journal is still small, else the record written whole."""
        seal_key = self.seal_key
        dropped = len(self.used) < len(self)
        if seal_key is None or (not self.new and not dropped):
            return
        small = sealed.journal_has_room(self.journal_entries, len(self.new), len(self))
        appendable = len(self) > len(self.new) and not dropped and small
        if appendable and sealed.append_journal(self.journal, self.new, seal_key):
            return
        record = (self.version, self.used)
        with contextlib.suppress(OSError):  # a record that cannot be written only costs time
            self.journal.unlink(missing_ok=True)  # first: a journal must not outlive its record
            replace_file(self.file, lambda stream: sealed.dump(record, stream, seal_key))


def _read(file: Path, version: str, seal_key: bytes) -> dict[bytes, Any]:
    try:
        with file.open("rb") as stream:
            kept_version, results = sealed.load(stream, seal_key)
    except Exception:  # missing, not ours, cut short or unreadable: start empty
        return {}
    return results if kept_version == version and isinstance(results, dict) else {}
