// signatures.js: a drawn signature as SVG path data within kcm_core's limit, who may sign, and
// signing a final record: a new seal from kcm_core, stored through the session.
// Run: node --test tests/js
import assert from "node:assert/strict";
import { describe, it } from "node:test";

import { plain } from "./harness.mjs";
import { FAKE_SEAL, SCRIPTS, fakeEngine, scoreAnswer, settle, tab } from "./fakes.mjs";
import { loadScripts } from "./harness.mjs";

const BOX = { width: 600, height: 200 };
// kcm_core's pattern for svg_path (kcm_core.assessment_exam): path data only.
const PATH_DATA = /^[Mm][MmLlHhVvCcSsQqTtAaZz0-9.,+\-eE ]*$/;

function signatures() {
  return loadScripts(...SCRIPTS, "signatures.js").signatures;
}

// A wavy stroke of `n` points across the pad, with fractions (as pointer events give them).
function wave(n, offset = 0) {
  return Array.from({ length: n }, (_x, i) => ({ x: 10.4 + (i * 580) / n, y: 100.6 + 80 * Math.sin(i / 3 + offset) }));
}

describe("a drawing as a path", () => {
  it("writes each stroke as M and L commands in whole pad units, without repeated points", () => {
    const s = signatures();
    assert.equal(s.strokePath([{ x: 1.4, y: 2.6 }, { x: 1.2, y: 2.7 }, { x: 10, y: 20.5 }], BOX), "M1 3L10 21");
  });

  it("keeps a dot as a line of length zero and points outside the pad on its edge", () => {
    const s = signatures();
    assert.equal(s.strokePath([{ x: 5, y: 5 }], BOX), "M5 5L5 5");
    assert.equal(s.strokePath([{ x: -3, y: 250 }, { x: 700, y: 10 }], BOX), "M0 200L600 10");
  });

  it("keeps the shape of a short signature as drawn", () => {
    const s = signatures();
    const strokes = [wave(30), wave(20, 1)];
    const path = s.pathOf(strokes, BOX, 20000);
    assert.match(path, PATH_DATA);
    assert.equal(path.split("M").length - 1, 2, "one M per stroke");
    assert.equal(path, strokes.map((stroke) => s.strokePath(stroke, BOX)).join(""));
  });

  it("simplifies a long drawing until it fits kcm_core's 20,000 characters", () => {
    const s = signatures();
    const strokes = Array.from({ length: 12 }, (_x, i) => wave(1500, i));
    const full = strokes.map((stroke) => s.strokePath(stroke, BOX)).join("");
    assert.ok(full.length > 20000, "the test drawing is too long as drawn");
    const path = s.pathOf(strokes, BOX, 20000);
    assert.ok(path.length <= 20000, `${path.length} characters`);
    assert.match(path, PATH_DATA);
    assert.equal(path.split("M").length - 1, 12, "every stroke is kept");
  });

  it("leaves out the last strokes when even the simplest form of all is too long", () => {
    const s = signatures();
    const strokes = Array.from({ length: 3000 }, (_x, i) => [{ x: i % 600, y: 10 }, { x: (i % 600) + 0.2, y: 190 }]);
    const path = s.pathOf(strokes, BOX, 20000);
    assert.ok(path.length <= 20000 && path.length > 19000, `${path.length} characters`);
    assert.match(path, PATH_DATA);
  });

  it("keeps the ends and the corners of a stroke when simplifying", () => {
    const s = signatures();
    const corner = [{ x: 0, y: 0 }, { x: 5, y: 0.1 }, { x: 10, y: 0 }, { x: 10, y: 5 }, { x: 10, y: 10 }];
    assert.deepEqual(plain(s.simplify(corner, 1)), [{ x: 0, y: 0 }, { x: 10, y: 0 }, { x: 10, y: 10 }]);
  });
});

describe("who signs", () => {
  it("offers the second assessor only in a record of two assessors", () => {
    const s = signatures();
    assert.deepEqual(plain(s.rolesFor({ assessors: [{ name: "A. Jansen" }] })), ["beoordelaar", "kandidaat"]);
    assert.deepEqual(plain(s.rolesFor({ assessors: [{ name: "A. Jansen" }, { name: "B. Bakker" }] })), ["beoordelaar", "tweede_beoordelaar", "kandidaat"]);
  });

  it("suggests the assessors' and the candidate's names", () => {
    const s = signatures();
    const data = { assessors: [{ name: "A. Jansen" }, { name: "B. Bakker" }], fields: { naam_kandidaat: "Jan de Vries" } };
    assert.deepEqual(["beoordelaar", "tweede_beoordelaar", "kandidaat"].map((role) => s.defaultName(data, role)), ["A. Jansen", "B. Bakker", "Jan de Vries"]);
  });
});

describe("signing a final record", () => {
  async function finalRecord(t) {
    t.session.boot();
    t.session.edit({ type: "field", id: "naam_kandidaat", value: "Jan de Vries" });
    t.session.edit({ type: "assessor", value: "A. Jansen" });
    await t.finalizing.finalize();
    await settle();
    assert.equal(t.session.state.current.data.status, "final");
    return t.session.state.current.data;
  }

  it("adds the signature and a history entry 'signed', and keeps the other roles' signatures", () => {
    const s = signatures();
    const data = { id: "x", status: "final", history: [{ at: "t0", action: "finalized" }], signatures: { kandidaat: { name: "Jan", at: "t0" } } };
    const next = plain(s.signedRecord(data, "beoordelaar", { name: "A. Jansen", svgPath: "M1 1L2 2" }, "t1"));
    assert.deepEqual(next.signatures, { kandidaat: { name: "Jan", at: "t0" }, beoordelaar: { name: "A. Jansen", at: "t1", svg_path: "M1 1L2 2" } });
    assert.deepEqual(next.history.at(-1), { at: "t1", action: "signed", by: "A. Jansen" }, "who signed");
    const typed = plain(s.signedRecord(data, "kandidaat", { name: "Jan de Vries", svgPath: "" }, "t2"));
    assert.deepEqual(typed.signatures.kandidaat, { name: "Jan de Vries", at: "t2" }, "a typed name has no drawing");
    assert.equal(data.signatures.beoordelaar, undefined, "the record itself is not changed");
  });

  it("stores the record kcm_core sealed again, although the record is final", async () => {
    const t = tab({ engine: fakeEngine(() => scoreAnswer()), answers: ["yes"] });
    const final = await finalRecord(t);
    const s = loadScripts(...SCRIPTS, "signatures.js").signatures;
    const signed = s.signedRecord(final, "beoordelaar", { name: "A. Jansen", svgPath: "M1 1L2 2" }, "2026-11-28T10:00:00.000Z");
    const answer = await t.engine.call("seal", JSON.stringify(signed));
    assert.equal(t.session.edit({ type: "finalize", sealed: answer.assessment }), true);
    const stored = plain(t.store.load(final.id).record.data);
    assert.equal(stored.status, "final");
    assert.equal(stored.signatures.beoordelaar.name, "A. Jansen");
    assert.equal(stored.seal.sha256, FAKE_SEAL);
    assert.deepEqual(stored.history.map((h) => h.action), ["finalized", "signed"]);
  });

  it("still refuses other edits of a final record, and a sealed record of another id", async () => {
    const t = tab({ engine: fakeEngine(() => scoreAnswer()), answers: ["yes"] });
    const final = await finalRecord(t);
    assert.equal(t.session.edit({ type: "checked", id: "1.1.1.a", value: true }), false);
    assert.equal(t.session.edit({ type: "finalize", sealed: { ...final, id: "other" } }), false);
    assert.deepEqual(plain(t.store.load(final.id).record.data), plain(final));
  });

  it("loses the signatures when the record is reopened", async () => {
    const t = tab({ engine: fakeEngine(() => scoreAnswer()), answers: ["yes"] });
    const final = await finalRecord(t);
    const s = loadScripts(...SCRIPTS, "signatures.js").signatures;
    const answer = await t.engine.call("seal", JSON.stringify(s.signedRecord(final, "kandidaat", { name: "Jan de Vries" }, "2026-11-28T10:00:00.000Z")));
    t.session.edit({ type: "finalize", sealed: answer.assessment });
    t.session.edit({ type: "reopen" });
    const data = plain(t.store.load(final.id).record.data);
    assert.equal(data.signatures, undefined);
    assert.equal(data.seal, undefined);
  });
});
