"""Key terms as the papers write them (site_src/termforms.py)."""

from site_src.models import Paper
from site_src.termforms import PIECE, Forms, Written, lowered, paper_terms, readable, written


def forms(abstracts, titles=()):
    return Forms(list(titles), list(abstracts))


def form(term, abstracts, titles=()):
    found = forms(abstracts, titles)(term)
    return None if found is None or found is PIECE else found.form


MOE = [
    "We train a sparse Mixture-of-Experts (MoE) model whose router sends each token to two experts.",
    "Our mixture-of-experts layers balance load across experts; the MoE keeps compute flat.",
    "A mixture-of-experts design with shared experts and an auxiliary-loss-free MoE router.",
]


def test_a_pair_is_shown_as_written_with_its_little_word_and_hyphens():
    assert form("mixture experts", MOE) == "mixture-of-experts"
    assert form("text image", ["A text-to-image model.", "text-to-image diffusion", "a text to image task"]) == "text-to-image"


def test_a_pair_that_spans_a_bracket_is_no_phrase():
    assert form("experts moe", MOE) is None


def test_a_piece_of_a_compound_is_read_whole():
    texts = ["Parameter-efficient fine-tuning (PEFT) trains few weights.", "parameter-efficient fine-tuning methods", "use parameter-efficient fine-tuning."]
    assert form("efficient fine", texts) == "parameter-efficient fine-tuning"
    assert form("time compute", ["spending test-time compute well", "more test-time compute.", "Test-time compute grows."]) == "test-time compute"


def test_a_modifier_that_always_runs_on_into_other_words_is_dropped():
    texts = ["scaling test-time compute helps", "by scaling test-time search we", "scaling test-time reasoning works"]
    assert forms(texts)("scaling test") is PIECE
    # ... from a paper's terms too, though a word a paper never writes alone is otherwise kept
    paper = Paper(id="p", title="Scaling", abstract="We scale test-time compute.", sources=())
    assert paper_terms([("test", "compute")], [paper], 3) == [("compute",)]


def test_a_pair_nearly_always_followed_by_one_word_takes_it():
    gui = ["agents act on a graphical user interface", "the graphical user interfaces of apps", "any graphical user interface."]
    assert form("graphical user", gui) == "graphical user interface"
    # "model(s)" is one of the vectoriser's own stop words, so a pair lost it: half the uses suffice
    dllm = ["diffusion language models decode in parallel", "diffusion language models (dLLMs)", "Unlike diffusion language models, we",
            "we adapt diffusion language backbones"]
    assert form("diffusion language", dllm) == "diffusion language models"
    # one abstract's wording is no usage
    assert form("graphical user", gui[:1]) == "graphical user"


def test_acronyms_keep_their_capitals_and_other_words_only_when_nearly_always_capitalised_mid_sentence():
    assert form("lora", ["we apply LoRA to", "LoRA adapters", "merge LoRA weights"]) == "LoRA"
    assert form("gpus", ["across 1024 GPUs we", "on GPUs."]) == "GPUs"
    splat = ["renders with Gaussian splatting at", "fits a Gaussian splatting model to", "uses Gaussian splatting for"]
    assert form("gaussian", splat) == "Gaussian"
    assert form("gaussian splatting", splat) == "Gaussian splatting"
    # capitals of titles, sentence starts and capitalised names say nothing
    titles = ["Policy Optimization for Agents", "Scalable Policy Optimization"]
    grpo = ["We use Group Relative Policy Optimization (GRPO).", "Policy optimization is hard.", "stable policy optimization"]
    assert form("policy optimization", grpo, titles) == "policy optimization"


def test_the_list_says_each_term_once():
    texts = ["We run on 8 GPUs.", "each GPU holds a shard", "GPUs and a GPU", "the MoE model", "MoE training is costly",
             "an MoE with experts", "MoE inference"]
    look = forms(texts)
    # plural of a listed term: left out; "MoE training" is a small part of the MoE uses: it joins
    assert readable(["gpus", "gpu", "moe", "moe training"], look, 8) == ("GPUs", "MoE", "MoE training")
    # "test-time" is mostly inside "test-time compute": the longer term takes its place
    tt = forms(["test-time compute is spent", "more test-time compute", "at test time we reason"])
    assert readable(["test time", "reasoning", "time compute"], tt, 8) == ("test-time compute",)
    assert readable(["gpus", "gpu", "moe"], look, 1) == ("GPUs",)


def test_uses_are_counted_past_the_ones_read_closely():
    many = ["the MoE layer " * 30, "an MoE model " * 30]
    found = forms(many)("moe")
    assert isinstance(found, Written) and found.form == "MoE" and found.uses == 60
    assert forms(["the MoE layer " * 40])("moe").uses == 40


def test_a_term_inside_longer_words_is_not_a_use_of_it():
    assert form("moe", ["OLMoE " * 45 + "and the MoE model"]) == "MoE"
    assert form("erd", ["the Erdős number " * 3]) is None
    # letters past ASCII are letters: a compound or a next word is not cut at them
    assert form("bridge", ["a Schrödinger-bridge model"] * 3) == "Schrödinger-bridge"
    assert form("random walk", ["a random walk Rényi entropy"] * 3) == "random walk Rényi"


def test_a_papers_terms_come_from_the_topic_for_its_vocabulary_and_from_the_paper_otherwise():
    topic = forms(["we use LoRA adapters", "LoRA is cheap", "with LoRA we"])
    paper = Paper(id="p", title="Tuning with lora", abstract="We fine-tune with lora and a low-rank adapter. Experts (MoE) help.", sources=())
    got = paper_terms([("lora", "rank adapter", "experts moe", "tuning")], [paper], 3, topic, frozenset({"lora"}))
    # LoRA as the topic writes it; a pair the paper writes; a bracket-spanning pair dropped; a word kept as is
    assert got == [("LoRA", "low-rank adapter", "tuning")]
    # the topic's form only where the paper writes it so; a keyword acronym found inside a name is kept
    topic = forms(["a mixture-of-experts layer", "mixture-of-experts models", "the mixture-of-experts"])
    paper = Paper(id="q", title="SnapKV", abstract="A mixture of experts with SnapKV caches.", sources=())
    assert paper_terms([("mixture experts", "KV")], [paper], 3, topic, frozenset({"mixture experts"})) == [("mixture of experts", "KV")]


def test_lowering_keeps_every_character_in_its_place():
    text = "İstanbul MoE"  # str.lower makes the dotted capital I two characters
    assert len(lowered(text)) == len(text) and lowered(text).endswith("moe")
    assert written("moe", text).form == "MoE"


def test_a_name_gives_its_words_the_capitals_its_papers_give_them():
    from site_src.termforms import recased

    look = forms(["renders with Gaussian splatting at", "a Gaussian splatting model", "fast Gaussian splatting for",
                  "novel view synthesis of scenes"])
    assert recased("3D gaussian splatting & view synthesis", look) == "3D Gaussian splatting & view synthesis"
    # a word in a compound or already capitalised is left as it is
    assert recased("Gaussian-free view synthesis", look) == "Gaussian-free view synthesis"
