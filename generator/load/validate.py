"""Load one content file and turn its front matter into an `Item`, or say what is wrong.

Every content problem is born here, with the file, the line YAML gives for the field and
words a curator understands. All problems of a file are collected (not just the first), so
one build shows everything to fix. Problems that make an item unusable are errors and
reject the item; problems with optional extras (an image, a related link) are warnings
and only drop that extra.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, tzinfo
from pathlib import PurePosixPath
from typing import Any
from urllib.parse import urlsplit

import yaml

from .. import urls
from ..errors import ContentProblem
from ..escape import clean_text
from ..model import Image, Item, ProviderRef, Related, provider_ref
from ..pickled import Pickled
from .discover import SourceFile
from .frontmatter import SAFE_LOADER, RawItem, describe
from .markdown import plain_text_html, render_summary

# Longer texts are cut at a word with a warning: a 2 MB headline would be repeated on every
# list and feed that shows the item.
TEXT_LIMITS = {"title": 300, "excerpt": 2000, "name": 200, "topic": 100}
# Likewise for lists: one file must not be able to create thousands of topic pages.
LIST_LIMITS = {"topics": 50, "images": 20, "related": 50}
_TOP_LEVEL_KEY = re.compile(r"^([A-Za-z_][\w-]*)[ \t]*:(?:[ \t]|$)", re.MULTILINE)

_DATE_EXAMPLE = "write it like 2024-02-15T18:05:00Z"
DEFAULT_MAX_SUMMARY_BYTES = 100 * 1024
FieldPath = tuple[str | int, ...]


@dataclass(frozen=True, slots=True)
class LoadResult(Pickled):
    """What became of one file: an item (or None if rejected) and every problem found."""

    source: SourceFile
    item: Item | None
    problems: tuple[ContentProblem, ...] = ()


@dataclass
class FieldChecker:
    """Collects the problems of one file and finds the line of a field when one is reported."""

    raw: RawItem
    problems: list[ContentProblem] = field(default_factory=list)
    _tree: yaml.Node | None = None

    def error(self, path: FieldPath, message: str) -> None:
        self._add(path, message, is_error=True)

    def warn(self, path: FieldPath, message: str) -> None:
        self._add(path, message, is_error=False)

    @property
    def failed(self) -> bool:
        return any(problem.is_error for problem in self.problems)

    def _add(self, path: FieldPath, message: str, *, is_error: bool) -> None:
        problem = ContentProblem(self.raw.source.display, self.line_of(path), _field_name(path), message, is_error)
        self.problems.append(problem)

    def line_of(self, path: FieldPath) -> int | None:
        """The file line of a field, found by composing the YAML again (only on problems)."""
        if self._tree is None:
            try:
                self._tree = yaml.compose(self.raw.front_matter, Loader=SAFE_LOADER)
            except yaml.YAMLError:  # text the loader accepted once stripped; no line to give
                return None
        node, line = self._tree, None
        for step in path:
            node, line = _child(node, step)
            if node is None:
                break
        return None if line is None else self.raw.first_line + line


def _child(node: yaml.Node | None, step: str | int) -> tuple[yaml.Node | None, int | None]:
    if isinstance(node, yaml.MappingNode) and isinstance(step, str):
        for key, value in node.value:
            if key.value == step:
                return value, key.start_mark.line
    if isinstance(node, yaml.SequenceNode) and isinstance(step, int) and step < len(node.value):
        child = node.value[step]
        return child, child.start_mark.line
    return None, None


def _field_name(path: FieldPath) -> str:
    name = ""
    for step in path:
        name += f"[{step}]" if isinstance(step, int) else (f".{step}" if name else step)
    return name


def one_line(text: str | None) -> str:
    """Runs of white space (line breaks from folded YAML included) as single spaces,
    without the control characters no page or feed can show, in Unicode's composed form
    (NFC): "Café" typed with a combining accent is the same name as "Café" typed whole."""
    return unicodedata.normalize("NFC", " ".join(clean_text(text or "").split()))


def limited(check: FieldChecker, path: FieldPath, text: str, kind: str) -> str:
    """`text`, cut at a word boundary (with a warning) when longer than its kind allows."""
    limit = TEXT_LIMITS[kind]
    if len(text) <= limit:
        return text
    check.warn(path, f"is {len(text):,} characters long; cut to {limit}")
    return (text[: limit - 1].rsplit(" ", 1)[0] or text[: limit - 1]) + "…"


def _capped(check: FieldChecker, path: FieldPath, values: list[Any], kind: str) -> list[Any]:
    """The first entries of a list, as many as its kind allows (with a warning if cut)."""
    limit = LIST_LIMITS[kind]
    if len(values) > limit:
        check.warn(path, f"has {len(values):,} entries; only the first {limit} are used")
    return values[:limit]


def _duplicate_keys(check: FieldChecker) -> None:
    """YAML keeps the last of two equal keys without a word; the curator should hear of it."""
    counts = Counter(_TOP_LEVEL_KEY.findall(check.raw.front_matter))
    for key, count in sorted(counts.items()):
        if count > 1:
            check.warn((key,), f"appears {count} times; the last one is used")


def as_text(value: Any) -> str | None:
    """Text as given; numbers count as text (a title of `1984` is fine), other kinds do not."""
    if isinstance(value, str):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    return None


def parse_datetime(value: Any, tz: tzinfo) -> datetime | None:
    """A timezone-aware datetime from a YAML timestamp, date or ISO 8601 text.

    A time without a zone is read in the site's time zone, as a curator would mean it.
    """
    if isinstance(value, datetime):
        moment = value
    elif isinstance(value, date):
        moment = datetime(value.year, value.month, value.day)
    elif isinstance(value, str):
        try:
            moment = datetime.fromisoformat(value.strip())
        except ValueError:
            return None
    else:
        return None
    return moment.replace(tzinfo=tz) if moment.tzinfo is None else moment


# Pages, feeds and addresses write years with four digits, and dates are moved between zones
# and windows of days: the years a date may have, with a margin at both ends.
FIRST_YEAR, LAST_YEAR = 1000, 9998
_OUT_OF_RANGE = f"is outside the years {FIRST_YEAR} to {LAST_YEAR} that pages and feeds can show"


def in_calendar(moment: datetime, tz: tzinfo) -> bool:
    """Whether `moment` is in the years Digest handles, in UTC and in the site's zone."""
    try:
        return all(FIRST_YEAR <= shown.year <= LAST_YEAR for shown in (moment.astimezone(UTC), moment.astimezone(tz)))
    except (OverflowError, ValueError):
        return False


def _web_url(check: FieldChecker, path: FieldPath, value: Any) -> str | None:
    """An http(s) address, or None; anything else (`javascript:`, `data:`, a typo) is left
    out with a warning, since the item is still worth publishing without that link."""
    if value is None or value == "":
        return None
    url = urls.encode_loose_characters(value.strip()) if isinstance(value, str) else None
    if url and urls.is_web_url(url):
        return url
    check.warn(path, f"{describe(value)} is not a web address (http:// or https://); left out")
    return None


def _image_url(check: FieldChecker, path: FieldPath, value: Any) -> str | None:
    url = urls.encode_loose_characters(value.strip()) if isinstance(value, str) else None
    if url and (urls.is_web_url(url) or urls.is_site_relative(url)):
        return url
    check.warn(path, f"{describe(value)} is not an image address (http(s) or /path); image left out")
    return None


def _dimension(check: FieldChecker, path: FieldPath, value: Any) -> int | None:
    if value is None:
        return None
    if isinstance(value, int) and not isinstance(value, bool) and value > 0:
        return value
    check.warn(path, f"should be a size in pixels, got {describe(value)}; left out")
    return None


def image_list(check: FieldChecker, path: FieldPath, value: Any) -> tuple[Image, ...]:
    if value is None:
        return ()
    if not isinstance(value, list):
        check.warn(path, f"should be a list of images, got {describe(value)}; ignored")
        return ()
    images = []
    for index, entry in enumerate(_capped(check, path, value, "images")):
        here = (*path, index)
        if not isinstance(entry, dict):
            check.warn(here, f"should be an image with a url, got {describe(entry)}; left out")
            continue
        url = _image_url(check, (*here, "url"), entry.get("url"))
        if url:
            width = _dimension(check, (*here, "width"), entry.get("width"))
            height = _dimension(check, (*here, "height"), entry.get("height"))
            images.append(Image(url, width, height))
    return tuple(images)


def _score(check: FieldChecker, path: FieldPath, value: Any, low: int, high: int | None) -> int | None:
    if value is None:
        return None
    if isinstance(value, int) and not isinstance(value, bool) and value >= low and (high is None or value <= high):
        return value
    limits = f"from {low} to {high}" if high is not None else f"of {low} or more"
    check.error(path, f"should be a whole number {limits}, got {describe(value)}")
    return None


def _provider(check: FieldChecker, path: FieldPath, value: Any, *, is_extra: bool = False) -> ProviderRef | None:
    if value is None:
        return None
    report = check.warn if is_extra else check.error
    if not isinstance(value, dict):
        report(path, f"should be a group with name and domain, got {describe(value)}")
        return None
    name = as_text(value.get("name")) or ""
    domain = unicodedata.normalize("NFC", (as_text(value.get("domain")) or "").strip().lower().removeprefix("www."))
    if value.get("name") is not None and not name.strip():
        report((*path, "name"), f"should be the source's name, got {describe(value.get('name'))}")
    if not name.strip() and not domain:
        report(path, "needs a name or a domain")
        return None
    logos = image_list(check, (*path, "images"), value.get("images"))
    name = limited(check, (*path, "name"), one_line(name), "name")
    return provider_ref(name or domain, domain[:253], logos[0] if logos else None)


def _provider_from_url(url: str | None) -> ProviderRef | None:
    """Without a `provider`, the story's web host names its source (`www.` dropped)."""
    if not url:
        return None
    host = (urlsplit(url).hostname or "").removeprefix("www.")
    return provider_ref(host, host) if host else None


def _topics(check: FieldChecker, value: Any) -> tuple[str, ...]:
    if value is None:
        return ()
    if not isinstance(value, list):
        check.error(("topics",), f"should be a list of topic names (one '- name' line each), got {describe(value)}")
        return ()
    topics: list[str] = []
    for index, entry in enumerate(_capped(check, ("topics",), value, "topics")):
        name = as_text(entry)
        if name is None:
            check.error(("topics", index), f"should be a topic name, got {describe(entry)}")
            continue
        name = limited(check, ("topics", index), one_line(name), "topic")
        if name and name not in topics:
            topics.append(name)
    return tuple(topics)


def _related(check: FieldChecker, value: Any, tz: tzinfo) -> tuple[Related, ...]:
    if value is None:
        return ()
    if not isinstance(value, list):
        check.warn(("related",), f"should be a list of related stories, got {describe(value)}; ignored")
        return ()
    related = []
    for index, entry in enumerate(_capped(check, ("related",), value, "related")):
        here: FieldPath = ("related", index)
        if not isinstance(entry, dict):
            check.warn(here, f"should be a related story with title and webUrl, got {describe(entry)}; left out")
            continue
        title = limited(check, (*here, "title"), one_line(as_text(entry.get("title"))), "title")
        url = _web_url(check, (*here, "webUrl"), entry.get("webUrl"))
        if not title or not url:
            if not title:
                check.warn((*here, "title"), "missing; related story left out")
            continue
        when = parse_datetime(entry.get("publishedDateTime"), tz)
        if entry.get("publishedDateTime") is not None and when is None:
            check.warn(
                (*here, "publishedDateTime"), f"{describe(entry.get('publishedDateTime'))} is not a date; left out"
            )
        elif when is not None and not in_calendar(when, tz):
            check.warn(
                (*here, "publishedDateTime"), f"{describe(entry.get('publishedDateTime'))} {_OUT_OF_RANGE}; left out"
            )
            when = None
        quality = entry.get("quality")
        related.append(
            Related(
                title=title,
                url=url,
                excerpt=limited(check, (*here, "excerpt"), one_line(as_text(entry.get("excerpt"))), "excerpt"),
                published=when,
                provider=_provider(check, (*here, "provider"), entry.get("provider"), is_extra=True),
                quality=quality if isinstance(quality, int) and not isinstance(quality, bool) else None,
            )
        )
    return tuple(related)


def _updated(check: FieldChecker, value: Any, published_at: datetime | None, tz: tzinfo) -> datetime | None:
    """The optional date of the last real change; it only informs feeds and the sitemap,
    so a bad one is a warning."""
    if value is None:
        return None
    updated = parse_datetime(value, tz)
    if updated is None:
        check.warn(("updatedDateTime",), f"{describe(value)} is not a date; {_DATE_EXAMPLE}; ignored")
        return None
    if not in_calendar(updated, tz):
        check.warn(("updatedDateTime",), f"{describe(value)} {_OUT_OF_RANGE}; ignored")
        return None
    if published_at is not None and updated < published_at:
        check.warn(("updatedDateTime",), "is earlier than publishedDateTime; ignored")
        return None
    return updated


def _body_line(raw: RawItem, text: str) -> int | None:
    """The file line of the first body line containing `text` (the body follows the closing `---`)."""
    first_body_line = raw.first_line + raw.front_matter.count("\n") + 1
    for offset, line in enumerate(raw.body.splitlines()):
        if text in line:
            return first_body_line + offset
    return None


def _names(check: FieldChecker, data: dict[str, Any]) -> tuple[str, ...]:
    """Jekyll's `category` / `categories` (one name or a list), for `:categories` in addresses."""
    names: list[str] = []
    for key in ("category", "categories"):
        value = data.get(key)
        values = value.split() if isinstance(value, str) and key == "categories" else value
        for entry in values if isinstance(values, list) else [values]:
            if entry is None:
                continue
            name = as_text(entry)
            if name is None or not name.strip():
                check.warn((key,), f"should be a name or a list of names, got {describe(value)}; ignored")
                break
            names.append(one_line(name))
    return tuple(dict.fromkeys(names))


def _old_addresses(check: FieldChecker, value: Any) -> tuple[str, ...]:
    """`redirect_from` (as the jekyll-redirect-from plugin reads it): addresses from the site
    root that should lead to this story's page."""
    if value is None:
        return ()
    values = value if isinstance(value, list) else [value]
    paths = []
    for index, entry in enumerate(values):
        here: FieldPath = ("redirect_from", index) if isinstance(value, list) else ("redirect_from",)
        path = urls.site_path_from_url(entry) if isinstance(entry, str) else None
        if path is None:
            check.warn(
                here, f"{describe(entry)} is not an address from the site root such as /2024/02/15/old/; ignored"
            )
            continue
        paths.append(path)
    return tuple(paths)


def _title_and_excerpt(check: FieldChecker, data: dict[str, Any]) -> tuple[str | None, str | None]:
    title = as_text(data.get("title"))
    if data.get("title") is None:
        check.error(("title",), "missing; every item needs a title")
    elif title is None or not title.strip():
        check.error(("title",), f"should be the headline as text, got {describe(data.get('title'))}")
    excerpt = as_text(data.get("excerpt"))
    if data.get("excerpt") is not None and excerpt is None:
        check.error(("excerpt",), f"should be text, got {describe(data.get('excerpt'))}")
    return title, excerpt


def _published_at(check: FieldChecker, value: Any, tz: tzinfo) -> datetime | None:
    published_at = parse_datetime(value, tz)
    if value is None:
        check.error(("publishedDateTime",), f"missing; every item needs its publication date ({_DATE_EXAMPLE})")
    elif published_at is None:
        check.error(("publishedDateTime",), f"{describe(value)} is not a date; {_DATE_EXAMPLE}")
    elif not in_calendar(published_at, tz):
        check.error(("publishedDateTime",), f"{describe(value)} {_OUT_OF_RANGE}")
        return None
    return published_at


def _heat(check: FieldChecker, value: Any) -> int | None:
    """0 or more; -1 is the archives' way of saying unknown."""
    heat = _score(check, ("heat",), value, -1, None)
    return None if heat == -1 else heat


def _published_flag(check: FieldChecker, value: Any) -> bool:
    if not isinstance(value, bool):
        check.error(("published",), f"should be true or false, got {describe(value)}")
    return bool(value)


def _summary(check: FieldChecker, max_bytes: int) -> str:
    """The body as safe HTML; each link it had to refuse is a warning on its line. A body
    over the budget is shown as plain text: Markdown's cost grows with its structure (a
    wide table of 2 MB takes a minute and gigabytes), plain text's only with its size."""
    raw = check.raw
    size = len(raw.body.encode("utf-8"))
    if size > max_bytes:
        check.problems.append(
            ContentProblem(
                raw.source.display,
                _body_line(raw, raw.body.strip().splitlines()[0]) if raw.body.strip() else None,
                "summary",
                f"is {size / 1024:.0f} KB, over the {max_bytes // 1024} KB budget for Markdown "
                "(max_summary_kb in site.toml); shown as plain text",
                is_error=False,
            )
        )
        return plain_text_html(clean_text(raw.body))
    summary_html, refused_links = render_summary(clean_text(raw.body))
    for url in refused_links:
        problem = ContentProblem(
            raw.source.display,
            _body_line(raw, url),
            "summary",
            f"the link to {describe(url)} is not a web, mail or relative address; left as text",
            is_error=False,
        )
        check.problems.append(problem)
    return summary_html


def _fields(check: FieldChecker, tz: tzinfo, max_summary_bytes: int) -> dict[str, Any]:
    """Every field of an item but its addresses, checked; problems go to `check`."""
    data = check.raw.data
    title, excerpt = _title_and_excerpt(check, data)
    published_at = _published_at(check, data.get("publishedDateTime"), tz)
    original_url = _web_url(check, ("originalUrl",), data.get("originalUrl"))
    web_url = _web_url(check, ("webUrl",), data.get("webUrl"))
    fields = {
        "title": title,
        "excerpt": excerpt,
        "published_at": published_at,
        "updated_at": _updated(check, data.get("updatedDateTime"), published_at, tz),
        "original_url": original_url,
        "web_url": web_url,
        "type": as_text(data.get("type")) or "article",
        "quality": _score(check, ("quality",), data.get("quality"), 0, None),
        "heat": _heat(check, data.get("heat")),
        "published": _published_flag(check, data.get("published", True)),
        "provider": _provider(check, ("provider",), data.get("provider"))
        or _provider_from_url(original_url or web_url),
        "topics": _topics(check, data.get("topics")),
        "images": image_list(check, ("images",), data.get("images")),
        "related": _related(check, data.get("related"), tz),
    }
    fields["categories"] = _names(check, data)
    fields["old_addresses"] = _old_addresses(check, data.get("redirect_from"))
    _duplicate_keys(check)
    fields["summary_utf8"] = _summary(check, max_summary_bytes).encode("utf-8", "surrogatepass")
    return fields


def validate(
    raw: RawItem,
    tz: tzinfo,
    addresses: urls.AddressRules = urls.DEFAULT_ADDRESSES,
    max_summary_bytes: int = DEFAULT_MAX_SUMMARY_BYTES,
) -> LoadResult:
    """Check every field of a parsed file and build the `Item`, or reject it."""
    check = FieldChecker(raw)
    fields = _fields(check, tz, max_summary_bytes)
    title, published_at = fields["title"], fields["published_at"]
    if check.failed or title is None or published_at is None:
        return LoadResult(raw.source, None, tuple(check.problems))
    fields["title"] = title = limited(check, ("title",), one_line(title), "title")
    fields["excerpt"] = limited(check, ("excerpt",), one_line(fields["excerpt"]), "excerpt")
    relative = raw.source.relative
    slug = (
        urls.slug_from_file_name(PurePosixPath(relative).stem)
        or urls.slugify(title)
        or f"item-{urls.short_hash(relative)}"
    )
    local, categories, collection = published_at.astimezone(tz), fields.pop("categories"), raw.source.collection
    path = addresses.page(local, slug, categories, collection)
    aliases = (*addresses.redirects(local, slug, categories, collection), *fields.pop("old_addresses"))
    aliases = tuple(alias for alias in dict.fromkeys(aliases) if alias != path)
    item = Item(source=relative, slug=slug, path=path, aliases=aliases, **fields)
    return LoadResult(raw.source, item, tuple(check.problems))
