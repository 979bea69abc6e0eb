"""JSON Lines and Hugging Face API readers: on the shared real samples (skipped when absent) and
on small fixtures; the same paper in several formats merges into one."""

import gzip
import json
from pathlib import Path

import pytest

from site_src.errors import ContentError
from site_src.load import read_one
from site_src.merge import merge_papers
from site_src.readers.hf_api import HFAPIReader
from site_src.readers.hf_text import HFTextReader
from site_src.readers.jsonl import JSONLReader

from conftest import CORPORA, corpus


def read(reader, path: Path):
    warnings = []
    return list(reader.read(path, path.name, warnings)), warnings


def test_hf_api_responses_as_served():
    folder = corpus("hf_api")
    for path in sorted(folder.glob("*.json")):
        raw = json.loads(path.read_text(encoding="utf-8"))
        papers, warnings = read(HFAPIReader(), path)
        assert warnings == []
        assert len(papers) == len(raw), path.name
        for p, item in zip(papers, raw):
            assert p.title == " ".join(item["paper"]["title"].split())
            assert p.arxiv_id == item["paper"]["id"]
            assert p.upvotes == item["paper"].get("upvotes")
            assert p.date is not None and p.date.year >= 2024
            visible = [a for a in item["paper"]["authors"] if not a.get("hidden")]
            assert p.author_count == len(visible)


def test_hf_daily_jsonl_sample_streams(tmp_path):
    src = corpus("hf_daily_papers_2024-05_2026-08.jsonl.gz")
    sample = tmp_path / "sample.jsonl.gz"
    with gzip.open(src, "rt", encoding="utf-8") as fh, gzip.open(sample, "wt", encoding="utf-8") as out:
        rows = [next(fh) for _ in range(500)]
        out.writelines(rows)
    papers, warnings = read(JSONLReader(), sample)
    assert warnings == [] and len(papers) == 500
    recs = [json.loads(r) for r in rows]
    assert [p.arxiv_id for p in papers] == [r["arxiv_id"] for r in recs]
    assert all(p.abstract and p.date and p.date.year for p in papers)
    assert [p.author_count for p in papers] == [r["author_count"] for r in recs]
    assert [p.upvotes for p in papers] == [r["upvotes"] for r in recs]


def test_arxiv_jsonl_categories():
    src = corpus("arxiv_ml_nlp_2025-03_2026-07.jsonl.gz")
    papers = []
    reader = JSONLReader()
    warnings = []
    for p in reader.read(src, src.name, warnings):
        papers.append(p)
        if len(papers) == 300:
            break
    assert warnings == [] and all(p.categories for p in papers)


def test_same_paper_in_three_formats_merges(tmp_path):
    abstract = "We propose a sparse mixture of experts with learned routing and show gains. " * 5
    (tmp_path / "a.jsonl").write_text(json.dumps({"arxiv_id": "2501.00001", "title": "Routing Experts Well", "abstract": abstract,
                                                 "date": "2025-01-02", "upvotes": 7, "author_count": 3}) + "\n")
    (tmp_path / "b.json").write_text(json.dumps([{"paper": {"id": "2501.00001", "title": "Routing  Experts Well", "summary": abstract,
                                                            "upvotes": 9, "authors": [{"name": "A"}]}, "publishedAt": "2025-01-02T00:00:00Z"}]))
    (tmp_path / "c.txt").write_text(f"Daily Papers\n\nRouting Experts Well\n\n{abstract.strip()}\n\n• 3 authors\n·\nJan 2, 2025 11\n")
    records = []
    for reader, name in [(JSONLReader(), "a.jsonl"), (HFAPIReader(), "b.json"), (HFTextReader(), "c.txt")]:
        got, warnings = read(reader, tmp_path / name)
        assert warnings == [], name
        records += got
    merged = merge_papers(records)
    assert len(merged) == 1
    paper = merged[0]
    assert paper.arxiv_id == "2501.00001"
    assert sorted(s.file for s in paper.sources) == ["a.jsonl", "b.json", "c.txt"]


def test_corpora_location_is_beside_the_repo():
    assert CORPORA.name == "corpora" and CORPORA.parent.name == "shared"


def test_latex_ties_read_as_spaces_in_every_format(tmp_path):
    from site_src.readers import read_dump

    abstract = ("Large Language Models~(LLMs) grow, as Table~3 shows (Smith et al.~[4]); ours is ~3x faster, "
                "from 5.5~221.3 tokens, at 30~FPS.")
    (tmp_path / "papers").mkdir()
    (tmp_path / "papers" / "a.jsonl").write_text(json.dumps({"title": "Caching~(KV) Made Simple", "abstract": abstract}) + "\n")
    [paper] = read_dump(tmp_path / "papers" / "a.jsonl", tmp_path, year=None, warnings=[])
    assert paper.title == "Caching (KV) Made Simple"
    assert paper.abstract == ("Large Language Models (LLMs) grow, as Table 3 shows (Smith et al. [4]); ours is ~3x "
                              "faster, from 5.5~221.3 tokens, at 30~FPS.")


def test_arxiv_ids_in_any_form_are_one_paper_and_other_ids_name_none(tmp_path):
    rec = {"title": "A Paper", "abstract": "An abstract that says what the paper does, at length."}
    forms = ["2405.15738", "2405.15738v2", "arXiv:2405.15738", "https://arxiv.org/abs/2405.15738v1"]
    lines = [dict(rec, arxiv_id=f) for f in forms]
    lines += [dict(rec, title=f"Other paper {i}", id=i % 3) for i in range(6)]  # a generic id
    lines.append(dict(rec, title="Bad id", arxiv_id="not-an-id"))
    path = tmp_path / "ids.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in lines) + "\n")
    papers, warnings = read(JSONLReader(), path)
    assert [p.arxiv_id for p in papers[:4]] == ["2405.15738"] * 4
    assert all(p.arxiv_id is None for p in papers[4:])
    assert len(merge_papers(papers)) == 1 + 6 + 1
    assert [(w.line, "not an arXiv id" in w.message) for w in warnings] == [(11, True)]


def test_odd_field_types_and_a_byte_order_mark_lose_no_record(tmp_path):
    recs = [{"title": "Numbers for authors", "abstract": "An abstract long enough to be one.", "authors": [1, 2]},
            {"title": "A number for a date", "abstract": "An abstract long enough to be one.", "publishedAt": 1717000000}]
    path = tmp_path / "odd.jsonl.gz"
    with gzip.open(path, "wb") as fh:
        fh.write(b"\xef\xbb\xbf" + "\n".join(json.dumps(r) for r in recs).encode())
    papers, _ = read(JSONLReader(), path)
    assert [(p.title, p.author_count) for p in papers] == [("Numbers for authors", 2), ("A number for a date", None)]
    api = tmp_path / "odd.json"
    api.write_text(json.dumps([{"publishedAt": 5, "paper": {"id": "2405.1", "title": "T", "summary": "An abstract."}}]))
    papers, _ = read(HFAPIReader(), api)
    assert [p.title for p in papers] == ["T"] and papers[0].date is None


def test_code_addresses_keep_the_underscores_latex_escapes():
    from site_src.readers.hf_text import code_urls
    assert code_urls(r"Code: https://github.com/simBauer/To\_Glue\_or\_not\_to\_Glue.") == ("https://github.com/simBauer/To_Glue_or_not_to_Glue",)


def test_hf_api_dates_are_the_listing_day():
    """As the JSONL corpora date papers: the day on Daily Papers, not arXiv's time of day."""
    folder = corpus("hf_api")
    for path in sorted(folder.glob("*.json")):
        papers, _ = read(HFAPIReader(), path)
        day = tuple(int(part) for part in path.stem.split("-"))  # the files are named by their listing day
        assert sum((p.date.year, p.date.month, p.date.day) == day for p in papers) >= 0.9 * len(papers), path.name


def test_a_json_array_named_jsonl_and_json_lines_named_json_read_as_what_they_hold(tmp_path):
    recs = [{"arxiv_id": f"2501.0000{i}", "title": f"Paper {i}", "abstract": "An abstract long enough to be one.",
             "date": f"2025-01-0{i + 1}", "authors": ["A. Author", "B. Author"], "publishedAt": "2024-12-31T00:00:00Z"} for i in range(3)]
    array = tmp_path / "array.jsonl"
    array.write_text("\n" + json.dumps(recs, indent=2))  # pretty-printed: one record spans lines
    lines = tmp_path / "lines.json"
    lines.write_text("\n".join(json.dumps(r) for r in recs) + "\n")
    packed = tmp_path / "array.jsonl.gz"
    with gzip.open(packed, "wt") as fh:
        fh.write(json.dumps(recs))
    for reader, path in [(JSONLReader(), array), (HFAPIReader(), lines), (JSONLReader(), packed)]:
        papers, warnings = read(reader, path)
        assert warnings == [], path.name
        assert [(p.title, p.arxiv_id, p.date.day, p.author_count) for p in papers] == [(f"Paper {i}", f"2501.0000{i}", i + 1, 2) for i in range(3)]
    bad = tmp_path / "bad.jsonl"
    bad.write_text('[\n{"title": "A", "abstract": "B"},\n{"title": \n')
    with pytest.raises(ContentError) as exc:  # a broken array names the line it breaks off at
        read(JSONLReader(), bad)
    assert (exc.value.file, exc.value.line) == ("bad.jsonl", 4)
    twice = tmp_path / "twice.jsonl"  # a second array pasted after the first is reported, not lost unseen
    twice.write_text(json.dumps(recs[:2]) + "\n" + json.dumps(recs[2:]) + "\n")
    kept, found = read_one(twice, tmp_path, None)
    assert [p.title for p in kept] == ["Paper 0", "Paper 1"]
    assert [(w.line, "after the end of the JSON array" in w.message) for w in found] == [(2, True)]
    spread = tmp_path / "spread.json"  # one object over many lines: one clear error
    spread.write_text(json.dumps({"papers": recs}, indent=2))
    with pytest.raises(ContentError) as exc:
        read(HFAPIReader(), spread)
    assert exc.value.line == 1 and "one JSON object over many lines" in exc.value.message


def test_what_the_content_dir_holds_that_no_part_of_the_build_reads_is_a_warning(tmp_path):
    """A Hugo-style posts/ folder, a page or dump beside the folders, a note that is not .md:
    each had been left out of the site without a word, --strict passing."""
    from site_src.readers import find_content

    for folder in ("papers", "pages", "topics", "posts", ".git"):
        (tmp_path / folder).mkdir()
    (tmp_path / "posts/first.md").write_text("# First\n")
    (tmp_path / "misplaced.md").write_text("# Misplaced\n")
    (tmp_path / "listing.txt").write_text("A dump\n")
    (tmp_path / "topics.lock.json").write_text("{}")  # the build's own
    (tmp_path / "topics/moe.txt").write_text("notes\n")
    (tmp_path / "topics/kv-cache.md").write_text("notes\n")
    (tmp_path / "README.md").write_text("What this folder is\n")
    warnings = []
    files = find_content(tmp_path, warnings)
    assert [p.name for p in files.topic_notes] == ["kv-cache.md"] and warnings == []
    assert sorted(str(w) for w in files.unread) == [
        "listing.txt: not read: dumps go in papers/ (papers/listing.txt)",
        "misplaced.md: not read: pages go in pages/ (pages/misplaced.md)",
        "posts/: not read: the content dir holds papers/ (dumps), pages/ (pages and the files they use) and topics/ (topic notes);"
        " move it under pages/ to publish it",
        "topics/moe.txt: not a topic note (topic notes are .md files named by a topic's slug: topics/moe.md), ignored",
    ]
    # a content dir that is the project's folder holds the project's files: not checked
    (tmp_path / "researchmap.toml").write_text("")
    assert [str(w) for w in find_content(tmp_path, []).unread] == [
        "topics/moe.txt: not a topic note (topic notes are .md files named by a topic's slug: topics/moe.md), ignored"]
