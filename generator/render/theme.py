"""Where a site's templates and static files come from, most specific first.

Templates are looked up in the site's own `templates/` folder, then in its theme, then in
the default theme, so a site can override one template (say `partials/card.html`) and
inherit the rest, as MkDocs' `custom_dir` and Hugo's lookup order do. A theme is looked
for in the site's `themes/` folder before the themes that ship inside the package.
Static files are copied the other way round: the default theme's first, then the theme's,
then the site's own `static/`, each over the one before.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..errors import ConfigError

BUILTIN_THEMES = Path(__file__).resolve().parents[1] / "themes"
DEFAULT_THEME = "default"
SITE_TEMPLATES = "templates"
SITE_STATIC = "static"


@dataclass(frozen=True)
class ThemeFolders:
    """The folders one site's pages are made from."""

    templates: tuple[Path, ...]  # searched in this order
    static: tuple[Path, ...]  # copied in this order, later ones over earlier ones

    @property
    def watched(self) -> tuple[Path, ...]:
        """Every folder whose files shape the output (for rebuilds and live reload)."""
        return tuple(dict.fromkeys((*self.templates, *self.static)))


def find_theme(site_root: Path, name: str) -> Path | None:
    """The folder of theme `name`: the site's own copy, else the one that ships with Digest."""
    for base in (site_root / "themes", BUILTIN_THEMES):
        if (base / name).is_dir():
            return base / name
    return None


def installed_themes(site_root: Path) -> list[str]:
    names = {path.name for base in (site_root / "themes", BUILTIN_THEMES) if base.is_dir() for path in base.iterdir()}
    return sorted(name for name in names if find_theme(site_root, name) is not None)


def theme_folders(site_root: Path, theme: str) -> ThemeFolders:
    """The template and static folders of a site using `theme`; a missing theme is a
    configuration error that names the places looked in and the themes there are."""
    chosen = find_theme(site_root, theme)
    if chosen is None:
        looked = " and ".join(str(base / theme) for base in (site_root / "themes", BUILTIN_THEMES))
        known = ", ".join(installed_themes(site_root)) or "none"
        raise ConfigError(f"theme: {theme!r} not found (looked in {looked}; themes here: {known})")
    themes = [chosen]
    default = find_theme(site_root, DEFAULT_THEME)
    if default is not None and default != chosen:
        themes.append(default)
    site_templates = site_root / SITE_TEMPLATES
    templates = ([site_templates] if site_templates.is_dir() else []) + [theme / "templates" for theme in themes]
    static = [theme / "static" for theme in reversed(themes)] + [site_root / SITE_STATIC]
    return ThemeFolders(tuple(templates), tuple(static))
