// session.js: the assessments of this tab: which one is open, its edits and how they are
// saved, the list, opening, starting and deleting.
//
// - Every edit is saved at once through store.js (and read back); a failed save is shown in a
//   banner with "Exporteer nu", never as saved. "Opgeslagen" means on disk (store-durable.js).
// - Two tabs never overwrite each other: when another tab saved the same assessment first, this
//   tab's edit is applied again on top of that newer record (assessment.js's applyEdit).
// - A final assessment, or one of another rubric version, takes no edits; only "reopen".
// - The exam checklist and the candidates' practice page share the storage, but each has only
//   its own kind in its list (practice.js): state.records holds this page's kind; exports,
//   the list and its counts follow from it. The keepers of the storage (the durable mirror,
//   the export times) get every record: state.otherIds names the ones not listed here.
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
//   "undo" step     the step "Ongedaan maken" would take back now, or null (callaids.js)
// Banners, dialogs and messages go through the `ui` functions it is given (ui.js in the page).
//
// Deleting is session-remove.js's; undo of the last change is undo.js's.
//
// Classic script (see store.js for why); defines globalThis.kcm.session; needs assessment.js,
// practice.js, scoring.js, session-remove.js and undo.js. create() takes every collaborator, so
// Node tests can pass fakes: {store,
// engine, rubric, now, ui: {showBanner, clearBanner, ask, announce, askPersistence, download,
// saveStatus}, exportNow, durable (store-durable.js's keeper), startDraft (draft -> draft)}.
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
      // The ids of the stored records of the other kind (exam or practice), not listed here.
      otherIds: [],
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
    const removal = root.kcm.sessionRemove.create({ store: store, durable: durable, ui: ui, state: state, now: now, refreshList: refreshList, close: close, afterChange: afterChange });
    const reportStorageProblems = removal.reportStorageProblems;
    const steps = root.kcm.undo.tracker(rubric);

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
    // except "reopen" (finalize.js asks first) and a sealed "finalize" of the same record.
    // A new assessment starts from options.startDraft (callaids.js: today's date, the assessor's
    // name remembered on this device) when given.
    function edit(change, how) {
      // A final record takes a new seal of itself (signatures.js: signing after finalising).
      const resealed = change.type === "finalize" && change.sealed && state.current && state.current.id === change.sealed.id;
      if (change.type !== "reopen" && !resealed && !editable()) {
        emit("form");
        return false;
      }
      const base = state.current || { id: null, rev: 0, data: newDraft() };
      commit(A.applyEdit(base.data, change, now(), rubric), base.rev, change);
      if (!(how && how.undoing)) {
        steps.note(base.data.id, base.data, change);
      }
      emit("undo", lastStep());
      return true;
    }

    function newDraft() {
      const draft = A.newDraft(rubric, A.newId(), now());
      return options.startDraft ? options.startDraft(draft) : draft;
    }

    // The step "Ongedaan maken" would take back now ({label, undo}), or null.
    function lastStep() {
      return state.current && editable() ? steps.last(state.current.id) : null;
    }

    // Takes back the last change of the open assessment; returns its step (with the words of
    // what it was), or null when there is nothing to take back.
    function undo() {
      const step = lastStep() && steps.take(state.current.id);
      if (step) {
        edit(step.undo, { undoing: true });
      }
      return step || null;
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
      forgetSteps();
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
      forgetSteps();
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
      forgetSteps();
      state.current = null;
      state.dirty = false;
      store.session.set(null);
      saveStatus("", status);
    }

    function forgetSteps() {
      steps.clear();
      emit("undo", null);
    }

    // store.js's listing, with only this page's kind (exam or practice) in state.records.
    function takeListing(listing) {
      const P = root.kcm.practice;
      state.records = listing.records.filter((r) => P.fits(r.data, rubric));
      state.otherIds = listing.records.filter((r) => !P.fits(r.data, rubric)).map((r) => r.id);
      reportStorageProblems(listing);
    }

    function refreshList() {
      const listing = store.list();
      takeListing(listing);
      emit("list");
      scoring.scoreList();
      // Every record, also those of the other page: the mirror keeps them all.
      durable.sync(listing.records);
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
      takeListing(listing);
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
      return options.durable && restoreFromDisk(listing.records);
    }

    // The page started from localStorage (ticking works at once); a crash may have cost it what
    // the durable mirror holds. What comes back is listed, and reopened if this tab shows it.
    function restoreFromDisk(records) {
      return durable.restore(records).then((outcome) => {
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
      undo: undo,
      lastStep: lastStep,
      newDraft: newDraft,
      flush: flush,
      open: open,
      openById: openById,
      startNew: startNew,
      refreshList: refreshList,
      remove: removal.remove,
      removeAll: removal.removeAll,
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
