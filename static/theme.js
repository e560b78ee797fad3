/* Runs before the first paint (loaded without defer): apply the reader's remembered theme. */
(function () {
  "use strict";
  try {
    var theme = window.localStorage.getItem("briefings-theme");
    if (theme === "light" || theme === "dark") {
      document.documentElement.setAttribute("data-theme", theme);
    }
  } catch (e) {
    // Storage blocked: the system preference applies.
  }
})();
