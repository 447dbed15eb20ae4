/* laborcli dashboard: tables that sort and filter, and the charts of the page.
   The data are in the page (no file is fetched: a page opened from disk may not). */
(function () {
  "use strict";

  function cellValue(td, kind) {
    if (kind === "text" || kind === "long") return td.textContent.trim();
    var v = td.getAttribute("data-v");
    return v === null ? -Infinity : parseFloat(v);
  }

  function sortable(table) {
    var heads = table.tHead ? table.tHead.rows[0].cells : [];
    Array.prototype.forEach.call(heads, function (th, col) {
      th.tabIndex = 0;
      th.title = "点击排序";
      function sort() {
        var kind = th.getAttribute("data-kind") || "text";
        var asc = th.getAttribute("aria-sort") !== "ascending";
        Array.prototype.forEach.call(heads, function (h) { h.removeAttribute("aria-sort"); });
        th.setAttribute("aria-sort", asc ? "ascending" : "descending");
        var body = table.tBodies[0];
        var rows = Array.prototype.slice.call(body.rows);
        rows.sort(function (a, b) {
          var x = cellValue(a.cells[col], kind), y = cellValue(b.cells[col], kind);
          var c = typeof x === "string" ? String(x).localeCompare(String(y), "zh-CN") : x - y;
          return asc ? c : -c;
        });
        rows.forEach(function (r) { body.appendChild(r); });
      }
      th.addEventListener("click", sort);
      th.addEventListener("keydown", function (e) { if (e.key === "Enter") sort(); });
    });
  }

  function filterable(input) {
    var table = document.getElementById(input.getAttribute("data-filter"));
    var count = document.querySelector('[data-count="' + table.id + '"]');
    var rows = table.tBodies[0].rows;
    input.addEventListener("input", function () {
      var words = input.value.trim().toLowerCase().split(/\s+/).filter(Boolean);
      var shown = 0;
      Array.prototype.forEach.call(rows, function (r) {
        var text = r.textContent.toLowerCase();
        var ok = words.every(function (w) { return text.indexOf(w) >= 0; });
        r.hidden = !ok;
        if (ok) shown += 1;
      });
      count.textContent = (words.length ? shown + " / " : "") + rows.length + " 行";
    });
  }

  function percentAxis(cfg) {
    var axis = cfg.options.indexAxis === "y" ? "x" : "y";
    cfg.options.scales = cfg.options.scales || {};
    cfg.options.scales[axis] = Object.assign({ ticks: { callback: function (v) { return v + "%"; } } },
      cfg.options.scales[axis] || {});
    cfg.options.plugins = cfg.options.plugins || {};
    cfg.options.plugins.tooltip = {
      callbacks: {
        label: function (c) {
          var v = cfg.options.indexAxis === "y" ? c.parsed.x : c.parsed.y;
          return (c.dataset.label || "") + ": " + (v === null ? "—" : v.toFixed(1) + "%");
        }
      }
    };
  }

  function draw(canvas) {
    var source = document.getElementById("chart-" + canvas.getAttribute("data-chart"));
    var cfg = JSON.parse(source.textContent);
    var percent = cfg.percent;
    delete cfg.percent;
    cfg.options = Object.assign({ responsive: true, maintainAspectRatio: false, animation: false }, cfg.options || {});
    if (percent) percentAxis(cfg);
    return new Chart(canvas, cfg);
  }

  function start() {
    Array.prototype.forEach.call(document.querySelectorAll("table.sortable"), sortable);
    Array.prototype.forEach.call(document.querySelectorAll("input[data-filter]"), filterable);
    if (typeof Chart === "undefined") {
      document.body.classList.add("no-charts");
      return;
    }
    Chart.defaults.font.family = getComputedStyle(document.body).fontFamily;
    Chart.defaults.font.size = 13;
    Array.prototype.forEach.call(document.querySelectorAll("canvas[data-chart]"), draw);
    document.body.setAttribute("data-ready", "1");
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
