// Loads the checklist's classic scripts (docs/assets/kcm/*.js) into a node:vm context, the way
// a browser runs them, and provides an in-memory Storage that can be made to fail like a full
// or switched-off localStorage.
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import vm from "node:vm";

const ASSETS = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "docs", "assets", "kcm");

export function loadScripts(...names) {
  // What a page has besides the language itself: Web Crypto, base64 and text encoding.
  const context = vm.createContext({ crypto: globalThis.crypto, console, btoa, atob, TextEncoder, TextDecoder });
  for (const name of names) {
    vm.runInContext(readFileSync(join(ASSETS, name), "utf8"), context, { filename: name });
  }
  return context.kcm;
}

// Objects made inside the vm context have that context's Object and Array prototypes, which
// assert.deepEqual (strict) tells apart; compare such values as plain JSON data.
export function plain(value) {
  return JSON.parse(JSON.stringify(value));
}

function domError(name, message) {
  const error = new Error(message);
  error.name = name;
  return error;
}

// A Storage with the same surface as window.localStorage. `quota` is a number of characters
// (keys + values) after which setItem throws QuotaExceededError and writes nothing, as browsers
// do; `failWrites` makes every setItem throw SecurityError (private mode of old browsers).
export class MemoryStorage {
  constructor({ quota = Infinity } = {}) {
    this.map = new Map();
    this.quota = quota;
    this.failWrites = false;
    this.corruptReads = new Set();
    this.writes = 0;
  }

  get length() {
    return this.map.size;
  }

  key(index) {
    return Array.from(this.map.keys())[index] ?? null;
  }

  getItem(key) {
    if (this.corruptReads.has(key) && this.map.has(key)) {
      return this.map.get(key) + "garbage";
    }
    return this.map.has(key) ? this.map.get(key) : null;
  }

  used() {
    let total = 0;
    for (const [k, v] of this.map) {
      total += k.length + v.length;
    }
    return total;
  }

  setItem(key, value) {
    if (this.failWrites) {
      throw domError("SecurityError", "The operation is insecure.");
    }
    const text = String(value);
    const before = this.map.has(key) ? key.length + this.map.get(key).length : 0;
    if (this.used() - before + key.length + text.length > this.quota) {
      throw domError("QuotaExceededError", "The quota has been exceeded.");
    }
    this.writes += 1;
    this.map.set(key, text);
  }

  removeItem(key) {
    this.map.delete(key);
  }

  clear() {
    this.map.clear();
  }

  snapshot() {
    return new Map(this.map);
  }
}

// A rubric description as the page carries it (the JSON block #kcm-rubric-data that page.js
// reads), small but with every feature.
const criterion = (id, text, extra = {}) => {
  const [e, o] = id.split(".");
  return {
    id,
    text,
    eindterm: e,
    eindtermTitle: `Eindterm ${e}`,
    onderdeel: `${e}.${o}`,
    onderdeelText: "Onderdeel",
    proces: id.split(".").slice(0, 3).join("."),
    procesText: "Proces",
    critical: false,
    allowNa: true,
    ...extra,
  };
};

export const RUBRIC = {
  id: "klantcontact",
  version: "1.0.0",
  sha256: "a".repeat(64),
  title: "Test",
  fields: [
    { id: "bedrijf", label: "Bedrijf", type: "text", required: true },
    { id: "naam_kandidaat", label: "Naam Kandidaat", type: "text", required: true },
    { id: "datum", label: "Datum", type: "date", required: true },
  ],
  conditions: [
    {
      id: "gesprekstype",
      label: "Soort gesprek",
      multiple: true,
      required: true,
      options: [
        { id: "inbound", label: "Inbound" },
        { id: "outbound", label: "Outbound" },
      ],
    },
  ],
  eindtermen: [
    { id: "1", title: "Eindterm 1" },
    { id: "2", title: "Eindterm 2" },
  ],
  criteria: [
    criterion("1.1.1.a", "Eerste"),
    criterion("1.1.1.b", "=SUM(A1)", { critical: true, allowNa: false }),
    criterion("2.1.1.a", 'Met "quotes"; en puntkomma'),
  ],
  limits: { maxFieldChars: 200, maxRemarkChars: 2000, maxFileBytes: 20971520, minDate: "0001-01-01", maxDate: "9999-12-31", listLimit: 50, maxEvents: 1000, maxHoldSeconds: 86400 },
};
