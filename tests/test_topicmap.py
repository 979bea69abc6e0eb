"""The topic map's figure (site_src/topicmap.py): which names it shows first and how topics are
coloured, on small made-up models."""

import itertools
import re

from site_src.models import Membership, Paper, Source, Topic, TopicModel
from site_src.topicmap import DISTINCT, OTHER_COLOUR, PALETTE, colour_distance, map_figure, topic_colours

from conftest import REPO


def model_of(groups: dict[str, tuple[str, int, tuple[float, float]]]):
    """Topics (slug: kind, papers, where) with their papers packed around a point."""
    topics, memberships, coords, papers = [], {}, {}, []
    for slug, (kind, n, (x, y)) in groups.items():
        topics.append(Topic(slug, slug.title(), kind, (), n, 0.5))
        for i in range(n):
            pid = f"{slug}-{i}"
            papers.append(Paper(pid, f"Paper {pid}", "Abstract.", (Source("a.txt", 1),)))
            memberships[pid] = (Membership(slug, 0.5, ()),)
            coords[pid] = (x + 0.01 * i, y - 0.01 * i)
    model = TopicModel(tuple(topics), memberships, coords, {p.id: () for p in papers}, "k")
    return papers, model


def test_named_topics_are_named_on_the_map_before_bigger_clusters_and_other_papers_not_at_all():
    papers, model = model_of({
        "big": ("cluster", 40, (0, 0)), "moe": ("named", 5, (1, 0)), "mid": ("cluster", 20, (0, 1)),
        "kv": ("named", 9, (1, 1)), "other": ("other", 6, (2, 2)), "tiny": ("cluster", 2, (3, 3)),
    })
    fig = map_figure(papers, model, {p.id: f"papers/{p.id}.html" for p in papers})
    assert [a["name"] for a in fig["layout"]["annotations"]] == ["kv", "moe", "big", "mid"]  # no name under 3 papers
    colour = {t["meta"]: t["marker"]["color"] for t in fig["data"]}
    assert colour["other"] == OTHER_COLOUR and OTHER_COLOUR not in {c for s, c in colour.items() if s != "other"}


def test_neighbours_on_the_map_get_colours_told_apart_and_the_palette_is_spread():
    grid = [(x, y) for x in range(6) for y in range(5)]  # 30 topics, more than the palette holds
    order = [f"t{i}" for i in range(len(grid))]
    centres = dict(zip(order, grid))
    colours = topic_colours(order, centres)
    uses = [list(colours.values()).count(c) for c in PALETTE]
    assert max(uses) <= 2 and min(uses) >= 1  # every colour before any twice
    for a, b in itertools.combinations(order, 2):
        (xa, ya), (xb, yb) = centres[a], centres[b]
        if abs(xa - xb) <= 1 and abs(ya - yb) <= 1:  # touching on the grid: never one colour
            assert colour_distance(colours[a], colours[b]) >= 20, (a, b, colours[a], colours[b])
    assert topic_colours(order, centres) == colours  # the same map, the same colours


def _luminance(colour: str) -> float:
    lin = [c / 255 / 12.92 if c / 255 <= 0.04045 else ((c / 255 + 0.055) / 1.055) ** 2.4 for c in (int(colour[i:i + 2], 16) for i in (1, 3, 5))]
    return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]


def test_palette_colours_stand_out_in_both_themes_and_from_each_other():
    css = (REPO / "themes/default/static/style.css").read_text()
    cards = re.findall(r"--card: (#[0-9a-f]{6})", css)
    assert len(set(cards)) == 2  # the map's background, light and dark
    for colour in PALETTE:
        for card in cards:
            a, b = sorted((_luminance(colour), _luminance(card)))
            assert (b + 0.05) / (a + 0.05) >= 3, (colour, card)
    # the first n are spread for any n: the few topics of a small site get the most distinct
    for n, least in [(12, DISTINCT), (len(PALETTE), 20)]:
        assert min(colour_distance(a, b) for a, b in itertools.combinations(PALETTE[:n], 2)) >= least, n


def test_as_many_colours_as_topics_while_the_palette_lasts():
    for n in (5, 17, len(PALETTE)):
        order = [f"t{i}" for i in range(n)]
        centres = {t: (i % 5, i // 5) for i, t in enumerate(order)}
        assert len(set(topic_colours(order, centres).values())) == n


def test_colour_distance_sees_two_blues_as_near():
    assert colour_distance("#0072B2", "#1F77B4") < DISTINCT < colour_distance("#0072B2", "#E69F00")
    assert colour_distance("#0072B2", "#E69F00") == colour_distance("#E69F00", "#0072B2")
    assert colour_distance("#123456", "#123456") == 0


def test_a_topic_with_no_papers_on_the_map_takes_no_colour_from_the_others():
    groups = {"big": ("cluster", 30, (0, 0)), "mid": ("cluster", 20, (0.2, 0)), "small": ("cluster", 10, (0, 0.2))}
    papers, model = model_of(groups)
    without = {t["meta"]: t["marker"]["color"] for t in map_figure(papers, model, {p.id: "" for p in papers})["data"]}
    papers, model = model_of({"moe": ("named", 0, (0, 0)), **groups})  # a named topic no paper is primarily in
    fig = map_figure(papers, model, {p.id: "" for p in papers})
    assert {t["meta"]: t["marker"]["color"] for t in fig["data"]} == without
