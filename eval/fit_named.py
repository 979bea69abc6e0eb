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
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
import build_readings  # noqa: E402
import run_eval  # noqa: E402

from site_src import reading  # noqa: E402
from site_src.config import load_config  # noqa: E402
from site_src.named import FEATURES, all_evidence, feature_matrix  # noqa: E402
from site_src.vectorise import vectorise  # noqa: E402


THRESHOLD = 0.5  # the config's named_threshold, set in main()
TITLES: dict[str, list[str]] = {}
MISSED: dict[str, list[int]] = {}
TERMS: dict[str, list[tuple]] = {}
KEYS: dict[str, list[str]] = {}
UNCERTAIN: set[str] = set()  # titles of the papers drawn because the model was unsure of them
READING = FEATURES.index("reading")


def split_data(split: str, config, reading_scores: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """(features, labels, topic index, paper column) for every (paper, named topic) of a labelled
    split; ``reading_scores`` (topics x labelled papers, in the order of build_readings.labelled)
    are the reading feature, and the paper column is each row's column in them."""
    labels = run_eval.load_labels(run_eval.REPO / "eval" / f"labels_{split}.jsonl")
    papers = run_eval.split_papers(split, config)
    truth = {run_eval.norm(r["title"]): set(r["topics"]) for r in labels}
    UNCERTAIN.update(run_eval.norm(r["title"]) for r in labels if r.get("drawn") == "uncertain")
    keep_all = [i for i, p in enumerate(papers) if run_eval.norm(p.title) in truth]
    vec = vectorise([p.text for p in papers], max_features=config.topics.max_features, random_state=config.topics.random_state)
    evidence, _ = all_evidence(papers, config.named_topics, readings=[None] * len(config.named_topics))
    column = {i: c for c, i in enumerate(keep_all)}
    xs, ys, ts, cs = [], [], [], []
    for t, (topic, ev) in enumerate(zip(config.named_topics, evidence)):
        keep = [i for i in keep_all if not ev[i].excluded]  # ruled out before the model
        x = feature_matrix(ev, vec.lsa)
        x[keep_all, READING] = reading_scores[t]
        x = x[keep]
        xs.append(x)
        ys.append(np.array([topic.slug in truth[run_eval.norm(papers[i].title)] for i in keep]))
        ts.append(np.full(len(keep), t))
        cs.append(np.array([column[i] for i in keep], dtype=int))
        MISSED.setdefault(split, []).append([run_eval.norm(papers[i].title) for i in keep_all
                                             if ev[i].excluded and topic.slug in truth[run_eval.norm(papers[i].title)]])
        TITLES.setdefault(split, []).extend(papers[i].title for i in keep)
        TERMS.setdefault(split, []).extend(ev[i].terms for i in keep)
        KEYS.setdefault(split, []).extend(run_eval.norm(papers[i].title) for i in keep)
    return np.vstack(xs), np.concatenate(ys), np.concatenate(ts), np.concatenate(cs)


def f1_by_topic(model, x, y, t, n_topics, missed) -> list[float]:
    """F1 per topic; ``missed`` counts each topic's members ruled out before the model."""
    pred = model.predict_proba(x)[:, 1] >= THRESHOLD
    out = []
    for k in range(n_topics):
        m = t == k
        tp = int((pred[m] & y[m]).sum())
        fp = int((pred[m] & ~y[m]).sum())
        fn = int((~pred[m] & y[m]).sum()) + len(missed[k])
        out.append(2 * tp / (2 * tp + fp + fn) if tp + fp + fn else 1.0)
    return out


def cross_validate(x, y, t, keys, missed, c, slugs, folds=5, threshold=None, train=None, score=None) -> str:
    """Pooled F1 per topic over ``folds`` folds of papers; ``train`` and ``score``: masks of the
    rows that may be fitted on and that are scored (default all)."""
    from sklearn.linear_model import LogisticRegression

    fold = np.array([build_readings.fold_of(k, folds) for k in keys])
    train = np.ones(len(y), bool) if train is None else train
    score = np.ones(len(y), bool) if score is None else score
    scored = (lambda key: True) if score.all() else (lambda key: key not in UNCERTAIN)
    pred = np.zeros(len(y), bool)
    for f in range(folds):
        fit_rows = (fold != f) & train
        model = LogisticRegression(C=c, max_iter=5000).fit(x[fit_rows], y[fit_rows])
        pred[fold == f] = model.predict_proba(x[fold == f])[:, 1] >= (THRESHOLD if threshold is None else threshold)
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
    global THRESHOLD
    config = load_config(run_eval.REPO / "researchmap.toml")
    THRESHOLD = config.topics.named_threshold
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
        x = np.vstack([data[s][0] for s in splits])[:, cols]
        y = np.concatenate([data[s][1] for s in splits])
        return LogisticRegression(C=args.C, max_iter=5000).fit(x, y)

    def show(name, model, split, cols=every):
        x, y, t, _ = data[split]
        f = f1_by_topic(model, x[:, cols], y, t, len(slugs), MISSED[split])
        print(f"  {name:<28} on {split:<8} " + "  ".join(f"{s} {v:.2f}" for s, v in zip(slugs, f)))

    if args.cv:
        x = np.vstack([data[s][0] for s in ("seeds", "dev")])
        y = np.concatenate([data[s][1] for s in ("seeds", "dev")])
        t = np.concatenate([data[s][2] for s in ("seeds", "dev")])
        keys = KEYS["seeds"] + KEYS["dev"]
        missed = [a + b for a, b in zip(MISSED["seeds"], MISSED["dev"])]
        for thr in (0.25, 0.3, 0.35, 0.4, 0.5):
            for name, cols in (("", every), (" (without reading)", unread)):
                print(f"5-fold cross-validated F1 on seeds + dev, threshold {thr}{name}: "
                      f"{cross_validate(x[:, cols], y, t, keys, missed, args.C, slugs, threshold=thr)}")
        if UNCERTAIN:
            # the uncertainty draw is harder than a net draw: score the net-drawn papers alone,
            # fitted with and without the uncertainty draw (reading models too)
            net = np.array([k not in UNCERTAIN for k in keys])
            within = [np.array([k not in UNCERTAIN for k in d.keys]) for d in tuning]
            alt = dict(zip(build_readings.TUNING, build_readings.cross_scores(tuning, len(slugs), within=within)))
            x_alt = x.copy()
            x_alt[:, READING] = np.concatenate([alt[s][data[s][2], data[s][3]] for s in ("seeds", "dev")])
            for thr in (0.25, 0.3, 0.35, 0.4):
                print(f"5-fold CV F1 on the net-drawn papers, threshold {thr}: "
                      f"{cross_validate(x, y, t, keys, missed, args.C, slugs, threshold=thr, score=net)}"
                      f"\n{'':>45}without the uncertainty draw: "
                      f"{cross_validate(x_alt, y, t, keys, missed, args.C, slugs, threshold=thr, train=net, score=net)}")
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
            x, y, t, _ = data[split]
            prob = model.predict_proba(x)[:, 1]
            for j in np.flatnonzero((prob >= THRESHOLD) != y):
                f = " ".join(f"{n[:5]}={v:.1f}" for n, v in zip(FEATURES, x[j]) if v)
                print(f"{split:<5} {slugs[t[j]]:<10} {'FP' if prob[j] >= THRESHOLD else 'FN'} {prob[j]:.2f} {TITLES[split][j][:60]!r} "
                      f"{TERMS[split][j]} {f}")
    w = ", ".join(f"{v:.2f}" for v in model.coef_[0])
    print(f"\nWEIGHTS = np.array([{w}], dtype=np.float32)  # {', '.join(FEATURES)}")
    print(f"BIAS = {model.intercept_[0]:.2f}")
    u = ", ".join(f"{v:.2f}" for v in np.insert(model_unread.coef_[0], READING, 0.0))
    print(f"UNREAD_WEIGHTS = np.array([{u}], dtype=np.float32)")
    print(f"UNREAD_BIAS = {model_unread.intercept_[0]:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
