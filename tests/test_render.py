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
