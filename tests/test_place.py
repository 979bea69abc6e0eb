"""New dumps on a large site: papers placed into the fitted topics, exactly as a clean build would."""

import json
import re
import shutil

import pytest

from conftest import REPO, copy_site, run_cli
from site_src.config import load_config
from site_src.lockfile import Lock
from site_src.merge import merge_papers
from site_src.naming import named_in
from site_src.place import place
from site_src.readers import find_content, read_dump
from site_src.topics import fit_topics

CONFIG = load_config(REPO / "researchmap.toml")


def tree(path):
    return {p.relative_to(path).as_posix(): p.read_bytes() for p in sorted(path.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def split():
    """The seed papers, and those of the first three dumps only."""
    content = REPO / "content"
    dumps = find_content(content, []).dumps
    records = {d.name: list(read_dump(d, content, year=None, warnings=[])) for d in dumps}
    everyone = merge_papers(r for rs in records.values() for r in rs)
    base = merge_papers(r for name, rs in records.items() if name != dumps[-1].name for r in rs)
    return base, everyone


def test_placing_keeps_the_fit_and_gives_every_new_paper_a_place(split):
    base_papers, papers = split
    base = fit_topics(base_papers, CONFIG, Lock())
    placed = place(base, papers, CONFIG)
    m = placed.model
    new = {p.id for p in papers} - {p.id for p in base_papers}
    assert new and set(m.memberships) == set(m.coords) == set(m.similar) == {p.id for p in papers}
    assert [(t.slug, t.name, t.terms) for t in m.topics] == [(t.slug, t.name, t.terms) for t in base.model.topics]
    for pid, ms in base.model.memberships.items():
        assert m.memberships[pid] == ms and m.coords[pid] == base.model.coords[pid]
    slugs = {t.slug for t in m.topics}
    for pid in new:
        assert m.memberships[pid] and all(x.topic in slugs for x in m.memberships[pid])
        assert len(m.similar[pid]) == CONFIG.topics.similar and pid not in m.similar[pid]
    by_id = {p.id: p for p in papers}
    for t in m.topics:
        members = [by_id[pid] for pid, ms in m.memberships.items() if any(x.topic == t.slug for x in ms)]
        assert t.size == len(members)
        # how many members say the topic's name counts the placed papers too
        assert t.named_in == (named_in(t.name, members) if t.kind == "cluster" else None)
    assert any(t.named_in for t in m.topics)
    # the lock still pins the fit (k, corpus, anchors) and lists the placed papers in their topics
    assert (placed.lock.k, placed.lock.corpus, placed.lock.anchors) == (base.lock.k, base.lock.corpus, base.lock.anchors)
    locked = set().union(*(t.papers for t in placed.lock.topics))
    assert locked & new


def test_a_missing_fitted_paper_means_a_refit(split):
    base_papers, papers = split
    base = fit_topics(base_papers, CONFIG, Lock())
    assert place(base, [p for p in papers if p.id != base_papers[0].id], CONFIG) is None


def small_site(tmp_path):
    """The seeds as a site that places new papers from 100 fitted papers and up to +50%."""
    root = copy_site(tmp_path / "site")
    config = root / "researchmap.toml"
    text = config.read_text().replace("named_threshold = 0.3", "named_threshold = 0.3\nplace_min = 100\nrefit_fraction = 0.5")
    config.write_text(text)
    dumps = sorted((root / "content/papers").iterdir())
    held = tmp_path / "held"
    held.mkdir()
    shutil.move(dumps[-1], held / dumps[-1].name)
    return root, held / dumps[-1].name


def lock(root):
    return json.loads((root / "content/topics.lock.json").read_text())


def test_a_new_dump_is_placed_and_a_clean_build_gives_the_same_site(tmp_path):
    root, new_dump = small_site(tmp_path)
    run_cli("build", "--out", root / "_site", cwd=root)
    first = lock(root)
    markers = {f.name: re.search(r'<span class="here"[^>]*>', f.read_text())[0] for f in (root / "_site/papers").glob("*.html")}
    shutil.copy(new_dump, root / "content/papers" / new_dump.name)
    out = run_cli("build", "--out", root / "_site", cwd=root).stdout
    assert "vectorise" not in out  # placed, not fitted
    second = lock(root)
    assert second["fitted"] == first["fitted"] and new_dump.name not in " ".join(second["fitted"])
    assert (second["k"], second["corpus"], second["anchors"]) == (first["k"], first["corpus"], first["anchors"])
    old = {t["slug"]: set(t["papers"]) for t in first["topics"]}
    for t in second["topics"]:
        assert set(t["papers"]) >= old[t["slug"]]  # nobody left a topic
    # an old paper's page marks it on the small map as before (the frame and colours, which
    # the new papers may change, are in data/minimap.css, not in ten thousand pages)
    assert all(re.search(r'<span class="here"[^>]*>', (root / "_site/papers" / name).read_text())[0] == m for name, m in markers.items())
    # the same content and lock on a machine without the cache: byte-identical site
    clean = tmp_path / "clean"
    shutil.copytree(root, clean, ignore=shutil.ignore_patterns("_site", ".researchmap-cache"))
    run_cli("build", "--out", clean / "_site", cwd=clean)
    assert tree(clean / "_site") == tree(root / "_site")
    assert lock(clean) == second


def test_refit_when_asked_when_a_fitted_dump_changes_or_new_papers_are_too_many(tmp_path):
    root, new_dump = small_site(tmp_path)
    run_cli("build", "--out", root / "_site", cwd=root)
    shutil.copy(new_dump, root / "content/papers" / new_dump.name)
    run_cli("build", "--out", root / "_site", cwd=root)
    assert new_dump.name not in " ".join(lock(root)["fitted"])  # placed
    run_cli("build", "--refit", "--out", root / "_site", cwd=root)
    assert new_dump.name in " ".join(lock(root)["fitted"])  # --refit fits everything, the placed papers too
    # a fitted dump edited: everything is fitted again
    fitted = sorted((root / "content/papers").iterdir())[0]
    (root / "content/papers" / new_dump.name).unlink()
    run_cli("build", "--out", root / "_site", cwd=root)
    fitted.write_text(fitted.read_text() + "\n")
    before = lock(root)["fitted"]
    run_cli("build", "--out", root / "_site", cwd=root)
    assert lock(root)["fitted"] != before
    # too many new papers for the fit (more than refit_fraction): fitted again
    config = root / "researchmap.toml"
    config.write_text(config.read_text().replace("refit_fraction = 0.5", "refit_fraction = 0.01"))
    shutil.copy(new_dump, root / "content/papers" / new_dump.name)
    run_cli("build", "--out", root / "_site", cwd=root)
    assert new_dump.name in " ".join(lock(root)["fitted"])


def test_a_new_paper_no_cluster_shares_words_with_is_placed_in_other_papers(split):
    from offtopic import off_topic

    _, papers = split
    fitted = papers + merge_papers(off_topic(0, 2))
    base = fit_topics(fitted, CONFIG, Lock())
    assert any(t.slug == "other" for t in base.model.topics)
    new = merge_papers(off_topic(2))
    m = place(base, fitted + new, CONFIG).model
    assert [x.topic for x in m.memberships[new[0].id]] == ["other"]


def test_a_new_paper_near_a_cluster_the_fit_sent_wholly_to_other_papers_goes_there_too(split):
    import dataclasses

    from offtopic import off_topic
    from site_src.models import Paper

    _, papers = split
    fitted = papers + merge_papers(off_topic(0, 2))
    base = fit_topics(fitted, CONFIG, Lock())
    st = base.state
    # as if the fit had sent every paper of one cluster to "Other papers": no topic of its own
    gone = min(st.cluster_terms)
    st = dataclasses.replace(st, cluster_terms={c: v for c, v in st.cluster_terms.items() if c != gone},
                             cluster_topic={c: v for c, v in st.cluster_topic.items() if c != gone})
    slug = base.state.cluster_topic[gone]
    member = next(p for p in fitted if base.model.memberships[p.id][0].topic == slug)
    twin = Paper("twin-of-a-member", member.title + " Revisited", member.abstract, member.sources)
    m = place(dataclasses.replace(base, state=st), fitted + [twin], CONFIG).model
    assert [x.topic for x in m.memberships[twin.id]] == ["other"]
