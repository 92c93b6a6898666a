"""Read, parse and validate one content file: the load stage for a single file.

Kept out of the package's `__init__` so that importing `generator.load.discover` (as the
nothing-changed check does) does not import YAML, Markdown and the validator.
"""

from __future__ import annotations

from datetime import tzinfo

from .. import urls
from ..errors import ContentProblem
from .discover import SourceFile
from .frontmatter import DEFAULT_MAX_BYTES, read_raw_item
from .validate import DEFAULT_MAX_SUMMARY_BYTES, LoadResult, validate


def load_item(
    source: SourceFile,
    tz: tzinfo,
    max_bytes: int = DEFAULT_MAX_BYTES,
    addresses: urls.AddressRules = urls.DEFAULT_ADDRESSES,
    max_summary_bytes: int = DEFAULT_MAX_SUMMARY_BYTES,
) -> LoadResult:
    """Read, parse and validate one content file."""
    raw = read_raw_item(source, max_bytes)
    if isinstance(raw, ContentProblem):
        return LoadResult(source, None, (raw,))
    return validate(raw, tz, addresses, max_summary_bytes)
