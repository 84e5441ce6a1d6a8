// views.js: draws the session's state into the checklist page: the form's values, the lock
// notice, an assessment of another rubric version, the assessments list, the save status and
// the engine's status. The result, the progress and the sticky bar are views-result.js's.
//
// Text only: everything goes in with textContent or as attributes, never as HTML. Each function
// draws from the state it is given (session.js) and changes only what differs, so drawing after
// every keystroke keeps the focus and the screen reader quiet.
//
// Classic script (see store.js for why); defines globalThis.kcm.views; kcm.views.create({page,
// ui, session, engineState, onRetry, win}).
(function (root) {
  "use strict";

  const VERDICT = { pass: "geslaagd", fail: "niet geslaagd" };
  const SAVE_SHORT = { ok: "✓ Opgeslagen", pending: "Wordt opgeslagen…", error: "Niet opgeslagen" };
  const STAGE_TEXT = {
    runtime: "Rekenmodule laden (stap 1 van 3): Python-omgeving ophalen…",
    python: "Rekenmodule laden (stap 2 van 3): Python starten…",
    package: "Rekenmodule laden (stap 3 van 3): kcm_core en het formulier laden…",
  };
  const FAILURE_TEXT = {
    file: "De pagina is geopend als bestand op deze computer (file://). Open de checklist via het webadres van de site.",
    wasm: "Deze browser kan geen WebAssembly uitvoeren, of het staat uit. Gebruik een recente versie van Chrome, Edge, Firefox of Safari.",
    old: "Deze browser is te oud voor de rekenmodule. Gebruik een recente versie van Chrome, Edge, Firefox of Safari.",
    start: "De rekenmodule kon niet starten: de browser is te oud, of het bestand kon niet geladen worden. Gebruik een recente versie van Chrome, Edge, Firefox of Safari en probeer het opnieuw.",
    load: "De bestanden van de rekenmodule konden niet geladen worden. Controleer de verbinding en probeer het opnieuw.",
    mismatch: "De rekenmodule hoort bij een andere versie van dit formulier. Herlaad de pagina.",
  };

  function create(options) {
    const A = root.kcm.assessment;
    const page = options.page;
    const el = page.el;
    const rubric = page.rubric;
    // The candidates' practice page (practice.js): its words say "oefening".
    const practicePage = root.kcm.practice.pageIsPractice(rubric);
    const ui = options.ui;
    const make = ui.make;
    const doc = el.html.ownerDocument;
    const state = options.session.state;
    const engineState = () => options.engineState().state;
    // The result, the progress and the sticky bar (views-result.js).
    const resultViews = root.kcm.viewsResult.create(options);
    // An assessment of an earlier version of this form, or of another one (views-foreign.js).
    const foreignView = root.kcm.viewsForeign.create(options);
    let listRenderQueued = false;
    // True from opening an assessment until the form is drawn: then every field shows what is
    // stored, also where a refused date was typed.
    let freshlyOpened = true;

    function setValue(input, value) {
      if (input.value !== value) {
        input.value = value;
      }
    }

    function saveStatus(kind, text) {
      el.saveStatus.textContent = text;
      el.saveStatus.setAttribute("data-save-state", kind);
      // The same state in short in the sticky bar, where the assessor is while ticking.
      if (el.saveMirror) {
        el.saveMirror.textContent = SAVE_SHORT[kind] || "";
        el.saveMirror.setAttribute("data-save-state", kind);
      }
    }

    // Why this browser cannot promise the disk (store-durable.js): a line of its own under the
    // storage line, which ui.js fills with the browser's answer about lasting storage.
    let durableLine = null;
    function durableInfo(text) {
      if (!durableLine) {
        durableLine = make("p", { className: "kcm-storage-info", attrs: { "data-storage-durable": "" } });
        el.storageInfo.after(durableLine);
      }
      durableLine.textContent = text;
    }

    // ---------------------------------------------------------------------------------------
    // The form

    function render() {
      const data = state.current ? state.current.data : null;
      const foreign = data && !A.belongsTo(data, rubric);
      const final = data && data.status === "final";
      el.form.setAttribute("data-status", data ? data.status : "empty");
      el.form.toggleAttribute("data-foreign-rubric", Boolean(foreign));
      el.app.toggleAttribute("data-foreign-open", Boolean(foreign));
      el.lock.disabled = Boolean(final || foreign);
      el.finalize.hidden = Boolean(final || foreign);
      // Finalised: the spot where "Afronden" was says so and offers the next steps.
      el.nextCandidate.hidden = !final;
      el.doneText.hidden = !final;
      const next = practicePage ? ". Bewaar je oefening als bestand, druk hem af, of begin een nieuwe oefening." : ". Bewaar de beoordeling als bestand, druk hem af, of begin met de volgende kandidaat.";
      el.doneText.textContent = final ? "Afgerond op " + A.formatMoment(data.finalized) + next : "";
      renderLockNotice(data, final, foreign);
      if (foreign) {
        foreignView.render(data);
        renderFormValues(null);
      } else {
        foreignView.hide();
        renderFormValues(data);
      }
      resultViews.renderProgress();
      const name = data ? A.candidateName(data) : "";
      if (practicePage) {
        el.title.textContent = name ? "Oefening van " + name : "Oefening: " + rubric.title;
      } else {
        el.title.textContent = name ? "Beoordeling van " + name : rubric.title;
      }
      el.printStatus.textContent = final ? "Afgerond op " + A.formatMoment(data.finalized) + "." : "Concept: nog niet afgerond.";
    }

    function renderLockNotice(data, final, foreign) {
      if (foreign) {
        el.lockNotice.hidden = false;
        el.reopen.hidden = true;
        el.lockText.textContent = foreignView.notice(data);
      } else if (final) {
        el.lockNotice.hidden = false;
        el.reopen.hidden = false;
        el.lockText.textContent = "Afgerond op " + A.formatMoment(data.finalized) + ". Je kunt deze " + (practicePage ? "oefening" : "beoordeling") + " bekijken, afdrukken en exporteren. Wil je nog iets veranderen? Kies dan Heropenen.";
      } else {
        el.lockNotice.hidden = true;
        el.reopen.hidden = true;
        el.lockText.textContent = "";
      }
    }

    function renderFormValues(data) {
      const keepTyped = Boolean(data) && !freshlyOpened;
      freshlyOpened = false;
      page.fields.forEach((field) => {
        const value = data && data.fields && typeof data.fields[field.id] === "string" ? data.fields[field.id] : "";
        // A date kcm_core would refuse (a year of five or six digits) is stored as ""
        // (assessment.js's applyEdit); the field keeps what was typed and says what to do.
        const refused = field.type === "date" && keepTyped && value === "" && field.input.value !== "" && !A.isDate(field.input.value, rubric);
        if (!refused) {
          setValue(field.input, value);
        }
        if (field.type === "date") {
          ui.fieldHint(field.input, "date", refused ? "Deze datum kan niet bewaard worden. Vul een bestaande datum in, met een jaartal van vier cijfers." : null);
        }
        if (field.print) {
          field.print.textContent = field.type === "date" ? A.formatDate(value) : value;
        }
      });
      page.conditionInputs.forEach((input) => {
        const id = input.getAttribute("data-condition-id");
        const chosen = data && data.conditions && Array.isArray(data.conditions[id]) ? data.conditions[id] : [];
        input.checked = chosen.indexOf(input.value) !== -1;
      });
      page.rows.forEach((r) => {
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
      page.remarks.forEach((remark) => {
        const value = data && data.remarks && typeof data.remarks[remark.id] === "string" ? data.remarks[remark.id] : "";
        setValue(remark.input, value);
        if (remark.print) {
          remark.print.textContent = value;
        }
      });
    }

    // kcm_core's result of the open assessment of an earlier form version arrived
    // (scoring.js "foreign-result").
    function renderForeignResult() {
      const data = state.current ? state.current.data : null;
      if (data && !A.belongsTo(data, rubric)) {
        foreignView.render(data);
      }
    }

    function opened() {
      freshlyOpened = true;
      resultViews.opened();
    }

    // ---------------------------------------------------------------------------------------
    // The list

    function listView(record) {
      const shown = state.current && state.current.id === record.id ? state.current.data : record.data;
      const foreign = !A.belongsTo(shown, rubric);
      // Scored against its own version (an earlier one of this form) by the engine.
      const scorable = root.kcm.versions.scorable(shown, rubric);
      const score = state.scores[record.id];
      const result = score && score.updated === shown.updated ? score.result : null;
      const verdict = !scorable ? "" : result ? VERDICT[result.verdict] : engineState() === "error" ? "uitslag niet beschikbaar" : "uitslag volgt";
      return {
        id: record.id,
        name: A.candidateName(shown) || "Naam nog niet ingevuld",
        date: shown.fields && shown.fields.datum ? A.formatDate(shown.fields.datum) : A.formatMoment(shown.created),
        status: shown.status,
        statusText: shown.status === "final" ? "Afgerond" : "Concept",
        // Which form it belongs to, when not this version of this one.
        rubricText: foreign ? root.kcm.versions.label(shown, rubric) : "",
        verdict: result ? result.verdict : "",
        verdictText: verdict ? verdict.charAt(0).toUpperCase() + verdict.slice(1) : "",
        current: Boolean(state.current && state.current.id === record.id),
        practice: root.kcm.practice.isPractice(shown),
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
      // A practice says so in its item too: it is never an exam result.
      li.toggleAttribute("data-practice", view.practice);
      const main = make("div", { className: "kcm-list__main" }, [
        make("span", { className: "kcm-list__name", text: view.name }),
        make("span", { className: "kcm-list__meta" }, [
          view.practice ? make("span", { className: "kcm-list__practice", text: "Oefening" }) : null,
          make("span", { text: view.date }),
          make("span", { className: "kcm-list__status", attrs: { "data-status": view.status }, text: view.statusText }),
          view.rubricText ? make("span", { className: "kcm-list__rubric", attrs: { "data-list-rubric": "" }, text: view.rubricText }) : null,
          view.verdictText ? make("span", { className: "kcm-list__verdict", text: view.verdictText }) : null,
        ]),
      ]);
      const actions = make("div", { className: "kcm-list__actions" });
      const about = (view.practice ? "oefening van " : "beoordeling van ") + view.name + ", " + view.date;
      if (view.current) {
        actions.append(make("span", { className: "kcm-list__open", text: "Nu open" }));
      } else {
        actions.append(ui.button("Openen", { attrs: { "data-action": "open", "aria-label": "Openen: " + about } }));
      }
      actions.append(ui.button("Verwijderen", { kind: "danger", attrs: { "data-action": "delete", "aria-label": "Verwijderen: " + about } }));
      li.append(main, actions);
      return li;
    }

    // Rebuilds only the items whose text changed, so typing in the form (which re-lists after
    // every save) touches one item, and focus on the other items' buttons is kept.
    function renderList() {
      listRenderQueued = false;
      const listed = options.session.listed();
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
      el.listBadge.textContent = listed.total ? "(" + listed.total + ")" : "";
      // How many there are in all (the items show only the newest): for tests and the bench.
      el.list.setAttribute("data-list-total", String(listed.total));
      renderListTools(listed);
    }

    function renderListTools(listed) {
      const limit = listed.limit;
      const many = listed.total > limit;
      el.listTools.hidden = !many && !listed.query;
      let text = "";
      if (listed.query) {
        if (!listed.matches) {
          text = "Geen beoordeling gevonden met deze naam.";
        } else if (listed.shown.length < listed.matches) {
          text = limit + " van de " + listed.matches + " gevonden beoordelingen staan hierboven.";
        } else {
          text = listed.matches === 1 ? "1 beoordeling gevonden." : listed.matches + " beoordelingen gevonden.";
        }
      } else if (many) {
        text = listed.shown.length < listed.total ? "Hierboven staan de " + limit + " nieuwste van de " + listed.total + " beoordelingen." : "Alle " + listed.total + " beoordelingen staan hierboven.";
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
          options.win.setTimeout(renderList, 50);
        } else {
          options.win.requestAnimationFrame(renderList);
        }
      }
    }

    // ---------------------------------------------------------------------------------------
    // The engine's status (engine-client.js states)

    function renderEngine(info) {
      const html = el.html;
      if (info.state === "loading") {
        el.engineStatus.querySelectorAll('[data-action="engine-retry"]').forEach((n) => n.remove());
        html.removeAttribute("data-engine-error");
        setEngineState("loading", STAGE_TEXT[info.stage] || STAGE_TEXT.runtime, info.step);
      } else if (info.state === "ready") {
        html.setAttribute("data-engine-ms", String(info.ms));
        html.setAttribute("data-engine-ready-at", String(info.at));
        setEngineState("ready", "Rekenmodule klaar: de uitslag wordt bij elke wijziging meteen berekend.", 3);
      } else {
        const kind = info.kind;
        html.setAttribute("data-engine-error", kind);
        setEngineState(
          "error",
          "De uitslag kan nu niet berekend worden. " +
            FAILURE_TEXT[kind] +
            " Invullen, aanvinken, opslaan, exporteren en afdrukken werken wel." +
            (info.detail ? " (Technische melding: " + info.detail + ")" : ""),
          0,
        );
        if (kind === "load" || kind === "start" || kind === "mismatch") {
          const retry = ui.button(kind === "mismatch" ? "Pagina herladen" : "Opnieuw proberen", {
            onClick: () => options.onRetry(kind),
            attrs: { "data-action": "engine-retry" },
          });
          el.engineStatus.append(retry);
        }
      }
    }

    function setEngineState(kind, text, step) {
      el.html.setAttribute("data-engine", kind);
      el.engineStatus.setAttribute("data-state", kind);
      el.engineStatus.setAttribute("role", kind === "error" ? "alert" : "status");
      el.engineText.textContent = text;
      el.engineProgress.value = step;
      el.engineProgress.hidden = kind !== "loading";
    }

    return {
      render: render,
      renderResult: resultViews.renderResult,
      renderForeignResult: renderForeignResult,
      measure: resultViews.measure,
      renderList: renderList,
      scheduleListRender: scheduleListRender,
      renderEngine: renderEngine,
      saveStatus: saveStatus,
      durableInfo: durableInfo,
      opened: opened,
    };
  }

  root.kcm = root.kcm || {};
  root.kcm.views = { create: create };
})(globalThis);
