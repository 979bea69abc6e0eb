"""Topic colours (site_src/colours.py): a palette that stands out in both themes, and neighbours
on the map told apart."""

import itertools
import re

from site_src.colours import DISTINCT, PALETTE, colour_distance, topic_colours

from conftest import REPO


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
