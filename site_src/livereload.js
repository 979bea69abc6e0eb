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

  // The last good build's warnings, in a corner of every served page; hidden (in every tab of
  // the browser) until they change.
  var HIDDEN = "researchmap-warnings-hidden";

  function showWarnings(list, count) {
    var old = document.getElementById("researchmap-warnings");
    if (old) old.remove();
    var key = count + "\n" + list.join("\n");  // (the list holds the first 100)
    try { if (!count || localStorage.getItem(HIDDEN) === key) return; } catch (e) { if (!count) return; }
    var box = document.createElement("div");
    box.id = "researchmap-warnings";
    box.setAttribute("role", "status");
    box.style.cssText = "position:fixed;right:1rem;bottom:1rem;z-index:2147483646;max-width:min(44rem,calc(100vw - 2rem));" +
      "max-height:50vh;overflow:auto;background:#3d2e00;color:#fff;border:1px solid #e0b000;border-radius:6px;" +
      "font:13px/1.5 ui-monospace,monospace;padding:.4rem 2.2rem .4rem .7rem;box-shadow:0 2px 8px rgba(0,0,0,.4)";
    var details = document.createElement("details");
    var summary = document.createElement("summary");
    summary.style.cursor = "pointer";
    summary.textContent = "researchmap: " + count + (count === 1 ? " warning" : " warnings") + " in the last build";
    var pre = document.createElement("pre");
    pre.style.cssText = "margin:.4rem 0 0;white-space:pre-wrap";
    pre.textContent = list.join("\n") + (count > list.length ? "\n… and " + (count - list.length) + " more in the terminal" : "");
    details.appendChild(summary);
    details.appendChild(pre);
    var close = document.createElement("button");
    close.textContent = "×";
    close.setAttribute("aria-label", "Hide build warnings");
    close.style.cssText = "position:absolute;top:.2rem;right:.4rem;font-size:1.2rem;background:none;color:#fff;border:0;cursor:pointer";
    close.onclick = function () {
      try { localStorage.setItem(HIDDEN, key); } catch (e) { /* storage off: hidden on this page only */ }
      box.remove();
    };
    box.appendChild(details);
    box.appendChild(close);
    document.body.appendChild(box);
  }

  fetch(BASE + "status").then(function (r) { return r.json(); }).then(function (s) {
    if (!s.error) showWarnings(s.warnings || [], (s.report && s.report.warnings) || 0);
  }).catch(function () { /* the server stopped: nothing to show */ });

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
