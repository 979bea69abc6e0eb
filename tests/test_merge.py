from site_src.merge import merge_papers, norm_title
from site_src.models import PaperDate, RawPaper, Source
from site_src.slugs import slugify


def raw(title, file, line=1, **kw):
    return RawPaper(title=title, abstract=kw.pop("abstract", "An abstract."), source=Source(file, line), **kw)


def test_duplicates_across_dumps_merge_with_all_sources():
    papers = merge_papers([
        raw("Chain-of-Experts: A Paper", "b.txt", 9, upvotes=3, date=PaperDate(None, 3, 1)),
        raw("Chain-of-Experts:  a paper", "a.txt", 4, upvotes=7, author_count=5),
        raw("Other", "a.txt", 20),
    ])
    assert len(papers) == 2
    coe = next(p for p in papers if p.title.startswith("Chain"))
    assert [s.file for s in coe.sources] == ["a.txt", "b.txt"]
    assert coe.upvotes == 7 and coe.author_count == 5 and coe.date == PaperDate(None, 3, 1)


def test_arxiv_id_links_formats_and_keeps_distinct_papers_apart():
    papers = merge_papers([
        raw("Attention", "x.jsonl", 1, arxiv_id="1706.03762"),
        raw("Attention", "y.jsonl", 1, arxiv_id="2001.00001"),
        raw("attention", "z.txt", 5),
    ])
    assert len(papers) == 2  # the text record joins one of the two, never a third page
    ids = [p.id for p in papers]
    assert len(set(ids)) == 2 and all(i.startswith("attention") for i in ids)


def test_merge_is_independent_of_input_order():
    recs = [raw(f"Paper {i}", f"{i % 3}.txt", i) for i in range(30)] + [raw("Paper 4", "9.txt", 1)]
    assert merge_papers(recs) == merge_papers(list(reversed(recs)))


def test_slugs_are_safe():
    assert slugify("../../etc/passwd") == "etc-passwd"
    assert slugify("CON") == "con-item"
    assert slugify("日本語") == "item"
    assert len(slugify("word " * 100)) <= 60
    assert norm_title("A  Title!") == norm_title("a title")


def test_a_merged_paper_shows_and_is_named_by_its_cleanest_full_title():
    """The corpora's duplicates: a listing's printed title beside the arXiv listing's one with
    LaTeX the reader left, and a title cut short; the page shows, and its URL is made from, the
    clean full one, whichever dump comes first."""
    recs = [
        raw("PanoWorld: Spatial Supersensing in 360^circ Panoramas", "a.jsonl", 1, arxiv_id="2605.13169"),
        raw("PanoWorld: Spatial Supersensing in 360° Panoramas", "b.jsonl", 1, arxiv_id="2605.13169"),
        raw("Beyond the Last Layer: Visual Tokenizatio", "a.jsonl", 2, arxiv_id="2605.10780"),
        raw("Beyond the Last Layer: Visual Tokenization", "b.jsonl", 2, arxiv_id="2605.10780"),
    ]
    for order in (recs, list(reversed(recs))):
        pano, last = sorted(merge_papers(order), key=lambda p: p.arxiv_id)[::-1]
        assert (pano.title, pano.id) == ("PanoWorld: Spatial Supersensing in 360° Panoramas", "panoworld-spatial-supersensing-in-360-panoramas")
        assert (last.title, last.id) == ("Beyond the Last Layer: Visual Tokenization", "beyond-the-last-layer-visual-tokenization")


def test_a_locked_paper_keeps_its_id_when_retitled_or_when_a_new_paper_shares_its_slug():
    from site_src.lockfile import paper_ids
    from site_src.merge import keep_ids

    first = merge_papers([raw("Foo Bar", "a.jsonl", 1, arxiv_id="2502.00001"), raw("Quux Paper", "a.jsonl", 2, arxiv_id="2502.00002")])
    locked = paper_ids(first)
    assert {p.id for p in first} == {"foo-bar", "quux-paper"}
    later = merge_papers([
        raw("Foo Bar", "a.jsonl", 1, arxiv_id="2502.00001"), raw("Foo Bar, Revised", "b.jsonl", 1, arxiv_id="2502.00001"),
        raw("Quux Paper", "a.jsonl", 2, arxiv_id="2502.00002"), raw("Quux paper", "b.jsonl", 2, arxiv_id="2401.00009"),
        raw("Foo Bar Revised", "b.jsonl", 3, arxiv_id="2401.00008"),
    ])
    by_arxiv = {p.arxiv_id: p for p in later}
    assert by_arxiv["2502.00001"].id != "foo-bar" and by_arxiv["2401.00009"].id == "quux-paper"  # without the lock
    kept = {p.arxiv_id: p for p in keep_ids(later, locked)}
    assert (kept["2502.00001"].id, kept["2502.00001"].title) == ("foo-bar", "Foo Bar, Revised")
    assert kept["2502.00002"].id == "quux-paper"
    assert kept["2401.00009"].id.startswith("quux-paper-") and kept["2401.00008"].id == "foo-bar-revised"
    assert len({p.id for p in kept.values()}) == len(kept) == 4
    assert keep_ids(later, {}) == later


def test_a_paper_without_an_arxiv_id_keeps_its_url_when_only_its_title_is_edited():
    """A typo fixed in a pasted title changes the paper's key (its title); the lock also knows
    it by its abstract, so it keeps its URL. An abstract two papers share, or a short one,
    tells nothing, and a paper whose old title is still there keeps that one's URL free."""
    from site_src.lockfile import paper_ids
    from site_src.merge import keep_ids

    long = "We study how sparse mixtures of experts route tokens, and we show that a simple auxiliary loss balances the load across all experts at scale."
    shared = "A benchmark of retrieval systems over scientific papers, with human relevance judgements for ten thousand queries and a leaderboard."
    first = merge_papers([raw("Routing Sparse Experts Efficently", "a.txt", 1, abstract=long),
                          raw("Short One", "a.txt", 2, abstract="Too short to tell."),
                          raw("Twin A", "a.txt", 3, abstract=shared), raw("Twin B", "a.txt", 4, abstract=shared)])
    locked = paper_ids(first)
    assert sum(k.startswith("abstract:") for k in locked) == 1  # the short and the shared one are not known by abstract
    later = merge_papers([raw("Routing Sparse Experts Efficiently", "a.txt", 1, abstract=long),
                          raw("Short Two", "a.txt", 2, abstract="Too short to tell."),
                          raw("Twin C", "a.txt", 3, abstract=shared), raw("Twin B", "a.txt", 4, abstract=shared)])
    ids = {p.title: p.id for p in keep_ids(later, locked)}
    assert ids["Routing Sparse Experts Efficiently"] == "routing-sparse-experts-efficently"
    assert (ids["Short Two"], ids["Twin C"], ids["Twin B"]) == ("short-two", "twin-c", "twin-b")
    # the old title back beside the new one: it takes its URL, the new title gets its own
    both = merge_papers([raw("Routing Sparse Experts Efficently", "a.txt", 1, abstract=long),
                         raw("Routing Sparse Experts Efficiently", "b.txt", 1, abstract=long)])
    assert {p.title: p.id for p in keep_ids(both, locked)} == {
        "Routing Sparse Experts Efficently": "routing-sparse-experts-efficently",
        "Routing Sparse Experts Efficiently": "routing-sparse-experts-efficiently"}


def test_a_pasted_paper_joins_a_record_with_an_arxiv_id_of_its_title_only_when_their_abstracts_agree():
    """A text dump has no arXiv ids: its paper joins a JSONL record of the same title, unless
    their abstracts are unalike (then they are two papers, and the warning says so)."""
    moe = "We route tokens to a sparse mixture of experts and balance the load across experts."
    kv = "We compress the key-value cache of long-context inference by evicting unimportant tokens."
    warnings = []
    papers = merge_papers([
        raw("Efficient Experts", "a.jsonl", 1, arxiv_id="2501.00001", abstract=moe),
        raw("Efficient Experts", "b.txt", 4, abstract=moe + " Code is released."),  # the same paper
        raw("Efficient Experts", "c.txt", 9, abstract=kv),  # another paper, same title
        raw("Efficient Experts", "d.txt", 2, abstract=""),  # no abstract: nothing says it is another
    ], warnings)
    by_key = {p.key: p for p in papers}
    assert len(papers) == 2
    assert by_key["arxiv:2501.00001"].abstract.startswith("We route") and len(by_key["arxiv:2501.00001"].sources) == 3
    assert [p.abstract for p in papers if p.key.startswith("title:")] == [kv]
    assert [(w.file, w.line) for w in warnings] == [("a.jsonl", 1)] and "c.txt:9" in warnings[0].message
    # two arXiv ids sharing a title are two papers, as before, without a warning
    warnings = []
    assert len(merge_papers([raw("Efficient Experts", "a.jsonl", 1, arxiv_id="2501.00001", abstract=moe),
                             raw("Efficient Experts", "a.jsonl", 2, arxiv_id="2502.00002", abstract=kv)], warnings)) == 2
    assert warnings == []


def test_an_arxiv_id_given_to_two_unalike_papers_is_reported_and_a_revision_is_not():
    moe = "We route tokens to a sparse mixture of experts and balance the load across experts."
    kv = "We compress the key-value cache of long-context inference by evicting unimportant tokens."
    warnings = []
    papers = merge_papers([
        raw("Sparse Experts Routing at Scale", "0.txt", 1, abstract=moe),  # no id, sorts first, joins by title
        raw("Sparse Experts Routing at Scale", "a.jsonl", 3, arxiv_id="2501.00001", abstract=moe),
        raw("Sparse Experts: Routing at Scale (v2)", "b.jsonl", 8, arxiv_id="2501.00001", abstract=moe + " New results."),
        raw("Evicting Tokens from the Cache", "c.jsonl", 5, arxiv_id="2501.00001", abstract=kv),  # a wrong id
        raw("Another Paper", "c.jsonl", 9, arxiv_id="2501.00002", abstract=kv),
    ], warnings)
    assert len(papers) == 2  # still merged by the id, as the reader cannot know which is wrong
    assert [(w.file, w.line) for w in warnings] == [("c.jsonl", 5)]
    assert "2501.00001" in warnings[0].message and "a.jsonl:3" in warnings[0].message


def test_two_papers_sharing_a_title_but_not_an_abstract_stay_apart_and_are_reported():
    """Without arXiv ids a title is the key, and two papers may share a short one: merging
    them would show one's abstract with the other's date and lose the second abstract."""
    first = "We scale language models and fit power laws to their losses across compute budgets."
    second = "A survey of graph neural networks for molecules, with a benchmark of message passing."
    recs = [
        raw("Scaling Laws Revisited", "a.txt", 3, abstract=first, upvotes=5, date=PaperDate(None, 3, 3)),
        raw("Scaling laws revisited", "b.txt", 7, abstract=second, upvotes=12, date=PaperDate(None, 7, 9)),
        raw("Scaling Laws Revisited", "c.txt", 2, abstract=first + " Code is released.", upvotes=6),
    ]
    for order in (recs, list(reversed(recs))):
        warnings = []
        papers = merge_papers(order, warnings)
        assert sorted((p.abstract, p.upvotes, p.date) for p in papers) == [
            (second, 12, PaperDate(None, 7, 9)), (first + " Code is released.", 6, PaperDate(None, 3, 3))]
        assert len({p.id for p in papers}) == 2
        assert [(w.file, w.line) for w in warnings] == [("a.txt", 3)] and "b.txt:7" in warnings[0].message
    assert merge_papers(recs) == merge_papers(list(reversed(recs)))


def test_titles_without_letters_are_not_one_paper():
    papers = merge_papers([raw("🚀", "a.txt", 1, abstract="Rockets."), raw("🔥🔥", "a.txt", 5, abstract="Fire.")])
    assert sorted(p.abstract for p in papers) == ["Fire.", "Rockets."]


def test_the_title_shown_is_the_one_most_dumps_give_and_not_one_in_capitals():
    proper = "ElasticMoE: An Efficient Auto-Scaling Method for Mixture of Experts Models"
    recs = [raw(proper, "a.txt"), raw(proper, "c.txt"), raw("ElasticMoE - an efficient auto-scaling method for mixture of experts models.", "b.txt")]
    assert merge_papers(recs)[0].title == proper
    shouting = [raw("PARALLEL SCALING LAW FOR LANGUAGE MODELS", "a.txt"), raw("Parallel Scaling Law for Language Models", "b.txt")]
    assert merge_papers(shouting)[0].title == "Parallel Scaling Law for Language Models"


def test_what_a_merged_paper_shows_does_not_depend_on_which_file_name_sorts_first():
    a = dict(abstract="Same length text A.", org_id="acme", org_name="Acme Lab")
    b = dict(abstract="Same length text B.", org_id="other", org_name="Other Lab")
    one = merge_papers([raw("A Paper", "tieA.txt", **a), raw("A Paper", "tieB.txt", **b)])[0]
    two = merge_papers([raw("A Paper", "tieB.txt", **a), raw("A Paper", "tieA.txt", **b)])[0]
    assert (one.abstract, one.org_id, one.org_name) == (two.abstract, two.org_id, two.org_name)
    assert (one.org_id, one.org_name) in {("acme", "Acme Lab"), ("other", "Other Lab")}


def test_a_paper_keeps_its_key_and_url_when_a_later_one_with_its_title_comes_in():
    """The key of a paper without an arXiv id is its title; of two papers sharing one, the one
    listed first keeps it (and so the URL the lock pins), whatever the newcomer's abstract."""
    old = raw("Scaling Up", "a.txt", 3, abstract="Zebra crossings are detected by a small convolutional network on phones.",
              date=PaperDate(2024, 5, 2))
    before = merge_papers([old])[0]
    new = raw("Scaling Up", "b.txt", 1, abstract="Apple orchards yield more with drones that map soil moisture each week.",
              date=PaperDate(2025, 3, 1))
    after = {p.abstract: p for p in merge_papers([old, new], [])}
    assert after[old.abstract].key == before.key and after[old.abstract].id == before.id
    assert after[new.abstract].key != before.key
