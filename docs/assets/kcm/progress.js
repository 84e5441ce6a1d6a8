// progress.js: how far the assessor is, per Eindterm and in all, and which criterion is the
// next open one. Pure functions, no DOM.
//
// During a call an unticked criterion is open, not failed (design §4): the page shows progress
// ("ET 2 18/24"), not a verdict, until the assessment is finalised. Which criteria apply is
// kcm_core's answer (its `not_applicable`, from the score result), never worked out here: this
// file only counts. A criterion counts when its condition holds: it is not in kcm_core's
// n.v.t. list, or it is there only because the assessor set n.v.t. by hand. It is done when it
// is ticked or n.v.t. by hand, so done never exceeds the total. Before kcm_core has answered,
// every criterion counts.
//
// Classic script (see store.js for why); defines globalThis.kcm.progress.
(function (root) {
  "use strict";

  // rubric: the page's rubric data (criteria with their eindterm); markOf(id) -> {checked, na};
  // notApplicable: the ids kcm_core says are n.v.t., or null before its first answer.
  // Returns {overall: {total, done}, eindtermen: {<id>: {total, done, open: [ids]}}, open: [ids]}.
  function measure(rubric, markOf, notApplicable) {
    const eindtermen = {};
    rubric.eindtermen.forEach((e) => {
      eindtermen[e.id] = { total: 0, done: 0, open: [] };
    });
    const overall = { total: 0, done: 0 };
    const open = [];
    rubric.criteria.forEach((c) => {
      const m = markOf(c.id);
      const manualNa = Boolean(m.na);
      if (notApplicable && notApplicable.has(c.id) && !manualNa) {
        return;
      }
      const bucket = eindtermen[c.eindterm] || (eindtermen[c.eindterm] = { total: 0, done: 0, open: [] });
      bucket.total += 1;
      overall.total += 1;
      if (m.checked || manualNa) {
        bucket.done += 1;
        overall.done += 1;
      } else {
        bucket.open.push(c.id);
        open.push(c.id);
      }
    });
    return { overall: overall, eindtermen: eindtermen, open: open };
  }

  // The open criterion after `fromId` in form order (ids: every criterion id in that order),
  // starting again at the top after the last; null when none is open. Without `fromId` (or
  // with one not in the list), the first open one.
  function nextOpen(ids, open, fromId) {
    if (!open.length) {
      return null;
    }
    const isOpen = new Set(open);
    const start = ids.indexOf(fromId);
    for (let step = 1; step <= ids.length; step += 1) {
      const id = ids[(start + step + ids.length) % ids.length];
      if (isOpen.has(id)) {
        return id;
      }
    }
    return null;
  }

  // "12 van 36 afgevinkt" and the like: the words the page uses for progress.
  function words(part) {
    return part.done + " van " + part.total + " afgevinkt";
  }

  root.kcm = root.kcm || {};
  root.kcm.progress = { measure: measure, nextOpen: nextOpen, words: words };
})(globalThis);
