// undo.js: undo of the last change, for session.js. A mistaken tap during a live call (a tick
// on the wrong row, a phase marked too early) is put right with one tap. The steps live in this
// tab's memory only, for the open assessment: opening another one starts afresh.
//
// Every edit is kept as the edit that puts it back (its inverse), computed from the record as
// it was just before the change. An inverse edit, not a copy of the old record: applied on top
// of a newer record (another tab saved in between, session.js merges) it changes only what the
// mistaken edit changed. Typing in one text field is one step, not one per key. Finalising and
// reopening are not undone here (finalize.js asks for those), and they start afresh.
//
// Classic script (see store.js for why); defines globalThis.kcm.undo; needs assessment.js.
(function (root) {
  "use strict";

  // Edits of text: the keys typed one after the other in one field make one step.
  const TEXT_EDITS = new Set(["field", "criterion-remark", "remark", "assessor"]);
  // Enough for a call; older steps are dropped.
  const DEPTH = 50;

  function labelOf(list, id) {
    const found = list.find((item) => item.id === id);
    return found ? found.label : id;
  }

  // The edit that puts back what `change` changed in `before` (the record just before it), or
  // null when it is not undone here.
  function inverse(before, change) {
    const A = root.kcm.assessment;
    const fields = before && A.isPlainObject(before.fields) ? before.fields : {};
    const conditions = before && A.isPlainObject(before.conditions) ? before.conditions : {};
    const remarks = before && A.isPlainObject(before.remarks) ? before.remarks : {};
    switch (change.type) {
      case "field":
        return { type: "field", id: change.id, value: typeof fields[change.id] === "string" ? fields[change.id] : "" };
      case "condition":
        return { type: "condition", id: change.id, values: Array.isArray(conditions[change.id]) ? conditions[change.id].slice() : [] };
      case "checked":
      case "na":
      case "criterion-remark":
      case "mark":
        return { type: "mark", id: change.id, mark: A.mark(before || {}, change.id) };
      case "remark":
        return { type: "remark", id: change.id, value: typeof remarks[change.id] === "string" ? remarks[change.id] : "" };
      case "assessor": {
        const first = before && Array.isArray(before.assessors) && before.assessors[0];
        return { type: "assessor", value: first && typeof first.name === "string" ? first.name : "" };
      }
      case "event":
        return { type: "remove-event", event: change.event };
      case "remove-event":
        return { type: "event", event: change.event };
      default:
        return null;
    }
  }

  // What a change was about, for the button and the announcement ("vinkje bij 2.1.1.a").
  function describe(change, rubric) {
    switch (change.type) {
      case "field":
        return labelOf(rubric.fields, change.id);
      case "condition":
        return labelOf(rubric.conditions, change.id);
      case "checked":
        return "vinkje bij " + change.id;
      case "na":
        return "n.v.t. bij " + change.id;
      case "criterion-remark":
        return "opmerking bij " + change.id;
      case "mark":
        return "criterium " + change.id;
      case "remark":
        return change.id === "" ? "algemene opmerking" : "opmerking bij Eindterm " + change.id;
      case "assessor":
        return "naam beoordelaar";
      case "event":
      case "remove-event":
        return (change.event.kind === "hold" ? "wachttijd bij " : "fase bij ") + change.event.criterion;
      default:
        return "laatste wijziging";
    }
  }

  function stepKey(change) {
    return change.type + ":" + (change.id === undefined ? "" : change.id);
  }

  // The steps of one tab: note() after every edit, take() to undo the last one.
  function tracker(rubric) {
    let steps = [];

    return {
      // `assessmentId`: the record the edit went to; `before`: its data just before.
      note(assessmentId, before, change) {
        if (change.type === "finalize" || change.type === "reopen") {
          steps = [];
          return;
        }
        const undo = inverse(before, change);
        if (!undo) {
          return;
        }
        const last = steps[steps.length - 1];
        const key = stepKey(change);
        if (last && last.assessmentId === assessmentId && last.key === key && TEXT_EDITS.has(change.type)) {
          return; // still typing in the same field: the step's inverse is the text before it
        }
        steps = steps.filter((s) => s.assessmentId === assessmentId).concat([{ assessmentId: assessmentId, key: key, undo: undo, label: describe(change, rubric) }]);
        if (steps.length > DEPTH) {
          steps = steps.slice(-DEPTH);
        }
      },
      // The last step for this assessment, or null.
      last(assessmentId) {
        const step = steps[steps.length - 1];
        return step && step.assessmentId === assessmentId ? step : null;
      },
      take(assessmentId) {
        const step = this.last(assessmentId);
        if (step) {
          steps.pop();
        }
        return step;
      },
      clear() {
        steps = [];
      },
    };
  }

  root.kcm = root.kcm || {};
  root.kcm.undo = { inverse: inverse, describe: describe, tracker: tracker };
})(globalThis);
