"""Membership of the named topics: config keywords give evidence, a TF-IDF centroid seeded by
the papers with strong evidence generalises it.

A paper is in a named topic when the topic is what it is about, not when it mentions a term in
passing. Evidence is therefore weighted by *where* a keyword occurs: in the title, in the
sentence that states the contribution ("we propose ..."), or only somewhere in the abstract.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from .config import NamedTopic
from .keywords import NEGATIVE, REQUIRED, STRONG, WEAK, Matcher, contribution_flags, split_sentences, words_of
from .models import Paper

NEGATIVE_CAP = 1.5
TITLE_WEIGHT = 3.0
PLACE_WEIGHT = {"contrib": 2.0, "first": 1.5, "other": 1.0}
KIND_WEIGHT = {STRONG: 1.0, WEAK: 0.5}


@dataclass(frozen=True)
class Evidence:
    score: float
    terms: tuple[str, ...]


def all_evidence(papers: list[Paper], topics) -> list[list[Evidence]]:
    """Keyword evidence of every paper for every named topic (pure Python, one pass over each
    text whatever the number of topics: run it beside the vectoriser)."""
    matcher = Matcher(topics)
    out: list[list[Evidence]] = [[] for _ in topics]
    has_required = [bool(t.required_keywords) for t in topics]
    for p in papers:
        for t, ev in enumerate(paper_evidence(matcher, p, has_required)):
            out[t].append(ev)
    return out


def topic_evidence(papers: list[Paper], topic: NamedTopic) -> list[Evidence]:
    return all_evidence(papers, [topic])[0]


def paper_evidence(matcher: Matcher, paper: Paper, has_required: list[bool]) -> list[Evidence]:
    """Evidence that ``paper`` is about each topic, on a log scale of weighted keyword hits.

    Hits are weighted by place: the title, the sentence stating the contribution ("we
    propose ..."), the first sentence, elsewhere; several hits in one sentence count less than
    hits spread over several. A title about something else (a negative keyword, e.g.
    "inference" for distributed training, without a strong one) or the absence of every
    required keyword caps the evidence below a seed's; a negative keyword in the contribution
    sentence counts against it.
    """
    n = matcher.n_topics
    title = matcher.scan(words_of(paper.title))
    sentences = [words_of(s) for s in split_sentences(paper.abstract)]
    body = [matcher.scan(words) for words in sentences]
    contrib: dict[int, bool] = {}
    score = [0.0] * n
    counts: list[dict[str, int]] = [{} for _ in range(n)]
    title_kinds = [set() for _ in range(n)]
    for t, kind, term in title:
        title_kinds[t].add(kind)
        if kind in KIND_WEIGHT:
            counts[t][term] = counts[t].get(term, 0) + 3
    for t in range(n):
        for kind, w in KIND_WEIGHT.items():
            if kind in title_kinds[t]:
                score[t] += TITLE_WEIGHT * w
    required = [REQUIRED in title_kinds[t] for t in range(n)]
    negative_contrib = [False] * n
    for i, hits in enumerate(body):
        if not hits:
            continue
        if i not in contrib:
            contrib[i] = contribution_flags([sentences[i]])[0]
        place = PLACE_WEIGHT["contrib"] if contrib[i] else PLACE_WEIGHT["first"] if i == 0 else PLACE_WEIGHT["other"]
        per: dict[tuple[int, int], int] = {}
        for t, kind, term in hits:
            per[(t, kind)] = per.get((t, kind), 0) + 1
            if kind in KIND_WEIGHT:
                counts[t][term] = counts[t].get(term, 0) + 1
            elif kind == REQUIRED:
                required[t] = True
            elif kind == NEGATIVE and contrib[i]:
                negative_contrib[t] = True
        for (t, kind), c in per.items():
            if kind in KIND_WEIGHT:
                score[t] += KIND_WEIGHT[kind] * place * math.log2(1 + c)
    out = []
    for t in range(n):
        s = score[t] - (1.0 if negative_contrib[t] else 0.0)
        capped = (NEGATIVE in title_kinds[t] and STRONG not in title_kinds[t]) or (has_required[t] and not required[t])
        terms = tuple(sorted(counts[t], key=lambda k: (-counts[t][k], k))[:4])
        out.append(Evidence(min(s, NEGATIVE_CAP) if capped else s, terms))
    return out


@dataclass(frozen=True)
class NamedScores:
    slug: str
    score: np.ndarray  # n membership scores in 0-1
    evidence: list[Evidence]


def score_named(
    papers: list[Paper], lsa: np.ndarray, topic: NamedTopic, *, strong_at: float = 3.0, ev: list[Evidence] | None = None
) -> NamedScores:
    """Membership scores of every paper in one named topic.

    Papers with strong keyword evidence seed a centroid in LSA space; the score blends the
    evidence with similarity to that centroid, so a paper on the topic that uses other words
    can still join, and a passing mention alone stays below the threshold.
    """
    ev = topic_evidence(papers, topic) if ev is None else ev
    e = np.array([x.score for x in ev], dtype=np.float32)
    seeds = e >= strong_at
    if seeds.sum() >= 2:
        centroid = (lsa[seeds] * e[seeds, None]).sum(axis=0)
        centroid /= np.linalg.norm(centroid) or 1.0
        sim = lsa @ centroid
        # calibrate similarity against the seed papers themselves
        ref = float(np.median(sim[seeds]))
        rel = np.clip(sim / (ref or 1.0), 0.0, 1.5)
    else:
        rel = np.zeros(len(papers), dtype=np.float32)
    z = 1.1 * (e - strong_at) + 5.0 * (rel - 0.85)
    score = 1.0 / (1.0 + np.exp(-z))
    return NamedScores(topic.slug, score.astype(np.float32), ev)
