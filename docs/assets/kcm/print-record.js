// print-record.js: fills the checklist's print-only parts (build_tools.checklist_print) from the
// open record, so that a printed record holds up on its own (issue 13): per criterion a black
// mark as text in the column "Gecheckt" (a disabled checkbox prints light grey), whose record of
// which day it is, who assessed, the start of the seal (paper and file can be matched), a joint
// record's differences with their reasons, the history, and on the signature lines the names
// that are known. checklist-print.css shows these parts only on paper.
//
// The pure parts (markText, candidateLine, assessorsLine, sealLine, historyLines,
// differenceLines) need no DOM and are tested in Node; create() draws them with textContent.
// Classic script (see store.js for why); defines globalThis.kcm.printRecord; needs
// assessment.js and compare.js (kcm_core's words for an answer).
(function (root) {
  "use strict";

  // The seal's first characters on paper: enough to match the file, short enough to copy.
  const SEAL_SHOWN = 12;
  const ACTION_WORDS = { finalized: "Afgerond", reopened: "Heropend", signed: "Ondertekend", copied: "Gekopieerd" };
  const ROLE_WORDS = { beoordelaar: "beoordelaar", tweede_beoordelaar: "tweede beoordelaar", kandidaat: "kandidaat" };

  function names(data) {
    const list = data && Array.isArray(data.assessors) ? data.assessors : [];
    return list.map((a) => (a && typeof a.name === "string" ? a.name.trim() : "")).filter(Boolean);
  }

  // The mark of one criterion: "n.v.t." by hand or by the call type (kcm_core's word wins over a
  // tick left from before the call type was chosen: it does not count), "✓" ticked, "✗" not met
  // in a final record. An open criterion of a draft is not judged yet: no mark (an empty box).
  function markText(mark, notApplicable, final) {
    if (mark.na || notApplicable) {
      return "n.v.t.";
    }
    if (mark.checked) {
      return "✓";
    }
    return final ? "✗" : "";
  }

  // "Beoordeling van Jan de Vries, 27-11-2026." (what is filled in of it); a candidate's
  // practice: "Oefening van Jan de Vries, 27-11-2026.".
  function candidateLine(data, A) {
    const name = A.candidateName(data);
    const day = data && data.fields && typeof data.fields.datum === "string" ? A.formatDate(data.fields.datum) : "";
    if (!name && !day) {
      return "";
    }
    const what = data.practice === true ? "Oefening" : "Beoordeling";
    return what + (name ? " van " + name : "") + (day ? (name ? ", " : " van ") + day : "") + ".";
  }

  function assessorsLine(data) {
    if (data && data.practice === true) {
      // No assessor: the candidate scored themselves (design §4 `practice`).
      return "Zelf beoordeeld door de kandidaat, als oefening. Geen examenuitslag.";
    }
    const list = names(data);
    if (list.length > 1) {
      return "Beoordelaars: " + list.join(" en ") + ".";
    }
    return "Beoordelaar: " + (list.length ? list[0] + "." : "nog niet ingevuld.");
  }

  function sealLine(data) {
    const seal = data && data.seal && typeof data.seal.sha256 === "string" ? data.seal.sha256 : "";
    if (seal) {
      return "Zegel: " + seal.slice(0, SEAL_SHOWN) + "… (het begin van het zegel in het bestand van deze beoordeling).";
    }
    return data && data.status === "final" ? "Zegel: geen. Deze beoordeling is afgerond zonder zegel." : "Zegel: nog geen. Een beoordeling krijgt een zegel als hij wordt afgerond.";
  }

  // One line per history entry, oldest first: "Afgerond: 27-11-2026 10:32". A signature and its
  // entry share their moment (signatures.js), so a signing line says who signed, and as what.
  function historyLines(data, A) {
    const lines = [];
    if (data && typeof data.created === "string" && data.created) {
      lines.push("Begonnen: " + A.formatMoment(data.created));
    }
    const signatures = data && data.signatures && typeof data.signatures === "object" ? data.signatures : {};
    (data && Array.isArray(data.history) ? data.history : []).forEach((entry) => {
      if (!entry || typeof entry.at !== "string") {
        return;
      }
      let words = ACTION_WORDS[entry.action] || String(entry.action);
      if (entry.action === "signed") {
        const role = Object.keys(signatures).find((r) => signatures[r] && signatures[r].at === entry.at);
        if (role) {
          words += " door " + signatures[role].name + " (" + (ROLE_WORDS[role] || role) + ")";
        }
      } else if (typeof entry.by === "string" && entry.by) {
        // Who finalised or reopened (kcm_core's `by`).
        words += " door " + entry.by;
      }
      if (entry.action === "copied" && typeof entry.from === "string") {
        words += " (kopie van beoordeling " + entry.from + ")";
      }
      lines.push(words + ": " + A.formatMoment(entry.at));
    });
    return lines;
  }

  // A joint record: per criterion where the assessors differed, both answers, the agreed
  // answer and its reason, in rubric order.
  function differenceLines(data, rubric, A, C) {
    if (!data || !Array.isArray(data.sources)) {
      return [];
    }
    const list = names(data);
    const shownNames = [list[0] || "Beoordelaar A", list[1] || "Beoordelaar B"];
    return rubric.criteria
      .map((c) => ({ id: c.id, mark: A.mark(data, c.id) }))
      .filter((item) => item.mark.decision)
      .map((item) => {
        const reason = typeof item.mark.decision.reason === "string" && item.mark.decision.reason.trim() ? item.mark.decision.reason : "nog niet ingevuld";
        return item.id + ": " + C.answersText(item.mark.decision, shownNames) + ". Gekozen: " + C.answerWords(item.mark) + ". Reden: " + reason;
      });
  }

  function create(options) {
    const A = root.kcm.assessment;
    const C = root.kcm.compare;
    const page = options.page;
    const rubric = page.rubric;
    const state = options.session.state;
    const doc = page.el.html.ownerDocument;
    const box = page.$("[data-print-record]");
    const candidate = page.$("[data-print-candidate]");
    const paper = page.$("[data-paper-signatures]");
    const marks = page.rows.map((r) => ({ row: r, node: page.$("[data-print-mark]", r.row) }));

    function setText(node, text) {
      if (node && node.textContent !== text) {
        node.textContent = text;
      }
    }

    // A title line and a list, or nothing when there are no lines.
    function part(node, title, lines) {
      if (!node) {
        return;
      }
      if (!lines.length) {
        node.replaceChildren();
        return;
      }
      const list = doc.createElement("ul");
      lines.forEach((line) => {
        const li = doc.createElement("li");
        li.textContent = line;
        list.append(li);
      });
      const head = doc.createElement("p");
      head.className = "kcm-print-record__title";
      head.textContent = title;
      node.replaceChildren(head, list);
    }

    function render() {
      const data = state.current ? state.current.data : null;
      const final = Boolean(data && data.status === "final");
      marks.forEach((m) => {
        const mark = data ? A.mark(data, m.row.id) : { checked: false, na: false };
        // kcm_core's n.v.t. by the call type, as views-result.js marked the row.
        setText(m.node, data ? markText(mark, m.row.row.hasAttribute("data-not-applicable"), final) : "");
      });
      setText(candidate, candidateLine(data, A));
      if (box) {
        setText(page.$("[data-print-assessors]", box), data ? assessorsLine(data) : "");
        setText(page.$("[data-print-seal]", box), data ? sealLine(data) : "");
        part(page.$("[data-print-differences]", box), "Verschillen tussen de beoordelaars:", differenceLines(data, rubric, A, C));
        part(page.$("[data-print-history]", box), "Geschiedenis:", historyLines(data, A));
      }
      renderSignatureLines(data);
    }

    // The blank lines to sign on paper: with the names that are known; not for a role that
    // signed on screen (its signature prints), nor for a second assessor a record does not have.
    function renderSignatureLines(data) {
      if (!paper) {
        return;
      }
      const list = names(data);
      const signatures = data && data.signatures && typeof data.signatures === "object" ? data.signatures : {};
      const known = { beoordelaar: list[0] || "", tweede_beoordelaar: list[1] || "", kandidaat: A.candidateName(data) };
      let shown = 0;
      page.$$("[data-paper-signature]", paper).forEach((block) => {
        const role = block.getAttribute("data-paper-signature");
        block.hidden = Boolean(signatures[role]) || (role === "tweede_beoordelaar" && list.length < 2);
        shown += block.hidden ? 0 : 1;
        setText(page.$("[data-paper-signature-name]", block), known[role] || "");
      });
      paper.hidden = shown === 0;
    }

    return { render: render };
  }

  root.kcm = root.kcm || {};
  root.kcm.printRecord = {
    create: create,
    markText: markText,
    candidateLine: candidateLine,
    assessorsLine: assessorsLine,
    sealLine: sealLine,
    historyLines: historyLines,
    differenceLines: differenceLines,
  };
})(globalThis);
