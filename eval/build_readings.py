"""Fit the shipped reading models (site_src/readings.json) on the tuning labels.

Per named topic: the labelled papers of the tuning splits (seeds + dev) that the topic's keywords
do not rule out, on-topic or not as the readers said (site_src/reading.py says why). The
held-out split is never used. Also the helpers the evaluation uses to fit reading models on
some splits or folds and score others.

    .venv/bin/python eval/build_readings.py
"""

from __future__ import annotations

import json
import sys
import zlib
from dataclasses import dataclass
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
import run_eval  # noqa: E402

from site_src import reading  # noqa: E402
from site_src.config import load_config  # noqa: E402
from site_src.named import keyword_evidence  # noqa: E402
from site_src.vectorise import stop_words  # noqa: E402

TUNING = ("seeds", "dev")


@dataclass
class Labelled:
    """One split's labelled papers: their reading terms, and per topic whether the keywords rule
    each out and whether the readers put it in."""

    keys: list[str]  # normalised titles
    terms: list[frozenset[str]]
    excluded: np.ndarray  # topics x papers
    on_topic: np.ndarray  # topics x papers


def label_path(split: str) -> Path:
    return run_eval.REPO / "eval" / f"labels_{split}.jsonl"


def labelled(split: str, config, papers: list) -> Labelled:
    """``papers``: the split's papers (run_eval.split_papers)."""
    labels = run_eval.load_labels(label_path(split))
    truth = {run_eval.norm(r["title"]): set(r["topics"]) for r in labels}
    rows = [i for i, p in enumerate(papers) if run_eval.norm(p.title) in truth]
    ev = keyword_evidence([papers[i] for i in rows], config.named_topics)
    stop = stop_words()
    keys = [run_eval.norm(papers[i].title) for i in rows]
    return Labelled(
        keys, [reading.terms(papers[i].title, papers[i].abstract, stop) for i in rows],
        np.array([e.excluded for e in ev]).reshape(len(ev), len(rows)),
        np.array([[t.slug in truth[k] for k in keys] for t in config.named_topics]).reshape(len(ev), len(rows)),
    )


def fit(data: list[Labelled], n_topics: int, keep=None) -> list:
    """One reading model per topic from the papers of ``data`` (``keep``: per split, a mask of
    the papers to use)."""
    models = []
    for t in range(n_topics):
        terms, on = [], []
        for j, d in enumerate(data):
            use = ~d.excluded[t] & (True if keep is None else keep[j])
            terms += [d.terms[i] for i in np.flatnonzero(use)]
            on.append(d.on_topic[t][use])
        models.append(reading.fit(terms, np.concatenate(on)) if terms else None)
    return models


def fold_of(key: str, folds: int) -> int:
    """A paper's cross-validation fold, from its title (the same paper is in one fold for every
    topic and every run)."""
    return zlib.crc32(key.encode()) % folds


def cross_scores(data: list[Labelled], n_topics: int, folds: int = 5, within=None) -> list[np.ndarray]:
    """Per split: topics x papers reading scores, each from models fitted on the other folds
    (``within``: per split, a mask of the papers that may be used at all)."""
    out = [np.zeros((n_topics, len(d.keys)), np.float32) for d in data]
    fold = [np.array([fold_of(k, folds) for k in d.keys]) for d in data]
    for f in range(folds):
        keep = [(fo != f) & (True if within is None else w) for fo, w in zip(fold, within or [None] * len(data))]
        models = fit(data, n_topics, keep)
        for d, o, fo in zip(data, out, fold):
            o[:, fo == f] = reading.scores(models, [d.terms[i] for i in np.flatnonzero(fo == f)]).T
    return out


def main() -> int:
    config = load_config(run_eval.REPO / "researchmap.toml")
    data = [labelled(s, config, run_eval.split_papers(s, config)) for s in TUNING]
    models = fit(data, len(config.named_topics))
    out = {"labels": reading.labels_digest([label_path(s) for s in TUNING]), "c": [reading.C, reading.C_NB], "topics": {}}
    for topic, model in zip(config.named_topics, models):
        if model is None:
            print(f"{topic.slug}: too few labelled papers on or off the topic; no reading model")
            continue
        top = sorted(model.weights, key=model.weights.get, reverse=True)[:12]
        print(f"{topic.slug}: {len(model.weights)} terms from {model.papers} papers; strongest: {', '.join(top)}")
        out["topics"][topic.slug] = {"papers": model.papers, "bias": model.bias, "weights": dict(sorted(model.weights.items()))}
    reading.SHIPPED.write_text(json.dumps(out, ensure_ascii=False, sort_keys=True, separators=(",", ":")) + "\n", encoding="utf-8")
    print(f"-> {reading.SHIPPED} ({reading.SHIPPED.stat().st_size / 1e3:.0f} kB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
