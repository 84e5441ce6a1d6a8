// report-files.js and report-chart.js: which files the exam office's page reads and in which
// order, its words about them, and where a chart's bars end. Run: node --test tests/js
import assert from "node:assert/strict";
import { describe, it } from "node:test";

import { loadScripts, plain } from "./harness.mjs";

const { reportFiles, reportChart } = loadScripts("report-files.js", "report-chart.js");

const file = (name, relative = "") => ({ name: name, webkitRelativePath: relative });
const paths = (entries) => plain(entries.map((e) => e.path));

describe("the files the page reads", () => {
  it("reads every chosen file, and only JSON files from a folder, as kcm report DIR does", () => {
    const chosen = [reportFiles.entry(file("a.json")), reportFiles.entry(file("notities.txt"))];
    assert.deepEqual(paths(reportFiles.pick(chosen, false)), ["a.json", "notities.txt"]);
    const folder = [reportFiles.entry(file("b.JSON", "map/b.JSON")), reportFiles.entry(file("c.txt", "map/c.txt"))];
    assert.deepEqual(paths(reportFiles.pick(folder, true)), ["map/b.JSON"]);
  });

  it("reads them in path order, code unit by code unit, as Python sorts a folder's names", () => {
    const entries = ["maart.json", "April.json", "map/a.json", "10.json", "9.json"].map((p) => reportFiles.entry(file(p), p));
    assert.deepEqual(paths(reportFiles.ordered(entries)), ["10.json", "9.json", "April.json", "maart.json", "map/a.json"]);
  });

  it("names a CSV file of one rubric version after the folder kcm report writes it into", () => {
    assert.equal(reportFiles.downloadName("", "criteria.csv"), "criteria.csv");
    assert.equal(reportFiles.downloadName("klantcontact-1.0.0/", "criteria.csv"), "klantcontact-1.0.0-criteria.csv");
  });
});

describe("the words about files", () => {
  const cases = [
    [{ ok: true, records: 1, counted: 1 }, "1 beoordeling, alle meegeteld"],
    [{ ok: true, records: 12, counted: 10 }, "12 beoordelingen, 10 meegeteld"],
    [{ ok: false, problems: ["het bestand is groter dan 20 MB"] }, "Niet gelezen: het bestand is groter dan 20 MB"],
  ];
  for (const [result, words] of cases) {
    it(`says "${words}"`, () => {
      assert.equal(reportFiles.fileResult(result), words);
    });
  }

  it("counts files read and files that could not be read", () => {
    assert.equal(reportFiles.doneText(1, 0), "Klaar: 1 bestand gelezen.");
    assert.equal(reportFiles.doneText(6, 2), "Klaar: 6 bestanden gelezen, 2 bestanden niet te lezen.");
    assert.equal(reportFiles.filesSummary(7, 1), "Gelezen bestanden: 7, waarvan 1 niet te lezen");
    assert.equal(reportFiles.progressText(1, 5, "maart.json"), "Bestand 2 van 5: maart.json");
  });
});

describe("a chart's geometry", () => {
  it("gives the bars what the labels and figures leave, within a readable width", () => {
    assert.deepEqual(plain(reportChart.layout(358, 3)), { width: 358, height: 74, label: 92, bars: 202 });
    assert.equal(reportChart.layout(100, 1).width, 280);
    assert.equal(reportChart.layout(2000, 1).width, 720);
  });

  it("ends a bar at its percentage, never beyond the chart", () => {
    assert.equal(reportChart.barLength(50, 200), 100);
    assert.equal(reportChart.barLength(66.66, 200), 133.32);
    assert.equal(reportChart.barLength(120, 200), 200);
  });
});
