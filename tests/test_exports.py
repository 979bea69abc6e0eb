"""Data exports (site_src/exports.py) on small made-up sites."""

from site_src import exports
from site_src.config import SiteConfig
from site_src.pages import Planner, Site

from test_topicmap import model_of


def test_a_large_site_leaves_abstracts_and_similar_papers_to_the_paper_pages(monkeypatch):
    papers, model = model_of({"a": ("cluster", 4, (0, 0)), "b": ("cluster", 3, (1, 1))})
    model.similar.update({p.id: ("a-0",) for p in papers})
    for pages, limit, full in ((True, 100, True), (True, 5, False), (False, 5, True)):
        monkeypatch.setattr(exports, "ABSTRACTS_MAX", limit)
        rows = exports.papers_json(Planner(Site(SiteConfig(paper_pages=pages), papers, model, [])))
        assert len(rows) == len(papers) and all(r["title"] and "x" in r for r in rows)
        # without paper pages the export is where a reader finds them, whatever the size
        assert all(("abstract" in r) == full and ("similar" in r) == full for r in rows), (pages, limit)


def test_without_paper_pages_every_link_leads_to_the_paper_elsewhere():
    """No link names a page that is not written: papers.json and the feed lead to arXiv (its
    abstract, or its title search for a paper without an id)."""
    papers, model = model_of({"a": ("cluster", 3, (0, 0))})
    planner = Planner(Site(SiteConfig(paper_pages=False), papers, model, []))
    urls = [r["url"] for r in exports.papers_json(planner)]
    assert urls == [planner.external_url(p) for p in papers]
    assert all(u.startswith(("https://arxiv.org/abs/", "https://arxiv.org/search/?searchtype=title&query=")) for u in urls)


def test_markdown_pages_are_searchable_by_their_text_not_their_markup():
    import json

    from site_src.models import MarkdownPage

    papers, model = model_of({"a": ("cluster", 3, (0, 0))})
    pages = [
        MarkdownPage(slug="guide/install", title="Installing", html='<h2 id="x">Setup</h2>\n<p>Run <code>make serve</code> &amp; watch <a href="y.html">quantisation</a></p>'),
        MarkdownPage(slug="about", title="About", html="<p>" + " ".join(f"w{i:04d}" for i in range(3000)) + "</p>"),
    ]
    out = exports.pages_search(Planner(Site(SiteConfig(), papers, model, pages)))
    assert out.path == "data/search-pages.js"
    text = out.data.decode()
    prefix, suffix = "(window.RESEARCHMAP_SEARCH=window.RESEARCHMAP_SEARCH||[]).push(", ");\n"
    assert text.startswith(prefix) and text.endswith(suffix)
    items = json.loads(text[len(prefix) : -len(suffix)])
    assert [i[0] for i in items] == ["guide/install.html", "about.html"] and {i[4] for i in items} == {"page"}
    words = items[0][3].split()
    assert {"setup", "run", "make", "serve", "watch", "quantisation"} <= set(words)
    assert not {"code", "href", "amp", "html"} & set(words)  # the text, not its tags or escapes
    assert len(items[1][3].split()) == exports.PAGE_WORDS
    # every page is in the index whatever the site's size: the papers' shards do not hold them
    shards = exports.search_shards(Planner(Site(SiteConfig(), papers, model, pages)))
    assert not any("about.html" in o.data.decode() for o in shards)
