"""Markdown pages with front matter, rendered by markdown-it-py.

Front matter is YAML between ``---`` lines or TOML between ``+++`` lines. Pages are written
by the site's owner, so raw HTML in them is kept (dumps are never rendered as markdown).
Relative links and images are resolved as the author's files have them (links.py).
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import yaml
from markdown_it import MarkdownIt
from mdit_py_plugins.anchors import anchors_plugin
from mdit_py_plugins.footnote import footnote_plugin

from .errors import ContentError
from .links import rewrite
from .models import MarkdownPage
from .readers import PAGES_DIR, TOPICS_DIR, rel
from .readers.textio import open_text
from .slugs import slugify


def highlight(code: str, lang: str, attrs: str) -> str:
    """A fenced block's code coloured by Pygments when its language is one Pygments knows, as
    token spans inside markdown-it's own <pre><code>; "" (plain, escaped) otherwise."""
    if not lang:
        return ""
    from pygments import highlight as colour  # here: most sites have no code block
    from pygments.formatters import HtmlFormatter
    from pygments.lexers import get_lexer_by_name
    from pygments.util import ClassNotFound

    try:
        lexer = get_lexer_by_name(lang)
    except ClassNotFound:
        return ""
    return colour(code, lexer, HtmlFormatter(nowrap=True))


def _renderer() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": True, "linkify": False, "typographer": True, "highlight": highlight})
    md.enable(["table", "strikethrough", "replacements", "smartquotes"])
    # a code block wider than the page scrolls inside itself: keyboard users must reach it too
    for rule in ("fence", "code_block"):
        plain = md.renderer.rules[rule]
        md.add_render_rule(rule, lambda self, tokens, idx, options, env, plain=plain:
                           plain(tokens, idx, options, env).replace("<pre>", '<pre tabindex="0">', 1))
    return md.use(footnote_plugin).use(anchors_plugin, min_level=2, max_level=3)


_MD = _renderer()


def render_markdown(text: str, *, source: str = "", depth: int = 0, links: dict[str, str] | None = None) -> str:
    """HTML of ``text``; with ``links`` (see links.resolve), its relative links rewritten for a page ``depth`` folders
    below the site's root (``source``: the content-relative file they are relative to)."""
    env: dict = {}  # the footnote plugin keeps its notes here between parsing and rendering
    tokens = _MD.parse(text, env)
    if links is not None:
        rewrite(tokens, source=source, depth=depth, links=links)
    return _MD.renderer.render(tokens, _MD.options, env)


def split_front_matter(text: str, name: str) -> tuple[dict, str, int]:
    """Return (metadata, body, line number where the body starts)."""
    lines = text.split("\n")
    fence = lines[0].strip() if lines else ""
    if fence not in ("---", "+++"):
        return {}, text, 1
    for end in range(1, len(lines)):
        if lines[end].strip() == fence:
            raw = "\n".join(lines[1:end])
            try:
                meta = tomllib.loads(raw) if fence == "+++" else (yaml.safe_load(raw) or {})
            except (tomllib.TOMLDecodeError, yaml.YAMLError) as exc:
                # the parsers count lines from the front matter's first: the file's are one on
                # (the fence); TOML says where only in its message
                mark = getattr(exc, "problem_mark", None)
                at = re.search(r"at line (\d+)", str(exc))
                line = mark.line + 2 if mark else int(at.group(1)) + 1 if at else 1
                message = re.sub(r"line (\d+)", lambda m: f"line {int(m.group(1)) + 1}", str(exc))
                raise ContentError(name, line, f"front matter is not valid: {message}") from None
            if not isinstance(meta, dict):
                raise ContentError(name, 2, "front matter must be a mapping of keys to values")
            return meta, "\n".join(lines[end + 1 :]), end + 2
    raise ContentError(name, 1, f"front matter opened with '{fence}' is never closed")


def _read(path: Path, name: str, warnings: list) -> tuple[dict, str]:
    """Front matter and body."""
    with open_text(path, name, warnings) as fh:
        return split_front_matter(fh.read(), name)[:2]


def read_pages(content: Path, files, warnings: list) -> tuple[list[MarkdownPage], dict[str, str], dict[str, Path]]:
    """The markdown pages, the topic notes (slug -> html) and the page files (site path -> file:
    everything under pages/ that is not markdown, copied as it is) of ``files``
    (readers.ContentFiles). Front matter first: a link names a page by its file, and the page's
    URL is its slug."""
    names = [rel(path, content) for path in files.pages]
    pages = [(path, name, *_read(path, name, warnings)) for path, name in zip(files.pages, names)]
    slugs = [slugify(str(meta.get("slug") or path.stem), fallback="page") for path, _, meta, _ in pages]
    page_files = {rel(path, content / PAGES_DIR): path for path in files.page_files}
    targets = {rel(path, content): site for site, path in page_files.items()}
    targets.update((name, f"{slug}.html") for (_, name, *_), slug in zip(pages, slugs))
    targets.update((rel(path, content), f"{TOPICS_DIR}/{path.stem}.html") for path in files.topic_notes)
    md_pages = []
    for (path, name, meta, body), slug in zip(pages, slugs):
        title = meta.get("title")
        if not isinstance(title, str) or not title.strip():
            title = path.stem.replace("-", " ").replace("_", " ").capitalize()
        weight = meta.get("weight", 0)
        md_pages.append(MarkdownPage(
            slug=slug,
            title=title.strip(),
            html=render_markdown(body, source=name, links=targets),
            meta={k: v for k, v in meta.items() if isinstance(k, str)},
            source=name,
            nav=bool(meta.get("nav", True)),
            weight=weight if isinstance(weight, int) else 0,
        ))
    notes = {}
    for path in files.topic_notes:
        name = rel(path, content)
        _, body = _read(path, name, warnings)
        notes[path.stem] = render_markdown(body, source=name, depth=1, links=targets)
    return md_pages, notes, page_files
