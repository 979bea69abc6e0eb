"""Broken and hostile dumps (tests/fixtures/hostile/): clear warnings, exit codes, no markup
injected anywhere, safe paths, and a build that never damages the last good site."""

import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import feedparser
import pytest
from lxml import etree

from conftest import REPO, copy_site, run_cli
from sitecheck import broken_links, pages, parse, tree_digest

HOSTILE = Path(__file__).parent / "fixtures" / "hostile"
BAD_STRINGS = ["<script>alert", "<img src=x", "</script><script>", "<a href=\"javascript"]  # raw markup, unescaped


@pytest.fixture(scope="module")
def hostile_build(tmp_path_factory):
    root = tmp_path_factory.mktemp("hostile")
    shutil.copy(REPO / "researchmap.toml", root / "researchmap.toml")
    shutil.copytree(HOSTILE, root / "content")
    proc = run_cli("build", "--out", root / "_site", cwd=root, check=False)
    return root, proc


def test_every_bad_input_is_a_warning_with_file_and_line(hostile_build):
    root, proc = hostile_build
    assert proc.returncode == 0, proc.stderr
    err = proc.stderr
    expected = [
        "papers/empty.txt: empty file",
        "papers/binary.txt: looks like a binary file",
        "papers/latin1.txt:11: not valid UTF-8",
        "papers/crlf.txt:27: title with no abstract",  # the listing was cut after a title
        "papers/not_a_dump.csv: not a known dump format",
        "papers/broken.jsonl:1: title with no abstract",
        "papers/broken.jsonl:2: record with no title",
        "papers/broken.jsonl:3: impossible date",
        "papers/broken.jsonl:4: invalid JSON",
        "papers/broken.jsonl:5: not a JSON object",
        "papers/truncated_api.json:",
        "papers/truncated.jsonl.gz: file is truncated",
    ]
    missing = [e for e in expected if e not in err]
    assert missing == [], err
    n_warnings = err.count("warning: ")
    assert f"{n_warnings} warning(s)" in proc.stdout
    assert "Traceback" not in err


def test_strict_turns_warnings_into_failure_and_keeps_the_site(hostile_build, tmp_path):
    root, _ = hostile_build
    before = tree_digest(root / "_site")
    proc = run_cli("build", "--out", root / "_site", "--strict", cwd=root, check=False)
    assert proc.returncode == 1 and "with --strict" in proc.stderr
    assert tree_digest(root / "_site") == before


def test_good_papers_of_broken_files_are_kept(hostile_build):
    root, _ = hostile_build
    titles = {p["title"] for p in json.loads((root / "_site/data/papers.json").read_text())}
    assert "Complete API Paper" in titles  # before the truncation of the API response
    assert "Impossible date" in titles  # the record stays, its date is left empty
    assert any("Sinhala" in t for t in titles)  # latin-1, UTF-16 and CRLF copies of a listing
    raw = (root / "_site/data/papers.json").read_text(encoding="utf-8")
    assert "\ufffd" not in raw and "Ã" not in raw  # cp1252 and UTF-16 decoded, no mojibake
    assert "Same Title Twice" in titles


def test_no_hostile_markup_in_any_page(hostile_build):
    root, _ = hostile_build
    site = root / "_site"
    own_scripts = {"theme.js", "search.js", "plotly.min.js", "map.js", "list.js", "papers.js"}
    for page in pages(site):
        doc = parse(page)
        for el in doc.iter():
            if not isinstance(el.tag, str):
                continue
            for attr, value in el.attrib.items():
                assert not attr.lower().startswith("on"), (page, el.tag, attr)
                if attr in ("href", "src", "action"):
                    assert not value.strip().lower().startswith(("javascript:", "data:", "vbscript:")), (page, value)
            if el.tag == "script":
                assert el.get("src") and Path(el.get("src")).name in own_scripts, (page, etree.tostring(el)[:200])
            if el.tag == "img" and not re.fullmatch(r"(\.\./)*data/minimap\.svg", el.get("src", "")):
                pytest.fail(f"{page}: an <img> made it into the page")  # the site's own small map aside
        # hostile text is present, as text
        raw = page.read_text(encoding="utf-8")
        for bad in BAD_STRINGS:
            assert bad not in raw, (page, bad)
    paper_pages = {p.name for p in (site / "papers").glob("*.html")}
    assert len(paper_pages) >= 10
    script_paper = next(p for p in (site / "papers").glob("*.html") if "sparse-experts" in p.name)
    h1 = parse(script_paper).xpath("//h1")[0].text_content()
    assert h1 == "<script>alert('title')</script> Sparse Experts"


def test_only_http_links_are_clickable(hostile_build):
    root, _ = hostile_build
    page = next((root / "_site/papers").glob("*routing*.html"))
    hrefs = parse(page).xpath("//a/@href")
    assert "https://github.com/example/repo" in hrefs
    assert not any("javascript" in h for h in hrefs)


def test_data_files_parse_and_hold_the_exact_text(hostile_build):
    root, _ = hostile_build
    site = root / "_site"
    papers = json.loads((site / "data/papers.json").read_text())
    titles = {p["title"] for p in papers}
    assert "\"><img src=x onerror=alert(1)> Routing" in titles
    for js in ["data/map.js", "data/list.js", *[str(p.relative_to(site)) for p in (site / "data").glob("search-*.js")]]:
        text = (site / js).read_text(encoding="utf-8")
        assert "</script" not in text.lower() and "<img" not in text.lower() and "\u2028" not in text, js
        # the payload after the assignment is plain JSON
        body = text[text.index("=") + 1 :].strip().rstrip(";")
        if js.startswith("data/search-"):
            body = text[text.index(".push(") + 6 : text.rindex(")")]
        json.loads(body)
    feed = feedparser.parse((site / "feed.xml").read_bytes())
    assert not feed.bozo
    assert "<script>alert('title')</script> Sparse Experts" in {e.title for e in feed.entries}
    etree.fromstring((site / "sitemap.xml").read_bytes())


def test_paths_stay_inside_and_are_portable(hostile_build):
    root, _ = hostile_build
    site = root / "_site"
    names = [p.relative_to(site).as_posix() for p in site.rglob("*") if p.is_file()]
    reserved = {"con", "prn", "aux", "nul", *(f"com{i}" for i in range(10)), *(f"lpt{i}" for i in range(10))}
    for name in names:
        assert name.isascii() and ".." not in name.split("/"), name
        assert len(Path(name).name) <= 80, name
        assert Path(name).stem.split(".")[0].lower() not in reserved, name
    assert not (root / "etc").exists()
    twice = [p for p in json.loads((site / "data/papers.json").read_text()) if p["title"] == "Same Title Twice"]
    assert len(twice) == 2 and twice[0]["url"] != twice[1]["url"]
    assert all((site / p["url"]).is_file() for p in twice)
    assert broken_links(site) == []


def test_big_dump_is_streamed_with_bounded_memory(tmp_path):
    """A 200 MB text dump (a listing pasted many times over, plus chrome) reads in bounded
    memory: peak allocation stays far below the file size."""
    import tracemalloc

    from site_src.readers.hf_text import HFTextReader

    unit = (REPO / "content/papers/000_5933c7763b99bf23.txt").read_text(encoding="utf-8")
    filler = ("Subscribe\n\nbyAK and the research community\n\n" * 200)
    big = tmp_path / "big.txt"
    with open(big, "w", encoding="utf-8") as fh:
        while fh.tell() < 200_000_000:
            fh.write(filler)
    fh = None
    with open(big, "a", encoding="utf-8") as fh:
        fh.write(unit)
    tracemalloc.start()
    warnings = []
    n = sum(1 for _ in HFTextReader().read(big, big.name, warnings))
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert n >= 80
    assert peak < 20_000_000, peak


@pytest.mark.parametrize("sig", [signal.SIGKILL, signal.SIGINT])
def test_killed_build_leaves_the_site_byte_identical(tmp_path, sig):
    """Kill builds at several moments: the site is always exactly the old one or, when the
    build got to its swap, exactly the new one; never a mix."""
    root = copy_site(tmp_path / "site")
    args = [sys.executable, "-m", "site_src", "build", "--no-cache", "--out"]
    subprocess.run([*args, str(root / "_site")], cwd=root, check=True, capture_output=True)
    before = tree_digest(root / "_site")
    (root / "content/pages/about.md").write_text((root / "content/pages/about.md").read_text() + "\nChanged.\n")
    subprocess.run([*args, str(tmp_path / "expected")], cwd=root, check=True, capture_output=True)
    after = tree_digest(tmp_path / "expected")
    interrupted = 0
    for delay in [0.2, 0.5, 0.9, 1.4]:
        if tree_digest(root / "_site") == after:
            break
        proc = subprocess.Popen([*args, str(root / "_site")], cwd=root, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(delay)
        proc.send_signal(sig)
        code = proc.wait(30)
        interrupted += code != 0
        assert tree_digest(root / "_site") in (before, after), delay
    assert interrupted >= 1
    subprocess.run([*args, str(root / "_site")], cwd=root, check=True, capture_output=True)
    assert tree_digest(root / "_site") == after
    assert not list(root.glob("._site.building-*"))


def test_concurrent_builds_do_not_interleave(tmp_path):
    root = copy_site(tmp_path / "site")
    args = [sys.executable, "-m", "site_src", "build", "--out", str(root / "_site"), "--no-cache"]
    procs = [subprocess.Popen(args, cwd=root, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in range(2)]
    outs = [p.communicate(timeout=300) for p in procs]
    assert all(p.returncode == 0 for p in procs), outs
    assert broken_links(root / "_site") == []
    n = len(json.loads((root / "_site/data/papers.json").read_text()))
    assert n == 295


def test_same_output_whatever_the_locale_and_listing_order(tmp_path, monkeypatch):
    root = copy_site(tmp_path / "site")
    digests = []
    for i, lc in enumerate(["C", "C.UTF-8"]):
        env = {**os.environ, "LC_ALL": lc, "LANG": lc, "PYTHONHASHSEED": str(i + 3)}
        out = root / f"_site{i}"
        subprocess.run([sys.executable, "-m", "site_src", "build", "--out", str(out), "--no-cache"], cwd=root, env=env, check=True, capture_output=True)
        (root / "content/topics.lock.json").unlink()
        digests.append(tree_digest(out))
    # in-process, with the file system listing every folder in reverse order
    from site_src.build import build
    from site_src.config import load_config

    real_walk = os.walk

    def reversed_walk(top, *a, **kw):
        for d, dirs, files in real_walk(top, *a, **kw):
            dirs.reverse()
            yield d, dirs, list(reversed(files))

    monkeypatch.setattr(os, "walk", reversed_walk)
    build(load_config(root / "researchmap.toml"), out=root / "_site2", use_cache=False)
    digests.append(tree_digest(root / "_site2"))
    assert digests[0] == digests[1] == digests[2]


def test_a_file_the_build_cannot_open_is_one_line_naming_it_and_the_site_stays(tmp_path):
    """A dump that is a link to nothing is skipped with a warning (as one that cannot be
    parsed); a page or config that cannot be opened stops the build with one line naming it,
    never a traceback, and the last good site is untouched."""
    root = copy_site(tmp_path / "site")
    run_cli("build", "-q", cwd=root)
    before = tree_digest(root / "_site")
    (root / "content/papers/gone.txt").symlink_to(root / "nowhere.txt")
    proc = run_cli("build", "-q", cwd=root)
    assert "warning: papers/gone.txt: a link to a file that does not exist, skipped" in proc.stderr
    (root / "content/pages/gone.md").symlink_to(root / "nowhere.md")
    proc = run_cli("build", "-q", cwd=root, check=False)
    assert proc.returncode == 1 and "Traceback" not in proc.stderr
    assert "error: content/pages/gone.md: a link to a file that does not exist" in proc.stderr
    (root / "content/pages/gone.md").unlink()
    (root / "researchmap.toml").rename(root / "real.toml")
    (root / "researchmap.toml").mkdir()  # a folder where the config should be: open() fails
    proc = run_cli("build", "-q", cwd=root, check=False)
    assert proc.returncode == 1 and "Traceback" not in proc.stderr and "researchmap.toml" in proc.stderr
    assert tree_digest(root / "_site") == before
