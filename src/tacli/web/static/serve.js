/* tacli serve: the little the pages do beyond htmx. Everything works without
   it; with it, a stage's checklist gets a box that ticks all its duties, the
   button that records a whole stage says what it will record, and a page
   follows the files on disk (the long poll, paused while its tab is hidden).
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

  /* The long poll (tacli.web.pages.changes): one request open while the tab is
     shown, none while it is hidden. A browser opens at most 6 connections to a
     server; a poll held by every open tab would leave the seventh tab, and every
     page and form after it, waiting. A hidden tab asks again when shown: a file
     that changed meanwhile is answered at once. */
  function follow(live) {
    var controller = null;
    var stopped = false;
    var retry = null;
    function start() {
      if (stopped || controller || retry || document.hidden) { return; }
      var source = live.getAttribute("data-live");
      if (!source) { return; }
      controller = new AbortController();
      fetch(source, { signal: controller.signal, credentials: "same-origin", headers: { "HX-Request": "true" } }).then(function (response) {
        controller = null;
        if (response.headers.get("HX-Refresh") === "true") { stopped = true; window.location.reload(); return null; }
        if (response.status === 204) { stopped = true; return null; }  // the server stops
        if (!response.ok) { throw new Error("status " + response.status); }
        return response.text();
      }).then(function (html) {
        if (html === null || html === undefined) { return; }
        var holder = document.createElement("div");
        holder.innerHTML = html;
        var next = holder.querySelector("#live");
        if (!next) { return; }
        live.className = next.className;
        live.setAttribute("role", next.getAttribute("role") || "");
        if (!next.getAttribute("role")) { live.removeAttribute("role"); }
        live.innerHTML = next.innerHTML;
        if (next.hasAttribute("data-live")) {
          live.setAttribute("data-live", next.getAttribute("data-live"));
          start();
        } else {
          stopped = true;  // a form's file changed: the page says so, and asks no more
        }
      }).catch(function (error) {
        controller = null;
        if (error && error.name === "AbortError") { return; }
        retry = window.setTimeout(function () { retry = null; start(); }, 5000);  // the server away for a moment
      });
    }
    document.addEventListener("visibilitychange", function () {
      if (document.hidden) {
        if (controller) { controller.abort(); controller = null; }
      } else {
        start();
      }
    });
    window.addEventListener("pagehide", function () { if (controller) { controller.abort(); controller = null; } });
    window.addEventListener("pageshow", function () { start(); });
    start();
  }
  var live = document.getElementById("live");
  if (live) { follow(live); }

  /* A refusal after a save (a page sent back with what was typed) is brought
     into view beside the button that sent it, not left below the fold. */
  var refused = document.querySelector("main form .refused[role=alert], main > .refused[role=alert]");
  if (refused) {
    refused.setAttribute("tabindex", "-1");
    refused.scrollIntoView({ block: "center" });
    refused.focus({ preventScroll: true });
  }

  /* In the file's editor, a finding's "line N" puts the cursor on that line. */
  var editor = document.getElementById("text");
  function toLine(link) {
    var line = parseInt(link.getAttribute("data-line"), 10) || 1;
    var column = parseInt(link.getAttribute("data-column"), 10) || 1;
    var lines = editor.value.split("\n");
    var at = 0;
    for (var n = 0; n < line - 1 && n < lines.length; n += 1) { at += lines[n].length + 1; }
    at += Math.min(column - 1, (lines[line - 1] || "").length);
    editor.focus();
    editor.setSelectionRange(at, at);
    var height = editor.scrollHeight / Math.max(lines.length, 1);
    editor.scrollTop = Math.max(0, (line - 5) * height);
    editor.scrollIntoView({ block: "nearest" });
  }
  if (editor) {
    document.addEventListener("click", function (event) {
      var link = event.target.closest ? event.target.closest("a.to-line") : null;
      if (!link) { return; }
      event.preventDefault();
      toLine(link);
    });
  }
})();
