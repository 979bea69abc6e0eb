"""Named-topic evidence: where a keyword appears matters, negatives and requirements cap it."""

from site_src.config import NamedTopic
from site_src.keywords import Matcher, contribution_flags, words_of
from site_src.models import Paper
from site_src.named import NEGATIVE_CAP, topic_evidence


def paper(title: str, abstract: str) -> Paper:
    return Paper(id="x", title=title, abstract=abstract, sources=())


def ev(title, abstract, **kinds):
    topic = NamedTopic(slug="dt", name="Distributed training", keywords=("tensor parallelism", "distributed training"),
                       weak_keywords=("communication", "GPUs"), **kinds)
    return topic_evidence([paper(title, abstract)], topic)[0]


NEG = ("inference", "serving")
REQ = ("training", "learning")


def test_title_and_contribution_outweigh_a_passing_mention():
    core = ev("Faster Distributed Training with Overlap", "We propose a scheme for tensor parallelism.")
    passing = ev("A Reasoning Benchmark", "Models are big. They are trained with tensor parallelism. We propose a benchmark.")
    assert core.score > 3 > passing.score
    assert "distributed training" in core.terms


def test_negative_title_caps_evidence_unless_the_title_names_the_topic():
    text = "Tensor parallelism needs communication across GPUs. We propose overlap for tensor parallelism and communication on GPUs."
    serving = ev("Overlapping Communication for LLM Inference", text, negative_keywords=NEG)
    both = ev("Distributed Training and Inference System", text, negative_keywords=NEG)
    assert serving.score <= NEGATIVE_CAP < both.score


def test_required_keywords_cap_papers_outside_the_field():
    text = "We propose coded matrix multiplication with tensor parallelism and communication across GPUs in distributed training clusters."
    assert ev("Coded Computing", text, required_keywords=REQ).score > NEGATIVE_CAP
    other = "We propose coded matrix multiplication with tensor parallelism and communication across GPUs."
    assert ev("Coded Computing", other, required_keywords=REQ).score <= NEGATIVE_CAP


def test_negative_keyword_in_the_contribution_counts_against():
    text = "Tensor parallelism is common. We propose a serving system."
    assert ev("X", text, negative_keywords=NEG).score < ev("X", text).score


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


def test_hyphens_plurals_and_gaps():
    m = Matcher(topics(moe=["mixture of * experts"], kv=["KV cache"], dt=["all-reduce"]))
    assert scan(m, "a Mixture of LoRA Experts") == [(0, "mixture of lora experts")]
    assert scan(m, "mixture-of-experts") == [(0, "mixture of experts")]
    assert scan(m, "a mixture of many small vision experts") == []  # more than two words in the gap
    assert scan(m, "KV-caches and kv caching") == [(1, "kv caches")]
    assert scan(m, "allreduce or all reduce") == [(2, "all reduce")]


def test_longest_phrase_wins_and_matches_do_not_overlap():
    m = Matcher(topics(kv=["KV cache", "KV cache eviction", "cache"]))
    assert scan(m, "KV cache eviction") == [(0, "kv cache eviction")]
    assert scan(m, "KV cache and a cache") == [(0, "kv cache"), (0, "cache")]


def test_contribution_sentences():
    sentences = [words_of(s) for s in ["LLMs are large", "In this paper we carefully propose X", "This work presents Y", "Our results show Z"]]
    assert contribution_flags(sentences) == [False, True, True, False]
