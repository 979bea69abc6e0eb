"""Topic names from the phrases a topic's titles use.

Authors say in a title what a paper is about, in the phrase the field uses for it ("Test-Time
Scaling", "GUI Agents", "Retrieval-Augmented Generation"). So a clustered topic is named by the
title phrases most distinctive of its papers, written as its titles write them. Abstract terms
(cluster.phrase_name) are the fallback for a topic whose titles share no phrase.

Four rules keep a name a phrase rather than a word list:
- a phrase that titles mostly continue ("test-time" in "Test-Time Scaling", "GUI" in "GUI
  Agents") is a modifier, so it is extended by its most common continuation in the topic; but a
  noun that titles also use alone ("audio", "speech"), whose continuations are each in few of
  the topic's titles, names the topic itself ("Audio & speech", not "Audio-visual segmentation");
- a phrase mostly seen inside a longer one ("editing" in "image editing") becomes the longer one;
- a second phrase that repeats the first (a shared word, its acronym, or the words an acronym
  in it stands for: "language model serving" beside "LLM inference") is skipped, and a
  first or last word both share is said once ("LLM inference & serving", "GUI & web agents");
- a name that is still one word takes the phrase its abstracts most often hold it in
  ("retrieval": "dense retrieval").
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from .keywords import is_acronym

SAMPLE = 20000  # titles read for the corpus-wide counts (evenly spaced past this)
FORM_SAMPLE = 300  # a topic's titles (and abstracts) read for how a phrase is written
MAX_TOKENS = 3  # words of a phrase (a hyphenated compound is one word)
MIN_LIFT = 2.0  # a name phrase is at least this much more common in the topic than overall
MIN_SHARE = 0.03  # ... and in at least this share of the topic's titles (and two of them)
MODIFIER = 0.6  # a phrase continued this often is a modifier
STRONG_MODIFIER = 0.85  # a word continued this often ("large", "multimodal") is never a name's end
CONTAINED = 0.6  # a phrase this often inside one longer phrase is that phrase
SINGLE_WORD = 0.6  # a single word's score is weighed down: phrases name a topic better
SECOND = 0.3  # a second phrase joins the name when it scores this much of the first
MAX_NAME = 48  # ... and the two are no longer than this

_SEGMENT = re.compile(r"[:;,.!?()\[\]{}\"“”|/&+]|\s[-–—]+\s|\s[-–—]+|[-–—]+\s")
_TOKEN = re.compile(r"[A-Za-z0-9]+(?:-[A-Za-z0-9]+)*")
GLUE = frozenset({"of", "to"})  # inside a phrase ("mixture of experts"), never at its ends
# function words, and title words that frame a title rather than name a subject (a list of
# its own: the abstracts' stop words hold "models", "system", "computer" and "full")
TITLE_STOP = frozenset("""
    a an the and or but nor of to for with without within in on at by from into onto over under about
    across after against among around as before behind below between during except inside near
    off out outside since than through throughout till until up upon is are be been being was
    were do does did can could may might must shall should will would it its this that these
    those their they them we our us you your i me my he she his her what which who whom whose
    when where why how all any both each few more most other some such no not only own same so
    too very just also there here if then else whether while yet again further once ever need
    """.split()) | frozenset({
    "via", "towards", "toward", "using", "based", "beyond", "rethinking", "revisiting", "unlocking",
    "unleashing", "enhancing", "improving", "boosting", "empowering", "bridging", "leveraging",
    "understanding", "exploring", "investigating", "evaluating", "benchmarking", "assessing", "measuring",
    "probing", "vs", "versus", "new", "novel", "simple", "comprehensive", "systematic", "empirical", "holistic",
    # verbs a title puts after its subject ("Open-Source LLMs Enable ...", "Scaling Laws Meet ..."),
    # only those that are seldom nouns ("dark matter", "crop yield", "beat tracking" stay whole)
    "enable", "enables", "meet", "meets", "fail", "fails", "outperform", "outperforms", "reveal", "reveals",
    "knows", "thinks", "become", "becomes",
})
# words too general to name a topic alone, fine inside a phrase ("diffusion language models")
GENERIC = frozenset({
    "model", "models", "large", "language", "llm", "llms", "learning", "network", "networks", "neural",
    "data", "method", "methods", "framework", "approach", "system", "systems", "efficient", "benchmark",
    "task", "tasks", "study", "analysis", "deep", "ai", "generation", "training", "performance",
    "multi", "survey", "evaluation", "scale", "scaling", "towards", "dataset", "datasets", "agent", "agents",
})


def singular(word: str) -> str:
    """A plural's singular, roughly: what a key folds its last word to."""
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def title_runs(title: str) -> list[list[str]]:
    """The runs of words of a title between punctuation and stop words ("of" and "to" stay, as
    glue); each word lowercased, a hyphenated compound one word."""
    runs = []
    for segment in _SEGMENT.split(title):
        run: list[str] = []
        for token in _TOKEN.findall(segment):
            low = token.lower()
            if low.isdigit() or (low in TITLE_STOP and low not in GLUE):
                if run:
                    runs.append(run)
                run = []
            else:
                run.append(low)
        if run:
            runs.append(run)
    return runs


def _key(words: Sequence[str]) -> str:
    parts = " ".join(words).replace("-", " ").split()
    return " ".join(parts[:-1] + [singular(parts[-1])])


def phrases(title: str) -> dict[str, bool]:
    """Each phrase of a title (its key: lowercase, hyphens as spaces, the last word singular),
    and whether a word follows it within its run (it is continued)."""
    out: dict[str, bool] = {}
    for run in title_runs(title):
        for i in range(len(run)):
            if run[i] in GLUE:
                continue
            for j in range(i + 1, min(i + MAX_TOKENS, len(run)) + 1):
                if run[j - 1] in GLUE:
                    continue
                key = _key(run[i:j])
                continued = j < len(run) and run[j] not in GLUE
                out[key] = out.get(key, False) or continued
    return out


@dataclass(frozen=True)
class PhraseStats:
    """Title phrases of a corpus (of every ``step``-th title past SAMPLE titles): each phrase
    in two titles or more, in how many titles it appears and in how many it is continued, and
    which phrases each read title holds (CSR rows: ``indptr``, ``indices`` into ``keys``)."""

    keys: tuple[str, ...]
    df: dict[str, int]
    continued: dict[str, int]
    indptr: np.ndarray
    indices: np.ndarray
    step: int

    @property
    def titles(self) -> int:
        return len(self.indptr) - 1

    def counts(self, members: np.ndarray) -> tuple[Counter, int]:
        """In how many of the read titles among ``members`` (corpus rows) each phrase appears
        (those in two or more), and how many titles that is."""
        rows = np.asarray(members)
        rows = rows[rows % self.step == 0] // self.step
        if not len(rows):
            return Counter(), 0
        starts, ends = self.indptr[rows], self.indptr[rows + 1]
        idx = np.concatenate([self.indices[a:b] for a, b in zip(starts.tolist(), ends.tolist())])
        c = np.bincount(idx, minlength=len(self.keys)) if len(idx) else np.zeros(0, int)
        return Counter({self.keys[i]: int(c[i]) for i in np.flatnonzero(c >= 2).tolist()}), len(rows)


def phrase_stats(titles: Sequence[str]) -> PhraseStats:
    step = max(1, math.ceil(len(titles) / SAMPLE))
    df: Counter = Counter()
    continued: Counter = Counter()
    found = [phrases(title) for title in titles[::step]]
    for f in found:
        df.update(f.keys())
        continued.update(k for k, c in f.items() if c)
    keys = tuple(sorted(k for k, v in df.items() if v >= 2))
    index = {k: i for i, k in enumerate(keys)}
    rows = [sorted(index[k] for k in f if k in index) for f in found]
    indptr = np.zeros(len(rows) + 1, dtype=np.int64)
    indptr[1:] = np.cumsum([len(r) for r in rows])
    indices = np.fromiter((i for r in rows for i in r), dtype=np.int32, count=int(indptr[-1]))
    return PhraseStats(keys, {k: df[k] for k in keys}, {k: continued[k] for k in keys if continued[k]}, indptr, indices, step)


def _words(key: str) -> list[str]:
    return [w for w in key.split() if w not in GLUE]


def _generic(key: str) -> bool:
    return all(w in GENERIC or singular(w) in GENERIC for w in _words(key))


def _acronyms(key: str) -> set[str]:
    """What a phrase's acronym may be: initials, with or without its glue words, a short word
    perhaps whole ("multimodal LLM": ML, MLLM)."""
    out = {""}
    for w in key.split():
        options = {w[0], w} if len(w) <= 4 else {w[0]}
        out = {a + o for a in out for o in options} | (out if w in GLUE else set())
    return {a for a in out if len(a) >= 2 and a != key.replace(" ", "")}


def _heads(word: str, key: str) -> bool:
    """``word`` is an acronym (no vowel) ending in the initials of two or more adjacent words
    of ``key``: it names what they name, qualified ("LLM", "VLM": "language model"; "GNN":
    "neural network")."""
    if any(c in "aeiou" for c in word):
        return False
    words = _words(key)
    return any(word.endswith("".join(w[0] for w in words[i:j]))
               for i in range(len(words)) for j in range(i + 2, len(words) + 1))


def repeats(a: str, b: str) -> bool:
    """Two phrases that say the same thing: a shared word (plurals and -ing forms alike), or
    one is the other's acronym ("GUI" and "graphical user interface"), or names what part of
    the other names ("LLM inference" and "language model serving")."""
    wa = {singular(w) for w in _words(a) if w not in GENERIC and singular(w) not in GENERIC}
    wb = {singular(w) for w in _words(b) if w not in GENERIC and singular(w) not in GENERIC}
    for x in wa:
        for y in wb:
            short, long_ = sorted((x, y), key=len)
            if short == long_ or (len(short) >= 4 and long_.startswith(short)):
                return True
    for p, q in ((a, b), (b, a)):
        acronyms = _acronyms(p)
        if any(w in acronyms or singular(w) in acronyms or _heads(singular(w), p) for w in q.split()):
            return True
    return False


def _contains(longer: str, shorter: str) -> bool:
    return longer != shorter and f" {shorter} " in f" {longer} "


def _modifier(key: str, stats: PhraseStats, share: float = MODIFIER) -> bool:
    df = stats.df.get(key, 0)
    return bool(df) and stats.continued.get(key, 0) / df >= share


def noun(key: str, stats: PhraseStats) -> bool:
    """A word that titles mostly use as a modifier but also alone ("audio", "speech", "video"):
    unlike a pure modifier ("scientific", "multi-agent"), it can end a name."""
    return " " not in key and _modifier(key, stats) and not _modifier(key, stats, STRONG_MODIFIER)


def _resolve(key: str, counts: Counter, stats: PhraseStats, abstracts: Sequence[str] = ()) -> str | None:
    """The phrase a name uses for ``key``: extended while titles (else the ``abstracts``)
    continue it; None for a modifier the topic's papers do not continue twice the same way."""
    for _ in range(2 * MAX_TOKENS):
        df = stats.df.get(key, 0)
        if not df:
            # continued by the abstracts: again only while its last word is a modifier in
            # titles ("multimodal large" goes on; running text may put a verb after a noun)
            if not _modifier(key.split()[-1], stats, STRONG_MODIFIER):
                return key
            key = continuation(key, abstracts)
            if key is None:
                return None
        elif _modifier(key, stats):
            longer = [k for k in counts if k.startswith(key + " ") and counts[k] >= 2]
            key = min(longer, key=lambda k: (-counts[k], len(k), k)) if longer else continuation(key, abstracts)
            if key is None:
                return None
        else:
            bigger = [k for k in counts if _contains(k, key) and counts[k] >= CONTAINED * counts[key]]
            if not bigger:
                return key
            key = min(bigger, key=lambda k: (-counts[k], len(k), k))
    return key


def abstract_phrase(word: str, abstracts: Sequence[str], floor: int, stats: PhraseStats | None = None) -> str | None:
    """The phrase of ``word`` (a key) and one word more that most of ``abstracts`` use (``floor``
    of them at least), its other word not a generic one ("dense retrieval", not "retrieval
    model"; "supervised fine-tuning" for "fine tuning"); one
    that the corpus's titles use too (``stats``) first, since a name is what titles call a
    subject ("adversarial attacks" before "attack success", a rate). The most used, not the
    most specific: a topic of reasoning papers is "reasoning capabilities" rather than the
    "mathematical reasoning" of a few of them."""
    counts: Counter = Counter()
    own = word.split()  # a hyphenated compound's key has its parts ("fine tuning")
    for abstract in abstracts:
        counts.update({k for k in phrases(abstract) if len(k.split()) == len(own) + 1 and _contains(k, word)
                       and not any(w in GENERIC or singular(w) in GENERIC for w in k.split() if w not in own)})
    for titled in (True, False) if stats is not None else (False,):
        found = [(c, k) for k, c in counts.items() if c >= floor and (not titled or stats.df.get(k, 0) >= 2)]
        if found:
            return min(found, key=lambda ck: (-ck[0], ck[1]))[1]
    return None


def as_phrase(key: str, titles: Sequence[str], abstracts: Sequence[str], stats: PhraseStats | None = None) -> str | None:
    """A phrase for a one-word name (``key``): the phrase the ``abstracts`` hold it in
    (abstract_phrase); else, for a compound the ``titles`` (else the abstracts) write with a
    hyphen ("open-source", "real-world"), which mostly qualifies what follows, the word the
    abstracts most often put after it, a generic one too ("open-source models"). None when the
    abstracts agree on neither."""
    floor = max(2, math.ceil(MIN_SHARE * len(abstracts)))
    held = abstract_phrase(key, abstracts, floor, stats)
    if held is None and "-" in written_form(key, titles, abstracts):
        held = continuation(key, abstracts, floor)
        # on past a word that is itself mostly continued ("fine-tuning large": "... language models")
        for _ in range(MAX_TOKENS):
            if held is None or not _goes_on(held, abstracts):
                break
            held = continuation(held, abstracts, floor)
    return held


def _goes_on(key: str, texts: Sequence[str]) -> bool:
    """Is ``key`` mostly followed by another word of its phrase in ``texts`` (a modifier)?"""
    pattern = re.compile(_pattern(key) + r"(?![A-Za-z0-9])(?:[- ]([A-Za-z][A-Za-z0-9]*))?", re.IGNORECASE)
    uses = continued = 0
    for text in texts:
        for m in pattern.finditer(text):
            uses += 1
            continued += bool(m.group(1)) and m.group(1).lower() not in TITLE_STOP
    return uses > 0 and continued >= STRONG_MODIFIER * uses


def one_phrase(name: str, titles: Sequence[str], abstracts: Sequence[str], taken=None, stats: PhraseStats | None = None) -> str:
    """``name`` (a topic's), made a phrase by as_phrase when it is one word ("Open-source":
    "Open-source models"), unless ``taken`` (taken_by) says the phrase; ``stats``: the corpus's
    title phrases, whose phrases come first (abstract_phrase)."""
    if " " in name or not _ALNUM.search(name.lower()):
        return name
    read, abstracts = sample(titles), sample(abstracts)
    held = as_phrase(_key(name.lower().split()), read, abstracts, stats)
    if held is None:
        return name
    written = written_form(held, read, abstracts)
    if taken is not None and taken(held, written):
        return name
    return written[0].upper() + written[1:]


def _pattern(key: str) -> str:
    """A phrase as a regular expression: from a word's start, hyphens or spaces between its
    words, the last plural or not."""
    parts = key.split()
    return r"(?<![A-Za-z0-9-])" + r"[- ]".join([*map(re.escape, parts[:-1]), re.escape(parts[-1]) + r"(?:s|es)?"])


_ALNUM = re.compile(r"[a-z0-9]+")


def name_phrases(name: str) -> list[str]:
    """The phrases a topic's name joins ("X & Y", or "X: Y" for a name extended)."""
    return re.split(r" & |: ", name)


def barred_phrases(name: str) -> list[str]:
    """The phrases of a topic's name that another name may not share (taken_by): its parts of
    two words or more (a lone word, "serving" of "LLM inference & serving", would bar too much)."""
    return [part for part in name_phrases(name) if " " in _phrase_words(part)]


def name_says(name: str):
    """What a topic's name says, as a test of a text: does it use every word of one of the
    name's phrases ("Instruction tuning & data selection": "instruction" and "tuning", or "data"
    and "selection"), in any order, plural or not. Looser than the phrase itself, which papers
    on the subject vary ("test-time compute scaling", "long-context modelling in LLMs"). A plural
    in the name is said by the singular too ("Scaling laws": "a scaling law")."""
    parts = [[singular(w) for w in _ALNUM.findall(part.lower())] for part in name_phrases(name)]
    tests = [[(w, re.compile(r"(?<![a-z0-9])" + w + r"(?:s|es)?(?![a-z0-9])")) for w in words] for words in parts if words]

    def says(text: str) -> bool:
        low = text.lower()
        # a substring test first: most texts fail it, cheaply
        return any(all(w in low and word.search(low) for w, word in words) for words in tests)

    return says


def named_in(name: str, papers) -> int:
    """How many of ``papers`` say ``name`` (name_says) in title or abstract: a name drawn from a
    few of a loose cluster's titles can describe the few, not the topic."""
    says = name_says(name)
    return sum(1 for p in papers if says(f"{p.title}\n{p.abstract}"))


def continuation(key: str, texts: Sequence[str], floor: int = 2) -> str | None:
    """``key`` and the word most often after it in ``texts`` (``floor`` times at least), or None."""
    pattern = re.compile(_pattern(key) + r"[- ]([A-Za-z][A-Za-z0-9]*(?:-[A-Za-z0-9]+)*)", re.IGNORECASE)
    counts: Counter = Counter()
    for text in texts:
        for m in pattern.finditer(text):
            word = m.group(1).lower()
            if word not in TITLE_STOP:
                counts[singular(word.replace("-", " "))] += 1
    best = min(counts.items(), key=lambda kv: (-kv[1], kv[0]), default=("", 0))
    return f"{key} {best[0]}" if best[1] >= floor else None


def sample(texts: Sequence[str]) -> Sequence[str]:
    """At most about FORM_SAMPLE of ``texts``, evenly spaced: enough to see how a phrase is written."""
    return texts[:: max(1, math.ceil(len(texts) / FORM_SAMPLE))]


def written_form(key: str, titles: Sequence[str], abstracts: Sequence[str] = ()) -> str:
    """How the titles write a phrase most often: acronyms and names as written ("GUI",
    "SN-Net", "LoRA"), ordinary words lowercase, hyphens where the titles put them."""
    pattern = re.compile(_pattern(key) + r"(?![A-Za-z0-9])", re.IGNORECASE)
    counts: Counter = Counter()
    for texts in (titles, abstracts):  # abstracts only for a phrase no title writes
        for text in texts:
            for m in pattern.finditer(text):
                counts[" ".join(cased(t) for t in m.group(0).split())] += 1
        if counts:
            break
    if not counts:
        return key
    return min(counts.items(), key=lambda kv: (-kv[1], kv[0]))[0]


def cased(token: str) -> str:
    # a compound keeps its capitals when a part is an acronym ("SN-Net", "LLM-based", "3D")
    keep = any(sum(ch.isupper() for ch in part) >= 2 or (part[0].isdigit() and not part.isdigit()) for part in token.split("-"))
    return token if keep else token.lower()


def _phrase_words(phrase: str) -> str:
    """A phrase's words, singular and lowercase, hyphens and punctuation aside, space-joined."""
    return " ".join(singular(w) for w in _ALNUM.findall(phrase.lower()))


def taken_by(phrases: Sequence[str], names: Sequence[str] = ()):
    """A test of a name's phrase: does it say one of ``phrases`` (the named topics' names and
    keywords), their words in a row in it, hyphens, case and plurals aside ("Mixture-of-experts
    training" says "mixture of experts"; "data parallelism" does not say "expert parallelism";
    "*" stands for up to two words, as in keywords). An acronym keyword ("MoE", "ZeRO") is said
    only as written, as keywords match it: ``form`` (the phrase as written, or a function giving
    it) tells "ZeRO offloading" from "zero-shot". A clustered topic named so would read as a
    second copy of the named topic, which lists those papers already.

    ``names``: phrases of other clustered topics' names, which a phrase may not say nor be said
    by ("reinforcement learning" beside "reinforcement learning for reasoning")."""
    words, acronyms = [], []
    for phrase in phrases:
        if is_acronym(phrase):
            acronyms.append(phrase.strip())
        elif parts := [w for w in (_phrase_words(part) for part in phrase.split("*")) if w]:
            words.append(r"(?: \S+){0,2} ".join(map(re.escape, parts)))
    said = re.compile(r"(?<!\S)(?:" + "|".join(words) + r")(?!\S)") if words else None
    alternatives = "|".join(re.escape(a) for a in acronyms)
    lowered = re.compile(r"(?<!\S)(?:" + alternatives.lower() + r")(?:s|es)?(?!\S)") if acronyms else None
    written = re.compile(r"(?:" + alternatives + r")(?:s|es)?(?![a-z])") if acronyms else None
    others = [f" {key} " for key in map(_phrase_words, names) if " " in key]

    def says(phrase: str, form=None) -> bool:
        key = _phrase_words(phrase)
        if said is not None and said.search(key):
            return True
        if lowered is not None and lowered.search(key):
            if form is None or written.search(form() if callable(form) else form):
                return True
        return " " in key and any(f" {key} " in other for other in others)

    return says


def title_name(members: np.ndarray, stats: PhraseStats, titles: Sequence[str], abstracts: Sequence[str] = (),
               taken=None) -> str | None:
    """A topic's name from the titles of its papers (``members``: their corpus rows, as in
    ``stats``; ``titles`` and ``abstracts``: theirs): one or two phrases, none that ``taken``
    (taken_by) says; None when no phrase is common and distinctive enough in them. A modifier
    the titles do not continue alike is continued as the abstracts most often do
    ("long-context" to "long-context inference")."""
    counts, n = stats.counts(members)
    read, abstracts = sample(titles), sample(abstracts)
    floor = max(2, math.ceil(MIN_SHARE * n))
    scored = []
    for key, c in counts.items():
        if c < floor or _generic(key):
            continue
        lift = (c / n) / ((stats.df.get(key, 0) + 1) / (stats.titles + 1))
        if lift < MIN_LIFT:
            continue
        weight = SINGLE_WORD if len(key.split()) == 1 else 1.0
        scored.append((-(c / n) * math.log(lift) * weight, key))
    scored.sort()
    score_of = {key: score for score, key in scored}

    written: dict[str, str] = {}

    def form(phrase: str) -> str:
        if phrase not in written:
            written[phrase] = written_form(phrase, read, abstracts)
        return written[phrase]

    def is_taken(phrase: str) -> bool:
        return taken is not None and taken(phrase, lambda: form(phrase))

    def word(phrase: str) -> bool:
        """One word as the titles write it, a hyphenated compound too ("fine-tuning")."""
        return " " not in phrase or " " not in form(phrase)

    def narrow(key: str, phrase: str) -> bool:
        """``key`` continued to a phrase of few of the topic's titles ("audio": "audio-visual
        segmentation")."""
        return phrase != key and 0 < counts.get(phrase, 0) < floor

    chosen: list[tuple[float, str]] = []
    for score, key in scored:
        phrase = _resolve(key, counts, stats, abstracts)
        whole = phrase is not None and narrow(key, phrase) and noun(key, stats)
        if whole:
            phrase = key  # the noun names the topic better than one narrow use of it
        if phrase is None or _generic(phrase) or is_taken(phrase):
            continue
        if word(phrase) and not whole:
            # a word, unless a phrase holding it scores nearly as well ("editing": "image editing")
            holders = [(s, k) for k, s in score_of.items() if _contains(k, phrase) and s <= CONTAINED * score]
            if holders:
                held = _resolve(min(holders)[1], counts, stats, abstracts)
                phrase = held if held and not is_taken(held) else phrase
        if chosen and " " not in phrase and not (noun(phrase, stats) and noun(chosen[0][1], stats)):
            continue  # a second phrase, not a second word: "X & Y" should read as two phrases (two nouns do)
        if any(repeats(phrase, c) or _contains(c, phrase) for _, c in chosen):
            continue
        if chosen and (score > SECOND * chosen[0][0] or len(chosen[0][1]) + len(phrase) > MAX_NAME):  # scores are negated
            break
        chosen.append((score, phrase))
        if len(chosen) == 2:
            break
    if not chosen:
        return None
    if len(chosen) == 1 and word(chosen[0][1]):
        # a word alone is no name ("Retrieval", "Fine-tuning"): the phrase the abstracts hold
        # it in ("dense retrieval", "supervised fine-tuning")
        held = as_phrase(chosen[0][1], read, abstracts, stats)
        held = held and (_resolve(held, counts, stats, abstracts) or held)
        if held and not is_taken(held):
            chosen[0] = (chosen[0][0], held)
    forms = [form(k).split() for _, k in chosen]
    if len(forms) == 2 and min(map(len, forms)) >= 2:
        if forms[0][0].lower() == forms[1][0].lower():
            forms[1] = forms[1][1:]  # a shared first word once: "LLM inference & serving"
        elif singular(forms[0][-1].lower()) == singular(forms[1][-1].lower()):
            forms[0] = forms[0][:-1]  # ... and a shared last word: "GUI & web agents"
    name = " & ".join(" ".join(f) for f in forms)
    return name[0].upper() + name[1:]
