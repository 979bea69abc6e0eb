"""The orchestrator: read -> model -> render -> write, one call per stage, top to bottom.

load.py runs (and caches) the read and model stages; this module renders and writes what they
give, and remembers what each page was made from so the next build renders only what changed.
Only these two modules import several stages and the cache; stages never import them.
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass, field, replace
from pathlib import Path

from . import cache as cachemod
from .changes import PAGE, PAGE_FILE, STATIC, TEMPLATE, TOPIC_NOTE, partial_rebuild
from .config import SiteConfig, config_error
from .errors import ContentError, ResearchMapError
from .exports import data_outputs, pages_search, robots, sitemap
from .load import Paths, State, load
from .lockfile import LOCK_NAME, lock_text
from .models import TopicModel, TopicNote, Warning_
from .pages import Planner, Site, generated
from .links import dead_links
from .markdown import unpublished
from .readers import PAGES_DIR, TOPICS_DIR
from .render import make_env, page_digest, render, render_all
from .timing import Laps
from .write import MARKER, SiteWriter, site_files

IN_PLACE_MAX = 4  # a partial rebuild changing at most this many files replaces them in place


class StrictError(ResearchMapError):
    pass


@dataclass
class BuildReport:
    papers: int = 0
    topics: int = 0
    pages: int = 0
    files: int = 0
    written: int = 0
    unchanged: int = 0
    removed: int = 0
    seconds: float = 0.0
    k_reason: str = ""
    yearless: int = 0  # papers whose date has no year ("Mar 24"): left out of feeds and month charts
    warnings: list[Warning_] = field(default_factory=list)
    stages: dict[str, float] = field(default_factory=dict)
    model_steps: dict[str, float] = field(default_factory=dict)  # the model stage's steps, when it ran
    model_cached: bool = False
    state: object = None

    def notes(self) -> list[str]:
        """Advice on the content that is not a warning (``--strict`` would fail on it)."""
        if not self.yearless:
            return []
        return [f"{self.yearless} of {self.papers} papers have a date without a year (listing pages leave out the "
                "current one); set `year` in the config, or a `year: YYYY` front-matter line atop the dump, "
                "to put them in feeds and month charts"]

    def short(self) -> str:
        """The summary without the stages' times: what `serve` prints after each rebuild."""
        return (f"{self.papers} papers, {self.topics} topics; {self.written} file(s) written, {self.removed} removed; "
                f"{len(self.warnings)} warning(s)")

    def summary(self) -> str:
        stages = ", ".join(f"{k} {v:.2f}s" for k, v in self.stages.items())
        if self.model_steps:
            stages += " (model: " + ", ".join(f"{k} {v:.2f}s" for k, v in self.model_steps.items()) + ")"
        return (
            f"{self.papers} papers, {self.topics} topics, {self.pages} pages "
            f"({self.written} written, {self.unchanged} unchanged, {self.removed} removed) "
            f"in {self.seconds:.2f} s [{stages}]; {len(self.warnings)} warning(s)"
        )


def copies_gone(out: Path, statics: dict[str, Path], previous, state: State) -> bool:
    """Whether a file the last build copied as it is (a theme file, a page file) is no longer
    among the sources."""
    if set(getattr(previous, "page_files", ())) - set(state.page_files):
        return True
    return bool(set(site_files(out / "assets")) - {k.removeprefix("assets/") for k in statics} - {"plotly.min.js"})


def check_urls(md_pages, page_files: dict[str, Path]) -> None:
    """A markdown page or page file whose URL the site generates, or another page or file has,
    is an error naming its file."""
    owners: dict[str, str] = {}
    wanted = [(f"{pg.slug}.html", pg.source, None, "its URL", "give the page another `slug:` or file name") for pg in md_pages]
    wanted += [(site, f"{PAGES_DIR}/{site}", None, "its URL", "rename or move it") for site in page_files]
    # an old URL of a page (an alias) must not shadow a page that is there now
    wanted += [(alias, pg.source, pg.aliases_line or None, "its alias", "remove that alias")
               for pg in md_pages for alias in pg.aliases]
    folders: dict[str, str] = {}  # a folder the files so far are in -> one of their sources
    for url, source, line, what, advice in wanted:
        if "\\" in url:
            raise ContentError(source, line, "a backslash in a published file's name reads as a folder on some hosts; rename it")
        # case folded: on the file systems of macOS and Windows Index.html is index.html
        key = url.casefold()
        parents = ["/".join(key.split("/")[:n]) for n in range(1, key.count("/") + 1)]
        taken = generated(key) or owners.get(key) or folders.get(key)
        taken = taken or next((f"{by} (at {p}, a file where this needs a folder)" for p in parents for by in [generated(p) or owners.get(p)] if by), None)
        if taken:
            raise ContentError(source, line, f"{what} {url} is taken by {taken}; {advice}")
        owners[key] = source
        folders.update((p, source) for p in parents)


def static_files(paths: Paths, config: SiteConfig) -> dict[str, Path]:
    """assets/<name> -> file: the default theme's, then the configured theme's over them, each
    researchmap's own with the project's copy of a theme over it, file by file."""
    found: dict[str, Path] = {}
    for theme in dict.fromkeys(["default", config.theme]):
        for root in reversed(paths.theme_roots):
            folder = root / theme / "static"
            for dirpath, _, files in os.walk(folder):
                for f in files:
                    full = Path(dirpath, f)
                    found[f"assets/{full.relative_to(folder).as_posix()}"] = full
    return dict(sorted(found.items()))


def template_dirs(paths: Paths, config: SiteConfig) -> list[Path]:
    """Template folders, the first holding a name winning: the theme's, then the site's."""
    themes = paths.theme_roots
    if not any((root / config.theme).is_dir() for root in themes):
        shipped = sorted(p.name for root in themes if root.is_dir() for p in root.iterdir() if p.is_dir())
        raise config_error(config, f"theme: {config.theme!r} not found in {' or '.join(str(r) for r in themes)}: "
                           f"make {config.root / 'themes' / config.theme}/static/ for a theme of your own, "
                           f"or use one of {', '.join(shipped) or 'none'}")
    return [root / config.theme / "templates" for root in themes] + paths.template_roots


# plotly.js's gl2d bundle (plotly.js-gl2d-dist-min 3.7.0, MIT: plotly-gl2d.LICENSE.txt): the map's
# scatter and scattergl traces are all the site draws, and a browser evaluates this bundle in
# about half the time of the full one the Python package ships (0.44 s against 0.99 s on the
# development VM), on every page with a map
PLOTLY_JS = Path(__file__).with_name("plotly-gl2d.min.js")


@dataclass(frozen=True)
class Snapshot:
    """What the previous CLI build of an output dir was made from (kept in the cache), so the
    next one renders only what changed, as `serve` does with its in-memory State."""

    config: SiteConfig
    model_key: str
    md_pages: list
    notes: dict[str, TopicNote]
    templates: dict[str, str]  # template name -> content digest
    marker: tuple[int, int]  # (mtime_ns, size) of the output's marker: the dir is as we left it
    digests: dict[str, str] = field(default_factory=dict)  # page path -> render.page_digest
    code: str = ""  # package_code() of the build that made it
    page_files: tuple[str, ...] = ()  # site paths of the files copied from content/pages/


def orphan_notes(notes: dict[str, TopicNote], model) -> list[Warning_]:
    """A warning per topic note that no topic shows: a mistyped slug, or a topic a refit
    renamed (the note then names where its URL now leads)."""
    slugs = {t.slug for t in model.topics}
    out = []
    for slug in sorted(set(notes) - slugs):
        moved = model.redirects.get(slug)
        hint = f"that topic is now {moved!r}: rename the note" if moved else "no topic has this slug"
        out.append(Warning_(f"{TOPICS_DIR}/{slug}.md", 0, f"topic note not shown: {hint}"))
    return out


def clashing_titles(notes: dict[str, TopicNote], model) -> list[Warning_]:
    """A warning per note whose title another topic bears too (case aside): the two would read
    alike in the menu, search and the map's legend."""
    named = noted(model, notes)
    slugs_by_name: dict[str, list[str]] = {}
    for t in named.topics:
        slugs_by_name.setdefault(t.name.casefold(), []).append(t.slug)
    out = []
    for t in named.topics:
        note = notes.get(t.slug)
        others = [s for s in slugs_by_name[t.name.casefold()] if s != t.slug] if note and note.title else []
        if others:
            out.append(Warning_(f"{TOPICS_DIR}/{t.slug}.md", note.title_line,
                                f"title {note.title!r} is topic {others[0]!r}'s name too: the two would read alike"))
    return out


def noted(model: TopicModel, notes: dict[str, TopicNote]) -> TopicModel:
    """``model`` with each topic whose note gives a ``title`` named by it, on every page: the
    site's owner names a topic where they describe it. The lock keeps the fitted name, so
    the note's title goes when the note does."""
    if not any(note.title for note in notes.values()):
        return model
    # (named_in counted the fitted name's phrases: it says nothing of the owner's name)
    named = tuple(replace(t, name=notes[t.slug].title, named_in=None) if t.slug in notes and notes[t.slug].title else t
                  for t in model.topics)
    return replace(model, topics=named)


def package_code() -> str:
    """Digest of every module of the package: after an upgrade, outputs the new code writes
    differently (data files, the map) must not be carried over from the last build."""
    here = Path(__file__).parent
    return cachemod.digest(*[(p.relative_to(here).as_posix(), p.read_bytes()) for p in sorted(here.rglob("*.py"))])


def template_digests(paths: Paths, config: SiteConfig) -> dict[str, str]:
    found: dict[str, str] = {}
    for folder in reversed(template_dirs(paths, config)):  # theme templates win
        for dirpath, _, files in os.walk(folder):
            for f in files:
                full = Path(dirpath, f)
                found[full.relative_to(folder).as_posix()] = cachemod.file_digest(full)
    return dict(sorted(found.items()))


def render_salt(templates: dict[str, str]) -> str:
    """Everything besides a page's template name and context that its bytes depend on."""
    here = Path(__file__).parent
    return cachemod.digest(templates, (here / "render.py").read_bytes())


def _marker(out: Path) -> tuple[int, int] | None:
    try:
        st = (out / MARKER).stat()
        return st.st_mtime_ns, st.st_size
    except OSError:
        return None


def build(
    config: SiteConfig,
    *,
    content: Path | None = None,
    out: Path | None = None,
    strict: bool = False,
    use_cache: bool = True,
    previous: State | None = None,
    changes: frozenset[str] | None = None,
    changed_templates: frozenset[str] = frozenset(),
    refit: bool = False,
    drafts: bool = False,
) -> BuildReport:
    """Build the site. Raises ResearchMapError (with file and line) on bad input.

    ``refit`` fits the topic model afresh even where new papers could be placed into the fit.
    ``previous``/``changes`` (from `serve`) let a build skip what the changes leave valid:
    a page or template edit never re-reads dumps or re-clusters; a theme file change only
    copies theme files.
    """
    start = time.perf_counter()
    timer = Laps()
    paths = Paths.for_config(config, content=content, out=out, cache=use_cache)
    store = cachemod.Cache(paths.cache)
    if not paths.content.is_dir():
        raise ResearchMapError(f"content dir {paths.content} does not exist")
    state = load(config, paths, store, previous=previous, changes=changes, timer=timer, refit=refit, drafts=drafts)
    check_urls(state.md_pages, state.page_files)
    result = state.result
    warnings = state.dump_warnings + state.page_warnings + orphan_notes(state.notes, result.model)
    warnings += clashing_titles(state.notes, result.model)
    if strict and warnings:
        raise StrictError("\n".join(str(w) for w in warnings) + f"\n{len(warnings)} warning(s) with --strict")

    site = Site(config=config, papers=state.papers, model=noted(result.model, state.notes), pages=state.md_pages, topic_notes=state.notes)
    planner = Planner(site)
    report = BuildReport(
        papers=len(state.papers), topics=len(result.model.topics), warnings=warnings,
        k_reason=result.model.k_reason, model_cached=state.model_cached,
        yearless=sum(1 for p in state.papers if p.date is not None and not p.date.year),
    )
    env = make_env(template_dirs(paths, config))
    templates_now = template_digests(paths, config) if paths.cache else {}
    snap_key = cachemod.digest("snapshot", str(paths.out.resolve()))
    snap = store.get("snapshot", snap_key) if paths.cache else None
    code = package_code() if paths.cache else ""
    if snap is not None and (snap.marker != _marker(paths.out) or getattr(snap, "code", "") != code):
        snap = None  # the output dir is not the one that snapshot describes, or other code made it
    known = dict(snap.digests) if snap is not None and getattr(snap, "digests", None) else {}
    salt = render_salt(templates_now)
    if previous is None and changes is None and paths.cache:
        if snap is not None:
            changed_templates = frozenset(
                n for n in snap.templates.keys() | templates_now.keys() if snap.templates.get(n) != templates_now.get(n)
            )
            previous, changes = snap, frozenset({PAGE, TOPIC_NOTE, STATIC, PAGE_FILE} | ({TEMPLATE} if changed_templates else set()))
    partial = partial_rebuild(previous, state, changes, env, changed_templates)
    statics = static_files(paths, config)
    if partial is not None and copies_gone(paths.out, statics, previous, state):
        partial = None  # a partial rebuild would carry the file over; writing the whole site drops it
    html_paths: list[str] = []
    with SiteWriter(paths.out, in_place_max=IN_PLACE_MAX if partial is not None else 0) as writer:
        if partial is not None:
            pages, topics, templates = partial
            outputs = list(planner.outputs_for(pages=pages, topics=topics))
            if templates:  # and every page of the changed templates
                done = {o.path for o in outputs}
                outputs += [o for o in planner.outputs() if o.template in templates and o.path not in done]
            for output in outputs:
                ctx = output.ctx()
                writer.write(output.path, render(env, output.template, ctx).encode())
                known[output.path] = page_digest(salt, output.template, ctx)
            if pages:
                search = pages_search(planner)  # the pages' words, for site search
                writer.write(search.path, search.data)
            timer.lap("render")
        else:
            rendered = render_all(planner, env, writer, known=known, salt=salt)
            known = {path: digest for path, _, digest in rendered}
            for path, template, _ in rendered:
                if template != "redirect.html" and path != "404.html":
                    html_paths.append(path)
            timer.lap("render")
            memo = store.get("search-words", "memo") or {}  # the search words of abstracts seen before
            size = len(memo)
            for output in data_outputs(planner, memo):
                writer.write(output.path, output.data)
            if len(memo) != size:
                # bounded: past four entries per paper of this site it starts afresh
                store.put("search-words", "memo", memo if len(memo) <= 4 * len(state.papers) else {}, keep=1)
            writer.write("assets/plotly.min.js", PLOTLY_JS.read_bytes())
            writer.write("sitemap.xml", sitemap(planner, html_paths))
            writer.write("robots.txt", robots(planner))
            writer.write(".nojekyll", b"")
        for rel_path, src in statics.items():
            writer.write(rel_path, src.read_bytes())
        for rel_path, src in state.page_files.items():
            try:
                data = src.read_bytes()
            except OSError as exc:
                raise ContentError(f"{PAGES_DIR}/{rel_path}", None, f"cannot be read ({exc.strerror})") from None
            writer.write(rel_path, data)
        if partial is not None:
            writer.carry_rest()
        owned = [(pg.source, f"{pg.slug}.html", pg.html) for pg in state.md_pages]
        owned += [(f"{TOPICS_DIR}/{slug}.md", f"{TOPICS_DIR}/{slug}.html", note.html) for slug, note in sorted(state.notes.items())]
        dead = dead_links(owned, writer.has, lambda source: _text(paths.content / source), lambda name: unpublished(paths.content, name),
                          config.base_path, lambda name: (paths.content / name).exists())
        warnings.extend(dead)
        if strict and dead:  # before the commit: the last good site stays
            raise StrictError("\n".join(str(w) for w in dead) + f"\n{len(dead)} warning(s) with --strict")
        w = writer.commit()
    timer.lap("write")
    if paths.cache:
        snap = Snapshot(config, state.model_key, state.md_pages, state.notes, templates_now, _marker(paths.out), known, code,
                        tuple(state.page_files))
        store.put("snapshot", snap_key, snap)
    _write_lock(paths.content / LOCK_NAME, state.lock_text or lock_text(result.lock))  # never an empty lock
    report.pages = len(known)  # every page of the site, rendered now or kept from the last build
    report.files, report.written, report.unchanged, report.removed = w.files, w.written, w.unchanged, w.removed
    report.stages = timer.times
    if not state.model_cached and getattr(result, "timings", None):
        report.model_steps = dict(result.timings)
    report.seconds = time.perf_counter() - start
    report.state = state
    return report


def _text(path: Path) -> str:
    """A source's text to find a line in; "" when it went away since it was read."""
    try:
        return path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return ""


def _write_lock(path: Path, text: str) -> None:
    """Write the lock only when it changed (it is in content/, which `serve` watches)."""
    try:
        if path.read_text(encoding="utf-8") == text:
            return
    except OSError:
        pass
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)
