"""Open dumps as text whatever their encoding, streaming line by line."""

from __future__ import annotations

import codecs
import io
from collections.abc import Iterator
from pathlib import Path

from ..errors import ContentError
from ..models import Warning_

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
SNIFF = 1 << 16


def sniff_encoding(head: bytes, name: str) -> tuple[str, str | None]:
    """Return (encoding, warning or None) for a file starting with ``head``.

    Raises ContentError for a binary file. A file that is not UTF-8 is read as
    Windows-1252 (a superset of Latin-1 for printable text) with a warning.
    """
    for bom, enc in _BOMS:
        if head.startswith(bom):
            return enc, None
    if b"\x00" in head:
        raise ContentError(name, None, "looks like a binary file (NUL bytes), not a text dump")
    try:
        # a multi-byte character may be cut at the end of the sample
        codecs.getincrementaldecoder("utf-8")().decode(head, final=False)
        return "utf-8", None
    except UnicodeDecodeError as exc:
        line = head[: exc.start].count(b"\n") + 1
        return "cp1252", f"line {line}: not valid UTF-8; read as Windows-1252/Latin-1"


def open_text(path: Path, name: str, warnings: list[Warning_]) -> io.TextIOBase:
    """Open ``path`` for streaming text reads with universal newlines."""
    raw = open(path, "rb")
    # peek() returns one buffer (4 KiB), however much is asked: read the sample, then go back
    head = raw.read(SNIFF)
    raw.seek(0)
    try:
        enc, warn = sniff_encoding(head, name)
    except ContentError:
        raw.close()
        raise
    if warn:
        warnings.append(Warning_(name, int(warn.split(":")[0].split()[1]), warn.split(": ", 1)[1]))
    # errors="replace": a bad byte later in a big UTF-8 file must not lose the whole dump
    return io.TextIOWrapper(raw, encoding=enc, errors="replace", newline=None)


def numbered_lines(stream: io.TextIOBase) -> Iterator[tuple[int, str]]:
    for number, line in enumerate(stream, 1):
        yield number, line.rstrip("\n")


def first_char(stream) -> str:
    """The first character of ``stream`` that is not white space ("" when none), the stream
    rewound: what tells a JSON array from JSON Lines whatever the file is named."""
    while chunk := stream.read(SNIFF):
        if stripped := chunk.lstrip():
            stream.seek(0)
            return stripped[0]
    stream.seek(0)
    return ""


def first_lines(stream, n: int) -> list[str]:
    """The first ``n`` lines of ``stream`` that are not blank, the stream rewound."""
    found = []
    for line in stream:
        if line.strip():
            found.append(line)
            if len(found) == n:
                break
    stream.seek(0)
    return found
