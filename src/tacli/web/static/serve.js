/* tacli serve: the little the pages do beyond htmx. Everything works without
   it; with it, a stage's checklist gets a box that ticks all its duties, and
   the button that records a whole stage says what it will record.
   No network beyond this server, no inline script (the pages' CSP forbids it). */
"use strict";
(function () {
  function tickAll(form) {
    var boxes = Array.prototype.slice.call(form.querySelectorAll("input[type=checkbox][name=duty]"));
    if (!boxes.length) { return; }
    var label = document.createElement("label");
    label.className = "tick-all";
    var all = document.createElement("input");
    all.type = "checkbox";
    label.appendChild(all);
    label.appendChild(document.createTextNode(" Tick every duty of this stage"));
    form.insertBefore(label, form.querySelector("fieldset"));
    function sync() {
      var ticked = boxes.filter(function (box) { return box.checked; }).length;
      all.checked = ticked === boxes.length;
      all.indeterminate = ticked > 0 && ticked < boxes.length;
    }
    all.addEventListener("change", function () {
      boxes.forEach(function (box) { box.checked = all.checked; });
      form.dispatchEvent(new Event("change", { bubbles: true }));
    });
    boxes.forEach(function (box) { box.addEventListener("change", sync); });
    sync();
  }
  function stageButton(form) {
    var button = form.querySelector("button[value=stage]");
    if (!button) { return; }
    var stage = form.querySelector("h2, legend");
    function words() {
      var checked = form.querySelector("input[name=action]:checked");
      var action = checked ? checked.value : "done";
      var title = form.getAttribute("data-stage-title") || "";
      button.textContent = action === "open" ? "Open again every recorded " + title + " duty"
        : action === "na" ? "Mark every open " + title + " duty not applicable"
        : "Mark every open " + title + " duty done";
    }
    form.addEventListener("change", words);
    words();
    return stage;
  }
  document.querySelectorAll("form.duties-form").forEach(function (form) {
    tickAll(form);
    stageButton(form);
  });
})();
