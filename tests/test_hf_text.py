import re
from pathlib import Path

import textwrap

import pytest

from site_src.errors import ContentError
from site_src.models import PaperDate
from site_src.readers.hf_text import HFTextReader

from conftest import SEEDS


def read(path: Path, **kw):
    warnings = []
    papers = list(HFTextReader(**kw).read(path, path.name, warnings))
    return papers, warnings


def naive_entries(path: Path) -> list[str]:
    """An independent count: a title is the short block right before a long abstract block."""
    blocks = [b.strip() for b in path.read_text(encoding="utf-8").split("\n\n") if b.strip()]
    return [blocks[i - 1] for i in range(1, len(blocks)) if len(blocks[i]) > 300 and len(blocks[i - 1]) < 300]


@pytest.mark.parametrize("dump", sorted(SEEDS.glob("*.txt")), ids=lambda p: p.name[:3])
def test_every_seed_entry_is_found_with_clean_fields(dump):
    papers, warnings = read(dump)
    assert warnings == []
    assert [p.title for p in papers] == naive_entries(dump)
    for p in papers:
        assert p.abstract and len(p.abstract) > 100
        assert "authors" not in p.title and "\n" not in p.title
        assert p.source.file == dump.name and p.source.line >= 1
        # chrome never becomes a paper
        assert p.title.lower() not in {"subscribe", "daily papers", "new"}


def test_metadata_fields_on_real_entries():
    papers, _ = read(SEEDS / "003_5a3d286f12db8730.txt")
    by_title = {p.title: p for p in papers}
    mos = by_title["MoS: Unleashing Parameter Efficiency of Low-Rank Adaptation with Mixture of Shards"]
    assert mos.author_count == 8 and mos.date == PaperDate(2024, 10, 1) and mos.upvotes == 0
    seedance = by_title["Seedance 1.0: Exploring the Boundaries of Video Generation Models"]
    assert seedance.author_count == 44 and seedance.date == PaperDate(None, 6, 10) and seedance.upvotes == 9
    elas = by_title["ElasWave: An Elastic-Native System for Scalable Hybrid-Parallel Training"]
    assert elas.author_count == 19
    broRL = next(p for p in papers if p.title.startswith("BroRL"))
    assert (broRL.org_id, broRL.org_name, broRL.upvotes) == ("nvidia", "NVIDIA", 2)
    assert broRL.author_count is None
    cha = next(p for p in papers if p.title.startswith("ChA-MAEViT"))
    assert cha.code_urls == ("https://github.com/chaudatascience/cha_mae_vit",)


def test_dates_without_year_are_never_given_one():
    papers, _ = read(SEEDS / "001_5bcf86a86c974bdf.txt")
    yearless = [p for p in papers if p.date and p.date.year is None]
    assert yearless, "the seeds have dates without a year"
    for p in yearless:
        assert p.date.iso() is None
        assert not re.search(r"\d{4}", p.date.display())


DUMP = """new

Daily Papers

Nov 3

A Study of Things

We study things in depth. This abstract is long enough to be an abstract and it ends with a period, as abstracts do, and goes on for a while.

  • 3 authors
·
Feb 30 4

Title Without Abstract

Second Paper On Stuff

Another abstract that is plainly an abstract because it is long and has sentences. It says what the paper does and how well.

acme ACME Research Lab
·
Mar 2, 2023 17
"""


def test_odd_entries_warn_with_file_and_line(tmp_path):
    path = tmp_path / "odd.txt"
    path.write_text(DUMP)
    papers, warnings = read(path)
    assert [p.title for p in papers] == ["A Study of Things", "Second Paper On Stuff"]
    messages = [str(w) for w in warnings]
    assert any(m.startswith("odd.txt:13:") and "impossible date" in m for m in messages)
    assert any(m.startswith("odd.txt:15:") and "title with no abstract" in m for m in messages)
    assert papers[0].date is None and papers[0].author_count == 3 and papers[0].upvotes == 4
    assert (papers[1].org_id, papers[1].org_name) == ("acme", "ACME Research Lab")
    assert papers[1].date == PaperDate(2023, 3, 2) and papers[1].upvotes == 17


@pytest.mark.parametrize("line, date, upvotes", [
    ("Oct 1 2024", PaperDate(2024, 10, 1), 0),  # typed without the comma: a year, not 2,024 upvotes
    ("Oct 1 2024 12", PaperDate(2024, 10, 1), 12),
    ("Oct 1, 2024 12", PaperDate(2024, 10, 1), 12),
    ("Oct 1 12", PaperDate(None, 10, 1), 12),
    ("Oct 1 1.2k", PaperDate(None, 10, 1), 1200),
    ("Oct 1 3500", PaperDate(None, 10, 1), 3500),  # no year reads so: the upvote count
    ("Oct 1 1999", PaperDate(None, 10, 1), 1999),  # (Daily Papers began in 2023)
    ("Oct 1\n2024", PaperDate(None, 10, 1), 2024),  # a count on a line of its own is never a year
    ("Oct 1\n\n2024", PaperDate(None, 10, 1), 2024),
    ("Oct 1, 2023\n2024", PaperDate(2023, 10, 1), 2024),
])
def test_a_date_line_reads_its_year_and_upvotes_with_or_without_the_comma(tmp_path, line, date, upvotes):
    path = tmp_path / "d.txt"
    path.write_text(DUMP.replace("Mar 2, 2023 17", line))
    papers, _ = read(path)
    assert papers[1].title == "Second Paper On Stuff"
    assert (papers[1].date, papers[1].upvotes) == (date, upvotes)


def test_year_from_dump_front_matter_and_config(tmp_path):
    body = DUMP.replace("Feb 30 4", "Feb 3 4")
    (tmp_path / "a.txt").write_text("---\nyear: 2025\n---\n\n" + body)
    (tmp_path / "b.txt").write_text(body)
    a, _ = read(tmp_path / "a.txt")
    assert a[0].date == PaperDate(2025, 2, 3)
    assert a[1].date == PaperDate(2023, 3, 2)  # an explicit year wins
    b, _ = read(tmp_path / "b.txt", year=2024)
    assert b[0].date == PaperDate(2024, 2, 3)
    # the line alone, without the fences, before the first paper (after the page's chrome)
    (tmp_path / "c.txt").write_text("Daily Papers\n\nYear: 2026\n\n" + body)
    c, warnings = read(tmp_path / "c.txt", year=2024)
    assert [p.title for p in c] == [p.title for p in b] and c[0].date == PaperDate(2026, 2, 3)
    assert not [w for w in warnings if "year" in w.message.lower()]
    (tmp_path / "d.txt").write_text("year: 1066\n\n" + body)
    d, warnings = read(tmp_path / "d.txt", year=2024)
    assert d[0].date == PaperDate(2024, 2, 3) and [(w.line, "not a year" in w.message) for w in warnings][:1] == [(1, True)]
    # quoted, as YAML allows; a key it does not read is said, with its line
    (tmp_path / "e.txt").write_text("---\nyear: \"2025\"\nyaer: 2023\n---\n\n" + body)
    e, warnings = read(tmp_path / "e.txt")
    assert e[0].date == PaperDate(2025, 2, 3)
    assert [(w.line, w.message) for w in warnings if "front matter" in w.message] == [
        (3, "front matter key 'yaer' is not read: a dump's front matter sets only 'year'")]


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-16", "cp1252", "crlf"])
def test_encodings_and_line_endings(tmp_path, encoding):
    text = DUMP.replace("A Study of Things", "A Study of Thïngs")
    path = tmp_path / "enc.txt"
    if encoding == "crlf":
        path.write_bytes(text.replace("\n", "\r\n").encode())
    else:
        path.write_bytes(text.encode(encoding))
    papers, warnings = read(path)
    assert [p.title for p in papers] == ["A Study of Thïngs", "Second Paper On Stuff"]
    if encoding == "cp1252":
        assert any("not valid UTF-8" in w.message for w in warnings)


def test_binary_file_is_a_clear_error(tmp_path):
    path = tmp_path / "x.txt"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00")
    with pytest.raises(ContentError, match="x.txt: looks like a binary file"):
        read(path)


def test_abstract_with_no_title_is_skipped_with_warning(tmp_path):
    path = tmp_path / "a.txt"
    path.write_text("An orphan abstract that is long enough to be an abstract. " * 4 + "\n\nA Title\n\n" + "Its abstract is here. " * 10 + "\n")
    papers, warnings = read(path)
    assert [p.title for p in papers] == ["A Title"]
    assert str(warnings[0]).startswith("a.txt:1: abstract with no title")


def test_a_dump_not_utf8_far_from_its_start_is_still_read_as_windows_1252(tmp_path):
    """The encoding is sniffed from the whole file, not from one 4 KiB buffer."""
    seed = sorted(SEEDS.glob("*.txt"))[1]
    text = seed.read_text(encoding="utf-8")
    assert text.encode("cp1252").find(b"\x95") > 4096  # its first bullet lies past 4 KiB
    path = tmp_path / "cp.txt"
    path.write_bytes(text.encode("cp1252"))
    papers, warnings = read(path)
    expected, _ = read(seed)
    assert [(p.title, p.date, p.upvotes, p.author_count) for p in papers] == [(p.title, p.date, p.upvotes, p.author_count) for p in expected]
    assert len(warnings) == 1 and "Windows-1252" in warnings[0].message


def test_one_stray_byte_in_a_utf8_dump_costs_one_character_not_the_dump(tmp_path):
    """A UTF-8 dump with one byte from another encoding stays UTF-8: read as Windows-1252 its
    bullets and dots turn to mojibake and every paper loses its metadata."""
    seed = sorted(SEEDS.glob("*.txt"))[1]
    raw = seed.read_bytes()
    at = raw.find(b" the ", 2000) + 1  # inside an abstract
    path = tmp_path / "stray.txt"
    path.write_bytes(raw[:at] + b"\xe9" + raw[at:])
    papers, warnings = read(path)
    expected, _ = read(seed)
    assert [(p.date, p.upvotes, p.author_count) for p in papers] == [(p.date, p.upvotes, p.author_count) for p in expected]
    assert [w.line for w in warnings] == [raw[:at].count(b"\n") + 1]
    assert "replaced by" in warnings[0].message and "Windows-1252" not in warnings[0].message


def test_a_windows_1252_dump_whose_first_accent_is_past_the_first_buffers_is_not_read_as_utf8(tmp_path):
    """Real dumps are 150 KB and their first letter beyond ASCII can come after 100 KB: the
    whole file decides, else the accents turn to \ufffd with no warning."""
    path = tmp_path / "late.txt"
    filler = "".join(f"Paper Number {i}\n\n" + "An abstract of plain words about things. " * 12 + "\n\n" for i in range(400))
    text = filler + "Pokémon Café: Naïve Agents\n\n" + "We study résumé screening in a café. " * 12 + "\n\n  • 3 authors\n·\nMar 4, 2025 7\n"
    assert text.encode("cp1252").find(b"\xe9") > 1 << 17
    path.write_bytes(text.encode("cp1252"))
    papers, warnings = read(path)
    assert papers[-1].title == "Pokémon Café: Naïve Agents" and len(papers) == 401
    assert len(warnings) == 1 and "Windows-1252" in warnings[0].message and warnings[0].line == filler.count("\n") + 1


def test_a_double_spaced_copy_reads_as_the_dump_itself(tmp_path):
    """Some copies put a blank line after every line (an editor, a doubled CR-LF conversion)."""
    seed = sorted(SEEDS.glob("*.txt"))[1]
    expected, _ = read(seed)
    assert sum(p.date is not None for p in expected) > 50  # a dump with metadata blocks
    path = tmp_path / "double.txt"
    path.write_bytes(seed.read_bytes().replace(b"\n", b"\r\r\n"))
    papers, warnings = read(path)
    assert warnings == []
    assert [(p.title, p.abstract, p.date, p.upvotes, p.author_count) for p in papers] == \
        [(p.title, p.abstract, p.date, p.upvotes, p.author_count) for p in expected]


def _glued(text: str, joins) -> str:
    """``text`` without each blank line whose neighbours (line before, line after, the one after
    that) ``joins`` accepts: entries copied onto touching lines."""
    lines = text.split("\n")
    kept = [line for i, line in enumerate(lines)
            if line.strip() or not 0 < i < len(lines) - 2 or not joins(lines[i - 1].strip(), lines[i + 1].strip(), lines[i + 2].strip())]
    return "\n".join(kept)


@pytest.mark.parametrize("layout", ["no blank lines", "title on the abstract", "metadata on the abstract"])
def test_entries_copied_onto_touching_lines_read_as_the_dump_itself(tmp_path, layout):
    """A clipboard that drops blank lines, or entries whose title or metadata block touches the
    abstract, must not lose papers: every seed dump reads the same in each layout."""
    long = lambda line: len(line) > 400  # noqa: E731 (every seed abstract, no title)
    joins = {
        "no blank lines": lambda before, after, then: True,
        "title on the abstract": lambda before, after, then: not long(before) and long(after),
        "metadata on the abstract": lambda before, after, then: long(before) and (after.startswith("•") or then == "·"),
    }[layout]
    changed = 0
    for seed in sorted(SEEDS.glob("*.txt")):
        expected, _ = read(seed)
        path = tmp_path / seed.name
        path.write_text(_glued(seed.read_text(encoding="utf-8"), joins), encoding="utf-8")
        changed += path.read_text(encoding="utf-8") != seed.read_text(encoding="utf-8")
        papers, warnings = read(path)
        assert warnings == [], (seed.name, warnings[:3])
        assert [(p.title, p.abstract, p.date, p.upvotes, p.author_count, p.org_id) for p in papers] == \
            [(p.title, p.abstract, p.date, p.upvotes, p.author_count, p.org_id) for p in expected], seed.name
    assert changed >= 3  # (one seed dump has no metadata blocks)


def test_listing_pages_pasted_one_below_another_read_as_each_page(tmp_path):
    """The second page's header (chrome, its own date) ends the first page's last paper and is
    not taken for that paper's metadata, whether or not the paper had any."""
    seeds = sorted(SEEDS.glob("*.txt"))
    for first, second in [(seeds[0], seeds[1]), (seeds[1], seeds[2])]:  # 000's papers have no metadata
        path = tmp_path / "pasted.txt"
        path.write_text(first.read_text(encoding="utf-8").rstrip("\n") + "\n\n" + second.read_text(encoding="utf-8"), encoding="utf-8")
        papers, warnings = read(path)
        expected = read(first)[0] + read(second)[0]
        assert warnings == []
        assert [(p.title, p.date, p.upvotes, p.author_count) for p in papers] == [(p.title, p.date, p.upvotes, p.author_count) for p in expected]


def test_a_whole_page_copied_with_the_sites_header_and_footer_reads_as_its_listing(tmp_path):
    """Ctrl+A on a listing page copies the site's navigation above it and its footer below:
    neither is a paper, nor a warning."""
    header = "Hugging Face\n\nModels\n\nDatasets\n\nSpaces\n\nCommunity\n\nDocs\n\nEnterprise\n\nPricing\n\nLog In\n\nSign Up\n\n"
    footer = "\n\nSystem theme\n\nCompany\n\nTOS\n\nPrivacy\n\nAbout\n\nJobs\n\nWebsite\n\nModels\n\nDatasets\n\nSpaces\n\nPricing\n\nDocs\n"
    for seed in sorted(SEEDS.glob("*.txt"))[:2]:
        text = seed.read_text(encoding="utf-8").replace("byAK and", "by AK and")
        path = tmp_path / "page.txt"
        path.write_text(header + text.rstrip("\n") + footer, encoding="utf-8")
        papers, warnings = read(path)
        expected = read(seed)[0]
        assert warnings == []
        assert [(p.title, p.abstract, p.date, p.upvotes) for p in papers] == [(p.title, p.abstract, p.date, p.upvotes) for p in expected]


@pytest.mark.parametrize("spacing", [b"\n", b"\r\r\n"], ids=["plain", "double-spaced"])
def test_dumps_joined_by_cat_without_final_newlines_read_as_each_dump(tmp_path, spacing):
    """The seed dumps end without a newline, so ``cat`` glues each one's last line to the next
    page's first ("May 20, 2022new"): the joined file reads as the dumps one by one."""
    seeds = sorted(SEEDS.glob("*.txt"))
    assert all(not seed.read_bytes().endswith(b"\n") for seed in seeds)
    path = tmp_path / "all.txt"
    path.write_bytes(b"".join(seed.read_bytes() for seed in seeds).replace(b"\n", spacing))
    papers, warnings = read(path)
    expected = [p for seed in seeds for p in read(seed)[0]]
    assert warnings == []
    fields = lambda p: (p.title, p.abstract, p.date, p.upvotes, p.author_count, p.org_id)  # noqa: E731
    assert [fields(p) for p in papers] == [fields(p) for p in expected]
    # a line ending in "new" that no page follows is left as it is
    path.write_text("Something new\n\n" + "An abstract that ends the copy well past any title's length. " * 8 + "\n", encoding="utf-8")
    assert read(path)[0][0].title == "Something new"


def test_only_the_line_before_the_dot_names_an_organisation(tmp_path):
    """Other lines of a metadata block that the reader does not know are reported, not shown as
    the paper's organisation."""
    abstract = DUMP.split("\n")[8]
    path = tmp_path / "meta.txt"
    path.write_text(f"First Paper\n\n{abstract}\n\n  • 3 authors\n·\nMar 2, 2023 17\nTrending now\n\n"
                    f"Second Paper\n\n{abstract}\n\n5 comments\n·\nMar 3, 2023\n\n"
                    f"Third Paper\n\n{abstract}\n\nacme ACME Lab\n·\nMar 4, 2023\n")
    papers, warnings = read(path)
    assert [(p.org_id, p.org_name, p.author_count) for p in papers] == [(None, None, 3), (None, None, None), ("acme", "ACME Lab", None)]
    assert [(w.line, "unrecognised metadata line" in w.message) for w in warnings] == [(8, True), (14, True)]


def test_a_submitted_by_line_anywhere_in_an_entry_is_passed_over(tmp_path):
    abstract = DUMP.split("\n")[8]
    path = tmp_path / "submitted.txt"
    path.write_text(f"A Paper\n\n{abstract}\n\nSubmitted by akhaliq\n\n  • 3 authors\n·\nMar 2, 2023 17\n")
    papers, warnings = read(path)
    assert warnings == [] and [(p.title, p.author_count, p.upvotes) for p in papers] == [("A Paper", 3, 17)]


@pytest.mark.parametrize("width", [70, 160, 300])
def test_a_hard_wrapped_abstract_stays_one_abstract(tmp_path, width):
    """Lines of an abstract wrapped at any width a wrap uses are one paragraph, never titles;
    also in a copy with no blank lines, where the wrapped lines follow their title."""
    seed = sorted(SEEDS.glob("*.txt"))[1]
    text = seed.read_text(encoding="utf-8")
    expected, _ = read(seed)
    abstract = next(p.abstract for p in expected if p.title.startswith("XMainframe"))
    wrapped = text.replace(abstract, textwrap.fill(abstract, width))
    for name, copy in [("wrapped.txt", wrapped), ("packed.txt", "\n".join(line for line in wrapped.split("\n") if line.strip()))]:
        path = tmp_path / name
        path.write_text(copy, encoding="utf-8")
        papers, warnings = read(path)
        assert warnings == [], (name, warnings[:2])
        assert [(p.title, p.date, p.author_count) for p in papers] == [(p.title, p.date, p.author_count) for p in expected], name
        got = next(p.abstract for p in papers if p.title.startswith("XMainframe"))
        assert got.replace(" ", "") == abstract.replace(" ", ""), name  # (a wrap at a hyphen gains a space)


def test_a_second_paragraph_or_a_code_line_under_an_abstract_keeps_the_metadata(tmp_path):
    seed = sorted(SEEDS.glob("*.txt"))[1]
    expected, _ = read(seed)
    xm = next(p for p in expected if p.title.startswith("XMainframe"))
    for extra in [xm.abstract, "Code: https://github.com/example/xmainframe"]:
        path = tmp_path / "extra.txt"
        path.write_text(seed.read_text(encoding="utf-8").replace(xm.abstract, xm.abstract + "\n" + extra), encoding="utf-8")
        papers, warnings = read(path)
        assert warnings == []
        got = next(p for p in papers if p.title.startswith("XMainframe"))
        assert (got.date, got.author_count, got.abstract) == (xm.date, xm.author_count, xm.abstract + " " + extra)


def test_long_titles_that_hold_a_sentence_break_are_titles(tmp_path):
    title = "Skip to the Good Part: Representation Structure & Inference-Time Layer Skipping in Diffusion vs. Autoregressive LLMs"
    path = tmp_path / "vs.txt"
    path.write_text(f"Submitted by akhaliq\n\n{title}\n\n{DUMP.split(chr(10))[8]}\n\n  • 1,024 authors\n·\nMar 5, 2024 1.2k\n")
    papers, warnings = read(path)
    assert warnings == []
    assert [(p.title, p.author_count, p.upvotes, p.date) for p in papers] == [(title, 1024, 1200, PaperDate(2024, 3, 5))]


def test_lines_holding_only_zero_width_characters_are_blank(tmp_path):
    """A copied page can leave a zero-width space on an empty line; Python's strip() keeps it,
    and such "blank" lines glued a whole dump into one paper."""
    seed = sorted(SEEDS.glob("*.txt"))[1]
    text = seed.read_text(encoding="utf-8")
    path = tmp_path / "zw.txt"
    path.write_text("\n".join(line if line.strip() else "\u200b" for line in text.split("\n")), encoding="utf-8")
    papers, warnings = read(path)
    expected, _ = read(seed)
    assert [(p.title, p.date, p.upvotes) for p in papers] == [(p.title, p.date, p.upvotes) for p in expected]
    assert warnings == []


_META = re.compile(r"(?m)^  • (\d+) authors\n·\n(\w{3} \d{1,2}(?:, \d{4})?)(?: (\d+))?$")


@pytest.mark.parametrize("layout", ["one line", "one line touching the abstract", "dot first", "blank lines between",
                                    "count on its own line", "count in a block of its own", "thousands",
                                    "count on its own line, no blank lines", "count on its own line, double-spaced"])
def test_other_copies_of_the_metadata_give_the_same_fields(tmp_path, layout):
    """Browsers and editors lay the author count, the dot and the date out differently; each
    layout gives the fields the listing's own does, with no warning."""
    seed = sorted(SEEDS.glob("*.txt"))[1]
    text = seed.read_text(encoding="utf-8")
    assert len(_META.findall(text)) > 40

    def redo(m):
        authors, date, votes = m.group(1), m.group(2), m.group(3)
        count = f" {votes}" if votes else ""
        return {
            "one line": f"{authors} authors · {date}{count}",
            "one line touching the abstract": f"{authors} authors · {date}{count}",
            "count in a block of its own": f"  • {authors} authors\n·\n{date}" + (f"\n\n{votes}" if votes else ""),
            "dot first": f"  • {authors} authors\n· {date}{count}",
            "blank lines between": f"  • {authors} authors\n\n·\n\n{date}{count}",
            "count on its own line": f"  • {authors} authors\n·\n{date}" + (f"\n{votes}" if votes else ""),
        }[layout.split(",")[0]]

    path = tmp_path / "copy.txt"
    if layout == "one line touching the abstract":
        assert text.count(".\n\n  • ") > 40
        text = text.replace(".\n\n  • ", ".\n  • ")  # the blank line between abstract and metadata gone
    if layout == "thousands":  # every count, under an organisation's name too
        path.write_text(re.sub(r"(?m)^(\w{3} \d{1,2}(?:, \d{4})?) (\d+)$", lambda m: f"{m.group(1)} 1,{int(m.group(2)):03d}", text), encoding="utf-8")
    else:
        text = _META.sub(redo, text)
        if layout.endswith("no blank lines"):
            text = "\n".join(line for line in text.split("\n") if line.strip())
        elif layout.endswith("double-spaced"):
            text = text.replace("\n", "\n\n")
        path.write_text(text, encoding="utf-8")
    papers, warnings = read(path)
    expected, _ = read(seed)
    bump = (lambda v: 1000 + v if v else v) if layout == "thousands" else (lambda v: v)
    assert [(p.title, p.date, bump(p.upvotes), p.author_count) for p in expected] == [(p.title, p.date, p.upvotes, p.author_count) for p in papers]
    assert warnings == []


def test_a_copy_cut_short_in_its_last_abstract_is_reported(tmp_path):
    seed = sorted(SEEDS.glob("*.txt"))[1]
    text = seed.read_text(encoding="utf-8")
    last = text.rstrip().rsplit("\n\n", 2)[-2]  # the last abstract (before its metadata)
    assert len(last) > 200 and last.endswith(".")
    path = tmp_path / "cut.txt"
    path.write_text(text[: text.rindex(last) + len(last) // 2], encoding="utf-8")
    papers, warnings = read(path)
    assert len(papers) == len(read(seed)[0])  # kept: what was copied is the user's to judge
    assert len(warnings) == 1 and "cut short" in warnings[0].message
    assert warnings[0].line == text[: text.rindex(last)].count("\n") + 1
