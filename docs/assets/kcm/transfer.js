// transfer.js: assessments out of and into this browser: export as JSON or CSV (for Excel),
// and import of an exported JSON file.
//
// - An export warns that the file holds personal data.
// - An imported file is checked by kcm_core (check_import) before anything is stored; a broken
//   file changes nothing and says why. In a collection each record is checked on its own: the
//   good ones are imported and each refused one is named in the banner, with its problems.
// - An import never overwrites silently: for each record that is here already with other
//   content the assessor chooses (import-plan.js's planImport): keep mine, take the file's, or
//   keep both (the file's as a copy, copyOf). A final record is never replaced by a draft.
//   Nothing is written before that choice; dismissing it changes nothing. The writes are all
//   or nothing (store.js's saveMany).
// - A file larger than the rubric's limits.maxFileBytes is refused before it is read.
// - Practice and exam stay apart (practice.js): this page exports only its own kind (a practice
//   file's name starts with "oefening-"), and records of the other kind in a file are not
//   stored; the banner says where they open (options.otherPage: {href, open}, the other page).
//
// No DOM: the file is given as {name, size, text()} (a File), and downloads, banners and the
// dialog go through the functions create() is given, so tests pass fakes. The store may answer
// at once or with a Promise; both are awaited.
// Classic script (see store.js for why); defines globalThis.kcm.transfer.
(function (root) {
  "use strict";

  const MB = 1024 * 1024;
  const CHOICE_LABELS = { local: "Mijn versie houden", incoming: "Versie uit het bestand nemen", both: "Allebei houden" };
  // How many refused records the banner names, and how many problems of each.
  const MAX_REJECTED_SHOWN = 20;
  const MAX_PROBLEMS_SHOWN = 3;

  // The import's outcome in words: {added, replaced, copied, same, kept, rejected} (counts).
  function importSummary(counts) {
    const n = (key) => counts[key] || 0;
    const parts = [];
    const say = (count, one, many) => count && parts.push(count === 1 ? one : count + " " + many);
    say(n("added"), "1 nieuwe beoordeling", "nieuwe beoordelingen");
    say(n("replaced"), "1 bijgewerkt", "bijgewerkt");
    say(n("copied"), "1 als kopie toegevoegd", "als kopie toegevoegd");
    say(n("same"), "1 stond er al precies zo", "stonden er al precies zo");
    say(n("kept"), "1 overgeslagen (je eigen versie blijft)", "overgeslagen (je eigen versie blijft)");
    say(n("rejected"), "1 niet ingelezen", "niet ingelezen");
    return (parts.join(", ") || "niets") + ".";
  }

  // The file's version kept beside the stored one: a new draft with a new id, without what
  // finalising wrote, and a history entry naming the id it was copied from.
  function copyOf(data, id, nowIso) {
    const copy = JSON.parse(JSON.stringify(data));
    // A draft holds none of what finalising and signing wrote (kcm_core refuses them there).
    ["seal", "result", "signatures"].forEach((key) => delete copy[key]);
    copy.id = id;
    copy.status = "draft";
    copy.finalized = null;
    copy.updated = nowIso;
    copy.history = (Array.isArray(copy.history) ? copy.history : []).concat([{ at: nowIso, action: "copied", from: data.id }]);
    return copy;
  }

  // The writes of an import plan (import-plan.js's planImport) with the assessor's choices
  // (`picked`: id -> "local" | "incoming" | "both"; a missing or unoffered choice keeps the
  // stored version), and what they come to: {writes: [{data, baseRev}], counts: {added,
  // replaced, copied, same, kept}}. `makeId` gives a copy its id.
  function resolveImport(plan, picked, makeId, nowIso) {
    const counts = { added: 0, replaced: 0, copied: 0, same: 0, kept: 0 };
    const writes = [];
    plan.forEach((p) => {
      const wanted = Object.prototype.hasOwnProperty.call(picked, p.data.id) ? picked[p.data.id] : null;
      const choice = p.action === "conflict" && p.choices.indexOf(wanted) !== -1 ? wanted : "local";
      if (p.action === "new") {
        writes.push({ data: p.data, baseRev: 0 });
        counts.added += 1;
      } else if (p.action === "same") {
        counts.same += 1;
      } else if (choice === "incoming") {
        writes.push({ data: p.data, baseRev: p.local.rev });
        counts.replaced += 1;
      } else if (choice === "both") {
        writes.push({ data: copyOf(p.data, makeId(), nowIso), baseRev: 0 });
        counts.copied += 1;
      } else {
        counts.kept += 1;
      }
    });
    return { writes: writes, counts: counts };
  }

  // The records of a collection that kcm_core refused ({index, id, problems}), one line each:
  // which record, and its problems as sentences (ui.js's problemTexts).
  function rejectedLines(rejected, rubric) {
    const lines = rejected.slice(0, MAX_REJECTED_SHOWN).map((r) => {
      const texts = root.kcm.ui.problemTexts(r.problems, rubric, 2);
      const more = texts.length - MAX_PROBLEMS_SHOWN;
      const shown = texts.slice(0, MAX_PROBLEMS_SHOWN).concat(more > 0 ? [more === 1 ? "En nog 1 ander probleem." : "En nog " + more + " andere problemen."] : []);
      return "Beoordeling " + (r.index + 1) + " in het bestand (" + (r.id ? "id " + r.id : "zonder id") + "): " + shown.join(" ");
    });
    const rest = rejected.length - lines.length;
    return rest > 0 ? lines.concat(["En nog " + rest + " andere beoordelingen die niet zijn ingelezen."]) : lines;
  }

  // options: {session (session.js), store, engine (engine-client.js), rubric, now, ui:
  // {showBanner, ask, askPersistence, download}, onExported(ids), otherPage: {href, open()}
  // (the exam checklist from the practice page and back; absent when unknown)}.
  function create(options) {
    const A = root.kcm.assessment;
    const P = root.kcm.practice;
    const practicePage = P.pageIsPractice(options.rubric);
    const otherPage = options.otherPage && options.otherPage.href ? options.otherPage : null;
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
        text: practicePage
          ? "Het bestand bevat persoonsgegevens (je naam en geboortedatum, als je die hebt ingevuld). Bewaar het op een veilige plek en verwijder het als je het niet meer nodig hebt."
          : "Het bestand bevat persoonsgegevens (naam en geboortedatum van de kandidaat). Bewaar het op een veilige plek en verwijder het als je het niet meer nodig hebt.",
      });
    }

    // The reminder to delete exported assessments (reminder.js) counts from here.
    function noteExported(list) {
      if (options.onExported) {
        options.onExported(list.map((data) => data.id));
      }
    }

    function currentOrNothing() {
      if (state.current) {
        return state.current.data;
      }
      ui.showBanner("exported", { kind: "warning", text: "Er is nog niets ingevuld om te exporteren." });
      return null;
    }

    function nameParts(data) {
      return [P.filePrefix(P.isPractice(data)), A.candidateName(data) || "zonder-naam", (data.fields && data.fields.datum) || data.created.slice(0, 10)];
    }

    // The name of a file of every assessment (or practice) of this page.
    function allName(ext) {
      return A.fileName([P.filePrefix(practicePage), practicePage ? "alle-oefeningen" : "alle-beoordelingen", now().slice(0, 10)], ext);
    }

    function exportCurrentJson() {
      const data = currentOrNothing();
      if (data) {
        const name = A.fileName(nameParts(data), "json");
        ui.download(A.exportOneText(data), name, "application/json");
        exportedBanner(name);
        noteExported([data]);
      }
    }

    function exportCurrentCsv() {
      const data = currentOrNothing();
      if (!data) {
        return Promise.resolve();
      }
      return scoresFor([data]).then((results) => {
        const name = A.fileName(nameParts(data), "csv");
        // An assessment of an earlier form version gets that version's rows and texts.
        const facts = root.kcm.versions.factsOf(data, rubric) || rubric;
        ui.download(root.kcm.csv.text([data], facts, results), name, "text/csv;charset=utf-8");
        exportedBanner(name);
        noteExported([data]);
      });
    }

    // Every assessment of this page's kind (session.js lists only those), with what is on
    // screen winning over an older stored copy.
    function allForExport() {
      const list = state.records.map((r) => (state.current && state.current.id === r.id ? state.current.data : r.data));
      if (state.current && !state.records.some((r) => r.id === state.current.id)) {
        list.unshift(state.current.data);
      }
      return list.filter((data) => P.fits(data, rubric));
    }

    function nothingToExport() {
      ui.showBanner("exported", { kind: "warning", text: practicePage ? "Er zijn nog geen oefeningen om te exporteren." : "Er zijn nog geen beoordelingen om te exporteren." });
    }

    function exportAllJson() {
      const list = allForExport();
      if (!list.length) {
        nothingToExport();
        return;
      }
      const name = allName("json");
      ui.download(A.exportManyText(list, now()), name, "application/json");
      exportedBanner(name);
      noteExported(list);
    }

    function exportAllCsv() {
      const list = allForExport().filter((d) => A.belongsTo(d, rubric));
      if (!list.length) {
        nothingToExport();
        return Promise.resolve();
      }
      return scoresFor(list).then((results) => {
        const name = allName("csv");
        ui.download(root.kcm.csv.text(list, rubric, results), name, "text/csv;charset=utf-8");
        exportedBanner(name);
        noteExported(list);
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
      let fileText = "";
      return file
        .text()
        .then((text) => {
          fileText = text;
          return engine.call("check_import", text);
        })
        .then((answer) => {
          if (!answer.ok) {
            ui.showBanner("import", {
              kind: "error",
              title: "Niet ingelezen: " + name,
              text: "Het bestand is niet ingelezen, want er klopt iets niet. Er is niets veranderd. Dit is er mis:",
              problems: root.kcm.ui.problemTexts(answer.problems, rubric),
            });
            return null;
          }
          // Practice and exam stay apart: a file of only the other kind changes nothing.
          const own = answer.assessments.filter((a) => P.fits(a, rubric));
          if (!own.length) {
            refuseOtherKind(name, answer.assessments.length, answer.rejected || []);
            return null;
          }
          // A final record is checked against its seal, as `kcm verify` does.
          const finals = own.filter((a) => a.status === "final");
          return (finals.length ? engine.call("verify", fileText) : Promise.resolve(null)).then((verified) =>
            applyImport(name, answer.assessments, answer.rejected || [], sealWarnings(verified, own)),
          );
        })
        .catch((error) => {
          ui.showBanner("import", { kind: "error", title: "Niet ingelezen: " + name, text: "Het bestand kon niet gelezen worden (" + String(error && error.message) + "). Er is niets veranderd." });
        });
    }

    // A file whose good records are all of the other kind (practice on the exam checklist, or
    // the other way round): nothing is stored, and the banner says where the file opens.
    function refuseOtherKind(name, count, rejected) {
      ui.showBanner("import", {
        kind: "error",
        title: "Niet ingelezen: " + name,
        text: P.refusalLines(count, true, rubric, otherPage ? otherPage.href : "").concat(["Er is niets veranderd."]),
        list: rejectedLines(rejected, rubric),
        actions: otherPage ? [{ label: practicePage ? "Naar de checklist" : "Naar Oefenen", kind: "primary", onClick: otherPage.open, attrs: { "data-action": "open-other-page" } }] : [],
      });
    }

    // Asks what to do with each record that is here already with other content. Resolves with
    // the choices (id -> choice; the suggested ones unless the assessor changes them), or null
    // when the question is dismissed.
    function choose(plan) {
      const conflicts = plan.filter((p) => p.action === "conflict");
      const picked = Object.create(null);
      conflicts.forEach((p) => (picked[p.data.id] = p.suggested));
      if (!conflicts.length) {
        return Promise.resolve(picked);
      }
      const added = plan.filter((p) => p.action === "new").length;
      const one = conflicts.length === 1;
      // As the list names it: the candidate and the date (the id only when there is no name).
      const legend = (p) => {
        const data = p.local.data;
        const name = A.candidateName(data) || A.candidateName(p.data);
        const date = data.fields && data.fields.datum ? A.formatDate(data.fields.datum) : A.formatMoment(data.created);
        return (name ? "Beoordeling van " + name : "Beoordeling zonder naam (id " + p.data.id + ")") + ", " + date;
      };
      const choices = conflicts.map((p) => ({
        name: p.data.id,
        legend: legend(p),
        lines: [p.differences].concat(p.choices.indexOf("incoming") === -1 ? ["Een afgeronde beoordeling wordt niet vervangen door een concept."] : []),
        options: p.choices.map((c) => ({ value: c, label: CHOICE_LABELS[c] })),
        selected: p.suggested,
      }));
      return ui
        .ask({
          title: one ? "Deze beoordeling staat hier al, in een andere versie" : "Deze " + conflicts.length + " beoordelingen staan hier al, in een andere versie",
          body: [
            one ? "Kies welke versie je wilt bewaren." : "Kies per beoordeling welke versie je wilt bewaren.",
            { choices: choices, onChange: (id, value) => (picked[id] = value) },
            "Allebei houden: de versie uit het bestand komt erbij als kopie, als concept.",
            "Er verandert pas iets als je op Importeren klikt." + (added ? (added === 1 ? " Dan wordt ook de nieuwe beoordeling uit het bestand ingelezen." : " Dan worden ook de " + added + " nieuwe beoordelingen uit het bestand ingelezen.") : ""),
          ],
          buttons: [
            { label: "Annuleren", value: null },
            { label: "Importeren", value: "import", primary: true, focus: true },
          ],
        })
        .then((answer) => (answer === "import" ? picked : null));
    }

    // Sentences for the final records whose seal does not hold (kcm_core's verify): changed
    // after finalising, or finalised before records were sealed.
    function sealWarnings(verified, assessments) {
      if (!verified || !verified.ok || !Array.isArray(verified.records)) {
        return [];
      }
      const byId = Object.create(null);
      assessments.forEach((a) => (byId[a.id] = a));
      const who = (id) => {
        const data = byId[id];
        const candidate = data ? A.candidateName(data) : "";
        return "De beoordeling " + (candidate ? "van " + candidate + " " : "") + "(id " + id + ")";
      };
      const lines = [];
      // Only the records this page imports (those of the other kind are not stored here).
      verified.records.filter((r) => byId[r.id]).forEach((r) => {
        if (r.state === "changed") {
          lines.push(who(r.id) + " is veranderd na het afronden: het zegel klopt niet met de inhoud. Vertrouw deze uitslag niet en vraag om het oorspronkelijke bestand.");
        } else if (r.state === "unsealed") {
          lines.push(who(r.id) + " is afgerond zonder zegel. Of er daarna iets is veranderd, is niet te zien.");
        }
      });
      return lines;
    }

    // The outcome; each record kcm_core refused is named, with what is wrong with it, and each
    // final record whose seal does not hold.
    function doneBanner(name, counts, rejected, warnings) {
      const summary = importSummary(Object.assign({ rejected: rejected.length }, counts));
      const sealLines = warnings || [];
      if (!rejected.length) {
        ui.showBanner("import", { kind: sealLines.length ? "warning" : "info", title: "Ingelezen: " + name, text: sealLines.length ? [summary].concat(sealLines) : summary });
        return;
      }
      ui.showBanner("import", {
        kind: "warning",
        title: "Ingelezen: " + name,
        text: [
          summary,
          rejected.length === 1
            ? "Deze beoordeling uit het bestand is niet ingelezen, want er klopt iets niet:"
            : "Deze beoordelingen uit het bestand zijn niet ingelezen, want er klopt iets niet:",
        ],
        list: rejectedLines(rejected, rubric).concat(sealLines),
      });
    }

    // `assessments`: checked and normalised by kcm_core; `rejected`: the records it refused.
    // Records of the other kind, and of this kind whose id a stored record of the other kind
    // has, are not imported: the outcome names them (practice.js).
    function applyImport(name, assessments, rejected, warnings) {
      return Promise.resolve(session.flush())
        .then(() => store.list())
        .then((listing) => {
          const localById = Object.create(null);
          const storedById = Object.create(null);
          listing.records.forEach((r) => {
            localById[r.id] = r;
            storedById[r.id] = r.data;
          });
          const sorted = P.sortImport(assessments, rubric, storedById);
          const apart = (sorted.other.length ? [P.refusalLines(sorted.other.length, false, rubric, otherPage ? otherPage.href : "").join(" ")] : []).concat(
            sorted.clash.length ? [P.clashLine(sorted.clash.length, rubric)] : [],
          );
          const plan = root.kcm.importPlan.planImport(sorted.own, localById, rubric, now());
          return choose(plan).then((picked) => {
            if (picked === null) {
              ui.showBanner("import", { kind: "info", text: "Importeren geannuleerd. Er is niets veranderd." });
              return null;
            }
            return write(name, plan, picked, rejected, apart.concat(warnings));
          });
        });
    }

    function write(name, plan, picked, rejected, warnings) {
      const resolved = resolveImport(plan, picked, () => A.newId(), now());
      const writes = resolved.writes;
      if (!writes.length) {
        doneBanner(name, resolved.counts, rejected, warnings);
        return null;
      }
      return Promise.resolve(store.saveMany(writes)).then((result) => {
        if (!result.ok) {
          ui.showBanner("import", {
            kind: "error",
            title: "Niet geïmporteerd: " + name,
            text:
              result.reason === "write-failed"
                ? [result.message, "Er is niets veranderd."]
                : "Een beoordeling uit het bestand is net in een ander tabblad gewijzigd. Er is niets veranderd; probeer het opnieuw.",
          });
          return null;
        }
        doneBanner(name, resolved.counts, rejected, warnings);
        ui.askPersistence();
        // The open assessment may have been replaced by the imported version; a single new one
        // (or copy) is opened when nothing was open.
        const current = state.current;
        const reopenId = current ? (writes.some((w) => w.data.id === current.id) ? current.id : null) : writes.length === 1 ? writes[0].data.id : null;
        return Promise.resolve(reopenId ? store.load(reopenId) : null).then((loaded) => {
          if (loaded && loaded.ok) {
            session.open(loaded.record);
          } else {
            session.refreshList();
          }
        });
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
  root.kcm.transfer = { create: create, importSummary: importSummary, copyOf: copyOf, resolveImport: resolveImport, rejectedLines: rejectedLines };
})(globalThis);
