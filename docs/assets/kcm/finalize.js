// finalize.js: finalising an assessment (after kcm_core's verdict and a confirmation) and
// reopening it.
//
// Finalising needs the verdict first, so it is refused, with the reason, while the engine loads
// or cannot run here; kcm_core's problems (as sentences, ui.js's problemTexts) and missing
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
      const role = parts[2] === "checked" || parts[2] === "na" ? parts[2] : "remark";
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

  // The first answer a score result says is missing: a header field first, then a condition,
  // then the remark of an n.v.t. that still needs its reason.
  function missingTarget(result) {
    if (result.missing_fields.length) {
      return { kind: "field", id: result.missing_fields[0] };
    }
    if (result.missing_conditions.length) {
      return { kind: "condition", id: result.missing_conditions[0] };
    }
    const reasons = result.missing_reasons || [];
    return reasons.length ? { kind: "criterion", id: reasons[0], role: "remark" } : null;
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
          return ui
            .ask({ title: "Nog niet af te ronden", body: ["Los eerst dit op:", { problems: root.kcm.ui.problemTexts(answer.problems, rubric) }], buttons: back })
            .then(() => session.emit("focus", problemTarget(answer.problems[0])));
        }
        const result = answer.result;
        const missing = A.missingLabels(result, rubric);
        if (missing.length) {
          return ui
            .ask({ title: "Nog niet compleet", body: ["Vul eerst in:", { list: missing }], buttons: back })
            .then(() => session.emit("focus", missingTarget(result)));
        }
        const confirm = {
          title: "Beoordeling afronden?",
          body: confirmBody(data, result),
          buttons: [
            { label: "Annuleren", value: null },
            { label: "Afronden", value: "yes", primary: true, focus: true },
          ],
        };
        return ui.ask(confirm).then((choice) => {
          if (choice === "yes") {
            session.edit({ type: "finalize" });
            ui.announce("De beoordeling is afgerond.");
            session.emit("focus", { kind: "lock-notice" });
          }
        });
      });
    }

    // The confirmation: the verdict, and which applicable criteria are not ticked.
    function confirmBody(data, result) {
      const na = new Set(result.not_applicable);
      const unticked = rubric.criteria.filter((c) => !na.has(c.id) && !A.mark(data, c.id).checked);
      const body = [{ className: "kcm-dialog__verdict", text: "Uitslag: de kandidaat is " + (result.verdict === "pass" ? "geslaagd" : "niet geslaagd") + "." }];
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
      body.push("Na afronden kun je niets meer veranderen, tenzij je de beoordeling heropent. Heropenen wordt in de beoordeling vastgelegd.");
      return body;
    }

    function reopen() {
      return ui
        .ask({
          title: "Beoordeling heropenen?",
          body: ["Daarna kun je weer wijzigen. In de beoordeling wordt vastgelegd wanneer hij heropend is. Rond hem daarna opnieuw af."],
          buttons: [
            { label: "Annuleren", value: null, focus: true },
            { label: "Heropenen", value: "yes", primary: true },
          ],
        })
        .then((choice) => {
          if (choice === "yes" && state.current && state.current.data.status === "final") {
            session.edit({ type: "reopen" });
            ui.announce("De beoordeling is heropend.");
          }
        });
    }

    return { finalize: finalize, reopen: reopen };
  }

  root.kcm = root.kcm || {};
  root.kcm.finalize = { create: create, problemTarget: problemTarget, missingTarget: missingTarget };
})(globalThis);
