"""Where a site's templates and static files come from: its theme, then the default theme."""

from __future__ import annotations

from pathlib import Path

from .errors import ConfigError

BUILTIN_THEMES = Path(__file__).resolve().parent.parent / "themes"
DEFAULT_THEME = "default"


def theme_folders(site_root: Path, theme: str) -> list[Path]:
    """The theme folders to search, most specific first: the site's theme, then `default`.

    A site's own `themes/` folder wins over the themes that ship with Digest, so a site can
    copy and change even the default theme.
    """
    search = [site_root / "themes", BUILTIN_THEMES]
    chosen = next((base / theme for base in search if (base / theme).is_dir()), None)
    if chosen is None:
        looked = ", ".join(str(base / theme) for base in search)
        raise ConfigError(f"theme: {theme!r} not found (looked in {looked})")
    default = next(base / DEFAULT_THEME for base in search if (base / DEFAULT_THEME).is_dir())
    return list(dict.fromkeys([chosen, default]))
