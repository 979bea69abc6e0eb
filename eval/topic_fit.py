"""`make eval`, second part: do the clustered topics' pages hold their papers, as readers see them?

Two readers judged papers shown on clustered topics' pages (eval/placements_*.jsonl; GUIDELINES.md
says how): each paper `fits` its topic, fits `elsewhere` (another topic of the map, better), or
fits `none` (it belongs under "Other papers"); and each topic's name, apt or not.
  seeds  every paper whose main topic is a clustered topic of the default site (content/ and
         its lock): 203 of the 236 on those pages (the rest are mainly in a named topic)
  hf     16 such papers per clustered topic of the 9,464-paper Hugging Face corpus fitted
         afresh (at the library's default outlier_similarity, meant for large corpora), 8 from
         the quarter that shares least vocabulary with its topic (the outlier candidates) and 8
         from the rest, leaving out the 3 central papers the readers were shown; each weighted
         by how many papers of its quarter it stands for
Each set is fitted again; a judgement counts while its paper is still on the topic that now
holds over half of its topic's judged papers (a change to the model re-cuts the clusters).

Prints, per set: the (weighted) shares of verdicts, the fitting one being page precision; the
names found apt; and what each `outlier_similarity` would do: papers sent to "Other papers",
page precision, fitting papers kept on their page, and `none` papers caught.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import random
import sys
from collections import Counter
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
import run_eval  # noqa: E402
from run_eval import REPO, seed_papers  # noqa: E402

from site_src.config import TopicSettings, load_config  # noqa: E402
from site_src.lockfile import Lock, read_lock  # noqa: E402
from site_src.merge import merge_papers  # noqa: E402
from site_src.readers import read_dump  # noqa: E402
from site_src.topics import OTHER, fit_topics, word_similarity  # noqa: E402
from site_src.vectorise import vectorise  # noqa: E402

HF = run_eval.CORPORA / "hf_daily_papers_2024-05_2026-08.jsonl.gz"
THRESHOLDS = (0.08, 0.10, 0.11, 0.12, 0.13, 0.14, 0.15, 0.16)
# the reading file: a topic is shown by its first TERMS terms and CORE most central papers,
# and an abstract by its first ABSTRACT characters (the readers judged 555 papers each)
TERMS, CORE, ABSTRACT = 8, 3, 450
DRAW_SEED = 7


def load(path: Path) -> tuple[list[dict], list[dict]]:
    """A placements file's topic lines and paper lines."""
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return [r for r in rows if "id" not in r], [r for r in rows if "id" in r]


def share(judged: dict, verdict: str) -> float:
    """How many of the readers gave the paper ``verdict`` (0, 0.5 or 1)."""
    return sum(v == verdict for v in judged["verdicts"]) / len(judged["verdicts"])


def current(judged: list[dict], topic_of: dict[str, str]) -> list[dict]:
    """The judgements still about the page they judged: the paper is on the clustered topic
    that now holds over half of its judged topic's papers."""
    votes: dict[str, Counter] = {}
    for j in judged:
        votes.setdefault(j["topic"], Counter())[topic_of.get(j["id"])] += 1
    home = {t: slug for t, c in votes.items() for slug, n in c.items() if slug and 2 * n > c.total()}
    return [j for j in judged if j["topic"] in home and topic_of.get(j["id"]) == home[j["topic"]]]


def curve(judged: list[dict], similarity: dict[str, float], thresholds=THRESHOLDS) -> list[tuple]:
    """Per threshold: (threshold, weighted share sent to Other, page precision, fitting papers
    kept, `none` papers caught)."""
    w = np.array([j["weight"] for j in judged], dtype=float)
    fit = w * np.array([share(j, "fits") for j in judged])  # weighted verdict shares
    none = w * np.array([share(j, "none") for j in judged])
    ws = np.array([similarity[j["id"]] for j in judged])
    out = []
    for t in thresholds:
        keep = ws >= t
        precision = fit[keep].sum() / max(w[keep].sum(), 1e-12)
        kept = fit[keep].sum() / max(fit.sum(), 1e-12)
        caught = none[~keep].sum() / max(none.sum(), 1e-12)
        out.append((t, w[~keep].sum() / w.sum(), precision, kept, caught))
    return out


def placements(papers, config, lock, result=None) -> tuple[dict[str, str], dict[str, float], dict[str, str], set[str]]:
    """Each paper's clustered topic before the outlier cut (if any) and its word similarity to
    that topic's other papers, as the cut measures it; each clustered topic's name; and the
    papers the cut sent to "Other papers"."""
    if result is None:
        result = fit_topics(papers, config, lock)
    names = {t.slug: t.name for t in result.model.topics if t.kind == "cluster"}
    topic_of = {}
    for pid, memberships in result.model.memberships.items():
        on = [m.topic for m in memberships if m.topic in names]
        if on:
            topic_of[pid] = on[0]
    st = result.state
    ids = list(st.paper_ids)
    # as the fit measured it, before the cut: a paper the cut took off its cluster back on it
    # (the lock records which)
    before = topic_of | {pid: slug for pid, slug in result.lock.outliers.items() if slug in names}
    sent = set(before) - set(topic_of)
    column = {slug: c for c, slug in enumerate(sorted(set(before.values())))}
    cluster_of = np.array([column[before[pid]] if pid in before else -1 for pid in ids])
    tfidf = st.vectors.tfidf
    if tfidf is None:  # a large fit keeps no TF-IDF rows: the same vectoriser gives them again
        tfidf = vectorise([p.text for p in papers], max_features=config.topics.max_features,
                          random_state=config.topics.random_state).tfidf
    sims = word_similarity(tfidf, cluster_of)
    return before, {pid: float(s) for pid, s in zip(ids, sims) if pid in before}, names, sent


def current_names(topics: list[dict], names: dict[str, str]) -> list[dict]:
    """The name judgements about a name some topic still has (a naming change leaves the old
    name's judgements behind, and a re-reading adds the new name's)."""
    return [t for t in topics if t["name"] in names.values()]


def report(name: str, what: str, path: Path, papers, config, lock) -> None:
    topics, judged = load(path)
    topic_of, similarity, names, sent = placements(papers, config, lock)
    now = current(judged, topic_of)
    shown = [j for j in now if j["id"] not in sent]  # still on their topic's page
    named = current_names(topics, names)
    print(f"\n{name}: {what}; {len(now)} of {len(judged)} judged placements current, "
          f"{len(now) - len(shown)} of them sent to Other papers at outlier_similarity {config.topics.outlier_similarity}")
    if not shown:
        return
    w = np.array([j["weight"] for j in shown])
    of = {v: float(w @ np.array([share(j, v) for j in shown]) / w.sum()) for v in ("fits", "elsewhere", "none")}
    apt = [ok for t in named for ok in t["name_ok"]]
    print(f"  fits its topic (page precision) {of['fits']:.3f}, another topic better {of['elsewhere']:.3f}, "
          f"none {of['none']:.3f}; names apt {sum(apt) / max(len(apt), 1):.2f} "
          f"({sum(apt)} of {len(apt)} readings of the {len(named)} names judged that still name a topic; "
          f"{len(names) - len(named)} names not judged)")
    print(f"  {'outlier_similarity':>18}  {'to Other':>8}  {'page precision':>14}  {'fits kept':>9}  {'none caught':>11}")
    for t, out, precision, kept, caught in curve(now, similarity):
        mark = " (configured)" if abs(t - config.topics.outlier_similarity) < 1e-9 else ""
        print(f"  {t:>18.2f}  {out:>8.3f}  {precision:>14.3f}  {kept:>9.3f}  {caught:>11.2f}{mark}")


def draw(papers, config, lock, per_topic: int, out: Path, judged: list[dict] | None = None) -> None:
    """The reading file the readers judged: every topic with its terms and three central
    papers, then per clustered topic its papers to judge (all of them, or ``per_topic``: half
    from the quarter with the lowest word similarity, half from the rest), shuffled; beside it
    (``out`` as .json) each drawn paper's topic and weight. With ``judged`` (a placements
    file's paper lines), only the topics none of whose judgements is current: a change of the
    model that re-cut some topics is read for those alone, and no topic is counted twice."""
    result = fit_topics(papers, config, lock)
    topic_of, similarity, _, _ = placements(papers, config, lock, result)
    done = {topic_of[j["id"]] for j in current(judged or [], topic_of)}
    st, by_id = result.state, {p.id: p for p in papers}
    row = {pid: i for i, pid in enumerate(st.paper_ids)}
    centre = {slug: st.centroids[c] for c, slug in st.cluster_topic.items()}
    rng = random.Random(DRAW_SEED)
    lines = ["# Topics of this research map", "", "Each topic with its key terms and three of its most central papers.", ""]
    members, core, drawn = {}, {}, []
    for t in result.model.topics:
        if t.slug == OTHER:
            continue
        lines.append(f"- **{t.name}** [{t.slug}] — terms: {', '.join(t.terms[:TERMS])}")
        if t.kind == "cluster" and t.slug not in done:
            members[t] = [pid for pid in st.paper_ids if result.model.memberships[pid][0].topic == t.slug]
            core[t] = sorted(members[t], key=lambda pid: -float(st.vectors.lsa[row[pid]] @ centre[t.slug]))[:CORE]
            lines += [f"    - core: {by_id[pid].title}" for pid in core[t]]
    lines.append("")
    for t, ids in members.items():
        pick, weight = list(ids), dict.fromkeys(ids, 1.0)
        if per_topic and len(ids) > per_topic:
            q = np.quantile([similarity[pid] for pid in ids], 0.25)
            pick = []
            for stratum, want in (([pid for pid in ids if similarity[pid] <= q], per_topic // 2),
                                  ([pid for pid in ids if similarity[pid] > q], per_topic - per_topic // 2)):
                chosen = rng.sample([pid for pid in stratum if pid not in core[t]], min(want, len(stratum)))
                weight.update(dict.fromkeys(chosen, round(len(stratum) / max(len(chosen), 1), 4)))
                pick += chosen
        rng.shuffle(pick)
        drawn += [{"id": pid, "topic": t.slug, "weight": weight[pid]} for pid in pick]
        lines += [f"## Topic: {t.name} [{t.slug}] ({len(ids)} papers; {len(pick)} to judge)", ""]
        for pid in pick:
            abstract = by_id[pid].abstract
            short = abstract[:ABSTRACT].rsplit(" ", 1)[0] + " ..." if len(abstract) > ABSTRACT else abstract
            lines += [f"### {pid}", f"Title: {by_id[pid].title}", f"Abstract: {short}", ""]
    out.write_text("\n".join(lines), encoding="utf-8")
    out.with_suffix(".json").write_text(json.dumps(drawn, indent=0), encoding="utf-8")


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--draw", choices=["seeds", "hf"], help="write the reading file of a set instead (to --out)")
    ap.add_argument("--out", type=Path, default=Path("placements.md"))
    ap.add_argument("--unjudged", action="store_true", help="with --draw: only the topics with no current judgement")
    args = ap.parse_args(argv)
    config = load_config(REPO / "researchmap.toml")
    for name in [args.draw] if args.draw else ["seeds", "hf"]:
        if name == "seeds":
            papers, lock, per_topic, what = seed_papers(config), read_lock(REPO / "content" / "topics.lock.json"), 0, "the default site"
        elif HF.exists():
            papers, lock, per_topic = merge_papers(read_dump(HF, HF.parent, year=None, warnings=[])), Lock(), 16
            what = "the Hugging Face corpus fitted afresh, weighted draw"
            # the library's default threshold, for large corpora (the default content sets its own)
            config = dataclasses.replace(config, topics=dataclasses.replace(config.topics, outlier_similarity=TopicSettings().outlier_similarity))
        else:
            print(f"\nhf: skipped, {HF} is absent (the shared corpora beside the repo)")
            continue
        if args.draw:
            draw(papers, config, lock, per_topic, args.out, load(REPO / "eval" / f"placements_{name}.jsonl")[1] if args.unjudged else None)
        else:
            report(name, what, REPO / "eval" / f"placements_{name}.jsonl", papers, config, lock)
    return 0


if __name__ == "__main__":
    sys.exit(main())
