"""Topic names from title phrases (site_src/naming.py), on small made-up corpora where the right
name is plain, and on a real corpus."""

import gzip
import json
import re

import numpy as np
import pytest

from site_src import naming
from conftest import CORPORA

FILLER = [
    "Protein Folding with Graph Networks", "Weather Forecasting at Scale", "Speech Recognition for Children",
    "Robust Object Detection in Fog", "Music Generation from Lyrics", "Legal Document Summarization",
    "Tabular Data Synthesis", "Molecule Property Prediction", "Traffic Flow Estimation", "Code Review Automation",
]


def corpus(topic_titles: list[str], filler_times: int = 4) -> tuple[list[str], np.ndarray]:
    """The topic's titles first, then unrelated ones (so the topic's phrases stand out)."""
    titles = topic_titles + [f"{t} {i}" for i in range(filler_times) for t in FILLER]
    return titles, np.arange(len(topic_titles))


def name_of(topic_titles, abstracts=(), **kw):
    titles, members = corpus(topic_titles, **kw)
    stats = naming.phrase_stats(titles)
    return naming.title_name(members, stats, topic_titles, list(abstracts))


def test_phrases_keep_compounds_and_glue_and_know_what_is_continued():
    found = naming.phrases("Chain-of-Thought Reasoning: Mixture of Experts for Test-Time Scaling")
    assert found["chain of thought reasoning"] is False
    assert found["chain of thought"] is True  # "reasoning" follows it
    assert found["mixture of expert"] is False  # the last word singular, "of" kept inside
    assert "of expert" not in found and "mixture of" not in found  # glue never at an end
    assert found["test time"] is True and found["test time scaling"] is False
    assert "reasoning mixture" not in found  # the colon ends a run


def test_a_modifier_is_named_with_what_titles_put_after_it():
    titles = ["Test-Time Scaling for Math", "Test-Time Scaling of Agents", "Test-Time Scaling Laws",
              "Efficient Test-Time Compute", "Test-Time Scaling in Vision", "Adaptive Test-Time Scaling"]
    assert name_of(titles) == "Test-time scaling"


def test_a_word_mostly_inside_a_phrase_becomes_the_phrase():
    titles = ["Image Editing with Diffusion", "Instruction-Guided Image Editing", "Image Editing at Scale",
              "Video Editing Made Easy", "Region-Aware Image Editing", "Fast Image Editing"]
    assert name_of(titles) == "Image editing"
    from collections import Counter

    stats = naming.phrase_stats(titles)
    assert naming._resolve("editing", Counter({"editing": 10, "image editing": 7}), stats) == "image editing"
    assert naming._resolve("editing", Counter({"editing": 10, "image editing": 5}), stats) == "editing"


def test_a_second_phrase_joins_unless_it_repeats_the_first():
    gui = ["GUI Agents for Phones", "Training GUI Agents", "GUI Agents on the Web", "Graphical User Interface Grounding",
           "Graphical User Interface Navigation", "GUI Agents with Memory"]
    name = name_of(gui)
    assert name == "GUI agents"  # "graphical user interface" is what GUI stands for
    assert naming.repeats("multimodal llm", "mllm") and naming.repeats("image editing", "video edit")
    assert not naming.repeats("reasoning", "chain of thought")
    two = ["Speech Recognition in Noise", "Speech Recognition for Kids", "Speech Recognition at Scale",
           "Speaker Diarization Revisited", "Speaker Diarization with Transformers", "Speaker Diarization for Meetings"]
    assert set(name_of(two).lower().split(" & ")) == {"speech recognition", "speaker diarization"}


def test_a_shared_last_word_is_said_once():
    agents = ["GUI Agents for Phones", "Training GUI Agents", "GUI Agents with Memory", "GUI Agents at Scale",
              "Web Agents that Browse", "Web Agents for Shopping", "Web Agents in the Wild"]
    assert name_of(agents) == "GUI & web agents"


def test_nouns_continued_many_ways_name_a_topic_themselves():
    """An audio topic's titles continue "audio" and "speech" many ways, each in a few titles: the
    nouns name it ("Audio & speech"), not one narrow continuation ("Audio captioning")."""
    rest = ["Captioning", "Tokenizers", "Watermarking", "Retrieval", "Separation", "Editing", "Deepfake Detection",
            "Question Answering", "Super-Resolution", "Codecs", "Inpainting", "Style Transfer", "Event Detection", "Grounding"]
    alone = ["Hearing", "Listening to", "Reading", "Pretraining on", "Scaling", "Grounding", "Aligning", "Tagging", "Searching"]
    audio = [f"Audio {c} {s}" for c in rest for s in ("with Transformers", "for Everyone", "in the Wild")]
    speech = [f"Speech {c} {s}" for c in rest for s in ("under Noise", "on Devices", "for Kids")]
    topic = audio + speech + [f"{verb} {noun}" for verb in alone for noun in ("Audio", "Speech")]
    titles = topic + [f"{t} {i}" for i in range(20) for t in FILLER if "Speech" not in t]
    stats, members = naming.phrase_stats(titles), np.arange(len(topic))
    assert naming.noun("audio", stats) and naming.noun("speech", stats)
    assert not naming.noun("test time", stats) and not naming.noun("gui", naming.phrase_stats(["GUI Agents", "GUI Tests"]))
    assert naming.title_name(members, stats, topic) == "Audio & speech"
    # continued one way often enough, a noun is named so ("Video generation")
    assert name_of([f"Video Generation {s}" for s in ("at Scale", "with Motion", "for Games", "in 4K")] + ["Video Editing Now", "Watching Video"]) \
        == "Video generation"


def test_an_acronym_repeats_the_words_it_stands_for_and_a_shared_first_word_is_said_once():
    # "LLM" names a language model, qualified: "language model serving" says "LLM serving"
    assert naming.repeats("llm inference", "language model serving") and naming.repeats("gnn", "graph neural network")
    assert not naming.repeats("film editing", "language model")  # a word with vowels is no acronym
    assert not naming.repeats("llm inference", "speech recognition")
    serving = ["LLM Inference on GPUs", "Fast LLM Inference", "LLM Inference with Speculation", "LLM Inference at the Edge",
               "LLM Serving with Paged Memory", "LLM Serving for Many Tenants", "Language Model Serving Systems",
               "Language Model Serving at Scale", "Language Model Serving Cheaply"]
    assert name_of(serving) == "LLM inference & serving"


def test_names_are_written_as_the_titles_write_them():
    titles = ["LoRA Adapters for LLMs", "Merging LoRA Adapters", "LoRA Adapters at Scale", "Sparse LoRA Adapters"]
    assert name_of(titles) == "LoRA adapters"
    # a phrase no title writes takes its form from the abstracts
    assert naming.written_form("sn net", ["Stitchable Networks"], ["We stitch SN-Net models."]) == "SN-Net"
    assert naming.written_form("3d scene", ["3D Scene Graphs"]) == "3D scene"


def test_a_modifier_the_titles_never_continue_alike_is_continued_by_the_abstracts():
    titles = ["Long-Context Inference Made Cheap", "Long-Context Modeling Revisited", "Long-Context Benchmarks Explained",
              "Long-Context Retrieval Heads", "Long-Context Training Recipes"]
    abstracts = ["Long-context inference is slow.", "We speed up long-context inference.", "Long-context models."]
    assert name_of(titles, abstracts) == "Long-context inference"
    assert name_of(titles) is None  # nothing but a modifier: no name from titles (abstract terms take over)
    # continued word by word while the titles use the last word as a modifier ("large")
    from collections import Counter

    stats = naming.phrase_stats(["Large Language Models: A Study", "On Large Language Models", "Multimodal Agents", "Multimodal Search"])
    mllm = ["Multimodal large language models see.", "We test multimodal large language models."]
    assert naming._resolve("multimodal", Counter(), stats, mllm) == "multimodal large language model"


def test_no_name_from_generic_or_undistinctive_words():
    titles = ["Large Language Models Are Good", "Large Language Models for Everything", "Efficient Large Language Models"]
    assert name_of(titles) is None
    # the filler is spread evenly, so no phrase is distinctive of a slice of it
    titles, _ = corpus([])
    stats = naming.phrase_stats(titles)
    assert naming.title_name(np.arange(0, len(titles), 2), stats, titles[::2]) is None


def test_large_corpora_are_sampled_and_members_counted_among_the_sample(monkeypatch):
    monkeypatch.setattr(naming, "SAMPLE", 50)
    titles, members = corpus(["Speculative Decoding Tricks"] * 30, filler_times=10)
    stats = naming.phrase_stats(titles)
    assert stats.step == 3 and stats.titles == len(titles[::3])
    counts, n = stats.counts(members)
    assert n == 10 and counts["speculative decoding"] == 10


@pytest.fixture(scope="module")
def hf_records():
    path = CORPORA / "hf_daily_papers_2024-05_2026-08.jsonl.gz"
    if not path.exists():
        pytest.skip(f"{path} is absent (the shared corpora sit beside the repo)")
    with gzip.open(path, "rt", encoding="utf-8") as f:
        return [json.loads(line) for line in f][:4000]


def test_names_on_a_real_corpus_are_phrases_its_titles_use(hf_records):
    """Papers grouped by a words in their titles: each group's name is a phrase that group's
    titles use, never a generic word, and names of different groups differ."""
    titles = [r["title"] for r in hf_records]
    stats = naming.phrase_stats(titles)
    names = {}
    for word in ("diffusion", "agent", "video", "reasoning", "attention", "speech"):
        members = np.array([i for i, t in enumerate(titles) if re.search(rf"\b{word}", t, re.IGNORECASE)])
        name = naming.title_name(members, stats, [titles[i] for i in members], [hf_records[i]["abstract"] for i in members])
        assert name, word
        for phrase in name.split(" & "):
            key = naming._key(phrase.lower().split())
            hits = sum(key in naming.phrases(titles[i]) for i in members)
            if hits < 2:  # a one-word name made a phrase by the abstracts: the word is the titles'
                assert " & " not in name and len(key.split()) >= 2, (word, phrase)
                assert any(sum(w in naming.phrases(titles[i]) for i in members) >= 2 for w in key.split()), (word, phrase)
                assert sum(key in naming.phrases(hf_records[i]["abstract"]) for i in members) >= 2, (word, phrase)
            assert not naming._generic(key), (word, phrase)
        names[word] = name
    assert len(set(names.values())) == len(names), names


def test_a_name_of_one_word_takes_the_phrase_the_abstracts_hold_it_in():
    titles = ["Retrieval for Question Answering", "Retrieval at Scale", "Retrieval Made Simple", "Tools Need Retrieval"]
    abstracts = ["We study dense retrieval for QA.", "Dense retrieval scales.", "A retrieval model that is simple.",
                 "Dense retrieval of tools.", "Sparse retrieval baselines."]
    assert name_of(titles) == "Retrieval"  # no abstracts: the word stays (better than no name)
    assert name_of(titles, abstracts) == "Dense retrieval"  # not "retrieval model": "model" is generic
    assert name_of(titles, abstracts[:1] + abstracts[2:3]) == "Retrieval"  # one abstract is not enough
    assert naming.abstract_phrase("retrieval", abstracts, 2) == "dense retrieval"
    assert naming.abstract_phrase("retrieval", abstracts, 4) is None


def test_a_hyphenated_compound_alone_is_a_word_and_takes_a_phrase_too():
    titles = ["Fine-Tuning at Scale", "Cheap Fine-Tuning", "On Fine-Tuning", "Fine-Tuning for Code"]
    abstracts = ["We study supervised fine-tuning.", "Supervised fine-tuning is costly.", "Supervised fine-tuning of LMs.",
                 "Fine-tuning helps."]
    assert name_of(titles) == "Fine-tuning"  # no abstracts: the word stays (better than no name)
    assert name_of(titles, abstracts) == "Supervised fine-tuning"
    # a compound mostly qualifies what follows: the abstracts' next word, generic or not, and
    # on past a word that is itself continued ("large" in "large language models")
    titles = ["Open-Source at Last", "Why We Need Open-Source", "On Open-Source", "Open-Source for Science"]
    assert name_of(titles, ["Open-source models are strong.", "We release open-source models.", "Open-source models lag."]) == "Open-source models"
    said = ["We tune open-source large language models.", "Open-source large language models are strong.",
            "Open-source large language models (LLMs) lag."]
    assert name_of(titles, said) == "Open-source large language models"
    assert name_of(titles, ["Open-source models are strong.", "We release open-source code."]) == "Open-source"  # no agreement


def test_title_verbs_end_a_run_but_nouns_that_look_like_verbs_do_not():
    assert naming.title_runs("Open-Source LLMs Enable Cheap Agents") == [["open-source", "llms"], ["cheap", "agents"]]
    assert naming.title_runs("Dark Matter Halos and Crop Yield Prediction") == [["dark", "matter", "halos"], ["crop", "yield", "prediction"]]


def test_one_phrase_makes_a_fallback_name_of_one_word_a_phrase_unless_taken():
    titles = ["A Study", "Another Study"]
    abstracts = ["We release open-source models.", "Open-source models are strong.", "Open-source models, again."]
    assert naming.one_phrase("Open-source", titles, abstracts) == "Open-source models"
    assert naming.one_phrase("Open-source & tools", titles, abstracts) == "Open-source & tools"  # a phrase already
    assert naming.one_phrase("Open-source", titles, abstracts, naming.taken_by(["open-source models"])) == "Open-source"
    assert naming.one_phrase("Retrieval", titles, ["Dense retrieval works.", "Dense retrieval scales."]) == "Dense retrieval"
    assert naming.one_phrase("-", titles, abstracts) == "-"  # no word to make a phrase of


def test_the_abstract_phrase_a_one_word_name_takes_is_one_titles_use_when_there_is_one():
    topic = ["Attacks on Speech Models", "Attacks for Code Models", "Attacks in the Wild", "Attacks Revisited"]
    titles, members = corpus(topic)
    titles += ["Adversarial Attacks on Graphs", "Adversarial Attacks on Audio"]  # elsewhere in the corpus
    stats = naming.phrase_stats(titles)
    abstracts = ["The attack success rate is high.", "We raise attack success rates.", "Attack success drops.",
                 "Adversarial attacks on models.", "We study adversarial attacks."]
    assert naming.title_name(members, stats, topic, abstracts) == "Adversarial attacks"
    assert naming.abstract_phrase("attack", abstracts, 2) == "attack success"  # without the titles: the most used


def test_a_phrase_a_named_topic_holds_is_not_a_clustered_topics_name():
    taken = naming.taken_by(["Mixture of Experts", "mixture of * experts", "MoE", "KV cache", "expert parallelism"])
    assert taken("mixture-of-experts training") and taken("Mixture of Expert") and taken("MoE layers")
    assert taken("KV caches") and taken("efficient KV cache compression")
    assert not taken("data parallelism") and not taken("experts") and not taken("caching") and not taken("Moebius networks")
    titles = ["Pre-Training at Scale with a Mixture of Experts", "Sparse Mixture of Experts", "Routing in Mixture of Experts",
              "Pre-Training a Mixture of Experts", "Efficient Mixture of Experts", "Curriculum Pre-Training of LLMs",
              "Pre-Training on Data Mixtures"]
    first = name_of(titles)
    assert first.lower().startswith("mixture of experts")
    titles_, members = corpus(titles)
    named = naming.title_name(members, naming.phrase_stats(titles_), titles, [], taken)
    assert named and not taken(named) and "pre-training" in named.lower()


def test_taken_phrases_follow_keyword_rules_and_no_later_step_brings_one_back():
    taken = naming.taken_by(["ZeRO", "mixture of * experts"], ["Reinforcement learning for reasoning"])
    # an acronym keyword is said as written, as keywords match it
    assert not taken("zero shot", "Zero-shot") and taken("zero offloading", lambda: "ZeRO offloading")
    assert taken("zero shot")  # not knowing how it is written: taken, to be safe
    assert taken("mixture of sparse experts")  # "*": up to two words
    # another cluster's phrase: neither said nor saying it; a single word bars nothing
    assert taken("reinforcement learning") and not taken("learning") and not taken("deep learning")
    titles = ["Expert Routing at Scale", "Adaptive Expert Routing", "Expert Routing for LLMs",
              "Routing Tokens Efficiently", "Learned Routing Policies", "Routing in Sparse Models"]
    assert name_of(titles) == "Expert routing"  # "routing", held in the phrase that scores nearly as well
    titles_, members = corpus(titles)
    named = naming.title_name(members, naming.phrase_stats(titles_), titles, [], naming.taken_by(["expert routing"]))
    assert named and "expert routing" not in named.lower()
