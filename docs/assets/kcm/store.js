// store.js: the only code that touches localStorage (STORAGE.md).
//
// The keys and the envelope stored under them are store-codec.js's (loaded first).
//
// Rules:
// - every write is read back; only a write that reads back identical counts as saved;
// - a failed write (quota, private mode, storage switched off) is returned as a failure with a
//   Dutch message, never swallowed; the old value is then still in place;
// - a save names the revision it was based on; when the stored record has moved on (another
//   tab saved in between) the save is refused with the newer record, so the caller can merge
//   and never overwrites a newer change;
// - a record that cannot be parsed is moved aside to a quarantine key and reported.
//
// Classic script, not an ES module: Chromium refuses module scripts on file:// pages and the
// checklist must still save there. It defines globalThis.kcm.store (with the codec's keys and
// parsers, so callers need only this one); tests load it into a node:vm context with an
// in-memory Storage.
(function (root) {
  "use strict";

  const codec = root.kcm.storeCodec;
  const SCHEMA = codec.SCHEMA;
  const INDEX_KEY = codec.INDEX_KEY;
  const PROBE_KEY = codec.PROBE_KEY;
  const isPlainObject = codec.isPlainObject;
  const recordKey = codec.recordKey;
  const keyKind = codec.keyKind;
  const parseEnvelope = codec.parseEnvelope;
  const describeWriteError = codec.describeWriteError;

  function createStore(storage, options) {
    const opts = options || {};
    const now = opts.now || function () {
      return new Date().toISOString();
    };

    function noStorageError() {
      const error = new Error("no storage");
      error.name = "NoStorage";
      return error;
    }

    // setItem + read back. Returns null when saved, else the error.
    function writeRaw(key, text) {
      if (!storage) {
        return noStorageError();
      }
      try {
        storage.setItem(key, text);
      } catch (error) {
        return error;
      }
      let back;
      try {
        back = storage.getItem(key);
      } catch (error) {
        return error;
      }
      if (back !== text) {
        const error = new Error("read back mismatch");
        error.name = "ReadBackMismatch";
        return error;
      }
      return null;
    }

    function readRaw(key) {
      if (!storage) {
        return null;
      }
      try {
        return storage.getItem(key);
      } catch (_error) {
        return null;
      }
    }

    function removeRaw(key) {
      if (storage) {
        try {
          storage.removeItem(key);
        } catch (_error) {
          // Removing cannot run into the quota; a storage that refuses even this is reported
          // by the write probe already.
        }
      }
    }

    function allKeys() {
      const keys = [];
      if (!storage) {
        return keys;
      }
      try {
        // Read once: the lock's decrypting storage (store-crypto.js) lists its keys on each
        // read of `length`.
        const count = storage.length;
        for (let i = 0; i < count; i += 1) {
          const key = storage.key(i);
          if (key !== null) {
            keys.push(key);
          }
        }
      } catch (_error) {
        return keys;
      }
      return keys;
    }

    function failure(error) {
      return { ok: false, reason: "write-failed", errorName: error && error.name ? String(error.name) : "", message: describeWriteError(error) };
    }

    // Start-up write test (as Enketo does): can this browser store anything at all?
    function probe() {
      const token = "probe-" + Math.random().toString(36).slice(2) + "-" + Date.now();
      const error = writeRaw(PROBE_KEY, token);
      removeRaw(PROBE_KEY);
      return error ? failure(error) : { ok: true };
    }

    // Moves an unreadable value aside; returns the quarantine key, or null when even that
    // failed (then the value stays where it was, untouched).
    function quarantine(key, raw, reason) {
      const base = codec.quarantineBase(key);
      let target = base;
      for (let n = 2; readRaw(target) !== null; n += 1) {
        target = base + ":" + n;
      }
      const entry = codec.quarantineText(key, now(), reason, raw);
      if (writeRaw(target, entry) !== null) {
        return null;
      }
      removeRaw(key);
      return target;
    }

    function readIndex(problems) {
      const raw = readRaw(INDEX_KEY);
      if (raw === null) {
        return [];
      }
      const ids = codec.parseIndex(raw);
      if (ids !== null) {
        return ids;
      }
      const moved = quarantine(INDEX_KEY, raw, "lijst met beoordelingen onleesbaar");
      problems.push({ key: INDEX_KEY, id: null, reason: "De lijst met beoordelingen was onleesbaar; hij is opnieuw opgebouwd.", quarantineKey: moved });
      return [];
    }

    function writeIndex(ids) {
      return writeRaw(INDEX_KEY, codec.indexText(ids));
    }

    // Every readable record, in list order (index order, then records the index missed),
    // plus the problems met on the way. Unreadable records are quarantined here.
    function list() {
      const problems = [];
      const skipped = [];
      const indexIds = readIndex(problems);
      const stored = allKeys()
        .map(keyKind)
        .filter(function (kind) {
          return kind.kind === "record";
        })
        .map(function (kind) {
          return kind.id;
        });
      const storedSet = new Set(stored);
      const order = [];
      const seen = new Set();
      indexIds.forEach(function (id) {
        if (storedSet.has(id) && !seen.has(id)) {
          order.push(id);
          seen.add(id);
        }
      });
      stored
        .filter(function (id) {
          return !seen.has(id);
        })
        .sort()
        .forEach(function (id) {
          order.push(id);
          seen.add(id);
        });
      const records = [];
      order.forEach(function (id) {
        const result = load(id);
        if (result.ok) {
          records.push(result.record);
        } else if (result.reason === "corrupt") {
          problems.push({ key: recordKey(id), id: id, reason: result.message, quarantineKey: result.quarantineKey });
        } else if (result.reason === "future") {
          skipped.push({ key: recordKey(id), id: id, reason: result.message });
        }
      });
      const ids = records.map(function (r) {
        return r.id;
      }).concat(skipped.map(function (s) {
        return s.id;
      }));
      if (ids.join("\n") !== indexIds.join("\n") && storage) {
        // Repair only; the records are the truth. A failure here loses nothing.
        writeIndex(ids);
      }
      return { records: records, problems: problems, skipped: skipped };
    }

    // The last record read per key, with the text it came from. The page lists every record
    // after each change; with hundreds stored, parsing them all again for every keystroke would
    // make typing slow. A record whose text is unchanged is not parsed again. Callers never
    // change a record's data in place (assessment.js copies before every edit).
    const parsedCache = new Map();

    function load(id) {
      const key = recordKey(id);
      const raw = readRaw(key);
      if (raw === null) {
        parsedCache.delete(key);
        return { ok: false, reason: "missing" };
      }
      const cached = parsedCache.get(key);
      if (cached && cached.raw === raw) {
        return { ok: true, record: Object.assign({}, cached.record) };
      }
      const parsed = parseEnvelope(id, raw);
      if (parsed.ok) {
        parsedCache.set(key, { raw: raw, record: parsed.record });
        return { ok: true, record: Object.assign({}, parsed.record) };
      }
      parsedCache.delete(key);
      if (parsed.kind === "future") {
        return { ok: false, reason: "future", message: parsed.reason };
      }
      const moved = quarantine(key, raw, parsed.reason);
      return {
        ok: false,
        reason: "corrupt",
        message: "Een opgeslagen beoordeling (" + id + ") was onleesbaar: " + parsed.reason + ".",
        quarantineKey: moved,
      };
    }

    function addToIndex(id) {
      const ids = readIndex([]);
      if (ids.indexOf(id) === -1) {
        ids.unshift(id);
        writeIndex(ids);
      }
    }

    function removeFromIndex(id) {
      const ids = readIndex([]);
      const at = ids.indexOf(id);
      if (at !== -1) {
        ids.splice(at, 1);
        writeIndex(ids);
      }
    }

    function envelope(rev, data) {
      const savedAt = now();
      return { text: codec.envelopeText(rev, savedAt, data), savedAt: savedAt };
    }

    // Saves `data` (an assessment with data.id) on top of revision `baseRev` (0: a new record).
    // Results:
    //   {ok: true, rev, saved_at}
    //   {ok: false, reason: "conflict", current: record}   stored record is newer than baseRev
    //   {ok: false, reason: "exists", current: record}     new record, but the id is taken
    //   {ok: false, reason: "missing"}                     deleted meanwhile (elsewhere)
    //   {ok: false, reason: "write-failed", message}       nothing was saved
    function save(data, baseRev) {
      if (!isPlainObject(data) || typeof data.id !== "string" || !data.id) {
        throw new TypeError("save: data.id missing");
      }
      const id = data.id;
      const key = recordKey(id);
      const raw = readRaw(key);
      if (raw !== null) {
        const parsed = parseEnvelope(id, raw);
        if (parsed.ok) {
          if (baseRev === 0) {
            return { ok: false, reason: "exists", current: parsed.record };
          }
          if (parsed.record.rev !== baseRev) {
            return { ok: false, reason: "conflict", current: parsed.record };
          }
        } else if (parsed.kind === "future") {
          return { ok: false, reason: "conflict", current: null, message: parsed.reason };
        } else if (quarantine(key, raw, parsed.reason) === null) {
          // The unreadable old value could not be kept aside: do not overwrite it.
          return failure(new Error("quarantine failed"));
        }
      } else if (baseRev > 0) {
        return { ok: false, reason: "missing" };
      }
      const rev = Math.max(1, baseRev + 1);
      const env = envelope(rev, data);
      const error = writeRaw(key, env.text);
      if (error) {
        return failure(error);
      }
      addToIndex(id);
      return { ok: true, rev: rev, saved_at: env.savedAt };
    }

    // Puts back a record from the durable mirror (store-durable.js) after a crash lost it
    // here, keeping its rev and saved_at. Only over nothing or an older revision: a newer
    // record here wins. Results: {ok: true, restored: boolean} or a write failure.
    function restore(record) {
      const key = recordKey(record.id);
      const raw = readRaw(key);
      if (raw !== null) {
        const parsed = parseEnvelope(record.id, raw);
        if (parsed.ok ? parsed.record.rev >= record.rev : parsed.kind === "future") {
          return { ok: true, restored: false };
        }
        if (!parsed.ok && quarantine(key, raw, parsed.reason) === null) {
          return failure(new Error("quarantine failed"));
        }
      }
      const error = writeRaw(key, codec.envelopeText(record.rev, record.saved_at, record.data));
      if (error) {
        return failure(error);
      }
      addToIndex(record.id);
      return { ok: true, restored: true };
    }

    function remove(id) {
      removeRaw(recordKey(id));
      removeFromIndex(id);
      return { ok: true };
    }

    // Deletes every assessment, the index, what the device keeps about them (export times,
    // settings), the passphrase lock and (when asked) the quarantined records.
    // options.sitePrefix: the theme (Material for MkDocs) keeps the reader's settings, such as
    // the colour scheme, under "<site path>.__<name>". "Alles verwijderen" removes those too,
    // but never keys of other sites on the same origin (so no storage.clear()).
    function removeAll(options) {
      const withQuarantine = !options || options.quarantine !== false;
      const sitePrefix = options && options.sitePrefix ? options.sitePrefix : null;
      allKeys().forEach(function (key) {
        const kind = keyKind(key).kind;
        if (
          kind === "record" ||
          kind === "index" ||
          kind === "device" ||
          kind === "lock" ||
          (withQuarantine && kind === "quarantine") ||
          (sitePrefix !== null && key.indexOf(sitePrefix) === 0)
        ) {
          removeRaw(key);
        }
      });
      return { ok: true };
    }

    // Writes many assessments at once (an import). `items`: [{data, baseRev}] where baseRev is
    // the revision the caller saw (0 for new). All or nothing: on a failed write or a conflict
    // every record written so far is put back as it was.
    function saveMany(items) {
      const undo = [];
      const written = [];
      for (let i = 0; i < items.length; i += 1) {
        const item = items[i];
        const key = recordKey(item.data.id);
        const before = readRaw(key);
        const result = save(item.data, item.baseRev);
        if (!result.ok) {
          for (let j = undo.length - 1; j >= 0; j -= 1) {
            if (undo[j].raw === null) {
              removeRaw(undo[j].key);
              removeFromIndex(undo[j].id);
            } else {
              writeRaw(undo[j].key, undo[j].raw);
            }
          }
          result.failedId = item.data.id;
          return result;
        }
        undo.push({ key: key, id: item.data.id, raw: before });
        written.push({ id: item.data.id, rev: result.rev, saved_at: result.saved_at });
      }
      return { ok: true, written: written };
    }

    function quarantined() {
      return allKeys()
        .filter(function (key) {
          return keyKind(key).kind === "quarantine";
        })
        .sort()
        .map(function (key) {
          return codec.parseQuarantine(key, readRaw(key));
        });
    }

    function discardQuarantined(key) {
      if (keyKind(key).kind === "quarantine") {
        removeRaw(key);
      }
      return { ok: true };
    }

    // The assessment this tab has open. Kept in sessionStorage (per tab, survives a reload),
    // so two tabs can each have their own assessment open.
    function makeSession(sessionStorage) {
      const key = codec.OPEN_KEY;
      return {
        get: function () {
          try {
            return sessionStorage ? sessionStorage.getItem(key) : null;
          } catch (_error) {
            return null;
          }
        },
        set: function (id) {
          try {
            if (!sessionStorage) {
              return;
            }
            if (id) {
              sessionStorage.setItem(key, id);
            } else {
              sessionStorage.removeItem(key);
            }
          } catch (_error) {
            // Only a convenience: which assessment a reloaded tab opens.
          }
        },
      };
    }

    return {
      available: Boolean(storage),
      probe: probe,
      list: list,
      load: load,
      save: save,
      saveMany: saveMany,
      restore: restore,
      remove: remove,
      removeAll: removeAll,
      quarantined: quarantined,
      discardQuarantined: discardQuarantined,
      session: makeSession(opts.sessionStorage || null),
    };
  }

  root.kcm.store = {
    SCHEMA: SCHEMA,
    PREFIX: codec.PREFIX,
    INDEX_KEY: INDEX_KEY,
    RECORD_PREFIX: codec.RECORD_PREFIX,
    QUARANTINE_PREFIX: codec.QUARANTINE_PREFIX,
    recordKey: recordKey,
    keyKind: keyKind,
    parseEnvelope: parseEnvelope,
    safeParse: codec.safeParse,
    describeWriteError: describeWriteError,
    createStore: createStore,
  };
})(globalThis);
