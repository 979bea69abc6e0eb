"""Named-topic evidence: where a keyword appears matters, negatives and requirements cap it."""

from site_src.models import Paper
from site_src.named import NEGATIVE_CAP, evidence, keyword_pattern


def paper(title: str, abstract: str) -> Paper:
    return Paper(id="x", title=title, abstract=abstract, sources=())


STRONG = keyword_pattern(("tensor parallelism", "distributed training"))
WEAK = keyword_pattern(("communication", "GPUs"))
NEG = keyword_pattern(("inference", "serving"))
REQ = keyword_pattern(("training", "learning"))


def test_title_and_contribution_outweigh_a_passing_mention():
    core = evidence(paper("Faster Distributed Training with Overlap", "We propose a scheme for tensor parallelism."), STRONG, WEAK)
    passing = evidence(paper("A Reasoning Benchmark", "Models are big. They are trained with tensor parallelism. We propose a benchmark."), STRONG, WEAK)
    assert core.score > 3 > passing.score
    assert "distributed training" in core.terms


def test_negative_title_caps_evidence_unless_the_title_names_the_topic():
    text = "Tensor parallelism needs communication across GPUs. We propose overlap for tensor parallelism and communication on GPUs."
    serving = evidence(paper("Overlapping Communication for LLM Inference", text), STRONG, WEAK, NEG)
    both = evidence(paper("Distributed Training and Inference System", text), STRONG, WEAK, NEG)
    assert serving.score <= NEGATIVE_CAP < both.score


def test_required_keywords_cap_papers_outside_the_field():
    text = "We propose coded matrix multiplication with tensor parallelism and communication across GPUs in distributed training clusters."
    assert evidence(paper("Coded Computing", text), STRONG, WEAK, None, REQ).score > NEGATIVE_CAP
    other = "We propose coded matrix multiplication with tensor parallelism and communication across GPUs."
    assert evidence(paper("Coded Computing", other), STRONG, WEAK, None, REQ).score <= NEGATIVE_CAP


def test_acronyms_match_case_sensitively():
    moe = keyword_pattern(("MoE", "mixture of experts"))
    assert moe.search("a sparse MoE layer") and moe.search("Mixture-of-Experts models")
    assert not moe.search("the word moe in another language")
