// scoring.js: the scores of the open assessment and of the listed ones, from kcm_core.
//
// Verdicts come only from kcm_core, through the engine client's call() (engine-client.js): a
// call made while the engine loads waits for it. For the open assessment the latest request
// wins, and only one is on its way at a time: while one is out, newer edits only mark it stale,
// and its answer asks again for what is open then (typing fast, or ticking while the engine
// loads, costs one score per answer, not one per keystroke). Listed assessments are scored once
// per version, and only those the list shows.
//
// Part of the session (session.js creates it with the session's state and events); no DOM.
// Classic script (see store.js for why); defines globalThis.kcm.scoring.
(function (root) {
  "use strict";

  // Case and accents do not matter when searching a name: "fatima" finds "Fátima".
  function searchable(text) {
    return String(text).normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  }

  // options: {engine, rubric, now, state (session.js), emit(name, value)}.
  function create(options) {
    const A = root.kcm.assessment;
    const V = root.kcm.versions;
    const engine = options.engine;
    const rubric = options.rubric;
    const state = options.state;
    const emit = options.emit;
    // The list shows the most recent assessments, plus the open one; "Toon alle" and the name
    // filter reach the rest. Rendering hundreds of items would cost more than the rest of the
    // page (measured: ~140 ms of style and layout for 1,000 on the bench machine).
    const listLimit = Math.max(1, rubric.limits.listLimit);
    // A score of the open assessment is on its way.
    let scoring = false;

    function scoreCurrent() {
      state.scoreSeq += 1;
      const data = state.current ? state.current.data : null;
      if (data && !A.belongsTo(data, rubric)) {
        emit("result", null);
        // An earlier version of this form: scored against its own version, shown in its
        // own panel (views-foreign.js), never in today's form.
        if (V.scorable(data, rubric)) {
          scoreForeign(state.current.id, data);
        }
        return;
      }
      // Until the engine answers, the result shows why there is none yet (and the notes of
      // n.v.t. rows follow the form); once it is ready, the last verdict stays up until the new
      // one is there.
      if (engine.state().state !== "ready") {
        emit("result", null);
      }
      if (!scoring) {
        requestScore();
      }
    }

    function requestScore() {
      const seq = state.scoreSeq;
      const id = state.current ? state.current.id : null;
      const data = state.current ? state.current.data : A.newDraft(rubric, "leeg", options.now());
      if (!A.belongsTo(data, rubric)) {
        return;
      }
      scoring = true;
      engine.call("score", JSON.stringify(data)).then(
        (answer) => {
          scoring = false;
          if (seq !== state.scoreSeq) {
            requestScore();
            return;
          }
          const entry = answer.ok ? { updated: data.updated, result: answer.result, problems: null } : { updated: data.updated, result: null, problems: answer.problems };
          if (id) {
            state.scores[id] = entry;
          }
          emit("result", entry);
          emit("list");
        },
        () => {
          scoring = false;
          if (seq !== state.scoreSeq) {
            requestScore();
            return;
          }
          emit("result", null);
        },
      );
    }

    function scoreForeign(id, data) {
      const known = state.scores[id];
      if (known && known.updated === data.updated && (known.result || known.problems)) {
        emit("foreign-result");
        return;
      }
      // Asked once: opening and the engine becoming ready both come here.
      if (known && known.pending === data.updated) {
        return;
      }
      state.scores[id] = Object.assign({}, known, { pending: data.updated });
      engine.call("score", JSON.stringify(data)).then(
        (answer) => {
          state.scores[id] = { updated: data.updated, result: answer.ok ? answer.result : null, problems: answer.ok ? null : answer.problems };
          emit("foreign-result");
          emit("list", { later: true });
        },
        () => {
          if (state.scores[id]) {
            delete state.scores[id].pending;
          }
          emit("foreign-result");
        },
      );
    }

    // What the list shows: the newest listLimit (or all) of those matching the name filter,
    // plus the open assessment.
    function listed() {
      const shownData = (r) => (state.current && state.current.id === r.id ? state.current.data : r.data);
      const query = searchable(state.listFilter.trim());
      const matches = query ? state.records.filter((r) => searchable(A.candidateName(shownData(r))).includes(query)) : state.records;
      let shown = state.showAll ? matches : matches.slice(0, listLimit);
      if (state.current && shown.length < matches.length && !shown.some((r) => r.id === state.current.id)) {
        const openRecord = matches.find((r) => r.id === state.current.id);
        if (openRecord) {
          shown = shown.concat([openRecord]);
        }
      }
      return { shown: shown, matches: matches.length, total: state.records.length, query: query, limit: listLimit };
    }

    // Scores the listed assessments that have no score yet (only those: with hundreds stored,
    // scoring all of them would keep the engine busy for seconds after every start).
    function scoreList() {
      const todo = listed().shown.filter((r) => {
        const score = state.scores[r.id];
        const updated = r.data.updated;
        // The open assessment is scored by scoreCurrent, after every change.
        const isOpen = state.current && state.current.id === r.id;
        const asked = score && (score.pending === updated || score.failed === updated);
        return !isOpen && V.scorable(r.data, rubric) && (!score || score.updated !== updated) && !asked;
      });
      todo.forEach((r) => {
        const updated = r.data.updated;
        // Marked, so that a re-list before the answer does not ask again.
        state.scores[r.id] = Object.assign({}, state.scores[r.id], { pending: updated });
        engine.call("score", JSON.stringify(r.data)).then(
          (answer) => {
            state.scores[r.id] = { updated: updated, result: answer.ok ? answer.result : null, problems: answer.ok ? null : answer.problems };
            emit("list", { later: true });
          },
          () => {
            // Not asked again on every re-list while the engine is down; once it is ready.
            const score = state.scores[r.id];
            if (score && score.pending === updated) {
              delete score.pending;
              score.failed = updated;
            }
          },
        );
      });
    }

    // The engine client's state changed (engine-client.js onState).
    function engineChanged(info) {
      if (info.state === "ready") {
        Object.keys(state.scores).forEach((id) => delete state.scores[id].failed);
        // A score asked while the engine loaded is on its way already.
        if (!scoring) {
          scoreCurrent();
        }
        scoreList();
      } else if (info.state === "error") {
        emit("result", null);
        emit("list");
      }
    }

    return { scoreCurrent: scoreCurrent, scoreList: scoreList, listed: listed, engineChanged: engineChanged };
  }

  root.kcm = root.kcm || {};
  root.kcm.scoring = { create: create, searchable: searchable };
})(globalThis);
