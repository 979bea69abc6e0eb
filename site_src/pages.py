"""Plan every output of the site: (path, template, context) or (path, bytes). Pure.

Links inside pages are relative (``root`` is '../' per directory level), so one build works
at a domain root, under a subpath and from file://. Absolute URLs (feeds, sitemap, canonical,
OpenGraph) use ``base_url``.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from urllib.parse import quote, urljoin

from markupsafe import escape

from .config import SiteConfig
from .models import MarkdownPage, Paper, TopicModel, TopicNote

TOP_N = 10
DESCRIPTION = 160  # characters of the abstract in a paper page's description (what search engines show)
SEARCH_SHARD = 5000  # search entries per data/search-N.js


@dataclass(frozen=True)
class Output:
    path: str
    template: str | None = None
    context: dict | None = None
    data: bytes | None = None
    make: Callable[[], dict] | None = None  # builds the context when asked (paper pages: most are skipped by one of two render workers)

    def ctx(self) -> dict:
        return self.context if self.make is None else self.make()


@dataclass(frozen=True)
class Site:
    config: SiteConfig
    papers: list[Paper]
    model: TopicModel
    pages: list[MarkdownPage]
    topic_notes: dict[str, TopicNote] = field(default_factory=dict)  # slug -> its note


def paper_url(paper_id: str) -> str:
    return f"papers/{paper_id}.html"


def topic_url(slug: str) -> str:
    return f"topics/{slug}.html"


# what the site writes besides the markdown pages and page files (tests/test_pages.py checks a
# built site against it): folders, then single files
_GENERATED_DIRS = {"assets": "the theme's files", "data": "the map's and search's data", "papers": "the paper pages",
                   "topics": "the topic pages"}
_GENERATED = {"index.html": "the home page", "404.html": "the page-not-found page", "feed.xml": "the site's feed",
              "sitemap.xml": "the sitemap", "robots.txt": "robots.txt", ".nojekyll": "GitHub Pages' .nojekyll",
              ".researchmap-build": "researchmap's marker of its output"}
_LIST_PAGE = re.compile(r"papers(-\d+)?\.html")


def generated(path: str) -> str | None:
    """What the site generates at ``path`` (site-relative), or None when it is free for the
    owner's pages and files."""
    head = path.partition("/")[0]
    found = _GENERATED_DIRS.get(head) or _GENERATED.get(head)
    return found or ("the list of papers" if _LIST_PAGE.fullmatch(path) else None)


TIMELINE_BARS = 36  # at most this many bars: months, else quarters, else years


def timeline(dates, within: tuple | None = None) -> dict:
    """Papers per month (quarter, year when months would be too many bars) from the first dated
    paper to the last, empty periods included so the axis is time; and how many papers have no
    year, and how many of those no date at all (a chart without them must say which). ``within``:
    another ((year, month), (year, month)) range to span (the whole site's, so charts of several topics share one axis)."""
    dated = [(d.year, d.month) for d in dates if d is not None and d.year]
    no_date = sum(d is None for d in dates)
    if not dated and within is None:
        return {"bars": [], "unit": "", "undated": len(dates), "no_date": no_date}
    first, last = within or (min(dated), max(dated))
    span = (last[0] - first[0]) * 12 + last[1] - first[1] + 1
    years = -(-(last[0] - first[0] + 1) // TIMELINE_BARS)  # a bar's years: 1 unless the span is long
    unit = ("month" if span <= TIMELINE_BARS else "quarter" if span <= 3 * TIMELINE_BARS
            else "year" if years == 1 else f"{years} years")

    def key(year: int, month: int):
        if unit == "month":
            return (year, month)
        if unit == "quarter":
            return (year, (month - 1) // 3 + 1)
        return (first[0] + (year - first[0]) // years * years, 0)

    counts: dict = {}
    for ym in dated:
        if first <= ym <= last:
            counts[key(*ym)] = counts.get(key(*ym), 0) + 1
    bars, (y, m) = [], first
    while (y, m) <= last:
        k = key(y, m)
        if not bars or bars[-1][0] != k:
            bars.append((k, counts.get(k, 0)))
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    label = {"month": lambda k: f"{k[0]}-{k[1]:02d}", "quarter": lambda k: f"{k[0]} Q{k[1]}"}.get(
        unit, lambda k: str(k[0]) if years == 1 else f"{k[0]}–{k[0] + years - 1}")
    return {"bars": [(label(k), n) for k, n in bars], "unit": unit, "undated": len(dates) - len(dated), "no_date": no_date}


TREND_MONTHS = 24  # the home page's small charts: the site's last two years, month by month


def recent_span(dates, months: int = TREND_MONTHS) -> tuple | None:
    """((year, month), (year, month)): the last ``months`` months up to the newest dated of
    ``dates`` (from the oldest, when that is later), or None when none is dated."""
    dated = [(d.year, d.month) for d in dates if d is not None and d.year]
    if not dated:
        return None
    (y, m), first = max(dated), min(dated)
    start = divmod(y * 12 + m - 1 - (months - 1), 12)
    return max(first, (start[0], start[1] + 1)), (y, m)


def older_than(dates, span: tuple | None) -> int:
    """How many of ``dates`` come before ``span`` (recent_span): what the home page's charts leave out."""
    return sum(1 for d in dates if span and d is not None and d.year and (d.year, d.month) < span[0])


def newest_key(p: Paper):
    """Sort key, newest last. Hugging Face shows a year only for past years, so a date without
    one is from the listing's own year: newer than any date that shows a year."""
    if p.date is None:
        return (0, 0, 0, 0)
    return (1, p.date.year or 10**4, p.date.month, p.date.day)


def json_bytes(value) -> bytes:
    return (json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":")) + "\n").encode()


def menu(pages) -> list:
    """The pages of the menu in its order: by weight, lower first, then those without one
    (as Hugo orders them: ``weight: 1`` on one page puts it first, not last; ``weight: 0`` is
    none, as in Hugo), each by title, whatever its case."""
    return sorted((pg for pg in pages if pg.nav), key=lambda pg: (not pg.weight, pg.weight or 0, pg.title.casefold(), pg.title))


class Planner:
    def __init__(self, site: Site):
        self.site = site
        self.config = site.config
        self.model = site.model
        self.topics = {t.slug: t for t in site.model.topics}
        self.by_id = {p.id: p for p in site.papers}
        self.base = self.config.base_url if self.config.base_url.endswith("/") else self.config.base_url + "/"
        # parts every page's context shares, made once (templates only read them)
        self._site_view = {"title": self.config.title, "description": self.config.description, "base_url": self.base}
        nav = menu(site.pages)
        self._nav_pages = [{"title": pg.title, "url": f"{pg.slug}.html"} for pg in nav]
        self._topic_refs = {t.slug: {"slug": t.slug, "name": t.name, "url": topic_url(t.slug), "kind": t.kind} for t in site.model.topics}
        self._nav_topics = [self._topic_refs[t.slug] for t in site.model.topics]
        self._paper_refs: dict[str, dict] = {}
        self._members: dict[str, list[str]] | None = None
        # a named topic's description, the lead of its page when content/topics/ has no note
        self.named_descriptions = {t.slug: f"<p>{escape(t.description)}</p>" for t in self.config.named_topics if t.description}

    # ---- views: plain dicts for templates
    def abs_url(self, rel: str) -> str:
        # output paths are plain relative paths: joining them to the base is concatenation
        return self.base + rel if "://" not in rel else urljoin(self.base, rel)

    def topic_ref(self, slug: str) -> dict:
        return self._topic_refs[slug]

    def nearest(self, m) -> dict | None:
        """The topic an "Other papers" membership is nearest to, if it is on the site."""
        return self._topic_refs.get(m.nearest) if m.nearest else None

    def paper_ref(self, p: Paper) -> dict:
        ref = self._paper_refs.get(p.id)
        if ref is None:
            ref = self._paper_refs[p.id] = self._make_paper_ref(p)
        return ref

    def _make_paper_ref(self, p: Paper) -> dict:
        m = self.model.memberships[p.id]
        return {
            "id": p.id,
            "title": p.title,
            "url": paper_url(p.id) if self.config.paper_pages else self.external_url(p),
            "date": p.date.display() if p.date else "",
            "iso": (p.date.iso() or "") if p.date else "",
            "upvotes": p.upvotes,
            "topic": self.topic_ref(m[0].topic),
        }

    def map_place(self, p: Paper) -> dict:
        """What the small map needs of ``p``: its map point and main topic (data/minimap.css
        turns them into a place and a colour; a paper a new dump leaves alone keeps them)."""
        x, y = self.model.coords[p.id]
        return {"x": f"{x:.4f}", "y": f"{y:.4f}", "topic": self.model.memberships[p.id][0].topic}

    def external_url(self, p: Paper) -> str:
        if p.arxiv_id:
            return f"https://arxiv.org/abs/{quote(p.arxiv_id)}"
        return f"https://arxiv.org/search/?searchtype=title&query={quote(p.title)}"

    def paper_view(self, p: Paper) -> dict:
        memberships = [
            {**self.topic_ref(m.topic), "score": m.score, "terms": list(m.terms), "nearest": self.nearest(m)} for m in self.model.memberships[p.id]
        ]
        title_q = quote(p.title)
        links = []
        if p.arxiv_id:
            links.append({"label": "arXiv", "url": f"https://arxiv.org/abs/{quote(p.arxiv_id)}"})
            links.append({"label": "Hugging Face", "url": f"https://huggingface.co/papers/{quote(p.arxiv_id)}"})
        else:
            links.append({"label": "arXiv search", "url": f"https://arxiv.org/search/?searchtype=title&query={title_q}"})
            links.append({"label": "Hugging Face search", "url": f"https://huggingface.co/papers?q={title_q}"})
        for url in p.code_urls:
            links.append({"label": "Code", "url": url})
        return {
            **self.paper_ref(p),
            "abstract": p.abstract,
            "authors": p.author_count,
            "author_names": list(p.author_names[:20]),
            "org": p.org_name,
            "org_id": p.org_id,
            "arxiv_id": p.arxiv_id,
            "memberships": memberships,
            "similar": [self.paper_ref(self.by_id[s]) for s in self.model.similar.get(p.id, ())],
            "links": links,
            "sources": [f"{s.file}:{s.line}" for s in p.sources],
            "map": self.map_place(p),
        }

    def topic_view(self, slug: str) -> dict:
        t = self.topics[slug]
        return {
            **self.topic_ref(slug),
            "size": t.size,
            "terms": list(t.terms),
            "cohesion": t.cohesion,
            "feed": f"topics/{slug}.xml",
        }

    # ---- common context
    def context(self, path: str, **extra) -> dict:
        depth = path.count("/")
        return {
            "site": self._site_view,
            "root": "../" * depth,
            "path": path,
            "canonical": self.abs_url(path),
            "nav_pages": self._nav_pages,
            "nav_topics": self._nav_topics,
            "feed": "feed.xml",
            **extra,
        }

    def member_ids(self, slug: str) -> list[str]:
        """Papers of a topic ranked by membership score, upvotes breaking ties."""
        if self._members is None:
            scored: dict[str, list] = {t.slug: [] for t in self.model.topics}
            for p in self.site.papers:
                for m in self.model.memberships[p.id]:
                    scored.setdefault(m.topic, []).append((-m.score, -(p.upvotes or 0), p.id))
            self._members = {t: [pid for *_, pid in sorted(rows)] for t, rows in scored.items()}
        return self._members.get(slug, [])

    # ---- outputs
    def outputs(self) -> Iterator[Output]:
        papers = self.site.papers
        yield from self.home()
        for t in self.model.topics:
            yield from self.topic_pages(t.slug)
        for old, new in sorted(self.model.redirects.items()):
            target = topic_url(new) if new else "index.html"
            path = topic_url(old)
            yield Output(path, "redirect.html", self.context(path, target=target, title=self.topics[new].name if new else self.config.title))
        yield from self.paper_lists()
        if self.config.paper_pages:
            for p in papers:
                path = paper_url(p.id)
                yield Output(path, "paper.html", make=lambda p=p, path=path: self.context(
                    path, paper=self.paper_view(p), title=p.title, description=p.abstract[:DESCRIPTION]))
        for pg in self.site.pages:
            yield self.page_output(pg)
            yield from self.alias_outputs(pg)
        # hosts serve 404.html at the missing URL, at any depth: its links start at the site's root
        yield Output("404.html", "404.html", self.context(
            "404.html", root=self.config.base_path, title="Page not found", description=self.config.description))

    def page_output(self, pg: MarkdownPage) -> Output:
        path = f"{pg.slug}.html"
        description = str(pg.meta.get("description", self.config.description))
        return Output(path, "page.html", self.context(path, page={"title": pg.title, "html": pg.html, "meta": pg.meta, "own_h1": pg.own_h1, "draft": pg.draft}, title=pg.title, description=description))

    def alias_outputs(self, pg: MarkdownPage) -> Iterator[Output]:
        """A redirect page at each of the page's old URLs (its ``aliases``)."""
        for path in pg.aliases:
            yield Output(path, "redirect.html", self.context(path, target=f"{pg.slug}.html", title=pg.title))

    def outputs_for(self, *, pages: set[str], topics: set[str]) -> Iterator[Output]:
        """Only the outputs of the given markdown pages and topic notes (a partial rebuild)."""
        for slug in sorted(topics):
            if slug in self.topics:
                yield from self.topic_pages(slug)
        for pg in self.site.pages:
            if pg.slug in pages:
                yield self.page_output(pg)
                yield from self.alias_outputs(pg)  # (they show its title)

    def home(self) -> Iterator[Output]:
        papers = self.site.papers
        top = sorted(papers, key=lambda p: (-(p.upvotes or 0), p.id))[:TOP_N]
        newest = sorted(papers, key=lambda p: (newest_key(p), p.id), reverse=True)[:TOP_N]
        span = recent_span(p.date for p in papers)
        yield Output(
            "index.html",
            "index.html",
            self.context(
                "index.html",
                title=self.config.title,
                description=self.config.description,
                topics=[{**self.topic_view(t.slug), "trend": self.trend(t.slug, span)} for t in self.model.topics],
                older=older_than([p.date for p in papers], span),
                undated=sum(1 for p in papers if p.date is None or not p.date.year),
                top=[self.paper_ref(p) for p in top],
                newest=[self.paper_ref(p) for p in newest],
                n_papers=len(papers),
                k_reason=self.model.k_reason,
            ),
        )

    def trend(self, slug: str, span: tuple | None) -> dict:
        """A topic's papers per month over ``span`` (recent_span of the whole site, so the home
        page's small charts share one axis), with its busiest month and how many are older."""
        if span is None:
            return {"bars": []}
        dates = [self.by_id[pid].date for pid in self.member_ids(slug)]
        when = timeline(dates, within=span)
        busiest = max(when["bars"], key=lambda bar: bar[1])  # the first of equals: max keeps it
        return {**when, "busiest": busiest if busiest[1] else None, "older": older_than(dates, span)}

    def topic_pages(self, slug: str) -> Iterator[Output]:
        ids = self.member_ids(slug)
        size = self.config.page_size
        pages = max(1, math.ceil(len(ids) / size))
        when = timeline([self.by_id[pid].date for pid in ids])
        # members whose first topic is another: the map draws them as rings beside this topic's dots
        also = [pid for pid in ids if self.model.memberships[pid][0].topic != slug]
        note = self.site.topic_notes.get(slug)
        for n in range(pages):
            path = topic_url(slug) if n == 0 else f"topics/{slug}-{n + 1}.html"
            rows = []
            for pid in ids[n * size : (n + 1) * size]:
                p = self.by_id[pid]
                m = next(m for m in self.model.memberships[pid] if m.topic == slug)
                rows.append({**self.paper_ref(p), "score": m.score, "terms": list(m.terms), "nearest": self.nearest(m),
                             "primary": self.model.memberships[pid][0].topic == slug})
            yield Output(
                path,
                "topic.html",
                self.context(
                    path,
                    topic=self.topic_view(slug),
                    description_html=(note and note.html) or self.named_descriptions.get(slug, ""),
                    note_draft=bool(note and note.draft),
                    papers=rows,
                    timeline=when,
                    named_in=self.topics[slug].named_in,
                    also=also,
                    pager=self.pager(n, pages, lambda i: topic_url(slug) if i == 0 else f"topics/{slug}-{i + 1}.html"),
                    title=self.topics[slug].name if n == 0 else f"{self.topics[slug].name}, page {n + 1} of {pages}",
                    description=(note and note.description) or f"{self.topics[slug].size} papers on {self.topics[slug].name}: " + ", ".join(self.topics[slug].terms[:5]),
                    feed=f"topics/{slug}.xml",
                ),
            )

    def pager(self, n: int, pages: int, url) -> dict:
        return {
            "page": n + 1,
            "start": n * self.config.page_size + 1,  # the number of the page's first paper (<ol start>)
            "pages": pages,
            "prev": url(n - 1) if n > 0 else None,
            "next": url(n + 1) if n + 1 < pages else None,
            "all": [{"n": i + 1, "url": url(i)} for i in range(pages)] if pages <= 30 else [],
        }

    def paper_lists(self) -> Iterator[Output]:
        papers = sorted(self.site.papers, key=lambda p: (newest_key(p), p.id), reverse=True)
        size = self.config.page_size
        pages = max(1, math.ceil(len(papers) / size))
        url = lambda i: "papers.html" if i == 0 else f"papers-{i + 1}.html"  # noqa: E731
        for n in range(pages):
            path = url(n)
            yield Output(
                path,
                "papers.html",
                self.context(
                    path,
                    papers=[self.paper_ref(p) for p in papers[n * size : (n + 1) * size]],
                    pager=self.pager(n, pages, url),
                    n_papers=len(papers),
                    title="All papers" if n == 0 else f"All papers, page {n + 1} of {pages}",
                    description=f"All {len(papers)} papers of {self.config.title}",
                ),
            )

