"""The small map on paper pages: every paper a dot in its main topic's colour, drawn once as
``data/minimap.svg``; a paper page lays a marker over that image at the paper's place, so ten
thousand pages share one image and none carries the map.

A page holds only what a placed paper keeps (its map coordinates and main topic): the image's
frame and the topics' colours, which a new dump can change, live in ``data/minimap.css``. So
adding papers re-renders no page for the small map's sake.
"""

from __future__ import annotations

from dataclasses import dataclass

from .colours import MapTopics
from .models import TopicModel

WIDTH = 320  # viewBox units across; a dot is DOT units wide
DOT = 4
PAD = 0.04  # of the wider side, around the points
TALLEST, WIDEST = 1.25, 2.5  # the image's height to width at most, its width to height at most


@dataclass(frozen=True)
class Frame:
    """Where the map's coordinates fall in the image (see frame): one scale for both axes, as
    the interactive map keeps the aspect too."""

    left: float
    top: float  # the largest y: the image's y runs down
    scale: float  # image units per map unit
    width: float
    height: float

    def point(self, xy: tuple[float, float]) -> tuple[float, float]:
        return (xy[0] - self.left) * self.scale, (self.top - xy[1]) * self.scale

    def percent(self, xy: tuple[float, float]) -> tuple[float, float]:
        """A point's place as percentages of the image's width and height (CSS left / top)."""
        x, y = self.point(xy)
        return 100 * x / self.width, 100 * y / self.height


def frame(model: TopicModel) -> Frame:
    """A box around every point, centred on them, kept between TALLEST and WIDEST in shape (a
    map of a line of points would otherwise make an image 300 px wide and metres tall), and a
    unit square when the points coincide (a site of one paper)."""
    xs = [x for x, _ in model.coords.values()] or [0.0]
    ys = [y for _, y in model.coords.values()] or [0.0]
    across, down = max(xs) - min(xs), max(ys) - min(ys)
    span = max(across, down)
    if span < 1e-6:
        across = down = span = 1.0
    pad = span * PAD
    wide = max(across, down / TALLEST) + 2 * pad
    high = max(down, across / WIDEST) + 2 * pad
    scale = WIDTH / wide
    height = round(high * scale, 1)
    return Frame((min(xs) + max(xs) - wide) / 2, (min(ys) + max(ys) + high) / 2, scale, WIDTH, height)


def minimap_svg(model: TopicModel, drawn: MapTopics, box: Frame) -> bytes:
    """One path of round dots per topic (a zero-length segment with round caps is a dot, about
    13 bytes a paper), "Other papers" first and the map's first topics last, so on top."""
    paths = []
    for t in reversed(drawn.ranked):
        dots = sorted({(round(x, 1), round(y, 1)) for x, y in (box.point(model.coords[p.id]) for p in drawn.papers[t.slug])})
        if not dots:
            continue
        d = "".join(f"M{_num(x)} {_num(y)}h0" for x, y in dots)
        paths.append((t.kind != "other", f'<path stroke="{drawn.colours[t.slug]}" d="{d}"/>'))
    paths.sort(key=lambda kp: kp[0])  # stable: other papers under every topic
    body = "\n".join(p for _, p in paths)
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {_num(box.width)} {_num(box.height)}" '
        f'width="{_num(box.width)}" height="{_num(box.height)}">\n'
        f'<g fill="none" stroke-width="{DOT}" stroke-linecap="round">\n{body}\n</g>\n</svg>\n'
    ).encode()


def minimap_css(drawn: MapTopics, box: Frame) -> bytes:
    """The image's aspect, where a marker at map point (--x, --y) goes, and each topic's colour."""
    across, down = 100 * box.scale / box.width, 100 * box.scale / box.height  # percent per map unit
    rules = [
        "/* researchmap: the small map on paper pages (generated with the site, so a theme of",
        "   your own gets it too; a theme may restyle it after this file) */",
        ".minimap { position: relative; display: block; max-width: 20rem; }",
        f".minimap img {{ display: block; width: 100%; height: auto; aspect-ratio: {_num(box.width)} / {_num(box.height)}; }}",
        ".minimap .here { position: absolute; width: 14px; height: 14px; margin: -7px 0 0 -7px; border-radius: 50%;",
        "  border: 3px solid var(--fg, #000); box-shadow: 0 0 0 2px var(--bg, #fff);",
        f"  left: calc((var(--x) - {box.left:.6f}) * {across:.6f}%); top: calc(({box.top:.6f} - var(--y)) * {down:.6f}%); }}",
    ]
    for t in drawn.ranked:
        rules.append(f'.minimap .here[data-topic="{_css_string(t.slug)}"] {{ background: {drawn.colours[t.slug]}; }}')
    return ("\n".join(rules) + "\n").encode()


def _css_string(text: str) -> str:
    """``text`` inside a double-quoted CSS string."""
    return "".join(f"\\{ord(c):x} " if c in '"\\' or ord(c) < 32 or ord(c) == 127 else c for c in text)


def _num(v: float) -> str:
    """A coordinate as short as it goes: 12 not 12.0."""
    text = f"{v:.1f}"
    return text[:-2] if text.endswith(".0") else text
