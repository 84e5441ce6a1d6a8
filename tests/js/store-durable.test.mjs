// store-durable.js: the copy of the stored assessments in IndexedDB (fake-indexeddb here) that
// makes "Opgeslagen" mean on disk. Run: node --test tests/js
import assert from "node:assert/strict";
import { describe, it } from "node:test";

import { IDBDatabase, IDBFactory, IDBObjectStore, forceCloseDatabase } from "fake-indexeddb";

import { MemoryStorage, loadScripts, plain } from "./harness.mjs";

const kcm = loadScripts("store-codec.js", "store.js", "store-durable.js", "store-keeper.js");
const D = kcm.storeDurable;

const timers = { setTimeout, clearTimeout };

function mirrorOn(factory = new IDBFactory(), extra = {}) {
  return D.create({ indexedDB: factory, ...timers, ...extra });
}

function envelope(id, rev, extra = {}) {
  return { schema: 1, rev, saved_at: `2026-11-27T09:00:0${rev % 10}Z`, data: { id, format: "kcm-assessment", ...extra } };
}

async function stored(mirror) {
  const all = await mirror.all();
  assert.equal(all.ok, true);
  return Object.fromEntries(all.entries.map((e) => [e.id, plain(e.envelope)]));
}

// Runs `fn` with a method of a fake-indexeddb class replaced, and puts it back afterwards.
async function patched(target, name, replacement, fn) {
  const original = target.prototype[name];
  target.prototype[name] = replacement(original);
  try {
    return await fn();
  } finally {
    target.prototype[name] = original;
  }
}

describe("the mirror", () => {
  it("keeps envelopes by id in the database kcm, object store records", async () => {
    const factory = new IDBFactory();
    const mirror = mirrorOn(factory);
    assert.deepEqual(plain(await mirror.open()), { ok: true });
    assert.deepEqual(plain(await mirror.mirror("a", envelope("a", 1))), { ok: true, rev: 1 });
    assert.equal((await mirror.mirrorMany([envelope("b", 2), envelope("c", 1)])).ok, true);
    assert.deepEqual(Object.keys(await stored(mirror)), ["a", "b", "c"]);
    assert.deepEqual((await stored(mirror)).b, envelope("b", 2));
    const names = (await factory.databases()).map((db) => [db.name, db.version]);
    assert.deepEqual(names, [["kcm", 1]]);
    assert.equal(D.RECORDS, "records");
  });

  it("writes with strict durability, so complete means on disk", async () => {
    const seen = [];
    await patched(
      IDBDatabase,
      "transaction",
      (original) =>
        function (stores, mode, options) {
          if (mode !== "versionchange") {
            seen.push([mode, options && options.durability]);
          }
          return original.call(this, stores, mode, options);
        },
      async () => {
        const mirror = mirrorOn();
        await mirror.mirror("a", envelope("a", 1));
        await mirror.forget("a");
        await mirror.all();
      },
    );
    assert.deepEqual(seen, [
      ["readwrite", "strict"],
      ["readwrite", "strict"],
      ["readonly", undefined],
    ]);
  });

  it("never replaces a revision with an older one, also from another tab", async () => {
    const factory = new IDBFactory();
    const slow = mirrorOn(factory);
    const fast = mirrorOn(factory);
    await fast.mirror("a", envelope("a", 5, { who: "fast" }));
    assert.deepEqual(plain(await slow.mirror("a", envelope("a", 4, { who: "slow" }))), { ok: true, rev: 5 }, "the newer revision on disk");
    assert.deepEqual(plain(await slow.mirror("a", envelope("a", 5, { who: "slow" }))), { ok: true, rev: 5 });
    assert.equal((await stored(fast)).a.data.who, "fast");
    // Asked at the same time: whichever transaction runs first, the newest revision stays.
    await Promise.all([slow.mirror("a", envelope("a", 7, { who: "slow" })), fast.mirror("a", envelope("a", 6, { who: "fast" }))]);
    assert.equal((await stored(fast)).a.rev, 7);
    await Promise.all([fast.mirror("a", envelope("a", 8, { who: "fast" })), slow.mirror("a", envelope("a", 9, { who: "slow" }))]);
    assert.equal((await stored(fast)).a.rev, 9);
  });

  it("forgets one record, and all of them by deleting the database", async () => {
    const factory = new IDBFactory();
    const mirror = mirrorOn(factory);
    const otherTab = mirrorOn(factory);
    await mirror.mirrorMany([envelope("a", 1), envelope("b", 1)]);
    await otherTab.open();
    assert.deepEqual(plain(await mirror.forget("a")), { ok: true });
    assert.deepEqual(Object.keys(await stored(mirror)), ["b"]);
    // The other tab's open connection gives way; it opens a new database at its next write.
    assert.deepEqual(plain(await mirror.forgetAll()), { ok: true });
    assert.deepEqual(await factory.databases(), []);
    assert.deepEqual(plain(await otherTab.mirror("c", envelope("c", 1))), { ok: true, rev: 1 });
    assert.deepEqual(Object.keys(await stored(mirror)), ["c"]);
  });

  it("opens again after the browser closed the connection", async () => {
    let db = null;
    await patched(
      IDBDatabase,
      "transaction",
      (original) =>
        function (...args) {
          db = this;
          return original.apply(this, args);
        },
      async () => {
        const mirror = mirrorOn();
        await mirror.mirror("a", envelope("a", 1));
        forceCloseDatabase(db);
        assert.deepEqual(plain(await mirror.mirror("a", envelope("a", 2))), { ok: true, rev: 2 });
      },
    );
  });
});

describe("when IndexedDB fails", () => {
  const dutch = /^[A-Z][^]*\.$/;

  async function everyCallFails(mirror, reason) {
    const answers = [
      await mirror.open(),
      await mirror.mirror("a", envelope("a", 1)),
      await mirror.mirrorMany([envelope("a", 1)]),
      await mirror.forget("a"),
      await mirror.all(),
    ];
    for (const answer of answers) {
      assert.equal(answer.ok, false);
      assert.equal(answer.reason, reason);
      assert.match(answer.message, dutch);
    }
    return answers[0];
  }

  it("no IndexedDB at all: every call answers unavailable, none throws", async () => {
    const mirror = D.create({ indexedDB: null, ...timers });
    const answer = await everyCallFails(mirror, "unavailable");
    assert.equal(answer.message, "Deze browser heeft geen opslag op schijf (IndexedDB) voor deze pagina.");
    assert.equal((await mirror.forgetAll()).reason, "unavailable");
  });

  it("open throws (blocked site data), or its request fails (old Safari private mode)", async () => {
    const throwing = {
      open() {
        throw new DOMException("The user denied permission to access the database.", "SecurityError");
      },
    };
    const answer = await everyCallFails(mirrorOn(throwing), "unavailable");
    assert.match(answer.message, /privévenster/);

    const failing = {
      open() {
        const request = { error: new DOMException("A mutation operation was attempted on a database that did not allow mutations.", "InvalidStateError") };
        setImmediate(() => request.onerror({ preventDefault() {} }));
        return request;
      },
    };
    const second = await everyCallFails(mirrorOn(failing), "unavailable");
    assert.equal(second.message, "De browser kon niet op schijf opslaan (InvalidStateError).");
  });

  it("open that never answers counts as unavailable after a while", async () => {
    const pending = [];
    const mirror = D.create({
      indexedDB: { open: () => ({}) },
      setTimeout: (fn, ms) => pending.push({ fn, ms }),
      clearTimeout: () => {},
    });
    const answer = mirror.mirror("a", envelope("a", 1));
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(pending.length, 1);
    assert.ok(pending[0].ms >= 1000);
    pending[0].fn();
    const result = await answer;
    assert.equal(result.reason, "unavailable");
    assert.equal(result.message, "De opslag op schijf reageert niet.");
  });

  it("a full disk aborts the write: a failure with a Dutch message, and the old revision stays", async () => {
    const mirror = mirrorOn();
    await mirror.mirror("a", envelope("a", 1));
    const result = await patched(
      IDBObjectStore,
      "put",
      (original) =>
        function (...args) {
          const request = original.apply(this, args);
          this.transaction._abort("QuotaExceededError");
          return request;
        },
      () => mirror.mirror("a", envelope("a", 2)),
    );
    assert.deepEqual(plain(result), { ok: false, reason: "write-failed", errorName: "QuotaExceededError", message: "De opslagruimte van de browser is vol." });
    assert.equal((await stored(mirror)).a.rev, 1);
  });

  it("a value that cannot be stored aborts, not throws", async () => {
    const mirror = mirrorOn();
    const result = await mirror.mirror("a", { schema: 1, rev: 1, saved_at: "x", data: { id: "a", f: () => 1 } });
    assert.equal(result.ok, false);
    assert.equal(result.reason, "write-failed");
    assert.match(result.message, dutch);
    assert.deepEqual(await stored(mirror), {});
  });
});

describe("the keeper", () => {
  function setup({ storage = new MemoryStorage(), factory = new IDBFactory() } = {}) {
    let clock = 0;
    const store = kcm.store.createStore(storage, { now: () => `2026-11-27T10:00:${String(clock++).padStart(2, "0")}Z` });
    const mirror = mirrorOn(factory);
    const shown = { banners: {}, info: [] };
    const ui = {
      showBanner: (topic, options) => (shown.banners[topic] = options),
      clearBanner: (topic) => delete shown.banners[topic],
      durableInfo: (text) => shown.info.push(text),
    };
    const keeper = kcm.storeKeeper.create({ mirror, store, ui, exportNow: () => {} });
    return { storage, factory, store, mirror, keeper, shown };
  }

  const assessment = (id, name = "") => ({ format: "kcm-assessment", id, fields: { naam_kandidaat: name } });

  it("puts back what localStorage lost or holds an older revision of, and mirrors what the mirror lacks", async () => {
    const factory = new IDBFactory();
    const before = setup({ factory });
    before.store.save(assessment("lost", "Weg"), 0);
    before.store.save(assessment("older", "Oud"), 0);
    const lostRec = before.store.load("lost").record;
    await before.mirror.mirrorMany([
      { schema: 1, rev: 1, saved_at: lostRec.saved_at, data: lostRec.data },
      { schema: 1, rev: 3, saved_at: "2026-11-27T09:59:00Z", data: assessment("older", "Nieuwer") },
      { schema: 1, rev: 1, saved_at: "2026-11-27T09:59:00Z", data: assessment("newer-here", "Oud") },
      { schema: 3, rev: 1, saved_at: "2026-11-27T09:59:00Z", data: assessment("future") },
    ]);
    await before.mirror.mirror("broken", { schema: 1, rev: "x" });

    // After the crash: localStorage kept an old "older", a newer "newer-here" and a record the
    // mirror never got ("only-here"); "lost" is gone.
    const after = setup({ factory });
    after.store.save(assessment("older", "Oud"), 0);
    after.store.save(assessment("newer-here", "Eerste"), 0);
    after.store.save(assessment("newer-here", "Tweede"), 1);
    after.store.save(assessment("only-here", "Alleen hier"), 0);
    const outcome = await after.keeper.restore(after.store.list().records);
    assert.deepEqual(plain(outcome), { ok: true, restored: ["lost", "older"] });
    const lost = after.store.load("lost").record;
    assert.deepEqual(plain([lost.rev, lost.saved_at, lost.data]), plain([1, lostRec.saved_at, lostRec.data]), "rev and saved_at kept");
    assert.equal(after.store.load("older").record.rev, 3);
    assert.equal(after.store.load("older").record.data.fields.naam_kandidaat, "Nieuwer");
    assert.equal(after.store.load("newer-here").record.data.fields.naam_kandidaat, "Tweede");
    assert.equal(after.store.load("future").ok, false, "a newer version's record is not put back");
    assert.match(after.shown.banners.restored.text, /^Na een onderbreking zijn 2 beoordelingen teruggezet uit de opslag op schijf\.$/);

    await until(async () => (await stored(after.mirror))["only-here"]);
    const disk = await stored(after.mirror);
    assert.equal(disk["only-here"].data.fields.naam_kandidaat, "Alleen hier");
    assert.equal(disk["newer-here"].rev, 2);
    assert.equal(disk.broken.rev, "x", "an unreadable mirrored record is left alone");
    assert.equal(disk.future.schema, 3);
  });

  it("store.restore writes a record back with its rev and saved_at, over nothing, an older or an unreadable one", () => {
    const { storage, store } = setup();
    const record = (rev, name) => ({ id: "a", rev, saved_at: "2026-11-27T09:00:00Z", data: assessment("a", name) });
    assert.deepEqual(plain(store.restore(record(3, "Drie"))), { ok: true, restored: true });
    assert.deepEqual(plain(JSON.parse(storage.getItem("kcm:v1:assessment:a"))), { schema: 2, rev: 3, saved_at: "2026-11-27T09:00:00Z", data: assessment("a", "Drie") });
    assert.deepEqual(plain(JSON.parse(storage.getItem("kcm:v1:index")).ids), ["a"]);
    assert.deepEqual(plain(store.restore(record(3, "Ander"))), { ok: true, restored: false }, "the same revision here wins");
    assert.deepEqual(plain(store.restore(record(2, "Twee"))), { ok: true, restored: false }, "a newer revision here wins");
    assert.equal(store.restore(record(4, "Vier")).restored, true);
    storage.setItem("kcm:v1:assessment:a", "{kapot");
    assert.equal(store.restore(record(5, "Vijf")).restored, true);
    assert.equal(store.load("a").record.data.fields.naam_kandidaat, "Vijf");
    assert.deepEqual(plain(store.quarantined().map((q) => q.raw)), ["{kapot"], "the unreadable value is kept aside");
  });

  it("says Opgeslagen only once the revision is on disk", async () => {
    const { store, keeper, mirror } = setup();
    await keeper.restore([]);
    const saved = store.save(assessment("a"), 0);
    const shows = [];
    keeper.report({ id: "a", rev: saved.rev, saved_at: saved.saved_at, data: assessment("a") }, "om 10:00:00", true, (kind, text) => shows.push([kind, text]));
    assert.deepEqual(shows, [["pending", "Wordt opgeslagen…"]]);
    await until(() => shows.length === 2);
    assert.deepEqual(shows[1], ["ok", "Opgeslagen in deze browser om 10:00:00."]);
    assert.equal((await stored(mirror)).a.rev, 1);
  });

  it("without IndexedDB: saved in the browser, never on disk, and the storage line says why", async () => {
    const store = kcm.store.createStore(new MemoryStorage());
    const info = [];
    const keeper = kcm.storeKeeper.create({
      mirror: D.create({ indexedDB: null, ...timers }),
      store,
      ui: { showBanner() {}, clearBanner() {}, durableInfo: (text) => info.push(text) },
    });
    assert.deepEqual(plain(await keeper.restore([])), { ok: false, reason: "unavailable", message: "Deze browser heeft geen opslag op schijf (IndexedDB) voor deze pagina.", restored: [] });
    const shows = [];
    keeper.report({ id: "a", rev: 1, saved_at: "x", data: assessment("a") }, "om 10:00:00", true, (kind, text) => shows.push([kind, text]));
    await until(() => shows.length === 2);
    assert.deepEqual(shows[1], ["ok", "Bewaard in deze browser om 10:00:00."]);
    assert.equal(info.length, 1);
    assert.match(info[0], /^Opslaan op schijf: deze browser heeft geen opslag op schijf \(IndexedDB\)/);
    assert.match(info[0], /Exporteer elke beoordeling als bestand\.$/);
  });

  it("a failing mirror: an honest warning, a banner when it keeps failing, gone after a success", async () => {
    const { keeper, shown } = setup();
    await keeper.restore([]);
    const statuses = [];
    const save = (rev) =>
      new Promise((resolve) => keeper.report({ id: "a", rev, saved_at: "x", data: assessment("a") }, "om 10:00:0" + rev, true, (kind, text) => kind !== "pending" && resolve(statuses.push([kind, text]))));
    await patched(
      IDBObjectStore,
      "put",
      (original) =>
        function (...args) {
          const request = original.apply(this, args);
          this.transaction._abort("QuotaExceededError");
          return request;
        },
      async () => {
        await save(1);
        assert.deepEqual(statuses[0], ["warning", "Bewaard in deze browser, maar niet zeker op schijf: de opslagruimte van de browser is vol. Exporteer de beoordeling als bestand."]);
        assert.equal(shown.banners.durable, undefined, "one failure: the status line only");
        await save(2);
        await save(3);
      },
    );
    assert.equal(shown.banners.durable.kind, "warning");
    assert.equal(shown.banners.durable.actions[0].attrs["data-action"], "export-now");
    await save(4);
    assert.deepEqual(statuses[3], ["ok", "Opgeslagen in deze browser om 10:00:04."]);
    assert.equal(shown.banners.durable, undefined);
  });

  it("an opened record is confirmed from what the mirror holds, and mirrored when it is not", async () => {
    const { store, keeper, mirror } = setup();
    store.save(assessment("a"), 0);
    store.save(assessment("b"), 0);
    await mirror.mirror("a", envelope("a", 1));
    await keeper.restore([]);
    assert.deepEqual(plain(await keeper.confirm(store.load("a").record)), { ok: true });
    assert.deepEqual(plain(await keeper.confirm(store.load("b").record)), { ok: true });
    assert.equal((await stored(mirror)).b.rev, 1);
  });
});

// Waits (a few hundred event-loop turns at most) until `check` holds.
async function until(check) {
  for (let i = 0; i < 500; i += 1) {
    if (await check()) {
      return;
    }
    await new Promise((resolve) => setImmediate(resolve));
  }
  assert.fail("condition not reached");
}
