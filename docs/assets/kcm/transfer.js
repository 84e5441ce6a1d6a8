// transfer.js: assessments out of and into this browser: export as JSON or CSV (for Excel),
// and import of an exported JSON file.
//
// - An export warns that the file holds personal data.
// - An imported file is checked by kcm_core (check_import) before anything is stored; a bad
//   file changes nothing. An import never replaces a stored assessment that was changed later,
//   or made with another rubric version, without the assessor's explicit choice
//   (assessment.js's planImport), and writes all or nothing (store.js's saveMany).
// - A file larger than the rubric's limits.maxFileBytes is refused before it is read.
//
// No DOM: the file is given as {name, size, text()} (a File), and downloads, banners and the
// dialog go through the functions create() is given, so tests pass fakes.
// Classic script (see store.js for why); defines globalThis.kcm.transfer.
(function (root) {
  "use strict";

  const MB = 1024 * 1024;

  function importSummary(added, replaced, same, skipped) {
    const parts = [];
    if (added) {
      parts.push(added === 1 ? "1 nieuwe beoordeling" : added + " nieuwe beoordelingen");
    }
    if (replaced) {
      parts.push(replaced === 1 ? "1 bijgewerkt" : replaced + " bijgewerkt");
    }
    if (same) {
      parts.push(same === 1 ? "1 stond er al precies zo" : same + " stonden er al precies zo");
    }
    if (skipped) {
      parts.push(skipped === 1 ? "1 overgeslagen" : skipped + " overgeslagen");
    }
    return (parts.join(", ") || "niets") + ".";
  }

  // options: {session (session.js), store, engine (engine-client.js), rubric, now, ui:
  // {showBanner, ask, askPersistence, download}}.
  function create(options) {
    const A = root.kcm.assessment;
    const session = options.session;
    const state = session.state;
    const store = options.store;
    const engine = options.engine;
    const rubric = options.rubric;
    const now = options.now;
    const ui = options.ui;

    function exportedBanner(name) {
      ui.showBanner("exported", {
        kind: "info",
        title: "Bestand gemaakt: " + name,
        text: "Het bestand bevat persoonsgegevens (naam en geboortedatum van de kandidaat). Bewaar het op een veilige plek en verwijder het als je het niet meer nodig hebt.",
      });
    }

    function currentOrNothing() {
      if (state.current) {
        return state.current.data;
      }
      ui.showBanner("exported", { kind: "warning", text: "Er is nog niets ingevuld om te exporteren." });
      return null;
    }

    function nameParts(data) {
      return ["kcm", A.candidateName(data) || "zonder-naam", (data.fields && data.fields.datum) || data.created.slice(0, 10)];
    }

    function exportCurrentJson() {
      const data = currentOrNothing();
      if (data) {
        const name = A.fileName(nameParts(data), "json");
        ui.download(A.exportOneText(data), name, "application/json");
        exportedBanner(name);
      }
    }

    function exportCurrentCsv() {
      const data = currentOrNothing();
      if (!data) {
        return Promise.resolve();
      }
      return scoresFor([data]).then((results) => {
        const name = A.fileName(nameParts(data), "csv");
        ui.download(A.csvText([data], rubric, results), name, "text/csv;charset=utf-8");
        exportedBanner(name);
      });
    }

    // Every assessment, with what is on screen winning over an older stored copy.
    function allForExport() {
      const list = state.records.map((r) => (state.current && state.current.id === r.id ? state.current.data : r.data));
      if (state.current && !state.records.some((r) => r.id === state.current.id)) {
        list.unshift(state.current.data);
      }
      return list;
    }

    function nothingToExport() {
      ui.showBanner("exported", { kind: "warning", text: "Er zijn nog geen beoordelingen om te exporteren." });
    }

    function exportAllJson() {
      const list = allForExport();
      if (!list.length) {
        nothingToExport();
        return;
      }
      const name = A.fileName(["kcm-alle-beoordelingen", now().slice(0, 10)], "json");
      ui.download(A.exportManyText(list, now()), name, "application/json");
      exportedBanner(name);
    }

    function exportAllCsv() {
      const list = allForExport().filter((d) => A.belongsTo(d, rubric));
      if (!list.length) {
        nothingToExport();
        return Promise.resolve();
      }
      return scoresFor(list).then((results) => {
        const name = A.fileName(["kcm-alle-beoordelingen", now().slice(0, 10)], "csv");
        ui.download(A.csvText(list, rubric, results), name, "text/csv;charset=utf-8");
        exportedBanner(name);
      });
    }

    // Scores for a CSV. The export does not wait for a loading engine: without it the CSV
    // says "niet berekend".
    function scoresFor(list) {
      const asked = list.map((d) => engine.call("score", JSON.stringify(d), { wait: false }).catch(() => null));
      return Promise.all(asked).then((answers) => {
        const results = {};
        answers.forEach((answer, i) => {
          if (answer && answer.ok) {
            results[list[i].id] = answer.result;
          }
        });
        return results;
      });
    }

    // `file`: {name, size, text(): Promise<string>} (a File from the file input).
    function importFile(file) {
      const name = file.name;
      // The file is checked by kcm_core first: refused, not postponed, while it cannot be.
      const engineState = engine.state().state;
      if (engineState !== "ready") {
        ui.showBanner("import", {
          kind: "warning",
          title: "Importeren kan nu niet",
          text:
            engineState === "error"
              ? "Een bestand wordt eerst gecontroleerd door de rekenmodule, en die werkt niet in deze browser. Er is niets veranderd."
              : "Een bestand wordt eerst gecontroleerd door de rekenmodule. Wacht tot die klaar is en kies het bestand dan opnieuw. Er is niets veranderd.",
        });
        return Promise.resolve();
      }
      const maxBytes = rubric.limits.maxFileBytes;
      if (file.size > maxBytes) {
        ui.showBanner("import", {
          kind: "error",
          title: "Niet ingelezen: " + name,
          text: "Het bestand is groter dan " + Math.round(maxBytes / MB) + " MB; dat is geen export van deze checklist. Er is niets veranderd.",
        });
        return Promise.resolve();
      }
      return file
        .text()
        .then((text) => engine.call("check_import", text))
        .then((answer) => {
          if (!answer.ok) {
            ui.showBanner("import", {
              kind: "error",
              title: "Niet ingelezen: " + name,
              text: "Het bestand is niet ingelezen, want er klopt iets niet. Er is niets veranderd. Dit is er mis (met de plaats in het bestand):",
              problems: answer.problems,
            });
            return null;
          }
          return applyImport(name, answer.assessments);
        })
        .catch((error) => {
          ui.showBanner("import", { kind: "error", title: "Niet ingelezen: " + name, text: "Het bestand kon niet gelezen worden (" + String(error && error.message) + "). Er is niets veranderd." });
        });
    }

    // Asks before replacing what was changed here later (or belongs to another rubric).
    function decide(risky) {
      if (!risky.length) {
        return Promise.resolve("replace");
      }
      const when = (p) => (A.candidateName(p.data) || "zonder naam") + ": hier gewijzigd op " + A.formatMoment(p.local.data.updated) + ", in het bestand op " + A.formatMoment(p.data.updated);
      return ui.ask({
        title: "Nieuwere versie in deze browser",
        body: [
          risky.length === 1
            ? "Deze beoordeling is in deze browser later gewijzigd dan de versie in het bestand:"
            : "Deze " + risky.length + " beoordelingen zijn in deze browser later gewijzigd dan de versie in het bestand:",
          { list: risky.map(when) },
          "Wil je ze vervangen door de oudere versie uit het bestand?",
        ],
        buttons: [
          { label: "Annuleren", value: null },
          { label: "Alleen de rest importeren", value: "skip", focus: true },
          { label: "Vervangen", value: "replace", danger: true },
        ],
      });
    }

    // `assessments`: checked and normalised by kcm_core.
    function applyImport(name, assessments) {
      session.flush();
      const localById = {};
      store.list().records.forEach((r) => {
        localById[r.id] = r;
      });
      const plan = A.planImport(assessments, localById, rubric);
      const asksFirst = (p) => p.action === "older" || p.action === "foreign";
      return decide(plan.filter(asksFirst)).then((choice) => {
        if (choice === null) {
          ui.showBanner("import", { kind: "info", text: "Importeren geannuleerd. Er is niets veranderd." });
          return;
        }
        const todo = plan.filter((p) => p.action === "new" || p.action === "update" || (choice === "replace" && asksFirst(p)));
        const same = plan.filter((p) => p.action === "same").length;
        const skipped = plan.length - todo.length - same;
        if (!todo.length) {
          ui.showBanner("import", { kind: "info", title: "Ingelezen: " + name, text: importSummary(0, 0, same, skipped) });
          return;
        }
        const result = store.saveMany(todo.map((p) => ({ data: p.data, baseRev: p.local ? p.local.rev : 0 })));
        if (!result.ok) {
          ui.showBanner("import", {
            kind: "error",
            title: "Niet geïmporteerd: " + name,
            text:
              result.reason === "write-failed"
                ? [result.message, "Er is niets veranderd."]
                : "Een beoordeling uit het bestand is net in een ander tabblad gewijzigd. Er is niets veranderd; probeer het opnieuw.",
          });
          return;
        }
        const added = todo.filter((p) => p.action === "new").length;
        ui.showBanner("import", { kind: "info", title: "Ingelezen: " + name, text: importSummary(added, todo.length - added, same, skipped) });
        ui.askPersistence();
        // The open assessment may have been replaced by the imported version; a single new one
        // is opened when nothing was open.
        const reopenId = state.current ? (todo.some((p) => p.data.id === state.current.id) ? state.current.id : null) : todo.length === 1 ? todo[0].data.id : null;
        const loaded = reopenId ? store.load(reopenId) : null;
        if (loaded && loaded.ok) {
          session.open(loaded.record);
        } else {
          session.refreshList();
        }
      });
    }

    return {
      exportCurrentJson: exportCurrentJson,
      exportCurrentCsv: exportCurrentCsv,
      exportAllJson: exportAllJson,
      exportAllCsv: exportAllCsv,
      scoresFor: scoresFor,
      importFile: importFile,
    };
  }

  root.kcm = root.kcm || {};
  root.kcm.transfer = { create: create, importSummary: importSummary };
})(globalThis);
