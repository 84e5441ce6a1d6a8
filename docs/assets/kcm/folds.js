// folds.js: less scrolling during a live call (issue 12). What folds away, and the way to the
// next open criterion:
//
// - a criterion's remark field, behind its row's button ([data-action="remark"]) on screens
//   where the remark would sit under the criterion (on wide screens it sits beside it and costs
//   no height, so it stays). A remark with text, or an n.v.t. that needs its reason, is always
//   shown ([data-remark-folded] on the row when it is folded; the field stays in the DOM). An
//   Eindterm's remark folds the same way behind [data-action="eindterm-remark"], beside its
//   result ([data-remark-folded] on the section);
// - an Eindterm whose criteria are all ticked or n.v.t. ([data-action="fold-eindterm"], shown
//   only then), down to its head and result;
// - an Eindterm's description ([data-action="eindterm-text"], [data-text-folded] on the
//   section) on narrow screens: what the Eindterm is about, not needed to tick;
// - the list of saved assessments ([data-action="toggle-list"]), folded when an assessment is
//   on a narrow screen whenever an assessment is opened or started (and at the start, unless
//   the page opened none while some are stored), so that the form starts near the top;
// - "Gegevens beheren" ([data-action="toggle-data"], [data-folded] on [data-data-section]), rare
//   tasks, folded on a narrow screen from the start; a link to it (#kcm-data) unfolds it;
// - "Volgende open" ([data-action="next-open"]): the focus goes to the next applicable
//   criterion that is neither ticked nor n.v.t., after the one last used (progress.js).
//
// The state is in the DOM (attributes), so a redraw of the form keeps what the assessor opened.
// Every fold is only on screen: on paper everything prints (checklist-print.css).
// Classic script (see store.js for why); defines globalThis.kcm.folds; kcm.folds.create({page,
// ui, session, win, measure}) where measure() is views-result.js's progress.
(function (root) {
  "use strict";

  // Below this width the remark sits under the criterion (checklist-screen.css's wide layout
  // starts at 76em).
  const NARROW = "(max-width: 75.99em)";

  function create(options) {
    const P = root.kcm.progress;
    const page = options.page;
    const el = page.el;
    const win = options.win;
    const ids = page.rows.map((r) => r.id);
    const state = options.session.state;
    // The criterion the assessor used last: "Volgende open" starts after it.
    let lastRowId = null;
    // Whether the list's fold was set for what the page started with.
    let listDecided = false;

    function narrow() {
      return typeof win.matchMedia === "function" ? win.matchMedia(NARROW).matches : true;
    }

    // ---------------------------------------------------------------------------------------
    // Remarks

    function remarkShown(r) {
      return Boolean(r.remark.value) || Boolean(r.na && r.na.checked) || r.row.hasAttribute("data-remark-open");
    }

    function syncRemarks() {
      page.rows.forEach((r) => {
        const shown = remarkShown(r);
        r.row.toggleAttribute("data-remark-folded", !shown);
        if (r.remarkToggle) {
          r.remarkToggle.setAttribute("aria-expanded", String(shown));
        }
      });
      page.eindterms.forEach((e) => {
        if (e.remark && e.remarkToggle) {
          const shown = Boolean(e.remark.value) || e.node.hasAttribute("data-remark-open");
          e.node.toggleAttribute("data-remark-folded", !shown);
          e.remarkToggle.setAttribute("aria-expanded", String(shown));
        }
      });
    }

    // Opens (and focuses) the remark of a row or an Eindterm; an empty one folds again on a
    // second tap, one with text (or a needed reason) stays.
    function toggleOpen(holder, field, keep) {
      if (holder.hasAttribute("data-remark-open") && !field.value && !keep) {
        holder.removeAttribute("data-remark-open");
        syncRemarks();
        return;
      }
      holder.setAttribute("data-remark-open", "");
      syncRemarks();
      field.focus();
    }

    function toggleRemark(button) {
      const r = page.rowById.get(button.closest("[data-criterion-id]").getAttribute("data-criterion-id"));
      toggleOpen(r.row, r.remark, Boolean(r.na && r.na.checked));
    }

    function toggleEindtermRemark(button) {
      const e = page.eindterms.find((x) => x.remarkToggle === button);
      if (e) {
        toggleOpen(e.node, e.remark, false);
      }
    }

    // ---------------------------------------------------------------------------------------
    // Eindtermen

    function syncEindterms() {
      const progress = options.measure();
      page.eindterms.forEach((e) => {
        const part = progress.eindtermen[e.id];
        const complete = Boolean(part && part.total > 0 && part.done === part.total);
        // An Eindterm that is no longer complete (a change in another tab) opens again.
        if (!complete && e.node.hasAttribute("data-folded")) {
          setEindtermFolded(e, false);
        }
        if (e.fold) {
          e.fold.hidden = !complete;
        }
      });
    }

    function setEindtermFolded(e, folded) {
      e.node.toggleAttribute("data-folded", folded);
      if (e.fold) {
        e.fold.setAttribute("aria-expanded", String(!folded));
        e.fold.firstChild.nodeValue = folded ? "Uitklappen" : "Inklappen";
      }
    }

    function toggleEindterm(button) {
      const e = page.eindterms.find((x) => x.fold === button);
      if (e) {
        setEindtermFolded(e, !e.node.hasAttribute("data-folded"));
      }
    }

    // An Eindterm's description, folded on a narrow screen from the start: the button shows it.
    function setTextFolded(e, folded) {
      e.node.toggleAttribute("data-text-folded", folded);
      e.info.setAttribute("aria-expanded", String(!folded));
    }

    function toggleText(button) {
      const e = page.eindterms.find((x) => x.info === button);
      if (e) {
        setTextFolded(e, !e.node.hasAttribute("data-text-folded"));
      }
    }

    // ---------------------------------------------------------------------------------------
    // "Gegevens beheren": rare tasks (export all, import, delete all), folded on a phone.

    function setDataFolded(folded) {
      if (!el.dataSection) {
        return;
      }
      el.dataSection.toggleAttribute("data-folded", folded);
      el.dataBody.hidden = folded;
      el.dataToggle.setAttribute("aria-expanded", String(!folded));
    }

    function toggleData() {
      setDataFolded(!el.dataSection.hasAttribute("data-folded"));
    }

    // ---------------------------------------------------------------------------------------
    // The list of saved assessments

    function setListFolded(folded) {
      el.listSection.toggleAttribute("data-folded", folded);
      el.listBody.hidden = folded;
      el.listToggle.setAttribute("aria-expanded", String(!folded));
    }

    function toggleList() {
      setListFolded(!el.listSection.hasAttribute("data-folded"));
    }

    // An assessment was opened or started: on a phone the form comes first.
    function opened() {
      lastRowId = null;
      listDecided = true;
      page.rows.forEach((r) => r.row.removeAttribute("data-remark-open"));
      page.eindterms.forEach((e) => {
        e.node.removeAttribute("data-remark-open");
        setEindtermFolded(e, false);
      });
      setListFolded(narrow());
    }

    // The first list after the start: a page that opened no assessment while some are stored
    // is there to choose one, so the list shows.
    function listed() {
      if (!listDecided) {
        listDecided = true;
        setListFolded(narrow() && (Boolean(state.current) || state.records.length === 0));
      }
    }

    // ---------------------------------------------------------------------------------------
    // Moving the focus

    // Shows what hides `node`: its folded Eindterm, its folded remark.
    function reveal(node) {
      if (!node) {
        return;
      }
      page.eindterms.forEach((e) => {
        if (e.node.hasAttribute("data-folded") && e.node.contains(node)) {
          setEindtermFolded(e, false);
        }
      });
      if (el.dataSection && el.dataSection.contains(node)) {
        setDataFolded(false);
      }
      const rowNode = node.closest("[data-criterion-id]");
      if (rowNode && node.matches('[data-role="remark"]')) {
        rowNode.setAttribute("data-remark-open", "");
        syncRemarks();
      }
      const e = page.eindterms.find((x) => x.remark === node);
      if (e) {
        e.node.setAttribute("data-remark-open", "");
        syncRemarks();
      }
    }

    // session.js "focus" events: reveal the control, then page.js moves the focus there.
    function focus(target) {
      reveal(page.control(target));
      return page.focus(target);
    }

    function nextOpen() {
      const progress = options.measure();
      const id = P.nextOpen(ids, progress.open, lastRowId);
      if (!id) {
        options.ui.announce("Er is geen open criterium meer. Je kunt de beoordeling afronden.");
        const target = el.finalize.hidden ? el.doneText : el.finalize;
        target.scrollIntoView({ block: "center" });
        target.focus({ preventScroll: true });
        return;
      }
      const r = page.rowById.get(id);
      reveal(r.checked);
      lastRowId = id;
      // Centred, so the sticky bar never covers it.
      r.row.scrollIntoView({ block: "center" });
      r.checked.focus({ preventScroll: true });
    }

    function noteRow(event) {
      const rowNode = event.target && event.target.closest ? event.target.closest("[data-criterion-id]") : null;
      if (rowNode) {
        lastRowId = rowNode.getAttribute("data-criterion-id");
      }
    }
    // On a phone the page starts with the form, not with the list, and the rare tasks and the
    // Eindtermen's descriptions wait behind their buttons.
    setListFolded(narrow());
    setDataFolded(narrow() && !(win.location && win.location.hash === "#kcm-data"));
    page.eindterms.forEach((e) => {
      if (e.info) {
        e.info.hidden = false;
        setTextFolded(e, narrow());
      }
      if (e.remarkToggle) {
        e.remarkToggle.hidden = false;
      }
    });
    // "Exporteren, importeren en verwijderen staan onderaan": the link leads to them unfolded.
    el.app.addEventListener("click", (event) => {
      const link = event.target.closest ? event.target.closest('a[href="#kcm-data"]') : null;
      if (link) {
        setDataFolded(false);
      }
    });
    el.form.addEventListener("focusin", noteRow);
    el.form.addEventListener("change", noteRow);

    function sync() {
      syncRemarks();
      syncEindterms();
    }

    return {
      sync: sync,
      opened: opened,
      listed: listed,
      focus: focus,
      reveal: reveal,
      nextOpen: nextOpen,
      toggleRemark: toggleRemark,
      toggleEindtermRemark: toggleEindtermRemark,
      toggleEindterm: toggleEindterm,
      toggleList: toggleList,
      toggleText: toggleText,
      toggleData: toggleData,
    };
  }

  root.kcm = root.kcm || {};
  root.kcm.folds = { create: create };
})(globalThis);
