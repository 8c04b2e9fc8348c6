// Charts of the member statistics page (data from the json_script block).
(function () {
  function draw() {
    const el = document.getElementById("member-chart-data");
    if (!el || !window.echarts) return;
    const d = JSON.parse(el.textContent);
    const make = (id, option) => {
      const node = document.getElementById(id);
      if (!node) return;
      const chart = echarts.init(node);
      chart.setOption(option);
      window.addEventListener("resize", () => chart.resize());
    };
    make("chart-sex", { tooltip: {}, series: [{ type: "pie", radius: ["35%", "65%"], data: d.sex, label: { formatter: "{b} {c}" } }] });
    make("chart-age", { tooltip: {}, xAxis: { type: "category", data: d.age.labels, axisLabel: { interval: 0 } }, yAxis: { type: "value" }, series: [{ type: "bar", data: d.age.values }] });
    make("chart-edu", { tooltip: {}, grid: { left: 8, right: 16, containLabel: true }, yAxis: { type: "category", data: d.education.labels }, xAxis: { type: "value" }, series: [{ type: "bar", data: d.education.values }] });
    make("chart-months", { tooltip: { trigger: "axis" }, legend: { data: [d.names.joins, d.names.leaves] }, xAxis: { type: "category", data: d.months }, yAxis: { type: "value" },
      series: [{ name: d.names.joins, type: "bar", data: d.joins }, { name: d.names.leaves, type: "bar", data: d.leaves }] });
  }
  if (document.readyState === "complete") draw(); else window.addEventListener("load", draw);
})();
