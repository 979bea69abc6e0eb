// All-papers page: filter by topic, date range and minimum upvotes, sort by date, upvotes or
// title, over every paper (data/list.js), without a server. Without JS the paginated list stays.
(function () {
  "use strict";
  var form = document.getElementById("filters");
  var data = window.RESEARCHMAP_LIST;
  if (!form || !data) return;
  var root = form.getAttribute("data-root") || "";
  var list = document.getElementById("paper-list");
  var count = document.getElementById("filter-count");
  var more = document.getElementById("filter-more");
  var names = {};
  data.topics.forEach(function (t) {
    names[t[0]] = t[1];
    var o = document.createElement("option");
    o.value = t[0]; o.textContent = t[1];
    form.topic.appendChild(o);
  });
  var shown = 200;
  form.hidden = false;

  function cmpNewest(a, b) {
    for (var i = 0; i < 4; i++) if (a[6][i] !== b[6][i]) return b[6][i] - a[6][i];
    return a[0] < b[0] ? 1 : -1;
  }

  function apply() {
    var topic = form.topic.value, from = form.from.value, to = form.to.value;
    var min = form.minvotes.value === "" ? null : +form.minvotes.value;
    var undated = 0;
    var rows = data.papers.filter(function (p) {
      if (topic && p[5].indexOf(topic) < 0) return false;
      if (min !== null && (p[4] === null || p[4] < min)) return false;
      if ((from || to) && !p[2]) { undated++; return false; }
      if (from && p[2].slice(0, from.length) < from) return false;
      if (to && p[2].slice(0, to.length) > to) return false;
      return true;
    });
    var sort = form.sort.value;
    rows.sort(sort === "votes" ? function (a, b) { return (b[4] || 0) - (a[4] || 0) || cmpNewest(a, b); }
      : sort === "title" ? function (a, b) { return a[1].localeCompare(b[1]); }
      : sort === "oldest" ? function (a, b) { return -cmpNewest(a, b); } : cmpNewest);
    list.textContent = "";
    rows.slice(0, shown).forEach(function (p) {
      var li = document.createElement("li");
      li.className = "paper";
      var a = document.createElement("a");
      a.className = "paper-title";
      a.href = /^https?:/.test(p[0]) ? p[0] : root + p[0];
      a.textContent = p[1];
      li.appendChild(a);
      var meta = document.createElement("span");
      meta.className = "meta";
      meta.textContent = [p[3], p[4] === null ? "" : "▲ " + p[4], names[p[5][0]]].filter(Boolean).join(" · ");
      li.appendChild(meta);
      list.appendChild(li);
    });
    // a date range cannot hold a paper whose year is unknown: say how many it left out
    count.textContent = rows.length + " of " + data.papers.length + " papers" +
      (undated ? " (" + undated + " without a known year are outside any date range)" : "");
    more.hidden = rows.length <= shown;
    var pager = document.querySelector(".pager");
    if (pager) pager.hidden = true;
  }
  form.addEventListener("input", function () { shown = 200; apply(); });
  form.addEventListener("submit", function (ev) { ev.preventDefault(); apply(); });
  more.addEventListener("click", function () { shown += 500; apply(); });
})();
