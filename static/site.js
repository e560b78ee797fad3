/* Progressive enhancement for every page: theme toggle, contents, footnote previews, citing,
   the actor filter and the timeline filters. Without this file every page still reads and links. */
(function () {
  "use strict";

  var root = document.documentElement;
  var STORE = "briefings-theme";

  /* ---- small helpers ---------------------------------------------------------------------- */

  function each(selector, fn, scope) {
    Array.prototype.forEach.call((scope || document).querySelectorAll(selector), fn);
  }

  function storedTheme() {
    try {
      var value = window.localStorage.getItem(STORE);
      return value === "light" || value === "dark" ? value : null;
    } catch (e) {
      return null; // storage can be blocked (privacy settings, file://)
    }
  }

  function fold(text) {
    // Case- and accent-insensitive matching: "Şuşa" is found by "susa".
    return (text || "").normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  }

  var toastTimer = null;
  function announce(message) {
    var toast = document.querySelector("[data-toast]");
    if (!toast) {
      toast = document.createElement("div");
      toast.className = "toast";
      toast.setAttribute("role", "status");
      toast.setAttribute("data-toast", "");
      document.body.appendChild(toast);
    }
    toast.textContent = message;
    toast.classList.add("toast--visible");
    window.clearTimeout(toastTimer);
    toastTimer = window.setTimeout(function () {
      toast.classList.remove("toast--visible");
    }, 4000);
  }

  /* ---- theme -------------------------------------------------------------------------------- */

  var darkQuery = window.matchMedia ? window.matchMedia("(prefers-color-scheme: dark)") : null;

  function effectiveTheme() {
    var set = root.getAttribute("data-theme");
    if (set === "light" || set === "dark") {
      return set;
    }
    return darkQuery && darkQuery.matches ? "dark" : "light";
  }

  function syncToggles() {
    each("[data-theme-toggle]", function (button) {
      button.setAttribute("aria-pressed", effectiveTheme() === "dark" ? "true" : "false");
    });
  }

  function setupTheme() {
    var chosen = storedTheme(); // theme.js in <head> has usually applied it already, before first paint
    if (chosen) {
      root.setAttribute("data-theme", chosen);
    }
    syncToggles();
    each("[data-theme-toggle]", function (button) {
      button.hidden = false;
      button.addEventListener("click", function () {
        var next = effectiveTheme() === "dark" ? "light" : "dark";
        try {
          window.localStorage.setItem(STORE, next);
        } catch (e) {
          // Storage blocked: the choice still holds for this page.
        }
        root.setAttribute("data-theme", next);
        syncToggles();
      });
    });
    if (darkQuery && darkQuery.addEventListener) {
      darkQuery.addEventListener("change", syncToggles);
    }
  }

  /* ---- contents: closed on narrow screens, current section marked ------------------------- */

  var wideQuery = window.matchMedia ? window.matchMedia("(min-width: 64rem)") : null;

  function setupContents() {
    var toc = document.querySelector("[data-toc]");
    if (!toc) {
      return;
    }
    function fit() {
      toc.open = !wideQuery || wideQuery.matches;
    }
    fit();
    if (wideQuery && wideQuery.addEventListener) {
      wideQuery.addEventListener("change", fit);
    }
    toc.addEventListener("click", function (event) {
      // On a narrow screen, following a contents link closes the list so the text is in view.
      if (event.target.closest("a[data-toc-link]") && wideQuery && !wideQuery.matches) {
        toc.open = false;
      }
    });
    if (!("IntersectionObserver" in window)) {
      return;
    }
    var links = {};
    each("a[data-toc-link]", function (link) {
      links[decodeURIComponent(link.hash.slice(1))] = link;
    }, toc);
    var visible = {};
    var observer = new IntersectionObserver(function (entries) {
      entries.forEach(function (entry) {
        visible[entry.target.id] = entry.isIntersecting;
      });
      var current = null;
      each(".article-section, .backmatter > section", function (section) {
        if (!current && visible[section.id]) {
          current = section.id;
        }
      });
      Object.keys(links).forEach(function (id) {
        if (id === current) {
          links[id].setAttribute("aria-current", "location");
        } else {
          links[id].removeAttribute("aria-current");
        }
      });
    }, { rootMargin: "0px 0px -60% 0px" });
    each(".article-section, .backmatter > section", function (section) {
      if (links[section.id]) {
        observer.observe(section);
      }
    });
  }

  /* ---- footnotes: sidenotes on wide screens, a preview in place on narrow ones ------------- */

  function sidenoteFor(marker) {
    var para = marker.closest(".para");
    return para ? para.querySelector('[data-sidenote="' + marker.getAttribute("data-note") + '"]') : null;
  }

  function sidenoteShown(marker) {
    var note = sidenoteFor(marker);
    return Boolean(note && note.offsetParent !== null);
  }

  function noteContent(number) {
    // Phrasing content only: the preview sits inside the paragraph, right after its marker.
    var item = document.getElementById("fn" + number);
    var box = document.createElement("span");
    box.className = "fn-pop__text";
    if (!item) {
      var missing = document.createElement("em");
      missing.className = "missing";
      missing.textContent = "Note missing in the source.";
      box.appendChild(missing);
      return box;
    }
    var text = item.querySelector(".footnote__text") || item;
    Array.prototype.forEach.call(text.childNodes, function (node) {
      var copy = node.cloneNode(true);
      if (copy.nodeType === 1) {
        copy.removeAttribute("id");
        each("[id]", function (el) { el.removeAttribute("id"); }, copy);
      }
      box.appendChild(copy);
    });
    return box;
  }

  function closePreview(pop, returnFocus) {
    var marker = document.getElementById(pop.getAttribute("data-for"));
    pop.parentNode.removeChild(pop);
    if (marker) {
      marker.setAttribute("aria-expanded", "false");
      marker.removeAttribute("aria-controls");
      if (returnFocus) {
        marker.focus({ preventScroll: true });
      }
    }
  }

  function closeAllPreviews() {
    each(".fn-pop", function (pop) { closePreview(pop, false); });
  }

  function span(className, text) {
    var el = document.createElement("span");
    el.className = className;
    if (text) {
      el.textContent = text;
    }
    return el;
  }

  function openPreview(marker) {
    var number = marker.getAttribute("data-note");
    var id = "pop-" + marker.id;
    var pop = span("fn-pop");
    pop.id = id;
    pop.setAttribute("role", "group");
    pop.setAttribute("aria-labelledby", id + "-h");
    pop.setAttribute("tabindex", "-1");
    pop.setAttribute("data-for", marker.id);
    var head = span("fn-pop__head", "Note " + number);
    head.id = id + "-h";
    var close = document.createElement("button");
    close.type = "button";
    close.className = "fn-pop__close";
    close.setAttribute("aria-label", "Close note " + number);
    close.textContent = "×";
    close.addEventListener("click", function () { closePreview(pop, true); });
    var all = document.createElement("a");
    all.className = "fn-pop__all";
    all.href = "#fn" + number;
    all.textContent = "All notes";
    pop.appendChild(head);
    pop.appendChild(close);
    pop.appendChild(noteContent(number));
    pop.appendChild(all);
    pop.addEventListener("keydown", function (event) {
      if (event.key === "Escape") {
        event.preventDefault();
        closePreview(pop, true);
      }
    });
    // In place: right after the marker (after its <sup>), so the reader's eye stays on the line.
    var anchor = marker.parentNode && marker.parentNode.tagName === "SUP" ? marker.parentNode : marker;
    anchor.insertAdjacentElement("afterend", pop);
    marker.setAttribute("aria-expanded", "true");
    marker.setAttribute("aria-controls", id);
    pop.focus({ preventScroll: true });
    var box = pop.getBoundingClientRect();
    if (box.bottom > window.innerHeight) {
      // Scroll just enough to show the note, never past the marker's line.
      var room = Math.max(0, marker.getBoundingClientRect().top - 8);
      window.scrollBy({ top: Math.min(box.bottom - window.innerHeight + 8, room), behavior: "instant" });
    }
  }

  function markerMode(marker) {
    if (sidenoteShown(marker)) {
      marker.removeAttribute("aria-expanded");
      marker.removeAttribute("aria-controls");
    } else if (!marker.hasAttribute("aria-expanded")) {
      marker.setAttribute("aria-expanded", "false");
    }
  }

  function setupFootnotes() {
    var markers = document.querySelectorAll(".article a[data-note]");
    if (!markers.length) {
      return;
    }
    each(".article a[data-note]", markerMode);
    document.addEventListener("click", function (event) {
      var marker = event.target.closest && event.target.closest(".article a[data-note]");
      if (!marker) {
        return;
      }
      event.preventDefault();
      if (sidenoteShown(marker)) {
        var note = sidenoteFor(marker);
        note.setAttribute("tabindex", "-1");
        note.classList.remove("sidenote--flash");
        void note.offsetWidth; // restart the highlight animation
        note.classList.add("sidenote--flash");
        note.focus({ preventScroll: true });
        return;
      }
      var open = document.getElementById("pop-" + marker.id);
      if (open) {
        closePreview(open, true);
      } else {
        closeAllPreviews();
        openPreview(marker);
      }
    });
    document.addEventListener("keydown", function (event) {
      if (event.key !== "Escape") {
        return;
      }
      var marker = event.target.closest && event.target.closest(".article a[data-note]");
      var open = marker && document.getElementById("pop-" + marker.id);
      if (open) {
        event.preventDefault();
        closePreview(open, true);
      }
    });
    var sideQuery = window.matchMedia ? window.matchMedia("(min-width: 75rem)") : null;
    if (sideQuery && sideQuery.addEventListener) {
      sideQuery.addEventListener("change", function () {
        closeAllPreviews();
        each(".article a[data-note]", markerMode);
      });
    }
  }

  /* ---- citing: copy a paragraph link with its pinpoint citation, or a whole citation -------- */

  function showCopyBox(after, text, label) {
    var old = after.parentNode.querySelector(".copy-box");
    if (old) {
      old.parentNode.removeChild(old);
    }
    var box = document.createElement("div");
    var id = "copy-" + Math.random().toString(36).slice(2, 9);
    box.className = "copy-box";
    box.setAttribute("role", "group");
    box.setAttribute("aria-labelledby", id + "-l");
    var caption = document.createElement("label");
    caption.id = id + "-l";
    caption.setAttribute("for", id);
    caption.textContent = label + " (select and copy):";
    var area = document.createElement("textarea");
    area.id = id;
    area.readOnly = true;
    area.rows = 3;
    area.value = text;
    var close = document.createElement("button");
    close.type = "button";
    close.className = "copy-box__close";
    close.textContent = "Close";
    close.addEventListener("click", function () {
      box.parentNode.removeChild(box);
    });
    box.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && box.parentNode) {
        box.parentNode.removeChild(box);
      }
    });
    box.appendChild(caption);
    box.appendChild(area);
    box.appendChild(close);
    after.insertAdjacentElement("afterend", box);
    area.focus();
    area.select();
  }

  function copy(text, done, fallback) {
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(text).then(done, fallback);
    } else {
      fallback();
    }
  }

  function setupCiting() {
    each("button[data-cite-target]", function (button) {
      button.hidden = false;
      button.addEventListener("click", function () {
        var paragraph = document.getElementById(button.getAttribute("data-cite-target"));
        if (!paragraph) {
          return;
        }
        var text = paragraph.getAttribute("data-cite");
        var name = button.textContent.replace(/^Cite\s*/, "");
        copy(text, function () {
          announce("Copied the link and citation for " + name + ".");
        }, function () {
          showCopyBox(button.parentNode, text, "Citation for " + name);
          announce("Copying is not available here: the citation is selected, copy it with your keyboard.");
        });
      });
    });
    each("button[data-copy]", function (button) {
      button.hidden = false;
      button.addEventListener("click", function () {
        var source = document.getElementById(button.getAttribute("data-copy"));
        if (!source) {
          return;
        }
        var text = source.textContent.trim();
        var name = button.textContent.replace(/^Copy\s*/, "");
        copy(text, function () {
          announce("Copied the " + name + ".");
        }, function () {
          showCopyBox(button, text, name.charAt(0).toUpperCase() + name.slice(1));
        });
      });
    });
  }

  /* ---- actor index: filter rows by name or alias ------------------------------------------- */

  function setupActorFilter() {
    var box = document.querySelector("[data-filter-root]");
    if (!box) {
      return;
    }
    var input = box.querySelector("[data-filter-input]");
    var count = box.querySelector("[data-filter-count]");
    var items = Array.prototype.slice.call(document.querySelectorAll("[data-filter-item]"));
    var names = items.map(function (item) { return fold(item.getAttribute("data-names")); });
    var empty = document.querySelector("[data-filter-empty]");
    box.hidden = false;
    function update() {
      var query = fold(input.value.trim());
      var shown = 0;
      items.forEach(function (item, i) {
        var match = !query || names[i].indexOf(query) !== -1;
        item.hidden = !match;
        shown += match ? 1 : 0;
      });
      each("[data-filter-group]", function (group) {
        group.hidden = !group.querySelector("[data-filter-item]:not([hidden])");
      });
      if (empty) {
        empty.hidden = shown !== 0;
      }
      count.textContent = query
        ? shown + " of " + items.length + " actors match “" + input.value.trim() + "”."
        : "All " + items.length + " actors shown.";
    }
    input.addEventListener("input", update);
    update();
  }

  /* ---- timeline: filter events by actor and by briefing ------------------------------------ */

  function setupTimelineFilters() {
    var form = document.querySelector("[data-timeline-filters]");
    if (!form) {
      return;
    }
    var selects = Array.prototype.slice.call(form.querySelectorAll("select[data-filter]"));
    var events = Array.prototype.slice.call(document.querySelectorAll("li.event"));
    var count = form.querySelector("[data-filter-count]");
    var reset = form.querySelector("[data-filter-reset]");
    form.hidden = false;
    function update() {
      var shown = 0;
      events.forEach(function (event) {
        var match = selects.every(function (select) {
          var wanted = select.value;
          var have = (event.getAttribute("data-" + select.getAttribute("data-filter")) || "").split(" ");
          return !wanted || have.indexOf(wanted) !== -1;
        });
        event.hidden = !match;
        shown += match ? 1 : 0;
      });
      each("[data-year]", function (year) {
        year.hidden = !year.querySelector("li.event:not([hidden])");
      });
      var filtered = selects.some(function (select) { return select.value; });
      if (reset) {
        reset.hidden = !filtered;
      }
      count.textContent = filtered
        ? shown + " of " + events.length + " events shown."
        : "All " + events.length + " events shown.";
    }
    selects.forEach(function (select) {
      select.addEventListener("change", update);
      select.addEventListener("input", update);
    });
    form.addEventListener("submit", function (event) { event.preventDefault(); });
    if (reset) {
      reset.addEventListener("click", function () {
        selects.forEach(function (select) { select.value = ""; });
        update();
        selects[0].focus();
      });
    }
    update();
  }

  /* ---- print: closed notes would not print; open them for the paper copy, then restore ------ */

  function setupPrint() {
    var opened = [];
    window.addEventListener("beforeprint", function () {
      each("details.editor-notes:not([open])", function (details) {
        details.open = true;
        opened.push(details);
      });
    });
    window.addEventListener("afterprint", function () {
      opened.forEach(function (details) { details.open = false; });
      opened = [];
    });
  }

  function start() {
    root.classList.add("js");
    setupTheme();
    setupContents();
    setupFootnotes();
    setupCiting();
    setupActorFilter();
    setupTimelineFilters();
    setupPrint();
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
