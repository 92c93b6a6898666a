"""Whole-site checks of a built output folder: feeds, OPML, sitemap, robots.txt and heads.

`check_site` returns every problem it finds (an empty list means the site passed), so a
test can run it on the sample site, a fixture site, the real corpus or a large synthetic
corpus and show all problems at once.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path
from urllib.parse import quote, unquote, urlsplit

import feedparser

from .feedcheck import CHECKERS, is_absolute
from .htmltools import Element, parse_file

SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
FEED_NAMES = tuple(CHECKERS)
# The attributes a browser follows or loads as an address.
URL_ATTRIBUTES = frozenset({"href", "src", "srcset", "action", "formaction", "poster", "cite", "background", "data"})
UNSAFE_SCHEMES = ("javascript:", "vbscript:", "data:")
FEED_TYPES = {
    "feed.xml": "application/rss+xml",
    "atom.xml": "application/atom+xml",
    "feed.json": "application/feed+json",
}


def is_allowed_script(script: Element) -> bool:
    """A JSON-LD data block, or the theme's own script file: a root-relative `src` under
    `js/` and nothing inline (the pages' Content-Security-Policy refuses inline script)."""
    if script.get("type") == "application/ld+json":
        return True
    src = script.get("src") or ""
    return src.startswith("/") and "/js/" in src and src.endswith(".js") and not script.children


def unsafe_markup(doc: Element) -> list[str]:
    """Script that content could have smuggled in: event handlers, script URLs, executable `<script>`."""
    found = [
        f"<script type={script.get('type')!r} src={script.get('src')!r}>"
        for script in doc.find_all("script")
        if not is_allowed_script(script)
    ]
    for element in doc.iter():
        found += [f"<{element.tag} {key}>" for key in element.attrs if key.lower().startswith("on")]
        for key, value in element.attrs.items():
            if key.lower() in URL_ATTRIBUTES and "".join((value or "").split()).lower().startswith(UNSAFE_SCHEMES):
                found.append(f"<{element.tag} {key}={value!r}>")
    return found


def html_pages(site: Path) -> dict[str, Element]:
    return {path.relative_to(site).as_posix(): parse_file(path) for path in sorted(site.rglob("*.html"))}


def internal_target(site: Path, url: str, base_url: str) -> Path | None:
    """The output file an internal link points to, or None for external links."""
    base = urlsplit(base_url)
    parts = urlsplit(url)
    if parts.scheme or parts.netloc:
        if (parts.scheme, parts.netloc) != (base.scheme, base.netloc):
            return None
    elif not parts.path.startswith("/"):
        return None
    assert parts.path.startswith(base.path), f"{url} is outside the site's base path {base.path}"
    relative = unquote(parts.path[len(base.path) :])
    return site / (relative + "index.html" if relative == "" or relative.endswith("/") else relative)


def internal_links(site: Path, base_url: str) -> tuple[list[str], int]:
    """Every `href` and `src` of the site's HTML pages that leads to no file within the
    site, and how many internal links were checked."""
    broken, checked = [], 0
    for name, doc in html_pages(site).items():
        for element in doc.iter():
            for attribute in ("href", "src"):
                url = element.get(attribute)
                if not url or url.startswith("#"):
                    continue
                target = internal_target(site, url, base_url)
                if target is not None:
                    checked += 1
                    if not target.is_file():
                        broken.append(f"{name}: <{element.tag} {attribute}={url!r}> leads nowhere")
    return broken, checked


def url_of(site: Path, path: Path, base_url: str) -> str:
    """The absolute URL a file is served at (`index.html` files at their folder's URL)."""
    relative = path.relative_to(site).as_posix()
    if relative == "index.html" or relative.endswith("/index.html"):
        relative = relative.removesuffix("index.html")
    return base_url + quote(relative, safe="/-._~")


def feed_files(site: Path) -> list[Path]:
    return sorted(path for name in FEED_NAMES for path in site.rglob(name))


def is_noindex(doc: Element) -> bool:
    return any(meta.get("content") == "noindex" for meta in doc.find_all("meta", name="robots"))


# A story's lasting id (see the README's "Feed ids"); an edition is known by its link.
STORY_ID = re.compile(r"urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}")


def check_feeds(site: Path, base_url: str) -> list[str]:
    """Every feed: the validator rules, feedparser's verdict, and entries that lead to pages."""
    problems: list[str] = []
    ids: dict[str, str] = {}  # entry link -> its id, the same in every feed
    for path in feed_files(site):
        name = path.relative_to(site).as_posix()
        data = path.read_bytes()
        problems += [f"{name}: {problem}" for problem in CHECKERS[path.name](data, url_of(site, path, base_url))]
        if path.name == "feed.json":
            continue  # feedparser 6 does not read JSON Feed; the checker above covers it
        parsed = feedparser.parse(data)
        if parsed.bozo:
            problems.append(f"{name}: feedparser: {parsed.get('bozo_exception')}")
        for entry in parsed.entries:
            target = internal_target(site, entry.link, base_url)
            if target is None or not target.is_file():
                problems.append(f"{name}: entry link {entry.link} leads to no page")
            if entry.id != entry.link and not STORY_ID.fullmatch(entry.id):
                problems.append(f"{name}: entry id {entry.id} is neither its permalink nor a story id")
            if ids.setdefault(entry.link, entry.id) != entry.id:
                problems.append(f"{name}: entry {entry.link} has id {entry.id}, elsewhere {ids[entry.link]}")
    if len(set(ids.values())) != len(ids):
        problems.append("two entries share one id")
    return problems


def check_opml(site: Path, base_url: str) -> list[str]:
    """The OPML file lists every feed file that exists, and nothing else."""
    root = ET.parse(site / "feeds.opml").getroot()
    listed = [
        outline.get(attribute)
        for outline in root.iter("outline")
        if outline.get("type") == "rss"
        for attribute in ("xmlUrl", "rssUrl", "atomUrl", "jsonFeedUrl")
        if outline.get(attribute) is not None  # a site may publish fewer formats
    ]
    existing = [url_of(site, path, base_url) for path in feed_files(site)]
    problems = []
    if len(listed) != len(set(listed)):
        problems.append("feeds.opml lists a feed twice")
    problems += [f"feeds.opml: {url} is not listed" for url in sorted(set(existing) - set(listed))]
    problems += [f"feeds.opml: {url} does not exist" for url in sorted(set(listed) - set(existing))]
    return problems


def check_sitemap(site: Path, base_url: str, pages: dict[str, Element]) -> list[str]:
    """The sitemap lists every HTML page once (all but noindex ones), each with a lastmod."""
    root = ET.parse(site / "sitemap.xml").getroot()
    urls = root.findall(f"{SITEMAP}url")
    listed = [url.findtext(f"{SITEMAP}loc") for url in urls]
    expected = {url_of(site, site / name, base_url) for name, doc in pages.items() if not is_noindex(doc)}
    problems = []
    if len(listed) != len(set(listed)):
        problems.append("sitemap.xml lists a page twice")
    problems += [f"sitemap.xml: {url} is missing" for url in sorted(expected - set(listed))]
    problems += [f"sitemap.xml: {url} is not an indexable page" for url in sorted(set(listed) - expected)]
    problems += [
        f"sitemap.xml: no lastmod for {url.findtext(f'{SITEMAP}loc')}"
        for url in urls
        if url.find(f"{SITEMAP}lastmod") is None
    ]
    robots = (site / "robots.txt").read_text(encoding="utf-8")
    if f"Sitemap: {base_url}sitemap.xml" not in robots.splitlines():
        problems.append("robots.txt does not point at the sitemap")
    return problems


def is_email(name: str) -> bool:
    """An edition's email (`daily/2024-02-15/email.html`): HTML for mail clients, not a page
    of the site, so it has no canonical, sharing or feed links (and carries noindex)."""
    return name.rsplit("/", 1)[-1] == "email.html"


def check_heads(site: Path, base_url: str, pages: dict[str, Element]) -> list[str]:
    """Every page: a canonical link to itself, Open Graph tags, feed links that resolve."""
    problems = []
    for name, doc in pages.items():
        if doc.find_all("meta", **{"http-equiv": "refresh"}) or is_email(name):
            continue  # a redirect: its canonical is the page it leads to
        own_url = url_of(site, site / name, base_url)
        canonical = [link.get("href") for link in doc.find_all("link", rel="canonical")]
        if canonical != [own_url]:
            problems.append(f"{name}: canonical is {canonical}, expected [{own_url}]")
        og = {meta.get("property"): meta.get("content") for meta in doc.find_all("meta") if meta.get("property")}
        for key in ("og:title", "og:type", "og:url", "og:site_name", "og:description"):
            if not og.get(key):
                problems.append(f"{name}: no {key}")
        if og.get("og:url") != own_url:
            problems.append(f"{name}: og:url is {og.get('og:url')}")
        if og.get("og:image") and not is_absolute(og["og:image"]):
            problems.append(f"{name}: og:image is not absolute")
        alternates = doc.find_all("link", rel="alternate")
        if not alternates:
            problems.append(f"{name}: no feed link")
        for link in alternates:
            target = internal_target(site, link.get("href") or "", base_url)
            if target is None or not target.is_file():
                problems.append(f"{name}: feed link {link.get('href')} leads nowhere")
            elif FEED_TYPES.get(target.name) != link.get("type"):
                problems.append(f"{name}: feed link {link.get('href')} has type {link.get('type')}")
    return problems


def check_site(site: Path, base_url: str) -> list[str]:
    pages = html_pages(site)
    return (
        check_feeds(site, base_url)
        + check_opml(site, base_url)
        + check_sitemap(site, base_url, pages)
        + check_heads(site, base_url, pages)
    )
