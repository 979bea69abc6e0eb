"""The read and model stages of a build, and what they leave for the next one (State).

Each stage's result is cached by content hash: a dump's records by its bytes and the reading
code, the merged papers by all dumps, the model by the papers, the settings, the model code
and the lock. `serve` hands the last State back so an edit re-runs only what it invalidates.
"""

from __future__ import annotations

import dataclasses
import functools
from dataclasses import dataclass, field
from pathlib import Path

from . import cache as cachemod
from .changes import CONFIG, PAGE, PAGE_FILE, PAPERS, TOPIC_NOTE
from .config import SiteConfig
from .errors import ContentError, ResearchMapError
from .lockfile import LOCK_NAME, Lock, fitted_view, lock_text, read_lock
from .markdown import read_pages
from .merge import keep_ids, merge_papers
from .models import Paper, TopicNote, Warning_
from .readers import find_content, read_dump, rel

def shipped(name: str) -> Path:
    """researchmap's own ``templates`` or ``themes``: inside the package when installed from a
    wheel (pyproject maps them in), else beside it, in a checkout or an editable install."""
    here = Path(__file__).resolve().parent
    return here / name if (here / name).is_dir() else here.parent / name


class NoPapersError(ResearchMapError):
    pass


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
            templates=templates if templates.is_dir() else shipped("templates"),
            themes=themes if themes.is_dir() else shipped("themes"),
            cache=(root / ".researchmap-cache") if cache else None,
        )

    @property
    def template_roots(self) -> list[Path]:
        """Where a template is looked up, the first holding it winning: the project's
        ``templates/``, then researchmap's own (a project overrides only the files it has)."""
        return list(dict.fromkeys([self.templates, shipped("templates")]))

    @property
    def theme_roots(self) -> list[Path]:
        """Where a theme's files are looked up, likewise: the project's ``themes/``, then
        researchmap's own."""
        return list(dict.fromkeys([self.themes, shipped("themes")]))


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
    papers = merge_papers(records, found)
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
    if not records and not found:  # blank, or page chrome alone: a copy that caught no listing
        found.append(Warning_(rel(path, content), 0, "no papers in this file (a copy of a listing page gives title, abstract and date lines)"))
    return records, found


# the model stage's modules (tests/test_build.py checks that every module topics.py reaches is here)
READER_MODULES = ("readers/__init__", "readers/latex", "readers/hf_text", "readers/jsonl", "readers/records", "readers/hf_api", "readers/textio", "models", "errors",
                  "config")  # (the project's file name, for the content-dir check)
MODEL_MODULES = ("topics", "place", "named", "naming", "keywords", "lexicon", "reading", "cluster", "termforms", "vectorise", "layout", "lockfile",
                 "merge", "slugs", "parallel", "timing", *READER_MODULES)


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
    return cachemod.digest(*[(here / f"{n}.py").read_bytes() for n in MODEL_MODULES], *[(here / f).read_bytes() for f in ("lexicons.json", "readings.json", "named_topics.toml")])


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
    # --refit asks for a full fit where the cached model may be new papers placed into the last
    result = None if refit else store.get("model", key)
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
    if not refit:  # under the lock read, a build without --refit may place: not this result
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


@dataclass(frozen=True)
class State:
    """What a build read and modelled; `serve` hands it to the next build to skip stages."""

    config: SiteConfig
    papers: list[Paper]
    dump_warnings: list[Warning_]
    md_pages: list
    page_warnings: list[Warning_]
    notes: dict[str, TopicNote]
    result: object
    model_cached: bool
    model_key: str = ""
    lock_text: str = ""  # what the lock file must hold after this build
    page_files: dict[str, Path] = field(default_factory=dict)  # site path -> file under content/pages/


def load(config: SiteConfig, paths: Paths, store, *, previous: State | None, changes: frozenset[str] | None, timer,
         refit: bool = False, drafts: bool = False) -> State:
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
            # say why: the warnings about the files that are there (a dump of titles alone, a
            # binary file) are the reason, and "add dumps" alone misleads when dumps are there
            why = "".join(f"\n  {w}" for w in dump_warnings[:10]) + (f"\n  ... {len(dump_warnings) - 10} more" if len(dump_warnings) > 10 else "")
            where = f"{len(files.dumps)} dump(s) in {paths.content / 'papers'} gave none" if files.dumps else f"no dumps in {paths.content / 'papers'}"
            raise NoPapersError(
                f"no papers found: {where}: add dumps there "
                "(.txt copied from Hugging Face Daily Papers, .jsonl, .jsonl.gz or .json)" + (f"; what was wrong:{why}" if why else "")
            )
    else:
        papers, dump_warnings = previous.papers, previous.dump_warnings
    if fresh or {PAGE, TOPIC_NOTE, PAGE_FILE} & changes:
        files = files or find_content(paths.content, [])
        page_warnings: list[Warning_] = list(files.unread)
        md_pages, notes, page_files = read_pages(paths.content, files, page_warnings, drafts)
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
