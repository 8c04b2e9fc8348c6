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
    // On a phone the charts are narrow: a smaller ring leaves room for its labels, axis labels are
    // counted into the grid (not cut off at the edge), and the age bands' labels slant.
    const narrow = window.innerWidth < 600;
    const grid = { left: 8, right: 16, top: 32, bottom: 8, containLabel: true };
    // No members: a ring of two zeros would be drawn half and half; say so instead.
    const nobody = d.sex.every((s) => !s.value);
    make("chart-sex", nobody
      ? { title: { text: d.names.none, left: "center", top: "middle", textStyle: { color: "#888", fontSize: 14, fontWeight: "normal" } } }
      : { tooltip: {}, series: [{ type: "pie", radius: narrow ? ["25%", "45%"] : ["35%", "65%"], data: d.sex, label: { formatter: "{b}\n{c}" } }] });
    make("chart-age", { tooltip: {}, grid, xAxis: { type: "category", data: d.age.labels, axisLabel: { interval: 0, rotate: narrow ? 40 : 0 } }, yAxis: { type: "value", minInterval: 1 }, series: [{ type: "bar", data: d.age.values }] });
    make("chart-edu", { tooltip: {}, grid: { left: 8, right: 16, containLabel: true }, yAxis: { type: "category", data: d.education.labels }, xAxis: { type: "value", minInterval: 1 }, series: [{ type: "bar", data: d.education.values }] });
    // The legend of four series takes two lines on a phone: the plot starts below it.
    make("chart-months", { tooltip: { trigger: "axis" }, grid: { ...grid, top: narrow ? 60 : 32 }, legend: { data: [d.names.joins, d.names.leaves, d.names.transfers_in, d.names.transfers_out] }, xAxis: { type: "category", data: d.months }, yAxis: { type: "value", minInterval: 1 },
      series: [{ name: d.names.joins, type: "bar", data: d.joins }, { name: d.names.leaves, type: "bar", data: d.leaves },
        { name: d.names.transfers_in, type: "bar", data: d.transfers_in }, { name: d.names.transfers_out, type: "bar", data: d.transfers_out }] });
  }
  if (document.readyState === "complete") draw(); else window.addEventListener("load", draw);
})();
