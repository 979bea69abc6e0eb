// Site search, client-side: loads data/search-N.js (classic scripts, so it also works from
// file://) on first use, then matches every query word as a word prefix in titles, topic
// names and abstract words (or, respelt, a word of the other spelling: see SPELLINGS). Also
// exposes RESEARCHMAP.search for the map's highlight box.
(function () {
  "use strict";
  var state = { loading: null };
  var LIMIT = 20;  // results in the drop-down list

  function add(root, i, done) {
    var s = document.createElement("script");
    s.src = root + "data/search-" + i + ".js";
    s.onload = s.onerror = done;
    document.head.appendChild(s);
  }

  // The first shard says how many there are (pages do not: a new paper would change them all);
  // the markdown pages come in a file of their own, beside it
  function load(root) {
    if (state.loading) return state.loading;
    state.loading = new Promise(function (resolve) {
      var left = 2;
      function done() { if (--left === 0) resolve(flatten()); }
      add(root, "pages", done);
      add(root, 0, function () {
        var more = (window.RESEARCHMAP_SEARCH_SHARDS || 1) - 1;
        left += more;
        for (var i = 1; i <= more; i++) add(root, i, done);
        done();
      });
    });
    return state.loading;
  }

  // British and American spellings find each other ("quantisation" finds "quantization",
  // "modelling" "modeling"): the index and the query are also held spelt one way, and a word
  // matches as typed (a prefix of a word as written) or as respelt (a whole word respelt)
  var SPELLINGS = [
    [/(\p{L}{2})is(ations?|e|ed|es|ing|ers?)(?=\s|$)/gu, "$1iz$2"], [/(\p{L}{2})ys(e|ed|es|ing|ers?)(?=\s|$)/gu, "$1yz$2"],
    [/(\p{L}{2})our(s|ed|ing)?(?=\s|$)/gu, "$1or$2"], [/(\p{L}{2})tre(s)?(?=\s|$)/gu, "$1ter$2"],
    [/(model|label|travel|cancel|signal|level|tunnel|fuel|channel|funnel|total)l(ed|ing|er|ers)(?=\s|$)/gu, "$1$2"],
  ];
  function spelt(s) { return SPELLINGS.reduce(function (t, r) { return t.replace(r[0], r[1]); }, s); }

  function flatten() {
    var all = [];
    (window.RESEARCHMAP_SEARCH || []).forEach(function (shard) { all = all.concat(shard); });
    return all.map(function (it) {
      var t = " " + it[1].toLowerCase().replace(/[^\p{L}\p{N}]+/gu, " "), g = " " + it[2].toLowerCase().replace(/[^\p{L}\p{N}]+/gu, " "),
          w = " " + it[3].replace(/[^\p{L}\p{N}]+/gu, " ");
      return { url: it[0], title: it[1], topics: it[2], kind: it[4], t: t, g: g, w: w, T: spelt(t), G: spelt(g), W: spelt(w) };
    });
  }

  function words(q) { return q.toLowerCase().split(/[^\p{L}\p{N}]+/u).filter(Boolean); }

  // Every query word must match; with ``partial``, items matching at least half of the words
  // follow the full matches (marked .partial), so "speculative decoding" still finds
  // "Speculative MoE" after the papers that say both. A topic whose name (or slug: "moe") holds
  // every word comes first, and a title holding the query as a phrase before one that scatters it.
  function match(items, query, limit, partial) {
    var qs = words(query);
    if (!qs.length) return [];
    var ss = qs.map(spelt);
    function has(raw, sp, i) { return raw.indexOf(" " + qs[i]) >= 0 || (ss[i] !== qs[i] || raw !== sp) && sp.indexOf(" " + ss[i]) >= 0; }
    var phrase = " " + qs.join(" "), phraseSpelt = " " + ss.join(" ");
    var need = partial && qs.length > 1 ? Math.ceil(qs.length / 2) : qs.length;
    var hits = [];
    items.forEach(function (it) {
      var score = 0, found = 0;
      for (var i = 0; i < qs.length; i++) {
        var s = 0;
        if (has(it.t, it.T, i)) s += 3;
        if (has(it.g, it.G, i)) s += 2;
        if (has(it.w, it.W, i)) s += 1;
        if (s) found++;
        score += s;
      }
      if (found < need) return;
      // a topic, or a page of the site ("about"), named by the query comes first
      var named = it.kind !== "paper" && qs.every(function (q, i) { return has(it.t + it.g, it.T + it.G, i); });
      if (it.kind !== "paper") score += 2;
      if (qs.length > 1 && (it.t.indexOf(phrase) >= 0 || it.T.indexOf(phraseSpelt) >= 0)) score += 3;
      hits.push([found, named ? 1 : 0, score, it]);
    });
    hits.sort(function (a, b) { return b[0] - a[0] || b[1] - a[1] || b[2] - a[2] || (a[3].title < b[3].title ? -1 : 1); });
    return hits.slice(0, limit || hits.length).map(function (h) {
      return h[0] === qs.length ? h[3] : Object.assign({ partial: true }, h[3]);
    });
  }

  window.RESEARCHMAP = window.RESEARCHMAP || {};
  window.RESEARCHMAP.search = function (root, query, limit, partial) {
    return load(root).then(function (items) { return match(items, query, limit, partial); });
  };

  // The page-not-found page (hosts serve it at the missing address): what this search finds
  // for the words of that address ("papers/kv-cache-compresion.html": "kv cache compresion")
  function suggest(root) {
    var box = document.getElementById("suggest");
    if (!box) return;
    var last = window.location.pathname.split("/").pop() || "";
    try { last = decodeURIComponent(last); } catch (e) { /* a malformed escape: use it as it is */ }
    // the words that say what the page was: not "the", "with", or a word cut to a letter
    var q = last.replace(/\.html?$/i, "").split(/[-_.+ ]+/).filter(function (w) {
      return w.length > 2 && !/^(the|and|for|with|from|via|into|are|its|our|can|you|not|how|why|what)$/i.test(w);
    }).join(" ");
    if (!q) return;
    window.RESEARCHMAP.search(root, q, 5, true).then(function (hits) {
      var list = box.querySelector("ul"), full = hits.filter(function (it) { return !it.partial; });
      if (full.length) hits = full;  // pages with some of the words only when none has all
      hits.forEach(function (it) {
        var li = document.createElement("li"), a = document.createElement("a");
        a.href = /^https?:/.test(it.url) ? it.url : root + it.url;
        a.textContent = it.title;
        li.appendChild(a);
        li.appendChild(document.createTextNode(it.kind === "paper" ? "" : " (" + it.kind + ")"));
        list.appendChild(li);
      });
      box.hidden = !hits.length;
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    var form = document.querySelector(".search");
    if (!form) return;
    suggest(form.getAttribute("data-root") || "");
    var input = form.querySelector("input");
    var out = form.querySelector(".search-results");
    var root = form.getAttribute("data-root") || "";
    var timer = null, listed = "", quiet = false;  // the query the list shows; a focus not to open it
    out.id = "site-search-results";
    input.setAttribute("aria-controls", out.id);
    function links() { return Array.prototype.slice.call(out.querySelectorAll("a")); }
    function show(on) { out.hidden = !on; }
    // Enter opens the first result of what is typed: at once when the list shows it, else as
    // soon as the search has it (Enter typed before the list came did nothing but show it)
    form.addEventListener("submit", function (ev) {
      ev.preventDefault();
      clearTimeout(timer);
      var first = links()[0];
      if (first && listed === input.value.trim()) window.location.href = first.href;
      else run(true);
    });
    // the list closes when the reader clicks, taps or tabs away from it (a tap meant to close
    // it must not land on a result), and opens again when the box is focused again
    input.addEventListener("focus", function () {
      load(root);
      if (!quiet && listed && listed === input.value.trim() && out.childNodes.length) show(true);
    });
    document.addEventListener("pointerdown", function (ev) { if (!form.contains(ev.target)) show(false); }, true);
    form.addEventListener("focusout", function (ev) { if (ev.relatedTarget && !form.contains(ev.relatedTarget)) show(false); });
    // "/" anywhere but in a field jumps to the box, as on GitHub and in MkDocs' Material theme
    document.addEventListener("keydown", function (ev) {
      var t = ev.target, typing = t && (t.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(t.tagName));
      if (ev.key === "/" && !typing && !ev.ctrlKey && !ev.metaKey && !ev.altKey) { ev.preventDefault(); input.focus(); }
    });
    input.addEventListener("input", function () { clearTimeout(timer); timer = setTimeout(run, 120); });
    input.addEventListener("keydown", function (ev) {
      if (ev.key === "Escape") { show(false); input.blur(); }
      else if (ev.key === "ArrowDown" && !out.hidden && links().length) { ev.preventDefault(); links()[0].focus(); }
    });
    // arrow keys move through the results; Escape or Up from the first goes back to the box
    out.addEventListener("keydown", function (ev) {
      var all = links(), i = all.indexOf(document.activeElement);
      if (ev.key === "ArrowDown" && i < all.length - 1) { ev.preventDefault(); all[i + 1].focus(); }
      else if (ev.key === "ArrowUp") { ev.preventDefault(); (i > 0 ? all[i - 1] : input).focus(); }
      else if (ev.key === "Escape") { show(false); quiet = true; input.focus(); quiet = false; }  // closed, the query kept
    });
    // the form's own target (papers.html?q=...) when it was sent without this script, or linked;
    // the all-papers page shows it as its filtered list instead
    var asked = new URLSearchParams(window.location.search).get("q");
    if (asked && !document.getElementById("filters")) { input.value = asked; run(); }
    function run(go) {
      var q = input.value.trim();
      if (!q) { show(false); out.textContent = ""; listed = ""; return; }
      window.RESEARCHMAP.search(root, q, 0, true).then(function (all) {
        if (q !== input.value.trim()) return;  // a later query is on its way
        var hits = all.slice(0, LIMIT);
        out.textContent = "";
        listed = q;
        if (!hits.length) {
          var li = document.createElement("li");
          li.className = "empty";
          li.textContent = "No results for “" + q + "”";
          out.appendChild(li);
        }
        hits.forEach(function (it, n) {
          if (it.partial && (n === 0 || !hits[n - 1].partial)) {
            var note = document.createElement("li");
            note.className = "empty";
            note.textContent = n ? "Matching some of the words:" : "Nothing matches every word; matching some:";
            out.appendChild(note);
          }
          var li = document.createElement("li");
          var a = document.createElement("a");
          a.href = /^https?:/.test(it.url) ? it.url : root + it.url;
          a.textContent = it.title;
          li.appendChild(a);
          var meta = document.createElement("span");
          meta.className = "meta";
          meta.textContent = it.kind === "topic" ? "Topic" : it.kind === "page" ? "Page" : it.topics;
          li.appendChild(meta);
          out.appendChild(li);
        });
        // more full matches than the list shows: the all-papers page lists them all
        var papers = all.filter(function (it) { return it.kind === "paper" && !it.partial; }).length;
        if (papers > hits.filter(function (it) { return it.kind === "paper" && !it.partial; }).length) {
          var li = document.createElement("li");
          var a = document.createElement("a");
          a.className = "all";
          a.href = root + "papers.html?q=" + encodeURIComponent(q);
          a.textContent = "All " + papers + " papers matching every word →";
          li.appendChild(a);
          out.appendChild(li);
        }
        show(true);
        var first = go && links()[0];
        if (first) window.location.href = first.href;
      });
    }
  });
})();
