"""TF-IDF vectors of titles and abstracts, and a dense LSA reduction of them.

Term counting is done here with NumPy rather than by scikit-learn's CountVectorizer: the
vectoriser keeps a Python dict entry for every distinct bigram of the corpus (over a million at
10,000 papers) and sorts it, which was 5 of the 10k build's 16 s. Here tokens become integer
ids once, bigrams are pairs of ids, and document frequencies come from one sort of integer
keys. The matrix is the one CountVectorizer(ngram_range=(1, 2), stop_words=..., min_df,
max_df, max_features) gives (tests/test_vectorise.py checks it), and weighting stays
scikit-learn's TfidfTransformer.
"""

from __future__ import annotations

import functools
import re
from collections import Counter
from pathlib import Path
from dataclasses import dataclass

import numpy as np
from scipy import sparse

TOKEN_PATTERN = r"(?u)\b[^\W\d_][^\W_]+\b"
TOKEN_CHUNK = 5000  # texts tokenised at once
# Words every abstract uses: they carry no topic.
EXTRA_STOP = {
    "paper", "propose", "proposed", "proposes", "method", "methods", "approach", "approaches",
    "results", "show", "shows", "novel", "new", "existing", "based", "using", "use", "used",
    "achieve", "achieves", "achieving", "performance", "state", "art", "work", "framework",
    "significantly", "furthermore", "moreover", "however", "demonstrate", "experiments",
    "experimental", "extensive", "effectiveness", "effective", "introduce", "present", "code",
    "available", "github", "com", "https", "http", "www", "outperforms", "improves", "improve",
    "improved", "compared", "various", "including", "different", "key", "address", "recent",
    "recently", "study", "studies", "task", "tasks", "models", "model", "large",
}


@dataclass(frozen=True)
class Vectors:
    tfidf: sparse.csr_matrix  # n x V, rows L2-normalised, float32
    terms: np.ndarray  # V feature names
    lsa: np.ndarray  # n x d, rows L2-normalised, float32
    idf: np.ndarray | None = None  # V inverse document frequencies (to vectorise new texts alike)
    components: np.ndarray | None = None  # d x V LSA directions, signs fixed (None: LSA is the TF-IDF itself)


@functools.lru_cache(maxsize=1)
def stop_words() -> frozenset[str]:
    """scikit-learn's English stop words and ours. The list is read from its own module file
    so that a process needing only the words (the keyword worker) does not import scikit-learn
    (0.8 s); when scikit-learn is already imported, or its layout differs, it is imported."""
    import importlib.util
    import sys

    words = None
    if "sklearn.feature_extraction" not in sys.modules:
        spec = importlib.util.find_spec("sklearn")  # finds the package without running it
        path = Path(spec.submodule_search_locations[0], "feature_extraction", "_stop_words.py") if spec else None
        if path is not None and path.exists():
            module_spec = importlib.util.spec_from_file_location("_researchmap_stop_words", path)
            module = importlib.util.module_from_spec(module_spec)
            module_spec.loader.exec_module(module)
            words = getattr(module, "ENGLISH_STOP_WORDS", None)
    if words is None:
        from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS as words
    return frozenset(words | EXTRA_STOP)


def count_terms(
    texts: list[str], *, stop: frozenset[str], min_df: int, max_df: float, max_features: int | None
) -> tuple[sparse.csr_matrix, np.ndarray]:
    """Unigram + bigram counts (bigrams of adjacent words once stop words are removed), keeping
    terms in at least ``min_df`` and at most ``max_df`` (a fraction) of the texts, then the
    ``max_features`` most frequent; columns in alphabetical order of the terms."""
    token = re.compile(TOKEN_PATTERN)
    # words become ids chunk by chunk (ids in first-seen order, renumbered alphabetically
    # below): 100,000 abstracts hold 17 million words, too many to keep as strings at once
    seen: dict[str, int] = {}
    chunks, lengths = [], []
    for start in range(0, len(texts), TOKEN_CHUNK):
        docs = [[w for w in token.findall(t.lower()) if w not in stop] for t in texts[start : start + TOKEN_CHUNK]]
        lengths.extend(len(d) for d in docs)
        chunks.append(np.fromiter((seen.setdefault(w, len(seen)) for d in docs for w in d), dtype=np.int64,
                                  count=sum(len(d) for d in docs)))
    words_sorted = sorted(seen)
    rank = np.empty(len(seen), dtype=np.int64)
    rank[np.fromiter((seen[w] for w in words_sorted), dtype=np.int64, count=len(seen))] = np.arange(len(seen))
    v = len(words_sorted)
    n = len(texts)
    lengths = np.array(lengths, dtype=np.int64)
    ids = rank[np.concatenate(chunks)] if chunks else np.zeros(0, np.int64)
    del chunks, seen
    doc = np.repeat(np.arange(n, dtype=np.int64), lengths)
    same = doc[1:] == doc[:-1]
    # a term id space shared by unigrams (0..v-1) and bigrams (v + a*v + b); (term, doc) pairs
    # counted by sorting combined keys term * n + doc, unigrams and bigrams apart (their key
    # ranges do not overlap, so the two sorted halves are sorted together) to halve the memory
    uni = ids * n
    uni += doc
    uni_keys, uni_counts = np.unique(uni, return_counts=True)
    del uni
    bi = ids[:-1][same] * v
    bi += ids[1:][same]
    bi += v
    bi *= n
    bi += doc[:-1][same]
    del ids, doc, same
    bi_keys, bi_counts = np.unique(bi, return_counts=True)
    del bi
    keys, counts = np.concatenate([uni_keys, bi_keys]), np.concatenate([uni_counts, bi_counts])
    del uni_keys, bi_keys, uni_counts, bi_counts
    if not len(keys):
        return sparse.csr_matrix((n, 0), dtype=np.float32), np.array([], dtype=str)
    k_term = keys // n
    keys -= k_term * n
    k_doc = keys.astype(np.int32)
    del keys
    counts = counts.astype(np.int32)
    starts = np.flatnonzero(np.r_[True, k_term[1:] != k_term[:-1]])
    uterm = k_term[starts]
    df = np.diff(np.r_[starts, len(k_term)])  # documents per term: each (term, doc) key is one
    del k_term
    tf = np.add.reduceat(counts, starts, dtype=np.int64) if len(starts) else np.zeros(0, np.int64)
    keep = (df >= min_df) & (df <= max_df * n)
    if max_features is not None and keep.sum() > max_features:
        # the most frequent terms; ties broken by term id (alphabetical), so always the same set
        cand = np.flatnonzero(keep)
        order = np.lexsort((uterm[cand], -tf[cand]))[:max_features]
        keep = np.zeros_like(keep)
        keep[cand[order]] = True
    kept = uterm[keep]
    names = np.array([_term_name(t, v, words_sorted) for t in kept.tolist()], dtype=object)
    alpha = np.argsort(names, kind="stable")
    names = names[alpha]
    column = np.full(len(uterm), -1, dtype=np.int32)
    column[np.flatnonzero(keep)[alpha]] = np.arange(len(alpha), dtype=np.int32)
    ok = np.repeat(keep, df)
    col_of_key = np.repeat(column[keep], df[keep])
    matrix = sparse.csr_matrix(
        (counts[ok].astype(np.float32), (k_doc[ok], col_of_key)), shape=(n, len(names)), dtype=np.float32
    )
    matrix.sort_indices()
    return matrix, names.astype(str)


def _term_name(term: int, v: int, words: list[str]) -> str:
    if term < v:
        return words[term]
    a, b = divmod(term - v, v)
    return f"{words[a]} {words[b]}"


def vectorise(texts: list[str], *, max_features: int, random_state: int) -> Vectors:
    from sklearn.decomposition import TruncatedSVD
    from sklearn.feature_extraction.text import TfidfTransformer

    n = len(texts)
    counts, terms = count_terms(
        texts, stop=stop_words(), min_df=2 if n >= 40 else 1, max_df=0.5 if n >= 40 else 1.0, max_features=max_features
    )
    if counts.shape[1] == 0:  # no words at all: nothing to place, every paper alike
        return Vectors(tfidf=counts, terms=terms, lsa=np.zeros((n, 1), dtype=np.float32))
    weighting = TfidfTransformer(sublinear_tf=True).fit(counts)
    tfidf = weighting.transform(counts).astype(np.float32).tocsr()
    dims = max(1, min(100, n - 1, tfidf.shape[1] - 1))
    components = None
    if dims >= 2:
        svd = TruncatedSVD(n_components=dims, algorithm="randomized", n_iter=5, random_state=random_state)
        lsa = svd.fit_transform(tfidf).astype(np.float32)
        # a deterministic sign per component, so equal input gives equal layouts
        signs = np.sign(svd.components_[np.arange(dims), np.abs(svd.components_).argmax(axis=1)])
        lsa *= signs.astype(np.float32)
        components = (svd.components_ * signs[:, None]).astype(np.float32)
    else:
        lsa = tfidf.toarray().astype(np.float32)
    return Vectors(tfidf=tfidf, terms=terms, lsa=_unit(lsa), idf=weighting.idf_.astype(np.float32), components=components)


def _unit(rows: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(rows, axis=1, keepdims=True)
    return rows / np.where(norms == 0, 1, norms)


def transform(vectors: Vectors, texts: list[str]) -> tuple[sparse.csr_matrix, np.ndarray]:
    """TF-IDF rows and LSA vectors of new texts in a fitted space (same vocabulary, IDF and
    directions; words the fit did not keep are ignored), as the fit computed its own."""
    column = {t: j for j, t in enumerate(vectors.terms.tolist())}
    stop = stop_words()
    token = re.compile(TOKEN_PATTERN)
    indptr, indices, data = [0], [], []
    for text in texts:
        words = [w for w in token.findall(text.lower()) if w not in stop]
        counts = Counter(words + [f"{a} {b}" for a, b in zip(words, words[1:])])
        cols = sorted((column[t], c) for t, c in counts.items() if t in column)
        indices.extend(j for j, _ in cols)
        data.extend(c for _, c in cols)
        indptr.append(len(indices))
    counts = sparse.csr_matrix((np.array(data, np.float32), indices, indptr), shape=(len(texts), len(column)))
    if vectors.idf is None:
        return counts, np.zeros((len(texts), vectors.lsa.shape[1]), np.float32)
    tf = counts.copy()
    tf.data = np.log(tf.data) + 1.0  # sublinear tf, as TfidfTransformer(sublinear_tf=True)
    tfidf = sparse.csr_matrix(tf.multiply(vectors.idf), dtype=np.float32)
    norms = np.sqrt(np.asarray(tfidf.multiply(tfidf).sum(axis=1)).ravel())
    tfidf = sparse.diags(1.0 / np.where(norms == 0, 1.0, norms)).astype(np.float32) @ tfidf  # rows to unit length
    lsa = tfidf @ vectors.components.T if vectors.components is not None else tfidf.toarray()
    return tfidf, _unit(np.asarray(lsa, dtype=np.float32))
