"""Topic colours, shared by the interactive map and the small map on paper pages: which topics
come first on a map and the colour each one takes."""

from __future__ import annotations

import functools
from dataclasses import dataclass

from .models import Paper, Topic, TopicModel

# Topic colours: Okabe-Ito's three colour-blind-safe colours that have 3:1 contrast (WCAG's
# figure for graphics) on the map in both themes, then, one at a time, the colour farthest in
# CIELAB from all before it among colours with that contrast in both themes and a moderate
# chroma (no neon). So the first n are as far apart as such a list gets for any n, and no theme
# has to shift a colour (shifting made two colours converge).
PALETTE = (
    "#0072B2", "#009E73", "#D55E00", "#D23287", "#919600", "#AA73E6", "#AA5F55", "#0F7800",
    "#875587", "#8C5F0A", "#F5555F", "#5F7337", "#0573E6", "#009BBE", "#D26E91", "#A537A0",
    "#8C87D2", "#D27846", "#B93C23", "#B93255", "#6E9B3C", "#A58C50", "#C38200", "#14A09B",
    "#00A550", "#CD6EB9", "#287837", "#7855AA",
)
OTHER_COLOUR = "#9a9a9a"


NEIGHBOURS = 8  # a topic's colour is set apart from the colours of this many nearest topics
DISTINCT = 25  # colour_distance (delta E) of two colours told apart at a glance (two plotly blues: 3)


def _rgb(colour: str) -> tuple[int, int, int]:
    return int(colour[1:3], 16), int(colour[3:5], 16), int(colour[5:7], 16)


_XYZ = ((0.4124, 0.3576, 0.1805), (0.2126, 0.7152, 0.0722), (0.0193, 0.1192, 0.9505))  # linear sRGB to XYZ


@functools.lru_cache(maxsize=1024)
def lab(colour: str) -> tuple[float, float, float]:
    """CIELAB (D65) of an sRGB colour: distances in it follow what the eye sees."""
    lin = [c / 255 / 12.92 if c / 255 <= 0.04045 else ((c / 255 + 0.055) / 1.055) ** 2.4 for c in _rgb(colour)]
    xyz = [sum(m * v for m, v in zip(row, lin)) / w for row, w in zip(_XYZ, (0.95047, 1.0, 1.08883))]
    f = [v ** (1 / 3) if v > 0.008856 else 7.787 * v + 16 / 116 for v in xyz]
    return 116 * f[1] - 16, 500 * (f[0] - f[1]), 200 * (f[1] - f[2])


def colour_distance(a: str, b: str) -> float:
    """How different two colours look: their distance in CIELAB (delta E 1976), so that two
    blues count as near even when their codes differ."""
    return sum((x - y) ** 2 for x, y in zip(lab(a), lab(b))) ** 0.5


def topic_colours(order: list[str], centres: dict[str, tuple[float, float]], other: str | None = None) -> dict[str, str]:
    """A colour per topic, each in turn (``order``: the map's names first, so the topics that
    matter most choose first) taking the least used palette colour that looks unlike those of
    its nearest coloured neighbours on the map (else the most unlike): every topic has a colour
    of its own while the palette lasts (the legend is read by colour), and a repeat falls far
    from its twin. "Other papers" (``other``) is grey."""
    colours: dict[str, str] = {}
    # the first n colours for n topics: those are the farthest apart of the palette
    palette = PALETTE[: max(1, min(len(PALETTE), sum(slug != other for slug in order)))]
    uses = dict.fromkeys(palette, 0)
    for slug in order:
        if slug == other:
            colours[slug] = OTHER_COLOUR
            continue
        x, y = centres[slug]
        near = sorted((d for d in colours if d != other), key=lambda d: ((centres[d][0] - x) ** 2 + (centres[d][1] - y) ** 2, d))
        taken = [colours[d] for d in near[:NEIGHBOURS]]
        apart = {c: min((colour_distance(c, t) for t in taken), default=DISTINCT) for c in palette}
        best = max(palette, key=lambda c: (-uses[c], apart[c] >= DISTINCT, apart[c], -palette.index(c)))
        colours[slug] = best
        uses[best] += 1
    return colours


@dataclass(frozen=True)
class MapTopics:
    """The topics drawn on a map: in the order they claim names and colours (named topics, then
    the biggest), each one's papers (by main topic), centre and colour."""

    ranked: list[Topic]
    papers: dict[str, list[Paper]]
    centres: dict[str, tuple[float, float]]
    colours: dict[str, str]


def map_topics(papers: list[Paper], model: TopicModel) -> MapTopics:
    by_topic: dict[str, list[Paper]] = {t.slug: [] for t in model.topics}
    for p in papers:
        by_topic[model.memberships[p.id][0].topic].append(p)
    # named topics first (the map's headline topics), then the biggest: earlier names have the
    # first claim on their place on the map (map.js) and choose their colour first
    ranked = sorted((t for t in model.topics if by_topic[t.slug]), key=lambda t: (t.kind != "named", -len(by_topic[t.slug]), t.slug))
    centres = {t.slug: _centre([model.coords[p.id] for p in by_topic[t.slug]]) for t in ranked}
    colours = topic_colours([t.slug for t in ranked], centres, other=next((t.slug for t in ranked if t.kind == "other"), None))
    return MapTopics(ranked, by_topic, centres, colours)


def _centre(points: list[tuple[float, float]]) -> tuple[float, float]:
    """The median point (per axis) of a topic's papers."""
    xs, ys = sorted(p[0] for p in points), sorted(p[1] for p in points)
    return xs[len(xs) // 2], ys[len(ys) // 2]
