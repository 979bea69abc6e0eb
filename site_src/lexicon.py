"""Topic lexicons: how a topic's papers write their abstracts, learned from titles.

A named topic's keyword in a paper's *title* says clearly what the paper is about. A logistic
model over the words of the abstracts (unigrams and bigrams, present or not), trained to tell
such papers from papers that mention no keyword of the topic at all, learns the topic's wider
vocabulary ("eviction", "prefill", "decoding" next to "KV cache"). Its score on a paper's
abstract is one feature of named-topic membership (named.py): it separates a paper built around
the topic from one that names it in passing.

The four default topics come with lexicons learned from 51,000 papers of the shared corpora
(``lexicons.json``, made by eval/build_lexicons.py; no human label is used, and no labelled
paper is among them). A topic whose keywords differ from the ones a shipped lexicon was learned
with gets a lexicon learned from the site's own papers, when they hold enough clear examples.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

from .config import default_named_topics
from .vectorise import TOKEN_PATTERN

SHIPPED = Path(__file__).with_name("lexicons.json")
MIN_POSITIVES = 10
MIN_DF = 3
KEEP_TERMS = 2000
SCALE = 5.0  # scores are clipped to [-2, 2] after dividing by this
_TOKEN = re.compile(TOKEN_PATTERN)


@dataclass(frozen=True)
class Lexicon:
    weights: dict[str, float]
    bias: float
    papers: int  # how many papers it was learned from


def keywords_digest(topic) -> str:
    """Which keywords a lexicon was learned with (a lexicon is only valid for those)."""
    kinds = (topic.keywords, topic.weak_keywords, topic.negative_keywords, topic.required_keywords)
    return hashlib.sha256(repr(kinds).encode()).hexdigest()[:16]


def abstract_terms(abstract: str, stop: frozenset[str]) -> frozenset[str]:
    """The unigrams and bigrams (of adjacent non-stop words) of an abstract, as the vectoriser
    forms them."""
    words = [w for w in _TOKEN.findall(abstract.lower()) if w not in stop]
    return frozenset(words + [f"{a} {b}" for a, b in zip(words, words[1:])])


def fit(term_sets: list[frozenset[str]], positive: np.ndarray, negative: np.ndarray, *, facets: list[str] | None = None,
        c: float = 0.5, nb: bool = False, keep: int | None = KEEP_TERMS) -> Lexicon | None:
    """A lexicon from papers known to be on the topic (``positive``) and papers known not to
    be (``negative``); None when there are too few positives to learn from.

    ``facets`` names the keyword that makes each positive one (the one in its title). A facet
    weighs with the square root of its papers rather than their number, so a common one
    ("federated learning") does not drown the rarer ones ("pipeline parallelism", "ZeRO").

    ``nb``: scale each term by its naive-Bayes log-count ratio before the regression (Wang and
    Manning's NBSVM, 2012), so the fit starts from how much more often the term occurs on the
    topic than off it; the scale is folded into the returned weights.

    ``keep``: how many of the strongest terms to keep (None: all of them)."""
    from scipy import sparse
    from sklearn.linear_model import LogisticRegression

    rows = np.flatnonzero(positive | negative)
    if positive.sum() < MIN_POSITIVES or (negative & ~positive).sum() < MIN_POSITIVES:
        return None
    df: dict[str, int] = {}
    for i in rows:
        for term in term_sets[i]:
            df[term] = df.get(term, 0) + 1
    vocab = {t: j for j, t in enumerate(sorted(t for t, n in df.items() if n >= MIN_DF))}
    if not vocab:
        return None
    indptr, indices = [0], []
    for i in rows:
        indices.extend(sorted(vocab[t] for t in term_sets[i] if t in vocab))
        indptr.append(len(indices))
    x = sparse.csr_matrix((np.ones(len(indices), np.float32), indices, indptr), shape=(len(rows), len(vocab)))
    y = positive[rows]
    ratio = np.ones(len(vocab), np.float32)
    if nb:
        on = np.asarray(x[y].sum(axis=0)).ravel() + 1.0
        off = np.asarray(x[~y].sum(axis=0)).ravel() + 1.0
        ratio = np.log((on / on.sum()) / (off / off.sum())).astype(np.float32)
        x = x.multiply(ratio).tocsr()
    weight = np.where(y, 0.5 / y.sum(), 0.5 / (~y).sum())  # the two classes weigh the same
    if facets is not None:
        count: dict[str, int] = {}
        for i in rows[y]:
            count[facets[i]] = count.get(facets[i], 0) + 1
        share = np.array([count[facets[i]] ** -0.5 if pos else 0.0 for i, pos in zip(rows, y)])
        weight = np.where(y, share / share.sum() * 0.5, weight)
    model = LogisticRegression(C=c, max_iter=5000).fit(x, y, sample_weight=weight * len(rows))
    coef = model.coef_[0] * ratio
    names = np.array(sorted(vocab, key=vocab.get))
    kept = np.argsort(-np.abs(coef), kind="stable")[:keep]
    weights = {str(names[j]): round(float(coef[j]), 4) for j in sorted(kept) if coef[j] != 0}
    return Lexicon(weights, round(float(model.intercept_[0]), 4), len(rows))


def scores(lexicons: list[Lexicon | None], term_sets: list[frozenset[str]]) -> np.ndarray:
    """Each lexicon's log-odds for each abstract (papers x lexicons), scaled to about [-2, 2];
    0 where a topic has no lexicon."""
    from scipy import sparse

    vocab: dict[str, int] = {}
    for lex in lexicons:
        for term in (lex.weights if lex else ()):
            vocab.setdefault(term, len(vocab))
    out = np.zeros((len(term_sets), len(lexicons)), dtype=np.float32)
    if not vocab:
        return out
    indptr, indices = [0], []
    known = vocab.keys()
    for terms in term_sets:
        indices.extend(map(vocab.__getitem__, terms & known))
        indptr.append(len(indices))
    x = sparse.csr_matrix((np.ones(len(indices), np.float32), indices, indptr), shape=(len(term_sets), len(vocab)))
    w = np.zeros((len(vocab), len(lexicons)), dtype=np.float32)
    for k, lex in enumerate(lexicons):
        if lex is None:
            continue
        for term, weight in lex.weights.items():
            w[vocab[term], k] = weight
    raw = x @ w + np.array([lex.bias if lex else 0.0 for lex in lexicons], dtype=np.float32)
    raw[:, [lex is None for lex in lexicons]] = 0.0
    return (np.clip(raw, -2 * SCALE, 2 * SCALE) / SCALE).astype(np.float32)


@lru_cache(maxsize=4)
def load_shipped(path: Path) -> dict:
    """A shipped model file (lexicons or reading models); empty if missing or unreadable."""
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def default_slug(topic) -> str:
    """The slug the shipped models of a named topic are under: the default topic its
    ``reading`` names, else its own, else that of the default topic whose keywords it has (a
    default topic the config gave another slug keeps its models)."""
    defaults = default_named_topics()
    if topic.reading or any(d.slug == topic.slug for d in defaults):
        return topic.reading or topic.slug
    mine = keywords_digest(topic)
    return next((d.slug for d in defaults if keywords_digest(d) == mine), topic.slug)


def shipped(topic) -> Lexicon | None:
    """The lexicon shipped for this topic, if it was learned with the topic's keywords."""
    entry = load_shipped(SHIPPED).get(default_slug(topic))
    if not entry or entry.get("keywords") != keywords_digest(topic):
        return None
    return Lexicon(entry["weights"], entry["bias"], entry["papers"])
