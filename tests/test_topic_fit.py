"""eval/topic_fit.py: readers' placements of papers on clustered topics, and what they say."""

import importlib.util

import pytest

from conftest import REPO

spec = importlib.util.spec_from_file_location("topic_fit", REPO / "eval" / "topic_fit.py")
topic_fit = importlib.util.module_from_spec(spec)
spec.loader.exec_module(topic_fit)


def judged(pid, topic, a, b="", weight=1.0):
    return {"id": pid, "topic": topic, "verdicts": [a, b or a], "weight": weight}


def test_a_judgement_counts_while_its_paper_is_on_the_topic_holding_over_half_its_topics_papers():
    rows = [judged("a", "t1", "fits"), judged("b", "t1", "fits"), judged("c", "t1", "none"), judged("d", "t2", "fits"),
            judged("e", "t3", "fits"), judged("f", "t3", "fits"), judged("g", "t3", "fits"), judged("h", "t3", "fits")]
    # t1's papers now mostly on "x" (renamed or re-cut), c moved away; t2's paper in no cluster;
    # t3's split two ways, so no page is still the one judged
    now = topic_fit.current(rows, {"a": "x", "b": "x", "c": "y", "e": "p", "f": "p", "g": "q", "h": "q"})
    assert [r["id"] for r in now] == ["a", "b"]


def test_curve_weighs_each_paper_by_the_papers_its_draw_stands_for():
    rows = [judged("fit-low", "t", "fits", weight=3.0), judged("none-low", "t", "none", weight=1.0),
            judged("split", "t", "fits", "elsewhere", weight=2.0), judged("fit-high", "t", "fits", weight=4.0)]
    sims = {"fit-low": 0.11, "none-low": 0.09, "split": 0.2, "fit-high": 0.3}
    (_, out0, p0, kept0, caught0), (_, out1, p1, kept1, caught1), (_, out2, p2, kept2, caught2) = \
        topic_fit.curve(rows, sims, thresholds=(0.05, 0.10, 0.12))
    assert (out0, kept0, caught0) == (0.0, 1.0, 0.0)
    assert p0 == pytest.approx((3 + 1 + 4) / 10)  # the split verdict counts half
    assert out1 == pytest.approx(0.1) and caught1 == 1.0 and kept1 == 1.0 and p1 == pytest.approx(8 / 9)
    assert out2 == pytest.approx(0.4) and kept2 == pytest.approx(5 / 8) and p2 == pytest.approx(5 / 6)


@pytest.mark.parametrize("name", ["seeds", "hf"])
def test_committed_placements_are_two_readings_of_every_paper_and_topic(name):
    from site_src.config import load_config

    topics, papers = topic_fit.load(REPO / "eval" / f"placements_{name}.jsonl")
    slugs = {t["topic"] for t in topics} | {t.slug for t in load_config(REPO / "researchmap.toml").named_topics}
    assert len(papers) >= 200 and len(slugs) >= 10
    for t in topics:
        assert len(t["name_ok"]) == 2 and all(isinstance(ok, bool) for ok in t["name_ok"])
    for p in papers:
        assert p["topic"] in slugs and (p["weight"] > 0 if name == "hf" else p["weight"] == 1)
        assert len(p["verdicts"]) == len(p["unsure"]) == 2 and set(p["verdicts"]) <= {"fits", "elsewhere", "none"}
        assert all(b in slugs or b == "" for b in p["better"])
        assert "abstract" not in p  # corpus text is never committed
    # a paper is read once a round; a later round (a re-cut's new topics) may read it again
    assert len({(p["id"], p.get("read", "")) for p in papers}) == len(papers)


def test_the_seed_placements_still_judge_the_default_sites_topics(seed_papers):
    """The seeds' readings stay about the pages the default site shows (the lock keeps its
    clusters); a model change that re-cut them would leave the readings judging other pages."""
    from site_src.config import load_config
    from site_src.lockfile import read_lock
    from site_src.topics import STICKY

    config = load_config(REPO / "researchmap.toml")
    topic_of, similarity, names, sent = topic_fit.placements(seed_papers, config, read_lock(REPO / "content" / "topics.lock.json"))
    topics, rows = topic_fit.load(REPO / "eval" / "placements_seeds.jsonl")
    now = topic_fit.current(rows, topic_of)
    assert len(now) >= 0.9 * len(rows)
    judged_names = {t["name"] for t in topics}
    assert judged_names <= set(names.values())  # the lock keeps the names the readers judged
    # a judged paper the cut kept passed it, measured as the fit measures it (the lock's
    # margin lets a paper that was on its page stay down to (1 - STICKY) of the threshold)
    floor = config.topics.outlier_similarity * (1 - STICKY)
    assert sent and all(similarity[r["id"]] >= floor for r in now if r["id"] not in sent)


def test_names_apt_counts_the_judgements_of_names_topics_still_have():
    topics = [{"topic": "a", "name": "Old name", "name_ok": [False, False]},
              {"topic": "a", "name": "New name", "name_ok": [True, False]},
              {"topic": "b", "name": "Kept", "name_ok": [True, True]}]
    now = topic_fit.current_names(topics, {"x": "New name", "y": "Kept", "z": "Unjudged"})
    assert [t["name"] for t in now] == ["New name", "Kept"]
    topics_hf, _ = topic_fit.load(REPO / "eval" / "placements_hf.jsonl")
    assert len({t["name"] for t in topics_hf}) == len(topics_hf)  # one line per name read
