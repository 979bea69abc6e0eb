"""The dev server as a user meets it: a real process on a free port, real file edits, HTTP."""

import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urljoin

import pytest

from site_src.changes import CONFIG, PAGE, PAGE_FILE, PAPERS, STATIC, TEMPLATE, TOPIC_NOTE
from site_src.serve import resolve
from site_src.watch import Roots, classify

from conftest import REPO, copy_site


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    def __init__(self, root: Path, *extra: str):
        self.root = root
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}/"
        self.log = open(root / "serve.log", "w+")
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "site_src", "serve", "--port", str(self.port), "--config", str(root / "researchmap.toml"), *extra],
            cwd=root, stdout=self.log, stderr=subprocess.STDOUT,
        )
        self.wait_for(lambda s: s["builds"] >= 1, timeout=60)

    def get(self, path: str = "", raw: bool = False):
        try:
            with urllib.request.urlopen(self.url + path, timeout=10) as r:
                return r.status, r.read()
        except urllib.error.HTTPError as e:
            return e.code, e.read()

    def text(self, path: str) -> str:
        status, body = self.get(path)
        assert status == 200, (path, status)
        return body.decode()

    def status(self) -> dict:
        return json.loads(self.get("__researchmap__/status")[1])

    def wait_for(self, pred, timeout: float = 20):
        end = time.monotonic() + timeout
        last = None
        while time.monotonic() < end:
            if self.proc.poll() is not None:
                raise AssertionError(f"server exited {self.proc.returncode}: {self.output()}")
            try:
                last = self.status()
                if pred(last) and not last["building"]:
                    return last
            except (urllib.error.URLError, ConnectionError, json.JSONDecodeError):
                pass
            time.sleep(0.05)
        raise AssertionError(f"timed out; last status {last}; log:\n{self.output()}")

    def settle(self, quiet: float = 0.8) -> dict:
        """Wait until no build has started for ``quiet`` seconds."""
        before = self.status()["builds"]
        while True:
            time.sleep(quiet)
            now = self.wait_for(lambda s: True)
            if now["builds"] == before:
                return now
            before = now["builds"]

    def output(self) -> str:
        self.log.flush()
        return (self.root / "serve.log").read_text()

    def stop(self) -> int:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGINT)
            try:
                return self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                raise
        return self.proc.returncode


@pytest.fixture
def server(tmp_path):
    srv = Server(copy_site(tmp_path / "site", templates=True))
    yield srv
    srv.stop()


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text, old
    path.write_text(text.replace(old, new, 1))


def test_markdown_edit_rebuilds_only_that_page(server):
    before = server.status()
    about = server.root / "content/pages/about.md"
    edit(about, "This site maps papers", "This site (edited) maps papers")
    s = server.wait_for(lambda s: s["build"] > before["build"])
    assert "This site (edited) maps papers" in server.text("about.html")
    search = json.loads(server.text("data/search-pages.js").split(".push(", 1)[1].rsplit(");", 1)[0])
    assert "edited" in search[0][3].split()  # search finds it by its new words
    assert s["report"]["changes"] == [PAGE]
    assert s["report"]["written"] <= 3, s["report"]  # the page and its search words (+ marker-free carry of the rest)
    assert s["report"]["stages"]["model"] < 0.05  # never re-clustered


def test_an_image_added_beside_a_page_is_served_and_one_removed_is_gone(server):
    pages = server.root / "content/pages"
    before = server.status()
    warned = before["report"]["warnings"]
    edit(pages / "about.md", "## Dates", "![The pipeline](img/pipeline.svg)\n\n## Dates")
    server.wait_for(lambda s: s["build"] > before["build"])
    assert server.status()["report"]["warnings"] == warned + 1  # the image is not there yet
    assert re.search(r"warning: pages/about\.md:\d+: image 'img/pipeline\.svg' goes nowhere", server.output())
    assert server.get("img/pipeline.svg")[0] == 404
    before = server.status()
    (pages / "img").mkdir()
    svg = b'<svg xmlns="http://www.w3.org/2000/svg" width="8" height="8"/>'
    (pages / "img/pipeline.svg").write_bytes(svg)
    server.wait_for(lambda s: s["build"] > before["build"] and s["report"]["warnings"] == warned)
    assert server.get("img/pipeline.svg") == (200, svg)
    assert '<img src="img/pipeline.svg" alt="The pipeline"' in server.text("about.html")
    before = server.status()
    (pages / "img/pipeline.svg").unlink()
    server.wait_for(lambda s: s["build"] > before["build"] and s["report"]["warnings"] == warned + 1)
    assert server.get("img/pipeline.svg")[0] == 404  # not left behind from the last build


def test_a_note_on_dates_without_a_year_is_said_once_not_on_every_rebuild(tmp_path):
    root = copy_site(tmp_path / "site")
    config = root / "researchmap.toml"
    edit(config, "year = 2025", "year = 0")
    srv = Server(root)
    try:
        notes = re.findall(r"note: (\d+) of \d+ papers have a date without a year", srv.output())
        assert len(notes) == 1 and int(notes[0]) > 0, srv.output()
        before = srv.status()
        edit(root / "content/pages/about.md", "This site maps papers", "This site (edited) maps papers")
        srv.wait_for(lambda s: s["build"] > before["build"])
        assert srv.output().count("note:") == 1  # not repeated on every rebuild
        before = srv.status()
        edit(config, "year = 0", "year = 2025")
        srv.wait_for(lambda s: s["build"] > before["build"], timeout=60)
        assert srv.output().count("note:") == 1  # nothing left to say
    finally:
        srv.stop()


def test_template_edit_appears(server):
    before = server.status()["build"]
    edit(server.root / "templates/page.html", "<h1>{{ page.title }}</h1>", "<h1 class=edited>{{ page.title }}</h1>")
    s = server.wait_for(lambda s: s["build"] > before)
    assert '<h1 class=edited>About this map</h1>' in server.text("about.html")
    assert s["report"]["changes"] == [TEMPLATE]
    assert s["report"]["written"] == 1  # only pages using page.html are rendered again
    before = server.status()["build"]
    edit(server.root / "templates/base.html", "<main id=\"main\">", "<main id=\"main\" class=edited-base>")
    server.wait_for(lambda s: s["build"] > before)
    assert "edited-base" in server.text("index.html") and "edited-base" in server.text("topics/moe.html")


def test_broken_template_keeps_last_good_site_and_recovers(server):
    page = server.root / "templates/page.html"
    good = page.read_text()
    served = server.text("about.html")
    builds = server.status()["builds"]
    page.write_text(good.replace("{% endblock %}", "{% endblok %}"))
    s = server.wait_for(lambda s: s["builds"] > builds and s["error"])
    assert "page.html" in s["error"] and ":" in s["error"]
    assert server.text("about.html") == served  # the last good build is still what is served
    assert "page.html" in server.output()  # and the terminal names the file
    page.write_text(good.replace("<h1>", "<h1 class=fixed>"))
    server.wait_for(lambda s: s["error"] is None)
    assert "<h1 class=fixed>" in server.text("about.html")


def test_burst_of_saves_is_one_or_two_builds(server):
    builds = server.settle()["builds"]
    note = server.root / "content/topics/moe.md"
    text = note.read_text()
    for i in range(20):
        note.write_text(text + f"\n\nSave number {i}.\n")
        time.sleep(0.01)
    s = server.wait_for(lambda s: s["builds"] > builds)
    s = server.settle()
    assert 1 <= s["builds"] - builds <= 2, s
    assert "Save number 19." in server.text("topics/moe.html")


def test_a_topic_notes_title_renames_its_topic_on_every_page(server):
    """A note's body is its topic page's alone (that page re-renders); its title names the topic
    everywhere, so the home page and the map follow."""
    before = server.settle()
    note = server.root / "content/topics/moe.md"
    note.write_text("---\ntitle: Sparse experts\n---\n" + note.read_text())
    server.wait_for(lambda s: s["build"] > before["build"] and s["error"] is None)
    assert "Sparse experts" in server.text("index.html") and "Sparse experts" in server.text("data/map.js")
    assert "<title>Sparse experts" in server.text("topics/moe.html")


def test_serve_drafts_shows_draft_pages_marked_as_drafts(tmp_path):
    """``serve -D`` shows the pages marked draft, with a note saying so, and a new draft as it
    is saved; without it they stay out, as in the published site."""
    root = copy_site(tmp_path / "site")
    (root / "content/pages/plan.md").write_text("---\ntitle: The plan\ndraft: true\n---\nHalf a thought.\n")
    srv = Server(root, "-D")
    try:
        page = srv.text("plan.html")
        assert "Half a thought." in page and 'class="draft-note"' in page
        assert 'class="draft-note"' not in srv.text("about.html")
        before = srv.status()
        (root / "content/pages/later.md").write_text("---\nPublished: false\n---\nLater.\n")
        srv.wait_for(lambda s: s["build"] > before["build"] and s["error"] is None)
        assert "Later." in srv.text("later.html")
    finally:
        srv.stop()
    srv = Server(root)
    try:
        assert srv.get("plan.html")[0] == 404 and srv.get("later.html")[0] == 404
    finally:
        srv.stop()


def test_an_alias_added_to_a_page_is_served_as_a_redirect(server):
    before = server.settle()
    edit(server.root / "content/pages/about.md", "weight: 1\n", "weight: 1\naliases: [old-about]\n")
    server.wait_for(lambda s: s["build"] > before["build"] and s["error"] is None)
    assert 'content="0; url=about.html"' in server.text("old-about.html")


def test_editor_temp_files_and_noop_saves_cause_no_build(server):
    builds = server.settle()["builds"]
    pages = server.root / "content/pages"
    about = pages / "about.md"
    for name in ["4913", ".about.md.swp", "about.md~", "about.md___jb_tmp___", ".#about.md", "#about.md#"]:
        (pages / name).write_text("temp")
        (pages / name).unlink()
    (pages / "about.md~").write_text(about.read_text())  # a backup that stays
    about.write_text(about.read_text())  # saved without edits
    os.utime(about)
    time.sleep(1.0)
    assert server.settle()["builds"] == builds


def test_atomic_save_by_rename_is_one_build(server):
    builds = server.settle()["builds"]
    about = server.root / "content/pages/about.md"
    tmp = about.with_name("about.md.tmp")
    tmp.write_text(about.read_text().replace("This site maps", "This site, saved atomically, maps"))
    os.replace(tmp, about)
    s = server.wait_for(lambda s: s["builds"] > builds)
    assert "saved atomically" in server.text("about.html")
    assert server.settle()["builds"] - builds == 1 and s["error"] is None


def test_css_change_only_copies_the_file(server):
    build = server.status()["build"]
    css = server.root / "themes/default/static/style.css"
    css.write_text(css.read_text() + "\n/* edited */\n")
    s = server.wait_for(lambda s: s["build"] > build)
    assert s["report"]["changes"] == [STATIC]
    assert s["report"]["written"] == 1  # only the stylesheet; every other file is carried over
    assert server.text("assets/style.css").endswith("/* edited */\n")


def test_new_dump_reclusters(server):
    build = server.status()["build"]
    n = len(json.loads(server.text("data/papers.json")))
    (server.root / "content/papers/extra.jsonl").write_text(json.dumps({
        "title": "Expert Choice Routing Revisited for Sparse Mixture of Experts",
        "abstract": "We revisit expert choice routing in sparse mixture-of-experts language models and show load balance without auxiliary losses.",
        "date": "2025-03-04", "upvotes": 3, "arxiv_id": "2503.99999",
    }) + "\n")
    s = server.wait_for(lambda s: s["build"] > build)
    assert s["report"]["changes"] == [PAPERS]
    assert len(json.loads(server.text("data/papers.json"))) == n + 1
    assert "Expert Choice Routing Revisited" in server.text("topics/moe.html")


def test_safe_serving_and_site_404(server):
    (server.root / "secret.txt").write_text("secret")
    for path in ["../secret.txt", "%2e%2e/secret.txt", "%2E%2E%2Fsecret.txt", "assets/..%2f..%2fsecret.txt", "..%5csecret.txt", "%00"]:
        status, body = server.get(path)
        assert status == 404 and b"secret" not in body, path
    status, body = server.get("no/such/page.html")
    assert status == 404 and b"Page not found" in body
    sheets = re.findall(rb'<link rel="stylesheet" href="([^"]+)"', body)  # resolved from the missing page's URL
    assert sheets and all(server.get(urljoin("no/such/page.html", s.decode()).lstrip("/"))[0] == 200 for s in sheets)
    assert b"/__researchmap__/livereload.js" in body
    status, body = server.get("assets/style.css")
    assert status == 200 and b"__researchmap__" not in body
    assert server.text("topics/moe") == server.text("topics/moe.html")  # as GitHub Pages serves it
    assert server.get("topics/moe/")[0] == 404 and server.get("topics/nosuch")[0] == 404


def test_injected_script_only_when_served(server):
    assert "/__researchmap__/livereload.js" in server.text("index.html")
    built = server.root / "_built"
    subprocess.run([sys.executable, "-m", "site_src", "build", "--out", str(built)], cwd=server.root, check=True, capture_output=True)
    for f in built.rglob("*.html"):
        assert "__researchmap__" not in f.read_text(), f


def test_first_build_failure_still_serves_and_recovers(tmp_path):
    root = copy_site(tmp_path / "site", templates=True)
    cfg = root / "researchmap.toml"
    good = cfg.read_text()
    cfg.write_text(good.replace('title = "', 'titel = "', 1))
    srv = Server(root)
    try:
        s = srv.status()
        assert s["error"] and "titel" in s["error"]
        status, body = srv.get("index.html")
        assert status == 404 and b"/__researchmap__/livereload.js" in body
        cfg.write_text(good)
        srv.wait_for(lambda s: s["error"] is None and s["build"] >= 1)
        assert "LLM Systems Research Map" in srv.text("index.html")
        assert srv.stop() == 0
    finally:
        srv.stop()


def test_event_stream_sends_hello_then_reload(server):
    import http.client

    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
    conn.request("GET", "/__researchmap__/events")
    resp = conn.getresponse()
    assert resp.getheader("Content-Type") == "text/event-stream"

    def next_event():
        while True:
            line = resp.fp.readline().decode()
            if line.startswith("data: "):
                return json.loads(line[6:])

    hello = next_event()
    assert hello["type"] == "hello" and hello["error"] is None
    edit(server.root / "content/pages/about.md", "This site maps", "This site now maps")
    msg = next_event()
    assert msg["type"] == "reload" and msg["build"] == hello["build"] + 1
    conn.close()


def test_ctrl_c_stops_cleanly(server):
    assert server.stop() == 0
    assert "stopping" in server.output()


def test_classify(tmp_path):
    roots = Roots(tmp_path / "content", tmp_path / "templates", tmp_path / "themes", tmp_path / "researchmap.toml", (tmp_path / "_site", tmp_path / ".researchmap-cache"))
    c = lambda p: classify(tmp_path / p, roots)  # noqa: E731
    assert c("content/papers/a.txt") == PAPERS
    assert c("content/papers/sub/b.jsonl.gz") == PAPERS
    assert c("content/pages/about.md") == PAGE
    assert c("content/pages/img/arch.png") == PAGE_FILE
    assert c("content/pages/CNAME") == PAGE_FILE
    assert c("content/topics/moe.md") == TOPIC_NOTE
    assert c("templates/base.html") == TEMPLATE
    assert c("themes/default/templates/page.html") == TEMPLATE
    assert c("themes/default/static/style.css") == STATIC
    assert c("researchmap.toml") == CONFIG
    for ignored in ["content/topics.lock.json", "content/pages/.about.md.swp", "content/pages/4913", "content/pages/about.md~",
                    "content/pages/.#about.md", "content/pages/x___jb_old___", "_site/index.html", ".researchmap-cache/x",
                    "README.md", "content/papers/.hidden.txt"]:
        assert c(ignored) is None, ignored


def test_resolve_stays_inside(tmp_path):
    out = tmp_path / "out"
    (out / "a").mkdir(parents=True)
    (out / "a/x.html").write_text("x")
    (tmp_path / "secret").write_text("s")
    os.symlink(tmp_path / "secret", out / "link")
    assert resolve(out, "a/x.html") == (out / "a/x.html").resolve()
    for bad in ["../secret", "a/../../secret", "link", "a\\..\\..\\secret", "x\x00"]:
        assert resolve(out, bad) is None, bad


@pytest.mark.browser
def test_open_page_reloads_itself_and_shows_errors(server):
    from playwright.sync_api import sync_playwright
    import shutil

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=shutil.which("chromium"), args=["--no-sandbox"])
        try:
            context = browser.new_context()
            tabs = [context.new_page() for _ in range(3)]  # several tabs share one event stream
            for tab in tabs:
                tab.goto(server.url + "about.html")
            tabs[0].wait_for_function("document.querySelector('h1').textContent.includes('About this map')")
            time.sleep(0.5)
            assert server.status()["streams"] == 1  # one leader tab holds the connection
            tmpl = server.root / "templates/page.html"
            good = tmpl.read_text()
            tmpl.write_text(good.replace("<h1>", "<h1 data-edit=live>"))
            for tab in tabs:
                tab.wait_for_selector("h1[data-edit=live]", timeout=15000)
            tmpl.write_text(good.replace("{% endblock %}", "{% endblok %}"))
            tabs[1].wait_for_selector("#researchmap-error", timeout=15000)
            assert "page.html" in tabs[1].inner_text("#researchmap-error")
            assert tabs[1].query_selector("h1[data-edit=live]")  # the old page stays under the overlay
            tmpl.write_text(good)
            tabs[2].wait_for_function("!document.querySelector('h1[data-edit]')", timeout=15000)
            assert tabs[2].query_selector("#researchmap-error") is None
        finally:
            browser.close()


def test_an_open_page_shows_the_builds_warnings_until_hidden_or_gone(server):
    """Warnings go to the terminal, which a writer looking at the browser does not see: each
    served page shows the last good build's in a corner, until hidden (for as long as they stay
    the same) or fixed."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=shutil.which("chromium"), args=["--no-sandbox"])
        try:
            tab = browser.new_context().new_page()

            def load(url):  # the page, once its script has asked the server for the warnings
                with tab.expect_response(lambda r: r.url.endswith("/__researchmap__/status")):
                    tab.goto(url)
                tab.wait_for_load_state("networkidle")

            load(server.url + "about.html")
            assert tab.query_selector("#researchmap-warnings") is None  # the default content warns of nothing
            posts = server.root / "content/posts"
            posts.mkdir()
            (posts / "first.md").write_text("# First\n")
            box = tab.wait_for_selector("#researchmap-warnings", timeout=15000)
            assert "1 warning in the last build" in box.inner_text()
            assert not tab.is_visible("#researchmap-warnings pre")  # folded until asked for
            tab.click("#researchmap-warnings summary")
            assert "posts/: not read" in tab.inner_text("#researchmap-warnings pre")
            tab.click("#researchmap-warnings button[aria-label='Hide build warnings']")
            assert tab.query_selector("#researchmap-warnings") is None
            load(server.url + "index.html")
            assert tab.query_selector("#researchmap-warnings") is None  # hidden while they stay the same
            (server.root / "content/pages/notes.md").write_text("---\ntitel: Notes\n---\nText.\n")
            box = tab.wait_for_selector("#researchmap-warnings", timeout=15000)
            assert "2 warnings in the last build" in box.inner_text()
            shutil.rmtree(posts)
            (server.root / "content/pages/notes.md").unlink()
            server.wait_for(lambda s: s["report"]["warnings"] == 0 and not s["warnings"])
            load(server.url + "about.html")
            assert tab.query_selector("#researchmap-warnings") is None
        finally:
            browser.close()


def test_page_not_found_suggests_the_pages_with_the_words_of_the_address(server):
    """An old link to a paper whose title changed, or a mistyped topic: the page-not-found page
    (served at the missing address, as GitHub Pages serves it) lists the pages those words name."""
    from playwright.sync_api import sync_playwright
    import shutil

    papers = json.loads(server.text("data/papers.json"))
    paper = max(papers, key=lambda p: (len(p["id"].split("-")), p["id"]))
    words = paper["id"].split("-")
    asked = {  # missing address -> the page it should suggest first
        "papers/" + "-".join(words[:-1] + ["revised"]) + ".html": paper["url"],  # a word changed
        "topics/kv-cach.html": "topics/kv-cache.html",  # a typo, cut short
        "about-the-map.html": "about.html",  # a page of the site, by its title
    }
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=shutil.which("chromium"), args=["--no-sandbox"])
        try:
            tab = browser.new_page()
            for path, want in asked.items():
                assert tab.goto(server.url + path).status == 404
                tab.wait_for_selector("#suggest li a")
                first = tab.eval_on_selector("#suggest li a", "a => a.getAttribute('href')")
                assert first == "/" + want, (path, first)
                tab.click("#suggest li a")
                tab.wait_for_url(server.url + want)
            tab.goto(server.url + "papers/zqxj-vwkp.html")  # words no page has: nothing to suggest
            tab.wait_for_load_state("networkidle")
            assert tab.eval_on_selector("#suggest", "s => s.hidden") and not tab.query_selector("#suggest li")
        finally:
            browser.close()


def test_busy_port_is_a_clear_message(tmp_path):
    root = copy_site(tmp_path / "site")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        s.listen(1)
        port = s.getsockname()[1]
        proc = subprocess.run([sys.executable, "-m", "site_src", "serve", "--port", str(port)], cwd=root,
                              capture_output=True, text=True, timeout=60)
    assert proc.returncode == 1
    assert f"cannot serve on 127.0.0.1:{port}" in proc.stderr and "--port" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_a_rebuild_collects_garbage_less_often_and_leaves_pythons_thresholds_after(tmp_path, monkeypatch):
    """A rebuild runs with the CLI build's raised collector thresholds (the server's previous
    build state is large, and every full collection would scan it); between rebuilds, and after
    a failed one, the server runs on the thresholds it had."""
    import gc
    from types import SimpleNamespace

    from site_src import serve
    from site_src.config import SiteConfig
    from site_src.errors import ResearchMapError

    seen = []

    def fake_build(config, **kw):
        seen.append(gc.get_threshold())
        if len(seen) == 1:
            raise ResearchMapError("bad input")
        return SimpleNamespace(state=None, warnings=[], seconds=0.0, stages={}, written=0, unchanged=0, summary=lambda: "", short=lambda: "", notes=lambda: [])

    monkeypatch.setattr(serve, "build", fake_build)
    site = serve.DevSite(None, SiteConfig(), SimpleNamespace(content=None, no_cache=False, drafts=False), tmp_path / "_site", "http://127.0.0.1:1/")
    before = gc.get_threshold()
    try:
        gc.set_threshold(700, 10, 10)
        assert site.rebuild(None) is False and gc.get_threshold() == (700, 10, 10)
        assert site.rebuild(None) is True and gc.get_threshold() == (700, 10, 10)
    finally:
        gc.set_threshold(*before)
    assert seen == [(100_000, 20, 10)] * 2


def test_a_templates_or_themes_folder_made_while_serving_is_watched(tmp_path):
    """A project starts with content/ alone; the user then makes templates/ (or themes/) to
    override one file. The server watched only folders there at its start and never saw it."""
    root = copy_site(tmp_path / "site")
    srv = Server(root)
    try:
        before = srv.status()["build"]
        (root / "templates").mkdir()
        shipped = (REPO / "templates/page.html").read_text()
        (root / "templates/page.html").write_text(shipped.replace("<h1>{{ page.title }}</h1>", "<h1 class=mine>{{ page.title }}</h1>"))
        srv.wait_for(lambda s: s["build"] > before)
        assert "<h1 class=mine>" in srv.text("about.html")
        before = srv.status()["build"]
        edit(root / "templates/page.html", "class=mine", "class=mine-again")  # and later edits
        srv.wait_for(lambda s: s["build"] > before)
        assert "<h1 class=mine-again>" in srv.text("about.html")
        before = srv.status()["build"]
        (root / "themes/default/static").mkdir(parents=True)
        (root / "themes/default/static/theme.css").write_text(":root { --mine: 1; }\n")
        srv.wait_for(lambda s: s["build"] > before)
        assert "--mine: 1" in srv.text("assets/theme.css")
        shutil.rmtree(root / "templates")  # as a checkout does: deleted and made again
        srv.settle()
        before = srv.status()["build"]
        (root / "templates").mkdir()
        (root / "templates/page.html").write_text(shipped.replace("<h1>{{ page.title }}</h1>", "<h1 class=anew>{{ page.title }}</h1>"))
        srv.wait_for(lambda s: s["build"] > before)
        assert "<h1 class=anew>" in srv.text("about.html")
        before = srv.status()["build"]
        edit(root / "templates/page.html", "class=anew", "class=anew-edited")
        srv.wait_for(lambda s: s["build"] > before)
        assert "<h1 class=anew-edited>" in srv.text("about.html")
    finally:
        srv.stop()


def test_a_changed_base_url_path_moves_the_site_and_an_open_tab_follows(tmp_path):
    root = copy_site(tmp_path / "site")
    srv = Server(root)
    try:
        assert srv.get("index.html")[0] == 200
        before = srv.status()["build"]
        edit(root / "researchmap.toml", 'base_url = "http://localhost:8000/"', 'base_url = "https://someone.github.io/myproj/"')
        srv.wait_for(lambda s: s["build"] > before)
        assert f"{srv.url}myproj/" in srv.text("myproj/index.html")  # its canonical address
        with urllib.request.urlopen(srv.url + "topics/moe.html", timeout=10) as r:  # the old path, as a tab left open has it
            assert r.status == 200 and r.url == srv.url + "myproj/topics/moe.html"
        assert "now serving at " + srv.url + "myproj/" in srv.output()
    finally:
        srv.stop()


def test_a_folder_the_build_does_not_read_is_a_warning_until_it_goes(server):
    """A Hugo-style content/posts/ is not read: serve says so when it appears, and stops saying
    so when it is moved away (the warning is not kept from the build before)."""
    before = server.status()
    posts = server.root / "content/posts"
    posts.mkdir()
    (posts / "first.md").write_text("# First\n")
    s = server.wait_for(lambda s: s["build"] > before["build"] and s["report"]["warnings"] == before["report"]["warnings"] + 1)
    assert "warning: posts/: not read" in server.output()
    (posts / "first.md").unlink()
    posts.rmdir()
    server.wait_for(lambda t: t["build"] > s["build"] and t["report"]["warnings"] == before["report"]["warnings"])


def test_a_dangling_link_among_the_dumps_is_a_warning_and_its_removal_a_rebuild(server):
    link = server.root / "content/papers/gone.txt"
    before = server.status()["build"]
    link.symlink_to(server.root / "nowhere.txt")
    s = server.wait_for(lambda s: s["build"] > before)
    assert s["error"] is None and s["report"]["warnings"] >= 1
    assert "papers/gone.txt: a link to a file that does not exist, skipped" in server.output()
    before = s["build"]
    link.unlink()
    s = server.wait_for(lambda s: s["build"] > before)
    page = server.root / "content/pages/gone.md"  # a page is not skipped: the build stops, in one line
    page.symlink_to(server.root / "nowhere.md")
    s = server.wait_for(lambda s: s["error"] is not None)
    assert "pages/gone.md: a link to a file that does not exist" in s["error"] and "Traceback" not in s["error"]
    page.unlink()
    server.wait_for(lambda s: s["error"] is None)
