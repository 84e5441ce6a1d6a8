// session.js with store-durable.js: "Opgeslagen" only once the revision on screen is on disk
// (fake-indexeddb here), the restore after a crash, deleting. Run: node --test tests/js
import assert from "node:assert/strict";
import { describe, it } from "node:test";

import { IDBFactory } from "fake-indexeddb";

import { MemoryStorage, RUBRIC, loadScripts, plain } from "./harness.mjs";
import { SCRIPTS, fakeEngine, recordingUi, scoreAnswer } from "./fakes.mjs";

const tick = (id, value = true) => ({ type: "checked", id, value });
const name = (value) => ({ type: "field", id: "naam_kandidaat", value });

// One tab with a durable mirror on `factory` (shared by the tabs of one browser). `wrap` may
// replace the mirror's functions (to hold its answers back, or make it fail).
function durableTab({ storage = new MemoryStorage(), factory = new IDBFactory(), indexedDB, wrap, answers = [] } = {}) {
  const kcm = loadScripts(...SCRIPTS, "store-durable.js", "store-keeper.js");
  let tick = 0;
  const now = () => new Date(Date.UTC(2026, 10, 27, 9, 0, tick++)).toISOString();
  const store = kcm.store.createStore(storage, { sessionStorage: new MemoryStorage(), now });
  const ui = recordingUi(answers);
  ui.info = [];
  ui.statuses = [];
  const saveStatus = ui.saveStatus;
  ui.saveStatus = (kind, text) => {
    ui.statuses.push([kind, text]);
    saveStatus(kind, text);
  };
  let mirror = kcm.storeDurable.create({ indexedDB: indexedDB === undefined ? factory : indexedDB, setTimeout, clearTimeout });
  const disk = mirror;
  if (wrap) {
    mirror = { ...mirror, ...wrap(mirror) };
  }
  const durable = kcm.storeKeeper.create({
    mirror,
    store,
    ui: { showBanner: ui.showBanner, clearBanner: ui.clearBanner, durableInfo: (text) => ui.info.push(text) },
    exportNow: () => {},
  });
  const engine = fakeEngine(() => scoreAnswer());
  const session = kcm.session.create({ store, engine, rubric: RUBRIC, now, ui, exportNow: () => {}, durable });
  const events = { form: 0, opened: 0 };
  session.on("form", () => (events.form += 1));
  session.on("opened", () => (events.opened += 1));
  return { kcm, storage, factory, store, ui, session, disk, events };
}

async function until(check, what = "condition") {
  for (let i = 0; i < 1000; i += 1) {
    if (await check()) {
      return;
    }
    await new Promise((resolve) => setImmediate(resolve));
  }
  assert.fail(what + " not reached");
}

async function onDisk(t) {
  const all = await t.disk.all();
  assert.equal(all.ok, true);
  return Object.fromEntries(all.entries.map((e) => [e.id, plain(e.envelope)]));
}

const saved = (t) => until(() => t.ui.status && t.ui.status.kind === "ok" && /^Opgeslagen in deze browser om /.test(t.ui.status.text), "Opgeslagen");

// Mirror writes that wait until released, in order: gates[i]() lets write i answer.
function heldBack() {
  const gates = [];
  return {
    gates,
    wrap: (real) => ({
      mirrorMany(envelopes) {
        const answer = real.mirrorMany(envelopes);
        return new Promise((resolve) => gates.push(() => resolve(answer)));
      },
    }),
  };
}

describe("saving says Opgeslagen once it is on disk", () => {
  it("a save is 'Wordt opgeslagen…' until its mirror completed", async () => {
    const t = durableTab();
    await t.session.boot();
    t.session.edit(tick("1.1.1.a"));
    assert.deepEqual(t.ui.status, { kind: "pending", text: "Wordt opgeslagen…" });
    await saved(t);
    assert.match(t.ui.status.text, /^Opgeslagen in deze browser om \d\d:\d\d:\d\d\.$/);
    const id = t.session.state.current.id;
    assert.deepEqual((await onDisk(t))[id], plain({ schema: 2, ...t.store.load(id).record, id: undefined }));
  });

  it("typing fast: never 'Opgeslagen' while a newer revision is not on disk yet", async () => {
    const held = heldBack();
    const t = durableTab({ wrap: held.wrap });
    await t.session.boot();
    t.session.edit(name("J"));
    t.session.edit(name("Ja"));
    t.session.edit(name("Jan"));
    await until(() => held.gates.length === 3, "three mirrors in flight");
    held.gates[0]();
    held.gates[1]();
    await new Promise((resolve) => setTimeout(resolve, 20));
    assert.equal(t.ui.status.kind, "pending", "revisions 1 and 2 are on disk, 3 is not");
    assert.equal(t.ui.statuses.filter(([kind]) => kind === "ok").length, 0);
    held.gates[2]();
    await saved(t);
    const disk = await onDisk(t);
    assert.equal(disk[t.session.state.current.id].rev, 3);
    assert.equal(disk[t.session.state.current.id].data.fields.naam_kandidaat, "Jan");
  });

  it("a later status (an error, another tab) is not replaced by a late 'Opgeslagen'", async () => {
    const held = heldBack();
    const t = durableTab({ wrap: held.wrap });
    await t.session.boot();
    t.session.edit(tick("1.1.1.a"));
    await until(() => held.gates.length === 1);
    t.storage.failWrites = true;
    t.session.edit(tick("2.1.1.a"));
    assert.equal(t.ui.status.kind, "error");
    held.gates[0]();
    await new Promise((resolve) => setTimeout(resolve, 20));
    assert.equal(t.ui.status.kind, "error");
    assert.match(t.ui.status.text, /^NIET opgeslagen\./);
  });

  it("a failing mirror: saved in the browser, honestly not for sure on disk", async () => {
    const t = durableTab({
      wrap: () => ({ mirrorMany: async () => ({ ok: false, reason: "write-failed", errorName: "QuotaExceededError", message: "De opslagruimte van de browser is vol." }) }),
    });
    await t.session.boot();
    t.session.edit(tick("1.1.1.a"));
    await until(() => t.ui.status.kind === "warning");
    assert.equal(t.ui.status.text, "Bewaard in deze browser, maar niet zeker op schijf: de opslagruimte van de browser is vol. Exporteer de beoordeling als bestand.");
    assert.equal(t.ui.banners["save-failed"], undefined, "a warning, not the error banner");
    assert.equal(t.store.load(t.session.state.current.id).ok, true);
  });

  it("without IndexedDB the page works as before and never promises the disk", async () => {
    const t = durableTab({ indexedDB: null });
    await t.session.boot();
    t.session.edit(tick("1.1.1.a"));
    await until(() => t.ui.status.kind === "ok");
    assert.match(t.ui.status.text, /^Bewaard in deze browser om \d\d:\d\d:\d\d\.$/);
    assert.equal(t.ui.statuses.some(([, text]) => text.startsWith("Opgeslagen")), false);
    assert.equal(t.ui.info.length, 1);
    assert.match(t.ui.info[0], /IndexedDB/);
  });

  it("opening a stored assessment says Opgeslagen once the mirror holds it", async () => {
    const factory = new IDBFactory();
    const storage = new MemoryStorage();
    const first = durableTab({ storage, factory });
    await first.session.boot();
    first.session.edit(name("Eerste"));
    await saved(first);
    const second = durableTab({ storage, factory });
    await second.session.boot();
    await until(() => second.ui.status.kind === "ok");
    assert.match(second.ui.status.text, /^Opgeslagen in deze browser op /);
    assert.equal(second.ui.statuses[0][0], "pending");
    assert.match(second.ui.statuses[0][1], /^Bewaard in deze browser op /);
  });
});

describe("after a crash", () => {
  // A browser killed before it wrote localStorage to disk: on the next start localStorage holds
  // what it held at `snapshot`, the mirror everything that was said to be saved.
  async function crashAfter(steps) {
    const factory = new IDBFactory();
    const before = durableTab({ factory });
    await before.session.boot();
    const snapshot = await steps(before);
    const storage = new MemoryStorage();
    for (const [key, value] of snapshot) {
      storage.setItem(key, value);
    }
    const after = durableTab({ storage, factory });
    await after.session.boot();
    return { before, after };
  }

  it("brings back a newer revision and reopens it when it is the open assessment", async () => {
    let id;
    const { after } = await crashAfter(async (t) => {
      t.session.edit(name("Jan"));
      await saved(t);
      const snapshot = t.storage.snapshot();
      t.session.edit(tick("1.1.1.a"));
      t.session.edit(tick("2.1.1.a"));
      await saved(t);
      id = t.session.state.current.id;
      return snapshot;
    });
    assert.equal(after.session.state.current.id, id);
    assert.equal(after.session.state.current.rev, 3);
    assert.deepEqual(Object.keys(after.session.state.current.data.criteria).sort(), ["1.1.1.a", "2.1.1.a"]);
    assert.equal(after.store.load(id).record.rev, 3);
    assert.equal(after.ui.banners.restored.text, "Na een onderbreking is 1 beoordeling teruggezet uit de opslag op schijf.");
    assert.equal(after.events.opened, 2, "opened at the start, and again with what came back");
  });

  it("brings back assessments localStorage lost entirely, and lists them", async () => {
    const { before, after } = await crashAfter(async (t) => {
      const snapshot = t.storage.snapshot();
      t.session.edit(name("Eerste"));
      await saved(t);
      t.session.startNew();
      t.session.edit(name("Tweede"));
      await saved(t);
      return snapshot;
    });
    const names = plain(after.session.state.records.map((r) => r.data.fields.naam_kandidaat).sort());
    assert.deepEqual(names, ["Eerste", "Tweede"]);
    assert.equal(after.ui.banners.restored.text, "Na een onderbreking zijn 2 beoordelingen teruggezet uit de opslag op schijf.");
    assert.deepEqual(plain(after.store.list().records.map((r) => r.rev)), [1, 1]);
    assert.equal(before.store.list().records.length, 2);
  });

  it("nothing lost: no banner, nothing rewritten", async () => {
    const { after } = await crashAfter(async (t) => {
      t.session.edit(name("Jan"));
      await saved(t);
      return t.storage.snapshot();
    });
    const writes = after.storage.writes;
    await new Promise((resolve) => setTimeout(resolve, 20));
    assert.equal(after.ui.banners.restored, undefined);
    assert.equal(after.storage.writes, writes);
  });
});

describe("records the mirror does not hold", () => {
  it("assessments saved before the mirror existed are mirrored at the start", async () => {
    const storage = new MemoryStorage();
    const plainStore = loadScripts("store-codec.js", "store.js").store.createStore(storage);
    for (const id of ["a", "b", "c"]) {
      plainStore.save({ id, format: "kcm-assessment", fields: { naam_kandidaat: id } }, 0);
    }
    plainStore.save({ id: "b", format: "kcm-assessment", fields: { naam_kandidaat: "b2" } }, 1);
    const t = durableTab({ storage });
    await t.session.boot();
    await until(async () => Object.keys(await onDisk(t)).length === 3, "three mirrored");
    const disk = await onDisk(t);
    assert.equal(disk.b.rev, 2);
    assert.equal(disk.b.data.fields.naam_kandidaat, "b2");
    assert.equal(t.ui.banners.restored, undefined);
  });

  it("an import (store.saveMany, then the list) is mirrored too", async () => {
    const t = durableTab();
    await t.session.boot();
    t.store.saveMany([{ data: { id: "x", format: "kcm-assessment" }, baseRev: 0 }]);
    t.session.refreshList();
    await until(async () => (await onDisk(t)).x, "the imported record on disk");
  });
});

describe("deleting", () => {
  it("one assessment goes from the mirror too, so it does not come back", async () => {
    const factory = new IDBFactory();
    const storage = new MemoryStorage();
    const t = durableTab({ storage, factory, answers: ["yes"] });
    await t.session.boot();
    t.session.edit(name("Weg"));
    await saved(t);
    const id = t.session.state.current.id;
    await t.session.remove(id);
    await until(async () => !(await onDisk(t))[id], "forgotten");
    const again = durableTab({ storage: new MemoryStorage(), factory });
    await again.session.boot();
    assert.equal(again.session.state.records.length, 0);
  });

  it("'Alles verwijderen' deletes the whole database", async () => {
    const factory = new IDBFactory();
    const t = durableTab({ factory, answers: ["yes"] });
    await t.session.boot();
    t.session.edit(name("Weg"));
    await saved(t);
    assert.deepEqual((await factory.databases()).map((db) => db.name), ["kcm"]);
    await t.session.removeAll(null);
    await until(async () => (await factory.databases()).length === 0, "database deleted");
    // The next assessment is mirrored in a new database.
    t.session.edit(name("Nieuw"));
    await saved(t);
    assert.deepEqual(Object.keys(await onDisk(t)), [t.session.state.current.id]);
  });
});
