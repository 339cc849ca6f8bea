/* dachuan forms: add/remove rows in lists (persons, officers) and stop double submission.
   Without JavaScript the same buttons post back and the server adds or removes the row. */
(function () {
  "use strict";

  function rowIndex(row, listName) {
    var re = new RegExp("^" + listName + "-(\\d+)-");
    var named = row.querySelector("[name^='" + listName + "-']");
    var m = named && named.getAttribute("name").match(re);
    return m ? parseInt(m[1], 10) : -1;
  }

  function clearRow(row) {
    row.querySelectorAll("input, select, textarea").forEach(function (el) {
      if (el.type === "hidden" || el.readOnly) { return; }
      if (el.tagName === "SELECT") { el.selectedIndex = 0; }
      else if (el.type === "checkbox" || el.type === "radio") { el.checked = false; }
      else { el.value = ""; }
    });
    row.querySelectorAll(".error").forEach(function (el) { el.remove(); });
    row.querySelectorAll(".has-error").forEach(function (el) { el.classList.remove("has-error"); });
  }

  function addRow(fieldset) {
    var listName = fieldset.getAttribute("data-rows");
    var items = fieldset.querySelector(".row-items");
    var rows = items.querySelectorAll("[data-row]");
    if (!rows.length) { return; }
    var next = 0;
    rows.forEach(function (r) { next = Math.max(next, rowIndex(r, listName) + 1); });
    var copy = rows[0].cloneNode(true);
    var re = new RegExp("^" + listName + "-\\d+-");
    copy.querySelectorAll("[name], [id], label[for]").forEach(function (el) {
      ["name", "id", "for"].forEach(function (attr) {
        var v = el.getAttribute(attr);
        if (v && re.test(v)) { el.setAttribute(attr, v.replace(re, listName + "-" + next + "-")); }
      });
    });
    clearRow(copy);
    items.appendChild(copy);
    var first = copy.querySelector("input:not([type=hidden]), select");
    if (first) { first.focus(); }
  }

  document.addEventListener("click", function (ev) {
    var button = ev.target.closest("button.add-row, button.remove-row");
    if (!button) { return; }
    var fieldset = button.closest("fieldset[data-rows]");
    if (!fieldset) { return; }
    ev.preventDefault();
    if (button.classList.contains("add-row")) {
      addRow(fieldset);
    } else {
      var row = button.closest("[data-row]");
      if (fieldset.querySelectorAll("[data-row]").length > 1) { row.remove(); } else { clearRow(row); }
    }
  });

  // One submission per page: a double click or an impatient second tap sends nothing more.
  document.querySelectorAll("form[data-once]").forEach(function (form) {
    form.addEventListener("submit", function () {
      if (form.dataset.sent) { return; }
      form.dataset.sent = "1";
      setTimeout(function () {
        form.querySelectorAll("button[type=submit]").forEach(function (b) { b.disabled = true; });
      }, 0);
    });
  });

  // Select-all box on the supervisor board.
  document.querySelectorAll("input[data-select-all]").forEach(function (box) {
    box.addEventListener("change", function () {
      var scope = document.getElementById(box.getAttribute("data-select-all"));
      scope.querySelectorAll("input[type=checkbox][name=task_ids]").forEach(function (c) { c.checked = box.checked; });
    });
  });
})();
