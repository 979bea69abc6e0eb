"""The topic map's figure (site_src/topicmap.py): which names it shows first and which colours its
topics take, on small made-up models."""

from site_src.models import Membership, Paper, Source, Topic, TopicModel
from site_src.colours import OTHER_COLOUR
from site_src.topicmap import map_figure


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
        "spec": ("named", 2, (4, 4)),
    })
    fig = map_figure(papers, model, {p.id: f"papers/{p.id}.html" for p in papers})
    # a cluster under 3 papers has no name on the map; a named topic, the user's own, has one
    assert [a["name"] for a in fig["layout"]["annotations"]] == ["kv", "moe", "spec", "big", "mid"]
    colour = {t["meta"]: t["marker"]["color"] for t in fig["data"]}
    assert colour["other"] == OTHER_COLOUR and OTHER_COLOUR not in {c for s, c in colour.items() if s != "other"}


def test_a_topic_with_no_papers_on_the_map_takes_no_colour_from_the_others():
    groups = {"big": ("cluster", 30, (0, 0)), "mid": ("cluster", 20, (0.2, 0)), "small": ("cluster", 10, (0, 0.2))}
    papers, model = model_of(groups)
    without = {t["meta"]: t["marker"]["color"] for t in map_figure(papers, model, {p.id: "" for p in papers})["data"]}
    papers, model = model_of({"moe": ("named", 0, (0, 0)), **groups})  # a named topic no paper is primarily in
    fig = map_figure(papers, model, {p.id: "" for p in papers})
    assert {t["meta"]: t["marker"]["color"] for t in fig["data"]} == without


def test_the_figure_is_one_plotly_accepts_as_it_is_and_carries_plotlys_template():
    """The figure is written as plain data (plotly's validating objects took most of a 10k
    map's time): plotly must accept every property of it, and reading it changes nothing."""
    import json

    import plotly.graph_objects as go

    papers, model = model_of({"big": ("cluster", 12, (0, 0)), "moe": ("named", 5, (1, 0)), "other": ("other", 4, (2, 2))})
    fig = map_figure(papers, model, {p.id: f"papers/{p.id}.html" for p in papers})
    checked = json.loads(go.Figure(fig).to_json(engine="json"))  # raises on any property plotly does not know
    assert checked == fig
    assert fig["layout"]["template"] == json.loads(go.Figure().to_json(engine="json"))["layout"]["template"]
    assert {t["type"] for t in fig["data"]} == {"scatter"}


def test_a_points_label_is_the_escaped_title_in_lines_a_phone_shows_whole():
    import html as htmllib

    from site_src.topicmap import HOVER_WIDTH, hover_title

    title = "AReaL: A Large-Scale Asynchronous Reinforcement Learning System for Language Reasoning <with> & more"
    lines = hover_title(title).split("<br>")
    assert len(lines) > 1 and all(len(htmllib.unescape(line)) <= HOVER_WIDTH for line in lines)
    assert htmllib.unescape(" ".join(lines)) == title and "<with>" not in hover_title(title)
    assert hover_title("Short") == "Short" and hover_title("") == ""
    assert hover_title("x" * 60) == "x" * 60  # a word longer than a line is not cut
    hyphened = "Domain-Specific Text-to-Image Generation with Parameter-Efficient Fine-Tuning of Diffusion"
    assert all(not line.endswith("-") for line in hover_title(hyphened).split("<br>"))  # breaks at spaces only
    assert " ".join(hover_title(hyphened).split("<br>")) == hyphened
