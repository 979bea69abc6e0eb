"""Relative links in markdown pages and topic notes, resolved as the author's file tree has them.

An author links ``setup.md`` or shows ``img/arch.png`` beside ``content/pages/about.md``, as a
markdown preview (an editor's, GitHub's) resolves them. On the site the page is ``about.html``
at the root and a topic note is inside ``topics/``, so each such link is rewritten to where its
target is on the site: a page to its URL (its slug), a topic note to its topic page, any other
file under ``content/pages/`` to the copy the build makes of it. Links that name no content file
(site URLs such as ``topics/moe.html``, absolute URLs, anchors) are left as written. Once the
site is built, any relative link of these pages that reaches nothing is a warning with the line.
"""

from __future__ import annotations

import posixpath
import re
from html import escape, unescape
from urllib.parse import quote, unquote

from .models import Warning_
from .readers import PAGES_DIR, is_markdown

_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")


def resolve(url: str, source_dir: str, links: dict[str, str], *, depth: int) -> str | None:
    """Where ``url``, written in a file of ``source_dir`` (content-relative), points on the site,
    or None when it names no content file (left as written). ``links``: content-relative path ->
    site path of every file a link may name; ``depth``: folders between the site's root and the
    page it is rendered into."""
    if not url or url.startswith(("/", "#", "?", "\\")) or _SCHEME.match(url):
        return None
    cut = min((i for i in (url.find("#"), url.find("?")) if i >= 0), default=len(url))
    path, rest = unquote(url[:cut]), url[cut:]
    if not path or path.endswith("/"):
        return None
    target = posixpath.normpath(posixpath.join(source_dir, path))
    site = links.get(target)  # none outside content/ ("../x")
    return None if site is None else "../" * depth + quote(site) + rest


def rewrite(tokens, *, source: str, depth: int, links: dict[str, str]) -> None:
    """Rewrite the links and images of parsed markdown ``tokens`` in place, those of raw HTML
    (``<img src="img/x.png">``, ``<a href="setup.md">``) too, as a markdown preview resolves
    them (those that name no content file stay as written: dead_links checks them once the
    site is built)."""
    source_dir = posixpath.dirname(source)

    def attribute(found: re.Match) -> str:
        url = resolve(unescape(found[2]), source_dir, links, depth=depth)
        return found[0] if url is None else f'{found[1]}="{escape(url)}"'

    for block in tokens:
        if block.type == "html_block":
            block.content = _HTML_LINK.sub(attribute, block.content)
        for token in block.children or ():
            if token.type == "html_inline":
                token.content = _HTML_LINK.sub(attribute, token.content)
            attr = "href" if token.type == "link_open" else "src" if token.type == "image" else None
            if attr is not None:
                url = resolve(token.attrGet(attr) or "", source_dir, links, depth=depth)
                if url is not None:
                    token.attrSet(attr, url)


_HTML_LINK = re.compile(r"""\b(href|src)=["']([^"']+)["']""")


def dead_links(pages, exists, text_of, unpublished=None, base_path: str = "/", in_content=None) -> list:
    """Links and images of the owner's rendered pages that reach no file of the site, as
    warnings naming the source file and line. ``pages``: (source, site path, html);
    ``exists(site path)``: whether the built site holds it; ``text_of(source)``: the source's
    text, to find the line. Run after the build, when every URL of the site is known, so links
    written as site URLs (``topics/moe.html``) and raw HTML are checked too.
    ``unpublished(content-relative path)``: why a linked markdown file has no page (a draft,
    not a page, not there). ``base_path``: where the site is published ("/repo/"): a link from
    the domain's root ("/about.html") is checked under it, and one that leaves it reported.
    ``in_content(content-relative path)``: whether the content dir holds it."""
    found = []
    for source, page_path, html in pages:
        here, lines = posixpath.dirname(page_path), None

        def warn(attr: str, url: str, why: str, *also: str) -> None:
            nonlocal lines
            lines = text_of(source).splitlines() if lines is None else lines
            line = next((n for n, text in enumerate(lines, 1) if any(s in text for s in (url, unquote(url), *also))), 0)
            found.append(Warning_(source, line, f"{'image' if attr == 'src' else 'link'} {url!r} {why}"))

        for attr, url in dict.fromkeys(_HTML_LINK.findall(html)):
            url = unescape(url)
            rooted = url.startswith("/") and not url.startswith("//")
            if rooted and (url + "/").startswith(base_path):  # from the site's root: checked as if written there
                link, where = url[len(base_path):] or "./", ""
            elif rooted:  # out of the site: on GitHub Pages under /repo/, the domain's other sites
                warn(attr, url, f"leaves the site, published under {base_path}: write it relative to the page (as the site's own links are)")
                continue
            elif url.startswith(("#", "\\", "//")) or _SCHEME.match(url):
                continue
            else:
                link, where = url, here
            path = unquote(re.split(r"[#?]", link, maxsplit=1)[0])
            if posixpath.basename(path) in (".", ".."):  # a folder, named without its final "/"
                path += "/"
            target = posixpath.normpath(posixpath.join(where, path)) if path else ""
            # a .md link is one the build could not resolve to a page (none is published as .md);
            # other links out of the site's root may be meant (a sibling site under one domain),
            # unless they name a place in the content dir as the source file has it: under pages/,
            # a file the build would have copied, had it been there ("../img/typo.png" from
            # pages/guide/); elsewhere, a file or folder the content dir has but never publishes
            # ("../images/x.png" from pages/)
            outside = target == ".." or target.startswith("../")
            own = posixpath.normpath(posixpath.join(posixpath.dirname(source), path)) if path and not rooted else ""
            under_pages = own.startswith(f"{PAGES_DIR}/")
            inside = bool(own) and own != ".." and not own.startswith("../")
            held = inside and in_content is not None and in_content(own.split("/")[0])
            missing = outside and not path.endswith("/") and (under_pages or held)
            # a folder is reached at its index.html (where static hosts serve it)
            found_at = posixpath.normpath(posixpath.join(target, "index.html")) if path.endswith("/") else target
            if not is_markdown(path) and not missing and (not target or outside or exists(found_at)):
                continue
            if is_markdown(path):
                md = own if not rooted else posixpath.normpath(posixpath.join(PAGES_DIR, path))
                why = unpublished(md) if unpublished else f"no {md} in the content dir"
            elif missing and under_pages:
                why = f"no {own} in the content dir"
            elif missing:
                why = f"{own} is not under {PAGES_DIR}/, and only the files under {PAGES_DIR}/ are published"
            else:
                why = f"the site has nothing at {found_at}"
            warn(attr, url, f"goes nowhere: {why}", *(() if rooted else (path,)))
    return found
