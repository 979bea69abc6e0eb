"""Markdown pages with front matter, rendered by markdown-it-py.

Front matter is YAML between ``---`` lines or TOML between ``+++`` lines. Pages are written
by the site's owner, so raw HTML in them is kept (dumps are never rendered as markdown).
Relative links and images are resolved as the author's files have them (links.py).
"""

from __future__ import annotations

import difflib
import html
import re
import tomllib
from pathlib import Path

import yaml
from markdown_it import MarkdownIt
from mdit_py_plugins.anchors import anchors_plugin
from mdit_py_plugins.dollarmath import dollarmath_plugin
from mdit_py_plugins.footnote import footnote_plugin
from mdit_py_plugins.gfm_autolink import gfm_autolink_plugin

from .errors import ContentError, toml_error_line
from .links import rewrite
from .models import MarkdownPage, TopicNote, Warning_
from .readers import PAGES_DIR, TOPICS_DIR, is_ignored, rel
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
    # smart quotes, but not markdown-it's replacements: they turn "C++-based" into "C+±based"
    # and "(c)", a list item's label, into "©" (neither Hugo nor MkDocs does)
    # GitHub's additions (tables, strikethrough, task lists, > [!NOTE] alerts, bare URLs as links)
    md = MarkdownIt("commonmark", {"html": True, "linkify": False, "typographer": True, "highlight": highlight,
                                   "tasklists": True, "alerts": True})
    md.enable(["table", "strikethrough", "smartquotes"])
    md.use(gfm_autolink_plugin)
    # $...$ and $$...$$ kept as written, between \( \) or \[ \] (what MathJax and KaTeX's
    # auto-render look for) in an element of class "math": markdown's escapes and emphasis had
    # mangled it (\\ to \, $x*y*z$ to italics); "$10 to $20" stays money (no digit may touch a
    # closing $)
    md.use(dollarmath_plugin, allow_space=False, allow_digits=False, allow_blank_lines=False, double_inline=True, renderer=_math)
    md.add_render_rule("math_inline_double", lambda self, tokens, idx, options, env:  # a span: a div may not be in a <p>
                       f'<span class="math display">{_math(tokens[idx].content.strip(), {"display_mode": True})}</span>')
    md.core.ruler.after("inline", "heading_ids", _heading_ids)
    # a code block wider than the page scrolls inside itself: keyboard users must reach it too
    for rule in ("fence", "code_block"):
        plain = md.renderer.rules[rule]
        md.add_render_rule(rule, lambda self, tokens, idx, options, env, plain=plain:
                           plain(tokens, idx, options, env).replace("<pre>", '<pre tabindex="0">', 1))
    # a table wider than the page scrolls inside a box of its own (a table's own display must
    # stay "table", or browsers drop its row and column semantics), reachable from the keyboard
    md.add_render_rule("table_open", lambda self, tokens, idx, options, env:
                       '<div class="table-scroll" tabindex="0">' + self.renderToken(tokens, idx, options, env))
    md.add_render_rule("table_close", lambda self, tokens, idx, options, env:
                       self.renderToken(tokens, idx, options, env) + "</div>\n")
    return md.use(footnote_plugin).use(anchors_plugin, min_level=1, max_level=6)


def _math(tex: str, options: dict) -> str:
    return html.escape(f"\\[{tex}\\]" if options["display_mode"] else f"\\({tex}\\)", quote=False)


_HEADING_ID = re.compile(r"\s*\{#([A-Za-z][\w:.-]*)\}\s*$")


def _heading_ids(state) -> None:
    """``## Setup {#install}``: the heading's id, as Hugo and MkDocs' attr_list read it (the
    anchors plugin keeps an id already set)."""
    for token, inline in zip(state.tokens, state.tokens[1:]):
        if token.type == "heading_open" and inline.children and inline.children[-1].type == "text":
            if found := _HEADING_ID.search(inline.children[-1].content):
                token.attrSet("id", found[1])
                inline.children[-1].content = inline.children[-1].content[: found.start()]
                inline.content = _HEADING_ID.sub("", inline.content)


_MD = _renderer()


def render_markdown(text: str, *, source: str = "", depth: int = 0, links: dict[str, str] | None = None) -> str:
    """HTML of ``text``; with ``links`` (see links.resolve), its relative links rewritten for a page ``depth`` folders
    below the site's root (``source``: the content-relative file they are relative to)."""
    return _rendered(text, source=source, depth=depth, links=links)[0]


def _rendered(text: str, *, source: str, depth: int, links: dict[str, str] | None) -> tuple[str, str]:
    """render_markdown's HTML, and the text of the level-1 heading ``text`` opens with (see
    _own_heading), from one parse."""
    env: dict = {}  # the footnote plugin keeps its notes here between parsing and rendering
    tokens = _MD.parse(text, env)
    heading = _own_heading(tokens)
    if links is not None:
        rewrite(tokens, source=source, depth=depth, links=links)
    out = _MD.renderer.render(tokens, _MD.options, env)
    if "task-list-item-checkbox" in out:  # a task's box says its state to a screen reader, as its tick shows it
        out = _TASK_BOX.sub(lambda m: m[0].replace("<input", f'<input aria-label="{"done" if "checked" in m[0] else "to do"}"', 1), out)
    return out, heading


_TAG = re.compile(r"<[^>]*>")


def html_text(markup: str, between: str = " ") -> str:
    """The text of an HTML fragment: its tags replaced by ``between`` (inline markup: ""), its
    entities read."""
    return html.unescape(_TAG.sub(between, markup))


_TASK_BOX = re.compile(r'<input class="task-list-item-checkbox"[^>]*>')


def split_front_matter(text: str, name: str) -> tuple[dict, str, int]:
    """Return (metadata, body, line number where the body starts). Blank lines before the
    opening fence are allowed: an editor's template may leave one."""
    lines = text.split("\n")
    start = next((i for i, line in enumerate(lines) if line.strip()), 0)
    fence = lines[start].strip() if lines else ""
    if fence not in ("---", "+++"):
        return {}, text, 1
    for end in range(start + 1, len(lines)):
        if lines[end].strip() == fence:
            raw = "\n".join(lines[start + 1 : end])
            try:
                meta = tomllib.loads(raw) if fence == "+++" else (yaml.safe_load(raw) or {})
            except (tomllib.TOMLDecodeError, yaml.YAMLError) as exc:
                # the parsers count lines from the front matter's first: the file's are
                # start + 1 on (the fence); TOML says where only in its message
                mark = getattr(exc, "problem_mark", None)
                line = mark.line + 1 if mark else toml_error_line(exc, raw) if fence == "+++" else 0
                message = re.sub(r"line (\d+)", lambda m: f"line {int(m.group(1)) + start + 1}", str(exc))
                message = message.replace(' in "<unicode string>",', "")  # YAML's name for the text it was given
                raise ContentError(name, line + start + 1, f"front matter is not valid: {message}") from None
            if not isinstance(meta, dict):
                if start:  # after blank lines, a "---" is as likely a rule in the text
                    return {}, text, 1
                raise ContentError(name, start + 2, "front matter must be a mapping of keys to values")
            return meta, "\n".join(lines[end + 1 :]), end + 2
    raise ContentError(name, start + 1, f"front matter opened with '{fence}' is never closed")


# the keys researchmap reads, with the types it reads them as; a page may carry any other
# key for its own templates (page.meta), so only a near miss of one of these is reported
KEYS = {"title": (str, int, float), "slug": (str, int), "description": (str, int, float), "nav": (bool,), "weight": (int,), "draft": (bool,),
        "published": (bool,),  # Jekyll's: published: false holds a page back as draft: true does
        "aliases": (list, str)}  # Hugo's: the page's old URLs, each a redirect to it
_TYPE_NAMES = {str: "text", int: "a whole number", float: "a number", bool: "true or false", list: "a list"}


def _key_line(text: str, key: str) -> int:
    """The line of ``text`` where front matter sets ``key`` (0 when not found)."""
    found = re.search(rf"(?im)^\s*{re.escape(key)}\s*[:=]", text)
    return text.count("\n", 0, found.start()) + 1 if found else 0


def _lowered(meta: dict) -> dict:
    """``meta`` with the keys researchmap reads in lower case (``Draft: true`` is Hugo's
    ``draft: true``: Hugo reads front matter keys in any case); the lower-case one wins."""
    out = dict(meta)
    for key in meta:
        if isinstance(key, str) and key != key.lower() and key.lower() in KEYS:
            value = out.pop(key)
            out.setdefault(key.lower(), value)
    return out


def is_draft(meta: dict) -> bool:
    return meta.get("draft") is True or meta.get("published") is False


def checked(meta: dict, text: str, name: str, warnings: list) -> dict:
    """``meta`` with the keys researchmap reads checked: a wrong type stops the build (as a
    wrong type in the config does: ``nav: "false"`` would otherwise leave the page in the menu),
    naming the file and line; a key one letter off a known one (``titel``) is a warning."""
    # a key left blank (``title:``, as an editor's template leaves it) is not set: YAML reads
    # it as None, which no check below should take for a wrong type
    meta = {k: v for k, v in _lowered(meta).items() if not (k in KEYS and v is None)}
    for key, value in meta.items():
        if key in KEYS:
            types = KEYS[key]
            if not isinstance(value, types) or (bool not in types and isinstance(value, bool)):
                want = " or ".join(dict.fromkeys(_TYPE_NAMES[t] for t in types))
                raise ContentError(name, _key_line(text, key), f"front matter key {key!r} must be {want}, not {value!r}")
        elif isinstance(key, str) and (near := difflib.get_close_matches(key, KEYS, n=1, cutoff=0.75)):
            warnings.append(Warning_(name, _key_line(text, key), f"front matter key {key!r} is not one researchmap reads: {near[0]!r}?"))
    return meta


def _read(path: Path, name: str, warnings: list) -> tuple[dict, str, str]:
    """Front matter (checked), body and the whole text."""
    with open_text(path, name, warnings) as fh:
        text = fh.read()
    meta, body, _ = split_front_matter(text, name)
    return checked(meta, text, name, warnings), body, text


def _slug(meta: dict, text: str, path: Path, name: str, warnings: list) -> str:
    """A page's slug: its front matter's (``about.html`` read as ``about``), else its file's
    name. A slug that is not one already is made one, with a warning saying the URL it gets:
    ``topics/x`` must not quietly become ``topics-x.html``."""
    given = str(meta["slug"]) if meta.get("slug") is not None else ""
    if not given:
        return slugify(path.stem, fallback="page")
    bare = given[:-5] if given.lower().endswith(".html") else given
    slug = slugify(bare, fallback="page")
    if slug != bare.lower():
        warnings.append(Warning_(name, _key_line(text, "slug"),
                                 f"slug {given!r} is not a plain slug (letters, digits and hyphens): published as {slug}.html"))
    return slug


def read_pages(content: Path, files, warnings: list, drafts: bool = False) -> tuple[list[MarkdownPage], dict[str, TopicNote], dict[str, Path]]:
    """The markdown pages, the topic notes (slug -> TopicNote) and the page files (site path -> file:
    everything under pages/ that is not markdown, copied as it is) of ``files``
    (readers.ContentFiles); those marked draft only with ``drafts``. Front matter first: a link names a page by its file, and the page's
    URL is its slug."""
    names = [rel(path, content) for path in files.pages]
    pages = [(path, name, *_read(path, name, warnings)) for path, name in zip(files.pages, names)]
    pages = [page for page in pages if drafts or not is_draft(page[2])]  # work in progress: Hugo's key, Hugo's meaning
    slugs = [_slug(meta, text, path, name, warnings) for path, name, meta, _, text in pages]
    page_files = {rel(path, content / PAGES_DIR): path for path in files.page_files}
    targets = {rel(path, content): site for site, path in page_files.items()}
    targets.update((name, f"{slug}.html") for (_, name, *_), slug in zip(pages, slugs))
    notes = [(path, name, *_read(path, name, warnings)) for path in files.topic_notes for name in [rel(path, content)]]
    notes = [note for note in notes if drafts or not is_draft(note[2])]  # (a link to one is then reported)
    targets.update((name, f"{TOPICS_DIR}/{path.stem}.html") for path, name, *_ in notes)
    md_pages = []
    for (path, name, meta, body, text), slug in zip(pages, slugs):
        body_html, heading = _rendered(body, source=name, depth=0, links=targets)
        md_pages.append(MarkdownPage(
            slug=slug,
            title=_text_value(meta, "title") or heading or path.stem.replace("-", " ").replace("_", " ").capitalize(),
            own_h1=bool(heading),
            html=body_html,
            meta={k: v for k, v in meta.items() if isinstance(k, str)},
            source=name,
            nav=bool(meta.get("nav", True)),
            weight=meta.get("weight"),  # (checked: a whole number, or not there)
            draft=is_draft(meta),
            aliases=_aliases(meta.get("aliases"), text, name),
            aliases_line=_key_line(text, "aliases"),
        ))
    return md_pages, {path.stem: _note(meta, body, text, name, targets, warnings) for path, name, meta, body, text in notes}, page_files


def _aliases(given, text: str, name: str) -> tuple[str, ...]:
    """The site paths of a page's ``aliases`` (Hugo's key: its old URLs), written as URLs of
    the site: ``old-about`` and ``old-about.html`` are ``old-about.html`` (Pages serves one as
    the other), ``/notes/about/`` is ``notes/about/index.html``."""
    if given is None:
        return ()
    out = []
    for alias in [given] if isinstance(given, str) else given:
        path = alias.strip().lstrip("/") if isinstance(alias, str) else ""
        parts = path.rstrip("/").split("/")
        if not path or "://" in alias or any(part in ("", ".", "..") for part in parts) or "\\" in path or re.search(r"[?#\s]", path):
            raise ContentError(name, _key_line(text, "aliases"),
                               f"alias {alias!r} is not a path of the site (write old URLs as `old-page.html` or `/notes/old/`)")
        if path.endswith("/"):
            path += "index.html"
        elif not path.lower().endswith((".html", ".htm")):
            path += ".html"
        out.append(path)
    return tuple(dict.fromkeys(out))


_PAGE_ONLY = ("slug", "nav", "weight", "aliases")  # keys of a page that a topic note has no use for


def _note(meta: dict, body: str, text: str, name: str, targets: dict, warnings: list) -> TopicNote:
    for key in _PAGE_ONLY:
        if key in meta:
            warnings.append(Warning_(name, _key_line(text, key), f"front matter key {key!r} is a page's: a topic note's URL is its "
                                     "topic's (named by the note's file) and the menu lists topics by size"))
    title = _text_value(meta, "title")
    return TopicNote(render_markdown(body, source=name, depth=1, links=targets), title=title,
                     description=_text_value(meta, "description"), title_line=_key_line(text, "title") if title else 0,
                     draft=is_draft(meta))


def _text_value(meta: dict, key: str) -> str:
    """A text key of checked front matter, stripped ("" when not set); YAML reads ``title:
    2024`` as a number."""
    value = meta.get(key)
    return str(value).strip() if isinstance(value, (str, int, float)) and not isinstance(value, bool) else ""


_COMMENT = re.compile(r"\s*(?:<!--.*?-->\s*)+", re.S)


def _own_heading(tokens: list) -> str:
    """The text of the level-1 heading parsed markdown ``tokens`` open with, "# Title" or
    "Title" over "=====", after HTML comments if any ("" if none). The page shows it as its one
    <h1> (the template's <h1> of the title had made two) and, as MkDocs does, takes it for its
    title when front matter gives none."""
    first = next((i for i, t in enumerate(tokens) if not (t.type == "html_block" and _COMMENT.fullmatch(t.content))), len(tokens))
    if first + 1 >= len(tokens) or tokens[first].type != "heading_open" or tokens[first].tag != "h1":
        return ""
    inline = _MD.renderer.renderInline(tokens[first + 1].children or [], _MD.options, {})
    return html_text(inline, "").strip()


def unpublished(content: Path, name: str) -> str:
    """Why the markdown file ``name`` (content-relative) has no page, for a link to it that goes
    nowhere (links.dead_links)."""
    path = content / name
    if not path.is_file():
        return f"no {name} in the content dir"
    if name.startswith((f"{PAGES_DIR}/", f"{TOPICS_DIR}/")):
        try:
            meta = split_front_matter(path.read_text(encoding="utf-8", errors="replace"), name)[0]
        except ContentError:
            meta = {}
        if is_draft(meta := _lowered(meta)):
            key = "draft: true" if meta.get("draft") is True else "published: false"
            return f"{name} is a draft ({key}), so it is not published"
        if any(is_ignored(part) for part in name.split("/")):
            return f"{name} is hidden (its name starts with '.', '#' or '~', or is an editor's temporary file), so it is not published"
    return f"{name} is not published: pages are the .md (or .markdown) files under {PAGES_DIR}/, topic notes the .md files under {TOPICS_DIR}/"
