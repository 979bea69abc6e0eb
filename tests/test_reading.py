"""Reading models: fitted on labelled papers, shipped for the default topics, a membership feature."""

import json
import random

import numpy as np
import pytest

from conftest import REPO
from site_src import lexicon, reading
from site_src.config import NamedTopic, load_config
from site_src.lexicon import Lexicon
from site_src.models import Paper
from site_src.named import FEATURES, all_evidence, score_named
from site_src.vectorise import stop_words

STOP = stop_words()
KV = NamedTopic(slug="kv", name="KV cache", keywords=("kv cache",))


def labelled(n=240, seed=0):
    """Every paper names the KV cache; the on-topic ones are about evicting it, the others name
    it as a benefit of a decoding method, the line a reader draws."""
    rng = random.Random(seed)
    on = "eviction budget entries retain compress heads".split()
    off = "speculative draft verify tokens acceptance decoding".split()
    papers, labels = [], []
    for i in range(n):
        topic = i % 2 == 0
        words = " ".join(rng.choice(on if topic else off) for _ in range(25))
        papers.append(Paper(id=f"p{i}", title=f"Paper {i}", abstract=f"{words}. It saves KV cache memory.", sources=()))
        labels.append(topic)
    return papers, np.array(labels)


def terms_of(papers):
    return [reading.terms(p.title, p.abstract, STOP) for p in papers]


def test_a_reading_model_learns_the_line_between_about_and_mentioning():
    papers, on = labelled()
    model = reading.fit(terms_of(papers), on)
    assert model is not None and model.weights["eviction"] > 0 > model.weights["speculative"]
    test, test_on = labelled(60, seed=1)
    s = reading.scores([model], terms_of(test))[:, 0]
    assert s[test_on].min() > s[~test_on].max()


def test_a_reading_model_is_the_mean_of_a_plain_and_a_naive_bayes_scaled_fit():
    papers, on = labelled()
    sets = terms_of(papers)
    model = reading.fit(sets, on)
    plain = lexicon.fit(sets, on, ~on, c=reading.C)
    scaled = lexicon.fit(sets, on, ~on, c=reading.C_NB, nb=True)
    assert plain.weights != scaled.weights
    for term, weight in model.weights.items():
        assert weight == pytest.approx((plain.weights.get(term, 0) + scaled.weights.get(term, 0)) / 2, abs=1e-3)
    assert model.bias == pytest.approx((plain.bias + scaled.bias) / 2, abs=1e-3)


def test_only_the_mean_is_trimmed_to_the_strongest_terms(monkeypatch):
    papers, on = labelled()
    sets = terms_of(papers)
    plain = lexicon.fit(sets, on, ~on, c=reading.C, keep=None)
    scaled = lexicon.fit(sets, on, ~on, c=reading.C_NB, nb=True, keep=None)
    assert len(lexicon.fit(sets, on, ~on, c=reading.C, keep=3).weights) == 3 < len(plain.weights)
    mean = {t: (plain.weights.get(t, 0) + scaled.weights.get(t, 0)) / 2 for t in set(plain.weights) | set(scaled.weights)}
    strongest = sorted(mean, key=lambda t: -abs(mean[t]))[:4]
    monkeypatch.setattr(lexicon, "KEEP_TERMS", 4)
    model = reading.fit(sets, on)
    assert sorted(model.weights) == sorted(strongest)
    assert all(model.weights[t] == pytest.approx(mean[t], abs=1e-3) for t in strongest)


def test_reading_terms_are_title_and_abstract_terms():
    t = reading.terms("KV Cache Eviction", "We retain heads.", STOP)
    assert {"kv", "cache", "eviction", "kv cache", "retain", "heads"} <= t
    assert "eviction retain" not in t  # no bigram across title and abstract


def test_the_reading_feature_moves_membership_and_only_topics_with_a_model_use_it():
    papers, on = labelled()
    model = reading.fit(terms_of(papers), on)
    lsa = np.zeros((len(papers), 2), np.float32)
    (with_model,), _ = all_evidence(papers, [KV], readings=[model])
    (without,), _ = all_evidence(papers, [KV], readings=[None])
    col = FEATURES.index("reading")
    assert with_model.read and not without.read
    assert (without.features[:, col] == 0).all() and with_model.features[on, col].min() > 0
    scored = score_named(papers, lsa, KV, ev=with_model).score
    assert scored[on].min() > scored[~on].max()
    flat = score_named(papers, lsa, KV, ev=without).score
    assert np.ptp(flat) < 0.05  # keyword evidence alone cannot tell these papers apart


def test_shipped_reading_models_cover_the_defaults_and_match_the_label_files():
    """Relabelling without re-running eval/build_readings.py would ship models of old labels."""
    config = load_config(REPO / "researchmap.toml")
    models = reading.shipped(config.named_topics)
    assert all(isinstance(m, Lexicon) and m.papers > 1000 and len(m.weights) > 500 for m in models)
    shipped = json.loads(reading.SHIPPED.read_text(encoding="utf-8"))
    labels = [REPO / "eval" / f"labels_{s}.jsonl" for s in ("seeds", "dev")]
    assert shipped["labels"] == reading.labels_digest(labels), "labels changed: run eval/build_readings.py"
    assert shipped["c"] == [reading.C, reading.C_NB]
    assert reading.shipped([NamedTopic(slug="my-topic", name="Mine", keywords=("foo",))]) == [None]


def test_a_default_topic_given_another_slug_keeps_its_shipped_models():
    """A site renaming ``peft`` to ``parameter-efficient-fine-tuning`` means the same topic: its
    reading model and lexicon follow it, by its keywords, or by ``reading`` when the keywords
    changed too; a topic of its own gets none."""
    import dataclasses

    from site_src.config import default_named_topics

    peft = next(t for t in default_named_topics() if t.slug == "peft")
    moved = dataclasses.replace(peft, slug="parameter-efficient-fine-tuning")
    edited = dataclasses.replace(moved, keywords=(*peft.keywords, "adapter merging"))
    (want,), (got,) = reading.shipped([peft]), reading.shipped([moved])
    assert got is not None and got.weights == want.weights
    assert lexicon.shipped(moved).weights == lexicon.shipped(peft).weights
    assert reading.shipped([edited]) == [None] and lexicon.shipped(edited) is None
    (named,) = reading.shipped([dataclasses.replace(edited, reading="peft")])
    assert named is not None and named.weights == want.weights
    assert lexicon.shipped(dataclasses.replace(edited, reading="peft")) is None  # learned with other keywords
    # a default slug wins over keywords: a topic keeping "moe" with PEFT's keywords is still read as MoE
    moe = reading.shipped([dataclasses.replace(peft, slug="moe")])[0]
    assert moe.weights == reading.shipped([next(t for t in default_named_topics() if t.slug == "moe")])[0].weights
