"""`make eval`: named-topic quality against papers labelled by reading them.

Three splits (labels in eval/, see GUIDELINES.md for what each topic means and how they were
made):
  seeds    every unique paper of the four seed dumps (content/papers/): tuning
  dev      3,573 papers from ../shared/corpora: tuning
  heldout  2,104 other papers from ../shared/corpora, never used for tuning
The corpus splits' abstracts are read from ../shared/corpora, which are not committed.

Each split is modelled on its own, the way a site built from those dumps would be, with the
project's config. Prints per-topic precision, recall and F1 at the configured random_state
with a 95 % bootstrap interval of F1 (how much the figure owes to which papers were drawn),
then the spread of F1 over five random states, F1 on each source's papers alone (Hugging Face
Daily Papers, the product's input, and arXiv), and F1 on the clear-cut papers alone (the ones no
reader found a close call: a diagnostic of where the errors sit).

The reading models (site_src/reading.py) are fitted on the labels of seeds + dev. So that no
split is scored by models that read its labels, the seeds are scored with reading models fitted
on dev alone (an unseen dump); dev, the tuning split, with the shipped ones (in-sample: it is
marked); the held-out split with the shipped ones, which never saw it.
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
import sys
import time
import unicodedata
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from site_src.config import load_config  # noqa: E402
from site_src.lockfile import Lock  # noqa: E402
from site_src.merge import merge_papers  # noqa: E402
from site_src.readers import cleaned, find_content, read_dump  # noqa: E402
from site_src.readers.latex import plain  # noqa: E402
from site_src.readers.records import record_to_paper  # noqa: E402
from site_src.topics import fit_topics  # noqa: E402

CORPORA = REPO.parent / "shared" / "corpora"
SEEDS = [0, 1, 2, 3, 4]


def norm(title: str) -> str:
    """A title as a key: a label file's titles and the papers' match, LaTeX printed or not
    ("D^{2}MoE", "D²MoE"; "Pok\\'emon", "Pokémon")."""
    return re.sub(r"[^a-z0-9]", "", unicodedata.normalize("NFKD", plain(title)).lower())


def load_labels(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.open(encoding="utf-8") if line.strip()]


def seed_papers(config) -> list:
    warnings: list = []
    content = REPO / "content"
    files = find_content(content, warnings)
    return merge_papers(r for path in files.dumps for r in read_dump(path, content, year=None, warnings=warnings))


def corpus_papers(labels: list[dict]) -> list:
    wanted = {row["arxiv_id"] for row in labels}
    records = []
    for name in ["hf_daily_papers_2024-05_2026-08.jsonl.gz", "arxiv_ml_nlp_2025-03_2026-07.jsonl.gz"]:
        path = CORPORA / name
        if not path.exists():
            sys.exit(f"the dev and held-out splits need {path} (the shared corpora beside the repo)")
        with gzip.open(path, "rt", encoding="utf-8") as fh:
            for line_no, line in enumerate(fh, 1):
                if '"arxiv_id"' not in line:
                    continue
                rec = json.loads(line)
                if rec.get("arxiv_id") in wanted:
                    wanted.discard(rec["arxiv_id"])
                    paper = record_to_paper(rec, name, line_no, [])
                    if paper:
                        records.append(cleaned(paper))  # as a build reads it
    return merge_papers(records)


_SPLIT_PAPERS: dict[str, list] = {}


def split_papers(split: str, config) -> list:
    """The papers a labelled split is modelled on (read once per process: the corpus splits
    scan the gzipped corpora)."""
    if split not in _SPLIT_PAPERS:
        labels = load_labels(REPO / "eval" / f"labels_{split}.jsonl")
        _SPLIT_PAPERS[split] = seed_papers(config) if split == "seeds" else corpus_papers(labels)
    return _SPLIT_PAPERS[split]


def predictions(papers, config, random_state: int, readings=None) -> dict[str, set[str]]:
    named = {t.slug for t in config.named_topics}
    result = fit_topics(papers, config, Lock(), random_state=random_state, readings=readings)
    return {p.title: {m.topic for m in result.model.memberships[p.id]} & named for p in papers}


def scores(labels: list[dict], predicted: dict[str, set[str]], slugs: list[str]) -> dict[str, tuple]:
    by_title = {norm(t): v for t, v in predicted.items()}
    out = {}
    for slug in slugs:
        tp = fp = fn = 0
        for row in labels:
            pred = by_title.get(norm(row["title"]))
            if pred is None:
                continue
            truth = slug in row["topics"]
            guess = slug in pred
            tp += truth and guess
            fp += guess and not truth
            fn += truth and not guess
        p = tp / (tp + fp) if tp + fp else 1.0
        r = tp / (tp + fn) if tp + fn else 1.0
        f = 2 * p * r / (p + r) if p + r else 0.0
        out[slug] = (p, r, f, tp + fn, tp, fp, fn)
    return out


def by_source(labels: list[dict], predicted: dict[str, set[str]], slugs: list[str]) -> dict[str, dict[str, tuple]]:
    """``scores`` on each source's papers alone (Hugging Face Daily Papers is what the product
    reads; the arXiv draws are harder), when a split mixes sources."""
    sources = sorted({r["source"] for r in labels if "source" in r})
    if len(sources) < 2:
        return {}
    return {source: scores([r for r in labels if r.get("source") == source], predicted, slugs) for source in sources}


def clear_cut(labels: list[dict], predicted: dict[str, set[str]], slugs: list[str]) -> tuple[int, dict[str, tuple]]:
    """``scores`` on the papers whose reading was not a close call (no reader marked it unsure
    and the two readings agreed; rows marked ``close`` are left out), and how many there are:
    says whether the errors sit on papers careful readers find borderline, which an
    independent reading may call either way. A diagnostic beside the full figures, never
    instead of them."""
    clear = [r for r in labels if not r.get("close")]
    return len(clear), scores(clear, predicted, slugs)


def f1_line(title: str, table: dict[str, tuple], slugs: list[str]) -> str:
    """One indented line of F1 (positives) per topic, for a part of a split."""
    return f"  {title:<24}" + "  ".join(f"{s} {table[s][2]:.2f} ({table[s][3]})" for s in slugs)


def interval(labels: list[dict], predicted: dict[str, set[str]], slug: str, draws: int = 1000) -> tuple[float, float]:
    """95 % bootstrap interval of one topic's F1 (papers resampled with replacement): with a few
    dozen positives one paper moves F1 by several points, and this says how far."""
    import numpy as np

    by_title = {norm(t): v for t, v in predicted.items()}
    rows = [(slug in r["topics"], slug in by_title[norm(r["title"])]) for r in labels if norm(r["title"]) in by_title]
    truth, guess = (np.array(x, bool) for x in zip(*rows))
    rng = np.random.default_rng(0)
    f1 = []
    for _ in range(draws):
        i = rng.integers(0, len(truth), len(truth))
        t, g = truth[i], guess[i]
        tp, wrong = int((t & g).sum()), int((t != g).sum())
        f1.append(2 * tp / (2 * tp + wrong) if tp + wrong else 1.0)
    return float(np.percentile(f1, 2.5)), float(np.percentile(f1, 97.5))


def second_reading(split: str, labels: list[dict], predicted: dict[str, set[str]], slugs: list[str]) -> list[str]:
    """Lines on how far careful readers agree, when ``labels_<split>_second.jsonl`` holds a
    second, independent reading of the split (fresh readers, the same guidelines, none of the
    labels or the model): that reading against the adjudicated labels is one reader's agreement
    with them, the ceiling a model trained on such readings can be held to; the model against
    that reading is how it fares with a reader it never learned from, as on an independent
    labelled set."""
    path = REPO / "eval" / f"labels_{split}_second.jsonl"
    if not path.exists():
        return []
    second = load_labels(path)
    read = {row["title"]: set(row["topics"]) for row in second}
    reread = {norm(row["title"]) for row in second}
    both = [row for row in labels if norm(row["title"]) in reread]
    return [f"  second reading of {len(both)} of {len(labels)} papers ({path.name}), F1 (positives):",
            f1_line("reader vs labels:", scores(both, read, slugs), slugs),
            f1_line("model vs reader:", scores(second, predicted, slugs), slugs)]


def errors(labels, predicted, slug):
    by_title = {norm(t): v for t, v in predicted.items()}
    for row in labels:
        pred = by_title.get(norm(row["title"]), set())
        truth, guess = slug in row["topics"], slug in pred
        if truth != guess:
            yield ("FN" if truth else "FP"), row["title"]


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--split", choices=["seeds", "dev", "heldout", "all"], default="all")
    ap.add_argument("--errors", action="store_true", help="list false positives and negatives (tuning splits only)")
    ap.add_argument("--no-spread", action="store_true", help="skip the five extra random states")
    args = ap.parse_args(argv)
    config = load_config(REPO / "researchmap.toml")
    slugs = [t.slug for t in config.named_topics]
    splits = ["seeds", "dev", "heldout"] if args.split == "all" else [args.split]
    worst = 1.0
    for split in splits:
        labels = load_labels(REPO / "eval" / f"labels_{split}.jsonl")
        t0 = time.perf_counter()
        papers = split_papers(split, config)
        matched = {norm(p.title) for p in papers}
        n_labelled = sum(norm(r["title"]) in matched for r in labels)
        readings, read_by = None, "shipped reading models (fitted on seeds + dev)"
        if split == "seeds":
            import build_readings

            dev = build_readings.labelled("dev", config, split_papers("dev", config))
            readings, read_by = build_readings.fit([dev], len(slugs)), "reading models fitted on dev alone"
        elif split == "dev":
            read_by += "; in-sample"
        base = predictions(papers, config, config.topics.random_state, readings)
        table = scores(labels, base, slugs)
        spread = {s: [] for s in slugs}
        for rs in [] if args.no_spread else SEEDS:
            for slug, row in scores(labels, predictions(papers, config, rs, readings), slugs).items():
                spread[slug].append(row[2])
        print(f"\n{split}: {len(papers)} papers modelled, {n_labelled} labelled "
              f"(random_state {config.topics.random_state}; {read_by}; {time.perf_counter() - t0:.1f} s)")
        print(f"{'topic':<22}{'pos':>5}{'P':>7}{'R':>7}{'F1':>7}  {'95% interval':>13}   "
              f"F1 over random_state {SEEDS[0]}..{SEEDS[-1]}: min / mean / max")
        for slug in slugs:
            p, r, f, pos, *_ = table[slug]
            fs = spread[slug]
            worst = min(worst, f)
            spread_text = f"{min(fs):.2f} / {sum(fs) / len(fs):.2f} / {max(fs):.2f}" if fs else "-"
            lo, hi = interval(labels, base, slug)
            print(f"{slug:<22}{pos:>5}{p:>7.2f}{r:>7.2f}{f:>7.2f}  {lo:>6.2f}-{hi:.2f}   {spread_text}")
        for source, part in by_source(labels, base, slugs).items():
            print(f1_line(f"{source} papers only:", part, slugs))
        n_clear, clear = clear_cut(labels, base, slugs)
        if n_clear < len(labels):
            print(f1_line("clear-cut papers only:", clear, slugs) + f"   ({n_clear} of {len(labels)}: the {len(labels) - n_clear} close calls left out)")
        for line in second_reading(split, labels, base, slugs):
            print(line)
        if args.errors and split != "heldout":
            for slug in slugs:
                for kind, title in errors(labels, base, slug):
                    print(f"  {slug:<20} {kind} {title}")
    print(f"\nlowest F1: {worst:.2f} (target >= 0.85)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
