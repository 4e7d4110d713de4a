/*
 * Wide tables a keyboard can scroll.
 *
 * Material wraps every table of a page's text in a scrolling box (div.md-typeset__scrollwrap) when
 * its script starts. A table wider than the screen (the staff guide's, on a phone) then scrolls
 * inside a box that neither a keyboard nor a screen reader can reach (axe: scrollable-region-focusable).
 * Each box is made a focusable region named after the table's section: Tab reaches it, the arrow
 * keys scroll it. Loaded only on pages whose text has a table (overrides/main.html); a file of the
 * site's own, as the Content-Security-Policy requires.
 */
(function () {
  "use strict";

  /* The text of the heading above the table, without Material's "¶" permalink. */
  function sectionOf(box) {
    for (var node = box.previousElementSibling; node; node = node.previousElementSibling) {
      if (/^H[1-6]$/.test(node.tagName)) {
        var text = "";
        node.childNodes.forEach(function (child) {
          if (!(child.classList && child.classList.contains("headerlink"))) text += child.textContent;
        });
        return text.trim();
      }
    }
    return "";
  }

  function label() {
    var used = {};
    document.querySelectorAll(".md-typeset__scrollwrap:not([tabindex])").forEach(function (box, index) {
      var section = sectionOf(box);
      var name = section ? "Bảng: " + section : "Bảng " + (index + 1);
      used[name] = (used[name] || 0) + 1;
      if (used[name] > 1) name += " (" + used[name] + ")";
      box.setAttribute("tabindex", "0");
      box.setAttribute("role", "region");
      box.setAttribute("aria-label", name);
    });
  }

  // document$ (Material) emits once the page's components, tables included, are mounted.
  if (typeof document$ !== "undefined") document$.subscribe(label);
  else document.addEventListener("DOMContentLoaded", label);
})();
