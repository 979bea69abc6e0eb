"""Reader for JSON Lines paper records (plain or gzip), one paper per line (records.py maps
the fields). A file holding one JSON array instead is read as the API's arrays are (hf_api.py)."""

from __future__ import annotations

import gzip
import io
from collections.abc import Iterator
from pathlib import Path

from ..errors import ContentError
from ..models import RawPaper, Warning_
from .hf_api import json_papers
from .textio import open_text


class JSONLReader:
    suffixes = (".jsonl", ".jsonl.gz")

    def read(self, path: Path, name: str, warnings: list[Warning_]) -> Iterator[RawPaper]:
        if path.name.endswith(".gz"):
            raw = gzip.open(path, "rb")
            try:
                raw.peek(1)  # fails fast on a file that is not gzip
            except (OSError, EOFError) as exc:
                raw.close()
                raise ContentError(name, None, f"not a readable gzip file ({exc})") from None
            stream = io.TextIOWrapper(raw, encoding="utf-8-sig", errors="replace")
        else:
            stream = open_text(path, name, warnings)
        with stream:
            try:
                yield from json_papers(stream, name, warnings)
            except (OSError, EOFError) as exc:  # truncated gzip stream
                raise ContentError(name, None, f"file is truncated or corrupt ({exc})") from None
