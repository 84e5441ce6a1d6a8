// store-codec.js: the storage format of store.js (STORAGE.md), without any storage.
//
// Keys (all under the versioned namespace "kcm:v1:"):
//   kcm:v1:index                 {"schema": 1, "ids": [id, ...]}  order of the assessments list
//   kcm:v1:assessment:<id>       {"schema": 2, "rev": n, "saved_at": iso, "data": <assessment>}
//                                (schema 1: the same, written before assessments could hold
//                                `assessors` and `events`; still read)
//   kcm:v1:quarantine:<id>[:n]   a record that could not be read, kept aside (never deleted
//                                without the user asking): {"schema": 1, "key", "found_at",
//                                "reason", "raw"}
//   kcm:v1:exported              {"schema": 1, "at": {id: iso}}  when each assessment was last
//                                exported from this device (the reminder to delete, reminder.js)
//   kcm:v1:settings              {"schema": 1, "deleteReminderDays": n | null}
//   kcm:v1:lock                  the passphrase lock (store-crypto.js): salt, iteration count,
//                                a check value; present = the checklist is locked
//   kcm:v1:probe                 written and removed again by the start-up write test
//   kcm:v1:open                  (sessionStorage) the assessment this tab has open
//
// With the lock on, every value under the namespace except lock, settings and probe is stored
// encrypted: {"schema": 2, "encrypted": {"iv", "data"}} (store-crypto.js). Older copies of the
// page read schema 2 as "from a newer version" and leave it alone.
//
// What a key means, how an envelope is written and read back, and the Dutch sentence for a
// failed write: pure functions, so that the format can be read and tested on its own. store.js
// does the reading and writing, and exports these again as kcm.store.
//
// Classic script (see store.js for why); defines globalThis.kcm.storeCodec. Load it before
// store.js.
(function (root) {
  "use strict";

  // The record envelope's schema. 2: assessments may hold keys (assessors, events) that copies
  // of the page from before them refuse; such a copy (an old cached tab) skips schema 2 as "a
  // newer version" instead of quarantining it. Schema 1 records are read as they are.
  const SCHEMA = 2;
  const OLDEST_SCHEMA = 1;
  // The index, quarantine and settings formats did not change: older copies keep reading them.
  const INDEX_SCHEMA = 1;
  const PREFIX = "kcm:v1:";
  const INDEX_KEY = PREFIX + "index";
  const RECORD_PREFIX = PREFIX + "assessment:";
  const QUARANTINE_PREFIX = PREFIX + "quarantine:";
  const PROBE_KEY = PREFIX + "probe";
  const OPEN_KEY = PREFIX + "open";
  const EXPORTED_KEY = PREFIX + "exported";
  const SETTINGS_KEY = PREFIX + "settings";
  const LOCK_KEY = PREFIX + "lock";

  // JSON.parse keeps "__proto__" as an own key; dropping it here means no later copy of the
  // data can ever turn it into a prototype.
  // A reviver makes JSON.parse several times slower (about 16 ms instead of 4 for 1,000 stored
  // assessments), and the list reads every record when the page opens. Such a key can only be
  // written literally or with \u escapes, so text with neither cannot hold one.
  function safeParse(text) {
    const plain = String(text);
    if (plain.indexOf("__proto__") === -1 && plain.indexOf("\\u") === -1) {
      return JSON.parse(plain);
    }
    return JSON.parse(plain, function (key, value) {
      return key === "__proto__" ? undefined : value;
    });
  }

  function isPlainObject(value) {
    return value !== null && typeof value === "object" && !Array.isArray(value);
  }

  function recordKey(id) {
    return RECORD_PREFIX + id;
  }

  // What a storage key is, for the "storage" event of other tabs.
  function keyKind(key) {
    if (key === null || key === undefined) {
      return { kind: "all" };
    }
    if (key === INDEX_KEY) {
      return { kind: "index" };
    }
    if (key.startsWith(RECORD_PREFIX)) {
      return { kind: "record", id: key.slice(RECORD_PREFIX.length) };
    }
    if (key.startsWith(QUARANTINE_PREFIX)) {
      return { kind: "quarantine" };
    }
    if (key === EXPORTED_KEY || key === SETTINGS_KEY) {
      return { kind: "device" };
    }
    if (key === LOCK_KEY) {
      return { kind: "lock" };
    }
    return { kind: "other" };
  }

  // Where an unreadable value at `key` is kept aside (before a free ":n" is added).
  function quarantineBase(key) {
    const kind = keyKind(key);
    return QUARANTINE_PREFIX + (kind.kind === "record" ? kind.id : key.slice(PREFIX.length));
  }

  // A Dutch sentence for a failed write; the error name tells quota from "not allowed".
  function describeWriteError(error) {
    const name = error && error.name ? String(error.name) : "";
    if (name === "QuotaExceededError" || name === "NS_ERROR_DOM_QUOTA_REACHED") {
      return "De opslagruimte van de browser is vol.";
    }
    if (name === "SecurityError") {
      return "De browser staat opslaan voor deze site niet toe (bijvoorbeeld in een privévenster of door de instellingen).";
    }
    if (name === "ReadBackMismatch") {
      return "De browser gaf bij controle iets anders terug dan er was opgeslagen.";
    }
    if (name === "NoStorage") {
      return "Deze browser heeft geen lokale opslag beschikbaar voor deze pagina.";
    }
    return "De browser kon de gegevens niet opslaan" + (name ? " (" + name + ")." : ".");
  }

  // Checks the envelope of a stored record. Returns {ok, record} or {ok:false, kind, reason}.
  // kind "corrupt" gets quarantined; kind "future" (a newer schema, from a newer version of the
  // site) is left alone: it is valid data this code cannot read.
  function parseEnvelope(id, raw) {
    let value;
    try {
      value = safeParse(raw);
    } catch (error) {
      return { ok: false, kind: "corrupt", reason: "geen geldige JSON (" + error.message + ")" };
    }
    return checkEnvelope(id, value);
  }

  // The same checks for an envelope that is already an object (the durable mirror in
  // IndexedDB, store-durable.js, keeps envelopes as objects).
  function checkEnvelope(id, value) {
    if (!isPlainObject(value)) {
      return { ok: false, kind: "corrupt", reason: "geen object" };
    }
    if (typeof value.schema === "number" && value.schema > SCHEMA) {
      return { ok: false, kind: "future", reason: "opgeslagen door een nieuwere versie (schema " + value.schema + ")" };
    }
    if (isPlainObject(value.encrypted)) {
      // Only store-crypto.js, unlocked, can read it; never quarantined for being unreadable here.
      return { ok: false, kind: "future", reason: "versleuteld opgeslagen" };
    }
    if (typeof value.undecryptable === "string") {
      return { ok: false, kind: "corrupt", reason: "versleuteld, maar niet te openen met het wachtwoord" };
    }
    if (!Number.isInteger(value.schema) || value.schema < OLDEST_SCHEMA) {
      return { ok: false, kind: "corrupt", reason: "onbekend schema" };
    }
    if (!Number.isInteger(value.rev) || value.rev < 1) {
      return { ok: false, kind: "corrupt", reason: "ongeldige revisie" };
    }
    if (typeof value.saved_at !== "string") {
      return { ok: false, kind: "corrupt", reason: "moment van opslaan ontbreekt" };
    }
    if (!isPlainObject(value.data) || value.data.id !== id) {
      return { ok: false, kind: "corrupt", reason: "de beoordeling zelf ontbreekt of heeft een ander id" };
    }
    return { ok: true, record: { id: id, rev: value.rev, saved_at: value.saved_at, data: value.data } };
  }

  // The text stored for revision `rev` of `data`, saved at `savedAt`.
  function envelopeText(rev, savedAt, data) {
    return JSON.stringify({ schema: SCHEMA, rev: rev, saved_at: savedAt, data: data });
  }

  // The list order: the ids in the index, or null when the index cannot be read.
  function parseIndex(raw) {
    try {
      const value = safeParse(raw);
      if (isPlainObject(value) && value.schema === INDEX_SCHEMA && Array.isArray(value.ids) && value.ids.every(function (id) {
        return typeof id === "string";
      })) {
        return value.ids.slice();
      }
    } catch (_error) {
      // unreadable: null below
    }
    return null;
  }

  function indexText(ids) {
    return JSON.stringify({ schema: INDEX_SCHEMA, ids: ids });
  }

  function quarantineText(key, foundAt, reason, raw) {
    return JSON.stringify({ schema: INDEX_SCHEMA, key: key, found_at: foundAt, reason: reason, raw: raw });
  }

  // A quarantined value as the page lists it; `raw` is the text stored under `key`.
  function parseQuarantine(key, raw) {
    let entry = null;
    try {
      entry = safeParse(raw);
    } catch (_error) {
      entry = null;
    }
    if (!isPlainObject(entry)) {
      return { key: key, original: null, found_at: null, reason: "onleesbaar", raw: raw };
    }
    return {
      key: key,
      original: typeof entry.key === "string" ? entry.key : null,
      found_at: typeof entry.found_at === "string" ? entry.found_at : null,
      reason: typeof entry.reason === "string" ? entry.reason : "",
      raw: typeof entry.raw === "string" ? entry.raw : raw,
    };
  }

  root.kcm = root.kcm || {};
  root.kcm.storeCodec = {
    SCHEMA: SCHEMA,
    INDEX_SCHEMA: INDEX_SCHEMA,
    PREFIX: PREFIX,
    INDEX_KEY: INDEX_KEY,
    RECORD_PREFIX: RECORD_PREFIX,
    QUARANTINE_PREFIX: QUARANTINE_PREFIX,
    PROBE_KEY: PROBE_KEY,
    OPEN_KEY: OPEN_KEY,
    EXPORTED_KEY: EXPORTED_KEY,
    SETTINGS_KEY: SETTINGS_KEY,
    LOCK_KEY: LOCK_KEY,
    safeParse: safeParse,
    isPlainObject: isPlainObject,
    recordKey: recordKey,
    keyKind: keyKind,
    quarantineBase: quarantineBase,
    describeWriteError: describeWriteError,
    parseEnvelope: parseEnvelope,
    checkEnvelope: checkEnvelope,
    envelopeText: envelopeText,
    parseIndex: parseIndex,
    indexText: indexText,
    quarantineText: quarantineText,
    parseQuarantine: parseQuarantine,
  };
})(globalThis);
