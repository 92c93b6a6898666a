"""Every escaping rule for text that leaves the generator in XML or JSON, in one place.

Content comes from many hands, so each writer escapes exactly once, at the last moment,
and removes the characters its format cannot carry. Keeping the rules together is what
stops a double escape (`&amp;amp;`) or a forgotten one from creeping into one format.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any

# Characters XML 1.0 forbids (C0 controls but tab and line breaks, lone surrogates,
# U+FFFE/U+FFFF), plus the C1 controls and non-characters that HTML calls errors.
_UNWANTED = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufdd0-\ufdef\ufffe\uffff]")
# A C0 control character as `json.dumps` writes it (`\u0001`, `\b`, `\f`; tabs and line
# breaks are allowed). An escaped backslash before such letters matches too, which only
# costs the slower, cleaning path.
_ESCAPED_CONTROL = re.compile(r"\\(u00[01][0-9a-fA-F]|[bf])")
_TEXT_ESCAPES = (("&", "&#x26;"), ("<", "&#x3C;"), (">", "&#x3E;"))  # `&` first
# In JSON inside (or next to) HTML, these could end a <script> element or start markup;
# U+2028/2029 end a JavaScript line. Their \u escapes mean the same to a JSON parser.
_JSON_ESCAPES = (
    ("<", "\\u003c"),
    (">", "\\u003e"),
    ("&", "\\u0026"),
    ("\u2028", "\\u2028"),
    ("\u2029", "\\u2029"),
)


def _replace_all(text: str, pairs: tuple[tuple[str, str], ...]) -> str:
    """`str.replace` for each pair: several C-level passes beat one `str.translate` with a
    dict, which looks every character up in Python."""
    for old, new in pairs:
        if old in text:
            text = text.replace(old, new)
    return text


def clean_text(text: str) -> str:
    """Text without control characters or code points that no page or feed can carry."""
    return _UNWANTED.sub("", text)


def xml_text(text: str) -> str:
    """Plain text as XML element content: cleaned, with `& < >` as character references.

    Hexadecimal references rather than `&amp;` follow the RSS Best Practices Profile:
    readers that treat an RSS title as HTML still show the characters, not the entities.
    """
    return _replace_all(clean_text(text), _TEXT_ESCAPES)


_ATTRIBUTE_ESCAPES = (("&", "&amp;"), (">", "&gt;"), ("<", "&lt;"), ("\n", "&#10;"), ("\r", "&#13;"), ("\t", "&#9;"))


def xml_attr(text: str) -> str:
    """A quoted, escaped XML attribute value, exactly as `xml.sax.saxutils.quoteattr` writes
    it: that module imports `urllib.request` and with it the HTTP client (about 15 ms of a
    build's imports) for these few lines."""
    value = clean_text(text)
    for character, entity in _ATTRIBUTE_ESCAPES:
        value = value.replace(character, entity)
    if '"' not in value:
        return f'"{value}"'
    if "'" not in value:
        return f"'{value}'"
    return '"{}"'.format(value.replace('"', "&quot;"))


def cdata(text: str) -> str:
    """Text in CDATA; a `]]>` inside is split across two sections."""
    return "<![CDATA[" + clean_text(text).replace("]]>", "]]]]><![CDATA[>") + "]]>"


class Deferred:
    """Text made each time a page that shows it is rendered, never kept.

    The plan of a large site holds every page at once; texts that only one page (a story's
    JSON-LD) or only the feeds (a story's feed content) need are cheaper to hold as the
    recipe than as the result, and rendering runs in parallel where planning does not.
    Jinja2 prints it through `__html__` (as trusted markup); writers call `str()`. It is
    always true, so `{% if %}` does not make it twice: defer only texts that are never empty.
    """

    __slots__ = ("_make",)

    def __init__(self, make: Callable[[], str]) -> None:
        self._make = make

    def __str__(self) -> str:
        return self._make()

    def __html__(self) -> str:
        return self._make()

    def __bool__(self) -> bool:
        return True


def json_text(value: Any, *, indent: int | None = None, default: Callable[[Any], Any] | None = None) -> str:
    """JSON that is safe inside an HTML `<script>` element and valid UTF-8 everywhere.

    `<`, `>` and `&` are written as \\u escapes, so no string can close the element or
    open a comment. Strings are cleaned like XML text, so every format carries the same text
    (and lone surrogates, valid in Python strings but not in UTF-8, go too).

    Content is cleaned when it is read, so the value is written as it is and only looked
    at again when the text shows a character to remove: walking every string of a large
    document in Python costs several times what writing it does.
    """
    separators = None if indent else (",", ":")
    dumped = json.dumps(value, ensure_ascii=False, indent=indent, separators=separators, default=default)
    if _UNWANTED.search(dumped) or _ESCAPED_CONTROL.search(dumped):
        dumped = json.dumps(_cleaned(json.loads(dumped)), ensure_ascii=False, indent=indent, separators=separators)
    return _replace_all(dumped, _JSON_ESCAPES)


def _cleaned(value: Any) -> Any:
    if isinstance(value, str):
        return clean_text(value)
    if isinstance(value, dict):
        return {clean_text(key): _cleaned(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_cleaned(item) for item in value]
    return value
