"""The topic model on a tiny synthetic corpus with obvious clusters."""

import dataclasses
import random

import numpy as np
import pytest

from site_src.config import config_from_dict
from site_src.lockfile import Lock, match_topics, LockedTopic
from site_src.merge import merge_papers
from site_src.models import RawPaper, Source
from site_src.topics import OTHER, _cohesion, fit_topics, outlier_limits, word_similarity

VOCAB = {
    "moe": "mixture of experts router expert load balancing sparse experts gating token routing",
    "vision": "image segmentation convolutional pixels object detection bounding boxes camera images",
    "speech": "speech recognition audio acoustic spectrogram speaker phoneme waveform utterances",
    "proteins": "protein folding amino acid structure molecular biology residues sequences enzymes",
    "graphs": "graph neural network nodes edges message passing link prediction node classification",
}
FILLER = "we evaluate on standard benchmarks and report results".split()


def corpus(n_per=20, seed=0):  # 20 a group: k allows one cluster per 15 papers (cluster.py)
    rng = random.Random(seed)
    recs = []
    for topic, words in VOCAB.items():
        w = words.split()
        for i in range(n_per):
            body = " ".join(rng.choice(w) for _ in range(40)) + " " + " ".join(rng.sample(FILLER, 4))
            title = f"{'MoE' if topic == 'moe' else topic} study {i}: " + " ".join(rng.sample(w, 4))
            lead = f"We propose a sparse mixture of experts for {' '.join(rng.sample(w, 3))}. " if topic == "moe" else ""
            abstract = lead + body + "."
            recs.append(RawPaper(title=title, abstract=abstract, source=Source(f"{topic}.txt", i + 1)))
    return merge_papers(recs), recs


CONFIG = config_from_dict(
    {
        "topics": {"k_min": 3, "k_max": 8},
        "named_topics": [{"slug": "moe", "name": "Mixture of Experts", "keywords": ["mixture of experts", "MoE", "sparse experts"]}],
    }
)


@pytest.fixture(scope="module")
def fitted():
    papers, _ = corpus()
    return papers, fit_topics(papers, CONFIG, Lock())


def primary(model, pid):
    return model.memberships[pid][0].topic


def test_obvious_clusters_are_recovered(fitted):
    papers, result = fitted
    model = result.model
    groups = {}
    for p in papers:
        groups.setdefault(p.title.split()[0].lower(), set()).add(primary(model, p.id))
    # every synthetic group lands in exactly one topic, and different groups in different topics
    assert all(len(g) == 1 for g in groups.values()), groups
    assert len({next(iter(g)) for g in groups.values()}) == len(groups)
    assert groups["moe"] == {"moe"}


def test_named_topic_always_exists_and_memberships_are_ordered(fitted):
    papers, result = fitted
    slugs = [t.slug for t in result.model.topics]
    assert slugs[0] == "moe"
    for p in papers:
        ms = result.model.memberships[p.id]
        assert ms, "every paper has a topic"
        assert all(0 <= m.score <= 1 for m in ms)
        named = [m for m in ms if m.topic == "moe"]
        if named:
            assert ms[0].topic == "moe" and named[0].terms


def test_named_topic_exists_even_when_empty():
    papers, _ = corpus()
    config = config_from_dict({"topics": {"k_min": 3, "k_max": 6}, "named_topics": [{"slug": "kv-cache", "name": "KV cache", "keywords": ["KV cache"]}]})
    model = fit_topics(papers, config, Lock()).model
    kv = next(t for t in model.topics if t.slug == "kv-cache")
    assert kv.size == 0


def test_cluster_names_are_phrases_and_similar_papers_share_a_topic(fitted):
    papers, result = fitted
    model = result.model
    for t in model.topics:
        if t.kind == "cluster":
            assert " " in t.name, t.name  # "a & b" or a two-word phrase, never one stem
    same = 0
    for p in papers:
        sims = model.similar[p.id]
        assert len(sims) == 5 and p.id not in sims
        same += sum(primary(model, s) == primary(model, p.id) for s in sims)
    assert same / (5 * len(papers)) > 0.9


def test_coordinates_separate_topics(fitted):
    papers, result = fitted
    model = result.model
    xy = np.array([model.coords[p.id] for p in papers])
    labels = np.array([primary(model, p.id) for p in papers])
    for t in set(labels):
        inside = xy[labels == t]
        centre = inside.mean(axis=0)
        others = xy[labels != t]
        # a topic's points are closer to its centre than most other points are
        assert np.median(np.linalg.norm(inside - centre, axis=1)) < np.median(np.linalg.norm(others - centre, axis=1))


def test_same_input_same_model_whatever_the_order():
    papers, recs = corpus()
    shuffled = merge_papers(list(reversed(recs)))
    a = fit_topics(papers, CONFIG, Lock()).model
    b = fit_topics(shuffled, CONFIG, Lock()).model
    assert a == b


def test_lock_keeps_slugs_of_topics_whose_papers_stay():
    lock = Lock((LockedTopic("vision-things", "Vision things", frozenset("abcdef")),
                 LockedTopic("gone", "Gone", frozenset("xyz"))), {})
    drafts = [("Image segmentation", frozenset("abcdq")), ("Speech", frozenset("xmnop"))]
    result, new = match_topics(drafts, lock, present=set("abcdefqxyzmnop"), reserved={"moe", OTHER})
    assert result[0] == ("vision-things", "Vision things")
    assert result[1][0] == "speech"
    assert new.redirects == {"gone": "speech"}


def test_the_lock_keeps_the_clusters_named_topics_absorbed(tmp_path):
    """A refit of a changed corpus starts from every cluster of the last fit: the lock holds
    the absorbed ones (no slug) beside the topics, and reads back what it wrote."""
    from site_src.lockfile import lock_text, read_lock

    papers, _ = corpus()
    lock = fit_topics(papers, CONFIG, Lock()).lock
    ids = {p.id for p in papers if p.title.startswith("MoE")}
    assert any(a <= ids for a in lock.absorbed)  # the MoE cluster folded into the named topic
    assert lock.k == len(lock.topics) + len(lock.absorbed)
    path = tmp_path / "topics.lock.json"
    path.write_text(lock_text(lock))
    again = read_lock(path)
    assert set(again.absorbed) == set(lock.absorbed) and set(again.topics) == set(lock.topics)
    assert [t.slug for t in again.clusters()] == sorted(t.slug for t in lock.topics) + [""] * len(lock.absorbed)
    assert lock_text(again) == path.read_text()


def test_redirects_of_removed_topics_lead_to_topics_that_exist():
    """A topic removed earlier redirected to one that is now removed too: follow the chain."""
    lock = Lock(
        topics=(LockedTopic("b", "B", frozenset({"p3", "p4"})),),
        redirects={"a": "b", "z": "gone"},
    )
    drafts = [("C", frozenset({"p3", "p4", "p5"})), ("D", frozenset({"p9"}))]
    slugs, new_lock = match_topics(drafts, lock, present={"p3", "p4", "p5", "p9"}, reserved=set())
    alive = {s for s, _ in slugs}
    assert "b" in alive  # b kept most of its papers, so its slug
    assert all(v == "" or v in alive for v in new_lock.redirects.values())
    lock2 = Lock(topics=new_lock.topics, redirects=new_lock.redirects)
    _, newer = match_topics([("E", frozenset({"p9"})), ("F", frozenset({"p5"}))], lock2, present={"p5", "p9"}, reserved=set())
    alive2 = {t.slug for t in newer.topics}
    assert newer.redirects and all(v == "" or v in alive2 for v in newer.redirects.values())


def test_a_renamed_named_topics_slug_redirects_to_where_its_papers_went(tmp_path):
    """The lock lists each named topic's papers; one the config no longer has redirects to the
    topic holding most of them, and a later build keeps that redirect (a named topic is a
    live target, not a dead end to flatten to the home page)."""
    from site_src.lockfile import lock_text, named_redirects, read_lock
    from site_src.models import Membership

    papers, _ = corpus()
    lock = fit_topics(papers, CONFIG, Lock()).lock
    moe = {p.id for p in papers if p.title.startswith("MoE")}
    assert [t.slug for t in lock.named] == ["moe"] and next(iter(lock.named)).papers == moe
    path = tmp_path / "topics.lock.json"
    path.write_text(lock_text(lock))
    assert read_lock(path).named == lock.named and lock_text(read_lock(path)) == path.read_text()

    renamed = dataclasses.replace(CONFIG, named_topics=tuple(dataclasses.replace(t, slug="experts") for t in CONFIG.named_topics))
    result = fit_topics(papers, renamed, lock)
    assert result.model.redirects["moe"] == "experts" and result.lock.redirects["moe"] == "experts"
    assert [t.slug for t in result.lock.named] == ["experts"]
    again = fit_topics(papers, renamed, result.lock)
    assert again.model.redirects["moe"] == "experts"
    # renamed once more: both old URLs lead to the new one
    twice = dataclasses.replace(CONFIG, named_topics=tuple(dataclasses.replace(t, slug="mixture") for t in CONFIG.named_topics))
    third = fit_topics(papers, twice, again.lock)
    assert {k: third.model.redirects[k] for k in ("moe", "experts")} == {"moe": "mixture", "experts": "mixture"}
    # papers that went nowhere known lead home; a slug still live is not redirected
    gone = Lock(named=(LockedTopic("old", "Old", frozenset({"x", "y"})), LockedTopic("kept", "Kept", frozenset({"x"}))))
    members = {"x": (Membership("a", 0.9, ()), Membership("b", 0.5, ())), "y": (Membership("b", 0.7, ()),)}
    assert named_redirects(gone, members, {"a", "b", "kept"}) == {"old": "b"}
    assert named_redirects(gone, {}, {"kept"}) == {"old": ""}


def test_a_clustered_topic_promoted_to_a_named_one_gives_up_its_slug():
    """A named topic added to the config with the slug a clustered topic has in the lock (the
    way to promote it and keep its URL) takes the slug; the cluster is named afresh."""
    papers, _ = corpus()
    lock = fit_topics(papers, CONFIG, Lock()).lock
    speech = next(t for t in lock.topics if t.papers == {p.id for p in papers if p.title.startswith("speech")})
    promoted = dataclasses.replace(CONFIG, named_topics=(*CONFIG.named_topics, *config_from_dict({"named_topics": [
        {"slug": speech.slug, "name": "Speech", "keywords": ["speech recognition"]}]}).named_topics))
    result = fit_topics(papers, promoted, lock)
    slugs = [t.slug for t in result.model.topics]
    assert len(slugs) == len(set(slugs))
    assert next(t for t in result.model.topics if t.slug == speech.slug).kind == "named"
    assert speech.slug not in {t.slug for t in result.lock.topics} and speech.slug not in result.lock.redirects


def test_names_keep_how_papers_write_their_terms():
    from site_src.cluster import phrase_name, surface_forms, text_forms

    titles = ["KV Cache Compression at Scale", "Serving LLMs with a Paged KV cache"]
    forms = surface_forms(titles)
    assert forms["kv cache"] == "KV cache" and forms["llms"] == "LLMs"
    # a term no title spells takes its written form from the abstracts, sentence capitals aside
    abstracts = ["We stitch SN-Net models. Transfer learning helps.", "SN-Net variants; transfer learning again."]
    assert phrase_name(["transfer learning", "sn net"], forms, abstracts) == "Transfer learning & SN-Net"
    assert text_forms(["sn net", "kv cache"], abstracts, forms) == {**forms, "sn net": "SN-Net"}
    assert phrase_name(["transfer learning", "sn net"], forms) == "Transfer learning & sn net"  # titles alone


def test_names_do_not_end_on_a_compound_adjective():
    from site_src.cluster import phrase_name, surface_forms

    forms = surface_forms(["Transfer Learning from Pre-trained Models", "Pre-trained Transfer Learning for Vision"])
    assert forms["pre trained"] == "pre-trained"
    # "pre-trained" says what kind, not what: a plain word reads better beside the phrase
    assert phrase_name(["transfer learning", "pre trained", "vision"], forms) == "Transfer learning & vision"
    # ... but it still names a topic that has nothing else
    assert phrase_name(["pre trained"], forms) == "Pre-trained"


def test_word_similarity_is_a_papers_cosine_with_the_rest_of_its_cluster():
    from scipy import sparse

    rows = np.array([[1, 0, 0], [1, 0, 0], [0, 1, 0], [0, 0, 1], [0, 3, 4]], dtype=np.float32)
    rows /= np.linalg.norm(rows, axis=1, keepdims=True)
    cluster_of = np.array([0, 0, 0, 1, -1])  # the last paper is in no cluster: left alone
    got = word_similarity(sparse.csr_matrix(rows), cluster_of)
    for i, c in enumerate(cluster_of[:3]):
        rest = rows[[j for j in range(3) if j != i]].sum(axis=0)
        assert got[i] == pytest.approx(rows[i] @ rest / np.linalg.norm(rest), abs=1e-6)
    assert got[2] == pytest.approx(0.0, abs=1e-6)  # shares no word with its cluster
    assert got[3] == 0.0 and got[4] == 1.0  # alone in its cluster: no peers; in none: not measured
    # alone, whatever rounding leaves of its own row subtracted from its cluster's sum
    noisy = np.random.default_rng(0).random((200, 50), dtype=np.float32)
    noisy /= np.linalg.norm(noisy, axis=1, keepdims=True)
    assert (word_similarity(sparse.csr_matrix(noisy), np.arange(200)) == 0.0).all()


def test_papers_whose_words_their_cluster_does_not_share_go_to_other_papers(seed_papers):
    from conftest import REPO
    from offtopic import off_topic
    from site_src.config import TopicSettings, load_config

    # at the library's default threshold (the default content sets a higher one: test_build)
    config = load_config(REPO / "researchmap.toml")
    config = dataclasses.replace(config, topics=dataclasses.replace(config.topics, outlier_similarity=TopicSettings().outlier_similarity))
    off = merge_papers(off_topic(0, 3))
    papers = list(seed_papers) + off
    model = fit_topics(papers, config, Lock(), random_state=config.topics.random_state).model
    other = [t for t in model.topics if t.slug == OTHER]
    assert other and other[0].name == "Other papers" and other[0].kind == "other"
    for p in off:
        assert [m.topic for m in model.memberships[p.id]] == [OTHER], p.title
    in_other = {pid for pid, ms in model.memberships.items() if ms[0].topic == OTHER}
    assert other[0].size == len(in_other) and len(in_other - {p.id for p in off}) <= 0.02 * len(seed_papers)
    assert other[0].cohesion < min(t.cohesion for t in model.topics if t.slug != OTHER)  # unrelated papers


def test_a_paper_must_cross_a_margin_to_enter_or_leave_other_papers():
    papers = [RawPaper(f"Paper {i}", "An abstract.", Source("d.md", i + 1)) for i in range(3)]
    papers = merge_papers(papers)
    was_out, was_in, unknown = papers
    lock = Lock(papers={"a": was_out.id, "b": was_in.id}, outliers={was_out.id: "a-topic"}, outlier_similarity=0.1)
    limits = dict(zip([p.id for p in papers], outlier_limits(papers, lock, 0.1)))
    assert limits[was_out.id] > 0.1 > limits[was_in.id] and limits[unknown.id] == 0.1
    # the owner changed the threshold: it applies as set, to every paper
    assert (outlier_limits(papers, lock, 0.12) == 0.12).all()
    assert (outlier_limits(papers, Lock(), 0.1) == 0.1).all()


def test_a_changed_threshold_takes_full_effect_despite_the_lock(seed_papers):
    """The lock keeps papers on their side of the threshold it was written with; once the
    owner sets another, the site is what a fresh build at that threshold gives, and a rebuild
    under the lock it writes repeats it exactly."""
    config = config_from_dict({"topics": {"outlier_similarity": 0.08}})
    higher = dataclasses.replace(config, topics=dataclasses.replace(config.topics, outlier_similarity=0.13))

    def other(model):
        return {pid for pid, ms in model.memberships.items() if ms[0].topic == OTHER}

    low = fit_topics(seed_papers, config, Lock())
    fresh = fit_topics(seed_papers, higher, Lock())
    changed = fit_topics(seed_papers, higher, low.lock)
    assert len(other(fresh.model)) > len(other(low.model))
    assert other(changed.model) == other(fresh.model) <= set(changed.lock.outliers)
    # each names the clustered topic it was cut from, the one the lock records
    slugs = {t.slug for t in changed.model.topics if t.kind == "cluster"}
    for pid in other(changed.model):
        m = changed.model.memberships[pid][0]
        assert m.nearest in slugs and m.nearest == changed.lock.outliers[pid]
    assert other(fit_topics(seed_papers, higher, changed.lock).model) == other(changed.model)


def test_cohesion_compares_each_paper_with_the_others_so_size_alone_does_not_make_a_topic_tight():
    unrelated = np.eye(3, dtype=np.float32)  # three papers with nothing in common
    assert _cohesion(unrelated, np.arange(3))[0] == pytest.approx(0.0, abs=1e-6)  # not 1/sqrt(3)
    alike = np.tile(np.array([[0.6, 0.8, 0.0]], dtype=np.float32), (4, 1))
    coh, centre = _cohesion(alike, np.arange(4))
    assert coh == pytest.approx(1.0) and centre == pytest.approx(alike[0])
    assert _cohesion(alike, np.arange(1))[0] == 0.0  # one paper: nothing to compare it with


def test_key_terms_and_a_papers_terms_are_as_its_papers_write_them(seed_papers):
    """Every term a topic or paper page shows is written, as shown, in the papers it speaks
    for (case, hyphens and spaces aside): no "experts moe" out of "experts (MoE)", no stems."""
    import re

    from conftest import REPO
    from site_src.config import load_config

    config = load_config(REPO / "researchmap.toml")
    model = fit_topics(list(seed_papers), config, Lock(), random_state=config.topics.random_state).model

    def norm(text):  # hyphens and spaces alike; brackets and other punctuation kept
        return re.sub(r"[\s-]+", " ", text.lower())

    def says(text, term):  # as whole words
        return re.search(r"(?<!\w)" + re.escape(norm(term)) + r"(?!\w)", text) is not None

    texts = {p.id: norm(p.text) for p in seed_papers}
    members: dict[str, list[str]] = {}
    for pid, ms in model.memberships.items():
        for m in ms:
            members.setdefault(m.topic, []).append(pid)
            for term in m.terms:
                # a keyword acronym may be found inside a name ("KV" in "SnapKV"); a pair never
                assert says(texts[pid], term) or (" " not in term and term.lower() in texts[pid]), (pid, m.topic, term)
    for t in model.topics:
        assert len(t.terms) == len({re.sub(r"s$", "", x.lower()) for x in t.terms}), t.terms  # no plural twice
        for term in t.terms:
            assert any(says(texts[pid], term) for pid in members[t.slug]), (t.slug, term)
        if t.kind == "named":  # MoE, KV cache, GPUs, LoRA: acronyms as written, not lowercased
            assert any(term != term.lower() for term in t.terms), t.terms


def test_no_clustered_topic_repeats_a_named_topic_or_another(seed_papers):
    """A clustered topic is neither named as a named topic (its name or a keyword: a second
    "Distributed training" on the map) nor mostly made of the named topics' papers, and no two
    clustered topics' names say the same phrase ("Reinforcement learning" beside "Policy
    optimization & reinforcement learning"); and each is a phrase, not one word."""
    import re

    from conftest import REPO
    from site_src.config import load_config

    config = load_config(REPO / "researchmap.toml")
    model = fit_topics(list(seed_papers), config, Lock(), random_state=config.topics.random_state).model

    def norm(text):
        return re.sub(r"[\s*-]+", " ", text.lower()).strip()

    named = {t.slug for t in config.named_topics}
    phrases = [norm(p) for t in config.named_topics for p in (t.name, *t.keywords)]
    clustered = [t for t in model.topics if t.kind == "cluster"]
    assert len(clustered) >= 8
    for t in clustered:
        assert " " in t.name, t.name  # a phrase: a hyphenated compound alone ("Fine-tuning") is a word
        said = [p for p in phrases if re.search(r"(?<!\w)" + re.escape(p) + r"(?:s|es)?(?!\w)", norm(t.name))]
        assert not said, (t.name, said)
        members = [pid for pid, ms in model.memberships.items() if any(m.topic == t.slug for m in ms)]
        in_named = sum(any(m.topic in named for m in model.memberships[pid]) for pid in members)
        assert in_named < 0.75 * len(members), (t.name, in_named, len(members))
    for t in clustered:
        for u in clustered:
            if u is not t:
                for part in re.split(r" & |: ", t.name):
                    assert not re.search(r"(?<!\w)" + re.escape(norm(part)) + r"(?:s|es)?(?!\w)", norm(u.name)), (t.name, u.name)


def test_a_new_clusters_name_does_not_repeat_a_name_the_lock_keeps(seed_papers):
    import re

    from conftest import REPO
    from site_src.config import load_config
    from site_src.lockfile import LockedTopic

    config = load_config(REPO / "researchmap.toml")
    first = fit_topics(list(seed_papers), config, Lock(), random_state=config.topics.random_state)
    clustered = sorted((t for t in first.model.topics if t.kind == "cluster"), key=lambda t: -t.size)
    biggest = clustered[0]
    phrase = next(p for p in re.split(r" & |: ", biggest.name) if " " in p or "-" in p)
    other = clustered[1]
    # the lock names another topic with the biggest one's phrase, and forgets the biggest one
    renamed = f"{phrase} & sampling"
    topics = tuple(LockedTopic(t.slug, renamed if t.slug == other.slug else t.name, t.papers)
                   for t in first.lock.topics if t.slug != biggest.slug)
    lock = dataclasses.replace(first.lock, topics=topics)
    model = fit_topics(list(seed_papers), config, lock, random_state=config.topics.random_state).model
    names = {t.slug: t.name for t in model.topics if t.kind == "cluster"}
    assert names[other.slug] == renamed
    said = re.compile(r"(?<!\w)" + re.escape(re.sub(r"[\s-]+", " ", phrase.lower())) + r"(?!\w)")
    repeats = [n for slug, n in names.items() if slug != other.slug and said.search(re.sub(r"[\s-]+", " ", n.lower()))]
    assert not repeats, (phrase, repeats)


def test_k_follows_the_largest_corpus_so_a_dump_removed_and_added_back_leaves_it(seed_papers):
    """Removing a dump keeps k (it never shrinks on its own); adding it back is no growth, so
    k and the size it was grown for are what they were, however often that happens."""
    config = config_from_dict({})
    first = fit_topics(seed_papers, config, Lock()).lock
    dump = sorted({p.sources[0].file for p in seed_papers})[-1]
    without = [p for p in seed_papers if all(s.file != dump for s in p.sources)]
    assert 0 < len(without) < len(seed_papers)
    lock = first
    for _ in range(2):
        lock = fit_topics(without, config, lock).lock
        assert (lock.k, lock.n) == (first.k, first.n)
        lock = fit_topics(seed_papers, config, lock).lock
        assert (lock.k, lock.n) == (first.k, first.n)
    # a corpus cut far down keeps no more than a cluster per 15 papers (the rule k is chosen by)
    few = [p for p in seed_papers if all(s.file == dump for s in p.sources)][:60]
    cut = fit_topics(few, config, dataclasses.replace(first, k=12, n=len(seed_papers), corpus="")).lock
    assert cut.k == 4 and "cut to one per 15 papers (60 papers)" in cut.reason
    # ... and grows back to where it was with the corpus
    assert fit_topics(seed_papers, config, cut).lock.k == 12
    # a real growth still grows k
    grown = fit_topics(seed_papers, config, dataclasses.replace(first, n=len(seed_papers) // 3, corpus="")).lock
    assert grown.k > first.k and grown.n == len(seed_papers)
