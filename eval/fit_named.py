"""Fit the named-topic weights (site_src/named.py WEIGHTS, BIAS) on the tuning labels.

One logistic model for all named topics: its features say where a topic's keywords appear and
how close the paper is to the topic's clear papers, never which topic it is, so the weights
carry to topics a user adds. Fitted on seeds + dev (pooled over the four topics), checked
across them (fit on one, score the other), and printed for pasting into named.py. The held-out
split is only scored with --heldout, never fitted on.

The "reading" feature of a tuning paper comes from reading models fitted on the other four
fifths of the tuning papers (build_readings.cross_scores), as a paper the shipped models have
not read would get it; the UNREAD weights are fitted without that feature. Cross-validation
folds are by paper, the same folds.

    .venv/bin/python eval/fit_named.py [--C 1.0] [--heldout]
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
import build_readings  # noqa: E402
import run_eval  # noqa: E402

from site_src import reading  # noqa: E402
from site_src.config import load_config  # noqa: E402
from site_src.named import FEATURES, all_evidence, feature_matrix  # noqa: E402
from site_src.vectorise import vectorise  # noqa: E402


READING = FEATURES.index("reading")


@dataclass
class Split:
    """Every (paper, named topic) row of a labelled split: features, label, topic index, the
    paper's column in the split's reading scores, and for reports its title, keywords found and
    normalised title; also, per topic, the members ruled out before the model, and the titles
    of the papers drawn because the model was unsure of them."""

    x: np.ndarray
    y: np.ndarray
    t: np.ndarray
    column: np.ndarray
    titles: list[str]
    terms: list[tuple]
    keys: list[str]
    missed: list[list[str]]
    uncertain: set[str]


def split_data(split: str, config, reading_scores: np.ndarray) -> Split:
    """A labelled split's rows; ``reading_scores`` (topics x labelled papers, in the order of
    build_readings.labelled) are the reading feature."""
    labels = run_eval.load_labels(run_eval.REPO / "eval" / f"labels_{split}.jsonl")
    papers = run_eval.split_papers(split, config)
    truth = {run_eval.norm(r["title"]): set(r["topics"]) for r in labels}
    uncertain = {run_eval.norm(r["title"]) for r in labels if r.get("drawn") == "uncertain"}
    keep_all = [i for i, p in enumerate(papers) if run_eval.norm(p.title) in truth]
    vec = vectorise([p.text for p in papers], max_features=config.topics.max_features, random_state=config.topics.random_state)
    evidence, _ = all_evidence(papers, config.named_topics, readings=[None] * len(config.named_topics))
    column = {i: c for c, i in enumerate(keep_all)}
    xs, ys, ts, cs = [], [], [], []
    titles, terms, keys, missed = [], [], [], []
    for t, (topic, ev) in enumerate(zip(config.named_topics, evidence)):
        keep = [i for i in keep_all if not ev[i].excluded]  # ruled out before the model
        x = feature_matrix(ev, vec.lsa)
        x[keep_all, READING] = reading_scores[t]
        xs.append(x[keep])
        ys.append(np.array([topic.slug in truth[run_eval.norm(papers[i].title)] for i in keep]))
        ts.append(np.full(len(keep), t))
        cs.append(np.array([column[i] for i in keep], dtype=int))
        missed.append([run_eval.norm(papers[i].title) for i in keep_all
                       if ev[i].excluded and topic.slug in truth[run_eval.norm(papers[i].title)]])
        titles.extend(papers[i].title for i in keep)
        terms.extend(ev[i].terms for i in keep)
        keys.extend(run_eval.norm(papers[i].title) for i in keep)
    return Split(np.vstack(xs), np.concatenate(ys), np.concatenate(ts), np.concatenate(cs), titles, terms, keys, missed, uncertain)


def f1_by_topic(model, x, y, t, n_topics, missed, threshold) -> list[float]:
    """F1 per topic; ``missed`` counts each topic's members ruled out before the model."""
    pred = model.predict_proba(x)[:, 1] >= threshold
    out = []
    for k in range(n_topics):
        m = t == k
        tp = int((pred[m] & y[m]).sum())
        fp = int((pred[m] & ~y[m]).sum())
        fn = int((~pred[m] & y[m]).sum()) + len(missed[k])
        out.append(2 * tp / (2 * tp + fp + fn) if tp + fp + fn else 1.0)
    return out


def cross_validate(x, y, t, keys, missed, c, slugs, threshold, folds=5, train=None, score=None, uncertain=frozenset()) -> str:
    """Pooled F1 per topic over ``folds`` folds of papers; ``train`` and ``score``: masks of the
    rows that may be fitted on and that are scored (default all; when not all are scored, the
    ruled-out members of ``uncertain`` papers are not counted either)."""
    from sklearn.linear_model import LogisticRegression

    fold = np.array([build_readings.fold_of(k, folds) for k in keys])
    train = np.ones(len(y), bool) if train is None else train
    score = np.ones(len(y), bool) if score is None else score
    scored = (lambda key: True) if score.all() else (lambda key: key not in uncertain)
    pred = np.zeros(len(y), bool)
    for f in range(folds):
        fit_rows = (fold != f) & train
        model = LogisticRegression(C=c, max_iter=5000).fit(x[fit_rows], y[fit_rows])
        pred[fold == f] = model.predict_proba(x[fold == f])[:, 1] >= threshold
    out = []
    for k, slug in enumerate(slugs):
        m = (t == k) & score
        tp, fp = int((pred[m] & y[m]).sum()), int((pred[m] & ~y[m]).sum())
        fn = int((~pred[m] & y[m]).sum()) + sum(scored(key) for key in missed[k])
        out.append(f"{slug} {2 * tp / (2 * tp + fp + fn):.3f}")
    return "  ".join(out)


def main(argv=None) -> int:
    from sklearn.linear_model import LogisticRegression

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--C", type=float, default=1.0, help="inverse L2 regularisation")
    ap.add_argument("--heldout", action="store_true", help="also score the held-out split (never fitted on)")
    ap.add_argument("--errors", action="store_true", help="list the tuning splits' errors with their features")
    ap.add_argument("--cv", action="store_true", help="5-fold cross-validated F1 on the tuning splits")
    args = ap.parse_args(argv)
    config = load_config(run_eval.REPO / "researchmap.toml")
    threshold = config.topics.named_threshold
    slugs = [t.slug for t in config.named_topics]
    tuning = [build_readings.labelled(s, config, run_eval.split_papers(s, config)) for s in build_readings.TUNING]
    reading_scores = dict(zip(build_readings.TUNING, build_readings.cross_scores(tuning, len(slugs))))
    if args.heldout:
        held = build_readings.labelled("heldout", config, run_eval.split_papers("heldout", config))
        reading_scores["heldout"] = reading.scores(build_readings.fit(tuning, len(slugs)), held.terms).T
    data = {s: split_data(s, config, reading_scores[s]) for s in reading_scores}
    every = list(range(len(FEATURES)))
    unread = [i for i in every if i != READING]

    def fit(*splits, cols=every):
        x = np.vstack([data[s].x for s in splits])[:, cols]
        y = np.concatenate([data[s].y for s in splits])
        return LogisticRegression(C=args.C, max_iter=5000).fit(x, y)

    def show(name, model, split, cols=every):
        d = data[split]
        f = f1_by_topic(model, d.x[:, cols], d.y, d.t, len(slugs), d.missed, threshold)
        print(f"  {name:<28} on {split:<8} " + "  ".join(f"{s} {v:.2f}" for s, v in zip(slugs, f)))

    if args.cv:
        both = [data[s] for s in build_readings.TUNING]
        x = np.vstack([d.x for d in both])
        y = np.concatenate([d.y for d in both])
        t = np.concatenate([d.t for d in both])
        keys = [k for d in both for k in d.keys]
        missed = [a + b for a, b in zip(*(d.missed for d in both))]
        uncertain = set().union(*(d.uncertain for d in both))
        for thr in (0.25, 0.3, 0.35, 0.4, 0.5):
            for name, cols in (("", every), (" (without reading)", unread)):
                print(f"5-fold cross-validated F1 on seeds + dev, threshold {thr}{name}: "
                      f"{cross_validate(x[:, cols], y, t, keys, missed, args.C, slugs, thr)}")
        if uncertain:
            # the uncertainty draw is harder than a net draw: score the net-drawn papers alone,
            # fitted with and without the uncertainty draw (reading models too)
            net = np.array([k not in uncertain for k in keys])
            within = [np.array([k not in uncertain for k in d.keys]) for d in tuning]
            alt = dict(zip(build_readings.TUNING, build_readings.cross_scores(tuning, len(slugs), within=within)))
            x_alt = x.copy()
            x_alt[:, READING] = np.concatenate([alt[s][data[s].t, data[s].column] for s in build_readings.TUNING])
            for thr in (0.25, 0.3, 0.35, 0.4):
                print(f"5-fold CV F1 on the net-drawn papers, threshold {thr}: "
                      f"{cross_validate(x, y, t, keys, missed, args.C, slugs, thr, score=net, uncertain=uncertain)}"
                      f"\n{'':>45}without the uncertainty draw: "
                      f"{cross_validate(x_alt, y, t, keys, missed, args.C, slugs, thr, train=net, score=net, uncertain=uncertain)}")
    print("cross-check (fit on one tuning split, score the other):")
    show("fit seeds", fit("seeds"), "dev")
    show("fit dev", fit("dev"), "seeds")
    model = fit("seeds", "dev")
    print("fit seeds + dev:")
    for split in data:
        show("", model, split)
    model_unread = fit("seeds", "dev", cols=unread)
    print("fit seeds + dev without the reading feature (a topic without a reading model):")
    for split in data:
        show("", model_unread, split, cols=unread)
    if args.errors:
        for split in ("seeds", "dev"):
            d = data[split]
            prob = model.predict_proba(d.x)[:, 1]
            for j in np.flatnonzero((prob >= threshold) != d.y):
                f = " ".join(f"{n[:5]}={v:.1f}" for n, v in zip(FEATURES, d.x[j]) if v)
                print(f"{split:<5} {slugs[d.t[j]]:<10} {'FP' if prob[j] >= threshold else 'FN'} {prob[j]:.2f} {d.titles[j][:60]!r} "
                      f"{d.terms[j]} {f}")
    w = ", ".join(f"{v:.2f}" for v in model.coef_[0])
    print(f"\nWEIGHTS = np.array([{w}], dtype=np.float32)  # {', '.join(FEATURES)}")
    print(f"BIAS = {model.intercept_[0]:.2f}")
    u = ", ".join(f"{v:.2f}" for v in np.insert(model_unread.coef_[0], READING, 0.0))
    print(f"UNREAD_WEIGHTS = np.array([{u}], dtype=np.float32)")
    print(f"UNREAD_BIAS = {model_unread.intercept_[0]:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
