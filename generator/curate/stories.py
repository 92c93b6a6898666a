"""One story, many outlets: group items that report the same story, and pick its page.

Feeds carry the same story several times: the same article under two addresses, or the
same headline from different outlets a day or two apart. Items whose normalized addresses
match, or whose normalized titles match within `window_days`, form one story. Its page is
the best item's (highest quality, then earliest); the others are listed on it as "Also
covered by", and their own addresses become redirects to it, so no shared link breaks.

Linear in the number of items: addresses and titles are looked up in dictionaries and
only items with the same title are compared, in date order.
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from collections.abc import Callable, Iterable, MutableMapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, tzinfo
from itertools import pairwise
from typing import Any
from urllib.parse import SplitResult, parse_qsl, urlencode, urlsplit

from ..model import Item, Redirect, Related, Story

# Query parameters that only say where a reader came from, never which article it is.
_TRACKING_PREFIXES = ("utm_", "_hs", "mc_", "at_", "pk_", "mtm_")
_TRACKING_NAMES = frozenset(
    {"fbclid", "gclid", "dclid", "msclkid", "yclid", "igshid", "ref", "ref_src", "ref_url", "cmpid", "ocid", "smid"}
    | {"taid", "mkt_tok", "spm", "s_cid", "share", "src", "source", "campaign", "guccounter", "guce_referrer"}
)
_NOT_A_WORD = re.compile(r"[\W_]+")
_MIN_TITLE_WORDS = 3  # "AI news" twice in three days is two stories
# Share of headline words two addresses of one host must have in common to be one article.
_SAME_HEADLINE = 0.75


def _is_tracking(name: str) -> bool:
    return name.lower() in _TRACKING_NAMES or name.lower().startswith(_TRACKING_PREFIXES)


def clean_url(url: str) -> str:
    """An address without its tracking parameters, otherwise as given."""
    parts = urlsplit(url)
    pairs = parse_qsl(parts.query, keep_blank_values=True)
    kept = [(name, value) for name, value in pairs if not _is_tracking(name)]
    return url if kept == pairs else parts._replace(query=urlencode(kept)).geturl()


def url_key(url: str) -> str:
    """An address as a story identity: no scheme, `www.`, case of host, trailing slash,
    fragment or tracking parameters; remaining parameters sorted."""
    return _key_and_host(url)[0]


def _key_and_host(url: str) -> tuple[str, str]:
    """`url_key` and `_host` of one address, which is split once for both."""
    parts = urlsplit(url.strip())
    host = _host_of(parts)
    port = parts.port
    path = parts.path.rstrip("/")
    query = (
        sorted(
            (name, value) for name, value in parse_qsl(parts.query, keep_blank_values=True) if not _is_tracking(name)
        )
        if parts.query
        else ()
    )
    key = f"{host}{f':{port}' if port and port not in (80, 443) else ''}{path}{'?' + urlencode(query) if query else ''}"
    return key, host


def title_key(title: str) -> str:
    """A headline as a story identity: case, accents, punctuation and spacing ignored."""
    if title.isascii():  # most headlines: nothing to decompose, no accent to drop
        return " ".join(_NOT_A_WORD.sub(" ", title.casefold()).split())
    decomposed = unicodedata.normalize("NFKD", title.casefold())
    letters = "".join(char for char in decomposed if not unicodedata.combining(char))
    return " ".join(_NOT_A_WORD.sub(" ", letters).split())


@dataclass(frozen=True, slots=True)
class Stories:
    stories: tuple[Story, ...]  # newest first (by their lead items)
    redirects: tuple[Redirect, ...]  # by path


class _Groups:
    """Union-find over item positions."""

    def __init__(self, size: int) -> None:
        self.parent = list(range(size))

    def find(self, index: int) -> int:
        while self.parent[index] != index:
            self.parent[index] = self.parent[self.parent[index]]
            index = self.parent[index]
        return index

    def join(self, a: int, b: int) -> None:
        root_a, root_b = self.find(a), self.find(b)
        if root_a != root_b:
            self.parent[max(root_a, root_b)] = min(root_a, root_b)


def _best_first(items: Iterable[Item]) -> list[Item]:
    def rank(item: Item) -> tuple[int, datetime, str]:
        return (-(item.quality if item.quality is not None else -1), item.published_at, item.source)

    return sorted(items, key=rank)


class Keys:
    """`url_key` and host of each address, and `title_key` of each headline, worked out once.

    Grouping reads each item's addresses and headline, and merging related coverage reads
    them again with every related article's: splitting addresses and folding headlines was
    most of curating a warm build. They are pure functions of their text, so `kept` (see
    `incremental.kept`) may hold them from an earlier build."""

    def __init__(self, kept: MutableMapping[bytes, Any] | None = None) -> None:
        self.kept: MutableMapping[bytes, Any] = {} if kept is None else kept

    def url(self, url: str) -> tuple[str, str]:
        """(`url_key`, host) of an address."""
        return self.recall(b"url\0", url, _key_and_host)

    def title(self, title: str) -> str:
        return self.recall(b"title\0", title, title_key)

    def recall(self, kind: bytes, text: str, work_out: Callable[[str], Any]) -> Any:
        """`work_out(text)`, kept under `kind` and `text`: it must be a pure function of them."""
        name = kind + text.encode("utf-8", "surrogatepass")
        found = self.kept.get(name)
        if found is None:
            found = self.kept[name] = work_out(text)
        return found

    def words(self, title: str) -> frozenset[str]:
        return frozenset(self.title(title).split())


def _same_article(a_host: str, a_words: frozenset[str], b_host: str, b_words: frozenset[str]) -> bool:
    """One outlet's article under two addresses (`ais-not-just-...` and `ai-is-not-just-...`):
    the same host and nearly the same headline words."""
    if a_host != b_host or not a_words or not b_words:
        return False
    return len(a_words & b_words) / len(a_words | b_words) >= _SAME_HEADLINE


def _host_of(parts: SplitResult) -> str:
    return (parts.hostname or "").lower().removeprefix("www.")


def merged_related(members: Sequence[Item], keys: Keys | None = None) -> tuple[Related, ...]:
    """Every member's related coverage once, leaving out the members' own articles (by
    normalized address, or by host and headline) and repeats of one article."""
    keys = keys or Keys()
    seen = {keys.url(url)[0] for member in members for url in (member.original_url, member.web_url) if url}
    known = [
        (keys.url(url)[1], keys.words(member.title))
        for member in members
        for url in dict.fromkeys((member.original_url, member.web_url))
        if url
    ]
    related = []
    for member in members:
        for entry in member.related:
            (key, host), words = keys.url(entry.url), keys.words(entry.title)
            if key in seen or any(_same_article(host, words, *other) for other in known):
                continue
            seen.add(key)
            known.append((host, words))
            related.append(entry)
    if len(members) == 1 and len(related) == len(members[0].related):
        return members[0].related  # all of it, as it was: shared, so digests know it (see `Story.single`)
    return tuple(related)


def own_related(item: Item, keys: Keys) -> tuple[Related, ...]:
    """`merged_related` of a story of one item, the story of almost every item. It depends on
    the item's addresses and headline and its related coverage's alone, so `keys` keeps
    which entries stay under those texts: a warm build reads that instead of working it out
    again for every story (a tenth of curating at 10,000 items)."""
    texts = (item.original_url or "", item.web_url or "", item.title)
    texts += tuple(text for entry in item.related for text in (entry.url, entry.title))
    name = "".join(f"{len(text)}:{text}" for text in texts)  # lengths first: no two lists give one name
    staying = keys.recall(b"own related\0", name, lambda _: _staying(item))
    return item.related if len(staying) == len(item.related) else tuple(item.related[index] for index in staying)


def _staying(item: Item) -> tuple[int, ...]:
    """The positions of the item's related coverage that `merged_related` keeps (in order,
    so each of its entries is the first not yet matched). Worked out with keys of its own:
    the related articles' keys are not needed again, so the record does not keep them."""
    kept, positions = merged_related((item,)), []
    for index, entry in enumerate(item.related):
        if len(positions) < len(kept) and entry is kept[len(positions)]:
            positions.append(index)
    return tuple(positions)


_FILE_DATE = re.compile(r"(?:^|/)(\d{4}-\d{2}-\d{2})-[^/]*$")


def first_reported(members: Sequence[Item]) -> Item:
    """The member a story is known by in feeds: the first reported, by the date in its file
    name (`2024-02-15-….md`, which correcting `publishedDateTime` leaves alone), else its
    publication date; ties by file. A better outlet joining later changes the story's lead
    and page, never this."""

    def first(item: Item) -> tuple[str, str]:
        named = _FILE_DATE.search(item.source)
        return (named.group(1) if named else item.published_at.astimezone(UTC).date().isoformat(), item.source)

    return min(members, key=first)


def _story(group: Sequence[Item], keys: Keys) -> Story:
    """The items of one story as a `Story`: the best one leads, the others follow by date."""
    if len(group) == 1:
        return Story.single(group[0], own_related(group[0], keys))
    best, *others = _best_first(group)
    others.sort(key=lambda item: (item.published_at, item.source))
    members = (best, *others)
    heats = [member.heat for member in members if member.heat is not None]
    return Story(
        lead=best,
        coverage=tuple(others),
        topics=tuple(dict.fromkeys(topic for member in members for topic in member.topics)),
        heat=max(heats) if heats else None,  # a story is as hot as its hottest report
        related=merged_related(members, keys),
        founder=first_reported(members).source,
    )


def _days_apart(earlier: Item, later: Item, tz: tzinfo) -> int:
    """Calendar days in the site's time zone: Friday evening and Monday morning are 3 apart."""
    return (later.published_at.astimezone(tz).date() - earlier.published_at.astimezone(tz).date()).days


def group_stories(items: Sequence[Item], tz: tzinfo, window_days: int = 3, keys: Keys | None = None) -> Stories:
    """Items (newest first) as stories (newest first by their lead item), plus redirects."""
    keys = keys or Keys()
    groups = _Groups(len(items))
    by_url: dict[str, int] = {}
    by_title: dict[str, list[int]] = defaultdict(list)
    for index, item in enumerate(items):
        for url in (item.original_url, item.web_url):
            if url:
                key = keys.url(url)[0]
                if key in by_url:
                    groups.join(index, by_url[key])
                else:
                    by_url[key] = index
        key = keys.title(item.title)
        if len(key.split()) >= _MIN_TITLE_WORDS:
            by_title[key].append(index)
    for indexes in by_title.values():
        dated = sorted(indexes, key=lambda index: items[index].published_at)
        for earlier, later in pairwise(dated):
            if _days_apart(items[earlier], items[later], tz) <= window_days:
                groups.join(earlier, later)

    members: dict[int, list[Item]] = defaultdict(list)
    for index, item in enumerate(items):
        members[groups.find(index)].append(item)
    stories: list[Story] = []
    redirects: list[Redirect] = []
    for group in members.values():
        story = _story(group, keys)
        stories.append(story)
        redirects += [Redirect(other.source, other.path, story) for other in story.coverage if other.path != story.path]
        redirects += [Redirect(member.source, alias, story) for member in group for alias in member.aliases]
    stories.sort(key=lambda story: (-story.published_at.timestamp(), story.source))
    redirects.sort(key=lambda redirect: (redirect.path, redirect.source))
    return Stories(tuple(stories), tuple(redirects))
