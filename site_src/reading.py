"""Reading models: what careful readers called on-topic, learned from their labels.

The lexicons (lexicon.py) learn a topic's vocabulary without labels, from titles; they cannot
learn the line a reader draws between a paper *about* the KV cache and one that names it as a
benefit or a motivation, since every paper on either side of that line uses the vocabulary. A
reading model is the same kind of model (logistic, over the unigrams and bigrams of title and
abstract) fitted on papers labelled by reading them (eval/labels_*.jsonl; eval/GUIDELINES.md
says what each topic means), most of which name the topic: it learns that line. Its score is one
more membership feature (named.py), next to where the keywords are and the lexicon.

The four default topics ship with reading models (``readings.json``, made by
eval/build_readings.py from the tuning labels, never the held-out ones), keyed by the default
topic's slug (lexicon.default_slug): they model what the topic means, not its keyword list. A
topic without one is scored by weights fitted without this feature.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import numpy as np

from . import lexicon as lexmod

SHIPPED = Path(__file__).with_name("readings.json")
# inverse L2 regularisation of the plain and the naive-Bayes-scaled fit, chosen by
# cross-validation (eval/fit_named.py --cv)
C, C_NB = 0.5, 0.3


def terms(title: str, abstract: str, stop: frozenset[str], abstract_terms: frozenset[str] | None = None) -> frozenset[str]:
    """What a reading model reads: the terms of the title and of the abstract (``abstract_terms``
    when they are already known)."""
    if abstract_terms is None:
        abstract_terms = lexmod.abstract_terms(abstract, stop)
    return lexmod.abstract_terms(title, stop) | abstract_terms


def fit(term_sets: list[frozenset[str]], on_topic: np.ndarray) -> lexmod.Lexicon | None:
    """A reading model from labelled papers: ``on_topic`` per paper. None with too few of
    either kind to learn from.

    The average of two logistic fits over the same terms, one plain and one naive-Bayes scaled
    (lexicon.fit): with a hundred-odd positives per topic either fit alone swings with the
    papers it sees. In cross-validation the scaled fit alone gained on KV cache and lost on
    PEFT; the average (itself one linear model over the terms) kept the gains without the
    loss. Each fit keeps every term and only the average is trimmed to the strongest ones (a
    term trimmed from one fit first would be averaged with 0)."""
    on_topic = np.asarray(on_topic, bool)
    plain = lexmod.fit(term_sets, on_topic, ~on_topic, c=C, keep=None)
    scaled = lexmod.fit(term_sets, on_topic, ~on_topic, c=C_NB, nb=True, keep=None)
    if plain is None or scaled is None:
        return None
    terms = set(plain.weights) | set(scaled.weights)
    mean = {t: (plain.weights.get(t, 0.0) + scaled.weights.get(t, 0.0)) / 2 for t in terms}
    keep = sorted(sorted(mean), key=lambda t: -abs(mean[t]))[: lexmod.KEEP_TERMS]
    return lexmod.Lexicon({t: round(mean[t], 4) for t in sorted(keep)}, round((plain.bias + scaled.bias) / 2, 4), plain.papers)


def scores(models: list, term_sets: list[frozenset[str]]) -> np.ndarray:
    """Each model's score (about -2 to 2) for each paper (papers x models); 0 without a model."""
    return lexmod.scores(models, term_sets)


def labels_digest(paths: list[Path]) -> str:
    """Which label files a set of reading models was fitted on."""
    h = hashlib.sha256()
    for path in paths:
        h.update(path.read_bytes())
    return h.hexdigest()[:16]


def shipped(topics) -> list:
    """The shipped reading model of each topic (None for a slug without one)."""
    models = lexmod.load_shipped(SHIPPED).get("topics", {})
    return [lexmod.Lexicon(m["weights"], m["bias"], m["papers"]) if (m := models.get(lexmod.default_slug(t))) else None for t in topics]
