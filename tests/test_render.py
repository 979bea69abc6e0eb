"""Pages whose inputs did not change since the last build are linked, not rendered again."""

import site_src.render as render_mod
from conftest import copy_site
from site_src.build import build
from site_src.config import load_config


def test_a_rebuild_renders_only_pages_whose_inputs_changed(tmp_path, monkeypatch):
    monkeypatch.setenv("RESEARCHMAP_SERIAL", "1")  # count renders in this process
    root = copy_site(tmp_path / "site")
    config = load_config(root / "researchmap.toml")
    first = build(config, out=root / "_site")
    calls = []
    real = render_mod.render
    monkeypatch.setattr(render_mod, "render", lambda env, template, ctx: calls.append(template) or real(env, template, ctx))
    # a dump that adds nothing: the papers are the same, the model too, so every page is as before
    (root / "content/papers/empty.jsonl").write_text("")
    again = build(config, out=root / "_site")
    assert again.pages == first.pages and again.written == 0
    assert calls == []


def test_a_dicts_keys_read_as_attributes_exactly_as_jinja_reads_them(tmp_path):
    """make_env looks a plain dict's key up first (a speed-up); what templates see must not
    change: a dict's own methods stay methods, a missing name is still an error, objects and
    other mappings are read as before."""
    import types

    import jinja2
    import pytest

    (tmp_path / "t.html").write_text(
        "{{ d.title }}|{{ d.items is callable }}|{% for k, v in d.items() %}{{ k }}={{ v }};{% endfor %}|"
        "{{ d.get('title') }}|{{ o.title }}|{{ o.nested.title }}|{{ d.nested.title }}|{{ d['items'] }}|{{ d.count }}"
    )
    ctx = {"d": {"title": "<A>", "items": 3, "nested": {"title": "n"}, "count": 2},
           "o": types.SimpleNamespace(title="o", nested={"title": "on"})}
    ours = render_mod.make_env([tmp_path])
    plain = jinja2.Environment(loader=jinja2.FileSystemLoader(str(tmp_path)), autoescape=True, undefined=jinja2.StrictUndefined)
    assert type(ours).getattr is not jinja2.Environment.getattr  # the short way is in place
    assert ours.get_template("t.html").render(ctx) == plain.get_template("t.html").render(ctx)
    assert ours.get_template("t.html").render(ctx).startswith("&lt;A&gt;|True|title=&lt;A&gt;;items=3;")
    (tmp_path / "missing.html").write_text("{{ d.nope }}")
    with pytest.raises(jinja2.UndefinedError):
        ours.get_template("missing.html").render(ctx)
