"""TF-IDF vectors of titles and abstracts, and a dense LSA reduction of them."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import sparse

TOKEN_PATTERN = r"(?u)\b[^\W\d_][^\W_]+\b"
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


def vectorise(texts: list[str], *, max_features: int, random_state: int) -> Vectors:
    from sklearn.decomposition import TruncatedSVD
    from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS, TfidfVectorizer

    n = len(texts)
    vectorizer = TfidfVectorizer(
        stop_words=sorted(ENGLISH_STOP_WORDS | EXTRA_STOP),
        token_pattern=TOKEN_PATTERN,
        ngram_range=(1, 2),
        min_df=2 if n >= 40 else 1,
        max_df=0.5 if n >= 40 else 1.0,
        sublinear_tf=True,
        max_features=max_features,
        dtype=np.float32,
    )
    tfidf = vectorizer.fit_transform(texts).tocsr()
    terms = vectorizer.get_feature_names_out()
    dims = max(1, min(100, n - 1, tfidf.shape[1] - 1))
    if dims >= 2:
        svd = TruncatedSVD(n_components=dims, algorithm="randomized", n_iter=5, random_state=random_state)
        lsa = svd.fit_transform(tfidf).astype(np.float32)
        # a deterministic sign per component, so equal input gives equal layouts
        signs = np.sign(svd.components_[np.arange(dims), np.abs(svd.components_).argmax(axis=1)])
        lsa *= signs.astype(np.float32)
    else:
        lsa = tfidf.toarray().astype(np.float32)
    norms = np.linalg.norm(lsa, axis=1, keepdims=True)
    lsa = lsa / np.where(norms == 0, 1, norms)
    return Vectors(tfidf=tfidf, terms=terms, lsa=lsa)
