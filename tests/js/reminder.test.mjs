// reminder.js and store-device.js: the reminder to delete exported assessments, and what the
// device keeps for it. Run: node --test tests/js
import assert from "node:assert/strict";
import { describe, it } from "node:test";

import { MemoryStorage, loadScripts, plain } from "./harness.mjs";

const kcm = loadScripts("store-codec.js", "store-device.js", "reminder.js");
const DAY = 24 * 60 * 60 * 1000;
const NOW = Date.parse("2026-12-04T12:00:00Z");
const daysAgo = (n) => new Date(NOW - n * DAY).toISOString();
const record = (id, savedDaysAgo) => ({ id, rev: 1, saved_at: daysAgo(savedDaysAgo), data: { id } });

describe("which assessments are due", () => {
  for (const [label, exportedDaysAgo, savedDaysAgo, days, due] of [
    ["exported long enough ago", 31, 40, 30, true],
    ["exported exactly that long ago", 30, 40, 30, true],
    ["exported too recently", 29, 40, 30, false],
    ["changed after the export", 31, 10, 30, false],
    ["never exported", null, 40, 30, false],
    ["reminder off", 400, 500, null, false],
  ]) {
    it(label, () => {
      const exported = exportedDaysAgo === null ? {} : { a: daysAgo(exportedDaysAgo) };
      const list = kcm.reminder.due([record("a", savedDaysAgo)], exported, days, NOW);
      assert.equal(list.length, due ? 1 : 0);
    });
  }

  it("lists the oldest export first", () => {
    const list = kcm.reminder.due([record("new", 100), record("old", 100)], { new: daysAgo(8), old: daysAgo(50) }, 7, NOW);
    assert.deepEqual(plain(list.map((item) => item.record.id)), ["old", "new"]);
  });
});

describe("the reminder banner", () => {
  function setup(days) {
    const storage = new MemoryStorage();
    const device = kcm.storeDevice.create(storage);
    device.saveSettings({ deleteReminderDays: days });
    device.markExported(["a"], daysAgo(10), []);
    const banners = {};
    const removed = [];
    let answer = "yes";
    const ui = {
      showBanner: (topic, opts) => (banners[topic] = opts),
      clearBanner: (topic) => delete banners[topic],
      ask: () => Promise.resolve(answer),
      announce: () => {},
    };
    const reminder = kcm.reminder.create({
      device,
      records: () => [record("a", 20)],
      names: () => "Anna",
      day: (iso) => iso.slice(0, 10),
      ui,
      removeIds: (ids) => removed.push(...ids),
      now: () => NOW,
    });
    return { reminder, banners, removed, setAnswer: (a) => (answer = a) };
  }

  it("names the assessments and deletes them only after the assessor confirms", async () => {
    const { reminder, banners, removed, setAnswer } = setup(7);
    reminder.check();
    assert.match(banners.reminder.text[0], /^1 beoordeling is meer dan 7 dagen geleden geëxporteerd/);
    assert.deepEqual(plain(banners.reminder.list), ["Anna: geëxporteerd op " + daysAgo(10).slice(0, 10)]);
    setAnswer(null);
    await banners.reminder.actions[0].onClick();
    assert.deepEqual(removed, []);
    setAnswer("yes");
    await banners.reminder.actions[0].onClick();
    assert.deepEqual(removed, ["a"]);
  });

  it("stays away after 'Later' for the same assessments", () => {
    const { reminder, banners } = setup(7);
    reminder.check();
    banners.reminder.actions[1].onClick();
    reminder.check();
    assert.equal(banners.reminder, undefined);
  });

  it("says nothing when the reminder is off or the days have not passed", () => {
    for (const days of [null, 14]) {
      const { reminder, banners } = setup(days);
      reminder.check();
      assert.equal(banners.reminder, undefined);
    }
  });
});

describe("what the device keeps", () => {
  it("keeps export times only of assessments still stored", () => {
    const device = kcm.storeDevice.create(new MemoryStorage());
    device.markExported(["a", "b"], "2026-12-01T10:00:00Z", []);
    device.markExported(["c"], "2026-12-02T10:00:00Z", ["a"]);
    assert.deepEqual(plain(device.exported()), { a: "2026-12-01T10:00:00Z", c: "2026-12-02T10:00:00Z" });
  });

  for (const [stored, expected] of [
    [JSON.stringify({ schema: 1, deleteReminderDays: 30 }), 30],
    [JSON.stringify({ schema: 1, deleteReminderDays: 31 }), null],
    [JSON.stringify({ schema: 1, deleteReminderDays: "30" }), null],
    ["{kapot", null],
  ]) {
    it(`reads the reminder's days from ${stored}`, () => {
      const storage = new MemoryStorage();
      storage.setItem("kcm:v1:settings", stored);
      assert.equal(kcm.storeDevice.create(storage).settings().deleteReminderDays, expected);
    });
  }

  it("says in Dutch when a setting cannot be saved", () => {
    const storage = new MemoryStorage();
    storage.failWrites = true;
    const saved = kcm.storeDevice.create(storage).saveSettings({ deleteReminderDays: 7 });
    assert.equal(saved.ok, false);
    assert.match(saved.message, /staat opslaan voor deze site niet toe/);
  });
});
