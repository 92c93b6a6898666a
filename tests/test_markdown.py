"""Curator summaries: CommonMark with tables and strikethrough, never raw HTML or script links."""

import pytest

from generator.load.markdown import is_safe_link, render_markdown, rewrite_urls

from .htmltools import parse_html


def test_commonmark_tables_and_strikethrough() -> None:
    html = render_markdown("**Main points**\n\n- one\n- two\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n~~old~~ new\n")
    doc = parse_html(html)
    assert doc.find("strong").text == "Main points"
    assert [li.text for li in doc.find_all("li")] == ["one", "two"]
    assert [td.text for td in doc.find_all("td")] == ["1", "2"]
    assert doc.find("s").text == "old"


def test_raw_html_is_shown_as_text_not_markup() -> None:
    html = render_markdown('Hello <script>alert("x")</script>\n\n<div onclick="evil()">block</div>\n')
    doc = parse_html(html)
    assert doc.find_all("script") == []
    assert doc.find_all("div") == []
    assert '<script>alert("x")</script>' in doc.text
    assert "&lt;script&gt;" in html


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        "JavaScript:alert(1)",
        "vbscript:msgbox",
        "data:text/html,x",
        "data:image/png;base64,AAAA",
        "file:///etc/passwd",
        " javascript:alert(1)",
    ],
)
def test_script_and_other_schemes_never_become_links(url: str) -> None:
    doc = parse_html(render_markdown(f"[click]({url}) ![pic]({url}) <{url}>\n"))
    assert doc.find_all("a") == []
    assert doc.find_all("img") == []


@pytest.mark.parametrize(
    "url",
    [
        "https://example.com/a?b=1&c=2",
        "http://example.com",
        "mailto:desk@example.com",
        "/topics/ai/",
        "#section",
        "relative/page/",
    ],
)
def test_web_mail_and_relative_links_are_kept(url: str) -> None:
    assert is_safe_link(url)
    link = parse_html(render_markdown(f"[x]({url})")).find("a")
    assert link.get("href") == url


def test_a_top_level_heading_is_demoted_below_the_page_title() -> None:
    doc = parse_html(render_markdown("# Big\n\n## Smaller\n"))
    assert doc.find_all("h1") == []
    assert [h.text for h in doc.find_all("h2")] == ["Big", "Smaller"]


def test_an_empty_body_renders_nothing() -> None:
    assert render_markdown("  \n\n") == ""


def test_rewrite_urls_changes_link_and_image_addresses_but_never_text() -> None:
    html = render_markdown('[a](/x?a=1&b=2) ![i](img.png) `href="/code"` and href="/text"')
    rewritten = rewrite_urls(html, lambda url: "https://example.org" + url if url.startswith("/") else "X:" + url)
    doc = parse_html(rewritten)
    assert doc.find("a").get("href") == "https://example.org/x?a=1&b=2"
    assert doc.find("img").get("src") == "X:img.png"
    assert doc.find("code").text == 'href="/code"'
    assert 'href="/text"' in doc.text


def test_table_alignment_is_a_class_because_the_pages_refuse_inline_styles() -> None:
    html = render_markdown("| a | b | c | d |\n|:--|:-:|--:|---|\n| 1 | 2 | 3 | 4 |")
    assert "style=" not in html
    assert '<th class="align-left">a</th>' in html
    assert '<td class="align-center">2</td>' in html
    assert '<td class="align-right">3</td>' in html
    assert "<td>4</td>" in html


def test_summary_images_load_lazily() -> None:
    image = parse_html(render_markdown("Chart:\n\n![Benchmark scores](https://example.org/chart.png)")).find("img")
    assert image.get("alt") == "Benchmark scores"
    assert image.get("loading") == "lazy"
