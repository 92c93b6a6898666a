"""HTML pages (and an email's plain text) from Jinja2 templates.

The Jinja2 environment autoescapes every template but plain text (`.txt`) and uses
StrictUndefined, so a typo in a template fails the build (naming the template and line)
instead of publishing blanks.
Templates are looked up in the selected theme first, then in the default theme, so a
theme can override a single template and inherit the rest.
"""

from __future__ import annotations

import contextlib
import re
import traceback
from collections import OrderedDict
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import jinja2
from jinja2.utils import missing
from markupsafe import Markup

from ..errors import ThemeError
from ..plan.derived import Later, made

# Cards kept for reuse in one process (see `Templates`): at 100,000 items a process renders
# some 75,000 (1.3 KB each), about 0.1 GB if all were kept.
_CARDS_KEPT = 20_000
# Jinja2 names a view by its module path ("'generator.views.ItemView object'"); a theme
# author only needs the view's name.
_QUALIFIED_OBJECT = re.compile(r"'(?:[A-Za-z_]\w*\.)+(\w+) object'")


# Templates of plain text (an email's text part) are not escaped: `&` in a headline is `&`
# there, and nothing in plain text is markup. Every other template is escaped.
_PLAIN_TEXT = ("txt",)
_TEMPLATE_FILES = (".html", ".xml", ".txt")


class _StrictUndefined(jinja2.StrictUndefined):
    """StrictUndefined that names the view a template read, not the `Later` standing for it."""

    __slots__ = ()

    def __init__(self, hint: str | None = None, obj: Any = missing, name: str | None = None, **kwargs: Any) -> None:
        super().__init__(hint, made(obj), name, **kwargs)


class _Environment(jinja2.Environment):
    """Jinja2's environment, reading a story's promised object (`derived.Later`) directly.

    A template reads a view's fields through the `Later` that stands for it. Python would
    look each name up on the `Later` first and fail before asking it, which cost more than
    the rest of the read: a cold build of 1,000 items reads some 190,000 fields that way.
    It also means a template sees the view's own fields, never the `Later`'s."""

    def getattr(self, obj: Any, attribute: str) -> Any:
        """Jinja2's own `Environment.getattr`, after the `Later` is looked through."""
        if type(obj) is Later:
            obj = obj.made()
        try:
            return getattr(obj, attribute)
        except AttributeError:
            pass
        try:
            return obj[attribute]
        except (TypeError, LookupError, AttributeError):
            return self.undefined(obj=obj, name=attribute)


def create_environment(
    template_dirs: Sequence[Path], compiled: jinja2.BytecodeCache | None = None
) -> jinja2.Environment:
    return _Environment(
        loader=jinja2.FileSystemLoader([str(folder) for folder in template_dirs]),
        bytecode_cache=compiled,
        autoescape=jinja2.select_autoescape(disabled_extensions=_PLAIN_TEXT, default_for_string=True, default=True),
        undefined=_StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        auto_reload=False,  # one build never sees a template change; skip a stat() per page
    )


def _template_location(exc: BaseException) -> tuple[str, int | None] | None:
    """The file and line of the innermost template frame of a rendering error, if any.

    Jinja2 rewrites tracebacks so template frames carry the template's file and line.
    """
    frames = [frame for frame in traceback.extract_tb(exc.__traceback__) if frame.filename.endswith(_TEMPLATE_FILES)]
    if isinstance(exc, jinja2.TemplateSyntaxError) and exc.filename:
        return exc.filename, exc.lineno
    return (frames[-1].filename, frames[-1].lineno) if frames else None


class Templates:
    """The theme's templates, and every story's card rendered once."""

    def __init__(self, template_dirs: Sequence[Path], compiled: jinja2.BytecodeCache | None = None) -> None:
        self.env = create_environment(template_dirs, compiled)
        self.template_dirs = template_dirs
        # A story's card appears on the home page, its topics', its source's, its day's and
        # its month's lists: render it once. The page plan builds one view per story and
        # reuses it, so the view's identity is the key (the view is kept alive with it). Cards
        # are kept as UTF-8: one emoji makes Python store a whole str at 4 bytes a character.
        # Pages are rendered in order of date (see `plan.pages.render_order`), so the lists
        # that show a story come close together and the cards of the latest stories met are
        # all that is reused; the oldest card is dropped beyond `_CARDS_KEPT`.
        self._cards: OrderedDict[tuple[int, bool], tuple[Any, bytes]] = OrderedDict()
        self.env.globals["card"] = self._card

    def load_all(self) -> None:
        """Compile every template of the theme now, before worker processes start, so that
        they inherit the compiled templates instead of each compiling its own (some 0.15
        CPU-s per process for the default theme, when no earlier build left them compiled).
        A template that fails to load is left to fail where a page renders it, with the page
        named."""
        for name in self.env.list_templates():
            with contextlib.suppress(jinja2.TemplateError, OSError, UnicodeDecodeError):
                self.env.get_template(name)

    @jinja2.pass_context
    def _card(self, context: jinja2.runtime.Context, item: Any, eager: bool = False) -> Markup:
        """`{{ card(item, eager) }}`: partials/card.html rendered with `item`, `site` and
        `eager` only. `eager` cards are the first ones on a page, whose images a reader sees
        without scrolling: the others load their images lazily."""
        key, cards = (id(item), bool(eager)), self._cards
        known = cards.get(key)
        if known is not None and known[0] is item:
            cards.move_to_end(key)
            return Markup(known[1].decode("utf-8", "surrogatepass"))
        template = self.env.get_template("partials/card.html")
        html = template.render(item=item, site=context.get("site"), eager=bool(eager))
        cards[key] = (item, html.encode("utf-8", "surrogatepass"))
        if len(cards) > _CARDS_KEPT:
            cards.popitem(last=False)
        return Markup(html)

    def render(self, name: str, context: Mapping[str, Any], origin: str) -> bytes:
        """Template `name` with `context`, as UTF-8; a failure names the template's file and
        line and the page (`origin`) it was rendering."""
        try:
            text = self.env.get_template(name).render(context)
        except jinja2.TemplateNotFound as exc:
            folders = ", ".join(str(folder) for folder in self.template_dirs)
            raise ThemeError(f"template {exc.name!r} not found (looked in {folders})") from None
        except jinja2.TemplateError as exc:
            message = _QUALIFIED_OBJECT.sub(r"\1", str(exc.message or exc))
            template, line = _template_location(exc) or (name, None)
            raise ThemeError(message, template=template, line=line, page=origin) from None
        except Exception as exc:
            where = _template_location(exc)
            if where is None:
                raise
            raise ThemeError(f"{type(exc).__name__}: {exc}", template=where[0], line=where[1], page=origin) from None
        return text.encode("utf-8", "replace")
