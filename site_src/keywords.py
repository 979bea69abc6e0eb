"""Find the named topics' keyword phrases in titles and abstracts: every topic, one pass.

A text is split into sentences and words once; each word is looked up in a table of the
phrases that start with it, so the cost is a dictionary lookup per word whatever the number of
keywords (one regex per keyword list scanned each abstract again for every list: 3.5 s of a
10,000-paper build, against 0.4 s here).

Keyword syntax (config ``keywords``, ``weak_keywords``, ...):
  - case-insensitive; '-' and ' ' are interchangeable ("mixture-of-experts" = "mixture of experts");
  - the last word may take a plural 's' or 'es';
  - '*' stands for up to two words of any kind ("mixture of * experts" finds "mixture of LoRA
    experts" and "mixture of experts");
  - a single word written with two or more capitals is an acronym ("MoE", "KV", "LoRA") and
    matches case-sensitively, also inside a CamelCase name ("DeepSeekMoE", "AdaLoRA", "KVQuant").
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_WORD = re.compile(r"\w+")
# British spellings of keyword words ("decentralised training", "optimisation") are read as the
# American ones the keywords use
_AMERICAN = re.compile(r"(?<=\w\w\w)(iz|yz)(e|ed|es|ing|ation|ations|er|ers)$")
_SENTENCE = re.compile(r"(?<=[.!?])\s+(?=[A-Z(\[])")
GAP = 2  # words a '*' may stand for

# a sentence that states the paper's contribution: "we propose", "this paper presents", ...
_SUBJECTS = frozenset({"we", "our", "here"})
_DOCUMENT = frozenset({"paper", "work", "study", "article", "report"})
_VERBS = (
    "propose", "introduc", "present", "develop", "design", "study", "investigat", "analy", "explor",
    "build", "describ", "offer", "focus", "tackl", "address",
)
CONTRIB_WINDOW = 7

STRONG, WEAK, NEGATIVE, REQUIRED = range(4)
KINDS = ("keywords", "weak_keywords", "negative_keywords", "required_keywords")


@dataclass(frozen=True)
class Phrase:
    words: tuple[str, ...]  # lowercase words; "*" is a gap
    topic: int
    kind: int


def is_acronym(keyword: str) -> bool:
    """A single word written with two or more capitals ("MoE", "KV", "LoRA"): matched as written."""
    return " " not in keyword.strip() and "-" not in keyword and sum(c.isupper() for c in keyword) >= 2


def words_of(text: str) -> list[str]:
    return _WORD.findall(text)


def split_sentences(text: str) -> list[str]:
    return _SENTENCE.split(text)


def contribution_flags(sentences: list[list[str]]) -> list[bool]:
    """Per sentence (a list of words): does it state the paper's contribution?"""
    return [_states_contribution(words) for words in sentences]


def _states_contribution(words: list[str]) -> bool:
    low = [w.lower() for w in words]
    for i, w in enumerate(low):
        start = i + 1 if w in _SUBJECTS else i + 2 if w == "this" and i + 1 < len(low) and low[i + 1] in _DOCUMENT else -1
        if start >= 0 and any(x.startswith(_VERBS) for x in low[start : start + CONTRIB_WINDOW]):
            return True
    return False


class Matcher:
    """All keyword phrases of all named topics, indexed by their first word."""

    def __init__(self, topics):
        self.by_first: dict[str, list[Phrase]] = {}
        self.acronyms: dict[str, list[Phrase]] = {}
        for t, topic in enumerate(topics):
            for kind, field in enumerate(KINDS):
                for kw in getattr(topic, field):
                    if is_acronym(kw):
                        self.acronyms.setdefault(kw.strip(), []).append(Phrase((kw.strip().lower(),), t, kind))
                        continue
                    words = _star_words(kw)
                    if not words or words[0] == "*":
                        continue
                    forms = [words[0]] + ([words[0] + "s", words[0] + "es"] if len(words) == 1 else [])
                    for form in forms:  # a one-word keyword may be plural
                        self.by_first.setdefault(form, []).append(Phrase(words, t, kind))
        for phrases in self.by_first.values():
            phrases.sort(key=lambda p: -len(p.words))
        words = {w for phrases in self.by_first.values() for p in phrases for w in p.words}
        self.spelling = {b: w for w in words if (b := british(w))}
        for b, w in self.spelling.items():  # a British first word starts the same phrases
            if w in self.by_first:
                self.by_first[b] = self.by_first[w]
        self.first = frozenset(self.by_first)
        self.acronym_re = re.compile("|".join(re.escape(a) for a in sorted(self.acronyms, key=len, reverse=True))) if self.acronyms else None
        self.n_topics = len(topics)

    def scan(self, words: list[str]) -> list[tuple[int, int, str]]:
        """(topic, kind, matched text) of every match in a list of words; per (topic, kind) the
        matches do not overlap and the longest phrase at a position wins; a weak keyword inside
        a strong one of the same topic ("experts" in "mixture of experts") does not count."""
        joined = " ".join(words)
        low = joined.lower().split(" ") if words else []
        first = self.first
        starts = [i for i, w in enumerate(low) if w in first]
        if self.acronym_re is not None and self.acronym_re.search(joined):
            search = self.acronym_re.search
            caps = [i for i, w in enumerate(words) if search(w)]
            if caps:
                starts = sorted(set(starts).union(caps))
        hits: list[tuple[int, int, str, int, int]] = []
        busy: dict[tuple[int, int], int] = {}  # (topic, kind) -> first word index free again
        for i in starts:
            for p in self.by_first.get(low[i], ()):
                key = (p.topic, p.kind)
                if busy.get(key, 0) > i:
                    continue
                end = _match(p.words, low, i, self.spelling)
                if end:
                    busy[key] = end
                    hits.append((p.topic, p.kind, " ".join(low[i:end]), i, end))
            if self.acronym_re is not None and words[i] != low[i]:
                for acr, phrases in self.acronyms.items():
                    if _acronym_in(acr, words[i]):
                        for p in phrases:
                            key = (p.topic, p.kind)
                            if busy.get(key, 0) <= i:
                                busy[key] = i + 1
                                hits.append((p.topic, p.kind, acr, i, i + 1))
        strong = {(t, j) for t, kind, _, a, b in hits if kind == STRONG for j in range(a, b)}
        return [(t, kind, term) for t, kind, term, a, b in hits
                if kind != WEAK or not any((t, j) in strong for j in range(a, b))]


def british(word: str) -> str | None:
    """The British spelling of an American '-ize'/'-yze' word, or None."""
    m = _AMERICAN.search(word)
    return word[: m.start()] + ("is" if m.group(1) == "iz" else "ys") + m.group(2) if m else None


def _star_words(keyword: str) -> tuple[str, ...]:
    out = []
    for part in keyword.split():
        if part == "*":
            out.append("*")
        else:
            out.extend(w.lower() for w in re.split(r"[\W_]+", part) if w)
    return tuple(out)


def _word_is(token: str, word: str, last: bool, spelling: dict[str, str]) -> bool:
    if token == word or spelling.get(token) == word:
        return True
    return last and (token == word + "s" or token == word + "es" or spelling.get(token[:-1]) == word)


def _match(pattern: tuple[str, ...], low: list[str], i: int, spelling: dict[str, str]) -> int:
    """End index of ``pattern`` matched at ``low[i]``, or 0 (``spelling``: British -> American)."""
    n = len(pattern)
    if "*" not in pattern:
        if i + n > len(low):
            return 0
        for k in range(n - 1):
            if low[i + k] != pattern[k] and spelling.get(low[i + k]) != pattern[k]:
                return 0
        return i + n if _word_is(low[i + n - 1], pattern[-1], True, spelling) else 0

    def at(k: int, j: int) -> int:
        if k == n:
            return j
        if pattern[k] == "*":
            for skip in range(GAP + 1):
                end = at(k + 1, j + skip)
                if end:
                    return end
            return 0
        if j < len(low) and _word_is(low[j], pattern[k], k == n - 1, spelling):
            return at(k + 1, j + 1)
        return 0

    return at(0, i)


def _acronym_in(acronym: str, token: str) -> bool:
    """The acronym as the token, its plural, or a word of a CamelCase name ("DeepSeekMoE",
    "KVQuant", "KVzip") but not a piece of a longer acronym ("FLOPs" holds no "FL")."""
    if token == acronym or token == acronym + "s":
        return True
    j = token.find(acronym)
    while j >= 0:
        end = j + len(acronym)
        before = j == 0 or token[j - 1].islower() or token[j - 1].isdigit()
        rest = token[end:]
        after = (not rest or rest == "s" or rest[0].isdigit() or (j == 0 and rest[0].islower())
                 or (rest[0].isupper() and len(rest) > 1 and rest[1].islower()))
        if before and after:
            return True
        j = token.find(acronym, j + 1)
    return False
