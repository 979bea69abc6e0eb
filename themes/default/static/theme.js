// Dark/light toggle. A page follows the system's colour scheme until the reader flips it, and
// remembers the flip; flipping back to what the system shows forgets it, so the page follows
// the system again (a reader has no other way back to "automatic").
(function () {
  var KEY = "researchmap-theme";
  var root = document.documentElement;
  var media = window.matchMedia ? matchMedia("(prefers-color-scheme: dark)") : null;
  var saved = null;
  try { saved = localStorage.getItem(KEY); } catch (e) {}
  if (saved === "dark" || saved === "light") root.setAttribute("data-theme", saved);
  function system() { return media && media.matches ? "dark" : "light"; }
  function current() { return root.getAttribute("data-theme") || system(); }
  function remember(choice) {
    try { if (choice) localStorage.setItem(KEY, choice); else localStorage.removeItem(KEY); } catch (e) {}
  }
  function changed() { document.dispatchEvent(new CustomEvent("researchmap:theme", { detail: current() })); }
  document.addEventListener("DOMContentLoaded", function () {
    var button = document.querySelector(".theme-toggle");
    function show() {
      if (!button) return;
      var t = current(), other = t === "dark" ? "light" : "dark";
      button.setAttribute("aria-pressed", t === "dark" ? "true" : "false");
      button.title = (t === "dark" ? "Dark" : "Light") + " (" +
        (root.hasAttribute("data-theme") ? "your choice" : "as your system") + "): switch to " + other;
    }
    show();
    if (button) button.addEventListener("click", function () {
      var next = current() === "dark" ? "light" : "dark";
      if (next === system()) { root.removeAttribute("data-theme"); remember(null); }
      else { root.setAttribute("data-theme", next); remember(next); }
      show();
      changed();
    });
    // the system switching (at dusk, say) recolours a page that follows it, the map included
    function follow() {
      if (root.hasAttribute("data-theme")) return;
      show();
      changed();
    }
    if (media && media.addEventListener) media.addEventListener("change", follow);
    else if (media && media.addListener) media.addListener(follow);  // Safari before 14
  });
})();
