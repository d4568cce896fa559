// The targets dashboard's charts (ECharts, served locally). Data come from the page's
// <script type="application/json" id="dashboard-charts"> (Django's json_script; CSP allows no inline
// script). A click on a bar, point or slice opens the list of exactly the rows it counts.
(function () {
  "use strict";

  var BLUE = "#1d4e89", GREEN = "#198754", ORANGE = "#fd7e14", GREY = "#8a94a6";

  function go(url) {
    if (url) window.location.href = url;
  }

  function pct(v) {
    return v == null ? "—" : v.toFixed(1) + "%";
  }

  var BUILDERS = {
    cumulative: function (d) {
      var projection = d.labels.map(function () { return null; });
      (d.projection || []).forEach(function (p) {
        var i = d.labels.indexOf(p[0]);
        if (i >= 0) projection[i] = Math.round(p[1]);
      });
      var series = [
        { name: "实际累计", type: "line", data: d.actual, showSymbol: true, symbolSize: 5, itemStyle: { color: BLUE }, lineStyle: { width: 3 } }
      ];
      if (d.pace && d.pace.length) {
        series.push({ name: "进度线", type: "line", data: d.pace, showSymbol: false, lineStyle: { type: "dashed", color: GREY }, itemStyle: { color: GREY } });
      }
      series.push({ name: "趋势预计", type: "line", data: projection, connectNulls: true, showSymbol: true, lineStyle: { type: "dotted", color: ORANGE }, itemStyle: { color: ORANGE } });
      if (d.goal) {
        series[0].markLine = { silent: true, symbol: "none", data: [{ yAxis: d.goal, name: "目标" }], lineStyle: { color: GREEN }, label: { position: "insideEndTop", formatter: "目标 {c}" } };
      }
      return {
        option: {
          tooltip: { trigger: "axis" },
          legend: { top: 0 },
          grid: { left: 60, right: 20, top: 30, bottom: 30 },
          xAxis: { type: "category", data: d.labels },
          yAxis: { type: "value" },
          series: series
        },
        onClick: function (p) { if (p.seriesIndex === 0) go(d.urls[p.dataIndex]); }
      };
    },
    regions: function (d) {
      return {
        option: {
          tooltip: { trigger: "axis" },
          legend: { top: 0 },
          grid: { left: 50, right: 50, top: 30, bottom: 90 },
          xAxis: { type: "category", data: d.labels, axisLabel: { interval: 0, rotate: d.labels.length > 6 ? 30 : 0 } },
          yAxis: [{ type: "value", name: "新增（人）" }, { type: "value", name: "占比", axisLabel: { formatter: "{value}%" } }],
          series: [
            { name: "新增高技能人才", type: "bar", data: d.new_high, itemStyle: { color: BLUE }, barMaxWidth: 40 },
            {
              name: d.share_name, type: "line", yAxisIndex: 1, data: d.share, itemStyle: { color: ORANGE },
              tooltip: { valueFormatter: pct },
              markLine: d.goal ? { silent: true, symbol: "none", data: [{ yAxis: d.goal }], lineStyle: { color: GREEN, type: "dashed" }, label: { position: "insideEndTop", formatter: "目标 {c}%" } } : undefined
            }
          ]
        },
        onClick: function (p) { go(d.urls[p.dataIndex]); }
      };
    },
    levels: function (d) {
      return {
        option: {
          tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
          grid: { left: 70, right: 30, top: 10, bottom: 25 },
          xAxis: { type: "value" },
          yAxis: { type: "category", data: d.labels },
          series: [{ name: "技能人才", type: "bar", data: d.values, itemStyle: { color: BLUE }, barMaxWidth: 26 }]
        },
        onClick: function (p) { go(d.urls[p.dataIndex]); }
      };
    },
    domains: function (d) {
      return {
        option: {
          tooltip: { trigger: "item", formatter: "{b}\n技能人才 {c} 人（{d}%）" },
          series: [{ type: "pie", radius: ["35%", "65%"], data: d.items.map(function (i) { return { name: i.name, value: i.value }; }), label: { formatter: "{b}\n{d}%" } }]
        },
        onClick: function (p) { go(d.items[p.dataIndex].url); }
      };
    },
    carriers: function (d) {
      var types = d.by_type || [], levels = d.by_level || [];
      return {
        empty: !types.length && !levels.length,
        option: {
          tooltip: {},
          grid: { left: 40, right: "42%", top: 20, bottom: 70 },
          xAxis: { type: "category", data: types.map(function (i) { return i.label; }), axisLabel: { interval: 0, rotate: 30 } },
          yAxis: { type: "value", minInterval: 1 },
          series: [
            { name: "按类型", type: "bar", data: types.map(function (i) { return i.value; }), itemStyle: { color: BLUE } },
            { name: "按级别", type: "pie", center: ["80%", "45%"], radius: ["20%", "40%"], data: levels.map(function (i) { return { name: i.label, value: i.value }; }) }
          ]
        },
        onClick: function (p) {
          var item = p.seriesIndex === 0 ? types[p.dataIndex] : levels[p.dataIndex];
          if (item) go(item.url);
        }
      };
    },
    benefits: function (d) {
      // Money only: services without money (落户, 子女入学 …) are in the table below.
      var items = (d.by_policy || []).filter(function (i) { return i.granted > 0 || i.paid > 0; });
      return {
        empty: !items.length,
        option: {
          tooltip: { trigger: "axis" },
          legend: { top: 0 },
          grid: { left: 70, right: 20, top: 30, bottom: 80 },
          xAxis: { type: "category", data: items.map(function (i) { return i.label; }), axisLabel: { interval: 0, rotate: 20 } },
          yAxis: { type: "value", name: "元" },
          series: [
            { name: "已授予", type: "bar", data: items.map(function (i) { return i.granted; }), itemStyle: { color: BLUE } },
            { name: "已发放", type: "bar", data: items.map(function (i) { return i.paid; }), itemStyle: { color: GREEN } }
          ]
        }
      };
    },
    training: function (d) {
      // Trainees and certificates by domain (bars), subsidy granted and paid by kind (second grid).
      var domains = d.by_domain || [], kinds = d.by_kind || [];
      return {
        empty: !domains.length,
        option: {
          tooltip: { trigger: "axis" },
          legend: { top: 0 },
          grid: [
            { left: 50, right: "55%", top: 40, bottom: 70 },
            { left: "58%", right: 20, top: 40, bottom: 70 }
          ],
          xAxis: [
            { type: "category", gridIndex: 0, data: domains.map(function (i) { return i.label; }), axisLabel: { interval: 0, rotate: 20 } },
            { type: "category", gridIndex: 1, data: kinds.map(function (i) { return i.label; }) }
          ],
          yAxis: [{ type: "value", gridIndex: 0, name: "人" }, { type: "value", gridIndex: 1, name: "元" }],
          series: [
            { name: "培训人数", type: "bar", xAxisIndex: 0, yAxisIndex: 0, data: domains.map(function (i) { return i.trainees; }), itemStyle: { color: GREY } },
            { name: "取得证书", type: "bar", xAxisIndex: 0, yAxisIndex: 0, data: domains.map(function (i) { return i.certified; }), itemStyle: { color: BLUE } },
            { name: "补贴已授予", type: "bar", xAxisIndex: 1, yAxisIndex: 1, data: kinds.map(function (i) { return i.granted; }), itemStyle: { color: ORANGE } },
            { name: "补贴已发放", type: "bar", xAxisIndex: 1, yAxisIndex: 1, data: kinds.map(function (i) { return i.paid; }), itemStyle: { color: GREEN } }
          ]
        }
      };
    },
    benefit_years: function (d) {
      var items = d.by_year || [];
      return {
        empty: !items.length,
        option: {
          tooltip: { trigger: "axis" },
          legend: { top: 0 },
          grid: { left: 70, right: 20, top: 30, bottom: 30 },
          xAxis: { type: "category", data: items.map(function (i) { return i.label + "年"; }) },
          yAxis: { type: "value", name: "元" },
          series: [
            { name: "已授予", type: "bar", data: items.map(function (i) { return i.granted; }), itemStyle: { color: BLUE } },
            { name: "已发放", type: "bar", data: items.map(function (i) { return i.paid; }), itemStyle: { color: GREEN } }
          ]
        }
      };
    },
    competitions: function (d) {
      // Published results this year by tier: awards and promotion certificates.
      var items = d.by_tier || [];
      return {
        empty: !items.length,
        option: {
          tooltip: { trigger: "axis" },
          legend: { top: 0 },
          grid: { left: 50, right: 20, top: 30, bottom: 80 },
          xAxis: { type: "category", data: items.map(function (i) { return i.label; }), axisLabel: { interval: 0, rotate: 20 } },
          yAxis: { type: "value", name: "人次" },
          series: [
            { name: "获奖", type: "bar", data: items.map(function (i) { return i.awarded; }), itemStyle: { color: BLUE } },
            { name: "晋升证书", type: "bar", data: items.map(function (i) { return i.promoted; }), itemStyle: { color: GREEN } }
          ]
        }
      };
    },
    honours: function (d) {
      // Share of high-skilled among nominees and among those selected, per round (measure 八).
      var items = (d.rounds || []).slice().reverse();
      var series = [
        { name: "推荐人选中高技能人才占比", type: "bar", data: items.map(function (i) { return i.nominated_share; }), itemStyle: { color: BLUE } },
        { name: "入选者中高技能人才占比", type: "bar", data: items.map(function (i) { return i.selected_share; }), itemStyle: { color: GREEN } }
      ];
      if (items.some(function (i) { return i.target != null; })) {
        series.push({ name: "目标比例", type: "line", data: items.map(function (i) { return i.target; }), lineStyle: { type: "dashed", color: ORANGE }, itemStyle: { color: ORANGE } });
      }
      return {
        empty: !items.length,
        option: {
          tooltip: { trigger: "axis" },
          legend: { top: 0 },
          grid: { left: 50, right: 20, top: 40, bottom: 80 },
          xAxis: { type: "category", data: items.map(function (i) { return i.label; }), axisLabel: { interval: 0, rotate: 20 } },
          yAxis: { type: "value", name: "%", max: 100 },
          series: series
        }
      };
    },
    wages: function (d) {
      // 技能人才工资增幅 (orgs' compliance page): each county's share of comparable enterprises that comply.
      var items = (d.by_region || []).filter(function (i) { return i.judged > 0; });
      return {
        empty: !items.length,
        option: {
          tooltip: { trigger: "axis", valueFormatter: pct },
          grid: { left: 50, right: 30, top: 20, bottom: 80 },
          xAxis: { type: "category", data: items.map(function (i) { return i.label; }), axisLabel: { interval: 0, rotate: 30 } },
          yAxis: { type: "value", max: 100, axisLabel: { formatter: "{value}%" } },
          series: [{
            name: "增幅达标企业占比", type: "bar", barMaxWidth: 40,
            data: items.map(function (i) { return Math.round(i.share * 1000) / 10; }),
            itemStyle: { color: function (p) { return p.value >= 100 ? GREEN : ORANGE; } },
            markLine: { silent: true, symbol: "none", data: [{ yAxis: 100 }], lineStyle: { color: GREEN, type: "dashed" }, label: { position: "insideEndTop", formatter: "目标 全部企业" } }
          }]
        },
        onClick: function (p) { if (items[p.dataIndex]) go(items[p.dataIndex].url); }
      };
    },
    teachers: function (d) {
      var items = d.by_school || [];
      return {
        empty: !items.length,
        option: {
          tooltip: { trigger: "axis", valueFormatter: pct },
          grid: { left: 50, right: 30, top: 20, bottom: 80 },
          xAxis: { type: "category", data: items.map(function (i) { return i.label; }), axisLabel: { interval: 0, rotate: 30 } },
          yAxis: { type: "value", max: 100, axisLabel: { formatter: "{value}%" } },
          series: [{
            name: "高级证书比例", type: "bar", barMaxWidth: 40,
            data: items.map(function (i) { return i.value == null ? null : Math.round(i.value * 1000) / 10; }),
            itemStyle: { color: function (p) { return p.value >= d.goal ? GREEN : ORANGE; } },
            markLine: { silent: true, symbol: "none", data: [{ yAxis: d.goal }], lineStyle: { color: GREEN, type: "dashed" }, label: { position: "insideEndTop", formatter: "目标 {c}%" } }
          }]
        },
        onClick: function (p) { if (items[p.dataIndex]) go(items[p.dataIndex].url); }
      };
    }
  };

  function init() {
    document.querySelectorAll("[data-action=print]").forEach(function (button) {
      button.addEventListener("click", function () { window.print(); });
    });
    if (window.bootstrap) {
      document.querySelectorAll("[data-bs-toggle=tooltip]").forEach(function (el) { new window.bootstrap.Tooltip(el); });
    }
    var holder = document.getElementById("dashboard-charts");
    if (!holder || !window.echarts) return;
    var data = JSON.parse(holder.textContent);
    var charts = [];
    document.querySelectorAll("[data-chart]").forEach(function (el) {
      var build = BUILDERS[el.dataset.chart], spec = data[el.dataset.chart];
      if (!build || !spec) return;
      var built = build(spec);
      if (built.empty) {
        el.classList.add("gj-chart-empty");
        el.textContent = "暂无数据";
        el.dataset.ready = "1";
        return;
      }
      var chart = window.echarts.init(el, null, { renderer: "svg" });
      el.dataset.ready = "0";
      // Tooltips drawn by ECharts itself, not as HTML with inline styles (CSP: style-src 'self').
      built.option.tooltip = Object.assign({}, built.option.tooltip || {}, { renderMode: "richText" });
      chart.setOption(built.option);
      chart.on("click", built.onClick);
      // Ready once drawn and its animation has finished (a click then hits what is shown).
      chart.on("finished", function () { el.dataset.ready = "1"; });
      charts.push(chart);
    });
    function resize() { charts.forEach(function (c) { c.resize(); }); }
    window.addEventListener("resize", resize);
    window.addEventListener("beforeprint", resize);
    window.addEventListener("afterprint", resize);
  }

  document.addEventListener("DOMContentLoaded", init);
})();
