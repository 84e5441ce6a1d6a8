// store-crypto.js: the passphrase lock for shared devices (STORAGE.md).
//
// With the lock on, the checklist's data is stored encrypted, in localStorage and in the
// durable mirror in IndexedDB alike, and can be read only after the passphrase is typed:
// - the key: PBKDF2 with SHA-256 over the passphrase and a random 16-byte salt, ITERATIONS
//   rounds (OWASP's 2023 advice for PBKDF2-HMAC-SHA256), giving an AES-GCM key of 256 bits that
//   cannot be exported from the browser and lives only in this page's memory;
// - every value: AES-GCM with a fresh random 12-byte IV, and the storage key (or the mirror's
//   id) as additional data, so a value moved to another key does not decrypt;
// - the lock itself (kcm:v1:lock): {"schema": 1, "kdf": "PBKDF2-SHA-256", "iterations", "salt",
//   "check"}; `check` is a known text encrypted with the key: a passphrase that does not
//   decrypt it is the wrong one. The passphrase is never stored; forgetting it means the data
//   cannot be read by anyone.
//
// How it fits the synchronous store.js: encryptedStorage() is a Storage (getItem, setItem, key,
// length, removeItem) over the decrypted values in memory, filled once at unlock (load()). A
// write lands in memory at once (store.js reads it back there) and is encrypted and written to
// localStorage right after, in order. What "Opgeslagen" promises still comes from the durable
// mirror: its envelopes are encrypted by cipher() before they go to IndexedDB, and the mirror's
// transaction with strict durability says when they are on disk. A failed localStorage write
// (a full quota) is reported through onWriteError; the mirror still holds the change.
//
// Classic script (see store.js for why); defines globalThis.kcm.storeCrypto; needs
// store-codec.js. Node tests pass Node's own Web Crypto.
(function (root) {
  "use strict";

  const codec = root.kcm.storeCodec;
  const ITERATIONS = 600000;
  const SALT_BYTES = 16;
  const IV_BYTES = 12;
  const LOCK_SCHEMA = 1;
  const KDF = "PBKDF2-SHA-256";
  const CHECK_TEXT = "kcm-lock-check-1";
  const MIN_PASSPHRASE = 10;
  // Keys that stay readable with the lock on: the lock (needed to unlock), the settings (the
  // reminder's days), the list order (random ids only; an older cached copy of the page must
  // still read it) and the write probe. None holds personal data.
  const PLAIN_KEYS = new Set([codec.LOCK_KEY, codec.SETTINGS_KEY, codec.INDEX_KEY, codec.PROBE_KEY]);

  function managed(key) {
    return typeof key === "string" && key.indexOf(codec.PREFIX) === 0 && !PLAIN_KEYS.has(key);
  }

  function toBase64(bytes) {
    let binary = "";
    for (let i = 0; i < bytes.length; i += 0x8000) {
      binary += String.fromCharCode.apply(null, bytes.subarray(i, i + 0x8000));
    }
    return btoa(binary);
  }

  function fromBase64(text) {
    const binary = atob(text);
    const bytes = new Uint8Array(binary.length);
    for (let i = 0; i < binary.length; i += 1) {
      bytes[i] = binary.charCodeAt(i);
    }
    return bytes;
  }

  // crypto: the page's `crypto` (Web Crypto). Null when this browser cannot encrypt here (Web
  // Crypto's `subtle` exists only on https, localhost and file pages).
  function available(crypto) {
    return Boolean(crypto && crypto.subtle && typeof crypto.getRandomValues === "function");
  }

  function create(crypto) {
    const subtle = crypto.subtle;
    const encoder = new TextEncoder();
    const decoder = new TextDecoder();

    function randomBytes(n) {
      return crypto.getRandomValues(new Uint8Array(n));
    }

    function deriveKey(passphrase, salt, iterations) {
      return subtle
        .importKey("raw", encoder.encode(passphrase), "PBKDF2", false, ["deriveKey"])
        .then((material) =>
          subtle.deriveKey({ name: "PBKDF2", hash: "SHA-256", salt: salt, iterations: iterations }, material, { name: "AES-GCM", length: 256 }, false, ["encrypt", "decrypt"]),
        );
    }

    // {iv, data} (base64) of `text`, bound to `context` (the key it is stored under).
    function encrypt(key, text, context) {
      const iv = randomBytes(IV_BYTES);
      return subtle
        .encrypt({ name: "AES-GCM", iv: iv, additionalData: encoder.encode(context) }, key, encoder.encode(text))
        .then((sealed) => ({ iv: toBase64(iv), data: toBase64(new Uint8Array(sealed)) }));
    }

    // The text, or a rejected Promise: a wrong key, another context or changed bytes.
    function decrypt(key, box, context) {
      return Promise.resolve()
        .then(() => subtle.decrypt({ name: "AES-GCM", iv: fromBase64(box.iv), additionalData: encoder.encode(context) }, key, fromBase64(box.data)))
        .then((plainBytes) => decoder.decode(plainBytes));
    }

    // A new lock for `passphrase`: {lock (the object stored under kcm:v1:lock), key}.
    function newLock(passphrase, iterations) {
      const rounds = iterations || ITERATIONS;
      const salt = randomBytes(SALT_BYTES);
      return deriveKey(passphrase, salt, rounds).then((key) =>
        encrypt(key, CHECK_TEXT, codec.LOCK_KEY).then((check) => ({
          lock: { schema: LOCK_SCHEMA, kdf: KDF, iterations: rounds, salt: toBase64(salt), check: check },
          key: key,
        })),
      );
    }

    // The key when `passphrase` opens `lock`, else null.
    function unlock(lock, passphrase) {
      return deriveKey(passphrase, fromBase64(lock.salt), lock.iterations).then((key) =>
        decrypt(key, lock.check, codec.LOCK_KEY).then(
          (text) => (text === CHECK_TEXT ? key : null),
          () => null,
        ),
      );
    }

    // The text stored in localStorage for `value` under `storageKey`.
    function sealValue(key, storageKey, value) {
      return encrypt(key, value, storageKey).then((box) => JSON.stringify({ schema: codec.SCHEMA, encrypted: box }));
    }

    // What localStorage holds under `storageKey`: {kind: "encrypted", value} (decrypted), {kind:
    // "plain", value} (written before the lock, or by a tab that did not know of it yet), or
    // {kind: "unreadable", value: raw} (encrypted, but not with this key or changed).
    function openValue(key, storageKey, raw) {
      const box = encryptedBox(raw);
      if (!box) {
        return Promise.resolve({ kind: "plain", value: raw });
      }
      return decrypt(key, box, storageKey).then(
        (value) => ({ kind: "encrypted", value: value }),
        () => ({ kind: "unreadable", value: raw }),
      );
    }

    // A Storage over the decrypted values (see the top of this file). options: {backing
    // (localStorage), key, onWriteError(error)}.
    function encryptedStorage(options) {
      const backing = options.backing;
      const key = options.key;
      const memory = new Map();
      let chain = Promise.resolve();
      // The key list as of the last read of `length`: store.js reads it once, then key(i) for
      // each i, so listing stays linear.
      let listed = null;

      // Writes and removals reach localStorage in the order they were made.
      function later(step) {
        chain = chain.then(step).catch((error) => {
          if (options.onWriteError) {
            options.onWriteError(error);
          }
        });
        return chain;
      }

      function persist(storageKey, value) {
        return later(() => sealValue(key, storageKey, value).then((text) => backing.setItem(storageKey, text)));
      }

      function backingKeys() {
        const keys = [];
        for (let i = 0; i < backing.length; i += 1) {
          const k = backing.key(i);
          if (k !== null) {
            keys.push(k);
          }
        }
        return keys;
      }

      // Reads and decrypts every managed value. Plain ones are encrypted now (a lock turned on
      // while another tab still wrote plainly); unreadable ones reach store.js as they are, which
      // keeps them aside in quarantine. Resolves {plain: n, unreadable: n}.
      function load() {
        listed = null;
        const counts = { plain: 0, unreadable: 0 };
        return Promise.all(
          backingKeys()
            .filter(managed)
            .map((storageKey) =>
              openValue(key, storageKey, backing.getItem(storageKey)).then((opened) => {
                memory.set(storageKey, opened.kind === "unreadable" ? unreadableText(opened.value) : opened.value);
                if (opened.kind === "plain") {
                  counts.plain += 1;
                  persist(storageKey, opened.value);
                } else if (opened.kind === "unreadable") {
                  counts.unreadable += 1;
                }
              }),
            ),
        ).then(() => counts);
      }

      // Another tab changed `storageKey` (a storage event): resolves once memory shows it.
      function external(storageKey, raw) {
        listed = null;
        if (storageKey === null || storageKey === undefined) {
          memory.clear();
          return load();
        }
        if (!managed(storageKey)) {
          return Promise.resolve();
        }
        if (raw === null) {
          memory.delete(storageKey);
          return Promise.resolve();
        }
        return openValue(key, storageKey, raw).then((opened) => {
          memory.set(storageKey, opened.kind === "unreadable" ? unreadableText(opened.value) : opened.value);
        });
      }

      return {
        get length() {
          listed = keys();
          return listed.length;
        },
        key: (i) => (listed || (listed = keys()))[i] ?? null,
        getItem: (storageKey) => (managed(storageKey) ? (memory.has(storageKey) ? memory.get(storageKey) : null) : backing.getItem(storageKey)),
        setItem: (storageKey, value) => {
          if (!managed(storageKey)) {
            backing.setItem(storageKey, value);
            return;
          }
          const text = String(value);
          listed = null;
          memory.set(storageKey, text);
          persist(storageKey, text);
        },
        removeItem: (storageKey) => {
          if (!managed(storageKey)) {
            backing.removeItem(storageKey);
            return;
          }
          listed = null;
          memory.delete(storageKey);
          later(() => backing.removeItem(storageKey));
        },
        load: load,
        external: external,
        // Resolves once every write so far has reached localStorage (or failed).
        settled: () => chain,
        // Every managed value as plain text, for turning the lock off.
        entries: () => Array.from(memory.entries()),
      };

      function keys() {
        return Array.from(memory.keys()).concat(backingKeys().filter((k) => !managed(k)));
      }
    }

    // The durable mirror's transform (store-durable.js): envelopes go to IndexedDB as {schema,
    // rev, encrypted}; the revision stays readable, because the mirror's transaction compares
    // revisions without the key. Reading accepts plain envelopes too (from before the lock).
    function cipher(key) {
      const context = (id) => "idb:" + id;
      return {
        wrap: (id, envelope) =>
          encrypt(key, JSON.stringify(envelope), context(id)).then((box) => ({ schema: codec.SCHEMA, rev: envelope.rev, encrypted: box })),
        unwrap: (id, stored) => {
          if (!codec.isPlainObject(stored) || !codec.isPlainObject(stored.encrypted)) {
            return Promise.resolve(stored);
          }
          return decrypt(key, stored.encrypted, context(id)).then(
            (text) => codec.safeParse(text),
            () => stored,
          );
        },
      };
    }

    return { newLock: newLock, unlock: unlock, sealValue: sealValue, encryptedStorage: encryptedStorage, cipher: cipher };
  }

  function encryptedBox(raw) {
    if (typeof raw !== "string" || raw.indexOf('"encrypted"') === -1) {
      return null;
    }
    try {
      const value = codec.safeParse(raw);
      const box = codec.isPlainObject(value) && codec.isPlainObject(value.encrypted) ? value.encrypted : null;
      return box && typeof box.iv === "string" && typeof box.data === "string" ? box : null;
    } catch (_error) {
      return null;
    }
  }

  // An encrypted value this key cannot open, as store.js sees it: an envelope the codec calls
  // corrupt, so it is kept aside in quarantine with its encrypted text, never deleted.
  function unreadableText(raw) {
    return JSON.stringify({ schema: codec.SCHEMA, undecryptable: raw });
  }

  // The lock stored under kcm:v1:lock, or null when there is none; {broken: true} when it is
  // there but unreadable (the checklist then stays locked and offers only "Alles wissen").
  function parseLock(raw) {
    if (raw === null || raw === undefined) {
      return null;
    }
    try {
      const lock = codec.safeParse(raw);
      const check = lock && lock.check;
      if (
        codec.isPlainObject(lock) &&
        lock.schema === LOCK_SCHEMA &&
        lock.kdf === KDF &&
        Number.isInteger(lock.iterations) &&
        lock.iterations >= 1 &&
        typeof lock.salt === "string" &&
        codec.isPlainObject(check) &&
        typeof check.iv === "string" &&
        typeof check.data === "string"
      ) {
        return lock;
      }
    } catch (_error) {
      // below
    }
    return { broken: true };
  }

  // Dutch reasons a passphrase cannot be used, or [] when it can.
  function passphraseProblems(passphrase, repeated) {
    const problems = [];
    if (passphrase.length < MIN_PASSPHRASE) {
      problems.push("Kies een wachtwoord van minstens " + MIN_PASSPHRASE + " tekens.");
    }
    if (passphrase !== repeated) {
      problems.push("De twee wachtwoorden zijn niet hetzelfde.");
    }
    return problems;
  }

  root.kcm = root.kcm || {};
  root.kcm.storeCrypto = {
    ITERATIONS: ITERATIONS,
    MIN_PASSPHRASE: MIN_PASSPHRASE,
    available: available,
    create: create,
    managed: managed,
    parseLock: parseLock,
    passphraseProblems: passphraseProblems,
  };
})(globalThis);
