"""What each story's own objects in the plan are made from.

A story reaches many pages through objects made for it once: its view (its card), its
feed entry, its API entry and document, its email story, its search entry, its page's
context. Each is made from the story and from what the site knows of the topics and
sources it names: their names, slugs, logos and data folder text (never their lists of
stories). The plan holds each as a `Later`, which says what it is made from and makes it
only when something reads it: a page digest (`incremental.fingerprint`) reads what it is
made from instead of the object, and a warm build makes only the objects of the pages it
renders. At 10,000 items, making and digesting every story's objects was most of the
planning and digesting of a warm build.

A `Later`'s object must be made from nothing but its story, its `detail`, the facts
`SiteFacts` holds for the story's topics and sources, and the settings, code and templates
(a warm build never reuses a digest across those). The warm-equals-cold tests in
`tests/test_incremental.py` change each input: a story's file, a source renamed by a newer
item, an outlet joining a story, a new topic.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import replace
from typing import Any, Generic, TypeVar

from ..model import Provider, ProviderRef, Site, Story, Topic

Made = TypeVar("Made")
# The kinds of objects made from one story: its view, its feed entry, its API entry and
# document, its story in an email, its search index entry, its page's context.
KINDS = frozenset({"view", "feed entry", "API entry", "API document", "email story", "search entry", "story page"})
# The kinds that one page alone shows (a story's page context, its API document): made when
# that page is rendered and not kept. Kept, every story's copy of its summary in them stayed
# in memory until the build ended, and in the parent process (`Derived.make_all`) they were
# copied into each worker as it touched them.
SHOWN_ONCE = frozenset({"API document", "story page"})


class SiteFacts:
    """The topics and sources as a story's objects may show them, without their stories."""

    def __init__(self, site: Site) -> None:
        self.topics: dict[str, Topic] = {topic.name: replace(topic, stories=()) for topic in site.topics}
        self.providers: dict[str, Provider] = {
            provider.key: replace(provider, stories=()) for provider in site.providers
        }

    @staticmethod
    def source_keys(story: Story) -> Iterable[str]:
        """The key of every source a story mentions (its members' and its related coverage's),
        once each, in the order `_sources` meets them. With `story.topics`, these name what
        the site knows of a story: `topics` and `providers` by name and key, None where the
        site has no page for one."""
        return dict.fromkeys(ref.key for ref in _sources(story))


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
    error names the object's class, not this one (`render.jinja`). `later.made()` gives the
    object itself, for code that needs it whole (the JSON writer). It also says what the
    object is made from, which is what a page digest reads of it. An object is made at most
    once, in the process that renders; `Derived.make_all` makes all of them before worker
    processes start, so that they share them instead of each making their own. The object
    of a kind that one page alone shows (`SHOWN_ONCE`) is made each time it is read, and
    never kept: its page reads it once.
    """

    __slots__ = ("_made", "_make", "detail", "kind", "story")

    def __init__(self, kind: str, story: Story, detail: object, make: Callable[[], Made]) -> None:
        self.kind = kind  # one of `KINDS`
        self.story = story
        self.detail = detail  # what else it is made from, besides its story (an email's number)
        self._make = make
        self._made: Any = _UNMADE

    def made(self) -> Made:
        if self._made is _UNMADE:
            made = self._make()
            if self.kind in SHOWN_ONCE:
                return made
            self._made = made
        return self._made

    @property
    def is_made(self) -> bool:
        return self._made is not _UNMADE

    def __getattr__(self, name: str) -> Any:
        return getattr(self.made(), name)


def made(value: Any) -> Any:
    """The object a `Later` stands for; any other value as it is."""
    return value.made() if type(value) is Later else value


class Derived:
    """Every story's object of one plan, and the site's facts they are made from."""

    def __init__(self, facts: SiteFacts | None = None) -> None:
        self.laters: list[Later[Any]] = []
        self.facts = facts

    def later(self, kind: str, story: Story, make: Callable[[], Made], detail: object = "") -> Later[Made]:
        """The object `make` gives, made when first read, from `story`, its facts and `detail`."""
        if kind not in KINDS:
            raise KeyError(f"not a kind of story object: {kind!r}")
        later = Later(kind, story, detail, make)
        self.laters.append(later)
        return later

    def make_all(self) -> None:
        """Make every object that more than one page shows (see `SHOWN_ONCE`)."""
        for later in self.laters:
            if later.kind not in SHOWN_ONCE:
                later.made()
