/* Display preferences (high contrast, larger text): the checkboxes work without JavaScript
   through CSS :has(); this script only remembers the choice between pages. */
(function () {
  "use strict";
  var KEY = "bip-prefs";
  function load() {
    try { return JSON.parse(window.localStorage.getItem(KEY) || "{}"); } catch (e) { return {}; }
  }
  function save(prefs) {
    try { window.localStorage.setItem(KEY, JSON.stringify(prefs)); } catch (e) { /* private mode */ }
  }
  function init() {
    var prefs = load();
    var toggles = document.querySelectorAll("input.opt-toggle[data-pref]");
    Array.prototype.forEach.call(toggles, function (box) {
      var name = box.getAttribute("data-pref");
      if (prefs[name]) { box.checked = true; }
      box.addEventListener("change", function () {
        var current = load();
        current[name] = box.checked;
        save(current);
      });
    });
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", init); } else { init(); }
})();
