"""Similar papers (site_src/layout.py): the n most similar of each paper, exactly, whatever
path finds them."""

import numpy as np
import pytest

from site_src.layout import GROUP, similar_papers, top_k


def reference(sims: np.ndarray, m: int):
    """Each row sorted whole: largest first, ties by column."""
    cols = np.arange(sims.shape[1])
    order = np.array([np.lexsort((cols, -row))[:m] for row in sims])
    return order, np.take_along_axis(sims, order, axis=1).astype(np.float32)


@pytest.mark.parametrize("cols", [GROUP * 3, GROUP * 10 + 5, GROUP * 40, GROUP * 40 + 17, 1000])
@pytest.mark.parametrize("m", [1, 10])
def test_top_k_is_each_rows_largest_values_ties_by_column(cols, m):
    rng = np.random.default_rng(cols + m)
    sims = rng.normal(size=(60, cols)).astype(np.float32)
    sims[::3] = np.round(sims[::3], 1)  # many ties, the m-th value among them
    sims[1, :] = 0.5  # a row of one value
    sims[2, : cols // 2] = -np.inf  # a paper's own place and others ruled out
    top, val = top_k(sims, m)
    want_top, want_val = reference(sims, m)
    assert np.array_equal(top, want_top) and np.array_equal(val, want_val)


def test_similar_papers_in_blocks_are_the_nearest_of_each_block_never_the_paper_itself():
    rng = np.random.default_rng(3)
    x = rng.normal(size=(900, 16)).astype(np.float32)
    x /= np.linalg.norm(x, axis=1, keepdims=True)
    group = rng.integers(0, 3, len(x))
    blocks = [(np.flatnonzero(group == g), np.flatnonzero(group != (g + 1) % 3)) for g in range(3)]
    idx, val = similar_papers(x, 5, blocks=blocks, chunk=128)
    for rows, cols in blocks:
        sims = x[rows] @ x[cols].T
        for i, r in enumerate(rows):
            sims[i, cols == r] = -np.inf  # not itself
        want_top, want_val = reference(sims, 5)
        assert np.array_equal(idx[rows], cols[want_top]) and np.allclose(val[rows], want_val)
    assert not (idx == np.arange(len(x))[:, None]).any()


def test_a_nan_or_a_row_of_ties_gives_what_a_whole_row_sort_gives():
    rng = np.random.default_rng(9)
    sims = rng.normal(size=(20, GROUP * 30)).astype(np.float32)
    sims[4] = -1.0
    sims[4, 0] = np.nan  # its group's maximum is NaN: the 5.0 beside it must still be found
    sims[4, 6] = 5.0
    sims[4, GROUP * 4 : GROUP * 5] = 0.9  # one group holds ten values above the rest
    sims[7] = 0.0  # a paper with no terms: every value ties
    sims[9, :] = 0.0
    sims[9, [3, 700, 1500]] = [0.4, 0.2, 0.1]  # a few values, in fewer groups than m
    top, val = top_k(sims, 10)
    want_top, want_val = reference(sims, 10)  # a whole-row sort puts NaN last
    assert np.array_equal(top, want_top) and np.array_equal(val, want_val)
    assert 6 in top[4]


def test_similar_papers_of_sparse_rows_and_of_a_block_with_too_few_candidates():
    from scipy import sparse

    rng = np.random.default_rng(5)
    dense = np.where(rng.random((300, 40)) < 0.1, rng.random((300, 40)), 0).astype(np.float32)
    dense /= np.maximum(np.linalg.norm(dense, axis=1, keepdims=True), 1e-9)
    idx, val = similar_papers(sparse.csr_matrix(dense), 5)
    assert np.array_equal(idx, similar_papers(dense, 5)[0]) and np.allclose(val, similar_papers(dense, 5)[1])
    rows = np.arange(3)
    idx, val = similar_papers(dense, 5, blocks=[(rows, rows)])  # 2 others to choose from
    assert (idx[:3, 2:] == -1).all() and np.isneginf(val[:3, 2:]).all() and (idx[:3, :2] >= 0).all()
