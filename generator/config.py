"""`site.toml`: every key is declared once, as a field of `SiteConfig` with its default, the
check its value must pass and the words that explain it, so a typo is caught before a build.

Unknown keys only warn (a newer config must not break an older build), while a wrong type
or value stops the build with the key named, because guessing would publish a wrong site.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Callable, Mapping
from dataclasses import Field, dataclass, field, fields, replace
from pathlib import Path
from types import MappingProxyType
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from .errors import ConfigError
from .urls import DEFAULT_PERMALINK, check_permalink, is_site_relative, is_web_url

CONFIG_FILE_NAME = "site.toml"
_LANGUAGE_TAG = re.compile(r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$")
_THEME_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")

# A parser turns the value read from TOML into the setting's value, or returns the reason
# it cannot (raised as a ConfigError naming the key).
Parser = Callable[[Any], Any]


class Refused(ValueError):
    """A setting's value is wrong; the message says what it should be."""


def setting(default: Any, parse: Parser, doc: str, *, keys: tuple[str, ...] = ()) -> Any:
    """Declare one setting: its default, its parser and what it means. `keys` are the
    dotted TOML names it is read from (default: the field's own name)."""
    metadata = {"parse": parse, "doc": doc, "keys": keys, "default": default}
    if isinstance(default, MappingProxyType):  # read-only, but unhashable: dataclasses want a factory
        return field(default_factory=lambda: default, metadata=metadata)
    return field(default=default, metadata=metadata)


# --- parsers -------------------------------------------------------------------------------


def _words(value: Any) -> str:
    return repr(value)


def text(check: Callable[[str], str | None] | None = None) -> Parser:
    def parse(value: Any) -> str:
        if not isinstance(value, str):
            raise Refused(f"should be text in quotes, got {_words(value)}")
        problem = check(value) if check else None
        if problem:
            raise Refused(problem)
        return value

    return parse


def whole(low: int) -> Parser:
    def parse(value: Any) -> int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise Refused(f"should be a whole number, got {_words(value)}")
        if value < low:
            raise Refused(f"should be {low} or more, got {value}")
        return value

    return parse


def switch(value: Any) -> bool:
    """`true` or `false`, and nothing TOML would take for one in another language (`"yes"`, 1)."""
    if not isinstance(value, bool):
        raise Refused(f"should be true or false, got {_words(value)}")
    return value


def _base_url(value: str) -> str | None:
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return f"should be an absolute http(s) address such as https://example.org/, got {value!r}"
    if parts.query or parts.fragment:
        return f"should not contain a query or fragment, got {value!r}"
    return None


def _parse_base_url(value: Any) -> str:
    url = text(_base_url)(value)
    return url if url.endswith("/") else url + "/"


def _timezone(value: str) -> str | None:
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError):
        return f"unknown time zone {value!r}; use a name such as UTC or Europe/Paris"
    return None


def _language(value: str) -> str | None:
    return None if _LANGUAGE_TAG.match(value) else f"should be a language tag such as en or pt-BR, got {value!r}"


def _image(value: str) -> str | None:
    if not value or is_web_url(value) or is_site_relative(value):
        return None
    return f"should be an image address, http(s) or a path from the site root such as /images/logo.png, got {value!r}"


def _mailbox(value: str) -> str | None:
    """An address a mail header can carry: `news@example.org` or `The Digest <news@example.org>`."""
    if not value:
        return None
    from email.utils import parseaddr  # only for a site that sets one: not on every build's path

    _, address = parseaddr(value)
    if "\n" in value or "\r" in value or "@" not in address:
        return f'should be a mail address such as "The Digest <news@example.org>", got {value!r}'
    return None


# A service finds its placeholder in the HTML it is given; once escaped these would not be
# found, and every reader would get an unsubscribe link that leads nowhere.
_ESCAPED_IN_HTML = re.compile(r'[<>"\'\x00-\x1f\x7f]')


def _placeholder(value: str) -> str | None:
    """The service's unsubscribe placeholder must reach it as written, through HTML escaping."""
    if not value.strip():
        return "should be the sending service's unsubscribe placeholder, such as {unsubscribe_url}, got an empty text"
    if _ESCAPED_IN_HTML.search(value):
        return (
            f"{value!r} holds a character that HTML escapes (<, > or a quote) or a control character; "
            "the service would not find it in the escaped email: use a placeholder such as {{{unsubscribe}}} "
            "or *|UNSUB|*"
        )
    return None


def _hub(value: str) -> str | None:
    if not value or _base_url(value) is None:
        return None
    return f"should be the hub's address, such as https://pubsubhubbub.appspot.com/, got {value!r}"


def _folder(value: str) -> str | None:
    return None if value.strip() else "should name a folder, got an empty text"


def _theme_name(value: str) -> str | None:
    return None if _THEME_NAME.match(value) else f"should be a theme folder name, got {value!r}"


def _folders(value: Any) -> tuple[str, ...]:
    """One folder, or a list of them (a Jekyll site keeps items in `_news` and `_archive/_news`)."""
    values = [value] if isinstance(value, str) else value
    if not isinstance(values, list) or not values or not all(isinstance(entry, str) for entry in values):
        raise Refused(
            f'should be a folder in quotes or a list of them, such as ["_news", "_archive/_news"], got {value!r}'
        )
    for entry in values:
        problem = _folder(entry)
        if problem:
            raise Refused(problem)
    return tuple(dict.fromkeys(values))


def _permalink(value: Any) -> str:
    pattern = text()(value)
    problem = check_permalink(pattern)
    if problem:
        raise Refused(problem)
    return pattern


def _permalinks(value: Any) -> tuple[str, ...]:
    if not isinstance(value, list):
        raise Refused(
            f'should be a list of address patterns such as ["/:categories/:year/:month/:day/:title/"], got {value!r}'
        )
    return tuple(_permalink(entry) for entry in value)


def _feed_formats(value: Any) -> tuple[str, ...]:
    """Formats by their keys, at least one, each once, in the order the site prefers them."""
    from .feed_formats import formats  # here: reading the settings need not load the feed writers

    keys = [row.key for row in formats()]
    known = ", ".join(f'"{key}"' for key in keys)
    if not isinstance(value, list) or not value or not all(isinstance(key, str) for key in value):
        raise Refused(f"should be a list of one or more of {known}, got {_words(value)}")
    for key in value:
        if key not in keys:
            raise Refused(f"{key!r} is not a feed format; the formats are {known}")
    if len(set(value)) < len(value):
        raise Refused(f"names a format twice: {value!r}")
    return tuple(value)


def _topic_aliases(value: Any) -> tuple[tuple[str, str], ...]:
    """`"Artificial Intelligence" = "AI"` shows the first topic under the second's name."""
    if not isinstance(value, dict):
        raise Refused('should be a table of "alias" = "topic" lines')
    for alias, target in value.items():
        if not isinstance(target, str) or not target.strip():
            raise Refused(f"{alias!r} should name a topic in quotes, got {target!r}")
    return tuple(sorted(value.items()))


def _free_table(value: Any) -> Mapping[str, Any]:
    if not isinstance(value, dict):
        raise Refused(f"should be a table of settings for the theme, got {value!r}")
    return MappingProxyType(dict(value))


# --- the settings --------------------------------------------------------------------------


@dataclass(frozen=True)
class SiteConfig:
    """The validated site settings; `root` is the folder relative paths are read from."""

    title: str = setting("Digest", text(), "site name")
    description: str = setting("A curated digest of AI news.", text(), "shown on the home page and in the feeds")
    base_url: str = setting("http://localhost:8000/", _parse_base_url, "where the site is published")
    language: str = setting("en", text(_language), "`<html lang>` and the feeds' language")
    timezone: str = setting("UTC", text(_timezone), "for dates without a zone, and the dates shown")
    theme: str = setting("default", text(_theme_name), "a theme folder", keys=("theme", "theme.name"))
    theme_settings: Mapping[str, Any] = setting(
        MappingProxyType({}), _free_table, "free-form values for the theme's templates", keys=("theme.settings",)
    )
    content: tuple[str, ...] = setting(("content",), _folders, "folder, or list of folders, of news items")
    data: str = setting("data", text(_folder), "folder of topic and source descriptions")
    output: str = setting("_site", text(_folder), "folder to write the site to")
    items_per_page: int = setting(20, whole(1), "stories per list page")
    feed_size: int = setting(50, whole(1), "stories in each feed")
    weekly_size: int = setting(20, whole(1), "stories in each weekly edition (the week's hottest)")
    max_file_kb: int = setting(2048, whole(1), "larger content files are rejected unread")
    max_summary_kb: int = setting(100, whole(1), "larger Markdown bodies are shown as plain text")
    min_quality: int = setting(0, whole(0), "items with a lower quality stay out of the site")
    top_stories: int = setting(5, whole(0), "how many top stories the home page shows")
    top_window_days: int = setting(7, whole(1), "top stories come from this many days before the newest")
    story_window_days: int = setting(3, whole(0), "days apart two items with one headline may be")
    topic_aliases: tuple[tuple[str, str], ...] = setting(
        (), _topic_aliases, "one topic shown under another's name", keys=("topics.aliases",)
    )
    logo: str = setting("", text(_image), "an image for feeds, link previews and JSON-LD")
    icon: str = setting("", text(_image), "the favicon")
    permalink: str = setting(DEFAULT_PERMALINK, _permalink, "the address pattern of story pages")
    redirect_from: tuple[str, ...] = setting((), _permalinks, "older address patterns that redirect to stories")
    email_from: str = setting("", text(_mailbox), "the From of `digest email` messages")
    email_unsubscribe: str = setting(
        "{unsubscribe_url}", text(_placeholder), "the sending service's unsubscribe placeholder, put in every email"
    )
    email_postal_address: str = setting("", text(), "the sender's postal address, for the footer of every email")

    feed_formats: tuple[str, ...] = setting(
        (), _feed_formats, "the formats every feed is written in, the first offered first; unset, every format"
    )
    emails: bool = setting(True, switch, "write each daily and weekly edition as an email beside its page")
    websub_hub: str = setting("", text(_hub), "a WebSub hub: feeds name it, `digest ping` tells it what changed")
    api: bool = setting(True, switch, "write the JSON API (stories, topic and source lists) under api/")
    root: Path = field(default=Path("."), compare=False)

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    @property
    def content_dirs(self) -> tuple[Path, ...]:
        return tuple(self.root / folder for folder in self.content)

    @property
    def content_dir(self) -> Path:
        """The first content folder: where `new` and `import` write."""
        return self.content_dirs[0]

    @property
    def data_dir(self) -> Path:
        return self.root / self.data

    @property
    def output_dir(self) -> Path:
        return self.root / self.output


def _declared() -> dict[str, Field[Any]]:
    """Every dotted TOML key -> the field it sets."""
    table: dict[str, Field[Any]] = {}
    for declared in fields(SiteConfig):
        if "parse" in declared.metadata:
            for key in declared.metadata["keys"] or (declared.name,):
                table[key] = declared
    return table


_KEYS = _declared()
_TABLES = {key.rsplit(".", 1)[0] for key in _KEYS if "." in key}


def settings_reference() -> list[tuple[str, Any, str]]:
    """(key, default, meaning) of every setting, for documentation and `init`."""
    return [
        ((declared.metadata["keys"] or (declared.name,))[0], declared.metadata["default"], declared.metadata["doc"])
        for declared in fields(SiteConfig)
        if "parse" in declared.metadata
    ]


def load_config(path: Path | None, *, required: bool = False) -> tuple[SiteConfig, list[str]]:
    """Read and check `site.toml`; return the config and warnings about ignored keys.

    A missing file is fine unless the user named it explicitly (`required`): a folder of
    Markdown files alone is a valid site.
    """
    config_path = path if path is not None else Path(CONFIG_FILE_NAME)
    if not config_path.is_file():
        if required:
            raise ConfigError(f"{config_path}: configuration file not found")
        return SiteConfig(root=config_path.parent), []
    try:
        data = tomllib.loads(config_path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{config_path}: not valid TOML: {exc}") from None
    except ValueError:  # the only other one tomllib raises: Python's limit on converting numbers
        raise ConfigError(f"{config_path}: not valid TOML: a number has more than 4,300 digits") from None
    except RecursionError:
        raise ConfigError(f"{config_path}: not valid TOML: nested too deeply") from None
    except OSError as exc:
        raise ConfigError(f"{config_path}: cannot be read: {exc.strerror}") from None
    return config_from_mapping(data, source=str(config_path), root=config_path.parent)


def _flatten(data: Mapping[str, Any], prefix: str, found: dict[str, Any], unknown: list[str]) -> None:
    """Dotted keys of the declared settings; tables are opened only where settings live."""
    for key, value in data.items():
        dotted = f"{prefix}{key}"
        if isinstance(value, dict) and dotted in _TABLES:
            _flatten(value, dotted + ".", found, unknown)
        elif dotted in _KEYS:
            found[dotted] = value
        else:
            unknown.append(dotted)


def config_from_mapping(data: dict[str, Any], *, source: str, root: Path) -> tuple[SiteConfig, list[str]]:
    """Check every key of a parsed config; unknown keys become warnings, bad values errors."""
    found: dict[str, Any] = {}
    unknown: list[str] = []
    _flatten(data, "", found, unknown)
    warnings = [f"{source}: {key}: unknown setting, ignored" for key in sorted(unknown)]
    values = {_KEYS[key].name: _parsed(key, value, source) for key, value in found.items()}
    return replace(SiteConfig(root=root), **values), warnings


def _parsed(key: str, value: Any, source: str) -> Any:
    try:
        return _KEYS[key].metadata["parse"](value)
    except Refused as exc:
        raise ConfigError(f"{source}: {key}: {exc}") from None


def with_overrides(config: SiteConfig, **overrides: Any) -> SiteConfig:
    """Apply command-line options that stand in for config keys, with the same checks."""
    given = {key: value for key, value in overrides.items() if value is not None}
    return replace(config, **{key: _parsed(key, value, "command line") for key, value in given.items()})
