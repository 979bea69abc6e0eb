// Injected by `researchmap serve` only; never part of a built site.
// One tab per browser holds the server-sent-events connection (Web Locks elect it) and relays
// messages to the other tabs over a BroadcastChannel, so many open tabs use one connection.
(function () {
  "use strict";
  var BASE = "/__researchmap__/";
  var seen = null;
  var overlay = null;

  function showError(text) {
    if (!overlay) {
      overlay = document.createElement("div");
      overlay.id = "researchmap-error";
      overlay.setAttribute("role", "alert");
      overlay.style.cssText = "position:fixed;inset:0;z-index:2147483647;background:rgba(20,0,0,.88);" +
        "color:#fff;font:14px/1.5 ui-monospace,monospace;padding:2rem;overflow:auto;white-space:pre-wrap";
      var close = document.createElement("button");
      close.textContent = "×";
      close.setAttribute("aria-label", "Hide build error");
      close.style.cssText = "position:absolute;top:1rem;right:1rem;font-size:1.5rem;background:none;color:#fff;border:0;cursor:pointer";
      close.onclick = function () { overlay.style.display = "none"; };
      overlay.appendChild(close);
      overlay.appendChild(document.createElement("pre"));
      document.body.appendChild(overlay);
    }
    overlay.querySelector("pre").textContent = "researchmap: build failed\n\n" + text;
    overlay.style.display = "block";
  }

  function swapCss() {
    var links = document.querySelectorAll('link[rel="stylesheet"]');
    Array.prototype.forEach.call(links, function (link) {
      var url = new URL(link.href, location.href);
      url.searchParams.set("researchmap", Date.now());
      var next = link.cloneNode();
      next.href = url.href;
      next.onload = function () { link.remove(); };
      link.after(next);
    });
  }

  function handle(msg) {
    if (msg.type === "hello") {
      // a build happened while we were not listening (or the server restarted): catch up
      if (seen !== null && msg.build !== seen && !msg.error) return location.reload();
      seen = msg.build;
      if (msg.error) showError(msg.error);
    } else if (msg.type === "error") {
      showError(msg.error);
    } else if (msg.type === "css") {
      seen = msg.build;
      if (overlay) overlay.style.display = "none";
      swapCss();
    } else if (msg.type === "reload") {
      seen = msg.build;
      location.reload();
    }
  }

  var channel = "BroadcastChannel" in window ? new BroadcastChannel("researchmap-livereload") : null;
  if (channel) channel.onmessage = function (ev) { handle(ev.data); };

  function listen() {
    return new Promise(function (resolve) {
      var es = new EventSource(BASE + "events");
      es.onmessage = function (ev) {
        var msg = JSON.parse(ev.data);
        if (channel) channel.postMessage(msg);
        handle(msg);
      };
      window.addEventListener("pagehide", function () { es.close(); resolve(); });
    });
  }

  if (navigator.locks && channel) {
    navigator.locks.request("researchmap-livereload", listen);
  } else {
    listen();
  }
})();
