// All-papers page: filter by words, topic, date range and minimum upvotes, sort by date, upvotes
// or title, over every paper (data/list.js), without a server. The filters live in the page's
// URL (papers.html?q=lora&topic=peft), so a filtered list can be linked, reloaded and gone back
// to. Without JS the paginated list stays.
(function () {
  "use strict";
  var form = document.getElementById("filters");
  var data = window.RESEARCHMAP_LIST;
  if (!form || !data) return;
  var root = form.getAttribute("data-root") || "";
  var list = document.getElementById("paper-list");
  var count = document.getElementById("filter-count");
  var more = document.getElementById("filter-more");
  var clear = document.getElementById("filter-clear");
  var pager = document.querySelector(".pager"), summary = document.getElementById("papers-summary");
  var built = { html: list.innerHTML, start: list.getAttribute("start"), summary: summary ? summary.textContent : "" };
  var FIELDS = ["q", "topic", "from", "to", "minvotes", "sort"];
  var ORDER = { newest: "newest first", oldest: "oldest first", votes: "most upvoted first", title: "by title" };
  var topics = {};
  data.topics.forEach(function (t) {
    topics[t[0]] = { name: t[1], url: t[2] };
    var o = document.createElement("option");
    o.value = t[0]; o.textContent = t[1];
    form.topic.appendChild(o);
  });
  var shown = 200, words = { q: "", urls: null };  // the papers matching every word of q
  form.hidden = false;

  var params = new URLSearchParams(window.location.search);
  FIELDS.forEach(function (k) { if (params.get(k)) form[k].value = params.get(k); });

  function cmpNewest(a, b) {
    for (var i = 0; i < 4; i++) if (a[6][i] !== b[6][i]) return b[6][i] - a[6][i];
    return a[0] < b[0] ? 1 : -1;
  }
  // papers without any date come last whichever way the dates run
  function cmpOldest(a, b) { return (b[6][0] - a[6][0]) || -cmpNewest(a, b); }

  // the same markup as the server-rendered list (macros.html paper_item)
  function row(p) {
    var li = document.createElement("li");
    li.className = "paper";
    var a = document.createElement("a");
    a.className = "paper-title";
    a.href = /^https?:/.test(p[0]) ? p[0] : root + p[0];
    a.textContent = p[1];
    li.appendChild(a);
    var meta = document.createElement("span");
    meta.className = "meta";
    function part(tag, cls, text) {
      var e = document.createElement(tag);
      if (cls) e.className = cls;
      e.textContent = text;
      meta.appendChild(document.createTextNode(" "));
      meta.appendChild(e);
      return e;
    }
    if (p[2]) part("time", "", p[3]).setAttribute("datetime", p[2]);
    else if (p[3]) part("span", "date", p[3]);
    if (p[4] !== null) part("span", "votes", "▲ " + p[4]).title = "upvotes";
    var t = topics[p[5][0]];
    if (t) part("a", "chip", t.name).href = root + t.url;
    li.appendChild(meta);
    return li;
  }

  function apply() {
    // (a theme without search.js has no word filter)
    var q = window.RESEARCHMAP && window.RESEARCHMAP.search ? form.q.value.trim() : "";
    if (q !== words.q) {
      words = { q: q, urls: null };
      if (q) {
        window.RESEARCHMAP.search(root, q).then(function (hits) {
          if (words.q !== q) return;  // a later query is on its way
          words.urls = {};
          hits.forEach(function (h) { words.urls[h.url] = true; });
          apply();
        });
        return;
      }
    }
    if (q && !words.urls) return;
    var sort = form.sort.value;
    // no filter and the default order: the page as built, with its pager (page 2 stays page 2)
    var filtered = Boolean(q || form.topic.value || form.from.value || form.to.value || +form.minvotes.value > 0);
    if (!filtered && sort === "newest") return unfiltered();
    var topic = form.topic.value, from = form.from.value, to = form.to.value;
    var swapped = from && to && from > to;  // a range typed back to front: the months between
    if (swapped) { var was = from; from = to; to = was; }
    // 0 is no limit: the papers a listing showed without a count are not below it
    var min = +form.minvotes.value > 0 ? +form.minvotes.value : null;
    var undated = 0, yearless = 0;
    var rows = data.papers.filter(function (p) {
      if (words.urls && !words.urls[p[0]]) return false;
      if (topic && p[5].indexOf(topic) < 0) return false;
      if (min !== null && (p[4] === null || p[4] < min)) return false;
      if ((from || to) && !p[2]) { if (p[3]) yearless++; else undated++; return false; }
      if (from && p[2].slice(0, from.length) < from) return false;
      if (to && p[2].slice(0, to.length) > to) return false;
      return true;
    });
    rows.sort(sort === "votes" ? function (a, b) { return (b[4] || 0) - (a[4] || 0) || cmpNewest(a, b); }
      : sort === "title" ? function (a, b) { return a[1].localeCompare(b[1]); }
      : sort === "oldest" ? cmpOldest : cmpNewest);
    list.textContent = "";
    list.removeAttribute("start");  // (a later page's list numbered on from the one before)
    rows.slice(0, shown).forEach(function (p) { list.appendChild(row(p)); });
    // a date range cannot hold a paper without a date, or one whose year is unknown: say how
    // many it left out, of either kind
    var out = [], dateless = [];
    if (undated) dateless.push(undated + " without a date");
    if (yearless) dateless.push(yearless + " whose year is unknown");
    if (dateless.length) out.push(dateless.join(", ") + ": outside any date range");
    if (swapped) out.push("From is after To: read as the months from " + from + " to " + to);
    count.textContent = rows.length + " of " + data.papers.length + " papers" +
      (out.length ? " (" + out.join("; ") + ")" : "");
    more.hidden = rows.length <= shown;
    if (pager) pager.hidden = true;
    // the line above the form says the order now (hidden, it moved the form under the pointer)
    if (summary) summary.textContent = (filtered ? rows.length + " of " : "") + data.papers.length + " papers" +
      (filtered ? " match" : "") + ", " + (ORDER[sort] || ORDER.newest) + ".";
    if (clear) clear.hidden = false;  // (a project's own papers.html may have none)
    remember();
  }

  function unfiltered() {
    list.innerHTML = built.html;
    if (built.start) list.setAttribute("start", built.start);
    if (pager) pager.hidden = false;
    if (summary) summary.textContent = built.summary;
    if (clear) clear.hidden = true;
    more.hidden = true;
    count.textContent = "";
    remember();
  }

  function remember() {
    var state = new URLSearchParams();
    FIELDS.forEach(function (k) { if (form[k].value && !(k === "sort" && form[k].value === "newest")) state.set(k, form[k].value.trim()); });
    var search = state.toString();
    if (search !== window.location.search.slice(1)) history.replaceState(null, "", search ? "?" + search : window.location.pathname);
  }
  var timer = null;
  form.addEventListener("input", function (ev) {
    shown = 200;
    clearTimeout(timer);
    if (ev.target === form.q) timer = setTimeout(apply, 150); else apply();
  });
  form.addEventListener("submit", function (ev) { ev.preventDefault(); apply(); });
  // (the reset event comes before the fields are reset)
  form.addEventListener("reset", function () { shown = 200; setTimeout(function () { apply(); form.q.focus(); }, 0); });
  more.addEventListener("click", function () { shown += 500; apply(); });
  // search.js is deferred and runs after this script: a search in the URL waits for it
  if (FIELDS.some(function (k) { return params.get(k); })) {
    if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", apply);
    else apply();
  }
})();
