// Dark/light toggle: follows prefers-color-scheme until the reader chooses, then remembers.
(function () {
  var KEY = "researchmap-theme";
  var root = document.documentElement;
  var saved = null;
  try { saved = localStorage.getItem(KEY); } catch (e) {}
  if (saved === "dark" || saved === "light") root.setAttribute("data-theme", saved);
  function current() {
    var t = root.getAttribute("data-theme");
    if (t) return t;
    return window.matchMedia && matchMedia("(prefers-color-scheme: dark)").matches ? "dark" : "light";
  }
  document.addEventListener("DOMContentLoaded", function () {
    var button = document.querySelector(".theme-toggle");
    if (!button) return;
    button.setAttribute("aria-pressed", current() === "dark" ? "true" : "false");
    button.addEventListener("click", function () {
      var next = current() === "dark" ? "light" : "dark";
      root.setAttribute("data-theme", next);
      button.setAttribute("aria-pressed", next === "dark" ? "true" : "false");
      try { localStorage.setItem(KEY, next); } catch (e) {}
      document.dispatchEvent(new CustomEvent("researchmap:theme", { detail: next }));
    });
  });
})();
