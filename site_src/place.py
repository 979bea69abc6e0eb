"""Place new papers into a fitted topic model, without fitting it again.

When a dump is added to a large site, the topics stay what they were: each new paper is
vectorised in the fit's space, scored for the named topics against the same clear papers and
lexicons, assigned to the nearest cluster exactly as the fit assigned its own papers, put on
the map by its topic's projection, and given similar papers; an older paper's similar papers
change only where a new paper is closer than its current ones. Topic names, terms, cohesion
and slugs stay those of the fit; sizes count the new papers.

The fit is always the one of the dumps the lock file lists as fitted, and the new papers are
always placed all at once, so the result depends only on the content and the lock, not on the
order in which dumps arrived (build.py refits once the new papers are too many).
"""

from __future__ import annotations

import dataclasses

import numpy as np

from .config import SiteConfig
from .layout import place_points
from .lockfile import LockedTopic, paper_ids
from .models import Membership, ModelResult, Paper, TopicModel
from .named import all_evidence, score_named
from .naming import named_in
from .termforms import paper_terms
from .topics import EVIDENCE_TERMS, OTHER, WHY_TERMS, assign_clusters, shared_terms
from .vectorise import transform

CHUNK = 500  # new papers compared with the whole site at once


def _word_similarity(tfidf_new, cluster_of: np.ndarray, cluster_terms: dict) -> np.ndarray:
    """topics.word_similarity for papers the fit did not hold: the TF-IDF cosine of each (its
    row is unit length) with its cluster's papers as the fit left them (their mean row, its
    outliers out; the fit measured its own papers before the cut, a difference of a few
    papers). 0 in a cluster the fit left no paper in, as a topic would share no words."""
    out = np.ones(len(cluster_of))
    rows = np.flatnonzero(cluster_of >= 0)
    index = {c: j for j, c in enumerate(sorted(cluster_terms))}
    if not len(rows) or not index:
        out[rows] = 0.0
        return out
    centres = np.stack([cluster_terms[c] for c in index]).astype(np.float64)
    centres /= np.maximum(np.linalg.norm(centres, axis=1, keepdims=True), 1e-18)
    sims = np.asarray(tfidf_new[rows] @ centres.T)
    out[rows] = [sims[j, index[c]] if c in index else 0.0 for j, c in enumerate(cluster_of[rows].tolist())]
    return out


def place(base: ModelResult, papers: list[Paper], config: SiteConfig) -> ModelResult | None:
    """The base model with every paper of ``papers`` it does not hold placed into it; None
    when that cannot be done faithfully (a fitted paper is missing), and the caller refits."""
    st = base.state
    if st is None:
        return None
    ids = {p.id for p in papers}
    if not ids.issuperset(st.paper_ids):
        return None
    fitted = set(st.paper_ids)
    new = [p for p in papers if p.id not in fitted]
    if not new:
        return base
    model = base.model
    settings = config.topics
    tfidf_new, x_new = transform(st.vectors, [p.text for p in new])

    # named topics, against the fit's lexicons and clear papers
    evidence, _ = all_evidence(new, config.named_topics, lexicons=st.lexicons)
    memberships: dict[str, list[Membership]] = {p.id: [] for p in new}
    in_named = np.zeros(len(new), bool)
    for topic, ev, centre in zip(config.named_topics, evidence, st.centres):
        scores = score_named(new, x_new, topic, ev=ev, centre=centre).score
        rows = np.flatnonzero(scores >= settings.named_threshold)
        for i, found in zip(rows, paper_terms([ev.terms[i] for i in rows], [new[i] for i in rows], EVIDENCE_TERMS)):
            memberships[new[i].id].append(Membership(topic.slug, round(float(scores[i]), 3), found))
            in_named[i] = True
    for ms in memberships.values():
        ms.sort(key=lambda m: -m.score)

    # clusters, as the fit assigned its own papers
    labels = (x_new @ st.centroids.T).argmax(axis=1)
    cluster_of, sim_own = assign_clusters(x_new, labels, st.centroids, st.absorbed, in_named)
    cut = _word_similarity(tfidf_new, cluster_of, st.cluster_terms) < settings.outlier_similarity
    # a cut paper's nearest topic: the one of the cluster the cut took it off
    nearest = {int(i): st.cluster_topic.get(int(cluster_of[i]), "") for i in np.flatnonzero(cut)}
    cluster_of = np.where(cut, -1, cluster_of)
    has_other = any(t.slug == OTHER for t in model.topics)
    for c in sorted(set(cluster_of.tolist()) - {-1}):
        rows = np.flatnonzero(cluster_of == c)
        candidates = shared_terms(tfidf_new[rows], st.cluster_terms[c], st.vectors.terms, 2 * WHY_TERMS)
        for i, shared in zip(rows, paper_terms(candidates, [new[i] for i in rows], WHY_TERMS)):
            memberships[new[i].id].append(Membership(st.cluster_topic[c], round(float(max(sim_own[i], 0)), 3), shared))
    for i, p in enumerate(new):
        if not memberships[p.id]:
            if not has_other:
                return None  # an "Other papers" topic would have to appear: refit
            memberships[p.id].append(Membership(OTHER, round(float(max(sim_own[i], 0)), 3), (), nearest.get(i, "")))

    # the map
    index = {t.slug: j for j, t in enumerate(model.topics)}
    primary_new = np.array([index[memberships[p.id][0].topic] for p in new])
    coords_new = place_points(st.layout, x_new, primary_new)

    similar = _similar(base, papers, new, tfidf_new, x_new, primary_new, settings.similar)

    all_members = {**model.memberships, **{k: tuple(v) for k, v in memberships.items()}}
    sizes: dict[str, int] = {}
    for ms in all_members.values():
        for m in ms:
            sizes[m.topic] = sizes.get(m.topic, 0) + 1
    joined: dict[str, list[Paper]] = {}
    for p in new:
        for m in memberships[p.id]:
            joined.setdefault(m.topic, []).append(p)
    topics = tuple(dataclasses.replace(t, size=sizes.get(t.slug, 0), named_in=t.named_in if t.named_in is None else
                                       t.named_in + named_in(t.name, joined.get(t.slug, []))) for t in model.topics)
    coords = dict(model.coords)
    coords.update({p.id: (float(coords_new[i, 0]), float(coords_new[i, 1])) for i, p in enumerate(new)})
    placed = TopicModel(
        topics=topics, memberships=all_members, coords=coords, similar=similar,
        k_reason=model.k_reason, redirects=dict(model.redirects),
    )
    # the lock keeps the fit's k, corpus and anchors; its topics list their new papers too
    added: dict[str, set[str]] = {}
    for pid, ms in memberships.items():
        for m in ms:
            added.setdefault(m.topic, set()).add(pid)
    lock = dataclasses.replace(base.lock, topics=tuple(
        LockedTopic(t.slug, t.name, t.papers | frozenset(added.get(t.slug, ()))) for t in base.lock.topics
    ), papers=paper_ids(papers), outliers=base.lock.outliers | {new[i].id: nearest[i] for i in nearest})
    return ModelResult(placed, lock, {}, None)


def _similar(base: ModelResult, papers: list[Paper], new: list[Paper], tfidf_new, x_new, primary_new, k: int) -> dict:
    """Similar papers of the new papers, and of older ones a new paper comes closer to than
    their current ones; searched where the fit searched (a topic and its nearest topics)."""
    st = base.state
    old_ids = list(st.paper_ids)
    exact = st.near is None  # small fits compare TF-IDF rows, large ones LSA vectors near each topic
    old_vec = st.vectors.tfidf if exact else st.vectors.lsa
    new_vec = tfidf_new if exact else x_new
    order = {p.id: i for i, p in enumerate(papers)}  # ties go to the earlier paper, as in the fit
    all_ids = old_ids + [p.id for p in new]
    rank = np.array([order[i] for i in all_ids])
    primary = np.concatenate([st.primary, primary_new])
    k = min(k, len(papers) - 1)
    similar = dict(base.model.similar)
    if k <= 0:
        return similar

    def sims(a, b):
        out = a @ b.T
        return np.asarray(out.toarray() if hasattr(out, "toarray") else out, dtype=np.float32)

    def allowed(topic: int) -> np.ndarray:
        return np.ones(len(all_ids), bool) if exact else np.isin(primary, st.near[topic])

    from scipy import sparse

    # new papers: among everyone (in chunks: a fifth of a 100,000-paper site is new at most)
    stack = sparse.vstack([old_vec, new_vec]).tocsr() if exact else np.vstack([old_vec, new_vec])
    n_old = len(old_ids)
    for start in range(0, len(new), CHUNK):
        block = sims(new_vec[start : start + CHUNK], stack)
        for r, row in enumerate(block):
            i = start + r
            row[~allowed(int(primary_new[i]))] = -np.inf
            row[n_old + i] = -np.inf
            cand = np.flatnonzero(np.isfinite(row))
            # ties by the papers' order in the site, as the fit breaks them
            best = cand[np.lexsort((rank[cand], -row[cand]))][:k]
            similar[new[i].id] = tuple(all_ids[j] for j in best)

    # older papers: keep their list unless a new paper is closer than their k-th
    near = None
    if not exact:
        near = np.zeros((len(st.near), len(st.near)), bool)
        near[np.arange(len(st.near))[:, None], st.near] = True  # near[a, b]: b is searched from a
    kth = st.similar_sims[:, -1] if st.similar_sims.shape[1] else np.full(n_old, -np.inf)
    short = st.similar_sims.shape[1] < k
    for start in range(0, n_old, CHUNK * 4):
        s_old = sims(old_vec[start : start + CHUNK * 4], new_vec)  # old x new
        if near is not None:
            s_old[~near[st.primary[start : start + CHUNK * 4]][:, primary_new]] = -np.inf
        for r in np.flatnonzero((s_old > kth[start : start + CHUNK * 4, None]).any(axis=1) | short):
            i = start + r
            cur_ids = list(base.model.similar.get(old_ids[i], ()))
            closer = np.flatnonzero(np.isfinite(s_old[r]))
            cand = list(zip(cur_ids, st.similar_sims[i, : len(cur_ids)].tolist()))
            cand += [(new[j].id, float(s_old[r, j])) for j in closer]
            ranked = sorted(cand, key=lambda t: (-t[1], order[t[0]]))[:k]
            similar[old_ids[i]] = tuple(pid for pid, _ in ranked)
    return similar
