"""What a change to the sources invalidates, so `serve` re-renders only that.

Change kinds come from watch.classify; ``partial_rebuild`` compares the previous build's state
with the new one and names the pages to render again, or None when everything must be.
"""

from __future__ import annotations

PAPERS, PAGE, TOPIC_NOTE, TEMPLATE, STATIC, CONFIG = "papers", "page", "topic", "template", "static", "config"
PAGE_FILE = "file"  # a file under content/pages/ that is not markdown: copied as it is


def partial_rebuild(previous, state, changes, env, changed_templates) -> tuple[set, set, set] | None:
    """What to re-render when only part of the site can have changed, else None (everything):
    (markdown page slugs, topic slugs, page templates whose pages all re-render).

    Markdown pages and topic notes reach other pages only through the nav (page titles) and
    the set of page paths (sitemap); a template reaches the pages whose template extends or
    includes it; page files are copied on every build. Everything else is carried over from the
    previous build.
    """
    if previous is None or changes is None or not changes <= {PAGE, TOPIC_NOTE, STATIC, TEMPLATE, PAGE_FILE}:
        return None
    if state.config != previous.config or not state.model_key or state.model_key != previous.model_key:
        return None
    old = {pg.slug: pg for pg in previous.md_pages}
    new = {pg.slug: pg for pg in state.md_pages}
    nav = lambda pages: [(pg.slug, pg.title, pg.nav, pg.weight) for pg in pages if pg.nav]  # noqa: E731
    if old.keys() != new.keys() or nav(previous.md_pages) != nav(state.md_pages):
        return None
    if any(old[slug].aliases != new[slug].aliases for slug in new):
        return None  # redirect pages come and go
    pages = {slug for slug in new if (new[slug], new[slug].meta) != (old[slug], old[slug].meta)}
    topics = {s for s in previous.notes.keys() | state.notes.keys() if previous.notes.get(s) != state.notes.get(s)}
    if any(getattr(previous.notes.get(s), "title", "") != getattr(state.notes.get(s), "title", "") for s in topics):
        return None  # a note's title names its topic on every page
    templates: set[str] = set()
    if TEMPLATE in changes:
        if not changed_templates:
            return None
        templates = pages_using(env, changed_templates)
        if templates is None:
            return None
    return pages, topics, templates


PAGE_TEMPLATES = ("index.html", "topic.html", "paper.html", "papers.html", "page.html", "404.html", "redirect.html")


def pages_using(env, changed: frozenset[str]) -> set[str] | None:
    """The page templates that extend, include or import any of ``changed`` (template names);
    None when that cannot be worked out (a template that does not parse)."""
    import jinja2
    from jinja2 import meta

    deps: dict[str, set[str]] = {}

    def closure(name: str, seen: set[str]) -> set[str]:
        if name in seen:
            return set()
        seen.add(name)
        if name not in deps:
            try:
                source = env.loader.get_source(env, name)[0]
                deps[name] = {d for d in meta.find_referenced_templates(env.parse(source)) if d}
            except jinja2.TemplateError:
                raise
            except Exception:
                deps[name] = set()
        out = {name}
        for d in deps[name]:
            out |= closure(d, seen)
        return out

    try:
        return {t for t in PAGE_TEMPLATES if closure(t, set()) & set(changed)}
    except jinja2.TemplateError:
        return None
