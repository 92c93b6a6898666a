"""The one parser for times given on the command line (`--now`, `--date`)."""

from __future__ import annotations

import argparse
from datetime import UTC, datetime


def moment(text: str) -> datetime:
    """An ISO 8601 time; without a zone it is UTC, as `Z` would say."""
    try:
        value = datetime.fromisoformat(text.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a time; write it like 2024-03-01T00:00:00Z") from None
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)
