// csv.js: the CSV for Excel (one row per criterion, kcm_core's verdicts, safe cells, the kind).
// Run: node --test tests/js
import assert from "node:assert/strict";
import { describe, it } from "node:test";

import { RUBRIC, loadScripts } from "./harness.mjs";

const { assessment: A, csv: C } = loadScripts("assessment.js", "csv.js");
const T0 = "2026-11-27T09:00:00.000Z";
const T1 = "2026-11-27T09:05:00.000Z";

function draft() {
  return A.newDraft(RUBRIC, "a1", T0);
}

describe("CSV for Excel", () => {
  function csv(results) {
    let data = draft();
    data = A.applyEdit(data, { type: "field", id: "naam_kandidaat", value: "=HYPERLINK(evil)" }, T1, RUBRIC);
    data = A.applyEdit(data, { type: "field", id: "datum", value: "2026-11-27" }, T1, RUBRIC);
    data = A.applyEdit(data, { type: "checked", id: "1.1.1.a", value: true }, T1, RUBRIC);
    data = A.applyEdit(data, { type: "criterion-remark", id: "2.1.1.a", value: 'zei "ja";\nnieuwe regel' }, T1, RUBRIC);
    data = A.applyEdit(data, { type: "assessor", value: "A. Jansen" }, T1, RUBRIC);
    return C.text([data], RUBRIC, results);
  }

  it("starts with a UTF-8 byte order mark and uses semicolons and CRLF", () => {
    const text = csv({});
    assert.equal(text.charCodeAt(0), 0xfeff);
    assert.ok(text.endsWith("\r\n"));
    assert.match(text.split("\r\n")[0], /^\uFEFFBeoordeling-id;Bedrijf;Naam Kandidaat;Datum;Soort gesprek;Status;/);
  });

  it("has a header and one row per criterion", () => {
    const lines = csv({}).replace(/"[^"]*"/g, "Q").trim().split("\r\n");
    assert.equal(lines.length, 1 + RUBRIC.criteria.length);
    const columns = lines[0].split(";").length;
    for (const line of lines) {
      assert.equal(line.split(";").length, columns);
    }
  });

  it("neutralises formulas and quotes what needs quoting", () => {
    const text = csv({});
    assert.ok(text.includes(";'=HYPERLINK(evil);"), "a formula gets an apostrophe");
    assert.ok(text.includes(";'=SUM(A1);"), "also in rubric text");
    assert.ok(text.includes('"zei ""ja"";\nnieuwe regel"'));
    assert.ok(text.includes(";27-11-2026;"), "dates in Dutch order");
  });

  it("fills in the verdicts when they were computed, and says so when not", () => {
    assert.ok(csv({}).includes("niet berekend"));
    const result = {
      verdict: "fail",
      outcomes: [
        { id: "1", verdict: "fail", met: 1, applicable: 2, required: 2, missing: ["1.1.1.b"] },
        { id: "2", verdict: "pass", met: 1, applicable: 1, required: 1, missing: [] },
      ],
      not_applicable: [],
    };
    const text = csv({ a1: result });
    assert.ok(!text.includes("niet berekend"));
    assert.ok(text.includes(";niet geslaagd;A. Jansen;Eindterm 1;niet gehaald;"), "who assessed, on every row");
    assert.ok(text.includes(";niet geslaagd;A. Jansen;Eindterm 2;gehaald;"));
  });
});

describe("the kind of each row", () => {
  const result = { verdict: "pass", outcomes: [{ id: "1", verdict: "pass" }, { id: "2", verdict: "pass" }], not_applicable: [] };

  function rows(data) {
    const lines = C.text([data], RUBRIC, { [data.id]: result }).replace(/^\uFEFF/, "").trim().split("\r\n");
    const header = lines[0].split(";");
    return lines.slice(1).map((line) => Object.fromEntries(line.split(";").map((cell, i) => [header[i], cell])));
  }

  it("says on every row of a practice that it is no exam result", () => {
    const practice = A.newDraft({ ...RUBRIC, practice: true }, "p1", T0);
    const kinds = rows(practice).map((row) => row.Soort);
    assert.equal(kinds.length, RUBRIC.criteria.length);
    assert.deepEqual(new Set(kinds), new Set(["oefening (geen examenuitslag)"]));
  });

  it("says 'examen' on every row of an exam assessment", () => {
    assert.deepEqual(new Set(rows(draft()).map((row) => row.Soort)), new Set(["examen"]));
  });

  it("keeps the columns before it and after it where they were", () => {
    const header = C.text([draft()], RUBRIC, {}).replace(/^\uFEFF/, "").split("\r\n")[0].split(";");
    assert.deepEqual(header.slice(header.indexOf("Status"), header.indexOf("Status") + 4), ["Status", "Soort", "Afgerond op", "Uitslag"]);
  });
});
