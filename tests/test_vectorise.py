"""The NumPy term counter gives scikit-learn's CountVectorizer matrix, faster."""

import random

import numpy as np
import pytest
from sklearn.feature_extraction.text import CountVectorizer

from site_src.vectorise import TOKEN_PATTERN, count_terms, stop_words, transform, vectorise

WORDS = ("expert routing cache attention memory training parallel gradient token layer model "
         "the of and we propose large language models éclair naïve 3d x2 kv_cache a1 b").split()


def texts(n, seed=0):
    rng = random.Random(seed)
    out = []
    for _ in range(n):
        words = [rng.choice(WORDS) for _ in range(rng.randint(0, 40))]
        # punctuation, case and digits exercise the token pattern
        out.append(" ".join(w.upper() if rng.random() < 0.1 else w for w in words) + rng.choice([".", "!", " 42", ""]))
    return out


def sklearn_counts(docs, min_df, max_df, max_features=None):
    cv = CountVectorizer(stop_words=sorted(stop_words()), token_pattern=TOKEN_PATTERN, ngram_range=(1, 2),
                         min_df=min_df, max_df=max_df, max_features=max_features, dtype=np.float32)
    return cv.fit_transform(docs), list(cv.get_feature_names_out())


@pytest.mark.parametrize("seed", [0, 1, 2])
@pytest.mark.parametrize("min_df,max_df", [(1, 1.0), (2, 0.5), (3, 0.9)])
def test_same_terms_and_counts_as_countvectorizer(seed, min_df, max_df):
    docs = texts(300, seed)
    mine, names = count_terms(docs, stop=stop_words(), min_df=min_df, max_df=max_df, max_features=None)
    theirs, their_names = sklearn_counts(docs, min_df, max_df)
    assert list(names) == their_names
    assert (mine != theirs).nnz == 0


def test_same_on_real_abstracts(seed_papers):
    docs = [p.text for p in seed_papers]
    mine, names = count_terms(docs, stop=stop_words(), min_df=2, max_df=0.5, max_features=None)
    theirs, their_names = sklearn_counts(docs, 2, 0.5)
    assert list(names) == their_names and (mine != theirs).nnz == 0


def test_max_features_keeps_the_most_frequent_terms():
    docs = texts(400, 5)
    full, names = count_terms(docs, stop=stop_words(), min_df=1, max_df=1.0, max_features=None)
    capped, kept = count_terms(docs, stop=stop_words(), min_df=1, max_df=1.0, max_features=20)
    assert len(kept) == 20
    total = dict(zip(names, np.asarray(full.sum(axis=0)).ravel()))
    dropped = set(names) - set(kept)
    assert min(total[t] for t in kept) >= max(total[t] for t in dropped)
    # the capped columns are the full matrix's columns of those terms
    cols = [list(names).index(t) for t in kept]
    assert (capped != full[:, cols]).nnz == 0


def test_empty_and_tiny_inputs():
    m, names = count_terms(["", "!!", "a"], stop=stop_words(), min_df=1, max_df=1.0, max_features=None)
    assert m.shape == (3, 0) and len(names) == 0
    assert vectorise(["", "!!", "a"], max_features=10, random_state=0).lsa.shape == (3, 1)
    v = vectorise(["mixture of experts routing", "kv cache eviction policy"], max_features=100, random_state=0)
    assert v.tfidf.shape[0] == 2 and np.allclose(np.linalg.norm(v.lsa, axis=1), 1, atol=1e-5)


def test_stop_words_without_importing_scikit_learn_are_scikit_learns():
    import subprocess
    import sys

    from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

    from site_src.vectorise import EXTRA_STOP

    code = ("import sys; from site_src.vectorise import stop_words; w = stop_words(); "
            "print('sklearn' in sys.modules); print(' '.join(sorted(w)))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.splitlines()
    assert out[0] == "False"  # read from its module file, the package not imported
    assert set(out[1].split()) == set(ENGLISH_STOP_WORDS | EXTRA_STOP)


def test_transform_puts_new_texts_where_the_fit_put_them(seed_papers):
    texts = [p.text for p in seed_papers]
    v = vectorise(texts, max_features=50000, random_state=0)
    tfidf, lsa = transform(v, texts[:20])
    # the fit's own papers, vectorised again, land on their own vectors
    assert abs(tfidf - v.tfidf[:20]).max() < 1e-5
    assert np.allclose(lsa, v.lsa[:20], atol=1e-4)
    unseen, _ = transform(v, ["zzzz qqqq xyzzyq"])
    assert unseen.nnz == 0
