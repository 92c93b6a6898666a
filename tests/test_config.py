from pathlib import Path

import pytest

from generator.config import SiteConfig, load_config, with_overrides
from generator.errors import ConfigError


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "site.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_every_key_has_a_default_and_a_missing_file_is_fine(tmp_path: Path) -> None:
    config, warnings = load_config(tmp_path / "site.toml")
    assert warnings == []
    assert config == SiteConfig()
    assert (config.items_per_page, config.feed_size, config.output, config.theme) == (20, 50, "_site", "default")


def test_a_named_config_file_must_exist(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="configuration file not found"):
        load_config(tmp_path / "missing.toml", required=True)


def test_values_are_read_and_folders_are_relative_to_the_config(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        'title = "AI Weekly"\nbase_url = "https://example.org/news"\noutput = "public"\n'
        'timezone = "Europe/Paris"\nitems_per_page = 10\n',
    )
    config, warnings = load_config(path)
    assert warnings == []
    assert config.title == "AI Weekly"
    assert config.base_url == "https://example.org/news/"
    assert config.output_dir == tmp_path / "public"
    assert config.content_dir == tmp_path / "content"
    assert config.tz.key == "Europe/Paris"
    assert config.items_per_page == 10


def test_unknown_keys_warn_by_name(tmp_path: Path) -> None:
    config, warnings = load_config(write(tmp_path, 'titel = "Typo"\npaginate = 5\n'))
    assert config == SiteConfig()
    assert warnings == [
        f"{tmp_path / 'site.toml'}: paginate: unknown setting, ignored",
        f"{tmp_path / 'site.toml'}: titel: unknown setting, ignored",
    ]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('items_per_page = "20"', "items_per_page: should be a whole number, got '20'"),
        ("items_per_page = 0", "items_per_page: should be 1 or more, got 0"),
        ("feed_size = true", "feed_size: should be a whole number, got True"),
        ("title = 3", "title: should be text in quotes, got 3"),
        ('base_url = "example.org"', "base_url: should be an absolute http(s) address"),
        ('base_url = "ftp://example.org/"', "base_url: should be an absolute http(s) address"),
        ('timezone = "Mars/Olympus"', "timezone: unknown time zone 'Mars/Olympus'"),
        ('language = "english please"', "language: should be a language tag"),
        ('theme = "../elsewhere"', "theme: should be a theme folder name"),
        ('output = ""', "output: should name a folder"),
        ('logo = "javascript:alert(1)"', "logo: should be an image address"),
        ('icon = "images/icon.svg"', "icon: should be an image address"),
    ],
)
def test_wrong_values_name_the_key(tmp_path: Path, text: str, message: str) -> None:
    with pytest.raises(ConfigError, match=message.replace("(", r"\(").replace(")", r"\)")):
        load_config(write(tmp_path, text + "\n"))


def test_invalid_toml_is_a_config_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="not valid TOML"):
        load_config(write(tmp_path, "title = \n"))


def test_command_line_overrides_are_checked_too(tmp_path: Path) -> None:
    config, _ = load_config(write(tmp_path, ""))
    assert with_overrides(config, output="/tmp/elsewhere", content=None).output_dir == Path("/tmp/elsewhere")
    with pytest.raises(ConfigError, match="output"):
        with_overrides(config, output="")


def test_topic_aliases_are_read_from_their_table(tmp_path: Path) -> None:
    config, warnings = load_config(
        write(tmp_path, '[topics.aliases]\n"Artificial Intelligence" = "AI"\n"ML" = "Machine Learning"\n')
    )
    assert config.topic_aliases == (("Artificial Intelligence", "AI"), ("ML", "Machine Learning"))
    assert warnings == []
    with pytest.raises(ConfigError, match=r"topics\.aliases: 'ML' should name a topic in quotes, got 3"):
        load_config(write(tmp_path, "[topics.aliases]\nML = 3\n"))


def test_the_readme_documents_every_setting() -> None:
    from generator.config import settings_reference

    from .conftest import REPO

    readme = (REPO / "README.md").read_text(encoding="utf-8")
    table = readme.split("## Configuration: `site.toml`", 1)[1].split("\n## ", 1)[0]
    for key, _, _ in settings_reference():
        shown = f"`[{key}]`" if key in ("theme.settings", "topics.aliases") else f"`{key}`"
        assert f"| {shown} |" in table, key
