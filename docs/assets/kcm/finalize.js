// finalize.js: finalising an assessment (after kcm_core's verdict and a confirmation) and
// reopening it.
//
// Finalising needs the verdict first, so it is refused, with the reason, while the engine loads
// or cannot run here; the final record is sealed by kcm_core (its `result` and `seal`); kcm_core's problems (as sentences, ui.js's problemTexts) and missing
// answers (a header field, a condition, the reason of an n.v.t.) are shown before anything is
// locked, and the focus goes to the first of them. Both steps are edits of the session
// (assessment.js records them in the assessment's history).
//
// No DOM: dialogs and banners are described as data for the `ui` functions (ui.js), and focus
// moves are session "focus" events with a target that page.js resolves.
// Classic script (see store.js for why); defines globalThis.kcm.finalize.
(function (root) {
  "use strict";

  // Where kcm_core says a problem is (its `parts`, e.g. ["criteria", "2.4.1.b", "remark"]), as
  // the control to focus: a criterion's remark (or its checkbox / n.v.t. when the problem is
  // about those), a header field, or a condition's first option. null: nothing to point at.
  function problemTarget(problem) {
    const parts = problem && Array.isArray(problem.parts) ? problem.parts : [];
    const id = typeof parts[1] === "string" ? parts[1] : null;
    if (id === null) {
      return null;
    }
    if (parts[0] === "criteria") {
      // A joint record's decision (["criteria", id, "decision", "reason"]): its reason field.
      const role = parts[2] === "checked" || parts[2] === "na" ? parts[2] : parts[2] === "decision" ? "reason" : "remark";
      return { kind: "criterion", id: id, role: role };
    }
    if (parts[0] === "fields") {
      return { kind: "field", id: id };
    }
    if (parts[0] === "conditions") {
      return { kind: "condition", id: id };
    }
    return null;
  }

  // Every answer a score result says is missing, in the order of assessment.js's missingLabels:
  // the header fields, the conditions, then the remark of each n.v.t. that needs its reason.
  function missingTargets(result) {
    return result.missing_fields
      .map((id) => ({ kind: "field", id: id }))
      .concat(result.missing_conditions.map((id) => ({ kind: "condition", id: id })))
      .concat((result.missing_reasons || []).map((id) => ({ kind: "criterion", id: id, role: "remark" })));
  }

  // The first of them, or null.
  function missingTarget(result) {
    return missingTargets(result)[0] || null;
  }

  // options: {session (session.js), engine (engine-client.js), rubric, now, ui: {showBanner,
  // clearBanner, ask, announce}, hasInput: () => whether the form shows anything yet}.
  function create(options) {
    const A = root.kcm.assessment;
    const session = options.session;
    const state = session.state;
    const engine = options.engine;
    const rubric = options.rubric;
    const ui = options.ui;

    function finalize() {
      if (!state.current && !options.hasInput()) {
        ui.showBanner("finalize", { kind: "warning", text: "Er is nog niets ingevuld om af te ronden." });
        return Promise.resolve();
      }
      // Refused, not postponed: the assessor must see the verdict before finalising.
      const engineState = engine.state().state;
      if (engineState !== "ready") {
        ui.showBanner("finalize", {
          kind: "warning",
          title: "Afronden kan nog niet",
          text:
            engineState === "error"
              ? "De uitslag kan in deze browser niet berekend worden, dus afronden kan hier niet. Exporteer de beoordeling en rond hem af op een apparaat waar de uitslag wel werkt."
              : "Wacht tot de rekenmodule klaar is; dan zie je eerst de uitslag.",
        });
        return Promise.resolve();
      }
      ui.clearBanner("finalize");
      const data = state.current ? state.current.data : A.newDraft(rubric, A.newId(), options.now());
      return engine.call("score", JSON.stringify(data)).then((answer) => {
        const back = [{ label: "Terug naar het formulier", value: null, primary: true }];
        if (!answer.ok) {
          return showProblems(answer.problems, back);
        }
        const result = answer.result;
        const missing = A.missingLabels(result, rubric);
        const targets = missingTargets(result);
        // Who assessed is part of the exam record (design §4 `assessors`): finalising needs it.
        // A candidate's practice has no assessor (kcm_core seals it without one).
        if (!hasAssessor(data) && data.practice !== true) {
          missing.unshift("Naam beoordelaar");
          targets.unshift({ kind: "assessor" });
        }
        // A joint record needs the reason of every difference (compare.js).
        (root.kcm.compare ? root.kcm.compare.missingDecisions(data, rubric) : []).forEach((m) => {
          missing.push(m.label);
          targets.push(m.target);
        });
        if (missing.length) {
          return ui
            .ask({ title: "Nog niet compleet", body: ["Vul eerst in (kies een regel om erheen te gaan):", { list: missing, links: true }], buttons: back })
            .then((choice) => session.emit("focus", targets[choice === null ? 0 : Number(choice)] || targets[0]));
        }
        const confirm = {
          title: data.practice === true ? "Oefening afronden?" : "Beoordeling afronden?",
          body: confirmBody(data, result),
          buttons: [
            { label: "Annuleren", value: null },
            { label: "Afronden", value: "yes", primary: true, focus: true },
          ],
        };
        return ui.ask(confirm).then((choice) => (choice === "yes" ? sealAndSave(data, back) : null));
      });
    }

    function hasAssessor(data) {
      return Array.isArray(data.assessors) && data.assessors.some((a) => a && typeof a.name === "string" && a.name.trim());
    }

    // kcm_core's problems (of scoring or sealing) as sentences; the chosen one gets the focus.
    function showProblems(problems, back) {
      const texts = root.kcm.ui.problemTexts(problems, rubric);
      const targets = problems.map(problemTarget);
      return ui
        .ask({ title: "Nog niet af te ronden", body: ["Los eerst dit op (kies een regel om erheen te gaan):", { problems: texts, links: true }], buttons: back })
        .then((choice) => session.emit("focus", targets[choice === null ? 0 : Number(choice)] || targets[0]));
    }

    // kcm_core writes the verdict (`result`) and the `seal` into the final record; the page
    // stores exactly what came back, so `kcm verify` finds the seal matching.
    function sealAndSave(data, back) {
      const finalDraft = A.applyEdit(data, { type: "finalize" }, options.now(), rubric);
      const rev = state.current ? state.current.rev : 0;
      return engine.call("seal", JSON.stringify(finalDraft)).then((answer) => {
        if (!answer.ok) {
          return showProblems(answer.problems, back);
        }
        // Sealed is what was on screen when "Afronden" was chosen: when another assessment was
        // opened meanwhile, or this one changed, the seal belongs to nothing on screen.
        if (!state.current || state.current.id !== data.id || state.current.rev !== rev) {
          ui.showBanner("finalize", {
            kind: "warning",
            title: "Niet afgerond",
            text: "De beoordeling veranderde terwijl hij werd afgerond. Kies opnieuw Afronden als hij klaar is.",
          });
          return null;
        }
        session.edit({ type: "finalize", sealed: answer.assessment });
        ui.announce("De beoordeling is afgerond.");
        // Back where "Afronden" was, beside the next steps (export, print, next candidate).
        session.emit("focus", { kind: "done" });
        return null;
      });
    }

    // The confirmation: the verdict, and which applicable criteria are not ticked.
    function confirmBody(data, result) {
      const na = new Set(result.not_applicable);
      const unticked = rubric.criteria.filter((c) => !na.has(c.id) && !A.mark(data, c.id).checked);
      const verdict = result.verdict === "pass" ? "geslaagd" : "niet geslaagd";
      // A practice is no exam result, and the dialog says so where the verdict is.
      const body = [
        data.practice === true
          ? { className: "kcm-dialog__verdict", text: "Uitslag van deze oefening: " + verdict + ". Dit is geen examenuitslag." }
          : { className: "kcm-dialog__verdict", text: "Uitslag: de kandidaat is " + verdict + "." },
      ];
      if (unticked.length) {
        body.push(
          unticked.length === 1
            ? "Dit criterium is niet aangevinkt en telt als niet gehaald:"
            : "Deze " + unticked.length + " criteria zijn niet aangevinkt en tellen als niet gehaald:",
          { className: "kcm-dialog__list", list: unticked.map((c) => c.id + " " + c.text) },
        );
      } else {
        body.push("Alle criteria die van toepassing zijn, zijn aangevinkt.");
      }
      const what = data.practice === true ? "de oefening" : "de beoordeling";
      body.push("Na afronden kun je niets meer veranderen, tenzij je " + what + " heropent. Heropenen wordt in " + what + " vastgelegd.");
      return body;
    }

    function reopen() {
      // A candidate's practice says "oefening", as everywhere on the practice page.
      const practice = Boolean(state.current && state.current.data.practice === true);
      const noun = practice ? "oefening" : "beoordeling";
      return ui
        .ask({
          title: (practice ? "Oefening" : "Beoordeling") + " heropenen?",
          body: ["Daarna kun je weer wijzigen. In de " + noun + " wordt vastgelegd wanneer hij heropend is. Rond hem daarna opnieuw af."],
          buttons: [
            { label: "Annuleren", value: null, focus: true },
            { label: "Heropenen", value: "yes", primary: true },
          ],
        })
        .then((choice) => {
          if (choice === "yes" && state.current && state.current.data.status === "final") {
            session.edit({ type: "reopen" });
            ui.announce("De " + noun + " is heropend.");
          }
        });
    }

    return { finalize: finalize, reopen: reopen };
  }

  root.kcm = root.kcm || {};
  root.kcm.finalize = { create: create, problemTarget: problemTarget, missingTarget: missingTarget, missingTargets: missingTargets };
})(globalThis);
