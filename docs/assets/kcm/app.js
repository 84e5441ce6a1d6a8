// app.js: starts the checklist: creates its parts, wires the page's events to them, and boots.
//
// The parts, each in its own file, loaded before this one (build_tools.checklist_tags):
//   store-codec.js, store.js   the browser storage (the only code that touches it)
//   store-durable.js           its copy in IndexedDB: "Opgeslagen" means on disk
//   store-keeper.js            keeps that copy in step with store.js
//   store-device.js            export times and settings of this device
//   store-crypto.js, lock.js   the passphrase lock: encrypted storage, the unlock screen
//   reminder.js                the reminder to delete exported assessments
//   assessment.js              the assessment format: drafts, edits, export files, import plans
//   csv.js                     the CSV for Excel
//   practice.js                practice and exam kept apart (the candidates' page oefenen/)
//   page.js                    the page's elements and the rubric (from its JSON block)
//   ui.js                      banners, the dialog, announcements, downloads
//   engine-client.js           the scoring engine (kcm_core in worker.js): call() and states
//   scoring.js, session.js     the open assessment, the list, saving, scores
//   finalize.js                finalising and reopening
//   transfer.js                export and import
//   views.js                   draws the state into the page
//   compare.js, signatures.js  two assessors' joint record, and signing a final record
//   print-record.js            what a printed record needs besides the screen (marks, seal, history)
//
// Text from the rubric, a user or an imported file goes into the page with textContent only.
// Classic script (see store.js for why). It sits right after the checklist HTML
// (build_tools.checklist_tags.body_tags), not deferred: it runs as soon as the checklist is parsed,
// so ticking and saving work before the rest of the page, the theme's script and the scoring
// engine are there. The engine's worker is started earlier still, from <head>, by
// engine-start.js.
(function (win) {
  "use strict";

  const doc = win.document;
  const kcm = win.kcm || {};
  const parts = ["store", "storeDurable", "storeKeeper", "storeDevice", "storeCrypto", "assessment", "csv", "practice", "page", "ui", "engineClient", "scoring", "session", "finalize", "transfer", "views", "reminder", "lock", "progress", "viewsResult", "folds", "compare", "signatures", "printRecord"];
  if (!doc.querySelector("[data-kcm-app]") || parts.some((name) => !kcm[name])) {
    return;
  }
  const page = kcm.page.read(doc);
  if (!page) {
    return;
  }
  const el = page.el;
  const rubric = page.rubric;
  el.html.setAttribute("data-engine", "loading");

  let localStorageRef = null;
  let sessionStorageRef = null;
  try {
    localStorageRef = win.localStorage;
  } catch (_error) {
    localStorageRef = null;
  }
  try {
    sessionStorageRef = win.sessionStorage;
  } catch (_error) {
    sessionStorageRef = null;
  }
  let indexedDBRef = null;
  try {
    indexedDBRef = win.indexedDB || null;
  } catch (_error) {
    indexedDBRef = null;
  }
  const now = () => new Date().toISOString();
  const ui = kcm.ui.create({ doc: doc, win: win, el: el });
  const engine = kcm.engineClient.create({
    host: kcm,
    sha256: rubric.sha256,
    setTimeout: (fn, ms) => win.setTimeout(fn, ms),
    clearTimeout: (id) => win.clearTimeout(id),
    clock: () => win.performance.now(),
  });

  // A write of the lock's encrypted storage that failed after the page went on (store-crypto.js):
  // shown like any failed save. exportNow is set once transfer.js is there.
  const writeFailed = { exportNow: () => {} };
  function onWriteError(error) {
    ui.showBanner("save-failed", {
      kind: "error",
      title: "Niet opgeslagen in deze browser",
      text: [kcm.store.describeWriteError(error), "Exporteer de beoordeling als bestand, zodat je niets kwijtraakt."],
      actions: [{ label: "Exporteer nu", kind: "primary", onClick: () => writeFailed.exportNow(), attrs: { "data-action": "export-now" } }],
      dismiss: true,
    });
  }

  // The passphrase lock (lock.js): without one the checklist starts at once, as always; with
  // one it starts once the passphrase is typed.
  const gate = kcm.lock.gate({
    doc: doc,
    app: el.app,
    storage: localStorageRef,
    crypto: win.crypto,
    indexedDB: indexedDBRef,
    setTimeout: (fn, ms) => win.setTimeout(fn, ms),
    clearTimeout: (id) => win.clearTimeout(id),
    ui: ui,
    reload: () => win.location.reload(),
    onWriteError: onWriteError,
    onUnlocked: start,
  });
  if (gate.open) {
    start(gate.open);
  }

  // Everything that reads or writes assessments; `opened`: {storage (localStorage, or the
  // lock's decrypting storage), cipher (for the mirror, or null), locked}.
  function start(opened) {
    const storage = opened.storage;
    const store = kcm.store.createStore(storage, { sessionStorage: sessionStorageRef });
    // The views draw the save status; the session is created before them.
    let views = null;
    let transfer = null;
    const sessionUi = {
      showBanner: ui.showBanner,
      clearBanner: ui.clearBanner,
      ask: ui.ask,
      announce: ui.announce,
      askPersistence: ui.askPersistence,
      download: ui.download,
      saveStatus: (kind, text) => views.saveStatus(kind, text),
    };
    const mirror = kcm.storeDurable.create({
      indexedDB: indexedDBRef,
      setTimeout: (fn, ms) => win.setTimeout(fn, ms),
      clearTimeout: (id) => win.clearTimeout(id),
      cipher: opened.cipher,
    });
    const durable = kcm.storeKeeper.create({
      mirror: mirror,
      store: store,
      ui: { showBanner: ui.showBanner, clearBanner: ui.clearBanner, durableInfo: (text) => views.durableInfo(text) },
      exportNow: () => transfer.exportCurrentJson(),
    });
    // Created after the views (below); a new draft starts from what it remembers.
    let callAids = null;
    const session = kcm.session.create({
      store: store,
      durable: durable,
      engine: engine,
      rubric: rubric,
      now: now,
      ui: sessionUi,
      exportNow: () => transfer.exportCurrentJson(),
      startDraft: (draft) => (callAids ? callAids.startDraft(draft) : draft),
    });
    const finalizing = kcm.finalize.create({ session: session, engine: engine, rubric: rubric, now: now, ui: sessionUi, hasInput: page.hasInput });
    const device = kcm.storeDevice.create(storage);
    const reminder = kcm.reminder.create({
      device: device,
      records: () => session.state.records,
      names: (record) => kcm.assessment.candidateName(record.data),
      day: (iso) => new Date(iso).toLocaleDateString("nl-NL", { day: "numeric", month: "long", year: "numeric" }),
      ui: sessionUi,
      removeIds: removeIds,
      now: () => Date.now(),
    });
    transfer = kcm.transfer.create({
      session: session,
      store: store,
      engine: engine,
      rubric: rubric,
      now: now,
      ui: sessionUi,
      onExported: (ids) => {
        // The export times of the other page's records (exam or practice) are kept too.
        device.markExported(ids, now(), session.state.records.map((r) => r.id).concat(session.state.otherIds));
        reminder.check();
      },
      otherPage: otherPage(),
    });
    writeFailed.exportNow = () => transfer.exportCurrentJson();
    views = kcm.views.create({
      page: page,
      ui: ui,
      session: session,
      engineState: engine.state,
      win: win,
      onRetry: (kind) => {
        if (kind === "mismatch" || !engine.retry()) {
          win.location.reload();
        }
      },
    });

    // ---------------------------------------------------------------------------------------
    // The session's events, drawn by the views

    session.on("form", views.render);
    session.on("result", views.renderResult);
    session.on("foreign-result", views.renderForeignResult);
    session.on("list", (how) => (how && how.later ? views.scheduleListRender() : views.renderList()));
    session.on("list", () => reminder.check());
    session.on("opened", views.opened);
    // Folds (folds.js) after the views: they read what the views drew.
    const folds = kcm.folds.create({ page: page, ui: ui, session: session, win: win, measure: views.measure });
    session.on("form", folds.sync);
    session.on("result", folds.sync);
    session.on("opened", folds.opened);
    session.on("list", folds.listed);
    session.on("focus", folds.focus);
    // The aids during the call (callaids.js): hold timer, phases, undo, date and assessor name.
    callAids = kcm.callaids.create({ page: page, session: session, ui: ui, rubric: rubric, now: now, win: win, device: kcm.callaids.deviceMemory(device) });
    // The exam record (issue 13): "Vergelijk met collega" and the signatures of a final record.
    kcm.compare.create({ page: page, session: session, store: store, engine: engine, rubric: rubric, now: now, doc: doc, announce: ui.announce });
    kcm.signatures.create({ page: page, session: session, engine: engine, rubric: rubric, now: now, doc: doc });
    // The print-only parts of a record (print-record.js): marks as text, seal, history, names.
    const printRecord = kcm.printRecord.create({ page: page, session: session });
    session.on("form", printRecord.render);
    session.on("result", printRecord.render);
    win.addEventListener("beforeprint", printRecord.render);
    engine.onState((info) => {
      views.renderEngine(info);
      session.engineChanged(info);
    });

    // ---------------------------------------------------------------------------------------
    // The page's events

    const criterionId = (target) => target.closest("[data-criterion-id]").getAttribute("data-criterion-id");

    el.form.addEventListener("submit", (event) => event.preventDefault());

    el.form.addEventListener("input", (event) => {
      const target = event.target;
      if (target.matches('[data-field-id="beoordelaar"]')) {
        callAids.assessorTyped(target.value);
      } else if (target.matches("[data-field-id]")) {
        session.edit({ type: "field", id: target.getAttribute("data-field-id"), value: target.value });
      } else if (target.matches('[data-role="remark"]')) {
        session.edit({ type: "criterion-remark", id: criterionId(target), value: target.value });
      } else if (target.matches("[data-remark-id]")) {
        session.edit({ type: "remark", id: target.getAttribute("data-remark-id"), value: target.value });
      }
    });

    el.form.addEventListener("change", (event) => {
      const target = event.target;
      if (target.matches('[data-role="checked"]')) {
        session.edit({ type: "checked", id: criterionId(target), value: target.checked });
      } else if (target.matches('[data-role="na"]')) {
        const row = page.rowById.get(criterionId(target));
        session.edit({ type: "na", id: row.id, value: target.checked });
        if (target.checked && !row.remark.value.trim()) {
          // kcm_core needs a reason for a manual n.v.t.
          row.remark.focus();
        }
      } else if (target.matches("input[data-condition-id]")) {
        const id = target.getAttribute("data-condition-id");
        const values = page.conditionInputs.filter((i) => i.getAttribute("data-condition-id") === id && i.checked).map((i) => i.value);
        session.edit({ type: "condition", id: id, values: values });
      }
    });

    const ACTIONS = {
      "new-assessment": () => session.startNew(),
      open: (id) => id && session.openById(id),
      delete: (id) => id && session.remove(id),
      // Material's inline head script defines __md_scope, the site root it keys settings by.
      // With the lock on, "Alles verwijderen" removes the lock too: the page starts afresh.
      "delete-all": () =>
        session.removeAll(win.__md_scope ? win.__md_scope.pathname + ".__" : null).then(() => {
          if (opened.locked && localStorageRef.getItem(kcm.storeCodec.LOCK_KEY) === null) {
            // Once the removals queued by the encrypted storage have reached localStorage.
            storage.settled().then(() => win.location.reload());
          }
        }),
      "show-all": () => session.showAll(),
      finalize: () => finalizing.finalize(),
      reopen: () => finalizing.reopen(),
      "export-json": () => transfer.exportCurrentJson(),
      "export-csv": () => transfer.exportCurrentCsv(),
      "export-all-json": () => transfer.exportAllJson(),
      "export-all-csv": () => transfer.exportAllCsv(),
      print: () => win.print(),
      "next-candidate": () => session.startNew(),
      "next-open": () => folds.nextOpen(),
      remark: (_id, button) => folds.toggleRemark(button),
      "fold-eindterm": (_id, button) => folds.toggleEindterm(button),
      "toggle-list": () => folds.toggleList(),
      "toggle-data": () => folds.toggleData(),
      "eindterm-text": (_id, button) => folds.toggleText(button),
      "eindterm-remark": (_id, button) => folds.toggleEindtermRemark(button),
    };

    el.app.addEventListener("click", (event) => {
      const target = event.target.closest("[data-action]");
      if (!target || !el.app.contains(target)) {
        return;
      }
      const action = ACTIONS[target.getAttribute("data-action")];
      if (action) {
        const item = target.closest("[data-assessment-id]");
        action(item ? item.getAttribute("data-assessment-id") : null, target);
      }
    });

    el.listFilter.addEventListener("input", () => session.setFilter(el.listFilter.value));

    el.importInput.addEventListener("change", () => {
      const file = el.importInput.files && el.importInput.files[0];
      if (file) {
        transfer.importFile(file);
      }
      // Choosing the same file again must trigger another import.
      el.importInput.value = "";
    });

    // Another tab changed the storage. Only other tabs get this event. With the lock on, the
    // new value is decrypted before the session looks at it; a lock turned on or off elsewhere
    // reloads this tab, which then asks for the passphrase or opens plainly.
    win.addEventListener("storage", (event) => {
      if (event.storageArea && event.storageArea !== localStorageRef) {
        return;
      }
      const kind = kcm.store.keyKind(event.key);
      if (kind.kind === "lock") {
        win.location.reload();
      } else if (opened.locked) {
        storage.external(event.key, event.newValue).then(() => session.storageChanged(kind));
      } else {
        session.storageChanged(kind);
      }
    });

    // Phones stop pages without "unload": save when the page goes to the background.
    doc.addEventListener("visibilitychange", () => {
      if (doc.visibilityState === "hidden") {
        session.flush();
      } else {
        session.refreshList();
      }
    });
    win.addEventListener("pagehide", () => session.flush());
    win.addEventListener("pageshow", (event) => {
      if (event.persisted) {
        session.pageShown();
      }
    });

    // The page of the other kind (the exam checklist from the practice page and back), where an
    // import of the other kind opens: its full address, for the sentence that says so.
    function otherPage() {
      if (!rubric.siblingUrl) {
        return null;
      }
      const href = new URL(rubric.siblingUrl, win.location.href).href;
      return { href: href, open: () => win.location.assign(href) };
    }

    // Assessments the reminder's dialog deleted (reminder.js): gone here and from the mirror.
    function removeIds(ids) {
      ids.forEach((id) => {
        store.remove(id);
        durable.forget(id);
      });
      if (session.state.current && ids.includes(session.state.current.id)) {
        session.startNew();
      } else {
        session.refreshList();
      }
    }

    kcm.lock.settings({
      app: el.app,
      doc: doc,
      opened: opened,
      storage: localStorageRef,
      store: store,
      device: device,
      session: session,
      indexedDB: indexedDBRef,
      setTimeout: (fn, ms) => win.setTimeout(fn, ms),
      clearTimeout: (id) => win.clearTimeout(id),
      crypto: win.crypto,
      ui: sessionUi,
      now: () => Date.now(),
      reload: () => win.location.reload(),
      reminder: reminder,
    });

    // ---------------------------------------------------------------------------------------
    // Start: the stored assessments first (ticking works at once), then the engine.

    session.boot();
    engine.start();
    reminder.check();
  }
})(window);
