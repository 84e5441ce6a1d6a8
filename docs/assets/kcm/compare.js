// compare.js: two assessors, one joint record (issue 13, design §4 `sources` and `decision`).
//
// Each assessor scores the candidate on their own device and finalises. One of them opens the
// other's exported file with "Vergelijk met collega" while their own final record is open:
// kcm_core (browser_api.merge, the same code as `kcm merge`) checks that both belong together
// and makes the joint draft; this page shows, criterion by criterion, where the two differ,
// and the assessor chooses the agreed answer (A's or B's) and writes why. "Gezamenlijke
// beoordeling maken" stores the joint draft as a new record, with the chosen answers as its
// marks and the reasons in `decision.reason`, and opens it. It is finalised like any other
// (finalize.js); until then its rows show both answers and the reason, which stays editable.
//
// The pure parts (planOf, jointRecord, missingDecisions, answersText, refusalTexts) need no DOM
// and are tested in Node; create() wires them to the page. Text goes in with textContent only.
// Classic script (see store.js for why); defines globalThis.kcm.compare; needs assessment.js
// and ui.js.
(function (root) {
  "use strict";

  // kcm_core's words for an answer (kcm_core.merge._ANSWER_WORDS), so screen and CLI agree.
  function answerWords(answer) {
    const a = answer || {};
    return a.checked === true ? "gecheckt" : a.na === true ? "n.v.t." : "niet gecheckt";
  }

  function assessorNames(data) {
    const list = Array.isArray(data.assessors) ? data.assessors : [];
    return [0, 1].map((i) => (list[i] && typeof list[i].name === "string" ? list[i].name : i === 0 ? "Beoordelaar A" : "Beoordelaar B"));
  }

  // "A. Jansen: gecheckt / B. Bakker: n.v.t. (klant belde in)": both answers of a decision.
  function answersText(decision, names) {
    const one = (name, answer) => name + ": " + answerWords(answer) + (answer && answer.remark ? " (" + answer.remark + ")" : "");
    return one(names[0], decision.a) + " / " + one(names[1], decision.b);
  }

  // What the assessor has to decide, from kcm_core's merge answer: the criteria that differ
  // (in rubric order, with their text and both answers) and the other differences as kcm_core
  // words them (a header field, a call type, a remark: kcm_core already chose those).
  function planOf(merged, rubric) {
    const data = merged.assessment;
    const names = assessorNames(data);
    const differences = Array.isArray(merged.differences) ? merged.differences : [];
    const byId = new Map(rubric.criteria.map((c) => [c.id, c]));
    const criteria = differences
      .filter((d) => d.kind === "criterion" && byId.has(d.id))
      .map((d) => ({ id: d.id, text: byId.get(d.id).text, a: d.a, b: d.b }));
    const others = differences.filter((d) => d.kind !== "criterion").map((d) => otherText(d, rubric));
    return { data: data, names: names, criteria: criteria, others: others };
  }

  function otherText(difference, rubric) {
    const label = (list) => {
      const found = list.find((item) => item.id === difference.id);
      return found ? found.label : difference.id;
    };
    if (difference.kind === "field") {
      return "Veld " + label(rubric.fields) + ": " + difference.text;
    }
    if (difference.kind === "remark") {
      return (difference.id ? "Opmerking bij Eindterm " + difference.id : "Algemene opmerking") + ": " + difference.text;
    }
    return difference.text;
  }

  // The joint draft with the assessor's choices: `choices` maps each differing criterion's id to
  // {pick: "a"|"b", reason}. The chosen answer becomes the criterion's mark, the reason goes
  // into its decision. {ok: true, data} or {ok: false, missing: [{id, what: "pick"|"reason"}]}
  // (every criterion whose choice or reason is missing, in rubric order).
  function jointRecord(plan, choices, rubric, nowIso) {
    const A = root.kcm.assessment;
    const missing = [];
    plan.criteria.forEach((c) => {
      const choice = choices[c.id] || {};
      if (choice.pick !== "a" && choice.pick !== "b") {
        missing.push({ id: c.id, what: "pick" });
      }
      if (!String(choice.reason || "").trim()) {
        missing.push({ id: c.id, what: "reason" });
      }
    });
    if (missing.length) {
      return { ok: false, missing: missing };
    }
    let data = plan.data;
    plan.criteria.forEach((c) => {
      const choice = choices[c.id];
      const answer = choice.pick === "a" ? c.a : c.b;
      data = A.applyEdit(data, { type: "mark", id: c.id, mark: { checked: answer.checked === true, na: answer.na === true, remark: answer.remark || "" } }, nowIso, rubric);
      data = A.applyEdit(data, { type: "decision-reason", id: c.id, value: choice.reason.trim() }, nowIso, rubric);
    });
    // A new record: made now, by these two, from their sealed originals (`sources`).
    return { ok: true, data: Object.assign({}, data, { created: nowIso, updated: nowIso }) };
  }

  // The decisions of a joint record that still lack their reason, as finalize.js lists missing
  // answers: [{label, target}] (the target is the reason field in the criterion's row).
  function missingDecisions(data, rubric) {
    const A = root.kcm.assessment;
    return rubric.criteria
      .filter((c) => {
        const decision = A.mark(data, c.id).decision;
        return decision && !String(decision.reason || "").trim();
      })
      .map((c) => ({ label: c.id + ": reden van de gezamenlijke keuze", target: { kind: "criterion", id: c.id, role: "reason" } }));
  }

  // kcm_core's refusal ({problems: [{parts, message, source: "a"|"b"}]}) as sentences that say
  // which record each problem is in: the open one, or the colleague's file.
  function refusalTexts(problems, rubric) {
    return problems.map((p) => {
      // "In het bestand" is what ui.js says of a problem with no place of its own: here the
      // record is named already.
      const text = root.kcm.ui.problemTexts([p], rubric)[0].replace(/^In het bestand: /, "");
      return (p.source === "a" ? "Jouw beoordeling" : "Het bestand van je collega") + ": " + text.charAt(0).toLowerCase() + text.slice(1);
    });
  }

  // options: {page (page.js), session, store, engine, rubric, now, doc, announce (ui.js)}.
  function create(options) {
    const A = root.kcm.assessment;
    const page = options.page;
    const session = options.session;
    const engine = options.engine;
    const rubric = options.rubric;
    const doc = options.doc;
    const section = page.$("[data-compare]");
    const start = page.$("[data-compare-start]", section);
    const joint = page.$("[data-compare-joint]", section);
    const message = page.$("[data-compare-message]", section);
    const planBox = page.$("[data-compare-plan]", section);
    const input = page.$('input[type=file][data-action="compare"]', section);
    const template = page.$("template[data-decision-template]");
    // The plan on screen, while the assessor chooses: {plan, forId} (forId: the open record).
    let shown = null;

    function make(tag, className, text) {
      const node = doc.createElement(tag);
      if (className) {
        node.className = className;
      }
      if (text !== undefined) {
        node.textContent = text;
      }
      return node;
    }

    // What the message is about: the record open when it was said, in that state. A message
    // about another record, or about this one before it changed status, is stale.
    let saidFor = "";
    const stateKey = () => (session.state.current ? session.state.current.id + " " + session.state.current.data.status : "");

    function say(kind, lines) {
      saidFor = stateKey();
      message.replaceChildren();
      message.setAttribute("data-kind", kind || "");
      (Array.isArray(lines) ? lines : lines ? [lines] : []).forEach((line) => message.append(make("p", "", line)));
    }

    // Draws what the open record allows: the comparison for a final record of one assessor, the
    // joint line for a joint record, and in every row with a decision both answers and the reason.
    function render() {
      const data = session.state.current ? session.state.current.data : null;
      const isJoint = Boolean(data && Array.isArray(data.sources));
      const canStart = Boolean(data && data.status === "final" && !isJoint && !data.practice && A.belongsTo(data, rubric));
      section.hidden = !(canStart || isJoint || shown);
      start.hidden = !canStart;
      if (shown && (!data || data.id !== shown.forId || data.status !== "final")) {
        closePlan();
      }
      if (saidFor !== stateKey() && message.firstChild) {
        say("", "");
      }
      joint.hidden = !isJoint;
      // On paper the section shows only for a joint record (exam.css), saying whose it is.
      section.toggleAttribute("data-joint", isJoint);
      if (isJoint) {
        const names = assessorNames(data);
        const open = missingDecisions(data, rubric).length;
        joint.textContent =
          "Gezamenlijke beoordeling van " + names[0] + " en " + names[1] + "." +
          (data.status === "final" ? "" : open ? " Schrijf bij " + (open === 1 ? "1 verschil" : open + " verschillen") + " de reden van jullie keuze en rond dan af." : " Rond de beoordeling af als jullie het eens zijn.");
      }
      renderRows(data);
    }

    // A row's decision part, made from the page's template the first time a row needs it.
    function decisionBox(row) {
      let box = row.row.querySelector("[data-decision]");
      if (!box) {
        box = template.content.firstElementChild.cloneNode(true);
        const reason = box.querySelector('[data-role="reason"]');
        reason.id = "kcm-reason-" + row.id;
        box.querySelector("label").htmlFor = reason.id;
        box.querySelector("[data-decision-of]").textContent = " bij " + row.id;
        // After the remark, before the row's aids and note.
        row.row.querySelector(".kcm-criterion__extra").after(box);
      }
      return box;
    }

    function renderRows(data) {
      const names = data ? assessorNames(data) : [];
      page.rows.forEach((row) => {
        const decision = data ? A.mark(data, row.id).decision : null;
        row.row.toggleAttribute("data-has-decision", Boolean(decision));
        const existing = row.row.querySelector("[data-decision]");
        if (!decision) {
          if (existing) {
            existing.hidden = true;
          }
          return;
        }
        const box = decisionBox(row);
        box.hidden = false;
        box.querySelector("[data-decision-answers]").textContent = answersText(decision, names);
        const reason = box.querySelector('[data-role="reason"]');
        const value = typeof decision.reason === "string" ? decision.reason : "";
        if (reason.value !== value && doc.activeElement !== reason) {
          reason.value = value;
        }
        box.querySelector("[data-print-reason]").textContent = value ? "Reden: " + value : "";
      });
    }

    function closePlan() {
      shown = null;
      planBox.hidden = true;
      planBox.replaceChildren();
    }

    function compareFile(file) {
      const current = session.state.current;
      closePlan();
      if (!current || current.data.status !== "final") {
        say("error", "Rond eerst je eigen beoordeling af; daarna kun je hem vergelijken.");
        return Promise.resolve();
      }
      if (engine.state().state !== "ready") {
        say("warning", "Vergelijken kan pas als de rekenmodule klaar is. Wacht even en kies het bestand dan opnieuw.");
        return Promise.resolve();
      }
      if (file.size > rubric.limits.maxFileBytes) {
        say("error", "Dit bestand is te groot; dat is geen export van deze checklist.");
        return Promise.resolve();
      }
      say("", "Het bestand wordt vergeleken…");
      return file
        .text()
        .then((text) => engine.call("merge", [JSON.stringify(current.data), text]))
        .then((answer) => {
          if (!answer.ok) {
            say("error", ["Deze twee beoordelingen kunnen niet samen één beoordeling worden:"].concat(refusalTexts(answer.problems, rubric)));
            return;
          }
          showPlan(planOf(answer, rubric), current.id);
        })
        .catch((error) => say("error", "Het bestand kon niet gelezen worden (" + String(error && error.message) + ")."));
    }

    function showPlan(plan, forId) {
      shown = { plan: plan, forId: forId };
      say("", "");
      planBox.replaceChildren();
      const count = plan.criteria.length;
      planBox.append(
        make("h3", "kcm-compare__head", "Verschillen met " + plan.names[1]),
        make(
          "p",
          "kcm-hint",
          count
            ? (count === 1 ? "Jullie antwoordden bij 1 criterium verschillend." : "Jullie antwoordden bij " + count + " criteria verschillend.") + " Kies per criterium het antwoord waar jullie het over eens zijn, en schrijf waarom."
            : "Jullie antwoorden zijn bij alle criteria gelijk.",
        ),
      );
      plan.criteria.forEach((c) => planBox.append(choiceBlock(c, plan.names)));
      if (plan.others.length) {
        planBox.append(make("p", "kcm-hint", "Verder verschillen jullie hierin; dit is overgenomen zoals hieronder staat:"));
        const list = make("ul", "kcm-compare__others");
        plan.others.forEach((text) => list.append(make("li", "", text)));
        planBox.append(list);
      }
      const bar = make("div", "kcm-toolbar");
      const go = make("button", "kcm-button kcm-button--primary", "Gezamenlijke beoordeling maken");
      go.type = "button";
      go.setAttribute("data-action", "make-joint");
      const cancel = make("button", "kcm-button", "Annuleren");
      cancel.type = "button";
      cancel.setAttribute("data-action", "compare-cancel");
      bar.append(go, cancel);
      const planMessage = make("div", "kcm-compare__message");
      planMessage.setAttribute("data-plan-message", "");
      planMessage.setAttribute("role", "status");
      planBox.append(bar, planMessage);
      planBox.hidden = false;
      section.hidden = false;
      // The heading takes the focus, so a screen reader starts at "Verschillen met …".
      const head = planBox.querySelector("h3");
      head.setAttribute("tabindex", "-1");
      head.focus();
      planBox.scrollIntoView({ block: "start" });
    }

    // One differing criterion: its id and text, both answers as a choice, and the reason.
    function choiceBlock(c, names) {
      const set = make("fieldset", "kcm-choice");
      set.setAttribute("data-difference", c.id);
      const legend = make("legend", "kcm-choice__legend");
      legend.append(make("span", "kcm-num", c.id), doc.createTextNode(" " + c.text));
      set.append(legend);
      const group = make("div", "kcm-choice__answers");
      [["a", c.a], ["b", c.b]].forEach(([side, answer], i) => {
        const id = "kcm-choice-" + c.id + "-" + side;
        const item = make("div", "kcm-check");
        const radio = make("input");
        radio.type = "radio";
        radio.name = "kcm-choice-" + c.id;
        radio.id = id;
        radio.value = side;
        radio.setAttribute("data-pick", side);
        const label = make("label", "", names[i] + ": " + answerWords(answer) + (answer && answer.remark ? " (" + answer.remark + ")" : ""));
        label.htmlFor = id;
        item.append(radio, label);
        group.append(item);
      });
      const reasonId = "kcm-choice-" + c.id + "-reason";
      const label = make("label", "kcm-choice__reason-label", "Reden");
      label.htmlFor = reasonId;
      const reason = make("textarea", "kcm-choice__reason");
      reason.id = reasonId;
      reason.rows = 1;
      reason.maxLength = rubric.limits.maxRemarkChars;
      reason.required = true;
      reason.setAttribute("data-choice-reason", "");
      set.append(group, label, reason);
      return set;
    }

    function choicesOnScreen() {
      const choices = Object.create(null);
      planBox.querySelectorAll("[data-difference]").forEach((set) => {
        const picked = set.querySelector("[data-pick]:checked");
        choices[set.getAttribute("data-difference")] = { pick: picked ? picked.value : null, reason: set.querySelector("[data-choice-reason]").value };
      });
      return choices;
    }

    function makeJoint() {
      if (!shown) {
        return;
      }
      const planMessage = planBox.querySelector("[data-plan-message]");
      const outcome = jointRecord(shown.plan, choicesOnScreen(), rubric, options.now());
      planBox.querySelectorAll("[data-difference]").forEach((set) => set.removeAttribute("data-missing"));
      if (!outcome.ok) {
        const ids = Array.from(new Set(outcome.missing.map((m) => m.id)));
        ids.forEach((id) => planBox.querySelector('[data-difference="' + id + '"]').setAttribute("data-missing", ""));
        planMessage.textContent =
          "Kies bij " + (ids.length === 1 ? "criterium " + ids[0] : "de criteria " + ids.join(", ")) + " een antwoord en schrijf de reden.";
        const first = outcome.missing[0];
        const set = planBox.querySelector('[data-difference="' + first.id + '"]');
        (first.what === "pick" ? set.querySelector("[data-pick]") : set.querySelector("[data-choice-reason]")).focus();
        return;
      }
      const saved = options.store.save(outcome.data, 0);
      if (!saved.ok) {
        planMessage.textContent = "De gezamenlijke beoordeling kon niet worden opgeslagen. " + (saved.message || "");
        return;
      }
      const loaded = options.store.load(outcome.data.id);
      closePlan();
      if (loaded.ok) {
        session.open(loaded.record, { focus: true });
      } else {
        session.refreshList();
      }
      say("info", "De gezamenlijke beoordeling is gemaakt en staat nu open. Controleer hem en rond hem af.");
      options.announce("De gezamenlijke beoordeling is gemaakt en staat nu open.");
    }

    input.addEventListener("change", () => {
      const file = input.files && input.files[0];
      if (file) {
        compareFile(file);
      }
      // Choosing the same file again must compare again.
      input.value = "";
    });
    section.addEventListener("click", (event) => {
      const target = event.target.closest("[data-action]");
      if (target && target.getAttribute("data-action") === "make-joint") {
        makeJoint();
      } else if (target && target.getAttribute("data-action") === "compare-cancel") {
        closePlan();
        say("", "");
        input.focus();
      }
    });
    // The reason of an agreed answer in a joint draft's row (the fieldset locks it once final).
    page.el.form.addEventListener("input", (event) => {
      const target = event.target;
      if (target.matches('[data-role="reason"]')) {
        session.edit({ type: "decision-reason", id: target.closest("[data-criterion-id]").getAttribute("data-criterion-id"), value: target.value });
      }
    });
    session.on("form", render);
    session.on("opened", () => {
      closePlan();
      say("", "");
    });
    render();

    return { render: render, compareFile: compareFile, makeJoint: makeJoint };
  }

  root.kcm = root.kcm || {};
  root.kcm.compare = {
    create: create,
    answerWords: answerWords,
    answersText: answersText,
    planOf: planOf,
    jointRecord: jointRecord,
    missingDecisions: missingDecisions,
    refusalTexts: refusalTexts,
  };
})(globalThis);
