// ui.js: small helpers for the checklist's own pieces of page: elements from text, buttons,
// banners, the confirmation dialog (also with a choice per item), hints under form fields,
// announcements for screen readers, and the request to keep the data.
//
// Text only: whatever a rubric, a user or an imported file says goes in with textContent, never
// as HTML. Banners and dialogs are described as data ({title, text, list, problems, actions} and
// body parts), so session.js and transfer.js can say what to show without a DOM.
//
// kcm_core's problems reach people as sentences (problemTexts): where, in words of the form
// ("Veld Datum", "Criterium 2.4.1.b, opmerking"), and kcm_core's message; never as a path.
//
// Classic script (see store.js for why); defines globalThis.kcm.ui; kcm.ui.create({doc, win,
// el}) with the elements from page.js; kcm.ui.problemTexts needs no page.
(function (root) {
  "use strict";

  const TOP_PLACES = {
    format: "Soort bestand",
    format_version: "Versie van het bestandsformaat",
    id: "Id",
    rubric: "Formulier",
    fields: "Gegevens",
    conditions: "Keuzes",
    criteria: "Criteria",
    remarks: "Opmerkingen",
    status: "Status",
    created: "Gemaakt op",
    updated: "Gewijzigd op",
    finalized: "Afgerond op",
    history: "Geschiedenis",
    exported: "Exportdatum",
    assessments: "Lijst met beoordelingen",
  };
  const MARK_PLACES = { checked: "vinkje", na: "n.v.t.", remark: "opmerking" };
  // Keys come from a file: only the tables' own entries count (never "__proto__" and the like).
  const own = (table, key) => (Object.prototype.hasOwnProperty.call(table, key) ? table[key] : null);

  // Where kcm_core's `parts` point, in words of the form; "" for the file as a whole.
  function place(parts, rubric) {
    const key = parts[0];
    const id = parts[1];
    const label = (list) => {
      const found = list.find((item) => item.id === id);
      return found ? found.label : String(id);
    };
    if (!parts.length) {
      return "";
    }
    if (key === "assessments" && typeof id === "number") {
      const inner = place(parts.slice(2), rubric);
      return "Beoordeling " + (id + 1) + " in het bestand" + (inner ? ", " + inner.charAt(0).toLowerCase() + inner.slice(1) : "");
    }
    if (parts.length > 1 && key === "fields") {
      return "Veld " + label(rubric.fields);
    }
    if (parts.length > 1 && key === "conditions") {
      return label(rubric.conditions);
    }
    if (parts.length > 1 && key === "criteria") {
      return "Criterium " + id + (own(MARK_PLACES, parts[2]) ? ", " + own(MARK_PLACES, parts[2]) : "");
    }
    if (parts.length > 1 && key === "remarks") {
      return id === "" ? "Algemene opmerking" : "Opmerking bij Eindterm " + id;
    }
    if (key === "history" && typeof id === "number") {
      return "Geschiedenis, regel " + (id + 1);
    }
    return own(TOP_PLACES, key) || "In het bestand";
  }

  // kcm_core's problems ({path, parts, message}) as Dutch sentences. `skip`: how many leading
  // parts to leave out (2 for a record of a collection that is already named).
  function problemTexts(problems, rubric, skip) {
    return problems.map((problem) => {
      const parts = Array.isArray(problem.parts) ? problem.parts.slice(skip || 0) : [];
      const where = place(parts, rubric);
      const message = String(problem.message || "");
      const text = where ? where + ": " + message : message.charAt(0).toUpperCase() + message.slice(1);
      return /[.!?]$/.test(text) ? text : text + ".";
    });
  }

  // Messages about what a control did (an export, an import, finalising, a failed save) appear
  // next to that control, where the assessor is, not in the banner area thousands of pixels
  // above; other topics (a conflict, a restored record) concern the whole page and stay on top.
  const NEAR_TOPICS = new Set(["exported", "import", "finalize", "save-failed"]);
  // What "next to a control" means: the group or row the control is in.
  const NEAR_GROUP = ".kcm-toolbar, .kcm-actions, .kcm-criterion, .kcm-field, .kcm-condition, .kcm-summary";

  function create(options) {
    const doc = options.doc;
    const win = options.win;
    const el = options.el;
    // The control the assessor used last (outside the dialog): its messages go beside it.
    let lastControl = null;
    const noteControl = (event) => {
      const target = event.target;
      if (target && target.closest && !target.closest("dialog") && target.closest("button, input, textarea, select, a")) {
        lastControl = target.closest("button, input, textarea, select, a");
      }
    };
    if (el.app) {
      el.app.addEventListener("click", noteControl, true);
      el.app.addEventListener("change", noteControl, true);
      el.app.addEventListener("input", noteControl, true);
    }

    // Where a banner about `topic` goes: after the group of the control that caused it, or null
    // (the banner area at the top).
    function nearAnchor(topic) {
      if (!NEAR_TOPICS.has(topic) || !lastControl || !lastControl.isConnected) {
        return null;
      }
      const group = lastControl.closest(NEAR_GROUP);
      // The sticky bar is no place for a message: the form's action group is.
      if (!group || group.matches(".kcm-summary")) {
        return null;
      }
      return group;
    }

    function make(tag, opts, children) {
      const node = doc.createElement(tag);
      const o = opts || {};
      if (o.text !== undefined) {
        node.textContent = o.text;
      }
      if (o.className) {
        node.className = o.className;
      }
      if (o.attrs) {
        Object.keys(o.attrs).forEach((name) => node.setAttribute(name, o.attrs[name]));
      }
      (children || []).forEach((child) => {
        if (child) {
          node.append(child);
        }
      });
      return node;
    }

    function button(label, opts) {
      const o = opts || {};
      const node = make("button", { text: label, className: "kcm-button" + (o.kind ? " kcm-button--" + o.kind : ""), attrs: o.attrs });
      node.type = "button";
      if (o.onClick) {
        node.addEventListener("click", o.onClick);
      }
      return node;
    }

    // Problems as a list of sentences (problemTexts), at most 20.
    function problemList(lines) {
      const shown = lines.slice(0, 20);
      const items = shown.map((line) => make("li", { text: line }));
      if (lines.length > shown.length) {
        items.push(make("li", { text: "en nog " + (lines.length - shown.length) + " andere problemen" }));
      }
      return make("ul", { className: "kcm-problems" }, items);
    }

    // One question per item, each a group of radio buttons: {choices: [{name, legend, lines,
    // options: [{value, label}], selected}], onChange(name, value)}. The dialog's buttons still
    // answer ask(); the caller keeps the choices it is told through onChange.
    function choiceList(value) {
      const groups = value.choices.map((choice, i) => {
        const group = "kcm-choice-" + i;
        const rows = choice.options.map((option, j) => {
          const input = make("input", { attrs: { type: "radio", id: group + "-" + j, name: group, value: option.value } });
          input.checked = option.value === choice.selected;
          input.addEventListener("change", () => input.checked && value.onChange(choice.name, option.value));
          return make("div", { className: "kcm-check" }, [input, make("label", { text: option.label, attrs: { for: group + "-" + j } })]);
        });
        const lines = (choice.lines || []).map((line) => make("p", { className: "kcm-hint", text: line }));
        return make("fieldset", { className: "kcm-condition", attrs: { "data-choice": choice.name } }, [make("legend", { text: choice.legend })].concat(lines, rows));
      });
      // Not a scrolling list of its own: the dialog scrolls, so the options are never hidden.
      return make("div", { className: "kcm-choices" }, groups);
    }

    // One part of a dialog's body: a sentence, {text, className} (a paragraph), {list: [text],
    // className} (a bulleted list), {problems: [sentence]} (problemTexts), {choices}
    // (choiceList). With `links: true`, the lines of a list or of problems are buttons that
    // answer the dialog with their index ("0", "1", …): "1.1.1.c: schrijf een reden bij n.v.t."
    // then leads to the criterion.
    function part(value) {
      if (typeof value === "string") {
        return make("p", { text: value });
      }
      if (value.links) {
        const lines = value.problems || value.list;
        return make(
          "ul",
          { className: "kcm-dialog__links" },
          lines.map((line, i) => make("li", {}, [button(line, { kind: "link", attrs: { "data-dialog-value": String(i) } })])),
        );
      }
      if (value.problems) {
        return problemList(value.problems);
      }
      if (value.choices) {
        return choiceList(value);
      }
      if (value.list) {
        return make("ul", { className: value.className }, value.list.map((item) => make("li", { text: item })));
      }
      return make("p", { className: value.className, text: value.text });
    }

    // A hint under a form field that says what is wrong with it (`kind` names it, e.g. "date":
    // [data-date-hint] on the hint), or no hint when `text` is null. The field is marked
    // invalid and described by the hint while it shows.
    function fieldHint(input, kind, text) {
      const id = input.id + "-" + kind + "-hint";
      let hint = doc.getElementById(id);
      if (!hint && text) {
        hint = make("p", { className: "kcm-hint", attrs: { id: id, ["data-" + kind + "-hint"]: input.getAttribute("data-field-id") || "" } });
        input.after(hint);
      }
      if (!hint) {
        return;
      }
      hint.textContent = text || "";
      hint.hidden = !text;
      const described = (input.getAttribute("aria-describedby") || "").split(" ").filter((t) => t && t !== id).concat(text ? [id] : []);
      const set = (name, value) => (value ? input.setAttribute(name, value) : input.removeAttribute(name));
      set("aria-describedby", described.join(" "));
      set("aria-invalid", text ? "true" : "");
    }

    // Banners: one per topic, replaced rather than stacked.
    function showBanner(topic, opts) {
      clearBanner(topic);
      const kind = opts.kind || "info";
      const box = make("div", {
        className: "kcm-banner kcm-banner--" + kind,
        attrs: { "data-banner": topic, role: kind === "error" ? "alert" : "status" },
      });
      if (opts.title) {
        box.append(make("p", { className: "kcm-banner__title", text: opts.title }));
      }
      (Array.isArray(opts.text) ? opts.text : [opts.text]).forEach((line) => {
        if (line) {
          box.append(make("p", { text: line }));
        }
      });
      if (opts.list && opts.list.length) {
        box.append(make("ul", { className: "kcm-banner__list" }, opts.list.map((item) => make("li", { text: item }))));
      }
      if (opts.problems) {
        box.append(problemList(opts.problems));
      }
      const actions = (opts.actions || []).slice();
      if (opts.dismiss !== false) {
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
      const anchor = nearAnchor(topic);
      if (anchor) {
        box.classList.add("kcm-banner--near");
        // In a criterion row (a list item) the message goes inside the row, not between items.
        if (anchor.matches(".kcm-criterion")) {
          anchor.append(box);
        } else {
          anchor.after(box);
        }
        // In sight, also when the control sat low on the screen (the sticky bar is kept clear
        // by the banner's scroll margin).
        if (typeof box.scrollIntoView === "function") {
          box.scrollIntoView({ block: "nearest" });
        }
        // A live region put into the page is not always read out: say it through the page's own.
        announce([opts.title].concat(opts.text).filter(Boolean).join(" "));
      } else {
        el.banners.append(box);
      }
      return box;
    }

    function clearBanner(topic) {
      (el.app || el.banners).querySelectorAll('[data-banner="' + topic + '"]').forEach((node) => node.remove());
    }

    function announce(text) {
      // Cleared first so the same sentence twice is still read out.
      el.announce.textContent = "";
      win.setTimeout(() => {
        el.announce.textContent = text;
      }, 50);
    }

    // The dialog (confirmations). Resolves with the chosen button's value, or null when
    // cancelled. options: {title, body: [part], buttons: [{label, value, primary, danger,
    // focus}]}.
    function ask(opts) {
      const buttons = opts.buttons;
      const bodyNodes = opts.body.map(part);
      if (!el.dialog || typeof el.dialog.showModal !== "function") {
        // Very old browsers: a plain confirm with the same text.
        const text = [opts.title].concat(bodyNodes.map((n) => n.textContent)).join("\n\n");
        const primary = buttons.find((b) => b.value !== null && b.primary) || buttons.find((b) => b.value !== null);
        return Promise.resolve(win.confirm(text) ? primary.value : null);
      }
      el.dialogTitle.textContent = opts.title;
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
        el.dialogBody.querySelectorAll(".kcm-dialog__links [data-dialog-value]").forEach((node) =>
          node.addEventListener("click", () => {
            resolve(node.getAttribute("data-dialog-value"));
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

    // Asks the browser once to keep this site's data (navigator.storage.persist) and says what
    // it answered.
    let persistAsked = false;
    function askPersistence() {
      if (persistAsked) {
        return;
      }
      persistAsked = true;
      const storageApi = win.navigator.storage;
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

    // A file for the user to save (an export): a link to a Blob, clicked.
    function download(text, name, type) {
      const blob = new win.Blob([text], { type: type });
      const url = win.URL.createObjectURL(blob);
      const link = make("a", { attrs: { href: url, download: name } });
      link.hidden = true;
      doc.body.append(link);
      link.click();
      link.remove();
      win.setTimeout(() => win.URL.revokeObjectURL(url), 10000);
    }

    return {
      make: make,
      button: button,
      problemList: problemList,
      fieldHint: fieldHint,
      showBanner: showBanner,
      clearBanner: clearBanner,
      announce: announce,
      ask: ask,
      askPersistence: askPersistence,
      download: download,
    };
  }

  root.kcm = root.kcm || {};
  root.kcm.ui = { create: create, problemTexts: problemTexts };
})(globalThis);
