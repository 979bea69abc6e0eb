"""Markdown pages: fenced code coloured by Pygments, everything else as markdown-it renders it."""

from pathlib import Path

from site_src.markdown import render_markdown


def test_fenced_code_in_a_known_language_is_coloured_and_still_escaped():
    html = render_markdown('```python\ndef f():\n    return "<b>"  # why\n```\n')
    assert html.startswith('<pre tabindex="0"><code class="language-python"><span class="k">def</span>')
    assert '<span class="nf">f</span>' in html and '<span class="c1"># why</span>' in html
    assert "&lt;b&gt;" in html and "<b>" not in html


def test_plain_text_is_not_rewritten_into_symbols():
    """markdown-it's replacements made "C++-based" "C+±based" and a list's "(c)" "©"; quotes
    are still curled."""
    html = render_markdown('A C++-based engine, g++-compiled; steps (a), (b), (c), (r) and (tm). "Quoted" -- ok...')
    assert "C++-based" in html and "g++-compiled" in html and "(c), (r) and (tm)" in html and "-- ok..." in html
    assert "\u201cQuoted\u201d" in html


def test_githubs_additions_heading_ids_and_math_kept_as_written():
    html = render_markdown(
        "# Top\n\n## Step 2 {#install}\n\n#### Deep\n\n- [x] done\n- [ ] todo\n\n> [!NOTE]\n> Useful.\n\n"
        "See https://example.org/x, $x*y*z$, $f(x)=(c)$ and $$a \\\\ b$$; it costs $10 to $20.\n\n$$\n\\frac{a}{b} \\, c < d\n$$\n")
    # every heading level has an id; {#id} sets it (Hugo's and MkDocs' attr_list syntax)
    assert '<h1 id="top">Top</h1>' in html and '<h2 id="install">Step 2</h2>' in html and '<h4 id="deep">Deep</h4>' in html
    assert html.count('type="checkbox"') == 2 and "checked" in html  # task lists
    assert 'class="markdown-alert markdown-alert-note"' in html  # GitHub's alerts
    assert '<a href="https://example.org/x">https://example.org/x</a>' in html  # a bare URL is a link
    # math as written, for a MathJax or KaTeX template: no emphasis, escapes or symbols in it
    assert r'<span class="math inline">\(x*y*z\)</span>' in html and r"\(f(x)=(c)\)" in html
    assert r'<span class="math display">\[a \\ b\]</span>' in html
    assert r"\[\frac{a}{b} \, c &lt; d\]" in html and "costs $10 to $20." in html


def test_a_page_opening_with_a_heading_shows_it_once_and_takes_its_title_from_it(tmp_path):
    """As MkDocs does: the page's one <h1> is its own (its id and links kept, as any heading's),
    and a page without a title key is named by it (it had been "Notitle", from its file, over
    the heading: two <h1>s)."""
    pages, warnings = _pages(tmp_path, {"notitle.md": "\n# My *Heading* to [both](both.md) {#top}\n\nBody.\n",
                                        "both.md": "---\ntitle: Menu name\n---\n# Page heading\nBody\n",
                                        "plain.md": "Body only.\n\n# A later heading\n",
                                        "setext.md": "<!-- to do: figures -->\n\nSetext *title*\n==============\n\nBody.\n",
                                        "second.md": "Second level\n------------\n\nBody.\n"})
    notitle, both, plain = pages["pages/notitle.md"], pages["pages/both.md"], pages["pages/plain.md"]
    # a setext heading, or one after an HTML comment, is the page's own heading too
    assert (pages["pages/setext.md"].title, pages["pages/setext.md"].own_h1) == ("Setext title", True)
    assert (pages["pages/second.md"].title, pages["pages/second.md"].own_h1) == ("Second", False)
    assert (notitle.title, notitle.own_h1) == ("My Heading to both", True)
    assert '<h1 id="top">My <em>Heading</em> to <a href="both.html">both</a></h1>' in notitle.html
    assert (both.title, both.own_h1) == ("Menu name", True) and '<h1 id="page-heading">Page heading</h1>' in both.html
    assert (plain.title, plain.own_h1) == ("Plain", False) and '<h1 id="a-later-heading">' in plain.html
    assert warnings == []


def test_code_without_a_known_language_is_plain_and_escaped():
    for fence in ["```", "```no-such-language"]:
        html = render_markdown(f"{fence}\n<script>x</script>\n```\n")
        assert "&lt;script&gt;x&lt;/script&gt;" in html and "<span" not in html, fence


def test_inline_code_and_prose_are_untouched_by_highlighting():
    assert render_markdown("Use `make serve`, \"quoted\".") == "<p>Use <code>make serve</code>, “quoted”.</p>\n"


def test_every_code_block_can_take_the_keyboard_focus_a_scrolling_one_needs():
    for text in ["```\nx\n```\n", "```python\nx = 1\n```\n", "Text.\n\n    indented code\n"]:
        assert '<pre tabindex="0"><code' in render_markdown(text), text


def test_front_matter_errors_name_the_files_line():
    """The parsers count from the front matter's first line; the error names the file's."""
    import pytest

    from site_src.errors import ContentError
    from site_src.markdown import split_front_matter

    for text, line in (("+++\ntitle = 'x'\n\nbad = = 3\n+++\nbody\n", 4), ("---\ntitle: x\nbad: [1\nmore: 2\n---\nbody\n", 4)):
        with pytest.raises(ContentError) as exc:
            split_front_matter(text, "pages/b.md")
        assert exc.value.line == line, str(exc.value)
        assert f"line {line}," in str(exc.value)  # the message's own numbers are the file's too
    # TOML says only "at end of document" when a value runs to the end: its last line, not the fence
    with pytest.raises(ContentError) as exc:
        split_front_matter("\n+++\ntitle = 'x'\nweight = [1,\n+++\nbody\n", "pages/b.md")
    assert exc.value.line == 4, str(exc.value)


def _pages(tmp_path, files: dict[str, str]):
    from site_src.markdown import read_pages
    from site_src.readers import find_content

    for name, text in files.items():
        (tmp_path / "pages" / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / "pages" / name).write_text(text)
    warnings = []
    pages, _, _ = read_pages(tmp_path, find_content(tmp_path, warnings), warnings)
    return {p.source: p for p in pages}, [str(w) for w in warnings]


def test_a_front_matter_key_researchmap_reads_with_the_wrong_type_stops_the_build_at_its_line(tmp_path):
    """``nav: "false"`` is a string, true to Python: the page stayed in the menu. As in the
    config, a wrong type is an error naming the file and line."""
    import pytest

    from site_src.errors import ContentError

    for body, key in (('---\ntitle: T\nnav: "false"\n---\n', "nav"), ("---\nweight: high\n---\n", "weight"),
                      ("+++\ntitle = 'T'\ndescription = {a = 1}\n+++\n", "description"), ("---\nslug: [a, b]\n---\n", "slug"),
                      ("---\nweight: true\n---\n", "weight"), ("---\ndraft: 'yes'\n---\n", "draft")):
        with pytest.raises(ContentError) as exc:
            _pages(tmp_path / key / str(len(body)), {"p.md": body})
        line = body.split("\n").index(next(x for x in body.split("\n") if x.startswith(key))) + 1
        assert (exc.value.file, exc.value.line) == ("pages/p.md", line) and f"'{key}' must be" in str(exc.value), body


def test_a_binary_page_stops_the_build_naming_it_as_not_text(tmp_path):
    """The check is shared with the dumps' reader: it had called a page "not a text dump"."""
    import pytest

    from site_src.errors import ContentError

    with pytest.raises(ContentError) as exc:
        _pages(tmp_path, {"img.md": "\x00PNG"})
    assert exc.value.file == "pages/img.md" and str(exc.value).endswith("binary file (NUL bytes), not text")


def test_front_matter_near_misses_warn_drafts_are_held_back_and_odd_slugs_say_their_url(tmp_path):
    pages, warnings = _pages(tmp_path, {
        "typo.md": "\n---\ntitel: Typo\nauthor: me\n---\nBody\n",  # a blank line before the fence
        "year.md": "---\ntitle: 2024\n---\n",
        "draft.md": "---\ntitle: Not yet\ndraft: true\n---\n",
        "talks.md": "---\nslug: talks.html\n---\n",
        "nested.md": "---\ntitle: N\nslug: topics/diffusion\n---\n",
        "numbers.md": "---\nslug: 2024\ndescription: 42\n---\n",
        "rules.md": "\n---\nSome prose between rules.\n\n---\nmore\n",  # rules, not front matter
        "blank-keys.md": "---\ntitle:\nnav:\nweight:\n---\nBody\n",  # left blank: not set
        "capital.md": "---\nTitle: Secret plan\nDraft: true\n---\n",  # Hugo reads keys in any case
        "jekyll.md": "---\ntitle: Later\npublished: false\n---\n",
        "Cased.md": "---\nTitle: Cased\nNAV: false\nWeight: 2\n---\n",
        "long.markdown": "---\ntitle: Long\n---\n# Hi\n",  # Hugo's and MkDocs' other suffix, any case
        "upper.MD": "Upper *case*\n",
    })
    assert sorted(p.slug for p in pages.values()) == ["2024", "blank-keys", "cased", "long", "rules", "talks", "topics-diffusion", "typo",
                                                      "upper", "year"]
    cased = pages["pages/Cased.md"]
    assert (cased.title, cased.nav, cased.weight) == ("Cased", False, 2)
    assert "<em>case</em>" in pages["pages/upper.MD"].html and pages["pages/long.markdown"].title == "Long"
    blank = pages["pages/blank-keys.md"]
    assert (blank.title, blank.nav, blank.weight) == ("Blank keys", True, None)
    assert "Some prose between rules." in pages["pages/rules.md"].html
    assert pages["pages/typo.md"].meta["author"] == "me" and "<p>Body</p>" in pages["pages/typo.md"].html
    assert pages["pages/year.md"].title == "2024"
    assert pages["pages/year.md"].weight is None  # no weight: after the pages with one in the menu (pages.menu)
    assert sorted(warnings) == [
        "pages/nested.md:3: slug 'topics/diffusion' is not a plain slug (letters, digits and hyphens): published as topics-diffusion.html",
        "pages/typo.md:3: front matter key 'titel' is not one researchmap reads: 'title'?",
    ]


def test_a_draft_topic_note_is_held_back_and_a_link_to_a_draft_says_so(tmp_path):
    """``draft: true`` holds back a topic note as it does a page; a link to a draft, or to a
    markdown file that is no page, says why it goes nowhere, not that the file is missing."""
    from site_src.links import dead_links
    from site_src.markdown import read_pages, unpublished
    from site_src.readers import find_content

    (tmp_path / "pages").mkdir()
    (tmp_path / "topics").mkdir()
    (tmp_path / "pages/plan.md").write_text("---\ndraft: true\n---\nNot yet.\n")
    (tmp_path / "pages/about.md").write_text("See [the plan](plan.md), [notes](../NOTES.md), [gone](gone.md), [MoE](../topics/moe.md)"
                                              " and [hidden](.secret.md).\n")
    (tmp_path / "pages/.secret.md").write_text("Not for now.\n")
    (tmp_path / "topics/moe.md").write_text("---\ndraft: true\n---\nHalf a thought.\n")
    (tmp_path / "topics/kv-cache.md").write_text("On the KV cache.\n")
    (tmp_path / "pages/later.md").write_text("---\nPublished: false\n---\nLater.\n")
    (tmp_path / "NOTES.md").write_text("my notes\n")
    warnings = []
    pages, notes, _ = read_pages(tmp_path, find_content(tmp_path, warnings), warnings)
    assert [p.slug for p in pages] == ["about"] and sorted(notes) == ["kv-cache"]
    assert unpublished(tmp_path, "pages/later.md") == "pages/later.md is a draft (published: false), so it is not published"
    found = dead_links([("pages/about.md", "about.html", pages[0].html)], lambda path: False,
                       lambda name: (tmp_path / name).read_text(), lambda name: unpublished(tmp_path, name))
    assert [w.message for w in found] == [
        "link 'plan.md' goes nowhere: pages/plan.md is a draft (draft: true), so it is not published",
        "link '../NOTES.md' goes nowhere: NOTES.md is not published: pages are the .md (or .markdown) files under pages/, topic notes the .md files under topics/",
        "link 'gone.md' goes nowhere: no pages/gone.md in the content dir",
        "link '../topics/moe.md' goes nowhere: topics/moe.md is a draft (draft: true), so it is not published",
        "link '.secret.md' goes nowhere: pages/.secret.md is hidden (its name starts with '.', '#' or '~', or is an editor's temporary file), so it is not published",
    ]


def test_a_topic_note_says_which_page_keys_it_does_not_read(tmp_path):
    from site_src.markdown import read_pages
    from site_src.readers import find_content

    (tmp_path / "topics").mkdir()
    (tmp_path / "topics/moe.md").write_text("---\ntitle: Experts\nslug: experts\naliases: [old]\n---\nText.\n")
    warnings = []
    _, notes, _ = read_pages(tmp_path, find_content(tmp_path, warnings), warnings)
    assert notes["moe"].title == "Experts"
    assert [(w.line, w.message.split(":")[0]) for w in warnings] == [(3, "front matter key 'slug' is a page's"), (4, "front matter key 'aliases' is a page's")]


def test_a_pages_own_front_matter_keys_reach_its_template(tmp_path):
    """Keys researchmap does not read are the page's, for a template of the user's."""
    from conftest import copy_site, run_cli

    root = copy_site(tmp_path / "site")
    (root / "content/pages/talk.md").write_text("---\ntitle: A talk\nvenue: NeurIPS 2025\n---\nSlides.\n")
    (root / "templates").mkdir()
    shipped = (Path(__file__).resolve().parent.parent / "templates/page.html").read_text()
    (root / "templates/page.html").write_text(shipped.replace("{{ page.html|safe }}", "{% if page.meta.venue is defined %}<p class=venue>{{ page.meta.venue }}</p>{% endif %}{{ page.html|safe }}", 1))
    (root / "content/pages/guide.md").write_text("# The guide\n\nText.\n")  # its own heading: one <h1>, in both themes
    run_cli("build", "-q", cwd=root)
    assert "<p class=venue>NeurIPS 2025</p>" in (root / "_site/talk.html").read_text()
    assert (root / "_site/guide.html").read_text().count("<h1") == 1 and (root / "_site/talk.html").read_text().count("<h1") == 1
    (root / "templates/page.html").unlink()
    config = root / "researchmap.toml"
    config.write_text(config.read_text().replace('theme = "default"', 'theme = "scholar"'))
    run_cli("build", "-q", cwd=root)
    assert (root / "_site/guide.html").read_text().count("<h1") == 1 and "<title>The guide" in (root / "_site/guide.html").read_text()
