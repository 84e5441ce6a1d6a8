// assessment.js: pure helpers for the assessment format (design section 4) in the browser.
//
// No scoring here: verdicts come only from kcm_core in the worker. This file builds an empty
// draft (so ticking works before the engine has loaded), applies one edit at a time (so an edit
// made on a stale copy can be re-applied on the newer record another tab saved), and writes the
// export files (JSON, CSV for Excel). It keeps the shape kcm_core normalises to: every header
// field and condition present, criteria entries in rubric order with only what is set, remarks
// only when not empty.
//
// Classic script (see store.js for why); defines globalThis.kcm.assessment.
(function (root) {
  "use strict";

  const FORMAT = "kcm-assessment";
  const FORMAT_MANY = "kcm-assessments";
  const FORMAT_VERSION = 1;

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
  // maxRemarkChars, maxFileBytes, listLimit}}. The build writes it into the page as JSON
  // (build_tools.checklist_data); page.js reads it.
  function newDraft(rubric, id, nowIso) {
    const fields = {};
    rubric.fields.forEach(function (f) {
      fields[f.id] = "";
    });
    const conditions = {};
    rubric.conditions.forEach(function (c) {
      conditions[c.id] = [];
    });
    return {
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
    };
  }

  function orderedCriteria(criteria, rubric) {
    const out = {};
    rubric.criteria.forEach(function (c) {
      if (Object.prototype.hasOwnProperty.call(criteria, c.id)) {
        out[c.id] = criteria[c.id];
      }
    });
    return out;
  }

  function setMark(next, rubric, criterionId, changes) {
    const m = mark(next, criterionId);
    Object.keys(changes).forEach(function (k) {
      m[k] = changes[k];
    });
    const criteria = isPlainObject(next.criteria) ? next.criteria : {};
    if (!m.checked && !m.na && !m.remark) {
      delete criteria[criterionId];
    } else {
      const entry = { checked: m.checked };
      if (m.na) {
        entry.na = true;
      }
      if (m.remark) {
        entry.remark = m.remark;
      }
      criteria[criterionId] = entry;
    }
    next.criteria = orderedCriteria(criteria, rubric);
  }

  // Applies one edit and returns a new object; `data` is not changed. Edits:
  //   {type: "field", id, value}            {type: "condition", id, values: [...]}
  //   {type: "checked", id, value}          {type: "na", id, value}
  //   {type: "criterion-remark", id, value} {type: "remark", id, value}   ("" = general)
  //   {type: "finalize"}                    {type: "reopen"}
  // Text is cut at kcm_core's limits (rubric.limits, from kcm_core.assessment's MAX_FIELD_CHARS
  // and MAX_REMARK_CHARS), which the page also enforces with maxlength: what is saved can always
  // be imported again.
  function applyEdit(data, edit, nowIso, rubric) {
    const maxField = rubric.limits.maxFieldChars;
    const maxRemark = rubric.limits.maxRemarkChars;
    const next = clone(data);
    switch (edit.type) {
      case "field":
        next.fields = isPlainObject(next.fields) ? next.fields : {};
        next.fields[edit.id] = String(edit.value).slice(0, maxField);
        break;
      case "condition": {
        const condition = rubric.conditions.find(function (c) {
          return c.id === edit.id;
        });
        const wanted = new Set(edit.values);
        next.conditions = isPlainObject(next.conditions) ? next.conditions : {};
        next.conditions[edit.id] = condition.options
          .map(function (o) {
            return o.id;
          })
          .filter(function (o) {
            return wanted.has(o);
          });
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
        setMark(next, rubric, edit.id, { remark: String(edit.value).slice(0, maxRemark) });
        break;
      case "remark": {
        const remarks = isPlainObject(next.remarks) ? next.remarks : {};
        const value = String(edit.value).slice(0, maxRemark);
        if (value) {
          remarks[edit.id] = value;
        } else {
          delete remarks[edit.id];
        }
        const ordered = {};
        ["" ].concat(rubric.eindtermen.map(function (e) {
          return e.id;
        })).forEach(function (k) {
          if (remarks[k]) {
            ordered[k] = remarks[k];
          }
        });
        next.remarks = ordered;
        break;
      }
      case "finalize":
        next.status = "final";
        next.finalized = nowIso;
        next.history = (Array.isArray(next.history) ? next.history : []).concat([{ at: nowIso, action: "finalized" }]);
        break;
      case "reopen":
        next.status = "draft";
        next.finalized = null;
        next.history = (Array.isArray(next.history) ? next.history : []).concat([{ at: nowIso, action: "reopened" }]);
        break;
      default:
        throw new Error("unknown edit " + edit.type);
    }
    next.updated = nowIso;
    return next;
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
      return "{" + Object.keys(value).sort().map(function (k) {
        return JSON.stringify(k) + ":" + canonical(value[k]);
      }).join(",") + "}";
    }
    return JSON.stringify(value);
  }

  // The labels of what a score result says is still to be filled in (header fields first).
  function missingLabels(result, rubric) {
    const label = function (list, id) {
      const found = list.find(function (item) {
        return item.id === id;
      });
      return found ? found.label : id;
    };
    return result.missing_fields
      .map(function (id) {
        return label(rubric.fields, id);
      })
      .concat(result.missing_conditions.map(function (id) {
        return label(rubric.conditions, id);
      }));
  }

  function candidateName(data) {
    const name = data && isPlainObject(data.fields) ? String(data.fields.naam_kandidaat || "").trim() : "";
    return name;
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
    const pad = function (n) {
      return String(n).padStart(2, "0");
    };
    return pad(d.getDate()) + "-" + pad(d.getMonth() + 1) + "-" + d.getFullYear() + " " + pad(d.getHours()) + ":" + pad(d.getMinutes());
  }

  function exportOneText(data) {
    return JSON.stringify(data, null, 2) + "\n";
  }

  function exportManyText(list, nowIso) {
    return JSON.stringify({ format: FORMAT_MANY, format_version: FORMAT_VERSION, exported: nowIso, assessments: list }, null, 2) + "\n";
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

  // One CSV cell for Excel: quoted when needed; text that Excel would run as a formula gets a
  // leading apostrophe (CSV injection).
  function csvCell(value) {
    let text = value === null || value === undefined ? "" : String(value);
    if (/^[=+\-@\t\r]/.test(text)) {
      text = "'" + text;
    }
    if (/[";\r\n]/.test(text) || /^\s|\s$/.test(text)) {
      text = '"' + text.replace(/"/g, '""') + '"';
    }
    return text;
  }

  const VERDICT_TEXT = { pass: "geslaagd", fail: "niet geslaagd" };
  const OUTCOME_TEXT = { pass: "gehaald", fail: "niet gehaald" };

  // CSV for Excel: semicolons, UTF-8 with byte order mark, CRLF, one row per criterion.
  // `results` maps assessment id -> browser score result (or nothing when not computed).
  function csvText(assessments, rubric, results) {
    const header = ["Beoordeling-id"]
      .concat(rubric.fields.map(function (f) {
        return f.label;
      }))
      .concat(rubric.conditions.map(function (c) {
        return c.label;
      }))
      .concat([
        "Status",
        "Afgerond op",
        "Uitslag",
        "Eindterm",
        "Uitslag Eindterm",
        "Onderdeel",
        "Proces",
        "Criterium",
        "Omschrijving",
        "Gecheckt",
        "n.v.t.",
        "Opmerking",
        "Opmerking bij Eindterm",
        "Algemene opmerking",
      ]);
    const rows = [header];
    assessments.forEach(function (data) {
      const result = results ? results[data.id] : null;
      const na = new Set(result && Array.isArray(result.not_applicable) ? result.not_applicable : []);
      const outcomes = {};
      if (result && Array.isArray(result.outcomes)) {
        result.outcomes.forEach(function (o) {
          outcomes[o.id] = o;
        });
      }
      const fields = isPlainObject(data.fields) ? data.fields : {};
      const conditions = isPlainObject(data.conditions) ? data.conditions : {};
      const remarks = isPlainObject(data.remarks) ? data.remarks : {};
      const head = [data.id]
        .concat(rubric.fields.map(function (f) {
          const v = fields[f.id] || "";
          return f.type === "date" ? formatDate(v) : v;
        }))
        .concat(rubric.conditions.map(function (c) {
          const chosen = Array.isArray(conditions[c.id]) ? conditions[c.id] : [];
          return c.options
            .filter(function (o) {
              return chosen.indexOf(o.id) !== -1;
            })
            .map(function (o) {
              return o.id;
            })
            .join(", ");
        }))
        .concat([
          data.status === "final" ? "afgerond" : "concept",
          data.finalized ? formatMoment(data.finalized) : "",
          result ? VERDICT_TEXT[result.verdict] : "niet berekend",
        ]);
      rubric.criteria.forEach(function (c) {
        const m = mark(data, c.id);
        const outcome = outcomes[c.eindterm];
        rows.push(
          head.concat([
            c.eindtermTitle,
            outcome ? OUTCOME_TEXT[outcome.verdict] : "niet berekend",
            c.onderdeel + " " + c.onderdeelText,
            c.proces + " " + c.procesText,
            c.id,
            c.text,
            m.checked ? "ja" : "nee",
            na.has(c.id) || m.na ? "ja" : "",
            m.remark,
            remarks[c.eindterm] || "",
            remarks[""] || "",
          ]),
        );
      });
    });
    return "\uFEFF" + rows.map(function (row) {
      return row.map(csvCell).join(";");
    }).join("\r\n") + "\r\n";
  }

  // What an import would do to each checked, normalised assessment:
  //   "new"    not here yet
  //   "same"   here with identical content: nothing to do
  //   "update" here, and the file's version is as new or newer: replaced
  //   "older"  here, and the local version was changed later: ask before replacing
  //   "foreign" here, but made with another rubric: ask, like "older"
  function planImport(incoming, localById, rubric) {
    return incoming.map(function (data) {
      const local = localById[data.id];
      if (!local) {
        return { action: "new", data: data, local: null };
      }
      if (sameContent(local.data, data)) {
        return { action: "same", data: data, local: local };
      }
      if (rubric && !belongsTo(local.data, rubric)) {
        return { action: "foreign", data: data, local: local };
      }
      const localTime = Date.parse(local.data.updated);
      const fileTime = Date.parse(data.updated);
      if (!Number.isNaN(localTime) && !Number.isNaN(fileTime) && localTime > fileTime) {
        return { action: "older", data: data, local: local };
      }
      return { action: "update", data: data, local: local };
    });
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
    csvCell: csvCell,
    csvText: csvText,
    planImport: planImport,
  };
})(globalThis);
