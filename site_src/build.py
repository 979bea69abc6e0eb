"""The orchestrator: read -> model -> render -> write, one call per stage, top to bottom.

Only this module imports several stages and the cache; stages never import it.
"""

from __future__ import annotations

import dataclasses
import gc
import os
import time
from dataclasses import dataclass, field
from pathlib import Path

from . import cache as cachemod
from .config import SiteConfig
from .errors import ContentError, ResearchMapError
from .exports import data_outputs, robots, sitemap
from .lockfile import LOCK_NAME, lock_text, read_lock
from .markdown import read_page, render_markdown, split_front_matter
from .merge import merge_papers
from .models import Paper, Warning_
from .pages import Planner, Site
from .parallel import parallel
from .readers import find_content, read_dump, rel
from .readers.textio import open_text
from .render import make_env, render
from .write import SiteWriter, place, safe_relpath

PACKAGE_ROOT = Path(__file__).resolve().parent.parent


class NoPapersError(ResearchMapError):
    pass


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
    warnings: list[Warning_] = field(default_factory=list)
    stages: dict[str, float] = field(default_factory=dict)
    model_cached: bool = False
    state: object = None

    def summary(self) -> str:
        stages = ", ".join(f"{k} {v:.2f}s" for k, v in self.stages.items())
        return (
            f"{self.papers} papers, {self.topics} topics, {self.pages} pages "
            f"({self.written} written, {self.unchanged} unchanged, {self.removed} removed) "
            f"in {self.seconds:.2f} s [{stages}]; {len(self.warnings)} warning(s)"
        )


@dataclass(frozen=True)
class Paths:
    content: Path
    out: Path
    templates: Path
    themes: Path
    cache: Path | None

    @staticmethod
    def for_config(config: SiteConfig, *, content: Path | None = None, out: Path | None = None, cache: bool = True) -> "Paths":
        root = config.root
        templates = root / "templates"
        themes = root / "themes"
        return Paths(
            content=(content or root / "content"),
            out=(out or Path("_site")),
            templates=templates if templates.is_dir() else PACKAGE_ROOT / "templates",
            themes=themes if themes.is_dir() else PACKAGE_ROOT / "themes",
            cache=(root / ".researchmap-cache") if cache else None,
        )


class _Timer:
    def __init__(self):
        self.stages: dict[str, float] = {}
        self._t = time.perf_counter()

    def lap(self, name: str) -> None:
        now = time.perf_counter()
        self.stages[name] = self.stages.get(name, 0.0) + now - self._t
        self._t = now


def read_papers(paths: Paths, config: SiteConfig, files, warnings: list[Warning_], store: cachemod.Cache) -> list[Paper]:
    """Read every dump (each cached by its bytes) and merge duplicates."""
    records = []
    year = config.year or None
    for path in files.dumps:
        key = cachemod.digest(cachemod.file_digest(path), rel(path, paths.content), year)
        cached = store.get("dump", key)
        if cached is None:
            cached = read_one(path, paths.content, year)
            store.put("dump", key, cached)
        records.extend(cached[0])
        warnings.extend(cached[1])
    return merge_papers(records)


def read_one(path: Path, content: Path, year: int | None) -> tuple[list, list[Warning_]]:
    """One dump's records and warnings. A file that cannot be read on (binary, truncated JSON)
    is a warning too: what was read before the problem is kept, and the build goes on."""
    found: list[Warning_] = []
    records: list = []
    try:
        for record in read_dump(path, content, year=year, warnings=found):
            records.append(record)
    except ContentError as exc:
        kept = f"; the {len(records)} paper(s) before it kept" if records else ""
        found.append(Warning_(exc.file, exc.line or 0, f"{exc.message}; rest of the file skipped{kept}"))
    return records, found


def read_topic_notes(paths: Paths, files, warnings: list[Warning_]) -> dict[str, str]:
    notes = {}
    for path in files.topic_notes:
        name = rel(path, paths.content)
        with open_text(path, name, warnings) as fh:
            _, body, _ = split_front_matter(fh.read(), name)
        notes[path.stem] = render_markdown(body)
    return notes


def model_code() -> str:
    """Digest of the model stage's source, so a changed model never comes from the cache."""
    here = Path(__file__).parent
    names = ["topics", "named", "cluster", "vectorise", "layout", "lockfile", "merge", "slugs", "models", "parallel"]
    return cachemod.digest(*[(here / f"{n}.py").read_bytes() for n in names])


def fit_model(papers: list[Paper], config: SiteConfig, paths: Paths, store: cachemod.Cache):
    lock_path = paths.content / LOCK_NAME
    lock = read_lock(lock_path)
    topic_cfg = (config.topics, config.named_topics)
    key = cachemod.digest([dataclasses.astuple(p) for p in papers], topic_cfg, lock_text(lock), model_code())
    result = store.get("model", key)
    if result is not None:
        return result, True
    from .topics import fit_topics  # imports scikit-learn: only when the cache misses

    result = fit_topics(papers, config, lock)
    store.put("model", key, result)
    # the lock this fit writes reproduces it exactly (see topics.fit_topics), so the next
    # build, which reads that lock, can use this result too
    store.put("model", cachemod.digest([dataclasses.astuple(p) for p in papers], topic_cfg, lock_text(result.lock), model_code()), result)
    return result, False


def static_files(paths: Paths, config: SiteConfig) -> dict[str, Path]:
    """assets/<name> -> file, from the default theme then the configured theme (overrides)."""
    found: dict[str, Path] = {}
    for theme in dict.fromkeys(["default", config.theme]):
        folder = paths.themes / theme / "static"
        for dirpath, _, files in os.walk(folder):
            for f in files:
                full = Path(dirpath, f)
                found[f"assets/{full.relative_to(folder).as_posix()}"] = full
    return dict(sorted(found.items()))


def template_dirs(paths: Paths, config: SiteConfig) -> list[Path]:
    if not (paths.themes / config.theme).is_dir():
        raise ResearchMapError(f"theme {config.theme!r} not found in {paths.themes}")
    return [paths.themes / config.theme / "templates", paths.templates]


def plotly_js(store: cachemod.Cache) -> bytes:
    import plotly

    key = cachemod.digest("plotly.js", plotly.__version__)
    data = store.get("asset", key)
    if data is None:
        from plotly.offline import get_plotlyjs

        data = get_plotlyjs().encode()
        store.put("asset", key, data)
    return data


PARALLEL_PAGES = 2000
_JOB: tuple | None = None  # (planner, env, stage, out) inherited by forked render workers


def _render_share(share: int, shares: int) -> list[tuple[str, str, bool]]:
    """Render and stage every ``shares``-th page; (path, template, written) for each."""
    planner, env, stage, out = _JOB
    done, dirs = [], set()
    for i, o in enumerate(planner.outputs()):
        if i % shares == share:
            key = safe_relpath(o.path).as_posix()
            done.append((key, o.template, place(stage, out, key, render(env, o.template, o.context).encode(), dirs)))
    return done


def render_all(planner: Planner, env, writer: SiteWriter) -> list[tuple[str, str]]:
    """Render and stage every page; large sites use two cores (a forked worker renders and
    writes every other page: both rendering and creating files cost, planning is cheap)."""
    global _JOB
    big = len(planner.site.papers) >= PARALLEL_PAGES
    _JOB = (planner, env, writer.stage, writer.out)
    # rendering allocates millions of short-lived objects: keep the garbage collector from
    # re-scanning (and, in the forked worker, copying) the long-lived model and papers each time
    gc.collect()
    gc.freeze()
    try:
        with parallel(big) as pool:
            if pool is None:
                done = _render_share(0, 1)
            else:
                theirs = pool.submit(_render_share, 1, 2)
                mine = _render_share(0, 2)
                other = theirs.result()
                done = [None] * (len(mine) + len(other))
                done[0::2], done[1::2] = mine, other
    finally:
        _JOB = None
        gc.unfreeze()
    for key, _, written in done:
        writer.claim(key)
        writer.record(written)
    return [(key, template) for key, template, _ in done]


@dataclass(frozen=True)
class State:
    """What a build read and modelled; `serve` hands it to the next build to skip stages."""

    config: SiteConfig
    papers: list[Paper]
    dump_warnings: list[Warning_]
    md_pages: list
    page_warnings: list[Warning_]
    notes: dict[str, str]
    result: object
    model_cached: bool


# Change kinds (see serve.classify) and the stages they invalidate.
PAPERS, PAGE, TOPIC_NOTE, TEMPLATE, STATIC, CONFIG = "papers", "page", "topic", "template", "static", "config"


def load(config: SiteConfig, paths: Paths, store, *, previous: State | None, changes: frozenset[str] | None, timer) -> State:
    """Read and model, reusing whatever ``changes`` leave valid in ``previous``."""
    fresh = previous is None or changes is None or CONFIG in changes or previous.config != config
    files = None
    if fresh or PAPERS in changes:
        dump_warnings: list[Warning_] = []
        files = find_content(paths.content, dump_warnings)
        papers = read_papers(paths, config, files, dump_warnings, store)
        if not papers:
            raise NoPapersError(
                f"no papers found in {paths.content / 'papers'}: add dumps there "
                "(.txt copied from Hugging Face Daily Papers, .jsonl, .jsonl.gz or .json)"
            )
    else:
        papers, dump_warnings = previous.papers, previous.dump_warnings
    if fresh or PAGE in changes or TOPIC_NOTE in changes:
        files = files or find_content(paths.content, [])
        page_warnings: list[Warning_] = []
        md_pages = [read_page(p, rel(p, paths.content), page_warnings) for p in files.pages]
        notes = read_topic_notes(paths, files, page_warnings)
    else:
        md_pages, notes, page_warnings = previous.md_pages, previous.notes, previous.page_warnings
    timer.lap("read")
    if fresh or PAPERS in changes:
        result, cached = fit_model(papers, config, paths, store)
    else:
        result, cached = previous.result, True
    timer.lap("model")
    return State(config, papers, dump_warnings, md_pages, page_warnings, notes, result, cached)


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
) -> BuildReport:
    """Build the site. Raises ResearchMapError (with file and line) on bad input.

    ``previous``/``changes`` (from `serve`) let a build skip what the changes leave valid:
    a page or template edit never re-reads dumps or re-clusters; a theme file change only
    copies theme files.
    """
    start = time.perf_counter()
    timer = _Timer()
    paths = Paths.for_config(config, content=content, out=out, cache=use_cache)
    store = cachemod.Cache(paths.cache)
    if not paths.content.is_dir():
        raise ResearchMapError(f"content dir {paths.content} does not exist")
    state = load(config, paths, store, previous=previous, changes=changes, timer=timer)
    warnings = state.dump_warnings + state.page_warnings
    if strict and warnings:
        raise StrictError("\n".join(str(w) for w in warnings) + f"\n{len(warnings)} warning(s) with --strict")

    result = state.result
    site = Site(config=config, papers=state.papers, model=result.model, pages=state.md_pages, topic_notes=state.notes)
    planner = Planner(site)
    report = BuildReport(
        papers=len(state.papers), topics=len(result.model.topics), warnings=warnings,
        k_reason=result.model.k_reason, model_cached=state.model_cached,
    )
    env = make_env(template_dirs(paths, config))
    partial = _partial(previous, state, changes, env, changed_templates)
    html_paths: list[str] = []
    with SiteWriter(paths.out) as writer:
        if partial is not None:
            pages, topics, templates = partial
            outputs = planner.outputs_for(pages=pages, topics=topics)
            if templates:
                outputs = (o for o in planner.outputs() if o.template in templates or o.path in {f"{p}.html" for p in pages})
            for output in outputs:
                writer.write(output.path, render(env, output.template, output.context).encode())
            timer.lap("render")
        else:
            for path, template in render_all(planner, env, writer):
                if template != "redirect.html" and path != "404.html":
                    html_paths.append(path)
            timer.lap("render")
            for output in data_outputs(planner):
                writer.write(output.path, output.data)
            writer.write("assets/plotly.min.js", plotly_js(store))
            writer.write("sitemap.xml", sitemap(planner, html_paths))
            writer.write("robots.txt", robots(planner))
            writer.write(".nojekyll", b"")
        for rel_path, src in static_files(paths, config).items():
            writer.write(rel_path, src.read_bytes())
        if partial is not None:
            writer.carry_rest()
        w = writer.commit()
    timer.lap("write")
    _write_lock(paths.content / LOCK_NAME, lock_text(result.lock))
    report.pages = len(html_paths) if partial is None else sum(1 for k in writer.seen if k.endswith(".html"))
    report.files, report.written, report.unchanged, report.removed = w.files, w.written, w.unchanged, w.removed
    report.stages = timer.stages
    report.seconds = time.perf_counter() - start
    report.state = state
    return report


def _partial(previous: State | None, state: State, changes, env, changed_templates) -> tuple[set, set, set] | None:
    """What to re-render when only part of the site can have changed, else None (everything):
    (markdown page slugs, topic slugs, page templates whose pages all re-render).

    Markdown pages and topic notes reach other pages only through the nav (page titles) and
    the set of page paths (sitemap); a template reaches the pages whose template extends or
    includes it. Everything else is carried over from the previous build.
    """
    if previous is None or changes is None or not changes <= {PAGE, TOPIC_NOTE, STATIC, TEMPLATE}:
        return None
    if state.config != previous.config or state.result is not previous.result:
        return None
    old = {pg.slug: pg for pg in previous.md_pages}
    new = {pg.slug: pg for pg in state.md_pages}
    nav = lambda pages: [(pg.slug, pg.title, pg.nav, pg.weight) for pg in pages if pg.nav]  # noqa: E731
    if old.keys() != new.keys() or nav(previous.md_pages) != nav(state.md_pages):
        return None
    pages = {slug for slug in new if (new[slug], new[slug].meta) != (old[slug], old[slug].meta)}
    topics = {s for s in previous.notes.keys() | state.notes.keys() if previous.notes.get(s) != state.notes.get(s)}
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
