"""`digest serve`: build, serve on localhost, rebuild on every change, reload tabs.

The preview is built into a temporary folder with `base_url` set to the local address, so
the published `_site` is never touched. Pages are served as built, except that HTML
responses get a small script (only here, never in a build) that listens for rebuilds on an
event stream: it reloads the page after a good build and shows an overlay naming the file
and the problem after a failed one, while the last good site keeps being served.
"""

from __future__ import annotations

import argparse
import ipaddress
import json
import shutil
import sys
import tempfile
import threading
from datetime import UTC, datetime
from functools import partial
from http import HTTPStatus
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import watchfiles

from ..config import CONFIG_FILE_NAME, SiteConfig, load_config, with_overrides
from ..errors import ConfigError, ContentError, OutputError, ThemeError
from ..pipeline import BuildOptions, build
from ..render.theme import BUILTIN_THEMES, SITE_TEMPLATES
from .common import Exit, add_site_options, bug_report, command_parser, content_override, site_config, stop_on_sigterm

EVENTS_PATH = "/__digest/events"
RELOAD_SCRIPT_PATH = "/__digest/reload.js"
# A file, not an inline script: the pages' Content-Security-Policy runs only the site's own
# script files. (Setting `style` from script is CSSOM, which the policy allows.)
_RELOAD_SCRIPT = """(() => {
  const events = new EventSource("EVENTS_PATH");
  const overlay = (text) => {
    let box = document.getElementById("digest-build-error");
    if (!text) { if (box) box.remove(); return; }
    if (!box) {
      box = document.createElement("pre");
      box.id = "digest-build-error";
      box.style.cssText = "position:fixed;inset:auto 1rem 1rem 1rem;max-height:50vh;overflow:auto;z-index:99999;" +
        "margin:0;padding:1rem;background:#fff0f0;color:#7a0000;border:2px solid #c00;border-radius:8px;" +
        "font:14px/1.4 ui-monospace,monospace;white-space:pre-wrap";
      document.body.append(box);
    }
    box.textContent = text;
  };
  events.addEventListener("reload", () => location.reload());
  events.addEventListener("problems", (event) => overlay(JSON.parse(event.data).text));
})();
""".replace("EVENTS_PATH", EVENTS_PATH)
_RELOAD_TAG = f'<script src="{RELOAD_SCRIPT_PATH}"></script>\n'.encode()


class Rebuilds:
    """The latest build's outcome, and a way for event streams to wait for the next one."""

    def __init__(self) -> None:
        self.condition = threading.Condition()
        self.generation = 0
        self.problems = ""  # what to show in the overlay ("" when the build was clean)

    def publish(self, problems: str) -> None:
        with self.condition:
            self.generation += 1
            self.problems = problems
            self.condition.notify_all()

    def wait(self, seen: int, timeout: float) -> tuple[int, str]:
        with self.condition:
            self.condition.wait_for(lambda: self.generation != seen, timeout=timeout)
            return self.generation, self.problems


def run_build(config: SiteConfig, *, drafts: bool) -> str:
    """Build once; return the problems to show in open pages ("" when there are none)."""
    try:
        # One process (the server's threads make forking unsafe), but with the cache, so an
        # edit re-reads one file and, if only its body changed, renders only its pages.
        options = BuildOptions(drafts=drafts, now=datetime.now(UTC), cache_dir=config.root / ".cache")
        report = build(config, options)
    except (ConfigError, ThemeError, OutputError, ContentError) as exc:
        return f"The build failed; the last good site is still served.\n\n{exc}"
    except Exception as exc:  # a bug in Digest: say so, keep serving, keep watching
        return f"{bug_report(exc)}\n\nThe last good site is still served."
    problems = "\n".join(str(problem) for problem in report.problems if problem.is_error)
    print(report.summary(), file=sys.stderr, flush=True)
    return f"Some files have errors and were left out:\n\n{problems}" if problems else ""


class PreviewServer(ThreadingHTTPServer):
    """A local server that keeps a long queue (a page asks for many files at once) and says
    nothing when a client goes away mid-answer."""

    request_queue_size = 128
    daemon_threads = True

    def handle_error(self, request: object, client_address: object) -> None:
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)  # type: ignore[arg-type]


def allowed_host(header: str | None, listening: str) -> bool:
    """Whether a request's `Host` names this server: an address, `localhost`, or the name
    it was asked to listen on. Any other name is a page elsewhere that resolved its own
    name to this machine (DNS rebinding) to read the preview's drafts."""
    if not header:
        return False
    name = header.rsplit(":", 1)[0] if not header.endswith("]") else header
    name = name.strip("[]").lower()
    if name in ("localhost", listening.strip("[]").lower()):
        return True
    try:
        ipaddress.ip_address(name)
    except ValueError:
        return False
    return True


class PreviewHandler(SimpleHTTPRequestHandler):
    """Serves the preview folder `site`, adds the reload script to HTML pages, and streams
    build events to them; `make_handler` binds a subclass to one preview."""

    site: Path
    rebuilds: Rebuilds
    listening: str = "127.0.0.1"

    def parse_request(self) -> bool:
        if not super().parse_request():
            return False
        if not allowed_host(self.headers.get("Host"), self.listening):
            self.send_error(HTTPStatus.FORBIDDEN, "This preview answers only for the address it listens on")
            return False
        return True

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, directory=str(self.site), **kwargs)  # type: ignore[arg-type]

    def log_message(self, format: str, *args: object) -> None:
        pass  # a quiet terminal: builds print their own summary

    def do_GET(self) -> None:
        if self.path == EVENTS_PATH:
            self.stream_events()
            return
        if self.path == RELOAD_SCRIPT_PATH:
            self.send_body(_RELOAD_SCRIPT.encode(), "text/javascript; charset=utf-8")
            return
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            path = path / "index.html"
        if path.suffix == ".html" and path.is_file():
            self.send_html(path)
            return
        super().do_GET()

    def send_html(self, path: Path) -> None:
        body = path.read_bytes()
        marker = body.rfind(b"</body>")
        body = body[:marker] + _RELOAD_TAG + body[marker:] if marker >= 0 else body + _RELOAD_TAG
        self.send_body(body, "text/html; charset=utf-8")

    def send_body(self, body: bytes, media_type: str) -> None:
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", media_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        self.wfile.write(body)

    def stream_events(self) -> None:
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        seen, problems = self.rebuilds.generation, self.rebuilds.problems
        try:
            self.send_event("problems", json.dumps({"text": problems}))
            while True:
                generation, problems = self.rebuilds.wait(seen, timeout=15)
                if generation == seen:
                    self.wfile.write(b": still here\n\n")  # keeps proxies from closing the stream
                    self.wfile.flush()
                    continue
                seen = generation
                self.send_event("problems", json.dumps({"text": problems}))
                self.send_event("reload", str(generation))
        except (BrokenPipeError, ConnectionResetError):
            return

    def send_event(self, name: str, data: str) -> None:
        self.wfile.write(f"event: {name}\ndata: {data}\n\n".encode())
        self.wfile.flush()


def make_handler(site: Path, rebuilds: Rebuilds, listening: str = "127.0.0.1") -> type[SimpleHTTPRequestHandler]:
    return type("SiteHandler", (PreviewHandler,), {"site": site, "rebuilds": rebuilds, "listening": listening})


def watched_paths(config: SiteConfig, config_path: Path | None) -> list[Path]:
    candidates = [*config.content_dirs, config.root / "themes", config.root / SITE_TEMPLATES, config.root / "static"]
    candidates.append(config.data_dir)
    candidates.append(config_path or config.root / CONFIG_FILE_NAME)
    candidates.append(BUILTIN_THEMES)
    return [path for path in dict.fromkeys(candidates) if path.exists()]


def _parser() -> argparse.ArgumentParser:
    parser = command_parser("serve", "Build, serve the site locally, and rebuild and reload on every change.")
    add_site_options(parser)
    parser.add_argument(
        "--host", default="127.0.0.1", help="address to listen on (default: 127.0.0.1, this machine only)"
    )
    parser.add_argument("--port", type=int, default=8000, help="port (default: 8000)")
    parser.add_argument("--drafts", action="store_true", help="include drafts and future items, as a build --drafts")
    return parser


def _serve(server: ThreadingHTTPServer, local: SiteConfig, args: argparse.Namespace, rebuilds: Rebuilds) -> None:
    """Serve until interrupted, rebuilding on every change."""
    stop_on_sigterm()
    stop = threading.Event()
    content = content_override(args)
    watch = partial(_watch, local, args.config, rebuilds, stop, drafts=args.drafts, content=content)
    threading.Thread(target=watch, daemon=True).start()
    host, port = server.server_address[:2]
    print(f"serving http://{host}:{port}/ (Ctrl-C to stop)", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        stop.set()
        server.server_close()


def main(argv: list[str]) -> int:
    args = _parser().parse_args(argv)
    try:
        config, _ = site_config(args)
    except ConfigError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return Exit.USAGE
    preview = Path(tempfile.mkdtemp(prefix="digest-serve-")) / "site"
    rebuilds = Rebuilds()
    try:
        server = PreviewServer((args.host, args.port), make_handler(preview, rebuilds, args.host))
    except OSError as exc:
        print(f"error: cannot listen on {args.host}:{args.port}: {exc.strerror}", file=sys.stderr)
        shutil.rmtree(preview.parent, ignore_errors=True)
        return Exit.USAGE
    host, port = server.server_address[:2]
    local = with_overrides(config, base_url=f"http://{host}:{port}/", output=str(preview))
    problems = run_build(local, drafts=args.drafts)
    rebuilds.publish(problems)
    if problems:
        print(problems, file=sys.stderr, flush=True)
    try:
        _serve(server, local, args, rebuilds)
    finally:
        shutil.rmtree(preview.parent, ignore_errors=True)
    return Exit.OK


def _watch(
    config: SiteConfig,
    config_path: Path | None,
    rebuilds: Rebuilds,
    stop: threading.Event,
    *,
    drafts: bool,
    content: str | None,
) -> None:
    """Rebuild on every change; an edited site.toml is read again (`content`: the folder
    given on the command line, which stands in for the config's)."""
    for changes in watchfiles.watch(*watched_paths(config, config_path), stop_event=stop, debounce=200):
        names = ", ".join(sorted({Path(path).name for _, path in changes})[:5])
        print(f"changed: {names}", file=sys.stderr, flush=True)
        current = config
        if config_path is not None or (config.root / CONFIG_FILE_NAME).exists():
            try:
                fresh, _ = load_config(config_path, required=config_path is not None)
                current = with_overrides(fresh, base_url=config.base_url, output=config.output, content=content)
            except ConfigError as exc:
                rebuilds.publish(f"The build failed; the last good site is still served.\n\n{exc}")
                continue
        problems = run_build(current, drafts=drafts)
        rebuilds.publish(problems)
