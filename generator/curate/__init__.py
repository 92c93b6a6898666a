"""Stage 2, curate: what the site shows, grouped into stories, ranked, and indexed into
topics, sources, days and months.

`curate` runs the editorial steps in order, each a pure function of its own module:
`sources` merges a source's domains, `index.directory` names every topic and source from
all items (so drafts never move a page), `select` keeps what is published at the build
time, `topics` merges spellings, `stories` groups outlets' items into stories, `ranking`
picks top stories and "More on", and `index` builds the site model.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, MutableMapping, Sequence
from dataclasses import dataclass
from typing import Any

from ..config import SiteConfig
from ..errors import ContentProblem
from ..model import Item, Redirect, Site, SiteData, Story
from ..options import BuildOptions
from .index import build_site, directory
from .ranking import more_on, top_stories
from .select import Selection, address_clashes, select
from .sources import merge_source_aliases
from .stories import Keys, group_stories
from .topics import normalize_topics

log = logging.getLogger("digest")


@dataclass(frozen=True)
class Curated:
    """What the site shows, ready to plan."""

    site: Site  # the stories, and the topics, sources, days, months and redirects made of them
    selection: Selection  # what was held back, and why
    # Files whose story lost its address to another file; topic data files in a loop of parents.
    problems: tuple[ContentProblem, ...]
    rejected: frozenset[str]  # those files

    @property
    def items_published(self) -> int:
        return sum(len(story.members) for story in self.site.stories)


def _claimed_addresses(
    stories: Sequence[Story], displays: Mapping[str, str]
) -> tuple[list[Story], list[ContentProblem], set[str]]:
    """Stories without those that would overwrite another's page (the file that sorts
    first keeps the address), with an error for each one left out."""
    problems, rejected = [], set()
    for loser, winner in address_clashes(stories):
        problems.append(
            ContentProblem(
                displays.get(loser.source, loser.source),
                None,
                None,
                f"has the same address /{loser.path} as {displays.get(winner.source, winner.source)}; "
                "rename one of the files",
            )
        )
        rejected.add(loser.source)
    return [story for story in stories if story.source not in rejected], problems, rejected


def _free_redirects(redirects: Sequence[Redirect], stories: Sequence[Story], rejected: set[str]) -> list[Redirect]:
    """Redirects that replace no page, one per address (the first, by address then file)."""
    taken = {story.path for story in stories}
    kept = []
    for redirect in redirects:
        if redirect.target.source not in rejected and redirect.path not in taken:
            taken.add(redirect.path)
            kept.append(redirect)
    return kept


def curate(
    items: Sequence[Item],
    data: SiteData,
    config: SiteConfig,
    options: BuildOptions,
    displays: Mapping[str, str],
    kept: MutableMapping[bytes, Any] | None = None,
) -> Curated:
    """The site model from every loaded item (`displays`: how messages name each file;
    `kept`: results an earlier build worked out, see `incremental.kept`: "More on" lists,
    see `ranking.more_on`, and the keys of addresses and headlines, see `stories.Keys`)."""
    items = merge_source_aliases(items, data)
    known = directory(items, data, dict(config.topic_aliases))
    selection = select(items, now=options.now, min_quality=config.min_quality, include_drafts=options.drafts)
    log.debug(
        "held back: %d unpublished, %d dated after the build time, %d below min_quality",
        selection.unpublished,
        selection.future,
        selection.low_quality,
    )
    selected = normalize_topics(selection.items, canonical=known.topic_names)
    grouped = group_stories(selected, config.tz, config.story_window_days, Keys(kept))
    stories, problems, rejected = _claimed_addresses(grouped.stories, displays)
    redirects = _free_redirects(grouped.redirects, stories, rejected)
    log.debug("stories  %d from %d items, %d redirects", len(stories), len(selected), len(redirects))
    top = top_stories(stories, config.top_window_days, config.top_stories)
    more = more_on(stories, known=kept)
    site = build_site(stories, config.tz, top, more, known, redirects, config.weekly_size)
    return Curated(site, selection, tuple([*known.problems, *problems]), frozenset(rejected))
