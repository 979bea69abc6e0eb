"""Relative links in markdown pages and topic notes, resolved as the author's file tree has them.

An author links ``setup.md`` or shows ``img/arch.png`` beside ``content/pages/about.md``, as a
markdown preview (an editor's, GitHub's) resolves them. On the site the page is ``about.html``
at the root and a topic note is inside ``topics/``, so each such link is rewritten to where its
target is on the site: a page to its URL (its slug), a topic note to its topic page, any other
file under ``content/pages/`` to the copy the build makes of it. A link to a markdown file or an
image that is not there is a warning with the line. Links that name no content file (site URLs
such as ``topics/moe.html``, absolute URLs, anchors) are left as written.
"""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass, field
from urllib.parse import quote, unquote

_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")


@dataclass(frozen=True)
class LinkMap:
    """content-relative source path -> site path, for every file a link may name."""

    targets: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Resolved:
    url: str | None  # the rewritten URL, or None to leave the link as written
    missing: str = ""  # the content path a link names but that does not exist ("" when fine)


def resolve(url: str, source_dir: str, links: LinkMap, *, depth: int, image: bool = False) -> Resolved:
    """Where ``url``, written in a file of ``source_dir`` (content-relative), points on the site.
    ``depth``: folders between the site's root and the page it is rendered into."""
    if not url or url.startswith(("/", "#", "?", "\\")) or _SCHEME.match(url):
        return Resolved(None)
    cut = min((i for i in (url.find("#"), url.find("?")) if i >= 0), default=len(url))
    path, rest = unquote(url[:cut]), url[cut:]
    if not path or path.endswith("/"):
        return Resolved(None)
    target = posixpath.normpath(posixpath.join(source_dir, path))
    if target == ".." or target.startswith("../"):
        return Resolved(None)  # outside content/: the author's to get right
    site = links.targets.get(target)
    if site is None:
        wanted = image or target.endswith(".md")
        return Resolved(None, target if wanted else "")
    return Resolved("../" * depth + quote(site) + rest)


def rewrite(tokens, *, source: str, depth: int, links: LinkMap, first_line: int, warnings: list) -> None:
    """Rewrite the links and images of parsed markdown ``tokens`` in place; a missing target
    appends a models.Warning_ naming ``source`` and the line."""
    from .models import Warning_

    source_dir = posixpath.dirname(source)
    for block in tokens:
        for token in block.children or ():
            attr = "href" if token.type == "link_open" else "src" if token.type == "image" else None
            if attr is None:
                continue
            url = token.attrGet(attr) or ""
            found = resolve(url, source_dir, links, depth=depth, image=attr == "src")
            if found.url is not None:
                token.attrSet(attr, found.url)
            elif found.missing:
                what = "image" if attr == "src" else "page"
                warnings.append(Warning_(source, _line(block, url, first_line),
                                         f"{what} {url!r} not found: no {found.missing} in the content dir; left as written"))


def _line(block, url: str, first_line: int) -> int:
    """The line of ``url`` in the file: the block's first line, then the line that holds it."""
    start = first_line + (block.map[0] if block.map else 0)
    for i, text in enumerate(block.content.splitlines()):
        if url in text or unquote(url) in text:
            return start + i
    return start
