"""Helpers that read a built site the way a browser would: parse pages, follow links."""

from __future__ import annotations

import hashlib
from pathlib import Path
from urllib.parse import unquote, urlsplit

from lxml import html as lxml_html


def pages(site: Path) -> list[Path]:
    return sorted(site.rglob("*.html"))


def parse(path: Path):
    return lxml_html.fromstring(path.read_bytes())


def internal_refs(page: Path, site: Path | None = None, base_path: str = "/"):
    """(attribute value, resolved file) for every local href/src of a page.

    A root-absolute link ("/repo/x.html") resolves under ``site`` served at ``base_path``.
    """
    doc = parse(page)
    for el, attr, link, _ in doc.iterlinks():
        if attr not in ("href", "src") or el.tag == "meta":
            continue
        parts = urlsplit(link)
        if parts.scheme or parts.netloc or link.startswith(("#", "mailto:", "/__researchmap__/")):
            continue
        if not parts.path:
            continue
        if parts.path.startswith("/"):
            inside = parts.path.startswith(base_path) and site is not None
            yield link, (site / unquote(parts.path[len(base_path):])).resolve() if inside else Path("/nonexistent")
            continue
        yield link, (page.parent / unquote(parts.path)).resolve()


def broken_links(site: Path, base_path: str = "/") -> list[str]:
    broken = []
    for page in pages(site):
        for link, target in internal_refs(page, site, base_path):
            if not target.is_file():
                broken.append(f"{page.relative_to(site)} -> {link}")
    return broken


def tree_digest(site: Path) -> dict[str, str]:
    return {
        p.relative_to(site).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(site.rglob("*"))
        if p.is_file()
    }
