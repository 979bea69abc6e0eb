"""Reader for saved responses of the Hugging Face ``api/daily_papers`` endpoint.

The file is one JSON array of objects, each with a ``paper`` object (``id``, ``title``,
``summary``, ``authors``, ``publishedAt``, ``upvotes``, ``githubRepo``) beside listing
fields (``publishedAt``, ``organization``), or of plain records as JSON Lines hold them. The
array is parsed item by item with ``json.JSONDecoder.raw_decode`` over a sliding buffer, so a
large file is never held whole. json_papers tells an array from JSON Lines by what the file
holds, not by its name: both readers use it.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

from ..errors import ContentError
from ..models import RawPaper, Warning_
from .records import json_lines, record_to_paper
from .textio import first_char, first_lines, open_text

CHUNK = 1 << 16


def iter_array(stream, name: str) -> Iterator[tuple[int, object]]:
    """Yield (line, item) for each item of a top-level JSON array read from ``stream``."""
    decoder = json.JSONDecoder()
    buf, pos, line_base, done = "", 0, 1, False

    def fill() -> bool:
        nonlocal buf, pos, line_base
        chunk = stream.read(CHUNK)
        if not chunk:
            return False
        line_base += buf.count("\n", 0, pos)
        buf = buf[pos:] + chunk
        pos = 0
        return True

    def skip_ws() -> bool:
        nonlocal pos
        while True:
            while pos < len(buf) and buf[pos] in " \t\r\n":
                pos += 1
            if pos < len(buf) or not fill():
                return pos < len(buf)

    if not skip_ws() or buf[pos] != "[":
        raise ContentError(name, 1, "expected a JSON array of daily papers")
    pos += 1
    first = True
    while not done:
        if not skip_ws():
            raise ContentError(name, line_base + buf.count("\n", 0, pos), "truncated JSON: the array is not closed")
        if buf[pos] == "]":
            pos += 1
            if skip_ws():  # a second array pasted after the first would be lost unseen
                raise ContentError(name, line_base + buf.count("\n", 0, pos), "text after the end of the JSON array, not read")
            return
        if not first:
            if buf[pos] != ",":
                raise ContentError(name, line_base + buf.count("\n", 0, pos), "invalid JSON: expected ',' or ']'")
            pos += 1
            skip_ws()
        first = False
        while True:
            try:
                item, end = decoder.raw_decode(buf, pos)
                break
            except json.JSONDecodeError as exc:
                if not fill():
                    where = line_base + buf.count("\n", 0, exc.pos)
                    raise ContentError(name, where, f"truncated or invalid JSON ({exc.msg})") from None
        yield line_base + buf.count("\n", 0, pos), item
        pos = end


def api_papers(stream, name: str, warnings: list[Warning_]) -> Iterator[RawPaper]:
    """The papers of a JSON array read from ``stream``: Hugging Face API items (a ``paper``
    object beside listing fields) or plain records, read as JSON Lines records are."""
    for line, item in iter_array(stream, name):
        if not isinstance(item, dict):
            warnings.append(Warning_(name, line, "array item is not an object, skipped"))
            continue
        paper = record_to_paper(_api_record(item) if isinstance(item.get("paper"), dict) else item, name, line, warnings)
        if paper:
            yield paper


def _api_record(item: dict) -> dict:
    """An API item as a plain record."""
    rec = dict(item["paper"])
    rec.setdefault("organization", item.get("organization") or rec.get("organization"))
    # the listing day, as the JSONL corpora date a paper: the paper's day on Daily Papers, else
    # the item's (older pages); the paper's own publishedAt is arXiv's, hours off in another
    # time zone
    day = next((v for v in (rec.get("submittedOnDailyAt"), item.get("publishedAt"), rec.get("publishedAt")) if isinstance(v, str) and v), "")
    rec["date"] = day[:10] or rec.get("date")
    if isinstance(rec.get("authors"), list):
        rec["authors"] = [a for a in rec["authors"] if isinstance(a, dict) and not a.get("hidden")]
    return rec


def json_papers(stream, name: str, warnings: list[Warning_]) -> Iterator[RawPaper]:
    """The papers of a JSON file, whatever it is named: an array (an API response, or records
    saved as one), else JSON Lines. One object spread over many lines is neither: an error,
    not a warning for each of its lines."""
    first = first_char(stream)
    if first == "[":
        yield from api_papers(stream, name, warnings)
        return
    if first == "{" and not any(_is_object(line) for line in first_lines(stream, 2)):
        raise ContentError(name, 1, "one JSON object over many lines: expected an array of papers, or one paper a line (JSON Lines)")
    yield from json_lines(stream, name, warnings)


def _is_object(line: str) -> bool:
    try:
        return isinstance(json.loads(line), dict)
    except json.JSONDecodeError:
        return False


class HFAPIReader:
    suffixes = (".json",)

    def read(self, path: Path, name: str, warnings: list[Warning_]) -> Iterator[RawPaper]:
        with open_text(path, name, warnings) as stream:
            yield from json_papers(stream, name, warnings)
