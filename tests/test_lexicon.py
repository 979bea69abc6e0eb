"""Topic lexicons: learned from title-keyword papers, scored on abstracts, shipped for the defaults."""

import random

import numpy as np
import pytest

from conftest import REPO
from site_src import lexicon
from site_src.config import load_config
from site_src.vectorise import stop_words

STOP = stop_words()


def corpus(n=300, seed=0):
    """Papers about caching write 'eviction budget memory'; the rest write about images."""
    rng = random.Random(seed)
    on = "eviction budget memory decoding tokens compression".split()
    off = "image segmentation pixels camera detection scenes".split()
    texts, labels = [], []
    for i in range(n):
        topic = i % 3 == 0
        words = [rng.choice(on if topic else off) for _ in range(30)] + [rng.choice(on + off) for _ in range(5)]
        texts.append(" ".join(words))
        labels.append(topic)
    return [lexicon.abstract_terms(t, STOP) for t in texts], np.array(labels)


def test_abstract_terms_are_the_vectorisers_unigrams_and_bigrams():
    terms = lexicon.abstract_terms("We evict the KV-cache entries; eviction helps.", STOP)
    assert {"evict", "kv", "cache", "entries", "eviction", "helps", "kv cache", "cache entries"} <= terms
    assert "we" not in terms and "the" not in terms


@pytest.mark.parametrize("nb", [False, True])
def test_a_lexicon_learns_the_topics_words_and_scores_unseen_abstracts(nb):
    sets, topic = corpus()
    lex = lexicon.fit(sets, topic, ~topic, nb=nb)
    assert lex is not None and lex.weights["eviction"] > 0 > lex.weights["pixels"]
    test_sets, test_topic = corpus(60, seed=1)
    s = lexicon.scores([lex, None], test_sets)
    assert s.shape == (60, 2) and (s[:, 1] == 0).all()
    assert s[test_topic, 0].min() > s[~test_topic, 0].max()


def test_too_few_examples_give_no_lexicon():
    sets, topic = corpus(20)
    assert lexicon.fit(sets, topic & (np.arange(20) < 6), ~topic) is None


def test_shipped_lexicons_match_the_default_keywords():
    """Changing a default topic's keywords without re-running eval/build_lexicons.py would
    silently drop its lexicon: this catches it."""
    config = load_config(REPO / "researchmap.toml")
    for topic in config.named_topics:
        lex = lexicon.shipped(topic)
        assert lex is not None, f"no shipped lexicon for {topic.slug}: run eval/build_lexicons.py"
        assert lex.papers > 10000 and len(lex.weights) > 500


def test_a_changed_topic_gets_no_shipped_lexicon():
    import dataclasses

    topic = load_config(REPO / "researchmap.toml").named_topics[0]
    assert lexicon.shipped(dataclasses.replace(topic, keywords=topic.keywords + ("sparse mixture",))) is None
