// The funding page's chart (ECharts, served locally): budget and spending per measure as bars, the
// execution rate as a line. Data come from <script type="application/json" id="funding-chart">.
(function () {
  "use strict";
  document.addEventListener("DOMContentLoaded", function () {
    var holder = document.getElementById("funding-chart-box");
    var source = document.getElementById("funding-chart");
    if (!holder || !source || !window.echarts) return;
    var d = JSON.parse(source.textContent);
    var chart = window.echarts.init(holder);
    chart.setOption({
      tooltip: { trigger: "axis" },
      legend: { top: 0 },
      grid: { left: 70, right: 50, top: 30, bottom: 30 },
      xAxis: { type: "category", data: d.categories },
      yAxis: [
        { type: "value", name: "元" },
        { type: "value", name: "执行率%", max: function (v) { return Math.max(100, Math.ceil(v.max)); } }
      ],
      series: [
        { name: "预算", type: "bar", data: d.budget, itemStyle: { color: "#8a94a6" } },
        { name: "支出", type: "bar", data: d.spent, itemStyle: { color: "#1d4e89" } },
        { name: "执行率", type: "line", yAxisIndex: 1, data: d.rate, connectNulls: false, itemStyle: { color: "#fd7e14" } }
      ]
    });
    window.addEventListener("resize", function () { chart.resize(); });
  });
})();
