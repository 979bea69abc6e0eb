"""The orchestrator: read -> model -> render -> write, one call per stage, top to bottom.

Only this module imports several stages and the cache; stages never import it.
"""

from __future__ import annotations

import dataclasses
import functools
import os
import time
from dataclasses import dataclass, field
from pathlib import Path

from . import cache as cachemod
from .config import SiteConfig
from .errors import ContentError, ResearchMapError
from .exports import data_outputs, robots, sitemap
from .lockfile import LOCK_NAME, Lock, fitted_view, lock_text, read_lock
from .markdown import read_pages
from .merge import keep_ids, merge_papers
from .models import Paper, Warning_
from .changes import CONFIG, PAGE, PAGE_FILE, PAPERS, STATIC, TEMPLATE, TOPIC_NOTE, partial_rebuild
from .pages import Planner, Site, generated
from .readers import PAGES_DIR, find_content, read_dump, rel
from .render import make_env, page_digest, render, render_all
from .timing import Laps
from .write import MARKER, SiteWriter, site_files

PACKAGE_ROOT = Path(__file__).resolve().parent.parent
IN_PLACE_MAX = 4  # a partial rebuild changing at most this many files replaces them in place


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


def dump_digests(paths: Paths, dumps: list[Path]) -> dict[str, str]:
    """content-relative path -> sha256 of every dump: what the papers are made of."""
    return {rel(path, paths.content): cachemod.file_digest(path) for path in dumps}


def read_papers(paths: Paths, config: SiteConfig, dumps: list[Path], digests: dict[str, str], warnings: list[Warning_],
                store: cachemod.Cache, locked: dict[str, str]) -> tuple[list[Paper], str]:
    """Read the dumps (each cached by its bytes) and merge duplicates, each paper keeping the id
    the lock gave it (``locked``: Lock.papers); also returns a key naming exactly the dumps read
    (their bytes and names, the year, the reading code: the lock is in the model's keys)."""
    year = config.year or None
    # the reading code in each dump's key too: a reader that changed must read the dump again
    keys = [cachemod.digest(digests[rel(path, paths.content)], rel(path, paths.content), year, reader_code()) for path in dumps]
    papers_key = cachemod.digest(keys, model_code())
    merged = store.get("papers", papers_key)
    if merged is not None:
        warnings.extend(merged[1])
        return keep_ids(merged[0], locked), papers_key
    records, found = [], []
    for path, key in zip(dumps, keys):
        cached = store.get("dump", key)
        if cached is None:
            cached = read_one(path, paths.content, year)
            store.put("dump", key, cached)
        records.extend(cached[0])
        found.extend(cached[1])
    papers = merge_papers(records)
    store.put("papers", papers_key, (papers, found))
    warnings.extend(found)
    return keep_ids(papers, locked), papers_key


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


def check_urls(md_pages, page_files: dict[str, Path]) -> None:
    """A markdown page or page file whose URL the site generates, or another page or file has,
    is an error naming its file."""
    owners: dict[str, str] = {}
    wanted = [(f"{pg.slug}.html", pg.source, "give the page another `slug:` or file name") for pg in md_pages]
    wanted += [(site, f"{PAGES_DIR}/{site}", "rename or move it") for site in page_files]
    for url, source, advice in wanted:
        taken = generated(url) or owners.get(url)
        if taken:
            raise ContentError(source, None, f"its URL {url} is taken by {taken}; {advice}")
        owners[url] = source


# the model stage's modules (tests/test_build.py checks that every module topics.py reaches is here)
READER_MODULES = ("readers/__init__", "readers/latex", "readers/hf_text", "readers/jsonl", "readers/hf_api", "readers/textio", "models", "errors")
MODEL_MODULES = ("topics", "place", "named", "naming", "keywords", "lexicon", "reading", "cluster", "termforms", "vectorise", "layout", "lockfile",
                 "merge", "slugs", "parallel", "timing", "config", *READER_MODULES)


@functools.lru_cache(maxsize=1)
def reader_code() -> str:
    """Digest of the readers' source: a dump's cached records are only as good as the code
    that read them."""
    here = Path(__file__).parent
    return cachemod.digest(*[(here / f"{n}.py").read_bytes() for n in READER_MODULES])


@functools.lru_cache(maxsize=1)
def model_code() -> str:
    """Digest of the model stage's source, so a changed model never comes from the cache."""
    here = Path(__file__).parent
    return cachemod.digest(*[(here / f"{n}.py").read_bytes() for n in MODEL_MODULES], *[(here / f).read_bytes() for f in ("lexicons.json", "readings.json")])


def fit_model(papers: list[Paper], papers_key: str, config: SiteConfig, paths: Paths, store: cachemod.Cache, lock: Lock, *,
              dumps: list[Path], digests: dict[str, str], refit: bool = False):
    """(result, came from cache, model key, the lock file's text for the result) for ``papers``
    under ``lock`` (the content's lock file). The key names the model a build used: equal keys,
    equal topics, so a later build can tell whether pages that show topics must change.

    When the lock names the dumps the model was fitted on, those are all still there unchanged
    and the papers of the other dumps are few (see TopicSettings.place_min, refit_fraction),
    the new papers are placed into that fit (place.py) instead of fitting everything again.
    """
    settings = config.topics
    setup = (config.topics, config.named_topics)
    text = lock_text(lock)  # about 15 ms at 10k papers: made once per lock, not again for the file
    key = cachemod.digest(papers_key, setup, model_code(), text)
    result = store.get("model", key)
    if result is not None:
        return result, True, key, text if result.lock == lock else lock_text(result.lock)
    result = None
    fitted = lock.fitted
    if not refit and fitted and fitted != digests and all(digests.get(k) == v for k, v in fitted.items()):
        base_dumps = [path for path in dumps if rel(path, paths.content) in fitted]
        base_papers, base_key = read_papers(paths, config, base_dumps, digests, [], store, lock.papers)
        if len(base_papers) >= settings.place_min and len(papers) - len(base_papers) <= settings.refit_fraction * len(base_papers):
            from .place import place

            base = _fit(base_papers, base_key, config, fitted_view(lock, {p.id for p in base_papers}), store, fitted)
            result = place(base, papers, config)
    if result is None:
        # the lock's topics may list papers placed since the fit: they must not change the key
        result = _fit(papers, papers_key, config, fitted_view(lock, {p.id for p in papers}), store, digests, with_state=False)
    result = dataclasses.replace(result, state=None)  # kept apart (large); the site needs the model only
    store.put("model", key, result)
    # the lock this build writes makes the next build repeat it exactly (see topics.fit_topics
    # and place.py), so that build, which reads it, can use this result too
    text = lock_text(result.lock)
    final = cachemod.digest(papers_key, setup, model_code(), text)
    store.put("model", final, result)
    return result, False, final, text


def _fit(papers: list[Paper], papers_key: str, config: SiteConfig, lock, store: cachemod.Cache, fitted: dict[str, str],
         *, with_state: bool = True):
    """A full fit (cached; its FitState, for placing papers later, cached apart: it is large)."""

    def fit_key(lock) -> str:
        return cachemod.digest("fit", papers_key, (config.topics, config.named_topics), model_code(), lock_text(lock))

    key = fit_key(lock)
    result = store.get("fit", key)
    if result is not None:
        result = dataclasses.replace(result, timings={})  # fitted by an earlier build: no steps ran now
    if result is not None and not with_state:
        return result
    state = store.get("state", key) if result is not None else None
    if result is not None and state is None:
        # fitted by a build whose lock differed (its state is under the lock it wrote): this
        # build reads that lock, so look there
        state = store.get("state", fit_key(result.lock))
    if result is None or state is None:
        from .topics import fit_topics  # imports scikit-learn: only when the cache misses

        result = fit_topics(papers, config, lock)
        result = dataclasses.replace(result, lock=dataclasses.replace(result.lock, fitted=dict(fitted)))
        state = result.state
        # also under the lock this fit writes: the next build, placing new papers into this
        # fit, reads that lock and finds the fit here
        again = fit_key(result.lock)
        for k in dict.fromkeys([key, again]):
            store.put("fit", k, dataclasses.replace(result, state=None))
        store.put("state", again, state, keep=2)  # large: only where the next build will look
    return dataclasses.replace(result, state=state)


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


# plotly.js's gl2d bundle (plotly.js-gl2d-dist-min 3.7.0, MIT: plotly-gl2d.LICENSE.txt): the map's
# scatter and scattergl traces are all the site draws, and a browser evaluates this bundle in
# about half the time of the full one the Python package ships (0.44 s against 0.99 s on the
# development VM), on every page with a map
PLOTLY_JS = Path(__file__).with_name("plotly-gl2d.min.js")


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
    lock_text: str = ""  # what the lock file must hold after this build
    page_files: dict[str, Path] = field(default_factory=dict)  # site path -> file under content/pages/




def load(config: SiteConfig, paths: Paths, store, *, previous: State | None, changes: frozenset[str] | None, timer,
         refit: bool = False) -> State:
    """Read and model, reusing whatever ``changes`` leave valid in ``previous``."""
    fresh = previous is None or changes is None or CONFIG in changes or previous.config != config
    files = None
    if fresh or PAPERS in changes:
        dump_warnings: list[Warning_] = []
        files = find_content(paths.content, dump_warnings)
        digests = dump_digests(paths, files.dumps)
        lock = read_lock(paths.content / LOCK_NAME)  # read once: the papers' ids and the model both use it
        papers, papers_key = read_papers(paths, config, files.dumps, digests, dump_warnings, store, lock.papers)
        if not papers:
            raise NoPapersError(
                f"no papers found in {paths.content / 'papers'}: add dumps there "
                "(.txt copied from Hugging Face Daily Papers, .jsonl, .jsonl.gz or .json)"
            )
    else:
        papers, dump_warnings = previous.papers, previous.dump_warnings
    if fresh or {PAGE, TOPIC_NOTE, PAGE_FILE} & changes:
        files = files or find_content(paths.content, [])
        page_warnings: list[Warning_] = []
        md_pages, notes, page_files = read_pages(paths.content, files, page_warnings)
        check_urls(md_pages, page_files)
    else:
        md_pages, notes, page_warnings, page_files = previous.md_pages, previous.notes, previous.page_warnings, previous.page_files
    timer.lap("read")
    if fresh or PAPERS in changes:
        result, cached, model_key, text = fit_model(papers, papers_key, config, paths, store, lock, dumps=files.dumps,
                                                    digests=digests, refit=refit)
    else:
        result, cached, model_key, text = previous.result, True, previous.model_key, previous.lock_text
    timer.lap("model")
    return State(config, papers, dump_warnings, md_pages, page_warnings, notes, result, cached, model_key, text, page_files)


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
    digests: dict[str, str] = field(default_factory=dict)  # page path -> render.page_digest
    code: str = ""  # package_code() of the build that made it
    page_files: tuple[str, ...] = ()  # site paths of the files copied from content/pages/


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
    state = load(config, paths, store, previous=previous, changes=changes, timer=timer, refit=refit)
    warnings = state.dump_warnings + state.page_warnings
    if strict and warnings:
        raise StrictError("\n".join(str(w) for w in warnings) + f"\n{len(warnings)} warning(s) with --strict")

    result = state.result
    site = Site(config=config, papers=state.papers, model=result.model, pages=state.md_pages, topic_notes=state.notes)
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
    if partial is not None and set(site_files(paths.out / "assets")) - {k.removeprefix("assets/") for k in statics} - {"plotly.min.js"}:
        partial = None  # a theme file was removed: a partial rebuild would carry it over, a full one drops it
    html_paths: list[str] = []
    with SiteWriter(paths.out, in_place_max=IN_PLACE_MAX if partial is not None else 0) as writer:
        if partial is not None:
            pages, topics, templates = partial
            outputs = planner.outputs_for(pages=pages, topics=topics)
            if templates:
                outputs = (o for o in planner.outputs() if o.template in templates or o.path in {f"{p}.html" for p in pages})
            for output in outputs:
                ctx = output.ctx()
                writer.write(output.path, render(env, output.template, ctx).encode())
                known[output.path] = page_digest(salt, output.template, ctx)
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
