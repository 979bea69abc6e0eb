"""The topic model stage: papers in, TopicModel out. Pure apart from the lock it is given.

Recipe: TF-IDF -> LSA -> named topics (keywords + seeded centroid) -> k-means for the rest ->
clusters dominated by a named topic fold into it -> outliers to "Other papers" -> names ->
stable slugs from the lock -> layout and similar papers.
"""

from __future__ import annotations

import dataclasses
import hashlib
import time
from dataclasses import dataclass

import numpy as np

from .cluster import fit_clusters, phrase_name, surface_forms, top_terms
from .config import SiteConfig
from .layout import layout, similar_papers
from .lockfile import Lock, LockedTopic, match_topics
from .models import Membership, Paper, Topic, TopicModel
from .named import all_evidence, score_named
from .parallel import parallel
from .vectorise import vectorise

OTHER = "other"
ABSORB_FRACTION = 0.6  # a cluster this much inside one named topic is that topic
EXACT_TFIDF_MAX = 5000  # past this, similar papers are searched near each paper's topic
NEAR_TOPICS = 2
PARALLEL_MIN = 3000


@dataclass(frozen=True)
class ModelResult:
    model: TopicModel
    lock: Lock
    #: wall seconds of the model's steps (vectorise, named, cluster, layout, similar), for reports
    timings: dict = dataclasses.field(default_factory=dict, compare=False)


class _Laps:
    def __init__(self):
        self.times: dict[str, float] = {}
        self._t = time.perf_counter()

    def __call__(self, name: str) -> None:
        now = time.perf_counter()
        self.times[name] = self.times.get(name, 0.0) + now - self._t
        self._t = now


def _cohesion(x: np.ndarray, members: np.ndarray) -> tuple[float, np.ndarray]:
    if not len(members):
        return 0.0, np.zeros(x.shape[1], dtype=np.float32)
    c = x[members].mean(axis=0)
    c /= np.linalg.norm(c) or 1.0
    return float(np.mean(x[members] @ c)), c


def shared_terms(rows, centroid_terms: np.ndarray, terms, n: int = 3) -> list[tuple[str, ...]]:
    """For each row of a CSR matrix, the ``n`` terms it shares most with a topic's centroid
    (largest products of the row's and the centroid's weights; ties by column)."""
    w = rows.data * centroid_terms[rows.indices]
    row_of = np.repeat(np.arange(rows.shape[0]), np.diff(rows.indptr))
    order = np.lexsort((-w, row_of))  # by row, then weight; stable, so ties keep column order
    rank = np.arange(len(order)) - rows.indptr[row_of[order]]
    pick = order[(rank < n) & (w[order] > 0)]
    out: list[list[str]] = [[] for _ in range(rows.shape[0])]
    for r, col in zip(row_of[pick].tolist(), rows.indices[pick].tolist()):
        out[r].append(str(terms[col]))
    return [tuple(t) for t in out]


def _text_work(papers: list[Paper], named_topics) -> tuple[list, dict[str, str]]:
    """The pure-Python text passes: named-topic keyword evidence and title word forms."""
    return all_evidence(papers, named_topics), surface_forms([p.title for p in papers])


def fit_topics(papers: list[Paper], config: SiteConfig, lock: Lock, *, random_state: int | None = None) -> ModelResult:
    settings = config.topics
    seed = settings.random_state if random_state is None else random_state
    n = len(papers)
    lap = _Laps()
    # keyword evidence is pure Python and the vectoriser mostly NumPy/SciPy: on a large corpus
    # run them side by side, one per core
    with parallel(n >= PARALLEL_MIN) as pool:
        pending = pool.submit(_text_work, papers, config.named_topics) if pool else None
        vec = vectorise([p.text for p in papers], max_features=settings.max_features, random_state=seed)
        lap("vectorise")
        evidences, forms = pending.result() if pending else _text_work(papers, config.named_topics)
        lap("keywords")
    x, tfidf, terms = vec.lsa, vec.tfidf, vec.terms
    background = np.asarray(tfidf.mean(axis=0)).ravel()

    # named topics
    named = [score_named(papers, x, t, ev=ev) for t, ev in zip(config.named_topics, evidences)]
    thr = settings.named_threshold
    named_mask = np.array([s.score >= thr for s in named]) if named else np.zeros((0, n), bool)
    in_named = named_mask.any(axis=0) if named else np.zeros(n, bool)
    lap("keywords")

    # clusters for the rest of the map
    # stable topics: start k-means from the lock's topics when the corpus changed; when it did
    # not, repeat exactly the fit that wrote the lock (same k, same starting topics)
    corpus = hashlib.sha256("\n".join(sorted(p.id for p in papers)).encode()).hexdigest()[:16]
    same = bool(lock.k) and lock.corpus == corpus
    start = lock.anchors if same else lock.topics
    index_of = {p.id: i for i, p in enumerate(papers)}
    anchors = []
    for t in sorted(start, key=lambda t: t.slug):
        rows = [index_of[pid] for pid in sorted(t.papers) if pid in index_of]
        if rows:
            c = x[rows].mean(axis=0)
            anchors.append(c / (np.linalg.norm(c) or 1.0))
    cl = fit_clusters(
        x, k=settings.k, k_min=settings.k_min, k_max=settings.k_max, random_state=seed,
        anchors=np.array(anchors, dtype=x.dtype) if anchors else None,
        previous_k=lock.k, previous_n=lock.n if not same else n, previous_reason=lock.reason,
    )
    absorbed = np.zeros(cl.k, bool)
    for c in range(cl.k):
        members = cl.labels == c
        if named and members.sum():
            frac = named_mask[:, members].mean(axis=1)
            absorbed[c] = frac.max() >= ABSORB_FRACTION
    live = np.flatnonzero(~absorbed)
    cluster_of = np.full(n, -1)
    if len(live):
        sims = x @ cl.centroids[live].T
        best = sims.argmax(axis=1)
        own_live = ~absorbed[cl.labels]
        cluster_of = np.where(own_live, cl.labels, live[best])
        sim_own = x @ cl.centroids.T
        sim_own = sim_own[np.arange(n), np.maximum(cluster_of, 0)]
        outlier = sim_own < settings.outlier_similarity
        # a named-topic paper whose own cluster folded into that topic needs no cluster
        cluster_of = np.where(~own_live & in_named, -1, cluster_of)
        cluster_of = np.where(outlier, -1, cluster_of)
    else:
        sim_own = np.zeros(n)

    # drafts of the clustered topics, named by their distinctive phrases
    drafts, draft_ids, draft_terms = [], [], []
    for c in live:
        members = np.flatnonzero(cluster_of == c)
        if not len(members):
            continue
        t = top_terms(tfidf, members, background, terms, 8)
        drafts.append((phrase_name(t, forms), frozenset(papers[i].id for i in members)))
        draft_ids.append(c)
        draft_terms.append(t)
    # duplicate names read badly: extend the later ones with their next phrase
    seen: dict[str, int] = {}
    for j, (name, members) in enumerate(drafts):
        if name in seen:
            extra = next((t for t in draft_terms[j] if t.lower() not in name.lower()), str(j))
            drafts[j] = (f"{name}: {extra}", members)
        seen[drafts[j][0]] = j
    reserved = {t.slug for t in config.named_topics} | {OTHER}
    present = {p.id for p in papers}
    named_slugs, new_lock = match_topics(drafts, lock, present=present, reserved=reserved)
    used = tuple(t for t in start if t.papers & present) if anchors else ()
    new_lock = dataclasses.replace(new_lock, k=cl.k, n=n, corpus=corpus, reason=cl.reason, anchors=tuple(LockedTopic(t.slug, "", t.papers) for t in used))

    topics: list[Topic] = []
    centroids: list[np.ndarray] = []
    memberships: dict[str, list[Membership]] = {p.id: [] for p in papers}
    for t, s, mask in zip(config.named_topics, named, named_mask):
        members = np.flatnonzero(mask)
        coh, centroid = _cohesion(x, members)
        topics.append(Topic(t.slug, t.name, "named", tuple(top_terms(tfidf, members, background, terms, 8)), len(members), round(coh, 3)))
        centroids.append(centroid)
        for i in members:
            ev_terms = s.evidence[i].terms
            memberships[papers[i].id].append(Membership(t.slug, round(float(s.score[i]), 3), ev_terms))
    for key in memberships:
        memberships[key].sort(key=lambda m: -m.score)
    for (slug, name), c, t in zip(named_slugs, draft_ids, draft_terms):
        members = np.flatnonzero(cluster_of == c)
        coh, centroid = _cohesion(x, members)
        topics.append(Topic(slug, name, "cluster", tuple(t), len(members), round(coh, 3)))
        centroids.append(centroid)
        sub = tfidf[members]
        cterms = np.asarray(sub.mean(axis=0)).ravel()
        for i, shared in zip(members, shared_terms(sub, cterms, terms)):
            memberships[papers[i].id].append(Membership(slug, round(float(max(sim_own[i], 0)), 3), shared))
    orphans = [i for i, p in enumerate(papers) if not memberships[p.id]]
    if orphans:
        members = np.array(orphans)
        coh, centroid = _cohesion(x, members)
        topics.append(Topic(OTHER, "Other papers", "other", tuple(top_terms(tfidf, members, background, terms, 8)), len(members), round(coh, 3)))
        centroids.append(centroid)
        for i in orphans:
            memberships[papers[i].id].append(Membership(OTHER, round(float(max(sim_own[i], 0)), 3), ()))

    lap("cluster")
    index = {t.slug: j for j, t in enumerate(topics)}
    primary = np.array([index[memberships[p.id][0].topic] for p in papers])
    coords = layout(x, primary, np.array(centroids, dtype=np.float32)) if n else np.zeros((0, 2))
    lap("layout")
    # exact sparse TF-IDF cosine while it is cheap; past that, cosine of the LSA vectors
    # (100 dense dims, same ranking in most cases at a fraction of the cost) within each
    # paper's topic and the two topics nearest to it
    blocks = None
    if n > EXACT_TFIDF_MAX:
        cent = np.array(centroids, dtype=np.float32)
        near = np.argsort(-(cent @ cent.T), axis=1, kind="stable")
        blocks = []
        for j in range(len(topics)):
            rows = np.flatnonzero(primary == j)
            if len(rows):
                cols = np.flatnonzero(np.isin(primary, [j, *[q for q in near[j] if q != j][:NEAR_TOPICS]]))
                blocks.append((rows, cols))
    sim_idx = similar_papers(tfidf if n <= EXACT_TFIDF_MAX else x, settings.similar, blocks=blocks)
    lap("similar")
    model = TopicModel(
        topics=tuple(topics),
        memberships={k: tuple(v) for k, v in memberships.items()},
        coords={p.id: (float(coords[i, 0]), float(coords[i, 1])) for i, p in enumerate(papers)},
        similar={p.id: tuple(papers[j].id for j in sim_idx[i] if j >= 0) for i, p in enumerate(papers)},
        k_reason=cl.reason,
        redirects=dict(new_lock.redirects),
    )
    return ModelResult(model, new_lock, lap.times)
