// page.js: the checklist page as the scripts see it: its elements, and the rubric it shows.
//
// The build (build_tools.checklist and checklist_data) renders the checklist as HTML and writes
// the rubric's data into the page once more as JSON, first thing inside [data-kcm-app]:
//   <script type="application/json" id="kcm-rubric-data">{id, version, sha256, title, fields,
//   conditions, eindtermen, criteria, practice, siblingUrl, limits, …}</script>
// (the shape is described at assessment.js's newDraft; `practice`: this is the candidates'
// practice page, `siblingUrl`: the page of the other kind, or null). The scripts read the
// rubric from there, never from the rendered text, so the HTML may change without changing
// what is saved.
//
// Also finds the control for a focus target (finalize.js: where kcm_core says a problem or a
// missing answer is; session.js: the form after opening) and moves the focus there.
//
// Classic script (see store.js for why); defines globalThis.kcm.page. Elements are looked up
// once, when app.js starts; nothing here changes the page.
(function (root) {
  "use strict";

  const RUBRIC_DATA_ID = "kcm-rubric-data";

  // The rubric block's text as an object. The build escapes "<" as \u003c, which JSON reads
  // back as "<".
  function parseRubric(text) {
    const rubric = JSON.parse(text);
    if (!rubric || typeof rubric !== "object" || !Array.isArray(rubric.criteria) || !rubric.limits) {
      throw new Error("rubric data incomplete");
    }
    return rubric;
  }

  // Everything the scripts need from the page, or null when this is not the checklist page.
  function read(doc) {
    const app = doc.querySelector("[data-kcm-app]");
    const dataNode = doc.getElementById(RUBRIC_DATA_ID);
    if (!app || !dataNode) {
      return null;
    }
    const rubric = parseRubric(dataNode.textContent);
    const $ = (selector, rootNode) => (rootNode || app).querySelector(selector);
    const $$ = (selector, rootNode) => Array.from((rootNode || app).querySelectorAll(selector));
    const byAttribute = (name) => new Map($$("[" + name + "]").map((node) => [node.getAttribute(name), node]));

    const el = {
      html: doc.documentElement,
      app: app,
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
      saveMirror: $("[data-save-mirror]"),
      listSection: $("[data-list-section]"),
      listBody: $("[data-list-body]"),
      listToggle: $('[data-action="toggle-list"]'),
      listBadge: $("[data-list-badge]"),
      dataSection: $("[data-data-section]"),
      dataBody: $("[data-data-body]"),
      dataToggle: $('[data-action="toggle-data"]'),
      doneText: $("[data-done-text]"),
      nextCandidate: $('[data-action="next-candidate"]'),
      importInput: $('input[type=file][data-action="import"]'),
      printStatus: $("[data-print-status]"),
    };

    const fieldInput = byAttribute("data-field-id");
    const fieldPrint = byAttribute("data-print-field");
    // The header fields in the rubric's order, with their type from the rubric.
    const fields = rubric.fields
      .filter((f) => fieldInput.has(f.id))
      .map((f) => ({ id: f.id, type: f.type, input: fieldInput.get(f.id), print: fieldPrint.get(f.id) || null }));
    const conditionInputs = $$("input[data-condition-id]");
    const remarkPrint = byAttribute("data-print-remark");
    const remarks = $$("textarea[data-remark-id]").map((input) => {
      const id = input.getAttribute("data-remark-id");
      return { id: id, input: input, print: remarkPrint.get(id) || null };
    });
    const rows = $$("[data-criterion-id]").map((row) => ({
      id: row.getAttribute("data-criterion-id"),
      row: row,
      checked: $('[data-role="checked"]', row),
      na: $('[data-role="na"]', row),
      remark: $('[data-role="remark"]', row),
      note: $("[data-criterion-note]", row),
      printRemark: $("[data-print-remark-criterion]", row),
      remarkToggle: $('[data-action="remark"]', row),
    }));
    // The Eindterm sections (id "kcm-eindterm-<id>") with their fold button, the button that
    // shows their description on a phone, and their remark with its button.
    const eindterms = $$(".kcm-eindterm").map((node) => ({
      id: node.id.replace(/^kcm-eindterm-/, ""),
      node: node,
      fold: $('[data-action="fold-eindterm"]', node),
      info: $('[data-action="eindterm-text"]', node),
      remark: $("textarea[data-remark-id]", node),
      remarkToggle: $('[data-action="eindterm-remark"]', node),
    }));
    const rowById = new Map(rows.map((r) => [r.id, r]));
    const outcomes = Array.from(byAttribute("data-outcome-id"), ([id, node]) => ({
      id: id,
      node: node,
      verdictText: $("[data-verdict-text]", node),
      count: $("[data-outcome-count]", node),
      missing: $("[data-outcome-missing]", node),
    }));
    const summaryItems = $$("[data-summary-id]", el.summary).map((node) => ({
      id: node.getAttribute("data-summary-id"),
      node: node,
      mark: $("[data-summary-mark]", node),
    }));

    // The control for a focus target ({kind: "field"|"condition"|"criterion", id, role}, from
    // finalize.js's problemTarget and missingTarget), or null.
    function control(target) {
      if (!target) {
        return null;
      }
      if (target.kind === "field") {
        const field = fields.find((f) => f.id === target.id);
        return field ? field.input : null;
      }
      if (target.kind === "assessor") {
        return $('[data-field-id="beoordelaar"]');
      }
      if (target.kind === "condition") {
        return conditionInputs.find((i) => i.getAttribute("data-condition-id") === target.id) || null;
      }
      if (target.kind === "criterion") {
        const row = rowById.get(target.id);
        if (!row) {
          return null;
        }
        if (target.role === "reason") {
          return row.row.querySelector('[data-role="reason"]');
        }
        // A criterion without n.v.t. (a knock-out) has only its checkbox to point at.
        return (target.role === "checked" ? row.checked : target.role === "na" ? row.na || row.checked : row.remark) || null;
      }
      return null;
    }

    // Moves the focus (session.js "focus" events): to a control, or to the form's title, the
    // lock notice or the text after finalising, which take the focus only for this (tabindex
    // -1). A control folded away is shown first by folds.js (its reveal), not here.
    function focus(target) {
      const kind = target ? target.kind : null;
      if (kind === "title" || kind === "lock-notice") {
        const node = kind === "title" ? el.title : el.lockNotice;
        node.setAttribute("tabindex", "-1");
        node.focus();
        if (kind === "title") {
          el.form.scrollIntoView({ block: "start" });
        }
        return true;
      }
      if (kind === "done") {
        // After finalising: the text beside the next steps, where "Afronden" was.
        el.doneText.focus({ preventScroll: true });
        el.doneText.scrollIntoView({ block: "center" });
        return true;
      }
      if (kind === "first-field") {
        if (!fields.length) {
          return false;
        }
        fields[0].input.focus();
        el.form.scrollIntoView({ block: "start" });
        return true;
      }
      const node = control(target);
      if (node) {
        node.focus();
      }
      return Boolean(node);
    }

    // True when the form shows anything typed or ticked (even before a draft exists).
    function hasInput() {
      return fields.some((f) => f.input.value) || rows.some((r) => r.checked.checked);
    }

    return {
      rubric: rubric,
      el: el,
      $: $,
      $$: $$,
      fields: fields,
      conditionInputs: conditionInputs,
      remarks: remarks,
      rows: rows,
      rowById: rowById,
      outcomes: outcomes,
      summaryItems: summaryItems,
      eindterms: eindterms,
      control: control,
      focus: focus,
      hasInput: hasInput,
    };
  }

  root.kcm = root.kcm || {};
  root.kcm.page = { RUBRIC_DATA_ID: RUBRIC_DATA_ID, parseRubric: parseRubric, read: read };
})(globalThis);
