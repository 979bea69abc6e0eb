"""JSON paper records, as JSON Lines files and the Hugging Face API hold them, to RawPapers.

Fields: ``title``, ``abstract`` (or ``summary``), ``authors`` (names) or ``author_count``,
``date`` (ISO), ``upvotes``, ``arxiv_id`` (or an ``id`` that is one; see arxiv_id), ``categories``,
``organization``, ``github_repo``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path

from ..models import PaperDate, RawPaper, Source, Warning_
from .hf_text import code_urls
from .textio import numbered_lines


def parse_date(value, name: str, line: int, warnings: list[Warning_]) -> PaperDate | None:
    if value in (None, ""):
        return None
    text = str(value)[:10]
    try:
        y, m, d = (int(part) for part in text.split("-"))
        return PaperDate.checked(y, m, d)
    except ValueError:
        warnings.append(Warning_(name, line, f"impossible date {value!r}, date left empty"))
        return None


# an arXiv id as records write it: "2405.15738", "2405.15738v2", "arXiv:2405.15738", its abs or
# pdf address, or an old-style "hep-th/9901001"; one paper is one id whatever the form
_ARXIV = re.compile(r"(?i)^(?:arxiv:|https?://(?:www\.)?arxiv\.org/(?:abs|pdf)/)?"
                    r"(\d{4}\.\d{4,5}|[a-z][a-z.-]*/\d{7})(?:v\d+)?(?:\.pdf)?/?$")


def arxiv_id(value) -> str | None:
    """``value`` as a bare arXiv id ("2405.15738"), or None when it is not one."""
    m = _ARXIV.match(value.strip()) if isinstance(value, str) else None
    return m.group(1) if m else None


def _int(value) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) and value >= 0 else None


def record_to_paper(rec: dict, name: str, line: int, warnings: list[Warning_]) -> RawPaper | None:
    """Map one JSON object to a RawPaper, or None (with a warning) when unusable."""
    title = rec.get("title")
    abstract = rec.get("abstract", rec.get("summary"))
    if not isinstance(title, str) or not title.strip():
        warnings.append(Warning_(name, line, "record with no title, skipped"))
        return None
    if not isinstance(abstract, str) or not abstract.strip():
        warnings.append(Warning_(name, line, f"title with no abstract, skipped: {title[:80]!r}"))
        return None
    authors = rec.get("authors")
    names: tuple[str, ...] = ()
    if isinstance(authors, list):
        names = tuple(a if isinstance(a, str) else str(a.get("name", "")) if isinstance(a, dict) else str(a) for a in authors if a)
    count = _int(rec.get("author_count")) if rec.get("author_count") is not None else (len(names) or None)
    org = rec.get("organization")
    org_id = org_name = None
    if isinstance(org, dict):
        org_id, org_name = org.get("name"), org.get("fullname") or org.get("name")
    elif isinstance(org, str) and org:
        org_id = org_name = org
    repo = rec.get("github_repo") or rec.get("githubRepo")
    urls = code_urls(abstract)
    if isinstance(repo, str) and repo.startswith(("https://", "http://")) and repo not in urls:
        urls = (repo, *urls)
    cats = rec.get("categories")
    # "id" is an arXiv id in Hugging Face's records; any other id names no paper
    given = rec.get("arxiv_id")
    arxiv = arxiv_id(given)
    if given not in (None, "") and not arxiv:
        warnings.append(Warning_(name, line, f"arxiv_id {given!r} is not an arXiv id, left out"))
    arxiv = arxiv or arxiv_id(rec.get("id"))
    return RawPaper(
        title=" ".join(title.split()),
        abstract=" ".join(abstract.split()),
        source=Source(name, line),
        author_count=count,
        author_names=names,
        org_id=str(org_id) if org_id else None,
        org_name=str(org_name) if org_name else None,
        date=parse_date(rec.get("date") or rec.get("publishedAt"), name, line, warnings),
        upvotes=_int(rec.get("upvotes")),
        arxiv_id=arxiv,
        code_urls=urls,
        categories=tuple(str(c) for c in cats) if isinstance(cats, list) else (),
    )


def json_lines(stream, name: str, warnings: list[Warning_]) -> Iterator[RawPaper]:
    """The papers of a JSON Lines stream, one record a line; a bad line is a warning."""
    for line, text in numbered_lines(stream):
        if not text.strip():
            continue
        try:
            rec = json.loads(text)
        except json.JSONDecodeError as exc:
            warnings.append(Warning_(name, line, f"invalid JSON ({exc.msg}), line skipped"))
            continue
        if not isinstance(rec, dict):
            warnings.append(Warning_(name, line, "not a JSON object, line skipped"))
            continue
        paper = record_to_paper(rec, name, line, warnings)
        if paper:
            yield paper
