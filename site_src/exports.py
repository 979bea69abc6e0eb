"""Machine-readable outputs: JSON exports, the map data, Atom feeds, sitemap, robots.txt."""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterator

from .colours import map_topics
from .markdown import html_text
from .minimap import frame, minimap_css, minimap_svg
from .models import Paper
from .pages import SEARCH_SHARD, Output, Planner, json_bytes, newest_key, paper_url, topic_url

ATOM_EPOCH = "1970-01-01T00:00:00Z"


# past this many papers, papers.json leaves abstracts and similar papers to the paper pages (at
# 100,000 they are most of its bytes, and the site must stay under GitHub Pages' 1 GB)
ABSTRACTS_MAX = 20000
SEARCH_WORDS_LARGE = 24  # abstract words per paper in the search index past ABSTRACTS_MAX papers


def escape(text: str) -> str:
    """XML character data, as xml.sax.saxutils.escape makes it (that module imports urllib and
    email: 20 ms of every build, the warm ones included)."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def papers_json(planner: Planner) -> list[dict]:
    model = planner.model
    out = []
    full = len(planner.site.papers) <= ABSTRACTS_MAX or not planner.config.paper_pages
    for p in planner.site.papers:
        x, y = model.coords[p.id]
        out.append(
            {
                "id": p.id,
                "title": p.title,
                **({"abstract": p.abstract} if full else {}),
                "url": paper_url(p.id) if planner.config.paper_pages else planner.external_url(p),
                "topics": [m.topic for m in model.memberships[p.id]],
                "scores": [m.score for m in model.memberships[p.id]],
                "x": x,
                "y": y,
                "date": p.date.iso() if p.date else None,
                "date_text": p.date.display() if p.date else None,
                "upvotes": p.upvotes,
                "authors": p.author_count,
                "org": p.org_name,
                "org_id": p.org_id,
                "arxiv_id": p.arxiv_id,
                "code": list(p.code_urls),
                **({"similar": list(model.similar.get(p.id, ()))} if full else {}),
                "sources": sorted({s.file for s in p.sources}),
            }
        )
    return out


def topics_json(planner: Planner) -> list[dict]:
    return [
        {
            "slug": t.slug,
            "name": t.name,
            "kind": t.kind,
            "size": t.size,
            "terms": list(t.terms),
            "cohesion": t.cohesion,
            "url": topic_url(t.slug),
        }
        for t in planner.model.topics
    ]


def _atom(planner: Planner, papers: list[Paper], *, title: str, self_path: str, page_path: str) -> bytes:
    dated = [p for p in papers if p.date and p.date.iso()]
    dated.sort(key=lambda p: (newest_key(p), p.id), reverse=True)
    dated = dated[: planner.config.feed_size]
    updated = f"{dated[0].date.iso()}T00:00:00Z" if dated else ATOM_EPOCH
    e = lambda s: escape(s).replace('"', "&quot;")  # noqa: E731
    lines = [
        '<?xml version="1.0" encoding="utf-8"?>',
        '<feed xmlns="http://www.w3.org/2005/Atom">',
        f"  <title>{e(title)}</title>",
        f"  <id>{e(planner.abs_url(self_path))}</id>",
        f'  <link rel="self" type="application/atom+xml" href="{e(planner.abs_url(self_path))}"/>',
        f'  <link rel="alternate" type="text/html" href="{e(planner.abs_url(page_path))}"/>',
        f"  <updated>{updated}</updated>",
        f"  <author><name>{e(planner.config.title)}</name></author>",
    ]
    for p in dated:
        url = planner.abs_url(paper_url(p.id)) if planner.config.paper_pages else planner.external_url(p)
        topics = [planner.topics[m.topic].name for m in planner.model.memberships[p.id]]
        lines += [
            "  <entry>",
            f"    <title>{e(p.title)}</title>",
            f"    <id>{e(url)}</id>",
            f'    <link rel="alternate" type="text/html" href="{e(url)}"/>',
            f"    <updated>{p.date.iso()}T00:00:00Z</updated>",
            *(f'    <category term="{e(name)}"/>' for name in topics),
            f"    <summary>{e(p.abstract)}</summary>",
            "  </entry>",
        ]
    lines.append("</feed>")
    return ("\n".join(lines) + "\n").encode()


def data_outputs(planner: Planner, search_memo: dict | None = None) -> Iterator[Output]:
    """Every data file. ``search_memo`` (abstract digest -> search words) spares computing the
    search words of papers an earlier build saw; new entries are added to it."""
    site = planner.site
    yield Output("data/papers.json", data=json_bytes(papers_json(planner)))
    yield Output("data/topics.json", data=json_bytes(topics_json(planner)))
    urls = {p.id: (paper_url(p.id) if site.config.paper_pages else planner.external_url(p)) for p in site.papers}
    from .topicmap import map_figure, map_script  # plotly: only when the map is drawn

    drawn = map_topics(site.papers, site.model)  # the topics' order and colours, on either map
    yield Output("data/map.js", data=map_script(map_figure(site.papers, site.model, urls, drawn)).encode())
    if site.config.paper_pages:
        box = frame(site.model)
        yield Output("data/minimap.svg", data=minimap_svg(site.model, drawn, box))
        yield Output("data/minimap.css", data=minimap_css(drawn, box))
    yield from search_shards(planner, search_memo)
    yield pages_search(planner)
    yield Output("data/list.js", data=list_script(planner))
    yield Output("feed.xml", data=_atom(planner, site.papers, title=site.config.title, self_path="feed.xml", page_path="index.html"))
    for t in planner.model.topics:
        members = [planner.by_id[i] for i in planner.member_ids(t.slug)]
        yield Output(
            f"topics/{t.slug}.xml",
            data=_atom(planner, members, title=f"{t.name} · {site.config.title}", self_path=f"topics/{t.slug}.xml", page_path=topic_url(t.slug)),
        )


_WORD = re.compile(r"[^\W_]+(?:[-'][^\W_]+)*")


def script_json(value) -> str:
    """JSON safe to load as a classic script (no '<' that could close a tag, no line separators)."""
    text = json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")


_SEARCH_STOP = frozenset(
    "the and for with that this from are was were our their which these those into over under than "
    "then also such can has have had not but its via using use based show shows new more most both "
    "each other between while where when what how all any some one two".split()
)


def search_words(text: str, limit: int | None = None) -> str:
    """The distinct words of ``text`` worth matching (lowercased, first-seen order, no short
    or stop words), at most ``limit``: what search looks in besides titles and topic names."""
    distinct = dict.fromkeys(_WORD.findall(text.lower()))
    words = [w for w in distinct if len(w) > 2 and w not in _SEARCH_STOP]
    return " ".join(words[:limit] if limit else words)


def search_shards(planner: Planner, memo: dict | None = None) -> list[Output]:
    """``data/search-N.js``: topics then papers as [url, title, topic names, words, kind];
    ``data/search-0.js`` also sets how many shards there are.

    Loaded as classic scripts (so search works from file:// too), only when a reader first
    searches, in shards so a large site starts answering before everything has loaded.
    """
    names = {t.slug: t.name for t in planner.model.topics}
    # past ABSTRACTS_MAX papers the index keeps each abstract's first words only: at 100,000
    # papers all of them would be 55 MB to download on the first search (and the site's size)
    limit = SEARCH_WORDS_LARGE if len(planner.site.papers) > ABSTRACTS_MAX else None
    memo = {} if memo is None else memo

    def words(abstract: str) -> str:
        key = (hashlib.blake2b(abstract.encode(), digest_size=12).digest(), limit)
        if key not in memo:
            memo[key] = search_words(abstract, limit)
        return memo[key]

    # a topic's slug stands where a paper's topic names do: "moe" finds Mixture of Experts
    items = [[topic_url(t.slug), t.name, t.slug, search_words(" ".join(t.terms)), "topic"] for t in planner.model.topics]
    for p in planner.site.papers:
        ms = planner.model.memberships[p.id]
        url = paper_url(p.id) if planner.config.paper_pages else planner.external_url(p)
        items.append([url, p.title, " · ".join(names[m.topic] for m in ms), words(p.abstract), "paper"])
    shards = [items[i : i + SEARCH_SHARD] for i in range(0, len(items), SEARCH_SHARD)] or [[]]
    # the first shard tells how many there are: pages do not, or one more paper would change them all
    count = f"window.RESEARCHMAP_SEARCH_SHARDS={len(shards)};"
    return [
        Output(f"data/search-{n}.js", data=(
            f"{count if n == 0 else ''}(window.RESEARCHMAP_SEARCH=window.RESEARCHMAP_SEARCH||[]).push({script_json(shard)});\n"
        ).encode())
        for n, shard in enumerate(shards)
    ]


PAGE_WORDS = 2000  # words of a markdown page in the search index


def pages_search(planner: Planner) -> Output:
    """``data/search-pages.js``: the markdown pages as search items [url, title, "", words,
    "page"]. A file of its own, loaded with the first shard: editing a page under ``serve``
    rewrites this file alone, as it re-renders that page alone."""
    items = [
        [f"{pg.slug}.html", pg.title, "", search_words(html_text(pg.html), PAGE_WORDS), "page"]
        for pg in planner.site.pages
    ]
    return Output("data/search-pages.js", data=f"(window.RESEARCHMAP_SEARCH=window.RESEARCHMAP_SEARCH||[]).push({script_json(items)});\n".encode())


def list_script(planner: Planner) -> bytes:
    """``data/list.js``: every paper as [url, title, iso date, date text, upvotes, topic slugs, sort
    key] for the all-papers page's filters, plus the topics as [slug, name, url], as one classic
    script."""
    rows = []
    for p in planner.site.papers:
        url = paper_url(p.id) if planner.config.paper_pages else planner.external_url(p)
        iso = (p.date.iso() or "") if p.date else ""
        rows.append([url, p.title, iso, p.date.display() if p.date else "", p.upvotes, [m.topic for m in planner.model.memberships[p.id]], list(newest_key(p))])
    topics = [[t.slug, t.name, topic_url(t.slug)] for t in planner.model.topics]
    return f"window.RESEARCHMAP_LIST={script_json({'papers': rows, 'topics': topics})};\n".encode()


def sitemap(planner: Planner, paths: list[str]) -> bytes:
    lines = ['<?xml version="1.0" encoding="UTF-8"?>', '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">']
    for path in sorted(paths):
        lines.append(f"  <url><loc>{escape(planner.abs_url(path))}</loc></url>")
    lines.append("</urlset>")
    return ("\n".join(lines) + "\n").encode()


def robots(planner: Planner) -> bytes:
    return f"User-agent: *\nAllow: /\nSitemap: {planner.abs_url('sitemap.xml')}\n".encode()
