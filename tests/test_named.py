"""Named-topic evidence: where a keyword appears matters, negatives and requirements cap it."""

from site_src.config import NamedTopic
from site_src.keywords import Matcher, contribution_flags, words_of
from site_src.models import Paper
import numpy as np

from site_src.named import EXCLUDED_SCORE, FEATURES, score_named, topic_evidence


def paper(title: str, abstract: str) -> Paper:
    return Paper(id="x", title=title, abstract=abstract, sources=())


DT = dict(slug="dt", name="Distributed training", keywords=("tensor parallelism", "distributed training"),
          weak_keywords=("communication", "GPUs"))
NEG = ("inference", "serving")
REQ = ("training", "learning")


def features(title, abstract, **kinds):
    ev = topic_evidence([paper(title, abstract)], NamedTopic(**DT, **kinds))[0]
    return dict(zip(FEATURES, ev.features)), ev


def score(title, abstract, **kinds):
    """Membership score with no help from closeness (a one-paper corpus has no centroid)."""
    return float(score_named([paper(title, abstract)], np.zeros((1, 2), np.float32), NamedTopic(**DT, **kinds)).score[0])


def test_title_and_contribution_outweigh_a_passing_mention():
    f, ev = features("Faster Distributed Training with Overlap", "We propose a scheme for tensor parallelism.")
    assert f["title"] == 1 and f["contribution"] == 1 and ev.clear and "distributed training" in ev.terms
    g, ev2 = features("A Reasoning Benchmark", "Models are big. They are trained with tensor parallelism. We propose a benchmark.")
    assert g["title"] == 0 and g["contribution"] == 0 and not ev2.clear
    core = score("Faster Distributed Training with Overlap", "We propose a scheme for tensor parallelism.")
    passing = score("A Reasoning Benchmark", "Models are big. They are trained with tensor parallelism. We propose a benchmark.")
    # in log-odds, so the claim is about what the features add and not where the refitted bias sits
    logit = lambda p: np.log(p / (1 - p))  # noqa: E731
    assert logit(core) > logit(passing) + 1.5 and passing < 0.1


def test_a_title_about_something_else_rules_the_paper_out_unless_it_names_the_topic():
    text = "Tensor parallelism needs communication across GPUs. We propose overlap for tensor parallelism and communication on GPUs."
    assert features("Overlapping Communication for LLM Inference", text, negative_keywords=NEG)[1].excluded
    assert not features("Distributed Training and Inference System", text, negative_keywords=NEG)[1].excluded
    assert score("Overlapping Communication for LLM Inference", text, negative_keywords=NEG) <= EXCLUDED_SCORE + 1e-6 < score(
        "Overlapping Communication for LLM Inference", text)


def test_without_a_required_word_the_paper_is_ruled_out():
    text = "We propose coded matrix multiplication with tensor parallelism and communication across GPUs in distributed training clusters."
    assert not features("Coded Computing", text, required_keywords=REQ)[1].excluded
    other = "We propose coded matrix multiplication with tensor parallelism and communication across GPUs."
    assert features("Coded Computing", other, required_keywords=REQ)[1].excluded
    assert score("Coded Computing", other, required_keywords=REQ) <= EXCLUDED_SCORE + 1e-6 < score("Coded Computing", other)


def test_negative_keyword_in_the_contribution_counts_against():
    text = "Tensor parallelism is common. We propose a serving system."
    assert features("X", text, negative_keywords=NEG)[0]["negative_contribution"] == 1
    assert score("X", text, negative_keywords=NEG) < score("X", text)


def test_closeness_to_the_clear_papers_raises_the_score():
    clear = [paper("Distributed Training at Scale", f"We propose tensor parallelism number {i}.") for i in range(4)]
    mention = paper("Some Systems Paper", "It uses tensor parallelism in passing.")
    papers = clear + [mention, mention]
    near = np.array([[1, 0]] * 5 + [[0, 1]], np.float32)  # paper 4 sits with the clear papers, paper 5 apart
    s = score_named(papers, near, NamedTopic(**DT)).score
    assert s[4] > s[5]


def topics(**by_slug):
    return [NamedTopic(slug=s, name=s, keywords=tuple(k)) for s, k in by_slug.items()]


def scan(matcher, text):
    return [(t, term) for t, _, term in matcher.scan(words_of(text))]


def test_acronyms_match_case_sensitively_also_inside_camel_case_names():
    m = Matcher(topics(moe=["MoE", "mixture of experts"], kv=["KV"], peft=["LoRA"]))
    assert scan(m, "a sparse MoE layer") == [(0, "MoE")]
    assert scan(m, "Mixture-of-Experts models") == [(0, "mixture of experts")]
    assert scan(m, "the word moe in another language") == []
    assert scan(m, "DeepSeekMoE, MoEs and WorldKV") == [(0, "MoE"), (0, "MoE"), (1, "KV")]
    assert scan(m, "AdaLoRA and LoRAHub") == [(2, "LoRA"), (2, "LoRA")]
    assert scan(m, "SKVQ and MOE") == []  # inside an all-capitals name, or other casing
    assert scan(m, "KVQuant, KVzip, KVs") == [(1, "KV")] * 3
    assert scan(m, "KVCACHE") == []


def test_hyphens_plurals_and_gaps():
    m = Matcher(topics(moe=["mixture of * experts"], kv=["KV cache"], dt=["all-reduce"]))
    assert scan(m, "a Mixture of LoRA Experts") == [(0, "mixture of lora experts")]
    assert scan(m, "mixture-of-experts") == [(0, "mixture of experts")]
    assert scan(m, "a mixture of many small vision experts") == []  # more than two words in the gap
    assert scan(m, "KV-caches and kv caching") == [(1, "kv caches")]
    assert scan(m, "allreduce or all reduce") == [(2, "all reduce")]


def test_weak_keywords_inside_strong_ones_do_not_count_twice():
    m = Matcher([NamedTopic(slug="moe", name="MoE", keywords=("mixture of experts",), weak_keywords=("experts", "router"))])
    assert [term for _, _, term in m.scan(words_of("a mixture of experts with a router and more experts"))] == [
        "mixture of experts", "router", "experts"]


def test_british_spellings_match_american_keywords():
    m = Matcher(topics(dt=["decentralized training"], opt=["optimization"]))
    assert scan(m, "Decentralised training and optimisation") == [(0, "decentralised training"), (1, "optimisation")]


def test_longest_phrase_wins_and_matches_do_not_overlap():
    m = Matcher(topics(kv=["KV cache", "KV cache eviction", "cache"]))
    assert scan(m, "KV cache eviction") == [(0, "kv cache eviction")]
    assert scan(m, "KV cache and a cache") == [(0, "kv cache"), (0, "cache")]


def test_contribution_sentences():
    sentences = [words_of(s) for s in ["LLMs are large", "In this paper we carefully propose X", "This work presents Y", "Our results show Z"]]
    assert contribution_flags(sentences) == [False, True, True, False]
