"""`digest email [DATE]`: an edition's email as one MIME message on standard output, for
`sendmail -t` or a sending service.

It plans the site in memory as `check` does, writing nothing, and renders the edition's two
email parts with the renderer a build uses, so the HTML part is byte for byte the built
`email.html`. Every header comes from the edition, never from the clock: the same site
gives the same message, and a corrected edition a new Message-ID.
"""

from __future__ import annotations

import hashlib
import re
import sys
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime
from email import policy
from email.message import EmailMessage
from urllib.parse import urlsplit

from .. import urls
from ..config import SiteConfig, with_overrides
from ..errors import ConfigError, ThemeError
from ..pipeline import BuildOptions, plan_site
from ..plan.page import EmailFile, Page
from ..plan.views import EmailView
from ..render.renderer import Renderer
from .common import (
    Exit,
    add_site_folder_option,
    add_site_options,
    bug_report,
    command_parser,
    moment,
    site_config,
)
from .terminal import printable

# What DATE may be: a day, an ISO week, or the newest edition.
_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_WEEK = re.compile(r"^\d{4}-W\d{2}$")
NEWEST = ("", "today", "latest")
# RFC 5322's limit on a line; longer lines go quoted-printable.
_MAX_LINE = 998
HTML_PART, TEXT_PART = urls.EMAIL_PARTS


class UnknownEdition(LookupError):
    """DATE names no edition (or is no date); the message says which there are."""


@dataclass(frozen=True)
class Mail:
    """One edition's email as rendered: its view and its two parts."""

    email: EmailView
    html: bytes
    text: bytes


def edition_date(key: str) -> date:
    """The day an edition's key stands for (a week's Monday): what "nearest" compares."""
    return date.fromisoformat(key)


def emails_by_key(pages: Iterable[Page]) -> dict[str, tuple[EmailView, dict[str, Page]]]:
    """Every edition's email, by its key: its view and its pages by template."""
    found: dict[str, tuple[EmailView, dict[str, Page]]] = {}
    for page in pages:
        if isinstance(page.payload, EmailFile):
            email = page.payload.email
            found.setdefault(email.key, (email, {}))[1][page.payload.template] = page
    return found


def _shape(key: str) -> str | None:
    """Whether a key names a day or a week: an unknown DATE is offered editions of its kind."""
    return "day" if _DAY.match(key) else "week" if _WEEK.match(key) else None


def _kind_of(asked: str) -> str:
    """The kind of edition DATE asks for; anything else is a usage error, said in words."""
    shape = _shape(asked)
    if shape is None:
        raise UnknownEdition(f"{asked!r} is not a date: write it like 2024-02-15 (a day), 2024-W07 (a week) or today")
    return shape


def chosen_key(asked: str, views: Mapping[str, EmailView]) -> str:
    """The key of the edition DATE names: the newest day's for `today` (or nothing), else
    DATE itself when an edition has it; otherwise `UnknownEdition`, naming the nearest."""
    if not views:
        raise UnknownEdition("the site has no editions: no published story has a date")
    if asked.lower() in NEWEST:
        return max(views, key=lambda key: (views[key].kind == "daily", views[key].moment))
    kind = _kind_of(asked)
    if asked in views:
        return asked
    try:
        wanted = edition_date(asked)
    except ValueError:
        raise UnknownEdition(f"{asked!r} is not a date of the calendar") from None
    same = sorted((edition_date(key), key) for key in views if _shape(key) == kind)
    if not same:
        raise UnknownEdition(f"no edition for {asked}: the site has no editions of a {kind}")
    before = [key for day, key in same if day < wanted][-1:]
    after = [key for day, key in same if day > wanted][:1]
    raise UnknownEdition(f"no edition for {asked}; the nearest: {' and '.join(before + after)}")


def _encoding(text: str) -> str:
    """8bit, readable as it is, when every line is short enough for mail; else quoted-printable."""
    longest = max((len(line.encode("utf-8")) for line in text.splitlines()), default=0)
    return "8bit" if longest <= _MAX_LINE else "quoted-printable"


def content_hash(mail: Mail) -> str:
    """What the Message-ID and the boundary are made from: the same mail, the same hash."""
    return hashlib.sha256(mail.html + b"\0" + mail.text).hexdigest()


def message_id(mail: Mail) -> str:
    """`<daily.2024-02-15.1a2b3c4d5e6f@digest.example.org>`: the edition, the hash of its
    content (a corrected edition is a new message) and the site's host."""
    host = urlsplit(mail.email.site.url).hostname or "localhost"
    return f"<{mail.email.kind}.{mail.email.key}.{content_hash(mail)[:12]}@{host}>"


def mime_message(mail: Mail, sender: str, recipients: str) -> EmailMessage:
    """The edition as multipart/alternative: the plain text first, the HTML last (the part a
    client prefers when it can show it), both UTF-8, dated by the edition."""
    message = EmailMessage(policy=policy.default)
    message["Subject"] = mail.email.subject
    if sender:
        message["From"] = sender
    if recipients:
        message["To"] = recipients
    message["Date"] = mail.email.moment
    message["Message-ID"] = message_id(mail)
    text, html = mail.text.decode("utf-8"), mail.html.decode("utf-8")
    message.set_content(text, subtype="plain", charset="utf-8", cte=_encoding(text))
    message.add_alternative(html, subtype="html", charset="utf-8", cte=_encoding(html))
    # Python draws a random boundary and repeats MIME-Version in the parts; a boundary made
    # from the content keeps the message the same from run to run (and out of the content).
    message.set_boundary(f"=_digest_{content_hash(mail)[:32]}")
    for part in message.iter_parts():
        del part["MIME-Version"]
    return message


def render_mail(config: SiteConfig, asked: str, now: datetime) -> tuple[Mail, int]:
    """The edition DATE names, rendered, and how many content files have errors. A site
    that leaves the email files out of its build (`emails = false`) still has its
    editions' emails to send."""
    planned = plan_site(replace(config, emails=True), BuildOptions(now=now))
    found = emails_by_key(planned.pages)
    email, parts = found[chosen_key(asked, {key: view for key, (view, _) in found.items()})]
    with Renderer(planned.themes.templates) as renderer:
        return Mail(email, renderer.render(parts[HTML_PART]), renderer.render(parts[TEXT_PART])), planned.report.errors


def main(argv: Sequence[str]) -> int:
    """`digest email [DATE]`: exit 0 with the message on standard output, 2 for a DATE
    without an edition or a configuration problem (nothing printed there), 70 for a bug."""
    parser = command_parser(
        "email",
        "Print an edition's email as a MIME message (multipart/alternative, plain text and HTML), "
        "for `sendmail -t` or a sending service. Nothing is written.",
    )
    parser.add_argument(
        "date", nargs="?", default="today", metavar="DATE", help="2024-02-15 (a day's edition); today: the newest"
    )
    add_site_options(parser)
    add_site_folder_option(parser)
    parser.add_argument("--from", dest="sender", metavar="ADDRESS", help="the From header (default: email_from)")
    parser.add_argument("--to", metavar="ADDRESS", help="the To header, one address or several with commas")
    parser.add_argument("--now", type=moment, metavar="TIME", help="the build time (default: the clock)")
    args = parser.parse_args(argv)
    if args.to and ("\n" in args.to or "\r" in args.to):
        parser.error("--to: one line of addresses, separated by commas")
    try:
        config, warnings = site_config(args)
        config = with_overrides(config, email_from=args.sender)
        mail, errors = render_mail(config, args.date, args.now or datetime.now(UTC))
        message = mime_message(mail, config.email_from, args.to or "")
    except (UnknownEdition, ConfigError, ThemeError) as exc:
        print(f"error: {printable(str(exc))}", file=sys.stderr)
        return Exit.USAGE
    except Exception as exc:
        print(bug_report(exc), file=sys.stderr)
        return Exit.BUG
    for warning in warnings:
        print(f"warning: {printable(warning)}", file=sys.stderr)
    if errors:
        print(f"warning: {errors} content problems left some items out; `digest check` lists them", file=sys.stderr)
    sys.stdout.flush()
    sys.stdout.buffer.write(message.as_bytes())
    sys.stdout.buffer.flush()
    return Exit.OK
