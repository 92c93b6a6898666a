"""Turn planned pages into bytes: Jinja2 for HTML, the writers of `feeds` and `discovery`
for everything else.

The Jinja2 environment autoescapes everything and uses StrictUndefined, so a typo in a
template fails the build (naming the template and line) instead of publishing blanks.
Templates are looked up in the selected theme first, then in the default theme, so a
theme can override a single template and inherit the rest.
"""

from __future__ import annotations

import re
import traceback
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup

from ..errors import ThemeError
from ..plan.views import Page, PageKind
from .feeds import atom_bytes, json_feed_bytes, rss_bytes
from .search_index import index_bytes
from .sitemap import opml_bytes, robots_bytes, sitemap_bytes

# Jinja2 names a view by its module path ("'generator.views.ItemView object'"); a theme
# author only needs the view's name.
_QUALIFIED_OBJECT = re.compile(r"'(?:[A-Za-z_]\w*\.)+(\w+) object'")

_WRITERS: Mapping[PageKind, Callable[[dict[str, Any]], bytes]] = {
    "rss": lambda context: rss_bytes(context["channel"]),
    "atom": lambda context: atom_bytes(context["channel"]),
    "json_feed": lambda context: json_feed_bytes(context["channel"]),
    "opml": lambda context: opml_bytes(context["title"], context["groups"], context["modified"]),
    "sitemap": lambda context: sitemap_bytes(context["entries"]),
    "sitemap_index": lambda context: sitemap_bytes(context["entries"], index=True),
    "robots": lambda context: robots_bytes(context["sitemap_url"]),
    "search_index": lambda context: index_bytes(context["index"]),
}


def create_environment(template_dirs: Sequence[Path]) -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader([str(folder) for folder in template_dirs]),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        auto_reload=False,  # one build never sees a template change; skip a stat() per page
    )


def _template_location(exc: BaseException) -> str | None:
    """`file:line` of the innermost template frame of a rendering error, if any.

    Jinja2 rewrites tracebacks so template frames carry the template's file and line.
    """
    frames = [frame for frame in traceback.extract_tb(exc.__traceback__) if frame.filename.endswith((".html", ".xml"))]
    if isinstance(exc, jinja2.TemplateSyntaxError) and exc.filename:
        return f"{exc.filename}:{exc.lineno}"
    return f"{frames[-1].filename}:{frames[-1].lineno}" if frames else None


class Renderer:
    def __init__(self, template_dirs: Sequence[Path]) -> None:
        self.env = create_environment(template_dirs)
        self.template_dirs = template_dirs
        # A story's card appears on the home page, its topics', its source's, its day's and
        # its month's lists: render it once. The page plan builds one view per story and
        # reuses it, so the view's identity is the key (the view is kept alive with it). Cards
        # are kept as UTF-8: one emoji makes Python store a whole str at 4 bytes a character.
        self._cards: dict[tuple[int, bool], tuple[Any, bytes]] = {}
        self.env.globals["card"] = self._card

    @jinja2.pass_context
    def _card(self, context: jinja2.runtime.Context, item: Any, eager: bool = False) -> Markup:
        """`{{ card(item, eager) }}`: partials/card.html rendered with `item`, `site` and
        `eager` only. `eager` cards are the first ones on a page, whose images a reader sees
        without scrolling: the others load their images lazily."""
        key = (id(item), bool(eager))
        known = self._cards.get(key)
        if known is not None and known[0] is item:
            return Markup(known[1].decode("utf-8", "surrogatepass"))
        template = self.env.get_template("partials/card.html")
        html = template.render(item=item, site=context.get("site"), eager=bool(eager))
        self._cards[key] = (item, html.encode("utf-8", "surrogatepass"))
        return Markup(html)

    def render(self, page: Page) -> bytes:
        if page.kind != "html":
            return _WRITERS[page.kind](page.context)
        try:
            template = self.env.get_template(page.template)
            text = template.render(page.context)
        except jinja2.TemplateNotFound as exc:
            folders = ", ".join(str(folder) for folder in self.template_dirs)
            raise ThemeError(f"template {exc.name!r} not found (looked in {folders})") from None
        except jinja2.TemplateError as exc:
            where = _template_location(exc) or page.template
            message = _QUALIFIED_OBJECT.sub(r"\1", str(exc.message or exc))
            raise ThemeError(f"{where}: {message} (while rendering {page.origin})") from None
        except Exception as exc:
            where = _template_location(exc)
            if where is None:
                raise
            raise ThemeError(f"{where}: {type(exc).__name__}: {exc} (while rendering {page.origin})") from None
        return text.encode("utf-8", "replace")
