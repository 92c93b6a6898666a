"""The one configured Markdown renderer for curator summaries.

CommonMark plus tables and strikethrough. Raw HTML is escaped rather than passed through,
and links may only use web, mail or relative addresses: a summary can format text but can
never inject markup or script into a page.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from contextvars import ContextVar
from html import escape, unescape

from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore
from markupsafe import Markup

_SCHEME = re.compile(r"^([^/?#]*?):")
_SAFE_SCHEMES = frozenset({"http", "https", "mailto"})
# The links refused while one summary renders, so the curator can be told about them.
_REFUSED: ContextVar[list[str] | None] = ContextVar("refused_links", default=None)


def is_safe_link(url: str) -> bool:
    """Relative links and http(s)/mailto only; anything with another scheme is refused.

    An allow-list rather than markdown-it's block-list: `data:`, `vbscript:` or a scheme
    disguised with escapes all fail the same simple test.
    """
    match = _SCHEME.match(url.strip())
    return match is None or match.group(1).lower() in _SAFE_SCHEMES


def _validate_link(url: str) -> bool:
    safe = is_safe_link(url)
    refused = _REFUSED.get()
    if not safe and refused is not None:
        refused.append(url)
    return safe


def _demote_h1(state: StateCore) -> None:
    """A summary's `# Heading` becomes `<h2>`: the page's only `<h1>` is the item title."""
    for token in state.tokens:
        if token.type in ("heading_open", "heading_close") and token.tag == "h1":
            token.tag = "h2"


def _align_by_class(state: StateCore) -> None:
    """Table column alignment as `class="align-right"` instead of markdown-it's inline
    `style`: the pages' Content-Security-Policy refuses inline styles."""
    for token in state.tokens:
        if token.type not in ("th_open", "td_open"):
            continue
        style = token.attrs.pop("style", None)
        if isinstance(style, str) and style.startswith("text-align:"):
            token.attrSet("class", "align-" + style.removeprefix("text-align:"))


def _lazy_images(state: StateCore) -> None:
    """Images in a summary sit below the story's headline and excerpt: load them lazily.
    Markdown gives no size, so unlike a story's own image they cannot reserve their space."""
    for token in state.tokens:
        for child in token.children or ():
            if child.type == "image":
                child.attrSet("loading", "lazy")
                child.attrSet("decoding", "async")


def create_renderer() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": False, "xhtmlOut": False}).enable(["table", "strikethrough"])
    md.validateLink = _validate_link
    md.core.ruler.push("demote_h1", _demote_h1)
    md.core.ruler.push("align_by_class", _align_by_class)
    md.core.ruler.push("lazy_images", _lazy_images)
    return md


_RENDERER = create_renderer()


def render_markdown(text: str) -> str:
    return render_summary(text)[0]


def render_summary(text: str) -> tuple[str, tuple[str, ...]]:
    """The HTML of a summary and the link addresses refused in it (left as plain text)."""
    if not text.strip():
        return "", ()
    refused: list[str] = []
    token = _REFUSED.set(refused)
    try:
        html = _RENDERER.render(text)
    finally:
        _REFUSED.reset(token)
    # Markup: the summary is trusted HTML from here on, and pages use it without a copy.
    return Markup(html), tuple(dict.fromkeys(refused))


# Our renderer writes every URL as a double-quoted href or src attribute, and escapes `"`
# in text as `&quot;`, so this pattern finds exactly the URLs of a rendered summary.
_URL_ATTRIBUTE = re.compile(r' (href|src)="([^"]*)"')


def rewrite_urls(html: str, rewrite: Callable[[str], str]) -> str:
    """The HTML of `render_markdown` with every link and image URL passed through `rewrite`."""

    def replace(match: re.Match[str]) -> str:
        return f' {match.group(1)}="{escape(rewrite(unescape(match.group(2))))}"'

    return _URL_ATTRIBUTE.sub(replace, html) if html else html


def plain_text_html(text: str) -> str:
    """Text shown as it is, paragraph by paragraph, escaped: what a summary too large for
    Markdown becomes, at a cost that grows only with its length."""
    paragraphs = (escape(part.strip(), quote=False) for part in text.split("\n\n") if part.strip())
    return "".join(f"<p>{paragraph}</p>\n" for paragraph in paragraphs)


_TAG = re.compile(r"<[^>]+>")
DESCRIPTION_LENGTH = 300


def plain_text(markup: str) -> str:
    """Text of an HTML fragment: tags removed, entities decoded, white space collapsed."""
    return " ".join(unescape(_TAG.sub(" ", markup or "")).split())


def shortened(text: str, limit: int = DESCRIPTION_LENGTH) -> str:
    """At most `limit` characters, cut at a word, with "..." when cut."""
    if len(text) <= limit:
        return text
    return text[: limit - 3].rsplit(" ", 1)[0].rstrip(",.;:") + "..."
