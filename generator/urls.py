"""Every slug and URL rule of the site, and the one map from a URL to an output file.

Pages are addressed by a *site path*: relative to the site root, no leading slash, a
trailing slash for pages (`news/2024/02/15/sora/`), none for files (`feed.xml`). Only this
module turns site paths into links (root-relative to `base_url`'s path, or absolute for
feeds) and into output file names, so a rule change here changes the whole site at once.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from urllib.parse import quote, urljoin, urlsplit

HOME = ""
TOPICS = "topics/"
PROVIDERS = "providers/"
NOT_FOUND = "404.html"
SUBSCRIBE = "subscribe/"
DAILY = "daily/"
WEEKLY = "weekly/"
ARCHIVE = "archive/"
OPML = "feeds.opml"
SITEMAP = "sitemap.xml"
ROBOTS = "robots.txt"
SEARCH = "search/"
SAVED = "saved/"
SEARCH_INDEX = "search/index.json"  # the newest stories, and the addresses of the parts
SEARCH_SCRIPT = "js/search.js"  # from the theme's static files
READER_SCRIPT = "js/reader.js"  # every page's conveniences, from the theme's static files
# An edition's email, beside its page: the HTML and the plain-text part of one message.
EMAIL_PARTS = ("email.html", "email.txt")
# A site path `Urls.href` leaves as it is: only characters `quote` never changes.
_NOTHING_TO_QUOTE = re.compile(r"[A-Za-z0-9/_.~-]*")
# The JSON API: its index, the lists of every topic and source, and the paged list of every
# story. A topic's or source's list mirrors its page (`topics/ai/` -> `api/topics/ai/`), so
# a front end can go from a page to its data by one prefix.
API = "api/"
API_INDEX = "api/index.json"
API_TOPICS = "api/topics/index.json"
API_PROVIDERS = "api/providers/index.json"
API_LATEST = "api/latest/"  # not `api/` itself: that folder's index.json is the API's index
API_STORIES = "api/stories/"

_MAX_SLUG_LENGTH = 80
# File systems limit a name to 255 bytes; a slug may get a hash suffix and `.html` after it.
_MAX_SLUG_BYTES = 200
_JEKYLL_NAME = re.compile(r"^(\d{4})-(\d{2})-(\d{2})-(.+)$")
# Symbols that carry meaning in topic and product names ("C++" is not "C").
_SYMBOL_WORDS = {"+": " plus ", "#": " sharp ", "&": " and ", "@": " at "}
_APOSTROPHES = {"'", "\u2019", "\u2018", "\u02bc"}


def slugify(text: str) -> str:
    """Lower-case words joined by hyphens; accents folded, other scripts kept.

    Keeping non-Latin letters (`中国-ai`) avoids collapsing every Chinese topic into one
    empty slug; browsers show such paths readably and links percent-encode them.
    """
    spelled = "".join(_SYMBOL_WORDS.get(char, char) for char in text if char not in _APOSTROPHES)
    decomposed = unicodedata.normalize("NFKD", spelled)
    folded = unicodedata.normalize("NFC", "".join(c for c in decomposed if not unicodedata.combining(c)))
    hyphenated = "".join(c if c.isalnum() else "-" for c in folded.lower())
    slug = "-".join(part for part in hyphenated.split("-") if part)
    if len(slug) > _MAX_SLUG_LENGTH:
        slug = slug[:_MAX_SLUG_LENGTH].rsplit("-", 1)[0] or slug[:_MAX_SLUG_LENGTH]
    while len(slug.encode("utf-8")) > _MAX_SLUG_BYTES:  # 80 letters of four bytes each
        slug = slug[:-1].rstrip("-")
    return slug


def slug_from_file_name(stem: str) -> str:
    """The slug part of a Jekyll-style `YYYY-MM-DD-slug` name, or '' for other names."""
    match = _JEKYLL_NAME.match(stem)
    return slugify(match.group(4)) if match else ""


def short_hash(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:6]


def unique_slugs(names: Mapping[str, str], prefix: str) -> dict[str, str]:
    """A distinct, stable slug for each key of `names` (key -> the text to slugify).

    Keys whose texts slugify alike ("C" and "c") keep apart by a hash of the key: the key
    that sorts first keeps the plain slug, the others get a suffix derived from their own
    key, so adding a topic or source never renames an existing one.
    """
    groups: dict[str, list[str]] = defaultdict(list)
    for key in sorted(names):
        groups[slugify(names[key])].append(key)
    slugs: dict[str, str] = {}
    for slug, keys in groups.items():
        for position, key in enumerate(keys):
            if not slug:
                slugs[key] = f"{prefix}-{short_hash(key)}"
            elif position == 0:
                slugs[key] = slug
            else:
                slugs[key] = f"{slug}-{short_hash(key)}"
    return slugs


DEFAULT_PERMALINK = "/news/:year/:month/:day/:slug/"
# Jekyll's names, so a site moved from Jekyll can keep its addresses (`:title` is the slug
# from the file name there too).
PERMALINK_PLACEHOLDERS = ("year", "month", "day", "slug", "title", "categories", "collection")
_PLACEHOLDER = re.compile(r":([a-z_]+)")
_PERMALINK_TEXT = re.compile(r"^[A-Za-z0-9/_.:-]+$")


def check_permalink(pattern: str) -> str | None:
    """Why an address pattern cannot be used, or None."""
    unknown = [name for name in _PLACEHOLDER.findall(pattern) if name not in PERMALINK_PLACEHOLDERS]
    if unknown:
        known = ", ".join(f":{name}" for name in PERMALINK_PLACEHOLDERS)
        return f"unknown placeholder :{unknown[0]} in {pattern!r}; use {known}"
    dots = any(part in (".", "..") for part in pattern.split("/"))
    if not _PERMALINK_TEXT.match(pattern) or not pattern.startswith("/") or dots:
        return f"should be an address from the site root such as {DEFAULT_PERMALINK!r}, got {pattern!r}"
    if not pattern.endswith(("/", ".html")):
        return f"should end with / (a folder) or .html, got {pattern!r}"
    if ":slug" not in pattern and ":title" not in pattern:
        return f"needs :slug or :title, or every story would get the same address, got {pattern!r}"
    return None


def permalink_path(
    pattern: str, published_local: datetime, slug: str, categories: tuple[str, ...] = (), collection: str = ""
) -> str:
    """The site path an address pattern gives one item, dated in the site's time zone.

    Every value is slugified, and empty ones leave no empty folder behind (Jekyll's rule), so
    content can never put a `..` or an odd character into an address.
    """
    values = {
        "year": f"{published_local:%Y}",
        "month": f"{published_local:%m}",
        "day": f"{published_local:%d}",
        "slug": slug,
        "title": slug,
        "categories": "/".join(filter(None, (slugify(name) for name in categories))),
        "collection": slugify(collection),
    }
    path = _PLACEHOLDER.sub(lambda match: values[match.group(1)], pattern)
    return "/".join(part for part in path.split("/") if part) + ("/" if path.endswith("/") else "")


@dataclass(frozen=True, slots=True)
class AddressRules:
    """How story addresses are made: the pattern of their pages and the older patterns that
    redirect to them (a site moved from Jekyll keeps its links that way)."""

    permalink: str = DEFAULT_PERMALINK
    redirect_from: tuple[str, ...] = ()

    def page(self, published_local: datetime, slug: str, categories: tuple[str, ...], collection: str) -> str:
        return permalink_path(self.permalink, published_local, slug, categories, collection)

    def redirects(
        self, published_local: datetime, slug: str, categories: tuple[str, ...], collection: str
    ) -> tuple[str, ...]:
        paths = (permalink_path(old, published_local, slug, categories, collection) for old in self.redirect_from)
        return tuple(dict.fromkeys(paths))


DEFAULT_ADDRESSES = AddressRules()


def site_path_from_url(address: str) -> str | None:
    """A site-relative address written by a curator (`/2019/12/16/old-name/`, as Jekyll's
    `redirect_from` lists them) as a site path, or None if it cannot be one."""
    parts = address.strip().split("#", 1)[0].split("?", 1)[0]
    if not parts.startswith("/") or parts.startswith("//") or _NOT_IN_URLS.search(parts):
        return None
    segments = [segment for segment in parts.split("/") if segment]
    if not segments or any(segment in (".", "..") for segment in segments):
        return None
    last = segments[-1]
    return "/".join(segments) + ("" if "." in last and not parts.endswith("/") else "/")


def item_path(published_local: datetime, slug: str) -> str:
    """`news/YYYY/MM/DD/slug/`: the default address of a story, dated in the site's time zone."""
    return permalink_path(DEFAULT_PERMALINK, published_local, slug)


def topic_path(slug: str) -> str:
    return f"{TOPICS}{slug}/"


def provider_path(slug: str) -> str:
    return f"{PROVIDERS}{slug}/"


def daily_path(day: date) -> str:
    return f"{DAILY}{day:%Y-%m-%d}/"


def weekly_path(year: int, week: int) -> str:
    """An ISO week's edition, named as ISO 8601 writes a week (`2024-W07`)."""
    return f"{WEEKLY}{year:04}-W{week:02}/"


def email_path(edition_path: str, part: str) -> str:
    """`daily/2024-02-15/email.html`: a part of an edition's email, beside its page."""
    return f"{edition_path}{part}"


def month_path(year: int, month: int) -> str:
    return f"{ARCHIVE}{year:04}/{month:02}/"


def sitemap_part_path(number: int) -> str:
    return f"sitemap-{number}.xml"


def list_page_path(first_page: str, number: int) -> str:
    """A list's front page lives at the list's own path (`number` 0), its numbered pages,
    counted from the oldest story, at `<list>/page/n/`."""
    return first_page if number == 0 else f"{first_page}page/{number}/"


def search_part_path(number: int) -> str:
    """A closed part of the search index, counted from the oldest stories (see `plan.search`)."""
    return f"{SEARCH}part/{number}.json"


def api_list_folder(page_path: str) -> str:
    """The folder of the API list that mirrors a list page: `topics/ai/` -> `api/topics/ai/`."""
    return f"{API}{page_path}"


def api_page_path(list_folder: str, number: int) -> str:
    """An API list's front page (`number` 0) is `<folder>index.json`, its numbered page n
    `<folder>page/n.json`: the HTML lists' rule with the page's folder made a file."""
    return f"{list_folder}index.json" if number == 0 else f"{list_folder}page/{number}.json"


def api_story_id(story_path: str) -> str:
    """A story's id in the API: its page's site path without the trailing `/` or `.html`
    (`news/2024/02/15/sora`). Unique because page paths are, stable as long as the address is."""
    return story_path.removesuffix("/").removesuffix(".html")


def api_story_path(story_path: str) -> str:
    """`api/stories/<id>.json`: the story's document, named after its page's path."""
    return f"{API_STORIES}{api_story_id(story_path)}.json"


def output_file(site_path: str) -> str:
    """The file (relative to the output folder) that serves a site path.

    This is the guard that keeps every write inside the output folder: a path that is
    absolute or climbs out with `..` is refused, whatever produced it.
    """
    relative = site_path + "index.html" if site_path == HOME or site_path.endswith("/") else site_path
    parts = relative.split("/")
    unsafe = relative.startswith("/") or "\\" in relative or "\x00" in relative
    if unsafe or "" in parts or "." in parts or ".." in parts:
        raise ValueError(f"refusing to write outside the output folder: {site_path!r}")
    return relative  # plain names joined by single slashes: already in normal form


# Characters a URL never contains unencoded; browsers forgive them, but a value holding
# them is a mistake or an attempt to break out of an attribute.
_NOT_IN_URLS = re.compile(r'[\x00-\x20\x7f"<>\\^`{|}]')
_HOST_CHARACTERS = re.compile(r"^[\w.-]+$")
# Characters that real archives leave unencoded in addresses (a space in an uploaded file's
# name, a `|` in a query) and that are harmless once percent-encoded. Quotes, angle
# brackets and backslashes stay refused: in an address they are a mistake or an attack.
_LOOSE_CHARACTERS = {" ": "%20", "|": "%7C", "^": "%5E", "`": "%60", "{": "%7B", "}": "%7D"}
_LOOSE = re.compile("[" + re.escape("".join(_LOOSE_CHARACTERS)) + "]")


def encode_loose_characters(url: str) -> str:
    """`url` with the characters browsers would encode themselves percent-encoded."""
    return _LOOSE.sub(lambda match: _LOOSE_CHARACTERS[match.group()], url) if _LOOSE.search(url) else url


def is_web_url(url: str) -> bool:
    """An absolute http(s) address with a plausible host: the only external link the site makes."""
    if _NOT_IN_URLS.search(url):
        return False
    try:
        parts = urlsplit(url)
        host = parts.hostname
        parts.port  # noqa: B018 -- raises ValueError for a port that is not a number
    except ValueError:
        return False
    return parts.scheme.lower() in ("http", "https") and bool(host) and bool(_HOST_CHARACTERS.match(host or ""))


_HOST_NAME = re.compile(r"^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z][a-z0-9-]{0,62}$")


def provider_home(domain: str) -> str | None:
    """The home page of a news source from its domain, when the domain is a plain host name."""
    return f"https://{domain}/" if _HOST_NAME.match(domain) else None


def is_site_relative(url: str) -> bool:
    """A root-relative address (`/images/logo.png`) served by this site's own static files."""
    return url.startswith("/") and not url.startswith("//") and "\\" not in url


def asset_under(base_path: str, url: str) -> str:
    """A URL written in content (image or link) as a page shows it on a site that lives at
    `base_path`: site-relative ones (`/images/x.png`) are moved under it, others are kept
    as written."""
    return base_path + url[1:] if is_site_relative(url) else url


class Urls:
    """Turns site paths and asset URLs into links, relative to `base_url` or absolute."""

    def __init__(self, base_url: str) -> None:
        parts = urlsplit(base_url)
        self.base_path = parts.path if parts.path.endswith("/") else parts.path + "/"
        self.origin = f"{parts.scheme}://{parts.netloc}"
        self.site_name = parts.netloc + self.base_path  # the address without its scheme

    def story_id(self, identity: str) -> str:
        """A story's id in every feed: a name-based UUID (RFC 9562, version 5) of the site's
        address without its scheme and of the content file the story is known by
        (`Story.identity`). Files and the site's address are all it depends on, so a clean
        rebuild gives the same ids, and a move from http to https keeps them."""
        import uuid  # not at the top: a build with nothing changed imports this module, not uuid

        return f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, f'{self.site_name}#{identity}')}"

    def href(self, site_path: str) -> str:
        """A root-relative link to a page or file of the site."""
        if _NOTHING_TO_QUOTE.fullmatch(site_path):  # most paths: quote would return them as they are
            return self.base_path + site_path
        return self.base_path + quote(site_path, safe="/-._~")

    def absolute(self, site_path: str) -> str:
        return self.origin + self.href(site_path)

    def asset(self, url: str) -> str:
        return asset_under(self.base_path, url)

    def absolute_asset(self, url: str) -> str:
        return self.origin + self.asset(url) if is_site_relative(url) else url

    def absolute_from(self, url: str, site_path: str) -> str:
        """A URL written in content on the page at `site_path`, made absolute for a feed,
        where a reader has no page to resolve relative links against."""
        return urljoin(self.absolute(site_path), self.asset(url))
