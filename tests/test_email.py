"""Editions as emails: the HTML and plain-text files beside every edition, judged as a mail
client and a reader would judge them, and `digest email`, judged by Python's own mail parser."""

from __future__ import annotations

import email
import email.policy
import re
import subprocess
import sys
from collections.abc import Callable, Iterator
from datetime import datetime
from email.message import EmailMessage
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from generator.commands import main

from .conftest import REPO, SHARED, SITES, Run, copy_sample, item_text, requires_shared, tree_bytes
from .htmltools import Element, parse_file, parse_html
from .test_incremental import cold_copy, edit_body_and_title, run

BASE = "https://digest.example.org"
PLACEHOLDER = "{unsubscribe_url}"
LIMIT = 100_000  # bytes: Gmail clips a message's HTML at about 102 KB
ABSOLUTE_SCHEMES = ("http", "https")


def mail_problems(html: bytes, placeholder: str = PLACEHOLDER) -> list[str]:
    """Everything in an email's HTML that a mail client would drop, break or refuse."""
    doc = parse_html(html.decode("utf-8"))
    problems = [f"{len(html):,} bytes"] if len(html) >= LIMIT else []
    for element in doc.iter():
        if element.tag == "script":
            problems.append("a <script>")
        if element.tag == "link" and "stylesheet" in (element.get("rel") or "").lower():
            problems.append("a linked stylesheet")
        if element.tag == "img" and not all(element.get(name) is not None for name in ("width", "height", "alt")):
            problems.append(f"<img> without width, height or alt: {element.attrs}")
        if element.tag == "img" and not (element.get("width") or "").isdigit():
            problems.append(f"<img> width is not a number of pixels: {element.attrs}")
        problems += [
            f"{element.tag} {name}={url!r}" for name, url in links_of(element) if not absolute(url, placeholder)
        ]
    head = doc.find("head")
    styles = doc.find_all("style")
    if len(styles) != 1 or styles[0] not in head.iter() or "prefers-color-scheme: dark" not in styles[0].text:
        problems.append("not one <style> in the head, with a dark scheme")
    metas = {meta.get("name"): meta.get("content") for meta in head.find_all("meta") if meta.get("name")}
    if metas.get("color-scheme") != "light dark" or metas.get("supported-color-schemes") != "light dark":
        problems.append(f"color schemes not declared: {metas}")
    if not any("width:600px" in (table.get("style") or "") for table in doc.find_all("table")):
        problems.append("no table 600 px wide")
    return problems


def links_of(element: Element) -> Iterator[tuple[str, str]]:
    for name in ("href", "src"):
        value = element.get(name)
        if value is not None:
            yield name, value


def absolute(url: str, placeholder: str) -> bool:
    """An address that works from a mail (the service's placeholder is its to replace)."""
    parts = urlsplit(url)
    return url == placeholder or parts.scheme == "mailto" or (parts.scheme in ABSOLUTE_SCHEMES and bool(parts.netloc))


def editions(site: Path) -> list[Path]:
    """Every edition's folder (a day's, a week's)."""
    return sorted(path.parent for kind in ("daily", "weekly") for path in site.glob(f"{kind}/*/index.html"))


def edition_stories(folder: Path, origin: str = BASE) -> list[tuple[str, str]]:
    """(headline, absolute address) of each story the edition's page shows, in its order."""
    page = parse_file(folder / "index.html")
    return [
        (li.get("data-title") or "", origin + (li.get("data-url") or "")) for li in page.find_all("li", class_="story")
    ]


def one_line(text: str) -> str:
    return " ".join(text.split())


# --- the files beside every edition ----------------------------------------------------------


def test_every_edition_has_an_email_that_a_mail_client_can_show(built_sample: Path) -> None:
    folders = editions(built_sample)
    assert len([f for f in folders if f.parent.name == "daily"]) > 10 and any(
        f.parent.name == "weekly" for f in folders
    )
    sitemap = (built_sample / "sitemap.xml").read_text(encoding="utf-8")
    for folder in folders:
        html = (folder / "email.html").read_bytes()
        assert mail_problems(html) == [], folder
        assert "email." not in sitemap
        page = parse_file(folder / "index.html")
        assert [a.get("href") for a in page.find_all("a") if a.text == "Email version"] == [
            "/" + (folder / "email.html").relative_to(built_sample).as_posix()
        ]


def test_an_email_shows_the_editions_stories_numbered_with_every_link(built_sample: Path) -> None:
    folder = built_sample / "daily" / "2024-02-15"
    doc = parse_file(folder / "email.html")
    links = {a.get("href"): a.text for a in doc.find_all("a")}
    headlines = [h3.find("a") for h3 in doc.find_all("h3")]
    assert [(a.text, a.get("href")) for a in headlines] == edition_stories(folder)
    assert [h3.find("span").text for h3 in doc.find_all("h3")] == ["1.", "2."]
    assert links[f"{BASE}/daily/2024-02-15/"] == "View in your browser"
    assert links["https://www.pacificwire.example/2024/02/15/openai-sora-text-to-video"] == "Read at The Pacific Wire"
    # "More:" names each other outlet, linking to its article, as the river does.
    assert links["https://www.siliconledger.example/news/sora-first-look"] == "Silicon Ledger"
    assert links[f"{BASE}/subscribe/"] and links[PLACEHOLDER] == "Unsubscribe"
    assert PLACEHOLDER in doc.find("body").text  # and as text, for services that fill in text
    hidden = doc.find("div", class_="mail-preheader")
    assert "display:none" in (hidden.get("style") or "") and hidden.text.startswith("OpenAI Unveils Sora")
    assert [h2.text for h2 in doc.find_all("h2")] == ["OpenAI", "Google"]  # the page's topic groups
    assert doc.find("h1").text == "The AI Digest"
    assert "15 February 2024" in doc.find("body").text


def test_the_plain_text_holds_every_headline_and_link_wrapped_at_72_columns(built_sample: Path) -> None:
    for folder in editions(built_sample):
        text = (folder / "email.txt").read_text(encoding="utf-8")
        flat = one_line(text)
        for title, url in edition_stories(folder):
            assert one_line(title) in flat, (folder, title)
            assert f"On The AI Digest: {url}\n" in text, (folder, url)
        html_links = {a.get("href") for a in parse_file(folder / "email.html").find_all("a")}
        originals = {href for href in html_links if href and "digest.example.org" not in href and "://" in href}
        shares = ("twitter.com", "linkedin.com")
        assert all(href in text for href in originals if not any(host in href for host in shares)), folder
        assert text.rstrip("\n").endswith(f"Unsubscribe: {PLACEHOLDER}")
        for line in text.splitlines():
            assert len(line) <= 72 or "://" in line, line  # only an address may run longer


def test_titles_and_settings_are_escaped_in_the_html_and_kept_as_written_in_the_text(
    make_site: Callable[..., Path], run_build: Callable[..., Run]
) -> None:
    hostile = """<script>alert("x")</script> & 'quoted' "words" </td></table>"""
    front = (
        f"---\ntitle: '{hostile.replace(chr(39), chr(39) * 2)}'\nexcerpt: \"An <b>excerpt</b> & more\"\n"
        "publishedDateTime: 2024-02-15T18:05:00Z\noriginalUrl: https://news.example.com/a?x=1&y=2\n"
        "provider: {name: 'A & B <News>', domain: news.example.com}\ntopics: ['R&D <Lab>']\n"
        "images: [{url: 'https://img.example.com/a.jpg', width: 1200, height: 600}]\n---\n\nBody.\n"
    )
    placeholder = "https://unsub.example.com/?id=%%ID%%&list=1"
    site = make_site({"2024-02-15-hostile.md": front}, {"email_unsubscribe": placeholder, "title": "Q & A"})
    assert run_build().code == 0
    html = (site / "_site/daily/2024-02-15/email.html").read_text(encoding="utf-8")
    assert "<script" not in html and "</td></table>" not in html
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; &amp; &#39;quoted&#39;" in html
    assert f'href="{placeholder.replace("&", "&amp;")}"' in html
    doc = parse_html(html)
    assert doc.find("h3").find("a").text == one_line(hostile)
    assert doc.find("img", class_="mail-image").get("alt") == hostile
    assert doc.find("img", class_="mail-image").get("height") == str(round(552 * 600 / 1200))
    assert mail_problems(html.encode(), placeholder) == []
    text = (site / "_site/daily/2024-02-15/email.txt").read_text(encoding="utf-8")
    assert one_line(hostile) in one_line(text) and "A & B <News>" in text and "R&D <LAB>" in text
    assert text.rstrip().endswith(f"Unsubscribe: {placeholder}")


@pytest.mark.parametrize(
    ("key", "value", "message"),
    [
        ("email_unsubscribe", "<%asm_group_unsubscribe_raw_url%>", "holds a character that HTML escapes"),
        ("email_unsubscribe", "", "unsubscribe placeholder"),
        ("email_from", "not an address", "should be a mail address"),
    ],
)
def test_email_settings_that_cannot_work_stop_the_build(
    make_site: Callable[..., Path], run_build: Callable[..., Run], key: str, value: str, message: str
) -> None:
    make_site({"2024-02-15-good.md": item_text()}, {key: value})
    run = run_build()
    assert run.code == 2 and f"{key}: " in run.err and message in run.err, run.err


def test_a_large_edition_keeps_what_fits_in_100_kb_and_links_the_rest(
    make_site: Callable[..., Path], run_build: Callable[..., Run]
) -> None:
    excerpt = "Words of a long excerpt " * 70
    files = {
        f"2024-02-15-story-{n:03}.md": item_text(
            f"Story number {n} of a very busy day, with a long headline {'abcdefgh'[n % 8] * 3}",
            f"2024-02-15T{n % 24:02}:{n % 60:02}:00Z",
            extra=f"heat: {1000 - n}\n",
        ).replace('excerpt: "An excerpt."', f'excerpt: "{excerpt.strip()}"')
        for n in range(150)
    }
    site = make_site(files)
    assert run_build().code == 0
    folder = site / "_site/daily/2024-02-15"
    html = (folder / "email.html").read_bytes()
    assert 90_000 < len(html) < LIMIT  # filled, not emptied
    doc = parse_html(html.decode())
    shown = len(doc.find_all("h3"))
    left = [a for a in doc.find_all("a") if a.text.endswith("more stories on the site")]
    assert 10 < shown < 150
    assert [(a.text, a.get("href")) for a in left] == [
        (f"{150 - shown} more stories on the site", str(site_url(folder)))
    ]
    text = (folder / "email.txt").read_text(encoding="utf-8")
    stories = edition_stories(folder, "https://example.org")
    assert all(url in text for _, url in stories[:shown]) and not any(url in text for _, url in stories[shown:])
    assert f"{150 - shown} more stories on the site: {site_url(folder)}" in text


def site_url(folder: Path) -> str:
    return f"https://example.org/{folder.parent.name}/{folder.name}/"


@pytest.fixture(scope="module")
def thousand_items(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A 1,000-item make_corpus.py site, built (skipped where ../shared is absent)."""
    make_corpus = requires_shared(SHARED / "tools" / "make_corpus.py")
    folder = tmp_path_factory.mktemp("corpus1k")
    command = [sys.executable, str(make_corpus), "--items", "1000", "--seed", "1", str(folder / "content")]
    subprocess.run(command, check=True, capture_output=True)
    (folder / "site.toml").write_text('title = "Corpus"\nbase_url = "https://digest.example.org/"\n')
    build = [sys.executable, str(REPO / "build.py"), "--config", str(folder / "site.toml"), "--no-cache", "-q"]
    assert subprocess.run([*build, "--now", "2025-01-01T00:00:00Z"], capture_output=True).returncode in (0, 1)
    return folder / "_site"


def test_every_email_of_a_thousand_item_site_is_mail_safe_and_under_100_kb(thousand_items: Path) -> None:
    emails = sorted(thousand_items.glob("*/*/email.html"), key=lambda path: path.stat().st_size)
    assert len(emails) > 600
    for path in emails:
        assert mail_problems(path.read_bytes()) == [], path
    largest = parse_file(emails[-1])
    assert len(largest.find_all("img", class_="mail-image")) > 5  # the corpus has images mail shows
    assert all(int(img.get("width") or 0) <= 552 for img in largest.find_all("img"))


# --- digest email ----------------------------------------------------------------------------


def digest_email(*args: str | Path) -> subprocess.CompletedProcess[bytes]:
    """`digest email ARGS` as a separate process: standard output as the bytes it writes."""
    command = [sys.executable, str(REPO / "build.py"), "email", *map(str, args)]
    return subprocess.run(command, capture_output=True, timeout=120)


@pytest.fixture
def run_email(capsysbinary: pytest.CaptureFixture[bytes]) -> Callable[..., tuple[int, bytes]]:
    """`digest email ARGS` in this process: its exit status and the bytes it wrote."""

    def run_command(*args: str | Path) -> tuple[int, bytes]:
        capsysbinary.readouterr()
        code = main(["email", *map(str, args)])
        return code, capsysbinary.readouterr().out

    return run_command


def parsed(data: bytes) -> EmailMessage:
    message = email.message_from_bytes(data, policy=email.policy.default)
    assert isinstance(message, EmailMessage)
    return message


def test_digest_email_prints_the_built_edition_as_a_mime_message(built_sample: Path) -> None:
    sample = built_sample.parent
    done = digest_email("2024-02-15", "--site", sample, "--from", "Digest <news@example.org>", "--to", "a@example.org")
    assert done.returncode == 0, done.stderr
    message = parsed(done.stdout)
    assert message.get_content_type() == "multipart/alternative" and not message.defects
    parts = list(message.iter_parts())
    assert [part.get_content_type() for part in parts] == ["text/plain", "text/html"]
    assert all(part.get_content_charset() == "utf-8" for part in parts)
    folder = built_sample / "daily" / "2024-02-15"
    assert parts[1].get_content().encode("utf-8") == (folder / "email.html").read_bytes()
    assert parts[0].get_content().encode("utf-8") == (folder / "email.txt").read_bytes()
    assert message["Subject"] == "The AI Digest: 15 February 2024"
    assert (message["From"], message["To"]) == ("Digest <news@example.org>", "a@example.org")
    assert message["Date"].datetime == datetime.fromisoformat("2024-02-15T00:00:00+00:00")
    assert re.fullmatch(r"<daily\.2024-02-15\.[0-9a-f]{12}@digest\.example\.org>", message["Message-ID"])
    assert (
        digest_email(
            "2024-02-15", "--site", sample, "--from", "Digest <news@example.org>", "--to", "a@example.org"
        ).stdout
        == done.stdout
    )


def test_digest_email_names_a_week_and_today_is_the_newest_day(
    sample_site: Path, run_email: Callable[..., tuple[int, bytes]]
) -> None:
    for asked, subject, date in [
        ("2024-W07", "The AI Digest: Week 7, 2024 (12–18 February 2024)", "2024-02-12"),
        ("today", "The AI Digest: 9 October 2024", "2024-10-09"),
    ]:
        code, out = run_email(asked, "--config", sample_site / "site.toml")
        assert code == 0
        message = parsed(out)
        assert message["Subject"] == subject and message["Date"].datetime.date().isoformat() == date
        assert "From" not in message and message.get_body(("plain",)) is not None
    assert not (sample_site / "_site").exists()  # nothing is written


@pytest.mark.parametrize(
    ("asked", "message"),
    [
        ("2024-02-14", "error: no edition for 2024-02-14; the nearest: 2023-12-11 and 2024-02-15"),
        ("2024-W08", "error: no edition for 2024-W08; the nearest: 2024-W07 and 2024-W10"),
        ("2024-02-30", "error: '2024-02-30' is not a date of the calendar"),
        ("yesterday", "error: 'yesterday' is not a date: write it like 2024-02-15 (a day), 2024-W07 (a week) or today"),
    ],
)
def test_digest_email_of_an_unknown_date_exits_2_naming_the_nearest(
    sample_site: Path, run_build: Callable[..., Run], asked: str, message: str
) -> None:
    run = run_build("email", asked, "--site", sample_site)
    assert (run.code, run.err.strip(), run.out) == (2, message, "")


@pytest.mark.parametrize("key", ["2024-02-16", "2024-W07"])
def test_digest_email_of_the_tiny_site_matches_its_golden_message(
    key: str, run_email: Callable[..., tuple[int, bytes]], request: pytest.FixtureRequest
) -> None:
    """One daily and one weekly message, checked in; regenerate with --update-golden."""
    code, out = run_email(key, "--config", SITES / "tiny" / "site.toml", "--now", "2025-01-01T00:00:00Z")
    assert code == 0
    golden = SITES / "tiny" / "messages" / f"{key}.eml"
    if request.config.getoption("--update-golden"):
        golden.parent.mkdir(exist_ok=True)
        golden.write_bytes(out)
    assert out.decode() == golden.read_text(encoding="utf-8")
    html = parsed(out).get_body(("html",)).get_content()  # type: ignore[union-attr]
    folder = "daily" if "W" not in key else "weekly"
    assert html == (SITES / "tiny" / "expected" / folder / key / "email.html").read_text(encoding="utf-8")


# --- rebuilds --------------------------------------------------------------------------------


@pytest.fixture
def site(tmp_path: Path) -> Path:
    return copy_sample(tmp_path)


def test_a_warm_rebuild_after_a_title_edit_rewrites_the_emails_as_a_cold_build_does(site: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    run(site, cache=cache)
    before = tree_bytes(site / "_site")
    edit_body_and_title(site)
    run(site, cache=cache)
    after = tree_bytes(site / "_site")
    changed = {name for name in after if before.get(name) != after[name]}
    assert {"daily/2024-02-15/email.html", "daily/2024-02-15/email.txt", "weekly/2024-W07/email.txt"} <= changed
    assert after == cold_copy(site, tmp_path)
