"""k-means over the LSA vectors: choose k, fit, and name each cluster with readable phrases."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from scipy import sparse

from .naming import cased

SAMPLE = 2000  # silhouette and k search run on at most this many papers
K_TOLERANCE = 0.10  # a k whose silhouette is this share below the best is as good
MIN_MEAN_SIZE = 15  # papers a cluster holds on average, at least, when k is chosen


def most_clusters(n: int) -> int:
    """The most clusters ``n`` papers are cut into: MIN_MEAN_SIZE papers a cluster on average
    (a topic of a handful of papers is a fragment, not a page to browse), and at least 2."""
    return max(2, n // MIN_MEAN_SIZE)


@dataclass(frozen=True)
class Clusters:
    labels: np.ndarray  # n cluster index
    centroids: np.ndarray  # k x d, L2-normalised
    similarity: np.ndarray  # n cosine similarity of each paper to its own centroid
    k: int
    reason: str
    # the corpus size k stands for, when a locked k was cut (see fit_clusters); 0: the corpus's
    grown_for: int = 0


def _kmeans(x: np.ndarray, k: int, random_state: int, init: np.ndarray | None = None, n_init: int = 4):
    from sklearn.cluster import KMeans, MiniBatchKMeans

    start = {"init": init, "n_init": 1} if init is not None else {"n_init": n_init}
    if len(x) > 20000:
        model = MiniBatchKMeans(n_clusters=k, random_state=random_state, batch_size=4096, **start)
    else:
        model = KMeans(n_clusters=k, random_state=random_state, **start)
    return model.fit(x)


def seeded_init(x: np.ndarray, anchors: np.ndarray, k: int, random_state: int) -> np.ndarray:
    """k starting centroids: the previous build's topics first, k-means++ picks for the rest
    among the papers those topics cover least (new material)."""
    from sklearn.cluster import kmeans_plusplus

    anchors = anchors[:k]
    extra = k - len(anchors)
    if extra <= 0:
        return anchors
    fit = (x @ anchors.T).max(axis=1) if len(anchors) else np.zeros(len(x))
    pool = x[fit <= np.quantile(fit, 0.5)] if len(x) >= 2 * k else x
    centers, _ = kmeans_plusplus(pool, n_clusters=min(extra, len(pool)), random_state=random_state)
    return np.vstack([anchors, centers]).astype(x.dtype)


def fewest_as_good(scores: dict[int, float]) -> int:
    """The fewest clusters whose silhouette is within K_TOLERANCE of the best. On text the
    silhouette creeps up with k, and jumps by up to 15 % from one k to the next (the seeds:
    0.050 at 6, 0.066 at 10, 0.073 at 24): the best alone was always k_max, however few the
    papers. A k within that noise of the best is as good, and the fewest gives broader,
    readable topics."""
    best = max(scores.values())
    return min(k for k, s in scores.items() if s >= best - abs(best) * K_TOLERANCE)


def choose_k(x: np.ndarray, k_min: int, k_max: int, random_state: int) -> tuple[int, str]:
    """The fewest clusters whose cosine silhouette, on a sample, is about the best (fewest_as_good)."""
    from sklearn.metrics import silhouette_score

    n, k_max_given = len(x), k_max
    # (the silhouette of a small corpus is too weak to say more)
    k_max = min(k_max, most_clusters(n))
    k_min = min(k_min, k_max)
    if k_max <= 2 or n < 20:
        k = max(1, min(k_min, n // 2 or 1))
        return k, f"{k} clusters, as there are too few papers to choose a number"
    rng = np.random.default_rng(random_state)
    sample = x if n <= SAMPLE else x[np.sort(rng.choice(n, SAMPLE, replace=False))]
    step = max(1, (k_max - k_min) // 10)
    # cosine distances once for every k (rows are unit vectors)
    dist = np.clip(1.0 - sample @ sample.T, 0.0, 2.0).astype(np.float64)
    np.fill_diagonal(dist, 0.0)
    scores = {}
    for k in range(k_min, k_max + 1, step):
        # a search: several starts only where they are cheap
        labels = _kmeans(sample, k, random_state, n_init=4 if len(sample) <= 1000 else 1).labels_
        scores[k] = float(silhouette_score(dist, labels, metric="precomputed"))
    k = fewest_as_good(scores)
    best = max(scores.values())
    steps = f" in steps of {step}" if step > 1 else ""
    most = f" (a cluster per {MIN_MEAN_SIZE} papers at most)" if k_max < k_max_given else ""
    return k, (f"{k} clusters, the fewest from {k_min} to {k_max}{most}{steps} whose clusters separate within "
               f"{K_TOLERANCE:.0%} as well as the best (cosine silhouette {scores[k]:.3f}, best {best:.3f} at {max(scores, key=scores.get)})")


def fit_clusters(
    x: np.ndarray, *, k: int, k_min: int, k_max: int, random_state: int,
    anchors: np.ndarray | None = None, previous_k: int = 0, previous_n: int = 0, previous_reason: str = "",
) -> Clusters:
    """k-means; with ``anchors`` (centroids of the topics in the lock file) the previous k is
    kept, grown with the square root of the corpus growth (cut only to a cluster per
    MIN_MEAN_SIZE papers when the corpus shrinks below that), and the fit starts from them, so
    a rebuild with more papers keeps its topics instead of re-cutting the map."""
    seeded, grown_for = False, 0
    if k:
        reason = f"{k} clusters, as set in the config"
    elif previous_k:
        seeded = anchors is not None and len(anchors) > 0
        grown = previous_k * (len(x) / max(previous_n, 1)) ** 0.5 if previous_n else previous_k
        k = int(round(min(max(grown, previous_k, k_min), max(k_max, previous_k))))
        # it shrinks only as far as a corpus cut down needs: a cluster per MIN_MEAN_SIZE papers;
        # it then stands for the corpus size it would have been grown for, so that the corpus
        # growing back grows it back to where it was
        cap = most_clusters(len(x))
        if k > cap:
            grown_for = max(1, round((previous_n or len(x)) * (cap / previous_k) ** 2))
            k = cap
            reason = f"{k} clusters: the {previous_k} of topics.lock.json cut to one per {MIN_MEAN_SIZE} papers ({len(x)} papers)"
        elif k == previous_k and previous_reason:
            reason = previous_reason  # the same choice, kept by topics.lock.json
        else:
            reason = f"{k} clusters: the {previous_k} of topics.lock.json, grown with the corpus from {previous_n} to {len(x)} papers"
    else:
        k, reason = choose_k(x, k_min, k_max, random_state)
    k = max(1, min(k, len(x)))
    init = seeded_init(x, anchors, k, random_state) if seeded else None
    model = _kmeans(x, k, random_state, init)
    centroids = model.cluster_centers_.astype(np.float32)
    centroids /= np.maximum(np.linalg.norm(centroids, axis=1, keepdims=True), 1e-9)
    labels = model.labels_.astype(np.int32)
    sim = np.einsum("ij,ij->i", x, centroids[labels])
    return Clusters(labels, centroids, sim, k, reason, grown_for)


_WORD = re.compile(r"[A-Za-z][A-Za-z0-9]+")


_PAIR = re.compile(r"(?=\b([A-Za-z][A-Za-z0-9]+)([- ])([A-Za-z][A-Za-z0-9]+)\b)")


def surface_forms(texts: list[str]) -> dict[str, str]:
    """Most common written form of each word and word pair in titles, so names say 'LLM',
    'KV cache', 'test-time', 'SN-Net' rather than stems."""
    counts: dict[str, Counter] = {}
    for text in texts:
        for word in _WORD.findall(text):
            counts.setdefault(word.lower(), Counter())[word] += 1
        for a, sep, b in _PAIR.findall(text):
            counts.setdefault(f"{a.lower()} {b.lower()}", Counter())[f"{a}{sep}{b}"] += 1
    out = {}
    for low, c in counts.items():
        form, _ = min(c.items(), key=lambda kv: (-kv[1], kv[0]))
        if " " in low:
            a, b = re.split(r"[- ]", form, maxsplit=1)
            sep = "-" if "-" in form else " "
            out[low] = sep.join(cased(w) for w in (a, b))
        else:
            out[low] = cased(form)
    return out


def text_forms(terms: list[str], texts: Sequence[str], forms: dict[str, str], limit: int = 300) -> dict[str, str]:
    """``forms`` plus the written form, in ``texts`` (a topic's abstracts), of each of ``terms``
    that no title spells: a name term seen only in abstracts ("SN-Net") would otherwise come
    out lowercased. Reads at most ``limit`` texts: the form is a majority, not a census."""
    missing = [t for t in terms if t not in forms]
    if not missing:
        return forms
    out = dict(forms)
    sample = "\n".join(texts[:limit])
    for term in missing:
        words = term.split()
        pattern = re.compile(r"\b" + r"[- ]?".join(map(re.escape, words)) + r"\b", re.IGNORECASE)
        counts = Counter(m.group(0) for m in pattern.finditer(sample))
        if not counts:
            continue
        form, _ = min(counts.items(), key=lambda kv: (-kv[1], kv[0]))
        # capitalised only because it starts a sentence: an ordinary word
        out[term] = form.lower() if form[0].isupper() and sum(ch.isupper() for ch in form) == 1 else form
    return out


def member_mean(tfidf: sparse.csr_matrix, members: np.ndarray) -> np.ndarray | None:
    """The mean TF-IDF row of ``members`` (None for none)."""
    return np.asarray(tfidf[members].mean(axis=0)).ravel() if len(members) else None


def ranked_terms(mean: np.ndarray | None, background: np.ndarray, terms, n: int) -> list[str]:
    """The ``n`` terms most over-represented in a topic (``mean``: its member_mean) relative to
    the whole corpus (c-TF-IDF-like), most first."""
    if mean is None:
        return []
    score = mean * np.log1p(mean / (background + 1e-6))
    return [str(terms[i]) for i in np.argsort(-score, kind="stable")[:n]]


def top_terms(ranked: list[str], n: int) -> list[str]:
    """``n`` of the first ``4 n`` ``ranked`` terms, a word inside a phrase said once, by the phrase."""
    picked: list[str] = []
    for term in ranked[: n * 4]:
        words = term.split()
        # skip a unigram already inside a picked phrase and phrases with a repeated word
        if len(set(words)) < len(words) or any(term in p.split() or term == p for p in picked):
            continue
        picked = [p for p in picked if not (len(p.split()) == 1 and p in words)]
        picked.append(term)
        if len(picked) >= n:
            break
    return picked


def _initials(term: str) -> str:
    return "".join(w[0] for w in term.split())


_COMPOUND_ADJECTIVE = re.compile(r"^[A-Za-z0-9]+-[a-z]+ed$")


def _name_rank(term: str, forms: dict[str, str]) -> int:
    """Which terms a name tries first: phrases, then single words, then a hyphenated pair
    ending in a participle as titles write it ("pre-trained", "LLM-based"), which says what
    kind, not what, so it is a last resort."""
    if " " not in term:
        return 1
    return 2 if _COMPOUND_ADJECTIVE.match(forms.get(term, "")) else 0


def phrase_name(terms: list[str], forms: dict[str, str], texts: Sequence[str] = ()) -> str:
    """A readable name from ranked terms: the best phrases, not stems or single words alone,
    written as the titles (else ``texts``, the topic's abstracts) write them."""
    chosen: list[str] = []
    for term in sorted(terms, key=lambda t: _name_rank(t, forms)):  # stable: ranked order within a kind
        if len(chosen) == 2:
            break
        words = set(term.split())
        if any(words & set(c.split()) for c in chosen):
            continue
        # "RL training" and "reinforcement learning" say the same thing twice
        if any(_initials(term) in c.split() or _initials(c) in words for c in chosen):
            continue
        chosen.append(term)
    if not chosen:
        return "Miscellaneous"
    forms = text_forms(chosen, texts, forms)
    written = [forms.get(c) or " ".join(forms.get(w, w) for w in c.split()) for c in chosen]
    name = " & ".join(written)
    return name[0].upper() + name[1:]
