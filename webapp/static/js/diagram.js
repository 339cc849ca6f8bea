/* Draw the case's BPMN diagram with the vendored bpmn-js viewer; mark done and current steps.
   Drag to pan, the buttons (or Ctrl + wheel) to zoom; "适应宽度" fits the diagram's width, "全图" all of it.
   On a wide screen the first view keeps labels readable (never below READABLE) around the current step;
   on a narrow one (a tablet) it shows the whole diagram. */
(function () {
  "use strict";
  var el = document.getElementById("diagram");
  if (!el || typeof BpmnJS === "undefined") { return; }
  var done = JSON.parse(el.getAttribute("data-done") || "[]");
  var current = JSON.parse(el.getAttribute("data-current") || "[]");
  var viewer = new BpmnJS({ container: el });
  var READABLE = 1;
  var WIDE = 1000;

  function mark(registry, canvas, ids, marker) {
    ids.forEach(function (id) {
      if (registry.get(id)) { canvas.addMarker(id, marker); }
    });
  }

  function fitWidth(canvas) {
    canvas.resized();
    var box = canvas.viewbox();
    var inner = box.inner;
    var scale = box.outer.width / inner.width;
    canvas.viewbox({ x: inner.x, y: inner.y, width: inner.width,
                     height: box.outer.height / scale });
  }

  function focusCurrent(canvas, registry) {
    canvas.resized();
    canvas.zoom("fit-viewport");
    if (canvas.zoom() >= READABLE || el.clientWidth < WIDE) { return; }
    var target = current.map(function (id) { return registry.get(id); }).filter(Boolean)[0];
    var box = canvas.viewbox();
    var centre = target ? { x: target.x + target.width / 2, y: target.y + target.height / 2 }
                        : { x: box.inner.x + box.outer.width / (2 * READABLE), y: box.inner.y + box.inner.height / 2 };
    canvas.zoom(READABLE, centre);
    var now = canvas.viewbox();
    canvas.viewbox({ x: Math.max(box.inner.x - 20, centre.x - now.width / 2), y: Math.max(box.inner.y - 20, centre.y - now.height / 2),
                     width: now.width, height: now.height });
  }

  function toolbar(canvas, registry) {
    var bar = document.createElement("div");
    bar.className = "diagram-tools";
    bar.setAttribute("role", "toolbar");
    bar.setAttribute("aria-label", "流程图缩放");
    [["放大", function () { canvas.zoom(canvas.zoom() * 1.25); }],
     ["缩小", function () { canvas.zoom(canvas.zoom() / 1.25); }],
     ["适应宽度", function () { fitWidth(canvas); }],
     ["全图", function () { canvas.resized(); canvas.zoom("fit-viewport"); }],
     ["当前环节", function () { focusCurrent(canvas, registry); }]].forEach(function (item) {
      var b = document.createElement("button");
      b.type = "button";
      b.className = "secondary small";
      b.textContent = item[0];
      b.addEventListener("click", item[1]);
      bar.appendChild(b);
    });
    el.parentNode.insertBefore(bar, el);
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
      mark(registry, canvas, done, "done");
      mark(registry, canvas, current, "current");
      toolbar(canvas, registry);
      focusCurrent(canvas, registry);
      var width = el.clientWidth;
      window.addEventListener("resize", function () {
        // A tablet turned round: show the diagram anew for the new width.
        if (Math.abs(el.clientWidth - width) > 40) { width = el.clientWidth; focusCurrent(canvas, registry); }
      });
      el.setAttribute("data-rendered", "1");
    })
    .catch(function (err) {
      el.textContent = "流程图加载失败：" + err.message;
    });
})();
