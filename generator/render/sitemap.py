"""Files for machines that discover the site: sitemap, robots.txt and the OPML feed list.

Like the feeds, these are written by hand from plain values so the output is exact and
stable; every text goes through `escape`.
"""

from __future__ import annotations

from datetime import datetime
from html import escape as html_escape

from ..escape import xml_attr, xml_text
from ..plan.feed_model import OpmlGroup, SitemapEntry
from .feeds import rfc822, rfc3339

# The sitemaps.org limit for one file; a larger site gets a sitemap index.
SITEMAP_LIMIT = 50_000
_SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"


def sitemap_bytes(entries: tuple[SitemapEntry, ...], *, index: bool = False) -> bytes:
    """A sitemaps.org `urlset` of absolute page URLs, each with its last change if known;
    with `index`, a sitemap index pointing at the parts of a sitemap too large for one file."""
    root, element = ("sitemapindex", "sitemap") if index else ("urlset", "url")
    lines = ['<?xml version="1.0" encoding="utf-8"?>', f'<{root} xmlns="{_SITEMAP_NS}">']
    for entry in entries:
        lastmod = f"<lastmod>{rfc3339(entry.lastmod)}</lastmod>" if entry.lastmod else ""
        lines.append(f"  <{element}><loc>{xml_text(entry.url)}</loc>{lastmod}</{element}>")
    lines += [f"</{root}>", ""]
    return "\n".join(lines).encode("utf-8")


def robots_bytes(sitemap_url: str) -> bytes:
    """Allow every crawler everywhere and point it at the sitemap."""
    return f"User-agent: *\nAllow: /\n\nSitemap: {sitemap_url}\n".encode()


def _outline_text(text: str) -> str:
    """OPML 2.0 lets `text` hold HTML, so a name's "&" or "<" is first written as HTML,
    then escaped as XML: a reader that renders the HTML shows "AT&T", not "AT&amp;T"'s
    remains. `title` is plain text and is escaped once."""
    return xml_attr(html_escape(text, quote=False))


def opml_bytes(title: str, groups: tuple[OpmlGroup, ...], modified: datetime | None) -> bytes:
    """An OPML 2.0 subscription list: one outline per feed, grouped (site, topics, sources).

    Each feed is listed once, by its address in the first format of `feed_formats` (RSS,
    as `xmlUrl`), so a reader that imports the file subscribes to every topic once rather
    than once per format; its other formats' addresses are extra outline attributes, which
    OPML allows.
    """
    lines = [
        '<?xml version="1.0" encoding="utf-8"?>',
        '<opml version="2.0">',
        "  <head>",
        f"    <title>{xml_text(title)}</title>",
    ]
    if modified is not None:
        lines.append(f"    <dateModified>{rfc822(modified)}</dateModified>")
    lines += ["    <docs>http://opml.org/spec2.opml</docs>", "  </head>", "  <body>"]
    for group in groups:
        lines.append(f"    <outline text={_outline_text(group.title)} title={xml_attr(group.title)}>")
        for feed in group.feeds:
            (primary, primary_url), *others = feed.urls
            extra = "".join(f" {attribute}={xml_attr(url)}" for attribute, url in others)
            names = f"text={_outline_text(feed.title)} title={xml_attr(feed.title)}"
            lines.append(
                f'      <outline type="rss" version="RSS2" {names}'
                f" {primary}={xml_attr(primary_url)} htmlUrl={xml_attr(feed.html_url)}{extra}/>"
            )
        lines.append("    </outline>")
    lines += ["  </body>", "</opml>", ""]
    return "\n".join(lines).encode("utf-8")
