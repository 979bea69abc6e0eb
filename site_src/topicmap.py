"""The interactive topic map: a plotly figure (one trace per topic) written once as data.

Pages load ``data/map.js`` (a script, so it also loads from file://, where fetch() is blocked)
and draw it with the shared ``assets/plotly.min.js``; nothing per paper is inlined in pages.
"""

from __future__ import annotations

import html
import json

import numpy as np
import plotly.graph_objects as go

from .models import Paper, TopicModel

# Colour-blind-safe categorical palette (Okabe-Ito + Tableau extensions), cycled.
PALETTE = (
    "#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#B8A800", "#332288",
    "#117733", "#882255", "#44AA99", "#AA4499", "#999933", "#6699CC", "#C9A227", "#661100",
    "#1F77B4", "#FF7F0E", "#2CA02C", "#D62728", "#9467BD", "#8C564B", "#E377C2", "#17BECF",
)
OTHER_COLOUR = "#9a9a9a"
WEBGL_ABOVE = 3000


NEIGHBOURS = 8  # a topic's colour is set apart from the colours of this many nearest topics
DISTINCT = 120  # colour_distance of two colours told apart at a glance (two palette blues: 46)


def _rgb(colour: str) -> tuple[int, int, int]:
    return int(colour[1:3], 16), int(colour[3:5], 16), int(colour[5:7], 16)


def colour_distance(a: str, b: str) -> float:
    """How different two colours look, roughly ("redmean": RGB weighted by the eye's
    sensitivity), so that two blues count as near even when their codes differ."""
    (r1, g1, b1), (r2, g2, b2) = _rgb(a), _rgb(b)
    mean = (r1 + r2) / 2
    return ((2 + mean / 256) * (r1 - r2) ** 2 + 4 * (g1 - g2) ** 2 + (2 + (255 - mean) / 256) * (b1 - b2) ** 2) ** 0.5


def topic_colours(order: list[str], centres: dict[str, tuple[float, float]], other: str | None = None) -> dict[str, str]:
    """A colour per topic, each in turn (``order``: the map's names first, so the topics that
    matter most choose first) taking the least used palette colour that looks unlike those of
    its nearest coloured neighbours on the map (else the most unlike): the palette is spread
    over the topics, and a repeat falls far from its twin. "Other papers" (``other``) is grey."""
    colours: dict[str, str] = {}
    uses = dict.fromkeys(PALETTE, 0)
    for slug in order:
        if slug == other:
            colours[slug] = OTHER_COLOUR
            continue
        x, y = centres[slug]
        near = sorted((d for d in colours if d != other), key=lambda d: ((centres[d][0] - x) ** 2 + (centres[d][1] - y) ** 2, d))
        taken = [colours[d] for d in near[:NEIGHBOURS]]
        apart = {c: min((colour_distance(c, t) for t in taken), default=DISTINCT) for c in PALETTE}
        best = max(PALETTE, key=lambda c: (apart[c] >= DISTINCT, -uses[c], apart[c], -PALETTE.index(c)))
        colours[slug] = best
        uses[best] += 1
    return colours


def map_figure(papers: list[Paper], model: TopicModel, urls: dict[str, str]) -> dict:
    """The figure as a plain dict; ``customdata`` holds each point's site-relative URL."""
    by_topic: dict[str, list[Paper]] = {t.slug: [] for t in model.topics}
    for p in papers:
        by_topic[model.memberships[p.id][0].topic].append(p)
    # named topics first (the map's headline topics), then the biggest: earlier names have the
    # first claim on their place on the map (map.js) and choose their colour first
    ranked = sorted((t for t in model.topics if by_topic[t.slug]), key=lambda t: (t.kind != "named", -len(by_topic[t.slug]), t.slug))
    centres = {t.slug: _centre([model.coords[p.id] for p in by_topic[t.slug]]) for t in ranked}
    colours = topic_colours([t.slug for t in ranked], centres, other=next((t.slug for t in ranked if t.kind == "other"), None))
    scatter = go.Scattergl if len(papers) > WEBGL_ABOVE else go.Scatter
    traces = []
    for t in model.topics:
        members = by_topic[t.slug]
        if not members:
            continue
        # string arrays as object arrays: plotly validates them at once, not string by string
        # (numbers stay lists: as arrays they would be written as base64 typed arrays)
        traces.append(
            scatter(
                x=[model.coords[p.id][0] for p in members],
                y=[model.coords[p.id][1] for p in members],
                # plotly reads hover text as pseudo-HTML: escape it so a title is only text
                text=np.array([html.escape(p.title, quote=False) for p in members], dtype=object),
                customdata=np.array([urls[p.id] for p in members], dtype=object),
                ids=np.array([p.id for p in members], dtype=object),
                name=html.escape(t.name, quote=False),
                legendgroup=t.slug,
                meta=t.slug,
                mode="markers",
                marker={"size": 7, "color": colours[t.slug], "line": {"width": 0}, "opacity": 0.85},
                hovertemplate="%{text}<extra>" + html.escape(t.name, quote=False) + "</extra>",
            )
        )
    # topic names on the map itself, at the median of each topic's primary papers
    notes = []
    for t in ranked:
        if t.kind == "other" or len(by_topic[t.slug]) < 3:
            continue
        notes.append(
            {
                "x": centres[t.slug][0], "y": centres[t.slug][1], "text": html.escape(t.name, quote=False),
                "showarrow": False, "font": {"size": 12, "color": "#1b1f24"}, "bgcolor": "rgba(255,255,255,0.75)",
                "borderpad": 2, "captureevents": False, "name": t.slug,
            }
        )
    fig = go.Figure(data=traces)
    fig.update_layout(annotations=notes)
    fig.update_layout(
        margin={"l": 0, "r": 0, "t": 36, "b": 0},  # room for the mode bar above the legend
        xaxis={"visible": False},
        yaxis={"visible": False, "scaleanchor": "x"},
        hovermode="closest",
        dragmode="pan",
        legend={"itemclick": "toggle", "itemdoubleclick": "toggleothers", "orientation": "v"},
        paper_bgcolor="rgba(0,0,0,0)",
        plot_bgcolor="rgba(0,0,0,0)",
        showlegend=True,
    )
    return json.loads(fig.to_json(engine="json"))


def _centre(points: list[tuple[float, float]]) -> tuple[float, float]:
    """The median point (per axis) of a topic's papers."""
    xs, ys = sorted(p[0] for p in points), sorted(p[1] for p in points)
    return xs[len(xs) // 2], ys[len(ys) // 2]


def map_script(figure: dict) -> str:
    """``data/map.js``: the figure assigned to a global, deterministic and script-safe."""
    text = json.dumps(figure, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    text = text.replace("<", "\\u003c").replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")
    return f"window.RESEARCHMAP_MAP={text};\n"
