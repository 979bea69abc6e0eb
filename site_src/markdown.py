"""Markdown pages with front matter, rendered by markdown-it-py.

Front matter is YAML between ``---`` lines or TOML between ``+++`` lines. Pages are written
by the site's owner, so raw HTML in them is kept (dumps are never rendered as markdown).
"""

from __future__ import annotations

import tomllib
from pathlib import Path

import yaml
from markdown_it import MarkdownIt
from mdit_py_plugins.anchors import anchors_plugin
from mdit_py_plugins.footnote import footnote_plugin

from .errors import ContentError
from .models import MarkdownPage
from .readers.textio import open_text
from .slugs import slugify


def _renderer() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": True, "linkify": False, "typographer": True})
    md.enable(["table", "strikethrough", "replacements", "smartquotes"])
    return md.use(footnote_plugin).use(anchors_plugin, min_level=2, max_level=3)


_MD = _renderer()


def render_markdown(text: str) -> str:
    return _MD.render(text)


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
                mark = getattr(exc, "problem_mark", None)
                line = (mark.line + 2) if mark else 1
                raise ContentError(name, line, f"front matter is not valid: {exc}") from None
            if not isinstance(meta, dict):
                raise ContentError(name, 2, "front matter must be a mapping of keys to values")
            return meta, "\n".join(lines[end + 1 :]), end + 2
    raise ContentError(name, 1, f"front matter opened with '{fence}' is never closed")


def read_page(path: Path, name: str, warnings: list) -> MarkdownPage:
    with open_text(path, name, warnings) as fh:
        text = fh.read()
    meta, body, _ = split_front_matter(text, name)
    title = meta.get("title")
    if not isinstance(title, str) or not title.strip():
        title = path.stem.replace("-", " ").replace("_", " ").capitalize()
    weight = meta.get("weight", 0)
    return MarkdownPage(
        slug=slugify(str(meta.get("slug") or path.stem), fallback="page"),
        title=title.strip(),
        html=render_markdown(body),
        meta={k: v for k, v in meta.items() if isinstance(k, str)},
        source=name,
        nav=bool(meta.get("nav", True)),
        weight=weight if isinstance(weight, int) else 0,
    )
