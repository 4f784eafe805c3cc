// Article page: hovering any part of a statement (source, cue, content, evidence, or its
// card in the margin) outlines all its parts, which is how a reader sees which source says
// what when spans overlap. Loaded from /static (CSP script-src 'self'); no inline handlers.
(function () {
  "use strict";
  function parts(att) {
    return document.querySelectorAll('[data-att~="' + att + '"], #att-' + att);
  }
  function toggle(event, on) {
    var el = event.target.closest && event.target.closest("[data-att]");
    if (!el) { return; }
    el.getAttribute("data-att").split(" ").forEach(function (att) {
      if (!/^[0-9]+$/.test(att)) { return; }
      parts(att).forEach(function (p) { p.classList.toggle("hover", on); });
    });
  }
  document.addEventListener("mouseover", function (e) { toggle(e, true); });
  document.addEventListener("mouseout", function (e) { toggle(e, false); });
}());
