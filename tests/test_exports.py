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
