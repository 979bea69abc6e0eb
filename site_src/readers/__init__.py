"""Find the content files and read them: one reader per dump format.

Layout of a content dir::

    papers/    dumps: *.txt (HF Daily Papers text), *.jsonl[.gz], *.json (HF API)
    pages/     markdown pages with front matter (about.md -> about.html), and files they use
               (pages/img/a.png -> img/a.png)
    topics/    optional markdown descriptions of topics, named by slug (moe.md)
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from ..errors import unopened
from ..models import RawPaper, Warning_
from .hf_api import HFAPIReader
from .hf_text import HFTextReader
from .jsonl import JSONLReader
from .latex import plain

PAPERS_DIR, PAGES_DIR, TOPICS_DIR = "papers", "pages", "topics"
_IGNORED_PREFIXES = (".", "#", "~")
_IGNORED_SUFFIXES = ("~", ".swp", ".swx", ".swo", ".tmp", ".bak", ".part")


def is_ignored(name: str) -> bool:
    """Hidden files and editor debris (vim .swp/4913, emacs .#x/#x#, x~, JetBrains ___jb_)."""
    return (
        name.startswith(_IGNORED_PREFIXES)
        or name.endswith(_IGNORED_SUFFIXES)
        or "___jb_" in name
        or name == "4913"
    )


def reader_for(path: Path, *, year: int | None):
    name = path.name.lower()
    if name.endswith((".jsonl", ".jsonl.gz")):
        return JSONLReader()
    if name.endswith(".json"):
        return HFAPIReader()
    if name.endswith(".txt"):
        return HFTextReader(year=year)
    return None


@dataclass(frozen=True)
class ContentFiles:
    dumps: tuple[Path, ...]
    pages: tuple[Path, ...]
    topic_notes: tuple[Path, ...]
    page_files: tuple[Path, ...] = ()  # everything else under pages/: copied to the site as it is


def _walk(folder: Path) -> list[Path]:
    found = []
    if folder.is_dir():
        for dirpath, dirnames, filenames in os.walk(folder):
            dirnames[:] = sorted(d for d in dirnames if not is_ignored(d))
            found.extend(Path(dirpath, f) for f in filenames if not is_ignored(f))
    # sorted by relative path so the result never depends on the file system's listing order
    return sorted(found, key=lambda p: p.relative_to(folder).as_posix())


def find_content(content: Path, warnings: list[Warning_]) -> ContentFiles:
    dumps = []
    for path in _walk(content / PAPERS_DIR):
        if reader_for(path, year=None):
            try:
                open(path, "rb").close()  # a dump the build cannot read is skipped, like one it cannot parse
            except OSError as exc:
                warnings.append(Warning_(rel(path, content), 0, f"{unopened(exc)}, skipped"))
                continue
            dumps.append(path)
        else:
            warnings.append(Warning_(rel(path, content), 0, "not a known dump format (.txt, .jsonl, .jsonl.gz, .json), ignored"))
    under_pages = _walk(content / PAGES_DIR)
    pages = [p for p in under_pages if p.suffix == ".md"]
    notes = [p for p in _walk(content / TOPICS_DIR) if p.suffix == ".md"]
    return ContentFiles(tuple(dumps), tuple(pages), tuple(notes), tuple(p for p in under_pages if p.suffix != ".md"))


def rel(path: Path, content: Path) -> str:
    return path.relative_to(content).as_posix()


def read_dump(path: Path, content: Path, *, year: int | None, warnings: list[Warning_]) -> Iterator[RawPaper]:
    reader = reader_for(path, year=year)
    name = rel(path, content)
    if path.stat().st_size == 0:
        warnings.append(Warning_(name, 0, "empty file, no papers"))
        return
    for paper in reader.read(path, name, warnings):
        yield cleaned(paper)


def cleaned(paper: RawPaper) -> RawPaper:
    """``paper`` with the LaTeX left in its title and abstract printed as text (latex.py)."""
    title, abstract = plain(paper.title), plain(paper.abstract)
    if title != paper.title or abstract != paper.abstract:
        paper = dataclasses.replace(paper, title=title, abstract=abstract)
    return paper
