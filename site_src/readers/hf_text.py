"""Reader for text copied from Hugging Face "Daily Papers" listing pages.

A dump is blank-line separated blocks: page chrome, then per paper a title line,
an abstract, and usually a metadata block::

    Chain-of-Experts: Unlocking the Communication Power of MoE Models

    We propose Chain-of-Experts (CoE), ...

      • 8 authors          (or an organisation line: "nvidia NVIDIA")
    ·
    Oct 1, 2024 12         (date, year optional, its comma too; upvotes optional)

An optional front-matter block (``---`` / ``year: 2025`` / ``---``) at the top, or a
``year: 2025`` line alone before the first paper, gives the year of dates shown without one.
The reader streams: it holds one entry at a time, whatever the size of the file.
"""

from __future__ import annotations

import dataclasses
import itertools
import re
import string
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from ..models import MONTHS, PaperDate, RawPaper, Source, Warning_
from .textio import numbered_lines, open_text

CHROME = frozenset(
    {
        "new",
        "get trending papers in your email inbox!",
        "subscribe",
        "daily papers",
        "byak and the research community",
        "by ak and the research community",
        "submit a paper",
        "search",
    }
    # the site's header and footer, in a whole page copied (Ctrl+A): each a line of its own
    | {"hugging face", "models", "datasets", "spaces", "community", "posts", "docs", "enterprise", "pricing", "log in",
       "sign up", "system theme", "company", "tos", "privacy", "about", "jobs", "careers", "website", "learn", "discord",
       "forum", "github", "status"}
)
_MONTH = "|".join(MONTHS)
_MONTHS = frozenset(MONTHS)
_COUNT = r"\d+(?:\.\d+)?[kK]|\d{1,3}(?:,\d{3})+|\d+"  # "17", "1.2k", "1,234"
# "Oct 1, 2024 12": a year follows the day after a comma, or without one when it reads as a year
# of this century ("Oct 1 2024"); otherwise a number after the day is the upvote count ("Oct 1 12")
DATE_RE = re.compile(rf"^({_MONTH})[a-z]*\.?\s+(\d{{1,2}})(?:,\s*(\d{{4}})|\s+(20\d\d)(?![\d.,kK]))?"
                     rf"(?:\s+({_COUNT}))?$")
COUNT_RE = re.compile(rf"^(?:{_COUNT})$")
AUTHORS_RE = re.compile(r"^(?:[•·*-]\s*)?(\d{1,3}(?:,\d{3})*)\s+authors?$")
# a line of the listing's own that is not a paper ("Submitted by akhaliq")
CHROME_RE = re.compile(r"(?i)^submitted by \S+$")
ORG_RE = re.compile(r"^([A-Za-z0-9][\w.-]*)\s+(\S.*)$")
CODE_RE = re.compile(r"https?://(?:www\.)?(?:github|gitlab)\.com/[\w.-]+/[\w.-]+", re.I)
FRONT_RE = re.compile(r"^([A-Za-z_]+)\s*:\s*(.*)$")
# the year line alone, without front matter's fences: no title reads so
YEAR_LINE = re.compile(r"(?i)^year\s*:\s*(\d{4})$")
TITLE_MAX = 400
_SENTENCE_BREAK = re.compile(r"[a-z0-9)]\. [A-Z]")


@dataclass
class _Block:
    line: int
    lines: list[str]

    @property
    def text(self) -> str:
        return " ".join(self.lines)


def code_urls(text: str) -> tuple[str, ...]:
    found = []
    for url in CODE_RE.findall(text.replace("\\_", "_")):  # arXiv's LaTeX escapes "_" in addresses
        url = url.rstrip(".")
        if url.endswith(".git"):
            url = url[:-4]
        if url not in found:
            found.append(url)
    return tuple(found)


def _count(text: str) -> int:
    """An upvote count as the listing shows it: "17", "1.2k"."""
    return round(float(text[:-1]) * 1000) if text[-1] in "kK" else int(text.replace(",", ""))


# characters with no width that a copied page can leave on a line of its own; Python's strip()
# keeps them, and a "blank" line holding one would glue every paper of a dump into one
_INVISIBLE = "\u200b\u200c\u200d\u200e\u200f\u2060\ufeff\u00ad"
_EDGES = string.whitespace + "\u00a0" + _INVISIBLE


def _text(line: str) -> str:
    """A line's text, "" for a blank one (non-breaking spaces, as copied pages have them, are
    spaces; zero-width characters at its ends go)."""
    return line.replace("\u00a0", " ").strip(_EDGES)


def _long(line: str) -> bool:
    """Longer than any title, and than any line of a hard-wrapped abstract: an abstract's paragraph."""
    return len(line) > TITLE_MAX


def _blocks(lines: Iterator[tuple[int, str]], gap: int = 1) -> Iterator[_Block]:
    """Blocks of lines; ``gap`` blank lines end one (0: a copy with no blank lines at all)."""
    if gap == 0:
        yield from _line_blocks(lines)
        return
    block: _Block | None = None
    blank = 0
    for number, line in lines:
        stripped = _text(line)
        if not stripped:
            blank += 1
            continue
        if block is not None and blank >= gap:
            yield from _unglued(block, gap)
            block = None
        blank = 0
        if block is None:
            block = _Block(number, [stripped])
        else:
            block.lines.append(stripped)
    if block:
        yield from _unglued(block, gap)


def _unglued(block: _Block, gap: int) -> Iterator[_Block]:
    """``block``, less a title or a metadata block copied onto the lines touching its abstract.
    Only a line longer than any title marks the abstract (no wrapped line is that long), so a
    hard-wrapped or two-paragraph abstract, or a code line under one, stays as it is."""
    lines = block.lines
    start = 1 if len(lines) > 1 and not _long(lines[0]) and _long(lines[1]) else 0
    if start:
        yield _Block(block.line, lines[:1])
    last = max((i for i, line in enumerate(lines) if _long(line)), default=len(lines) - 1)
    tail = _Block(block.line + (last + 1) * gap, lines[last + 1:])
    if tail.lines and HFTextReader._is_meta(tail):
        yield _Block(block.line + start * gap, lines[start:last + 1])
        yield tail
    else:
        yield _Block(block.line + start * gap, lines[start:]) if start else block


def _with_next(items: Iterator) -> Iterator[tuple]:
    prev = next(items, None)
    for item in items:
        yield prev, item
        prev = item
    if prev is not None:
        yield prev, None


def _line_blocks(lines: Iterator[tuple[int, str]]) -> Iterator[_Block]:
    """The blocks of a copy with no blank lines: each abstract paragraph, the title line before
    it, a metadata block (the "·" and the lines either side), page chrome and a lone date are
    blocks of their own; other touching lines (a title over a hard-wrapped abstract) make one
    block, its first line the title when it does not end a sentence."""
    block: _Block | None = None
    kind = None  # "run": touching plain lines; "meta": a metadata block being read
    for (number, text), after in _with_next((n, t) for n, line in lines if (t := _text(line))):
        nxt = after[1] if after else None
        if (kind == "meta" and block.lines[-1] == "·") or (text == "·" and block is not None):
            block.lines.append(text)
            kind = "meta"
            continue
        alone = (_long(text) or nxt == "·" or (nxt is not None and _long(nxt)) or text.lower() in CHROME
                 or bool(CHROME_RE.match(text) or DATE_RE.match(text) or AUTHORS_RE.match(text)))
        if kind == "run" and not alone:
            block.lines.append(text)
            continue
        if block is not None:
            yield from _closed(block, kind)
        block, kind = _Block(number, [text]), None if alone else "run"
    if block is not None:
        yield from _closed(block, kind)


def _closed(block: _Block, kind: str | None) -> Iterator[_Block]:
    """A finished block of _line_blocks: a run's first line is its own block (the title) unless
    it ends a sentence."""
    if kind == "run" and len(block.lines) > 1 and not block.lines[0].endswith("."):
        yield _Block(block.line, block.lines[:1])
        block = _Block(block.line + 1, block.lines[1:])
    yield block


SPACING_SAMPLE = 400


def _spacing(lines: Iterator[tuple[int, str]]) -> tuple[Iterator[tuple[int, str]], int]:
    """The lines, and how many blank lines end a block: 2 in a double-spaced copy (a blank
    line after every line, as some editors and a doubled CR-LF conversion leave: no two lines
    of text touch, so a metadata block's lines are one apart and blocks three apart), 0 in a
    copy with no blank lines at all (as some clipboards give: lines of text, abstracts among
    them, with none between), else 1."""
    head = list(itertools.islice(lines, SPACING_SAMPLE))
    filled = [bool(_text(line)) for _, line in head]
    touching = any(a and b for a, b in zip(filled, filled[1:]))
    wide = any(not a and not b and not c for a, b, c in zip(filled, filled[1:], filled[2:]))
    inner = filled[filled.index(True):len(filled) - filled[::-1].index(True)] if any(filled) else []
    gap, enough = 1, sum(filled) >= 8
    if enough and not touching and wide:
        gap = 2
    elif enough and inner.count(False) * 20 <= len(inner) and sum(_long(_text(line)) for _, line in head) >= 2:
        gap = 0
    return itertools.chain(head, lines), gap


def _looks_like_abstract(block: _Block, *, in_title_slot: bool = False) -> bool:
    """Abstracts are long or are sentences; titles are one short line without a final period.

    Where a title is expected only a clear abstract is taken as one (titles may end with '?').
    """
    text = block.text
    clear = len(block.lines) > 1 or len(text) > TITLE_MAX or (len(text) >= 100 and bool(_SENTENCE_BREAK.search(text)))
    if in_title_slot:
        # a long title may hold what reads as a sentence break ("Diffusion vs. Autoregressive
        # LLMs"); an abstract's last sentence ends, a title does not
        return clear and (len(block.lines) > 1 or len(text) > TITLE_MAX or text.endswith((".", ".)", '."')))
    return clear or (len(text) >= 60 and text.endswith((".", ".)"))) or bool(_SENTENCE_BREAK.search(text))


def _spread(lines: Iterator[tuple[int, str]]) -> Iterator[tuple[int, str]]:
    """Metadata as one line per field, with the line's number: some copies put it on one line
    ("8 authors · May 15 3", "· May 15 3"), parted here into author count or organisation,
    "·", date; others put the upvote count on a line of its own under the date (blank lines
    between or not), joined to it here ("May 15 3"). Done on lines, before blocks are formed,
    so a metadata line touching its abstract is parted from it as the listing's layout is. Only
    a line whose part after the dot is a date, or whose part before a final dot is an author
    count, is parted: titles keep their dots."""
    held: list[tuple[int, str]] = []  # a date with no count, and the blank lines after it
    for number, line in lines:
        text = _text(line)
        if held:
            if not text and len(held) < 50:  # (bounded: a date is not held through a page of blanks)
                held.append((number, line))
                continue
            if COUNT_RE.match(text):  # (with digit groups: "Mar 2 2,024" is 2,024 upvotes, not a year)
                yield held[0][0], f"{held[0][1]} {int(text):,}" if text.isdigit() else f"{held[0][1]} {text}"
                held = []
                continue
            yield from held
            held = []
        parted = False  # (a line's own blanks stay: they part blocks; an empty part is none)
        if "·" in text and text != "·":
            before, _, after = text.rpartition("·")
            before, after = before.strip(), after.strip()
            if DATE_RE.match(after) or (not after and AUTHORS_RE.match(before)):
                for part in (before, "·"):
                    if part:
                        yield number, part
                line = text = after
                parted = True
        if text[:3] in _MONTHS and (date := DATE_RE.match(text)) and not date.group(5):
            held = [(number, text)]
        elif text or not parted:
            yield number, line
    yield from held


PAGE_START = "get trending papers in your email inbox!"  # a listing page's first line after "new"


def _pages_parted(lines: Iterator[tuple[int, str]]) -> Iterator[tuple[int, str]]:
    """The lines, with pages parted again where dumps were joined (``cat``) after one that did
    not end with a newline: its last line and the next page's first, "new", are one line
    ("May 20, 2022new"), told by the page's next line. Blank lines go between the two parts."""
    pending: tuple[int, str, str] | None = None  # a line ending in "new" (and its text), until the next text line
    blanks: list[tuple[int, str]] = []
    for number, line in lines:
        text = _text(line)
        if pending is not None:
            if not text:
                blanks.append((number, line))
                continue
            at, glued, glued_text = pending
            if text.lower() == PAGE_START:
                yield from ((at, glued_text[:-3]), (at, ""), (at, ""), (at, "new"))
            else:
                yield at, glued
            yield from blanks
            pending, blanks = None, []
        if text.lower().endswith("new") and text.lower() != "new":
            pending = (number, line, text)
            continue
        yield number, line
    if pending is not None:
        yield pending[:2]
        yield from blanks


@dataclass
class _Meta:
    author_count: int | None = None
    org_id: str | None = None
    org_name: str | None = None
    date: PaperDate | None = None
    upvotes: int | None = None

    def absorb(self, more: "_Meta") -> bool:
        """Take the fields of ``more``, a second metadata block of the same paper (a copy with
        blank lines between the author count, the dot and the date), when it sets only fields
        this one lacks (or none: the dot alone); False, taking nothing, when it would
        overwrite one."""
        given = [f.name for f in dataclasses.fields(more) if getattr(more, f.name) is not None]
        if any(getattr(self, f) is not None for f in given):
            return False
        for f in given:
            setattr(self, f, getattr(more, f))
        return True


class HFTextReader:
    """Parse one dump. ``year`` is the default year for dates without one (None: unknown)."""

    suffixes = (".txt",)

    def __init__(self, *, year: int | None = None):
        self.default_year = year

    def read(self, path: Path, name: str, warnings: list[Warning_]) -> Iterator[RawPaper]:
        with open_text(path, name, warnings) as stream:
            yield from self.parse(numbered_lines(stream), name, warnings)

    # The parser is a small state machine over blocks: title -> abstract -> metadata.
    def parse(self, lines, name: str, warnings: list[Warning_]) -> Iterator[RawPaper]:
        year = self.default_year
        title: _Block | None = None
        abstract: _Block | None = None
        header = True  # in a listing page's header: before the first paper, or after page chrome

        def warn(line: int, message: str) -> None:
            warnings.append(Warning_(name, line, message))

        def emit(meta: _Meta | None, title: _Block, abstract: _Block) -> RawPaper:
            m = meta or _Meta()
            return RawPaper(
                title=title.text,
                abstract=abstract.text,
                source=Source(name, title.line),
                author_count=m.author_count,
                org_id=m.org_id,
                org_name=m.org_name,
                date=m.date,
                upvotes=m.upvotes,
                code_urls=code_urls(abstract.text),
            )

        # a paper with its metadata, held until the next block: that may be more of its metadata
        done: tuple[_Meta, _Block, _Block] | None = None
        with_meta = 0  # papers with a metadata block: a dump whose last has none was cut short
        blocks = _blocks(*_spacing(_spread(_pages_parted(iter(lines)))))
        for block in blocks:
            if done and not self._is_meta(block):
                yield emit(*done)
                done = None
            if block.line == 1 and block.lines[0] == "---":
                year = self._front_matter(block, blocks, name, warnings, year)
                continue
            first = block.lines[0]
            if len(block.lines) == 1 and CHROME_RE.match(first):
                continue
            if len(block.lines) == 1 and first.lower() in CHROME:
                if title and abstract:  # a second listing page pasted below the first
                    yield emit(None, title, abstract)
                    title = abstract = None
                header = True
                continue
            if header and title is None and len(block.lines) == 1 and (m := YEAR_LINE.match(first)):
                year = self._year(m.group(1), name, block.line, warnings, year, "year line")
                continue
            if header and title is None and len(block.lines) == 1 and DATE_RE.match(first):
                continue  # the listing's own date in the page header
            header = False
            if self._is_meta(block):
                meta = self._meta(block, year, warn)
                if title and abstract:
                    if done:
                        yield emit(*done)
                    done = (meta, title, abstract)
                    with_meta += 1
                elif title:
                    warn(title.line, f"title with no abstract, skipped: {title.text[:80]!r}")
                elif not (done and done[0].absorb(meta)):
                    warn(block.line, "metadata with no paper before it, skipped")
                title = abstract = None
                continue
            if title is None:
                if _looks_like_abstract(block, in_title_slot=True):
                    warn(block.line, f"abstract with no title, skipped: {block.text[:80]!r}")
                else:
                    title = block
            elif abstract is None:
                if _looks_like_abstract(block):
                    abstract = block
                else:
                    warn(title.line, f"title with no abstract, skipped: {title.text[:80]!r}")
                    title = block
            else:
                yield emit(None, title, abstract)
                title, abstract = (None, None) if _looks_like_abstract(block, in_title_slot=True) else (block, None)
                if title is None:
                    warn(block.line, f"abstract with no title, skipped: {block.text[:80]!r}")
        if done:
            yield emit(*done)
        if title and abstract:
            end = abstract.text.rstrip()
            if with_meta and (end[-1:].isalnum() or end[-1:] in ",;:-") and "://" not in end.rsplit(" ", 1)[-1]:  # not an address
                warn(abstract.line, f"the last paper has no date line and its abstract stops mid-sentence "
                                    f"({abstract.text[-40:]!r}): the copy may be cut short")
            yield emit(None, title, abstract)
        elif title:
            warn(title.line, f"title with no abstract, skipped: {title.text[:80]!r}")

    @staticmethod
    def _is_meta(block: _Block) -> bool:
        lines = block.lines
        if len(lines) > 4:
            return False
        if DATE_RE.match(lines[-1]) and (len(lines) == 1 or "·" in lines):
            return True
        return bool(AUTHORS_RE.match(lines[0])) or (lines[-1] == "·")

    @staticmethod
    def _meta(block: _Block, year: int | None, warn) -> _Meta:
        meta = _Meta()
        for offset, line in enumerate(block.lines):
            number = block.line + offset
            if line == "·":
                continue
            if m := AUTHORS_RE.match(line):
                meta.author_count = int(m.group(1).replace(",", ""))
            elif m := DATE_RE.match(line):
                month = MONTHS.index(m.group(1)[:3]) + 1
                stated = m.group(3) or m.group(4)
                y = int(stated) if stated else year
                try:
                    meta.date = PaperDate.checked(y, month, int(m.group(2)))
                except ValueError:
                    warn(number, f"impossible date {line!r}, date left empty")
                meta.upvotes = _count(m.group(5)) if m.group(5) else 0
            elif (m := ORG_RE.match(line)) and block.lines[offset + 1:offset + 2] == ["·"] and not m.group(1).isdigit():
                # the organisation's line is the one before the "·", as the author count's is
                meta.org_id, meta.org_name = m.group(1), m.group(2).strip()
            else:
                warn(number, f"unrecognised metadata line {line!r}, ignored")
        return meta

    @staticmethod
    def _front_matter(first: _Block, blocks, name, warnings, year):
        lines = list(first.lines[1:])
        while "---" not in lines:
            nxt = next(blocks, None)
            if nxt is None:
                warnings.append(Warning_(name, first.line, "front matter is not closed by '---'"))
                return year
            lines.extend(nxt.lines)
        for offset, line in enumerate(lines[: lines.index("---")], 2):
            m = FRONT_RE.match(line)
            if m and m.group(1).lower() == "year":
                value = m.group(2).strip()
                if len(value) > 1 and value[0] == value[-1] and value[0] in "'\"":
                    value = value[1:-1]  # YAML's quoted "2023" is the year too
                year = HFTextReader._year(value, name, offset, warnings, year, "front matter year")
            elif m:  # a misspelt year ("yaer") would otherwise leave the dates without one, silently
                warnings.append(Warning_(name, offset, f"front matter key {m.group(1)!r} is not read: a dump's front matter sets only 'year'"))
        return year

    @staticmethod
    def _year(text: str, name: str, line: int, warnings, year, what: str):
        """The year ``text`` gives, else (with a warning) ``year``."""
        try:
            value = int(text)
            if not 1900 <= value <= 2200:
                raise ValueError
            return value
        except ValueError:
            warnings.append(Warning_(name, line, f"{what} {text!r} is not a year"))
            return year
