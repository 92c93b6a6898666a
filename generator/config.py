"""`site.toml`: every key has a default, a type and a check, so a typo is caught before a build.

Unknown keys only warn (a newer config must not break an older build), while a wrong type
or value stops the build with the key named, because guessing would publish a wrong site.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from .errors import ConfigError
from .urls import is_site_relative, is_web_url

CONFIG_FILE_NAME = "site.toml"
_LANGUAGE_TAG = re.compile(r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$")
_THEME_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")


@dataclass(frozen=True)
class SiteConfig:
    """The validated site settings; `root` is the folder relative paths are read from."""

    title: str = "Digest"
    description: str = "A curated digest of AI news."
    base_url: str = "http://localhost:8000/"
    language: str = "en"
    timezone: str = "UTC"
    theme: str = "default"
    content: str = "content"
    output: str = "_site"
    items_per_page: int = 20
    feed_size: int = 50
    max_file_kb: int = 2048
    min_quality: int = 0
    top_stories: int = 5
    top_window_days: int = 7
    story_window_days: int = 3
    topic_aliases: tuple[tuple[str, str], ...] = ()
    logo: str = ""
    icon: str = ""
    root: Path = field(default=Path("."), compare=False)

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    @property
    def content_dir(self) -> Path:
        return self.root / self.content

    @property
    def output_dir(self) -> Path:
        return self.root / self.output


_KEYS: dict[str, str] = {f.name: str(f.type) for f in fields(SiteConfig) if f.name not in ("root", "topic_aliases")}
_TYPE_WORDS = {"str": "text in quotes", "int": "a whole number"}


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
    return config_from_mapping(data, source=str(config_path), root=config_path.parent)


def config_from_mapping(data: dict[str, Any], *, source: str, root: Path) -> tuple[SiteConfig, list[str]]:
    """Check every key of a parsed config; unknown keys become warnings, bad values errors."""
    data = dict(data)
    topics = data.pop("topics", None)
    warnings = [f"{source}: {key}: unknown setting, ignored" for key in sorted(data) if key not in _KEYS]
    values = {key: _checked(key, value, source) for key, value in data.items() if key in _KEYS}
    if topics is not None:
        values["topic_aliases"] = _topic_aliases(topics, source, warnings)
    return replace(SiteConfig(root=root), **values), warnings


def _topic_aliases(topics: Any, source: str, warnings: list[str]) -> tuple[tuple[str, str], ...]:
    """`[topics.aliases]`: "Artificial Intelligence" = "AI" shows the first under the second."""
    if not isinstance(topics, dict):
        raise ConfigError(f"{source}: topics: should be a table such as [topics.aliases], got {topics!r}")
    warnings += [f"{source}: topics.{key}: unknown setting, ignored" for key in sorted(topics) if key != "aliases"]
    aliases = topics.get("aliases", {})
    if not isinstance(aliases, dict):
        raise ConfigError(f'{source}: topics.aliases: should be a table of "alias" = "topic" lines')
    for alias, target in aliases.items():
        if not isinstance(target, str) or not target.strip():
            raise ConfigError(f"{source}: topics.aliases: {alias!r} should name a topic in quotes, got {target!r}")
    return tuple(sorted(aliases.items()))


def with_overrides(config: SiteConfig, **overrides: Any) -> SiteConfig:
    """Apply command-line options that stand in for config keys, with the same checks."""
    given = {key: value for key, value in overrides.items() if value is not None}
    return replace(config, **{key: _checked(key, value, "command line") for key, value in given.items()})


def _checked(key: str, value: Any, source: str) -> Any:
    type_name = _KEYS[key]
    if type_name == "int" and (isinstance(value, bool) or not isinstance(value, int)):
        raise ConfigError(f"{source}: {key}: should be {_TYPE_WORDS['int']}, got {value!r}")
    if type_name == "str" and not isinstance(value, str):
        raise ConfigError(f"{source}: {key}: should be {_TYPE_WORDS['str']}, got {value!r}")
    check = _VALUE_CHECKS.get(key)
    if check is not None:
        problem = check(value)
        if problem:
            raise ConfigError(f"{source}: {key}: {problem}")
    return _NORMALIZERS.get(key, lambda v: v)(value)


def _check_base_url(value: str) -> str | None:
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return f"should be an absolute http(s) address such as https://example.org/, got {value!r}"
    if parts.query or parts.fragment:
        return f"should not contain a query or fragment, got {value!r}"
    return None


def _check_timezone(value: str) -> str | None:
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError):
        return f"unknown time zone {value!r}; use a name such as UTC or Europe/Paris"
    return None


def _check_positive(value: int) -> str | None:
    return None if value >= 1 else f"should be 1 or more, got {value}"


def _check_image(value: str) -> str | None:
    if not value or is_web_url(value) or is_site_relative(value):
        return None
    return f"should be an image address, http(s) or a path from the site root such as /images/logo.png, got {value!r}"


def _check_relative_folder(value: str) -> str | None:
    return None if value.strip() else "should name a folder, got an empty text"


_VALUE_CHECKS = {
    "base_url": _check_base_url,
    "timezone": _check_timezone,
    "language": lambda v: (
        None if _LANGUAGE_TAG.match(v) else f"should be a language tag such as en or pt-BR, got {v!r}"
    ),
    "theme": lambda v: None if _THEME_NAME.match(v) else f"should be a theme folder name, got {v!r}",
    "items_per_page": _check_positive,
    "feed_size": _check_positive,
    "max_file_kb": _check_positive,
    "min_quality": lambda v: None if 0 <= v <= 100 else f"should be from 0 to 100, got {v}",
    "top_stories": lambda v: None if v >= 0 else f"should be 0 or more, got {v}",
    "top_window_days": _check_positive,
    "story_window_days": lambda v: None if v >= 0 else f"should be 0 or more, got {v}",
    "content": _check_relative_folder,
    "output": _check_relative_folder,
    "logo": _check_image,
    "icon": _check_image,
}
_NORMALIZERS = {"base_url": lambda v: v if v.endswith("/") else v + "/"}
