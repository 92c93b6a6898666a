"""Stage 1, load: find the content files, read them, and turn each into a validated `Item`
or the problems that keep it out; read the data folder of topics and sources.

`discover` is the one rule for which files are content; `frontmatter` reads a file
safely; `validate` checks every field; `markdown` renders the curator's summary;
`sitedata` reads the data folder; `assets` finds site images the site does not have.
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
