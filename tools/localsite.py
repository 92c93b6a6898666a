"""A site built for, and served at, a local address: what the browser tests, the validators
and the screenshots all open.

The site is built with `base_url` set to the address it is served from, so its canonical
and feed links point at the server being checked rather than at the real host.
"""

from __future__ import annotations

import functools
import http.server
import json
import re
import shutil
import threading
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]


def write_config(folder: Path, base_url: str, **settings: str | int) -> Path:
    """The repository's site.toml in `folder` with `base_url` and `settings` replaced, and
    its static/ beside it (the config reads static/ from its own folder).

    The replaced keys go first, where they are top-level even if the file opens a [table]
    later; JSON strings and numbers are also valid TOML.
    """
    settings = {"base_url": base_url, **settings}
    text = (REPO / "site.toml").read_text(encoding="utf-8")
    for key in settings:
        text = re.sub(rf"(?m)^\s*{re.escape(key)}\s*=.*\n?", "", text)
    lines = "".join(f"{key} = {json.dumps(value)}\n" for key, value in settings.items())
    config = folder / "site.toml"
    config.write_text(lines + text, encoding="utf-8")
    if (REPO / "static").is_dir():
        shutil.copytree(REPO / "static", folder / "static")
    return config


class SiteHandler(http.server.SimpleHTTPRequestHandler):
    """Static files, with the site's 404.html for missing paths, as a real host would serve."""

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        page = Path(self.directory) / "404.html"
        if code != 404 or not page.is_file():
            super().send_error(code, message, explain)
            return
        body = page.read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:
        """Silence the access log: the checkers make thousands of requests."""


class QuietServer(http.server.ThreadingHTTPServer):
    def handle_error(self, request: Any, client_address: Any) -> None:
        """A browser that closes a connection early (a page left mid-load) is no error."""


def start_server(root: Path) -> http.server.ThreadingHTTPServer:
    """Serve `root` on a free port; the port is known before the build so base_url can use it."""
    handler = functools.partial(SiteHandler, directory=str(root))
    server = QuietServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def local_url(server: http.server.ThreadingHTTPServer) -> str:
    return f"http://127.0.0.1:{server.server_port}/"


def build_args(config: Path, content: Path, output: Path) -> list[str]:
    """The build command's arguments for such a site: from scratch, never the user's cache."""
    return ["--config", str(config), "--content", str(content), "--output", str(output), "--no-cache"]
