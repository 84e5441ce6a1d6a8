// views-result.js: draws the result into the checklist page: per criterion (its n.v.t. note),
// per Eindterm, overall, and in the sticky bar at the bottom of the screen.
//
// No verdict before judging (issue 12): while the open assessment is a draft, an unticked
// criterion is open, not failed. The result then reads as provisional and neutral ("Voorlopig:
// 12 van 36 afgevinkt", [data-provisional], no red), the sticky bar shows progress per Eindterm
// ("ET 2 18/24"), and only when nothing is open any more does the page say what finalising would
// give. Finalised, the verdict shows with its reasons. The verdicts themselves always come from
// kcm_core and stay on [data-verdict] (ARCHITECTURE.md §6), whatever the page says in words.
//
// Text only (textContent and attributes). Classic script (see store.js for why); defines
// globalThis.kcm.viewsResult; kcm.viewsResult.create({page, ui, session, engineState}).
(function (root) {
  "use strict";

  const VERDICT = { pass: "geslaagd", fail: "niet geslaagd" };
  const OUTCOME = { pass: "gehaald", fail: "niet gehaald" };
  // A draft lists its open criteria (with their text) only when there are few left: a new
  // assessment would otherwise show every criterion twice.
  const FEW_OPEN = 5;

  function create(options) {
    const A = root.kcm.assessment;
    const P = root.kcm.progress;
    const page = options.page;
    const el = page.el;
    const rubric = page.rubric;
    const ui = options.ui;
    const make = ui.make;
    const doc = el.html.ownerDocument;
    const state = options.session.state;
    const engineState = () => options.engineState().state;
    const criterionInfo = new Map(rubric.criteria.map((c) => [c.id, c]));
    const ids = rubric.criteria.map((c) => c.id);
    // The verdicts last shown, to announce a change; null: the next result is only remembered.
    let lastVerdicts = null;
    // kcm_core's n.v.t. list of the last result, for the progress between two answers.
    let lastNotApplicable = null;

    function currentData() {
      return state.current ? state.current.data : null;
    }

    function measure() {
      const data = currentData();
      const markOf = (id) => (data ? A.mark(data, id) : { checked: false, na: false });
      return P.measure(rubric, markOf, lastNotApplicable);
    }

    function isDraft() {
      const data = currentData();
      return !data || data.status !== "final";
    }

    // A link to a criterion's row, by its id.
    function criterionLink(cid) {
      return make("a", { text: cid, attrs: { href: "#kcm-check-" + cid, "data-criterion-link": cid } });
    }

    // entry: a fresh score of the open assessment ({updated, result, problems}); without it the
    // stored score is shown when it is of what is on screen.
    function renderResult(entry) {
      const data = currentData();
      const cached = entry || (state.current && state.scores[state.current.id]) || null;
      const usable = cached && (!data || cached.updated === data.updated || entry) ? cached : null;
      const result = usable ? usable.result : null;
      const problems = usable ? usable.problems : null;
      if (result) {
        lastNotApplicable = new Set(result.not_applicable);
      }
      const progress = measure();
      const provisional = isDraft();
      renderNotes(result);
      renderOutcomes(result, problems, progress, provisional);
      renderOverall(result, problems, progress, provisional);
      renderSummary(result, progress, provisional);
      maybeAnnounce(result, progress, provisional);
    }

    // After every edit, before kcm_core's answer: the counts follow the form at once.
    function renderProgress() {
      const progress = measure();
      const provisional = isDraft();
      page.summaryItems.forEach((item) => setProgress(item.node, progress.eindtermen[item.id]));
      setProgress(el.summaryOverall, progress.overall);
      return { progress: progress, provisional: provisional };
    }

    function setProgress(node, part) {
      const counts = part || { total: 0, done: 0 };
      node.setAttribute("data-total", String(counts.total));
      node.setAttribute("data-done", String(counts.done));
      node.toggleAttribute("data-complete", counts.total > 0 && counts.done === counts.total);
    }

    function renderNotes(result) {
      const na = new Set(result ? result.not_applicable : []);
      page.rows.forEach((r) => {
        const manual = r.na && r.na.checked;
        const auto = na.has(r.id) && !manual;
        r.row.toggleAttribute("data-not-applicable", na.has(r.id));
        let note = "";
        if (auto) {
          note = "n.v.t.: geldt niet voor het gekozen soort gesprek. Telt niet mee.";
        } else if (manual) {
          note = r.remark.value.trim() ? "n.v.t.: telt niet mee." : "n.v.t.: schrijf in de opmerking waarom.";
        }
        r.note.textContent = note;
      });
    }

    function waitingText(problems) {
      const engine = engineState();
      if (problems) {
        return "kan niet berekend worden";
      }
      return engine === "loading" ? "wordt berekend zodra de rekenmodule klaar is" : engine === "error" ? "niet beschikbaar" : "wordt berekend…";
    }

    function renderOutcomes(result, problems, progress, provisional) {
      page.outcomes.forEach((o) => {
        const outcome = result ? result.outcomes.find((x) => x.id === o.id) : null;
        o.node.toggleAttribute("data-provisional", provisional);
        if (!outcome) {
          o.node.removeAttribute("data-verdict");
          o.verdictText.textContent = waitingText(problems);
          o.count.textContent = "";
          o.missing.replaceChildren();
          return;
        }
        o.node.setAttribute("data-verdict", outcome.verdict);
        o.count.textContent = outcome.met + " van " + outcome.applicable + " criteria gehaald" + (outcome.required !== outcome.applicable ? " (nodig: " + outcome.required + ")" : "") + ".";
        if (provisional) {
          const part = progress.eindtermen[o.id] || { total: 0, done: 0, open: [] };
          o.verdictText.textContent = part.open.length ? "voorlopig, nog " + part.open.length + " open" : "alles afgevinkt of n.v.t.";
          // Listed once the Eindterm is under way and few are left; the count says the rest.
          const shown = part.done > 0 && part.open.length <= FEW_OPEN ? part.open : [];
          missingList(o.missing, shown, "Nog open:");
        } else {
          o.verdictText.textContent = OUTCOME[outcome.verdict];
          missingList(o.missing, outcome.missing, "Niet aangevinkt:");
        }
      });
    }

    function missingList(node, cids, title) {
      node.replaceChildren(
        ...cids.map((cid) => {
          const info = criterionInfo.get(cid);
          return make("li", {}, [criterionLink(cid), doc.createTextNode(" " + (info ? info.text : ""))]);
        }),
      );
      if (cids.length) {
        node.prepend(make("li", { className: "kcm-outcome__missing-title", text: title }));
      }
    }

    function renderOverall(result, problems, progress, provisional) {
      const verdictText = el.overall.querySelector("[data-verdict-text]");
      const lead = el.overall.querySelector("[data-verdict-lead]");
      const reasons = el.overall.querySelector("[data-reasons]");
      el.overall.toggleAttribute("data-provisional", provisional);
      if (!result) {
        el.overall.removeAttribute("data-verdict");
        lead.hidden = false;
        verdictText.textContent = problems ? "nog niet te beoordelen" : "nog niet beoordeeld (" + waitingText(null) + ")";
        reasons.replaceChildren(...(problems ? [make("li", {}, [doc.createTextNode("Los eerst dit op: "), ui.problemList(root.kcm.ui.problemTexts(problems, rubric))])] : []));
        return;
      }
      el.overall.setAttribute("data-verdict", result.verdict);
      const items = [];
      if (provisional) {
        lead.hidden = true;
        verdictText.textContent = "Voorlopig: " + P.words(progress.overall);
        if (progress.open.length) {
          items.push(make("li", { text: "De uitslag komt bij afronden. Nog open: " + progress.open.length + (progress.open.length === 1 ? " criterium." : " criteria.") }));
          // Where they are, once few are left (the sticky bar has the counts meanwhile).
          rubric.eindtermen.forEach((e) => {
            const open = (progress.eindtermen[e.id] || { open: [] }).open;
            if (open.length && progress.open.length <= 2 * FEW_OPEN) {
              items.push(make("li", {}, [doc.createTextNode("Eindterm " + e.id + ": nog open "), idLinks(open), doc.createTextNode(".")]));
            }
          });
        } else {
          items.push(make("li", { text: "Alles is afgevinkt of n.v.t. Als je nu afrondt, is de kandidaat " + VERDICT[result.verdict] + "." }));
        }
        // kcm_core's sentences after the overall one and one per Eindterm say what finalising
        // still needs (scoring.py: a draft says it); the verdict sentences wait for the end.
        result.reasons.slice(1 + result.outcomes.length).forEach((r) => items.push(make("li", { text: r })));
      } else {
        lead.hidden = false;
        verdictText.textContent = VERDICT[result.verdict] + (result.final ? "" : " (voorlopig)");
        result.reasons.forEach((r) => items.push(make("li", { text: r })));
      }
      // The result's reasons already name each n.v.t. that still needs its reason.
      const missing = A.missingLabels(result, rubric, false);
      if (missing.length) {
        items.push(make("li", { className: "kcm-result__todo", text: "Nog in te vullen voor afronden: " + missing.join(", ") + "." }));
      }
      reasons.replaceChildren(...items);
    }

    // "2.2.1.a, 2.2.1.b en nog 3": links to the first few criteria.
    function idLinks(cids) {
      const span = make("span");
      cids.slice(0, FEW_OPEN).forEach((cid, i) => {
        if (i) {
          span.append(doc.createTextNode(", "));
        }
        span.append(criterionLink(cid));
      });
      if (cids.length > FEW_OPEN) {
        span.append(doc.createTextNode(" en nog " + (cids.length - FEW_OPEN)));
      }
      return span;
    }

    function renderSummary(result, progress, provisional) {
      renderProgress();
      el.summary.toggleAttribute("data-provisional", provisional);
      page.summaryItems.forEach((item) => {
        const outcome = result ? result.outcomes.find((o) => o.id === item.id) : null;
        const part = progress.eindtermen[item.id] || { total: 0, done: 0 };
        const counted = part.done + "/" + part.total;
        if (outcome) {
          item.node.setAttribute("data-verdict", outcome.verdict);
        } else {
          item.node.removeAttribute("data-verdict");
        }
        if (outcome && !provisional) {
          item.mark.textContent = outcome.verdict === "pass" ? "✓" : "✗";
          item.node.setAttribute("title", "Eindterm " + outcome.id + ": " + OUTCOME[outcome.verdict]);
        } else {
          item.mark.textContent = counted;
          item.node.setAttribute("title", "Eindterm " + item.id + ": " + P.words(part));
        }
      });
      const overall = progress.overall;
      if (result) {
        el.summary.setAttribute("data-verdict", result.verdict);
      } else {
        el.summary.removeAttribute("data-verdict");
      }
      if (result && !provisional) {
        const met = result.outcomes.reduce((n, o) => n + o.met, 0);
        const applicable = result.outcomes.reduce((n, o) => n + o.applicable, 0);
        el.summaryOverall.textContent = (result.verdict === "pass" ? "Geslaagd" : "Niet geslaagd") + " · " + met + "/" + applicable;
      } else {
        el.summaryOverall.textContent = "Voorlopig " + overall.done + "/" + overall.total;
      }
    }

    // Tells screen-reader users when a verdict changes; silent on opening an assessment, and
    // silent while criteria are still open in a draft (an open criterion is no fail).
    function maybeAnnounce(result, progress, provisional) {
      if (!result) {
        return;
      }
      const verdicts = result.outcomes.map((o) => o.id + ":" + o.verdict).join(",") + "|" + result.verdict;
      const previous = lastVerdicts;
      lastVerdicts = verdicts;
      if (previous === null || previous === verdicts || (provisional && progress.open.length)) {
        return;
      }
      const before = new Map(previous.split("|")[0].split(",").map((p) => p.split(":")));
      const changed = result.outcomes.filter((o) => before.get(o.id) !== o.verdict).map((o) => "Eindterm " + o.id + " nu " + OUTCOME[o.verdict] + ".");
      ui.announce(changed.join(" ") + " Uitslag: " + VERDICT[result.verdict] + ".");
    }

    function opened() {
      lastVerdicts = null;
      lastNotApplicable = null;
    }

    return { renderResult: renderResult, renderProgress: renderProgress, measure: measure, opened: opened, ids: ids };
  }

  root.kcm = root.kcm || {};
  root.kcm.viewsResult = { create: create };
})(globalThis);
