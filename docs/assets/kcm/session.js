// session.js: the assessments of this tab: which one is open, its edits and how they are
// saved, the list, opening, starting and deleting.
//
// - Every edit is saved at once through store.js (and read back); a failed save is shown in a
//   banner with "Exporteer nu", never as saved. "Opgeslagen" means on disk (store-durable.js).
// - Two tabs never overwrite each other: when another tab saved the same assessment first, this
//   tab's edit is applied again on top of that newer record (assessment.js's applyEdit).
// - A final assessment, or one of another rubric version, takes no edits; only "reopen".
// - Scores come from scoring.js, which the session creates with its state and events;
//   finalize.js finalises and reopens through edit().
//
// No DOM here. The session keeps the state (session.state) and says when to draw it again with
// events, which app.js hands to views.js:
//   "form"          the open assessment changed (values, lock, title)
//   "result" entry  its score, or null: draw from what is known
//   "list" {later}  the list changed (later: answers arriving one by one, draw once per frame)
//   "opened"        another assessment is open now (announcements start afresh)
//   "focus" target  move the focus ({kind: "field"|"condition"|"criterion"|"title"|
//                   "first-field"|"lock-notice", id, role}; page.js finds the control)
// Banners, dialogs and messages go through the `ui` functions it is given (ui.js in the page).
//
// Classic script (see store.js for why); defines globalThis.kcm.session; needs assessment.js
// and scoring.js. create() takes every collaborator, so Node tests can pass fakes: {store,
// engine, rubric, now, ui: {showBanner, clearBanner, ask, announce, askPersistence, download,
// saveStatus}, exportNow, durable (store-durable.js's keeper)}.
(function (root) {
  "use strict";

  function timeOf(iso) {
    const d = new Date(iso);
    return Number.isNaN(d.getTime()) ? iso : d.toLocaleTimeString("nl-NL", { hour: "2-digit", minute: "2-digit", second: "2-digit" });
  }

  function create(options) {
    const A = root.kcm.assessment;
    const store = options.store;
    const engine = options.engine;
    const rubric = options.rubric;
    const now = options.now;
    const ui = options.ui;
    // Without a durable mirror (Node tests of other parts), saved means saved in localStorage.
    const durable = options.durable || { sync() {}, forget() {}, forgetAll() {}, report: (record, at, fresh, show) => show("ok", "Opgeslagen in deze browser " + at + ".") };
    const listeners = {};
    let statusSeq = 0;

    const state = {
      // The open assessment: {id, rev, data}; rev 0 = not stored yet. null = an empty form.
      current: null,
      // True when the last save of `current` failed: what is on screen is not stored.
      dirty: false,
      records: [],
      // The assessments list: the name filter, and whether all are listed or only the newest.
      listFilter: "",
      showAll: false,
      // Per assessment id: {updated, result, problems} from kcm_core; while asked {pending:
      // updated}, after a failed engine {failed: updated} (asked again once it is ready).
      scores: {},
      storageOk: true,
      scoreSeq: 0,
    };
    const scoring = root.kcm.scoring.create({ engine: engine, rubric: rubric, now: now, state: state, emit: emit });

    function on(name, fn) {
      (listeners[name] = listeners[name] || []).push(fn);
    }

    function emit(name, value) {
      (listeners[name] || []).forEach((fn) => fn(value));
    }

    function saveStatus(kind, text) {
      statusSeq += 1;
      ui.saveStatus(kind, text);
    }

    // The status of a record store.js holds (fresh: just saved), `at` ("om 10:12:03"): the
    // keeper says "Opgeslagen" only once the durable mirror holds it on disk. statusSeq counts
    // status changes, so a late answer never replaces a newer status.
    function savedStatus(record, at, fresh) {
      const seq = (statusSeq += 1);
      durable.report(record, at, fresh, (kind, text) => seq === statusSeq && ui.saveStatus(kind, text));
    }

    // ---------------------------------------------------------------------------------------
    // Editing and saving

    function editable() {
      return !state.current || (state.current.data.status !== "final" && A.belongsTo(state.current.data, rubric));
    }

    // Applies one edit to the open assessment (creating it on the first edit) and saves at once.
    // Refused (the form is drawn again as it was) when the assessment is final or foreign,
    // except "reopen" (finalize.js asks first).
    function edit(change) {
      if (change.type !== "reopen" && !editable()) {
        emit("form");
        return false;
      }
      const base = state.current || { id: null, rev: 0, data: A.newDraft(rubric, A.newId(), now()) };
      commit(A.applyEdit(base.data, change, now(), rubric), base.rev, change);
      return true;
    }

    function commit(data, baseRev, change) {
      let result = store.save(data, baseRev);
      let merged = false;
      // Another tab saved this assessment after we last read it: put this change on top of the
      // newer record instead of overwriting it. A few rounds at most; tabs do not type that fast.
      for (let round = 0; round < 3 && !result.ok && (result.reason === "conflict" || result.reason === "exists") && change; round += 1) {
        const latest = result.current;
        if (!latest) {
          break;
        }
        if (latest.data.status === "final" && change.type !== "reopen") {
          state.current = { id: latest.id, rev: latest.rev, data: latest.data };
          state.dirty = false;
          ui.showBanner("conflict", {
            kind: "warning",
            title: "Niet opgeslagen: al afgerond",
            text: "Deze beoordeling is in een ander tabblad afgerond. Je laatste wijziging is daarom niet opgeslagen. Heropen de beoordeling als je nog iets wilt veranderen.",
          });
          afterChange();
          return;
        }
        data = A.applyEdit(latest.data, change, now(), rubric);
        baseRev = latest.rev;
        merged = true;
        result = store.save(data, baseRev);
      }
      if (!result.ok && result.reason === "missing") {
        // Deleted in another tab while this tab was changing it: keep what is on screen.
        result = store.save(data, 0);
        if (result.ok) {
          ui.showBanner("conflict", {
            kind: "warning",
            title: "Opnieuw bewaard",
            text: "Deze beoordeling was in een ander tabblad verwijderd terwijl je hier nog iets veranderde. Je wijziging is bewaard, dus de beoordeling staat er weer. Verwijder hem opnieuw als dat de bedoeling was.",
          });
        }
      }
      if (result.ok) {
        state.current = { id: data.id, rev: result.rev, data: data };
        state.dirty = false;
        store.session.set(data.id);
        ui.clearBanner("save-failed");
        savedStatus({ id: data.id, rev: result.rev, saved_at: result.saved_at, data: data }, "om " + timeOf(result.saved_at), true);
        if (merged) {
          ui.showBanner("conflict", {
            kind: "info",
            title: "Samengevoegd",
            text: "Deze beoordeling is ook in een ander tabblad veranderd. Beide wijzigingen zijn bewaard.",
          });
        }
        ui.askPersistence();
      } else {
        state.current = { id: data.id, rev: baseRev, data: data };
        state.dirty = true;
        reportSaveFailure(result);
      }
      afterChange();
    }

    function reportSaveFailure(result) {
      const message = result.message || "De wijziging kon niet worden opgeslagen.";
      saveStatus("error", "NIET opgeslagen. " + message);
      ui.showBanner("save-failed", {
        kind: "error",
        title: "Niet opgeslagen",
        text: [
          message,
          "Wat je nu ziet staat alleen op het scherm en gaat verloren als je de pagina sluit. Exporteer de beoordeling nu als bestand.",
        ],
        actions: [{ label: "Exporteer nu", kind: "primary", onClick: options.exportNow, attrs: { "data-action": "export-now" } }],
        dismiss: false,
      });
    }

    // Retry a failed save (visibilitychange, pagehide, and before opening something else).
    function flush() {
      if (state.dirty && state.current) {
        const result = store.save(state.current.data, state.current.rev);
        if (result.ok) {
          state.current.rev = result.rev;
          state.dirty = false;
          ui.clearBanner("save-failed");
          savedStatus({ id: state.current.id, rev: result.rev, saved_at: result.saved_at, data: state.current.data }, "om " + timeOf(result.saved_at), true);
          refreshList();
        } else if (result.reason === "write-failed") {
          reportSaveFailure(result);
        }
      }
    }

    // ---------------------------------------------------------------------------------------
    // Opening, creating, deleting

    function open(record, openOptions) {
      flush();
      state.current = { id: record.id, rev: record.rev, data: record.data };
      state.dirty = false;
      emit("opened");
      store.session.set(record.id);
      ui.clearBanner("conflict");
      savedStatus(record, "op " + A.formatMoment(record.saved_at), false);
      afterChange();
      if (openOptions && openOptions.focus) {
        emit("focus", { kind: "title" });
      }
    }

    function openById(id) {
      const record = state.records.find((r) => r.id === id);
      if (record) {
        open(record, { focus: true });
      }
    }

    function startNew() {
      flush();
      state.current = null;
      state.dirty = false;
      emit("opened");
      store.session.set(null);
      ui.clearBanner("conflict");
      saveStatus("", "Nieuwe beoordeling. Wat je invult, wordt meteen in deze browser opgeslagen.");
      afterChange();
      emit("focus", { kind: "first-field" });
    }

    // Forgets the open assessment after it was deleted (here or in another tab).
    function close(status) {
      state.current = null;
      state.dirty = false;
      store.session.set(null);
      saveStatus("", status);
    }

    function refreshList() {
      const listing = store.list();
      state.records = listing.records;
      reportStorageProblems(listing);
      emit("list");
      scoring.scoreList();
      durable.sync(state.records);
    }

    function reportStorageProblems(listing) {
      const aside = store.quarantined();
      if (aside.length) {
        ui.showBanner("quarantine", {
          kind: "warning",
          title: aside.length === 1 ? "1 opgeslagen gegeven was onleesbaar" : aside.length + " opgeslagen gegevens waren onleesbaar",
          text: [
            "Ze zijn niet verwijderd maar apart gezet, zodat de rest gewoon werkt. Download ze als je ze wilt laten nakijken; verwijder ze als je ze niet nodig hebt.",
          ],
          list: aside.map((q) => (q.original || q.key) + (q.reason ? ": " + q.reason : "")),
          actions: [
            { label: "Download apart gezette gegevens", onClick: () => downloadQuarantine(aside), attrs: { "data-action": "download-quarantine" } },
            { label: "Apart gezette gegevens verwijderen", kind: "danger", onClick: () => discardQuarantine(aside), attrs: { "data-action": "discard-quarantine" } },
          ],
          dismiss: true,
        });
      } else {
        ui.clearBanner("quarantine");
      }
      if (listing.skipped.length) {
        ui.showBanner("future", {
          kind: "warning",
          title: "Gemaakt met een nieuwere versie",
          text: "Deze beoordelingen zijn opgeslagen door een nieuwere versie van deze site en worden hier niet getoond of veranderd. Herlaad de pagina om de nieuwste versie te gebruiken.",
          list: listing.skipped.map((s) => s.id),
        });
      } else {
        ui.clearBanner("future");
      }
    }

    function downloadQuarantine(aside) {
      const text = JSON.stringify({ kind: "kcm-quarantine", exported: now(), items: aside }, null, 2) + "\n";
      ui.download(text, A.fileName(["kcm-onleesbaar", now().slice(0, 10)], "json"), "application/json");
    }

    function discardQuarantine(aside) {
      return ui
        .ask({
          title: "Apart gezette gegevens verwijderen?",
          body: ["Deze gegevens konden niet gelezen worden. Als je ze verwijdert, zijn ze definitief weg. Download ze eerst als je twijfelt."],
          buttons: [
            { label: "Annuleren", value: null, focus: true },
            { label: "Verwijderen", value: "yes", danger: true },
          ],
        })
        .then((answer) => {
          if (answer === "yes") {
            aside.forEach((q) => store.discardQuarantined(q.key));
            refreshList();
          }
        });
    }

    function remove(id) {
      const record = state.records.find((r) => r.id === id);
      const name = record ? A.candidateName(record.data) : "";
      return ui
        .ask({
          title: name ? "Beoordeling van " + name + " verwijderen?" : "Beoordeling zonder naam verwijderen?",
          body: ["Dit kan niet ongedaan worden gemaakt. Exporteer de beoordeling eerst als je hem wilt bewaren."],
          buttons: [
            { label: "Annuleren", value: null, focus: true },
            { label: "Verwijderen", value: "yes", danger: true },
          ],
        })
        .then((answer) => {
          if (answer !== "yes") {
            return;
          }
          store.remove(id);
          durable.forget(id);
          delete state.scores[id];
          if (state.current && state.current.id === id) {
            close("De beoordeling is verwijderd. Je kunt een nieuwe invullen.");
            ui.clearBanner("save-failed");
            afterChange();
          } else {
            refreshList();
          }
          ui.announce("Beoordeling verwijderd.");
        });
    }

    // sitePrefix: the theme's own settings of this site, removed too (store.js removeAll).
    function removeAll(sitePrefix) {
      const count = state.records.length;
      return ui
        .ask({
          title: "Alle gegevens verwijderen?",
          body: [
            count === 1
              ? "De beoordeling en alle andere gegevens van de checklist in deze browser worden gewist."
              : "Alle " + count + " beoordelingen en alle andere gegevens van de checklist in deze browser worden gewist.",
            "Dit kan niet ongedaan worden gemaakt. Exporteer eerst als je iets wilt bewaren.",
          ],
          buttons: [
            { label: "Annuleren", value: null, focus: true },
            { label: "Alles verwijderen", value: "yes", danger: true },
          ],
        })
        .then((answer) => {
          if (answer !== "yes") {
            return;
          }
          store.removeAll({ sitePrefix: sitePrefix || null });
          durable.forgetAll();
          state.scores = {};
          close("Alle gegevens zijn verwijderd.");
          ui.clearBanner("save-failed");
          ui.clearBanner("quarantine");
          afterChange();
          ui.announce("Alle gegevens zijn verwijderd.");
        });
    }

    function afterChange() {
      emit("form");
      // Scoring first: the worker computes while this thread updates the list.
      scoring.scoreCurrent();
      refreshList();
    }

    // ---------------------------------------------------------------------------------------
    // Other tabs, and coming back to this one

    // Another tab changed the storage; `kind` is store.js's keyKind of the key.
    function storageChanged(kind) {
      if (kind.kind === "other" || kind.kind === "quarantine") {
        if (kind.kind === "quarantine") {
          refreshList();
        }
        return;
      }
      if (state.current && (kind.kind === "all" || (kind.kind === "record" && kind.id === state.current.id))) {
        const loaded = store.load(state.current.id);
        if (loaded.ok) {
          if (loaded.record.rev > state.current.rev && !state.dirty) {
            state.current = { id: loaded.record.id, rev: loaded.record.rev, data: loaded.record.data };
            saveStatus("ok", "Bijgewerkt vanuit een ander tabblad om " + timeOf(loaded.record.saved_at) + ".");
            afterChange();
            return;
          }
        } else if (loaded.reason === "missing" && state.current.rev > 0 && !state.dirty) {
          state.current = null;
          store.session.set(null);
          saveStatus("", "Deze beoordeling is in een ander tabblad verwijderd.");
          ui.showBanner("conflict", { kind: "warning", text: "De beoordeling die hier open stond, is in een ander tabblad verwijderd." });
          afterChange();
          return;
        }
      }
      refreshList();
    }

    // Back from the back/forward cache: another tab may have changed things meanwhile.
    function pageShown() {
      if (state.current) {
        const loaded = store.load(state.current.id);
        if (loaded.ok && loaded.record.rev > state.current.rev) {
          open(loaded.record);
        } else {
          refreshList();
        }
      }
    }

    function setFilter(text) {
      state.listFilter = text;
      state.showAll = false;
      emit("list");
      scoring.scoreList();
    }

    function showAll() {
      state.showAll = true;
      emit("list");
      scoring.scoreList();
    }

    function boot() {
      const probe = store.probe();
      state.storageOk = probe.ok;
      if (!probe.ok) {
        ui.showBanner("storage", {
          kind: "error",
          title: "Opslaan werkt niet in deze browser",
          text: [
            probe.message,
            "Je kunt wel invullen, maar niets blijft bewaard als je de pagina sluit. Exporteer de beoordeling als bestand voordat je stopt.",
          ],
          actions: [{ label: "Exporteer nu", kind: "primary", onClick: options.exportNow, attrs: { "data-action": "export-now" } }],
          dismiss: false,
        });
      }
      const listing = store.list();
      state.records = listing.records;
      reportStorageProblems(listing);
      // This tab's last open assessment (after a reload), else the most recently changed draft.
      const openId = store.session.get();
      let record = state.records.find((r) => r.id === openId);
      if (!record) {
        record = state.records
          .filter((r) => r.data.status === "draft" && A.belongsTo(r.data, rubric))
          .sort((a, b) => String(b.data.updated).localeCompare(String(a.data.updated)))[0];
      }
      if (record) {
        open(record);
      } else {
        afterChange();
      }
      return options.durable && restoreFromDisk();
    }

    // The page started from localStorage (ticking works at once); a crash may have cost it what
    // the durable mirror holds. What comes back is listed, and reopened if this tab shows it.
    function restoreFromDisk() {
      return durable.restore(state.records).then((outcome) => {
        const current = state.current;
        if (outcome.restored.length) {
          refreshList();
          const again = current && !state.dirty && outcome.restored.includes(current.id) && store.load(current.id);
          return again && again.ok && open(again.record);
        }
      });
    }

    return {
      state: state,
      on: on,
      boot: boot,
      editable: editable,
      edit: edit,
      flush: flush,
      open: open,
      openById: openById,
      startNew: startNew,
      refreshList: refreshList,
      remove: remove,
      removeAll: removeAll,
      emit: emit,
      listed: scoring.listed,
      engineChanged: scoring.engineChanged,
      storageChanged: storageChanged,
      pageShown: pageShown,
      setFilter: setFilter,
      showAll: showAll,
    };
  }

  root.kcm = root.kcm || {};
  root.kcm.session = { create: create };
})(globalThis);
