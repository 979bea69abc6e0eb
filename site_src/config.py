"""Site configuration: one typed, frozen object, validated when loaded.

Every field is documented here; `researchmap.toml` in the project root is the default file.
Unknown keys and wrong types are errors that name the key and the expected type.
"""

from __future__ import annotations

import dataclasses
import functools
import re
import tomllib
import types
import typing
from dataclasses import dataclass, field
from pathlib import Path

from .errors import ConfigError, shown_path, toml_error_line

CONFIG_NAME = "researchmap.toml"  # a project's config, beside its content/


@dataclass(frozen=True)
class NamedTopic:
    """A topic that always exists, found with the help of its keywords."""

    slug: str
    name: str
    #: Phrases that signal the topic (case-insensitive; '-' and ' ' are interchangeable).
    keywords: tuple[str, ...] = ()
    #: Phrases that alone are too weak (e.g. an acronym with other meanings); they count half.
    weak_keywords: tuple[str, ...] = ()
    #: Phrases that signal a paper is about something else (e.g. "inference" for a training
    #: topic); they count against the topic in the title and the contribution sentence.
    negative_keywords: tuple[str, ...] = ()
    #: When set, a paper mentioning none of these (e.g. "training" for a training topic)
    #: cannot be a seed of the topic.
    required_keywords: tuple[str, ...] = ()
    #: What the topic holds, in a sentence or two: shown on its page above the papers (unless
    #: content/topics/<slug>.md says more).
    description: str = ""
    #: The default topic whose shipped reading model this one uses, named by its default slug
    #: (moe, kv-cache, distributed-training, peft): for a default topic given another slug and
    #: other keywords. Unset, a topic uses its own slug's, or that of the default topic whose
    #: keywords it has.
    reading: str = ""


@dataclass(frozen=True)
class TopicSettings:
    #: Number of clusters besides the named topics, or 0 to choose it by silhouette.
    k: int = 0
    #: Range searched when k is chosen automatically.
    k_min: int = 6
    k_max: int = 24
    #: Seed of every random step (k-means, sampling); output is deterministic for a given seed.
    random_state: int = 42
    #: Size of the TF-IDF vocabulary.
    max_features: int = 50000
    #: Papers whose words are less similar than this (TF-IDF cosine) to the rest of their
    #: cluster's go to "Other papers" (topics.word_similarity).
    outlier_similarity: float = 0.08
    #: Similar papers listed on each paper page.
    similar: int = 5
    #: Minimum membership score (0-1) for a named topic (0.3: the best F1 in cross-validation on
    #: the tuning labels, eval/fit_named.py --cv).
    named_threshold: float = 0.3
    #: Papers of dumps added since the last fit are placed into the fitted topics (fast, and
    #: nothing already on the map moves) when the fit had at least ``place_min`` papers and
    #: the new ones are at most ``refit_fraction`` of them; otherwise the model is fitted again.
    place_min: int = 2000
    refit_fraction: float = 0.2


@dataclass(frozen=True)
class SiteConfig:
    title: str = "Research map"
    description: str = "A map of research papers, grouped into topics."
    #: Absolute URL the site is served from; used for feeds, sitemap and canonical links.
    base_url: str = "http://localhost:8000/"
    #: Theme folder under themes/.
    theme: str = "default"
    #: Year of listing dates shown without one; 0 when unknown (dates then show month and day).
    year: int = 0
    #: Write one page per paper (turn off for very large sites).
    paper_pages: bool = True
    #: Papers per page on long lists.
    page_size: int = 200
    #: Papers in the site-wide and per-topic Atom feeds.
    feed_size: int = 50
    topics: TopicSettings = field(default_factory=TopicSettings)
    #: The topics every build finds and names; a config without the key gets the four of
    #: named_topics.toml (default_named_topics), `named_topics = []` none.
    named_topics: tuple[NamedTopic, ...] = ()
    #: Folder the config was loaded from; content/templates/themes resolve against it.
    root: Path = field(default=Path("."), compare=False)
    #: the file it was read from (None: built from a dict), for errors found later to name
    source: Path | None = field(default=None, compare=False)

    @property
    def base_path(self) -> str:
        """The path part of base_url, always starting and ending with '/'."""
        from urllib.parse import urlsplit

        path = urlsplit(self.base_url).path or "/"
        return path if path.endswith("/") else path + "/"


def _type_name(tp) -> str:
    origin = typing.get_origin(tp)
    if origin is tuple:
        return f"list of {_type_name(typing.get_args(tp)[0])}"
    if dataclasses.is_dataclass(tp):
        return "table"
    return getattr(tp, "__name__", str(tp))


def _coerce(value, tp, key: str):
    origin = typing.get_origin(tp)
    if origin in (typing.Union, types.UnionType):
        for arg in typing.get_args(tp):
            try:
                return _coerce(value, arg, key)
            except ConfigError:
                continue
        raise ConfigError(f"{key}: expected {_type_name(tp)}, got {type(value).__name__}")
    if origin is tuple:
        if not isinstance(value, list):
            raise ConfigError(f"{key}: expected {_type_name(tp)}, got {type(value).__name__}")
        inner = typing.get_args(tp)[0]
        return tuple(_coerce(v, inner, f"{key}[{i}]") for i, v in enumerate(value))
    if dataclasses.is_dataclass(tp):
        if not isinstance(value, dict):
            raise ConfigError(f"{key}: expected a table, got {type(value).__name__}")
        return _build(tp, value, key)
    if tp is Path:
        return Path(value)
    ok = isinstance(value, tp) and not (tp is int and isinstance(value, bool))
    if tp is float and isinstance(value, int) and not isinstance(value, bool):
        return float(value)
    if not ok:
        raise ConfigError(f"{key}: expected {_type_name(tp)}, got {type(value).__name__} {value!r}")
    return value


_NOT_KEYS = frozenset({"root", "source"})  # set by the loader, not by the file


def _build(cls, data: dict, prefix: str = ""):
    hints = typing.get_type_hints(cls)
    names = {f.name for f in dataclasses.fields(cls) if f.name not in _NOT_KEYS}
    for key in data:
        if key not in names:
            where = f"{prefix}.{key}" if prefix else key
            known = ", ".join(sorted(names))
            raise ConfigError(f"unknown key '{where}' (known keys: {known})")
    for f in dataclasses.fields(cls):
        if f.name not in data and f.name not in _NOT_KEYS and f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING:
            raise ConfigError(f"{prefix or 'config'}: missing key '{f.name}'")
    kwargs = {}
    for name in names:
        if name in data:
            where = f"{prefix}.{name}" if prefix else name
            kwargs[name] = _coerce(data[name], hints[name], where)
    return cls(**kwargs)


DEFAULT_NAMED = Path(__file__).with_name("named_topics.toml")


@functools.lru_cache(maxsize=1)
def default_named_topics() -> tuple[NamedTopic, ...]:
    """The named topics of a config that sets none: Mixture of Experts, KV cache, distributed
    training and parameter-efficient fine-tuning (named_topics.toml)."""
    with open(DEFAULT_NAMED, "rb") as fh:
        return _coerce(tomllib.load(fh)["named_topics"], tuple[NamedTopic, ...], "named_topics")


def config_from_dict(data: dict, *, root: Path = Path("."), source: Path | None = None) -> SiteConfig:
    config = _build(SiteConfig, data)
    if "named_topics" not in data:
        config = dataclasses.replace(config, named_topics=default_named_topics())
    _check(config)
    return dataclasses.replace(config, root=root, source=source)


def check_base_url(url: str, key: str) -> None:
    """Feeds, the sitemap and canonical links need an absolute address."""
    if not re.match(r"https?://[^/\s]+", url):
        raise ConfigError(f"{key}: expected an absolute http(s) URL such as https://user.github.io/repo/, got {url!r}")


_SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")


def _check(config: SiteConfig) -> None:
    s = config.topics
    if not 2 <= s.k_min <= s.k_max:
        raise ConfigError(f"topics.k_min/k_max: need 2 <= k_min <= k_max, got {s.k_min}, {s.k_max}")
    if s.k < 0:
        raise ConfigError(f"topics.k: expected 0 (automatic) or a positive int, got {s.k}")
    slugs = [t.slug for t in config.named_topics]
    if len(set(slugs)) != len(slugs):
        raise ConfigError(f"named_topics: duplicate slug in {slugs}")
    for t in config.named_topics:
        if t.slug == "other":  # the URL of "Other papers"
            raise ConfigError("named_topics: the slug 'other' is reserved for \"Other papers\"")
        if not _SLUG.fullmatch(t.slug):
            raise ConfigError(f"named_topics '{t.slug}': a slug is lowercase letters, digits and '-' (it is the topic's URL)")
        if not t.keywords:
            raise ConfigError(f"named_topics '{t.slug}': keywords must not be empty")
        if t.reading and t.reading not in (defaults := [d.slug for d in default_named_topics()]):
            raise ConfigError(f"named_topics '{t.slug}': reading {t.reading!r} names no default topic "
                              f"(the shipped reading models are {', '.join(defaults)})")
    if config.page_size < 10:
        raise ConfigError(f"page_size: expected an int >= 10, got {config.page_size}")
    limits = [
        ("year", config.year, config.year == 0 or 1900 <= config.year <= 2200, "0 (unknown) or a year 1900-2200"),
        ("feed_size", config.feed_size, config.feed_size >= 1, "an int >= 1"),
        ("topics.similar", s.similar, s.similar >= 0, "an int >= 0"),
        ("topics.random_state", s.random_state, 0 <= s.random_state < 2**32, "an int from 0 to 2**32 - 1"),
        ("topics.max_features", s.max_features, s.max_features >= 100, "an int >= 100"),
        ("topics.outlier_similarity", s.outlier_similarity, 0 <= s.outlier_similarity < 1, "a number from 0 to below 1"),
        ("topics.named_threshold", s.named_threshold, 0 < s.named_threshold < 1, "a number between 0 and 1"),
        ("topics.place_min", s.place_min, s.place_min >= 0, "an int >= 0"),
        ("topics.refit_fraction", s.refit_fraction, s.refit_fraction >= 0, "a number >= 0"),
    ]
    for key, value, ok, expected in limits:
        if not ok:
            raise ConfigError(f"{key}: expected {expected}, got {value!r}")
    check_base_url(config.base_url, "base_url")


def load_config(path: Path) -> SiteConfig:
    """Read and validate a TOML config file; an error names the file and, where it can be
    found, the line."""
    shown = shown_path(str(path))
    try:
        text = path.read_bytes().decode("utf-8")
        data = tomllib.loads(text)
    except FileNotFoundError:
        raise ConfigError(f"{shown}: config file not found") from None
    except UnicodeDecodeError as exc:
        raise ConfigError(f"{shown}: not valid UTF-8 (byte {exc.start}), as TOML must be") from None
    except tomllib.TOMLDecodeError as exc:
        line = toml_error_line(exc, text)  # said as file:line, so the message drops its own
        message = re.sub(r" \(at line \d+, (column \d+)\)$", r" (\1)", str(exc)).replace(" (at end of document)", " at the end of the file")
        raise ConfigError(f"{shown}:{line}: {message}" if line else f"{shown}: {message}") from None
    try:
        return config_from_dict(data, root=path.resolve().parent, source=path)
    except ConfigError as exc:
        raise located(path, text, str(exc)) from None


def located(path: Path, text: str, message: str) -> ConfigError:
    """A config error naming the file and the line ``message`` is about (config_line)."""
    line, shown = config_line(text, message), shown_path(str(path))
    return ConfigError(f"{shown}:{line}: {message}" if line else f"{shown}: {message}")


def config_error(config: SiteConfig, message: str) -> ConfigError:
    """An error about a value of ``config`` found after loading it (a theme that is not
    there), naming the config file and line as load_config's own errors do."""
    if config.source is None:
        return ConfigError(message)
    try:
        text = config.source.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        text = ""
    return located(config.source, text, message)


_HEADER = re.compile(r"^\s*\[")


def config_line(text: str, message: str) -> int:
    """The line of the config ``text`` that a validation ``message`` is about (0: not found):
    the key its message names ("topics.k_min: ...", "unknown key 'topics.foo'",
    "named_topics[1].keywords: ..."), or a named topic's slug line ("named_topics 'x': ...")."""
    lines = text.splitlines()
    if slug := re.match(r"named_topics '([^']*)'", message):
        want = re.compile(rf"""^\s*slug\s*=\s*["']{re.escape(slug[1])}["']""")
        return next((i + 1 for i, line in enumerate(lines) if want.match(line)), 0)
    path = re.match(r"unknown key '([^']+)'", message) or re.match(r"([A-Za-z_][\w.\[\]/-]*):", message)
    if not path:
        return 0
    lo, hi = 0, next((i for i, line in enumerate(lines) if _HEADER.match(line)), len(lines))
    table: list[str] = []
    for name, index in re.findall(r"([A-Za-z_][\w-]*)(?:\[(\d+)\])?", path[1]):
        key = re.compile(rf"""^\s*["']?{re.escape(name)}["']?\s*=""")
        if (hit := next((i for i in range(lo, hi) if key.match(lines[i])), None)) is not None:
            return hit + 1  # a key (of a value, an inline table or an array: as near as it gets)
        table.append(name)  # else a table, [a.b], or the index-th [[a.b]]
        head = re.compile(r"^\s*\[\[?\s*" + r"\s*\.\s*".join(map(re.escape, table)) + r"\s*\]\]?\s*(#.*)?$")
        heads = [i for i, line in enumerate(lines) if head.match(line)]
        if not heads and not index:  # a table only its subtables' headers name ([a.b] with no [a])
            lo, hi = 0, len(lines)
            continue
        if int(index or 0) >= len(heads):
            return 0
        lo = heads[int(index or 0)] + 1
        hi = next((i for i in range(lo, len(lines)) if _HEADER.match(lines[i])), len(lines))
    return lo  # the table's own header
