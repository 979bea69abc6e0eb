"""Watch the site's sources and turn bursts of file events into one set of changes.

``classify`` maps a path to the kind of change it is (see build.PAPERS ...), or None for
anything a build must not react to: editor debris (vim's 4913 probe and .swp, ``~`` backups,
emacs ``.#`` locks, JetBrains ``___jb_`` files), the output and cache dirs, the lock file the
build itself writes. Editors that save atomically (write a temp file, rename it over the
original) produce a burst of events; the debounce folds the burst into one build, and a
content fingerprint drops events that did not change any bytes (touch, a save without edits).
"""

from __future__ import annotations

import hashlib
import os
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from .changes import CONFIG, PAGE, PAGE_FILE, PAPERS, STATIC, TEMPLATE, TOPIC_NOTE
from .readers import LOCK_NAME, PAGES_DIR, PAPERS_DIR, TOPICS_DIR, is_ignored, is_markdown, is_project_folder


@dataclass(frozen=True)
class Roots:
    content: Path
    templates: Path
    themes: Path
    config: Path | None
    ignored: tuple[Path, ...]  # output dir, cache dir, ...
    root: Path | None = None  # the project's folder, watched alone: where templates/ may be made

    def watched(self) -> list[Path]:
        dirs = [self.content, self.templates, self.themes]
        if self.root is not None:
            dirs.append(self.root)
        return [d for d in dict.fromkeys(d.resolve() for d in dirs) if d.is_dir()]


def _under(path: Path, root: Path) -> tuple[str, ...] | None:
    try:
        return path.relative_to(root).parts
    except ValueError:
        return None


def classify(path: Path, roots: Roots) -> str | None:
    path = Path(path).absolute()
    if any(_under(path, r) is not None for r in roots.ignored):
        return None
    if roots.config is not None and path == roots.config:
        return CONFIG
    if any(is_ignored(part) for part in path.parts[-6:]):
        return None
    parts = _under(path, roots.content)
    if parts:
        if parts == (LOCK_NAME,):
            return None  # written by the build itself
        head = parts[0]
        if head == PAPERS_DIR and len(parts) > 1:
            return PAPERS
        if head == PAGES_DIR and len(parts) > 1:
            return PAGE if is_markdown(path) else PAGE_FILE
        if head == TOPICS_DIR and len(parts) > 1:
            return TOPIC_NOTE
        # a file or folder beside the three is read by nothing, but its warning is the pages' to
        # update (the three folders' own events are their files')
        beside = len(parts) == 1 and head not in (PAPERS_DIR, PAGES_DIR, TOPICS_DIR)
        return PAGE_FILE if beside and not is_project_folder(roots.content) else None
    parts = _under(path, roots.templates)
    if parts:
        return TEMPLATE
    parts = _under(path, roots.themes)
    if parts and len(parts) > 2:
        return STATIC if parts[1] == "static" else TEMPLATE if parts[1] == "templates" else None
    return None


def fingerprint(path: Path) -> str | None:
    try:
        if path.is_dir():
            return "dir"
        h = hashlib.blake2b(digest_size=16)
        with open(path, "rb") as fh:
            for block in iter(lambda: fh.read(1 << 20), b""):
                h.update(block)
        return h.hexdigest()
    except OSError:
        try:  # a link to nothing (or an unreadable file) is there all the same: its coming and going are changes
            return f"link:{os.readlink(path)}" if path.is_symlink() else f"unreadable:{path.stat().st_mtime_ns}"
        except OSError:
            return None


class ChangeQueue:
    """Collects classified paths from the watcher thread; ``wait`` returns one debounced batch."""

    def __init__(self, roots: Roots, *, quiet: float = 0.05, longest: float = 2.0):
        self.roots = roots
        self.quiet = quiet
        self.longest = longest
        self._cond = threading.Condition()
        self._pending: dict[Path, str] = {}
        self._last = 0.0
        self._prints: dict[Path, str | None] = {}
        self.closed = False

    def remember_all(self) -> None:
        """Fingerprint every watched file once, so later no-op events can be dropped."""
        for folder in (self.roots.content, self.roots.templates, self.roots.themes):
            for p in Path(folder).rglob("*"):
                if (p.is_file() or p.is_symlink()) and classify(p, self.roots):
                    self._prints[p.absolute()] = fingerprint(p)
        if self.roots.config is not None:
            self._prints[self.roots.config] = fingerprint(self.roots.config)

    def add(self, path) -> None:
        kind = classify(Path(path), self.roots)
        if kind is None:
            return
        with self._cond:
            self._pending[Path(path).absolute()] = kind
            self._last = time.monotonic()
            self._cond.notify_all()

    def close(self) -> None:
        with self._cond:
            self.closed = True
            self._cond.notify_all()

    def wait(self) -> dict[Path, str] | None:
        """Block until some change settles (no event for ``quiet`` s); None once closed."""
        while True:
            batch = self._next_burst()
            if batch is None:
                return None
            changed = {}
            for path, kind in batch.items():
                now = fingerprint(path)
                # unknown paths were absent: remember_all() saw every watched file at start
                if self._prints.get(path) == now:
                    continue
                self._prints[path] = now
                changed[path] = kind
            if changed:
                return changed

    def _next_burst(self) -> dict[Path, str] | None:
        with self._cond:
            while not self._pending and not self.closed:
                self._cond.wait()
            first = time.monotonic()
            while not self.closed:
                left = self.quiet - (time.monotonic() - self._last)
                if left <= 0 or time.monotonic() - first > self.longest:
                    break
                self._cond.wait(left)
            if self.closed:
                return None
            batch, self._pending = self._pending, {}
            return batch


def start_observer(queue: ChangeQueue, *, poll: bool):
    """A watchdog observer feeding ``queue`` (inotify etc., or stat polling with ``poll``)."""
    from watchdog.events import FileSystemEventHandler
    from watchdog.observers import Observer
    from watchdog.observers.polling import PollingObserver

    roots = queue.roots
    top = roots.root
    watched: dict[Path, object] = {}  # folder -> its watch

    class Handler(FileSystemEventHandler):
        def on_any_event(self, event):
            if event.event_type in ("opened", "closed_no_write"):
                return
            dest = getattr(event, "dest_path", "")
            for path in (event.src_path, dest):
                if path:
                    queue.add(path)
            made = dest or (event.src_path if event.event_type == "created" else "")
            if made and Path(made) in (roots.content, roots.templates, roots.themes):
                arrived(Path(made))

    def arrived(folder: Path) -> None:
        """content/, templates/ or themes/ made while serving, or deleted and made again (a
        checkout; the watch on the old one ended with it): watch it afresh, and take in what is
        already in it (files copied in with it come before the watch)."""
        if not folder.is_dir():
            return
        if folder in watched:
            try:
                observer.unschedule(watched[folder])
            except (KeyError, ValueError, OSError):  # its emitter already stopped
                pass
        try:
            watched[folder] = observer.schedule(handler, str(folder), recursive=True)
            for p in sorted(folder.rglob("*")):
                queue.add(p)
        except OSError:  # gone again already; an exception here would end the observer's thread
            watched.pop(folder, None)

    observer = PollingObserver(timeout=0.25) if poll else Observer()
    handler = Handler()
    for folder in sorted(roots.watched()):
        watched[folder] = observer.schedule(handler, str(folder), recursive=folder != top)
    observer.daemon = True
    observer.start()
    return observer
