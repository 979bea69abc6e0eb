"""Relative links in markdown pages, resolved as the author's file tree has them."""

from site_src.links import dead_links, resolve
from site_src.markdown import render_markdown

LINKS = {
    "pages/about.md": "about.html",
    "pages/guide/setup.md": "install.html",  # its front matter gave another slug
    "pages/img/arch diagram.png": "img/arch diagram.png",
    "pages/guide/shot.png": "guide/shot.png",
    "topics/moe.md": "topics/moe.html",
}


def url(link: str, source_dir: str = "pages", depth: int = 0) -> str | None:
    return resolve(link, source_dir, LINKS, depth=depth)


def test_a_page_is_linked_by_its_file_and_reached_at_its_url():
    assert url("about.md") == "about.html"
    assert url("guide/setup.md#step-2") == "install.html#step-2"
    assert url("../about.md?x=1", "pages/guide") == "about.html?x=1"
    assert url("../topics/moe.md") == "topics/moe.html"


def test_a_file_beside_a_page_is_reached_where_the_build_copies_it():
    assert url("img/arch%20diagram.png") == "img/arch%20diagram.png"
    assert url("shot.png", "pages/guide") == "guide/shot.png"
    assert url("./img/../guide/shot.png") == "guide/shot.png"
    # from a topic page (one folder down) the way back to the root comes first
    assert url("../pages/img/arch%20diagram.png", "topics", depth=1) == "../img/arch%20diagram.png"
    assert url("../pages/about.md", "topics", depth=1) == "../about.html"


def test_links_that_name_no_content_file_are_left_as_written():
    for link in ["https://arxiv.org/abs/2401.1", "mailto:a@b.c", "#dates", "/abs.html", "//cdn/x.js", "", "img/",
                 "topics/moe.html", "papers.html", "../../outside.md", "nothere.md", "img/none.png"]:
        assert url(link) is None, link


def test_rendering_rewrites_links_and_images_in_place():
    text = "See [setup](guide/setup.md) and\n![arch](img/arch%20diagram.png), [gone](gone.md), [moe](topics/moe.html).\n"
    html = render_markdown(text, source="pages/about.md", links=LINKS)
    assert '<a href="install.html">setup</a>' in html
    assert '<img src="img/arch%20diagram.png" alt="arch" />' in html
    assert '<a href="gone.md">gone</a>' in html and '<a href="topics/moe.html">moe</a>' in html  # as written


def test_raw_html_links_and_images_are_rewritten_as_markdown_ones_are():
    text = ('<p align="center"><img src="../img/arch%20diagram.png" width=400></p>\n\n'
            "Read <a href='setup.md#step-2'>the setup</a> or <a href=\"gone.md\">this</a>.\n")
    html = render_markdown(text, source="pages/guide/intro.md", links=LINKS)
    assert '<img src="img/arch%20diagram.png" width=400>' in html
    assert '<a href="install.html#step-2">the setup</a>' in html
    assert '<a href="gone.md">this</a>' in html  # names no content file: as written, for dead_links


def test_dead_links_are_the_relative_ones_reaching_no_file_of_the_site_with_their_lines():
    site = {"about.html", "topics/moe.html", "img/a.png", "papers.html"}
    source = "---\ntitle: X\n---\nIntro [moe](topics/moe.html).\n\n[gone](gone.md) ![b](img/b.png)\n<img src=\"img/raw.png\">\n[typo](topics/moee.html?x=1&amp;y=2#a)\n"
    html = ('<a href="topics/moe.html">moe</a> <a href="gone.md">gone</a> <img src="img/b.png"> <img src="img/raw.png">'
            '<a href="topics/moee.html?x=1&amp;y=2#a">typo</a> <a href="#fn1">1</a> <a href="https://x.org/y">x</a>'
            '<a href="papers.html?topic=moe">list</a> <img src="img/a.png"> <a href="../../etc">out</a>')
    found = dead_links([("pages/guide/x.md", "x.html", html)], site.__contains__, {"pages/guide/x.md": source}.__getitem__)
    assert [(w.file, w.line) for w in found] == [("pages/guide/x.md", 6), ("pages/guide/x.md", 6), ("pages/guide/x.md", 7),
                                                 ("pages/guide/x.md", 8)]
    assert "link 'gone.md' goes nowhere: no pages/guide/gone.md in the content dir" == found[0].message
    assert found[1].message.startswith("image 'img/b.png' goes nowhere: the site has nothing at img/b.png")
    assert "topics/moee.html" in found[3].message
    # from a topic page (one folder down) a link is resolved from there
    assert dead_links([("topics/moe.md", "topics/moe.html", '<a href="../about.html">a</a>')], site.__contains__, str) == []
    # a .md link left as written is dead wherever it points, even out of the site's root
    gone = dead_links([("pages/a/x.md", "x.html", '<a href="../gone.md">g</a><a href="../sibling/">s</a>')], site.__contains__,
                      lambda source: "[g](../gone.md)\n")
    assert [(w.line, w.message) for w in gone] == [(1, "link '../gone.md' goes nowhere: no pages/gone.md in the content dir")]
    # a file under pages/ that is not there, named from a page in a folder: out of the site's
    # root once the page is at it, but meant as a file the build copies ("../img/typo.png")
    typo = dead_links([("pages/guide/x.md", "x.html", '<img src="img/ok.png"><img src="../img/typo.png"><a href="../../up/">u</a>')],
                      {"img/ok.png"}.__contains__, lambda source: "![ok](../img/ok.png)\n![t](../img/typo.png)\n")
    assert [(w.line, w.message) for w in typo] == [(2, "image '../img/typo.png' goes nowhere: no pages/img/typo.png in the content dir")]
    # a file of a folder the content dir has outside pages/ is never published, there or not;
    # a place it does not have may be a sibling site's
    beside = dead_links([("pages/x.md", "x.html", '<img src="../images/x.png"><a href="../../researchmap.toml">c</a>'
                                                  '<a href="../other-repo/paper.pdf">s</a><a href="../index.html">u</a>')],
                        set().__contains__, lambda source: "![x](../images/x.png)\n", in_content={"images"}.__contains__)
    assert [(w.line, w.message) for w in beside] == [
        (1, "image '../images/x.png' goes nowhere: images/x.png is not under pages/, and only the files under pages/ are published")]
    # "." and ".." are folders, reached at their index.html
    up = dead_links([("pages/guide/x.md", "guide/x.html", '<a href="..">up</a><a href="../docs/..">up</a>')], {"index.html"}.__contains__, str)
    assert up == []
    # a folder: its index.html, as a static host serves it
    folders = dead_links([("pages/x.md", "x.html", '<a href="./">home</a><a href=".">home</a><a href="guide/">g</a><a href="docs/">d</a>'
                                                   '<a href="docs/.">d</a>')],
                         {"index.html", "docs/index.html"}.__contains__, lambda source: "[g](guide/)\n")
    assert [(w.line, w.message) for w in folders] == [(1, "link 'guide/' goes nowhere: the site has nothing at guide/index.html")]


def test_links_from_the_domains_root_are_checked_under_the_sites_path_and_reported_when_they_leave_it():
    """On GitHub Pages a project site is under /repo/: "/about.html" is another site's page."""
    site = {"about.html", "img/logo.png"}
    html = '<a href="/about.html">a</a><img src="/img/logo.png"><a href="/gone.html">g</a><a href="//cdn.example/x">c</a><a href="topics/x.html">t</a>'
    source = "[a](/about.html)\n![l](/img/logo.png)\n[g](/gone.html)\n[t](topics/x.html)\n"
    at_root = dead_links([("pages/guide/x.md", "guide/x.html", html)], site.__contains__, lambda _: source)
    assert [(w.line, w.message) for w in at_root] == [
        (3, "link '/gone.html' goes nowhere: the site has nothing at gone.html"),
        (4, "link 'topics/x.html' goes nowhere: the site has nothing at guide/topics/x.html")]
    under = dead_links([("pages/guide/x.md", "guide/x.html", html + '<a href="/repo/about.html">r</a><a href="/repo">r</a><a href="/repo/gone.html">g</a>')],
                       (site | {"index.html"}).__contains__, lambda _: source + "[r](/repo/about.html) [r](/repo) [g](/repo/gone.html)\n", base_path="/repo/")
    assert [w.line for w in under] == [1, 2, 3, 4, 5]
    assert under[4].message == "link '/repo/gone.html' goes nowhere: the site has nothing at gone.html"
    assert under[0].message == "link '/about.html' leaves the site, published under /repo/: write it relative to the page (as the site's own links are)"
    assert under[1].message.startswith("image '/img/logo.png' leaves the site")


def test_footnotes_still_render_with_links_resolved():
    html = render_markdown("Text.[^1]\n\n[^1]: See [about](about.md).\n", source="pages/x.md", links=LINKS)
    assert 'class="footnote-ref"' in html and '<a href="about.html">about</a>' in html
