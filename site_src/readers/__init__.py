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

from ..config import CONFIG_NAME
from ..errors import unopened
from ..models import RawPaper, Warning_
from .hf_api import HFAPIReader
from .hf_text import HFTextReader
from .jsonl import JSONLReader
from .latex import plain

PAPERS_DIR, PAGES_DIR, TOPICS_DIR = "papers", "pages", "topics"
LOCK_NAME = "topics.lock.json"  # the build's own (lockfile.py)
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


MARKDOWN_SUFFIXES = (".md", ".markdown")  # as Hugo and MkDocs read them, in any case


def is_markdown(name: str | Path) -> bool:
    return str(name).lower().endswith(MARKDOWN_SUFFIXES)


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
    unread: tuple[Warning_, ...] = ()  # what no stage reads: posts/, a page beside the folders, a note not .md


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
    unread = _unread(content)
    under_pages = _walk(content / PAGES_DIR)
    pages = [p for p in under_pages if is_markdown(p)]
    notes = []
    for path in _walk(content / TOPICS_DIR):
        if path.suffix == ".md":
            notes.append(path)
        else:  # a note's file is named by its topic's slug: topics/moe.md, nothing else
            unread.append(Warning_(rel(path, content), 0, f"not a topic note (topic notes are .md files named by a topic's slug: "
                                                          f"{TOPICS_DIR}/moe.md), ignored"))
    return ContentFiles(tuple(dumps), tuple(pages), tuple(notes), tuple(p for p in under_pages if not is_markdown(p)), tuple(unread))


def is_project_folder(content: Path) -> bool:
    """Is the content dir the project's own folder (``content = "."``)? Its top then holds the
    project's files, not content no stage reads."""
    return (content / CONFIG_NAME).is_file()


def _unread(content: Path) -> list[Warning_]:
    """A warning for each file or folder at the top of ``content`` that no part of the build
    reads (``posts/``, as Hugo has it, or a page beside the folders): without it, it is left
    out of the site with no word."""
    if is_project_folder(content) or not content.is_dir():
        return []
    out = []
    for entry in sorted(os.listdir(content)):
        if entry in (PAPERS_DIR, PAGES_DIR, TOPICS_DIR, LOCK_NAME) or is_ignored(entry) or entry.lower().startswith("readme"):
            continue  # (a README says what the folder is, to whoever browses the repository)
        folder = (content / entry).is_dir()
        if is_markdown(entry):
            why = f"pages go in {PAGES_DIR}/ ({PAGES_DIR}/{entry})"
        elif folder or reader_for(Path(entry), year=None) is None:
            why = (f"the content dir holds {PAPERS_DIR}/ (dumps), {PAGES_DIR}/ (pages and the files they use) and "
                   f"{TOPICS_DIR}/ (topic notes); move it under {PAGES_DIR}/ to publish it")
        else:
            why = f"dumps go in {PAPERS_DIR}/ ({PAPERS_DIR}/{entry})"
        out.append(Warning_(entry + "/" * folder, 0, f"not read: {why}"))
    return out


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
