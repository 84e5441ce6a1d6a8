// csv.js: assessments as a CSV file for Excel (the checklist's "Exporteren voor Excel").
//
// One row per criterion per assessment, with the assessment's facts repeated on every row, so
// the sheet can be filtered and sorted as it is. Semicolons (Dutch Excel), UTF-8 with a byte
// order mark, CRLF. The verdicts are kcm_core's (score results given by transfer.js), never
// computed here. The column "Soort" says on every row whether the row is of an exam assessment
// or of a candidate's practice ("oefening", design §4 `practice: true`), so a practice never
// passes for an exam result once the file is opened.
//
// Classic script (see store.js for why); defines globalThis.kcm.csv; needs assessment.js.
(function (root) {
  "use strict";

  const VERDICT_TEXT = { pass: "geslaagd", fail: "niet geslaagd" };
  const OUTCOME_TEXT = { pass: "gehaald", fail: "niet gehaald" };
  const KIND_TEXT = { exam: "examen", practice: "oefening (geen examenuitslag)" };

  // One CSV cell for Excel: quoted when needed; text that Excel would run as a formula gets a
  // leading apostrophe (CSV injection).
  function cell(value) {
    let text = value === null || value === undefined ? "" : String(value);
    if (/^[=+\-@\t\r]/.test(text)) {
      text = "'" + text;
    }
    if (/[";\r\n]/.test(text) || /^\s|\s$/.test(text)) {
      text = '"' + text.replace(/"/g, '""') + '"';
    }
    return text;
  }

  // The CSV text. `rubric`: the page's (page.js); `results` maps assessment id -> kcm_core's
  // score result (or nothing when not computed: the cells then say "niet berekend").
  function text(assessments, rubric, results) {
    const A = root.kcm.assessment;
    const header = ["Beoordeling-id"]
      .concat(rubric.fields.map((f) => f.label))
      .concat(rubric.conditions.map((c) => c.label))
      .concat(["Status", "Soort", "Afgerond op", "Uitslag", "Beoordelaars", "Eindterm", "Uitslag Eindterm", "Onderdeel", "Proces", "Criterium", "Omschrijving"])
      .concat(["Gecheckt", "n.v.t.", "Opmerking", "Opmerking bij Eindterm", "Algemene opmerking"]);
    const rows = [header];
    assessments.forEach(function (data) {
      const result = results ? results[data.id] : null;
      const na = new Set(result && Array.isArray(result.not_applicable) ? result.not_applicable : []);
      const outcomes = {};
      if (result && Array.isArray(result.outcomes)) {
        result.outcomes.forEach((o) => (outcomes[o.id] = o));
      }
      const fields = A.isPlainObject(data.fields) ? data.fields : {};
      const conditions = A.isPlainObject(data.conditions) ? data.conditions : {};
      const remarks = A.isPlainObject(data.remarks) ? data.remarks : {};
      const head = [data.id]
        .concat(rubric.fields.map(function (f) {
          const v = fields[f.id] || "";
          return f.type === "date" ? A.formatDate(v) : v;
        }))
        .concat(rubric.conditions.map((c) => {
          const chosen = Array.isArray(conditions[c.id]) ? conditions[c.id] : [];
          return c.options.filter((o) => chosen.indexOf(o.id) !== -1).map((o) => o.id).join(", ");
        }))
        .concat([
          data.status === "final" ? "afgerond" : "concept",
          data.practice === true ? KIND_TEXT.practice : KIND_TEXT.exam,
          data.finalized ? A.formatMoment(data.finalized) : "",
          result ? VERDICT_TEXT[result.verdict] : "niet berekend",
          (Array.isArray(data.assessors) ? data.assessors : []).map((a) => a.name).join(" en "),
        ]);
      rubric.criteria.forEach(function (c) {
        const m = A.mark(data, c.id);
        const outcome = outcomes[c.eindterm];
        rows.push(
          head.concat([
            c.eindtermTitle,
            outcome ? OUTCOME_TEXT[outcome.verdict] : "niet berekend",
            c.onderdeel + " " + c.onderdeelText,
            c.proces + " " + c.procesText,
            c.id,
            c.text,
            m.checked ? "ja" : "nee",
            na.has(c.id) || m.na ? "ja" : "",
            m.remark,
            remarks[c.eindterm] || "",
            remarks[""] || "",
          ]),
        );
      });
    });
    return "\uFEFF" + rows.map((row) => row.map(cell).join(";")).join("\r\n") + "\r\n";
  }

  root.kcm = root.kcm || {};
  root.kcm.csv = { cell: cell, text: text };
})(globalThis);
