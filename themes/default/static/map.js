// Draws the topic map from window.RESEARCHMAP_MAP (data/map.js) into #map.
// data-root: relative prefix to the site root; data-focus: a topic slug to highlight.
(function () {
  var el = document.getElementById("map");
  var fig = window.RESEARCHMAP_MAP;
  if (!el || !fig || !window.Plotly) return;
  var root = el.getAttribute("data-root") || "";
  var focus = el.getAttribute("data-focus");
  var data = fig.data.map(function (t) { return Object.assign({}, t); });
  var FAMILY = '"Open Sans", verdana, arial, sans-serif';  // plotly's default font
  // names come escaped for plotly's markup (&amp;, &lt;): as text
  var decoder = document.createElement("textarea");
  function text(markup) { decoder.innerHTML = markup || ""; return decoder.value; }
  var layout = Object.assign({}, fig.layout, { autosize: true });
  function css(name, fallback) { return getComputedStyle(document.documentElement).getPropertyValue(name).trim() || fallback; }
  function ink() { return css("--fg", "#222222"); }
  // plotly's buttons are pale grey on a white box: the page's muted ink on none, in either theme
  function bar() { return { bgcolor: "rgba(0,0,0,0)", color: css("--muted", "#57606a"), activecolor: ink() }; }
  layout.modebar = Object.assign({}, layout.modebar, bar());
  // a hover label in the page's colours: on a box of the topic's colour (plotly's way) dark text
  // was unreadable on the grey of Other papers and on the mid tones
  function hovering() { return { bgcolor: css("--bg", "#ffffff"), bordercolor: css("--muted", "#57606a"), font: { color: ink() } }; }
  layout.hoverlabel = Object.assign({}, layout.hoverlabel, hovering());
  // WCAG asks 3:1 of graphics against their background: a palette colour too dark for the dark
  // theme (or too light for the light one) moves toward the text colour until it has that
  function rgb(hex) { return [1, 3, 5].map(function (i) { return parseInt(hex.substr(i, 2), 16); }); }
  function luminance(c) {
    var l = c.map(function (v) { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); });
    return 0.2126 * l[0] + 0.7152 * l[1] + 0.0722 * l[2];
  }
  function contrast(a, b) { var x = luminance(a), y = luminance(b); return (Math.max(x, y) + 0.05) / (Math.min(x, y) + 0.05); }
  function legible(hex) {
    var bg = css("--card", "#ffffff"), fg = ink();
    if (!/^#[0-9a-f]{6}$/i.test(hex) || !/^#[0-9a-f]{6}$/i.test(bg) || !/^#[0-9a-f]{6}$/i.test(fg)) return hex;
    var c = rgb(hex), b = rgb(bg), f = rgb(fg), out = c;
    for (var k = 0; k <= 20 && contrast(out, b) < 3; k++) {
      out = c.map(function (v, i) { return Math.round(v + (f[i] - v) * k / 20); });
    }
    return "#" + out.map(function (v) { return ("0" + v.toString(16)).slice(-2); }).join("");
  }
  // the topics' own colours, kept to adjust again when the theme changes
  var base = data.map(function (t) { return t.marker && typeof t.marker.color === "string" ? t.marker.color : null; });
  data.forEach(function (t, i) { if (base[i]) t.marker = Object.assign({}, t.marker, { color: legible(base[i]) }); });
  layout.font = { color: ink() };
  layout.legend = Object.assign({}, layout.legend, { bgcolor: "rgba(0,0,0,0)" });
  // rings: open circles over points picked from the topics' traces, with no legend entry
  function rings(type) { return { type: type, mode: "markers", x: [], y: [], text: [], customdata: [], ids: [], showlegend: false }; }
  function pick(ring, t, j) { ["x", "y", "text", "customdata", "ids"].forEach(function (k) { ring[k].push(t[k][j]); }); }
  if (focus) {
    var xs = [], ys = [], colour = null, label = "", own = null;
    // data-other: the focus is "Other papers", grey on the map, which here reads as faded
    var other = el.hasAttribute("data-other");
    // data-also: the topic's papers whose main topic is another; drawn as rings where they are
    var also = {};
    (el.getAttribute("data-also") || "").split(" ").forEach(function (id) { if (id) also[id] = true; });
    var ring = rings(data.length ? data[0].type : "scatter");
    data.forEach(function (t, i) {
      if (t.meta === focus) {
        if (other) base[i] = "ink";
        xs = xs.concat(t.x); ys = ys.concat(t.y); colour = other ? ink() : t.marker.color; label = t.name; own = base[i];
        t.marker = Object.assign({}, t.marker, { size: 9, opacity: 1, color: colour });
        return;
      }
      (t.ids || []).forEach(function (id, j) { if (also[id]) pick(ring, t, j); });
      t.marker = Object.assign({}, t.marker, { color: "#b8bec6", opacity: 0.35 }); t.hoverinfo = "skip"; t.hovertemplate = null;
      base[i] = null;  // greyed: not a topic colour
    });
    if (ring.x.length) {
      // a topic with no dots of its own has no colour on the map: its rings take the text's
      ring.marker = { symbol: "circle-open", size: 10, color: colour || ink(), line: { width: 2 } };
      base.push(own || "ink");
      // trace names come escaped for plotly's markup; the page's heading is text
      label = label || ((document.querySelector("h1") || {}).textContent || "").replace(/&/g, "&amp;").replace(/</g, "&lt;");
      ring.hovertemplate = "%{text}<br><i>also in " + label + "</i><extra></extra>";
      data.push(ring);
      xs = xs.concat(ring.x); ys = ys.concat(ring.y);
    }
    // the page is about one topic: its name on the map is enough (a one-entry legend reads as a
    // stray point), and the other topics' names would only invite a click they cannot answer
    layout.showlegend = false;
    layout.annotations = (layout.annotations || []).filter(function (a) { return a.name === focus; });
    if (xs.length) {
      // the topic with a margin, and at least 40 % of the whole map each way: its neighbours stay
      // in view (Other papers lie between the topics, where a tight frame showed nothing else)
      var extent = function (arrays) {
        var lo = Infinity, hi = -Infinity;
        arrays.forEach(function (a) { for (var k = 0; k < a.length; k++) { if (a[k] < lo) lo = a[k]; if (a[k] > hi) hi = a[k]; } });
        return [lo, hi];
      };
      var frame = function (own, whole) {
        var m = (own[1] - own[0]) * 0.25 + 0.05, lo = own[0] - m, hi = own[1] + m, least = (whole[1] - whole[0]) * 0.4;
        if (hi - lo < least) { lo = (lo + hi - least) / 2; hi = lo + least; }
        return [lo, hi];
      };
      var every = function (k) { return fig.data.map(function (t) { return t[k] || []; }); };
      layout.xaxis = Object.assign({}, layout.xaxis, { range: frame(extent([xs]), extent(every("x"))) });
      layout.yaxis = Object.assign({}, layout.yaxis, { range: frame(extent([ys]), extent(every("y"))) });
      delete layout.yaxis.scaleanchor;
    }
  }
  // ?paper=<id> (the small map on a paper page links here): a ring marks the paper, and a line
  // above the map names it (a hover label opened on it covered the ring and its neighbours on a
  // phone, and legend entries beside the map)
  var wanted = new URLSearchParams(window.location.search).get("paper"), marked = null;
  if (wanted) data.slice().forEach(function (t) {
    var j = (t.ids || []).indexOf(wanted);
    if (j < 0 || marked || t.showlegend === false) return;
    marked = true;
    var line = document.createElement("p"), link = document.createElement("a");
    line.className = "map-marked";
    link.href = root + t.customdata[j];
    link.textContent = text(String(t.text[j]).replace(/<br>/g, " "));
    line.appendChild(document.createTextNode("Ringed on the map: "));
    line.appendChild(link);
    el.parentNode.insertBefore(line, el);
    var ring = Object.assign(rings(t.type), { name: t.name, legendgroup: t.legendgroup, hovertemplate: t.hovertemplate,
      marker: { symbol: "circle-open", size: 20, color: ink(), line: { width: 3 } } });
    pick(ring, t, j);
    data.push(ring);
    base.push("ink");
  });
  // a narrow map (a tablet, a half-screen window) keeps its width for the points: the legend goes
  // under them (as does one too long for the map's side, below); on a phone topic names would
  // also cover the points
  var phone = el.clientWidth < 600, points = el.clientHeight;
  // a touch screen (its main pointer a finger) of any width: a swipe over the map must scroll
  // the page, as on a phone, or a map most of a turned phone's screen high traps the reader
  var coarse = window.matchMedia("(pointer: coarse)").matches;
  var side = layout.legend, sideB = (layout.margin || {}).b || 0;
  var under = Object.assign({}, layout.legend, { orientation: "h", x: 0, y: 0, yanchor: "top", maxheight: 4000 });
  // a legend entry beside the map is about 29 px high (a line and the gap between groups):
  // decided before the first draw, so the map does not redraw as it appears
  var entries = data.filter(function (t) { return t.showlegend !== false; }).length;
  function wantsUnder() {
    return el.clientWidth < 1000 || (layout.showlegend !== false && entries * 29 > points - ((layout.margin || {}).t || 0));
  }
  var narrow = wantsUnder();
  if (narrow) {
    layout.legend = under;
    layout.margin = Object.assign({}, layout.margin, { b: 8 });
  }
  // a legend under the points: the map takes the height it needs before the first draw (see
  // grow), from the legend's rows as plotly lays them out (each entry its name's width plus 45 px,
  // rows 29 px apart), so a 100,000-point map is not drawn twice
  function legendRows(width) {
    var font = (layout.legend && layout.legend.font) || {}, ctx = document.createElement("canvas").getContext("2d");
    var rows = 1, x = 0;
    ctx.font = (font.size || 12) + "px " + (font.family || FAMILY);
    data.forEach(function (t) {
      if (t.showlegend === false) return;
      var w = ctx.measureText(text(t.name)).width + 45;
      if (x > 0 && x + w > width) { rows++; x = 0; }
      x += w;
    });
    return rows;
  }
  // the map's height that holds the points (on a phone 340 px of them) and, under them, a legend
  // ``legend`` px high, with margins ``top`` and ``bottom``
  function holding(top, bottom, legend) { return Math.ceil(top + (phone ? 340 : points - top - bottom) + legend + bottom + 16); }
  if (narrow && layout.showlegend !== false && entries) {
    var want = holding((layout.margin || {}).t || 0, 8, 29 * legendRows(el.clientWidth));
    if (want > points + 4) el.style.height = want + "px";
  }
  // topic names are drawn by this script in a layer of plotly's own SVG (under its hover labels),
  // not as plotly annotations: plotly recalculates every trace when an annotation moves (about
  // 0.5 s a zoom, and as much at load, on a 100,000-point map in software WebGL)
  var names = (layout.annotations || []).map(function (a) {
    return { slug: a.name, x: a.x, y: a.y, markup: a.text, text: text(a.text), size: (a.font || {}).size || 12 };
  });
  layout.annotations = [];
  var drag = layout.dragmode;
  // on a phone a swipe across the map scrolls the page (the buttons still zoom and pan) and no
  // names; on any touch screen a swipe scrolls
  if (phone || coarse) layout.dragmode = false;
  // the buttons a map needs (each is a tab stop before the page goes on): zoom, pan, reset, save
  // (plotly's "share chart" button needs a cloud account the site has nothing to do with; its
  // own save draws the figure again without this script, so without the names)
  Plotly.newPlot(el, data, layout, {
    responsive: true, displaylogo: false, scrollZoom: true, showSendToCloud: false, showEditInChartStudio: false,
    // plotly's tip on a first legend click says "Double-click": wrong on a touch screen, where it
    // also covers the legend
    showTips: !coarse,
    modeBarButtons: [
      [{ name: "Download plot as a PNG", icon: Plotly.Icons.camera, click: function () { return Plotly.downloadImage(saved(), SAVE_AS); } }],
      ["pan2d"], ["zoomIn2d", "zoomOut2d", "resetScale2d"],
    ],
  }).then(fits).then(grow);
  function fits() {
    var full = el._fullLayout;
    if (!narrow && full && full.showlegend && full.legend && full.legend._height > full.legend._effHeight + 1) {
      narrow = true;  // the legend would scroll beside the points after all
      return Plotly.relayout(el, { legend: under, "margin.b": 8 });
    }
  }
  // a legend under the map would scroll inside it (a scroll within a scroll) and squeeze the
  // points: the map grows to hold the points and the whole legend
  function grow() {
    var full = el._fullLayout;
    if (!narrow || !full || !full.legend || !full.showlegend) return null;
    var want = holding(full.margin.t, full.margin.b, full.legend._height);
    var height = want > points + 4 ? want + "px" : "";  // never below the stylesheet's height
    if (height === el.style.height || (height && Math.abs(want - el.clientHeight) <= 4)) return null;  // no redraw
    el.style.height = height;
    return Plotly.Plots.resize(el);
  }
  // a window resized across 1000 px moves the legend beside or under the points again, and one
  // across 600 px (a phone turned) shows or hides the names (plotly itself only redraws at the
  // new size); once a resize has settled, one rearrangement at a time
  var resizing = null, arranging = Promise.resolve();
  function rearrange() {
    if (!el._fullLayout) return null;
    var grown = el.style.height;
    el.style.height = "";
    points = el.clientHeight;  // the stylesheet's height at this width
    el.style.height = grown;
    var update = {}, wasPhone = phone;
    phone = el.clientWidth < 600;
    if (phone !== wasPhone && !coarse) update.dragmode = phone ? false : drag;  // (names: see declutter)
    var now = el._fullLayout.showlegend ? wantsUnder() : narrow, back = false;
    if (now !== narrow) {
      narrow = now;
      update.legend = narrow ? under : side;
      update["margin.b"] = narrow ? 8 : sideB;
      back = !narrow && el.style.height !== "";
      if (back) el.style.height = "";
    }
    var step = Object.keys(update).length ? Plotly.relayout(el, update) : null;
    return Promise.resolve(step).then(function () { return back ? Plotly.Plots.resize(el) : null; }).then(fits).then(grow);
  }
  window.addEventListener("resize", function () {
    clearTimeout(resizing);
    resizing = setTimeout(function () { arranging = arranging.then(rearrange, rearrange); }, 200);
  });
  // topic names must not cover each other: after every draw (zoom and pan included), each name in
  // turn (biggest topics first) takes the nearest free place inside the plot, never over another
  // topic's centre: on its topic or a line or two up or down, else further out, away from the
  // middle of the map, with a thin line back to its topic that crosses no other name or line (as
  // datamapplot labels a dense map). Only a name with no such place is left out; the legend still
  // names every topic. The name of a topic hidden in the legend goes with its points.
  // a name's veil reaches PAD px past its text at the sides and PAD - 1 above and below (the
  // text's box has room of its own there)
  var SVG = "http://www.w3.org/2000/svg", PAD = 3, VEIL = 0.4;
  var layer = document.createElementNS(SVG, "g");
  layer.setAttribute("class", "map-names");
  layer.setAttribute("pointer-events", "none");  // hover and drag reach the points under a name
  layer.style.fontFamily = FAMILY;
  function add(tag, parent) { return parent.appendChild(document.createElementNS(SVG, tag)); }
  names.forEach(function (n) {
    n.g = add("g", layer);
    n.g.setAttribute("data-slug", n.slug);
    n.line = add("line", n.g);
    n.line.setAttribute("stroke-width", 1);
    n.veil = add("rect", n.g);
    // a light veil and a halo round the letters, not an opaque box: the points under a name
    // (often its own topic's) stay in sight
    n.veil.setAttribute("fill-opacity", VEIL);
    n.label = add("text", n.g);
    n.label.setAttribute("paint-order", "stroke");
    n.label.setAttribute("stroke-width", 3);
    n.label.setAttribute("stroke-linejoin", "round");
    n.label.setAttribute("text-anchor", "middle");
    n.label.setAttribute("dominant-baseline", "central");
    n.label.style.fontSize = n.size + "px";
    n.label.style.whiteSpace = "pre";
    n.label.textContent = n.text;
  });
  // the page's text colour on a veil of the map's background, in either theme
  function paint() {
    var fg = ink(), card = css("--card", "#ffffff");
    names.forEach(function (n) {
      n.label.setAttribute("fill", fg);
      n.label.setAttribute("stroke", card);
      n.veil.setAttribute("fill", card);
      n.line.setAttribute("stroke", fg);
    });
  }
  paint();
  // where a name may go, nearest first: offsets from its topic's centre in pixels (screen y
  // grows down), in steps of a quarter of the name's width and of one line
  function offsets(w, h) {
    var out = [];
    for (var i = -8; i <= 8; i++) for (var j = -12; j <= 12; j++) out.push([i * w / 4, j * h]);
    return out.sort(function (a, b) {
      return near(b, h) - near(a, h) || Math.hypot(a[0], a[1]) - Math.hypot(b[0], b[1]) || a[1] - b[1] || a[0] - b[0];
    });
  }
  function near(o, h) { return o[0] === 0 && Math.abs(o[1]) <= 2 * h; }  // a place that needs no line
  // does the segment p-q pass through box b (Liang-Barsky), or cross the segment r-s?
  function through(p, q, b) {
    var lo = 0, hi = 1, d = [q[0] - p[0], q[1] - p[1]];
    var sides = [[-d[0], p[0] - b.l], [d[0], b.r - p[0]], [-d[1], p[1] - b.t], [d[1], b.b - p[1]]];
    return sides.every(function (s) {
      if (s[0] === 0) return s[1] >= 0;
      var t = s[1] / s[0];
      if (s[0] < 0) lo = Math.max(lo, t); else hi = Math.min(hi, t);
      return lo <= hi;
    });
  }
  function crosses(p, q, r, s) {
    function side(a, b, c) { return Math.sign((b[0] - a[0]) * (c[1] - a[1]) - (b[1] - a[1]) * (c[0] - a[0])); }
    return side(p, q, r) * side(p, q, s) < 0 && side(r, s, p) * side(r, s, q) < 0;
  }
  // a topic's centre in the plot's pixels, for the axes' ranges ``xr`` and ``yr``
  function anchor(n, full, xr, yr) {
    var xa = full.xaxis, ya = full.yaxis;
    return [xa._offset + (n.x - xr[0]) / (xr[1] - xr[0]) * xa._length, ya._offset + (yr[1] - n.y) / (yr[1] - yr[0]) * ya._length];
  }
  function inside(p, area) { return p[0] >= area.l && p[0] <= area.l + area.w && p[1] >= area.t && p[1] <= area.t + area.h; }
  // a name at its place ``n.at`` (an offset from its topic's centre, null: not shown), with a
  // line from the centre to the edge of the name's veil when it is placed away from it
  function draw(n) {
    if (!n.at || !n.p) { n.g.setAttribute("display", "none"); return; }
    var cx = n.p[0] + n.at[0], cy = n.p[1] + n.at[1];
    n.g.removeAttribute("display");
    n.label.setAttribute("x", cx);
    n.label.setAttribute("y", cy);
    n.veil.setAttribute("x", cx - n.w / 2);
    n.veil.setAttribute("y", cy - n.h / 2);
    n.veil.setAttribute("width", n.w);
    n.veil.setAttribute("height", n.h);
    // (a name touching its centre needs no line)
    var dx = -n.at[0], dy = -n.at[1], cut = Math.min(Math.abs(n.w / 2 / dx) || Infinity, Math.abs(n.h / 2 / dy) || Infinity);
    n.drawn = n.lined && Math.max(Math.abs(dx) - n.w / 2, Math.abs(dy) - n.h / 2) > 2;  // (the saved image's too)
    if (n.drawn) {
      n.line.removeAttribute("display");
      n.line.setAttribute("x1", n.p[0]);
      n.line.setAttribute("y1", n.p[1]);
      n.line.setAttribute("x2", cx + dx * cut);
      n.line.setAttribute("y2", cy + dy * cut);
    } else n.line.setAttribute("display", "none");
  }
  function attached() {
    var info = el.querySelector(".infolayer");  // plotly makes it again on a full redraw
    if (info && layer.parentNode !== info) info.insertBefore(layer, info.firstChild);
    return !!info;
  }
  function declutter() {
    var full = el._fullLayout;
    if (!names.length || !full || !full.xaxis || !full.yaxis || !attached()) return;
    layer.setAttribute("display", phone ? "none" : "inline");
    if (phone) return;
    var area = full._size, xr = full.xaxis.range, yr = full.yaxis.range;
    var hidden = {};
    el.data.forEach(function (t) { if (t.meta && t.visible === "legendonly") hidden[t.meta] = true; });
    // each name's size (measured once) and its topic's centre, in the plot's pixels; a topic
    // hidden in the legend, or zoomed out of the plot, has no name to place
    var mid = [0, 0], count = 0;
    names.forEach(function (n) {
      n.at = null;
      if (!n.w) {
        n.g.removeAttribute("display");  // a hidden name measures 0 (a map drawn hidden at first)
        var r = n.label.getBBox();
        if (r.width) { n.w = r.width + 2 * PAD; n.h = r.height + 2 * (PAD - 1); }
      }
      var p = anchor(n, full, xr, yr);
      n.p = !hidden[n.slug] && n.w && inside(p, area) ? p : null;
      if (n.p) { mid[0] += p[0]; mid[1] += p[1]; count++; }
    });
    if (count) { mid[0] /= count; mid[1] /= count; }
    var boxes = [], lines = [];
    function free(b, n, line, crossing) {
      if (b.l < area.l || b.r > area.l + area.w || b.t < area.t || b.b > area.t + area.h) return false;
      if (!boxes.every(function (p) { return b.r + 2 <= p.l || p.r + 2 <= b.l || b.b + 1 <= p.t || p.b + 1 <= b.t; })) return false;
      if (!names.every(function (o) { return !o.p || o === n || o.p[0] < b.l || o.p[0] > b.r || o.p[1] < b.t || o.p[1] > b.b; })) return false;
      if (lines.some(function (l) { return through(l[0], l[1], b); })) return false;
      return !line || (boxes.every(function (p) { return !through(line[0], line[1], p); }) &&
                       (crossing || lines.every(function (l) { return !crosses(line[0], line[1], l[0], l[1]); })));
    }
    names.forEach(function (n) {
      if (!n.p) return draw(n);
      var x = n.p[0], y = n.p[1], h = n.h + 2, places = offsets(n.w, h);
      // away from the middle of the map if it can, where lines cross least; else anywhere; last,
      // where its line crosses another line (but never a name)
      [[true, false], [false, false], [false, true]].some(function (pass) {
        var outward = pass[0], crossing = pass[1];
        return places.some(function (o) {
          var c = { l: x + o[0] - n.w / 2, r: x + o[0] + n.w / 2, t: y + o[1] - n.h / 2, b: y + o[1] + n.h / 2 };
          var line = near(o, h) ? null : [[x, y], [x + o[0], y + o[1]]];
          if (line && outward && o[0] * (x - mid[0]) + o[1] * (y - mid[1]) < 0) return false;
          if (!free(c, n, line, crossing)) return false;
          boxes.push(c);
          if (line) lines.push(line);
          n.at = o;
          return true;
        });
      });
      n.lined = !!n.at && !near(n.at, h);
      draw(n);
    });
  }
  el.on("plotly_afterplot", declutter);
  // the legend from the keyboard (plotly's answers a pointer only): one tab stop, as a toolbar
  // is, the arrow keys (Home, End) move along its entries, and Enter or Space shows or hides a
  // topic as a click does, with the rings of its legend group
  var keyAt = 0;
  function legendEntries() { return Array.prototype.slice.call(el.querySelectorAll(".legend .traces")); }
  function entryTrace(g) { var d = g.__data__; return d && d[0] && d[0].trace; }
  function keyable() {
    var items = legendEntries();
    if (keyAt >= items.length) keyAt = 0;
    items.forEach(function (g, i) {
      var t = entryTrace(g);
      g.setAttribute("tabindex", i === keyAt ? "0" : "-1");
      g.setAttribute("role", "switch");
      g.setAttribute("aria-checked", t && t.visible === "legendonly" ? "false" : "true");
      if (t) g.setAttribute("aria-label", text(t.name));
    });
    var legend = el.querySelector(".legend");
    if (legend) { legend.setAttribute("role", "group"); legend.setAttribute("aria-label", "Topics: show or hide"); }
  }
  el.on("plotly_afterplot", keyable);
  el.addEventListener("keydown", function (ev) {
    var g = ev.target && ev.target.closest ? ev.target.closest(".legend .traces") : null;
    if (!g || ev.altKey || ev.ctrlKey || ev.metaKey) return;  // (Alt+Left is the browser's Back)
    var items = legendEntries(), i = items.indexOf(g), to = -1;
    if (ev.key === "ArrowDown" || ev.key === "ArrowRight") to = Math.min(i + 1, items.length - 1);
    else if (ev.key === "ArrowUp" || ev.key === "ArrowLeft") to = Math.max(i - 1, 0);
    else if (ev.key === "Home") to = 0;
    else if (ev.key === "End") to = items.length - 1;
    if (to >= 0) {
      ev.preventDefault();
      keyAt = to;
      keyable();
      items[to].focus();
      return;
    }
    if (ev.key !== "Enter" && ev.key !== " ") return;
    ev.preventDefault();
    var t = entryTrace(g);
    if (!t) return;
    var show = t.visible === "legendonly", group = [];
    el.data.forEach(function (d, k) { if (k === t.index || (t.legendgroup && d.legendgroup === t.legendgroup)) group.push(k); });
    keyAt = i;
    // plotly draws the legend again: focus goes back to the entry it drew in this one's place
    Plotly.restyle(el, { visible: show ? true : "legendonly" }, group).then(function () {
      var again = legendEntries()[keyAt];
      if (again) again.focus();
    });
  });
  // the map as shown, names included (as plotly annotations, at the places they have now)
  var SAVE_AS = { format: "png", filename: "topic-map" };
  function saved() {
    var full = el._fullLayout, notes = [], card = css("--card", "#ffffff"), fg = ink();
    // plotly's annotations have no halo: a veil of 75 % in its place
    if (/^#[0-9a-f]{6}$/i.test(card)) card += "bf";
    names.forEach(function (n) {
      if (!n.at || !n.p || layer.getAttribute("display") === "none") return;
      var a = { x: n.x, y: n.y, text: n.markup, font: { size: n.size, color: fg }, bgcolor: card,
                borderpad: PAD - 1, showarrow: n.drawn, yshift: n.drawn ? 0 : -n.at[1] };
      if (n.drawn) Object.assign(a, { ax: n.at[0], ay: n.at[1], arrowhead: 0, arrowwidth: 1, arrowcolor: fg });
      else a.xshift = n.at[0];  // touching its centre, off it by up to half its width
      notes.push(a);
    });
    SAVE_AS.width = full.width;
    SAVE_AS.height = full.height;
    // on the map's background: the text is the theme's, so a transparent image could hide it
    return { data: el.data, layout: Object.assign({}, el.layout, { annotations: notes, autosize: false, width: full.width, height: full.height,
                                                                 paper_bgcolor: css("--card", "#ffffff") }) };
  }
  // while a drag or a wheel moves the axes, the names move with their topics; they are placed
  // again when it ends (plotly draws again then)
  el.on("plotly_relayouting", function (ev) {
    var full = el._fullLayout;
    if (!full || phone) return;
    function range(ax) {
      var r = ev[ax + ".range"] || [ev[ax + ".range[0]"], ev[ax + ".range[1]"]];
      return r[0] === undefined ? full[ax].range : r;
    }
    var area = full._size, xr = range("xaxis"), yr = range("yaxis");
    names.forEach(function (n) {
      if (!n.at) return;
      var p = anchor(n, full, xr, yr);
      n.p = inside(p, area) ? p : null;
      draw(n);
    });
  });
  declutter();
  // a mouse click opens the paper; a tap first shows its title (a finger cannot hover), and a
  // second tap on the same point opens it
  // (one tap can raise two plotly clicks, from the touch and from the mouse events the browser
  // makes of it, so "again" means a later press)
  var touch = false, presses = 0, armed = null, grab = -1;
  el.addEventListener("pointerdown", function (ev) {
    touch = ev.pointerType === "touch";
    presses++;
    // a press while the wheel's hint shows is the one it asks for: it takes hold, it opens no paper
    if (el.hasAttribute("data-hint")) grab = presses;
  }, true);
  el.on("plotly_click", function (ev) {
    var pt = ev && ev.points && ev.points[0];
    if (!pt || !pt.customdata) return;
    if (grab === presses) return;  // the click the wheel's hint asked for takes hold of the map
    var again = armed && armed.url === pt.customdata && armed.press < presses;
    if (touch && !again) {
      armed = { url: pt.customdata, press: presses };
      Plotly.Fx.hover(el, [{ curveNumber: pt.curveNumber, xval: pt.x, yval: pt.y }]);  // by place: see above
      return;
    }
    window.location.href = root + pt.customdata;
  });
  // the wheel scrolls the page past the map, as past any figure, until the reader takes hold of
  // the map (a press on it, until the pointer leaves) or holds Ctrl/⌘: a map most of a screen
  // high would otherwise catch every scroll down the page (the buttons zoom regardless). The
  // event stops here, before plotly's listener under it, and the page scrolls as usual.
  var held = false, pressing = false, hintTimer = null;
  var hint = /Mac|iP(hone|ad)/.test(navigator.platform) ? "Click the map or hold ⌘ to zoom with the wheel" : "Click the map or hold Ctrl to zoom with the wheel";
  el.addEventListener("pointerdown", function () { pressing = true; el.removeAttribute("data-hint"); }, true);
  // held from the release (plotly covers the page while a button is down, so the pointer
  // "leaves" the map mid-press)
  document.addEventListener("pointerup", function () { if (pressing) { pressing = false; held = true; } }, true);
  el.addEventListener("pointerleave", function () { if (!pressing) held = false; });
  el.addEventListener("wheel", function (ev) {
    if (held || pressing || ev.ctrlKey || ev.metaKey) return;
    ev.stopPropagation();
    el.setAttribute("data-hint", hint);
    clearTimeout(hintTimer);
    hintTimer = setTimeout(function () { el.removeAttribute("data-hint"); }, 1500);
  }, { capture: true, passive: true });
  document.addEventListener("researchmap:theme", function () {
    var b = bar(), h = hovering();
    // a label open when the theme changes (a tap leaves one open on a phone) is drawn again in
    // the new colours: relayout leaves it as drawn
    var open = (el._hoverdata || []).map(function (p) { return { curveNumber: p.curveNumber, pointNumber: p.pointNumber }; });
    Plotly.relayout(el, { "font.color": ink(), "modebar.color": b.color, "modebar.activecolor": b.activecolor,
                          "hoverlabel.bgcolor": h.bgcolor, "hoverlabel.bordercolor": h.bordercolor, "hoverlabel.font.color": h.font.color });
    paint();
    var traces = [], colours = [];
    base.forEach(function (c, i) { if (c && i < el.data.length) { traces.push(i); colours.push(c === "ink" ? ink() : legible(c)); } });
    if (traces.length) Plotly.restyle(el, { "marker.color": colours }, traces);
    if (open.length) { Plotly.Fx.unhover(el); Plotly.Fx.hover(el, open); }
  });
})();

// Highlight search matches on the map: matching points keep their colour and grow, the rest fade.
(function () {
  var input = document.getElementById("map-search");
  var el = document.getElementById("map");
  if (!input || !el) return;  // search.js is deferred: look it up when used
  var root = el.getAttribute("data-root") || "";
  var count = document.getElementById("map-search-count");
  var timer = null;
  input.addEventListener("input", function () { clearTimeout(timer); timer = setTimeout(run, 150); });
  function run() {
    var q = input.value.trim();
    // the topics' traces (not a ring marking a paper)
    var traces = [], data = (el.data || []).filter(function (t, i) { return t.showlegend !== false && traces.push(i); });
    // the topic names fade while matches show: a match under a name must be seen
    var names = el.querySelector(".map-names");
    if (!q) {
      if (names) names.style.opacity = "";
      Plotly.restyle(el, { "marker.opacity": 0.85, "marker.size": 7 }, traces);
      count.textContent = "";
      return;
    }
    if (!window.RESEARCHMAP || !window.RESEARCHMAP.search) return;
    window.RESEARCHMAP.search(root, q).then(function (hits) {
      var urls = {};
      hits.forEach(function (h) { urls[h.url] = true; });
      var n = 0, opacity = [], size = [];
      data.forEach(function (t) {
        var o = [], s = [];
        (t.customdata || []).forEach(function (u) { var m = !!urls[u]; n += m; o.push(m ? 1 : 0.08); s.push(m ? 11 : 6); });
        opacity.push(o); size.push(s);
      });
      Plotly.restyle(el, { "marker.opacity": opacity, "marker.size": size }, traces);
      if (names) names.style.opacity = n ? 0.25 : "";
      count.textContent = n + " matching paper" + (n === 1 ? "" : "s");
    });
  }
})();
