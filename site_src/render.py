"""The Jinja2 environment: a theme's templates override the project's, autoescape always on."""

from __future__ import annotations

import gc
import hashlib
import json
import pickle
from pathlib import Path

import jinja2

from .errors import ResearchMapError, shown_path
from .parallel import parallel
from .write import link_previous, place, safe_key


class TemplateError(ResearchMapError):
    """A template failed to load or render; names the template file and line."""


def _json_script(value) -> str:
    """JSON safe inside <script>: '<', '>', '&' and line separators escaped."""
    text = json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    for a, b in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"), ("\u2028", "\\u2028"), ("\u2029", "\\u2029")):
        text = text.replace(a, b)
    return text


def _safe_url(url: str) -> str:
    """Only http(s) URLs are ever made into links; anything else becomes '#'."""
    return url if isinstance(url, str) and url.lower().startswith(("https://", "http://")) else "#"


_DICT_ATTRS = frozenset(dir(dict))


class _Environment(jinja2.Environment):
    """Jinja2's environment, with ``view.name`` on a plain dict looked up as a key at once.

    Jinja tries an attribute first and falls back to the key through a caught AttributeError;
    pages' contexts are dicts, so each of the 120-odd lookups of a paper page took that
    exception (a third of rendering). Only names that are not a dict's own attributes take the
    short way, so the result is the same: ``view.items`` is still the method."""

    def getattr(self, obj, attribute):
        if type(obj) is dict and attribute not in _DICT_ATTRS:
            try:
                return obj[attribute]
            except KeyError:
                pass
        return super().getattr(obj, attribute)


def make_env(template_dirs: list[Path]) -> jinja2.Environment:
    env = _Environment(
        loader=jinja2.FileSystemLoader([str(d) for d in template_dirs if d.is_dir()]),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["json_script"] = lambda v: jinja2.utils.markupsafe.Markup(_json_script(v))
    env.filters["safe_url"] = _safe_url
    env.filters["pct"] = lambda v: f"{round(float(v) * 100)}%"
    return env


def render(env: jinja2.Environment, template: str, context: dict) -> str:
    try:
        return env.get_template(template).render(context)
    except jinja2.TemplateSyntaxError as exc:
        raise TemplateError(f"{shown_path(exc.filename) if exc.filename else exc.name}:{exc.lineno}: template syntax error: {exc.message}") from None
    except jinja2.TemplateNotFound as exc:
        where = _where(exc, env, template)  # an include or extends names the file that asks
        raise TemplateError(f"{where}: template not found: {exc.name}" if where != template else f"template not found: {exc.name}") from None
    except jinja2.UndefinedError as exc:
        raise TemplateError(f"{_where(exc, env, template)}: {exc.message}") from None
    except jinja2.TemplateError as exc:
        raise TemplateError(f"{_where(exc, env, template)}: {exc}") from None
    except Exception as exc:
        # an expression of the template's own that fails ({{ "a" + 1 }}, {{ x / 0 }}): its file
        # and line, as for the errors above; one raised deeper (in researchmap's code) stays a bug
        if not _where(exc, env, template, innermost=True):
            raise
        raise TemplateError(f"{_where(exc, env, template)}: {type(exc).__name__}: {exc}") from None


def _where(exc: BaseException, env: jinja2.Environment, template: str, innermost: bool = False) -> str:
    """File and line of the innermost template frame (Jinja rewrites tracebacks to point there);
    ``innermost``: only when that frame is the innermost of all (else "")."""
    roots = tuple(str(Path(d)) for d in getattr(env.loader, "searchpath", []))
    where = template
    tb = exc.__traceback__
    while tb is not None:
        filename = tb.tb_frame.f_code.co_filename
        if filename.startswith(roots):
            where = f"{shown_path(filename)}:{tb.tb_lineno}"
        elif innermost:
            where = ""
        tb = tb.tb_next
    return where


PARALLEL_PAGES = 2000
_JOB: tuple | None = None  # (planner, env, stage, out, known, salt) inherited by forked render workers


def page_digest(salt: str, template: str, context: dict) -> str:
    """What a page's bytes are a function of: the templates (``salt``), the page's template
    and its context. Equal digests, equal pages: the page need not be rendered again."""
    h = hashlib.blake2b(salt.encode(), digest_size=16)
    h.update(template.encode())
    h.update(pickle.dumps(context, protocol=5))
    return h.hexdigest()


def _render_share(share: int, shares: int) -> list[tuple[str, str, bool, str]]:
    """Render and stage every ``shares``-th page; (path, template, written, digest) for each.
    A page whose digest the previous build recorded for the same path is linked, not rendered."""
    planner, env, stage, out, known, salt = _JOB
    done, dirs = [], set()
    for i, o in enumerate(planner.outputs()):
        if i % shares == share:
            key = safe_key(o.path)
            ctx = o.ctx()
            digest = page_digest(salt, o.template, ctx)
            if known.get(key) == digest and link_previous(stage, out, key, dirs):
                done.append((key, o.template, False, digest))
                continue
            done.append((key, o.template, place(stage, out, key, render(env, o.template, ctx).encode(), dirs), digest))
    return done


def render_all(planner, env, writer, *, known: dict[str, str] | None = None, salt: str = "") -> list[tuple[str, str, str]]:
    """Render and stage every page; (path, template, digest) of each. Large sites use two cores
    (a forked worker renders and writes every other page: both rendering and creating files
    cost, planning is cheap). ``known``: the digests of the pages of the output dir's build."""
    global _JOB
    big = len(planner.site.papers) >= PARALLEL_PAGES
    _JOB = (planner, env, writer.stage, writer.out, known or {}, salt)
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
    for key, _, written, _ in done:
        writer.claim(key)
        writer.record(written)
    return [(key, template, digest) for key, template, _, digest in done]
