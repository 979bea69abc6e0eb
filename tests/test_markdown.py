"""Markdown pages: fenced code coloured by Pygments, everything else as markdown-it renders it."""

from site_src.markdown import render_markdown


def test_fenced_code_in_a_known_language_is_coloured_and_still_escaped():
    html = render_markdown('```python\ndef f():\n    return "<b>"  # why\n```\n')
    assert html.startswith('<pre tabindex="0"><code class="language-python"><span class="k">def</span>')
    assert '<span class="nf">f</span>' in html and '<span class="c1"># why</span>' in html
    assert "&lt;b&gt;" in html and "<b>" not in html


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
