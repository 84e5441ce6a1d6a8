// app.js: starts the checklist: creates its parts, wires the page's events to them, and boots.
//
// The parts, each in its own file, loaded before this one (build_tools.checklist_tags):
//   store-codec.js, store.js   the browser storage (the only code that touches it)
//   store-durable.js           its copy in IndexedDB: "Opgeslagen" means on disk
//   assessment.js              the assessment format: drafts, edits, export files, import plans
//   page.js                    the page's elements and the rubric (from its JSON block)
//   ui.js                      banners, the dialog, announcements, downloads
//   engine-client.js           the scoring engine (kcm_core in worker.js): call() and states
//   scoring.js, session.js     the open assessment, the list, saving, scores
//   finalize.js                finalising and reopening
//   transfer.js                export and import
//   views.js                   draws the state into the page
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
  const parts = ["store", "storeDurable", "assessment", "page", "ui", "engineClient", "scoring", "session", "finalize", "transfer", "views"];
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
  const store = kcm.store.createStore(localStorageRef, { sessionStorage: sessionStorageRef });
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
  const durable = kcm.storeDurable.keeper({
    mirror: kcm.storeDurable.create({
      indexedDB: indexedDBRef,
      setTimeout: (fn, ms) => win.setTimeout(fn, ms),
      clearTimeout: (id) => win.clearTimeout(id),
    }),
    store: store,
    ui: { showBanner: ui.showBanner, clearBanner: ui.clearBanner, durableInfo: (text) => views.durableInfo(text) },
    exportNow: () => transfer.exportCurrentJson(),
  });
  const session = kcm.session.create({
    store: store,
    durable: durable,
    engine: engine,
    rubric: rubric,
    now: now,
    ui: sessionUi,
    exportNow: () => transfer.exportCurrentJson(),
  });
  const finalizing = kcm.finalize.create({ session: session, engine: engine, rubric: rubric, now: now, ui: sessionUi, hasInput: page.hasInput });
  transfer = kcm.transfer.create({ session: session, store: store, engine: engine, rubric: rubric, now: now, ui: sessionUi });
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
  session.on("list", (how) => (how && how.later ? views.scheduleListRender() : views.renderList()));
  session.on("opened", views.opened);
  session.on("focus", page.focus);
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
    if (target.matches("[data-field-id]")) {
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
    "delete-all": () => session.removeAll(win.__md_scope ? win.__md_scope.pathname + ".__" : null),
    "show-all": () => session.showAll(),
    finalize: () => finalizing.finalize(),
    reopen: () => finalizing.reopen(),
    "export-json": () => transfer.exportCurrentJson(),
    "export-csv": () => transfer.exportCurrentCsv(),
    "export-all-json": () => transfer.exportAllJson(),
    "export-all-csv": () => transfer.exportAllCsv(),
    print: () => win.print(),
  };

  el.app.addEventListener("click", (event) => {
    const target = event.target.closest("[data-action]");
    if (!target || !el.app.contains(target)) {
      return;
    }
    const action = ACTIONS[target.getAttribute("data-action")];
    if (action) {
      const item = target.closest("[data-assessment-id]");
      action(item ? item.getAttribute("data-assessment-id") : null);
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

  // Another tab changed the storage. Only other tabs get this event.
  win.addEventListener("storage", (event) => {
    if (event.storageArea && event.storageArea !== localStorageRef) {
      return;
    }
    session.storageChanged(kcm.store.keyKind(event.key));
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

  // ---------------------------------------------------------------------------------------
  // Start: the stored assessments first (ticking works at once), then the engine.

  session.boot();
  engine.start();
})(window);
