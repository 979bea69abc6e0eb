"""End to end: the default content built through the CLI, read back as a browser would."""

import html
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from site_src.merge import norm_title
from site_src.readers.latex import plain

from conftest import REPO, SEEDS, copy_site, run_cli
from sitecheck import broken_links, pages, parse, tree_digest
from test_hf_text import naive_entries


def test_papers_json_lists_every_unique_seed_paper_once(built_site):
    papers = json.loads((built_site / "data/papers.json").read_text())
    expected = {norm_title(plain(t)) for dump in SEEDS.glob("*.txt") for t in naive_entries(dump)}
    got = [norm_title(p["title"]) for p in papers]
    assert len(got) == len(set(got)) == len(expected)
    assert set(got) == expected
    for p in papers:
        assert {"id", "title", "abstract", "url", "topics", "x", "y", "date", "upvotes", "authors", "org", "sources"} <= p.keys()
        assert p["topics"] and (built_site / p["url"]).is_file()
        assert p["date"] is None or len(p["date"]) == 10
        assert all(s.endswith(".txt") for s in p["sources"])
    merged = [p for p in papers if len(p["sources"]) > 1]
    assert merged, "the seeds repeat papers across dumps; those must merge"


def test_topics_json_has_the_named_topics_with_pages(built_site):
    topics = json.loads((built_site / "data/topics.json").read_text())
    slugs = [t["slug"] for t in topics]
    assert slugs[:4] == ["moe", "kv-cache", "distributed-training", "peft"]
    assert len(slugs) == len(set(slugs))
    papers = json.loads((built_site / "data/papers.json").read_text())
    for t in topics:
        assert (built_site / t["url"]).is_file()
        assert t["size"] == sum(t["slug"] in p["topics"] for p in papers)
        assert t["terms"]


def test_no_broken_internal_links(built_site):
    assert broken_links(built_site) == []


def test_home_page_has_map_cards_and_lists(built_site):
    doc = parse(built_site / "index.html")
    assert doc.get_element_by_id("map") is not None
    cards = doc.cssselect(".cards .card a")
    topics = json.loads((built_site / "data/topics.json").read_text())
    assert [a.get("href") for a in cards] == [t["url"] for t in topics]
    scripts = [s.get("src") for s in doc.cssselect("script[src]")]
    assert "assets/plotly.min.js" in scripts and "data/map.js" in scripts
    assert not any(s.startswith("http") for s in scripts), "no CDN"
    assert len(doc.cssselect("ol.papers")[0].cssselect("li")) == 10


def test_plotly_is_written_once(built_site):
    copies = [p for p in built_site.rglob("*.js") if p.stat().st_size > 1_000_000]
    assert [p.relative_to(built_site).as_posix() for p in copies] == ["assets/plotly.min.js"]
    # the gl2d bundle (scatter and scattergl, all the map draws), not the full 4.8 MB one: a
    # browser evaluates it in about half the time on every page with a map
    plotly = (built_site / "assets/plotly.min.js").read_bytes()
    assert len(plotly) < 2_000_000 and b"plotly.js (gl2d" in plotly[:200]
    for page in pages(built_site):
        assert b"Plotly.register" not in page.read_bytes()[:200_000]


def test_map_data_has_one_point_per_paper(built_site):
    text = (built_site / "data/map.js").read_text()
    fig = json.loads(text[text.index("=") + 1 : text.rindex(";")])
    points = sum(len(t["x"]) for t in fig["data"])
    papers = json.loads((built_site / "data/papers.json").read_text())
    assert points == len(papers)
    urls = {u for t in fig["data"] for u in t["customdata"]}
    assert urls == {p["url"] for p in papers}


def test_paper_and_topic_pages(built_site):
    papers = json.loads((built_site / "data/papers.json").read_text())
    p = next(p for p in papers if len(p["topics"]) > 1) if any(len(p["topics"]) > 1 for p in papers) else papers[0]
    doc = parse(built_site / p["url"])
    assert doc.cssselect("h1")[0].text_content() == p["title"]
    assert doc.cssselect(".abstract")[0].text_content() == p["abstract"]
    topic_links = [a.get("href") for a in doc.cssselect(".memberships a")]
    assert topic_links == [f"../topics/{s}.html" for s in p["topics"]]
    assert len(doc.cssselect(".paper-page ol.papers li")) == 5
    labels = [a.text_content() for a in doc.cssselect(".links a")]
    assert "arXiv search" in labels and "Hugging Face search" in labels
    topic = parse(built_site / "topics/moe.html")
    listed = [a.get("href") for a in topic.cssselect("ol.ranked a.paper-title")]
    moe = [q for q in papers if "moe" in q["topics"]]
    assert sorted(listed) == sorted("../" + q["url"] for q in moe)


def test_a_topic_page_names_the_main_topic_of_a_paper_mainly_elsewhere(built_site):
    """The header counts papers "mainly in another topic"; each such row names that topic."""
    papers = {"../" + p["url"]: p for p in json.loads((built_site / "data/papers.json").read_text())}
    seen = 0
    for slug in ("moe", "kv-cache", "distributed-training", "peft"):
        for row in parse(built_site / f"topics/{slug}.html").cssselect("ol.ranked li"):
            p = papers[row.cssselect("a.paper-title")[0].get("href")]
            elsewhere = [s for s in row.cssselect(".meta span.muted") if s.text_content().startswith("mainly in ")]
            assert bool(elsewhere) == (p["topics"][0] != slug), p["url"]
            if elsewhere:
                seen += 1
                assert elsewhere[0].cssselect("a")[0].get("href") == f"../topics/{p['topics'][0]}.html"
    assert seen


def test_a_paper_pages_facts_are_parted_by_one_dot_whichever_are_missing(built_site):
    """Date, upvotes, authors and organisation, each there or not: never "· ·" or a dot at
    either end."""
    papers = json.loads((built_site / "data/papers.json").read_text())
    kinds = set()
    for p in papers:
        meta = " ".join(parse(built_site / p["url"]).cssselect(".paper-page p.meta")[0].text_content().split())
        parts = meta.split(" · ") if meta else []
        assert all(parts) and meta.count("·") == max(len(parts) - 1, 0), (p["url"], meta)
        assert len(parts) == sum(map(bool, [p["date_text"], p["upvotes"] is not None, p["authors"], p["org"]])), (p["url"], meta)
        kinds.add((bool(p["authors"]), bool(p["org"])))
    assert {(False, True), (True, False), (False, False)} <= kinds  # authors or organisation alone, or neither


def test_the_menu_marks_the_page_it_is_on(built_site):
    def current(page):
        return [a.text_content() for a in parse(built_site / page).cssselect(".site-header nav a[aria-current=page]")]
    assert current("index.html") == ["Map"] and current("papers.html") == ["All papers"] and current("papers-2.html") == ["All papers"]
    assert current("about.html") == ["About this map"] and current("topics/moe.html") == []


def test_a_later_page_of_a_list_numbers_on_from_the_page_before(built_site):
    """Page 2 of 295 papers, 200 a page, numbers them 201-295 and says which page it is."""
    first, second = parse(built_site / "papers.html"), parse(built_site / "papers-2.html")
    assert first.xpath("//ol[@id='paper-list']/@start") == [] and second.xpath("//ol[@id='paper-list']/@start") == ["201"]
    assert len(first.cssselect("#paper-list > li")) == 200 and second.findtext(".//title").startswith("All papers, page 2 of 2")


def test_about_page_rendered_from_markdown(built_site):
    doc = parse(built_site / "about.html")
    assert doc.cssselect("h1")[0].text_content() == "About this map"
    assert doc.cssselect("article h2")


def test_two_builds_are_byte_identical(tmp_path):
    digests = []
    for name, seed in (("a", "1"), ("b", "2")):
        root = copy_site(tmp_path.joinpath(name))  # fresh content, no lock, no cache
        env = {**os.environ, "PYTHONHASHSEED": seed}
        run_cli("build", "--config", root / "researchmap.toml", "--out", root / "_site", "--no-cache", cwd=root, env=env)
        digests.append(tree_digest(root / "_site"))
    assert digests[0] == digests[1]


def test_summary_and_exit_codes(tmp_path):
    root = copy_site(tmp_path)
    proc = run_cli("build", "--config", root / "researchmap.toml", "--out", root / "out", cwd=root)
    assert "papers" in proc.stdout and "topics" in proc.stdout and " s " in proc.stdout
    (root / "researchmap.toml").write_text("bogus = 1\n" + (root / "researchmap.toml").read_text())
    bad = run_cli("build", "--config", root / "researchmap.toml", cwd=root, check=False)
    assert bad.returncode == 1 and "unknown key 'bogus'" in bad.stderr and "Traceback" not in bad.stderr


def test_empty_content_is_a_helpful_message(tmp_path):
    (tmp_path / "content" / "papers").mkdir(parents=True)
    proc = run_cli("build", "--content", tmp_path / "content", "--out", tmp_path / "out", cwd=tmp_path, check=False)
    assert proc.returncode == 1 and "no papers found" in proc.stderr and "Traceback" not in proc.stderr


def test_build_py_run_by_a_python_without_the_dependencies(tmp_path):
    """`python3 build.py` with the system Python: the project's .venv builds, else a message."""
    system = [getattr(sys, "_base_executable", sys.executable), "-S"]  # -S: no site-packages
    (tmp_path / "content" / "papers").mkdir(parents=True)
    args = ["--content", tmp_path / "content", "--out", tmp_path / "out"]
    if (REPO / ".venv" / "bin" / "python").exists():
        proc = subprocess.run([*system, REPO / "build.py", *args], cwd=tmp_path, capture_output=True, text=True)
        assert proc.returncode == 1 and "no papers found" in proc.stderr, proc.stderr  # the build itself ran
    bare = tmp_path / "bare"  # a checkout with no .venv
    bare.mkdir()
    shutil.copy(REPO / "build.py", bare)
    (bare / "site_src").symlink_to(REPO / "site_src")
    proc = subprocess.run([*system, bare / "build.py", *args], cwd=tmp_path, capture_output=True, text=True)
    assert proc.returncode == 2 and "make build" in proc.stderr and "Traceback" not in proc.stderr


def test_failed_build_keeps_the_last_good_site(tmp_path):
    root = copy_site(tmp_path)
    shutil.copytree(REPO / "templates", root / "templates")
    shutil.copytree(REPO / "themes", root / "themes")
    run_cli("build", "--config", root / "researchmap.toml", "--out", root / "_site", cwd=root)
    before = tree_digest(root / "_site")
    (root / "templates" / "paper.html").write_text("{% extends 'base.html' %}{% block main %}{{ paper.nope }}{% endblock %}")
    proc = run_cli("build", "--config", root / "researchmap.toml", "--out", root / "_site", cwd=root, check=False)
    assert proc.returncode == 1 and "paper.html:1" in proc.stderr
    assert tree_digest(root / "_site") == before
    # named as the content's files are, from the project folder (not an absolute path)
    assert "error: templates/paper.html:1: 'dict object' has no attribute 'nope'" in proc.stderr
    (root / "templates" / "paper.html").write_text("{% extends 'base.html' %}{% block main %}{{ oops( }}{% endblock %}")
    proc = run_cli("build", "--config", root / "researchmap.toml", "--out", root / "_site", cwd=root, check=False)
    assert "error: templates/paper.html:1: template syntax error" in proc.stderr
    # an expression that fails, and an include of nothing: the file and line, no traceback
    for body, message in (('{{ "a" + 1 }}', "TypeError: can only concatenate str"), ("{{ 1 / 0 }}", "ZeroDivisionError"),
                          ("{% include 'nothere.html' %}", "template not found: nothere.html")):
        (root / "templates" / "paper.html").write_text("{% extends 'base.html' %}{% block main %}\n" + body + "{% endblock %}")
        proc = run_cli("build", "--config", root / "researchmap.toml", "--out", root / "_site", cwd=root, check=False)
        assert proc.returncode == 1 and "Traceback" not in proc.stderr
        assert f"error: templates/paper.html:2: {message}" in proc.stderr
    assert tree_digest(root / "_site") == before


def test_refuses_to_replace_a_folder_it_did_not_make(tmp_path):
    root = copy_site(tmp_path)
    precious = root / "docs"
    precious.mkdir()
    (precious / "notes.txt").write_text("mine")
    proc = run_cli("build", "--config", root / "researchmap.toml", "--out", precious, cwd=root, check=False)
    assert proc.returncode == 1 and "refusing" in proc.stderr
    assert (precious / "notes.txt").read_text() == "mine"
    assert sorted(p.name for p in root.iterdir() if p.name.startswith(".docs")) == []  # nothing left beside it


def test_second_build_writes_nothing(tmp_path):
    root = copy_site(tmp_path)
    args = ("build", "--config", root / "researchmap.toml", "--out", root / "_site")
    run_cli(*args, cwd=root)
    inode = (root / "_site/index.html").stat().st_ino
    proc = run_cli(*args, cwd=root)
    assert "(0 written," in proc.stdout
    assert (root / "_site/index.html").stat().st_ino == inode


def test_rebuild_after_a_code_change_renders_everything(tmp_path):
    """A new version of the package (here: a copy whose map code writes differently) must not
    carry over the last build's outputs."""
    root = copy_site(tmp_path / "site", templates=True)
    pkg = tmp_path / "pkg"
    shutil.copytree(REPO / "site_src", pkg / "site_src", ignore=shutil.ignore_patterns("__pycache__"))
    env = {**os.environ, "PYTHONPATH": str(pkg)}
    args = ("build", "--config", root / "researchmap.toml", "--out", root / "_site")
    used = subprocess.run([sys.executable, "-c", "import site_src; print(site_src.__file__)"],
                          cwd=root, env=env, capture_output=True, text=True, check=True).stdout
    assert used.startswith(str(pkg))  # the copy runs, not the installed package
    run_cli(*args, cwd=root, env=env)
    code = pkg / "site_src/topicmap.py"
    code.write_text(code.read_text().replace('return f"window.RESEARCHMAP_MAP={text};\\n"',
                                             'return f"window.RESEARCHMAP_MAP={text};\\n// new code\\n"'))
    assert "// new code" in code.read_text()
    run_cli(*args, cwd=root, env=env)
    assert (root / "_site/data/map.js").read_text().endswith("// new code\n")


def test_a_changed_reader_reads_the_dumps_again(tmp_path):
    """Each dump's cached records are keyed by the reading code too, not by its bytes alone."""
    root = copy_site(tmp_path / "site", templates=True)
    pkg = tmp_path / "pkg"
    shutil.copytree(REPO / "site_src", pkg / "site_src", ignore=shutil.ignore_patterns("__pycache__"))
    env = {**os.environ, "PYTHONPATH": str(pkg)}
    args = ("build", "--config", root / "researchmap.toml", "--out", root / "_site")
    run_cli(*args, cwd=root, env=env)
    assert "[tie]" not in (root / "_site/data/papers.json").read_text()
    code = pkg / "site_src/readers/latex.py"
    code.write_text(code.read_text().replace('return _TIE.sub(" ", text)', 'return _TIE.sub(" [tie] ", text)'))
    run_cli(*args, cwd=root, env=env)
    assert "[tie]" in (root / "_site/data/papers.json").read_text()  # the seeds have LaTeX ties


def _imported(start: str) -> set[str]:
    """The package's modules ``start`` imports, itself included, directly or not."""
    import ast

    pkg = REPO / "site_src"
    seen, todo = set(), [start]
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        seen.add(name)
        path = pkg / f"{name}.py" if (pkg / f"{name}.py").exists() else pkg / name / "__init__.py"
        package = name if path.name == "__init__.py" else name.rpartition("/")[0]
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom) and node.level:
                parent = package if node.level == 1 else ""
                for mod in ([node.module] if node.module else [a.name for a in node.names]):
                    todo.append(f"{parent}/{mod}".strip("/").replace(".", "/"))
    return {n if (pkg / f"{n}.py").exists() else f"{n}/__init__" for n in seen}


def test_model_cache_key_covers_every_module_the_model_stage_imports():
    """A change to any module the topic model runs must refit it, not reuse a cached model;
    one to any module that reads dumps must read them again."""
    from site_src.load import MODEL_MODULES, READER_MODULES

    reached = _imported("topics") | _imported("place")
    assert {"naming", "named", "cluster", "place"} <= reached
    assert reached <= set(MODEL_MODULES), sorted(reached - set(MODEL_MODULES))
    readers = _imported("readers")
    assert {"readers/__init__", "readers/hf_text", "models"} <= readers
    assert readers <= set(READER_MODULES) <= set(MODEL_MODULES), sorted(readers - set(READER_MODULES))


def test_a_topic_is_renamed_by_editing_its_name_in_the_lock(tmp_path):
    root = copy_site(tmp_path)
    run_cli("build", "--out", root / "_site", cwd=root)
    lock_path = root / "content/topics.lock.json"
    lock = json.loads(lock_path.read_text())
    topic = next(t for t in lock["topics"] if t["slug"] not in {"moe", "kv-cache", "distributed-training", "peft"})
    topic["name"] = "A name chosen by hand"
    lock_path.write_text(json.dumps(lock))
    run_cli("build", "--out", root / "_site", cwd=root)
    topics = {t["slug"]: t["name"] for t in json.loads((root / "_site/data/topics.json").read_text())}
    assert topics[topic["slug"]] == "A name chosen by hand"  # same slug, so same URL
    assert "<h1>A name chosen by hand</h1>" in (root / "_site/topics" / f"{topic['slug']}.html").read_text()


def test_topics_stay_stable_when_a_dump_is_added(tmp_path):
    """Build from three dumps, add the fourth (unseen papers), rebuild: old topic URLs resolve
    and keep most of their papers; the lock file records the slugs."""
    root = copy_site(tmp_path / "site")
    dumps = sorted((root / "content/papers").iterdir())
    held = dumps[-1]
    aside = tmp_path / held.name
    held.rename(aside)
    run_cli("build", "--out", root / "_site", cwd=root)
    before = {t["slug"]: t for t in json.loads((root / "_site/data/topics.json").read_text())}
    members_before = _members(root / "_site")
    assert (root / "content/topics.lock.json").exists()
    assert "other" in before  # the default content has outliers: "Other papers" must keep them too
    aside.rename(held)
    run_cli("build", "--out", root / "_site", cwd=root)
    after = {t["slug"]: t for t in json.loads((root / "_site/data/topics.json").read_text())}
    members_after = _members(root / "_site")
    assert len(members_after["moe"]) >= len(members_before["moe"])
    kept = 0
    for slug in before:
        page = root / "_site" / "topics" / f"{slug}.html"
        assert page.is_file(), slug  # a topic page or a redirect page
        if slug in after:
            kept += 1
            old = members_before[slug]
            assert len(old & members_after[slug]) >= 0.5 * len(old), slug
        else:
            assert b'http-equiv="refresh"' in page.read_bytes()
    assert kept >= 0.7 * len(before)
    assert broken_links(root / "_site") == []


@pytest.mark.parametrize("first", [0, 10])
def test_retitling_a_few_papers_keeps_every_topic(tmp_path, first):
    """Retitling three papers gives them new ids, so the corpus changed and the model is fitted
    again: every topic and its URL stays, with its papers. The refit starts from all the locked
    clusters, the ones the named topics absorbed too, not from the others plus fresh picks."""
    root = copy_site(tmp_path / "site")
    run_cli("build", "--out", root / "_site", cwd=root)
    before = _members(root / "_site")
    dump = sorted((root / "content/papers").iterdir())[2]
    text = dump.read_text(encoding="utf-8")
    titles = [p["title"] for p in json.loads((root / "_site/data/papers.json").read_text())
              if p["sources"] == [f"papers/{dump.name}"] and f"\n{p['title']}\n" in text][first : first + 3]
    assert len(titles) == 3
    for title in titles:
        text = text.replace(f"\n{title}\n", f"\n{title}, Revisited\n")
    dump.write_text(text, encoding="utf-8")
    run_cli("build", "--out", root / "_site", cwd=root)
    after = _members(root / "_site")
    assert set(after) - {"other"} == set(before) - {"other"}  # "Other papers" comes and goes with outliers
    for slug, old in before.items():
        assert len(old & after[slug]) >= 0.8 * len(old), slug


def test_a_paper_keeps_its_url_when_a_new_dump_retitles_it_or_takes_its_slug(tmp_path):
    """arXiv's listing can carry a newer title than the listing a paper first came from, and a
    new paper can make the same slug: the lock keeps the old paper's URL (no page moves, so no
    link breaks), the page shows the new title, and the newcomer gets a URL of its own."""
    root = copy_site(tmp_path / "site")
    first = [{"arxiv_id": "2502.00001", "title": "JetSpec: Breaking the Scaling Ceiling of Drafting", "abstract": "We draft trees."},
             {"arxiv_id": "2502.00002", "title": "Frontier Risk Management in Practice", "abstract": "We manage risk."}]
    (root / "content/papers/a.jsonl").write_text("".join(json.dumps(r) + "\n" for r in first))
    run_cli("build", "--out", root / "_site", cwd=root)
    ids = {p["arxiv_id"]: p["id"] for p in json.loads((root / "_site/data/papers.json").read_text()) if p.get("arxiv_id")}
    assert ids == {"2502.00001": "jetspec-breaking-the-scaling-ceiling-of-drafting", "2502.00002": "frontier-risk-management-in-practice"}
    later = [{"arxiv_id": "2502.00001", "title": "JetSpec: Breaking the Scaling Ceiling of Drafting with Parallel Trees", "abstract": "We draft trees."},
             {"arxiv_id": "2401.00003", "title": "Frontier Risk Management in Practice", "abstract": "Another paper, same title."}]
    (root / "content/papers/b.jsonl").write_text("".join(json.dumps(r) + "\n" for r in later))
    run_cli("build", "--out", root / "_site", cwd=root)
    papers = {p["arxiv_id"]: p for p in json.loads((root / "_site/data/papers.json").read_text()) if p.get("arxiv_id")}
    assert {a: papers[a]["id"] for a in ids} == ids
    assert papers["2502.00001"]["title"].endswith("with Parallel Trees")
    assert "with Parallel Trees" in (root / "_site/papers" / f"{ids['2502.00001']}.html").read_text()
    assert papers["2401.00003"]["id"].startswith("frontier-risk-management-in-practice-")
    assert broken_links(root / "_site") == []


def test_a_pasted_papers_url_stays_when_a_typo_in_its_title_is_fixed(tmp_path):
    """A paper of a text dump has no arXiv id, so its title is its key; fixing a typo in it
    keeps the URL (the lock knows it by its abstract too), and the page shows the fixed title."""
    root = copy_site(tmp_path / "site")
    run_cli("build", "--out", root / "_site", cwd=root)
    dump = sorted((root / "content/papers").iterdir())[1]
    text = dump.read_text(encoding="utf-8")
    paper = next(p for p in json.loads((root / "_site/data/papers.json").read_text())
                 if p["sources"] == [f"papers/{dump.name}"] and text.count(f"\n{p['title']}\n") == 1 and " " in p["title"])
    fixed = paper["title"].replace(" ", "  ", 1).replace("  ", " Really ", 1)
    dump.write_text(text.replace(f"\n{paper['title']}\n", f"\n{fixed}\n"), encoding="utf-8")
    run_cli("build", "--out", root / "_site", cwd=root)
    after = {p["id"]: p["title"] for p in json.loads((root / "_site/data/papers.json").read_text())}
    assert after[paper["id"]] == fixed
    assert html.escape(fixed, quote=False) in (root / "_site/papers" / f"{paper['id']}.html").read_text()
    assert broken_links(root / "_site") == []


def test_a_named_topics_old_url_leads_to_it_when_its_slug_is_renamed(tmp_path):
    """Renaming a named topic's slug in the config keeps its old URL working (a redirect page
    to where its papers went), as a removed clustered topic's does; renaming it back undoes it."""
    root = copy_site(tmp_path / "site")
    run_cli("build", "--out", root / "_site", cwd=root)
    before = _members(root / "_site")["kv-cache"]
    defaults = (REPO / "site_src/named_topics.toml").read_text(encoding="utf-8")
    config = root / "researchmap.toml"
    original = config.read_text(encoding="utf-8")
    config.write_text(original + "\n" + defaults.replace('slug = "kv-cache"', 'slug = "key-value-cache"'), encoding="utf-8")
    run_cli("build", "--out", root / "_site", cwd=root)
    after = _members(root / "_site")
    assert "kv-cache" not in after and len(before & after["key-value-cache"]) >= 0.8 * len(before)
    old = (root / "_site/topics/kv-cache.html").read_text()
    assert 'http-equiv="refresh"' in old and "key-value-cache.html" in old
    assert broken_links(root / "_site") == []
    lock = json.loads((root / "content/topics.lock.json").read_text())
    assert lock["redirects"]["kv-cache"] == "key-value-cache"
    assert "key-value-cache" in {t["slug"] for t in lock["named"]}
    config.write_text(original, encoding="utf-8")
    run_cli("build", "--out", root / "_site", cwd=root)
    assert 'http-equiv="refresh"' not in (root / "_site/topics/kv-cache.html").read_text()
    assert 'href="../topics/kv-cache.html"' in (root / "_site/topics/key-value-cache.html").read_text()  # leads back
    assert broken_links(root / "_site") == []


def _members(site: Path) -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    for p in json.loads((site / "data/papers.json").read_text()):
        for slug in p["topics"]:
            out.setdefault(slug, set()).add(p["id"])
    return out


def test_cli_rebuild_renders_only_what_changed(tmp_path):
    """The CLI remembers (in its cache) what the last build of an output dir was made from:
    a markdown edit re-renders that page only, a template edit the pages using it."""
    root = copy_site(tmp_path, templates=True)
    args = ("build", "--config", root / "researchmap.toml", "--out", root / "_site")
    run_cli(*args, cwd=root)
    home = (root / "_site/index.html").stat().st_ino
    about = root / "content/pages/about.md"
    about.write_text(about.read_text() + "\nA new closing line.\n")
    proc = run_cli(*args, cwd=root)
    assert "(2 written," in proc.stdout  # the page and its words for search
    assert "A new closing line." in (root / "_site/about.html").read_text()
    assert (root / "_site/index.html").stat().st_ino == home  # carried over, not rewritten
    page = root / "templates/paper.html"
    page.write_text(page.read_text().replace("<h2>Abstract</h2>", "<h2>Summary</h2>"))
    note = root / "content/topics/moe.md"
    note.write_text(note.read_text() + "\nA sentence added with the template.\n")  # both in one build
    proc = run_cli(*args, cwd=root)
    n_papers = len(json.loads((root / "_site/data/papers.json").read_text()))
    assert f"({n_papers + 1} written," in proc.stdout
    assert "<h2>Summary</h2>" in next((root / "_site/papers").glob("*.html")).read_text()
    assert "A sentence added with the template." in (root / "_site/topics/moe.html").read_text()
    assert (root / "_site/index.html").stat().st_ino == home
    # a site changed behind the builder's back is rebuilt in full
    (root / "_site/index.html").write_text("tampered")
    (root / "_site/.researchmap-build").touch()
    run_cli(*args, cwd=root)
    assert "tampered" not in (root / "_site/index.html").read_text()


def test_the_home_page_says_whether_there_are_other_papers(tmp_path, built_site):
    from offtopic import OFF_TOPIC

    # the default content sets a threshold that sends a few seed papers there
    home = (built_site / "index.html").read_text()
    assert 'fit no cluster well are under <a href="topics/other.html">Other papers</a>' in home
    assert "Other papers</h1>" in (built_site / "topics/other.html").read_text()
    # none with a threshold no paper is under; an off-topic dump brings them back
    root = copy_site(tmp_path / "site")
    config = root / "researchmap.toml"
    config.write_text(re.sub(r"outlier_similarity = [0-9.]+", "outlier_similarity = 0.0", config.read_text()))
    run_cli("build", "--out", root / "_site", cwd=root)
    assert "No paper is far enough from every cluster" in (root / "_site/index.html").read_text()
    assert not (root / "_site/topics/other.html").read_text().count("Other papers</h1>")
    config.write_text(re.sub(r"outlier_similarity = [0-9.]+", "outlier_similarity = 0.08", config.read_text()))
    (root / "content/papers/off-topic.jsonl").write_text(
        "".join(json.dumps({"title": t, "abstract": a}) + "\n" for t, a in OFF_TOPIC), encoding="utf-8")
    run_cli("build", "--out", root / "_site", cwd=root)
    home = (root / "_site/index.html").read_text()
    assert 'fit no cluster well are under <a href="topics/other.html">Other papers</a>' in home
    assert "Other papers</h1>" in (root / "_site/topics/other.html").read_text()


def test_other_papers_say_which_topic_each_is_nearest_and_how_near(built_site):
    """An "Other papers" paper is not a member of a topic, so its page and the topic's list do
    not call its score a membership: they name its nearest topic (where the cut took it from)
    and its similarity to it; the topic's key terms, a mix of unrelated papers' words, are not shown."""
    topics = {t["slug"]: t for t in json.loads((built_site / "data/topics.json").read_text())}
    other = [p for p in json.loads((built_site / "data/papers.json").read_text()) if p["topics"][0] == "other"]
    assert other
    listing = (built_site / "topics/other.html").read_text()
    assert "Key terms" not in listing and "Papers, by similarity to the nearest topic" in listing
    for p in other:
        page = (built_site / p["url"]).read_text()
        found = re.search(r'the nearest is <a href="\.\./topics/([^"]+)\.html">([^<]+)</a> \(<span class="score"[^>]*>(\d+)% similar', page)
        assert found, p["url"]
        slug, name, pct = found.groups()
        assert topics[slug]["kind"] == "cluster" and html.unescape(name) == topics[slug]["name"]
        assert int(pct) == round(p["scores"][0] * 100) and "% membership" not in page.split("<h2>Topics</h2>")[1].split("</ul>")[0]
        row = listing.split(f'href="../{p["url"]}"')[1].split("</li>")[0]
        assert f'nearest: <a href="../topics/{slug}.html">' in row


def test_clustered_topic_pages_say_how_many_papers_their_name_fits(built_site):
    topics = json.loads((built_site / "data/topics.json").read_text())
    broad = 0
    for t in topics:
        page = (built_site / t["url"]).read_text()
        if t["kind"] != "cluster":
            assert "name's phrases are in" not in page
            continue
        said = int(page.split("name's phrases are in ")[1].removeprefix("only ").split(" of its ")[0])
        assert f" {said} of its {t['size']} papers." in page and 0 <= said <= t["size"]
        assert ("A broad topic: its name's phrases are in only" in page) == (3 * said < t["size"])
        broad += 3 * said < t["size"]
    assert 0 < broad < len(topics) / 2  # the seeds have a few clusters of mixed subjects


def test_build_says_how_many_dates_lack_a_year_and_the_config_year_dates_them(tmp_path):
    root = copy_site(tmp_path)
    config = root / "researchmap.toml"
    assert re.search(r"(?m)^year = 2025$", config.read_text()), "the default content's config dates its listing pages"

    def build():
        proc = run_cli("build", "--config", config, "--out", root / "_site", cwd=root)
        feed = (root / "_site" / "feed.xml").read_text()
        return proc.stderr, re.findall(r"<entry>.*?<updated>(\d{4})", feed, flags=re.S)

    note, years = build()
    assert "have a date without a year" not in note and "2025" in years
    config.write_text(re.sub(r"(?m)^year = 2025$", "year = 0", config.read_text()))
    note, years = build()
    m = re.search(r"note: (\d+) of (\d+) papers have a date without a year", note)
    assert m and 0 < int(m[1]) < int(m[2]), note
    assert "`year`" in note and "2025" not in years  # undated papers stay out of the feed


def test_a_build_for_a_local_address_says_where_its_links_point(tmp_path):
    """The default config's base_url is this machine's: a site built with it and published
    would send search engines and feed readers to localhost."""
    root = copy_site(tmp_path)
    proc = run_cli("build", "--out", root / "_site", cwd=root)
    assert "note: base_url is http://localhost:8000/, an address on this machine" in proc.stderr
    assert 'rel="canonical" href="http://localhost:8000/' in (root / "_site/index.html").read_text()
    proc = run_cli("build", "--base-url", "https://you.github.io/map/", "--out", root / "_site", cwd=root)
    assert "base_url" not in proc.stderr and proc.returncode == 0
    assert run_cli("build", "-q", "--out", root / "_site", cwd=root).stderr == ""


def test_files_beside_the_pages_are_published_and_links_to_them_resolved(tmp_path):
    root = copy_site(tmp_path)
    pages = root / "content/pages"
    (pages / "img").mkdir()
    (pages / "img/arch.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg"/>')
    (pages / "CNAME").write_text("map.example.org\n")
    (pages / "guide").mkdir()
    (pages / "guide/setup.md").write_text(
        "---\ntitle: Setup\nslug: install\n---\nBack to [about](../about.md#dates), ![arch](../img/arch.svg),\n"
        "the [MoE note](../../topics/moe.md) and [a missing page](../gone.md).\n")
    (root / "content/topics/moe.md").write_text("How this map reads MoE: see [setup](../pages/guide/setup.md).\n")
    proc = run_cli("build", "--out", root / "_site", cwd=root)
    site = root / "_site"
    assert (site / "img/arch.svg").read_bytes() == (pages / "img/arch.svg").read_bytes()
    assert (site / "CNAME").read_text() == "map.example.org\n"
    install = (site / "install.html").read_text()
    assert '<a href="about.html#dates">about</a>' in install and '<img src="img/arch.svg" alt="arch"' in install
    assert '<a href="topics/moe.html">MoE note</a>' in install
    assert '<a href="../install.html">setup</a>' in (site / "topics/moe.html").read_text()
    assert "warning: pages/guide/setup.md:6: link '../gone.md' goes nowhere: no pages/gone.md in the content dir" in proc.stderr
    assert proc.stderr.count("warning:") == 1  # the other links all reach something
    # a site URL written by hand is checked once the site is built; --strict fails on it, keeping the site
    (root / "content/topics/moe.md").write_text("See [serving](llm-inference.html) and [setup](../pages/guide/setup.md).\n")
    proc = run_cli("build", "--out", root / "_site", "--strict", cwd=root, check=False)
    assert proc.returncode == 1
    assert "topics/moe.md:1: link 'llm-inference.html' goes nowhere: the site has nothing at topics/llm-inference.html" in proc.stderr
    assert "How this map reads MoE" in (site / "topics/moe.html").read_text()
    (root / "content/topics/moe.md").write_text("How this map reads MoE: see [setup](../pages/guide/setup.md).\n")
    # a file whose URL the site generates is an error naming it; the last good site stays
    (pages / "index.html").write_text("<p>my own home page</p>")
    proc = run_cli("build", "--out", site, cwd=root, check=False)
    assert proc.returncode == 1
    assert "pages/index.html: its URL index.html is taken by the home page" in proc.stderr
    assert "my own home page" not in (site / "index.html").read_text() and (site / "img/arch.svg").exists()
    (pages / "index.html").unlink()
    (pages / "a\\b.png").write_bytes(b"x")
    proc = run_cli("build", "--out", site, cwd=root, check=False)
    assert "pages/a\\b.png: a backslash in a published file's name" in proc.stderr, proc.stderr
    (pages / "a\\b.png").unlink()
    (pages / "guide/copy.md").write_text("---\nslug: about\n---\nSame URL.\n")
    proc = run_cli("build", "--out", site, cwd=root, check=False)
    assert "pages/guide/copy.md: its URL about.html is taken by pages/about.md" in proc.stderr, proc.stderr
    # removed, a file leaves the site with the next build
    (pages / "guide/copy.md").unlink()
    (pages / "img/arch.svg").unlink()
    run_cli("build", "--out", site, cwd=root)
    assert not (site / "img/arch.svg").exists() and (site / "CNAME").exists()


def test_a_theme_file_removed_leaves_the_site_with_the_next_build(tmp_path):
    root = copy_site(tmp_path, templates=True)
    extra = root / "themes/default/static/extra.css"
    extra.write_text("main { margin: 0 }\n")
    run_cli("build", "--out", root / "_site", cwd=root)
    assert (root / "_site/assets/extra.css").read_text() == extra.read_text()
    extra.unlink()
    run_cli("build", "--out", root / "_site", cwd=root)  # the CLI's partial rebuild: only theme files changed
    assert not (root / "_site/assets/extra.css").exists()
    assert (root / "_site/assets/style.css").exists() and (root / "_site/assets/plotly.min.js").exists()


def test_home_page_cards_chart_each_topics_papers_per_month_on_one_axis(built_site):
    papers = json.loads((built_site / "data/papers.json").read_text())
    months = sorted({p["date"][:7] for p in papers if re.fullmatch(r"\d{4}-\d\d-\d\d", p.get("date") or "")})
    home = (built_site / "index.html").read_text()
    cards = re.findall(r'<li class="card[^"]*">\s*<a href="topics/([^"]+)\.html">(.*?)</li>', home, re.S)
    assert len(cards) == len(json.loads((built_site / "data/topics.json").read_text()))
    axes = set()
    for slug, card in cards:
        bars = re.findall(r'title="(\d{4}-\d\d): (\d+)"', card)
        axes.add(tuple(period for period, _ in bars))
        counted = {period: int(n) for period, n in bars}
        for period in counted:  # against the export: the topic's papers dated in that month
            want = sum(1 for p in papers if slug in p["topics"] and (p.get("date") or "").startswith(period + "-"))
            assert counted[period] == want, (slug, period)
    assert len(axes) == 1
    axis = axes.pop()
    y, m = map(int, months[-1].split("-"))
    every = [f"{(y * 12 + m - 1 - i) // 12}-{(y * 12 + m - 1 - i) % 12 + 1:02d}" for i in range(24)][::-1]
    assert list(axis) == [month for month in every if month >= months[0]]  # the last two years, month by month
    assert f"papers per month from {axis[0]} to {axis[-1]}, the site's newest month" in home
    # the papers older than the axis are counted, not dropped silently
    older = sum(1 for p in papers if re.fullmatch(r"\d{4}-\d\d-\d\d", p.get("date") or "") and p["date"][:7] < axis[0])
    undated = sum(1 for p in papers if not re.fullmatch(r"\d{4}-\d\d-\d\d", p.get("date") or ""))
    assert older and undated and f"({older} older papers and {undated} without a known year are left out of the bars" in home
    for slug, card in cards:
        mine = sum(1 for p in papers if slug in p["topics"] and re.fullmatch(r"\d{4}-\d\d-\d\d", p.get("date") or "") and p["date"][:7] < axis[0])
        assert (f"; {mine} older not shown" in card) == bool(mine), slug
        mine = sum(1 for p in papers if slug in p["topics"] and not re.fullmatch(r"\d{4}-\d\d-\d\d", p.get("date") or ""))
        assert (f"; {mine} without a known year not shown" in card) == bool(mine), slug


def test_a_topic_note_no_topic_shows_or_that_names_its_topic_as_another_is_named_is_a_warning(tmp_path):
    root = copy_site(tmp_path / "s")
    (root / "content/topics/kv-cach.md").write_text("A note with its slug mistyped.\n")
    (root / "content/topics/moe.md").write_text("---\ndescription: Sparse models.\ntitle: kv Cache\n---\nA note.\n")
    proc = run_cli("build", "--strict", "--out", root / "_site", cwd=root, check=False)
    assert proc.returncode == 1 and "topics/kv-cach.md: topic note not shown: no topic has this slug" in proc.stderr + proc.stdout
    assert "topics/moe.md:3: title 'kv Cache' is topic 'kv-cache''s name too" in proc.stderr + proc.stdout
    proc = run_cli("build", "--out", root / "_site", cwd=root)
    assert "topics/kv-cach.md: topic note not shown" in proc.stderr + proc.stdout
    assert not (root / "_site/topics/kv-cach.html").exists()


def test_a_topic_notes_title_names_its_topic_everywhere_and_its_description_describes_the_page(tmp_path):
    """``title:`` in a topic note renames the topic on every page (its own, the home page, the
    map, its papers' pages), as the site's owner would rename it where they describe it;
    ``description:`` is its page's description for search engines. The lock keeps the fitted
    name, so removing the title brings that back."""
    root = copy_site(tmp_path / "s")
    note = root / "content/topics/kv-cache.md"
    note.write_text("---\ntitle: Key-value caching\ndescription: Papers on caching attention keys and values.\n---\nOur reading of it.\n")
    run_cli("build", "-q", "--out", root / "_site", cwd=root)
    site = root / "_site"
    page = (site / "topics/kv-cache.html").read_text()
    assert "<title>Key-value caching" in page and re.search(r"<h1[^>]*>\s*Key-value caching", page)
    assert '<meta name="description" content="Papers on caching attention keys and values.">' in page
    assert "Our reading of it." in page
    assert "Key-value caching" in (site / "index.html").read_text() and "Key-value caching" in (site / "data/map.js").read_text()
    member = next(p for p in json.loads((site / "data/papers.json").read_text()) if "kv-cache" in p["topics"])
    assert "Key-value caching" in html.unescape((site / member["url"]).read_text())
    assert ">KV cache<" not in (site / "index.html").read_text()
    assert "Key-value caching" not in (root / "content/topics.lock.json").read_text()  # the fitted name stays in the lock
    note.write_text("Our reading of it.\n")
    run_cli("build", "-q", "--out", root / "_site", cwd=root)
    page = (site / "topics/kv-cache.html").read_text()
    assert "<title>KV cache" in page and "Key-value caching" not in (site / "index.html").read_text()


def test_build_drafts_publishes_draft_pages_and_notes(tmp_path):
    root = copy_site(tmp_path / "s")
    (root / "content/pages/plan.md").write_text("---\ndraft: true\n---\nHalf a thought, see [MoE](../topics/moe.md).\n")
    (root / "content/topics/moe.md").write_text("---\npublished: false\n---\nA note in the works.\n")
    run_cli("build", "-q", "--strict", "-D", "--out", root / "_site", cwd=root)
    assert "Half a thought" in (root / "_site/plan.html").read_text()
    moe = (root / "_site/topics/moe.html").read_text()
    assert "A note in the works." in moe and "Draft: this topic's note is shown" in moe
    assert "Draft: shown because" in (root / "_site/plan.html").read_text()
    assert "Draft" not in (root / "_site/topics/kv-cache.html").read_text()
    run_cli("build", "-q", "--out", root / "_site", cwd=root)
    moe = (root / "_site/topics/moe.html").read_text()
    assert not (root / "_site/plan.html").exists() and "A note in the works." not in moe and "Draft" not in moe


def test_a_pages_aliases_are_redirects_from_its_old_urls(tmp_path):
    """Hugo's ``aliases``: a page whose slug changed keeps its old URLs as redirect pages, which
    links may still name; an alias that is no path of the site, or that another page or the
    site itself has, is an error at its line."""
    root = copy_site(tmp_path / "s")
    about = root / "content/pages/about.md"
    text = about.read_text()
    about.write_text(text.replace("weight: 1\n", "weight: 1\naliases: [old-about, /notes/about/, Old.htm]\n", 1))
    (root / "content/pages/links.md").write_text("See [the old about](old-about.html) and [notes](notes/about/).\n")
    run_cli("build", "-q", "--strict", "--out", root / "_site", cwd=root)
    site = root / "_site"
    for path, target in (("old-about.html", "about.html"), ("notes/about/index.html", "../../about.html"), ("Old.htm", "about.html")):
        page = (site / path).read_text()
        assert f'content="0; url={target}"' in page and "About this map" in page, path
    assert "old-about" not in (site / "sitemap.xml").read_text()
    # a page out of the menu retitled: only it re-renders, and its redirects with it (they name it)
    notes = root / "content/pages/notes.md"
    notes.write_text("---\ntitle: Notes\nnav: false\naliases: old-notes\n---\nText.\n")
    run_cli("build", "-q", "--out", root / "_site", cwd=root)
    notes.write_text(notes.read_text().replace("title: Notes", "title: Reading notes"))
    run_cli("build", "-q", "--out", root / "_site", cwd=root)
    assert "Reading notes" in (site / "old-notes.html").read_text()
    line = 1 + about.read_text().splitlines().index("aliases: [old-about, /notes/about/, Old.htm]")
    for aliases, says in (("[index]", "its alias index.html is taken by the home page"),
                          ("[links]", "its alias links.html is taken by pages/links.md"),
                          ("../up", "alias '../up' is not a path of the site"),
                          ("[Index]", "its alias Index.html is taken by the home page"),  # one file on macOS and Windows
                          ("[links.html/x]", "its alias links.html/x.html is taken by pages/links.md (at links.html, a file where this needs a folder)"),
                          ("[.researchmap-build/]", "taken by researchmap's marker of its output"),
                          ("[https://example.org/x]", "is not a path of the site")):
        about.write_text(text.replace("weight: 1\n", f"weight: 1\naliases: {aliases}\n", 1))
        proc = run_cli("build", "-q", "--out", root / "_site", cwd=root, check=False)
        assert proc.returncode == 1 and f"pages/about.md:{line}: " in proc.stderr and says in proc.stderr, proc.stderr
    assert (site / "old-about.html").exists()  # the last good site stays


def test_a_note_title_drops_the_fitted_names_phrase_count():
    """named_in counts the papers that say the fitted name's phrases: the page must not say so of
    the owner's name."""
    from site_src.build import noted
    from site_src.models import Topic, TopicModel, TopicNote

    topics = (Topic("a", "Fitted name", "cluster", (), 9, 0.3, named_in=2), Topic("b", "Other", "cluster", (), 9, 0.3, named_in=1))
    model = TopicModel(topics, {}, {}, {}, "")
    out = noted(model, {"a": TopicNote("<p>x</p>", title="Owner's name"), "b": TopicNote("<p>y</p>")})
    assert [(t.name, t.named_in) for t in out.topics] == [("Owner's name", None), ("Other", 1)]
    assert noted(model, {"b": TopicNote("")}) is model


def test_a_note_title_that_another_topic_bears_is_a_warning_at_its_line():
    from site_src.build import clashing_titles
    from site_src.models import Topic, TopicModel, TopicNote

    topics = tuple(Topic(s, n, "cluster", (), 9, 0.3) for s, n in [("a", "Alpha"), ("b", "Beta"), ("c", "Gamma")])
    model = TopicModel(topics, {}, {}, {}, "")
    assert clashing_titles(model=model, notes={"a": TopicNote("", title="Delta", title_line=2)}) == []
    warned = clashing_titles(model=model, notes={"a": TopicNote("", title="beta", title_line=2)})
    assert [(w.file, w.line) for w in warned] == [("topics/a.md", 2)] and "'b'" in warned[0].message
    # two notes giving one title: each is told of the other
    both = clashing_titles(model=model, notes={"a": TopicNote("", title="Same", title_line=2), "c": TopicNote("", title="SAME", title_line=4)})
    assert [(w.file, w.line) for w in both] == [("topics/a.md", 2), ("topics/c.md", 4)]
    # a note whose title is its own topic's fitted name clashes with nothing
    assert clashing_titles(model=model, notes={"b": TopicNote("", title="Beta", title_line=2)}) == []


def test_no_papers_says_which_files_gave_none_and_why(tmp_path):
    """Dumps that are there but hold no paper: the message names them and what was wrong, not
    only "add dumps there"."""
    papers = tmp_path / "content" / "papers"
    papers.mkdir(parents=True)
    (papers / "titles.txt").write_text("A Title Alone\n\nAnother Title Alone\n")
    (papers / "chrome.txt").write_text("Daily Papers\n\nSubscribe\n")
    proc = run_cli("build", "--content", tmp_path / "content", "--out", tmp_path / "out", cwd=tmp_path, check=False)
    assert proc.returncode == 1 and "Traceback" not in proc.stderr
    assert "2 dump(s) in" in proc.stderr and "papers/titles.txt:1: title with no abstract" in proc.stderr
    assert "papers/chrome.txt: no papers in this file" in proc.stderr


def test_a_theme_not_found_says_where_to_make_it_and_which_there_are(tmp_path):
    root = copy_site(tmp_path / "site")
    cfg = root / "researchmap.toml"
    cfg.write_text(cfg.read_text().replace('theme = "default"', 'theme = "mine"'))
    proc = run_cli("build", cwd=root, check=False)
    line = cfg.read_text().splitlines().index('theme = "mine"') + 1
    assert proc.returncode == 1 and f"researchmap.toml:{line}: theme: 'mine' not found" in proc.stderr
    assert str(root / "themes" / "mine") + "/static/" in proc.stderr and "default, scholar" in proc.stderr
