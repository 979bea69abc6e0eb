// Site search, client-side: loads data/search-N.js (classic scripts, so it also works from
// file://) on first use, then matches every query word as a word prefix in titles, topic
// names and abstract words. Also exposes RESEARCHMAP.search for the map's highlight box.
(function () {
  "use strict";
  var state = { loading: null };

  function add(root, i, done) {
    var s = document.createElement("script");
    s.src = root + "data/search-" + i + ".js";
    s.onload = s.onerror = done;
    document.head.appendChild(s);
  }

  // The first shard says how many there are (pages do not: a new paper would change them all).
  function load(root) {
    if (state.loading) return state.loading;
    state.loading = new Promise(function (resolve) {
      add(root, 0, function () {
        var left = (window.RESEARCHMAP_SEARCH_SHARDS || 1) - 1;
        if (left <= 0) return resolve(flatten());
        for (var i = 1, n = left; i <= n; i++) add(root, i, function () { if (--left === 0) resolve(flatten()); });
      });
    });
    return state.loading;
  }

  function flatten() {
    var all = [];
    (window.RESEARCHMAP_SEARCH || []).forEach(function (shard) { all = all.concat(shard); });
    return all.map(function (it) {
      return { url: it[0], title: it[1], topics: it[2], kind: it[4],
        t: " " + it[1].toLowerCase().replace(/[^\p{L}\p{N}]+/gu, " "),
        g: " " + it[2].toLowerCase().replace(/[^\p{L}\p{N}]+/gu, " "),
        w: " " + it[3].replace(/[^\p{L}\p{N}]+/gu, " ") };
    });
  }

  function words(q) { return q.toLowerCase().split(/[^\p{L}\p{N}]+/u).filter(Boolean); }

  function match(items, query, limit) {
    var qs = words(query);
    if (!qs.length) return [];
    var hits = [];
    items.forEach(function (it) {
      var score = 0;
      for (var i = 0; i < qs.length; i++) {
        var k = " " + qs[i], s = 0;
        if (it.t.indexOf(k) >= 0) s += 3;
        if (it.g.indexOf(k) >= 0) s += 2;
        if (it.w.indexOf(k) >= 0) s += 1;
        if (!s) return;
        score += s;
      }
      if (it.kind === "topic") score += 2;
      hits.push([score, it]);
    });
    hits.sort(function (a, b) { return b[0] - a[0] || (a[1].title < b[1].title ? -1 : 1); });
    return hits.slice(0, limit || hits.length).map(function (h) { return h[1]; });
  }

  window.RESEARCHMAP = window.RESEARCHMAP || {};
  window.RESEARCHMAP.search = function (root, query, limit) {
    return load(root).then(function (items) { return match(items, query, limit); });
  };

  document.addEventListener("DOMContentLoaded", function () {
    var form = document.querySelector(".search");
    if (!form) return;
    var input = form.querySelector("input");
    var out = form.querySelector(".search-results");
    var root = form.getAttribute("data-root") || "";
    var timer = null;
    form.addEventListener("submit", function (ev) { ev.preventDefault(); run(); });
    input.addEventListener("focus", function () { load(root); });
    input.addEventListener("input", function () { clearTimeout(timer); timer = setTimeout(run, 120); });
    input.addEventListener("keydown", function (ev) { if (ev.key === "Escape") { out.hidden = true; input.blur(); } });
    function run() {
      var q = input.value.trim();
      if (!q) { out.hidden = true; out.textContent = ""; return; }
      window.RESEARCHMAP.search(root, q, 20).then(function (hits) {
        out.textContent = "";
        if (!hits.length) {
          var li = document.createElement("li");
          li.className = "empty";
          li.textContent = "No results for “" + q + "”";
          out.appendChild(li);
        }
        hits.forEach(function (it) {
          var li = document.createElement("li");
          var a = document.createElement("a");
          a.href = /^https?:/.test(it.url) ? it.url : root + it.url;
          a.textContent = it.title;
          li.appendChild(a);
          var meta = document.createElement("span");
          meta.className = "meta";
          meta.textContent = it.kind === "topic" ? "Topic" : it.topics;
          li.appendChild(meta);
          out.appendChild(li);
        });
        out.hidden = false;
      });
    }
  });
})();
