"""A content-hash keyed cache of stage results (pickles), used only by the orchestrator.

Keys are hashes of everything a stage reads, so a stale entry is never returned; entries
are written atomically (temp file + rename) so a killed build cannot leave a torn one.
"""

from __future__ import annotations

import hashlib
import os
import pickle
from pathlib import Path

FORMAT = "3"  # bump when a cached type changes shape


def digest(*parts) -> str:
    h = hashlib.sha256(FORMAT.encode())
    for part in parts:
        data = part if isinstance(part, bytes) else repr(part).encode()
        h.update(len(data).to_bytes(8, "little"))
        h.update(data)
    return h.hexdigest()[:32]


def file_digest(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


class Cache:
    def __init__(self, root: Path | None, *, keep: int = 64):
        self.root = root
        self.keep = keep

    def get(self, kind: str, key: str):
        if self.root is None:
            return None
        path = self.root / kind / f"{key}.pickle"
        try:
            with open(path, "rb") as fh:
                value = pickle.load(fh)
            os.utime(path)  # recently used: kept by prune()
            return value
        except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError):
            return None

    def put(self, kind: str, key: str, value, *, keep: int | None = None) -> None:
        """Store ``value``; the folder of ``kind`` keeps the ``keep`` (default: the cache's)
        most recently used entries."""
        if self.root is None:
            return
        folder = self.root / kind
        folder.mkdir(parents=True, exist_ok=True)
        tmp = folder / f".{key}.{os.getpid()}.tmp"
        with open(tmp, "wb") as fh:
            pickle.dump(value, fh, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, folder / f"{key}.pickle")
        self._prune(folder, self.keep if keep is None else keep)

    def _prune(self, folder: Path, keep: int) -> None:
        entries = sorted(folder.glob("*.pickle"), key=lambda p: p.stat().st_mtime, reverse=True)
        for old in entries[keep:]:
            old.unlink(missing_ok=True)
