"""Write the site atomically: build beside the output dir, swap it in only when complete.

Unchanged files are hard-linked from the previous build instead of written (same inode, same
mtime, ~10x cheaper than creating a file), so a rebuild costs what changed. A build that fails
or is killed before the swap leaves the previous output untouched; the swap itself is two
renames, and a build that finds it interrupted between them restores the previous site first.
The writer refuses to replace a non-empty directory that holds no marker of an earlier build.
"""

from __future__ import annotations

import ctypes
import errno
import fcntl
import os
import shutil
import signal
import time
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from .errors import ResearchMapError

MARKER = ".researchmap-build"


class OutputError(ResearchMapError):
    pass


@dataclass
class WriteReport:
    written: int = 0
    unchanged: int = 0
    removed: int = 0

    @property
    def files(self) -> int:
        return self.written + self.unchanged


def safe_relpath(rel: str) -> PurePosixPath:
    """Reject any output path that could land outside the output dir."""
    path = PurePosixPath(rel)
    if path.is_absolute() or not path.parts or any(p in ("", ".", "..") for p in path.parts) or "\\" in rel or "\x00" in rel:
        raise OutputError(f"refusing to write unsafe output path {rel!r}")
    return path


def place(stage: Path, out: Path, key: str, data: bytes, dirs: set | None = None) -> bool:
    """Put one file into the stage: a hard link to the previous build's file when the bytes
    are the same (cheap, keeps mtimes), else a new file. True when written. Safe to call from
    several processes at once for different keys."""
    target = stage / key
    parent = target.parent
    if dirs is None or parent not in dirs:
        parent.mkdir(parents=True, exist_ok=True)
        if dirs is not None:
            dirs.add(parent)
    old = out / key
    try:
        if old.stat().st_size == len(data) and old.read_bytes() == data:
            os.link(old, target)
            return False
    except OSError:
        pass
    with open(target, "wb") as fh:
        fh.write(data)
    return True


def exchange(a: Path, b: Path) -> bool:
    """Swap two directories in one atomic step (Linux renameat2 RENAME_EXCHANGE); False when
    the system cannot, and the caller falls back to two renames (recovered by _recover)."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        fn = libc.renameat2
    except (OSError, AttributeError):
        return False
    at_fdcwd, rename_exchange = -100, 2
    return fn(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), rename_exchange) == 0


class SiteWriter:
    """Context manager: ``write(rel, data)`` each file, then ``commit()``; an exception aborts."""

    def __init__(self, out: Path):
        self.out = out.resolve() if out.exists() else out.absolute()
        self.parent = self.out.parent
        self.parent.mkdir(parents=True, exist_ok=True)
        self.stage = self.parent / f".{self.out.name}.building-{os.getpid()}"
        self.report = WriteReport()
        self._lock_fh = None
        self._dirs: set[Path] = set()
        self._seen: set[str] = set()

    # ---- lifecycle
    def __enter__(self) -> "SiteWriter":
        self._lock()
        self._recover()
        if self.out.exists():
            if not self.out.is_dir():
                raise OutputError(f"{self.out} exists and is not a directory")
            if any(self.out.iterdir()) and not (self.out / MARKER).exists():
                raise OutputError(
                    f"{self.out} is not empty and was not made by researchmap (no {MARKER} in it); "
                    "refusing to replace it. Choose another --out or empty it yourself."
                )
        if self.stage.exists():
            shutil.rmtree(self.stage)
        self.stage.mkdir()
        return self

    def __exit__(self, exc_type, exc, tb) -> None:
        if self.stage.exists():
            shutil.rmtree(self.stage, ignore_errors=True)
        self._unlock()

    def _lock(self) -> None:
        path = self.parent / f".{self.out.name}.lock"
        self._lock_fh = open(path, "a+")
        try:
            fcntl.flock(self._lock_fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as exc:
            if exc.errno not in (errno.EAGAIN, errno.EACCES):
                raise
            print(f"waiting for another build of {self.out} to finish ...", flush=True)
            fcntl.flock(self._lock_fh, fcntl.LOCK_EX)

    def _unlock(self) -> None:
        if self._lock_fh:
            fcntl.flock(self._lock_fh, fcntl.LOCK_UN)
            self._lock_fh.close()
            self._lock_fh = None

    def _recover(self) -> None:
        """Finish or undo what a killed build left: stale stages, a swap cut in half."""
        for leftover in self.parent.glob(f".{self.out.name}.building-*"):
            # only our own stages match this name, and ours are never in use while we hold the lock
            shutil.rmtree(leftover, ignore_errors=True)
        olds = sorted(self.parent.glob(f".{self.out.name}.old-*"))
        if olds and not self.out.exists():
            os.rename(olds[-1], self.out)
            olds = olds[:-1]
        for old in olds:
            shutil.rmtree(old, ignore_errors=True)

    # ---- writing
    def write(self, rel: str, data: bytes) -> bool:
        """Stage one file; returns True when its bytes differ from the previous build."""
        key = self.claim(rel)
        return self.record(place(self.stage, self.out, key, data, self._dirs))

    def claim(self, rel: str) -> str:
        """Reserve an output path (each may be written once per build)."""
        key = safe_relpath(rel).as_posix()
        if key in self._seen:
            raise OutputError(f"two outputs want the same path {key!r}")
        self._seen.add(key)
        return key

    def record(self, written: bool) -> bool:
        """Count a file staged by ``place`` (here or in a worker process)."""
        if written:
            self.report.written += 1
        else:
            self.report.unchanged += 1
        return written

    @property
    def seen(self) -> set[str]:
        return self._seen

    def carry_rest(self) -> None:
        """Link every file of the previous build not written in this one (nothing else changed)."""
        if not self.out.exists():
            return
        for dirpath, _, files in os.walk(self.out):
            for f in files:
                key = Path(dirpath, f).relative_to(self.out).as_posix()
                if key == MARKER or key in self._seen:
                    continue
                target = self.stage / key
                target.parent.mkdir(parents=True, exist_ok=True)
                os.link(Path(dirpath, f), target)
                self._seen.add(key)
                self.report.unchanged += 1

    def commit(self) -> WriteReport:
        (self.stage / MARKER).write_text("This directory is written by researchmap; it replaces it on each build.\n")
        if self.out.exists():
            before = {
                Path(d, f).relative_to(self.out).as_posix()
                for d, _, files in os.walk(self.out)
                for f in files
            } - {MARKER}
            self.report.removed = len(before - self._seen)
            if exchange(self.stage, self.out):
                shutil.rmtree(self.stage, ignore_errors=True)  # now holds the previous site
            else:
                old = self.parent / f".{self.out.name}.old-{os.getpid()}-{time.monotonic_ns()}"
                blocked = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT, signal.SIGTERM})
                try:
                    os.rename(self.out, old)
                    os.rename(self.stage, self.out)
                finally:
                    signal.pthread_sigmask(signal.SIG_SETMASK, blocked)
                shutil.rmtree(old, ignore_errors=True)
        else:
            os.rename(self.stage, self.out)
        return self.report
