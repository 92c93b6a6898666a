"""Pelican peer of Digest for benchmarks/peers.py.

The same corpus, converted to Markdown metadata under content/, built with the built-in "simple"
theme into: one page per item, a paginated index, a paginated page per tag (topic) and per author
(provider), the tag and author lists, and RSS for everything, per tag and per author. Numbers match
Digest's defaults (site.toml): 20 stories a page, 50 in a feed.

Not built: category pages and feeds (every item would fall in one "misc" category), the archives
page, period archives, Atom feeds, translation feeds, a sitemap (Pelican has none without a plugin).
"""

AUTHOR = "The AI Digest"
SITENAME = "The AI Digest"
SITEURL = "https://digest.example.org"
TIMEZONE = "UTC"
DEFAULT_LANG = "en"
THEME = "simple"

PATH = "content"
ARTICLE_PATHS = [""]
PAGE_PATHS = []
STATIC_PATHS = []
READERS = {"html": None}  # only Markdown content
CACHE_CONTENT = False
LOAD_CONTENT_CACHE = False
DELETE_OUTPUT_DIRECTORY = False

DEFAULT_PAGINATION = 20
PAGINATION_PATTERNS = (
    (1, "{url}", "{save_as}"),
    (2, "{base_name}/page/{number}/", "{base_name}/page/{number}/index.html"),
)

ARTICLE_URL = "items/{slug}/"
ARTICLE_SAVE_AS = "items/{slug}/index.html"
TAG_URL = "topics/{slug}/"
TAG_SAVE_AS = "topics/{slug}/index.html"
TAGS_SAVE_AS = "topics/index.html"
AUTHOR_URL = "providers/{slug}/"
AUTHOR_SAVE_AS = "providers/{slug}/index.html"
AUTHORS_SAVE_AS = "providers/index.html"
CATEGORY_SAVE_AS = ""
CATEGORIES_SAVE_AS = ""
ARCHIVES_SAVE_AS = ""
DIRECT_TEMPLATES = ["index", "tags", "authors"]

# Spell out symbols as Digest's slugs do; by default "C", "C#" and "C++" all become "c", and
# Pelican then merges them silently into one tag.
_SYMBOLS = [(r"\+", " plus "), ("#", " sharp "), ("&", " and "), ("@", " at ")]
_SLUG_DEFAULTS = [(r"[^\w\s-]", ""), (r"(?u)\A\s*", ""), (r"(?u)\s*\Z", ""), (r"[-\s]+", "-")]
TAG_REGEX_SUBSTITUTIONS = _SYMBOLS + _SLUG_DEFAULTS
AUTHOR_REGEX_SUBSTITUTIONS = _SYMBOLS + _SLUG_DEFAULTS

FEED_DOMAIN = SITEURL
FEED_MAX_ITEMS = 50
FEED_ALL_RSS = "feed.xml"
FEED_ALL_ATOM = None
FEED_ATOM = None
FEED_RSS = None
CATEGORY_FEED_ATOM = None
CATEGORY_FEED_RSS = None
TRANSLATION_FEED_ATOM = None
TRANSLATION_FEED_RSS = None
TAG_FEED_ATOM = None
TAG_FEED_RSS = "topics/{slug}/feed.xml"
AUTHOR_FEED_ATOM = None
AUTHOR_FEED_RSS = "providers/{slug}/feed.xml"
