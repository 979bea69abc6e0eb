"""The orchestrator: read -> model -> render -> write, one call per stage, top to bottom.

Only this module imports several stages and the cache; stages never import it.
"""

from __future__ import annotations

import functools
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
from .changes import CONFIG, PAGE, PAPERS, STATIC, TEMPLATE, TOPIC_NOTE, partial_rebuild
from .pages import Planner, Site
from .readers import find_content, read_dump, rel
from .readers.textio import open_text
from .render import make_env, render, render_all
from .write import MARKER, SiteWriter

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
    model_steps: dict[str, float] = field(default_factory=dict)  # the model stage's steps, when it ran
    model_cached: bool = False
    state: object = None

    def summary(self) -> str:
        stages = ", ".join(f"{k} {v:.2f}s" for k, v in self.stages.items())
        if self.model_steps:
            stages += " (model: " + ", ".join(f"{k} {v:.2f}s" for k, v in self.model_steps.items()) + ")"
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


def read_papers(paths: Paths, config: SiteConfig, files, warnings: list[Warning_], store: cachemod.Cache) -> tuple[list[Paper], str]:
    """Read every dump (each cached by its bytes) and merge duplicates; also returns a key
    naming exactly this input (the dumps' bytes and names, the year, the reading code)."""
    year = config.year or None
    keys = [cachemod.digest(cachemod.file_digest(path), rel(path, paths.content), year) for path in files.dumps]
    papers_key = cachemod.digest(keys, model_code())
    merged = store.get("papers", papers_key)
    if merged is not None:
        warnings.extend(merged[1])
        return merged[0], papers_key
    records, found = [], []
    for path, key in zip(files.dumps, keys):
        cached = store.get("dump", key)
        if cached is None:
            cached = read_one(path, paths.content, year)
            store.put("dump", key, cached)
        records.extend(cached[0])
        found.extend(cached[1])
    papers = merge_papers(records)
    store.put("papers", papers_key, (papers, found))
    warnings.extend(found)
    return papers, papers_key


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


@functools.lru_cache(maxsize=1)
def model_code() -> str:
    """Digest of the model stage's source, so a changed model never comes from the cache."""
    here = Path(__file__).parent
    names = ["topics", "named", "keywords", "lexicon", "cluster", "vectorise", "layout", "lockfile", "merge", "slugs",
             "models", "parallel", "readers/__init__", "readers/hf_text", "readers/jsonl", "readers/hf_api", "readers/textio"]
    return cachemod.digest(*[(here / f"{n}.py").read_bytes() for n in names], (here / "lexicons.json").read_bytes())


def fit_model(papers: list[Paper], papers_key: str, config: SiteConfig, paths: Paths, store: cachemod.Cache):
    """(result, came from cache, model key). The key names the model a build used: equal keys,
    equal topics, so a later build can tell whether pages that show topics must change."""
    lock = read_lock(paths.content / LOCK_NAME)
    base = cachemod.digest(papers_key, (config.topics, config.named_topics), model_code())
    key = cachemod.digest(base, lock_text(lock))
    result = store.get("model", key)
    cached = result is not None
    if not cached:
        from .topics import fit_topics  # imports scikit-learn: only when the cache misses

        result = fit_topics(papers, config, lock)
        store.put("model", key, result)
    # the lock this fit writes reproduces it exactly (see topics.fit_topics), so the next
    # build, which reads that lock, can use this result too
    final = cachemod.digest(base, lock_text(result.lock))
    if not cached:
        store.put("model", final, result)
    return result, cached, final


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
    model_key: str = ""




def load(config: SiteConfig, paths: Paths, store, *, previous: State | None, changes: frozenset[str] | None, timer) -> State:
    """Read and model, reusing whatever ``changes`` leave valid in ``previous``."""
    fresh = previous is None or changes is None or CONFIG in changes or previous.config != config
    files = None
    if fresh or PAPERS in changes:
        dump_warnings: list[Warning_] = []
        files = find_content(paths.content, dump_warnings)
        papers, papers_key = read_papers(paths, config, files, dump_warnings, store)
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
        result, cached, model_key = fit_model(papers, papers_key, config, paths, store)
    else:
        result, cached, model_key = previous.result, True, previous.model_key
    timer.lap("model")
    return State(config, papers, dump_warnings, md_pages, page_warnings, notes, result, cached, model_key)


@dataclass(frozen=True)
class Snapshot:
    """What the previous CLI build of an output dir was made from (kept in the cache), so the
    next one renders only what changed, as `serve` does with its in-memory State."""

    config: SiteConfig
    model_key: str
    md_pages: list
    notes: dict[str, str]
    templates: dict[str, str]  # template name -> content digest
    marker: tuple[int, int]  # (mtime_ns, size) of the output's marker: the dir is as we left it


def template_digests(paths: Paths, config: SiteConfig) -> dict[str, str]:
    found: dict[str, str] = {}
    for folder in reversed(template_dirs(paths, config)):  # theme templates win
        for dirpath, _, files in os.walk(folder):
            for f in files:
                full = Path(dirpath, f)
                found[full.relative_to(folder).as_posix()] = cachemod.file_digest(full)
    return dict(sorted(found.items()))


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
    templates_now = template_digests(paths, config) if paths.cache else {}
    snap_key = cachemod.digest("snapshot", str(paths.out.resolve()))
    if previous is None and changes is None and paths.cache:
        snap = store.get("snapshot", snap_key)
        if snap is not None and snap.marker == _marker(paths.out):
            changed_templates = frozenset(
                n for n in snap.templates.keys() | templates_now.keys() if snap.templates.get(n) != templates_now.get(n)
            )
            previous, changes = snap, frozenset({PAGE, TOPIC_NOTE, STATIC} | ({TEMPLATE} if changed_templates else set()))
    partial = partial_rebuild(previous, state, changes, env, changed_templates)
    html_paths: list[str] = []
    with SiteWriter(paths.out) as writer:
        if partial is not None:
            pages, topics, templates = partial
            outputs = planner.outputs_for(pages=pages, topics=topics)
            if templates:
                outputs = (o for o in planner.outputs() if o.template in templates or o.path in {f"{p}.html" for p in pages})
            for output in outputs:
                writer.write(output.path, render(env, output.template, output.ctx()).encode())
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
    if paths.cache:
        snap = Snapshot(config, state.model_key, state.md_pages, state.notes, templates_now, _marker(paths.out))
        store.put("snapshot", snap_key, snap)
    _write_lock(paths.content / LOCK_NAME, lock_text(result.lock))
    report.pages = len(html_paths) if partial is None else sum(1 for k in writer.seen if k.endswith(".html"))
    report.files, report.written, report.unchanged, report.removed = w.files, w.written, w.unchanged, w.removed
    report.stages = timer.stages
    if not state.model_cached and getattr(result, "timings", None):
        report.model_steps = dict(result.timings)
    report.seconds = time.perf_counter() - start
    report.state = state
    return report


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
