// transfer.js's import with the assessor's choices: a record that is here already with other
// content is never overwritten without a choice; each choice does what it says; dismissing
// changes nothing; a final record is never replaced by a draft; a time in the future never wins;
// refused records of a collection are named while the good ones are imported.
// Also finalize.js: an n.v.t. without a reason blocks finalising. Run: node --test tests/js
import assert from "node:assert/strict";
import { describe, it } from "node:test";

import { RUBRIC, plain } from "./harness.mjs";
import { fakeEngine, scoreAnswer, settle, tab } from "./fakes.mjs";

const FIXED_NOW = "2026-12-04T12:00:00.000Z";

// A File as the file input gives it.
function file(name, value) {
  const text = typeof value === "string" ? value : JSON.stringify(value);
  return { name, size: text.length, text: () => Promise.resolve(text) };
}

// check_import as kcm_core answers it: the records as they are, and the `rejected` given;
// verify says of each final record what `seals` says (by id; default: sealed and in order).
function importingEngine(rejected = [], seals = {}) {
  return fakeEngine((fn, text) => {
    const value = fn === "check_import" || fn === "verify" ? JSON.parse(text) : null;
    if (fn === "check_import") {
      return { ok: true, assessments: value.assessments || [value], rejected };
    }
    if (fn === "verify") {
      const records = (value.assessments || [value]).map((a, index) => ({ index, id: a.id, state: a.status === "final" ? seals[a.id] || "sealed" : "draft", problems: [] }));
      return { ok: true, records };
    }
    return scoreAnswer();
  });
}

// A tab whose clock stands still at FIXED_NOW (the device's time for the future-time rule).
function importTab(answers, rejected) {
  return tab({ engine: importingEngine(rejected), answers, clock: () => FIXED_NOW });
}

function build(t, edits, { id = "imp-1", at = "2026-11-27T09:10:00.000Z" } = {}) {
  const A = t.kcm.assessment;
  let data = A.newDraft(RUBRIC, id, "2026-11-27T09:00:00.000Z");
  for (const edit of edits) {
    data = A.applyEdit(data, edit, at, RUBRIC);
  }
  return data;
}

const many = (...assessments) => ({ format: "kcm-assessments", format_version: 1, assessments });

// Answers the dialog by choosing `choice` for `id` first (radio buttons in the page).
const choosing = (id, choice) => (dialog) => {
  dialog.body.find((part) => part && part.choices).onChange(id, choice);
  return "import";
};

// Stores `local` (as if saved earlier in this browser) and imports `incoming` with a new record.
async function conflict({ answers, local, incoming }) {
  const t = importTab(answers);
  t.session.boot();
  const here = local(t);
  assert.equal(t.store.save(here, 0).ok, true);
  const fresh = build(t, [{ type: "field", id: "naam_kandidaat", value: "Nieuw" }], { id: "imp-new" });
  await t.transfer.importFile(file("twee.json", many(incoming(t, here), fresh)));
  await settle();
  return { t, here, fresh, dialog: t.ui.dialogs[0], stored: () => t.store.list().records };
}

const named = (t, value) => build(t, [{ type: "field", id: "naam_kandidaat", value }]);
const newerFrom = (t, here) => t.kcm.assessment.applyEdit(here, { type: "checked", id: "1.1.1.a", value: true }, "2026-11-28T10:00:00.000Z", RUBRIC);

describe("an imported record that differs from the stored one", () => {
  it("asks, even when the file's version is newer, and says how they differ", async () => {
    const { dialog, stored } = await conflict({ answers: [null], local: (t) => named(t, "Sam"), incoming: newerFrom });
    assert.equal(dialog.title, "Deze beoordeling staat hier al, in een andere versie");
    const [choice] = dialog.body.find((part) => part && part.choices).choices;
    assert.equal(choice.name, "imp-1");
    assert.match(choice.legend, /^Beoordeling van Sam, 27-11-2026 \d\d:00$/);
    assert.deepEqual(plain(choice.options.map((o) => o.label)), ["Mijn versie houden", "Versie uit het bestand nemen", "Allebei houden"]);
    assert.equal(choice.selected, "incoming", "the newer version is suggested");
    assert.match(choice.lines[0], /^Hier: concept, gewijzigd op 27-11-2026 .* · In het bestand: concept, gewijzigd op 28-11-2026 .* · 1 criterium anders \(1\.1\.1\.a\)$/);
    assert.ok(dialog.body.some((part) => typeof part === "string" && part.includes("ook de nieuwe beoordeling")));
    assert.deepEqual(plain(dialog.buttons.map((b) => b.label)), ["Annuleren", "Importeren"]);
    assert.equal(stored().length, 1);
  });

  it("dismissing the question changes nothing at all, also not the new records", async () => {
    const { t, here, stored } = await conflict({ answers: [null], local: (t) => named(t, "Sam"), incoming: newerFrom });
    assert.equal(t.ui.banners.import.text, "Importeren geannuleerd. Er is niets veranderd.");
    assert.deepEqual(plain(stored().map((r) => r.data)), [plain(here)]);
  });

  it("'Mijn versie houden' keeps the stored version", async () => {
    const { t, here, stored } = await conflict({ answers: [choosing("imp-1", "local")], local: (t) => named(t, "Sam"), incoming: newerFrom });
    assert.deepEqual(plain(t.store.load("imp-1").record.data), plain(here));
    assert.equal(stored().length, 2);
    assert.equal(t.ui.banners.import.text, "1 nieuwe beoordeling, 1 overgeslagen (je eigen versie blijft).");
  });

  it("'Versie uit het bestand nemen' replaces it", async () => {
    const { t, here, stored } = await conflict({ answers: [choosing("imp-1", "incoming")], local: (t) => named(t, "Sam"), incoming: newerFrom });
    assert.deepEqual(plain(t.store.load("imp-1").record.data), plain(newerFrom(t, here)));
    assert.equal(stored().length, 2);
    assert.equal(t.ui.banners.import.text, "1 nieuwe beoordeling, 1 bijgewerkt.");
  });

  it("'Allebei houden' keeps mine and adds the file's as a draft copy naming its source", async () => {
    const final = (t, here) => t.kcm.assessment.applyEdit(newerFrom(t, here), { type: "finalize" }, "2026-11-28T11:00:00.000Z", RUBRIC);
    const { t, here, stored } = await conflict({ answers: [choosing("imp-1", "both")], local: (t) => named(t, "Sam"), incoming: final });
    assert.deepEqual(plain(t.store.load("imp-1").record.data), plain(here));
    const records = stored();
    assert.equal(records.length, 3);
    const copy = records.map((r) => r.data).find((d) => d.id !== "imp-1" && d.id !== "imp-new");
    assert.equal(copy.status, "draft");
    assert.equal(copy.finalized, null);
    assert.deepEqual(plain(copy.history.map((h) => h.action)), ["finalized", "copied"]);
    assert.deepEqual(plain(copy.history[1]), { at: FIXED_NOW, action: "copied", from: "imp-1" });
    assert.equal(t.ui.banners.import.text, "1 nieuwe beoordeling, 1 als kopie toegevoegd.");
  });

  it("a final record is never replaced by a draft: that choice is not offered", async () => {
    const finalHere = (t) => t.kcm.assessment.applyEdit(named(t, "Sam"), { type: "finalize" }, "2026-11-27T10:32:00.000Z", RUBRIC);
    const draftNewer = (t, here) => ({ ...newerFrom(t, { ...here, status: "draft", finalized: null }) });
    const { t, here, dialog } = await conflict({ answers: [choosing("imp-1", "incoming")], local: finalHere, incoming: draftNewer });
    const [choice] = dialog.body.find((part) => part && part.choices).choices;
    assert.deepEqual(plain(choice.options.map((o) => o.value)), ["local", "both"]);
    assert.equal(choice.selected, "local");
    assert.match(choice.lines[1], /niet vervangen door een concept/);
    // Even when "incoming" is somehow chosen, the final record stays.
    assert.deepEqual(plain(t.store.load("imp-1").record.data), plain(here));
  });

  it("a time in the future never wins: mine is suggested and the summary says why", async () => {
    const ahead = (t, here) => t.kcm.assessment.applyEdit(here, { type: "checked", id: "1.1.1.a", value: true }, "2027-01-01T00:00:00.000Z", RUBRIC);
    const { t, here, dialog } = await conflict({ answers: ["import"], local: (t) => named(t, "Sam"), incoming: ahead });
    const [choice] = dialog.body.find((part) => part && part.choices).choices;
    assert.equal(choice.selected, "local");
    assert.match(choice.lines[0], /de tijd in het bestand ligt in de toekomst/);
    assert.deepEqual(plain(t.store.load("imp-1").record.data), plain(here), "accepting the suggestion keeps mine");
  });

  it("asks once for several records, each with its own choice", async () => {
    const t = importTab([
      (dialog) => {
        const part = dialog.body.find((p) => p && p.choices);
        part.onChange("a", "incoming");
        part.onChange("b", "both");
        return "import";
      },
    ]);
    t.session.boot();
    const ids = ["a", "b", "c"];
    const locals = ids.map((id) => build(t, [{ type: "field", id: "bedrijf", value: "hier" }], { id }));
    locals.forEach((d) => assert.equal(t.store.save(d, 0).ok, true));
    const incoming = locals.map((d) => t.kcm.assessment.applyEdit(d, { type: "field", id: "bedrijf", value: "bestand" }, "2026-11-27T08:00:00.000Z", RUBRIC));
    await t.transfer.importFile(file("drie.json", many(...incoming)));
    await settle();
    assert.equal(t.ui.dialogs.length, 1);
    assert.equal(t.ui.dialogs[0].title, "Deze 3 beoordelingen staan hier al, in een andere versie");
    const legends = t.ui.dialogs[0].body.find((part) => part && part.choices).choices.map((c) => c.legend);
    assert.match(legends[0], /^Beoordeling zonder naam \(id a\), 27-11-2026 \d\d:00$/);
    const byId = Object.fromEntries(t.store.list().records.map((r) => [r.id, r.data.fields.bedrijf]));
    assert.equal(byId.a, "bestand");
    assert.equal(byId.b, "hier");
    assert.equal(byId.c, "hier", "an older file: mine was suggested");
    assert.equal(Object.keys(byId).length, 4);
    assert.equal(t.ui.banners.import.text, "1 bijgewerkt, 1 als kopie toegevoegd, 1 overgeslagen (je eigen versie blijft).");
  });

  it("identical content and new ids need no question", async () => {
    const t = importTab([]);
    t.session.boot();
    const same = build(t, []);
    t.store.save(same, 0);
    await t.transfer.importFile(file("twee.json", many(same, build(t, [], { id: "n2" }))));
    assert.equal(t.ui.dialogs.length, 0);
    assert.equal(t.ui.banners.import.text, "1 nieuwe beoordeling, 1 stond er al precies zo.");
  });

  it("an id such as 'constructor' is a new record, not something of every object", async () => {
    const t = importTab([]);
    t.session.boot();
    await t.transfer.importFile(file("een.json", build(t, [], { id: "constructor" })));
    assert.equal(t.ui.banners.import.text, "1 nieuwe beoordeling.");
    assert.equal(t.store.load("constructor").ok, true);
  });
});

describe("round trips", () => {
  it("'Exporteer alles' never writes an empty collection", () => {
    const t = importTab([]);
    t.session.boot();
    t.transfer.exportAllJson();
    assert.equal(t.ui.downloads.length, 0);
    assert.equal(t.ui.banners.exported.text, "Er zijn nog geen beoordelingen om te exporteren.");
  });

  it("an exported collection imports again as it was: nothing to ask, nothing changed", async () => {
    const t = importTab([]);
    t.session.boot();
    t.session.edit({ type: "na", id: "2.1.1.a", value: true });
    t.session.edit({ type: "remark", id: "", value: "algemeen" });
    t.session.edit({ type: "remark", id: "2", value: "bij 2" });
    t.transfer.exportAllJson();
    const text = t.ui.downloads[0].text;
    // The general remark first, as kcm_core writes it (a JavaScript object puts "2" first).
    assert.ok(text.indexOf('"": "algemeen"') < text.indexOf('"2": "bij 2"'));
    await t.transfer.importFile(file("alles.json", text));
    assert.equal(t.ui.dialogs.length, 0);
    assert.equal(t.ui.banners.import.text, "1 stond er al precies zo.");
  });
});

describe("a collection with refused records", () => {
  it("imports the good ones and names each refused one, without paths", async () => {
    const rejected = [
      { index: 1, id: "import-b", problems: [{ path: "$.assessments[1].fields.datum", parts: ["assessments", 1, "fields", "datum"], message: "ongeldige datum '27-11-2026'" }] },
      { index: 2, id: null, problems: [{ path: "$.assessments[2]", parts: ["assessments", 2], message: "de sleutel 'format' ontbreekt" }] },
    ];
    const t = importTab([], rejected);
    t.session.boot();
    await t.transfer.importFile(file("drie.json", many(build(t, [], { id: "import-a" }))));
    const banner = t.ui.banners.import;
    assert.equal(banner.kind, "warning");
    assert.equal(banner.title, "Ingelezen: drie.json");
    assert.deepEqual(plain(banner.text), [
      "1 nieuwe beoordeling, 2 niet ingelezen.",
      "Deze beoordelingen uit het bestand zijn niet ingelezen, want er klopt iets niet:",
    ]);
    assert.deepEqual(plain(banner.list), [
      "Beoordeling 2 in het bestand (id import-b): Veld Datum: ongeldige datum '27-11-2026'.",
      "Beoordeling 3 in het bestand (zonder id): De sleutel 'format' ontbreekt.",
    ]);
    assert.ok(!JSON.stringify(banner).includes("$."));
    assert.deepEqual(plain(t.store.list().records.map((r) => r.id)), ["import-a"]);
  });
});

describe("finalising a draft with an n.v.t. without its reason", () => {
  it("is refused: the dialog names the criterion and the focus goes to its remark", async () => {
    const engine = fakeEngine(() => scoreAnswer({ missing_reasons: ["2.1.1.a"], complete: false }));
    const t = tab({ engine, answers: [null] });
    t.session.boot();
    t.session.edit({ type: "assessor", value: "A. Jansen" });
    t.session.edit({ type: "na", id: "2.1.1.a", value: true });
    await t.finalizing.finalize();
    await settle();
    const [dialog] = t.ui.dialogs;
    assert.equal(dialog.title, "Nog niet compleet");
    assert.deepEqual(plain(dialog.body[1].list), ["2.1.1.a: schrijf een reden bij n.v.t."]);
    assert.deepEqual(plain(t.events.focus.at(-1)), { kind: "criterion", id: "2.1.1.a", role: "remark" });
    assert.equal(t.store.load(t.session.state.current.id).record.data.status, "draft");
  });

  it("header fields and conditions come first", () => {
    const { finalize } = tab().kcm;
    const result = { missing_fields: [], missing_conditions: ["gesprekstype"], missing_reasons: ["2.1.1.a"] };
    assert.deepEqual(plain(finalize.missingTarget(result)), { kind: "condition", id: "gesprekstype" });
    const labels = tab().kcm.assessment.missingLabels(result, RUBRIC);
    assert.deepEqual(plain(labels), ["Soort gesprek", "2.1.1.a: schrijf een reden bij n.v.t."]);
    assert.deepEqual(plain(tab().kcm.assessment.missingLabels(result, RUBRIC, false)), ["Soort gesprek"]);
  });

  it("kcm_core's blocking problems read as sentences with the criterion id", async () => {
    const problems = [{ path: "$.criteria['2.1.1.a'].remark", parts: ["criteria", "2.1.1.a", "remark"], message: "geef in de opmerking een reden waarom het criterium n.v.t. is" }];
    const t = tab({ engine: fakeEngine(() => ({ ok: false, problems })), answers: [null] });
    t.session.boot();
    t.session.edit({ type: "na", id: "2.1.1.a", value: true });
    await t.finalizing.finalize();
    await settle();
    assert.deepEqual(plain(t.ui.dialogs[0].body[1].problems), ["Criterium 2.1.1.a, opmerking: geef in de opmerking een reden waarom het criterium n.v.t. is."]);
  });
});

describe("an imported final record whose seal does not hold", () => {
  it("is named in the outcome as changed after finalising; a sealed one is not", async () => {
    const t = tab({ engine: importingEngine([], { "imp-x": "changed", "imp-old": "unsealed" }), answers: [], clock: () => FIXED_NOW });
    t.session.boot();
    const finalOf = (id, name) => t.kcm.assessment.applyEdit(build(t, [{ type: "field", id: "naam_kandidaat", value: name }], { id }), { type: "finalize" }, "2026-11-27T10:00:00.000Z", RUBRIC);
    await t.transfer.importFile(file("drie.json", many(finalOf("imp-x", "Veranderd"), finalOf("imp-old", "Oud"), finalOf("imp-ok", "Goed"))));
    await settle();
    const banner = t.ui.banners.import;
    assert.equal(banner.kind, "warning");
    assert.match(banner.text[1], /^De beoordeling van Veranderd \(id imp-x\) is veranderd na het afronden: het zegel klopt niet/);
    assert.match(banner.text[2], /^De beoordeling van Oud \(id imp-old\) is afgerond zonder zegel/);
    assert.equal(banner.text.length, 3, "the sealed record needs no sentence");
    assert.ok(t.engine.calls.some((c) => c.fn === "verify"));
  });

  it("a file with only drafts is not sent to verify", async () => {
    const t = importTab([]);
    t.session.boot();
    await t.transfer.importFile(file("een.json", build(t, [{ type: "field", id: "naam_kandidaat", value: "Concept" }])));
    await settle();
    assert.ok(!t.engine.calls.some((c) => c.fn === "verify"));
  });
});
