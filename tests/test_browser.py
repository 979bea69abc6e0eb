"""The built site in a real headless Chromium (Debian's chromium, driven by Playwright)."""

import html
import json
import re
import shutil
import threading
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

pytestmark = pytest.mark.browser


class Quiet(SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def served(built_site):
    handler = partial(Quiet, directory=str(built_site))
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_port}/"
    httpd.shutdown()


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    exe = shutil.which("chromium")
    if not exe:
        pytest.fail("chromium is not installed: `make test` installs it (apt-get install chromium)")
    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=exe, args=["--no-sandbox"])
        yield b
        b.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    p = context.new_page()
    errors = []
    p.on("pageerror", lambda e: errors.append(str(e)))
    yield p
    context.close()
    assert errors == [], errors


MAP_READY = "() => { const g = document.getElementById('map'); return g && g._fullLayout && g.querySelectorAll('.scatterlayer .point').length > 0 }"


def papers(site: Path) -> list[dict]:
    return json.loads((site / "data/papers.json").read_text())


# the point of the first topic farthest from every other point (one another point covers
# would show that one's title): its centre on the page and its title
CLEAR_POINT = """() => {
  const g = document.getElementById('map'), all = [];
  g.querySelectorAll('.scatterlayer .trace').forEach((t, k) => t.querySelectorAll('.point').forEach((n, j) => {
    const r = n.getBoundingClientRect(); all.push({k: k, j: j, x: r.left + r.width / 2, y: r.top + r.height / 2});
  }));
  let best = null, room = -1;
  // (in the viewport: a tap can only land there)
  all.filter(a => a.k === 0 && a.y > 0 && a.y < window.innerHeight && a.x > 0 && a.x < window.innerWidth).forEach(a => {
    const d = Math.min(...all.filter(b => b !== a).map(b => Math.hypot(a.x - b.x, a.y - b.y)));
    if (d > room) { room = d; best = a; }
  });
  return {x: best.x, y: best.y, title: g.data[0].text[best.j]};
}"""


def clear_point(page) -> tuple[float, float, str]:
    page.wait_for_timeout(300)  # a map that grows to hold its legend has settled
    point = page.evaluate(CLEAR_POINT)
    return point["x"], point["y"], point["title"].split("<")[0][:30].replace("&amp;", "&")


def test_map_draws_one_point_per_paper_hover_and_click(page, served, built_site):
    page.goto(served + "index.html")
    page.wait_for_function(MAP_READY)
    n_points = page.evaluate("document.querySelectorAll('#map .scatterlayer .point').length")
    assert n_points == len(papers(built_site))
    x, y, title = clear_point(page)
    page.mouse.move(x, y)
    page.wait_for_selector("#map .hoverlayer .hovertext", timeout=5000)
    hover = page.evaluate("document.querySelector('#map .hoverlayer .hovertext').textContent")
    assert title in hover
    page.mouse.click(x, y)
    page.wait_for_url("**/papers/*.html", timeout=10000)
    assert page.locator("h1").inner_text()


# counts, from the moment plotly loads, the map's redraws at a new size (Plotly.Plots.resize) and
# by relayout (each a full recalculation of a 100,000-point map when it moves a plotly
# annotation), and keeps the names in the last figure saved as an image
COUNT_DRAWS = """window.__resizes = 0; window.__relayouts = 0; let _P; Object.defineProperty(window, 'Plotly', {configurable: true, get() { return _P; },
  set(v) { _P = v; const rs = v.Plots.resize, rl = v.relayout, dl = v.downloadImage;
    v.Plots.resize = function () { window.__resizes++; return rs.apply(this, arguments); };
    v.relayout = function () { window.__relayouts++; return rl.apply(this, arguments); };
    v.downloadImage = function (fig) { window.__saved = (fig.layout.annotations || []).map(a => a.text); window.__savedOn = fig.layout.paper_bgcolor; window.__savedSize = [fig.layout.width, fig.layout.height]; window.__savedFig = fig; return dl.apply(this, arguments); }; }});"""


NAMES = """() => {
  const g = document.getElementById('map'), f = g._fullLayout, o = g.querySelector('.main-svg').getBoundingClientRect();
  // where each topic's centre is, from the figure's data (not from the script that draws the names)
  const at = {};
  window.RESEARCHMAP_MAP.layout.annotations.forEach(a => at[a.name] = a);
  return Array.from(g.querySelectorAll('.infolayer .map-names > g')).map(n => {
    const a = at[n.getAttribute('data-slug')], r = n.querySelector('rect').getBoundingClientRect();
    const line = n.querySelector('line'), l = line.getBoundingClientRect(), c = k => +line.getAttribute(k);
    const x = o.left + f.xaxis._offset + f.xaxis.l2p(a.x), y = o.top + f.yaxis._offset + f.yaxis.l2p(a.y);
    return {shown: r.width > 0, line: l.width + l.height > 0, text: n.textContent, x: x, y: y,
            x1: o.left + c('x1'), y1: o.top + c('y1'), x2: o.left + c('x2'), y2: o.top + c('y2'),
            l: r.left, r: r.right, t: r.top, b: r.bottom};
  });
}"""


RANGE = "JSON.stringify(document.getElementById('map')._fullLayout.xaxis.range)"
SHOWN_NAMES = "Array.from(document.querySelectorAll('#map .map-names > g')).filter(n => n.getBoundingClientRect().width > 0)"


def check_names(page) -> list[dict]:
    """The map's topic names as drawn: none covers another, all are inside the plot, and each
    sits on its topic's centre (or a line or two above or below it), covers or touches it, or is
    tied to it by a line from the centre to the name's edge."""
    plot = page.locator("#map .nsewdrag").first.bounding_box()
    names = page.evaluate(NAMES)
    shown = [b for b in names if b["shown"]]
    for n, a in enumerate(shown):
        assert plot["x"] - 1 <= a["l"] and a["r"] <= plot["x"] + plot["width"] + 1, a
        assert plot["y"] - 1 <= a["t"] and a["b"] <= plot["y"] + plot["height"] + 1, a
        cx, cy, h = (a["l"] + a["r"]) / 2, (a["t"] + a["b"]) / 2, a["b"] - a["t"]
        covers = a["l"] - 2 <= a["x"] <= a["r"] + 2 and a["t"] - 2 <= a["y"] <= a["b"] + 2  # touches, at least
        if a["line"]:
            assert not covers, a
            assert abs(a["x1"] - a["x"]) <= 1 and abs(a["y1"] - a["y"]) <= 1, a
            edge = min(abs(a["x2"] - a["l"]), abs(a["x2"] - a["r"]), abs(a["y2"] - a["t"]), abs(a["y2"] - a["b"]))
            assert edge <= 1 and a["l"] - 1 <= a["x2"] <= a["r"] + 1 and a["t"] - 1 <= a["y2"] <= a["b"] + 1, a
        else:  # on its centre or a line or two above or below it; or moved aside, still touching it
            assert covers or (abs(cx - a["x"]) <= 2 and abs(cy - a["y"]) <= 2 * (h + 2) + 1), a
        for b in shown[n + 1:]:
            overlap = min(a["r"], b["r"]) - max(a["l"], b["l"]) > 1 and min(a["b"], b["b"]) - max(a["t"], b["t"]) > 1
            assert not overlap, (a, b)
    return names


@pytest.mark.parametrize("width", [1280, 800])
def test_every_topic_name_on_the_map_is_placed_clear_of_the_others(page, served, width):
    page.add_init_script(COUNT_DRAWS)
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(served + "index.html")
    page.wait_for_function(MAP_READY)
    page.wait_for_timeout(500)  # the names are placed after the first draw
    names = check_names(page)
    assert len(names) >= 10 and sum(n["shown"] for n in names) >= (1.0 if width > 1000 else 0.9) * len(names)
    # zooming out packs the names closer: they are placed again, some away from their topics
    # with a line to them, and a name is hidden only when there is no room left for it
    box = page.locator("#map .nsewdrag").first.bounding_box()
    lines = 0
    for _ in range(2):
        page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
        before = page.evaluate(RANGE)
        page.keyboard.down("Control")  # the wheel zooms with Ctrl held (or once the map is pressed)
        page.mouse.wheel(0, 300)
        page.keyboard.up("Control")
        page.wait_for_timeout(800)
        assert page.evaluate(RANGE) != before
        names = check_names(page)
        assert sum(n["shown"] for n in names) >= 0.9 * len(names)
        lines += sum(n["shown"] and n["line"] for n in names)
    assert lines
    # placing the names redrew nothing: plotly drew the map once at load and once per zoom
    assert page.evaluate("window.__relayouts") == 0


@pytest.mark.parametrize("path", ["index.html", "topics/moe.html"])
def test_the_wheel_scrolls_past_the_map_until_the_reader_takes_hold_of_it(page, served, path):
    """A map most of a screen high must not catch the wheel of a reader scrolling down the
    page: it says how to zoom; a press on the map (or Ctrl held) makes the wheel zoom, until the
    pointer leaves."""
    page.goto(served + path)
    page.wait_for_function(MAP_READY)
    box = page.locator("#map .nsewdrag").first.bounding_box()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    before, top = page.evaluate(RANGE), page.evaluate("window.scrollY")
    page.mouse.wheel(0, 200)
    page.wait_for_timeout(500)
    assert page.evaluate(RANGE) == before and page.evaluate("window.scrollY") > top
    assert "zoom with the wheel" in page.get_attribute("#map", "data-hint")
    # the click the hint asks for takes hold of the map even on a point: it opens no paper (half
    # the plot is within reach of some point)
    corner = page.evaluate("""() => { const r = document.querySelector('#map .nsewdrag').getBoundingClientRect(); return [r.x + 3, r.y + 3]; }""")
    page.mouse.wheel(0, 200)  # (the page scrolls: the point is found where it is now)
    x, y, _ = clear_point(page)
    assert page.get_attribute("#map", "data-hint")
    page.mouse.click(x, y)
    page.wait_for_timeout(800)
    assert page.url.endswith(path) and page.get_attribute("#map", "data-hint") is None
    page.mouse.wheel(0, 200)
    page.wait_for_timeout(500)
    assert page.evaluate(RANGE) != before
    x, y, _ = clear_point(page)
    page.mouse.click(x, y)  # a click once the map is held opens the paper, as ever
    page.wait_for_url("**/papers/*.html", timeout=10000)
    page.go_back()
    page.wait_for_function(MAP_READY)
    before = page.evaluate(RANGE)
    # leaving lets go: the wheel scrolls the page again
    page.mouse.move(corner[0], corner[1] - 200 if corner[1] > 250 else 5)
    page.mouse.move(*corner)
    zoomed = page.evaluate(RANGE)
    page.mouse.wheel(0, 200)
    page.wait_for_timeout(500)
    assert page.evaluate(RANGE) == zoomed


# the saved figure drawn by plotly into a div of its own, off the page
SAVED_DRAWN = """() => {
  if (!window.__copy) {
    const d = window.__copy = document.createElement('div');
    d.style.cssText = 'position: absolute; left: 0; top: 2000px';
    document.body.appendChild(d);
    window.__copied = false;
    Plotly.newPlot(d, window.__savedFig.data, window.__savedFig.layout).then(() => window.__copied = true);
  }
  return window.__copied;
}"""
# each name's centre in the copy (plotly's annotations) and on the page (the names' layer),
# both from the top left of the plot's SVG
SAVED_NAMES = """() => {
  const centre = (r, o) => [(r.left + r.right) / 2 - o.left, (r.top + r.bottom) / 2 - o.top];
  const drawn = {}, shown = {}, o1 = window.__copy.querySelector('.main-svg').getBoundingClientRect();
  window.__copy.querySelectorAll('.infolayer .annotation').forEach(n =>
    drawn[n.textContent] = centre(n.querySelector('.annotation-text-g rect, .annotation-text-g').getBoundingClientRect(), o1));
  const o2 = document.querySelector('#map .main-svg').getBoundingClientRect();
  document.querySelectorAll('#map .map-names > g').forEach(n => {
    const r = n.querySelector('rect').getBoundingClientRect();
    if (r.width > 0) shown[n.textContent] = centre(r, o2);
  });
  return [drawn, shown];
}"""


def test_the_saved_image_of_the_map_holds_the_names_it_shows(page, served, tmp_path):
    page.add_init_script(COUNT_DRAWS)
    page.goto(served + "index.html")
    page.wait_for_function(MAP_READY)
    page.wait_for_timeout(500)
    shown = sorted(n["text"] for n in check_names(page) if n["shown"])
    assert shown
    with page.expect_download() as download:
        page.locator("#map .modebar-btn[data-title='Download plot as a PNG']").click()
    path = tmp_path / download.value.suggested_filename
    download.value.save_as(path)
    assert path.suffix == ".png" and path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and path.stat().st_size > 10_000
    assert sorted(html.unescape(t) for t in page.evaluate("window.__saved")) == shown
    # at the size of the map on the page, which the names' places are in pixels of
    box = page.locator("#map .main-svg").first.bounding_box()
    assert page.evaluate("window.__savedSize") == [round(box["width"]), round(box["height"])]
    # and each name where the page shows it: the saved figure drawn again by plotly
    page.wait_for_function(SAVED_DRAWN)
    drawn, shown_at = page.evaluate(SAVED_NAMES)
    assert sorted(drawn) == sorted(shown_at)
    for name, (x, y) in drawn.items():
        assert abs(x - shown_at[name][0]) <= 2 and abs(y - shown_at[name][1]) <= 2, (name, (x, y), shown_at[name])
    # on the map's background, not transparent: the names are in the theme's text colour
    assert page.evaluate("window.__savedOn === getComputedStyle(document.documentElement).getPropertyValue('--card').trim()")


def legend_under_points(page) -> dict:
    """The whole legend shows under the points, not over them, with no scroll inside the map;
    the box of the points."""
    page.wait_for_function("(() => { const l = document.getElementById('map')._fullLayout.legend; return l.orientation === 'h' && l._height <= l._effHeight + 1; })()")
    page.wait_for_timeout(300)
    legend = page.locator("#map .legend").bounding_box()
    plot = page.locator("#map .nsewdrag").first.bounding_box()
    assert legend["y"] >= plot["y"] + plot["height"] - 1, (legend, plot)
    return plot


def with_css(css, route):
    """Serve a stylesheet with ``css`` added."""
    response = route.fetch()
    route.fulfill(response=response, body=response.text() + css)


def test_a_narrow_map_or_a_long_legend_puts_the_legend_under_the_points(browser, served):
    for width, css in ((800, ""), (600, ""), (390, ""), (1280, ".map { height: 380px; }")):  # 17 topics beside 380 px would scroll
        context = browser.new_context(viewport={"width": width, "height": 900})
        p = context.new_page()
        p.add_init_script(COUNT_DRAWS)
        if css:
            p.route("**/style.css", partial(with_css, css))
        p.goto(served + "index.html")
        p.wait_for_function(MAP_READY)
        plot = legend_under_points(p)
        assert plot["width"] >= 0.9 * p.locator("#map").bounding_box()["width"], width  # the points keep the width
        assert plot["height"] >= 300, width
        # the legend's height was known before the first draw: a 100,000-point map is drawn once
        assert p.evaluate("window.__resizes") == 0, width
        context.close()


def test_resizing_the_window_moves_the_legend_and_the_names_as_loading_at_that_width_would(browser, served):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    p = context.new_page()
    p.route("**/style.css", partial(with_css, ".map { height: 800px; }"))  # room beside it for every topic's entry
    p.goto(served + "index.html")
    p.wait_for_function(MAP_READY)
    beside = "(() => { const e = document.getElementById('map'), l = e._fullLayout.legend; return l.orientation === 'v' && l._height <= l._effHeight + 1 && e.style.height === ''; })()"
    p.wait_for_function(beside)
    wide = p.locator("#map").bounding_box()["height"]
    p.set_viewport_size({"width": 800, "height": 900})
    plot = legend_under_points(p)
    p.wait_for_function("document.getElementById('map').style.height !== ''")  # grown, after the resize settled
    p.wait_for_timeout(300)
    plot = p.locator("#map .nsewdrag").first.bounding_box()
    assert plot["width"] >= 0.9 * p.locator("#map").bounding_box()["width"]
    assert p.locator("#map").bounding_box()["height"] > wide  # grown to hold the legend under the points
    p.set_viewport_size({"width": 1280, "height": 900})
    p.wait_for_function(beside)
    assert abs(p.locator("#map").bounding_box()["height"] - wide) <= 1  # back to the stylesheet's height
    # a phone turned to portrait and back: no names over the points and a swipe scrolls the page,
    # then the names again and a drag pans
    names = f"{SHOWN_NAMES}.length"
    shown = p.evaluate(names)
    assert shown > 0
    p.set_viewport_size({"width": 400, "height": 800})
    p.wait_for_function(f"{names} === 0 && document.getElementById('map').layout.dragmode === false")
    p.set_viewport_size({"width": 1280, "height": 900})
    p.wait_for_function(f"{names} === {shown} && document.getElementById('map').layout.dragmode === 'pan'")
    p.wait_for_function(beside)
    context.close()


def test_topic_page_map_frames_its_topic_alone(page, served):
    page.goto(served + "topics/kv-cache.html")
    page.wait_for_function(MAP_READY)
    page.wait_for_timeout(500)
    # no one-entry legend (it reads as a stray point), and only this topic's name on the map
    assert page.locator("#map .legend").count() == 0
    names = page.evaluate(f"{SHOWN_NAMES}.map(n => n.textContent)")
    assert names == [page.locator("h1").inner_text()]
    # every point of the topic is inside the plot, the others greyed
    plot = page.locator("#map .nsewdrag").first.bounding_box()
    focus = page.evaluate("Array.from(document.getElementById('map').data.entries()).filter(([i, t]) => t.meta === 'kv-cache').map(([i]) => i)")
    assert len(focus) == 1
    points = page.locator(f"#map .scatterlayer .trace:nth-child({focus[0] + 1}) .point")
    assert points.count() >= 3
    for k in range(points.count()):
        b = points.nth(k).bounding_box()
        assert plot["x"] <= b["x"] and b["x"] + b["width"] <= plot["x"] + plot["width"] + 1
        assert plot["y"] <= b["y"] and b["y"] + b["height"] <= plot["y"] + plot["height"] + 1


def test_other_papers_map_shows_the_topics_around_them_in_its_dots_of_ink(page, served):
    """Other papers lie between the topics: framed tightly, their map showed one other point, and
    their grey dots read as the faded ones."""
    page.goto(served + "topics/other.html")
    page.wait_for_function(MAP_READY)
    state = page.evaluate("""() => {
      const m = document.getElementById('map'), [x0, x1] = m._fullLayout.xaxis.range, [y0, y1] = m._fullLayout.yaxis.range;
      let around = 0, colour = null, own = 0;
      m.data.forEach(t => {
        if (t.meta === 'other') { colour = t.marker.color; own = t.x.length; return; }
        t.x.forEach((x, j) => { if (x0 <= x && x <= x1 && y0 <= t.y[j] && t.y[j] <= y1) around++; });
      });
      return {around, colour, own, ink: getComputedStyle(document.documentElement).getPropertyValue('--fg').trim()};
    }""")
    assert state["own"] >= 3 and state["colour"] == state["ink"]
    assert state["around"] >= 2 * state["own"], state


def test_topic_page_map_rings_the_papers_mainly_in_another_topic(page, served, built_site):
    """A topic page's count holds every member; its map draws those whose main topic is another
    as rings of this topic's colour, where their main topic puts them, so count and map agree."""
    ps = papers(built_site)
    slug = max({s for p in ps for s in p["topics"][1:]}, key=lambda s: sum(1 for p in ps if s in p["topics"][1:]))
    also = {p["url"] for p in ps if slug in p["topics"][1:]}
    main = sum(1 for p in ps if p["topics"][0] == slug)
    page.goto(served + f"topics/{slug}.html")
    page.wait_for_function(MAP_READY)
    traces = page.evaluate("document.getElementById('map').data.map(t => ({meta: t.meta || '', symbol: (t.marker || {}).symbol || '', "
                           "color: (t.marker || {}).color, n: t.x.length, urls: t.customdata}))")
    rings = [t for t in traces if t["symbol"] == "circle-open"]
    own = next(t for t in traces if t["meta"] == slug)
    assert len(rings) == 1 and set(rings[0]["urls"]) == also and rings[0]["color"] == own["color"]
    assert own["n"] + rings[0]["n"] == main + len(also)
    assert page.locator("h1 + .meta").inner_text().startswith(f"{main + len(also)} papers ({main} mainly here, {len(also)} ")
    box = page.locator(f"#map .scatterlayer .trace:nth-child({len(traces)}) .point").first.bounding_box()
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)  # plotly's drag layer takes the click
    page.wait_for_url(lambda url: any(url.endswith(u) for u in also))


CONTRASTS = """() => {
  const lum = h => [1, 3, 5].map(i => parseInt(h.substr(i, 2), 16) / 255)
    .map(v => v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4))
    .reduce((s, v, i) => s + v * [0.2126, 0.7152, 0.0722][i], 0);
  const bg = getComputedStyle(document.documentElement).getPropertyValue('--card').trim();
  return document.getElementById('map').data.map(t => {
    const a = lum(t.marker.color), b = lum(bg);
    return [t.marker.color, (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05)];
  });
}"""


# every topic name on the map is in the page's text colour on a veil of the map's background
NAMES_INKED = """() => {
  const s = getComputedStyle(document.documentElement), fg = s.getPropertyValue('--fg').trim(), card = s.getPropertyValue('--card').trim();
  const names = Array.from(document.querySelectorAll('#map .map-names > g'));
  return [names.length > 0 && names.every(n => n.querySelector('text').getAttribute('fill') === fg && n.querySelector('line').getAttribute('stroke') === fg),
          names.every(n => n.querySelector('rect').getAttribute('fill') === card)];
}"""


# hover labels in the page's colours (text, background) and the buttons in its muted ink
LABELS_INKED = """(() => {
  const css = n => getComputedStyle(document.documentElement).getPropertyValue(n).trim();
  const l = document.getElementById('map').layout;
  return [l.hoverlabel.font.color === css('--fg'), l.hoverlabel.bgcolor === css('--bg'), l.modebar.color === css('--muted')];
})()"""


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_map_colours_stand_out_from_the_map_in_either_theme(browser, served, scheme):
    """3:1 against the map's background (WCAG's contrast for graphics), and again after the
    reader switches theme: the palette is chosen to have it in both default themes."""
    context = browser.new_context(color_scheme=scheme)
    p = context.new_page()
    p.goto(served + "index.html")
    p.wait_for_function(MAP_READY)
    first = p.evaluate(CONTRASTS)
    assert len(first) >= 10 and all(c >= 3 for _, c in first), first
    assert p.evaluate(NAMES_INKED) == [True, True]
    assert p.evaluate(LABELS_INKED) == [True, True, True]
    font = p.evaluate("document.getElementById('map').layout.font.color")
    p.click(".theme-toggle")
    p.wait_for_function(f"document.getElementById('map').layout.font.color !== {font!r}")
    second = p.evaluate(CONTRASTS)
    assert p.evaluate(NAMES_INKED) == [True, True]  # the topic names follow the theme too
    assert p.evaluate(LABELS_INKED) == [True, True, True]  # hover labels and buttons too
    # a map button focused from the keyboard shows the site's focus ring, not plotly's 1px black
    for _ in range(60):
        p.keyboard.press("Tab")
        if p.evaluate("document.activeElement.classList.contains('modebar-btn')"):
            break
    ring = p.evaluate("(() => { const s = getComputedStyle(document.querySelector('#map .modebar-btn:focus-visible')); return [s.outlineWidth, s.outlineColor]; })()")
    focus = p.evaluate("getComputedStyle(document.documentElement).getPropertyValue('--focus').trim()")
    context.close()
    assert ring[0] == "3px" and ring[1] == "rgb({}, {}, {})".format(*(int(focus[i:i + 2], 16) for i in (1, 3, 5))), (ring, focus)
    assert all(c >= 3 for _, c in second), second


def test_a_topic_pages_map_follows_the_theme_switch_too(browser, served):
    context = browser.new_context(color_scheme="light")
    p = context.new_page()
    errors = []
    p.on("pageerror", lambda e: errors.append(str(e)))
    p.goto(served + "topics/moe.html")
    p.wait_for_function(MAP_READY)
    font = p.evaluate("document.getElementById('map').layout.font.color")
    # a label left open (as a tap leaves one on a phone) is drawn again in the new colours
    p.evaluate("Plotly.Fx.hover(document.getElementById('map'), [{curveNumber: document.getElementById('map').data.findIndex(t => t.meta === 'moe'), pointNumber: 0}])")
    fills = "Array.from(document.querySelectorAll('#map .hoverlayer .hovertext path')).map(e => e.style.fill)"
    bg = "getComputedStyle(document.documentElement).getPropertyValue('--bg').trim()"
    before = p.evaluate(fills)
    p.click(".theme-toggle")
    p.wait_for_function(f"document.getElementById('map').layout.font.color !== {font!r}")
    after, colour = p.evaluate(fills), p.evaluate(f"Plotly.d3.rgb({bg}).toString()") if p.evaluate("!!window.Plotly.d3") else None
    inked = p.evaluate(LABELS_INKED)
    new_bg = p.evaluate(bg)
    # a label closed before the switch stays closed
    p.evaluate("Plotly.Fx.unhover(document.getElementById('map'))")
    p.click(".theme-toggle")
    p.wait_for_function(f"document.getElementById('map').layout.font.color === {font!r}")
    reopened = p.evaluate(fills)
    context.close()
    assert not errors and inked == [True, True, True], errors
    assert len(before) == len(after) == 1 and after != before, (before, after)
    r, g, b_ = (int(new_bg[k:k + 2], 16) for k in (1, 3, 5))
    assert after == [f"rgb({r}, {g}, {b_})"], (after, new_bg, colour)
    assert reopened == []


def test_a_theme_whose_map_background_hides_a_colour_gets_it_moved(browser, served):
    """A theme of the user's own may give the map a background some palette colours vanish on:
    those move toward the text colour until they have 3:1."""
    context = browser.new_context()
    context.add_init_script("""const s = document.createElement('style');
      s.textContent = ':root, :root[data-theme] { --card: #8a8a8a !important; }';
      document.documentElement.appendChild(s);""")
    p = context.new_page()
    p.goto(served + "index.html")
    p.wait_for_function(MAP_READY)
    colours = p.evaluate(CONTRASTS)
    given = p.evaluate("window.RESEARCHMAP_MAP.data.map(t => t.marker.color)")
    context.close()
    assert len(colours) >= 10 and all(c >= 3 for _, c in colours), colours
    assert sum(c != g for (c, _), g in zip(colours, given)) >= 3  # it took moving some


def test_map_is_named_and_keeps_its_tab_stops_few(page, served):
    page.goto(served + "index.html")
    page.wait_for_function(MAP_READY)
    assert page.get_attribute("#map", "aria-label").startswith("Topic map of ")
    stops = page.evaluate("Array.from(document.querySelectorAll('#map a, #map button, #map [tabindex]')).filter(e => e.tabIndex >= 0).length")
    # zoom in, zoom out, pan, reset, save and the legend (its entries are one stop, as a
    # toolbar's): not 25 before the topic list
    assert 0 < stops <= 6
    titles = page.evaluate("Array.from(document.querySelectorAll('#map .modebar-btn')).map(b => b.getAttribute('data-title'))")
    assert not [t for t in titles if "share" in t.lower() or "cloud" in t.lower()], titles
    assert titles == ["Download plot as a PNG", "Pan", "Zoom in", "Zoom out", "Reset axes"]  # save first, as plotly puts it


def test_legend_toggles_a_topic(page, served):
    page.goto(served + "index.html")
    page.wait_for_function(MAP_READY)
    before = page.evaluate("document.querySelectorAll('#map .scatterlayer .point').length")
    name_shown = f"""() => {{ const slug = document.getElementById('map').data[0].meta;
      return {SHOWN_NAMES}.some(n => n.getAttribute('data-slug') === slug); }}"""
    assert page.evaluate(name_shown)
    page.locator("#map .legend .traces").first.click()
    page.wait_for_function(f"document.querySelectorAll('#map .scatterlayer .point').length < {before}")
    page.wait_for_function(f"!({name_shown})()")  # its name goes with its points
    page.locator("#map .legend .traces").first.click()
    page.wait_for_function(f"document.querySelectorAll('#map .scatterlayer .point').length == {before}")
    page.wait_for_function(name_shown)


def test_the_legend_is_used_from_the_keyboard(page, served):
    """The legend is one tab stop after the map's buttons; the arrow keys move along it and Enter
    or Space hides and shows a topic, its rings too, keeping the focus on its entry."""
    page.goto(served + "index.html")
    page.wait_for_function(MAP_READY)
    # Tab from the page's top reaches the legend (one stop, whatever its length)
    page.locator("body").focus()
    for _ in range(30):
        page.keyboard.press("Tab")
        if page.evaluate("!!document.activeElement.closest('#map .legend')"):
            break
    focused = "(() => { const g = document.activeElement.closest('#map .legend .traces'); return g ? [...document.querySelectorAll('#map .legend .traces')].indexOf(g) : -1; })()"
    assert page.evaluate(focused) == 0
    assert page.evaluate("document.activeElement.getAttribute('role')") == "switch"
    state = "document.activeElement.getAttribute('aria-checked')"
    assert page.evaluate(state) == "true"
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    assert page.evaluate(focused) == 2
    page.keyboard.press("Alt+ArrowUp")  # the browser's, not the legend's
    assert page.evaluate(focused) == 2
    label = page.evaluate("document.activeElement.getAttribute('aria-label')")
    topic = page.evaluate("document.getElementById('map').data.filter(t => t.showlegend !== false)[2]")
    assert label and label in html.unescape(topic["name"])
    visible = f"document.getElementById('map').data.filter(t => t.legendgroup === {json.dumps(topic['legendgroup'])}).map(t => t.visible)"
    before = page.evaluate("document.querySelectorAll('#map .scatterlayer .point').length")
    page.keyboard.press("Enter")
    page.wait_for_function(f"document.querySelectorAll('#map .scatterlayer .point').length < {before}")
    assert set(page.evaluate(visible)) == {"legendonly"}
    page.wait_for_function(f"{focused} === 2 && {state} === 'false'")
    page.keyboard.press(" ")
    page.wait_for_function(f"document.querySelectorAll('#map .scatterlayer .point').length == {before}")
    assert set(page.evaluate(visible)) == {True}
    page.wait_for_function(f"{focused} === 2 && {state} === 'true'")
    # one tab stop: Tab leaves the legend, Shift+Tab comes back to the entry last used
    page.keyboard.press("Tab")
    assert page.evaluate(focused) == -1 and page.evaluate("!!document.activeElement.closest('#map')")
    page.keyboard.press("Shift+Tab")
    assert page.evaluate(focused) == 2
    page.keyboard.press("End")
    assert page.evaluate(focused) == page.evaluate("document.querySelectorAll('#map .legend .traces').length") - 1


def test_no_double_click_tip_on_a_touch_screen(browser, served):
    """Plotly's tip after a first legend click says "Double-click on legend": a mouse's tip, which
    on a phone also covers the legend. A mouse still gets it."""
    def tips(**kw) -> str:
        context = browser.new_context(**kw)
        p = context.new_page()
        p.goto(served + "index.html")
        p.wait_for_function(MAP_READY)
        p.locator("#map .legend .traces").first.scroll_into_view_if_needed()
        p.locator("#map .legend .traces").first.click()
        p.wait_for_timeout(600)
        shown = p.evaluate("Array.from(document.querySelectorAll('.plotly-notifier')).map(n => n.textContent).join(' ')")
        context.close()
        return shown

    assert "Double-click" in tips(viewport={"width": 1280, "height": 900})
    assert "Double-click" not in tips(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)


def test_a_swipe_over_the_map_scrolls_the_page_on_any_touch_screen(browser, served):
    """A phone turned to landscape is over 600 px wide, and the map most of its screen high: a
    swipe must still scroll the page (the buttons zoom and pan). A mouse still drags to pan."""
    for kw, dragmode in (({"viewport": {"width": 844, "height": 390}, "is_mobile": True, "has_touch": True}, False),
                         ({"viewport": {"width": 1024, "height": 768}, "has_touch": True, "is_mobile": True}, False),
                         ({"viewport": {"width": 844, "height": 390}}, "pan")):
        context = browser.new_context(**kw)
        p = context.new_page()
        p.goto(served + "index.html")
        p.wait_for_function(MAP_READY)
        assert p.evaluate("document.getElementById('map')._fullLayout.dragmode") == dragmode, kw
        context.close()


def test_a_tap_shows_a_title_and_a_second_tap_opens_the_paper(browser, served):
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    p = context.new_page()
    p.goto(served + "index.html")
    p.wait_for_function(MAP_READY)
    p.locator("#map .scatterlayer .trace:first-child .point").first.scroll_into_view_if_needed()
    x, y, title = clear_point(p)
    p.touchscreen.tap(x, y)
    p.wait_for_selector("#map .hoverlayer .hovertext", timeout=5000)
    assert title in p.evaluate("document.querySelector('#map .hoverlayer .hovertext').textContent")
    p.wait_for_timeout(500)
    assert p.url.endswith("index.html")  # the first tap only shows the title
    p.touchscreen.tap(x, y)
    p.wait_for_url("**/papers/*.html", timeout=10000)
    context.close()


def test_a_long_title_shows_whole_on_a_phone(browser, served):
    """Plotly never wraps a hover label: a long title ran off a phone's screen at both ends."""
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    p = context.new_page()
    p.goto(served + "index.html")
    p.wait_for_function(MAP_READY)
    p.locator("#map").scroll_into_view_if_needed()
    title = p.evaluate("""() => {
      const g = document.getElementById('map');
      let best = null;
      g.data.forEach((t, k) => (t.showlegend !== false ? t.text : []).forEach((x, j) => {
        if (!best || x.length > best.text.length) best = {k: k, j: j, text: x};
      }));
      Plotly.Fx.hover(g, [{curveNumber: best.k, pointNumber: best.j}]);
      return best.text;
    }""")
    p.wait_for_selector("#map .hoverlayer .hovertext", timeout=5000)
    box = p.evaluate("(() => { const r = document.querySelector('#map .hoverlayer .hovertext').getBoundingClientRect(); return [r.left, r.right]; })()")
    assert 0 <= box[0] < box[1] <= 390, box
    shown = p.evaluate("document.querySelector('#map .hoverlayer .hovertext').textContent")
    words = html.unescape(title.replace("<br>", " ")).split()
    assert len(words) > 8 and "".join(words) in "".join(shown.split())  # the whole title
    context.close()


def test_search_finds_a_paper_and_opens_it(page, served, built_site):
    target = next(p for p in papers(built_site) if p["title"].startswith("Hecate"))
    page.goto(served + "topics/moe.html")
    page.fill("#site-search", "fully sharded sparse data parallelism")
    page.wait_for_selector(".search-results li a")
    links = page.locator(".search-results li a")
    texts = links.all_inner_texts()
    assert target["title"] in texts[:3], texts
    links.nth(texts.index(target["title"])).click()
    page.wait_for_url(f"**/{target['url']}")
    page.fill("#site-search", "kv cache")
    page.wait_for_selector(".search-results li a")
    assert "KV cache" in page.locator(".search-results li a").all_inner_texts()  # topics are searchable
    # and the site's own pages, by their title first and by their text
    page.fill("#site-search", "about this map")
    page.wait_for_function("(document.querySelector('.search-results li a') || {href: ''}).href.endsWith('about.html')")  # first
    first = page.locator(".search-results li").first
    assert first.locator(".meta").inner_text() == "Page"
    page.fill("#site-search", "silhouette score")  # words of the about page's text
    page.wait_for_function("Array.from(document.querySelectorAll('.search-results li a')).some(a => a.getAttribute('href').endsWith('about.html'))")


def test_search_is_used_from_the_keyboard(page, served):
    page.goto(served + "about.html")
    page.keyboard.press("/")  # from anywhere on the page
    assert page.evaluate("document.activeElement.id") == "site-search"
    assert page.input_value("#site-search") == ""  # the slash is not typed into the box
    page.keyboard.type("kv cache")
    page.wait_for_selector(".search-results li a")
    assert page.get_attribute("#site-search", "aria-controls") == "site-search-results"
    # a click elsewhere closes the list (on a phone, a tap meant to close it landed on a result)
    page.mouse.click(5, 500)
    page.wait_for_selector(".search-results", state="hidden")
    page.focus("#site-search")
    page.wait_for_selector(".search-results li a")  # back when the box is focused again
    links = page.locator(".search-results li a")
    page.press("#site-search", "ArrowDown")
    assert page.evaluate("document.activeElement.textContent") == links.nth(0).inner_text()
    page.keyboard.press("ArrowDown")
    assert page.evaluate("document.activeElement.textContent") == links.nth(1).inner_text()
    page.keyboard.press("ArrowUp")
    page.keyboard.press("ArrowUp")
    assert page.evaluate("document.activeElement.id") == "site-search"
    # Escape from a result: one press closes the list, back in the box with the query kept
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Escape")
    page.wait_for_selector(".search-results", state="hidden")
    page.wait_for_timeout(200)
    assert page.is_hidden(".search-results") and page.input_value("#site-search") == "kv cache"
    assert page.evaluate("document.activeElement.id") == "site-search"
    first = links.nth(0).get_attribute("href")
    page.press("#site-search", "Enter")  # the first result
    page.wait_for_url("**/" + first.split("/")[-1])
    # Enter typed before the list comes opens the first result once the search has it
    page.goto(served + "about.html")
    page.focus("#site-search")
    page.keyboard.type("scaling laws")
    page.keyboard.press("Enter")
    page.wait_for_url(lambda url: "about.html" not in url, timeout=10000)
    page.go_back()
    # in another field "/" is typed, not taken
    page.goto(served + "papers.html")
    page.wait_for_selector("#filters:not([hidden])")
    page.click("#filters input[name=q]")
    page.keyboard.type("a/b")
    assert page.input_value("#filters input[name=q]") == "a/b"
    assert page.evaluate("document.activeElement.id") != "site-search"


def test_search_falls_back_to_papers_matching_some_words(page, served, built_site):
    titled = [p["title"] for p in papers(built_site) if "speculative" in p["title"].lower().split()]
    assert titled
    page.goto(served + "index.html")
    page.fill("#site-search", "speculative zzqxv")
    page.wait_for_selector(".search-results li a")
    items = page.locator(".search-results li").all_inner_texts()
    assert items[0] == "Nothing matches every word; matching some:"
    shown = page.locator(".search-results li a").all_inner_texts()
    assert set(titled) <= set(shown)


def test_search_finds_american_spellings_from_british_ones_and_back(page, served, built_site):
    """The named topics' keywords match either spelling; search must too ("quantisation" found
    nothing, though the KV cache topic's own description says "quantise")."""
    page.goto(served + "index.html")
    found = page.evaluate("""async () => {
      const s = q => window.RESEARCHMAP.search('', q).then(h => h.map(x => x.url).sort().join(' '));
      return [await s('quantization'), await s('quantisation'), await s('modeling'), await s('modelling'), await s('optimise')];
    }""")
    assert found[0] and found[0] == found[1]
    assert found[2] and found[2] == found[3]
    assert found[4]  # "optimize", "optimized" ...
    # and a word typed in part still finds every title word it begins (the respelt index alone
    # lost "Smaller" to "small", "Distilled" to "distill", "Supervised" to "supervis")
    titles = {p["url"]: re.findall(r"[a-z0-9]+", p["title"].lower()) for p in papers(built_site)}
    for q in ("small", "distill", "supervis", "call", "model", "optimi"):
        hits = set(page.evaluate(f"window.RESEARCHMAP.search('', {q!r}).then(h => h.map(x => x.url))"))
        expected = {url for url, words in titles.items() if any(w.startswith(q) for w in words)}
        assert expected and expected <= hits, (q, expected - hits)


def test_search_puts_a_topic_named_by_the_query_first(page, served, built_site):
    topics = {t["slug"]: t["name"] for t in json.loads((built_site / "data/topics.json").read_text())}
    page.goto(served + "about.html")
    for query, slug in [("moe", "moe"), ("kv cache", "kv-cache"), ("peft", "peft")]:
        page.fill("#site-search", query)
        page.wait_for_function(f"(document.querySelector('.search-results li a') || {{}}).textContent === {json.dumps(topics[slug])}")


def test_search_links_all_its_matches_as_a_filtered_list(page, served):
    """The drop-down shows 20 results; its last link lists every paper matching all the words,
    on the all-papers page, as the header form does without its script (papers.html?q=...)."""
    page.goto(served + "about.html")
    page.fill("#site-search", "model")
    link = page.locator(".search-results a.all")
    link.wait_for()
    n = int(link.inner_text().split()[1])
    assert n > 20
    link.click()
    page.wait_for_url("**/papers.html?q=model")
    assert page.input_value("#filters input[name=q]") == "model"
    page.wait_for_function(f"document.getElementById('filter-count').textContent.startsWith('{n} of')")
    assert page.locator(".search-results").is_hidden()  # the list answers, not a second drop-down
    page.goto(served + "papers.html?q=kv+cache")
    page.wait_for_function("/^\\d+ of/.test(document.getElementById('filter-count').textContent)")
    shown = int(page.inner_text("#filter-count").split()[0])
    assert 0 < shown < 100 and page.locator("#paper-list li").count() == shown


def test_map_search_highlights_matching_points(page, served):
    page.goto(served + "index.html")
    page.wait_for_function(MAP_READY)
    page.fill("#map-search", "mixture of experts")
    page.wait_for_function("/\\d+ matching/.test(document.getElementById('map-search-count').textContent)")
    n = int(page.inner_text("#map-search-count").split()[0])
    assert n > 10
    # the topic names fade while matches show (a match under a name must be seen), and come back
    assert page.evaluate("document.querySelector('#map .map-names').style.opacity") == "0.25"
    page.fill("#map-search", "zzqxv")  # no match: nothing to uncover
    page.wait_for_function("document.getElementById('map-search-count').textContent.startsWith('0 ')")
    assert page.evaluate("document.querySelector('#map .map-names').style.opacity") == ""
    page.fill("#map-search", "mixture of experts")
    page.wait_for_function("document.querySelector('#map .map-names').style.opacity === '0.25'")
    page.fill("#map-search", "")
    page.wait_for_function("document.getElementById('map-search-count').textContent === ''")
    assert page.evaluate("document.querySelector('#map .map-names').style.opacity") == ""


def test_a_paper_pages_small_map_marks_it_and_opens_the_map_at_it(page, served, built_site):
    ps = sorted(papers(built_site), key=lambda p: (p["x"], p["id"]))
    places = {}
    for p in (ps[0], ps[-1]):  # the leftmost and the rightmost paper
        page.goto(served + p["url"])
        page.wait_for_function("document.querySelector('.minimap img').complete")
        assert page.evaluate("document.querySelector('.minimap img').naturalWidth") > 0
        img, here = page.locator(".minimap img").bounding_box(), page.locator(".minimap .here").bounding_box()
        cx, cy = here["x"] + here["width"] / 2, here["y"] + here["height"] / 2
        assert img["x"] <= cx <= img["x"] + img["width"] and img["y"] <= cy <= img["y"] + img["height"]
        places[p["id"]] = (cx - img["x"]) / img["width"]
        marker = page.evaluate("getComputedStyle(document.querySelector('.minimap .here')).backgroundColor")
    assert places[ps[0]["id"]] < 0.2 < 0.8 < places[ps[-1]["id"]]
    page.click(".minimap")  # the rightmost paper's
    page.wait_for_url("**/index.html?paper=*#topic-map")
    page.wait_for_function(MAP_READY)
    ring = page.evaluate("(() => { const d = document.getElementById('map').data; return d[d.length - 1]; })()")
    assert ring["ids"] == [ps[-1]["id"]] and ring["showlegend"] is False
    topic = page.evaluate(f"document.getElementById('map').data.find(t => t.showlegend !== false && t.ids.includes({ps[-1]['id']!r})).marker.color")
    assert marker == "rgb({}, {}, {})".format(*(int(topic[i:i + 2], 16) for i in (1, 3, 5)))  # the topic's colour on the map
    # a line above the map names it and links it; no hover label opens over the ring and its
    # neighbours (on a phone it covered them)
    assert page.inner_text(".map-marked a") == ps[-1]["title"]
    assert page.get_attribute(".map-marked a", "href").endswith(ps[-1]["url"])
    page.wait_for_timeout(500)
    assert page.locator("#map .hoverlayer .hovertext").count() == 0
    line = page.locator(".map-marked").bounding_box()
    assert 0 <= line["y"] < page.locator("#map").bounding_box()["y"]  # in view: the link scrolls to the section, not the map
    # the same on a WebGL map (plotly draws one past 3,000 papers)
    webgl = page.context.new_page()
    webgl.route("**/data/map.js", lambda route: route.fulfill(
        body=route.fetch().text().replace('"type":"scatter"', '"type":"scattergl"'), content_type="text/javascript"))
    webgl.goto(served + f"index.html?paper={ps[-1]['id']}#map")
    webgl.wait_for_function("document.getElementById('map')._fullLayout && document.getElementById('map').data[0].type === 'scattergl'")
    assert webgl.inner_text(".map-marked a") == ps[-1]["title"]
    webgl.close()
    # highlighting on the map leaves the ring alone and counts each paper once
    page.fill("#map-search", "mixture of experts")
    page.wait_for_function("/\\d+ matching/.test(document.getElementById('map-search-count').textContent)")
    with_ring = int(page.inner_text("#map-search-count").split()[0])
    assert page.evaluate("(() => { const d = document.getElementById('map').data; return d[d.length - 1].marker.size; })()") == 20
    page.goto(served + "index.html")
    page.wait_for_function(MAP_READY)
    page.fill("#map-search", "mixture of experts")
    page.wait_for_function("/\\d+ matching/.test(document.getElementById('map-search-count').textContent)")
    assert int(page.inner_text("#map-search-count").split()[0]) == with_ring


def test_dark_toggle_changes_palette_and_is_remembered(page, served):
    page.goto(served + "about.html")
    light = page.evaluate("getComputedStyle(document.body).backgroundColor")
    page.click(".theme-toggle")
    assert page.evaluate("document.documentElement.dataset.theme") == "dark"
    dark = page.evaluate("getComputedStyle(document.body).backgroundColor")
    assert dark != light
    page.goto(served + "papers.html")
    assert page.evaluate("getComputedStyle(document.body).backgroundColor") == dark


def test_flipping_back_follows_the_system_again(browser, served):
    """Flipping to what the system shows forgets the choice: the page then follows the system,
    and recolours with it, the map included."""
    context = browser.new_context(color_scheme="light")
    p = context.new_page()
    p.goto(served + "index.html")
    p.wait_for_function(MAP_READY)
    background = "getComputedStyle(document.body).backgroundColor"
    light = p.evaluate(background)
    assert "system" in p.get_attribute(".theme-toggle", "title")
    p.click(".theme-toggle")  # dark, by choice
    assert p.evaluate("localStorage.getItem('researchmap-theme')") == "dark"
    assert "your choice" in p.get_attribute(".theme-toggle", "title")
    p.click(".theme-toggle")  # light again: as the system
    assert p.evaluate("document.documentElement.hasAttribute('data-theme')") is False
    assert p.evaluate("localStorage.getItem('researchmap-theme')") is None
    assert p.evaluate(background) == light
    font = p.evaluate("document.getElementById('map').layout.font.color")
    p.emulate_media(color_scheme="dark")
    p.wait_for_function(f"document.getElementById('map').layout.font.color !== {font!r}")
    dark = p.evaluate(background)
    p.reload()
    p.wait_for_function(MAP_READY)
    after_reload = p.evaluate(background)
    pressed = p.get_attribute(".theme-toggle", "aria-pressed")
    context.close()
    assert dark != light and after_reload == dark and pressed == "true"


def test_follows_system_dark_mode(browser, served):
    context = browser.new_context(color_scheme="dark")
    p = context.new_page()
    p.goto(served + "index.html")
    bg = p.evaluate("getComputedStyle(document.body).backgroundColor")
    context.close()
    assert bg not in ("rgb(255, 255, 255)", "rgba(0, 0, 0, 0)")


def test_papers_page_filters_and_sorts(page, served, built_site):
    ps = papers(built_site)
    page.goto(served + "papers.html")
    page.wait_for_selector("#filters:not([hidden])")
    assert page.locator(".pager").is_visible()  # 295 papers, 200 a page
    assert page.inner_text("#papers-summary") == f"{len(ps)} papers, newest first."
    page.select_option("#filters select[name=topic]", "moe")
    expected = sum(1 for p in ps if "moe" in p["topics"])
    page.wait_for_function(f"document.getElementById('filter-count').textContent.startsWith('{expected} of')")
    assert not page.locator(".pager").is_visible()  # the filtered list replaces the pages
    # the line above the form counts what the filters let through (hidden, it moved the form)
    assert page.inner_text("#papers-summary") == f"{expected} of {len(ps)} papers match, newest first."
    page.fill("#filters input[name=minvotes]", "20")
    expected = sum(1 for p in ps if "moe" in p["topics"] and (p["upvotes"] or 0) >= 20 and p["upvotes"] is not None)
    page.wait_for_function(f"document.getElementById('filter-count').textContent.startsWith('{expected} of')")
    top = page.locator("#filters select[name=sort]").bounding_box()["y"]
    page.select_option("#filters select[name=sort]", "votes")
    votes = [int(t.split("▲ ")[1].split()[0]) for t in page.locator("#paper-list .meta").all_inner_texts() if "▲" in t]
    assert votes == sorted(votes, reverse=True) and len(votes) == expected
    assert page.inner_text("#papers-summary") == f"{expected} of {len(ps)} papers match, most upvoted first."
    assert page.locator("#filters select[name=sort]").bounding_box()["y"] == top  # the form stays under the pointer
    # 0 upvotes at least is no limit: papers listed without a count stay
    page.fill("#filters input[name=minvotes]", "0")
    page.wait_for_function(f"document.getElementById('filter-count').textContent.startsWith('{sum(1 for p in ps if 'moe' in p['topics'])} of')")
    # a date range leaves out the papers whose year is unknown, and says so
    page.select_option("#filters select[name=topic]", "")
    page.fill("#filters input[name=minvotes]", "")
    page.fill("#filters input[name=from]", "2018-01")
    dated = sum(1 for p in ps if p["date"] and p["date"] >= "2018-01")
    undated = sum(1 for p in ps if not p["date"])
    assert undated  # the seeds show many listing dates without a year
    page.wait_for_function(f"document.getElementById('filter-count').textContent.startsWith('{dated} of')")
    assert f"({undated} without a date: outside any date range)" in page.inner_text("#filter-count")
    # a range typed back to front reads as the months between, and says so
    page.fill("#filters input[name=to]", "2017-01")
    between = sum(1 for p in ps if p["date"] and "2017-01" <= p["date"][:7] <= "2018-01")
    page.wait_for_function(f"document.getElementById('filter-count').textContent.startsWith('{between} of')")
    assert "From is after To: read as the months from 2017-01 to 2018-01" in page.inner_text("#filter-count")
    # one button clears every filter, and the order
    page.select_option("#filters select[name=sort]", "title")
    page.click("#filter-clear")
    page.wait_for_function(f"document.getElementById('papers-summary').textContent === '{len(ps)} papers, newest first.'")
    assert page.input_value("#filters input[name=from]") == "" and page.input_value("#filters select[name=sort]") == "newest"
    assert page.locator("#filter-clear").is_hidden() and page.url.endswith("papers.html")
    assert page.locator("#paper-list li").count() == min(len(ps), 200)
    # a filtered list from page 2 numbers from 1 again
    page.goto(served + "papers-2.html")
    page.wait_for_selector("#filters:not([hidden])")
    assert page.get_attribute("#paper-list", "start") == "201"
    page.select_option("#filters select[name=topic]", "moe")
    page.wait_for_function("document.getElementById('filter-count').textContent !== ''")
    assert page.get_attribute("#paper-list", "start") is None
    # cleared there, it is page 2 again, with the pager
    page.click("#filter-clear")
    page.wait_for_function("document.getElementById('paper-list').getAttribute('start') === '201'")
    assert page.locator(".pager").is_visible() and page.locator("#paper-list li").count() == len(ps) - 200
    # 0 upvotes at least is no filter
    page.fill("#filters input[name=minvotes]", "0")
    page.wait_for_timeout(200)
    assert page.locator("#filter-clear").is_hidden() and page.inner_text("#papers-summary") == f"{len(ps)} papers, newest first."


def test_papers_page_filters_live_in_its_url(page, served, built_site):
    ps = papers(built_site)
    page.goto(served + "papers.html")
    page.wait_for_selector("#filters:not([hidden])")
    page.select_option("#filters select[name=topic]", "moe")
    page.fill("#filters input[name=minvotes]", "5")
    page.select_option("#filters select[name=sort]", "oldest")
    assert page.url.endswith("papers.html?topic=moe&minvotes=5&sort=oldest")
    expected = sum(1 for p in ps if "moe" in p["topics"] and p["upvotes"] is not None and p["upvotes"] >= 5)
    page.reload()
    page.wait_for_function(f"document.getElementById('filter-count').textContent.startsWith('{expected} of')")
    assert page.input_value("#filters select[name=topic]") == "moe" and page.input_value("#filters input[name=minvotes]") == "5"
    # the filtered rows read as the server's: a date, the votes, the topic as a link
    chips = page.locator("#paper-list .chip")
    assert chips.count() == expected and all(h.startswith("topics/") for h in chips.evaluate_all("cs => cs.map(c => c.getAttribute('href'))"))
    # papers without any date come last, oldest first as newest first
    page.select_option("#filters select[name=topic]", "")
    page.fill("#filters input[name=minvotes]", "")
    page.click("#filter-more")
    page.wait_for_function(f"document.querySelectorAll('#paper-list li').length == {len(ps)}")
    dated = page.locator("#paper-list li").evaluate_all("ls => ls.map(l => !!l.querySelector('time, .date'))")
    assert dated[0] and not dated[-1] and dated == sorted(dated, reverse=True)
    page.select_option("#filters select[name=sort]", "newest")
    assert page.url.endswith("papers.html")


def test_a_topic_page_opens_its_papers_by_upvotes_on_the_all_papers_page(page, served, built_site):
    ps = [p for p in papers(built_site) if "kv-cache" in p["topics"]]
    page.goto(served + "topics/kv-cache.html")
    page.click("text=most upvoted first")
    page.wait_for_url("**/papers.html?topic=kv-cache&sort=votes")
    page.wait_for_function(f"document.getElementById('filter-count').textContent.startsWith('{len(ps)} of')")
    titles = page.locator("#paper-list .paper-title, #paper-list li > a").all_inner_texts()[: len(ps)]
    want = sorted(ps, key=lambda p: -(p["upvotes"] or 0))
    assert {t.strip() for t in titles} == {p["title"] for p in ps}
    votes = [int(t.split("▲ ")[1].split()[0]) for t in page.locator("#paper-list .meta").all_inner_texts() if "▲" in t]
    assert votes == sorted(votes, reverse=True) and votes[0] == (want[0]["upvotes"] or 0)


def test_the_header_search_box_stays_put_from_page_to_page(page, served):
    """The menu marks the page it is on without widening it, so the box is where it was."""
    where = set()
    for path in ["index.html", "topics/moe.html", "papers.html", "about.html"]:
        page.goto(served + path)
        assert page.locator(".site-header nav a[aria-current=page]").count() == (0 if "topics" in path else 1)
        where.add(round(page.locator("#site-search").bounding_box()["x"]))
    assert len(where) == 1, where


@pytest.mark.parametrize("width", [1280, 375])
def test_papers_page_filters_in_a_row_line_up(browser, served, width):
    """A select and a date field are drawn shorter and taller than a text field: with the labels
    set on the controls' bottom edge, their words sat 2-5 px out of line."""
    context = browser.new_context(viewport={"width": width, "height": 900})
    p = context.new_page()
    p.goto(served + "papers.html")
    p.wait_for_selector("#filters:not([hidden])")
    rows = p.evaluate("""() => Array.from(document.querySelectorAll('#filters label')).map(l => {
      const c = l.querySelector('input, select').getBoundingClientRect(), t = l.getBoundingClientRect();
      return [t.top, c.top, c.bottom];
    })""")
    assert len(rows) >= 6
    for a in rows:
        beside = [b for b in rows if b[1] < a[2] and a[1] < b[2]]  # controls overlapping a's, a's own included
        assert max(b[0] for b in beside) - min(b[0] for b in beside) < 0.5, (width, rows)
        assert max(b[2] for b in beside) - min(b[2] for b in beside) < 0.5, (width, rows)
    context.close()


def test_readable_on_a_phone(browser, served):
    context = browser.new_context(viewport={"width": 375, "height": 740}, device_scale_factor=2, is_mobile=True)
    p = context.new_page()
    for path in ["index.html", "topics/moe.html", "papers.html", "about.html"]:
        p.goto(served + path)
        width = p.evaluate("document.documentElement.scrollWidth")
        assert width <= 375, (path, width)
    p.goto(served + "index.html")
    p.wait_for_function(MAP_READY)
    assert legend_under_points(p)["height"] >= 300  # and the points keep room
    # the list's filters two a row: the first papers in the first screen
    p.goto(served + "papers.html")
    p.wait_for_selector("#filters:not([hidden])")
    boxes = {k: p.locator(f"#filters label:has([name={k}])").bounding_box() for k in ("from", "to", "minvotes", "sort")}
    bottom = {k: b["y"] + b["height"] for k, b in boxes.items()}
    assert abs(bottom["from"] - bottom["to"]) < 2 and abs(bottom["minvotes"] - bottom["sort"]) < 2 and bottom["to"] < bottom["sort"]
    assert boxes["from"]["x"] < boxes["to"]["x"]
    context.close()


def test_works_from_file_url(page, built_site):
    page.goto((built_site / "index.html").as_uri())
    page.wait_for_function(MAP_READY)
    page.click("text=All papers")
    assert page.url.endswith("papers.html")


@pytest.mark.parametrize("path", ["index.html", "topics/moe.html", "papers/hecate"])
def test_no_serious_accessibility_violations(page, served, built_site, path):
    import axe_playwright_python

    if path.startswith("papers/"):
        path = next(p["url"] for p in papers(built_site) if p["url"].startswith(path))
    page.goto(served + path)
    page.add_script_tag(path=str(Path(axe_playwright_python.__file__).parent / "axe.min.js"))
    result = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
    serious = [(v["id"], v["impact"], len(v["nodes"])) for v in result["violations"] if v["impact"] in ("serious", "critical")]
    assert serious == [], serious


def test_images_and_page_links_written_as_files_work_in_the_published_site(tmp_path, page):
    """Written relative to the markdown files, as an editor's preview shows them; opened from disk."""
    from conftest import copy_site, run_cli

    root = copy_site(tmp_path / "site")
    pages = root / "content/pages"
    (pages / "img").mkdir()
    (pages / "img/dot.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg" width="40" height="20"><rect width="40" height="20"/></svg>')
    (pages / "guide").mkdir()
    (pages / "img/wide.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg" width="2000" height="100"><rect width="2000" height="100"/></svg>')
    wide_table = "| " + " | ".join(f"column {k} heading" for k in range(12)) + " |\n" + "|---" * 12 + "|\n" + "| value " * 12 + "|\n"
    (pages / "guide/setup.md").write_text("---\ntitle: Setup\n---\n![a dot](../img/dot.svg)\n\nBack to [about](../about.md#dates).\n\n"
                                      f"![wide](../img/wide.svg)\n\n{wide_table}\n- [x] done\n- [ ] todo\n\n> [!WARNING]\n> Mind it.\n\n"
                                      "```python\ndef build(site):  # one long line that must scroll inside its box, not the page\n"
                                      "    return site.render(pages=[page for page in site.pages if page.nav and not page.draft])\n```\n")
    (root / "content/topics/moe.md").write_text("![the dot](../pages/img/dot.svg) [setup](../pages/guide/setup.md)\n")
    run_cli("build", "--out", root / "_site", cwd=root)
    site = (root / "_site").as_uri() + "/"
    for path, alt in [("setup.html", "a dot"), ("topics/moe.html", "the dot")]:
        page.goto(site + path)
        assert page.eval_on_selector(f'img[alt="{alt}"]', "i => i.complete && i.naturalWidth") == 40, path
    page.click(".prose >> text=setup")  # the topic note's link, not the nav's
    page.wait_for_url(site + "setup.html")
    page.wait_for_load_state("load")  # its stylesheet too: the colours are read next
    # code is coloured, in both palettes, readable (axe), and a long line scrolls inside its box
    import axe_playwright_python

    for scheme in ("light", "dark"):
        page.emulate_media(color_scheme=scheme)
        colours = page.evaluate("""() => ['.k', '.nf', '.c1'].map(s => getComputedStyle(document.querySelector('pre code ' + s)).color)
                                   .concat([getComputedStyle(document.querySelector('pre code')).color])""")
        assert len(set(colours)) == 4, (scheme, colours)  # keyword, function name, comment, plain text
        page.add_script_tag(path=str(Path(axe_playwright_python.__file__).parent / "axe.min.js"))
        result = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
        assert [v["id"] for v in result["violations"] if v["impact"] in ("serious", "critical")] == [], scheme
    # a wide image shrinks to the page, and a wide table scrolls in its own box, at any width
    for width in (390, 1280):
        page.set_viewport_size({"width": width, "height": 800})
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), width
        assert page.evaluate("document.querySelector('img[alt=wide]').getBoundingClientRect().width <= document.querySelector('.prose').clientWidth + 1")
        assert page.evaluate("(() => { const t = document.querySelector('.table-scroll'); return t.scrollWidth > t.clientWidth })()"), width
        assert page.evaluate("getComputedStyle(document.querySelector('.prose td')).borderTopStyle") == "solid"
    assert page.evaluate("(() => { const p = document.querySelector('pre'); return p.scrollWidth > p.clientWidth })()")
    page.emulate_media(color_scheme="light")
    page.click("main >> text=about")
    page.wait_for_url(site + "about.html#dates")
    page.wait_for_selector("#dates", state="visible")
