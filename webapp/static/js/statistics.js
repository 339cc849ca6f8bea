/* Draw each chart of the statistics page with the vendored Apache ECharts, from the JSON the server put beside it
   (the same numbers as the table below it). SVG, so the charts stay sharp when printed. */
(function () {
  "use strict";
  if (typeof echarts === "undefined") { return; }
  var charts = [];

  function option(plot) {
    var horizontal = !!plot.horizontal;
    var categories = { type: "category", data: plot.categories,
                       axisLabel: horizontal ? { width: 220, overflow: "truncate" } : { interval: 0, rotate: plot.categories.length > 6 ? 30 : 0 } };
    var values = plot.percent ? { type: "value", min: 0, max: 100, axisLabel: { formatter: "{value}%" } }
                              : { type: "value", minInterval: 1 };
    var series = plot.series.map(function (s) {
      var one = { name: s.name, type: s.line ? "line" : "bar", data: s.data, barMaxWidth: 56 };
      if (s.stack) { one.stack = s.stack; }
      if (s.axis) { one.yAxisIndex = s.axis; }
      return one;
    });
    if (plot.target != null && series.length) {
      series[0].markLine = { symbol: "none", data: [{ yAxis: plot.target, name: "目标" }],
                             label: { formatter: "目标 {c}%" } };
    }
    var second = plot.secondPercent ? [values, { type: "value", min: 0, max: 100, axisLabel: { formatter: "{value}%" } }] : values;
    return {
      animation: false,
      tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
      legend: { top: 0, type: "scroll" },
      grid: { left: horizontal ? 230 : 50, right: 40, top: 40, bottom: horizontal ? 30 : 70, containLabel: false },
      xAxis: horizontal ? values : categories,
      yAxis: horizontal ? categories : second,
      series: series
    };
  }

  Array.prototype.forEach.call(document.querySelectorAll("[data-chart]"), function (el) {
    var data = document.getElementById("chart-" + el.getAttribute("data-chart"));
    if (!data) { return; }
    var plot = JSON.parse(data.textContent);
    if (plot.horizontal) { el.style.height = Math.max(260, 34 * plot.categories.length + 80) + "px"; }
    var chart = echarts.init(el, null, { renderer: "svg", locale: "ZH" });
    chart.setOption(option(plot));
    charts.push(chart);
  });
  window.addEventListener("resize", function () { charts.forEach(function (c) { c.resize(); }); });
}());
