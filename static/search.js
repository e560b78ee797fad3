/* Search page: starts Pagefind's UI on #search (no inline script, so the page's CSP holds).
   Enhancements: ?q= in the address runs that search (and follows what is typed, so Back returns
   to the results); the arrow keys move between the input and the result links; the result count
   is announced to screen readers. The bundle path comes from this page's relative <script> tag,
   so the index loads under any sub-path. */
(function () {
  "use strict";

  var root = document.querySelector("[data-search]");
  if (!root) {
    return;
  }

  function say(text) {
    var p = document.createElement("p");
    p.className = "search-unavailable";
    p.textContent = text;
    root.appendChild(p);
  }

  // Pagefind fetches its index; browsers refuse fetch() from file://, so an offline copy cannot search.
  if (window.location.protocol === "file:") {
    if (!document.querySelector("[data-search-offline]")) {
      say("Search needs the site served over the web; this copy was opened from disk.");
    }
    return;
  }
  if (typeof window.PagefindUI !== "function") {
    say("Search is unavailable: this build has no search index (Pagefind was not run).");
    return;
  }

  var ui = new window.PagefindUI({
    element: "#search",
    showImages: false,
    showSubResults: true,
    translations: { placeholder: "Search briefings, actors and events" }
  });

  var status = document.createElement("p");
  status.className = "visually-hidden";
  status.setAttribute("role", "status");
  status.setAttribute("aria-live", "polite");
  root.parentNode.insertBefore(status, root.nextSibling);

  function input() {
    return root.querySelector("input[type=text], input[type=search], input");
  }

  function links() {
    return Array.prototype.slice.call(root.querySelectorAll(".pagefind-ui__result-link"));
  }

  var query = new URLSearchParams(window.location.search).get("q");
  if (query) {
    ui.triggerSearch(query);
  }
  // The reader came here to search: put the cursor in the box (unless they already moved focus).
  if (input() && (document.activeElement === document.body || document.activeElement === null)) {
    input().focus();
  }

  // Keep ?q= in step with the input, without adding history entries.
  root.addEventListener("input", function (event) {
    if (event.target !== input()) {
      return;
    }
    var url = new URL(window.location.href);
    if (event.target.value) {
      url.searchParams.set("q", event.target.value);
    } else {
      url.searchParams.delete("q");
    }
    window.history.replaceState(null, "", url.toString());
  });

  // ArrowDown from the input to the first result; ArrowUp/ArrowDown between results; Escape back up.
  root.addEventListener("keydown", function (event) {
    var all = links();
    var at = all.indexOf(document.activeElement);
    var box = input();
    var next = null;
    if (event.key === "ArrowDown") {
      next = document.activeElement === box ? all[0] : all[at + 1];
    } else if (event.key === "ArrowUp" && at >= 0) {
      next = at === 0 ? box : all[at - 1];
    } else if (event.key === "Escape" && at >= 0) {
      next = box;
    }
    if (next) {
      event.preventDefault();
      next.focus();
    }
  });

  // Pagefind's result message is not a live region: mirror it into one.
  new MutationObserver(function () {
    var message = root.querySelector(".pagefind-ui__message");
    var text = message ? message.textContent : "";
    if (status.textContent !== text) {
      status.textContent = text;
    }
  }).observe(root, { childList: true, subtree: true, characterData: true });
})();
