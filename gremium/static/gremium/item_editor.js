// The item editor, enhanced: a Markdown toolbar on every text, "add section" without a
// reload, and the preview fetched from the server (the published page's renderer). Without
// this script the form's own buttons do the same with a page load.
(function () {
  "use strict";
  var form = document.querySelector("form.item-text");
  if (!form) { return; }
  var toolbar = document.getElementById("markdown-toolbar");
  var MARKS = {
    bold: { before: "**", after: "**" },
    italic: { before: "*", after: "*" },
    link: { before: "[", after: "](https://)" },
    list: { line: "- " },
    numbered: { line: "1. " },
    heading: { line: "### " }
  };

  function apply(area, kind) {
    var mark = MARKS[kind];
    var start = area.selectionStart, end = area.selectionEnd, text = area.value;
    var chosen = text.slice(start, end);
    var replaced;
    if (mark.line) {
      var lineStart = text.lastIndexOf("\n", start - 1) + 1;
      chosen = text.slice(lineStart, end);
      replaced = chosen.split("\n").map(function (line) { return mark.line + line; }).join("\n");
      area.setRangeText(replaced, lineStart, end, "end");
    } else {
      area.setRangeText(mark.before + chosen + mark.after, start, end, "end");
    }
    area.focus();
    area.dispatchEvent(new Event("input", { bubbles: true }));
  }

  function addToolbar(area) {
    if (!toolbar || area.dataset.toolbar) { return; }
    area.dataset.toolbar = "1";
    var bar = toolbar.content.firstElementChild.cloneNode(true);
    bar.addEventListener("click", function (event) {
      var kind = event.target.getAttribute("data-md");
      if (kind) { apply(area, kind); }
    });
    area.parentNode.insertBefore(bar, area);
  }

  function textareas() { return form.querySelectorAll("textarea[name*='-body_']"); }

  Array.prototype.forEach.call(textareas(), addToolbar);

  var count = form.querySelector("input[name=section_count]");
  var addButton = form.querySelector("button[name=add_section]");
  if (addButton && count) {
    addButton.addEventListener("click", function (event) {
      var sets = form.querySelectorAll("fieldset");
      var last = sets[sets.length - 1];
      if (!last) { return; }
      event.preventDefault();
      var n = sets.length;
      var copy = last.cloneNode(true);
      copy.querySelectorAll("[data-toolbar]").forEach(function (el) { delete el.dataset.toolbar; });
      copy.querySelectorAll(".markdown-toolbar").forEach(function (el) { el.remove(); });
      copy.querySelectorAll("input, textarea, label").forEach(function (el) {
        ["name", "id", "for"].forEach(function (attr) {
          var value = el.getAttribute(attr);
          if (value) { el.setAttribute(attr, value.replace(/_(\d+)$/, "_" + n)); }
        });
        if (el.tagName !== "LABEL") { el.value = ""; }
      });
      var legend = copy.querySelector("legend");
      if (legend) { legend.textContent = legend.textContent.replace(/\d+\s*$/, String(n + 1)); }
      last.parentNode.insertBefore(copy, last.nextSibling);
      count.value = String(parseInt(count.value, 10) + 1);
      var area = copy.querySelector("textarea");
      if (area) { addToolbar(area); }
      var heading = copy.querySelector("input");
      if (heading) { heading.focus(); }
    });
  }

  var previewButton = form.querySelector("button[name=preview]");
  var target = document.getElementById("item-preview");
  // Autosave: the form as it stands goes to the user's draft a moment after typing stops.
  // The draft is kept apart from the item and offered back on the next visit.
  var timer = null;
  if (form.dataset.draftUrl) {
    form.addEventListener("input", function () {
      if (timer) { window.clearTimeout(timer); }
      timer = window.setTimeout(function () {
        fetch(form.dataset.draftUrl, {
          method: "POST", credentials: "same-origin", body: new FormData(form)
        }).catch(function () { /* the next keystroke tries again */ });
      }, 1500);
    });
  }

  var serverPreview = false;
  if (previewButton && target && form.dataset.previewUrl) {
    previewButton.addEventListener("click", function (event) {
      if (serverPreview) { return; }  // the fetch failed: the page's own preview
      event.preventDefault();
      fetch(form.dataset.previewUrl, {
        method: "POST", credentials: "same-origin", body: new FormData(form)
      }).then(function (response) {
        if (!response.ok) { throw new Error(String(response.status)); }
        return response.text();
      }).then(function (html) {
        // The server renders and escapes: the fragment is the published page's markup.
        target.innerHTML = html;
      }).catch(function () { serverPreview = true; form.requestSubmit(previewButton); });
    });
  }
})();
