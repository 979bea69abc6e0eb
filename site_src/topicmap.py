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


def topic_colours(model: TopicModel) -> dict[str, str]:
    colours, i = {}, 0
    for t in model.topics:
        if t.kind == "other":
            colours[t.slug] = OTHER_COLOUR
        else:
            colours[t.slug] = PALETTE[i % len(PALETTE)]
            i += 1
    return colours


def map_figure(papers: list[Paper], model: TopicModel, urls: dict[str, str]) -> dict:
    """The figure as a plain dict; ``customdata`` holds each point's site-relative URL."""
    colours = topic_colours(model)
    by_topic: dict[str, list[Paper]] = {t.slug: [] for t in model.topics}
    for p in papers:
        by_topic[model.memberships[p.id][0].topic].append(p)
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
    # topic names on the map itself, at the median of each topic's primary papers; biggest
    # topics first, since map.js gives earlier names the first claim on their place
    notes = []
    for t in sorted(model.topics, key=lambda t: -len(by_topic[t.slug])):
        members = by_topic[t.slug]
        if t.kind == "other" or len(members) < 3:
            continue
        xs = sorted(model.coords[p.id][0] for p in members)
        ys = sorted(model.coords[p.id][1] for p in members)
        notes.append(
            {
                "x": xs[len(xs) // 2], "y": ys[len(ys) // 2], "text": html.escape(t.name, quote=False),
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


def map_script(figure: dict) -> str:
    """``data/map.js``: the figure assigned to a global, deterministic and script-safe."""
    text = json.dumps(figure, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    text = text.replace("<", "\\u003c").replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")
    return f"window.RESEARCHMAP_MAP={text};\n"
