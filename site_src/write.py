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
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

from .errors import ResearchMapError

MARKER = ".researchmap-build"
MARKER_TEXT = "This directory is written by researchmap; it replaces it on each build.\n"
BACKGROUND_DELETE = 2000  # files of a previous site past which it is deleted in the background


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


def safe_key(rel: str) -> str:
    """``rel`` itself, when it is a plain relative path that cannot land outside the output dir
    (no empty, "." or ".." part, no backslash or NUL); else OutputError. Strings, not paths:
    it runs for every file of the site."""
    if not rel or rel.startswith("/") or "\\" in rel or "\x00" in rel or any(p in ("", ".", "..") for p in rel.split("/")):
        raise OutputError(f"refusing to write unsafe output path {rel!r}")
    return rel


def walk(root: Path):
    """(folder, its key prefix such as "papers/", file names) for every folder under ``root``."""
    top = str(root)
    for dirpath, _, files in os.walk(top):
        rel_dir = os.path.relpath(dirpath, top)
        yield dirpath, "" if rel_dir == "." else rel_dir.replace(os.sep, "/") + "/", files


def site_files(root: Path) -> list[str]:
    """The key of every file under ``root``."""
    return [prefix + f for _, prefix, files in walk(root) for f in files]


def _staged(stage: Path, key: str, dirs: set | None) -> Path:
    """The stage path of ``key``, its folder made (``dirs`` remembers folders already made)."""
    target = stage / key
    parent = target.parent
    if dirs is None or parent not in dirs:
        parent.mkdir(parents=True, exist_ok=True)
        if dirs is not None:
            dirs.add(parent)
    return target


def same_bytes(path: Path, data: bytes) -> bool:
    """Whether ``path`` holds exactly ``data`` (sizes compared first: most changed files differ there)."""
    try:
        return path.stat().st_size == len(data) and path.read_bytes() == data
    except OSError:
        return False


def place(stage: Path, out: Path, key: str, data: bytes, dirs: set | None = None) -> bool:
    """Put one file into the stage: a hard link to the previous build's file when the bytes
    are the same (cheap, keeps mtimes), else a new file. True when written. Safe to call from
    several processes at once for different keys."""
    target = _staged(stage, key, dirs)
    old = out / key
    if same_bytes(old, data):
        try:
            os.link(old, target)
            return False
        except OSError:
            pass
    with open(target, "wb") as fh:
        fh.write(data)
    return True


def link_previous(stage: Path, out: Path, key: str, dirs: set | None = None) -> bool:
    """Put the previous build's file into the stage unread (its inputs are known unchanged);
    False when there is none."""
    target = _staged(stage, key, dirs)
    try:
        os.link(out / key, target)
        return True
    except OSError:
        return False


def discard(path: Path) -> None:
    """Delete a previous site in the background: the build is done, the old tree (10,000 files
    at 10,000 papers) need not hold it up. If it is cut short, the next build's _recover
    removes what is left (it has the stage's name)."""
    rm = shutil.which("rm")
    if rm and os.name == "posix":
        try:
            subprocess.Popen([rm, "-rf", "--", str(path)], start_new_session=True,
                             stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            return
        except OSError:
            pass
    shutil.rmtree(path, ignore_errors=True)


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
    """Context manager: ``write(rel, data)`` each file, then ``commit()``; an exception aborts.

    With ``in_place_max`` (a partial rebuild), the changed files are held until commit: when
    there are at most that many, each replaces its old file in one rename (a markdown edit at
    10,000 papers changes one page; linking the other 10,000 files into a new tree would cost
    more than the edit). Past that, the writer builds a new tree and swaps it in as usual.
    """

    def __init__(self, out: Path, *, in_place_max: int = 0):
        self.out = out.resolve() if out.exists() else out.absolute()
        self.parent = self.out.parent
        self.parent.mkdir(parents=True, exist_ok=True)
        self._stage_path = self.parent / f".{self.out.name}.building-{os.getpid()}"
        self._journal = self.parent / f".{self.out.name}.in-place"
        self.stage: Path | None = None
        self.in_place_max = in_place_max
        self._pending: dict[str, bytes] = {}
        self.report = WriteReport()
        self._lock_fh = None
        self._dirs: set[Path] = set()
        self._seen: set[str] = set()

    # ---- lifecycle
    def __enter__(self) -> "SiteWriter":
        self._refuse()  # first: a folder that is not ours gets nothing beside it, not even the lock
        self._lock()
        self._recover()
        self._refuse()  # again: a killed build's swap, just undone, may have brought it back
        if self._stage_path.exists():
            shutil.rmtree(self._stage_path)
        if not (self.in_place_max and (self.out / MARKER).exists()):
            self._open_stage()
        return self

    def _refuse(self) -> None:
        if self.out.exists():
            if not self.out.is_dir():
                raise OutputError(f"{self.out} exists and is not a directory")
            if any(self.out.iterdir()) and not (self.out / MARKER).exists():
                raise OutputError(
                    f"{self.out} is not empty and was not made by researchmap (no {MARKER} in it); "
                    "refusing to replace it. Choose another --out or empty it yourself."
                )

    def _open_stage(self) -> None:
        self.stage = self._stage_path
        self.stage.mkdir()
        for key, data in self._pending.items():  # held so far: into the new tree
            place(self.stage, self.out, key, data, self._dirs)
        self._pending = {}

    def __exit__(self, exc_type, exc, tb) -> None:
        if self._stage_path.exists():
            shutil.rmtree(self._stage_path, ignore_errors=True)
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
        """Finish or undo what a killed build left: stale stages, a swap cut in half, the
        temporary files of an in-place commit."""
        if self._journal.exists():
            for line in self._journal.read_text().splitlines():
                Path(line).unlink(missing_ok=True)
            self._journal.unlink()
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
        if self.stage is None:
            if same_bytes(self.out / key, data):
                return self.record(False)
            self._pending[key] = data
            if len(self._pending) > self.in_place_max:
                self._open_stage()
            return self.record(True)
        return self.record(place(self.stage, self.out, key, data, self._dirs))

    def claim(self, rel: str) -> str:
        """Reserve an output path (each may be written once per build)."""
        key = safe_key(rel)
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

    def has(self, rel: str) -> bool:
        """Whether the site being written holds ``rel`` (call after the last write or carry_rest):
        written or carried over, or, written in place, still in the output dir."""
        return rel in self._seen or (self.stage is None and (self.out / rel).is_file())

    def carry_rest(self) -> None:
        """Link every file of the previous build not written in this one (nothing else changed)."""
        if not self.out.exists() or self.stage is None:
            return  # in place: the other files stay where they are
        for dirpath, prefix, files in walk(self.out):
            stage_dir = self.stage / prefix if prefix else self.stage
            made = stage_dir.is_dir()
            for f in files:
                key = prefix + f
                if key == MARKER or key in self._seen:
                    continue
                if not made:
                    stage_dir.mkdir(parents=True, exist_ok=True)
                    made = True
                os.link(os.path.join(dirpath, f), stage_dir / f)
                self._seen.add(key)
                self.report.unchanged += 1

    def commit(self) -> WriteReport:
        if self.stage is None:
            return self._commit_in_place()
        (self.stage / MARKER).write_text(MARKER_TEXT)
        if self.out.exists():
            before = set(site_files(self.out)) - {MARKER}
            self.report.removed = len(before - self._seen)
            if exchange(self.stage, self.out):
                # the stage now holds the previous site
                if len(before) > BACKGROUND_DELETE:
                    discard(self.stage)
                else:
                    shutil.rmtree(self.stage, ignore_errors=True)
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

    def _commit_in_place(self) -> WriteReport:
        """Each held file replaces its old one with one rename, then the marker is renewed. The
        temporary files are listed in a journal first, so a build killed mid-way leaves none
        behind in the site (the next build's _recover removes them)."""
        items = [*self._pending.items(), (MARKER, MARKER_TEXT.encode())]
        temps = [(self.out / key).with_name(f".{(self.out / key).name}.{os.getpid()}.tmp") for key, _ in items]
        self._journal.write_text("\n".join(str(t) for t in temps) + "\n")
        for (key, data), tmp in zip(items, temps):
            tmp.parent.mkdir(parents=True, exist_ok=True)
            tmp.write_bytes(data)
            os.replace(tmp, self.out / key)
        self._journal.unlink()
        self._pending = {}
        return self.report
