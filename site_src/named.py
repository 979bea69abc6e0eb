"""Membership of the named topics, from where their keywords appear and how close a paper is to
the topic's clearest papers.

A paper is in a named topic when the topic is what it is about, not when it mentions a term in
passing. So the evidence is not a keyword count but a few features of *where* keywords appear:
in the title, in the sentence that states the contribution ("we propose ..."), in the first
sentence, in how many sentences, how many different keywords; whether the title names something
else (a negative keyword) or a required word is missing (either rules the paper out). Three more
features read the whole text: the topic lexicon's score (lexicon.py, learned without labels),
the reading model's (reading.py, learned from papers labelled by reading them; shipped for the
default topics), and the LSA similarity to a centroid seeded by the papers with clear keyword
evidence, so a paper on the topic that uses other words can still join, and one far from the
topic's papers needs more.

A logistic model combines the features. Its weights are topic-agnostic (one set for every named
topic with a reading model, one without that feature for the user's own topics) and were fitted
once on the tuning labels (eval/labels_seeds.jsonl and eval/labels_dev.jsonl) by
eval/fit_named.py, with reading scores of models that had not seen the paper; the held-out
labels are never used to fit.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from .config import NamedTopic
from . import lexicon as lexmod
from . import reading as readmod
from .keywords import NEGATIVE, REQUIRED, STRONG, WEAK, Matcher, contribution_flags, split_sentences, words_of
from .models import Paper

LEXICON_CHUNK = 2000  # abstracts' term sets held at once
LEXICON_NEGATIVES = 20000  # most papers a lexicon is learned from that do not mention the topic

FEATURES = (
    "title", "title_weak", "sentences", "contribution", "first", "weak_sentences", "weak_contribution",
    "terms", "coverage", "negative_contribution", "lexicon", "reading", "closeness",
)
KEYWORD_FEATURES = len(FEATURES) - 3  # the ones read from keyword positions alone
# fitted by eval/fit_named.py on the tuning splits (see its output); order as FEATURES; the
# UNREAD ones score a topic without a reading model (their "reading" weight is 0)
WEIGHTS = np.array([1.24, 0.72, 0.74, 0.83, -0.70, 0.10, 0.57, 1.11, 0.36, -0.12, -0.01, 2.75, 0.88], dtype=np.float32)
BIAS = -3.67
UNREAD_WEIGHTS = np.array([0.68, 0.54, 0.94, 0.71, -0.39, 0.16, 0.53, 1.69, -0.18, -0.05, 0.90, 0.00, 1.78], dtype=np.float32)
UNREAD_BIAS = -5.58
# a paper whose title names something else (a negative keyword and no strong one: "... for LLM
# inference" for distributed training), or that has none of the required words, is not in the
# topic, whatever else it says: on the tuning labels 2 of 97 such (paper, topic) pairs were
# members, and 1 of 469 without a required word
EXCLUDED_SCORE = 0.05
CLOSENESS_CAP = 1.5


@dataclass(frozen=True)
class Evidence:
    features: tuple[float, ...]  # FEATURES but the last (closeness needs the whole corpus)
    terms: tuple[str, ...]  # the keywords found, most frequent first (title hits count 3)
    excluded: bool = False  # the title names something else, or no required word appears
    facet: str = ""  # the strong keyword in the title, if any (what the paper is clearly about)

    @property
    def clear(self) -> bool:
        """Clear keyword evidence: a seed of the topic's centroid."""
        return bool(clear_evidence(np.array([self.features], dtype=np.float32), np.array([self.excluded]))[0])


def clear_evidence(features: np.ndarray, excluded: np.ndarray) -> np.ndarray:
    """Per paper: a strong keyword in the title or the contribution sentence, or in two
    sentences, and not ruled out."""
    strong = (features[:, FEATURES.index("title")] > 0) | (features[:, FEATURES.index("contribution")] > 0)
    return (strong | (features[:, FEATURES.index("sentences")] >= 1.5)) & ~excluded


@dataclass(frozen=True)
class TopicEvidence:
    """Every paper's Evidence for one topic, held as arrays (a worker process hands it back:
    100,000 papers x 4 topics of Evidence objects would be slow to pickle and large)."""

    features: np.ndarray  # papers x (FEATURES - closeness), float32
    terms: list  # per paper: tuple of keywords found
    excluded: np.ndarray  # per paper: ruled out
    facets: list  # per paper: the strong keyword in its title, or ""
    read: bool = False  # the "reading" feature comes from a reading model

    @staticmethod
    def of(evidence: list[Evidence], width: int = len(FEATURES) - 1) -> "TopicEvidence":
        return TopicEvidence(
            np.array([e.features for e in evidence], dtype=np.float32).reshape(len(evidence), width),
            [e.terms for e in evidence], np.array([e.excluded for e in evidence], dtype=bool), [e.facet for e in evidence],
        )

    def __len__(self) -> int:
        return len(self.terms)

    def __getitem__(self, i: int) -> Evidence:
        return Evidence(tuple(self.features[i].tolist()), self.terms[i], bool(self.excluded[i]), self.facets[i])

    def __iter__(self):
        return (self[i] for i in range(len(self)))

    @property
    def clear(self) -> np.ndarray:
        """Per paper: clear keyword evidence (see clear_evidence)."""
        return clear_evidence(self.features, self.excluded)


def all_evidence(papers: list[Paper], topics, lexicons: list | None = None,
                 readings: list | None = None) -> tuple[list[TopicEvidence], list]:
    """Keyword, lexicon and reading evidence of every paper for every named topic (mostly pure
    Python, one pass over each text whatever the number of topics: run it beside the
    vectoriser), and the lexicons used: shipped ones, else learned from these papers, unless
    ``lexicons`` (the ones a fitted model used) are given. Reading models are the shipped ones
    unless ``readings`` are given."""
    from .vectorise import stop_words

    keyword = keyword_evidence(papers, topics)
    stop = stop_words()
    if lexicons is None:
        lexicons = [lexmod.shipped(t) or corpus_lexicon(papers, ev, stop) for t, ev in zip(topics, keyword)]
    if readings is None:
        readings = readmod.shipped(topics)
    lex = np.zeros((len(papers), len(topics)), dtype=np.float32)
    read = np.zeros((len(papers), len(topics)), dtype=np.float32)
    for start in range(0, len(papers), LEXICON_CHUNK):
        chunk = papers[start : start + LEXICON_CHUNK]
        abstracts = [lexmod.abstract_terms(p.abstract, stop) for p in chunk]
        lex[start : start + len(chunk)] = lexmod.scores(lexicons, abstracts)
        if any(readings):
            texts = [readmod.terms(p.title, p.abstract, stop, a) for a, p in zip(abstracts, chunk)]
            read[start : start + len(chunk)] = readmod.scores(readings, texts)
    out = [TopicEvidence(np.column_stack([ev.features, lex[:, k], read[:, k]]).astype(np.float32), ev.terms, ev.excluded,
                         ev.facets, readings[k] is not None)
           for k, ev in enumerate(keyword)]
    return out, lexicons


def keyword_evidence(papers: list[Paper], topics) -> list[TopicEvidence]:
    """Per topic: every paper's keyword features (no lexicon yet)."""
    matcher = Matcher(topics)
    has_required = [bool(t.required_keywords) for t in topics]
    per_paper = [paper_evidence(matcher, p, has_required) for p in papers]
    return [TopicEvidence.of([row[k] for row in per_paper], KEYWORD_FEATURES) for k in range(len(topics))]


def corpus_lexicon(papers: list[Paper], ev: TopicEvidence, stop, max_negatives: int | None = LEXICON_NEGATIVES) -> lexmod.Lexicon | None:
    """A lexicon learned from a corpus: papers with a strong keyword in the title against
    papers with no keyword at all (at most ``max_negatives`` of them, evenly spaced)."""
    f, excluded = ev.features, ev.excluded
    positive = (f[:, 0] > 0) & ~excluded
    negative = f[:, [0, 1, 2, 5]].sum(axis=1) == 0
    if positive.sum() < lexmod.MIN_POSITIVES:
        return None
    neg_rows = np.flatnonzero(negative)
    if max_negatives is not None and len(neg_rows) > max_negatives:
        keep = np.zeros(len(ev), bool)
        keep[neg_rows[np.linspace(0, len(neg_rows) - 1, max_negatives).astype(int)]] = True
        negative = keep
    rows = np.flatnonzero(positive | negative)
    terms = [lexmod.abstract_terms(papers[i].abstract, stop) for i in rows]
    return lexmod.fit(terms, positive[rows], negative[rows], facets=[ev.facets[i] for i in rows])


def topic_evidence(papers: list[Paper], topic: NamedTopic) -> "TopicEvidence":
    return all_evidence(papers, [topic])[0][0]


def paper_evidence(matcher: Matcher, paper: Paper, has_required: list[bool]) -> list[Evidence]:
    """Keyword features of ``paper`` for each topic (see FEATURES)."""
    n = matcher.n_topics
    sentences = [words_of(s) for s in split_sentences(paper.abstract)]
    title_kinds: list[set[int]] = [set() for _ in range(n)]
    counts: list[dict[str, int]] = [{} for _ in range(n)]
    facet = [""] * n
    for t, kind, term in matcher.scan(words_of(paper.title)):
        title_kinds[t].add(kind)
        if kind == STRONG and not facet[t]:
            facet[t] = term.lower()
        if kind in (STRONG, WEAK):
            counts[t][term] = counts[t].get(term, 0) + 3
    # per topic: sentences with strong / weak hits, and which of those state the contribution
    strong_in = [[] for _ in range(n)]
    weak_in = [[] for _ in range(n)]
    negative_in = [[] for _ in range(n)]
    required = [REQUIRED in title_kinds[t] for t in range(n)]
    for i, words in enumerate(sentences):
        for t, kind, term in matcher.scan(words):
            if kind == STRONG or kind == WEAK:
                (strong_in if kind == STRONG else weak_in)[t].append(i)
                counts[t][term] = counts[t].get(term, 0) + 1
            elif kind == NEGATIVE:
                negative_in[t].append(i)
            else:
                required[t] = True
    contrib: dict[int, bool] = {}

    def states(i: int) -> bool:
        if i not in contrib:
            contrib[i] = contribution_flags([sentences[i]])[0]
        return contrib[i]

    n_sent = max(len(sentences), 1)
    out = []
    for t in range(n):
        strong, weak = set(strong_in[t]), set(weak_in[t])
        features = (
            float(STRONG in title_kinds[t]),
            float(WEAK in title_kinds[t]),
            math.log2(1 + len(strong)),
            float(any(states(i) for i in strong)),
            float(0 in strong),
            math.log2(1 + len(weak)),
            float(any(states(i) for i in weak)),
            math.log2(1 + len(counts[t])),
            len(strong | weak) / n_sent,
            float(any(states(i) for i in set(negative_in[t]))),
        )
        excluded = (NEGATIVE in title_kinds[t] and STRONG not in title_kinds[t]) or (has_required[t] and not required[t])
        terms = tuple(sorted(counts[t], key=lambda k: (-counts[t][k], k))[:4])
        out.append(Evidence(features, terms, excluded, facet[t]))
    return out


@dataclass(frozen=True)
class Centre:
    """Where a topic's clear papers sit in LSA space: their centroid, and their median
    similarity to it (closeness 1 = as close as a typical clear paper)."""

    centroid: np.ndarray
    ref: float


@dataclass(frozen=True)
class NamedScores:
    slug: str
    score: np.ndarray  # n membership scores in 0-1
    evidence: TopicEvidence
    centre: Centre | None = None


def closeness_centre(lsa: np.ndarray, clear: np.ndarray) -> Centre | None:
    if clear.sum() < 2:
        return None
    centroid = lsa[clear].sum(axis=0)
    centroid = centroid / (np.linalg.norm(centroid) or 1.0)
    return Centre(centroid.astype(np.float32), float(np.median(lsa[clear] @ centroid)))


def closeness(lsa: np.ndarray, centre: Centre | None) -> np.ndarray:
    """LSA similarity of every paper to the topic's clear papers (see Centre), capped."""
    if centre is None:
        return np.zeros(len(lsa), dtype=np.float32)
    return np.clip((lsa @ centre.centroid) / (centre.ref or 1.0), 0.0, CLOSENESS_CAP).astype(np.float32)


def feature_matrix(ev: TopicEvidence, lsa: np.ndarray, centre: Centre | None = None) -> np.ndarray:
    """The FEATURES of each paper; the closeness centre is the clear papers' unless given."""
    if centre is None:
        centre = closeness_centre(lsa, ev.clear)
    return np.column_stack([ev.features, closeness(lsa, centre)])


def score_named(papers: list[Paper], lsa: np.ndarray, topic: NamedTopic, *, ev: TopicEvidence | None = None,
                centre: Centre | None = None, weights: np.ndarray | None = None, bias: float | None = None) -> NamedScores:
    """Membership scores (0-1) of every paper in one named topic. ``centre`` (a fitted model's)
    places new papers against the same clear papers; by default it comes from these papers."""
    ev = topic_evidence(papers, topic) if ev is None else ev
    if weights is None:
        weights, bias = (WEIGHTS, BIAS) if ev.read else (UNREAD_WEIGHTS, UNREAD_BIAS)
    if centre is None:
        centre = closeness_centre(lsa, ev.clear)
    z = feature_matrix(ev, lsa, centre) @ weights + bias
    score = 1.0 / (1.0 + np.exp(-z))
    score = np.where(ev.excluded, np.minimum(score, EXCLUDED_SCORE), score)
    return NamedScores(topic.slug, score.astype(np.float32), ev, centre)
