"""Open dumps as text whatever their encoding, streaming line by line."""

from __future__ import annotations

import codecs
import io
import re
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

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
_ESCAPED = re.compile("[\udc80-\udcff]")


def sniff_encoding(raw: BinaryIO, name: str) -> tuple[str, tuple[int, str] | None]:
    """Return (encoding, (line, warning) or None) for the binary stream ``raw``, rewound.

    Raises ContentError for a binary file. The whole file is checked, in chunks: a dump's first
    accented letter can lie past 100 KB. A file whose characters beyond ASCII are mostly valid
    UTF-8 is UTF-8 with a few bad bytes (a stray byte from another editor), read with the bad
    bytes replaced; one where they are mostly not is another encoding and is read as
    Windows-1252 (a superset of Latin-1 for printable text). Either way a warning names the
    first bad line.
    """
    head = raw.read(SNIFF)
    raw.seek(0)
    for bom, enc in _BOMS:
        if head.startswith(bom):
            return enc, None
    if b"\x00" in head:
        raise ContentError(name, None, "looks like a binary file (NUL bytes), not text")
    if _valid_utf8(raw):  # the usual dump: a strict pass, a fifth of the counting one's time
        return "utf-8", None
    # surrogateescape: each byte that is not UTF-8 becomes one lone surrogate, which valid
    # UTF-8 never decodes to (a real U+FFFD in the text is a letter, not an error)
    decoder = codecs.getincrementaldecoder("utf-8")(errors="surrogateescape")
    line, first_bad, bad, good = 1, None, 0, 0
    while True:
        chunk = raw.read(1 << 20)
        text = decoder.decode(chunk, final=not chunk)
        if (n := len(_ESCAPED.findall(text))) and first_bad is None:
            first_bad = line + text.count("\n", 0, _ESCAPED.search(text).start())
        bad += n
        good += len(text) - len(text.encode("ascii", "ignore")) - n
        line += text.count("\n")
        if not chunk:
            break
    raw.seek(0)
    if not bad:
        return "utf-8", None
    if good > bad:
        return "utf-8", (first_bad, f"not valid UTF-8: {bad} byte(s) replaced by \ufffd, the first on this line")
    return "cp1252", (first_bad, "not valid UTF-8; read as Windows-1252/Latin-1")


def _valid_utf8(raw: BinaryIO) -> bool:
    """Is all of ``raw`` UTF-8? Read in chunks, then rewound."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    try:
        while chunk := raw.read(1 << 20):
            if not chunk.isascii():
                decoder.decode(chunk)
            elif decoder.getstate()[0]:  # a character cut at the chunk's end, and no end to it
                return False
        decoder.decode(b"", final=True)
        return True
    except UnicodeDecodeError:
        return False
    finally:
        raw.seek(0)


def open_text(path: Path, name: str, warnings: list[Warning_]) -> io.TextIOBase:
    """Open ``path`` for streaming text reads with universal newlines."""
    raw = open(path, "rb")
    try:
        enc, warn = sniff_encoding(raw, name)
    except ContentError:
        raw.close()
        raise
    if warn:
        warnings.append(Warning_(name, *warn))
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
