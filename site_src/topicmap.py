"""The interactive topic map: a plotly figure (one trace per topic) written once as data.

Pages load ``data/map.js`` (a script, so it also loads from file://, where fetch() is blocked)
and draw it with the shared ``assets/plotly.min.js``; nothing per paper is inlined in pages.
"""

from __future__ import annotations

import functools
import html
import json

from .colours import MapTopics, map_topics
from .models import Paper, TopicModel

WEBGL_ABOVE = 3000
HOVER_WIDTH = 48  # characters a line of a point's label holds: a phone shows a whole line


def hover_title(title: str) -> str:
    """A point's title as its hover label shows it: escaped (plotly reads hover text as
    pseudo-HTML, and a title is only text) and wrapped, since plotly never wraps a label and
    one line of a long title runs off a phone's screen at both ends."""
    if len(title) <= HOVER_WIDTH:
        return html.escape(title, quote=False)
    lines, line = [], ""
    for word in title.split():  # greedy, at spaces only ("Text-to-Image" stays whole); textwrap is 50x slower
        if line and len(line) + 1 + len(word) > HOVER_WIDTH:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}" if line else word
    lines.append(line)
    return "<br>".join(html.escape(line, quote=False) for line in lines)


def map_figure(papers: list[Paper], model: TopicModel, urls: dict[str, str], drawn: MapTopics | None = None) -> dict:
    """The figure as a plain dict; ``customdata`` holds each point's site-relative URL.
    ``drawn``: the topics' order and colours, when already known."""
    drawn = drawn or map_topics(papers, model)
    by_topic, ranked, centres, colours = drawn.papers, drawn.ranked, drawn.centres, drawn.colours
    kind = "scattergl" if len(papers) > WEBGL_ABOVE else "scatter"
    traces = []
    for t in model.topics:
        members = by_topic[t.slug]
        if not members:
            continue
        traces.append(
            {
                "type": kind,
                "x": [model.coords[p.id][0] for p in members],
                "y": [model.coords[p.id][1] for p in members],
                "text": [hover_title(p.title) for p in members],
                "customdata": [urls[p.id] for p in members],
                "ids": [p.id for p in members],
                "name": html.escape(t.name, quote=False),
                "legendgroup": t.slug,
                "meta": t.slug,
                "mode": "markers",
                "marker": {"size": 7, "color": colours[t.slug], "line": {"width": 0}, "opacity": 0.85},
                # the topic under the title, in the label's own colours (map.js gives it the
                # page's): plotly's side box takes the topic's colour, unreadable for some
                "hovertemplate": "%{text}<br><i>" + html.escape(t.name, quote=False) + "</i><extra></extra>",
            }
        )
    # topic names on the map itself, at the median of each topic's primary papers: a cluster of
    # one or two is a name over a stray point, but a named topic is what a user asked to see
    notes = []
    for t in ranked:
        if t.kind == "other" or len(by_topic[t.slug]) < (1 if t.kind == "named" else 3):
            continue
        notes.append(
            {
                "x": centres[t.slug][0], "y": centres[t.slug][1], "text": html.escape(t.name, quote=False),
                "showarrow": False, "font": {"size": 12, "color": "#1b1f24"}, "bgcolor": "rgba(255,255,255,0.75)",
                "borderpad": 2, "captureevents": False, "name": t.slug,
            }
        )
    layout = {
        "template": json.loads(default_template()),  # a copy of its own: figures are plain data, free to change
        "annotations": notes,
        "margin": {"l": 0, "r": 0, "t": 36, "b": 0},  # room for the mode bar above the legend
        "xaxis": {"visible": False},
        "yaxis": {"visible": False, "scaleanchor": "x"},
        "hovermode": "closest",
        "dragmode": "pan",
        "legend": {"itemclick": "toggle", "itemdoubleclick": "toggleothers", "orientation": "v"},
        "paper_bgcolor": "rgba(0,0,0,0)",
        "plot_bgcolor": "rgba(0,0,0,0)",
        "showlegend": True,
    }
    return {"data": traces, "layout": layout}


@functools.lru_cache(maxsize=1)
def default_template() -> str:
    """plotly's default template (JSON), as a figure plotly builds carries it."""
    import plotly.graph_objects as go

    return json.dumps(json.loads(go.Figure().to_json(engine="json"))["layout"]["template"])


def map_script(figure: dict) -> str:
    """``data/map.js``: the figure assigned to a global, deterministic and script-safe."""
    text = json.dumps(figure, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    text = text.replace("<", "\\u003c").replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")
    return f"window.RESEARCHMAP_MAP={text};\n"
