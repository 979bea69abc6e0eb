"""Property-based tests of every reader (hypothesis).

Round trips: entries written in a format read back equal. Arbitrary bytes: a reader raises
nothing but its own ContentError. The default run is quick; `make fuzz` sets FUZZ_EXAMPLES
(per test) for a long run, and the terminal summary reports how many inputs were tried.
"""

import gzip
import json
import os
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from site_src.errors import ContentError
from site_src.markdown import split_front_matter
from site_src.models import MONTHS
from site_src.readers.hf_api import HFAPIReader
from site_src.readers.hf_text import HFTextReader
from site_src.readers.jsonl import JSONLReader

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "150"))
RUN = settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck), derandomize=not os.environ.get("FUZZ_EXAMPLES"))
COUNTS: dict[str, int] = {}


def count(name: str) -> None:
    COUNTS[name] = COUNTS.get(name, 0) + 1


def tmpfile(data: bytes, suffix: str) -> Path:
    fd, name = tempfile.mkstemp(suffix=suffix)
    with os.fdopen(fd, "wb") as fh:
        fh.write(data)
    return Path(name)


def read_all(reader, data: bytes, suffix: str):
    path = tmpfile(data, suffix)
    warnings = []
    try:
        return list(reader.read(path, path.name, warnings)), warnings
    finally:
        path.unlink()


# ---- generated entries
words = st.text(alphabet=st.characters(whitelist_categories=("Lu", "Ll", "Nd"), max_codepoint=0x2FFF), min_size=2, max_size=12)
title_st = st.lists(words, min_size=3, max_size=10).map(" ".join).filter(lambda t: t[0].isalpha())
abstract_st = st.lists(words, min_size=40, max_size=80).map(lambda ws: " ".join(ws) + ".")
entry_st = st.fixed_dictionaries(
    {
        "title": title_st,
        "abstract": abstract_st,
        "authors": st.integers(1, 99),
        "upvotes": st.integers(0, 999),
        "date": st.tuples(st.integers(2020, 2026), st.integers(1, 12), st.integers(1, 28)),
    }
)


@RUN
@given(st.lists(entry_st, min_size=1, max_size=5, unique_by=lambda e: e["title"].lower()))
def test_hf_text_round_trip(entries):
    count("hf_text round trip")
    blocks = ["Daily Papers", "Subscribe"]
    for e in entries:
        y, m, d = e["date"]
        blocks += [e["title"], e["abstract"], f"• {e['authors']} authors\n·\n{MONTHS[m - 1]} {d}, {y} {e['upvotes']}"]
    papers, warnings = read_all(HFTextReader(), ("\n\n".join(blocks) + "\n").encode(), ".txt")
    assert warnings == []
    assert [(p.title, p.abstract, p.author_count, p.upvotes) for p in papers] == [
        (e["title"], e["abstract"], e["authors"], e["upvotes"]) for e in entries
    ]
    assert [(p.date.year, p.date.month, p.date.day) for p in papers] == [e["date"] for e in entries]


@RUN
@given(st.lists(entry_st, min_size=1, max_size=5), st.booleans())
def test_jsonl_round_trip(entries, gz):
    count("jsonl round trip")
    lines = "".join(
        json.dumps({"title": e["title"], "abstract": e["abstract"], "author_count": e["authors"], "upvotes": e["upvotes"],
                    "date": "%04d-%02d-%02d" % e["date"]}) + "\n"
        for e in entries
    ).encode()
    papers, warnings = read_all(JSONLReader(), gzip.compress(lines, mtime=0) if gz else lines, ".jsonl.gz" if gz else ".jsonl")
    assert warnings == []
    assert [(p.title, p.abstract, p.author_count, p.upvotes, (p.date.year, p.date.month, p.date.day)) for p in papers] == [
        (e["title"], e["abstract"], e["authors"], e["upvotes"], e["date"]) for e in entries
    ]


@RUN
@given(st.lists(entry_st, min_size=1, max_size=5))
def test_hf_api_round_trip(entries):
    count("hf_api round trip")
    items = [
        {"paper": {"id": f"2601.{i:05d}", "title": e["title"], "summary": e["abstract"], "upvotes": e["upvotes"],
                   "authors": [{"name": f"A{j}"} for j in range(e["authors"])]},
         "publishedAt": "%04d-%02d-%02dT00:00:00.000Z" % e["date"]}
        for i, e in enumerate(entries)
    ]
    papers, warnings = read_all(HFAPIReader(), json.dumps(items, indent=1).encode(), ".json")
    assert warnings == []
    assert [(p.title, p.abstract, p.upvotes, p.author_count) for p in papers] == [
        (e["title"], e["abstract"], e["upvotes"], e["authors"]) for e in entries
    ]


# ---- arbitrary input: only the reader's own error type
junk = st.one_of(
    st.binary(max_size=2000),
    st.text(max_size=2000).map(lambda t: t.encode("utf-8", "surrogatepass")),
    st.lists(st.sampled_from(["{", "}", "[", "]", ",", ":", '"', "\n", "title", "abstract", "null", "1", "\\u", "•", "·", "Mar 3"]),
             max_size=300).map(lambda xs: "".join(xs).encode()),
)


def survives(reader, data: bytes, suffix: str) -> None:
    try:
        papers, warnings = read_all(reader, data, suffix)
    except ContentError as exc:
        assert exc.file and str(exc)
        return
    for p in papers:
        assert p.title.strip() and p.abstract.strip()
    for w in warnings:
        assert w.file and w.message


@RUN
@given(junk)
def test_hf_text_arbitrary_bytes(data):
    count("hf_text arbitrary bytes")
    survives(HFTextReader(), data, ".txt")


@RUN
@given(junk)
def test_jsonl_arbitrary_bytes(data):
    count("jsonl arbitrary bytes")
    survives(JSONLReader(), data, ".jsonl")


@RUN
@given(junk)
def test_jsonl_gz_arbitrary_bytes(data):
    count("jsonl.gz arbitrary bytes")
    survives(JSONLReader(), data, ".jsonl.gz")
    survives(JSONLReader(), gzip.compress(data, mtime=0)[: max(10, len(data) // 2)], ".jsonl.gz")


@RUN
@given(junk)
def test_hf_api_arbitrary_bytes(data):
    count("hf_api arbitrary bytes")
    survives(HFAPIReader(), data, ".json")


@RUN
@given(st.text(max_size=500))
def test_front_matter_arbitrary_text(text):
    count("front matter arbitrary text")
    try:
        split_front_matter(text, "page.md")
    except ContentError:
        pass
