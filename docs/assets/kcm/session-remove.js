// session-remove.js: deleting, for session.js: one assessment, all data of the checklist, and
// the records store.js set aside because it could not read them (quarantine), with the banners
// that report those and offer to download or delete them. Every deletion asks first; nothing
// is deleted without the assessor's "Verwijderen".
//
// Classic script (see store.js for why); defines globalThis.kcm.sessionRemove; needs
// assessment.js. session.js creates it with its own state and steps: create({store, durable,
// ui, state, now, refreshList, close, afterChange}).
(function (root) {
  "use strict";

  function create(options) {
    const A = root.kcm.assessment;
    const store = options.store;
    const durable = options.durable;
    const ui = options.ui;
    const state = options.state;
    const now = options.now;
    const refreshList = () => options.refreshList();
    const close = (status) => options.close(status);
    const afterChange = () => options.afterChange();

    function reportStorageProblems(listing) {
      const aside = store.quarantined();
      if (aside.length) {
        ui.showBanner("quarantine", {
          kind: "warning",
          title: aside.length === 1 ? "1 opgeslagen gegeven was onleesbaar" : aside.length + " opgeslagen gegevens waren onleesbaar",
          text: [
            "Ze zijn niet verwijderd maar apart gezet, zodat de rest gewoon werkt. Download ze als je ze wilt laten nakijken; verwijder ze als je ze niet nodig hebt.",
          ],
          list: aside.map((q) => (q.original || q.key) + (q.reason ? ": " + q.reason : "")),
          actions: [
            { label: "Download apart gezette gegevens", onClick: () => downloadQuarantine(aside), attrs: { "data-action": "download-quarantine" } },
            { label: "Apart gezette gegevens verwijderen", kind: "danger", onClick: () => discardQuarantine(aside), attrs: { "data-action": "discard-quarantine" } },
          ],
          dismiss: true,
        });
      } else {
        ui.clearBanner("quarantine");
      }
      if (listing.skipped.length) {
        ui.showBanner("future", {
          kind: "warning",
          title: "Gemaakt met een nieuwere versie",
          text: "Deze beoordelingen zijn opgeslagen door een nieuwere versie van deze site en worden hier niet getoond of veranderd. Herlaad de pagina om de nieuwste versie te gebruiken.",
          list: listing.skipped.map((s) => s.id),
        });
      } else {
        ui.clearBanner("future");
      }
    }

    function downloadQuarantine(aside) {
      const text = JSON.stringify({ kind: "kcm-quarantine", exported: now(), items: aside }, null, 2) + "\n";
      ui.download(text, A.fileName(["kcm-onleesbaar", now().slice(0, 10)], "json"), "application/json");
    }

    function discardQuarantine(aside) {
      return ui
        .ask({
          title: "Apart gezette gegevens verwijderen?",
          body: ["Deze gegevens konden niet gelezen worden. Als je ze verwijdert, zijn ze definitief weg. Download ze eerst als je twijfelt."],
          buttons: [
            { label: "Annuleren", value: null, focus: true },
            { label: "Verwijderen", value: "yes", danger: true },
          ],
        })
        .then((answer) => {
          if (answer === "yes") {
            aside.forEach((q) => store.discardQuarantined(q.key));
            refreshList();
          }
        });
    }

    function remove(id) {
      const record = state.records.find((r) => r.id === id);
      const name = record ? A.candidateName(record.data) : "";
      // A candidate's practice says "oefening", as everywhere on the practice page.
      const noun = record && record.data.practice === true ? "oefening" : "beoordeling";
      const capitalNoun = noun.charAt(0).toUpperCase() + noun.slice(1);
      return ui
        .ask({
          title: name ? capitalNoun + " van " + name + " verwijderen?" : capitalNoun + " zonder naam verwijderen?",
          body: ["Dit kan niet ongedaan worden gemaakt. Exporteer de " + noun + " eerst als je hem wilt bewaren."],
          buttons: [
            { label: "Annuleren", value: null, focus: true },
            { label: "Verwijderen", value: "yes", danger: true },
          ],
        })
        .then((answer) => {
          if (answer !== "yes") {
            return;
          }
          store.remove(id);
          durable.forget(id);
          delete state.scores[id];
          if (state.current && state.current.id === id) {
            close("De " + noun + " is verwijderd. Je kunt een nieuwe invullen.");
            ui.clearBanner("save-failed");
            afterChange();
          } else {
            refreshList();
          }
          ui.announce(capitalNoun + " verwijderd.");
        });
    }

    // sitePrefix: the theme's own settings of this site, removed too (store.js removeAll).
    function removeAll(sitePrefix) {
      const count = state.records.length;
      // Every page of the site shares the storage: the other kind's records (the practice
      // page's, or the checklist's) and other forms' go too, so the question names them.
      const others = (state.otherIds || []).length;
      const body = [
        count === 1
          ? "De beoordeling en alle andere gegevens van de checklist in deze browser worden gewist."
          : "Alle " + count + " beoordelingen en alle andere gegevens van de checklist in deze browser worden gewist.",
      ];
      if (others) {
        body.push(
          (others === 1 ? "Ook 1 opgeslagen beoordeling of oefening die hier niet in de lijst staat" : "Ook " + others + " opgeslagen beoordelingen of oefeningen die hier niet in de lijst staan") +
            " (van de andere checklist of van een ander formulier op deze site) worden gewist.",
        );
      }
      body.push("Dit kan niet ongedaan worden gemaakt. Exporteer eerst als je iets wilt bewaren.");
      return ui
        .ask({
          title: "Alle gegevens verwijderen?",
          body: body,
          buttons: [
            { label: "Annuleren", value: null, focus: true },
            { label: "Alles verwijderen", value: "yes", danger: true },
          ],
        })
        .then((answer) => {
          if (answer !== "yes") {
            return;
          }
          store.removeAll({ sitePrefix: sitePrefix || null });
          durable.forgetAll();
          state.scores = {};
          close("Alle gegevens zijn verwijderd.");
          ui.clearBanner("save-failed");
          ui.clearBanner("quarantine");
          afterChange();
          ui.announce("Alle gegevens zijn verwijderd.");
        });
    }

    return { reportStorageProblems: reportStorageProblems, remove: remove, removeAll: removeAll };
  }

  root.kcm = root.kcm || {};
  root.kcm.sessionRemove = { create: create };
})(globalThis);
