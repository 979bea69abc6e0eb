"""Membership of the named topics: config keywords give evidence, a TF-IDF centroid seeded by
the papers with strong evidence generalises it.

A paper is in a named topic when the topic is what it is about, not when it mentions a term in
passing. Evidence is therefore weighted by *where* a keyword occurs: in the title, in the
sentence that states the contribution ("we propose ..."), or only somewhere in the abstract.
"""

from __future__ import annotations

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


def keyword_pattern(keywords: tuple[str, ...]) -> re.Pattern | None:
    """One regex for a list of phrases: '-' and ' ' interchangeable, plural 's' optional.

    A keyword written with two or more capitals (an acronym such as MoE or LoRA) matches
    case-sensitively, so that 'moe' in other words or languages does not count.
    """
    if not keywords:
        return None
    parts = []
    for kw in keywords:
        words = [re.escape(w) for w in re.split(r"[\s-]+", kw.strip()) if w]
        body = r"[\s-]?".join(words)
        acronym = len(words) == 1 and sum(c.isupper() for c in kw) >= 2
        parts.append(body + r"s?" if acronym else f"(?i:{body}s?)")
    return re.compile(r"(?<![\w-])(?:" + "|".join(parts) + r")(?![\w])")


@dataclass(frozen=True)
class Evidence:
    score: float
    terms: tuple[str, ...]


def evidence(
    paper: Paper, strong: re.Pattern, weak: re.Pattern | None, negative: re.Pattern | None = None, required: re.Pattern | None = None
) -> Evidence:
    """Keyword evidence that ``paper`` is about a topic, on a log scale of weighted hits."""
    score = 0.0
    found: dict[str, int] = {}

    def hits(pattern, text):
        return [m.group(0) for m in pattern.finditer(text)] if pattern else []

    sentences = _SENTENCE.split(paper.abstract)
    # a title that says the paper is about something else ("... for LLM inference") caps the
    # evidence below a seed's: only closeness to the topic's papers can then bring it in
    capped = negative is not None and bool(hits(negative, paper.title)) and not hits(strong, paper.title)
    capped = capped or (required is not None and not required.search(paper.text))
    if negative is not None and any(hits(negative, s) for s in sentences if _CONTRIB.search(s)):
        score -= 1.0

    for pattern, weight in ((strong, 1.0), (weak, 0.5)):
        t = hits(pattern, paper.title)
        score += 3.0 * weight * min(len(t), 1)
        for i, sentence in enumerate(sentences):
            h = hits(pattern, sentence)
            if not h:
                continue
            place = 2.0 if _CONTRIB.search(sentence) else 1.5 if i == 0 else 1.0
            score += weight * place * math.log2(1 + len(h))
            for term in h:
                found[term.lower()] = found.get(term.lower(), 0) + 1
        for term in t:
            found[term.lower()] = found.get(term.lower(), 0) + 3
    terms = tuple(sorted(found, key=lambda k: (-found[k], k))[:4])
    return Evidence(min(score, NEGATIVE_CAP) if capped else score, terms)


@dataclass(frozen=True)
class NamedScores:
    slug: str
    score: np.ndarray  # n membership scores in 0-1
    evidence: list[Evidence]


def score_named(
    papers: list[Paper], lsa: np.ndarray, topic: NamedTopic, *, strong_at: float = 3.0
) -> NamedScores:
    """Membership scores of every paper in one named topic.

    Papers with strong keyword evidence seed a centroid in LSA space; the score blends the
    evidence with similarity to that centroid, so a paper on the topic that uses other words
    can still join, and a passing mention alone stays below the threshold.
    """
    strong, weak = keyword_pattern(topic.keywords), keyword_pattern(topic.weak_keywords)
    negative, required = keyword_pattern(topic.negative_keywords), keyword_pattern(topic.required_keywords)
    ev = [evidence(p, strong, weak, negative, required) for p in papers]
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
    z = 1.1 * (e - strong_at) + 4.0 * (rel - 0.75)
    score = 1.0 / (1.0 + np.exp(-z))
    return NamedScores(topic.slug, score.astype(np.float32), ev)
