// store-crypto.js: the passphrase lock. What is stored (localStorage and the IndexedDB mirror)
// holds no readable personal data; only the right passphrase opens it; nothing is lost on the
// way in or out. Run: node --test tests/js
import assert from "node:assert/strict";
import { describe, it } from "node:test";

import { IDBFactory } from "fake-indexeddb";

import { MemoryStorage, loadScripts, plain } from "./harness.mjs";

const kcm = loadScripts("store-codec.js", "store.js", "store-durable.js", "store-crypto.js");
const C = kcm.storeCrypto;
const api = C.create(globalThis.crypto);
// Fast keys for the tests; one test checks the real count.
const ROUNDS = 1000;

const NAME = "Anna de Vries-Jansen";

function assessment(id, name = NAME) {
  return { id, format: "kcm-assessment", fields: { naam_kandidaat: name, geboortedatum_kandidaat: "2001-05-04" }, criteria: {} };
}

async function locked(backing = new MemoryStorage(), passphrase = "lang genoeg wachtwoord") {
  const made = await api.newLock(passphrase, ROUNDS);
  backing.setItem("kcm:v1:lock", JSON.stringify(made.lock));
  return { backing, lock: made.lock, key: made.key };
}

async function openStore(backing, key, extra = {}) {
  const storage = api.encryptedStorage({ backing, key, ...extra });
  await storage.load();
  return { storage, store: kcm.store.createStore(storage) };
}

function allText(backing) {
  return Array.from(backing.map.entries()).flat().join("\n");
}

describe("the lock", () => {
  it("opens with the passphrase it was made with, and with no other", async () => {
    const { lock } = await locked();
    assert.ok(await api.unlock(lock, "lang genoeg wachtwoord"));
    assert.equal(await api.unlock(lock, "lang genoeg wachtwoorD"), null);
    assert.equal(await api.unlock(lock, ""), null);
  });

  it("derives its key with PBKDF2-SHA-256 at 600,000 rounds and a fresh salt each time", async () => {
    const one = await api.newLock("lang genoeg wachtwoord");
    const two = await api.newLock("lang genoeg wachtwoord");
    assert.equal(C.ITERATIONS, 600000);
    assert.equal(one.lock.iterations, 600000);
    assert.equal(one.lock.kdf, "PBKDF2-SHA-256");
    assert.notEqual(one.lock.salt, two.lock.salt);
    assert.ok(!JSON.stringify(one.lock).includes("wachtwoord"), "the passphrase is not stored");
  });

  for (const [label, raw, expected] of [
    ["no lock", null, null],
    ["not JSON", "{kapot", { broken: true }],
    ["another kdf", JSON.stringify({ schema: 1, kdf: "MD5", iterations: 1, salt: "AA==", check: { iv: "AA==", data: "AA==" } }), { broken: true }],
    ["no check", JSON.stringify({ schema: 1, kdf: "PBKDF2-SHA-256", iterations: 5, salt: "AA==" }), { broken: true }],
  ]) {
    it(`reads a stored lock: ${label}`, () => {
      assert.deepEqual(plain(C.parseLock(raw)), expected);
    });
  }

  for (const [passphrase, repeated, problems] of [
    ["kort", "kort", 1],
    ["lang genoeg wachtwoord", "lang genoeg wachtwoord", 0],
    ["lang genoeg wachtwoord", "lang genoeg wachtwoorden", 1],
    ["kort", "anders", 2],
  ]) {
    it(`checks a new passphrase: ${JSON.stringify(passphrase)} / ${JSON.stringify(repeated)}`, () => {
      assert.equal(C.passphraseProblems(passphrase, repeated).length, problems);
    });
  }
});

describe("encrypted storage under store.js", () => {
  it("stores no readable personal data, and opens everything again with the key", async () => {
    const { backing, key } = await locked();
    const first = await openStore(backing, key);
    assert.equal(first.store.save(assessment("a1"), 0).ok, true);
    assert.equal(first.store.save(assessment("a2", "Piet Puk"), 0).ok, true);
    await first.storage.settled();
    assert.ok(!allText(backing).includes("Vries"), "the name is not in localStorage");
    assert.ok(!allText(backing).includes("2001-05-04"), "the birth date is not in localStorage");
    const raw = JSON.parse(backing.getItem("kcm:v1:assessment:a1"));
    assert.deepEqual(Object.keys(raw).sort(), ["encrypted", "schema"]);

    const again = await openStore(backing, key);
    const listed = again.store.list();
    assert.deepEqual(plain(listed.records.map((r) => r.data.fields.naam_kandidaat).sort()), [NAME, "Piet Puk"].sort());
    assert.deepEqual(plain(listed.problems), []);
  });

  it("keeps the lock, the list order and other sites' keys readable", async () => {
    const { backing, key } = await locked();
    backing.setItem("/site/.__palette", '{"index":1}');
    const { storage, store } = await openStore(backing, key);
    store.save(assessment("a1"), 0);
    await storage.settled();
    assert.deepEqual(plain(JSON.parse(backing.getItem("kcm:v1:index"))), { schema: 1, ids: ["a1"] });
    assert.equal(backing.getItem("/site/.__palette"), '{"index":1}');
    assert.ok(C.parseLock(backing.getItem("kcm:v1:lock")).salt);
    assert.equal(storage.getItem("/site/.__palette"), '{"index":1}');
  });

  it("encrypts at unlock what was still stored plainly", async () => {
    const backing = new MemoryStorage();
    kcm.store.createStore(backing).save(assessment("old"), 0);
    const { key } = await locked(backing);
    const { storage, store } = await openStore(backing, key);
    assert.equal(store.load("old").record.data.fields.naam_kandidaat, NAME);
    await storage.settled();
    assert.ok(!allText(backing).includes("Vries"));
  });

  it("keeps aside, never deletes, what the key cannot open (another lock, or a value moved to another key)", async () => {
    const { backing, key } = await locked();
    const first = await openStore(backing, key);
    first.store.save(assessment("a1"), 0);
    await first.storage.settled();
    const sealed = backing.getItem("kcm:v1:assessment:a1");
    backing.setItem("kcm:v1:assessment:moved", sealed);
    const { key: otherKey } = await api.newLock("een ander wachtwoord", ROUNDS).then((m) => ({ key: m.key }));
    backing.setItem("kcm:v1:assessment:foreign", await api.sealValue(otherKey, "kcm:v1:assessment:foreign", "{}"));

    const { storage, store } = await openStore(backing, key);
    const listed = store.list();
    assert.deepEqual(plain(listed.records.map((r) => r.id)), ["a1"]);
    assert.deepEqual(plain(listed.problems.map((p) => p.id).sort()), ["foreign", "moved"]);
    assert.match(listed.problems[0].reason, /versleuteld, maar niet te openen/);
    await storage.settled();
    const aside = store.quarantined();
    assert.equal(aside.length, 2);
    assert.ok(aside.every((q) => q.raw.includes(sealed.slice(30, 60)) || q.raw.includes("encrypted")), "the encrypted text is kept");
  });

  it("is left alone by a copy of the page that does not know the lock (an old cached tab)", async () => {
    const { backing, key } = await locked();
    const { storage, store } = await openStore(backing, key);
    store.save(assessment("a1"), 0);
    await storage.settled();
    const before = backing.snapshot();
    const plainStore = kcm.store.createStore(backing);
    const listed = plainStore.list();
    assert.deepEqual(plain(listed.records), []);
    assert.deepEqual(plain(listed.skipped.map((s) => s.id)), ["a1"]);
    assert.deepEqual(plain(plainStore.quarantined()), []);
    assert.deepEqual(backing.snapshot(), before);
  });

  it("shows another tab's change once it is decrypted", async () => {
    const { backing, key } = await locked();
    const tabA = await openStore(backing, key);
    const tabB = await openStore(backing, key);
    tabB.store.save(assessment("b1", "Uit tab B"), 0);
    await tabB.storage.settled();
    assert.equal(tabA.store.load("b1").ok, false);
    await tabA.storage.external("kcm:v1:assessment:b1", backing.getItem("kcm:v1:assessment:b1"));
    assert.equal(tabA.store.load("b1").record.data.fields.naam_kandidaat, "Uit tab B");
    await tabA.storage.external("kcm:v1:assessment:b1", null);
    assert.equal(tabA.store.load("b1").ok, false);
  });

  it("reports a write to localStorage that fails (a full quota)", async () => {
    const { backing, key } = await locked();
    // Room for the plain index, not for the encrypted record.
    backing.quota = backing.used() + 120;
    const errors = [];
    const { storage, store } = await openStore(backing, key, { onWriteError: (error) => errors.push(error.name) });
    store.save(assessment("a1"), 0);
    await storage.settled();
    assert.deepEqual(errors, ["QuotaExceededError"]);
  });
});

describe("the encrypted mirror in IndexedDB", () => {
  const timers = { setTimeout, clearTimeout };
  const envelope = (id, rev, name = NAME) => ({ schema: 2, rev, saved_at: "2026-11-27T09:00:00Z", data: assessment(id, name) });

  it("writes only encrypted envelopes with a readable revision, and reads them back plain", async () => {
    const factory = new IDBFactory();
    const { key } = await locked();
    const mirror = kcm.storeDurable.create({ indexedDB: factory, ...timers, cipher: api.cipher(key) });
    assert.equal((await mirror.mirrorMany([envelope("a", 2), envelope("b", 1)])).ok, true);
    const raw = await kcm.storeDurable.create({ indexedDB: factory, ...timers }).all();
    assert.ok(!JSON.stringify(raw.entries).includes("Vries"));
    assert.deepEqual(raw.entries.map((e) => e.envelope.rev), [2, 1]);
    const opened = await mirror.all();
    assert.deepEqual(plain(opened.entries.map((e) => e.envelope)), plain([envelope("a", 2), envelope("b", 1)]));
  });

  it("never overwrites a newer revision, encrypted or not", async () => {
    const factory = new IDBFactory();
    const { key } = await locked();
    const mirror = kcm.storeDurable.create({ indexedDB: factory, ...timers, cipher: api.cipher(key) });
    await mirror.mirror("a", envelope("a", 3, "Nieuw"));
    assert.deepEqual(plain(await mirror.mirror("a", envelope("a", 2, "Oud"))), { ok: true, rev: 3 });
    assert.equal((await mirror.all()).entries[0].envelope.data.fields.naam_kandidaat, "Nieuw");
  });

  it("replaces everything at once when the lock is turned on or off", async () => {
    const factory = new IDBFactory();
    const { key } = await locked();
    const plainMirror = kcm.storeDurable.create({ indexedDB: factory, ...timers });
    await plainMirror.mirrorMany([envelope("a", 1), envelope("gone", 1)]);
    const lockedMirror = kcm.storeDurable.create({ indexedDB: factory, ...timers, cipher: api.cipher(key) });
    assert.equal((await lockedMirror.replaceAll([envelope("a", 1)])).ok, true);
    const raw = await plainMirror.all();
    assert.deepEqual(raw.entries.map((e) => e.id), ["a"]);
    assert.ok(raw.entries[0].envelope.encrypted);
    assert.equal((await plainMirror.replaceAll([envelope("a", 1)])).ok, true);
    assert.equal((await plainMirror.all()).entries[0].envelope.data.fields.naam_kandidaat, NAME);
  });

  it("encrypts what it finds stored plainly (a tab that mirrored before it knew of the lock)", async () => {
    const factory = new IDBFactory();
    const { key } = await locked();
    const plainMirror = kcm.storeDurable.create({ indexedDB: factory, ...timers });
    await plainMirror.mirror("a", envelope("a", 4));
    const lockedMirror = kcm.storeDurable.create({ indexedDB: factory, ...timers, cipher: api.cipher(key) });
    assert.equal((await lockedMirror.all()).entries[0].envelope.data.fields.naam_kandidaat, NAME);
    let raw;
    for (let i = 0; i < 50 && !(raw && raw.encrypted); i += 1) {
      await new Promise((resolve) => setTimeout(resolve, 10));
      raw = (await plainMirror.all()).entries[0].envelope;
    }
    assert.ok(raw.encrypted, "written back encrypted");
    assert.equal(raw.rev, 4);
    assert.equal((await lockedMirror.all()).entries[0].envelope.rev, 4);
  });

  it("leaves a record it cannot open as it is stored, for the keeper's checks to skip", async () => {
    const factory = new IDBFactory();
    const one = await locked();
    const two = await locked();
    await kcm.storeDurable.create({ indexedDB: factory, ...timers, cipher: api.cipher(one.key) }).mirror("a", envelope("a", 1));
    const seen = await kcm.storeDurable.create({ indexedDB: factory, ...timers, cipher: api.cipher(two.key) }).all();
    assert.equal(kcm.storeCodec.checkEnvelope("a", seen.entries[0].envelope).ok, false);
  });
});
