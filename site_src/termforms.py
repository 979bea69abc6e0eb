"""Key terms as the papers write them.

The vectoriser's terms are lowercased words and pairs of words left adjacent once stop words
are gone, so "Mixture of Experts (MoE)" yields "mixture experts" and "experts moe", and
"parameter-efficient fine-tuning" yields "efficient fine". A reader wants "mixture-of-experts",
"MoE" and "parameter-efficient fine-tuning". So a term is looked up in a topic's texts:
- its words may stand apart by spaces, hyphens and one little word ("of", "to", "and"), never
  by other punctuation, so a pair that spans a bracket ("experts moe") is no phrase and is
  dropped;
- the hyphenated compound around it is read whole ("efficient fine" is inside
  "parameter-efficient fine-tuning", "time compute" inside "test-time compute");
- a pair, or a piece of a compound, that nearly always runs on into one same word takes it
  ("graphical user interface"); a piece of a compound that runs on into varied words is a
  modifier, not a term ("scaling test-time ..."), and is dropped;
- the most common written form is shown: acronyms as written, a word nearly always
  capitalised mid-sentence with its capital ("Gaussian"), others lowercase;
- a term the list already says (a plural, or words inside a longer term) is said once.
A topic's name gets the same capitals (recased).
"""

from __future__ import annotations

import functools
import itertools
import re
from collections import Counter
from collections.abc import Callable, Container, Iterable, Iterator, Sequence
from typing import NamedTuple

from .naming import TITLE_STOP, cased, singular

SAMPLE = 100  # a topic's papers searched for how a term is written: a majority, not a census
READ = 24  # ... and at most this many of its uses read closely
CONTINUED = 0.8  # a term running on into the next word this often is part of a longer one
DROPPED = 0.5  # ... or into "model(s)", which the vectoriser drops ("diffusion language models")
_DROPPED = frozenset({"model"})
CONTAINED = 0.3  # a term a third of whose uses are inside a longer one is said by it
CAPITALISED = 0.8  # a word capitalised in this share of its uses mid-sentence keeps its capital
MIN_USES = 3  # ... and those two rules need this many uses: one abstract's habit is no usage
_GAP = r"(?:-|[ \t\xa0]+)"
_GLUE = f"(?:{_GAP}(?:of|to|the|a|an|for|and|in|on|with|by|from))?{_GAP}"
_SPLIT = re.compile(r"[- ]")
_ACRONYM_PLURAL = re.compile(r"[A-Z][A-Z0-9]+s")
_NEXT = re.compile(r"[ \t\xa0]+([^\W\d_][^\W_]*)(?![^\W_]|-)")
_LEFT = re.compile(r"(?<![^\W_])(?:[^\W_]+-)+$")


_RIGHT = re.compile(r"(?:-[^\W_]+)*")


@functools.lru_cache(maxsize=8192)
def _pattern(term: str) -> re.Pattern:
    # searched in the lowered text (each character in its place, so positions hold in the original):
    # a case-sensitive pattern starting with a literal is found by a fast scan
    return re.compile(_GLUE.join(map(re.escape, term.lower().split())) + r"((?:-[^\W_]+)*)(?![^\W_])")


def lowered(text: str) -> str:
    """``text`` lowercased, each character in its place (str.lower makes a few letters two:
    those stay as they are)."""
    low = text.lower()
    return low if len(low) == len(text) else "".join(c if len(c.lower()) != 1 else c.lower() for c in text)


class Written:
    """A term as a text writes it, and how often the text writes it in any form (counted when
    first asked: only a term holding another needs it)."""

    __slots__ = ("form", "_uses", "_count")

    def __init__(self, form: str, uses: int | None = None, count: Callable[[], int] | None = None):
        self.form, self._uses, self._count = form, uses, count

    @property
    def uses(self) -> int:
        if self._uses is None:
            self._uses = self._count()
        return self._uses

    def __repr__(self) -> str:
        return f"Written({self.form!r})"


PIECE = Written("", 0)  # a term written only as a piece of longer phrases: never shown


class _Use(NamedTuple):
    words: list[str]  # as written, the word after the term last ("" if none or a little word)
    evidence: list[bool]  # per word: in an abstract, after a lowercase word, so its capital is its own
    piece: bool  # its last word runs on into a hyphenated compound


def written(term: str, text: str, low: str | None = None, body: int = 0) -> Written | None:
    """The most common way ``text`` writes ``term`` (see the module); None if it never does;
    PIECE if it writes it only as a piece of longer phrases. ``body``: where the abstracts
    start in ``text``; before it, titles, whose capitals say nothing. ``low``:
    ``lowered(text)``, when the caller searches one text for many terms."""
    if not term.split():
        return None
    low = lowered(text) if low is None else low
    groups: dict[str, list[_Use]] = {}
    read = 0
    # the first READ uses, abstracts before titles, are read closely; all are counted
    for start, end, piece in itertools.islice(_spans(term, low, body), READ):
        read += 1
        left = _LEFT.search(text, max(0, start - 40), start) if start and text[start - 1] == "-" else None
        start = left.start() if left else start
        nxt = _NEXT.match(text, end)
        before = text[max(0, start - 40):start]
        prev = before.split()[-1] if before[-1:].isspace() and not before.isspace() else ""
        words = [*text[start:end].split(), nxt.group(1) if nxt and nxt.group(1).lower() not in TITLE_STOP else ""]
        befores = [prev, *words[:-1]]
        evidence = [start >= body and b[:1].islower() for b in befores]
        groups.setdefault(" ".join(words[:-1]).lower(), []).append(_Use(words, evidence, piece))
    if not groups:
        return None
    # ties: the plainer form ("test time" over "test of time")
    form, uses = min(groups.items(), key=lambda kv: (-len(kv[1]), len(kv[0]), kv[0]))
    size = form.count(" ") + 1
    words = [_cased([u.words[j] for u in uses], [u.evidence[j] for u in uses]) for j in range(size)]
    if " " in term or uses[0].piece:
        nexts = Counter(_stem(u.words[size]) for u in uses if u.words[size])
        top, count = min(nexts.items(), key=lambda kv: (-kv[1], kv[0]), default=("", 0))
        if count >= max(MIN_USES, (DROPPED if top in _DROPPED else CONTINUED) * len(uses)):
            kept = [u for u in uses if u.words[size] and _stem(u.words[size]) == top]
            words.append(_cased([u.words[size] for u in kept], [u.evidence[size] for u in kept]))
        elif uses[0].piece and sum(nexts.values()) >= CONTINUED * len(uses):
            return PIECE
    if read < READ:
        return Written(" ".join(words), read)
    # a tally past the uses read: it counts a few inside longer words too
    return Written(" ".join(words), count=lambda: low.count(term.lower()) if " " not in term else len(_pattern(term).findall(low)))


def _spans(term: str, low: str, body: int) -> Iterator[tuple[int, int, bool]]:
    """Start, end and whether it runs on into a hyphenated compound, of each use of ``term``
    in ``low`` that is not inside a word ("OLMoE"), abstracts (from ``body``) first. A word
    is found with str.find: a regular expression per word would cost more to compile than
    to run, on one paper's text."""
    if " " in term:
        pattern = _pattern(term)
        for m in itertools.chain(pattern.finditer(low, body), pattern.finditer(low, 0, body)):
            if not (m.start() and low[m.start() - 1].isalnum()):
                yield m.start(), m.end(), bool(m.group(1))
        return
    word = term.lower()
    for lo, hi in ((body, len(low)), (0, body)):
        at = low.find(word, lo, hi)
        while at >= 0:
            end = _RIGHT.match(low, at + len(word)).end()
            if not (at and low[at - 1].isalnum()) and not (end < len(low) and low[end].isalnum()):
                yield at, end, end > at + len(word)
            at = low.find(word, at + 1, hi)


def _cased(spellings: list[str], evidence: list[bool]) -> str:
    """One word of a term, from how each use spells it: an acronym or a name part as written
    (naming.cased: "LoRA", "SN-Net"); a word capitalised in nearly every use where its capital
    is its own (``evidence``: not in a title, at a sentence's start or in a capitalised name,
    "Group Relative Policy Optimization") with its capital ("Gaussian"); any other lowercase."""
    best = min(Counter(spellings).items(), key=lambda kv: (-kv[1], kv[0]))[0]
    if cased(best) != best.lower():
        return cased(best)
    seen = [s for s, e in zip(spellings, evidence) if e]
    capitals = Counter(s for s in seen if s[:1].isupper())
    if len(seen) >= MIN_USES and sum(capitals.values()) >= CAPITALISED * len(seen):
        return min(capitals.items(), key=lambda kv: (-kv[1], kv[0]))[0]
    return best.lower()


class Forms:
    """Written forms of terms in a topic's papers (a sample of them: see spread), each looked
    up once."""

    def __init__(self, titles: Sequence[str], abstracts: Sequence[str]):
        self.body = sum(len(t) + 1 for t in titles)
        self.text = "\n".join([*titles, *abstracts])
        self.low = lowered(self.text)
        self.memo: dict[str, Written | None] = {}

    def __call__(self, term: str) -> Written | None:
        if term not in self.memo:
            self.memo[term] = written(term, self.text, self.low, self.body)
        return self.memo[term]


def spread(items: Sequence, limit: int = SAMPLE) -> Sequence:
    """At most ``limit`` of ``items``, evenly spread."""
    return items[::max(1, -(-len(items) // limit))]


def _stem(word: str) -> str:
    """A word lowercased and, roughly, singular: naming.singular, and an acronym's plural ("GPUs",
    "LMs") too, which lowercased looks like "corpus" or is too short for it."""
    return word[:-1].lower() if _ACRONYM_PLURAL.fullmatch(word) else singular(word.lower())


def _words(form: str) -> tuple[str, ...]:
    return tuple(_stem(w) for w in _SPLIT.split(form) if w)


def _inside(short: tuple[str, ...], long: tuple[str, ...]) -> bool:
    n = len(short)
    return any(long[i:i + n] == short for i in range(len(long) - n + 1))


def readable(terms: Iterable[str], lookup: Callable[[str], Written | None], n: int, *,
             keep_unwritten: bool = False) -> tuple[str, ...]:
    """Up to ``n`` of ``terms`` (best first) as written (``lookup``: a Forms), each said once:
    a plural or a term inside one already listed is left out; a term holding one already listed
    takes its place when it is most of that one's uses ("time" mostly in "test-time compute"),
    else joins the list ("MoE training" beside "MoE"). A single word never written is kept as
    it is when ``keep_unwritten`` (it is still a word); a pair never is."""
    picked: list[Written] = []
    keys: list[tuple[str, ...]] = []
    for term in terms:
        if len(picked) >= n:
            break
        found = lookup(term)
        if found is PIECE:
            continue
        if found is None:
            if not keep_unwritten or " " in term:
                continue
            found = Written(term, 0)
        key = _words(found.form)
        if any(_inside(key, k) for k in keys):
            continue
        inner = [j for j, k in enumerate(keys) if _inside(k, key) and found.uses >= CONTAINED * picked[j].uses]
        if inner:
            picked[inner[0]], keys[inner[0]] = found, key
            for j in reversed(inner[1:]):
                del picked[j], keys[j]
            continue
        picked.append(found)
        keys.append(key)
    return tuple(w.form for w in picked)


def _times(low: str, phrase: str, stop: int = 0) -> int:
    """How often ``low`` holds ``phrase`` as whole words ("GPT-4" is not in "GPT-4o"), counting
    up to ``stop`` if given."""
    count, at = 0, low.find(phrase)
    while at >= 0 and not (stop and count >= stop):
        end = at + len(phrase)
        count += (at == 0 or not low[at - 1].isalnum()) and (end == len(low) or not low[end].isalnum())
        at = low.find(phrase, at + 1)
    return count


def paper_terms(candidates: Sequence[Sequence[str]], papers: Sequence, n: int,
                forms: Forms | None = None, vocab: Container[str] | None = None) -> list[tuple[str, ...]]:
    """Per paper, up to ``n`` of its ``candidates`` (best first) as written: a term of the
    topic's ``vocab`` (None: any term) as ``forms`` (the topic's papers) write it when the
    paper writes it so too, so a topic's papers say it alike; else as the paper itself does."""
    out = []
    for terms, paper in zip(candidates, papers):
        text = f"{paper.title}\n{paper.abstract}"
        low, body = lowered(text), len(paper.title) + 1

        def lookup(term: str) -> Written | None:
            found = forms(term) if forms is not None and (vocab is None or term in vocab) else None
            if found is None or found is PIECE or not _times(low, found.form.lower(), stop=1):
                return written(term, text, low, body)
            # the topic's form, counted in the paper, as the terms it is weighed against are
            return Written(found.form, count=lambda: _times(low, found.form.lower()))

        out.append(readable(terms, lookup, n, keep_unwritten=True))
    return out


_LOWER_WORD = re.compile(r"(?<![\w-])[a-z]+(?![\w-])")


def recased(name: str, lookup: Callable[[str], Written | None]) -> str:
    """``name`` with each lowercase word its topic's papers capitalise (``lookup``: a Forms)
    given its capital ("3D Gaussian splatting"): names write words lowercase (naming.cased)."""
    def one(m: re.Match) -> str:
        found = lookup(m.group(0))
        form = found.form if found is not None else ""
        return form if form[:1].isupper() and form.lower() == m.group(0) else m.group(0)

    return _LOWER_WORD.sub(one, name)
