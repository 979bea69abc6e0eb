"""The Jinja2 environment: a theme's templates override the project's, autoescape always on."""

from __future__ import annotations

import json
from pathlib import Path

import jinja2

from .errors import ResearchMapError


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


def make_env(template_dirs: list[Path]) -> jinja2.Environment:
    env = jinja2.Environment(
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
        raise TemplateError(f"{exc.filename or exc.name}:{exc.lineno}: template syntax error: {exc.message}") from None
    except jinja2.TemplateNotFound as exc:
        raise TemplateError(f"template not found: {exc.name}") from None
    except jinja2.UndefinedError as exc:
        raise TemplateError(f"{_where(exc, env, template)}: {exc.message}") from None
    except jinja2.TemplateError as exc:
        raise TemplateError(f"{_where(exc, env, template)}: {exc}") from None


def _where(exc: BaseException, env: jinja2.Environment, template: str) -> str:
    """File and line of the innermost template frame (Jinja rewrites tracebacks to point there)."""
    roots = tuple(str(Path(d)) for d in getattr(env.loader, "searchpath", []))
    where = template
    tb = exc.__traceback__
    while tb is not None:
        filename = tb.tb_frame.f_code.co_filename
        if filename.startswith(roots):
            where = f"{filename}:{tb.tb_lineno}"
        tb = tb.tb_next
    return where
