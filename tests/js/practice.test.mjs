// The candidates' practice page (oefenen/, practice.js): practice drafts, finalising without an
// assessor, and practice and exam records kept apart in the list, the exports and the imports,
// though they share the browser's storage.
// Run: node --test tests/js
import assert from "node:assert/strict";
import { describe, it } from "node:test";

import { MemoryStorage, RUBRIC, loadScripts, plain } from "./harness.mjs";
import { FAKE_SEAL, fakeEngine, scoreAnswer, settle, tab } from "./fakes.mjs";

const PRACTICE = { ...RUBRIC, practice: true };
const tick = (id, value = true) => ({ type: "checked", id, value });
const EXAM_PAGE = { href: "https://example.test/checklist/", open() {} };
const PRACTICE_PAGE = { href: "https://example.test/oefenen/", open() {} };

// A File as the file input gives it.
function file(name, text) {
  return { name, size: text.length, text: () => Promise.resolve(text) };
}

// kcm_core's check_import and verify, as far as the page reads them: every record accepted as
// it is, final practice records verified as "practice".
function importingEngine() {
  return fakeEngine((fn, text) => {
    const value = JSON.parse(text);
    const list = value.assessments || [value];
    if (fn === "check_import") {
      return { ok: true, assessments: list };
    }
    if (fn === "verify") {
      return { ok: true, records: list.map((a, index) => ({ index, id: a.id, state: a.practice ? "practice" : "sealed", problems: [] })) };
    }
    return scoreAnswer();
  });
}

function record(rubric, id, name) {
  const A = loadScripts("assessment.js").assessment;
  const draft = A.newDraft(rubric, id, "2026-11-27T09:00:00.000Z");
  return A.applyEdit(draft, { type: "field", id: "naam_kandidaat", value: name }, "2026-11-27T09:01:00.000Z", RUBRIC);
}

// One storage with an exam assessment and a practice in it, as one browser holds them.
function sharedStorage() {
  const storage = new MemoryStorage();
  const seeding = tab({ storage });
  seeding.store.save(record(RUBRIC, "exam-1", "Examen Kandidaat"), 0);
  seeding.store.save(record(PRACTICE, "practice-1", "Oefen Kandidaat"), 0);
  return storage;
}

describe("a practice", () => {
  it("starts as a practice on the practice page, and as none on the exam checklist", () => {
    const practice = tab({ rubric: PRACTICE });
    practice.session.boot();
    practice.session.edit(tick("1.1.1.a"));
    assert.equal(practice.session.state.current.data.practice, true);
    const exam = tab({});
    exam.session.boot();
    exam.session.edit(tick("1.1.1.a"));
    assert.equal("practice" in exam.session.state.current.data, false);
  });

  it("never takes the assessor's name a shared device remembers", () => {
    const { callaids } = loadScripts("assessment.js", "undo.js", "callaids.js");
    const A = loadScripts("assessment.js").assessment;
    const practice = callaids.startDraft(A.newDraft(PRACTICE, "p", "2026-11-27T09:00:00.000Z"), PRACTICE, "2026-11-27", "A. Jansen");
    assert.equal(practice.assessors, undefined);
    assert.equal(practice.fields.datum, "2026-11-27", "today's date all the same");
    const exam = callaids.startDraft(A.newDraft(RUBRIC, "e", "2026-11-27T09:00:00.000Z"), RUBRIC, "2026-11-27", "A. Jansen");
    assert.deepEqual(plain(exam.assessors), [{ name: "A. Jansen" }]);
  });

  it("is finalised without an assessor's name, sealed by kcm_core, and says it is no exam result", async () => {
    const t = tab({ rubric: PRACTICE, answers: ["yes"] });
    t.session.boot();
    t.session.edit(tick("1.1.1.a"));
    await t.finalizing.finalize();
    const [dialog] = t.ui.dialogs;
    assert.equal(dialog.title, "Oefening afronden?");
    assert.equal(dialog.body[0].text, "Uitslag van deze oefening: niet geslaagd. Dit is geen examenuitslag.");
    const data = t.session.state.current.data;
    assert.equal(data.status, "final");
    assert.equal(data.practice, true);
    assert.equal(data.seal.sha256, FAKE_SEAL);
    assert.equal(JSON.parse(t.engine.calls.find((c) => c.fn === "seal").text).practice, true, "sealed as a practice");
  });

  it("on the exam checklist the assessor's name is still needed", async () => {
    const t = tab({ answers: [null] });
    t.session.boot();
    t.session.edit(tick("1.1.1.a"));
    await t.finalizing.finalize();
    assert.deepEqual(plain(t.ui.dialogs[0].body[1].list), ["Naam beoordelaar"]);
  });
});

describe("the list", () => {
  it("each page lists only its own kind, from the one storage they share", () => {
    const storage = sharedStorage();
    const practice = tab({ storage, rubric: PRACTICE });
    practice.session.boot();
    assert.deepEqual(plain(practice.session.listed().shown.map((r) => r.id)), ["practice-1"]);
    assert.equal(practice.session.listed().total, 1);
    assert.deepEqual(plain(practice.session.state.otherIds), ["exam-1"]);
    const exam = tab({ storage });
    exam.session.boot();
    assert.deepEqual(plain(exam.session.listed().shown.map((r) => r.id)), ["exam-1"]);
    assert.deepEqual(plain(exam.session.state.otherIds), ["practice-1"]);
  });

  it("'Alles verwijderen' names the records of the other kind it also deletes", async () => {
    const practice = tab({ storage: sharedStorage(), rubric: PRACTICE, answers: [null] });
    practice.session.boot();
    await practice.session.removeAll(null);
    const body = practice.ui.dialogs[0].body.join(" ");
    assert.match(body, /Ook 1 opgeslagen beoordeling of oefening die hier niet in de lijst staat/);
  });

  it("deleting a practice asks about an 'oefening'", async () => {
    const practice = tab({ storage: sharedStorage(), rubric: PRACTICE, answers: [null] });
    practice.session.boot();
    await practice.session.remove("practice-1");
    assert.equal(practice.ui.dialogs[0].title, "Oefening van Oefen Kandidaat verwijderen?");
  });

  it("a page opens the newest draft of its own kind after a reload", () => {
    const storage = sharedStorage();
    const practice = tab({ storage, rubric: PRACTICE });
    practice.session.boot();
    assert.equal(practice.session.state.current.id, "practice-1");
    const exam = tab({ storage });
    exam.session.boot();
    assert.equal(exam.session.state.current.id, "exam-1");
  });
});

describe("exports", () => {
  it("a practice's files start with 'oefening-'", async () => {
    const t = tab({ storage: sharedStorage(), rubric: PRACTICE });
    t.session.boot();
    t.session.edit({ type: "field", id: "datum", value: "2026-11-27" });
    t.transfer.exportCurrentJson();
    await t.transfer.exportCurrentCsv();
    t.transfer.exportAllJson();
    await t.transfer.exportAllCsv();
    assert.deepEqual(
      t.ui.downloads.map((d) => d.name.replace(/\d{4}-\d{2}-\d{2}/, "DAY")),
      ["oefening-Oefen-Kandidaat-DAY.json", "oefening-Oefen-Kandidaat-DAY.csv", "oefening-alle-oefeningen-DAY.json", "oefening-alle-oefeningen-DAY.csv"],
    );
    assert.equal(JSON.parse(t.ui.downloads[0].text).practice, true);
    assert.match(t.ui.downloads[1].text, /;oefening \(geen examenuitslag\);/);
  });

  it("'alles exporteren' takes only this page's kind", async () => {
    const storage = sharedStorage();
    const practice = tab({ storage, rubric: PRACTICE });
    practice.session.boot();
    practice.transfer.exportAllJson();
    assert.deepEqual(JSON.parse(practice.ui.downloads[0].text).assessments.map((a) => a.id), ["practice-1"]);
    const exam = tab({ storage });
    exam.session.boot();
    exam.transfer.exportAllJson();
    await exam.transfer.exportAllCsv();
    assert.deepEqual(JSON.parse(exam.ui.downloads[0].text).assessments.map((a) => a.id), ["exam-1"]);
    assert.ok(!exam.ui.downloads[1].text.includes("practice-1"));
    assert.match(exam.ui.downloads[0].name, /^kcm-alle-beoordelingen-/);
  });
});

describe("imports", () => {
  it("the exam checklist stores nothing from a practice file and says where it opens", async () => {
    const t = tab({ engine: importingEngine(), otherPage: PRACTICE_PAGE });
    t.session.boot();
    await t.transfer.importFile(file("oefening.json", JSON.stringify(record(PRACTICE, "p-9", "Oefen Kandidaat"))));
    const banner = t.ui.banners.import;
    assert.equal(banner.kind, "error");
    assert.deepEqual(plain(banner.text), [
      "Dit bestand is een oefening van een kandidaat, geen examenbeoordeling.",
      "Oefeningen en examenbeoordelingen worden apart bewaard. Open het bestand op de pagina Oefenen: https://example.test/oefenen/.",
      "Er is niets veranderd.",
    ]);
    assert.equal(banner.actions[0].label, "Naar Oefenen");
    assert.equal(t.store.list().records.length, 0);
    assert.equal(t.engine.calls.filter((c) => c.fn === "verify").length, 0);
  });

  it("the practice page stores nothing from an exam file and says where it opens", async () => {
    const t = tab({ engine: importingEngine(), rubric: PRACTICE, otherPage: EXAM_PAGE });
    t.session.boot();
    await t.transfer.importFile(file("examen.json", JSON.stringify(record(RUBRIC, "e-9", "Examen Kandidaat"))));
    const banner = t.ui.banners.import;
    assert.equal(banner.text[0], "Dit bestand is een examenbeoordeling, geen oefening.");
    assert.match(banner.text[1], /in de checklist voor beoordelaars: https:\/\/example\.test\/checklist\/\.$/);
    assert.equal(banner.actions[0].label, "Naar de checklist");
    assert.equal(t.store.list().records.length, 0);
  });

  it("without the other page's address the sentence still says where to go", async () => {
    const t = tab({ engine: importingEngine() });
    t.session.boot();
    await t.transfer.importFile(file("oefening.json", JSON.stringify(record(PRACTICE, "p-9", "Oefen Kandidaat"))));
    assert.match(t.ui.banners.import.text[1], /op de pagina Oefenen van deze site\.$/);
    assert.deepEqual(plain(t.ui.banners.import.actions), []);
  });

  it("a collection of both kinds: this page's kind is imported and the rest named", async () => {
    const t = tab({ engine: importingEngine(), otherPage: PRACTICE_PAGE });
    t.session.boot();
    const collection = { format: "kcm-assessments", format_version: 1, assessments: [record(RUBRIC, "e-1", "A"), record(PRACTICE, "p-1", "B"), record(PRACTICE, "p-2", "C")] };
    await t.transfer.importFile(file("beide.json", JSON.stringify(collection)));
    await settle();
    assert.deepEqual(plain(t.store.list().records.map((r) => r.id)), ["e-1"]);
    const banner = t.ui.banners.import;
    assert.equal(banner.kind, "warning");
    assert.equal(banner.text[0], "1 nieuwe beoordeling.");
    assert.match(banner.text[1], /^2 oefeningen uit het bestand zijn niet ingelezen\. Oefeningen en examenbeoordelingen worden apart bewaard\./);
  });

  it("never replaces a stored record of the other kind that has the same id", async () => {
    const storage = sharedStorage();
    const t = tab({ storage, engine: importingEngine(), rubric: PRACTICE });
    t.session.boot();
    // A hand-made file: the exam assessment's id on a practice.
    await t.transfer.importFile(file("zelfde-id.json", JSON.stringify(record(PRACTICE, "exam-1", "Iemand"))));
    await settle();
    assert.equal(t.store.load("exam-1").record.data.practice, undefined, "the exam assessment stays");
    assert.match(t.ui.banners.import.text[1], /op dit apparaat staat al een examenbeoordeling met hetzelfde id/);
    assert.equal(t.ui.dialogs.length, 0, "nothing to choose");
  });
});

describe("on paper", () => {
  const kcm = loadScripts("assessment.js", "compare.js", "print-record.js");
  const P = kcm.printRecord;

  it("a practice's lines say it is one, and that no assessor judged it", () => {
    const data = { ...record(PRACTICE, "p", "Jan de Vries"), fields: { naam_kandidaat: "Jan de Vries", datum: "2026-11-27" } };
    assert.equal(P.candidateLine(data, kcm.assessment), "Oefening van Jan de Vries, 27-11-2026.");
    assert.equal(P.assessorsLine(data), "Zelf beoordeeld door de kandidaat, als oefening. Geen examenuitslag.");
    assert.equal(P.candidateLine({ ...data, practice: undefined }, kcm.assessment), "Beoordeling van Jan de Vries, 27-11-2026.");
  });
});
