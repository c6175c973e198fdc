// Draw the opportunity contact charts. Each canvas[data-contact-chart] names the
// json_script element that contains its data; data-currency is the organisation's
// currency. htmx.onLoad runs for the page and again for every part htmx swaps in,
// so a chart that an in-place update replaces is drawn as well.
(function () {
  "use strict";

  var BLUE = "13, 110, 253";
  var GREEN = "25, 135, 84";
  var OUTCOME_COLOURS = {
    "Won": "rgb(25, 135, 84)",
    "Lost": "rgb(220, 53, 69)",
    "Open": "rgb(13, 110, 253)",
    "On hold": "rgb(255, 193, 7)"
  };

  function moneyFormatter(currency) {
    var format = new Intl.NumberFormat("en-US", {
      style: "currency", currency: currency || "USD", maximumFractionDigits: 0
    });
    return function (value) { return format.format(value); };
  }

  function opportunityCount(count) {
    return count === 1 ? "1 opportunity" : count + " opportunities";
  }

  // Bars of total and won value per contact, with the win rate as points on a
  // second axis. Key influencers get darker bars and a star before their name.
  function contactsChart(data, money) {
    var contacts = data.contacts;
    function shade(rgb, contact) {
      return "rgba(" + rgb + ", " + (contact.key_influencer ? 0.9 : 0.4) + ")";
    }
    return {
      type: "bar",
      data: {
        labels: contacts.map(function (c) { return (c.key_influencer ? "★ " : "") + c.name; }),
        datasets: [
          {
            label: "Total value",
            data: contacts.map(function (c) { return Number(c.total_value); }),
            backgroundColor: contacts.map(function (c) { return shade(BLUE, c); }),
            yAxisID: "value",
            order: 2
          },
          {
            label: "Won value",
            data: contacts.map(function (c) { return Number(c.won_value); }),
            backgroundColor: contacts.map(function (c) { return shade(GREEN, c); }),
            yAxisID: "value",
            order: 2
          },
          {
            type: "line",
            label: "Win rate",
            data: contacts.map(function (c) { return c.win_rate; }),
            yAxisID: "rate",
            showLine: false,
            pointStyle: "rectRot",
            pointRadius: 6,
            pointHoverRadius: 8,
            borderColor: "rgb(253, 126, 20)",
            backgroundColor: "rgb(253, 126, 20)",
            // Points at 0 % and 100 % sit on the edge of the chart area; draw them whole.
            clip: false,
            order: 1
          }
        ]
      },
      options: {
        responsive: true,
        maintainAspectRatio: false,
        animation: { duration: 300 },
        layout: { padding: { top: 8 } },
        interaction: { mode: "index", intersect: false },
        scales: {
          value: { position: "left", beginAtZero: true, ticks: { callback: money } },
          rate: {
            position: "right", min: 0, max: 100,
            grid: { drawOnChartArea: false },
            ticks: { callback: function (value) { return value + " %"; } }
          }
        },
        plugins: {
          legend: { position: "bottom" },
          tooltip: {
            callbacks: {
              afterTitle: function (items) {
                var contact = contacts[items[0].dataIndex];
                var text = opportunityCount(contact.opportunities);
                return contact.key_influencer ? text + " · key influencer" : text;
              },
              label: function (item) {
                if (item.dataset.yAxisID === "rate") {
                  return item.raw === null ? "Win rate: — (none closed)" : "Win rate: " + item.raw + " %";
                }
                return item.dataset.label + ": " + money(item.raw);
              }
            }
          }
        }
      }
    };
  }

  // One contact's linked value by outcome: won, lost, open and on hold.
  function outcomesChart(data, money) {
    var outcomes = data.outcomes;
    return {
      type: "bar",
      data: {
        labels: outcomes.map(function (o) { return o.label; }),
        datasets: [{
          label: "Value",
          data: outcomes.map(function (o) { return Number(o.value); }),
          backgroundColor: outcomes.map(function (o) { return OUTCOME_COLOURS[o.label]; })
        }]
      },
      options: {
        indexAxis: "y",
        responsive: true,
        maintainAspectRatio: false,
        animation: { duration: 300 },
        scales: { x: { beginAtZero: true, ticks: { callback: money } } },
        plugins: {
          legend: { display: false },
          tooltip: {
            callbacks: {
              label: function (item) {
                return money(item.raw) + " · " + opportunityCount(outcomes[item.dataIndex].count);
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
    var source = document.getElementById(canvas.dataset.contactChart);
    if (!source) {
      return;
    }
    var data = JSON.parse(source.textContent);
    var money = moneyFormatter(canvas.dataset.currency);
    var config = data.kind === "outcomes" ? outcomesChart(data, money) : contactsChart(data, money);
    new Chart(canvas, config);
    canvas.dataset.drawn = "true";
  }

  htmx.onLoad(function (root) {
    if (root.matches && root.matches("canvas[data-contact-chart]")) {
      draw(root);
    }
    root.querySelectorAll("canvas[data-contact-chart]").forEach(draw);
  });
})();
