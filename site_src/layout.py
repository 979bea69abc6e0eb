"""2-D map coordinates and similar papers.

The layout is anchored on topics: topic centroids are placed by classical MDS on their cosine
distances, then each paper sits in its topic's disc by a 2-D PCA of its topic's members, pulled a
little toward its second-nearest topic. It is linear in the number of papers (t-SNE and UMAP
are minutes at 100k on two cores) and deterministic.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


def _mds(d: np.ndarray) -> np.ndarray:
    k = len(d)
    if k == 1:
        return np.zeros((1, 2))
    j = np.eye(k) - 1.0 / k
    b = -0.5 * j @ (d**2) @ j
    vals, vecs = np.linalg.eigh(b)
    order = np.argsort(-vals)[:2]
    pos = vecs[:, order] * np.sqrt(np.maximum(vals[order], 1e-9))
    pos *= np.sign(pos[np.abs(pos).argmax(axis=0), [0, 1]])  # fixed orientation
    if pos.shape[1] < 2:
        pos = np.pad(pos, ((0, 0), (0, 2 - pos.shape[1])))
    return pos


def _spread(pos: np.ndarray, radius: np.ndarray, iterations: int = 200) -> np.ndarray:
    """Push topic discs apart until they barely overlap, keeping the MDS arrangement."""
    pos = pos.copy()
    for _ in range(iterations):
        moved = False
        for i in range(len(pos)):
            delta = pos[i] - pos
            dist = np.linalg.norm(delta, axis=1)
            need = (radius[i] + radius) * 1.05
            mask = (dist < need) & (np.arange(len(pos)) != i)
            if mask.any():
                moved = True
                for j in np.flatnonzero(mask):
                    direction = delta[j] / dist[j] if dist[j] > 1e-9 else np.array([np.cos(i + j), np.sin(i + j)])
                    push = (need[j] - dist[j]) / 2
                    pos[i] += direction * push
                    pos[j] -= direction * push
        if not moved:
            break
    return pos


@dataclass(frozen=True)
class Layout:
    """How a fitted map places papers: each topic's disc (anchor, radius) and the 2-D
    projection of its members (mean, two directions, extent)."""

    anchor: np.ndarray  # k x 2
    radius: np.ndarray  # k
    centroids: np.ndarray  # k x d
    mean: dict[int, np.ndarray]  # topic -> d
    axes: dict[int, np.ndarray]  # topic -> 2 x d (None-like zeros for tiny topics)
    extent: dict[int, float]


def layout(x: np.ndarray, group: np.ndarray, centroids: np.ndarray) -> tuple[np.ndarray, Layout]:
    """n x 2 coordinates for papers ``x`` (L2-normalised rows) in groups with ``centroids``,
    and the fitted layout that places further papers the same way."""
    k = len(centroids)
    sizes = np.bincount(group, minlength=k).astype(float)
    radius = np.sqrt(np.maximum(sizes, 1)) * 0.06
    d = np.clip(1 - centroids @ centroids.T, 0, 2)
    anchor = _mds(d)
    scale = (radius.sum() / max(np.abs(anchor).sum(), 1e-9)) * 2 if k > 1 else 1
    anchor = _spread(anchor * scale, radius)
    mean, axes, extent = {}, {}, {}
    for c in range(k):
        idx = np.flatnonzero(group == c)
        if not len(idx):
            continue
        mean[c] = x[idx].mean(axis=0)
        if len(idx) > 2:
            local = x[idx] - mean[c]
            _, _, vt = np.linalg.svd(local, full_matrices=False)
            proj = local @ vt[:2].T
            sign = np.sign(proj[np.abs(proj).argmax(axis=0), [0, 1]])
            axes[c] = vt[:2] * sign[:, None]
            # scale the projection into the disc, robust to a few far points
            extent[c] = float(np.percentile(np.linalg.norm(proj, axis=1), 95))
        else:
            axes[c] = np.zeros((2, x.shape[1]), dtype=x.dtype)
            extent[c] = 1.0
    fitted = Layout(anchor, radius, centroids, mean, axes, extent)
    return place_points(fitted, x, group), fitted


def place_points(fitted: Layout, x: np.ndarray, group: np.ndarray) -> np.ndarray:
    """Coordinates of papers ``x`` in their groups' discs, pulled a little toward the nearest
    other topic by how close they are to it."""
    k = len(fitted.centroids)
    anchor, radius = fitted.anchor, fitted.radius
    out = np.zeros((len(x), 2))
    sims = x @ fitted.centroids.T
    for c in np.unique(group):
        idx = np.flatnonzero(group == c)
        if c in fitted.mean:
            proj = (x[idx] - fitted.mean[c]) @ fitted.axes[c].T
            proj = proj / max(fitted.extent[c], 1e-9) * radius[c]
        else:  # a topic without papers in the fit: its anchor
            proj = np.zeros((len(idx), 2))
        norms = np.linalg.norm(proj, axis=1, keepdims=True)
        proj = np.where(norms > radius[c] * 1.1, proj / np.maximum(norms, 1e-9) * radius[c] * 1.1, proj)
        # pull toward the second-nearest topic by how close the paper is to it
        s = sims[idx].copy()
        s[:, c] = -np.inf
        second = s.argmax(axis=1) if k > 1 else np.zeros(len(idx), int)
        pull = np.clip(s[np.arange(len(idx)), second], 0, 1)[:, None] * 0.35 if k > 1 else 0
        direction = anchor[second] - anchor[c]
        direction /= np.maximum(np.linalg.norm(direction, axis=1, keepdims=True), 1e-9)
        out[idx] = anchor[c] + proj + direction * pull * radius[c]
    return np.round(out, 4)


def similar_papers(vectors, n: int, *, chunk: int = 2000, blocks=None) -> tuple[np.ndarray, np.ndarray]:
    """Indices of the ``n`` most similar papers of each paper (cosine on the rows of
    ``vectors``: sparse TF-IDF rows, or their dense LSA projection for large corpora), and
    their similarities (-inf where a paper has fewer than ``n`` candidates).

    Exact, in row chunks so memory stays bounded. ``blocks`` (a list of (rows, candidates)
    index arrays, candidates sorted) limits where each paper's neighbours are searched, e.g.
    its topic and the topics next to it, for large corpora.
    """
    dense = isinstance(vectors, np.ndarray)
    total = vectors.shape[0]
    n = min(n, total - 1)
    out = np.full((total, max(n, 0)), -1, dtype=np.int64)
    sim_out = np.full((total, max(n, 0)), -np.inf, dtype=np.float32)
    if n <= 0:
        return out, sim_out
    everyone = np.arange(total)
    for rows, cols in blocks if blocks is not None else [(everyone, everyone)]:
        sub = vectors[cols]
        subt = sub.T if dense else sub.T.tocsr()
        m = min(n, len(cols) - 1)
        if m <= 0:
            continue
        for start in range(0, len(rows), chunk):
            r = rows[start : start + chunk]
            sims = vectors[r] @ subt
            sims = sims if dense else sims.toarray()
            pos = np.minimum(np.searchsorted(cols, r), len(cols) - 1)
            own = cols[pos] == r
            sims[np.flatnonzero(own), pos[own]] = -np.inf  # not itself
            top, best = top_k(sims, m)
            out[r, :m] = cols[top]
            sim_out[r, :m] = best
    return out, sim_out


GROUP = 64  # columns per group in top_k's first pass


def top_k(sims: np.ndarray, m: int) -> tuple[np.ndarray, np.ndarray]:
    """Column indices and values of each row's ``m`` largest values, largest first, ties by
    column (deterministic).

    A partition of every row costs ~30 ns a value (most of the similar-papers step at 100k
    papers), so rows are first cut into groups of GROUP columns: the m-th largest group maximum
    is a floor no row's m-th value is under, and only the few values at or above it are sorted."""
    rows, cols = sims.shape
    groups = cols // GROUP
    if groups <= m:
        return _sorted_whole(sims, m)
    maxima = sims[:, : groups * GROUP].reshape(rows, groups, GROUP).max(axis=2)
    if cols > groups * GROUP:
        maxima = np.hstack([maxima, sims[:, groups * GROUP :].max(axis=1, keepdims=True)])
    if np.isnan(maxima).any():  # NaN hides its group's other values; the vectoriser never makes one
        return _sorted_whole(sims, m)
    floor = np.partition(maxima, maxima.shape[1] - m, axis=1)[:, maxima.shape[1] - m]
    reached = maxima >= floor[:, None]
    heavy = reached.sum(axis=1) > 4 * m  # a row of ties at the floor (a paper with no terms: all 0)
    if not heavy.any():
        return _above_floor(sims, reached, floor, m)
    top, val = np.empty((rows, m), dtype=np.int64), np.empty((rows, m), dtype=np.float32)
    top[heavy], val[heavy] = _sorted_whole(sims[heavy], m)
    light = ~heavy
    if light.any():
        top[light], val[light] = _above_floor(sims[light], reached[light], floor[light], m)
    return top, val


def _above_floor(sims: np.ndarray, reached: np.ndarray, floor: np.ndarray, m: int) -> tuple[np.ndarray, np.ndarray]:
    """top_k from the values at or above each row's floor (at least m a row: the m group
    maxima), read only in the groups whose maximum reaches it (``reached``)."""
    rows, cols = sims.shape
    gr, gg = np.nonzero(reached)
    c = gg[:, None] * GROUP + np.arange(GROUP)
    inside = c < cols  # the last group may be short
    c = np.minimum(c, cols - 1)
    v = sims[gr[:, None], c]
    keep = inside & (v >= floor[gr][:, None])
    r, c, v = np.broadcast_to(gr[:, None], c.shape)[keep], c[keep], v[keep]
    order = np.lexsort((c, -v, r))  # by row, then largest first, then by column
    first = np.searchsorted(r[order], np.arange(rows))
    pick = order[first[:, None] + np.arange(m)]
    return c[pick], v[pick].astype(np.float32)


def _sorted_whole(sims: np.ndarray, m: int) -> tuple[np.ndarray, np.ndarray]:
    """top_k by sorting each row whole (narrow rows)."""
    top = np.lexsort((np.broadcast_to(np.arange(sims.shape[1]), sims.shape), -sims), axis=1)[:, :m]
    return top, np.take_along_axis(sims, top, axis=1).astype(np.float32)
