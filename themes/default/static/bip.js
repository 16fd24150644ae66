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
  // The subject menu is a <details> closed on phones; on wider screens it is open (CSS shows it without
  // JavaScript where the browser supports ::details-content; this opens it elsewhere).
  function openMenu() {
    var menu = document.querySelector(".menu-toggle");
    if (menu && window.matchMedia && window.matchMedia("(min-width: 48.01rem)").matches) { menu.open = true; }
  }
  // "Drukuj" on document pages: made here, so that without JavaScript there is no dead button.
  function printButton() {
    var heading = document.querySelector("main article.document h1");
    if (!heading || typeof window.print !== "function") { return; }
    var tools = document.createElement("p");
    tools.className = "page-tools";
    var button = document.createElement("button");
    button.type = "button";
    button.className = "print-button";
    button.textContent = "Drukuj";
    button.addEventListener("click", function () { window.print(); });
    tools.appendChild(button);
    heading.parentNode.insertBefore(tools, heading.nextSibling);
  }
  function start() { init(); openMenu(); printButton(); }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", start); } else { start(); }
})();
