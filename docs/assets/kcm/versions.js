// versions.js: to which rubric a stored assessment belongs, seen from this page.
//
// The site publishes several rubrics, and a rubric changes over the years; every checklist
// page shares one storage, so the list may hold assessments of this rubric's current version
// ("own"), of an earlier version of it ("archived": the page's rubric data block carries that
// version's facts, and the engine holds it, so it is shown with its own texts and scored
// against its own version, never re-mapped to today's), of another rubric of the site
// ("other": it opens on that rubric's checklist) or of a rubric this site does not know
// ("unknown"). ARCHITECTURE.md §6.
//
// Pure functions of the record and the page's rubric data (page.js); no DOM. Classic script
// (see store.js for why); defines globalThis.kcm.versions.
(function (root) {
  "use strict";

  function ref(data) {
    const value = data && typeof data === "object" ? data.rubric : null;
    return value && typeof value === "object" ? value : {};
  }

  // The archived version of this page's rubric that `data` names, or null.
  function archivedOf(data, rubric) {
    const r = ref(data);
    const list = Array.isArray(rubric.archived) ? rubric.archived : [];
    return list.find((a) => a.id === r.id && a.version === r.version && (r.sha256 === undefined || r.sha256 === a.sha256)) || null;
  }

  // The other rubric of the site that `data` names (by id), or null.
  function otherOf(data, rubric) {
    const r = ref(data);
    const list = Array.isArray(rubric.others) ? rubric.others : [];
    return r.id === rubric.id ? null : list.find((o) => o.id === r.id) || null;
  }

  function kindOf(data, rubric) {
    if (root.kcm.assessment.belongsTo(data, rubric)) {
      return "own";
    }
    if (archivedOf(data, rubric)) {
      return "archived";
    }
    return otherOf(data, rubric) ? "other" : "unknown";
  }

  // The rubric facts to show, print and export `data` with: the page's own, an archived
  // version's, or null when this page cannot (another rubric, or an unknown one).
  function factsOf(data, rubric) {
    const kind = kindOf(data, rubric);
    return kind === "own" ? rubric : kind === "archived" ? archivedOf(data, rubric) : null;
  }

  // Whether the engine scores `data` against its own rubric (this one, or an archived version).
  function scorable(data, rubric) {
    return factsOf(data, rubric) !== null;
  }

  // A short label for the list: empty for this version.
  function label(data, rubric) {
    const r = ref(data);
    const kind = kindOf(data, rubric);
    if (kind === "archived") {
      return "Versie " + String(r.version) + " van het formulier";
    }
    if (kind === "other") {
      return otherOf(data, rubric).title;
    }
    if (kind === "unknown") {
      return r.id === rubric.id ? "Onbekende versie " + String(r.version) : "Onbekend formulier (" + String(r.id) + " " + String(r.version) + ")";
    }
    return "";
  }

  root.kcm = root.kcm || {};
  root.kcm.versions = { kindOf: kindOf, archivedOf: archivedOf, otherOf: otherOf, factsOf: factsOf, scorable: scorable, label: label };
})(globalThis);
