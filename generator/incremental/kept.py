"""Results worked out from the whole site that few changes alter, kept between builds.

A story's "More on" list depends on that story and the stories before it alone (see
`curate.ranking.more_on`), so it is kept under a hash of those, and a build that adds
today's stories works out their lists only. The normalized key of each address and
headline (see `curate.stories.Keys`) is kept under the text itself. The record is sealed
like every cache record (see `sealed`) and belongs to one version of the code; it holds
what the last build used.
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
        super().__init__(_read(file, version))
        self.file = file
        self.version = version
        self.used: dict[bytes, Any] = {}
        self.added = False

    def get(self, key: bytes, default: Any = None) -> Any:
        value = super().get(key)
        if value is None:
            return default
        self.used[key] = value
        return value

    def __setitem__(self, key: bytes, value: Any) -> None:
        super().__setitem__(key, value)
        self.used[key] = value
        self.added = True

    def save(self) -> None:
        """Keep what this build used, unless the record already holds exactly that."""
        seal_key = sealed.cache_key()
        if seal_key is None or (not self.added and len(self.used) == len(self)):
            return
        record = (self.version, self.used)
        with contextlib.suppress(OSError):  # a record that cannot be written only costs time
            replace_file(self.file, lambda stream: sealed.dump(record, stream, seal_key))


def _read(file: Path, version: str) -> dict[bytes, Any]:
    seal_key = sealed.cache_key()
    if seal_key is None:
        return {}
    try:
        with file.open("rb") as stream:
            kept_version, results = sealed.load(stream, seal_key)
    except Exception:  # missing, not ours, cut short or unreadable: start empty
        return {}
    return results if kept_version == version and isinstance(results, dict) else {}
