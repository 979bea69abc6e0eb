"""``researchmap serve``: build, serve over HTTP, rebuild what changed, reload open tabs.

The server serves the last good build: builds write beside the output dir and swap it in
(write.SiteWriter), so a failed build leaves the previous site served while the error goes to
the terminal and, through the live-reload channel, into an overlay on the open page. The
live-reload script is injected into HTML responses here, so it never reaches a built site.
"""

from __future__ import annotations

import dataclasses
import gc
import json
import mimetypes
import os
import posixpath
import sys
import threading
import time
import traceback
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urlsplit, urlunsplit

from .build import build
from .load import Paths, State
from .changes import CONFIG, STATIC
from .cli import BUILD_GC_THRESHOLDS
from .config import SiteConfig, config_from_dict, load_config
from .errors import ResearchMapError, user_error
from .watch import ChangeQueue, Roots, start_observer

PREFIX = "/__researchmap__/"
SCRIPT = (Path(__file__).parent / "livereload.js").read_bytes()
INJECT = f'<script src="{PREFIX}livereload.js" defer></script>'.encode()
WARNINGS_SHOWN = 100  # in the page's list of the build's warnings; the terminal has them all
NO_SITE = b"<!DOCTYPE html><html lang=en><head><meta charset=utf-8><title>researchmap</title></head><body><p>No site built yet.</p></body></html>"


class Hub:
    """Build results fanned out to every open event stream."""

    def __init__(self):
        self.cond = threading.Condition()
        self.build = 0
        self.error: str | None = None
        self.last: dict = {}
        self.builds = 0
        self.building = False
        self.closed = False
        self.report: dict = {}
        self.streams = 0
        self.warnings: list[str] = []  # the last good build's, which each served page shows

    def publish(self, msg: dict) -> None:
        with self.cond:
            self.last = {**msg, "build": self.build}
            self.cond.notify_all()

    def hello(self) -> dict:
        return {"type": "hello", "build": self.build, "error": self.error}

    def status(self) -> dict:
        return {"build": self.build, "builds": self.builds, "building": self.building, "error": self.error, "report": self.report, "streams": self.streams,
                "warnings": self.warnings}


class DevSite:
    """Owns the config, the previous build's state and the rebuild loop."""

    def __init__(self, config_path: Path | None, config: SiteConfig, args, out: Path, local_url: str):
        self.config_path = config_path
        self.config = config
        self.args = args
        self.out = out
        self.local_url = local_url
        self.hub = Hub()
        self.state: State | None = None
        self.notes: list[str] = []  # the build notes last printed
        self.serve_base = url_path(local_url)
        self.old_bases: set[str] = set()  # where it served before base_url changed: redirected

    def _config(self, reload: bool) -> SiteConfig:
        """The config (re-read when it changed), always with base_url pointing at this server."""
        if reload and self.config_path is not None:
            loaded = load_config(self.config_path)
            base = url_path(self.args.base_url or loaded.base_url)
            if base != self.serve_base:  # base_url's path changed: serve there, and send the old one on
                self.old_bases.add(self.serve_base)
                self.old_bases.discard(base)
                self.serve_base = base
                self.local_url = urlunsplit(urlsplit(self.local_url)._replace(path=base))
                print(f"base_url changed: now serving at {self.local_url}", flush=True)
            self.config = dataclasses.replace(loaded, base_url=self.local_url)
        return self.config

    def rebuild(self, changes: frozenset[str] | None, paths=()) -> bool:
        hub = self.hub
        with hub.cond:
            hub.building = True
        t0 = time.perf_counter()
        what = ", ".join(sorted(str(p) for p in paths)[:3]) or "start"
        # as `researchmap build` (cli.cmd_build), the collector runs a hundredth as often while
        # building; between builds, Python's own thresholds (the server runs for hours)
        thresholds = gc.get_threshold()
        gc.set_threshold(*BUILD_GC_THRESHOLDS)
        try:
            config = self._config(changes is None or CONFIG in changes)
            report = build(
                config,
                content=Path(self.args.content) if self.args.content else None,
                out=self.out,
                use_cache=not self.args.no_cache,
                previous=self.state,
                changes=changes,
                changed_templates=self._template_names(paths),
                drafts=self.args.drafts,
            )
        except Exception as exc:  # a bug must not kill the server either: its traceback is shown
            error = user_error(exc)
            return self._failed(str(error) if error else traceback.format_exc())
        finally:
            gc.set_threshold(*thresholds)
            with hub.cond:
                hub.building = False
        self.state = report.state
        for w in report.warnings:
            print(f"warning: {w}", file=sys.stderr)
        notes = report.notes()
        if notes != self.notes:  # said once, and again when it changes
            self.notes = notes
            for note in notes:
                print(f"note: {note}", file=sys.stderr)
        css_only = changes == frozenset({STATIC}) and all(str(p).endswith(".css") for p in paths)
        with hub.cond:
            hub.build += 1
            hub.builds += 1
            hub.error = None
            hub.warnings = [str(w) for w in report.warnings[:WARNINGS_SHOWN]]
            hub.report = {
                "seconds": report.seconds, "stages": report.stages, "written": report.written,
                "unchanged": report.unchanged, "changes": sorted(changes or ["all"]), "warnings": len(report.warnings),
            }
        hub.publish({"type": "css" if css_only else "reload"})
        # one short line a save, as Hugo's; the stages' times are in /__researchmap__/status
        print(f"rebuilt ({what}) in {time.perf_counter() - t0:.2f} s: {report.short()}", flush=True)
        return True

    def _failed(self, message: str) -> bool:
        hub = self.hub
        with hub.cond:
            hub.builds += 1
            hub.error = message
        hub.publish({"type": "error", "error": message})
        print(f"error: {message}\n(serving the last good build; fix the file and save to retry)", file=sys.stderr, flush=True)
        return False

    def _template_names(self, paths) -> frozenset[str]:
        """Changed files as template names (relative to templates/ or a theme's templates/)."""
        names = set()
        for p in paths:
            parts = Path(p).parts
            last = max((i for i, part in enumerate(parts) if part == "templates"), default=None)
            if last is not None and last + 1 < len(parts):
                names.add("/".join(parts[last + 1 :]))
        return frozenset(names)

    def loop(self, queue: ChangeQueue) -> None:
        while True:
            batch = queue.wait()
            if batch is None:
                return
            self.rebuild(frozenset(batch.values()), batch.keys())


def make_handler(site: DevSite):
    class Handler(BaseHTTPRequestHandler):
        server_version = "researchmap"
        protocol_version = "HTTP/1.1"

        def log_message(self, fmt, *args):  # quiet: the terminal is for builds
            pass

        def do_HEAD(self):
            self.do_GET(head=True)

        def do_GET(self, head: bool = False):
            path = urlsplit(self.path).path
            if path.startswith(PREFIX):
                return self.internal(path[len(PREFIX):], head)
            base = site.serve_base
            if not path.startswith(base):
                if path in ("/", base.rstrip("/")):
                    return self.redirect(base)
                old = max((b for b in tuple(site.old_bases) if path.startswith(b)), key=len, default=None)
                if old is not None:  # a tab left open on the path served before base_url changed
                    query = urlsplit(self.path).query
                    return self.redirect(base + path[len(old):] + (f"?{query}" if query else ""))
                return self.not_found(head)
            rel = unquote(path[len(base):], errors="strict") if "%" in path else path[len(base):]
            target = resolve(site.out, rel)
            if target is None:
                return self.not_found(head)
            if target.is_dir():
                if not path.endswith("/"):
                    return self.redirect(path + "/")
                target = target / "index.html"
            elif not path.endswith("/") and not target.suffix and not target.exists():
                target = target.with_name(target.name + ".html")  # as GitHub Pages serves topics/moe
            data = read(target)
            if data is None:
                return self.not_found(head)
            self.send(HTTPStatus.OK, target.name, data, head)

        def internal(self, name: str, head: bool):
            if name == "livereload.js":
                return self.send(HTTPStatus.OK, name, SCRIPT, head)
            if name == "status":
                return self.send(HTTPStatus.OK, "s.json", json.dumps(site.hub.status()).encode(), head)
            if name == "events":
                return self.events()
            return self.not_found(head)

        def events(self):
            hub = site.hub
            self.send_response(HTTPStatus.OK)
            self.send_header("Content-Type", "text/event-stream")
            self.send_header("Cache-Control", "no-store")
            self.send_header("Connection", "close")
            self.end_headers()
            self.close_connection = True
            with hub.cond:
                hub.streams += 1
            try:
                self.wfile.write(b"retry: 500\n\n" + sse(hub.hello()))
                self.wfile.flush()
                with hub.cond:
                    last = hub.last
                while True:
                    with hub.cond:
                        hub.cond.wait_for(lambda: hub.last is not last or hub.closed, timeout=15)
                        if hub.closed:
                            return
                        changed, last = hub.last is not last, hub.last
                    self.wfile.write(sse(last) if changed else b": keep-alive\n\n")
                    self.wfile.flush()
            except (BrokenPipeError, ConnectionResetError, OSError):
                return
            finally:
                with hub.cond:
                    hub.streams -= 1

        def redirect(self, location: str):
            self.send_response(HTTPStatus.FOUND)
            self.send_header("Location", location)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def not_found(self, head: bool):
            data = read(site.out / "404.html") or NO_SITE
            self.send(HTTPStatus.NOT_FOUND, "404.html", data, head)

        def send(self, status, name: str, data: bytes, head: bool):
            ctype = mimetypes.guess_type(name)[0] or "application/octet-stream"
            if ctype == "text/html":
                data = inject(data)
            if ctype.startswith("text/") or ctype in ("application/javascript", "application/json", "image/svg+xml", "application/atom+xml", "application/xml"):
                ctype += "; charset=utf-8"
            self.send_response(status)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(data)))
            self.send_header("Cache-Control", "no-store")
            self.end_headers()
            if not head:
                self.wfile.write(data)

    return Handler


def url_path(url: str) -> str:
    path = urlsplit(url).path or "/"
    return path if path.endswith("/") else path + "/"


def sse(msg: dict) -> bytes:
    return b"data: " + json.dumps(msg).encode() + b"\n\n"


def inject(html: bytes) -> bytes:
    at = html.rfind(b"</body>")
    return html[:at] + INJECT + html[at:] if at >= 0 else html + INJECT


def resolve(out: Path, rel: str) -> Path | None:
    """The file under ``out`` a URL path names, or None when it would leave ``out``."""
    if "\x00" in rel or "\\" in rel:
        return None
    parts = [p for p in rel.split("/") if p not in ("", ".")]
    if any(p == ".." for p in parts) or posixpath.isabs(rel.lstrip("/")):
        return None
    root = os.path.realpath(out)
    full = os.path.realpath(os.path.join(root, *parts))
    if full != root and not full.startswith(root + os.sep):
        return None  # a symlink pointing outside
    return Path(full)


def read(path: Path) -> bytes | None:
    # the site is swapped in by two renames; a request landing between them retries once
    for attempt in range(2):
        try:
            return path.read_bytes()
        except (IsADirectoryError, NotADirectoryError):
            return None
        except FileNotFoundError:
            if attempt == 0 and not path.parent.exists():
                time.sleep(0.05)
                continue
            return None
        except OSError:
            return None
    return None


def serve(args) -> int:
    from .cli import DEFAULT_CONFIG, resolve_config

    config_path = Path(args.config or DEFAULT_CONFIG).resolve()
    config_path = config_path if config_path.exists() else None
    try:
        config = resolve_config(args)
    except ResearchMapError:
        # a broken config must not stop the server: the first build reports it in the page
        config = config_from_dict({}, root=config_path.parent if config_path else Path.cwd())
    # serve under the path of --base-url (or of the config's base_url), at this host and port
    local = f"http://{args.host}:{args.port}{url_path(args.base_url or config.base_url)}"
    config = dataclasses.replace(config, base_url=local)
    out = Path(args.out) if args.out else config.root / ".researchmap-cache" / "serve"
    site = DevSite(config_path, config, args, out, local)
    paths = Paths.for_config(config, content=Path(args.content) if args.content else None, out=out)
    roots = Roots(
        # the project's own folders, there or not yet (a build falls back to researchmap's)
        content=paths.content.resolve(), templates=(config.root / "templates").resolve(), themes=(config.root / "themes").resolve(),
        config=config_path, ignored=(out.resolve(), (config.root / ".researchmap-cache").resolve()), root=config.root.resolve(),
    )
    queue = ChangeQueue(roots)
    queue.remember_all()
    try:  # claim the port first: a busy port is a message, not a traceback after a build
        httpd = ThreadingHTTPServer((args.host, args.port), make_handler(site))
    except OSError as exc:
        raise ResearchMapError(f"cannot serve on {args.host}:{args.port} ({exc.strerror}); choose another with --port") from None
    httpd.daemon_threads = True
    observer = start_observer(queue, poll=args.poll)  # before the first build: no save is missed
    site.rebuild(None)
    builder = threading.Thread(target=site.loop, args=(queue,), daemon=True, name="builder")
    builder.start()
    print(f"serving {out} at {local} (watching {', '.join(str(d) for d in roots.watched())}); Ctrl-C to stop", flush=True)
    try:
        httpd.serve_forever(poll_interval=0.2)
    except KeyboardInterrupt:
        print("\nstopping", flush=True)
    finally:
        with site.hub.cond:
            site.hub.closed = True
            site.hub.cond.notify_all()
        queue.close()
        observer.stop()
        httpd.server_close()
        observer.join(timeout=2)
        builder.join(timeout=5)
    return 0
