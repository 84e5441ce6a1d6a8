// practice.js: the candidates' practice page ("Oefening", design §4 `practice: true`): which
// records belong on a page, and the words that keep practice and exam apart.
//
// The exam checklist (checklist/) and the practice page (oefenen/) share this browser's storage
// (STORAGE.md), but each lists, exports and imports only its own kind, so a practice record is
// never shown, counted or exported as an exam assessment, nor the other way round. The page's
// kind is the rubric data block's `practice` (build_tools.checklist_data); a record's kind is
// its own `practice: true`, which kcm_core seals with the rest (`kcm verify` then says
// "practice" and the exam office's report leaves it out).
//
// Pure: no DOM. Classic script (see store.js for why); defines globalThis.kcm.practice.
(function (root) {
  "use strict";

  function isPractice(data) {
    return Boolean(data && data.practice === true);
  }

  function pageIsPractice(rubric) {
    return Boolean(rubric && rubric.practice === true);
  }

  // Does the record belong on this page: a practice record on the practice page, any other
  // record on the exam checklist?
  function fits(data, rubric) {
    return isPractice(data) === pageIsPractice(rubric);
  }

  // The first word of an export's file name: a practice file says so before anything else.
  function filePrefix(practice) {
    return practice ? "oefening" : "kcm";
  }

  // "1 oefening" / "3 oefeningen", "1 beoordeling" / "3 beoordelingen": what this page holds.
  function count(n, rubric) {
    const practice = pageIsPractice(rubric);
    return n + " " + (practice ? (n === 1 ? "oefening" : "oefeningen") : n === 1 ? "beoordeling" : "beoordelingen");
  }

  // Where records of the other kind open, as a sentence; `otherHref` is the other page's full
  // address, or "" when this build does not know it.
  function whereOther(rubric, otherHref) {
    const place = pageIsPractice(rubric) ? "in de checklist voor beoordelaars" : "op de pagina Oefenen";
    return "Open het bestand " + place + (otherHref ? ": " + otherHref : " van deze site") + ".";
  }

  // Why an import took nothing from records of the other kind: `n` of them, `all` when the file
  // held nothing else. Practice and exam are kept apart, so these are not stored here.
  function refusalLines(n, all, rubric, otherHref) {
    const practicePage = pageIsPractice(rubric);
    let lead;
    if (all) {
      lead = practicePage
        ? n === 1
          ? "Dit bestand is een examenbeoordeling, geen oefening."
          : "In dit bestand staan examenbeoordelingen, geen oefeningen."
        : n === 1
          ? "Dit bestand is een oefening van een kandidaat, geen examenbeoordeling."
          : "In dit bestand staan oefeningen van kandidaten, geen examenbeoordelingen.";
    } else {
      const what = practicePage ? (n === 1 ? "1 examenbeoordeling" : n + " examenbeoordelingen") : n === 1 ? "1 oefening" : n + " oefeningen";
      lead = what + " uit het bestand " + (n === 1 ? "is" : "zijn") + " niet ingelezen.";
    }
    const apart = practicePage ? "Examenbeoordelingen en oefeningen worden apart bewaard." : "Oefeningen en examenbeoordelingen worden apart bewaard.";
    return [lead, apart + " " + whereOther(rubric, otherHref)];
  }

  // A record of this page's kind whose id is taken here by a record of the other kind (only a
  // hand-made file does that): not stored, so that it never replaces that record.
  function clashLine(n, rubric) {
    const other = pageIsPractice(rubric) ? "een examenbeoordeling" : "een oefening";
    return (n === 1 ? "1 beoordeling uit het bestand is" : n + " beoordelingen uit het bestand zijn") + " niet ingelezen: op dit apparaat staat al " + other + " met hetzelfde id.";
  }

  // The records kcm_core accepted from a file, by what may be stored here: `own` (this page's
  // kind, id free or of the same kind), `other` (the other kind) and `clash` (this page's kind,
  // but the id belongs to a stored record of the other kind). `storedById`: id -> stored data.
  function sortImport(assessments, rubric, storedById) {
    const out = { own: [], other: [], clash: [] };
    assessments.forEach((data) => {
      const stored = Object.prototype.hasOwnProperty.call(storedById, data.id) ? storedById[data.id] : null;
      if (!fits(data, rubric)) {
        out.other.push(data);
      } else if (stored && !fits(stored, rubric)) {
        out.clash.push(data);
      } else {
        out.own.push(data);
      }
    });
    return out;
  }

  root.kcm = root.kcm || {};
  root.kcm.practice = {
    isPractice: isPractice,
    pageIsPractice: pageIsPractice,
    fits: fits,
    filePrefix: filePrefix,
    count: count,
    refusalLines: refusalLines,
    clashLine: clashLine,
    sortImport: sortImport,
  };
})(globalThis);
