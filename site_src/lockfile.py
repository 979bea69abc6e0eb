"""``content/topics.lock.json``: keeps topic slugs and names stable across rebuilds.

Like a package lock file, it is committed by the user. It records each clustered topic's slug,
name and member paper ids, the papers set apart as outliers (so a rebuild keeps them apart; see
topics.outlier_limits), every paper's id by its key (so its URL stays), and which dumps the
model was fitted on (papers of dumps added later are placed into that model until they are too
many; see place.py). A new build matches its clusters to the locked topics by how many of
a locked topic's (still present) papers each cluster holds: a cluster holding at least half of
them keeps that topic's slug and name. Other clusters get new slugs; a locked topic no cluster
matches is removed, and its URL redirects to the topic that took most of its papers.
"""

from __future__ import annotations

import dataclasses
import json
from dataclasses import dataclass, field
from pathlib import Path

from .errors import ContentError, shown_path
from .merge import abstract_key, lock_key
from .readers import LOCK_NAME
from .slugs import slugify

KEEP_FRACTION = 0.5


@dataclass(frozen=True)
class LockedTopic:
    slug: str
    name: str
    papers: frozenset[str]


@dataclass(frozen=True)
class Lock:
    topics: tuple[LockedTopic, ...] = ()
    redirects: dict[str, str] = field(default_factory=dict)
    k: int = 0  # clusters of the build that wrote the lock (before named topics absorbed some)
    n: int = 0  # papers its k was chosen or grown for (kept while k stays)
    corpus: str = ""  # digest of that build's paper ids
    anchors: tuple[LockedTopic, ...] = ()  # the topics that build's k-means started from
    reason: str = ""  # why k is what it is
    fitted: dict[str, str] = field(default_factory=dict)  # dumps the model was fitted on: path -> sha256
    # the papers of each cluster that build folded into a named topic: with ``topics`` they are
    # all k clusters, where a refit of a changed corpus starts
    absorbed: tuple[frozenset[str], ...] = ()
    # every paper's id (its URL) by its merge.lock_key: a paper keeps its URL when its title changes
    # or another paper's title makes the same slug (merge.keep_ids)
    papers: dict[str, str] = field(default_factory=dict)
    # the papers that build's outlier cut took off their cluster (to "Other papers", unless a
    # named topic holds them), each with the slug of that cluster's topic; and the threshold
    outliers: dict[str, str] = field(default_factory=dict)
    outlier_similarity: float = 0.0
    # the named topics that build had, with their members: a named topic the config no longer
    # has (its slug renamed, or dropped) redirects to where its papers went (named_redirects)
    named: tuple[LockedTopic, ...] = ()

    def clusters(self) -> tuple[LockedTopic, ...]:
        """Every cluster of the build that wrote the lock, in a fixed order: its topics (with
        the papers the outlier cut took off them, as k-means had them), then the clusters named
        topics absorbed (no slug)."""
        cut: dict[str, set[str]] = {}
        for pid, slug in self.outliers.items():
            cut.setdefault(slug, set()).add(pid)
        return tuple(LockedTopic(t.slug, t.name, t.papers | cut.get(t.slug, set())) for t in sorted(self.topics, key=lambda t: t.slug)) + tuple(
            LockedTopic("", "", a) for a in sorted(self.absorbed, key=lambda a: min(a, default="")))


def _topic(t: dict, named: bool = True) -> LockedTopic:
    """A topic of the lock, its fields checked (a hand-edited lock may hold anything)."""
    slug, name, papers = t["slug"], t["name"] if named else "", t["papers"]
    if not (isinstance(slug, str) and isinstance(name, str) and isinstance(papers, list) and all(isinstance(p, str) for p in papers)):
        raise TypeError(f"topic {slug!r}: slug and name must be strings, papers a list of strings")
    return LockedTopic(slug, name, frozenset(papers))


def read_lock(path: Path) -> Lock:
    if not path.exists():
        return Lock()
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise ContentError(shown_path(str(path)), exc.lineno, f"lock file is damaged ({exc.msg}); delete it to start afresh") from None
    try:
        topics = tuple(_topic(t) for t in data.get("topics", []))
        redirects = {str(k): str(v) for k, v in data.get("redirects", {}).items()}
        k, n, corpus, reason = int(data.get("k", 0)), int(data.get("n", 0)), str(data.get("corpus", "")), str(data.get("reason", ""))
        anchors = tuple(_topic(t, named=False) for t in data.get("anchors", []))
        fitted = {str(k): str(v) for k, v in data.get("fitted", {}).items()}
        absorbed = tuple(frozenset(map(str, a)) for a in data.get("absorbed", []))
        papers = {str(k): str(v) for k, v in data.get("papers", {}).items()}
        outliers = {str(k): str(v) for k, v in data.get("outliers", {}).items()}
        outlier_similarity = float(data.get("outlier_similarity", 0.0))
        named = tuple(_topic(t) for t in data.get("named", []))
    except (KeyError, TypeError, AttributeError, ValueError) as exc:
        raise ContentError(shown_path(str(path)), None, f"lock file is damaged ({type(exc).__name__}: {exc}); delete it to start afresh") from None
    return Lock(topics, redirects, k, n, corpus, anchors, reason, fitted, absorbed, papers, outliers, outlier_similarity, named)


def lock_text(lock: Lock) -> str:
    topics = [{"slug": t.slug, "name": t.name, "papers": sorted(t.papers)} for t in sorted(lock.topics, key=lambda t: t.slug)]
    anchors = [{"slug": t.slug, "papers": sorted(t.papers)} for t in lock.anchors]
    data = {
        "version": 1, "k": lock.k, "n": lock.n, "corpus": lock.corpus, "reason": lock.reason,
        "fitted": dict(sorted(lock.fitted.items())), "topics": topics,
        "redirects": dict(sorted(lock.redirects.items())), "anchors": anchors,
        "absorbed": sorted(sorted(a) for a in lock.absorbed),
        "papers": dict(sorted(lock.papers.items())),
        "outliers": dict(sorted(lock.outliers.items())), "outlier_similarity": lock.outlier_similarity,
    }
    if lock.named:  # absent from locks written before it was kept, and from sites without named topics
        data["named"] = [{"slug": t.slug, "name": t.name, "papers": sorted(t.papers)} for t in sorted(lock.named, key=lambda t: t.slug)]
    return json.dumps(data, indent=1) + "\n"


def followed(redirects: dict[str, str], live: set[str]) -> dict[str, str]:
    """``redirects`` with each target that is itself redirected followed to a ``live`` slug
    ("" for the home page when the chain ends nowhere)."""
    out = {}
    for k, v in redirects.items():
        seen = {k}
        while v and v not in live and v in redirects and v not in seen:
            seen.add(v)
            v = redirects[v]
        out[k] = v if v in live else ""
    return out


def named_redirects(lock: Lock, memberships: dict[str, tuple], live: set[str]) -> dict[str, str]:
    """Redirects for the lock's named topics that are gone (``live``: the slugs the site now
    has): each to the topic now holding most of its papers (``memberships``: paper id -> its
    Memberships), else the home page. Renaming a named topic's slug in the config so keeps its
    old URL working, as a clustered topic's does when it goes."""
    out = {}
    for t in lock.named:
        if t.slug in live:
            continue
        held: dict[str, int] = {}
        for pid in t.papers:
            for m in memberships.get(pid, ()):
                held[m.topic] = held.get(m.topic, 0) + 1
        out[t.slug] = min(held, key=lambda s: (-held[s], s)) if held else ""
    return out


def paper_ids(papers) -> dict[str, str]:
    """Lock.papers for ``papers``: each paper's id by its key, and a paper known by its title
    also by its abstract (merge.abstract_key; not an abstract two papers share)."""
    by_abstract: dict[str, str | None] = {}
    for p in papers:
        if p.key.startswith("title:") and (key := abstract_key(p.abstract)):
            by_abstract[key] = None if key in by_abstract else p.id
    return {lock_key(p.key): p.id for p in papers if p.key} | {k: v for k, v in by_abstract.items() if v}


def fitted_view(lock: Lock, ids: set[str]) -> Lock:
    """The lock as the fit it pins saw it: topics' papers limited to the fitted papers (an
    incremental build adds the papers it placed to the topics; they must not change the fit)."""
    return dataclasses.replace(lock, topics=tuple(LockedTopic(t.slug, t.name, t.papers & ids) for t in lock.topics),
                               papers={k: v for k, v in lock.papers.items() if v in ids}, outliers={k: v for k, v in lock.outliers.items() if k in ids})


def kept_topics(clusters: list[frozenset[str]], lock: Lock, present: set[str],
                reserved: frozenset[str] | set[str] = frozenset()) -> dict[int, LockedTopic]:
    """Which clusters (their member ids) keep a topic of the lock, and which: cluster index ->
    the lock's topic. Matched one to one (Hungarian matching on the share of each old topic's
    papers in ``present`` that the cluster holds), kept from KEEP_FRACTION up. A topic whose
    slug is ``reserved`` (a named topic now has it: a clustered topic promoted in the config)
    is kept by none: its cluster is named and slugged afresh."""
    import numpy as np
    from scipy.optimize import linear_sum_assignment

    old = [t for t in lock.topics if t.papers & present and t.slug not in reserved]
    if not old or not clusters:
        return {}
    frac = np.zeros((len(old), len(clusters)))
    for i, t in enumerate(old):
        alive = t.papers & present
        for j, members in enumerate(clusters):
            frac[i, j] = len(alive & members) / len(alive)
    rows, cols = linear_sum_assignment(-frac)
    return {int(j): old[i] for i, j in zip(rows, cols) if frac[i, j] >= KEEP_FRACTION}


def match_topics(
    drafts: list[tuple[str, frozenset[str]]], lock: Lock, *, present: set[str], reserved: set[str],
    kept: dict[int, LockedTopic] | None = None,
) -> tuple[list[tuple[str, str]], Lock]:
    """Give each draft (name, member ids) a (slug, name); return them and the new lock.
    ``kept``: kept_topics of the drafts, when the caller has it already."""
    result: list[tuple[str, str] | None] = [None] * len(drafts)
    if kept is None:
        kept = kept_topics([members for _, members in drafts], lock, present, reserved)
    for j, t in kept.items():
        result[j] = (t.slug, t.name)
    used = set(reserved) | {t.slug for t in lock.topics} | set(lock.redirects)
    for j, (name, _) in enumerate(drafts):
        if result[j] is None:
            base = slugify(name, max_len=40, fallback="topic")
            slug, n = base, 2
            while slug in used:
                slug, n = f"{base}-{n}", n + 1
            used.add(slug)
            result[j] = (slug, name)
    redirects = {k: v for k, v in lock.redirects.items()}
    kept_old = {t.slug for t in kept.values()}
    for t in lock.topics:
        if t.slug in kept_old:
            continue
        # the new topic holding most of the removed topic's papers, else the home page
        best, best_n = "", 0
        for j, (_, members) in enumerate(drafts):
            n_common = len(t.papers & members)
            if n_common > best_n:
                best, best_n = result[j][0], n_common
        redirects[t.slug] = best
    slugs = {r[0] for r in result}
    redirects = {k: v for k, v in redirects.items() if k not in slugs and k not in reserved}
    # an older redirect may point at a topic that is gone too: follow it to one that exists (a
    # named topic of the lock's is left for the caller: it may be renamed, see named_redirects)
    redirects = followed(redirects, slugs | set(reserved) | {t.slug for t in lock.named})
    new_lock = Lock(
        tuple(LockedTopic(slug, name, members) for (slug, name), (_, members) in zip(result, drafts)),
        redirects,
    )
    return result, new_lock
