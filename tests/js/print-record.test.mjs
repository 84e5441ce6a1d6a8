// print-record.js: what a printed record says beside the screen: the marks as text, whose
// record it is, who assessed, the seal's start, the history with who signed, and a joint
// record's differences with their reasons.
// Run: node --test tests/js
import assert from "node:assert/strict";
import { describe, it } from "node:test";

import { RUBRIC, loadScripts, plain } from "./harness.mjs";

const kcm = loadScripts("assessment.js", "compare.js", "print-record.js");
const P = kcm.printRecord;
const A = kcm.assessment;

describe("the mark of a criterion on paper", () => {
  it("is n.v.t. by hand or by the call type, even over a tick that does not count", () => {
    assert.equal(P.markText({ checked: false, na: true }, false, true), "n.v.t.");
    assert.equal(P.markText({ checked: true, na: false }, true, true), "n.v.t.");
  });

  it("is a tick when met, a cross when not met in a final record, and empty while open", () => {
    assert.equal(P.markText({ checked: true, na: false }, false, false), "✓");
    assert.equal(P.markText({ checked: false, na: false }, false, true), "✗");
    assert.equal(P.markText({ checked: false, na: false }, false, false), "");
  });
});

describe("the record's own lines", () => {
  const data = {
    fields: { naam_kandidaat: "Jan de Vries", datum: "2026-11-27" },
    assessors: [{ name: "A. Jansen" }],
    status: "final",
    created: "2026-11-27T09:00:00Z",
    history: [
      { at: "2026-11-27T10:00:00Z", action: "finalized" },
      { at: "2026-11-27T10:05:00Z", action: "signed" },
    ],
    signatures: { kandidaat: { name: "Jan de Vries", at: "2026-11-27T10:05:00Z" } },
    seal: { sha256: "3f9a1c0b2d4e" + "0".repeat(52) },
  };

  it("name the candidate and the day, and the assessor", () => {
    assert.equal(P.candidateLine(data, A), "Beoordeling van Jan de Vries, 27-11-2026.");
    assert.equal(P.assessorsLine(data), "Beoordelaar: A. Jansen.");
    assert.equal(P.assessorsLine({ assessors: [{ name: "A. Jansen" }, { name: "B. Bakker" }] }), "Beoordelaars: A. Jansen en B. Bakker.");
  });

  it("show the first 12 characters of the seal, or say why there is none", () => {
    assert.match(P.sealLine(data), /^Zegel: 3f9a1c0b2d4e… /);
    assert.match(P.sealLine({ status: "draft" }), /^Zegel: nog geen\./);
    assert.match(P.sealLine({ status: "final" }), /^Zegel: geen\./);
  });

  it("list the history oldest first, with who signed as what", () => {
    const lines = plain(P.historyLines(data, A));
    assert.equal(lines.length, 3);
    assert.match(lines[0], /^Begonnen: \d\d-\d\d-2026 \d\d:\d\d$/);
    assert.match(lines[1], /^Afgerond: 27-11-2026 \d\d:\d\d$/);
    assert.match(lines[2], /^Ondertekend door Jan de Vries \(kandidaat\): 27-11-2026 \d\d:\d\d$/);
  });

  it("list a joint record's differences with the agreed answer and its reason", () => {
    const joint = {
      sources: [{}, {}],
      assessors: [{ name: "A. Jansen" }, { name: "B. Bakker" }],
      criteria: { "1.1.1.a": { checked: true, decision: { a: { checked: true }, b: { checked: false }, reason: "Gehoord in de opname" } } },
    };
    assert.deepEqual(plain(P.differenceLines(joint, RUBRIC, A, kcm.compare)), [
      "1.1.1.a: A. Jansen: gecheckt / B. Bakker: niet gecheckt. Gekozen: gecheckt. Reden: Gehoord in de opname",
    ]);
    assert.deepEqual(plain(P.differenceLines({ criteria: {} }, RUBRIC, A, kcm.compare)), []);
  });
});
