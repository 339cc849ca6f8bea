/* Draw the case's BPMN diagram with the vendored bpmn-js viewer; mark done and current steps. */
(function () {
  "use strict";
  var el = document.getElementById("diagram");
  if (!el || typeof BpmnJS === "undefined") { return; }
  var done = JSON.parse(el.getAttribute("data-done") || "[]");
  var current = JSON.parse(el.getAttribute("data-current") || "[]");
  var viewer = new BpmnJS({ container: el });

  function mark(registry, canvas, ids, marker) {
    ids.forEach(function (id) {
      if (registry.get(id)) { canvas.addMarker(id, marker); }
    });
  }

  fetch(el.getAttribute("data-xml"), { credentials: "same-origin" })
    .then(function (r) {
      if (!r.ok) { throw new Error("HTTP " + r.status); }
      return r.text();
    })
    .then(function (xml) { return viewer.importXML(xml); })
    .then(function () {
      var canvas = viewer.get("canvas");
      var registry = viewer.get("elementRegistry");
      canvas.zoom("fit-viewport");
      mark(registry, canvas, done, "done");
      mark(registry, canvas, current, "current");
      el.setAttribute("data-rendered", "1");
    })
    .catch(function (err) {
      el.textContent = "流程图加载失败：" + err.message;
    });
})();
