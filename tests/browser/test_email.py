"""Editions' emails as a mail client's web view shows them: 600 px wide without sideways
scrolling, 375 px on a phone, light and dark, on the sample and on the 1,000-item site."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from .conftest import SITE_FOLDERS, Visit

# What a mail's column is painted in, in each scheme (see email.html).
BACKGROUNDS = {"light": "rgb(255, 255, 255)", "dark": "rgb(27, 30, 36)"}
TEXT = {"light": "rgb(27, 29, 33)", "dark": "rgb(232, 234, 237)"}


def emails_to_open(base: str) -> list[str]:
    """The largest daily email of a site and its newest weekly one, as site paths."""
    folder = SITE_FOLDERS[base]
    daily = max(folder.glob("daily/*/email.html"), key=lambda path: path.stat().st_size)
    weekly = max(folder.glob("weekly/*/email.html"))
    return [path.relative_to(folder).as_posix() for path in (daily, weekly)]


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("width", [600, 375])
def test_an_email_fits_its_width_in_both_schemes(
    visit: Callable[..., Visit], full_site: str, width: int, scheme: str
) -> None:
    tab = visit(width=width, height=900, scheme=scheme, base=full_site)
    for path in emails_to_open(full_site):
        page = tab.open(path)
        assert page.evaluate("document.documentElement.scrollWidth") <= width, path
        assert tab.overflow() <= 0, path
        column = page.locator("table.mail-container")
        assert column.evaluate("e => getComputedStyle(e).backgroundColor") == BACKGROUNDS[scheme]
        assert column.evaluate("e => e.getBoundingClientRect().width") == min(width, 600)
        headline = page.locator("h3 a").first
        assert headline.evaluate("e => getComputedStyle(e).color") == TEXT[scheme]
        assert headline.evaluate("e => e.getBoundingClientRect().right") <= width
        for image in page.locator("img").all():  # each inside the column, none stretched
            box = image.bounding_box()
            assert box is not None and box["x"] + box["width"] <= width, path
        edition = full_site + str(Path(path).parent) + "/"
        assert page.get_by_role("link", name="View in your browser").get_attribute("href") == edition
    assert tab.missing_local == []
