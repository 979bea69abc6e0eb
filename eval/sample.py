"""Draw papers to label from ../shared/corpora (how eval/labels_dev.jsonl and
eval/labels_heldout.jsonl were sampled; kept so the draw can be repeated and checked).

The named topics are rare in a random sample of ML papers, so most of a split comes from a
deliberately *broad* net per topic (words far looser than the config's keywords: "cache",
"parallel", "expert", "adapter", ...), which brings in the topic's papers and many near misses;
the rest is drawn at random, to check what the nets miss. Labels are then made by reading
(GUIDELINES.md), never from these words. Papers already labelled in any split are skipped.

    python eval/sample.py --split dev --per-net 130 --random 120 --out /tmp/label-dev
writes batches of title + abstract (not committed: the corpora stay out of the repo).
"""

from __future__ import annotations

import argparse
import gzip
import json
import random
import re
import sys
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parent.parent
CORPORA = REPO.parent / "shared" / "corpora"
FILES = ["hf_daily_papers_2024-05_2026-08.jsonl.gz", "arxiv_ml_nlp_2025-03_2026-07.jsonl.gz"]
NETS = {
    "moe": r"expert|\bmoe|mixture|router|routing|gating",
    "kv-cache": r"\bkv\b|key-value|key value|cache|caching|prefix",
    "distributed-training": r"distributed|parallel|federated|communication|all-reduce|allreduce|\bgpus\b|cluster|"
    r"decentrali|multi-node|sharded|sharding|collective|straggler|fault",
    "peft": r"lora\b|adapter|parameter-efficient|parameter efficient|peft|prompt tuning|prefix tuning|low-rank|"
    r"fine-tun|finetun",
}
SPLIT_SEEDS = {"dev": 11, "test": 23, "dev-dt": 31, "test-dt": 37, "dev-dt2": 41, "final": 53, "final-dt": 59, "final2": 61,
               "dev-active": 67, "final3": 71, "final3-dt": 73, "final4": 79,
               "hf5": 83}
# Distributed training is rare on Hugging Face Daily Papers (a handful in 600 papers), so the
# "-dt" draws add papers from the arXiv corpus that are about parallel or distributed computing
# at all (cs.DC, or such words in the title), most of them not about training.
DT_TITLE = re.compile(r"distributed|parallel|federated|communication|decentrali|cluster|pipelin|asynchron|"
                      r"straggler|fault|collective|all-reduce|gpus|heterogeneous|scal", re.I)


def norm(title: str) -> str:
    return re.sub(r"[^a-z0-9]", "", title.lower())


def labelled() -> tuple[set[str], set[str]]:
    ids, titles = set(), set()
    for path in (REPO / "eval").glob("labels_*.jsonl"):
        for line in path.open(encoding="utf-8"):
            if line.strip():
                row = json.loads(line)
                ids.add(row.get("arxiv_id") or "")
                titles.add(norm(row["title"]))
    return ids, titles


def corpus() -> list[dict]:
    out, seen = [], set()
    for name in FILES:
        with gzip.open(CORPORA / name, "rt", encoding="utf-8") as fh:
            for line in fh:
                r = json.loads(line)
                if r["arxiv_id"] in seen or len(r.get("abstract") or "") < 200:
                    continue
                seen.add(r["arxiv_id"])
                out.append({"arxiv_id": r["arxiv_id"], "title": r["title"], "abstract": r["abstract"],
                            "source": "hf" if name.startswith("hf") else "arxiv",
                            "category": r.get("primary_category") or ""})
    return out


def draw(split: str, per_net: int, n_random: int, exclude: set[str], *, hf_only: bool = False,
         nets: list[str] | None = None) -> list[dict]:
    rng = random.Random(SPLIT_SEEDS[split])
    ids, titles = labelled()
    pool = [r for r in corpus() if r["arxiv_id"] not in ids | exclude and norm(r["title"]) not in titles
            and (r["source"] == "hf" or not hf_only)]
    rng.shuffle(pool)
    chosen: dict[str, dict] = {}
    if "-dt" in split:
        hits = [r for r in pool if r["category"] == "cs.DC" or DT_TITLE.search(r["title"])]
        rows = [{**r, "drawn_by": "dt-focus"} for r in hits[:per_net]]
        return rows
    for topic, net in NETS.items():
        if nets and topic not in nets:
            continue
        pattern = re.compile(net, re.I)
        hits = [r for r in pool if r["arxiv_id"] not in chosen and pattern.search(r["title"] + " " + r["abstract"])]
        for r in hits[:per_net]:
            chosen[r["arxiv_id"]] = {**r, "drawn_by": topic}
    rest = [r for r in pool if r["arxiv_id"] not in chosen]
    for r in rest[:n_random]:
        chosen[r["arxiv_id"]] = {**r, "drawn_by": "random"}
    rows = list(chosen.values())
    rng.shuffle(rows)  # annotators see the nets mixed with random papers
    return rows


def model_scores(rows: list[dict]) -> np.ndarray:
    """The shipped model's membership score (named topics x papers) of every row, the rows
    modelled together as one corpus."""
    sys.path.insert(0, str(REPO))
    from site_src.config import load_config
    from site_src.merge import merge_papers
    from site_src.named import all_evidence, score_named
    from site_src.readers.records import record_to_paper
    from site_src.vectorise import vectorise

    config = load_config(REPO / "researchmap.toml")
    papers = merge_papers(record_to_paper(r, "corpus", i, []) for i, r in enumerate(rows, 1))
    if len(papers) != len(rows):
        raise SystemExit("the pool has duplicates after merging; expected one paper per row")
    order = {norm(p.title): i for i, p in enumerate(papers)}
    lsa = vectorise([p.text for p in papers], max_features=config.topics.max_features, random_state=0).lsa
    evidences, _ = all_evidence(papers, config.named_topics)
    scores = np.array([score_named(papers, lsa, t, ev=ev).score for t, ev in zip(config.named_topics, evidences)])
    return scores[:, [order[norm(r["title"])] for r in rows]]


def draw_uncertain(split: str, per_topic: int, band: tuple[float, float]) -> list[dict]:
    """Active-learning draw for tuning: per named topic, papers the shipped model scores inside
    ``band`` (neither clearly in nor clearly out), where a reading teaches the models most.
    Never used for a held-out split: it is chosen by the model being measured."""
    rng = random.Random(SPLIT_SEEDS[split])
    ids, titles = labelled()
    seen: set[str] = set()
    pool = []
    for r in corpus():
        key = norm(r["title"])
        if r["arxiv_id"] not in ids and key not in titles and key not in seen:
            seen.add(key)
            pool.append(r)
    scores = model_scores(pool)
    chosen: dict[str, dict] = {}
    for t, topic in enumerate(NETS):
        band_rows = [pool[i] for i in np.flatnonzero((scores[t] >= band[0]) & (scores[t] <= band[1]))]
        rng.shuffle(band_rows)
        fresh = [r for r in band_rows if r["arxiv_id"] not in chosen]
        for r in fresh[:per_topic]:
            chosen[r["arxiv_id"]] = {**r, "drawn_by": f"uncertain-{topic}"}
    rows = sorted(chosen.values(), key=lambda r: r["arxiv_id"])
    rng.shuffle(rows)
    return rows


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--split", choices=sorted(SPLIT_SEEDS), required=True)
    ap.add_argument("--per-net", type=int, default=130, help="papers per net (the -dt splits: papers in all)")
    ap.add_argument("--random", type=int, default=120)
    ap.add_argument("--batch", type=int, default=60)
    ap.add_argument("--exclude", type=Path, help="a file of arxiv ids already drawn for another split")
    ap.add_argument("--hf-only", action="store_true", help="draw from the Hugging Face Daily Papers corpus only")
    ap.add_argument("--nets", nargs="+", choices=sorted(NETS), help="draw through these topics' nets only")
    ap.add_argument("--uncertain", type=int, metavar="N",
                    help="tuning only: N papers per topic that the shipped model scores inside --band")
    ap.add_argument("--band", type=float, nargs=2, default=(0.08, 0.75))
    ap.add_argument("--out", type=Path, required=True)
    args = ap.parse_args(argv)
    exclude = set(args.exclude.read_text().split()) if args.exclude else set()
    if args.uncertain:
        rows = draw_uncertain(args.split, args.uncertain, tuple(args.band))
    else:
        rows = draw(args.split, args.per_net, args.random, exclude, hf_only=args.hf_only, nets=args.nets)
    args.out.mkdir(parents=True, exist_ok=True)
    for b in range(0, len(rows), args.batch):
        with open(args.out / f"batch_{b // args.batch:02d}.jsonl", "w", encoding="utf-8") as fh:
            for r in rows[b : b + args.batch]:
                fh.write(json.dumps({k: r[k] for k in ("arxiv_id", "title", "abstract")}, ensure_ascii=False) + "\n")
    with open(args.out / "drawn.jsonl", "w", encoding="utf-8") as fh:
        for r in rows:
            fh.write(json.dumps({k: r[k] for k in ("arxiv_id", "title", "source", "drawn_by")}, ensure_ascii=False) + "\n")
    print(f"{len(rows)} papers in {args.out}: " + ", ".join(
        f"{t} {sum(r['drawn_by'] == t for r in rows)}"
        for t in [*NETS, *(f"uncertain-{t}" for t in NETS), "random", "dt-focus"]))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
