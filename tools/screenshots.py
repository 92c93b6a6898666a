#!/usr/bin/env python3
"""Screenshots of the sample site for the README: home, a story, a daily edition and the
subscribe page, on a phone and a desktop, in the light and the dark scheme; and a daily
edition's email, whole, 600 px wide as a mail client shows it, light and dark.

    python tools/screenshots.py [--out docs/screenshots]

The sample site is built for and served from a local address, exactly as tools/validate.py
does it, and photographed in headless Chromium ($CHROME_PATH, else /usr/bin/chromium) with
Playwright. The pictures show the top of each page, as a reader first sees it.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from playwright.sync_api import Browser, sync_playwright

from tools.localsite import REPO, build_args, local_url, start_server, write_config
from tools.validate import CHROME_FLAGS, CHROMIUM

PAGES = {
    "home": "",
    "item": "news/2024/02/15/openai-unveils-sora-text-to-video/",
    "daily": "daily/2024-10-09/",
    "subscribe": "subscribe/",
}
DEVICES = {"phone": (390, 844, 2), "desktop": (1366, 900, 1)}  # width, height, pixel ratio
SCHEMES = ("light", "dark")
# An edition whose stories show every part of an email: groups, sources, "More:" lines.
EMAIL = "daily/2024-02-15/email.html"
EMAIL_WIDTH = 600


def build_sample(workdir: Path, base_url: str) -> Path:
    output = workdir / "_site"
    arguments = build_args(write_config(workdir, base_url), REPO / "content", output)
    subprocess.run([sys.executable, str(REPO / "build.py"), *arguments, "-q"], check=True)
    return output


def take_screenshots(base_url: str, out: Path) -> list[Path]:
    taken = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROME_FLAGS)
        for device, (width, height, ratio) in DEVICES.items():
            for scheme in SCHEMES:
                context = browser.new_context(
                    viewport={"width": width, "height": height}, device_scale_factor=ratio, color_scheme=scheme
                )
                page = context.new_page()
                for name, path in PAGES.items():
                    page.goto(base_url + path, wait_until="networkidle")
                    target = out / f"{name}-{device}-{scheme}.png"
                    page.screenshot(path=str(target))
                    taken.append(target)
                context.close()
        taken += email_screenshots(browser, base_url, out)
        browser.close()
    return taken


def email_screenshots(browser: Browser, base_url: str, out: Path) -> list[Path]:
    """The whole email, as wide as mail clients lay it out, in each scheme."""
    taken = []
    for scheme in SCHEMES:
        context = browser.new_context(viewport={"width": EMAIL_WIDTH, "height": 800}, color_scheme=scheme)
        page = context.new_page()
        page.goto(base_url + EMAIL, wait_until="networkidle")
        target = out / f"email-{scheme}.png"
        page.screenshot(path=str(target), full_page=True)
        taken.append(target)
        context.close()
    return taken


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=REPO / "docs" / "screenshots", help="folder for the PNG files")
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="digest-screens-") as folder:
        workdir = Path(folder)
        server = start_server(workdir / "_site")
        try:
            base_url = local_url(server)
            build_sample(workdir, base_url)
            for path in take_screenshots(base_url, args.out):
                print(f"{path.relative_to(REPO) if path.is_relative_to(REPO) else path}  {path.stat().st_size:,} bytes")
        finally:
            server.shutdown()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
