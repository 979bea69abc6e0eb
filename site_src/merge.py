"""De-duplicate papers found in several dumps or formats into one record each."""

from __future__ import annotations

import dataclasses
import hashlib
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable

from .models import Paper, RawPaper, Warning_
from .slugs import unique_slugs


MIN_ABSTRACT_WORDS = 20  # fewer, and an abstract does not tell a paper apart (abstract_key)


def lock_key(key: str) -> str:
    """A paper's key (models.Paper.key) as the lock file writes it: an arXiv id as it is, a
    normalised title as a 12-digit hash of it (titles are long, and the lock lists every paper)."""
    return "title:" + hashlib.sha1(key.encode("utf-8")).hexdigest()[:12] if key.startswith("title:") else key


def abstract_key(abstract: str) -> str:
    """What the lock knows a title-keyed paper's abstract by (a hash of its text): the paper
    keeps its URL when its title is edited and its abstract is not. "" for a short abstract,
    too likely to be shared."""
    # the text as it is: an edited title leaves the abstract as it was (and this runs for every
    # paper of every fit: 100,000 abstracts normalised first took seconds)
    if abstract.count(" ") + 1 < MIN_ABSTRACT_WORDS:
        return ""
    return "abstract:" + hashlib.sha1(abstract.encode("utf-8", "surrogatepass")).hexdigest()[:12]


def norm_title(title: str) -> str:
    text = unicodedata.normalize("NFKD", title).casefold()
    return re.sub(r"[\W_]+", "", text) or "".join(unicodedata.normalize("NFKC", title).split())  # "🚀" is not "🔥"


def _key_groups(records: Iterable[RawPaper]) -> tuple[list[tuple[str, list[RawPaper]]], set[str]]:
    """Group records, each group with its key (models.Paper.key): same arXiv id, or same
    normalised title when one side has no id. Also the keys of the groups that share a title
    with a paper without an id kept apart from them (odd_merges reports those titles).

    Two records with different arXiv ids stay apart even with equal titles, and so do two, one
    or both without an id, whose abstracts are unalike (_by_abstract).
    """
    by_id: dict[str, list[RawPaper]] = {}
    by_title: dict[str, list[RawPaper]] = {}
    no_id: list[RawPaper] = []
    for rec in records:
        if rec.arxiv_id:
            by_id.setdefault(rec.arxiv_id, []).append(rec)
        else:
            no_id.append(rec)
    ids_of: dict[str, list[str]] = {}
    for arxiv_id in sorted(by_id):
        for nt in dict.fromkeys(norm_title(rec.title) for rec in by_id[arxiv_id]):
            ids_of.setdefault(nt, []).append(arxiv_id)
    for rec in no_id:
        nt = norm_title(rec.title)
        # the paper with an id and this title whose abstract it shares most, unless it shares
        # too little with every one (another paper of the same title)
        best, most = None, -1.0
        for arxiv_id in ids_of.get(nt, ()):
            # (the records of the id: those without one joined so far do not count)
            abstracts = [r.abstract for r in by_id[arxiv_id] if r.arxiv_id and r.abstract.strip()]
            alike = max((_overlap(a, rec.abstract) for a in abstracts), default=1.0) if rec.abstract.strip() else 1.0
            if alike > most:
                best, most = arxiv_id, alike
        if best is not None and most >= _UNALIKE:
            by_id[best].append(rec)
        else:
            by_title.setdefault(nt, []).append(rec)
    keyed = [(f"arxiv:{i}", g) for i, g in by_id.items()]
    shared: set[str] = set()
    for nt, group in by_title.items():
        if len(group) == 1:  # (most papers: nothing to part)
            parts = [group]
        else:
            parts = sorted((sorted(part, key=_listed) for part in _by_abstract(group)), key=lambda part: _listed(part[0]))
        keys = [f"title:{nt}" + (f":{_digest(part[0].abstract)}" if i else "") for i, part in enumerate(parts)]
        keyed.extend(zip(keys, parts))
        if len(parts) > 1 or nt in ids_of:  # papers of one title kept apart
            shared.update(keys, (f"arxiv:{i}" for i in ids_of.get(nt, ())))
    return keyed, shared


def _by_abstract(group: list[RawPaper]) -> list[list[RawPaper]]:
    """Records of one title without an arXiv id, parted into papers: one, unless their
    abstracts are unalike (two papers may share a short title). In an order of their content
    alone, so the parts are the same however the dumps are listed."""
    parts: list[list[RawPaper]] = []
    for rec in sorted(group, key=lambda r: (not r.abstract.strip(), r.abstract, r.source.file, r.source.line)):
        home = next((p for p in parts if not rec.abstract.strip() or _overlap(p[0].abstract, rec.abstract) >= _UNALIKE), None)
        if home is None:
            parts.append([rec])
        else:
            home.append(rec)
    return parts


def _listed(rec: RawPaper) -> tuple:
    """Records in the order they were listed (the undated last), then by content: the paper
    listed first under a shared title keeps the plain key, and so its URL, when another paper
    of that title comes in a later dump."""
    when = rec.date.sort_key() if rec.date and rec.date.year else (9999, 99, 99)
    return when, rec.abstract, rec.source.file, rec.source.line


def _digest(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:8]


_MARKUP = re.compile(r"[\\$^{}_]")


def best_title(titles: Iterable[str]) -> str:
    """The title a merged paper shows and takes its URL from, whatever order the dumps came in:
    the one with the least LaTeX its reader could not print (a listing's "R²ec" over another's
    "\\text{R}^2\\text{ec}"), then one not cut short (the start of another), then the one most
    records give, then one not in capitals alone, then the first alphabetically."""
    counts = Counter(titles)
    titles = sorted(counts)
    norms = [norm_title(t) for t in titles]

    def rank(i: int) -> tuple:
        cut = any(n != norms[i] and n.startswith(norms[i]) for n in norms)
        return len(_MARKUP.findall(titles[i])), cut, -counts[titles[i]], titles[i].isupper(), titles[i].casefold(), titles[i]

    return titles[min(range(len(titles)), key=rank)]


def _commonest(values: list):
    """The value most records give, then the least by its text: what the records say, not
    which file's name sorts first (None when none does)."""
    counts = Counter(values)
    return min(counts, key=lambda v: (-counts[v], repr(v))) if counts else None


def _merge(group: list[RawPaper], key: str, slug: str, title: str) -> Paper:
    group = sorted(group, key=lambda r: (r.source.file, r.source.line))
    org = _commonest([(r.org_id, r.org_name) for r in group if r.org_id or r.org_name]) or (None, None)
    dates = [r.date for r in group if r.date]
    dated = [d for d in dates if d.year] or dates
    urls: list[str] = []
    for r in group:
        urls.extend(u for u in r.code_urls if u not in urls)
    sources = tuple(sorted({r.source for r in group}, key=lambda s: (s.file, s.line)))
    counts = [r.author_count for r in group if r.author_count is not None]
    votes = [r.upvotes for r in group if r.upvotes is not None]
    return Paper(
        id=slug,
        title=title,
        abstract=max((r.abstract for r in group), key=lambda a: (len(a), a)),
        sources=sources,
        author_count=max(counts) if counts else None,
        author_names=_commonest([r.author_names for r in group if r.author_names]) or (),
        org_id=org[0],
        org_name=org[1],
        date=min(dated, key=lambda d: d.sort_key()) if dated else None,
        upvotes=max(votes) if votes else None,
        arxiv_id=_commonest([r.arxiv_id for r in group if r.arxiv_id]),
        code_urls=tuple(urls),
        categories=_commonest([r.categories for r in group if r.categories]) or (),
        key=key,
    )


def _words(text: str) -> set[str]:
    return set(re.findall(r"\w+", text.casefold()))


def _overlap(a: str, b: str) -> float:
    wa, wb = _words(a), _words(b)
    return len(wa & wb) / len(wa | wb) if wa | wb else 1.0


# below this word overlap (Jaccard) in both title and abstract, two records of one arXiv id read
# as two papers: revisions of one paper share more (the corpora's 390 ids with two versions:
# one retitled and rewritten paper below it), two papers taken at random at most 0.19
_UNALIKE = 0.3


def odd_merges(groups: Iterable[tuple[str, list[RawPaper]]], shared: set[str] | None = None) -> list[Warning_]:
    """A warning for each arXiv id given to records that share neither title nor abstract (a
    wrong id in a dump would otherwise merge two papers silently), and for each title shared
    by papers kept apart by their abstracts (a title may be a typo for another): among the
    groups keyed in ``shared`` (_key_groups), when given, else all."""
    found = []
    groups = list(groups)
    for key, group in groups:
        if key.startswith("title:"):
            continue
        # a group holds records of one id, and records without one that share a title with them
        with_id = sorted((r for r in group if r.arxiv_id), key=lambda r: (r.source.file, r.source.line))
        first = with_id[0] if with_id else None
        for rec in with_id[1:]:
            if _overlap(first.title, rec.title) < _UNALIKE and _overlap(first.abstract, rec.abstract) < _UNALIKE:
                found.append(Warning_(rec.source.file, rec.source.line,
                                      f"arXiv id {rec.arxiv_id} here and at {first.source.file}:{first.source.line} "
                                      f"names papers with different titles and abstracts ({rec.title[:60]!r}, "
                                      f"{first.title[:60]!r}); merged as one paper: a revised version, or a wrong id"))
                break
    by_title: dict[str, list[tuple[bool, RawPaper]]] = {}
    for key, group in groups:
        if shared is not None and key not in shared:
            continue
        firsts_here: dict[str, RawPaper] = {}  # the group's first record of each of its titles
        for rec in sorted(group, key=lambda r: (r.source.file, r.source.line)):
            firsts_here.setdefault(norm_title(rec.title), rec)
        for nt, rec in firsts_here.items():
            by_title.setdefault(nt, []).append((key.startswith("title:"), rec))
    for entries in by_title.values():
        # papers kept apart by their abstracts (two arXiv ids with one title are two papers)
        if len(entries) > 1 and any(by_title_key for by_title_key, _ in entries):
            firsts = sorted((r for _, r in entries), key=lambda r: (r.source.file, r.source.line))
            rec, others = firsts[0], ", ".join(f"{r.source.file}:{r.source.line}" for r in firsts[1:])
            found.append(Warning_(rec.source.file, rec.source.line,
                                  f"{len(firsts)} papers titled {rec.title[:60]!r} with different abstracts (also at "
                                  f"{others}); kept apart: if they are one paper, make the abstracts agree"))
    return found


def merge_papers(records: Iterable[RawPaper], warnings: list[Warning_] | None = None) -> list[Paper]:
    """Merge duplicates; the result is sorted by paper id (slug) and so independent of input
    order. Records merged by an arXiv id they hardly agree with, and titles shared by papers
    kept apart, are reported in ``warnings``."""
    groups, shared = _key_groups(records)
    keyed = dict(groups)
    if warnings is not None:
        warnings.extend(odd_merges(keyed.items(), shared))
    titles = {k: best_title(r.title for r in g) for k, g in keyed.items()}
    slugs = unique_slugs(list(titles.items()))
    papers = [_merge(g, k, slugs[k], titles[k]) for k, g in keyed.items()]
    return sorted(papers, key=lambda p: p.id)


def keep_ids(papers: list[Paper], locked: dict[str, str]) -> list[Paper]:
    """``papers`` with the ids (URLs) the lock gave them before (``locked``: Lock.papers): a
    paper whose title changed (by its arXiv id, or by its abstract when it has no id: see
    abstract_key), or whose slug another paper now shares, keeps its URL; the
    others get theirs as merge_papers does, around the kept ones. Sorted by id, like
    merge_papers; with an empty lock, its result unchanged."""
    if not locked:
        return papers
    kept: dict[str, str] = {}
    taken = {p.id for p in papers if not p.key}  # made without merge_papers: left as they are
    retitled = []  # papers known by their title that the lock does not know by it
    for p in sorted(papers, key=lambda p: p.key):
        slug = locked.get(lock_key(p.key)) if p.key else None
        if slug and slug not in taken:  # a hand-edited lock may give two papers one id
            kept[p.key] = slug
            taken.add(slug)
        elif p.key.startswith("title:"):
            retitled.append(p)
    # one whose abstract the lock knows had its title edited: it keeps the URL its old title
    # left free
    for p in retitled:
        slug = locked.get(abstract_key(p.abstract))
        if slug and slug not in taken:
            kept[p.key] = slug
            taken.add(slug)
    ids = kept | unique_slugs([(p.key, p.title) for p in papers if p.key and p.key not in kept], taken=taken)
    if all(ids.get(p.key, p.id) == p.id for p in papers):  # the usual build: nothing moved
        return papers
    return sorted((p if p.id == ids.get(p.key, p.id) else dataclasses.replace(p, id=ids[p.key]) for p in papers), key=lambda p: p.id)
