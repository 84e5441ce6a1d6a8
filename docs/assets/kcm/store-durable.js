// store-durable.js: a copy of every stored assessment in IndexedDB, on disk before the page
// says "Opgeslagen" (STORAGE.md).
//
// Why a second copy: Chromium writes localStorage to disk lazily, a second or more after
// setItem returned, and store.js's read-back only sees the page's memory; a browser killed in
// between (a crash, an OS kill, a flat battery) lost the change. localStorage stays the working
// copy: it is synchronous, so saves are instant, ticking works before anything else has loaded
// and session.js needs no callbacks; it carries the revision checks between tabs; and its
// `storage` events tell other tabs of every change. IndexedDB can promise the disk: a readwrite
// transaction opened with {durability: "strict"} fires `complete` only after its data is
// flushed. So every save is mirrored there, and "Opgeslagen" waits for that `complete`.
//
// Database "kcm", version 1, object store "records": key the assessment id, value the envelope
// store.js writes, as an object: {schema: 2, rev, saved_at, data}; with the passphrase lock on
// (store-crypto.js), {schema: 2, rev, encrypted: {iv, data}}. No list order is kept here:
// store.js's index puts a record that comes back at the top, which is where it was.
//
// create({indexedDB, setTimeout, clearTimeout, cipher}): the mirror. open(), mirror(id,
// envelope), mirrorMany(envelopes), replaceAll(envelopes), forget(id), forgetAll(), all().
// Every call returns a Promise that never rejects: {ok: true, ...}, or {ok: false, reason:
// "unavailable" (no usable IndexedDB at all) | "write-failed" | "read-failed", errorName,
// message} with a Dutch message. `cipher` ({wrap(id, envelope), unwrap(id, stored)}, both
// Promises; store-crypto.js) encrypts what goes to disk and decrypts what comes back; without
// it envelopes are stored as they are. store-keeper.js keeps the mirror in step with store.js.
//
// Classic script (see store.js for why); defines globalThis.kcm.storeDurable; needs
// store-codec.js. Node tests pass fake-indexeddb as `indexedDB`.
(function (root) {
  "use strict";

  const codec = root.kcm.storeCodec;
  const DB_NAME = "kcm";
  const DB_VERSION = 1;
  const RECORDS = "records";
  // Safari 14.1 could leave indexedDB.open() unanswered: after this long the mirror counts as
  // unavailable instead of keeping every save waiting.
  const OPEN_TIMEOUT_MS = 10000;
  const DELETE_TIMEOUT_MS = 10000;

  function named(name) {
    const error = new Error(name);
    error.name = name;
    return error;
  }

  function describe(error) {
    const name = error && error.name ? String(error.name) : "";
    if (name === "QuotaExceededError") {
      return "De opslagruimte van de browser is vol.";
    }
    if (name === "NoIndexedDB") {
      return "Deze browser heeft geen opslag op schijf (IndexedDB) voor deze pagina.";
    }
    if (name === "SecurityError" || name === "InvalidAccessError" || name === "NotAllowedError") {
      return "De browser staat opslaan op schijf voor deze site niet toe (bijvoorbeeld in een privévenster of door de instellingen).";
    }
    if (name === "VersionError") {
      return "De opslag op schijf is gemaakt door een nieuwere versie van deze site. Herlaad de pagina.";
    }
    if (name === "Timeout") {
      return "De opslag op schijf reageert niet.";
    }
    return "De browser kon niet op schijf opslaan" + (name ? " (" + name + ")." : ".");
  }

  function failure(reason, error) {
    return { ok: false, reason: reason, errorName: error && error.name ? String(error.name) : "", message: describe(error) };
  }

  function create(options) {
    const factory = options.indexedDB || null;
    const setTimer = options.setTimeout;
    const clearTimer = options.clearTimeout;
    const cipher = options.cipher || null;
    // The open connection as a Promise of {ok: true, db} or a failure; null: open it (again)
    // at the next call. A failure to open is kept: the page then works as before, without
    // asking again on every save.
    let connecting = null;

    function connect() {
      if (!connecting) {
        connecting = openDatabase();
      }
      return connecting;
    }

    function openDatabase() {
      const attempt = new Promise((resolve) => {
        if (!factory) {
          resolve(failure("unavailable", named("NoIndexedDB")));
          return;
        }
        let request;
        try {
          request = factory.open(DB_NAME, DB_VERSION);
        } catch (error) {
          resolve(failure("unavailable", error));
          return;
        }
        let settled = false;
        const timer = setTimer(() => {
          settled = true;
          resolve(failure("unavailable", named("Timeout")));
        }, OPEN_TIMEOUT_MS);
        request.onupgradeneeded = () => {
          const db = request.result;
          if (!db.objectStoreNames.contains(RECORDS)) {
            db.createObjectStore(RECORDS);
          }
        };
        request.onsuccess = () => {
          const db = request.result;
          clearTimer(timer);
          if (settled) {
            db.close();
            return;
          }
          settled = true;
          const drop = () => {
            if (connecting === attempt) {
              connecting = null;
            }
          };
          // Another tab deletes the database ("Alles verwijderen"): let it, open anew later.
          db.onversionchange = () => {
            db.close();
            drop();
          };
          // The browser closed it (site data cleared in its settings): open anew later.
          db.onclose = drop;
          resolve({ ok: true, db: db });
        };
        request.onerror = (event) => {
          clearTimer(timer);
          if (event && typeof event.preventDefault === "function") {
            event.preventDefault();
          }
          if (!settled) {
            settled = true;
            resolve(failure("unavailable", request.error));
          }
        };
        // "blocked" only happens while another tab deletes the database; "success" follows.
      });
      return attempt;
    }

    // Runs work(objectStore, box) in one transaction and resolves {ok: true, value: box.value}
    // on `complete`: for readwrite, with strict durability, only once the data is on disk.
    function run(mode, work, retried) {
      return connect().then((connection) => {
        if (!connection.ok) {
          return connection;
        }
        const failReason = mode === "readwrite" ? "write-failed" : "read-failed";
        return new Promise((resolve) => {
          let tx;
          try {
            tx = mode === "readwrite" ? connection.db.transaction([RECORDS], mode, { durability: "strict" }) : connection.db.transaction([RECORDS], mode);
          } catch (error) {
            // Closed under us (another tab deleted the database): once more on a new connection.
            if (!retried && error && error.name === "InvalidStateError") {
              connecting = null;
              resolve(run(mode, work, true));
              return;
            }
            resolve(failure(failReason, error));
            return;
          }
          const box = { value: undefined, error: null };
          tx.oncomplete = () => resolve({ ok: true, value: box.value });
          tx.onabort = () => resolve(failure(failReason, box.error || tx.error || named("AbortError")));
          try {
            work(tx.objectStore(RECORDS), box);
          } catch (error) {
            box.error = error;
            try {
              tx.abort();
            } catch (_error) {
              // Already finishing; onabort or oncomplete still reports.
            }
          }
        });
      });
    }

    // [id, what is stored] for each [id, envelope]: encrypted first when there is a cipher
    // (before the transaction: it would end while waiting for Web Crypto).
    function prepare(entries) {
      if (!cipher) {
        return Promise.resolve(entries);
      }
      return Promise.all(entries.map((entry) => cipher.wrap(entry[0], entry[1]).then((stored) => [entry[0], stored]))).then(
        (wrapped) => wrapped,
        (error) => ({ failed: failure("write-failed", error) }),
      );
    }

    // Writes each [id, envelope] unless the stored revision is the same or newer, checked in
    // the same transaction: a slower tab never overwrites a newer revision. Resolves {ok: true,
    // revs}: per entry the revision now on disk (its own, or the newer one found).
    function write(plainEntries) {
      return prepare(plainEntries).then((entries) => (entries.failed ? entries.failed : writePrepared(entries)));
    }

    function writePrepared(entries) {
      return run("readwrite", (records, box) => {
        box.value = entries.map(() => 0);
        entries.forEach((entry, i) => {
          const request = records.get(entry[0]);
          request.onsuccess = () => {
            const stored = request.result;
            const storedRev = stored && Number.isInteger(stored.rev) ? stored.rev : 0;
            if (storedRev >= entry[1].rev) {
              box.value[i] = storedRev;
            } else {
              records.put(entry[1], entry[0]);
              box.value[i] = entry[1].rev;
            }
          };
        });
      }).then((result) => (result.ok ? { ok: true, revs: result.value } : result));
    }

    function mirror(id, envelope) {
      return write([[id, envelope]]).then((result) => (result.ok ? { ok: true, rev: result.revs[0] } : result));
    }

    function mirrorMany(envelopes) {
      return write(envelopes.map((envelope) => [envelope.data.id, envelope]));
    }

    // Everything in the mirror becomes `envelopes`, in one transaction: turning the passphrase
    // lock on or off rewrites every record encrypted or plain, and never leaves a mix on disk.
    function replaceAll(envelopes) {
      return prepare(envelopes.map((envelope) => [envelope.data.id, envelope])).then((entries) =>
        entries.failed
          ? entries.failed
          : run("readwrite", (records) => {
              records.clear();
              entries.forEach((entry) => records.put(entry[1], entry[0]));
            }),
      );
    }

    function forget(id) {
      return run("readwrite", (records) => {
        records.delete(id);
      });
    }

    // "Alles verwijderen": the database itself goes, so the browser keeps no trace of it. Asked
    // at once (not after open), so it is ahead of anything asked later. Open connections,
    // this tab's too, close on "versionchange" and open a new database at their next write.
    function forgetAll() {
      return new Promise((resolve) => {
        if (!factory) {
          resolve(failure("unavailable", named("NoIndexedDB")));
          return;
        }
        let request;
        try {
          request = factory.deleteDatabase(DB_NAME);
        } catch (error) {
          resolve(failure("unavailable", error));
          return;
        }
        const timer = setTimer(() => resolve(failure("write-failed", named("Timeout"))), DELETE_TIMEOUT_MS);
        request.onsuccess = () => {
          clearTimer(timer);
          resolve({ ok: true });
        };
        request.onerror = (event) => {
          clearTimer(timer);
          if (event && typeof event.preventDefault === "function") {
            event.preventDefault();
          }
          resolve(failure("write-failed", request.error));
        };
      });
    }

    // Every mirrored record as {id, envelope}, in id order.
    function all() {
      return run("readonly", (records, box) => {
        const keys = records.getAllKeys();
        const values = records.getAll();
        values.onsuccess = () => {
          box.value = keys.result.map((id, i) => ({ id: id, envelope: values.result[i] }));
        };
      }).then((result) => {
        if (!result.ok) {
          return result;
        }
        const entries = result.value || [];
        if (!cipher) {
          return { ok: true, entries: entries };
        }
        // A record this key cannot open comes back as it is stored: the keeper's checks then
        // leave it alone.
        return Promise.all(entries.map((entry) => cipher.unwrap(entry.id, entry.envelope).then((envelope) => ({ id: entry.id, envelope: envelope })))).then(
          (opened) => {
            encryptPlain(entries.filter((entry) => codec.isPlainObject(entry.envelope) && !codec.isPlainObject(entry.envelope.encrypted) && Number.isInteger(entry.envelope.rev)));
            return { ok: true, entries: opened };
          },
          (error) => failure("read-failed", error),
        );
      });
    }

    // Plain envelopes met with a cipher (the lock was turned on while another tab still
    // mirrored plainly, or turning it off stopped half-way) are written back encrypted, each
    // only if it is still the same plain revision.
    function encryptPlain(plainEntries) {
      if (!plainEntries.length) {
        return Promise.resolve({ ok: true });
      }
      return prepare(plainEntries.map((entry) => [entry.id, entry.envelope])).then((sealed) =>
        sealed.failed
          ? sealed.failed
          : run("readwrite", (records) => {
              sealed.forEach((entry) => {
                const request = records.get(entry[0]);
                request.onsuccess = () => {
                  const now = request.result;
                  if (codec.isPlainObject(now) && !codec.isPlainObject(now.encrypted) && now.rev === entry[1].rev) {
                    records.put(entry[1], entry[0]);
                  }
                };
              });
            }),
      );
    }

    return {
      open: () => connect().then((c) => (c.ok ? { ok: true } : c)),
      mirror: mirror,
      mirrorMany: mirrorMany,
      replaceAll: replaceAll,
      forget: forget,
      forgetAll: forgetAll,
      all: all,
    };
  }

  root.kcm = root.kcm || {};
  root.kcm.storeDurable = {
    DB_NAME: DB_NAME,
    DB_VERSION: DB_VERSION,
    RECORDS: RECORDS,
    create: create,
  };
})(globalThis);
