// transfer.js: exports (JSON, CSV) and imports (checked by kcm_core, planned, confirmed); the
// assessor's choices on an import are in import-flow.test.mjs.
// Run: node --test tests/js
import assert from "node:assert/strict";
import { describe, it } from "node:test";

import { MemoryStorage, RUBRIC, plain } from "./harness.mjs";
import { fakeEngine, scoreAnswer, settle, tab } from "./fakes.mjs";

// A File as the file input gives it.
function file(name, text, size = text.length) {
  let read = 0;
  return {
    name,
    size,
    text() {
      read += 1;
      return Promise.resolve(text);
    },
    get reads() {
      return read;
    },
  };
}

// An engine whose check_import accepts the file's assessments as they are (kcm_core would
// normalise them), or refuses with problems.
function importingEngine({ problems = null } = {}) {
  return fakeEngine((fn, text) => {
    if (fn === "check_import") {
      if (problems) {
        return { ok: false, problems };
      }
      const value = JSON.parse(text);
      return { ok: true, assessments: value.assessments || [value] };
    }
    return scoreAnswer();
  });
}

function assessmentFrom(t, edits) {
  const A = t.kcm.assessment;
  let data = A.newDraft(RUBRIC, "imp-1", "2026-11-27T09:00:00.000Z");
  for (const edit of edits) {
    data = A.applyEdit(data, edit, "2026-11-27T09:10:00.000Z", RUBRIC);
  }
  return data;
}

describe("exports", () => {
  it("exports the open assessment as JSON with a safe file name and the personal-data warning", () => {
    const t = tab();
    t.session.boot();
    t.session.edit({ type: "field", id: "naam_kandidaat", value: "Fátima O'Neil" });
    t.session.edit({ type: "field", id: "datum", value: "2026-11-27" });
    t.transfer.exportCurrentJson();
    const [download] = t.ui.downloads;
    assert.equal(download.name, "kcm-Fatima-O-Neil-2026-11-27.json");
    assert.equal(download.type, "application/json");
    assert.equal(JSON.parse(download.text).fields.naam_kandidaat, "Fátima O'Neil");
    assert.match(t.ui.banners.exported.text, /persoonsgegevens/);
  });

  it("says so when there is nothing to export", async () => {
    const t = tab();
    t.session.boot();
    t.transfer.exportCurrentJson();
    await t.transfer.exportAllCsv();
    assert.equal(t.ui.downloads.length, 0);
    assert.equal(t.ui.banners.exported.kind, "warning");
  });

  it("writes a CSV for Excel with quoted cells, neutralised formulas and kcm_core's verdicts", async () => {
    const t = tab();
    t.session.boot();
    t.session.edit({ type: "field", id: "naam_kandidaat", value: "=HYPERLINK(evil)" });
    t.session.edit({ type: "criterion-remark", id: "2.1.1.a", value: 'zei "ja"; klaar' });
    await t.transfer.exportCurrentCsv();
    const [download] = t.ui.downloads;
    assert.equal(download.type, "text/csv;charset=utf-8");
    assert.ok(download.text.startsWith("\uFEFF"));
    assert.ok(download.text.includes(";'=HYPERLINK(evil);"), "a formula becomes text");
    assert.ok(download.text.includes(';"zei ""ja""; klaar";'), "quotes doubled, cell quoted");
    assert.ok(download.text.includes(";niet geslaagd;"), "the verdict from kcm_core");
  });

  it("does not wait for a loading engine: the CSV then says the verdict is not computed", async () => {
    const t = tab({ engine: fakeEngine(() => scoreAnswer(), "loading") });
    t.session.boot();
    t.session.edit({ type: "checked", id: "1.1.1.a", value: true });
    await t.transfer.exportAllCsv();
    assert.ok(t.ui.downloads[0].text.includes(";niet berekend;"));
    assert.ok(t.engine.calls.filter((c) => c.options).every((c) => c.options.wait === false));
  });

  it("exports every assessment, with what is on screen", () => {
    const storage = new MemoryStorage();
    const a = tab({ storage });
    a.session.boot();
    a.session.edit({ type: "field", id: "naam_kandidaat", value: "A" });
    const b = tab({ storage });
    b.session.boot();
    b.session.startNew();
    b.session.edit({ type: "field", id: "naam_kandidaat", value: "B" });
    b.transfer.exportAllJson();
    const exported = JSON.parse(b.ui.downloads[0].text);
    assert.equal(exported.format, "kcm-assessments");
    assert.deepEqual(exported.assessments.map((d) => d.fields.naam_kandidaat).sort(), ["A", "B"]);
  });
});

describe("imports", () => {
  it("refuses a file larger than the rubric's limit without reading it or asking the engine", async () => {
    const t = tab({ engine: importingEngine() });
    t.session.boot();
    const big = file("groot.json", "{}", RUBRIC.limits.maxFileBytes + 1);
    await t.transfer.importFile(big);
    assert.equal(big.reads, 0);
    assert.equal(t.engine.calls.filter((c) => c.fn === "check_import").length, 0);
    assert.equal(t.ui.banners.import.title, "Niet ingelezen: groot.json");
    assert.match(t.ui.banners.import.text, /groter dan 20 MB/);
  });

  it("is refused while the engine loads, and changes nothing", async () => {
    const t = tab({ engine: importingEngine() });
    t.engine.current = "loading";
    t.session.boot();
    await t.transfer.importFile(file("a.json", "{}"));
    assert.match(t.ui.banners.import.text, /Wacht tot die klaar is/);
    assert.equal(t.store.list().records.length, 0);
  });

  it("stores nothing from a file kcm_core refuses, and lists the problems", async () => {
    const problems = [{ path: "$.criteria['1.1.1.a'].checked", parts: ["criteria", "1.1.1.a", "checked"], message: "moet true of false zijn" }];
    const t = tab({ engine: importingEngine({ problems }) });
    t.session.boot();
    await t.transfer.importFile(file("kapot.json", "{}"));
    assert.equal(t.ui.banners.import.kind, "error");
    assert.deepEqual(plain(t.ui.banners.import.problems), ["Criterium 1.1.1.a, vinkje: moet true of false zijn."]);
    assert.equal(t.store.list().records.length, 0);
  });

  it("stores a new assessment and opens it when nothing was open", async () => {
    const t = tab({ engine: importingEngine() });
    t.session.boot();
    const data = assessmentFrom(t, [{ type: "checked", id: "1.1.1.a", value: true }]);
    await t.transfer.importFile(file("een.json", JSON.stringify(data)));
    assert.equal(t.ui.banners.import.text, "1 nieuwe beoordeling.");
    assert.equal(t.session.state.current.id, "imp-1");
    assert.equal(t.ui.dialogs.length, 0, "nothing to decide");
  });

  it("says when everything was there already", async () => {
    const t = tab({ engine: importingEngine() });
    t.session.boot();
    const data = assessmentFrom(t, []);
    t.store.save(data, 0);
    await t.transfer.importFile(file("zelfde.json", JSON.stringify(data)));
    assert.equal(t.ui.banners.import.text, "1 stond er al precies zo.");
    await settle();
  });

  it("words the summary in Dutch", () => {
    const { importSummary } = tab().kcm.transfer;
    assert.equal(importSummary({ added: 2, replaced: 1, kept: 3 }), "2 nieuwe beoordelingen, 1 bijgewerkt, 3 overgeslagen (je eigen versie blijft).");
    assert.equal(importSummary({ copied: 1, same: 2, rejected: 1 }), "1 als kopie toegevoegd, 2 stonden er al precies zo, 1 niet ingelezen.");
    assert.equal(importSummary({}), "niets.");
  });
});
