// views-foreign.js: an assessment that is not of this page's form version, shown read-only.
//
// An assessment made with an earlier version of this rubric (versions.js "archived") is shown
// with that version's own texts: its fields, each criterion as ✓ / ✗ / n.v.t. with its remark,
// the remarks, and kcm_core's result for that version (scoring.js asks the engine, which holds
// every archived version). It is never re-mapped to today's form; it can be exported, printed
// and verified as it is. An assessment of another rubric of the site points to that rubric's
// checklist; one of a rubric this site does not know is listed as plain lines.
//
// Text only (textContent). Classic script (see store.js for why); defines
// globalThis.kcm.viewsForeign; kcm.viewsForeign.create({page, ui, session}).
(function (root) {
  "use strict";

  const VERDICT = { pass: "Geslaagd", fail: "Niet geslaagd" };
  const OUTCOME = { pass: "behaald", fail: "niet behaald" };

  function create(options) {
    const A = root.kcm.assessment;
    const V = root.kcm.versions;
    const page = options.page;
    const el = page.el;
    const rubric = page.rubric;
    const make = options.ui.make;
    const state = options.session.state;

    // The sentence of the notice above the form (views.js renderLockNotice).
    function notice(data) {
      const r = data && data.rubric ? data.rubric : {};
      const kind = V.kindOf(data, rubric);
      if (kind === "archived") {
        return (
          "Deze beoordeling is gemaakt met versie " + String(r.version) + " van het formulier. Nu is het versie " + rubric.version + ". " +
          "De beoordeling blijft bij versie " + String(r.version) + " horen: de uitslag wordt met die versie berekend en er wordt niets omgezet. " +
          "Je kunt hem bekijken, afdrukken en exporteren, maar niet wijzigen."
        );
      }
      if (kind === "other") {
        return "Deze beoordeling hoort bij een ander examen: " + V.otherOf(data, rubric).title + ". Open hem in de checklist van dat examen; daar staat hij ook in de lijst.";
      }
      const made =
        r.id === rubric.id
          ? "Deze beoordeling is gemaakt met versie " + String(r.version) + " van het formulier. Die versie staat niet op deze site, dus de uitslag kan hier niet berekend worden. "
          : "Deze beoordeling is gemaakt met een formulier dat deze site niet kent (" + String(r.id) + " versie " + String(r.version) + "). ";
      return made + "Hij wordt niet omgezet naar dit formulier. Je kunt hem hieronder bekijken en exporteren, maar niet wijzigen.";
    }

    function render(data) {
      el.foreign.hidden = false;
      const kind = V.kindOf(data, rubric);
      const parts = kind === "archived" ? archived(data, V.archivedOf(data, rubric)) : kind === "other" ? other(data) : unknown(data);
      el.foreign.setAttribute("data-foreign-kind", kind);
      el.foreign.replaceChildren(...parts);
    }

    function hide() {
      el.foreign.hidden = true;
      el.foreign.removeAttribute("data-foreign-kind");
      el.foreign.replaceChildren();
    }

    function other(data) {
      const target = V.otherOf(data, rubric);
      return [
        make("h3", { text: target.title }),
        make("p", {}, [make("a", { text: "Naar de checklist van " + target.title, attrs: { href: data.practice === true ? target.practiceUrl : target.checklistUrl } })]),
      ];
    }

    function unknown(data) {
      const items = [];
      Object.keys(data.fields || {}).forEach((k) => items.push(k + ": " + String(data.fields[k])));
      Object.keys(data.conditions || {}).forEach((k) => items.push(k + ": " + [].concat(data.conditions[k]).join(", ")));
      Object.keys(data.criteria || {}).forEach((k) => {
        const m = data.criteria[k] || {};
        items.push(k + ": " + (m.checked ? "gecheckt" : m.na ? "n.v.t." : "niet gecheckt") + (m.remark ? " (" + String(m.remark) + ")" : ""));
      });
      Object.keys(data.remarks || {}).forEach((k) => items.push("Opmerking " + (k || "algemeen") + ": " + String(data.remarks[k])));
      return [make("h3", { text: "Wat er in deze beoordeling staat" }), make("ul", { className: "kcm-foreign__list" }, items.map((t) => make("li", { text: t })))];
    }

    // An earlier version of this rubric: its own texts, and kcm_core's result for it.
    function archived(data, facts) {
      const score = state.scores[data.id];
      const result = score && score.updated === data.updated ? score.result : null;
      const outcomes = {};
      (result ? result.outcomes : []).forEach((o) => (outcomes[o.id] = o));
      const notApplicable = new Set(result ? result.not_applicable : []);
      const parts = [make("h3", { text: facts.title + ", versie " + facts.version })];
      if (rubric.changesUrl) {
        parts.push(make("p", {}, [make("a", { text: "Wat is er veranderd sinds versie " + facts.version + "?", attrs: { href: rubric.changesUrl } })]));
      }
      const status = data.status === "final" ? "Afgerond op " + A.formatMoment(data.finalized) + "." : "Concept: nog niet afgerond.";
      parts.push(make("p", { attrs: { "data-foreign-status": "" }, text: status }));
      parts.push(resultBlock(data, facts, result, score));
      const fields = facts.fields.map((f) => {
        const value = data.fields && typeof data.fields[f.id] === "string" ? data.fields[f.id] : "";
        return make("li", { text: f.label + ": " + (f.type === "date" ? A.formatDate(value) : value || "(leeg)") });
      });
      facts.conditions.forEach((c) => {
        const chosen = data.conditions && Array.isArray(data.conditions[c.id]) ? data.conditions[c.id] : [];
        const labels = c.options.filter((o) => chosen.indexOf(o.id) !== -1).map((o) => o.label);
        fields.push(make("li", { text: c.label + ": " + (labels.join(", ") || "(niet gekozen)") }));
      });
      parts.push(make("ul", { className: "kcm-foreign__list" }, fields));
      facts.eindtermen.forEach((e) => {
        const outcome = outcomes[e.id];
        parts.push(make("h4", { text: e.title + (outcome ? ": " + OUTCOME[outcome.verdict] : "") }));
        const rows = facts.criteria
          .filter((c) => c.eindterm === e.id)
          .map((c) => {
            const m = A.mark(data, c.id);
            const markText = notApplicable.has(c.id) || m.na ? "n.v.t." : m.checked ? "✓" : data.status === "final" ? "✗" : "open";
            const item = make("li", { attrs: { "data-foreign-criterion": c.id } }, [
              make("span", { className: "kcm-foreign__mark", text: markText }),
              " ",
              make("span", { text: c.id + " " + c.text }),
            ]);
            if (m.remark) {
              item.append(make("span", { className: "kcm-foreign__remark", text: (m.na ? "Reden n.v.t.: " : "Opmerking: ") + m.remark }));
            }
            return item;
          });
        parts.push(make("ul", { className: "kcm-foreign__criteria" }, rows));
        const remark = data.remarks && data.remarks[e.id];
        if (remark) {
          parts.push(make("p", { text: "Opmerking bij " + e.title + ": " + remark }));
        }
      });
      if (data.remarks && data.remarks[""]) {
        parts.push(make("p", { text: "Algemene opmerking: " + data.remarks[""] }));
      }
      return parts;
    }

    function resultBlock(data, facts, result, score) {
      const box = make("div", { className: "kcm-foreign__result", attrs: { "data-foreign-result": "" } });
      if (!result) {
        const failed = score && score.problems && score.updated === data.updated;
        box.append(make("p", { text: failed ? "De uitslag kan niet berekend worden." : "De uitslag wordt berekend met versie " + facts.version + "…" }));
        return box;
      }
      const final = data.status === "final";
      box.setAttribute("data-verdict", result.verdict);
      box.append(make("p", { className: "kcm-foreign__verdict", text: (final ? "Uitslag" : "Voorlopige uitslag") + " volgens versie " + facts.version + ": " + VERDICT[result.verdict] }));
      if (Array.isArray(result.reasons) && result.reasons.length) {
        box.append(make("ul", {}, result.reasons.map((t) => make("li", { text: t }))));
      }
      return box;
    }

    return { render: render, hide: hide, notice: notice };
  }

  root.kcm = root.kcm || {};
  root.kcm.viewsForeign = { create: create };
})(globalThis);
