// A long-lived driver for tests/site/test_round_trip.py: runs the checklist's own assessment.js
// (and transfer.js's copyOf) in a node:vm context, the way the page runs them, and answers
// requests given as JSON lines on stdin with one JSON line each on stdout:
//   {"op": "new", "rubric", "id", "at"}                 -> {"data"}   assessment.js newDraft
//   {"op": "edit", "rubric", "data", "edit", "at"}      -> {"data"}   applyEdit
//   {"op": "copy", "data", "id", "at"}                  -> {"data"}   transfer.js copyOf
//   {"op": "export", "list", "exported"}                -> {"one": [text], "many": text}
// A failure answers {"error": "..."}; the driver keeps running.
// Not a test file itself (node --test tests/js/ runs only *.test.mjs).
import { createInterface } from "node:readline";

import { loadScripts } from "./harness.mjs";

const kcm = loadScripts("assessment.js", "import-plan.js", "ui.js", "transfer.js");
const A = kcm.assessment;

function answer(request) {
  switch (request.op) {
    case "new":
      return { data: A.newDraft(request.rubric, request.id, request.at) };
    case "edit":
      return { data: A.applyEdit(request.data, request.edit, request.at, request.rubric) };
    case "copy":
      return { data: kcm.transfer.copyOf(request.data, request.id, request.at) };
    case "export":
      return { one: request.list.map((data) => A.exportOneText(data)), many: A.exportManyText(request.list, request.exported) };
    default:
      throw new Error("unknown op " + request.op);
  }
}

const lines = createInterface({ input: process.stdin, crlfDelay: Infinity });
for await (const line of lines) {
  let reply;
  try {
    reply = answer(JSON.parse(line));
  } catch (error) {
    reply = { error: String(error && error.stack) };
  }
  process.stdout.write(JSON.stringify(reply) + "\n");
}
