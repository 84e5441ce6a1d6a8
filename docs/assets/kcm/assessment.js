// assessment.js: pure helpers for the assessment format (ARCHITECTURE.md §4) in the browser.
//
// No scoring here: verdicts come only from kcm_core in the worker. This file builds an empty
// draft (so ticking works before the engine has loaded), applies one edit at a time (so an edit
// made on a stale copy can be re-applied on the newer record another tab saved), and writes the
// JSON export files (the CSV for Excel is csv.js's). It keeps the shape kcm_core normalises to:
// every header field and condition present, criteria entries in rubric order with only what is
// set, remarks only when not empty, the optional `assessors` and `events` only when they hold
// something, and the top-level keys in kcm_core's order. What an import does with each record
// is import-plan.js's.
//
// Classic script (see store.js for why); defines globalThis.kcm.assessment.
(function (root) {
  "use strict";

  const FORMAT = "kcm-assessment";
  const FORMAT_MANY = "kcm-assessments";
  const FORMAT_VERSION = 1;
  // kcm_core's date fields (kcm_core.assessment DATE_PATTERN).
  const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;

  // kcm_core's order of the top-level keys (Assessment.to_json_data); the optional ones last.
  // The seal comes last: it covers everything before it.
  const KEY_ORDER = ["format", "format_version", "id", "rubric", "fields", "conditions", "criteria", "remarks", "status", "created", "updated", "finalized", "history", "assessors", "events", "practice", "sources", "signatures", "result", "seal"];

  function clone(value) {
    return JSON.parse(JSON.stringify(value));
  }

  function isPlainObject(value) {
    return value !== null && typeof value === "object" && !Array.isArray(value);
  }

  // A random id in kcm_core's id alphabet ([A-Za-z0-9][A-Za-z0-9_.:-]*).
  function newId(cryptoObj) {
    const c = cryptoObj || root.crypto;
    if (c && typeof c.randomUUID === "function") {
      return c.randomUUID();
    }
    const bytes = new Uint8Array(16);
    c.getRandomValues(bytes);
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    const hex = Array.prototype.map.call(bytes, function (b) {
      return (b + 0x100).toString(16).slice(1);
    }).join("");
    return hex.slice(0, 8) + "-" + hex.slice(8, 12) + "-" + hex.slice(12, 16) + "-" + hex.slice(16, 20) + "-" + hex.slice(20);
  }

  // `rubric` describes the rubric of this page: {id, version, sha256, title, fields: [{id,
  // label, type, required}], conditions: [{id, label, multiple, required, options: [{id,
  // label}]}], eindtermen: [{id, title}], criteria: [{id, text, eindterm, eindtermTitle,
  // onderdeel, onderdeelText, proces, procesText, critical, allowNa}], limits: {maxFieldChars,
  // maxRemarkChars, maxFileBytes, listLimit}, practice (the candidates' practice page)}. The
  // build writes it into the page as JSON (build_tools.checklist_data); page.js reads it.
  function newDraft(rubric, id, nowIso) {
    const fields = {};
    rubric.fields.forEach((f) => (fields[f.id] = ""));
    const conditions = {};
    rubric.conditions.forEach((c) => (conditions[c.id] = []));
    const draft = {
      format: FORMAT,
      format_version: FORMAT_VERSION,
      id: id,
      rubric: { id: rubric.id, version: rubric.version, sha256: rubric.sha256 },
      fields: fields,
      conditions: conditions,
      criteria: {},
      remarks: {},
      status: "draft",
      created: nowIso,
      updated: nowIso,
      finalized: null,
      history: [],
    };
    // On the candidates' practice page every record is a practice (design §4): kcm_core seals it
    // as one, and `kcm verify` and the exam office's report never take it for an exam result.
    if (rubric.practice === true) {
      draft.practice = true;
    }
    return draft;
  }

  function belongsTo(data, rubric) {
    const ref = isPlainObject(data.rubric) ? data.rubric : {};
    return ref.id === rubric.id && ref.version === rubric.version && (ref.sha256 === undefined || ref.sha256 === rubric.sha256);
  }

  function mark(data, criterionId) {
    const entry = isPlainObject(data.criteria) ? data.criteria[criterionId] : undefined;
    return {
      checked: Boolean(entry && entry.checked === true),
      na: Boolean(entry && entry.na === true),
      remark: entry && typeof entry.remark === "string" ? entry.remark : "",
      // In a joint record (kcm merge): both assessors' answers and why the agreed one was chosen.
      decision: entry && isPlainObject(entry.decision) ? entry.decision : null,
    };
  }

  function orderedCriteria(criteria, rubric) {
    const out = {};
    rubric.criteria.filter((c) => Object.prototype.hasOwnProperty.call(criteria, c.id)).forEach((c) => (out[c.id] = criteria[c.id]));
    return out;
  }

  function setMark(next, rubric, criterionId, changes) {
    const m = mark(next, criterionId);
    Object.keys(changes).forEach((k) => (m[k] = changes[k]));
    const criteria = isPlainObject(next.criteria) ? next.criteria : {};
    if (!m.checked && !m.na && !m.remark && !m.decision) {
      delete criteria[criterionId];
    } else {
      const entry = { checked: m.checked };
      if (m.na) {
        entry.na = true;
      }
      if (m.remark) {
        entry.remark = m.remark;
      }
      if (m.decision) {
        entry.decision = m.decision;
      }
      criteria[criterionId] = entry;
    }
    next.criteria = orderedCriteria(criteria, rubric);
  }

  // `text` cut at `max` UTF-16 code units, never inside a character written as a surrogate
  // pair (an emoji): kcm_core refuses a lone half.
  function cut(text, max) {
    const part = String(text).slice(0, max);
    return /[\uD800-\uDBFF]$/.test(part) ? part.slice(0, -1) : part;
  }

  // The keys in kcm_core's order (KEY_ORDER, then any others), so that a key written again
  // after it was left out (assessors, events) takes its place and the export stays byte for
  // byte what kcm_core writes.
  function inKeyOrder(data) {
    const out = {};
    KEY_ORDER.concat(Object.keys(data)).forEach((k) => {
      if (Object.prototype.hasOwnProperty.call(data, k) && !Object.prototype.hasOwnProperty.call(out, k)) {
        out[k] = data[k];
      }
    });
    return out;
  }

  function setAssessor(next, name, maxField) {
    const others = Array.isArray(next.assessors) ? next.assessors.slice(1) : [];
    const value = cut(name, maxField);
    // kcm_core refuses a name of only spaces: such a name is not written.
    const assessors = (value.trim() ? [{ name: value }] : []).concat(others);
    if (assessors.length) {
      next.assessors = assessors;
    } else {
      delete next.assessors;
    }
  }

  // A live-call note as kcm_core accepts it: a hold's seconds whole and within the limit.
  function callEvent(event, limits) {
    const out = { at: event.at, kind: event.kind, criterion: event.criterion };
    if (event.kind === "hold") {
      const seconds = Math.round(Number(event.seconds) || 0);
      out.seconds = Math.min(Math.max(seconds, 0), limits.maxHoldSeconds);
    }
    return out;
  }

  function setEvents(next, events) {
    if (events.length) {
      next.events = events;
    } else {
      delete next.events;
    }
  }

  // A history entry, with who did it (the assessors, kcm_core's `by`) when they are known.
  function addHistory(next, nowIso, action) {
    const names = (Array.isArray(next.assessors) ? next.assessors : []).map((a) => a.name).join(" en ");
    const entry = names ? { at: nowIso, action: action, by: names } : { at: nowIso, action: action };
    next.history = (Array.isArray(next.history) ? next.history : []).concat([entry]);
  }

  // Applies one edit and returns a new object; `data` is not changed. Edits:
  //   {type: "field", id, value}            {type: "condition", id, values: [...]}
  //   {type: "checked", id, value}          {type: "na", id, value}
  //   {type: "criterion-remark", id, value} {type: "remark", id, value}   ("" = general)
  //   {type: "mark", id, mark: {checked, na, remark}}   (a whole mark: what undo puts back)
  //   {type: "assessor", value}             the (first) assessor's name; "" leaves it out
  //   {type: "decision-reason", id, value}  a joint record: why the agreed answer was chosen
  //   {type: "event", event: {at, kind: "phase"|"hold", criterion, seconds?}}   a note made
  //                                         during the call, added last (none past maxEvents)
  //   {type: "remove-event", event}         takes the last note equal to `event` away (undo)
  //   {type: "finalize"}                    {type: "reopen"} (drops result, seal and signatures)
  //   {type: "finalize", sealed}            the final record as kcm_core sealed it (finalize.js):
  //                                         taken as it is, or the seal would not match
  // Text is cut at kcm_core's limits (rubric.limits, from kcm_core.assessment's MAX_FIELD_CHARS
  // and MAX_REMARK_CHARS), which the page also enforces with maxlength, and a date field keeps
  // only a date kcm_core accepts (isDate; anything else is stored as ""): what is saved can
  // always be imported again.
  function applyEdit(data, edit, nowIso, rubric) {
    const maxField = rubric.limits.maxFieldChars;
    const maxRemark = rubric.limits.maxRemarkChars;
    if (edit.type === "finalize" && edit.sealed) {
      if (!isPlainObject(edit.sealed) || edit.sealed.id !== data.id) {
        throw new Error("finalize: a sealed record of another assessment");
      }
      return inKeyOrder(clone(edit.sealed));
    }
    const next = clone(data);
    switch (edit.type) {
      case "field": {
        const field = rubric.fields.find((f) => f.id === edit.id);
        const value = cut(edit.value, maxField);
        next.fields = isPlainObject(next.fields) ? next.fields : {};
        next.fields[edit.id] = field && field.type === "date" && !isDate(value, rubric) ? "" : value;
        break;
      }
      case "condition": {
        const condition = rubric.conditions.find((c) => c.id === edit.id);
        const wanted = new Set(edit.values);
        next.conditions = isPlainObject(next.conditions) ? next.conditions : {};
        next.conditions[edit.id] = condition.options.map((o) => o.id).filter((o) => wanted.has(o));
        break;
      }
      case "checked":
        // Ticked and n.v.t. exclude each other (kcm_core refuses both at once).
        setMark(next, rubric, edit.id, edit.value ? { checked: true, na: false } : { checked: false });
        break;
      case "na":
        setMark(next, rubric, edit.id, edit.value ? { na: true, checked: false } : { na: false });
        break;
      case "criterion-remark":
        setMark(next, rubric, edit.id, { remark: cut(edit.value, maxRemark) });
        break;
      case "mark":
        setMark(next, rubric, edit.id, { checked: edit.mark.checked === true, na: edit.mark.na === true && edit.mark.checked !== true, remark: cut(edit.mark.remark || "", maxRemark) });
        break;
      case "assessor":
        setAssessor(next, edit.value, maxField);
        break;
      case "decision-reason": {
        // Only where kcm merge left a decision: why the agreed answer was chosen.
        const decision = mark(next, edit.id).decision;
        if (decision) {
          setMark(next, rubric, edit.id, { decision: Object.assign({}, decision, { reason: cut(edit.value, maxRemark) }) });
        }
        break;
      }
      case "event": {
        const events = Array.isArray(next.events) ? next.events : [];
        setEvents(next, events.length < rubric.limits.maxEvents ? events.concat([callEvent(edit.event, rubric.limits)]) : events);
        break;
      }
      case "remove-event": {
        const events = Array.isArray(next.events) ? next.events.slice() : [];
        const gone = canonical(callEvent(edit.event, rubric.limits));
        const index = events.map(canonical).lastIndexOf(gone);
        if (index !== -1) {
          events.splice(index, 1);
        }
        setEvents(next, events);
        break;
      }
      case "remark": {
        const remarks = isPlainObject(next.remarks) ? next.remarks : {};
        const value = cut(edit.value, maxRemark);
        if (value) {
          remarks[edit.id] = value;
        } else {
          delete remarks[edit.id];
        }
        const ordered = {};
        [""].concat(rubric.eindtermen.map((e) => e.id)).filter((k) => remarks[k]).forEach((k) => (ordered[k] = remarks[k]));
        next.remarks = ordered;
        break;
      }
      case "finalize":
        next.status = "final";
        next.finalized = nowIso;
        addHistory(next, nowIso, "finalized");
        break;
      case "reopen":
        // The seal and the result belong to the finalised record; signatures were given to it.
        delete next.result;
        delete next.seal;
        delete next.signatures;
        next.status = "draft";
        next.finalized = null;
        addHistory(next, nowIso, "reopened");
        break;
      default:
        throw new Error("unknown edit " + edit.type);
    }
    next.updated = nowIso;
    return inKeyOrder(next);
  }

  // Would this edit change anything? (A re-applied edit on a newer record may be a no-op.)
  function sameContent(a, b) {
    return canonical(a) === canonical(b);
  }

  function canonical(value) {
    if (Array.isArray(value)) {
      return "[" + value.map(canonical).join(",") + "]";
    }
    if (isPlainObject(value)) {
      return "{" + Object.keys(value).sort().map((k) => JSON.stringify(k) + ":" + canonical(value[k])).join(",") + "}";
    }
    return JSON.stringify(value);
  }

  // Is `text` a date that kcm_core accepts in a date field: jjjj-mm-dd, a day that exists, from
  // limits.minDate to limits.maxDate (kcm_core.assessment MIN_DATE, MAX_DATE)?
  function isDate(text, rubric) {
    const m = DATE_RE.exec(text);
    if (!m) {
      return false;
    }
    const [year, month, day] = [Number(m[1]), Number(m[2]) - 1, Number(m[3])];
    const d = new Date(0);
    d.setUTCFullYear(year, month, day);
    const exists = d.getUTCFullYear() === year && d.getUTCMonth() === month && d.getUTCDate() === day;
    return exists && text >= rubric.limits.minDate && text <= rubric.limits.maxDate;
  }

  function labelOf(list, id) {
    const found = list.find((item) => item.id === id);
    return found ? found.label : id;
  }

  // What a score result says is still missing before finalising, for people: header fields,
  // then conditions (by label), then each n.v.t. without a reason. `withReasons: false` leaves
  // the reasons out (the result's own reasons already name them).
  function missingLabels(result, rubric, withReasons) {
    const reasons = withReasons === false ? [] : result.missing_reasons || [];
    return result.missing_fields
      .map((id) => labelOf(rubric.fields, id))
      .concat(result.missing_conditions.map((id) => labelOf(rubric.conditions, id)))
      .concat(reasons.map((id) => id + ": schrijf een reden bij n.v.t."));
  }

  function candidateName(data) {
    return data && isPlainObject(data.fields) ? String(data.fields.naam_kandidaat || "").trim() : "";
  }

  // "2026-11-27" -> "27-11-2026" (Dutch order); anything else is returned as is.
  function formatDate(value) {
    const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value || "");
    return m ? m[3] + "-" + m[2] + "-" + m[1] : value || "";
  }

  // An ISO moment in local time: "27-11-2026 10:32".
  function formatMoment(iso) {
    const d = new Date(iso);
    if (Number.isNaN(d.getTime())) {
      return iso || "";
    }
    const pad = (n) => String(n).padStart(2, "0");
    return pad(d.getDate()) + "-" + pad(d.getMonth() + 1) + "-" + d.getFullYear() + " " + pad(d.getHours()) + ":" + pad(d.getMinutes());
  }

  // JSON text as JSON.stringify(value, null, 2) writes it, except that a key "" comes first:
  // a JavaScript object lists keys such as "1" and "2" (Eindterm ids) before "" (the general
  // remark) whatever order they were set in, and kcm_core writes the general remark first. So
  // an export is byte for byte what kcm_core writes after importing it.
  function jsonText(value, indent) {
    const inner = indent + "  ";
    if (Array.isArray(value)) {
      return value.length ? "[\n" + value.map((v) => inner + jsonText(v, inner)).join(",\n") + "\n" + indent + "]" : "[]";
    }
    if (isPlainObject(value)) {
      const keys = Object.keys(value).filter((k) => value[k] !== undefined);
      const ordered = keys.filter((k) => k === "").concat(keys.filter((k) => k !== ""));
      return ordered.length ? "{\n" + ordered.map((k) => inner + JSON.stringify(k) + ": " + jsonText(value[k], inner)).join(",\n") + "\n" + indent + "}" : "{}";
    }
    const text = JSON.stringify(value);
    return text === undefined ? "null" : text;
  }

  function exportOneText(data) {
    return jsonText(data, "") + "\n";
  }

  function exportManyText(list, nowIso) {
    return jsonText({ format: FORMAT_MANY, format_version: FORMAT_VERSION, exported: nowIso, assessments: list }, "") + "\n";
  }

  // A file name without characters that file systems or download managers dislike.
  function fileName(parts, ext) {
    const base = parts
      .filter(Boolean)
      .join("-")
      .normalize("NFKD")
      .replace(/[\u0300-\u036f]/g, "")
      .replace(/[^A-Za-z0-9._-]+/g, "-")
      .replace(/\.{2,}/g, ".")
      .replace(/-+/g, "-")
      .replace(/^[-.]+|[-.]+$/g, "")
      .slice(0, 80);
    return (base || "kcm") + "." + ext;
  }

  root.kcm = root.kcm || {};
  root.kcm.assessment = {
    FORMAT: FORMAT,
    FORMAT_MANY: FORMAT_MANY,
    FORMAT_VERSION: FORMAT_VERSION,
    newId: newId,
    newDraft: newDraft,
    belongsTo: belongsTo,
    mark: mark,
    applyEdit: applyEdit,
    sameContent: sameContent,
    missingLabels: missingLabels,
    candidateName: candidateName,
    formatDate: formatDate,
    formatMoment: formatMoment,
    exportOneText: exportOneText,
    exportManyText: exportManyText,
    fileName: fileName,
    isDate: isDate,
    labelOf: labelOf,
    canonical: canonical,
    isPlainObject: isPlainObject,
  };
})(globalThis);
