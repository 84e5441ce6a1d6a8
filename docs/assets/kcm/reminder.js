// reminder.js: a reminder to delete assessments from this device once they were exported
// long enough ago (STORAGE.md). The assessor chooses after how many days (or never)
// in "Beveiliging en opruimen"; store-device.js keeps that choice and when each assessment
// was last exported.
//
// An assessment is due when it was exported at least that many days ago and not changed since
// (its last save is not later than the export): only then is the exported file a full copy.
// Nothing is deleted without the assessor's choice in the dialog.
//
// Classic script (see store.js for why); defines globalThis.kcm.reminder.
(function (root) {
  "use strict";

  const DAY_MS = 24 * 60 * 60 * 1000;

  // The records due for deletion, oldest export first: [{record, exportedAt}].
  function due(records, exported, days, nowMs) {
    if (!days) {
      return [];
    }
    return records
      .filter((record) => {
        const at = exported[record.id];
        const atMs = at ? Date.parse(at) : NaN;
        return !Number.isNaN(atMs) && nowMs - atMs >= days * DAY_MS && Date.parse(record.saved_at) <= atMs;
      })
      .map((record) => ({ record: record, exportedAt: exported[record.id] }))
      .sort((a, b) => String(a.exportedAt).localeCompare(String(b.exportedAt)));
  }

  // options: {device (store-device.js), records() -> the stored records, names(record) -> the
  // candidate's name or "", day(iso) -> a Dutch date, ui: {showBanner, clearBanner, ask,
  // announce}, removeIds(ids), now() -> ms}.
  function create(options) {
    const ui = options.ui;
    // The set the assessor put off with "Later" in this visit: not shown again until it changes.
    let putOff = "";
    // The set on screen: check() runs after every change of the list, and drawing the same
    // banner again would take the focus from its buttons.
    let shown = "";

    function check() {
      const days = options.device.settings().deleteReminderDays;
      const list = days ? due(options.records(), options.device.exported(), days, options.now()) : [];
      const ids = list.map((item) => item.record.id).join("\n");
      if (!list.length || ids === putOff) {
        if (shown) {
          ui.clearBanner("reminder");
          shown = "";
        }
        return list;
      }
      if (ids + "|" + days === shown) {
        return list;
      }
      shown = ids + "|" + days;
      const count = list.length;
      ui.showBanner("reminder", {
        kind: "info",
        title: "Geëxporteerde beoordelingen opruimen",
        text: [
          (count === 1 ? "1 beoordeling is " : count + " beoordelingen zijn ") +
            "meer dan " +
            days +
            " dagen geleden geëxporteerd en daarna niet meer veranderd. Staat het bestand veilig bij het examenbureau? Verwijder " +
            (count === 1 ? "hem" : "ze") +
            " dan van dit apparaat.",
        ],
        list: list.map((item) => label(item)),
        actions: [
          { label: count === 1 ? "Verwijderen" : "Deze " + count + " verwijderen", kind: "danger", onClick: () => confirmRemove(list), attrs: { "data-action": "reminder-delete" } },
          {
            label: "Later",
            onClick: () => {
              putOff = ids;
              shown = "";
              ui.clearBanner("reminder");
            },
            attrs: { "data-action": "reminder-later" },
          },
        ],
        dismiss: false,
      });
      return list;
    }

    function label(item) {
      const name = options.names(item.record) || "(geen naam)";
      return name + ": geëxporteerd op " + options.day(item.exportedAt);
    }

    function confirmRemove(list) {
      const count = list.length;
      return ui
        .ask({
          title: count === 1 ? "Beoordeling verwijderen?" : count + " beoordelingen verwijderen?",
          body: [
            "Ze zijn geëxporteerd en daarna niet veranderd. Na het verwijderen staan ze alleen nog in de geëxporteerde bestanden.",
            { list: list.map(label) },
          ],
          buttons: [
            { label: "Annuleren", value: null, focus: true },
            { label: "Verwijderen", value: "yes", danger: true },
          ],
        })
        .then((answer) => {
          if (answer === "yes") {
            shown = "";
            ui.clearBanner("reminder");
            options.removeIds(list.map((item) => item.record.id));
            ui.announce(count === 1 ? "1 beoordeling verwijderd." : count + " beoordelingen verwijderd.");
          }
        });
    }

    return { check: check };
  }

  root.kcm = root.kcm || {};
  root.kcm.reminder = { due: due, create: create };
})(globalThis);
