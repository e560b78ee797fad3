// Live reload for `python build.py serve`; only pages built by serve load this file.
// Asks the server for its build epoch with a long poll (the request waits until a build lands or
// fails) and reloads the page after a new good build; while the last build failed, shows its error
// in an overlay (text only: the error is never parsed as HTML).
(function () {
  "use strict";

  var RETRY = 1000; // after a failed request (server restarting): wait before asking again
  var seen = null;
  var overlay = null;
  var reloading = false; // once the page is reloading, ask no more: a second reload would restart the first

  function text(response) {
    return response.ok ? response.text() : Promise.reject(response.status);
  }

  function show(message) {
    if (!overlay) {
      overlay = document.createElement("div");
      overlay.setAttribute("role", "alert");
      var s = overlay.style; // CSSOM, not a style attribute: allowed by the page's CSP
      s.position = "fixed";
      s.left = s.right = s.bottom = "0";
      s.maxHeight = "50vh";
      s.overflow = "auto";
      s.zIndex = "2147483647";
      s.margin = "0";
      s.padding = "1rem";
      s.background = "#3b0d0d";
      s.color = "#fff";
      s.font = "14px/1.4 ui-monospace, monospace";
      s.whiteSpace = "pre-wrap";
      var title = document.createElement("strong");
      title.textContent = "Build failed: still showing the last good build.\n";
      overlay.appendChild(title);
      overlay.appendChild(document.createElement("pre"));
      document.body.appendChild(overlay);
    }
    overlay.lastChild.textContent = message;
  }

  function hide() {
    if (overlay) {
      overlay.remove();
      overlay = null;
    }
  }

  function tick() {
    var url = seen === null ? "/__reload" : "/__reload?since=" + encodeURIComponent(seen);
    var failed = false;
    fetch(url, { cache: "no-store" })
      .then(text)
      .then(function (epoch) {
        if (seen === null) {
          seen = epoch;
        } else if (epoch !== seen) {
          reloading = true;
          window.location.reload();
          return null;
        }
        return fetch("/__status", { cache: "no-store" }).then(text).then(function (error) {
          if (error) {
            show(error);
          } else {
            hide();
          }
        });
      })
      .catch(function () {
        failed = true; // the server is restarting or gone: keep asking, quietly
      })
      .then(function () {
        if (!reloading) {
          window.setTimeout(tick, failed ? RETRY : 0);
        }
      });
  }

  tick();
})();
