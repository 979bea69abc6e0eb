"""Plain data records that cross stage boundaries (read -> model -> render -> write)."""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass, field

MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


@dataclass(frozen=True, order=True)
class PaperDate:
    """A listing date. ``year`` is None when the source gave none: it is never invented."""

    year: int | None
    month: int
    day: int

    def iso(self) -> str | None:
        return f"{self.year:04d}-{self.month:02d}-{self.day:02d}" if self.year else None

    def display(self) -> str:
        md = f"{MONTHS[self.month - 1]} {self.day}"
        return f"{md}, {self.year}" if self.year else md

    def sort_key(self) -> tuple[int, int, int]:
        return (self.year or 0, self.month, self.day)

    @staticmethod
    def checked(year: int | None, month: int, day: int) -> "PaperDate":
        """Build a date, raising ValueError for an impossible one (Feb 30, month 13)."""
        _dt.date(year or 2000, month, day)  # 2000 is a leap year: Feb 29 is valid without a year
        return PaperDate(year, month, day)


@dataclass(frozen=True)
class Source:
    """Where a record was read: the dump's file name (relative to content/) and line."""

    file: str
    line: int


@dataclass(frozen=True)
class RawPaper:
    """One entry as a reader found it, before de-duplication."""

    title: str
    abstract: str
    source: Source
    author_count: int | None = None
    author_names: tuple[str, ...] = ()
    org_id: str | None = None
    org_name: str | None = None
    date: PaperDate | None = None
    upvotes: int | None = None
    arxiv_id: str | None = None
    code_urls: tuple[str, ...] = ()
    categories: tuple[str, ...] = ()


@dataclass(frozen=True)
class Paper:
    """A unique paper after merging every record of it found in the dumps."""

    id: str  # URL slug, unique, ASCII
    title: str
    abstract: str
    sources: tuple[Source, ...]
    author_count: int | None = None
    author_names: tuple[str, ...] = ()
    org_id: str | None = None
    org_name: str | None = None
    date: PaperDate | None = None
    upvotes: int | None = None
    arxiv_id: str | None = None
    code_urls: tuple[str, ...] = ()
    categories: tuple[str, ...] = ()
    key: str = ""  # identity across builds: "arxiv:<id>", else "title:<normalised title>"

    @property
    def text(self) -> str:
        return f"{self.title}. {self.abstract}"


@dataclass(frozen=True)
class Warning_:
    """A problem found in the input that the build went past (skipped or repaired)."""

    file: str
    line: int
    message: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        return f"{where}: {self.message}"


@dataclass(frozen=True)
class MarkdownPage:
    slug: str
    title: str
    html: str
    meta: dict = field(default_factory=dict, hash=False, compare=False)
    source: str = ""
    nav: bool = True
    weight: int | None = None  # menu order, lower first; pages without one after those with one (Hugo's order)
    own_h1: bool = False  # the body opens with a "# heading": the template shows no <h1> of its own
    draft: bool = False  # marked draft, and shown since the build was asked for drafts (--drafts)
    #: site paths of its old URLs ("old-about.html"), each a redirect page to it, and their line
    aliases: tuple[str, ...] = ()
    aliases_line: int = 0


@dataclass(frozen=True)
class TopicNote:
    """``content/topics/<slug>.md``: the lead of its topic's page, and front matter that names
    the topic (``title``) and describes its page to search engines (``description``)."""

    html: str
    title: str = ""
    description: str = ""
    title_line: int = 0  # the title's line in the note, for a warning about it
    draft: bool = False  # published only by a build with --drafts, which says so on the page


@dataclass(frozen=True)
class Topic:
    slug: str
    name: str
    kind: str  # "named", "cluster" or "other"
    terms: tuple[str, ...]
    size: int
    #: Mean cosine similarity of each member to the centre of the others (0-1): how tight it is.
    cohesion: float
    description_html: str = ""
    #: A clustered topic's members that use every word of one of its name's phrases
    #: (naming.named_in): under a third, its name describes a part of it.
    named_in: int | None = None


@dataclass(frozen=True)
class Membership:
    topic: str  # slug
    score: float  # 0-1
    terms: tuple[str, ...]  # the terms that put the paper there
    # "Other papers" only: the topic of the cluster the outlier cut took the paper off (the
    # score is its similarity to that topic's centre)
    nearest: str = ""


@dataclass(frozen=True)
class TopicModel:
    topics: tuple[Topic, ...]
    #: paper id -> memberships, primary first (every paper has at least one)
    memberships: dict[str, tuple[Membership, ...]]
    coords: dict[str, tuple[float, float]]
    similar: dict[str, tuple[str, ...]]
    #: How k was chosen, for the build summary and topics.json.
    k_reason: str
    #: slug of a topic that no longer exists -> slug it redirects to ("" for the home page)
    redirects: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class ModelResult:
    """The model stage's output: the topic model, the lock file that reproduces it, and (for
    placing papers later) what the fit learned; defined here so that loading a cached result
    does not import the model's numerical code."""

    model: TopicModel
    lock: object  # lockfile.Lock
    #: wall seconds of the model's steps (vectorise, named, cluster, layout, similar), for reports
    timings: dict = field(default_factory=dict, compare=False)
    state: object = field(default=None, compare=False)  # topics.FitState
