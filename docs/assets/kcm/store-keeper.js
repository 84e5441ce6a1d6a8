// store-keeper.js: keeps the durable mirror (store-durable.js) in step with store.js, for
// session.js (STORAGE.md): mirrors every save and says when it is on
// disk, puts back after a crash what localStorage lost, and copies in what the mirror does not
// hold yet (records saved before the mirror existed, an import, a mirror that failed).
//
// Classic script (see store.js for why); defines globalThis.kcm.storeKeeper; needs
// store-codec.js.
(function (root) {
  "use strict";

  const codec = root.kcm.storeCodec;
  // Failed mirrors in a row before the status line is not enough and a banner asks to export.
  const FAILURES_FOR_BANNER = 3;

  // options: {mirror (store-durable.js's create()), store (store.js), ui: {showBanner,
  // clearBanner, durableInfo(text): the line under the storage line}, exportNow}.
  function create(options) {
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
  root.kcm.storeKeeper = { create: create };
})(globalThis);
