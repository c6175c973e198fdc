// Draw the report charts. Each canvas[data-report-chart] names the json_script
// element holding its data (reports.tables.Table.chart_data): the chart kind,
// the labels, and one series per charted column with its format (money,
// integer or percent). data-currency is the organisation's currency. The table
// under each chart shows the same figures.
(function () {
  "use strict";

  var COLOURS = [
    "13, 110, 253", "25, 135, 84", "253, 126, 20", "111, 66, 193",
    "214, 51, 132", "32, 201, 151", "255, 193, 7", "108, 117, 125"
  ];

  function colour(index, alpha) {
    return "rgba(" + COLOURS[index % COLOURS.length] + ", " + alpha + ")";
  }

  function formatter(format, currency) {
    if (format === "money") {
      var money = new Intl.NumberFormat("en-US", {
        style: "currency", currency: currency || "USD", maximumFractionDigits: 0
      });
      return function (value) { return value === null ? "—" : money.format(value); };
    }
    if (format === "percent") {
      return function (value) { return value === null ? "—" : value + " %"; };
    }
    var number = new Intl.NumberFormat("en-US");
    return function (value) { return value === null ? "—" : number.format(value); };
  }

  // Money series share the left axis; a count or a percentage gets its own right axis.
  function axisOf(format) {
    return format === "money" ? "money" : format;
  }

  function cartesian(data, currency) {
    var horizontal = data.kind === "funnel";
    var line = data.kind === "line";
    var scales = {};
    var datasets = data.datasets.map(function (series, index) {
      var axis = axisOf(series.format);
      if (!scales[axis]) {
        scales[axis] = {
          position: horizontal ? (Object.keys(scales).length ? "top" : "bottom")
            : (Object.keys(scales).length ? "right" : "left"),
          beginAtZero: true,
          grid: { drawOnChartArea: Object.keys(scales).length === 0 },
          ticks: { callback: formatter(series.format, currency) }
        };
        if (series.format === "percent") {
          scales[axis].max = 100;
        }
      }
      var dataset = {
        label: series.label,
        data: series.data.map(function (value) { return value === null ? null : Number(value); }),
        backgroundColor: colour(index, line ? 0.15 : 0.75),
        borderColor: colour(index, 1),
        borderWidth: line ? 2 : 0,
        fill: false,
        tension: 0.2
      };
      dataset[horizontal ? "xAxisID" : "yAxisID"] = axis;
      return dataset;
    });
    return {
      type: line ? "line" : "bar",
      data: { labels: data.labels, datasets: datasets },
      options: {
        indexAxis: horizontal ? "y" : "x",
        responsive: true,
        maintainAspectRatio: false,
        animation: { duration: 300 },
        interaction: { mode: "index", intersect: false },
        scales: scales,
        plugins: {
          legend: { position: "bottom" },
          tooltip: {
            callbacks: {
              label: function (item) {
                var series = data.datasets[item.datasetIndex];
                return series.label + ": " + formatter(series.format, currency)(item.raw);
              }
            }
          }
        }
      }
    };
  }

  function pie(data, currency) {
    var series = data.datasets[0];
    return {
      type: "pie",
      data: {
        labels: data.labels,
        datasets: [{
          label: series.label,
          data: series.data.map(function (value) { return value === null ? 0 : Number(value); }),
          backgroundColor: data.labels.map(function (label, index) { return colour(index, 0.8); })
        }]
      },
      options: {
        responsive: true,
        maintainAspectRatio: false,
        animation: { duration: 300 },
        plugins: {
          legend: { position: "right" },
          tooltip: {
            callbacks: {
              label: function (item) {
                return item.label + ": " + formatter(series.format, currency)(item.raw);
              }
            }
          }
        }
      }
    };
  }

  function draw(canvas) {
    if (typeof Chart === "undefined" || Chart.getChart(canvas)) {
      return;
    }
    var source = document.getElementById(canvas.dataset.reportChart);
    if (!source) {
      return;
    }
    var data = JSON.parse(source.textContent);
    var currency = canvas.dataset.currency;
    new Chart(canvas, data.kind === "pie" ? pie(data, currency) : cartesian(data, currency));
    canvas.dataset.drawn = "true";
  }

  function drawAll(root) {
    root.querySelectorAll("canvas[data-report-chart]").forEach(draw);
  }

  if (window.htmx) {
    htmx.onLoad(drawAll);
  } else {
    drawAll(document);
  }
})();
