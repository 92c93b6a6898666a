"""How many headlines a reader sees without scrolling: the sample site and a 1,000-item
`make_corpus.py` site, on home and a topic page, on a phone (390 x 844) and a laptop
(1366 x 768), in the normal and the compact mode.

A headline counts when its link to a story lies entirely inside the first screen.

    python tools/headlines.py            # both sites (the second needs ../shared)
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from generator.commands import main as digest
from tools.chromium import CHROME_FLAGS, find_chromium
from tools.localsite import REPO, build_args, local_url, start_server, write_config

VIEWPORTS = {"phone": (390, 844), "laptop": (1366, 768)}
# A story's headline: a link to a story page inside a heading.
HEADLINES = ":is(h1, h2, h3) a[href*='/news/']"
COUNT_SCRIPT = """selector => [...document.querySelectorAll(selector)].filter(link => {
    const box = link.getBoundingClientRect();
    return box.width > 0 && box.top >= 0 && box.bottom <= window.innerHeight;
}).length"""
SHARED = Path(os.environ.get("DIGEST_SHARED", REPO.parent / "shared"))


def visible_headlines(page: object, compact: bool = False) -> int:
    if compact:
        page.evaluate("localStorage.setItem('digest-compact', '1')")  # type: ignore[attr-defined]
        page.reload()  # type: ignore[attr-defined]
    return int(page.evaluate(COUNT_SCRIPT, HEADLINES))  # type: ignore[attr-defined]


def build_site(folder: Path, content: Path) -> tuple[object, str]:
    server = start_server(folder / "_site")
    base = local_url(server)
    config = write_config(folder, base)
    digest([*build_args(config, content, folder / "_site"), "--now", "2025-01-01T00:00:00Z", "-q"])
    return server, base


def first_topic(page: object, base: str) -> str:
    page.goto(base + "topics/")  # type: ignore[attr-defined]
    return str(page.evaluate("document.querySelector('main a[href*=\"/topics/\"]').getAttribute('href')"))  # type: ignore[attr-defined]


def measure(base: str, browser: object) -> dict[str, int]:
    counts = {}
    for device, (width, height) in VIEWPORTS.items():
        context = browser.new_context(viewport={"width": width, "height": height})  # type: ignore[attr-defined]
        page = context.new_page()
        page.route("**/*", lambda route: route.continue_() if route.request.url.startswith(base) else route.abort())
        topic = first_topic(page, base)
        for name, path in (("home", base), ("topic", base.rstrip("/") + topic.removeprefix(base.rstrip("/")))):
            page.goto(path if path.startswith("http") else base + path.lstrip("/"))
            counts[f"{name} {device}"] = visible_headlines(page)
            if device == "laptop":
                counts[f"{name} {device} compact"] = visible_headlines(page, compact=True)
                page.evaluate("localStorage.removeItem('digest-compact')")
        context.close()
    return counts


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.parse_args()
    from playwright.sync_api import sync_playwright

    executable = find_chromium()
    if executable is None:
        print("no Chromium found", file=sys.stderr)
        return 1
    with tempfile.TemporaryDirectory() as folder, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROME_FLAGS)
        sites = {"sample": REPO / "content"}
        if (SHARED / "tools" / "make_corpus.py").is_file():
            content = Path(folder) / "corpus" / "content"
            command = [
                sys.executable,
                str(SHARED / "tools" / "make_corpus.py"),
                "--items",
                "1000",
                "--seed",
                "1",
                str(content),
            ]
            subprocess.run(command, check=True, capture_output=True)
            sites["1,000 items"] = content
        for name, content in sites.items():
            site_folder = Path(folder) / name.replace(",", "").replace(" ", "-")
            site_folder.mkdir(parents=True, exist_ok=True)
            server, base = build_site(site_folder, content)
            for key, count in measure(base, browser).items():
                print(f"{name:12} {key:22} {count:3}")
            server.shutdown()  # type: ignore[attr-defined]
        browser.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
