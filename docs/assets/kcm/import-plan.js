// import-plan.js: what an import does with each record of a file that kcm_core accepted
// (planImport), and how a stored record and the file's version of it differ, in one line of
// Dutch for the assessor (describeDifferences). Nothing is written here: transfer.js asks the
// assessor and writes.
//
// Classic script (see store.js for why); defines globalThis.kcm.importPlan; needs
// assessment.js.
(function (root) {
  "use strict";

  const A = root.kcm.assessment;
  // A moment more than this far ahead of the device's clock is suspect (a wrong clock, or a
  // hand-made file): it never makes a version count as the newest.
  const FUTURE_MS = 5 * 60 * 1000;

  // Is `iso` more than FUTURE_MS after the device's clock `nowIso`?
  function isFuture(iso, nowIso) {
    const at = Date.parse(iso);
    const now = Date.parse(nowIso);
    return !Number.isNaN(at) && !Number.isNaN(now) && at - now > FUTURE_MS;
  }

  // The keys of `a` and `b` whose values differ by `same`: those in `order` first, in that order,
  // then the rest (an assessment of another rubric version may have other keys).
  function changedKeys(a, b, order, same) {
    const x = A.isPlainObject(a) ? a : {};
    const y = A.isPlainObject(b) ? b : {};
    const known = new Set(order);
    const rest = Object.keys(x).concat(Object.keys(y)).filter((k, i, all) => !known.has(k) && all.indexOf(k) === i).sort();
    return order.concat(rest).filter((k) => !same(x[k], y[k]));
  }

  function stateText(data, rubric) {
    const when = data.status === "final" ? "afgerond op " + A.formatMoment(data.finalized) : "concept, gewijzigd op " + A.formatMoment(data.updated);
    const ref = A.isPlainObject(data.rubric) ? data.rubric : {};
    return A.belongsTo(data, rubric) ? when : "andere versie van het formulier (" + String(ref.version) + "), " + when;
  }

  // Optional lists (assessors, events): absent and empty are the same.
  function sameList(a, b) {
    return A.canonical(Array.isArray(a) ? a : []) === A.canonical(Array.isArray(b) ? b : []);
  }

  // How a stored assessment (`local`) and the file's version (`incoming`) differ, in one line
  // of Dutch for the assessor, e.g. "Hier: afgerond op 27-11-2026 10:32 · In het bestand:
  // concept, gewijzigd op 28-11-2026 09:15 · 3 criteria anders (1.1.1.a, 2.4.1.b, 2.4.2.b) ·
  // velden anders: Naam Kandidaat". `nowIso` (the device's clock) marks a time in the future.
  function describeDifferences(local, incoming, rubric, nowIso) {
    const parts = ["Hier: " + stateText(local, rubric), "In het bestand: " + stateText(incoming, rubric)];
    if (nowIso && isFuture(incoming.updated, nowIso)) {
      parts.push("let op: de tijd in het bestand ligt in de toekomst");
    }
    if (nowIso && isFuture(local.updated, nowIso)) {
      parts.push("let op: de tijd hier ligt in de toekomst");
    }
    const sameMark = (x, y) => JSON.stringify(A.mark({ criteria: { c: x } }, "c")) === JSON.stringify(A.mark({ criteria: { c: y } }, "c"));
    const criteria = changedKeys(local.criteria, incoming.criteria, rubric.criteria.map((c) => c.id), sameMark);
    const sameText = (x, y) => String(x === undefined ? "" : x) === String(y === undefined ? "" : y);
    const fields = changedKeys(local.fields, incoming.fields, rubric.fields.map((f) => f.id), sameText).map((id) => A.labelOf(rubric.fields, id));
    const sameChoice = (x, y) => A.canonical(x || []) === A.canonical(y || []);
    const conditions = changedKeys(local.conditions, incoming.conditions, rubric.conditions.map((c) => c.id), sameChoice).map((id) => A.labelOf(rubric.conditions, id));
    const remarks = changedKeys(local.remarks, incoming.remarks, [], sameText);
    if (criteria.length) {
      const shown = criteria.slice(0, 3).join(", ") + (criteria.length > 3 ? ", …" : "");
      parts.push((criteria.length === 1 ? "1 criterium" : criteria.length + " criteria") + " anders (" + shown + ")");
    }
    const labels = fields.concat(conditions);
    if (labels.length) {
      parts.push((labels.length === 1 ? "veld anders: " : "velden anders: ") + labels.join(", "));
    }
    if (remarks.length) {
      parts.push(remarks.length === 1 ? "1 opmerking anders" : remarks.length + " opmerkingen anders");
    }
    const notes = [];
    if (!sameList(local.assessors, incoming.assessors)) {
      notes.push("beoordelaar anders");
    }
    if (!sameList(local.events, incoming.events)) {
      notes.push("notities tijdens het gesprek anders");
    }
    parts.push.apply(parts, notes);
    if (!criteria.length && !labels.length && !remarks.length && !notes.length) {
      parts.push("wat er is ingevuld, is hetzelfde");
    }
    return parts.join(" · ");
  }

  // What an import does with each checked, normalised assessment of the file:
  //   {action: "new"}   not here yet: stored
  //   {action: "same"}  here with identical content: nothing to do
  //   {action: "conflict", choices, suggested, future, differences}  here, but different: the
  //     assessor chooses one of `choices`: "local" (keep mine), "incoming" (take the file's) or
  //     "both" (keep mine and store the file's as a copy, copyOf). A final record is never
  //     replaced by a draft, so "incoming" is then not offered. `suggested` is "incoming" only
  //     when the file's version was changed later, both times are believable (not in the future,
  //     isFuture against `nowIso`) and nothing final would be lost; else "local". Nothing wins
  //     without the assessor's choice.
  // `localById`: id -> stored record {id, rev, data}.
  function planImport(incoming, localById, rubric, nowIso) {
    return incoming.map((data) => {
      const local = Object.prototype.hasOwnProperty.call(localById, data.id) ? localById[data.id] : null;
      if (!local) {
        return { action: "new", data: data, local: null };
      }
      if (A.sameContent(local.data, data)) {
        return { action: "same", data: data, local: local };
      }
      const keepsFinal = local.data.status === "final" && data.status !== "final";
      const future = isFuture(data.updated, nowIso);
      const believable = !future && !isFuture(local.data.updated, nowIso);
      const later = believable && Date.parse(data.updated) > Date.parse(local.data.updated);
      return {
        action: "conflict",
        data: data,
        local: local,
        choices: keepsFinal ? ["local", "both"] : ["local", "incoming", "both"],
        suggested: later && !keepsFinal && A.belongsTo(local.data, rubric) ? "incoming" : "local",
        future: future,
        differences: describeDifferences(local.data, data, rubric, nowIso),
      };
    });
  }

  root.kcm.importPlan = {
    isFuture: isFuture,
    describeDifferences: describeDifferences,
    planImport: planImport,
  };
})(globalThis);
