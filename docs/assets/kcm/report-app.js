// report-app.js: the exam office's page ("Examenbureau", build_tools/report_page.py): choose or
// drop many exported files, and kcm_core in the worker makes the report `kcm report` makes.
//
// The work is kcm_core's (browser API report_start, report_add, report_result): the page only
// reads each file's text (nothing is sent anywhere; the one worker is on this page) and hands it
// over, one file at a time, so the progress bar moves per file and the page stays responsive. A
// file above kcm_core's size limit is not even read (data-max-file-bytes on the page). Files
// chosen later are added to the same report; "Opnieuw beginnen" starts a new one. CSV files are
// offered as Blob downloads of kcm_core's own text, so they are byte for byte `kcm report`'s.
//
// The engine: engine-start.js starts the worker from <head> (kcm.engine) and engine-client.js
// talks to it, as on the checklist page. This page has no rubric of its own (a report reads
// records of every rubric the engine holds), so it accepts the rubric the engine reports as
// its page rubric instead of checking it against one (engine-client's "mismatch").
//
// Classic script (see store.js for why); defines globalThis.kcm.reportApp; needs
// engine-client.js, report-files.js, report-chart.js and report-view.js.
(function (root) {
  "use strict";

  const kcm = root.kcm;
  const doc = root.document;
  const files = kcm.reportFiles;

  const ENGINE_TEXT = {
    loading: "De rekenmodule wordt geladen. Je kunt al bestanden kiezen.",
    ready: "De rekenmodule is klaar. Kies bestanden of sleep ze hierheen.",
    file: "Deze pagina is als bestand geopend. Open de site via de website, dan werkt het rapport wel.",
    wasm: "Deze browser kan de rekenmodule niet starten. Gebruik een recente Chrome, Edge, Firefox of Safari.",
    old: "Deze browser kan de rekenmodule niet starten. Gebruik een recente Chrome, Edge, Firefox of Safari.",
    error: "De rekenmodule kon niet starten, dus er kan geen rapport worden gemaakt.",
  };

  // engine-start.js's engine, with the rubric it reports taken as this page's (see above).
  function adopt(engine, options) {
    return {
      get startedAt() {
        return engine.startedAt;
      },
      listen: (fn) =>
        engine.listen((message) => {
          if (message && message.type === "ready" && message.rubric) {
            options.sha256 = message.rubric.sha256;
          }
          fn(message);
        }),
      post: (message) => engine.post(message),
      stop: () => engine.stop(),
      restart: () => engine.restart(),
    };
  }

  function start(box) {
    const find = (selector) => box.querySelector(selector);
    const els = {
      chooseFiles: find('[data-action="report-files"]'),
      chooseFolder: find('[data-action="report-folder"]'),
      drop: find("[data-report-drop]"),
      engine: find("[data-report-engine]"),
      retry: find('[data-action="report-retry"]'),
      progress: find("[data-report-progress]"),
      bar: find("[data-report-bar]"),
      status: find("[data-report-status]"),
      filesSection: find("[data-report-files]"),
      filesSummary: find("[data-report-files-summary]"),
      fileList: find("[data-report-file-list]"),
      clear: find('[data-action="report-clear"]'),
      result: find("[data-report-result]"),
    };
    const maxBytes = Number(box.getAttribute("data-max-file-bytes")) || Infinity;
    const tooLarge = box.getAttribute("data-too-large") || "het bestand is te groot";
    const view = kcm.reportView.create(doc);

    const options = {
      sha256: null,
      setTimeout: (fn, ms) => root.setTimeout(fn, ms),
      clearTimeout: (id) => root.clearTimeout(id),
      clock: () => root.performance.now(),
    };
    options.host = {
      get engine() {
        return kcm.engine ? adopt(kcm.engine, options) : undefined;
      },
      set onEngine(fn) {
        kcm.onEngine = (engine) => fn(adopt(engine, options));
      },
    };
    const engine = kcm.engineClient.create(options);

    let results = []; // per file read: {path, ok, records, counted, not_counted, problems}
    let started = false; // report_start sent for the files in `results`
    let work = Promise.resolve(); // batches of files, one after the other
    let urls = []; // Blob URLs of the downloads shown, freed when replaced
    let shown = null; // the report on screen, to draw again for another width
    let shownWidth = 0;

    function setStatus(text) {
      els.status.textContent = text;
    }

    function showEngine(info) {
      // As on the checklist page (ARCHITECTURE.md §6): tests wait for it, and sw-register.js
      // registers the service worker only once the engine has loaded, so that its precache
      // takes the engine's files from the HTTP cache.
      doc.documentElement.setAttribute("data-engine", info.state);
      if (info.state === "error") {
        const text = ENGINE_TEXT[info.kind] || ENGINE_TEXT.error;
        els.engine.textContent = info.detail && !ENGINE_TEXT[info.kind] ? text + " (" + info.detail + ")" : text;
        els.retry.hidden = info.kind === "file" || info.kind === "wasm" || info.kind === "old";
      } else {
        els.engine.textContent = ENGINE_TEXT[info.state];
        els.retry.hidden = true;
      }
    }

    function call(fn, args) {
      return engine.call(fn, args).then((answer) => {
        if (!answer.ok && fn !== "report_add") {
          throw new Error(answer.problems.map((p) => p.message).join(" "));
        }
        return answer;
      });
    }

    function link(name, text) {
      const url = root.URL.createObjectURL(new root.Blob([text], { type: "text/csv;charset=utf-8" }));
      urls.push(url);
      const a = doc.createElement("a");
      a.href = url;
      a.download = name;
      a.setAttribute("data-report-download", name);
      a.textContent = name;
      return a;
    }

    function chartWidth() {
      return els.result.clientWidth || box.clientWidth;
    }

    function showReport(report) {
      urls.forEach((url) => root.URL.revokeObjectURL(url));
      urls = [];
      els.result.hidden = false;
      shown = report;
      shownWidth = chartWidth();
      els.result.replaceChildren(view.render(report, shownWidth, link));
    }

    function showFiles() {
      const unreadable = results.filter((r) => !r.ok).length;
      els.filesSection.hidden = results.length === 0;
      els.clear.hidden = results.length === 0;
      els.filesSummary.textContent = files.filesSummary(results.length, unreadable);
      // A file that could not be read must not go unnoticed in a folded list.
      els.filesSection.open = unreadable > 0;
      els.fileList.replaceChildren(view.fileTable(results));
    }

    async function readOne(item) {
      if (item.file.size > maxBytes) {
        return { path: item.path, ok: false, problems: [tooLarge] };
      }
      let text;
      try {
        text = await item.file.text();
      } catch (_error) {
        return { path: item.path, ok: false, problems: ["het bestand kan niet worden gelezen"] };
      }
      const answer = await call("report_add", [item.path, text]);
      if (!answer.ok) {
        return { path: item.path, ok: false, problems: answer.problems.map((p) => p.message) };
      }
      return { path: item.path, ok: true, records: answer.records, counted: answer.counted, not_counted: answer.not_counted };
    }

    async function run(items) {
      const weight = (item) => Math.max(item.file.size, 1);
      els.progress.hidden = false;
      els.bar.max = items.reduce((sum, item) => sum + weight(item), 0);
      els.bar.value = 0;
      if (!started) {
        await call("report_start", []);
        started = true;
      }
      let unreadable = 0;
      for (let index = 0; index < items.length; index += 1) {
        setStatus(files.progressText(index, items.length, items[index].path));
        const result = await readOne(items[index]);
        unreadable += result.ok ? 0 : 1;
        results.push(result);
        showFiles();
        els.bar.value += weight(items[index]);
      }
      setStatus("Het rapport wordt gemaakt.");
      const answer = await call("report_result", []);
      showReport(answer.report);
      els.progress.hidden = true;
      setStatus(files.doneText(items.length - unreadable, unreadable));
      els.result.focus();
    }

    function add(items) {
      const ordered = files.ordered(items);
      if (!ordered.length) {
        setStatus("Geen JSON-bestanden gevonden.");
        return;
      }
      work = work
        .then(() => run(ordered))
        .catch((error) => {
          els.progress.hidden = true;
          setStatus("Het rapport kon niet worden gemaakt: " + ((error && error.message) || "onbekende fout") + ".");
        });
    }

    function clear() {
      work = work.then(() => {
        results = [];
        started = false;
        shown = null;
        urls.forEach((url) => root.URL.revokeObjectURL(url));
        urls = [];
        els.result.replaceChildren();
        els.result.hidden = true;
        showFiles();
        setStatus("Alles is gewist. Kies nieuwe bestanden.");
        els.chooseFiles.focus();
      });
    }

    // A dropped folder: every file below it, its path from the dropped folder on.
    function entriesOf(fsEntry, prefix) {
      if (fsEntry.isFile) {
        return new Promise((resolve) => fsEntry.file((file) => resolve([files.entry(file, prefix + fsEntry.name)]), () => resolve([])));
      }
      const reader = fsEntry.createReader();
      const found = [];
      const more = () =>
        new Promise((resolve) => reader.readEntries(resolve, () => resolve([]))).then((batch) => {
          if (!batch.length) {
            return Promise.all(found.map((child) => entriesOf(child, prefix + fsEntry.name + "/"))).then((lists) => [].concat(...lists));
          }
          found.push(...batch);
          return more();
        });
      return more();
    }

    async function dropped(transfer) {
      const loose = [];
      const folders = [];
      Array.from(transfer.items || []).forEach((item) => {
        const fsEntry = item.kind === "file" && item.webkitGetAsEntry ? item.webkitGetAsEntry() : null;
        if (fsEntry && fsEntry.isDirectory) {
          folders.push(fsEntry);
        } else if (item.kind === "file") {
          const file = item.getAsFile();
          if (file) {
            loose.push(files.entry(file, file.name));
          }
        }
      });
      const inFolders = await Promise.all(folders.map((f) => entriesOf(f, "")));
      add(files.pick(loose, false).concat(files.pick([].concat(...inFolders), true)));
    }

    function chosen(input, fromFolder) {
      const list = Array.from(input.files || []).map((file) => files.entry(file));
      input.value = "";
      add(files.pick(list, fromFolder));
    }

    els.chooseFiles.addEventListener("change", () => chosen(els.chooseFiles, false));
    els.chooseFolder.addEventListener("change", () => chosen(els.chooseFolder, true));
    els.clear.addEventListener("click", clear);
    els.retry.addEventListener("click", () => engine.retry());
    // Files dropped anywhere on the page are added: a drop beside the area must not make the
    // browser open the file instead (and leave this page and its report).
    const carriesFiles = (event) => event.dataTransfer && Array.from(event.dataTransfer.types || []).includes("Files");
    doc.addEventListener("dragover", (event) => {
      if (carriesFiles(event)) {
        event.preventDefault();
        els.drop.setAttribute("data-dragging", "");
      }
    });
    doc.addEventListener("dragleave", (event) => {
      if (!event.relatedTarget) {
        els.drop.removeAttribute("data-dragging");
      }
    });
    doc.addEventListener("drop", (event) => {
      if (carriesFiles(event)) {
        event.preventDefault();
        els.drop.removeAttribute("data-dragging");
        dropped(event.dataTransfer);
      }
    });
    // The charts are drawn for their width: again when it changes much (a phone turned).
    let resizeTimer = 0;
    root.addEventListener("resize", () => {
      root.clearTimeout(resizeTimer);
      resizeTimer = root.setTimeout(() => {
        if (shown && Math.abs(chartWidth() - shownWidth) > 40) {
          showReport(shown);
        }
      }, 200);
    });

    engine.onState(showEngine);
    engine.start();
    return { add: add, clear: clear };
  }

  const box = doc.querySelector("[data-report]");
  root.kcm = root.kcm || {};
  root.kcm.reportApp = box ? start(box) : null;
})(globalThis);
