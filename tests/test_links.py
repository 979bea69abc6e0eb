"""Relative links in markdown pages, resolved as the author's file tree has them."""

from site_src.links import LinkMap, resolve
from site_src.markdown import render_markdown

LINKS = LinkMap({
    "pages/about.md": "about.html",
    "pages/guide/setup.md": "install.html",  # its front matter gave another slug
    "pages/img/arch diagram.png": "img/arch diagram.png",
    "pages/guide/shot.png": "guide/shot.png",
    "topics/moe.md": "topics/moe.html",
})


def url(link: str, source_dir: str = "pages", depth: int = 0, image: bool = False):
    return resolve(link, source_dir, LINKS, depth=depth, image=image)


def test_a_page_is_linked_by_its_file_and_reached_at_its_url():
    assert url("about.md").url == "about.html"
    assert url("guide/setup.md#step-2").url == "install.html#step-2"
    assert url("../about.md?x=1", "pages/guide").url == "about.html?x=1"
    assert url("../topics/moe.md").url == "topics/moe.html"


def test_a_file_beside_a_page_is_reached_where_the_build_copies_it():
    assert url("img/arch%20diagram.png").url == "img/arch%20diagram.png"
    assert url("shot.png", "pages/guide").url == "guide/shot.png"
    assert url("./img/../guide/shot.png").url == "guide/shot.png"
    # from a topic page (one folder down) the way back to the root comes first
    assert url("../pages/img/arch%20diagram.png", "topics", depth=1).url == "../img/arch%20diagram.png"
    assert url("../pages/about.md", "topics", depth=1).url == "../about.html"


def test_links_that_name_no_content_file_are_left_alone_and_only_missing_pages_and_images_are_said():
    for link in ["https://arxiv.org/abs/2401.1", "mailto:a@b.c", "#dates", "/abs.html", "//cdn/x.js", "", "img/",
                 "topics/moe.html", "papers.html", "../../outside.md"]:
        found = url(link)
        assert found.url is None and found.missing == "", link
    assert url("nothere.md").missing == "pages/nothere.md"
    assert url("img/none.png", image=True).missing == "pages/img/none.png"
    assert url("report.pdf").missing == ""  # a link to a site URL the author knows of


def test_rendering_rewrites_links_and_images_and_warns_with_the_line():
    text = "Intro.\n\nSee [setup](guide/setup.md) and\n![arch](img/arch%20diagram.png).\n\n- a [gone](gone.md)\n- ![x](img/x.png)\n"
    warnings: list = []
    html = render_markdown(text, source="pages/about.md", links=LINKS, first_line=5, warnings=warnings)
    assert '<a href="install.html">setup</a>' in html
    assert '<img src="img/arch%20diagram.png" alt="arch" />' in html
    assert '<a href="gone.md">gone</a>' in html  # left as written
    assert [(w.file, w.line) for w in warnings] == [("pages/about.md", 10), ("pages/about.md", 11)]
    assert "gone.md" in warnings[0].message and "pages/img/x.png" in warnings[1].message


def test_footnotes_still_render_with_links_resolved():
    html = render_markdown("Text.[^1]\n\n[^1]: See [about](about.md).\n", source="pages/x.md", links=LINKS)
    assert 'class="footnote-ref"' in html and '<a href="about.html">about</a>' in html
