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
