// ui.js: small helpers for the checklist's own pieces of page: elements from text, buttons,
// banners, the confirmation dialog, announcements for screen readers, and the request to keep
// the data.
//
// Text only: whatever a rubric, a user or an imported file says goes in with textContent, never
// as HTML. Banners and dialogs are described as data ({title, text, list, problems, actions} and
// body parts), so session.js and transfer.js can say what to show without a DOM.
//
// Classic script (see store.js for why); defines globalThis.kcm.ui; kcm.ui.create({doc, win,
// el}) with the elements from page.js.
(function (root) {
  "use strict";

  function create(options) {
    const doc = options.doc;
    const win = options.win;
    const el = options.el;

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

    // kcm_core's problems as a list: where (the path, as code) and what.
    function problemList(problems) {
      const shown = problems.slice(0, 20);
      const items = shown.map((p) => make("li", {}, [make("code", { text: p.path }), doc.createTextNode(": " + p.message)]));
      if (problems.length > shown.length) {
        items.push(make("li", { text: "en nog " + (problems.length - shown.length) + " andere problemen" }));
      }
      return make("ul", { className: "kcm-problems" }, items);
    }

    // One part of a dialog's body: a sentence, {text, className} (a paragraph), {list: [text],
    // className} (a bulleted list) or {problems} (kcm_core's problems).
    function part(value) {
      if (typeof value === "string") {
        return make("p", { text: value });
      }
      if (value.problems) {
        return problemList(value.problems);
      }
      if (value.list) {
        return make("ul", { className: value.className }, value.list.map((item) => make("li", { text: item })));
      }
      return make("p", { className: value.className, text: value.text });
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
      el.banners.append(box);
      return box;
    }

    function clearBanner(topic) {
      el.banners.querySelectorAll('[data-banner="' + topic + '"]').forEach((node) => node.remove());
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
      showBanner: showBanner,
      clearBanner: clearBanner,
      announce: announce,
      ask: ask,
      askPersistence: askPersistence,
      download: download,
    };
  }

  root.kcm = root.kcm || {};
  root.kcm.ui = { create: create };
})(globalThis);
