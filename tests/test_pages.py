"""What pages.py plans for a page, tested on the values it hands the templates."""

from site_src.models import MarkdownPage, PaperDate
from site_src.pages import menu, timeline

from conftest import REPO


def d(year, month, day=1):
    return PaperDate(year, month, day)


def test_timeline_counts_every_period_from_first_to_last_empty_ones_too():
    got = timeline([d(2024, 11), d(2025, 2), d(2025, 2), None, d(None, 3)])
    assert got["unit"] == "month"
    assert got["bars"] == [("2024-11", 1), ("2024-12", 0), ("2025-01", 0), ("2025-02", 2)]
    assert got["undated"] == 2  # no date, or a listing date without its year
    assert got["no_date"] == 1  # the chart's caption tells the two apart: a set `year` cannot date the first


def test_timeline_widens_its_periods_to_stay_readable():
    quarters = timeline([d(2021, 1), d(2024, 6), d(2024, 5)])  # 42 months
    assert quarters["unit"] == "quarter" and len(quarters["bars"]) == 14
    assert quarters["bars"][0] == ("2021 Q1", 1) and quarters["bars"][-1] == ("2024 Q2", 2)
    years = timeline([d(2015, 3), d(2024, 6)])
    assert years["unit"] == "year" and [b[0] for b in years["bars"]] == [str(y) for y in range(2015, 2025)]
    assert sum(n for _, n in years["bars"]) == 2
    # a bogus year still gives at most 36 bars, each of several years
    long = timeline([d(1, 1), d(2024, 6)])
    assert long["unit"] == "57 years" and len(long["bars"]) == 36 and long["bars"][-1] == ("1996–2052", 1)


def test_timeline_without_a_dated_paper_is_empty():
    assert timeline([None, d(None, 5)]) == {"bars": [], "unit": "", "undated": 2, "no_date": 1}


def test_a_name_is_said_by_a_paper_using_every_word_of_one_of_its_phrases():
    from site_src.models import Paper
    from site_src.naming import name_says
    from site_src.naming import named_in

    says = name_says("Test-time scaling & LLM serving")
    assert says("Scaling compute at test time") and says("Serving many LLMs")  # any order, plural or not
    assert says("test-time scaling laws")
    assert name_says("Scaling laws & diffusion models")("a scaling law for one diffusion model")  # singular too
    assert name_says("Class-incremental analysis")("an analysis of class incremental learning")
    assert not says("Testing time series") and not says("LLM pre-training")  # a word, not part of one
    papers = [Paper(str(i), t, a, ()) for i, (t, a) in enumerate([
        ("Data Selection by Influence", "We select data."), ("Instruction Tuning at Scale", "..."), ("Poker Agents", "Games."),
    ])]
    assert named_in("Instruction tuning & data selection", papers) == 2


def test_every_file_a_build_writes_is_known_to_generated_besides_the_owners_pages(built_site):
    from site_src.pages import generated

    owners = {p.stem + ".html" for p in (REPO / "content/pages").glob("*.md")}
    files = [p.relative_to(built_site).as_posix() for p in built_site.rglob("*") if p.is_file()]
    assert len(files) > 300
    for path in files:
        if path in owners:
            assert generated(path) is None, path
        else:
            assert generated(path), path
    for free in ["about.html", "img/a.png", "CNAME", "guide/x.html", "papers-list.html", "feed.html"]:
        assert generated(free) is None, free


def test_recent_span_is_the_last_two_years_up_to_the_newest_dated_paper():
    from site_src.pages import recent_span

    assert recent_span([d(2019, 5), d(2025, 3), None, d(None, 8), d(2024, 1)]) == ((2023, 4), (2025, 3))
    assert recent_span([d(2024, 12), d(2025, 2)]) == ((2024, 12), (2025, 2))  # shorter: from the oldest
    assert recent_span([d(2025, 12), d(2020, 1)], months=12) == ((2025, 1), (2025, 12))
    assert recent_span([None, d(None, 3)]) is None


def test_timeline_within_a_span_shares_its_axis_and_counts_only_inside_it():
    span = ((2024, 11), (2025, 2))
    got = timeline([d(2024, 1), d(2025, 1), d(2025, 1), d(2025, 6), None], within=span)
    assert got["bars"] == [("2024-11", 0), ("2024-12", 0), ("2025-01", 2), ("2025-02", 0)]
    assert timeline([], within=span)["bars"] == [("2024-11", 0), ("2024-12", 0), ("2025-01", 0), ("2025-02", 0)]


def test_the_menu_puts_weighted_pages_first_as_hugo_does():
    """``weight: 1`` on one page puts it first, not after every page without a weight."""
    pages = [MarkdownPage("c", "Contact", ""), MarkdownPage("a", "About", "", weight=1), MarkdownPage("z", "Zeta", "", weight=-2),
             MarkdownPage("b", "Blog", ""), MarkdownPage("h", "Hidden", "", nav=False, weight=0)]
    assert [pg.title for pg in menu(pages)] == ["Zeta", "About", "Blog", "Contact"]
    # weight 0 is no weight, as in Hugo; titles in any case are in one order
    pages += [MarkdownPage("n", "news", "", weight=0), MarkdownPage("y", "Yearly", "")]
    assert [pg.title for pg in menu(pages)] == ["Zeta", "About", "Blog", "Contact", "news", "Yearly"]
