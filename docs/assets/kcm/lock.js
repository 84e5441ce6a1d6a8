// lock.js: the passphrase lock in the page (STORAGE.md): the unlock screen at start,
// and the controls under "Beveiliging en opruimen" to turn the lock on or off, lock now, and
// choose the reminder to delete exported assessments. The cryptography and the storage it
// needs are store-crypto.js's.
//
// - gate(): at start. Without a lock it returns the plain storage at once (the page boots as
//   always, synchronously). With one it shows the unlock screen, hides the rest of the app, and
//   calls onUnlocked({storage, cipher}) once the passphrase is right and every value decrypted.
// - settings(): wires the controls; turning the lock on encrypts everything already stored
//   (localStorage and the mirror in IndexedDB), then reloads: the page asks for the passphrase,
//   which proves it works. Turning it off writes everything back plain.
// - The key lives only in this page's memory: a reload, "Nu vergrendelen", or 15 minutes with
//   the page in the background lock the checklist again.
//
// Classic script (see store.js for why); defines globalThis.kcm.lock; needs store-codec.js,
// store.js, store-durable.js and store-crypto.js.
(function (root) {
  "use strict";

  // Locked again when the page comes back after this long in the background (another app, a
  // locked phone screen): the next person to pick up a shared device finds it locked.
  const IDLE_LOCK_MS = 15 * 60 * 1000;

  function $(scope, selector) {
    return scope.querySelector(selector);
  }

  function readLock(storage) {
    try {
      return root.kcm.storeCrypto.parseLock(storage ? storage.getItem(root.kcm.storeCodec.LOCK_KEY) : null);
    } catch (_error) {
      return null;
    }
  }

  // Everything of the checklist on this device goes: localStorage (the lock too) and the
  // mirror. For a forgotten passphrase: there is no other way back.
  function wipe(options) {
    root.kcm.store.createStore(options.storage).removeAll({});
    return root.kcm.storeDurable
      .create({ indexedDB: options.indexedDB, setTimeout: options.setTimeout, clearTimeout: options.clearTimeout })
      .forgetAll();
  }

  // options: {doc, app (the [data-kcm-app] element), storage (localStorage), crypto,
  // indexedDB, setTimeout, clearTimeout, ui: {ask, showBanner}, reload, onUnlocked}.
  function gate(options) {
    const lock = readLock(options.storage);
    if (!lock) {
      return { open: { storage: options.storage, cipher: null, locked: false } };
    }
    const doc = options.doc;
    const panel = $(options.app, "[data-unlock]");
    const form = $(panel, "[data-unlock-form]");
    const input = $(panel, "[data-unlock-passphrase]");
    const button = $(panel, "[data-unlock-submit]");
    const message = $(panel, "[data-unlock-message]");
    const S = root.kcm.storeCrypto;
    options.app.setAttribute("data-locked", "");
    panel.hidden = false;

    function say(text, kind) {
      message.textContent = text;
      message.setAttribute("data-kind", kind || "info");
    }

    if (lock.broken || !S.available(options.crypto)) {
      form.hidden = true;
      say(
        lock.broken
          ? "De instelling van het wachtwoord is beschadigd. Zonder die instelling kan niemand de gegevens nog openen. Je kunt alleen alles wissen en opnieuw beginnen."
          : "Deze browser kan de versleutelde gegevens hier niet openen (dat kan alleen via https). Open de checklist via het normale adres van de site.",
        "error",
      );
    } else {
      input.focus();
    }
    const cryptoApi = S.available(options.crypto) ? S.create(options.crypto) : null;

    form.addEventListener("submit", (event) => {
      event.preventDefault();
      if (!input.value) {
        say("Typ eerst het wachtwoord.", "error");
        input.focus();
        return;
      }
      button.disabled = true;
      say("Bezig met openen…");
      cryptoApi
        .unlock(lock, input.value)
        .then((key) => {
          if (!key) {
            button.disabled = false;
            say("Dit wachtwoord klopt niet. Let op hoofdletters en spaties, en probeer het opnieuw.", "error");
            input.select();
            input.focus();
            return;
          }
          const storage = cryptoApi.encryptedStorage({ backing: options.storage, key: key, onWriteError: options.onWriteError });
          return storage.load().then(() => {
            input.value = "";
            button.disabled = false;
            say("");
            panel.hidden = true;
            options.app.removeAttribute("data-locked");
            options.onUnlocked({ storage: storage, cipher: cryptoApi.cipher(key), locked: true, cryptoApi: cryptoApi, key: key });
          });
        })
        .catch((error) => {
          button.disabled = false;
          say("Openen is mislukt" + (error && error.name ? " (" + error.name + ")" : "") + ". Herlaad de pagina en probeer het opnieuw.", "error");
        });
    });

    $(panel, '[data-action="forgot-passphrase"]').addEventListener("click", () => {
      options.ui
        .ask({
          title: "Wachtwoord vergeten?",
          body: [
            "Zonder het wachtwoord kan niemand deze beoordelingen nog openen: ze zijn versleuteld en het wachtwoord is nergens bewaard.",
            "Je kunt alleen alle gegevens van de checklist op dit apparaat wissen en opnieuw beginnen. Geëxporteerde bestanden blijven gewoon bruikbaar.",
          ],
          buttons: [
            { label: "Annuleren", value: null, focus: true },
            { label: "Alles wissen", value: "yes", danger: true },
          ],
        })
        .then((answer) => answer === "yes" && wipe(options).then(options.reload));
    });
    doc.defaultView && doc.defaultView.scrollTo && doc.defaultView.scrollTo(0, 0);
    return { open: null };
  }

  // options: {app, opened (gate's), storage (localStorage), store, device, session, mirror
  // (the page's store-durable mirror), indexedDB, setTimeout, clearTimeout, crypto, ui, now,
  // doc, reload, reminder}.
  function settings(options) {
    const S = root.kcm.storeCrypto;
    const codec = root.kcm.storeCodec;
    const box = $(options.app, "[data-privacy]");
    if (!box) {
      return;
    }
    const status = $(box, "[data-lock-status]");
    const setup = $(box, "[data-lock-setup]");
    const active = $(box, "[data-lock-active]");
    const message = $(box, "[data-lock-message]");
    const first = $(box, "[data-lock-passphrase]");
    const second = $(box, "[data-lock-repeat]");
    const understood = $(box, "[data-lock-understood]");
    const enableButton = $(box, '[data-action="lock-enable"]');
    const days = $(box, "[data-reminder-days]");
    const daysMessage = $(box, "[data-reminder-message]");
    const opened = options.opened;
    const canEncrypt = S.available(options.crypto);

    function say(target, text, kind) {
      target.textContent = text;
      target.setAttribute("data-kind", kind || "info");
      if (text) {
        options.ui.announce(text);
      }
    }

    status.textContent = opened.locked
      ? "Beveiligd met een wachtwoord: de beoordelingen staan versleuteld op dit apparaat."
      : "Niet beveiligd met een wachtwoord.";
    status.setAttribute("data-locked-state", opened.locked ? "on" : "off");
    setup.hidden = opened.locked;
    active.hidden = !opened.locked;
    if (!canEncrypt) {
      enableButton.disabled = true;
      say(message, "Versleutelen kan in deze browser alleen als de site via https wordt geopend.", "warning");
    }

    function mirrorWith(cipher) {
      return root.kcm.storeDurable.create({ indexedDB: options.indexedDB, setTimeout: options.setTimeout, clearTimeout: options.clearTimeout, cipher: cipher });
    }

    function envelopes() {
      return options.store.list().records.map((r) => ({ schema: codec.SCHEMA, rev: r.rev, saved_at: r.saved_at, data: r.data }));
    }

    enableButton.addEventListener("click", () => {
      const problems = S.passphraseProblems(first.value, second.value);
      if (!understood.checked) {
        problems.push("Vink aan dat je begrijpt dat de gegevens niet meer te openen zijn als je het wachtwoord vergeet.");
      }
      if (problems.length) {
        say(message, problems.join(" "), "error");
        (first.value.length < S.MIN_PASSPHRASE ? first : first.value !== second.value ? second : understood).focus();
        return;
      }
      enableButton.disabled = true;
      say(message, "Bezig met beveiligen…");
      options.session.flush();
      const cryptoApi = S.create(options.crypto);
      const storage = options.storage;
      cryptoApi
        .newLock(first.value)
        .then((made) => {
          const plainValues = [];
          for (let i = 0; i < storage.length; i += 1) {
            const key = storage.key(i);
            if (S.managed(key)) {
              plainValues.push([key, storage.getItem(key)]);
            }
          }
          const records = envelopes();
          // Encrypted first, then written in one go; the lock goes in before them, so a page
          // that stops half-way still knows the values are meant to be encrypted (at the next
          // unlock the plain ones are encrypted too).
          return Promise.all(plainValues.map((entry) => sealOne(cryptoApi, made.key, entry))).then((sealed) => {
            storage.setItem(codec.LOCK_KEY, JSON.stringify(made.lock));
            sealed.forEach((entry) => storage.setItem(entry[0], entry[1]));
            return mirrorWith(cryptoApi.cipher(made.key)).replaceAll(records);
          });
        })
        .then((outcome) => {
          if (outcome && !outcome.ok && outcome.reason !== "unavailable") {
            throw new Error(outcome.message);
          }
          first.value = "";
          second.value = "";
          say(message, "De checklist is beveiligd. Typ nu je wachtwoord om verder te gaan.", "ok");
          options.reload();
        })
        .catch((error) => {
          enableButton.disabled = false;
          say(message, "Beveiligen is niet gelukt: " + codec.describeWriteError(error) + " Je gegevens zijn niet veranderd of worden bij het openen alsnog versleuteld.", "error");
        });
    });

    function sealOne(cryptoApi, key, entry) {
      return cryptoApi.sealValue(key, entry[0], entry[1]).then((text) => [entry[0], text]);
    }

    $(box, '[data-action="lock-now"]').addEventListener("click", () => lockNow());

    $(box, '[data-action="lock-disable"]').addEventListener("click", () => {
      options.ui
        .ask({
          title: "Wachtwoord uitzetten?",
          body: [
            "De beoordelingen worden dan weer onversleuteld op dit apparaat opgeslagen. Iedereen die dit apparaat gebruikt, kan ze dan openen.",
          ],
          buttons: [
            { label: "Annuleren", value: null, focus: true },
            { label: "Uitzetten", value: "yes", danger: true },
          ],
        })
        .then((answer) => {
          if (answer !== "yes") {
            return null;
          }
          options.session.flush();
          return opened.storage.settled().then(() => {
            const values = opened.storage.entries();
            return mirrorWith(null)
              .replaceAll(envelopes())
              .then((outcome) => {
                if (!outcome.ok && outcome.reason !== "unavailable") {
                  throw new Error(outcome.message);
                }
                values.forEach((entry) => options.storage.setItem(entry[0], entry[1]));
                // Last: until here a stop half-way leaves a locked checklist that still opens.
                options.storage.removeItem(codec.LOCK_KEY);
                options.reload();
              });
          });
        })
        .catch((error) => say(message, "Uitzetten is niet gelukt: " + codec.describeWriteError(error) + " De checklist blijft beveiligd.", "error"));
    });

    function lockNow() {
      options.session.flush();
      (opened.storage.settled ? opened.storage.settled() : Promise.resolve()).then(options.reload);
    }

    if (opened.locked) {
      let hiddenAt = null;
      options.doc.addEventListener("visibilitychange", () => {
        if (options.doc.visibilityState === "hidden") {
          hiddenAt = options.now();
        } else if (hiddenAt !== null && options.now() - hiddenAt >= IDLE_LOCK_MS) {
          lockNow();
        }
      });
    }

    days.value = String(options.device.settings().deleteReminderDays || "");
    days.addEventListener("change", () => {
      const value = days.value ? Number(days.value) : null;
      const saved = options.device.saveSettings({ deleteReminderDays: value });
      if (saved.ok) {
        say(daysMessage, value ? "Opgeslagen. Je krijgt een herinnering " + value + " dagen na het exporteren." : "Opgeslagen. Je krijgt geen herinnering.", "ok");
        options.reminder.check();
      } else {
        say(daysMessage, "Niet opgeslagen: " + saved.message, "error");
      }
    });
  }

  root.kcm = root.kcm || {};
  root.kcm.lock = { IDLE_LOCK_MS: IDLE_LOCK_MS, gate: gate, settings: settings, wipe: wipe };
})(globalThis);
