// report-chart.js: a horizontal bar chart from 0 to 100 %, as inline SVG built with DOM calls,
// for the exam office's page (report-view.js). The same chart as `kcm report`'s index.html
// (kcm_core/report_html.py): one bar per row, the figure's text beside it, no bar for a row
// without a value. The figures are kcm_core's, with its words ("66,7 %"); nothing is computed
// here but where a bar ends.
//
// Unlike index.html the chart is drawn for the width it gets, one SVG unit per CSS pixel, so
// its 13 px text stays 13 px on a 390 px phone and on a laptop; every chart is followed by a
// table with the same figures (report-view.js), for screen readers and print. The SVG is one
// image for assistive technology, labelled with its title.
//
// Classic script (see store.js for why); defines globalThis.kcm.reportChart.
(function (root) {
  "use strict";

  const SVG = "http://www.w3.org/2000/svg";
  const ROW = 22;
  const LABEL = 92;
  const VALUE = 64;
  const MIN_WIDTH = 280;
  const MAX_WIDTH = 720;

  // Where each part of a chart `width` px wide goes: pure, so tests can check it.
  function layout(width, count) {
    const w = Math.max(MIN_WIDTH, Math.min(MAX_WIDTH, Math.floor(width) || MIN_WIDTH));
    return { width: w, height: ROW * count + 8, label: LABEL, bars: w - LABEL - VALUE };
  }

  // A bar's length for a value from 0 to 100 (clamped: the chart has no room beyond).
  function barLength(value, bars) {
    return Math.round(bars * Math.max(0, Math.min(100, value))) / 100;
  }

  function node(doc, name, attrs, text) {
    const el = doc.createElementNS(SVG, name);
    Object.keys(attrs).forEach((key) => el.setAttribute(key, String(attrs[key])));
    if (text !== undefined) {
      el.textContent = text;
    }
    return el;
  }

  // rows: [{label, value (0-100 or null), text}]; title: what the chart shows.
  function barChart(doc, title, rows, width) {
    const size = layout(width, rows.length);
    const svg = node(doc, "svg", {
      class: "kcm-report__chart",
      role: "img",
      "aria-label": title + " (de tabel hieronder geeft dezelfde cijfers)",
      viewBox: "0 0 " + size.width + " " + size.height,
      width: size.width,
      height: size.height,
    });
    rows.forEach((row, index) => {
      const y = 4 + index * ROW;
      svg.appendChild(node(doc, "text", { x: size.label - 6, y: y + 15, "text-anchor": "end" }, row.label));
      let textX = size.label + 4;
      if (row.value !== null && row.value !== undefined) {
        const length = barLength(row.value, size.bars);
        svg.appendChild(node(doc, "rect", { class: "kcm-report__bar", x: size.label, y: y + 3, width: length, height: ROW - 6 }));
        textX = size.label + length + 4;
      }
      svg.appendChild(node(doc, "text", { x: textX, y: y + 15 }, row.text));
    });
    return svg;
  }

  root.kcm = root.kcm || {};
  root.kcm.reportChart = { layout: layout, barLength: barLength, barChart: barChart };
})(globalThis);
