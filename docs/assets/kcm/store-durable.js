// store-durable.js: a copy of every stored assessment in IndexedDB, on disk before the page
// says "Opgeslagen" (ARCHITECTURE.md section 6, Storage).
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
// store.js writes, as an object: {schema: 1, rev, saved_at, data}. No list order is kept here:
// store.js's index puts a record that comes back at the top, which is where it was.
//
// Two parts:
// - create({indexedDB, setTimeout, clearTimeout}): the mirror. open(), mirror(id, envelope),
//   mirrorMany(envelopes), forget(id), forgetAll(), all(). Every call returns a Promise that
//   never rejects: {ok: true, ...}, or {ok: false, reason: "unavailable" (no usable IndexedDB
//   at all) | "write-failed" | "read-failed", errorName, message} with a Dutch message.
// - keeper({mirror, store, ui, exportNow}): keeps the mirror in step with store.js for
//   session.js: mirrors every save and says when it is on disk, puts back after a crash what
//   localStorage lost, and copies in what the mirror does not hold yet (records saved before
//   this file existed, an import, a mirror that failed).
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
  // Failed mirrors in a row before the status line is not enough and a banner asks to export.
  const FAILURES_FOR_BANNER = 3;

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

    // Writes each [id, envelope] unless the stored revision is the same or newer, checked in
    // the same transaction: a slower tab never overwrites a newer revision. Resolves {ok: true,
    // revs}: per entry the revision now on disk (its own, or the newer one found).
    function write(entries) {
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
      }).then((result) => (result.ok ? { ok: true, entries: result.value || [] } : result));
    }

    return {
      open: () => connect().then((c) => (c.ok ? { ok: true } : c)),
      mirror: mirror,
      mirrorMany: mirrorMany,
      forget: forget,
      forgetAll: forgetAll,
      all: all,
    };
  }

  // -----------------------------------------------------------------------------------------
  // The keeper: session.js's side of the mirror.
  //
  // options: {mirror (create() above), store (store.js), ui: {showBanner, clearBanner,
  // durableInfo(text): the line under the storage line}, exportNow}.
  function keeper(options) {
    const mirror = options.mirror;
    const store = options.store;
    const ui = options.ui;
    // id -> the revision the mirror is known to hold on disk.
    const known = new Map();
    // id -> {rev, promise} of the newest mirror of that record still running.
    const inFlight = new Map();
    // The failure that showed the mirror cannot be used at all; null while it can.
    let unavailable = null;
    let failuresInARow = 0;
    // restore()'s promise: saves wait for it while it runs (settled false), so the copy on disk
    // is compared first; after it, saves are mirrored at once, so sync() sees them in flight.
    let ready = Promise.resolve();
    let settled = true;
    let started = false;

    function envelopeOf(record) {
      return { schema: codec.SCHEMA, rev: record.rev, saved_at: record.saved_at, data: record.data };
    }

    function noteOutcome(outcome) {
      if (outcome.ok) {
        if (failuresInARow) {
          failuresInARow = 0;
          ui.clearBanner("durable");
        }
        return;
      }
      if (outcome.reason === "unavailable") {
        if (!unavailable) {
          unavailable = outcome;
          ui.durableInfo(
            "Opslaan op schijf: " +
              lowerFirst(outcome.message) +
              " De browser bewaart wat je invult wel, maar schrijft het pas later op schijf. Valt de computer uit, dan kan het laatste werk weg zijn. Exporteer elke beoordeling als bestand.",
          );
        }
        return;
      }
      failuresInARow += 1;
      if (failuresInARow >= FAILURES_FOR_BANNER) {
        ui.showBanner("durable", {
          kind: "warning",
          title: "Niet zeker op schijf opgeslagen",
          text: [outcome.message, "Je wijzigingen staan in deze browser, maar als de computer nu uitvalt, kunnen ze weg zijn. Exporteer de beoordeling als bestand."],
          actions: [{ label: "Exporteer nu", kind: "primary", onClick: options.exportNow, attrs: { "data-action": "export-now" } }],
          dismiss: true,
        });
      }
    }

    // Mirrors `records` ({id, rev, saved_at, data}) in one transaction.
    function write(records) {
      const promise = mirror.mirrorMany(records.map(envelopeOf)).then((outcome) => {
        records.forEach((record, i) => {
          const entry = inFlight.get(record.id);
          if (entry && entry.promise === promise) {
            inFlight.delete(record.id);
          }
          if (outcome.ok) {
            known.set(record.id, outcome.revs[i]);
          }
        });
        noteOutcome(outcome);
        return outcome.ok ? { ok: true } : outcome;
      });
      records.forEach((record) => inFlight.set(record.id, { rev: record.rev, promise: promise }));
      return promise;
    }

    // A save of store.js: mirrored now. Resolves {ok: true} once this revision (or a newer
    // one) is on disk, else the failure.
    function save(record) {
      return settled ? Promise.resolve(unavailable || write([record])) : ready.then(() => save(record));
    }

    // A stored record opened: resolves {ok: true} once the mirror holds it (at once when it is
    // known to), mirroring it when needed.
    function confirm(record) {
      if (!settled) {
        return ready.then(() => confirm(record));
      }
      if (unavailable || (known.get(record.id) || 0) >= record.rev) {
        return Promise.resolve(unavailable || { ok: true });
      }
      const entry = inFlight.get(record.id);
      return entry && entry.rev >= record.rev ? entry.promise : write([record]);
    }

    // store.js's records (the list after each change): mirrors those the mirror lacks or holds
    // an older revision of, and forgets what it knew of records no longer there (deleted,
    // perhaps in another tab, so a record made again with the same id is mirrored anew).
    // keepKnown: `records` is not the whole list (restore's list from before it put some back).
    function sync(records, keepKnown) {
      if (!started || unavailable) {
        return;
      }
      const present = new Set();
      const missing = records.filter((record) => {
        present.add(record.id);
        const entry = inFlight.get(record.id);
        return record.rev > Math.max(known.get(record.id) || 0, entry ? entry.rev : 0);
      });
      known.forEach((_rev, id) => {
        if (!present.has(id) && !keepKnown) {
          known.delete(id);
        }
      });
      if (missing.length) {
        write(missing);
      }
    }

    // After the page started from localStorage: every mirrored record whose revision is
    // newer than localStorage's, or that localStorage lost, goes back through store.js (with
    // its rev and saved_at). Mirrored records that cannot be read, or come from a newer
    // version of the site, are left alone, there and here. Then `records` (store.js's list at
    // the start) that the mirror lacks are mirrored: the records saved before this file
    // existed, or whose mirror never completed. Resolves {ok, restored: [ids]}.
    function restore(records) {
      settled = false;
      ready = mirror.all().then((outcome) => {
        started = true;
        settled = true;
        if (!outcome.ok) {
          noteOutcome(outcome);
          sync(records || [], true);
          return { ok: false, reason: outcome.reason, message: outcome.message, restored: [] };
        }
        const back = [];
        outcome.entries.forEach((entry) => {
          const checked = codec.checkEnvelope(entry.id, entry.envelope);
          if (!checked.ok) {
            return;
          }
          known.set(entry.id, checked.record.rev);
          // store.load reads the cache store.list() filled at the start: cheap when nothing
          // was lost, which is nearly always.
          const local = store.load(entry.id);
          if (local.ok ? local.record.rev >= checked.record.rev : local.reason === "future") {
            return;
          }
          const put = store.restore(checked.record);
          if (put.ok && put.restored) {
            back.push(entry.id);
          }
        });
        sync(records || [], true);
        if (back.length) {
          ui.showBanner("restored", {
            kind: "info",
            title: "Teruggezet",
            text:
              back.length === 1
                ? "Na een onderbreking is 1 beoordeling teruggezet uit de opslag op schijf."
                : "Na een onderbreking zijn " + back.length + " beoordelingen teruggezet uit de opslag op schijf.",
          });
        }
        return { ok: true, restored: back };
      });
      return ready;
    }

    function forget(id) {
      known.delete(id);
      return unavailable ? Promise.resolve(unavailable) : mirror.forget(id);
    }

    function forgetAll() {
      known.clear();
      return mirror.forgetAll();
    }

    // The save status for session.js: show(kind, text) at once, and again once the mirror has
    // answered; only then, and only when it holds this revision on disk, "Opgeslagen". `at`
    // says when ("om 10:12:03"); fresh: just saved (mirrored now), else an opened record.
    function report(record, at, fresh, show) {
      show("pending", fresh ? "Wordt opgeslagen…" : "Bewaard in deze browser " + at + ".");
      (fresh ? save(record) : confirm(record)).then((outcome) => {
        const shown = status(outcome, at);
        show(shown.kind, shown.text);
      });
    }

    function status(outcome, at) {
      if (outcome.ok) {
        return { kind: "ok", text: "Opgeslagen in deze browser " + at + "." };
      }
      if (outcome.reason === "unavailable") {
        return { kind: "ok", text: "Bewaard in deze browser " + at + "." };
      }
      const message = lowerFirst(outcome.message).replace(/\.$/, "");
      return { kind: "warning", text: "Bewaard in deze browser, maar niet zeker op schijf: " + message + ". Exporteer de beoordeling als bestand." };
    }

    return { restore: restore, save: save, confirm: confirm, report: report, sync: sync, forget: forget, forgetAll: forgetAll, status: status };
  }

  function lowerFirst(text) {
    return text ? text.charAt(0).toLowerCase() + text.slice(1) : text;
  }

  root.kcm = root.kcm || {};
  root.kcm.storeDurable = {
    DB_NAME: DB_NAME,
    DB_VERSION: DB_VERSION,
    RECORDS: RECORDS,
    create: create,
    keeper: keeper,
  };
})(globalThis);
