// report-view.js: the exam office's report on the page, from kcm_core's answer (browser API
// report_result, kcm_core/report_json.py). The same parts, words and figures as `kcm report`'s
// index.html (kcm_core/report_html.py): per rubric version the pass rate, "Voldaan per
// criterium" and "Geslaagd per Eindterm" (a chart, then a table with the same figures), "Per
// maand", the agreement of two assessors, the CSV files; then "Niet meegeteld" with each
// record's file and reason. Every text goes in with textContent; the figures come as kcm_core
// wrote them ("66,7 %", "0,524", "–").
//
// Classic script (see store.js for why); defines globalThis.kcm.reportView; needs
// report-chart.js and report-files.js.
(function (root) {
  "use strict";

  const kcm = root.kcm;

  function create(doc) {
    function el(name, attrs, children) {
      const node = doc.createElement(name);
      Object.keys(attrs || {}).forEach((key) => node.setAttribute(key, attrs[key]));
      (children || []).forEach((child) => node.append(typeof child === "string" ? doc.createTextNode(child) : child));
      return node;
    }

    // A table with a caption; numbers right-aligned. Wide tables scroll on their own (a phone),
    // in a region the keyboard can scroll too.
    // stacked: on a phone each row becomes a block of "Header: value" lines (report.css), for
    // tables of long texts (reasons, file names), where columns would be a few words wide.
    function table(caption, header, rows, name, stacked) {
      const head = el("tr", {}, header.map((h) => el("th", { scope: "col" }, [h])));
      const cellOf = (cell, index) =>
        typeof cell === "number" ? el("td", { class: "kcm-report__n", "data-label": header[index] }, [String(cell)]) : el("td", { "data-label": header[index] }, [cell]);
      const body = rows.map((row) => el("tr", {}, row.map(cellOf)));
      const classes = "kcm-report__table" + (stacked ? " kcm-report__table--stacked" : "");
      const t = el("table", { class: classes, "data-report-table": name }, [el("caption", {}, [caption]), el("thead", {}, [head]), el("tbody", {}, body)]);
      return el("div", { class: "kcm-report__scroll", role: "region", "aria-label": caption, tabindex: "0" }, [t]);
    }

    function chart(title, rows, width) {
      return kcm.reportChart.barChart(doc, title, rows, width);
    }

    function candidates(count) {
      return count === 1 ? "1 kandidaat is" : count + " kandidaten zijn";
    }

    // The CSV files of one rubric version, as links that save kcm_core's text: Blob URLs made by
    // `link(name, text)` (report-app.js owns them, to free them again).
    function downloads(part, link) {
      const names = Object.keys(part.files);
      const items = names.map((name) => el("li", {}, [link(kcm.reportFiles.downloadName(part.folder, name), part.files[name])]));
      return el("div", { class: "kcm-report__excel" }, [
        el("h4", {}, ["Voor Excel"]),
        el("p", {}, ["Dezelfde bestanden als van kcm report: puntkomma's tussen de kolommen, een komma in getallen. In kandidaten.csv staat één regel per beoordeling."]),
        el("ul", { class: "kcm-report__downloads", "data-report-downloads": part.id + "-" + part.version }, items),
      ]);
    }

    function rubricSection(part, width, link) {
      const out = [
        el("h3", {}, ["Rubric " + part.title + " (" + part.id + " versie " + part.version + ")"]),
        el("p", { "data-report-summary": part.id + "-" + part.version }, [
          "Meegeteld: " + part.assessed + " beoordelingen, waarvan " + part.passed + " geslaagd (" + part.percentage_text + "). Een gezamenlijke beoordeling van twee beoordelaars telt hier in plaats van hun twee eigen beoordelingen.",
        ]),
        el("h4", {}, ["Voldaan per criterium"]),
        el("p", {}, ["Van weinig naar vaak voldaan. N.v.t. telt niet mee in het percentage."]),
        chart(
          "Percentage voldaan per criterium",
          part.criteria.map((c) => ({ label: c.id, value: c.percentage, text: c.percentage_text })),
          width
        ),
        table(
          "Voldaan per criterium",
          ["Criterium", "Eindterm", "Van toepassing", "Voldaan", "Percentage", "N.v.t."],
          part.criteria.map((c) => [c.id, c.eindterm, c.applicable, c.met, c.percentage_text, c.not_applicable]),
          "criteria"
        ),
        el("h4", {}, ["Geslaagd per Eindterm"]),
        chart(
          "Percentage geslaagd per Eindterm",
          part.eindtermen.map((e) => ({ label: "Eindterm " + e.id, value: e.percentage, text: e.percentage_text })),
          width
        ),
        table(
          "Geslaagd per Eindterm",
          ["Eindterm", "Titel", "Beoordeeld", "Behaald", "Percentage"],
          part.eindtermen.map((e) => [e.id, e.title, e.assessed, e.passed, e.percentage_text]),
          "eindtermen"
        ),
        el("h4", {}, ["Per maand"]),
        table(
          "Uitslagen per maand (datum van het examen, anders de datum van afronden)",
          ["Maand", "Beoordeeld", "Geslaagd", "Percentage"],
          part.months.map((m) => [m.month_text, m.assessed, m.passed, m.percentage_text]),
          "months"
        ),
      ];
      if (part.agreement.length) {
        out.push(
          el("h4", {}, ["Overeenstemming tussen twee beoordelaars"]),
          el("p", {}, [
            candidates(part.pairs) +
              " door twee beoordelaars beoordeeld. Per criterium: hoe vaak gaven ze hetzelfde antwoord (voldaan, niet voldaan of n.v.t.), en Cohens kappa: de overeenstemming gecorrigeerd voor toeval (1 is volledig eens, 0 niet beter dan toeval). Zonder variatie (altijd hetzelfde antwoord) is kappa niet te berekenen: dan staat er een streepje (in de CSV een leeg vak).",
          ]),
          chart(
            "Percentage overeenstemming per criterium",
            part.agreement.map((a) => ({ label: a.id, value: a.percentage, text: a.percentage_text })),
            width
          ),
          table(
            "Overeenstemming per criterium",
            ["Criterium", "Paren", "Eens", "Percentage", "Kappa"],
            part.agreement.map((a) => [a.id, a.pairs, a.agreements, a.percentage_text, a.kappa_text]),
            "agreement"
          ),
          table(
            "Overeenstemming per tweetal beoordelaars (alle criteria samen)",
            ["Beoordelaar", "Beoordelaar", "Kandidaten", "Antwoorden", "Eens", "Percentage"],
            part.assessor_pairs.map((p) => [p.assessor_a, p.assessor_b, p.pairs, p.compared, p.agreements, p.percentage_text]),
            "assessor-pairs"
          )
        );
      }
      out.push(downloads(part, link));
      return el("section", { class: "kcm-report__rubric", "data-report-rubric": part.id + "-" + part.version }, out);
    }

    function skippedSection(skipped) {
      return el("section", { class: "kcm-report__skipped", "data-report-skipped": "" }, [
        el("h3", {}, ["Niet meegeteld"]),
        el("p", {}, ["Alleen afgeronde, verzegelde beoordelingen waarvan het zegel klopt tellen mee."]),
        table(
          "Niet meegeteld",
          ["Bestand", "Plek", "Soort", "Reden"],
          skipped.map((s) => [s.source, s.place, s.state_text, s.reason]),
          "skipped",
          true
        ),
      ]);
    }

    // The whole report; width: the room the charts have (px); link(name, text): a download.
    function render(report, width, link) {
      const parts = [
        el("h2", { id: "kcm-report-result-title" }, ["Rapport"]),
        el("p", { "data-report-total": "" }, [
          "Gelezen: " + report.records + " beoordelingen. Meegeteld: " + report.counted + " (" + report.results + " uitslagen). Niet meegeteld: " + report.not_counted + ".",
        ]),
      ];
      if (report.rubrics.length) {
        report.rubrics.forEach((part) => parts.push(rubricSection(part, width, link)));
      } else {
        parts.push(el("p", {}, ["Er is geen beoordeling meegeteld."]));
      }
      if (report.skipped.length) {
        parts.push(skippedSection(report.skipped));
      }
      const fragment = doc.createDocumentFragment();
      fragment.append(...parts);
      return fragment;
    }

    // The list of files read: per file its name and what it gave (report-files.js's words).
    function fileTable(results) {
      const rows = results.map((r) => [r.path, kcm.reportFiles.fileResult(r)]);
      return table("Gelezen bestanden", ["Bestand", "Resultaat"], rows, "files", true);
    }

    return { render: render, fileTable: fileTable };
  }

  root.kcm = root.kcm || {};
  root.kcm.reportView = { create: create };
})(globalThis);
