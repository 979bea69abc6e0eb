"""Learn the shipped topic lexicons (site_src/lexicons.json) from ../shared/corpora.

For each named topic of the config (the four defaults, site_src/named_topics.toml): papers with a strong keyword in the title are the
topic's examples, papers with no keyword at all the counter-examples (site_src/lexicon.py says
why). No human label is used, and every paper of the labelled splits (seeds, dev, held-out) is
left out, so the evaluation stays clean.

    .venv/bin/python eval/build_lexicons.py
"""

from __future__ import annotations

import gzip
import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import run_eval  # noqa: E402

from site_src.config import load_config  # noqa: E402
from site_src.lexicon import SHIPPED, keywords_digest  # noqa: E402
from site_src.merge import merge_papers  # noqa: E402
from site_src.named import corpus_lexicon, keyword_evidence  # noqa: E402
from site_src.readers.records import record_to_paper  # noqa: E402
from site_src.vectorise import stop_words  # noqa: E402

FILES = ["hf_daily_papers_2024-05_2026-08.jsonl.gz", "arxiv_ml_nlp_2025-03_2026-07.jsonl.gz"]


def unlabelled_papers() -> list:
    ids, titles = set(), set()
    for split in ("seeds", "dev", "heldout"):
        for row in run_eval.load_labels(run_eval.REPO / "eval" / f"labels_{split}.jsonl"):
            ids.add(row.get("arxiv_id"))
            titles.add(run_eval.norm(row["title"]))
    records = []
    for name in FILES:
        with gzip.open(run_eval.CORPORA / name, "rt", encoding="utf-8") as fh:
            for line_no, line in enumerate(fh, 1):
                rec = json.loads(line)
                if rec.get("arxiv_id") in ids or run_eval.norm(rec.get("title", "")) in titles:
                    continue
                paper = record_to_paper(rec, name, line_no, [])
                if paper:
                    records.append(paper)
    return merge_papers(records)


def main() -> int:
    t0 = time.perf_counter()
    config = load_config(run_eval.REPO / "researchmap.toml")
    papers = unlabelled_papers()
    keyword = keyword_evidence(papers, config.named_topics)
    stop = stop_words()
    out = {}
    for k, topic in enumerate(config.named_topics):
        lex = corpus_lexicon(papers, keyword[k], stop, max_negatives=None)
        if lex is None:
            print(f"{topic.slug}: too few papers with the topic in the title; no lexicon")
            continue
        top = sorted(lex.weights, key=lex.weights.get, reverse=True)[:12]
        print(f"{topic.slug}: {len(lex.weights)} terms from {lex.papers} papers; strongest: {', '.join(top)}")
        out[topic.slug] = {"keywords": keywords_digest(topic), "papers": lex.papers, "bias": lex.bias,
                           "weights": dict(sorted(lex.weights.items()))}
    SHIPPED.write_text(json.dumps(out, ensure_ascii=False, sort_keys=True, separators=(",", ":")) + "\n", encoding="utf-8")
    print(f"{len(papers)} papers -> {SHIPPED} ({SHIPPED.stat().st_size / 1e3:.0f} kB) in {time.perf_counter() - t0:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
