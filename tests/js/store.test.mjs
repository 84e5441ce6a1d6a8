// store.js: the only owner of localStorage (ARCHITECTURE.md §6). Run: node --test tests/js
import assert from "node:assert/strict";
import { describe, it } from "node:test";

import { MemoryStorage, loadScripts, plain } from "./harness.mjs";

const { store: S } = loadScripts("store-codec.js", "store.js");

function assessment(id, extra = {}) {
  return { format: "kcm-assessment", id, fields: { naam_kandidaat: "" }, updated: "2026-01-01T00:00:00Z", ...extra };
}

function setup(options) {
  const storage = new MemoryStorage(options);
  let clock = 0;
  const store = S.createStore(storage, { now: () => `2026-01-01T00:00:${String(clock++).padStart(2, "0")}Z` });
  return { storage, store };
}

function envelope(storage, id) {
  return JSON.parse(storage.getItem(S.recordKey(id)));
}

describe("saving", () => {
  it("writes the versioned envelope under the namespaced key and lists the id in the index", () => {
    const { storage, store } = setup();
    const result = store.save(assessment("a1"), 0);
    assert.equal(result.ok, true);
    assert.equal(result.rev, 1);
    const env = envelope(storage, "a1");
    assert.deepEqual(plain(Object.keys(env).sort()), ["data", "rev", "saved_at", "schema"]);
    assert.equal(env.schema, 2);
    assert.equal(env.rev, 1);
    assert.equal(env.data.id, "a1");
    assert.deepEqual(plain(JSON.parse(storage.getItem("kcm:v1:index"))), { schema: 1, ids: ["a1"] });
  });

  it("raises the revision by one on every save based on the stored revision", () => {
    const { storage, store } = setup();
    store.save(assessment("a1"), 0);
    assert.equal(store.save(assessment("a1", { x: 1 }), 1).rev, 2);
    assert.equal(store.save(assessment("a1", { x: 2 }), 2).rev, 3);
    assert.equal(envelope(storage, "a1").data.x, 2);
  });

  it("refuses a save based on an older revision and returns the newer record", () => {
    // Two tabs: tab B saved rev 2 while tab A still holds rev 1.
    const { storage, store } = setup();
    store.save(assessment("a1"), 0);
    store.save(assessment("a1", { by: "B" }), 1);
    const result = store.save(assessment("a1", { by: "A" }), 1);
    assert.equal(result.ok, false);
    assert.equal(result.reason, "conflict");
    assert.equal(result.current.rev, 2);
    assert.equal(result.current.data.by, "B");
    assert.equal(envelope(storage, "a1").data.by, "B", "the newer change must survive");
  });

  it("refuses to create a record whose id is already stored", () => {
    const { store } = setup();
    store.save(assessment("a1", { first: true }), 0);
    const result = store.save(assessment("a1"), 0);
    assert.equal(result.reason, "exists");
    assert.equal(result.current.data.first, true);
  });

  it("reports a record deleted meanwhile instead of silently creating it again", () => {
    const { store } = setup();
    store.save(assessment("a1"), 0);
    store.remove("a1");
    assert.equal(store.save(assessment("a1"), 1).reason, "missing");
  });

  for (const [name, configure, errorName] of [
    ["quota exceeded", (s) => (s.quota = 10), "QuotaExceededError"],
    ["storage switched off", (s) => (s.failWrites = true), "SecurityError"],
    ["read back differs", (s) => s.corruptReads.add("kcm:v1:assessment:a1"), "ReadBackMismatch"],
  ]) {
    it(`never reports a failed write as saved (${name}) and keeps the old value`, () => {
      const { storage, store } = setup();
      store.save(assessment("a1", { v: "old" }), 0);
      const before = storage.map.get("kcm:v1:assessment:a1");
      configure(storage);
      const result = store.save(assessment("a1", { v: "new" }), 1);
      assert.equal(result.ok, false);
      assert.equal(result.reason, "write-failed");
      assert.equal(result.errorName, errorName);
      assert.match(result.message, /\S/);
      if (errorName !== "ReadBackMismatch") {
        assert.equal(storage.map.get("kcm:v1:assessment:a1"), before);
      }
    });
  }

  it("explains a full storage in Dutch", () => {
    const { storage, store } = setup({ quota: 10 });
    const result = store.save(assessment("a1"), 0);
    assert.match(result.message, /opslagruimte van de browser is vol/);
    assert.equal(storage.getItem("kcm:v1:assessment:a1"), null);
  });

  it("works without any storage at all and says so", () => {
    const store = S.createStore(null);
    assert.equal(store.available, false);
    assert.equal(store.probe().ok, false);
    assert.equal(store.save(assessment("a1"), 0).reason, "write-failed");
    assert.deepEqual(plain(store.list().records), []);
  });
});

describe("the write probe at start", () => {
  it("succeeds on a working storage and leaves nothing behind", () => {
    const { storage, store } = setup();
    assert.deepEqual(plain(store.probe()), { ok: true });
    assert.equal(storage.length, 0);
  });

  it("fails when nothing can be written", () => {
    const { storage, store } = setup();
    storage.failWrites = true;
    const probe = store.probe();
    assert.equal(probe.ok, false);
    assert.match(probe.message, /privévenster|instellingen/);
  });
});

describe("listing and reading", () => {
  it("lists records in index order, newest first", () => {
    const { store } = setup();
    store.save(assessment("a1"), 0);
    store.save(assessment("a2"), 0);
    store.save(assessment("a3"), 0);
    assert.deepEqual(plain(store.list().records.map((r) => r.id)), ["a3", "a2", "a1"]);
  });

  it("finds records the index lost and repairs the index", () => {
    const { storage, store } = setup();
    store.save(assessment("a1"), 0);
    store.save(assessment("a2"), 0);
    storage.setItem("kcm:v1:index", JSON.stringify({ schema: 1, ids: ["a2", "gone"] }));
    const listing = store.list();
    assert.deepEqual(plain(listing.records.map((r) => r.id)), ["a2", "a1"]);
    assert.deepEqual(plain(JSON.parse(storage.getItem("kcm:v1:index")).ids), ["a2", "a1"]);
  });

  for (const [name, raw] of [
    ["truncated JSON", '{"schema":1,"rev":1,"saved_at":"x","data":{"id":"bad"'],
    ["not an envelope", '"just text"'],
    ["wrong id inside", JSON.stringify({ schema: 1, rev: 1, saved_at: "x", data: { id: "other" } })],
    ["no revision", JSON.stringify({ schema: 1, saved_at: "x", data: { id: "bad" } })],
  ]) {
    it(`keeps an unreadable record aside instead of deleting it (${name})`, () => {
      const { storage, store } = setup();
      store.save(assessment("good"), 0);
      storage.setItem("kcm:v1:assessment:bad", raw);
      const listing = store.list();
      assert.deepEqual(plain(listing.records.map((r) => r.id)), ["good"]);
      assert.equal(listing.problems.length, 1);
      assert.equal(listing.problems[0].id, "bad");
      assert.equal(storage.getItem("kcm:v1:assessment:bad"), null);
      const aside = store.quarantined();
      assert.equal(aside.length, 1);
      assert.equal(aside[0].original, "kcm:v1:assessment:bad");
      assert.equal(aside[0].raw, raw, "the exact original text is kept");
      assert.match(aside[0].reason, /\S/);
    });
  }

  it("never overwrites an earlier quarantined copy", () => {
    const { storage, store } = setup();
    storage.setItem("kcm:v1:assessment:bad", "first");
    store.list();
    storage.setItem("kcm:v1:assessment:bad", "second");
    store.list();
    assert.deepEqual(plain(store.quarantined().map((q) => q.raw)), ["first", "second"]);
  });

  it("leaves an unreadable record in place when even the quarantine cannot be written", () => {
    const { storage, store } = setup();
    storage.setItem("kcm:v1:assessment:bad", "{oops");
    storage.failWrites = true;
    const listing = store.list();
    assert.equal(listing.problems.length, 1);
    assert.equal(listing.problems[0].quarantineKey, null);
    assert.equal(storage.getItem("kcm:v1:assessment:bad"), "{oops");
  });

  it("leaves a record written by a newer version alone and reports it", () => {
    const { storage, store } = setup();
    const raw = JSON.stringify({ schema: 3, whatever: true });
    storage.setItem("kcm:v1:assessment:future", raw);
    const listing = store.list();
    assert.deepEqual(plain(listing.records), []);
    assert.deepEqual(plain(listing.skipped.map((s) => s.id)), ["future"]);
    assert.equal(storage.getItem("kcm:v1:assessment:future"), raw);
    assert.deepEqual(plain(store.quarantined()), []);
    assert.equal(store.save(assessment("future"), 0).ok, false, "and never overwrites it");
  });

  it("rebuilds an unreadable index from the records and keeps the old one aside", () => {
    const { storage, store } = setup();
    store.save(assessment("a1"), 0);
    storage.setItem("kcm:v1:index", "[[[");
    const listing = store.list();
    assert.deepEqual(plain(listing.records.map((r) => r.id)), ["a1"]);
    assert.equal(store.quarantined()[0].raw, "[[[");
  });

  // The second spelling is the same key written with JSON escapes: reading must catch both.
  for (const key of ["__proto__", "\\u005f\\u005fproto\\u005f\\u005f"]) {
    it(`drops ${key} keys while reading, so stored data cannot pollute prototypes`, () => {
      const { storage, store } = setup();
      const raw = `{"schema":1,"rev":1,"saved_at":"x","data":{"id":"p","${key}":{"polluted":true}}}`;
      storage.setItem("kcm:v1:assessment:p", raw);
      const record = store.load("p").record;
      assert.equal(Object.prototype.hasOwnProperty.call(record.data, "__proto__"), false);
      assert.equal({}.polluted, undefined);
    });
  }
});

describe("deleting", () => {
  it("deletes one record and its index entry", () => {
    const { storage, store } = setup();
    store.save(assessment("a1"), 0);
    store.save(assessment("a2"), 0);
    store.remove("a1");
    assert.equal(storage.getItem("kcm:v1:assessment:a1"), null);
    assert.deepEqual(plain(store.list().records.map((r) => r.id)), ["a2"]);
  });

  it("deletes all checklist data and nothing else of the site", () => {
    const { storage, store } = setup();
    store.save(assessment("a1"), 0);
    storage.setItem("kcm:v1:assessment:bad", "{");
    store.list();
    storage.setItem("other-app", "keep");
    store.removeAll();
    assert.deepEqual(plain(Array.from(storage.map.keys())), ["other-app"]);
  });

  it("deletes the theme's settings of this site, not those of another site on the origin", () => {
    const { storage, store } = setup();
    store.save(assessment("a1"), 0);
    storage.setItem("/kcm/.__palette", "{}");
    storage.setItem("/other-site/.__palette", "{}");
    store.removeAll({ sitePrefix: "/kcm/.__" });
    assert.deepEqual(plain(Array.from(storage.map.keys())), ["/other-site/.__palette"]);
  });

  it("deletes a quarantined record only when asked", () => {
    const { storage, store } = setup();
    storage.setItem("kcm:v1:assessment:bad", "{");
    store.list();
    const [entry] = store.quarantined();
    store.discardQuarantined("kcm:v1:assessment:good");
    assert.equal(store.quarantined().length, 1);
    store.discardQuarantined(entry.key);
    assert.deepEqual(plain(store.quarantined()), []);
  });
});

describe("saving many at once (import)", () => {
  it("writes new and replaced records together", () => {
    const { store } = setup();
    store.save(assessment("a1", { v: 1 }), 0);
    const result = store.saveMany([
      { data: assessment("a1", { v: 2 }), baseRev: 1 },
      { data: assessment("a2"), baseRev: 0 },
    ]);
    assert.equal(result.ok, true);
    assert.equal(store.load("a1").record.data.v, 2);
    assert.equal(store.load("a2").record.rev, 1);
  });

  it("changes nothing when one write fails halfway", () => {
    const { storage, store } = setup();
    store.save(assessment("a1", { v: 1 }), 0);
    const before = storage.snapshot();
    storage.quota = storage.used() + 250;
    const big = "x".repeat(400);
    const result = store.saveMany([
      { data: assessment("a1", { v: 2 }), baseRev: 1 },
      { data: assessment("a2"), baseRev: 0 },
      { data: assessment("a3", { big }), baseRev: 0 },
    ]);
    assert.equal(result.ok, false);
    assert.equal(result.reason, "write-failed");
    assert.equal(result.failedId, "a3");
    assert.deepEqual(storage.snapshot(), before);
  });

  it("changes nothing when another tab changed one of the records meanwhile", () => {
    const { storage, store } = setup();
    store.save(assessment("a1"), 0);
    store.save(assessment("a1", { other: "tab" }), 1);
    const before = storage.snapshot();
    const result = store.saveMany([
      { data: assessment("new"), baseRev: 0 },
      { data: assessment("a1", { v: "import" }), baseRev: 1 },
    ]);
    assert.equal(result.reason, "conflict");
    assert.deepEqual(storage.snapshot(), before);
  });
});

describe("storage event keys", () => {
  for (const [key, expected] of [
    ["kcm:v1:index", { kind: "index" }],
    ["kcm:v1:assessment:abc", { kind: "record", id: "abc" }],
    ["kcm:v1:quarantine:abc", { kind: "quarantine" }],
    ["something-else", { kind: "other" }],
    [null, { kind: "all" }],
  ]) {
    it(`recognises ${key}`, () => {
      assert.deepEqual(plain(S.keyKind(key)), expected);
    });
  }
});

describe("the open assessment of a tab", () => {
  it("is kept per tab in sessionStorage and can be cleared", () => {
    const session = new MemoryStorage();
    const store = S.createStore(new MemoryStorage(), { sessionStorage: session });
    assert.equal(store.session.get(), null);
    store.session.set("a1");
    assert.equal(store.session.get(), "a1");
    store.session.set(null);
    assert.equal(store.session.get(), null);
  });
});
