// report-files.js: which files the exam office's page reads, in which order, and its words about
// them (the page "Examenbureau", build_tools/report_page.py). Pure: no DOM, no engine, so
// tests/js/report-files.test.mjs checks it under Node.
//
// The page reads what `kcm report FILE|DIR...` reads: every chosen file, and from a folder
// (chosen or dropped) every *.json file below it, in name order (as the command sorts a folder),
// so the same folder gives the same report, also the same "Niet meegeteld" order.
//
// Classic script (see store.js for why); defines globalThis.kcm.reportFiles.
(function (root) {
  "use strict";

  // A file as the page keeps it: {file, path}; path is the name shown and given to kcm_core
  // (the path below the chosen folder, or the file's own name).
  function entry(file, path) {
    return { file: file, path: path || file.webkitRelativePath || file.name };
  }

  function isJson(path) {
    return /\.json$/i.test(path);
  }

  // Files chosen one by one are all read (the browser's dialog already asks for JSON); files
  // from a folder only when they are JSON, as `kcm report DIR` reads only *.json.
  function pick(entries, fromFolder) {
    return entries.filter((e) => !fromFolder || isJson(e.path));
  }

  // By path, code unit by code unit: the order Python's sorted() gives names of one folder.
  function ordered(entries) {
    return entries.slice().sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  }

  // The name a CSV file is saved under: kcm report's folder of a rubric version becomes part of
  // the name ("klantcontact-1.0.0/criteria.csv" -> "klantcontact-1.0.0-criteria.csv"), since a
  // download cannot make folders.
  function downloadName(folder, name) {
    return folder ? folder.replace(/\/$/, "") + "-" + name : name;
  }

  function count(n, one, many) {
    return n + " " + (n === 1 ? one : many);
  }

  // "Bestand 2 van 5: maart.json"
  function progressText(index, total, path) {
    return "Bestand " + (index + 1) + " van " + total + ": " + path;
  }

  // What one file gave, as a sentence for the list of files read.
  function fileResult(result) {
    if (!result.ok) {
      return "Niet gelezen: " + result.problems.join(" ");
    }
    const counted = result.counted === result.records ? "alle meegeteld" : result.counted + " meegeteld";
    return count(result.records, "beoordeling", "beoordelingen") + ", " + counted;
  }

  // The folded list's title: "Gelezen bestanden: 7, waarvan 1 niet te lezen".
  function filesSummary(total, unreadable) {
    const text = "Gelezen bestanden: " + total;
    return unreadable ? text + ", waarvan " + unreadable + " niet te lezen" : text;
  }

  // The sentence when every chosen file was handled.
  function doneText(read, unreadable) {
    const text = "Klaar: " + count(read, "bestand", "bestanden") + " gelezen";
    return unreadable ? text + ", " + count(unreadable, "bestand", "bestanden") + " niet te lezen." : text + ".";
  }

  root.kcm = root.kcm || {};
  root.kcm.reportFiles = {
    entry: entry,
    pick: pick,
    ordered: ordered,
    downloadName: downloadName,
    count: count,
    progressText: progressText,
    fileResult: fileResult,
    filesSummary: filesSummary,
    doneText: doneText,
  };
})(globalThis);
