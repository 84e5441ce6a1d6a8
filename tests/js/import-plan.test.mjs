// The pure parts of an import: which records need the assessor's choice (import-plan.js's
// planImport), how two versions differ (describeDifferences), the future-time rule (isFuture),
// what the choices come to (transfer.js's resolveImport, copyOf), and the dates a date field
// keeps (isDate, applyEdit). Run: node --test tests/js
import assert from "node:assert/strict";
import { describe, it } from "node:test";

import { RUBRIC, loadScripts, plain } from "./harness.mjs";

const kcm = loadScripts("assessment.js", "import-plan.js", "ui.js", "transfer.js");
const A = kcm.assessment;
const P = kcm.importPlan;
const NOW = "2026-12-04T12:00:00.000Z";
const T0 = "2026-11-27T09:00:00.000Z";
const T1 = "2026-11-28T10:00:00.000Z";
const SOON = "2026-12-04T12:04:59.000Z"; // within five minutes of NOW: a clock a bit ahead
const FUTURE = "2026-12-04T12:05:01.000Z";

function record(edits, { id = "a1", at = T0 } = {}) {
  let data = A.newDraft(RUBRIC, id, "2026-11-27T08:00:00.000Z");
  for (const edit of edits) {
    data = A.applyEdit(data, edit, at, RUBRIC);
  }
  return data;
}

const stored = (data, rev = 3) => ({ id: data.id, rev, data });

describe("the future-time rule", () => {
  for (const [at, expected] of [
    [T0, false],
    [NOW, false],
    [SOON, false],
    [FUTURE, true],
    ["2027-01-01T00:00:00+01:00", true],
    ["not a time", false],
  ]) {
    it(`${at} is ${expected ? "" : "not "}suspect`, () => {
      assert.equal(P.isFuture(at, NOW), expected);
    });
  }
});

describe("describing the differences", () => {
  const mine = record([
    { type: "field", id: "naam_kandidaat", value: "Sam" },
    { type: "checked", id: "1.1.1.a", value: true },
  ]);

  it("says the state of both versions and what differs, with labels and criterion ids", () => {
    const theirs = record(
      [
        { type: "field", id: "naam_kandidaat", value: "Sam de Vries" },
        { type: "condition", id: "gesprekstype", values: ["inbound"] },
        { type: "checked", id: "1.1.1.b", value: true },
        { type: "na", id: "2.1.1.a", value: true },
        { type: "remark", id: "", value: "goed gesprek" },
      ],
      { at: T1 },
    );
    const final = A.applyEdit(mine, { type: "finalize" }, "2026-11-27T10:32:00.000Z", RUBRIC);
    const text = P.describeDifferences(final, theirs, RUBRIC, NOW);
    const parts = text.split(" · ");
    assert.match(parts[0], /^Hier: afgerond op 27-11-2026 \d\d:32$/);
    assert.match(parts[1], /^In het bestand: concept, gewijzigd op 28-11-2026 \d\d:00$/);
    assert.equal(parts[2], "3 criteria anders (1.1.1.a, 1.1.1.b, 2.1.1.a)");
    assert.equal(parts[3], "velden anders: Naam Kandidaat, Soort gesprek");
    assert.equal(parts[4], "1 opmerking anders");
    assert.equal(parts.length, 5);
    assert.ok(!text.includes("toekomst"));
  });

  it("names one criterion and one field in the singular, and shortens long lists", () => {
    const one = A.applyEdit(mine, { type: "criterion-remark", id: "1.1.1.a", value: "ok" }, T1, RUBRIC);
    assert.ok(P.describeDifferences(mine, one, RUBRIC, NOW).endsWith(" · 1 criterium anders (1.1.1.a)"));
    const name = A.applyEdit(mine, { type: "field", id: "bedrijf", value: "X" }, T1, RUBRIC);
    assert.ok(P.describeDifferences(mine, name, RUBRIC, NOW).endsWith(" · veld anders: Bedrijf"));
    let many = mine;
    for (const id of ["1.1.1.a", "1.1.1.b", "2.1.1.a"]) {
      many = A.applyEdit(many, { type: "criterion-remark", id, value: "anders" }, T1, RUBRIC);
    }
    const extra = { ...many, criteria: { ...many.criteria, "9.9.9.z": { checked: true } } };
    assert.match(P.describeDifferences(mine, extra, RUBRIC, NOW), / · 4 criteria anders \(1\.1\.1\.a, 1\.1\.1\.b, 2\.1\.1\.a, …\)$/);
  });

  it("says when only times or history differ", () => {
    const later = { ...mine, updated: T1 };
    assert.ok(P.describeDifferences(mine, later, RUBRIC, NOW).endsWith(" · wat er is ingevuld, is hetzelfde"));
  });

  it("says when a time lies in the future", () => {
    const ahead = { ...mine, updated: FUTURE, fields: { ...mine.fields, bedrijf: "Y" } };
    assert.match(P.describeDifferences(mine, ahead, RUBRIC, NOW), / · let op: de tijd in het bestand ligt in de toekomst · /);
    assert.match(P.describeDifferences(ahead, mine, RUBRIC, NOW), / · let op: de tijd hier ligt in de toekomst · /);
  });

  it("says when the stored version belongs to another version of the form", () => {
    const old = { ...mine, rubric: { id: "klantcontact", version: "0.9.0" } };
    assert.match(P.describeDifferences(old, mine, RUBRIC, NOW), /^Hier: andere versie van het formulier \(0\.9\.0\), concept, gewijzigd op /);
  });
});

describe("planning an import", () => {
  const base = record([{ type: "field", id: "naam_kandidaat", value: "Sam" }]);
  const changed = (data, at) => A.applyEdit(data, { type: "checked", id: "1.1.1.a", value: true }, at, RUBRIC);
  const plan = (incoming, here) => P.planImport([incoming], here ? { [here.id]: stored(here) } : {}, RUBRIC, NOW)[0];

  it("a new id is imported without a question", () => {
    assert.equal(plan(base, null).action, "new");
  });

  it("identical content needs nothing", () => {
    assert.equal(plan(base, JSON.parse(JSON.stringify(base))).action, "same");
  });

  it("a newer file is a question too, with the file's version suggested", () => {
    const p = plan(changed(base, T1), base);
    assert.equal(p.action, "conflict");
    assert.deepEqual(plain(p.choices), ["local", "incoming", "both"]);
    assert.equal(p.suggested, "incoming");
    assert.equal(p.future, false);
    assert.match(p.differences, /1 criterium anders \(1\.1\.1\.a\)/);
  });

  it("an older file is a question, with mine suggested", () => {
    const mine = changed(base, T1);
    const p = plan({ ...base, updated: T0 }, mine);
    assert.equal(p.action, "conflict");
    assert.equal(p.suggested, "local");
  });

  it("a final record is never replaced by a draft: only keep mine or keep both", () => {
    const final = A.applyEdit(base, { type: "finalize" }, T0, RUBRIC);
    const newerDraft = changed(base, T1);
    const p = plan(newerDraft, final);
    assert.deepEqual(plain(p.choices), ["local", "both"]);
    assert.equal(p.suggested, "local");
    // The other way round, a final version in the file may replace a draft here.
    const q = plan(A.applyEdit(base, { type: "finalize" }, T1, RUBRIC), base);
    assert.deepEqual(plain(q.choices), ["local", "incoming", "both"]);
    assert.equal(q.suggested, "incoming");
  });

  it("a time in the future never makes the file's version the suggestion", () => {
    const p = plan(changed(base, FUTURE), base);
    assert.equal(p.action, "conflict");
    assert.equal(p.future, true);
    assert.equal(p.suggested, "local");
    assert.match(p.differences, /de tijd in het bestand ligt in de toekomst/);
    // Nor does a future time here make the stored version look newest: it is still a question.
    const q = plan(changed(base, T1), { ...base, updated: FUTURE });
    assert.equal(q.action, "conflict");
    assert.equal(q.suggested, "local");
  });

  it("a stored record of another form version is a question, mine suggested", () => {
    const old = { ...base, rubric: { id: "klantcontact", version: "0.9.0" } };
    const p = plan(changed(base, T1), old);
    assert.equal(p.action, "conflict");
    assert.equal(p.suggested, "local");
  });
});

describe("what the choices come to", () => {
  const { resolveImport, copyOf } = kcm.transfer;
  const here = record([{ type: "field", id: "naam_kandidaat", value: "Sam" }]);
  const file = A.applyEdit(A.applyEdit(here, { type: "checked", id: "1.1.1.a", value: true }, T1, RUBRIC), { type: "finalize" }, T1, RUBRIC);
  const fresh = record([], { id: "n1" });
  const plan = () => P.planImport([fresh, file], { a1: stored(here, 7) }, RUBRIC, NOW);
  let ids = 0;
  const makeId = () => "kopie-" + ++ids;

  it("keep mine writes only the new records", () => {
    const { writes, counts } = resolveImport(plan(), { a1: "local" }, makeId, NOW);
    assert.deepEqual(plain(writes.map((w) => [w.data.id, w.baseRev])), [["n1", 0]]);
    assert.deepEqual(plain(counts), { added: 1, replaced: 0, copied: 0, same: 0, kept: 1 });
  });

  it("take theirs replaces the stored revision it was shown", () => {
    const { writes, counts } = resolveImport(plan(), { a1: "incoming" }, makeId, NOW);
    assert.deepEqual(plain(writes[1]), { data: plain(file), baseRev: 7 });
    assert.equal(counts.replaced, 1);
  });

  it("keep both stores the file's version as a draft copy that names its source", () => {
    const { writes, counts } = resolveImport(plan(), { a1: "both" }, makeId, NOW);
    const copy = writes[1].data;
    assert.equal(writes[1].baseRev, 0);
    assert.match(copy.id, /^kopie-\d+$/);
    assert.equal(copy.status, "draft");
    assert.equal(copy.finalized, null);
    assert.equal(copy.updated, NOW);
    assert.deepEqual(plain(copy.history.at(-1)), { at: NOW, action: "copied", from: "a1" });
    assert.deepEqual(plain(copy.criteria), plain(file.criteria));
    assert.equal(counts.copied, 1);
    assert.equal(file.status, "final", "the plan's record is not changed");
  });

  it("a choice that was not offered, or none, keeps mine", () => {
    const final = A.applyEdit(here, { type: "finalize" }, T0, RUBRIC);
    const draft = A.applyEdit(here, { type: "checked", id: "1.1.1.b", value: true }, T1, RUBRIC);
    const p = P.planImport([draft], { a1: stored(final) }, RUBRIC, NOW);
    assert.deepEqual(plain(resolveImport(p, { a1: "incoming" }, makeId, NOW).counts.kept), 1);
    assert.deepEqual(plain(resolveImport(p, {}, makeId, NOW).writes), []);
  });

  it("a copy drops what only finalising writes", () => {
    const copy = copyOf({ ...file, seal: { sha256: "0".repeat(64) }, result: { verdict: "pass" } }, "k1", NOW);
    assert.equal("seal" in copy, false);
    assert.equal("result" in copy, false);
    assert.deepEqual(Object.keys(copy), Object.keys(file), "the key order stays the normalised one");
  });
});

describe("dates", () => {
  for (const [text, expected] of [
    ["2026-11-27", true],
    ["0001-01-01", true],
    ["9999-12-31", true],
    ["2024-02-29", true],
    ["2026-02-29", false],
    ["2026-13-01", false],
    ["0000-12-31", false],
    ["020026-11-27", false],
    ["20026-11-27", false],
    ["27-11-2026", false],
    ["2026-11-27T00:00", false],
    ["", false],
  ]) {
    it(`${JSON.stringify(text)} is ${expected ? "" : "not "}a date kcm_core accepts`, () => {
      assert.equal(A.isDate(text, RUBRIC), expected);
    });
  }

  it("a date field stores only such a date, and nothing else ('')", () => {
    const draft = A.newDraft(RUBRIC, "d1", T0);
    const good = A.applyEdit(draft, { type: "field", id: "datum", value: "2026-11-27" }, T1, RUBRIC);
    assert.equal(good.fields.datum, "2026-11-27");
    const bad = A.applyEdit(good, { type: "field", id: "datum", value: "020026-11-27" }, T1, RUBRIC);
    assert.equal(bad.fields.datum, "");
    // A text field takes the same text as it is.
    const text = A.applyEdit(draft, { type: "field", id: "bedrijf", value: "020026-11-27" }, T1, RUBRIC);
    assert.equal(text.fields.bedrijf, "020026-11-27");
  });
});

describe("problems as sentences", () => {
  const { problemTexts } = kcm.ui;
  const p = (parts, message) => ({ path: "$", parts, message });

  it("says where in words of the form, never as a path", () => {
    const texts = problemTexts(
      [
        p(["fields", "datum"], "ongeldige datum '27-11-2026'"),
        p(["criteria", "2.1.1.a", "remark"], "geef in de opmerking een reden"),
        p(["criteria", "1.1.1.a"], "kan niet tegelijk"),
        p(["conditions", "gesprekstype"], "kies minstens één"),
        p(["remarks", ""], "te lang"),
        p(["remarks", "2"], "te lang"),
        p(["status"], "verwacht 'draft' of 'final'"),
        p(["history", 0, "action"], "verwacht 'finalized'"),
        p([], "het bestand is leeg"),
        p(["__proto__"], "de sleutel '__proto__' is niet toegestaan"),
        p(["assessments", 2, "fields", "datum"], "ongeldige datum."),
      ],
      RUBRIC,
    );
    assert.deepEqual(plain(texts), [
      "Veld Datum: ongeldige datum '27-11-2026'.",
      "Criterium 2.1.1.a, opmerking: geef in de opmerking een reden.",
      "Criterium 1.1.1.a: kan niet tegelijk.",
      "Soort gesprek: kies minstens één.",
      "Algemene opmerking: te lang.",
      "Opmerking bij Eindterm 2: te lang.",
      "Status: verwacht 'draft' of 'final'.",
      "Geschiedenis, regel 1: verwacht 'finalized'.",
      "Het bestand is leeg.",
      "In het bestand: de sleutel '__proto__' is niet toegestaan.",
      "Beoordeling 3 in het bestand, veld Datum: ongeldige datum.",
    ]);
    assert.ok(texts.every((t) => !t.includes("$")));
  });

  it("leaves out the record's own place when it is named already", () => {
    assert.deepEqual(plain(problemTexts([p(["assessments", 1, "status"], "fout")], RUBRIC, 2)), ["Status: fout."]);
  });

  it("names each refused record of a collection by number and id, or 'zonder id'", () => {
    const lines = kcm.transfer.rejectedLines(
      [
        { index: 1, id: "import-b", problems: [p(["assessments", 1, "fields", "datum"], "ongeldige datum"), p(["assessments", 1, "status"], "fout")] },
        { index: 4, id: null, problems: [p(["assessments", 4], "de sleutel 'format' ontbreekt")] },
      ],
      RUBRIC,
    );
    assert.deepEqual(plain(lines), [
      "Beoordeling 2 in het bestand (id import-b): Veld Datum: ongeldige datum. Status: fout.",
      "Beoordeling 5 in het bestand (zonder id): De sleutel 'format' ontbreekt.",
    ]);
  });

  it("keeps the banner short: three problems a record, twenty records", () => {
    const problems = Array.from({ length: 5 }, (_, i) => p(["assessments", 0, "status"], "fout " + i));
    const [line] = kcm.transfer.rejectedLines([{ index: 0, id: "x", problems }], RUBRIC);
    assert.ok(line.endsWith("Status: fout 2. En nog 2 andere problemen."));
    const many = Array.from({ length: 23 }, (_, i) => ({ index: i, id: "r" + i, problems: [p([], "fout")] }));
    const lines = kcm.transfer.rejectedLines(many, RUBRIC);
    assert.equal(lines.length, 21);
    assert.equal(lines[20], "En nog 3 andere beoordelingen die niet zijn ingelezen.");
  });
});
