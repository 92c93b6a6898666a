"""Group the stories into the site model: topics and providers with their stories.

Pure: the input order (newest first) is kept inside every group, so each list page of
the site is already sorted. What a topic or source is called and where its page lives
is decided once, by `directory`, from every loaded item (drafts and held-back ones too)
and the data folder, so showing drafts, another build time or `min_quality` never moves
a page.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, tzinfo

from .. import urls
from ..errors import ContentProblem
from ..model import (
    NO_DATA,
    Edition,
    Image,
    Item,
    Month,
    MoreOn,
    Provider,
    ProviderRef,
    Redirect,
    Site,
    SiteData,
    SourceInfo,
    Story,
    Topic,
    TopicInfo,
    Week,
)
from .topics import canonical_topic_names, topic_key

# Display sizes of a source's logo (CSS pixels): in bylines and lists, and on its own page.
# The image chosen is the smallest at least twice as large, for sharp high-density screens.
_SMALL_LOGO = 24
_LARGE_LOGO = 64


@dataclass(frozen=True)
class Directory:
    """The names and addresses of topics and sources, and what the data folder says of them."""

    topic_names: Mapping[str, str] = field(default_factory=dict)  # every spelling -> shown name
    topic_slugs: Mapping[str, str] = field(default_factory=dict)  # shown name -> slug
    provider_slugs: Mapping[str, str] = field(default_factory=dict)  # provider key -> slug
    topics: Mapping[str, TopicInfo] = field(default_factory=dict)  # topic_key -> its data
    sources: Mapping[str, SourceInfo] = field(default_factory=dict)  # provider key -> its data
    problems: tuple[ContentProblem, ...] = ()  # topic data files in a loop of parents


def _topics_by_key(data: SiteData) -> dict[str, TopicInfo]:
    """Each topic data file by the key of every name a `parent` may give it (its name, its ids)."""
    found: dict[str, TopicInfo] = {}
    for info in data.topics:
        for name in (info.name, *info.ids):
            found.setdefault(topic_key(name), info)
    return found


def _break_parent_loops(
    by_key: Mapping[str, TopicInfo], topics: Sequence[TopicInfo]
) -> tuple[dict[str, TopicInfo], list[ContentProblem]]:
    """`by_key` without the `parent` of each topic whose parents lead back to it, and a
    warning for each.

    A loop (AI under Robotics, Robotics under AI) has no top, so no page could say where
    its topics sit, and following it never ends. Each topic on it is shown at the top
    level instead; topics below the loop keep their parents."""
    problems, loose = [], set()
    for info in topics:
        chain, current = [info], info
        while current.parent:
            above = by_key.get(topic_key(current.parent))
            if above is None or any(above is seen for seen in chain[1:]):
                break  # the top, or a loop further up that does not pass through this topic
            if above is info:
                names = " → ".join(topic.name for topic in [*chain, info])
                problems.append(
                    ContentProblem(
                        info.source,
                        None,
                        "parent",
                        f"{info.parent!r} leads back to this topic ({names}); "
                        "a topic cannot sit under itself, so it is shown without a parent",
                        is_error=False,
                    )
                )
                loose.add(id(info))
                break
            chain.append(above)
            current = above
    unlooped = {key: replace(info, parent=None) if id(info) in loose else info for key, info in by_key.items()}
    return unlooped, problems


def directory(items: Iterable[Item], data: SiteData = NO_DATA, aliases: Mapping[str, str] = {}) -> Directory:
    """Names and slugs from `items` (all of them: drafts and held-back ones too) and `data`,
    whose topics' parents never lead in a loop (see `_break_parent_loops`)."""
    items = list(items)
    topic_names = canonical_topic_names(items, aliases, preferred=[topic.name for topic in data.topics])
    shown = sorted(set(topic_names.values()))
    topic_info, loops = _break_parent_loops(_topics_by_key(data), data.topics)
    sources = {domain: info for info in data.sources for domain in info.domains}
    return Directory(
        topic_names,
        urls.unique_slugs({name: name for name in shown}, prefix="topic"),
        _provider_slugs(items, sources),
        topic_info,
        sources,
        tuple(loops),
    )


def _provider_slugs(items: Sequence[Item], sources: Mapping[str, SourceInfo]) -> dict[str, str]:
    """A source's slug comes from its data file's name, else from the name most of its items
    give it (ties: the earliest), so neither a new item nor a draft renames its page."""
    names: dict[str, Counter[str]] = defaultdict(Counter)
    first_seen: dict[tuple[str, str], tuple[float, str]] = {}
    for item in items:
        ref = item.provider
        if ref is not None:
            names[ref.key][ref.name] += 1
            when = (item.published_at.timestamp(), item.source)
            first_seen[(ref.key, ref.name)] = min(first_seen.get((ref.key, ref.name), when), when)
    chosen = {
        key: sources[key].name if key in sources else min(counts, key=lambda n: (-counts[n], first_seen[(key, n)]))
        for key, counts in names.items()
    }
    return urls.unique_slugs(chosen, prefix="source")


def _by_name(name: str) -> tuple[str, str]:
    return (name.casefold(), name)


def _ancestor_with_page(name: str, known: Directory, has_page: set[str]) -> str | None:
    """The nearest topic above `name` (by the data folder's `parent`) that has a page. The
    directory's parents lead in no loop, so the climb ends."""
    info = known.topics.get(topic_key(name))
    while info is not None and info.parent:
        parent_info = known.topics.get(topic_key(info.parent))
        parent_name = known.topic_names.get(parent_info.name if parent_info else info.parent)
        parent_name = parent_name or (parent_info.name if parent_info else info.parent)
        if parent_name in has_page:
            return parent_name
        info = parent_info
    return None


def build_topics(stories: Sequence[Story], known: Directory | None = None) -> tuple[Topic, ...]:
    members: dict[str, list[Story]] = defaultdict(list)
    for story in stories:
        for name in story.topics:
            members[name].append(story)
    known = known or Directory()
    slugs = {**urls.unique_slugs({name: name for name in members}, prefix="topic"), **known.topic_slugs}
    has_page = set(members)
    parents = {name: _ancestor_with_page(name, known, has_page) for name in members}
    children: dict[str, list[str]] = defaultdict(list)
    for name, parent in parents.items():
        if parent is not None:
            children[parent].append(name)
    topics = []
    for name in sorted(members, key=_by_name):
        info = known.topics.get(topic_key(name))
        topics.append(
            Topic(
                name,
                slugs[name],
                tuple(members[name]),
                info.description if info else "",
                info.image if info else None,
                parents[name],
                tuple(sorted(children[name], key=_by_name)),
            )
        )
    return tuple(topics)


def _logo_for(images: Sequence[Image], size: int) -> Image | None:
    """The smallest image at least twice `size` wide, else the largest; unknown sizes last."""
    if not images:
        return None
    sized = [image for image in images if image.width]
    sharp = [image for image in sized if (image.width or 0) >= 2 * size]
    if sharp:
        return min(sharp, key=lambda image: image.width or 0)
    return max(sized, key=lambda image: image.width or 0) if sized else images[0]


def _stories_by_source(stories: Sequence[Story]) -> dict[str, list[tuple[ProviderRef, Story]]]:
    """Each source's stories, newest first, with how the source was named in each; a story
    counts once for every source that covered it (its lead's or its `coverage`'s)."""
    members: dict[str, list[tuple[ProviderRef, Story]]] = defaultdict(list)
    for story in stories:
        for member in story.members:
            if member.provider is not None:
                group = members[member.provider.key]
                if not group or group[-1][1] is not story:
                    group.append((member.provider, story))
    return members


def _provider(key: str, group: list[tuple[ProviderRef, Story]], info: SourceInfo | None, slug: str) -> Provider:
    newest = group[0][0]
    if info is not None and info.logos:
        logos = info.logos  # the data file's logos, in every size it has
    else:
        logos = tuple(ref.logo for ref, _ in group if ref.logo is not None)[:1]  # the newest item's
    return Provider(
        key=key,
        name=info.name if info else newest.name,
        domain=newest.domain,
        slug=slug,
        logo=_logo_for(logos, _SMALL_LOGO),
        stories=tuple(story for _, story in group),
        description=info.description if info else "",
        large_logo=_logo_for(logos, _LARGE_LOGO),
    )


def build_providers(stories: Sequence[Story], known: Directory | None = None) -> tuple[Provider, ...]:
    """One provider per domain (or name); its name comes from the data folder, else from its
    newest item."""
    members = _stories_by_source(stories)
    known = known or Directory()
    newest = {key: group[0][0].name for key, group in members.items()}
    slugs = {**urls.unique_slugs(newest, prefix="source"), **known.provider_slugs}
    providers = [_provider(key, group, known.sources.get(key), slugs[key]) for key, group in members.items()]
    return tuple(sorted(providers, key=lambda provider: (*_by_name(provider.name), provider.key)))


def hottest_first(items: Sequence[Story]) -> tuple[Story, ...]:
    """By heat (unknown last), then newest first."""
    return tuple(
        sorted(
            items, key=lambda item: (item.heat is None, -(item.heat or 0), -item.published_at.timestamp(), item.source)
        )
    )


def build_editions(items: Sequence[Story], tz: tzinfo) -> tuple[Edition, ...]:
    """One edition per day (in the site's time zone) with published stories, newest day first."""
    days: dict[date, list[Story]] = defaultdict(list)
    for item in items:
        if item.published:
            days[item.published_at.astimezone(tz).date()].append(item)
    return tuple(Edition(day, hottest_first(days[day])) for day in sorted(days, reverse=True))


def build_months(items: Sequence[Story], tz: tzinfo) -> tuple[Month, ...]:
    """One archive per month with published stories, newest month first, stories newest first."""
    months: dict[tuple[int, int], list[Story]] = defaultdict(list)
    for item in items:
        if item.published:
            local = item.published_at.astimezone(tz)
            months[(local.year, local.month)].append(item)
    return tuple(Month(year, month, tuple(months[(year, month)])) for year, month in sorted(months, reverse=True))


def build_weeks(items: Sequence[Story], tz: tzinfo, size: int) -> tuple[Week, ...]:
    """One edition per ISO week with published stories, newest week first: its `size`
    hottest stories, so a busy week reads like a week and not like a month."""
    weeks: dict[tuple[int, int], list[Story]] = defaultdict(list)
    for item in items:
        if item.published:
            year, week, _ = item.published_at.astimezone(tz).isocalendar()
            weeks[(year, week)].append(item)
    return tuple(
        Week(year, week, hottest_first(weeks[(year, week)])[:size], len(weeks[(year, week)]))
        for year, week in sorted(weeks, reverse=True)
    )


def build_site(
    items: Sequence[Story],
    tz: tzinfo | None = None,
    top_stories: Sequence[Story] = (),
    more_on: Mapping[str, MoreOn] | None = None,
    known: Directory | None = None,
    redirects: Sequence[Redirect] = (),
    weekly_size: int = 20,
) -> Site:
    """The site model from already selected, newest-first items (and their ranking)."""
    calendar = tz is not None
    return Site(
        tuple(items),
        build_topics(items, known),
        build_providers(items, known),
        tuple(top_stories),
        dict(more_on or {}),
        build_editions(items, tz) if calendar else (),
        build_months(items, tz) if calendar else (),
        tuple(redirects),
        build_weeks(items, tz, weekly_size) if calendar else (),
    )
