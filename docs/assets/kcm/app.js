// app.js: the checklist's behaviour, wired onto the HTML that build_tools.checklist rendered.
//
// - Every change is saved at once through store.js (and read back); a failed save is shown in
//   a banner with "Exporteer nu", never as saved.
// - Verdicts come only from kcm_core, running in worker.js; until it is ready the page works
//   without them (ticking, typing, saving, exporting, printing).
// - Text from the rubric, a user or an imported file goes into the page with textContent only.
//
// Classic script (see store.js for why); needs store.js and assessment.js loaded before it. It
// sits right after the checklist HTML (build_tools.checklist.body_tags), not deferred: it runs
// as soon as the checklist is parsed, so ticking and saving work before the rest of the page,
// the theme's script and the scoring engine are there. The engine's worker is started earlier
// still, from <head>, by engine-start.js.
(function () {
  "use strict";

  const doc = document;
  const html = doc.documentElement;
  const app = doc.querySelector("[data-kcm-app]");
  const kcm = window.kcm || {};
  if (!app || !kcm.store || !kcm.assessment) {
    return;
  }
  const S = kcm.store;
  const A = kcm.assessment;
  html.setAttribute("data-engine", "loading");

  // ---------------------------------------------------------------------------------------
  // The page: elements and the rubric as rendered

  const $ = (selector, rootNode) => (rootNode || app).querySelector(selector);
  const $$ = (selector, rootNode) => Array.from((rootNode || app).querySelectorAll(selector));
  const labelText = (node) => {
    const span = node && node.querySelector("[data-label-text]");
    return (span || node).textContent.trim();
  };

  const el = {
    form: $("[data-assessment-form]"),
    lock: $("[data-lock]"),
    title: $("[data-form-title]"),
    banners: $("[data-banners]"),
    list: $("[data-assessment-list]"),
    listEmpty: $("[data-list-empty]"),
    listTools: $("[data-list-tools]"),
    listFilter: $("[data-list-filter]"),
    listMore: $("[data-list-more]"),
    listCount: $("[data-list-count]"),
    showAll: $('[data-action="show-all"]'),
    storageInfo: $("[data-storage-info]"),
    saveStatus: $("[data-save-status]"),
    lockNotice: $("[data-lock-notice]"),
    lockText: $("[data-lock-text]"),
    reopen: $('[data-action="reopen"]'),
    finalize: $('[data-action="finalize"]'),
    foreign: $("[data-foreign]"),
    engineStatus: $("[data-engine-status]"),
    engineText: $("[data-engine-text]"),
    engineProgress: $("[data-engine-progress]"),
    announce: $("[data-announce]"),
    dialog: $("[data-dialog]"),
    dialogTitle: $("[data-dialog-title]"),
    dialogBody: $("[data-dialog-body]"),
    dialogButtons: $("[data-dialog-buttons]"),
    overall: $('[data-result="overall"]'),
    summary: $("[data-summary]"),
    summaryOverall: $("[data-summary-overall]"),
    importInput: $('input[type=file][data-action="import"]'),
    printStatus: $("[data-print-status]"),
  };

  const fieldInputs = $$("[data-field-id]");
  const conditionInputs = $$("input[data-condition-id]");
  const remarkInputs = $$("textarea[data-remark-id]");
  const rows = $$("[data-criterion-id]").map((row) => ({
    id: row.getAttribute("data-criterion-id"),
    row: row,
    checked: $('[data-role="checked"]', row),
    na: $('[data-role="na"]', row),
    remark: $('[data-role="remark"]', row),
    note: $("[data-criterion-note]", row),
    printRemark: $("[data-print-remark-criterion]", row),
  }));
  const rowById = new Map(rows.map((r) => [r.id, r]));
  const outcomeEls = new Map($$("[data-outcome-id]").map((node) => [node.getAttribute("data-outcome-id"), node]));

  const rubric = readRubric();

  function readRubric() {
    const eindtermen = $$("[data-eindterm-id]").map((section) => ({
      id: section.getAttribute("data-eindterm-id"),
      title: labelText(section.querySelector("h2")),
    }));
    const criteria = [];
    $$("[data-eindterm-id]").forEach((section) => {
      const eindterm = section.getAttribute("data-eindterm-id");
      const eindtermTitle = labelText(section.querySelector("h2"));
      $$("[data-onderdeel-id]", section).forEach((onderdeel) => {
        $$("[data-proces-id]", onderdeel).forEach((proces) => {
          $$("[data-criterion-id]", proces).forEach((row) => {
            criteria.push({
              id: row.getAttribute("data-criterion-id"),
              text: labelText(row.querySelector("label")),
              eindterm: eindterm,
              eindtermTitle: eindtermTitle,
              onderdeel: onderdeel.getAttribute("data-onderdeel-id"),
              onderdeelText: labelText(onderdeel.querySelector("h3")),
              proces: proces.getAttribute("data-proces-id"),
              procesText: labelText(proces.querySelector("h4")),
            });
          });
        });
      });
    });
    return {
      id: app.getAttribute("data-rubric-id"),
      version: app.getAttribute("data-rubric-version"),
      sha256: app.getAttribute("data-rubric-sha256"),
      title: app.getAttribute("data-rubric-title"),
      fields: fieldInputs.map((input) => ({
        id: input.getAttribute("data-field-id"),
        type: input.getAttribute("data-field-type") || "text",
        label: labelText(doc.querySelector('label[for="' + input.id + '"]')),
        required: input.required,
      })),
      conditions: $$("[data-condition-group]").map((group) => ({
        id: group.getAttribute("data-condition-group"),
        label: labelText(group.querySelector("legend")),
        multiple: group.getAttribute("data-multiple") === "true",
        options: $$("input[data-condition-id]", group).map((input) => ({
          id: input.value,
          label: labelText(doc.querySelector('label[for="' + input.id + '"]')),
        })),
      })),
      eindtermen: eindtermen,
      criteria: criteria,
    };
  }

  const criterionInfo = new Map(rubric.criteria.map((c) => [c.id, c]));
  const fieldLabel = new Map(rubric.fields.map((f) => [f.id, f.label]));
  const conditionLabel = new Map(rubric.conditions.map((c) => [c.id, c.label]));

  // ---------------------------------------------------------------------------------------
  // State

  let localStorageRef = null;
  let sessionStorageRef = null;
  try {
    localStorageRef = window.localStorage;
  } catch (_error) {
    localStorageRef = null;
  }
  try {
    sessionStorageRef = window.sessionStorage;
  } catch (_error) {
    sessionStorageRef = null;
  }
  const store = S.createStore(localStorageRef, { sessionStorage: sessionStorageRef });

  const state = {
    // The open assessment: {id, rev, data}; rev 0 = not stored yet. null = an empty form.
    current: null,
    // True when the last save of `current` failed: what is on screen is not stored.
    dirty: false,
    records: [],
    // The assessments list: the name filter, and whether all are listed or only the newest.
    listFilter: "",
    showAll: false,
    // Per assessment id: {updated, result, problems} from kcm_core.
    scores: {},
    engine: "loading",
    persistAsked: false,
    storageOk: true,
    lastVerdicts: null,
    scoreSeq: 0,
  };

  const now = () => new Date().toISOString();

  // ---------------------------------------------------------------------------------------
  // Small DOM helpers (text only, never HTML)

  function make(tag, options, children) {
    const node = doc.createElement(tag);
    const opts = options || {};
    if (opts.text !== undefined) {
      node.textContent = opts.text;
    }
    if (opts.className) {
      node.className = opts.className;
    }
    if (opts.attrs) {
      Object.keys(opts.attrs).forEach((name) => node.setAttribute(name, opts.attrs[name]));
    }
    (children || []).forEach((child) => {
      if (child) {
        node.append(child);
      }
    });
    return node;
  }

  function button(label, options) {
    const opts = options || {};
    const node = make("button", { text: label, className: "kcm-button" + (opts.kind ? " kcm-button--" + opts.kind : ""), attrs: opts.attrs });
    node.type = "button";
    if (opts.onClick) {
      node.addEventListener("click", opts.onClick);
    }
    return node;
  }

  function setValue(input, value) {
    if (input.value !== value) {
      input.value = value;
    }
  }

  // ---------------------------------------------------------------------------------------
  // Banners: one per topic, replaced rather than stacked

  function showBanner(topic, options) {
    clearBanner(topic);
    const kind = options.kind || "info";
    const box = make("div", {
      className: "kcm-banner kcm-banner--" + kind,
      attrs: { "data-banner": topic, role: kind === "error" ? "alert" : "status" },
    });
    if (options.title) {
      box.append(make("p", { className: "kcm-banner__title", text: options.title }));
    }
    (Array.isArray(options.text) ? options.text : [options.text]).forEach((line) => {
      if (line) {
        box.append(make("p", { text: line }));
      }
    });
    if (options.list && options.list.length) {
      box.append(make("ul", { className: "kcm-banner__list" }, options.list.map((item) => make("li", { text: item }))));
    }
    const actions = (options.actions || []).slice();
    if (options.dismiss !== false) {
      actions.push({ label: "Sluiten", onClick: () => clearBanner(topic) });
    }
    if (actions.length) {
      box.append(
        make(
          "div",
          { className: "kcm-banner__actions" },
          actions.map((a) => button(a.label, { kind: a.kind, onClick: a.onClick, attrs: a.attrs })),
        ),
      );
    }
    el.banners.append(box);
    return box;
  }

  function clearBanner(topic) {
    $$('[data-banner="' + topic + '"]', el.banners).forEach((node) => node.remove());
  }

  function announce(text) {
    // Cleared first so the same sentence twice is still read out.
    el.announce.textContent = "";
    window.setTimeout(() => {
      el.announce.textContent = text;
    }, 50);
  }

  // ---------------------------------------------------------------------------------------
  // Dialog (confirmations). Resolves with the chosen button's value, or null when cancelled.

  function ask(options) {
    const buttons = options.buttons;
    const bodyNodes = options.body.map((part) => (typeof part === "string" ? make("p", { text: part }) : part));
    if (!el.dialog || typeof el.dialog.showModal !== "function") {
      // Very old browsers: a plain confirm with the same text.
      const text = [options.title].concat(bodyNodes.map((n) => n.textContent)).join("\n\n");
      const primary = buttons.find((b) => b.value !== null && b.primary) || buttons.find((b) => b.value !== null);
      return Promise.resolve(window.confirm(text) ? primary.value : null);
    }
    el.dialogTitle.textContent = options.title;
    el.dialogBody.replaceChildren(...bodyNodes);
    const nodes = buttons.map((b) =>
      button(b.label, {
        kind: b.danger ? "danger" : b.primary ? "primary" : "",
        attrs: { "data-dialog-value": b.value === null ? "" : String(b.value) },
      }),
    );
    el.dialogButtons.replaceChildren(...nodes);
    return new Promise((resolve) => {
      // A chosen button answers at once, in the click itself: the dialog's "close" event comes
      // a task later, and the page must not show the dialog gone before the choice is carried
      // out. "close" still answers null for Escape.
      nodes.forEach((node, i) =>
        node.addEventListener("click", () => {
          resolve(buttons[i].value);
          el.dialog.close();
        }),
      );
      el.dialog.addEventListener(
        "close",
        () => {
          resolve(null);
        },
        { once: true },
      );
      el.dialog.showModal();
      const focusIndex = buttons.findIndex((b) => b.focus);
      (nodes[focusIndex >= 0 ? focusIndex : nodes.length - 1] || nodes[0]).focus();
    });
  }

  // ---------------------------------------------------------------------------------------
  // Saving

  function editable() {
    if (!state.current) {
      return true;
    }
    return state.current.data.status !== "final" && A.belongsTo(state.current.data, rubric);
  }

  // Applies one edit to the open assessment (creating it on the first edit) and saves at once.
  function edit(change) {
    if (!editable()) {
      render();
      return;
    }
    const base = state.current || { id: null, rev: 0, data: A.newDraft(rubric, A.newId(), now()) };
    const next = A.applyEdit(base.data, change, now(), rubric);
    commit(next, base.rev, change);
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
        showBanner("conflict", {
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
        showBanner("conflict", {
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
      clearBanner("save-failed");
      setSaveStatus("ok", "Opgeslagen in deze browser om " + timeOf(result.saved_at) + ".");
      if (merged) {
        showBanner("conflict", {
          kind: "info",
          title: "Samengevoegd",
          text: "Deze beoordeling is ook in een ander tabblad veranderd. Beide wijzigingen zijn bewaard.",
        });
      }
      askPersistence();
    } else {
      state.current = { id: data.id, rev: baseRev, data: data };
      state.dirty = true;
      reportSaveFailure(result);
    }
    afterChange();
  }

  function reportSaveFailure(result) {
    const message = result.message || "De wijziging kon niet worden opgeslagen.";
    setSaveStatus("error", "NIET opgeslagen. " + message);
    showBanner("save-failed", {
      kind: "error",
      title: "Niet opgeslagen",
      text: [
        message,
        "Wat je nu ziet staat alleen op het scherm en gaat verloren als je de pagina sluit. Exporteer de beoordeling nu als bestand.",
      ],
      actions: [{ label: "Exporteer nu", kind: "primary", onClick: exportCurrentJson, attrs: { "data-action": "export-now" } }],
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
        clearBanner("save-failed");
        setSaveStatus("ok", "Opgeslagen in deze browser om " + timeOf(result.saved_at) + ".");
        refreshList();
      } else if (result.reason === "write-failed") {
        reportSaveFailure(result);
      }
    }
  }

  function setSaveStatus(kind, text) {
    el.saveStatus.textContent = text;
    el.saveStatus.setAttribute("data-save-state", kind);
  }

  function timeOf(iso) {
    const d = new Date(iso);
    return Number.isNaN(d.getTime()) ? iso : d.toLocaleTimeString("nl-NL", { hour: "2-digit", minute: "2-digit", second: "2-digit" });
  }

  function askPersistence() {
    if (state.persistAsked) {
      return;
    }
    state.persistAsked = true;
    const storageApi = navigator.storage;
    if (!storageApi || typeof storageApi.persist !== "function") {
      el.storageInfo.textContent = "Blijvend bewaren: deze browser kan dat niet toezeggen. Exporteer elke beoordeling als bestand.";
      return;
    }
    const show = (granted) => {
      el.storageInfo.setAttribute("data-persisted", granted ? "true" : "false");
      el.storageInfo.textContent = granted
        ? "Blijvend bewaren: toegestaan. De browser wist deze gegevens niet zelf; exporteer toch elke beoordeling als bestand."
        : "Blijvend bewaren: niet toegestaan door de browser. Die kan de gegevens wissen als de ruimte opraakt of als je de site lang niet gebruikt. Exporteer elke beoordeling als bestand.";
    };
    storageApi
      .persisted()
      .then((already) => (already ? true : storageApi.persist()))
      .then(show, () => show(false));
  }

  // ---------------------------------------------------------------------------------------
  // Opening, creating, deleting

  function openRecord(record, options) {
    flush();
    state.current = { id: record.id, rev: record.rev, data: record.data };
    state.dirty = false;
    state.lastVerdicts = null;
    store.session.set(record.id);
    clearBanner("conflict");
    setSaveStatus("ok", "Opgeslagen in deze browser op " + A.formatMoment(record.saved_at) + ".");
    afterChange();
    if (options && options.focus) {
      el.title.setAttribute("tabindex", "-1");
      el.title.focus();
      el.form.scrollIntoView({ block: "start" });
    }
  }

  function startNew() {
    flush();
    state.current = null;
    state.dirty = false;
    state.lastVerdicts = null;
    store.session.set(null);
    clearBanner("conflict");
    setSaveStatus("", "Nieuwe beoordeling. Wat je invult, wordt meteen in deze browser opgeslagen.");
    afterChange();
    const first = fieldInputs[0];
    if (first) {
      first.focus();
      el.form.scrollIntoView({ block: "start" });
    }
  }

  function refreshList() {
    const listing = store.list();
    state.records = listing.records;
    reportStorageProblems(listing);
    renderList();
    scoreList();
  }

  function reportStorageProblems(listing) {
    const aside = store.quarantined();
    if (aside.length) {
      showBanner("quarantine", {
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
      clearBanner("quarantine");
    }
    if (listing.skipped.length) {
      showBanner("future", {
        kind: "warning",
        title: "Gemaakt met een nieuwere versie",
        text: "Deze beoordelingen zijn opgeslagen door een nieuwere versie van deze site en worden hier niet getoond of veranderd. Herlaad de pagina om de nieuwste versie te gebruiken.",
        list: listing.skipped.map((s) => s.id),
      });
    } else {
      clearBanner("future");
    }
  }

  function downloadQuarantine(aside) {
    const text = JSON.stringify({ kind: "kcm-quarantine", exported: now(), items: aside }, null, 2) + "\n";
    download(text, A.fileName(["kcm-onleesbaar", now().slice(0, 10)], "json"), "application/json");
  }

  function discardQuarantine(aside) {
    ask({
      title: "Apart gezette gegevens verwijderen?",
      body: ["Deze gegevens konden niet gelezen worden. Als je ze verwijdert, zijn ze definitief weg. Download ze eerst als je twijfelt."],
      buttons: [
        { label: "Annuleren", value: null, focus: true },
        { label: "Verwijderen", value: "yes", danger: true },
      ],
    }).then((answer) => {
      if (answer === "yes") {
        aside.forEach((q) => store.discardQuarantined(q.key));
        refreshList();
      }
    });
  }

  function deleteOne(id) {
    const record = state.records.find((r) => r.id === id);
    const name = record ? A.candidateName(record.data) : "";
    ask({
      title: name ? "Beoordeling van " + name + " verwijderen?" : "Beoordeling zonder naam verwijderen?",
      body: ["Dit kan niet ongedaan worden gemaakt. Exporteer de beoordeling eerst als je hem wilt bewaren."],
      buttons: [
        { label: "Annuleren", value: null, focus: true },
        { label: "Verwijderen", value: "yes", danger: true, attrs: {} },
      ],
    }).then((answer) => {
      if (answer !== "yes") {
        return;
      }
      store.remove(id);
      delete state.scores[id];
      if (state.current && state.current.id === id) {
        state.current = null;
        state.dirty = false;
        store.session.set(null);
        clearBanner("save-failed");
        setSaveStatus("", "De beoordeling is verwijderd. Je kunt een nieuwe invullen.");
        afterChange();
      } else {
        refreshList();
      }
      announce("Beoordeling verwijderd.");
    });
  }

  function deleteAll() {
    const count = state.records.length;
    ask({
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
    }).then((answer) => {
      if (answer !== "yes") {
        return;
      }
      // Material's inline head script defines __md_scope, the site root it keys settings by.
      const scope = globalThis.__md_scope;
      store.removeAll({ sitePrefix: scope ? scope.pathname + ".__" : null });
      state.scores = {};
      state.current = null;
      state.dirty = false;
      store.session.set(null);
      clearBanner("save-failed");
      clearBanner("quarantine");
      setSaveStatus("", "Alle gegevens zijn verwijderd.");
      afterChange();
      announce("Alle gegevens zijn verwijderd.");
    });
  }

  // ---------------------------------------------------------------------------------------
  // Finalising and reopening

  function finalize() {
    if (!state.current && !hasInput()) {
      showBanner("finalize", { kind: "warning", text: "Er is nog niets ingevuld om af te ronden." });
      return;
    }
    if (state.engine !== "ready") {
      showBanner("finalize", {
        kind: "warning",
        title: "Afronden kan nog niet",
        text:
          state.engine === "error"
            ? "De uitslag kan in deze browser niet berekend worden, dus afronden kan hier niet. Exporteer de beoordeling en rond hem af op een apparaat waar de uitslag wel werkt."
            : "Wacht tot de rekenmodule klaar is; dan zie je eerst de uitslag.",
      });
      return;
    }
    clearBanner("finalize");
    const data = state.current ? state.current.data : A.newDraft(rubric, A.newId(), now());
    engineCall("score", JSON.stringify(data)).then((answer) => {
      if (!answer.ok) {
        ask({
          title: "Nog niet af te ronden",
          body: ["Los eerst dit op:", problemList(answer.problems)],
          buttons: [{ label: "Terug naar het formulier", value: null, primary: true }],
        }).then(() => focusProblem(answer.problems));
        return;
      }
      const result = answer.result;
      const missing = result.missing_fields.map((id) => fieldLabel.get(id) || id).concat(result.missing_conditions.map((id) => conditionLabel.get(id) || id));
      if (missing.length) {
        ask({
          title: "Nog niet compleet",
          body: ["Vul eerst in:", make("ul", {}, missing.map((m) => make("li", { text: m })))],
          buttons: [{ label: "Terug naar het formulier", value: null, primary: true }],
        }).then(() => focusMissing(result));
        return;
      }
      const na = new Set(result.not_applicable);
      const unticked = rubric.criteria.filter((c) => !na.has(c.id) && !A.mark(data, c.id).checked);
      const body = [
        make("p", { className: "kcm-dialog__verdict", text: "Uitslag: de kandidaat is " + (result.verdict === "pass" ? "geslaagd" : "niet geslaagd") + "." }),
      ];
      if (unticked.length) {
        body.push(
          make("p", {
            text:
              unticked.length === 1
                ? "Dit criterium is niet aangevinkt en telt als niet gehaald:"
                : "Deze " + unticked.length + " criteria zijn niet aangevinkt en tellen als niet gehaald:",
          }),
          make("ul", { className: "kcm-dialog__list" }, unticked.map((c) => make("li", { text: c.id + " " + c.text }))),
        );
      } else {
        body.push(make("p", { text: "Alle criteria die van toepassing zijn, zijn aangevinkt." }));
      }
      body.push(make("p", { text: "Na afronden kun je niets meer veranderen, tenzij je de beoordeling heropent. Heropenen wordt in de beoordeling vastgelegd." }));
      ask({
        title: "Beoordeling afronden?",
        body: body,
        buttons: [
          { label: "Annuleren", value: null },
          { label: "Afronden", value: "yes", primary: true, focus: true },
        ],
      }).then((choice) => {
        if (choice === "yes") {
          edit({ type: "finalize" });
          announce("De beoordeling is afgerond.");
          el.lockNotice.setAttribute("tabindex", "-1");
          el.lockNotice.focus();
        }
      });
    });
  }

  function hasInput() {
    return fieldInputs.some((i) => i.value) || rows.some((r) => r.checked.checked);
  }

  function focusMissing(result) {
    const fieldId = result.missing_fields[0];
    if (fieldId) {
      const input = fieldInputs.find((i) => i.getAttribute("data-field-id") === fieldId);
      if (input) {
        input.focus();
        return;
      }
    }
    const conditionId = result.missing_conditions[0];
    const first = conditionInputs.find((i) => i.getAttribute("data-condition-id") === conditionId);
    if (first) {
      first.focus();
    }
  }

  function focusProblem(problems) {
    const match = /^\$\.criteria\["?([^"\]]+)"?\]/.exec((problems[0] && problems[0].path) || "");
    const row = match && rowById.get(match[1]);
    if (row) {
      row.remark.focus();
    }
  }

  function reopen() {
    ask({
      title: "Beoordeling heropenen?",
      body: ["Daarna kun je weer wijzigen. In de beoordeling wordt vastgelegd wanneer hij heropend is. Rond hem daarna opnieuw af."],
      buttons: [
        { label: "Annuleren", value: null, focus: true },
        { label: "Heropenen", value: "yes", primary: true },
      ],
    }).then((choice) => {
      if (choice === "yes" && state.current && state.current.data.status === "final") {
        commitReopen();
      }
    });
  }

  function commitReopen() {
    const base = state.current;
    const next = A.applyEdit(base.data, { type: "reopen" }, now(), rubric);
    commit(next, base.rev, { type: "reopen" });
    announce("De beoordeling is heropend.");
  }

  // ---------------------------------------------------------------------------------------
  // Export, import, print

  function download(text, name, type) {
    const blob = new Blob([text], { type: type });
    const url = URL.createObjectURL(blob);
    const link = make("a", { attrs: { href: url, download: name } });
    link.hidden = true;
    doc.body.append(link);
    link.click();
    link.remove();
    window.setTimeout(() => URL.revokeObjectURL(url), 10000);
  }

  function exportedBanner(name) {
    showBanner("exported", {
      kind: "info",
      title: "Bestand gemaakt: " + name,
      text: "Het bestand bevat persoonsgegevens (naam en geboortedatum van de kandidaat). Bewaar het op een veilige plek en verwijder het als je het niet meer nodig hebt.",
    });
  }

  function currentOrNothing() {
    if (state.current) {
      return state.current.data;
    }
    showBanner("exported", { kind: "warning", text: "Er is nog niets ingevuld om te exporteren." });
    return null;
  }

  function nameParts(data) {
    return ["kcm", A.candidateName(data) || "zonder-naam", (data.fields && data.fields.datum) || data.created.slice(0, 10)];
  }

  function exportCurrentJson() {
    const data = currentOrNothing();
    if (data) {
      const name = A.fileName(nameParts(data), "json");
      download(A.exportOneText(data), name, "application/json");
      exportedBanner(name);
    }
  }

  function exportCurrentCsv() {
    const data = currentOrNothing();
    if (data) {
      scoresFor([data]).then((results) => {
        const name = A.fileName(nameParts(data), "csv");
        download(A.csvText([data], rubric, results), name, "text/csv;charset=utf-8");
        exportedBanner(name);
      });
    }
  }

  // Every assessment, with what is on screen winning over an older stored copy.
  function allForExport() {
    const list = state.records.map((r) => (state.current && state.current.id === r.id ? state.current.data : r.data));
    if (state.current && !state.records.some((r) => r.id === state.current.id)) {
      list.unshift(state.current.data);
    }
    return list;
  }

  function exportAllJson() {
    const list = allForExport();
    if (!list.length) {
      showBanner("exported", { kind: "warning", text: "Er zijn nog geen beoordelingen om te exporteren." });
      return;
    }
    const name = A.fileName(["kcm-alle-beoordelingen", now().slice(0, 10)], "json");
    download(A.exportManyText(list, now()), name, "application/json");
    exportedBanner(name);
  }

  function exportAllCsv() {
    const list = allForExport().filter((d) => A.belongsTo(d, rubric));
    if (!list.length) {
      showBanner("exported", { kind: "warning", text: "Er zijn nog geen beoordelingen om te exporteren." });
      return;
    }
    scoresFor(list).then((results) => {
      const name = A.fileName(["kcm-alle-beoordelingen", now().slice(0, 10)], "csv");
      download(A.csvText(list, rubric, results), name, "text/csv;charset=utf-8");
      exportedBanner(name);
    });
  }

  // Scores for a CSV; empty when the engine is not there (the CSV then says "niet berekend").
  function scoresFor(list) {
    if (state.engine !== "ready") {
      return Promise.resolve({});
    }
    return Promise.all(list.map((d) => engineCall("score", JSON.stringify(d)).catch(() => null))).then((answers) => {
      const results = {};
      answers.forEach((answer, i) => {
        if (answer && answer.ok) {
          results[list[i].id] = answer.result;
        }
      });
      return results;
    });
  }

  function problemList(problems) {
    const shown = problems.slice(0, 20);
    const items = shown.map((p) => make("li", {}, [make("code", { text: p.path }), doc.createTextNode(": " + p.message)]));
    if (problems.length > shown.length) {
      items.push(make("li", { text: "en nog " + (problems.length - shown.length) + " andere problemen" }));
    }
    return make("ul", { className: "kcm-problems" }, items);
  }

  function importFile(file) {
    const name = file.name;
    if (state.engine !== "ready") {
      showBanner("import", {
        kind: "warning",
        title: "Importeren kan nu niet",
        text:
          state.engine === "error"
            ? "Een bestand wordt eerst gecontroleerd door de rekenmodule, en die werkt niet in deze browser. Er is niets veranderd."
            : "Een bestand wordt eerst gecontroleerd door de rekenmodule. Wacht tot die klaar is en kies het bestand dan opnieuw. Er is niets veranderd.",
      });
      return;
    }
    if (file.size > 20 * 1024 * 1024) {
      showBanner("import", { kind: "error", title: "Niet ingelezen: " + name, text: "Het bestand is groter dan 20 MB; dat is geen export van deze checklist. Er is niets veranderd." });
      return;
    }
    file
      .text()
      .then((text) => engineCall("check_import", text))
      .then((answer) => {
        if (!answer.ok) {
          showBanner("import", {
            kind: "error",
            title: "Niet ingelezen: " + name,
            text: "Het bestand is niet ingelezen, want er klopt iets niet. Er is niets veranderd. Dit is er mis (met de plaats in het bestand):",
          });
          $('[data-banner="import"]', el.banners).insertBefore(problemList(answer.problems), $('[data-banner="import"] .kcm-banner__actions', el.banners));
          return;
        }
        applyImport(name, answer.assessments);
      })
      .catch((error) => {
        showBanner("import", { kind: "error", title: "Niet ingelezen: " + name, text: "Het bestand kon niet gelezen worden (" + String(error && error.message) + "). Er is niets veranderd." });
      });
  }

  function applyImport(name, assessments) {
    flush();
    const listing = store.list();
    const localById = {};
    listing.records.forEach((r) => {
      localById[r.id] = r;
    });
    const plan = A.planImport(assessments, localById, rubric);
    const risky = plan.filter((p) => p.action === "older" || p.action === "foreign");
    const decide = risky.length
      ? ask({
          title: "Nieuwere versie in deze browser",
          body: [
            risky.length === 1
              ? "Deze beoordeling is in deze browser later gewijzigd dan de versie in het bestand:"
              : "Deze " + risky.length + " beoordelingen zijn in deze browser later gewijzigd dan de versie in het bestand:",
            make(
              "ul",
              {},
              risky.map((p) =>
                make("li", {
                  text:
                    (A.candidateName(p.data) || "zonder naam") +
                    ": hier gewijzigd op " +
                    A.formatMoment(p.local.data.updated) +
                    ", in het bestand op " +
                    A.formatMoment(p.data.updated),
                }),
              ),
            ),
            "Wil je ze vervangen door de oudere versie uit het bestand?",
          ],
          buttons: [
            { label: "Annuleren", value: null },
            { label: "Alleen de rest importeren", value: "skip", focus: true },
            { label: "Vervangen", value: "replace", danger: true },
          ],
        })
      : Promise.resolve("replace");
    decide.then((choice) => {
      if (choice === null) {
        showBanner("import", { kind: "info", text: "Importeren geannuleerd. Er is niets veranderd." });
        return;
      }
      const todo = plan.filter((p) => p.action === "new" || p.action === "update" || (choice === "replace" && (p.action === "older" || p.action === "foreign")));
      const same = plan.filter((p) => p.action === "same").length;
      const skipped = plan.length - todo.length - same;
      if (!todo.length) {
        showBanner("import", { kind: "info", title: "Ingelezen: " + name, text: importSummary(0, 0, same, skipped) });
        return;
      }
      const result = store.saveMany(todo.map((p) => ({ data: p.data, baseRev: p.local ? p.local.rev : 0 })));
      if (!result.ok) {
        showBanner("import", {
          kind: "error",
          title: "Niet geïmporteerd: " + name,
          text:
            result.reason === "write-failed"
              ? [result.message, "Er is niets veranderd."]
              : "Een beoordeling uit het bestand is net in een ander tabblad gewijzigd. Er is niets veranderd; probeer het opnieuw.",
        });
        return;
      }
      const added = todo.filter((p) => p.action === "new").length;
      showBanner("import", { kind: "info", title: "Ingelezen: " + name, text: importSummary(added, todo.length - added, same, skipped) });
      askPersistence();
      // The open assessment may have been replaced by the imported version.
      if (state.current && todo.some((p) => p.data.id === state.current.id)) {
        const loaded = store.load(state.current.id);
        if (loaded.ok) {
          openRecord(loaded.record);
          return;
        }
      }
      if (!state.current && todo.length === 1) {
        const loaded = store.load(todo[0].data.id);
        if (loaded.ok) {
          openRecord(loaded.record);
          return;
        }
      }
      refreshList();
    });
  }

  function importSummary(added, replaced, same, skipped) {
    const parts = [];
    if (added) {
      parts.push(added === 1 ? "1 nieuwe beoordeling" : added + " nieuwe beoordelingen");
    }
    if (replaced) {
      parts.push(replaced === 1 ? "1 bijgewerkt" : replaced + " bijgewerkt");
    }
    if (same) {
      parts.push(same === 1 ? "1 stond er al precies zo" : same + " stonden er al precies zo");
    }
    if (skipped) {
      parts.push(skipped === 1 ? "1 overgeslagen" : skipped + " overgeslagen");
    }
    return (parts.join(", ") || "niets") + ".";
  }

  // ---------------------------------------------------------------------------------------
  // The engine (worker.js)

  // The worker itself is started by engine-start.js from <head>, before this script runs, so
  // Pyodide loads while the page is parsed; here we take it over (kcm.engine) and show its state.
  const engine = { source: null, seq: 0, pending: new Map(), attachTimer: 0 };

  const STAGE_TEXT = {
    runtime: "Rekenmodule laden (stap 1 van 3): Python-omgeving ophalen…",
    python: "Rekenmodule laden (stap 2 van 3): Python starten…",
    package: "Rekenmodule laden (stap 3 van 3): kcm_core en het formulier laden…",
  };

  function attachEngine() {
    setEngineState("loading", STAGE_TEXT.runtime, 0);
    if (kcm.engine) {
      connectEngine(kcm.engine);
      return;
    }
    // engine-start.js is async: it may arrive after this script. It calls kcm.onEngine then.
    kcm.onEngine = connectEngine;
    engine.attachTimer = window.setTimeout(() => {
      if (!engine.source) {
        engineFailed("start", "engine-start.js niet geladen");
      }
    }, 20000);
  }

  function connectEngine(source) {
    window.clearTimeout(engine.attachTimer);
    engine.source = source;
    source.listen(onEngineMessage);
  }

  function onEngineMessage(message) {
    if (message.type === "progress") {
      setEngineState("loading", STAGE_TEXT[message.stage] || STAGE_TEXT.runtime, message.step);
    } else if (message.type === "ready") {
      if (message.rubric.sha256 !== rubric.sha256) {
        engineFailed("mismatch");
        return;
      }
      // For measurements (bench, tests): from starting the worker, and from page navigation.
      const readyAt = performance.now();
      html.setAttribute("data-engine-ms", String(Math.round(readyAt - engine.source.startedAt)));
      html.setAttribute("data-engine-ready-at", String(Math.round(readyAt)));
      state.engine = "ready";
      setEngineState("ready", "Rekenmodule klaar: de uitslag wordt bij elke wijziging meteen berekend.", 3);
      scoreCurrent();
      scoreList();
    } else if (message.type === "failed") {
      engineFailed(message.kind, message.detail);
    } else if (message.type === "error") {
      engineFailed(message.kind === "wasm" ? "wasm" : message.kind === "mismatch" ? "mismatch" : "load", message.detail);
    } else if (message.type === "result") {
      const pending = engine.pending.get(message.id);
      if (pending) {
        engine.pending.delete(message.id);
        if (message.error) {
          pending.reject(new Error(message.error));
        } else {
          pending.resolve(JSON.parse(message.text));
        }
      }
    }
  }

  function engineCall(fn, arg) {
    if (state.engine !== "ready") {
      return Promise.reject(new Error("engine not ready"));
    }
    engine.seq += 1;
    const id = engine.seq;
    return new Promise((resolve, reject) => {
      engine.pending.set(id, { resolve: resolve, reject: reject });
      if (!engine.source.post({ type: "call", id: id, fn: fn, args: [arg] })) {
        engine.pending.delete(id);
        reject(new Error("engine stopped"));
      }
    });
  }

  const FAILURE_TEXT = {
    file: "De pagina is geopend als bestand op deze computer (file://). Open de checklist via het webadres van de site.",
    wasm: "Deze browser kan geen WebAssembly uitvoeren, of het staat uit. Gebruik een recente versie van Chrome, Edge, Firefox of Safari.",
    old: "Deze browser is te oud voor de rekenmodule. Gebruik een recente versie van Chrome, Edge, Firefox of Safari.",
    start: "De rekenmodule kon niet starten: de browser is te oud, of het bestand kon niet geladen worden. Gebruik een recente versie van Chrome, Edge, Firefox of Safari en probeer het opnieuw.",
    load: "De bestanden van de rekenmodule konden niet geladen worden. Controleer de verbinding en probeer het opnieuw.",
    mismatch: "De rekenmodule hoort bij een andere versie van dit formulier. Herlaad de pagina.",
  };

  function engineFailed(kind, detail) {
    window.clearTimeout(engine.attachTimer);
    if (engine.source) {
      engine.source.stop();
    }
    engine.pending.forEach((p) => p.reject(new Error("engine stopped")));
    engine.pending.clear();
    state.engine = "error";
    html.setAttribute("data-engine-error", kind);
    setEngineState(
      "error",
      "De uitslag kan nu niet berekend worden. " +
        FAILURE_TEXT[kind] +
        " Invullen, aanvinken, opslaan, exporteren en afdrukken werken wel." +
        (detail ? " (Technische melding: " + detail + ")" : ""),
      0,
    );
    if (kind === "load" || kind === "start" || kind === "mismatch") {
      const retry = button(kind === "mismatch" ? "Pagina herladen" : "Opnieuw proberen", {
        onClick: () => (kind === "mismatch" ? location.reload() : retryEngine()),
        attrs: { "data-action": "engine-retry" },
      });
      el.engineStatus.append(retry);
    }
    renderResult();
    renderList();
  }

  function retryEngine() {
    $$('[data-action="engine-retry"]').forEach((n) => n.remove());
    html.removeAttribute("data-engine-error");
    state.engine = "loading";
    setEngineState("loading", STAGE_TEXT.runtime, 0);
    if (engine.source) {
      engine.source.restart();
    } else {
      location.reload();
    }
  }

  function setEngineState(kind, text, step) {
    html.setAttribute("data-engine", kind);
    el.engineStatus.setAttribute("data-state", kind);
    el.engineStatus.setAttribute("role", kind === "error" ? "alert" : "status");
    el.engineText.textContent = text;
    el.engineProgress.value = step;
    el.engineProgress.hidden = kind !== "loading";
  }

  // ---------------------------------------------------------------------------------------
  // Scoring (always kcm_core; the latest request wins)

  function scoreCurrent() {
    if (state.engine !== "ready") {
      renderResult();
      return;
    }
    const data = state.current ? state.current.data : A.newDraft(rubric, "leeg", now());
    if (!A.belongsTo(data, rubric)) {
      renderResult();
      return;
    }
    state.scoreSeq += 1;
    const seq = state.scoreSeq;
    const id = state.current ? state.current.id : null;
    engineCall("score", JSON.stringify(data)).then(
      (answer) => {
        if (seq !== state.scoreSeq) {
          return;
        }
        const entry = answer.ok ? { updated: data.updated, result: answer.result, problems: null } : { updated: data.updated, result: null, problems: answer.problems };
        if (id) {
          state.scores[id] = entry;
        }
        renderResult(entry);
        renderList();
      },
      () => renderResult(),
    );
  }

  // Scores the listed assessments that have no score yet (only those: with hundreds stored,
  // scoring all of them would keep the engine busy for seconds after every start).
  function scoreList() {
    if (state.engine !== "ready") {
      return;
    }
    const todo = listedRecords().shown.filter((r) => {
      const score = state.scores[r.id];
      // The open assessment is scored by scoreCurrent, after every change.
      const open = state.current && state.current.id === r.id;
      return !open && A.belongsTo(r.data, rubric) && (!score || score.updated !== r.data.updated) && !(score && score.pending === r.data.updated);
    });
    todo.forEach((r) => {
      const updated = r.data.updated;
      // Marked, so that a re-list before the answer does not ask again.
      state.scores[r.id] = Object.assign({}, state.scores[r.id], { pending: updated });
      engineCall("score", JSON.stringify(r.data)).then(
        (answer) => {
          state.scores[r.id] = { updated: updated, result: answer.ok ? answer.result : null, problems: answer.ok ? null : answer.problems };
          scheduleListRender();
        },
        () => {
          if (state.scores[r.id] && state.scores[r.id].pending === updated) {
            delete state.scores[r.id].pending;
          }
        },
      );
    });
  }

  // ---------------------------------------------------------------------------------------
  // Rendering

  function afterChange() {
    render();
    // Scoring first: the worker computes while this thread updates the list.
    scoreCurrent();
    refreshList();
  }

  function render() {
    const data = state.current ? state.current.data : null;
    const foreign = data && !A.belongsTo(data, rubric);
    const final = data && data.status === "final";
    el.form.setAttribute("data-status", data ? data.status : "empty");
    el.form.toggleAttribute("data-foreign-rubric", Boolean(foreign));
    el.lock.disabled = Boolean(final || foreign);
    el.finalize.hidden = Boolean(final || foreign);
    renderLockNotice(data, final, foreign);
    if (foreign) {
      renderForeign(data);
      renderFormValues(null);
    } else {
      el.foreign.hidden = true;
      el.foreign.replaceChildren();
      renderFormValues(data);
    }
    const name = data ? A.candidateName(data) : "";
    el.title.textContent = name ? "Beoordeling van " + name : rubric.title;
    el.printStatus.textContent = final ? "Afgerond op " + A.formatMoment(data.finalized) + "." : "Concept: nog niet afgerond.";
  }

  function renderLockNotice(data, final, foreign) {
    if (foreign) {
      el.lockNotice.hidden = false;
      el.reopen.hidden = true;
      el.lockText.textContent =
        "Deze beoordeling is gemaakt met een andere versie van het formulier (" +
        String(data.rubric && data.rubric.id) +
        " versie " +
        String(data.rubric && data.rubric.version) +
        "). Hij wordt niet omgezet naar dit formulier. Je kunt hem hieronder bekijken en exporteren, maar niet wijzigen.";
    } else if (final) {
      el.lockNotice.hidden = false;
      el.reopen.hidden = false;
      el.lockText.textContent = "Afgerond op " + A.formatMoment(data.finalized) + ". Je kunt deze beoordeling bekijken, afdrukken en exporteren. Wil je nog iets veranderen? Kies dan Heropenen.";
    } else {
      el.lockNotice.hidden = true;
      el.reopen.hidden = true;
      el.lockText.textContent = "";
    }
  }

  function renderFormValues(data) {
    fieldInputs.forEach((input) => {
      const id = input.getAttribute("data-field-id");
      const value = data && data.fields && typeof data.fields[id] === "string" ? data.fields[id] : "";
      setValue(input, value);
      const print = $('[data-print-field="' + id + '"]');
      if (print) {
        print.textContent = input.getAttribute("data-field-type") === "date" ? A.formatDate(value) : value;
      }
    });
    conditionInputs.forEach((input) => {
      const chosen = data && data.conditions && Array.isArray(data.conditions[input.getAttribute("data-condition-id")]) ? data.conditions[input.getAttribute("data-condition-id")] : [];
      input.checked = chosen.indexOf(input.value) !== -1;
    });
    rows.forEach((r) => {
      const m = data ? A.mark(data, r.id) : { checked: false, na: false, remark: "" };
      r.checked.checked = m.checked;
      if (r.na) {
        r.na.checked = m.na;
      }
      setValue(r.remark, m.remark);
      r.printRemark.textContent = m.remark;
      r.row.toggleAttribute("data-has-remark", Boolean(m.remark));
      r.row.toggleAttribute("data-manual-na", m.na);
    });
    remarkInputs.forEach((input) => {
      const id = input.getAttribute("data-remark-id");
      const value = data && data.remarks && typeof data.remarks[id] === "string" ? data.remarks[id] : "";
      setValue(input, value);
      const print = $('[data-print-remark="' + id + '"]');
      if (print) {
        print.textContent = value;
      }
    });
  }

  function renderForeign(data) {
    el.foreign.hidden = false;
    const items = [];
    Object.keys(data.fields || {}).forEach((k) => items.push(k + ": " + String(data.fields[k])));
    Object.keys(data.conditions || {}).forEach((k) => items.push(k + ": " + [].concat(data.conditions[k]).join(", ")));
    Object.keys(data.criteria || {}).forEach((k) => {
      const m = data.criteria[k] || {};
      items.push(k + ": " + (m.checked ? "gecheckt" : m.na ? "n.v.t." : "niet gecheckt") + (m.remark ? " (" + String(m.remark) + ")" : ""));
    });
    Object.keys(data.remarks || {}).forEach((k) => items.push("Opmerking " + (k || "algemeen") + ": " + String(data.remarks[k])));
    el.foreign.replaceChildren(make("h3", { text: "Wat er in deze beoordeling staat" }), make("ul", { className: "kcm-foreign__list" }, items.map((t) => make("li", { text: t }))));
  }

  const VERDICT = { pass: "geslaagd", fail: "niet geslaagd" };
  const OUTCOME = { pass: "gehaald", fail: "niet gehaald" };

  function renderResult(entry) {
    const data = state.current ? state.current.data : null;
    const cached = entry || (state.current && state.scores[state.current.id]) || null;
    const usable = cached && (!data || cached.updated === data.updated || entry) ? cached : null;
    const result = usable ? usable.result : null;
    const problems = usable ? usable.problems : null;
    const waiting = state.engine === "loading" ? "wordt berekend zodra de rekenmodule klaar is" : state.engine === "error" ? "niet beschikbaar" : "wordt berekend…";

    const na = new Set(result ? result.not_applicable : []);
    rows.forEach((r) => {
      const manual = r.na && r.na.checked;
      const auto = na.has(r.id) && !manual;
      r.row.toggleAttribute("data-not-applicable", na.has(r.id));
      let note = "";
      if (auto) {
        note = "n.v.t.: geldt niet voor het gekozen soort gesprek. Telt niet mee.";
      } else if (manual) {
        note = r.remark.value.trim() ? "n.v.t.: telt niet mee." : "n.v.t.: schrijf in de opmerking waarom.";
      }
      r.note.textContent = note;
    });

    outcomeEls.forEach((node, id) => {
      const verdictText = $("[data-verdict-text]", node);
      const count = $("[data-outcome-count]", node);
      const missingList = $("[data-outcome-missing]", node);
      const outcome = result ? result.outcomes.find((o) => o.id === id) : null;
      if (!outcome) {
        node.removeAttribute("data-verdict");
        verdictText.textContent = problems ? "kan niet berekend worden" : waiting;
        count.textContent = "";
        missingList.replaceChildren();
        return;
      }
      node.setAttribute("data-verdict", outcome.verdict);
      verdictText.textContent = OUTCOME[outcome.verdict];
      count.textContent = outcome.met + " van " + outcome.applicable + " criteria gehaald" + (outcome.required !== outcome.applicable ? " (nodig: " + outcome.required + ")" : "") + ".";
      missingList.replaceChildren(
        ...outcome.missing.map((cid) => {
          const info = criterionInfo.get(cid);
          return make("li", {}, [make("a", { text: cid, attrs: { href: "#kcm-check-" + cid } }), doc.createTextNode(" " + (info ? info.text : ""))]);
        }),
      );
      if (outcome.missing.length) {
        missingList.prepend(make("li", { className: "kcm-outcome__missing-title", text: "Niet aangevinkt:" }));
      }
    });

    const verdictText = $("[data-verdict-text]", el.overall);
    const reasons = $("[data-reasons]", el.overall);
    if (result) {
      el.overall.setAttribute("data-verdict", result.verdict);
      verdictText.textContent = VERDICT[result.verdict] + (result.final ? "" : " (voorlopig)");
      const items = result.reasons.map((r) => make("li", { text: r }));
      const missing = result.missing_fields.map((id) => fieldLabel.get(id) || id).concat(result.missing_conditions.map((id) => conditionLabel.get(id) || id));
      if (missing.length) {
        items.push(make("li", { className: "kcm-result__todo", text: "Nog in te vullen voor afronden: " + missing.join(", ") + "." }));
      }
      reasons.replaceChildren(...items);
    } else {
      el.overall.removeAttribute("data-verdict");
      verdictText.textContent = problems ? "nog niet te beoordelen" : "nog niet beoordeeld (" + waiting + ")";
      reasons.replaceChildren(...(problems ? [make("li", {}, [doc.createTextNode("Los eerst dit op: "), problemList(problems)])] : []));
    }
    renderSummary(result);
    maybeAnnounce(result);
  }

  function renderSummary(result) {
    $$("[data-summary-id]", el.summary).forEach((item) => {
      const outcome = result ? result.outcomes.find((o) => o.id === item.getAttribute("data-summary-id")) : null;
      const mark = $("[data-summary-mark]", item);
      if (outcome) {
        item.setAttribute("data-verdict", outcome.verdict);
        mark.textContent = outcome.verdict === "pass" ? "✓" : "✗";
        item.setAttribute("title", "Eindterm " + outcome.id + ": " + OUTCOME[outcome.verdict]);
      } else {
        item.removeAttribute("data-verdict");
        mark.textContent = "…";
      }
    });
    if (result) {
      el.summary.setAttribute("data-verdict", result.verdict);
      const met = result.outcomes.reduce((n, o) => n + o.met, 0);
      const applicable = result.outcomes.reduce((n, o) => n + o.applicable, 0);
      el.summaryOverall.textContent = (result.verdict === "pass" ? "Geslaagd" : "Niet geslaagd") + " · " + met + "/" + applicable;
    } else {
      el.summary.removeAttribute("data-verdict");
      el.summaryOverall.textContent = state.engine === "error" ? "Uitslag niet beschikbaar" : "Uitslag volgt";
    }
  }

  // Tells screen-reader users when a verdict changes; silent on opening an assessment.
  function maybeAnnounce(result) {
    if (!result) {
      return;
    }
    const verdicts = result.outcomes.map((o) => o.id + ":" + o.verdict).join(",") + "|" + result.verdict;
    const previous = state.lastVerdicts;
    state.lastVerdicts = verdicts;
    if (previous === null || previous === verdicts) {
      return;
    }
    const before = new Map(previous.split("|")[0].split(",").map((p) => p.split(":")));
    const changed = result.outcomes.filter((o) => before.get(o.id) !== o.verdict).map((o) => "Eindterm " + o.id + " nu " + OUTCOME[o.verdict] + ".");
    announce(changed.join(" ") + " Uitslag: " + VERDICT[result.verdict] + ".");
  }

  // The list shows the most recent assessments (data-list-limit), plus the open one; "Toon
  // alle" and the name filter reach the rest. Rendering hundreds of items would cost more than
  // the rest of the page (measured: ~140 ms of style and layout for 1,000 on the bench machine).
  const listLimit = Math.max(1, Number(el.list.getAttribute("data-list-limit")) || 50);
  let listRenderQueued = false;

  function shownData(record) {
    return state.current && state.current.id === record.id ? state.current.data : record.data;
  }

  // Case and accents do not matter when searching a name: "fatima" finds "Fátima".
  function searchable(text) {
    return String(text).normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  }

  function listedRecords() {
    const query = searchable(state.listFilter.trim());
    const matches = query ? state.records.filter((r) => searchable(A.candidateName(shownData(r))).includes(query)) : state.records;
    let shown = state.showAll ? matches : matches.slice(0, listLimit);
    if (state.current && shown.length < matches.length && !shown.some((r) => r.id === state.current.id)) {
      const open = matches.find((r) => r.id === state.current.id);
      if (open) {
        shown = shown.concat([open]);
      }
    }
    return { shown: shown, matches: matches.length, total: state.records.length, query: query };
  }

  function listView(record) {
    const shown = shownData(record);
    const foreign = !A.belongsTo(shown, rubric);
    const score = state.scores[record.id];
    const result = score && score.updated === shown.updated ? score.result : null;
    const verdict = foreign ? "" : result ? VERDICT[result.verdict] : state.engine === "error" ? "uitslag niet beschikbaar" : "uitslag volgt";
    return {
      id: record.id,
      name: A.candidateName(shown) || "Naam nog niet ingevuld",
      date: shown.fields && shown.fields.datum ? A.formatDate(shown.fields.datum) : A.formatMoment(shown.created),
      status: shown.status,
      statusText: foreign ? "Andere formulierversie" : shown.status === "final" ? "Afgerond" : "Concept",
      verdict: result ? result.verdict : "",
      verdictText: verdict ? verdict.charAt(0).toUpperCase() + verdict.slice(1) : "",
      current: Boolean(state.current && state.current.id === record.id),
    };
  }

  function listItem(view) {
    const li = make("li", {
      className: "kcm-list__item",
      attrs: { "data-assessment-id": view.id, "data-status": view.status },
    });
    if (view.verdict) {
      li.setAttribute("data-verdict", view.verdict);
    }
    if (view.current) {
      li.setAttribute("aria-current", "true");
    }
    const main = make("div", { className: "kcm-list__main" }, [
      make("span", { className: "kcm-list__name", text: view.name }),
      make("span", { className: "kcm-list__meta" }, [
        make("span", { text: view.date }),
        make("span", { className: "kcm-list__status", attrs: { "data-status": view.status }, text: view.statusText }),
        view.verdictText ? make("span", { className: "kcm-list__verdict", text: view.verdictText }) : null,
      ]),
    ]);
    const actions = make("div", { className: "kcm-list__actions" });
    const about = view.name + ", " + view.date;
    if (view.current) {
      actions.append(make("span", { className: "kcm-list__open", text: "Nu open" }));
    } else {
      actions.append(button("Openen", { attrs: { "data-action": "open", "aria-label": "Open de beoordeling van " + about } }));
    }
    actions.append(button("Verwijderen", { kind: "danger", attrs: { "data-action": "delete", "aria-label": "Verwijder de beoordeling van " + about } }));
    li.append(main, actions);
    return li;
  }

  // Rebuilds only the items whose text changed, so typing in the form (which re-lists after
  // every save) touches one item, and focus on the other items' buttons is kept.
  function renderList() {
    listRenderQueued = false;
    const listed = listedRecords();
    const existing = new Map(Array.from(el.list.children).map((li) => [li.getAttribute("data-assessment-id"), li]));
    const items = listed.shown.map((record) => {
      const view = listView(record);
      const key = JSON.stringify(view);
      const old = existing.get(record.id);
      if (old && old.kcmKey === key) {
        return old;
      }
      const li = listItem(view);
      li.kcmKey = key;
      return li;
    });
    items.forEach((li, i) => {
      const at = el.list.children[i] || null;
      if (at !== li) {
        el.list.insertBefore(li, at);
      }
    });
    while (el.list.children.length > items.length) {
      el.list.lastElementChild.remove();
    }
    el.listEmpty.hidden = listed.total > 0;
    // How many there are in all (the items show only the newest): for tests and the bench.
    el.list.setAttribute("data-list-total", String(listed.total));
    renderListTools(listed);
  }

  function renderListTools(listed) {
    const many = listed.total > listLimit;
    el.listTools.hidden = !many && !listed.query;
    let text = "";
    if (listed.query) {
      if (!listed.matches) {
        text = "Geen beoordeling gevonden met deze naam.";
      } else if (listed.shown.length < listed.matches) {
        text = listLimit + " van de " + listed.matches + " gevonden beoordelingen staan hierboven.";
      } else {
        text = listed.matches === 1 ? "1 beoordeling gevonden." : listed.matches + " beoordelingen gevonden.";
      }
    } else if (many) {
      text = listed.shown.length < listed.total ? "Hierboven staan de " + listLimit + " nieuwste van de " + listed.total + " beoordelingen." : "Alle " + listed.total + " beoordelingen staan hierboven.";
    }
    // A live region: set only when it changes, or screen readers repeat it after every save.
    if (el.listCount.textContent !== text) {
      el.listCount.textContent = text;
    }
    el.listMore.hidden = !text;
    el.showAll.hidden = listed.shown.length >= listed.matches;
    const label = "Toon alle (" + listed.matches + ")";
    if (el.showAll.textContent !== label) {
      el.showAll.textContent = label;
    }
  }

  // For answers that arrive one by one (scores): one list update per frame, not per answer.
  // (A hidden tab gets no animation frames: a timer there.)
  function scheduleListRender() {
    if (!listRenderQueued) {
      listRenderQueued = true;
      if (doc.hidden) {
        window.setTimeout(renderList, 50);
      } else {
        window.requestAnimationFrame(renderList);
      }
    }
  }

  // ---------------------------------------------------------------------------------------
  // Events

  el.form.addEventListener("submit", (event) => event.preventDefault());

  el.form.addEventListener("input", (event) => {
    const target = event.target;
    if (target.matches("[data-field-id]")) {
      edit({ type: "field", id: target.getAttribute("data-field-id"), value: target.value });
    } else if (target.matches('[data-role="remark"]')) {
      edit({ type: "criterion-remark", id: target.closest("[data-criterion-id]").getAttribute("data-criterion-id"), value: target.value });
    } else if (target.matches("[data-remark-id]")) {
      edit({ type: "remark", id: target.getAttribute("data-remark-id"), value: target.value });
    }
  });

  el.form.addEventListener("change", (event) => {
    const target = event.target;
    if (target.matches('[data-role="checked"]')) {
      edit({ type: "checked", id: target.closest("[data-criterion-id]").getAttribute("data-criterion-id"), value: target.checked });
    } else if (target.matches('[data-role="na"]')) {
      const row = target.closest("[data-criterion-id]");
      edit({ type: "na", id: row.getAttribute("data-criterion-id"), value: target.checked });
      if (target.checked && !$('[data-role="remark"]', row).value.trim()) {
        // kcm_core needs a reason for a manual n.v.t.
        $('[data-role="remark"]', row).focus();
      }
    } else if (target.matches("input[data-condition-id]")) {
      const id = target.getAttribute("data-condition-id");
      const values = conditionInputs.filter((i) => i.getAttribute("data-condition-id") === id && i.checked).map((i) => i.value);
      edit({ type: "condition", id: id, values: values });
    }
  });

  app.addEventListener("click", (event) => {
    const target = event.target.closest("[data-action]");
    if (!target || !app.contains(target)) {
      return;
    }
    const action = target.getAttribute("data-action");
    const item = target.closest("[data-assessment-id]");
    switch (action) {
      case "new-assessment":
        startNew();
        break;
      case "open": {
        const record = state.records.find((r) => r.id === item.getAttribute("data-assessment-id"));
        if (record) {
          openRecord(record, { focus: true });
        }
        break;
      }
      case "delete":
        deleteOne(item.getAttribute("data-assessment-id"));
        break;
      case "delete-all":
        deleteAll();
        break;
      case "show-all":
        state.showAll = true;
        renderList();
        scoreList();
        break;
      case "finalize":
        finalize();
        break;
      case "reopen":
        reopen();
        break;
      case "export-json":
        exportCurrentJson();
        break;
      case "export-csv":
        exportCurrentCsv();
        break;
      case "export-all-json":
        exportAllJson();
        break;
      case "export-all-csv":
        exportAllCsv();
        break;
      case "print":
        window.print();
        break;
      default:
        break;
    }
  });

  el.listFilter.addEventListener("input", () => {
    state.listFilter = el.listFilter.value;
    state.showAll = false;
    renderList();
    scoreList();
  });

  el.importInput.addEventListener("change", () => {
    const file = el.importInput.files && el.importInput.files[0];
    if (file) {
      importFile(file);
    }
    // Choosing the same file again must trigger another import.
    el.importInput.value = "";
  });

  // Another tab changed the storage. Only other tabs get this event.
  window.addEventListener("storage", (event) => {
    if (event.storageArea && event.storageArea !== localStorageRef) {
      return;
    }
    const kind = S.keyKind(event.key);
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
          setSaveStatus("ok", "Bijgewerkt vanuit een ander tabblad om " + timeOf(loaded.record.saved_at) + ".");
          afterChange();
          return;
        }
      } else if (loaded.reason === "missing" && state.current.rev > 0 && !state.dirty) {
        state.current = null;
        store.session.set(null);
        setSaveStatus("", "Deze beoordeling is in een ander tabblad verwijderd.");
        showBanner("conflict", { kind: "warning", text: "De beoordeling die hier open stond, is in een ander tabblad verwijderd." });
        afterChange();
        return;
      }
    }
    refreshList();
  });

  // Phones stop pages without "unload": save when the page goes to the background.
  doc.addEventListener("visibilitychange", () => {
    if (doc.visibilityState === "hidden") {
      flush();
    } else {
      refreshList();
    }
  });
  window.addEventListener("pagehide", flush);
  window.addEventListener("pageshow", (event) => {
    // Back from the back/forward cache: another tab may have changed things meanwhile.
    if (event.persisted && state.current) {
      const loaded = store.load(state.current.id);
      if (loaded.ok && loaded.record.rev > state.current.rev) {
        openRecord(loaded.record);
      } else {
        refreshList();
      }
    }
  });

  // ---------------------------------------------------------------------------------------
  // Start

  function boot() {
    const probe = store.probe();
    state.storageOk = probe.ok;
    if (!probe.ok) {
      showBanner("storage", {
        kind: "error",
        title: "Opslaan werkt niet in deze browser",
        text: [
          probe.message,
          "Je kunt wel invullen, maar niets blijft bewaard als je de pagina sluit. Exporteer de beoordeling als bestand voordat je stopt.",
        ],
        actions: [{ label: "Exporteer nu", kind: "primary", onClick: exportCurrentJson, attrs: { "data-action": "export-now" } }],
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
      openRecord(record);
    } else {
      afterChange();
    }
    attachEngine();
  }

  boot();
})();
