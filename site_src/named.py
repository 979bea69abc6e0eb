"""Membership of the named topics: config keywords give evidence, a TF-IDF centroid seeded by
the papers with strong evidence generalises it.

A paper is in a named topic when the topic is what it is about, not when it mentions a term in
passing. Evidence is therefore weighted by *where* a keyword occurs: in the title, in the
sentence that states the contribution ("we propose ..."), or only somewhere in the abstract.
"""

from __future__ import annotations

import bisect
import math
import re
from dataclasses import dataclass

import numpy as np

from .config import NamedTopic
from .models import Paper

_CONTRIB = re.compile(
    r"\b(we|this (paper|work)|our|here)\b.{0,40}?\b(propose|introduce|present|develop|design|"
    r"study|investigate|analy[sz]e|explore|build|describe|offer|focus|tackle|address)",
    re.I,
)
NEGATIVE_CAP = 1.5
_SENTENCE = re.compile(r"(?<=[.!?])\s+(?=[A-Z(])")


class Keywords:
    """A compiled keyword list with a cheap literal pre-check (most papers mention none)."""

    def __init__(self, pattern: re.Pattern, stems: tuple[str, ...]):
        self.pattern = pattern
        self.stems = stems

    def _maybe(self, text: str) -> bool:
        low = text.lower()
        return any(s in low for s in self.stems)

    def finditer(self, text: str):
        return self.pattern.finditer(text) if self._maybe(text) else iter(())

    def search(self, text: str):
        return self.pattern.search(text) if self._maybe(text) else None


def keyword_pattern(keywords: tuple[str, ...]) -> Keywords | None:
    """One regex for a list of phrases: '-' and ' ' interchangeable, plural 's' optional.

    A keyword written with two or more capitals (an acronym such as MoE or LoRA) matches
    case-sensitively, so that 'moe' in other words or languages does not count.
    """
    if not keywords:
        return None
    parts, stems = [], set()
    for kw in keywords:
        words = [w for w in re.split(r"[\s-]+", kw.strip()) if w]
        body = r"[\s-]?".join(re.escape(w) for w in words)
        acronym = len(words) == 1 and sum(c.isupper() for c in kw) >= 2
        parts.append(body + r"s?" if acronym else f"(?i:{body}s?)")
        stems.add(words[0].lower())
    return Keywords(re.compile(r"(?<![\w-])(?:" + "|".join(parts) + r")(?![\w])"), tuple(sorted(stems)))


@dataclass(frozen=True)
class Evidence:
    score: float
    terms: tuple[str, ...]


def sentence_structure(abstract: str) -> tuple[list[int], list[bool]]:
    """Start offset of each sentence, and whether it states the paper's contribution."""
    starts = [0] + [m.end() for m in _SENTENCE.finditer(abstract)]
    ends = starts[1:] + [len(abstract)]
    return starts, [bool(_CONTRIB.search(abstract[a:b])) for a, b in zip(starts, ends)]


def evidence(
    paper: Paper, strong: re.Pattern, weak: re.Pattern | None, negative: re.Pattern | None = None,
    required: re.Pattern | None = None, structure=None,
) -> Evidence:
    """Keyword evidence that ``paper`` is about a topic, on a log scale of weighted hits.

    Each pattern scans the abstract once; hits are placed in sentences by offset, and the
    sentence structure is computed only for papers with hits (``structure`` may pass it in).
    """
    abstract = paper.abstract
    found: dict[str, int] = {}
    score = 0.0
    shape = structure

    def where(pos: int) -> tuple[int, bool]:
        nonlocal shape
        if shape is None:
            shape = sentence_structure(abstract)
        i = bisect.bisect_right(shape[0], pos) - 1
        return i, shape[1][i]

    # a title that says the paper is about something else ("... for LLM inference") caps the
    # evidence below a seed's: only closeness to the topic's papers can then bring it in
    capped = negative is not None and bool(negative.search(paper.title)) and not strong.search(paper.title)
    capped = capped or (required is not None and not (required.search(paper.title) or required.search(abstract)))
    if negative is not None and any(where(m.start())[1] for m in negative.finditer(abstract)):
        score -= 1.0

    for pattern, weight in ((strong, 1.0), (weak, 0.5)):
        if pattern is None:
            continue
        t = [m.group(0) for m in pattern.finditer(paper.title)]
        score += 3.0 * weight * min(len(t), 1)
        per_sentence: dict[int, int] = {}
        contrib: dict[int, bool] = {}
        for m in pattern.finditer(abstract):
            i, is_contrib = where(m.start())
            per_sentence[i] = per_sentence.get(i, 0) + 1
            contrib[i] = is_contrib
            term = m.group(0).lower()
            found[term] = found.get(term, 0) + 1
        for i, count in per_sentence.items():
            place = 2.0 if contrib[i] else 1.5 if i == 0 else 1.0
            score += weight * place * math.log2(1 + count)
        for term in t:
            found[term.lower()] = found.get(term.lower(), 0) + 3
    terms = tuple(sorted(found, key=lambda k: (-found[k], k))[:4])
    return Evidence(min(score, NEGATIVE_CAP) if capped else score, terms)


@dataclass(frozen=True)
class NamedScores:
    slug: str
    score: np.ndarray  # n membership scores in 0-1
    evidence: list[Evidence]


def topic_evidence(papers: list[Paper], topic: NamedTopic) -> list[Evidence]:
    strong, weak = keyword_pattern(topic.keywords), keyword_pattern(topic.weak_keywords)
    negative, required = keyword_pattern(topic.negative_keywords), keyword_pattern(topic.required_keywords)
    return [evidence(p, strong, weak, negative, required) for p in papers]


def all_evidence(papers: list[Paper], topics) -> list[list[Evidence]]:
    """Keyword evidence for every named topic (pure Python: run it beside the vectoriser)."""
    return [topic_evidence(papers, t) for t in topics]


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
