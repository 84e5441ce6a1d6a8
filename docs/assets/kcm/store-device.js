// store-device.js: what the checklist keeps about this device next to the assessments
// (STORAGE.md): when each assessment was last exported from it, and the
// assessor's settings. Both are store-codec.js keys:
//   kcm:v1:exported   {"schema": 1, "at": {id: iso}}   (encrypted with the passphrase lock on)
//   kcm:v1:settings   {"schema": 1, "deleteReminderDays": n | null}
// An unreadable value counts as empty: neither is ever the only copy of anything.
//
// Classic script (see store.js for why); defines globalThis.kcm.storeDevice; needs
// store-codec.js. `storage` is the same Storage store.js writes (with the lock on, the
// decrypting one from store-crypto.js).
(function (root) {
  "use strict";

  const codec = root.kcm.storeCodec;
  const SCHEMA = 1;
  // The reminder's choices in the page; a stored value outside them is ignored.
  const REMINDER_DAYS = [7, 14, 30, 60, 90];

  function create(storage) {
    // The last text read per key and what it parsed to: the reminder asks after every change
    // of the list, and the text rarely changed since.
    const parsed = new Map();

    function read(key) {
      let raw = null;
      try {
        raw = storage ? storage.getItem(key) : null;
      } catch (_error) {
        return null;
      }
      const known = parsed.get(key);
      if (known && known.raw === raw) {
        return known.value;
      }
      let value = null;
      try {
        value = raw === null ? null : codec.safeParse(raw);
      } catch (_error) {
        value = null;
      }
      const usable = codec.isPlainObject(value) && value.schema === SCHEMA ? value : null;
      parsed.set(key, { raw: raw, value: usable });
      return usable;
    }

    // Writes and reads back, as store.js does. Returns {ok: true} or {ok: false, message}.
    function write(key, value) {
      const text = JSON.stringify(Object.assign({ schema: SCHEMA }, value));
      try {
        storage.setItem(key, text);
        if (storage.getItem(key) === text) {
          return { ok: true };
        }
        const mismatch = new Error("read back mismatch");
        mismatch.name = "ReadBackMismatch";
        return { ok: false, message: codec.describeWriteError(mismatch) };
      } catch (error) {
        return { ok: false, message: codec.describeWriteError(error) };
      }
    }

    // id -> when it was last exported (ISO), for the assessments exported from this device.
    function exported() {
      const value = read(codec.EXPORTED_KEY);
      const at = value && codec.isPlainObject(value.at) ? value.at : {};
      const out = {};
      Object.keys(at).forEach((id) => {
        if (typeof at[id] === "string") {
          out[id] = at[id];
        }
      });
      return out;
    }

    // Notes that `ids` were exported at `at`; `keep`: the ids still stored (entries of deleted
    // assessments are dropped here, so the value never grows beyond the list).
    function markExported(ids, at, keep) {
      const next = {};
      const known = exported();
      keep.forEach((id) => {
        if (known[id]) {
          next[id] = known[id];
        }
      });
      ids.forEach((id) => {
        next[id] = at;
      });
      return write(codec.EXPORTED_KEY, { at: next });
    }

    function settings() {
      const value = read(codec.SETTINGS_KEY);
      const days = value ? value.deleteReminderDays : null;
      return { deleteReminderDays: REMINDER_DAYS.indexOf(days) === -1 ? null : days };
    }

    function saveSettings(changes) {
      return write(codec.SETTINGS_KEY, Object.assign(settings(), changes));
    }

    return { exported: exported, markExported: markExported, settings: settings, saveSettings: saveSettings };
  }

  root.kcm = root.kcm || {};
  root.kcm.storeDevice = { REMINDER_DAYS: REMINDER_DAYS, create: create };
})(globalThis);
