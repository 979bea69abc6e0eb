"""The small map of paper pages (site_src/minimap.py): one shared image of every paper, and a
marker per page that lands on the paper's own dot."""

import re

from site_src.colours import OTHER_COLOUR, map_topics
from site_src.minimap import frame, minimap_css, minimap_svg

from test_topicmap import model_of


def dots(svg: bytes) -> dict[str, list[tuple[float, float]]]:
    """colour -> the dots of its path, in image units."""
    out = {}
    for colour, d in re.findall(r'<path stroke="(#[0-9A-Fa-f]{6})" d="([^"]*)"', svg.decode()):
        out[colour] = [(float(x), float(y)) for x, y in re.findall(r"M([\d.]+) ([\d.]+)h0", d)]
    return out


def css_place(css: str, x: float, y: float) -> tuple[float, float]:
    """Where data/minimap.css puts the marker of map point (x, y): left and top in percent."""
    (x0, across), (y0, down) = [tuple(map(float, m)) for m in re.findall(r"calc\(\(?(?:var\(--x\) - )?(-?[\d.]+)(?: - var\(--y\))?\) \* ([\d.]+)%\)", css)]
    return (x - x0) * across, (y0 - y) * down


def test_every_marker_lands_on_a_dot_of_its_topics_colour_inside_the_image():
    papers, model = model_of({"wide": ("cluster", 30, (0, 0)), "moe": ("named", 8, (4, 1)), "other": ("other", 5, (2, -1))})
    drawn, box = map_topics(papers, model), frame(model)
    svg = minimap_svg(model, drawn, box)
    width, height = map(float, re.search(rb'viewBox="0 0 ([\d.]+) ([\d.]+)"', svg).groups())
    by_colour = dots(svg)
    for p in papers:
        left, top = box.percent(model.coords[p.id])
        assert 0 < left < 100 and 0 < top < 100
        x, y = left * width / 100, top * height / 100
        colour = drawn.colours[model.memberships[p.id][0].topic]
        assert min(abs(x - a) + abs(y - b) for a, b in by_colour[colour]) < 0.3, p.id


def test_the_image_keeps_the_maps_aspect_and_direction():
    papers, model = model_of({"a": ("cluster", 3, (0, 0)), "b": ("cluster", 3, (10, 5))})
    box = frame(model)
    assert abs(box.height / box.width - 5.2 / 10.02) < 0.1  # a wide map gives a wide image
    (xa, ya), (xb, yb) = box.percent(model.coords["a-0"]), box.percent(model.coords["b-0"])
    assert xa < xb and ya > yb  # right is right; up on the map is up in the image


def test_other_papers_lie_under_the_topics_and_the_image_is_deterministic():
    groups = {"big": ("cluster", 12, (0, 0)), "moe": ("named", 4, (1, 1)), "other": ("other", 6, (0.5, 0.5))}
    papers, model = model_of(groups)
    svg = minimap_svg(model, map_topics(papers, model), frame(model))
    colours = list(dots(svg))
    assert colours[0] == OTHER_COLOUR and len(colours) == 3
    papers2, model2 = model_of(dict(reversed(groups.items())))
    assert minimap_svg(model2, map_topics(papers2, model2), frame(model2)) == svg
    assert sum(len(v) for v in dots(svg).values()) == len(papers)  # every paper a dot (none overlap here)


def test_the_stylesheet_puts_a_marker_where_the_frame_does_and_colours_it_by_topic():
    papers, model = model_of({"wide": ("cluster", 10, (-3, 2)), 'odd"slug\\': ("named", 4, (5, -1))})
    drawn, box = map_topics(papers, model), frame(model)
    css = minimap_css(drawn, box).decode()
    for p in papers:
        x, y = model.coords[p.id]
        left, top = box.percent((x, y))
        css_left, css_top = css_place(css, x, y)
        assert abs(css_left - left) < 1e-3 and abs(css_top - top) < 1e-3
    assert '[data-topic="odd\\22 slug\\5c "]' in css  # a slug of the user's own cannot end the string
    assert css.count("background:") == len(drawn.ranked)


def test_a_site_of_one_paper_or_of_points_in_a_line_still_gets_a_sensible_image():
    papers, model = model_of({"only": ("cluster", 1, (0.3, 0.3))})
    box = frame(model)
    assert [round(v, 6) for v in box.percent(model.coords["only-0"])] == [50, 50]  # the dot in the middle
    marker = css_place(minimap_css(map_topics(papers, model), box).decode(), 0.3, 0.3)  # as the page writes it
    assert [round(v, 1) for v in marker] == [50, 50]
    assert box.height == box.width
    for spread in ((10, 0), (0, 10)):
        papers, model = model_of({"a": ("cluster", 1, (0, 0)), "b": ("cluster", 1, spread)})
        box = frame(model)
        assert box.width / 2.5 - 0.1 <= box.height <= box.width * 1.25 + 0.1, spread
        for p in papers:  # every point inside the image, away from its edges
            left, top = box.percent(model.coords[p.id])
            assert 1 < left < 99 and 1 < top < 99
