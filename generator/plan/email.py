"""Editions as emails: one message per edition, an HTML part and a plain-text part written
beside the edition's page (`daily/2024-02-15/email.html` and `email.txt`).

Any kind of edition feeds the same shape, an `Issue` (its key, title, page, date and stories
grouped by topic), so a day and a week become emails by one path. Everything a mail shows is
made here: every address absolute (a mail has no page to resolve a link against), images
sized for its column, the text of the pre-header, share links.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date
from functools import partial
from urllib.parse import quote, quote_plus

from .. import urls
from ..model import Image, Story
from .context import PlanContext
from .page import EmailFile, Page
from .present import edition_start, shorten
from .views import EmailGroup, EmailSite, EmailStory, EmailView, Link, Picture

# Gmail shows a message of up to about 102 KB and cuts the rest off behind a link, so a
# larger edition leaves its last stories to its page.
MAX_EMAIL_BYTES = 100_000
# The mail's column: 600 px, the width mail clients and their preview panes are made for,
# less 24 px of padding on each side.
COLUMN_WIDTH = 552
LOGO_SIZE = 20
SITE_LOGO_SIZE = 32
# The outlets a story's "More:" line names before "+N more", as the site's river does.
MORE_SHOWN = 4
# Preview text: mail clients show about this much after the subject.
PREHEADER_LENGTH = 140
# The shape assumed for an image of unknown size: the 1.91:1 of link previews.
_USUAL_RATIO = 630 / 1200

# Stories under their topic (None: stories without topics), in an edition's order.
TopicGroups = tuple[tuple[str | None, tuple[Story, ...]], ...]


@dataclass(frozen=True)
class Issue:
    """An edition as an email is made from it, whichever kind of edition it is: a day's and
    a week's feed this one shape."""

    kind: str  # the edition's section: "daily", "weekly"
    key: str  # its name on the command line: "2024-02-15", "2024-W07"
    title: str  # "15 February 2024", "Week 7, 2024 (12–18 February 2024)"
    heading: str  # "Daily edition"
    description: str  # "2 stories, by topic, hottest first"
    page_path: str  # the edition's page
    first_day: date  # the message is dated at its start, in the site's zone, as its feed entry is
    groups: TopicGroups  # its stories under their topics, in the page's order


def mail_picture(image: Image | None, ctx: PlanContext, width: int, height: int | None = None) -> Picture | None:
    """An image as a mail shows it: absolute, at most `width` wide with its own proportions
    (or exactly `width` × `height`), and None for SVG, which Gmail and Outlook do not show."""
    if image is None or image.url.lower().split("?", 1)[0].endswith(".svg"):
        return None
    url = ctx.links.absolute_asset(image.url)
    if height is not None:
        return Picture(url, width, height)
    if image.width and image.height:
        shown = min(width, image.width)
        return Picture(url, shown, max(1, round(shown * image.height / image.width)))
    return Picture(url, width, round(width * _USUAL_RATIO), exact=False)


def share_links(url: str, title: str) -> tuple[Link, ...]:
    """Where a reader can pass a story on: a post, a LinkedIn share and a mail of its own."""
    return (
        Link("X", f"https://twitter.com/intent/tweet?text={quote_plus(title)}&url={quote_plus(url)}"),
        Link("LinkedIn", f"https://www.linkedin.com/sharing/share-offsite/?url={quote_plus(url)}"),
        Link("Email", f"mailto:?subject={quote(title)}&body={quote(url)}"),
    )


def original_link(story: Story, source: str) -> Link | None:
    """ "Read at <source>", to the original article (None: the story has no address)."""
    if not story.story_url:
        return None
    return Link(f"Read at {source}" if source else "Read the full story", story.story_url)


def mail_story(ctx: PlanContext, story: Story, number: int) -> EmailStory:
    """A story of an email: the river's view of it (time, outlets) with every address
    absolute. Only its number depends on the email, so the rest is made once per story
    (a story is in its day's email and often its week's)."""
    return ctx.derived.later("email story", story, partial(_numbered, ctx, story, number), number)


def _numbered(ctx: PlanContext, story: Story, number: int) -> EmailStory:
    made = ctx.mail_stories.get(story.source)
    if made is None:
        made = ctx.mail_stories[story.source] = _mail_story(ctx, story)
    return replace(made, number=number)


def _mail_story(ctx: PlanContext, story: Story) -> EmailStory:
    view = ctx.views[story.source]
    url = ctx.links.absolute(story.path)
    source = ctx.providers[story.provider.key] if story.provider else None
    more = tuple(Link(outlet.name, outlet.url or "") for outlet in view.more)
    name = view.provider.text if view.provider else ""
    return EmailStory(
        number=0,
        title=story.title,
        url=url,
        source=name,
        logo=mail_picture(source.logo if source else None, ctx, LOGO_SIZE, LOGO_SIZE),
        time_text=view.time_text,
        date_iso=view.date_iso,
        excerpt=story.excerpt,
        image=mail_picture(story.lead_image, ctx, COLUMN_WIDTH),
        original=original_link(story, name),
        more=more[:MORE_SHOWN],
        more_hidden=max(0, len(more) - MORE_SHOWN),
        coverage_url=url + "#coverage",
        share=share_links(url, story.title),
        draft=view.draft,
    )


def mail_site(ctx: PlanContext) -> EmailSite:
    """What every email of the site says of it, made once for all of them."""
    config, links = ctx.config, ctx.links
    logo = Image(config.logo) if config.logo else None
    return EmailSite(
        title=config.title,
        language=config.language,
        url=links.absolute(urls.HOME),
        subscribe_url=links.absolute(urls.SUBSCRIBE),
        unsubscribe=config.email_unsubscribe,
        postal_address=config.email_postal_address,
        logo=mail_picture(logo, ctx, SITE_LOGO_SIZE, SITE_LOGO_SIZE),
        settings=config.theme_settings,
    )


def preheader(stories: Sequence[Story]) -> str:
    """The line a mail client shows beside the subject: the first headlines."""
    return shorten(" · ".join(story.title for story in stories[:3]), PREHEADER_LENGTH)


def email_view(ctx: PlanContext, issue: Issue, site: EmailSite) -> EmailView:
    """The whole edition as one email, its stories numbered through it."""
    groups, number = [], 1
    for topic, stories in issue.groups:
        made = tuple(mail_story(ctx, story, number + offset) for offset, story in enumerate(stories))
        heading = Link(topic, ctx.links.absolute(urls.topic_path(ctx.topics[topic].slug))) if topic else None
        groups.append(EmailGroup(heading, made))
        number += len(made)
    ordered = [story for _, stories in issue.groups for story in stories]
    moment = edition_start(issue.first_day, ctx.tz)
    return EmailView(
        kind=issue.kind,
        key=issue.key,
        title=issue.title,
        heading=issue.heading,
        description=issue.description,
        subject=f"{ctx.config.title}: {issue.title}",
        preheader=preheader(ordered),
        url=ctx.links.absolute(issue.page_path),
        date_iso=issue.first_day.isoformat(),
        moment=moment,
        count=len(ordered),
        groups=tuple(groups),
        site=site,
    )


def capped(email: EmailView, count: int) -> EmailView:
    """The email with only its first `count` stories; the rest are `left_out`."""
    groups = []
    for group in email.groups:
        kept = tuple(story for story in group.stories if story.number <= count)
        if kept:
            groups.append(replace(group, stories=kept))
    return replace(email, groups=tuple(groups), left_out=email.count - min(count, email.count))


def email_pages(ctx: PlanContext, issues: Iterable[Issue]) -> list[Page]:
    """The two parts of each edition's email, beside its page: never in the sitemap, since
    they are a copy of the page made for mail clients."""
    site, pages = mail_site(ctx), []
    for issue in issues:
        view = email_view(ctx, issue, site)
        for part in urls.EMAIL_PARTS:
            path = urls.email_path(issue.page_path, part)
            payload = EmailFile(part, view, MAX_EMAIL_BYTES)
            origin = f"email of {issue.kind} edition {issue.key}"
            pages.append(Page(path, urls.output_file(path), payload, origin, listed=False))
    return pages


def email_url(ctx: PlanContext, page_path: str) -> str:
    """The link from an edition's page to its email, for curators to look it over."""
    return ctx.links.href(urls.email_path(page_path, urls.EMAIL_PARTS[0]))
