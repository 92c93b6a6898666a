"""Compiled templates kept between builds, so a warm build does not compile the theme again.

Jinja2 compiles each template to Python code, about 80 ms for the default theme, which a
build that renders a few hundred pages would otherwise pay every time. The compiled code
runs when it is loaded and the cache folder is not trusted, so each record is sealed like
every other cache record (see `sealed`): one this user's Digest did not write is never
loaded. Jinja2 itself checks that a record was compiled from the template's present source,
by this Jinja2 and this Python, and compiles afresh otherwise.
"""

from __future__ import annotations

import contextlib
from pathlib import Path

import jinja2
from jinja2.bccache import Bucket

from . import sealed
from .freshness import replace_file


class SealedTemplates(jinja2.BytecodeCache):
    def __init__(self, folder: Path, key: bytes) -> None:
        self.folder = folder
        self.key = key

    def _file(self, bucket: Bucket) -> Path:
        return self.folder / f"{bucket.key}.sealed"

    def load_bytecode(self, bucket: Bucket) -> None:
        try:
            with self._file(bucket).open("rb") as stream:
                code = sealed.load(stream, self.key)
            if isinstance(code, bytes):
                bucket.bytecode_from_string(code)
        except Exception:  # missing, not ours, cut short or unreadable: compile afresh
            bucket.reset()

    def dump_bytecode(self, bucket: Bucket) -> None:
        code = bucket.bytecode_to_string()
        with contextlib.suppress(OSError):  # a cache that cannot be written only costs time
            replace_file(self._file(bucket), lambda stream: sealed.dump(code, stream, self.key))


def template_cache(cache_dir: Path | None) -> SealedTemplates | None:
    """The compiled templates below `cache_dir`; None without a cache folder or a key."""
    key = sealed.cache_key()
    if cache_dir is None or key is None:
        return None
    return SealedTemplates(cache_dir / "digest" / "templates", key)
