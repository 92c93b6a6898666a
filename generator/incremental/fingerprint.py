"""Which pages a warm build must render: those whose planned payload changed.

A page's bytes are a function of its payload (the template's context, or a feed's,
sitemap's or API document's data), its template and the code. So when the templates,
settings and code are as the last build left them, a page whose payload digest equals the
one recorded for its file at the last build would be rendered to the same bytes, and the
file the last build wrote is kept. Adding a story then renders its page, the front pages
of its lists, its feeds and the indexes, not the site.

The digest walks the payload as the renderer sees it: text, numbers, dates, dataclasses
(the views), tuples, dicts, bytes (an item's body). Each view is digested once however
many pages show it, and a loaded item by the digest of the file it was loaded from
(`file_item_digest`), which the content cache keeps beside it (see `cache.CachedLoad`). A
`Deferred` text is digested by its recipe (the function's name and its arguments), not
made: making it is the renderer's work. Two argument types stand for the configuration
rather than for content (the plan context and the feed-entry maker): they are digested by
their type, which is safe because a change of settings, templates or code never reuses
digests. A value of any other type makes the digest fail, and the build renders every page.

A story's own objects (its view, feed entry, API entry and document, email story, search
entry and page context) are not read: each `plan.derived.Later` says what its object is
made from, and that is digested instead: the story, and what the site says of its topics
and sources. A story met anywhere else (an edition, a unit's arguments) is digested with
the same facts. Those inputs are worked out once per story and looked up wherever the story
is met; a story's page and its API document, which nothing else holds, are written as what
they are made from, without a digest of their own, and so is each sitemap entry.

A unit (`plan.page.Unit`) is digested before it is planned, by its call and arguments
(`Digests.unit_key`): equal keys, under the same setup, plan the same pages (see
`incremental.units`).
"""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import json
import os
import sys
from collections.abc import Callable, Mapping, Sequence
from datetime import date, datetime
from functools import partial
from pathlib import Path
from typing import Any

from ..escape import Deferred
from ..model import Story
from ..plan.channels import EntryMaker
from ..plan.context import PlanContext
from ..plan.derived import Derived, Later
from ..plan.feed_model import SitemapEntry
from ..plan.page import Html, JsonFile, Kept, Page, Unit
from ..plan.sections.api import Catalog

_FORMAT = 3
# The most sys.getrefcount gives, inside `shared`, for a value that one container alone
# holds: the container, the loop variable that reached it, the arguments of `value` and
# `shared`, and getrefcount's own. (A value two views hold, such as an email's two parts'
# one `EmailView`, gives 6 and is remembered.) Such a value is digested once anyway, so
# remembering its digest would only cost memory (at 100,000 items, hundreds of MB). A
# wrong guess costs time or memory, never a wrong digest.
_ONE_HOLDER = 5
# Arguments of a deferred text that stand for the configuration, not for content.
_CONFIGURATION = (PlanContext, EntryMaker, Catalog)
# A story's fields that a story of one item shares with that item (see `Story.single`).
_AS_LEAD = frozenset({"topics", "related"})


class NotDigestible(TypeError):
    """A payload holds a value whose content the digest cannot see."""


class Digests:
    """Payload digests of one plan, each shared value digested once."""

    def __init__(self, derived: Derived | None = None, known: Sequence[tuple[Any, bytes]] = ()) -> None:
        self.facts = derived.facts if derived is not None else None
        # Values digested before (the cached items, see `cache.ContentCache.item_digests`),
        # held here so that no id is reused while the memo lives.
        self.known = known
        self.memo: dict[int, bytes] = {id(value): digest for value, digest in known}
        self.inputs: dict[int, bytes] = {}  # by story (each held by the plan, so its id stays its own)
        self.tagged: dict[int, bytes] = {}  # the same, as a story is written where it is met
        self.topic_digests: dict[str, bytes] = {}  # by name (see `site_says`)
        self.source_digests: dict[str, bytes] = {}  # by key
        self.kinds: dict[type, Callable[[Any], bytes]] = {}
        self.shared_values = self.shared  # the encoder of every type `shared` digests (see `sequence`)
        self.composers: dict[type, Callable[[Any], bytes]] = {}

    def page(self, page: Page) -> str:
        payload = page.payload
        kind = type(payload)
        if kind is Kept:  # planned as at the last build (see `incremental.units`)
            return payload.digest
        head = f"{page.output}\0{kind.__name__}\0".encode()
        return hashlib.blake2b(head + self.payload(payload, kind), digest_size=16).hexdigest()

    def payload(self, payload: Any, kind: type) -> bytes:
        """A page's payload. A story's page and its API document (a `Later` that no other
        page holds, see `derived.SHOWN_ONCE`) are written as what their object is made
        from, without a digest of their own: they are a third of a site's pages."""
        if kind is Html:
            context = payload.context
            if type(context) is Later:
                return b"H" + _text(payload.template) + self.composite(context)
        elif kind is JsonFile:
            document = payload.document
            if type(document) is Later:
                return b"J" + self.composite(document)
        return self.value(payload)

    def unit_key(self, unit: Unit) -> str:
        """What a unit's pages are made from: its call, and its arguments, each story among
        them by its inputs (the story and what the site says of its topics and sources, as
        for a story's objects). The context is written as its type, as in a recipe."""
        if self.facts is None:
            raise NotDigestible("a unit, without the site's facts to digest its stories by")
        make = unit.make
        parts = [_text(f"{make.func.__module__}.{make.func.__qualname__}")]
        parts += [self.value(value) for value in make.args]
        for name, value in sorted(make.keywords.items()):
            parts += [_text(name), self.value(value)]
        return hashlib.blake2b(b"".join(parts), digest_size=16).hexdigest()

    def value(self, value: Any) -> bytes:
        encode = self.kinds.get(type(value))
        if encode is None:
            encode = self.kinds[type(value)] = self.encoder(type(value))
        return encode(value)

    def encoder(self, kind: type) -> Callable[[Any], bytes]:
        """How values of one type are written, decided once per type."""
        if issubclass(kind, str):  # Markup too
            return _text
        if kind is bytes:  # an item's body (`Item.summary_utf8`)
            return _bytes
        if kind in (bool, int, float, type(None)):
            return _number
        if issubclass(kind, datetime | date):
            return _moment
        if kind is tuple or kind is list:
            return self.sequence
        if kind is frozenset:
            return lambda items: b"(" + b"".join(sorted(self.value(item) for item in items)) + b")"
        if kind is SitemapEntry:  # one sitemap holds each: written in place, not digested apart
            return lambda entry: b"E" + _text(entry.url) + self.value(entry.lastmod)
        if kind is Story and self.facts is not None:
            # Wherever a story is (a unit's arguments, an edition), so is what the site says
            # of its topics and sources, which its objects show.
            return self.tagged_story
        return self.shared_values

    def sequence(self, items: Sequence[Any]) -> bytes:
        """A tuple or list, as its items' values in a row. Most items of the long ones (a
        list's stories, their views) were digested before: a story's inputs, or the digest
        `shared` remembers, are looked up here before anything else is called."""
        memo, tagged, kinds, value, shared = self.memo, self.tagged, self.kinds, self.value, self.shared_values
        parts = [b"("]
        for item in items:
            kind = type(item)
            if kind is Story:
                known = tagged.get(id(item)) or value(item)
            elif kinds.get(kind) is shared:
                known = memo.get(id(item)) or value(item)
            else:
                known = value(item)
            parts.append(known)
        parts.append(b")")
        return b"".join(parts)

    def shared(self, value: Any) -> bytes:
        """A view, a model object, a dict or a deferred text: digested once, by identity,
        while the plan (which holds every one of them, unchanged) lives."""
        known = self.memo.get(id(value))
        if known is None:
            known = self.hashed(value)
            if sys.getrefcount(value) > _ONE_HOLDER:
                self.memo[id(value)] = known
        return known

    def hashed(self, value: Any) -> bytes:
        """A value's own digest: its parts, hashed."""
        return b"#" + hashlib.blake2b(self.composite(value), digest_size=16).digest()

    def composite(self, value: Any) -> bytes:
        compose = self.composers.get(type(value))
        if compose is None:
            compose = self.composers[type(value)] = self.composer(type(value))
        return compose(value)

    def composer(self, kind: type) -> Callable[[Any], bytes]:
        """How the parts of a shared value of one type are written, decided once per type
        (a digest walks some 250,000 of them at 10,000 items)."""
        if kind is Later:  # a story's object (see `plan.derived`): named by what it is made from
            return self.later_composer()
        if issubclass(kind, Mapping):  # an API story entry is one dict on every list that has it
            return lambda mapping: (
                b"{" + b"".join([self.value(key) + self.value(item) for key, item in mapping.items()]) + b"}"
            )
        if issubclass(kind, _CONFIGURATION):
            name = kind.__name__.encode()
            return lambda _: name
        if issubclass(kind, Deferred):
            return lambda deferred: b"deferred" + self.recipe(deferred._make)
        if dataclasses.is_dataclass(kind):
            return self.dataclass_composer(kind)

        def refuse(value: Any) -> bytes:
            raise NotDigestible(f"cannot digest a {type(value).__name__}")

        return refuse

    def later_composer(self) -> Callable[[Later[Any]], bytes]:
        """A story's object by its kind, its detail (mostly text) and its story's inputs."""
        kinds: dict[str, bytes] = {}

        def compose(later: Later[Any]) -> bytes:
            kind = kinds.get(later.kind)
            if kind is None:
                kind = kinds[later.kind] = b"made:" + _text(later.kind)
            detail = later.detail
            written = _text(detail) if type(detail) is str else self.value(detail)
            return kind + written + self.story_inputs(later.story)

        return compose

    def dataclass_composer(self, kind: type) -> Callable[[Any], bytes]:
        names = tuple(field.name for field in dataclasses.fields(kind))
        head = kind.__name__.encode()
        if kind is Story:
            return self.story_composer(names, head)

        def compose(value: Any) -> bytes:
            parts = [head]
            for name in names:
                # Bound to a name first, as a tuple's items are by its loop: a value then has
                # as many references (see `_ONE_HOLDER`) however it was reached.
                field = getattr(value, name)
                parts.append(self.value(field))
            return b"".join(parts)

        return compose

    def story_composer(self, names: tuple[str, ...], head: bytes) -> Callable[[Story], bytes]:
        """A story is written as any dataclass is, but for the topics and related coverage it
        shares with its lead item (a story of one item does, see `Story.single`): the lead,
        written first, covers them, so they are written as a mark (`=`, which starts no
        other value) instead of being walked again. That is some 40,000 values at 10,000
        items, a fifth of what a warm build digests."""

        def compose(story: Story) -> bytes:
            parts = [head]
            lead = story.lead
            for name in names:
                field = getattr(story, name)
                if name in _AS_LEAD and field is getattr(lead, name):
                    parts.append(b"=")
                else:
                    parts.append(self.value(field))
            return b"".join(parts)

        return compose

    def tagged_story(self, story: Story) -> bytes:
        known = self.tagged.get(id(story))
        if known is None:
            known = self.tagged[id(story)] = b"S" + self.story_inputs(story)
        return known

    def story_inputs(self, story: Story) -> bytes:
        """A story and what the site says of its topics and sources: all its objects are made from."""
        known = self.inputs.get(id(story))
        if known is None:
            if self.facts is None:
                raise NotDigestible("a story's object, without the site's facts to digest it by")
            # The story's own digest is kept here, not in the memo: it is read through this alone.
            known = self.inputs[id(story)] = self.hashed(story) + self.site_says(story)
        return known

    def site_says(self, story: Story) -> bytes:
        """What the site says of a story's topics and sources (`SiteFacts`): each topic's
        and source's digest, looked up by its name or key (the site's facts hold each one
        for the whole build). A digest is `#` and 16 bytes and a missing page is `nNone;`, so
        the two rows, between `(`, `|` and `)`, read back one way only."""
        facts, topics, sources = self.facts, self.topic_digests, self.source_digests
        assert facts is not None  # `story_inputs` checked
        parts = [b"("]
        for name in story.topics:
            known = topics.get(name)
            if known is None:
                known = topics[name] = self.value(facts.topics.get(name))
            parts.append(known)
        parts.append(b"|")
        for key in facts.source_keys(story):
            known = sources.get(key)
            if known is None:
                known = sources[key] = self.value(facts.providers.get(key))
            parts.append(known)
        parts.append(b")")
        return b"".join(parts)

    def recipe(self, make: Any) -> bytes:
        if isinstance(make, partial):
            return self.recipe(make.func) + self.value(make.args) + self.value(make.keywords)
        owner = getattr(make, "__self__", None)
        name = getattr(make, "__qualname__", None)
        if name is None:
            raise NotDigestible(f"cannot digest the recipe {make!r}")
        return name.encode() + (self.composite(owner) if owner is not None else b"")


def file_item_digest(file_digest: str, origin: tuple[str, ...], settings: str) -> bytes:
    """The digest that names a loaded item in page digests: that of the file's bytes, where
    it is, under the settings it was loaded with (see `cache.CachedLoad`).

    Loading is a function of those alone, so the same file gives the same item and the
    same digest, and a file changed in any byte gives a new one (an edit that leaves the
    item as it was only renders its pages again). Walking the item instead costs about
    7 % of loading it, in every cold build. The text it is made from starts unlike any
    value `Digests` writes, so it cannot stand for anything but this file's item.
    """
    named = "\0".join(("file", file_digest, *origin, settings)).encode("utf-8", "surrogatepass")
    return b"#" + hashlib.blake2b(named, digest_size=16).digest()


def _text(value: str) -> bytes:
    data = value.encode("utf-8", "surrogatepass")
    return b"s%d:" % len(data) + data


def _bytes(value: bytes) -> bytes:
    return b"b%d:" % len(value) + value


def _number(value: object) -> bytes:
    return b"n" + repr(value).encode() + b";"


def _moment(value: date) -> bytes:
    return b"d" + value.isoformat().encode() + b";"


def page_digests(
    pages: Sequence[Page],
    derived: Derived | None = None,
    known: Sequence[tuple[Any, bytes]] = (),
    digests: Digests | None = None,
) -> dict[str, str] | None:
    """Each page's payload digest by its output file; None when some payload cannot be
    digested. With `derived`, a story's objects are named by what they are made from;
    `known` gives values digested before (see `Digests`). `digests`: the plan's own, which
    digested its units' inputs (and every story's) already."""
    if digests is None:
        digests = Digests(derived, known)
    try:
        return {page.output: digests.page(page) for page in pages}
    except NotDigestible:
        return None


def changed_pages(pages: Sequence[Page], now: Mapping[str, str], before: Mapping[str, str]) -> frozenset[int]:
    """The positions of the pages whose payload is new or differs from the last build's."""
    return frozenset(number for number, page in enumerate(pages) if before.get(page.output) != now[page.output])


def digests_file(state_file: Path) -> Path:
    return state_file.with_name(state_file.name.replace("state-", "pages-").replace(".sealed", ".json"))


@dataclasses.dataclass(frozen=True)
class Recorded:
    """What a successful build leaves for the next: each page's payload digest by its file,
    and the pages of each unit by the unit's key (see `incremental.units`)."""

    pages: dict[str, str]
    units: dict[str, list[list[Any]]] = dataclasses.field(default_factory=dict)


def read_digests(path: Path) -> Recorded | None:
    """The last build's digests, or None when there are none to trust."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict) or data.get("format") != _FORMAT or not isinstance(data.get("pages"), dict):
        return None
    units = data.get("units")
    return Recorded(
        {str(key): str(value) for key, value in data["pages"].items()}, units if isinstance(units, dict) else {}
    )


def write_digests(path: Path, digests: Mapping[str, str], units: Mapping[str, list[list[Any]]] | None = None) -> None:
    """Record a successful build's digests; without them the next build renders every page."""
    temporary = path.with_name(f"{path.name}.{os.getpid()}.new")
    data = {"format": _FORMAT, "pages": dict(digests), "units": dict(units or {})}
    with contextlib.suppress(OSError):
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary.write_text(json.dumps(data, separators=(",", ":")), "utf-8")
        temporary.replace(path)


def forget_digests(path: Path) -> None:
    with contextlib.suppress(OSError):
        path.unlink()
