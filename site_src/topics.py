"""The topic model stage: papers in, TopicModel out. Pure apart from the lock it is given.

Recipe: TF-IDF -> LSA -> named topics (keywords + seeded centroid) -> k-means for the rest ->
clusters dominated by a named topic fold into it -> outliers to "Other papers" -> names ->
stable slugs from the lock -> key terms as the papers write them -> layout and similar papers.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
from dataclasses import dataclass

import numpy as np

from .cluster import fit_clusters, member_mean, phrase_name, ranked_terms, surface_forms, top_terms
from .config import SiteConfig
from .layout import Layout, layout, similar_papers
from .lockfile import Lock, LockedTopic, followed, kept_topics, match_topics, named_redirects, paper_ids
from .models import Membership, ModelResult, Paper, Topic, TopicModel
from .named import all_evidence, score_named
from .naming import PhraseStats, barred_phrases, named_in, one_phrase, phrase_stats, taken_by, title_name
from .parallel import parallel
from .termforms import Forms, paper_terms, readable, recased, spread
from .timing import Laps
from .vectorise import Vectors, vectorise

OTHER = "other"
ABSORB_FRACTION = 0.6  # a cluster this much inside one named topic is that topic,
ABSORB_UNION = 0.75  # ... and one this much inside the named topics together is them
KEY_TERMS = 8  # shown on a topic's page, of its CANDIDATES most distinctive terms
CANDIDATES = 32
WHY_TERMS = 3  # shown per paper and topic, of twice as many it shares most with the topic
EVIDENCE_TERMS = 4  # ... or of the keywords that put it in a named topic
VOCAB = 32  # a topic's terms written as its texts write them; a paper's others as it writes them
EXACT_TFIDF_MAX = 5000  # past this, similar papers are searched near each paper's topic:
NEAR_TOPICS = 2  # in its topic and the topics nearest to it,
NEAR_TOPICS_LARGE, LARGE = 1, 20000  # fewer past LARGE papers (the search grows with their square)
PARALLEL_MIN = 3000
STICKY = 0.3  # margin around outlier_similarity that a paper must cross to enter or leave "Other papers"


@dataclass(frozen=True)
class FitState:
    """What a fit learned that places further papers the same way (place.py): the vector
    space, the named topics' lexicons and centres, the clusters, the map layout, and each
    paper's nearest neighbours."""

    paper_ids: tuple[str, ...]
    vectors: Vectors
    lexicons: list
    centres: list  # per named topic: Centre or None
    centroids: np.ndarray  # k-means centroids (k x d)
    absorbed: np.ndarray  # per k-means cluster: folded into a named topic
    cluster_topic: dict  # live cluster -> topic slug
    cluster_terms: dict  # live cluster -> its members' mean TF-IDF row (shared terms)
    layout: Layout
    primary: np.ndarray  # per paper: index of its first topic
    near: np.ndarray | None  # per topic: topics by closeness (similar papers' search blocks)
    similar_sims: np.ndarray  # per paper: similarity of its similar papers


def _cohesion(x: np.ndarray, members: np.ndarray) -> tuple[float, np.ndarray]:
    """A topic's cohesion, and its centre (the members' mean, unit length). Cohesion is the
    mean cosine of each member with the centre of the others: with the member itself in the
    centre, small topics looked tight by their size alone (three unrelated papers: 0.64)."""
    if not len(members):
        return 0.0, np.zeros(x.shape[1], dtype=np.float32)
    rows = x[members]
    c = rows.mean(axis=0)
    c /= np.linalg.norm(c) or 1.0
    if len(members) < 2:
        return 0.0, c
    rows = rows.astype(np.float64)
    others = rows.sum(axis=0) - rows
    return float(np.mean((rows * others).sum(axis=1) / np.maximum(np.linalg.norm(others, axis=1), 1e-12))), c


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


def _text_work(papers: list[Paper], named_topics, readings=None) -> tuple[list, PhraseStats]:
    """The pure-Python text passes: named-topic keyword evidence and title phrase counts."""
    return all_evidence(papers, named_topics, readings=readings), phrase_stats([p.title for p in papers])


def fit_topics(papers: list[Paper], config: SiteConfig, lock: Lock, *, random_state: int | None = None,
               readings: list | None = None) -> ModelResult:
    """The topic model of ``papers``. ``readings`` replace the shipped reading models (the
    evaluation scores each split with models that have not seen it)."""
    settings = config.topics
    seed = settings.random_state if random_state is None else random_state
    n = len(papers)
    if not n:
        raise ValueError("fit_topics needs at least one paper")
    laps = Laps()
    lap = laps.lap
    # keyword evidence is pure Python and the vectoriser mostly NumPy/SciPy: on a large corpus
    # run them side by side, one per core
    with parallel(n >= PARALLEL_MIN) as pool:
        pending = pool.submit(_text_work, papers, config.named_topics, readings) if pool else None
        vec = vectorise([p.text for p in papers], max_features=settings.max_features, random_state=seed)
        lap("vectorise")
        (evidences, lexicons), phrase_counts = pending.result() if pending else _text_work(papers, config.named_topics, readings)
        lap("keywords")
    x, tfidf, terms = vec.lsa, vec.tfidf, vec.terms
    background = np.asarray(tfidf.mean(axis=0)).ravel()

    def forms_of(members: np.ndarray) -> Forms:
        sample = [papers[i] for i in spread(members)]
        return Forms([p.title for p in sample], [p.abstract for p in sample])

    def ranked(mean: np.ndarray | None) -> list[str]:
        return ranked_terms(mean, background, terms, CANDIDATES)

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
    start = lock.anchors if same else lock.clusters()
    index_of = {p.id: i for i, p in enumerate(papers)}
    anchors = []
    for t in start:
        rows = [index_of[pid] for pid in sorted(t.papers) if pid in index_of]
        if rows:
            c = x[rows].mean(axis=0)
            anchors.append(c / (np.linalg.norm(c) or 1.0))
    # the lock's n is the corpus size its k was chosen or grown for, kept while k stays: k grows
    # with the corpus past that size, shrinks only below a cluster per 15 papers, and a dump
    # removed then added back (or unreadable for one build) leaves k where it was instead of
    # growing it each time
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
            absorbed[c] = frac.max() >= ABSORB_FRACTION or in_named[members].mean() >= ABSORB_UNION
    live = np.flatnonzero(~absorbed)
    cluster_of, sim_own = assign_clusters(x, cl.labels, cl.centroids, absorbed, in_named)
    cut = word_similarity(tfidf, cluster_of) < outlier_limits(papers, lock, settings.outlier_similarity)
    cut_from, cluster_of = cluster_of, np.where(cut, -1, cluster_of)

    # drafts of the clustered topics, named by their distinctive phrases; the titles' word
    # forms only for a topic named by abstract terms or a duplicate name (3 s at 100k papers)
    forms = functools.cache(lambda: surface_forms([p.title for p in papers]))
    # no clustered topic is named as a named topic is (that one lists those papers), nor by a
    # phrase another cluster's name says or that says it (two topics called "... reinforcement
    # learning" read as one): the names the lock keeps first, then the biggest clusters'
    named_phrases = [phrase for t in config.named_topics for phrase in (t.name, *t.keywords)]
    present = {p.id for p in papers}
    written_in: dict[int, Forms] = {}  # per cluster: how its papers write terms
    means: dict[int, np.ndarray] = {}  # ... its mean TF-IDF row
    ranks: dict[int, list[str]] = {}  # ... and its most distinctive terms
    name_terms: dict[int, list[str]] = {}  # ... the terms a duplicate name is extended by,
    member_rows = {c: rows for c in live if len(rows := np.flatnonzero(cluster_of == c))}
    order = list(member_rows)
    member_ids = {c: frozenset(papers[i].id for i in member_rows[c]) for c in order}
    reserved = {t.slug for t in config.named_topics} | {OTHER}
    kept = kept_topics([member_ids[c] for c in order], lock, present, reserved)
    names = {order[j]: t.name for j, t in kept.items()}  # ... and its name
    said = [part for name in names.values() for part in barred_phrases(name)]
    for c in sorted(order, key=lambda c: (-len(member_rows[c]), c)):
        members = member_rows[c]
        means[c] = member_mean(tfidf, members)
        ranks[c] = ranked(means[c])
        t = name_terms[c] = top_terms(ranks[c], 8)
        written_in[c] = forms_of(members)
        if c in names:
            continue
        abstracts = [papers[i].abstract for i in members]
        taken = taken_by(named_phrases + said, said)
        titles = [papers[i].title for i in members]
        name = (title_name(members, phrase_counts, titles, abstracts, taken)
                or one_phrase(phrase_name([term for term in t if not taken(term)] or t, forms(), abstracts), titles, abstracts, taken,
                             phrase_counts))
        names[c] = recased(name, written_in[c])
        said.extend(barred_phrases(names[c]))
    drafts = [(names[c], member_ids[c]) for c in order]
    # duplicate names read badly: extend the later ones with their next phrase
    seen: dict[str, int] = {}
    for j, (name, members) in enumerate(drafts):
        if name in seen:
            extra = next((t for t in name_terms[order[j]] if t.lower() not in name.lower()), str(j))
            drafts[j] = (f"{name}: {forms().get(extra, extra)}", members)
        seen[drafts[j][0]] = j
    named_slugs, new_lock = match_topics(drafts, lock, present=present, reserved=reserved, kept=kept)
    used = tuple(t for t in start if t.papers & present) if anchors else ()
    slug_of = {c: slug for (slug, _), c in zip(named_slugs, order)}
    new_lock = dataclasses.replace(
        new_lock, k=cl.k, n=(cl.grown_for or n) if cl.k != lock.k else lock.n or n, corpus=corpus, reason=cl.reason, anchors=tuple(LockedTopic(t.slug, "", t.papers) for t in used),
        papers=paper_ids(papers), outliers={papers[i].id: slug_of.get(int(cut_from[i]), "") for i in np.flatnonzero(cut)},
        outlier_similarity=settings.outlier_similarity,
        absorbed=tuple(frozenset(papers[i].id for i in np.flatnonzero(cl.labels == c)) for c in np.flatnonzero(absorbed)))

    topics: list[Topic] = []
    centroids: list[np.ndarray] = []
    cluster_topic, cluster_terms = {}, {}
    memberships: dict[str, list[Membership]] = {p.id: [] for p in papers}
    for t, s, mask in zip(config.named_topics, named, named_mask):
        members = np.flatnonzero(mask)
        coh, centroid = _cohesion(x, members)
        named_forms = forms_of(members)
        key_terms = readable(ranked(member_mean(tfidf, members)), named_forms, KEY_TERMS)
        topics.append(Topic(t.slug, t.name, "named", key_terms, len(members), round(coh, 3)))
        centroids.append(centroid)
        why = paper_terms([s.evidence.terms[i] for i in members], [papers[i] for i in members], EVIDENCE_TERMS, named_forms)
        for i, found in zip(members, why):
            memberships[papers[i].id].append(Membership(t.slug, round(float(s.score[i]), 3), found))
    for key in memberships:
        memberships[key].sort(key=lambda m: -m.score)
    for (slug, name), c in zip(named_slugs, order):
        members = member_rows[c]
        coh, centroid = _cohesion(x, members)
        topics.append(Topic(slug, name, "cluster", readable(ranks[c], written_in[c], KEY_TERMS), len(members), round(coh, 3),
                            named_in=named_in(name, [papers[i] for i in members])))
        centroids.append(centroid)
        sub, cterms = tfidf[members], means[c]
        cluster_topic[int(c)], cluster_terms[int(c)] = slug, cterms.astype(np.float32)
        top = np.argpartition(-cterms, VOCAB)[:VOCAB] if len(cterms) > VOCAB else np.arange(len(cterms))
        vocab = frozenset(str(terms[j]) for j in top)
        why = paper_terms(shared_terms(sub, cterms, terms, 2 * WHY_TERMS), [papers[i] for i in members], WHY_TERMS, written_in[c], vocab)
        for i, shared in zip(members, why):
            memberships[papers[i].id].append(Membership(slug, round(float(max(sim_own[i], 0)), 3), shared))
    orphans = [i for i, p in enumerate(papers) if not memberships[p.id]]
    if orphans:
        members = np.array(orphans)
        coh, centroid = _cohesion(x, members)
        key_terms = readable(ranked(member_mean(tfidf, members)), forms_of(members), KEY_TERMS)
        topics.append(Topic(OTHER, "Other papers", "other", key_terms, len(members), round(coh, 3)))
        centroids.append(centroid)
        for i in orphans:
            memberships[papers[i].id].append(Membership(OTHER, round(float(max(sim_own[i], 0)), 3), (), slug_of.get(int(cut_from[i]), "")))
    live = {t.slug for t in topics}
    # (followed again: an older redirect may lead to a named topic renamed in this build)
    redirects = followed(new_lock.redirects | named_redirects(lock, memberships, live), live)
    new_lock = dataclasses.replace(new_lock, redirects=dict(sorted(redirects.items())), named=tuple(
        LockedTopic(t.slug, t.name, frozenset(papers[i].id for i in np.flatnonzero(mask))) for t, mask in zip(config.named_topics, named_mask)))

    lap("cluster")
    index = {t.slug: j for j, t in enumerate(topics)}
    primary = np.array([index[memberships[p.id][0].topic] for p in papers])
    coords, fitted_layout = layout(x, primary, np.array(centroids, dtype=np.float32))
    lap("layout")
    # exact sparse TF-IDF cosine while it is cheap; past that, cosine of the LSA vectors
    # (100 dense dims, same ranking in most cases at a fraction of the cost) within each
    # paper's topic and the two topics nearest to it
    blocks, near = None, None
    if n > EXACT_TFIDF_MAX:
        near = nearest_topics(np.array(centroids, dtype=np.float32), NEAR_TOPICS if n <= LARGE else NEAR_TOPICS_LARGE)
        blocks = []
        for j in range(len(topics)):
            rows = np.flatnonzero(primary == j)
            if len(rows):
                blocks.append((rows, np.flatnonzero(np.isin(primary, near[j]))))
    sim_idx, sim_val = similar_papers(tfidf if n <= EXACT_TFIDF_MAX else x, settings.similar, blocks=blocks)
    lap("similar")
    model = TopicModel(
        topics=tuple(topics),
        memberships={k: tuple(v) for k, v in memberships.items()},
        coords={p.id: (float(coords[i, 0]), float(coords[i, 1])) for i, p in enumerate(papers)},
        similar={p.id: tuple(papers[j].id for j in sim_idx[i] if j >= 0) for i, p in enumerate(papers)},
        k_reason=cl.reason,
        # "Other papers" comes and goes with outliers; its URL then leads home, never nowhere
        redirects=dict(new_lock.redirects) | ({} if orphans else {OTHER: ""}),
    )
    state = FitState(
        # TF-IDF rows only where similar papers compare them (they are most of the state's size)
        paper_ids=tuple(p.id for p in papers), vectors=vec if n <= EXACT_TFIDF_MAX else dataclasses.replace(vec, tfidf=None),
        lexicons=lexicons, centres=[s.centre for s in named],
        centroids=cl.centroids, absorbed=absorbed, cluster_topic=cluster_topic, cluster_terms=cluster_terms,
        layout=fitted_layout, primary=primary, near=near, similar_sims=sim_val,
    )
    return ModelResult(model, new_lock, laps.times, state)


def assign_clusters(x, labels, centroids, absorbed, in_named) -> tuple[np.ndarray, np.ndarray]:
    """Each paper's clustered topic (-1: none) and its similarity to that topic's centroid.

    A paper whose k-means cluster folded into a named topic goes to the nearest live cluster,
    unless the named topic holds it (then it goes to none)."""
    n = len(x)
    live = np.flatnonzero(~absorbed)
    if not len(live):
        return np.full(n, -1), np.zeros(n)
    best = (x @ centroids[live].T).argmax(axis=1)
    own_live = ~absorbed[labels]
    cluster_of = np.where(own_live, labels, live[best])
    sim_own = (x @ centroids.T)[np.arange(n), cluster_of]
    return np.where(~own_live & in_named, -1, cluster_of), sim_own


def outlier_limits(papers: list[Paper], lock: Lock, threshold: float) -> np.ndarray:
    """Per paper, the word similarity below which it goes to "Other papers": ``threshold``, moved
    by STICKY towards where the lock's build put the paper. Adding a dump reshapes clusters
    and moves every paper's similarity a little; without the margin, papers near the threshold
    crossed it both ways and "Other papers" kept under half of its papers. A paper the lock
    does not know gets the threshold itself, and every paper does when the lock was written
    with another threshold (the owner changed it: it takes full effect). With the lock's own
    corpus the fit that wrote it is repeated exactly: every paper stays on its side."""
    if lock.outlier_similarity != threshold:
        return np.full(len(papers), threshold)
    known = set(lock.papers.values())
    return np.array([threshold * (1 + STICKY) if p.id in lock.outliers else threshold * (1 - STICKY) if p.id in known
                     else threshold for p in papers])


def word_similarity(tfidf, cluster_of: np.ndarray) -> np.ndarray:
    """Each clustered paper's TF-IDF cosine with the other papers of its cluster (their rows
    summed; 0 for a paper alone in one, which has no peers): how much of its vocabulary its
    topic shares (1 for a paper in no cluster, which is not measured). A paper
    below ``outlier_similarity`` goes to "Other papers". The LSA similarity cannot tell: its
    100 dimensions hold the corpus's common words, so a paper on wind turbines in a corpus of
    language-model papers is still 0.2-0.4 from some centroid, while its words share a few
    hundredths with any cluster's."""
    from scipy import sparse

    n = tfidf.shape[0]
    out = np.ones(n)
    rows = np.flatnonzero(cluster_of >= 0)
    if not len(rows):
        return out
    ks, inv = np.unique(cluster_of[rows], return_inverse=True)
    sums = sparse.csr_matrix((np.ones(len(rows), np.float32), (inv, rows)), shape=(len(ks), n)) @ tfidf
    dot = np.asarray((tfidf @ sums.T).todense(), dtype=np.float64)[rows, inv]
    own = np.asarray(tfidf.multiply(tfidf).sum(axis=1), dtype=np.float64).ravel()[rows]
    rest = np.asarray(sums.multiply(sums).sum(axis=1), dtype=np.float64).ravel()[inv] - 2 * dot + own
    alone = np.bincount(inv)[inv] == 1  # by count: rounding leaves ``rest`` near, not at, 0
    out[rows] = np.where(alone, 0.0, (dot - own) / np.sqrt(np.maximum(own * rest, 1e-18)))
    return out


def nearest_topics(centroids: np.ndarray, count: int) -> np.ndarray:
    """Per topic: itself and its ``count`` nearest topics (where similar papers are sought)."""
    order = np.argsort(-(centroids @ centroids.T), axis=1, kind="stable")
    return np.array([[j, *[q for q in order[j] if q != j][:count]] for j in range(len(centroids))])
