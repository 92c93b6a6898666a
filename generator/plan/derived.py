"""What each story's own objects in the plan are made from.

A story reaches many pages through objects made for it once: its view (its card, its page),
its feed entry, its API entry, its email story. Each is made from the story and from what
the site knows of the topics and sources it names: their names, slugs, logos and data
folder text (never their lists of stories). The plan notes that here, so that a page digest
(`incremental.fingerprint`) names such an object by what it is made from, the story's
digest and those facts, instead of reading all of it: at 10,000 items, reading them was
most of a warm build's digest.

An object noted here must be made from nothing but its story, the facts `SiteFacts.of`
gives for it, and the settings, code and templates (a warm build never reuses a digest
across those). The warm-equals-cold tests in `tests/test_incremental.py` change each input:
a story's file, a source renamed by a newer item, an outlet joining a story, a new topic.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterator
from dataclasses import dataclass, replace
from typing import Any, Generic, TypeVar

from ..model import Provider, ProviderRef, Site, Story, Topic

Made = TypeVar("Made")
# The kinds of objects made from one story: its view, its feed entry, its API entry and
# document, its story in an email, its search index entry.
KINDS = frozenset({"view", "feed entry", "API entry", "API document", "email story", "search entry"})


class SiteFacts:
    """The topics and sources as a story's objects may show them, without their stories."""

    def __init__(self, site: Site) -> None:
        self.topics: dict[str, Topic] = {topic.name: replace(topic, stories=()) for topic in site.topics}
        self.providers: dict[str, Provider] = {
            provider.key: replace(provider, stories=()) for provider in site.providers
        }

    def of(self, story: Story) -> tuple[tuple[Topic | None, ...], tuple[Provider | None, ...]]:
        """The topics a story names and every source it mentions (its members' and its related
        coverage's), as the site knows them; None where the site has no page for one."""
        keys = dict.fromkeys(ref.key for ref in _sources(story))
        return tuple(self.topics.get(name) for name in story.topics), tuple(self.providers.get(key) for key in keys)


def _sources(story: Story) -> Iterator[ProviderRef]:
    for member in story.members:
        if member.provider is not None:
            yield member.provider
    for related in story.related:
        if related.provider is not None:
            yield related.provider


_UNMADE = object()


class Later(Generic[Made]):
    """A story's object, made the first time something reads it: while planning, nothing
    does, so a warm build makes the objects of the pages it renders and no others.

    It stands for the object it makes: its attributes are read through it, and a template
    error names the object's class, not this one (`render.jinja`). `later.made()` gives
    the object itself, for code that needs it whole (the JSON writer). Objects are made at most once, in the
    process that renders; `Derived.make_all` makes all of them before worker processes
    start, so workers share them instead of each making their own.
    """

    __slots__ = ("_made", "_make")

    def __init__(self, make: Callable[[], Made]) -> None:
        self._make = make
        self._made: Any = _UNMADE

    def made(self) -> Made:
        if self._made is _UNMADE:
            self._made = self._make()
        return self._made

    @property
    def is_made(self) -> bool:
        return self._made is not _UNMADE

    def __getattr__(self, name: str) -> Any:
        return getattr(self.made(), name)


def made(value: Any) -> Any:
    """The object a `Later` stands for; any other value as it is."""
    return value.made() if type(value) is Later else value


@dataclass(frozen=True, slots=True)
class MadeFrom:
    kind: str  # one of `KINDS`
    story: Story
    detail: Hashable  # what else sets it apart among its story's objects of its kind (an email's number)
    made: object  # held, so its id names nothing else while the plan lives


class Derived:
    """The objects of one plan that were made from a story, by id, and the site's facts."""

    def __init__(self, facts: SiteFacts | None = None) -> None:
        self.made_from: dict[int, MadeFrom] = {}
        self.facts = facts

    def later(self, kind: str, story: Story, make: Callable[[], Made], detail: Hashable = "") -> Later[Made]:
        """The object `make` gives, made when first read, noted as made from `story`."""
        if kind not in KINDS:
            raise KeyError(f"not a kind of story object: {kind!r}")
        later = Later(make)
        if self.facts is not None:
            self.made_from[id(later)] = MadeFrom(kind, story, detail, later)
        return later

    def make_all(self) -> None:
        for noted in self.made_from.values():
            if type(noted.made) is Later:
                noted.made.made()
