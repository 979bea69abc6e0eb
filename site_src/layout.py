"""2-D map coordinates and similar papers.

The layout is anchored on topics: topic centroids are placed by classical MDS on their cosine
distances, then each paper sits in its topic's disc by a 2-D PCA of its topic's members, pulled a
little toward its second-nearest topic. It is linear in the number of papers (t-SNE and UMAP
are minutes at 100k on two cores) and deterministic.
"""

from __future__ import annotations

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


def layout(x: np.ndarray, group: np.ndarray, centroids: np.ndarray) -> np.ndarray:
    """n x 2 coordinates for papers ``x`` (L2-normalised rows) in groups with ``centroids``."""
    k = len(centroids)
    sizes = np.bincount(group, minlength=k).astype(float)
    radius = np.sqrt(np.maximum(sizes, 1)) * 0.06
    d = np.clip(1 - centroids @ centroids.T, 0, 2)
    anchor = _mds(d)
    scale = (radius.sum() / max(np.abs(anchor).sum(), 1e-9)) * 2 if k > 1 else 1
    anchor = _spread(anchor * scale, radius)
    out = np.zeros((len(x), 2))
    sims = x @ centroids.T
    for c in range(k):
        idx = np.flatnonzero(group == c)
        if not len(idx):
            continue
        local = x[idx] - x[idx].mean(axis=0)
        if len(idx) > 2:
            _, _, vt = np.linalg.svd(local, full_matrices=False)
            proj = local @ vt[:2].T
            proj *= np.sign(proj[np.abs(proj).argmax(axis=0), [0, 1]])
        else:
            proj = np.zeros((len(idx), 2))
        # scale the projection into the disc, robust to a few far points
        extent = np.percentile(np.linalg.norm(proj, axis=1), 95) if len(idx) > 2 else 1
        proj = proj / max(extent, 1e-9) * radius[c]
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


def similar_papers(vectors, n: int, *, chunk: int = 2000, blocks=None) -> np.ndarray:
    """Indices of the ``n`` most similar papers of each paper (cosine on the rows of
    ``vectors``: sparse TF-IDF rows, or their dense LSA projection for large corpora).

    Exact, in row chunks so memory stays bounded. ``blocks`` (a list of (rows, candidates)
    index arrays, candidates sorted) limits where each paper's neighbours are searched, e.g.
    its topic and the topics next to it, for large corpora.
    """
    dense = isinstance(vectors, np.ndarray)
    total = vectors.shape[0]
    n = min(n, total - 1)
    out = np.full((total, max(n, 0)), -1, dtype=np.int64)
    if n <= 0:
        return out
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
            top = np.argpartition(-sims, m - 1, axis=1)[:, :m]
            # order by similarity, then index, for deterministic ties
            keyed = np.lexsort((top, -np.take_along_axis(sims, top, axis=1)), axis=1)
            out[r, :m] = cols[np.take_along_axis(top, keyed, axis=1)]
    return out
