// Drag and drop for the office's item list: the whole new order is posted once when a
// drag ends. Without this script the per-item "move to position" forms do the same.
(function () {
  "use strict";
  var list = document.getElementById("office-items");
  if (!list || !list.dataset.reorderUrl) { return; }
  var status = document.getElementById("reorder-status");
  var dragged = null;
  var start = "";
  var csrf = list.querySelector("input[name=csrfmiddlewaretoken]");

  function items() { return Array.prototype.slice.call(list.querySelectorAll("li[data-item-id]")); }

  function order() { return items().map(function (li) { return li.dataset.itemId; }).join(","); }

  function say(text) { if (status) { status.textContent = text; } }

  function save() {
    var body = new URLSearchParams();
    body.append("order", order());
    fetch(list.dataset.reorderUrl, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Accept": "application/json", "X-CSRFToken": csrf ? csrf.value : "" },
      body: body
    }).then(function (response) {
      return response.json().then(function (data) { return { ok: response.ok, data: data }; });
    }).then(function (result) {
      if (!result.ok) { say(result.data.error || list.dataset.failed || ""); window.location.reload(); return; }
      // The numbers follow the new order: reload so every label and position is current.
      window.location.reload();
    }).catch(function () { say(list.dataset.failed || ""); });
  }

  items().forEach(function (li) {
    li.setAttribute("draggable", "true");
    li.addEventListener("dragstart", function (event) {
      dragged = li;
      start = order();
      li.classList.add("dragging");
      event.dataTransfer.effectAllowed = "move";
      event.dataTransfer.setData("text/plain", li.dataset.itemId);
    });
    li.addEventListener("dragend", function () { li.classList.remove("dragging"); });
    li.addEventListener("dragover", function (event) {
      if (!dragged || dragged === li) { return; }
      event.preventDefault();
      var box = li.getBoundingClientRect();
      var after = event.clientY > box.top + box.height / 2;
      list.insertBefore(dragged, after ? li.nextSibling : li);
    });
  });
  list.addEventListener("drop", function (event) {
    if (!dragged) { return; }
    event.preventDefault();
    dragged = null;
    if (order() !== start) { save(); }
  });
})();
