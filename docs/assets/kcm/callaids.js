// callaids.js: the aids during a live call (build_tools.checklist_aids renders their HTML in the
// rows of their criteria): the hold timer (2.4.2.c), the phase markers (2.4.1.a, c, d, e), the
// spelling card (2.3.1.a, plain HTML that needs nothing here), undo of the last change, today's
// date and the assessor's name in a new assessment.
//
// What the aids note goes into the open assessment through session.js's edits, so it is saved,
// exported and imported like a tick: `events` (a hold with its seconds, a phase with its moment)
// and `assessors` (ARCHITECTURE.md §4). Nothing leaves the device. The assessor's name is
// remembered on the device: the device setting when the store offers one (options.device),
// else the name in the most recently changed assessment, so "Alles verwijderen" forgets it
// with the rest.
//
// The parts without a page (clock text, the hold timer, the log lines, the start of a new
// draft) are plain functions, tested with node --test; create() wires them to the page.
//
// Classic script (see store.js for why); defines globalThis.kcm.callaids; needs assessment.js.
// create({page, session, ui, rubric, now, device, win}).
(function (root) {
  "use strict";

  const ASSESSOR_SELECTOR = '[data-field-id="beoordelaar"]';
  // The clock is redrawn this often while a hold runs; the seconds stay exact (they are
  // computed from the start moment, never counted).
  const TICK_MS = 250;

  // 75 -> "1:15".
  function clockText(seconds) {
    const whole = Math.max(0, Math.floor(seconds));
    return Math.floor(whole / 60) + ":" + String(whole % 60).padStart(2, "0");
  }

  // The device's local date as jjjj-mm-dd: the day of the call where the assessor is.
  function localDate(date) {
    const pad = (n) => String(n).padStart(2, "0");
    return String(date.getFullYear()).padStart(4, "0") + "-" + pad(date.getMonth() + 1) + "-" + pad(date.getDate());
  }

  // An ISO moment as local time of day, "10:32:05".
  function timeText(iso) {
    const d = new Date(iso);
    if (Number.isNaN(d.getTime())) {
      return String(iso);
    }
    const pad = (n) => String(n).padStart(2, "0");
    return pad(d.getHours()) + ":" + pad(d.getMinutes()) + ":" + pad(d.getSeconds());
  }

  // A stopwatch for one hold. Times are milliseconds of a monotonic clock (performance.now),
  // so a changed device clock during the call does not change a hold's length.
  function holdTimer(limitSeconds) {
    let startedAt = null;
    let startIso = null;
    return {
      get running() {
        return startedAt !== null;
      },
      start(ms, iso) {
        startedAt = ms;
        startIso = iso;
      },
      seconds(ms) {
        return startedAt === null ? 0 : Math.max(0, (ms - startedAt) / 1000);
      },
      // Past the limit (more than limitSeconds on hold)?
      over(ms) {
        return this.seconds(ms) > limitSeconds;
      },
      // Stops and returns the hold as a note for `criterion`, or null when none ran.
      stop(ms, criterion) {
        if (startedAt === null) {
          return null;
        }
        const event = { at: startIso, kind: "hold", criterion: criterion, seconds: Math.round(this.seconds(ms)) };
        startedAt = null;
        startIso = null;
        return event;
      },
      reset() {
        startedAt = null;
        startIso = null;
      },
    };
  }

  function eventsOf(data, kind, criterion) {
    const events = data && Array.isArray(data.events) ? data.events : [];
    return events.filter((e) => e && e.kind === kind && e.criterion === criterion);
  }

  // The line under an aid: what was noted for its criterion, in the assessment on screen.
  //   hold:  "Wachttijden: 0:12 om 10:32:05, 0:41 om 10:35:10 (te lang)."
  //   phase: "Begonnen om 10:32:05." (marked again: "Begonnen om 10:32:05, 10:40:00.")
  function logText(data, kind, criterion, limitSeconds) {
    const events = eventsOf(data, kind, criterion);
    if (!events.length) {
      return "";
    }
    if (kind === "hold") {
      const items = events.map((e) => clockText(e.seconds) + " om " + timeText(e.at) + (e.seconds > limitSeconds ? " (te lang)" : ""));
      return (items.length === 1 ? "Wachttijd: " : "Wachttijden: ") + items.join(", ") + ".";
    }
    return "Begonnen om " + events.map((e) => timeText(e.at)).join(", ") + ".";
  }

  function assessorName(data) {
    const first = data && Array.isArray(data.assessors) ? data.assessors[0] : null;
    return first && typeof first.name === "string" ? first.name : "";
  }

  // The name this device remembers: its setting, else the name in the most recently changed
  // assessment that has one.
  function rememberedName(records, deviceName) {
    if (deviceName) {
      return deviceName;
    }
    const named = records
      .map((r) => r.data)
      .filter((d) => assessorName(d).trim())
      .sort((a, b) => String(b.updated).localeCompare(String(a.updated)));
    return named.length ? assessorName(named[0]) : "";
  }

  // A new draft as the assessor starts it: today's date in the rubric's date field "datum"
  // (when it has one) and the remembered name as its assessor. A candidate's practice has no
  // assessor: an assessor's name remembered on a shared device stays out of it.
  function startDraft(draft, rubric, today, name) {
    const next = JSON.parse(JSON.stringify(draft));
    const datum = rubric.fields.find((f) => f.id === "datum" && f.type === "date");
    if (datum && !next.fields[datum.id]) {
      next.fields[datum.id] = today;
    }
    if (name.trim() && !assessorName(next) && next.practice !== true) {
      next.assessors = [{ name: name.slice(0, rubric.limits.maxFieldChars) }];
    }
    return next;
  }

  // The device's memory of the name ({get, set}) in store-device.js's settings, once those
  // keep an `assessorName`; else null (the name then comes from the stored assessments).
  function deviceMemory(device) {
    const has = device && typeof device.settings === "function" && Object.prototype.hasOwnProperty.call(device.settings(), "assessorName");
    return has ? { get: () => device.settings().assessorName, set: (name) => device.saveSettings({ assessorName: name }) } : null;
  }

  // ---------------------------------------------------------------------------------------
  // The page

  function create(options) {
    const page = options.page;
    const el = page.el;
    const session = options.session;
    const ui = options.ui;
    const rubric = options.rubric;
    const now = options.now;
    const win = options.win;
    const device = options.device || null;
    const doc = el.html.ownerDocument;
    const state = session.state;
    const clock = () => win.performance.now();

    const assessorInput = page.$(ASSESSOR_SELECTOR);
    const assessorPrint = page.$("[data-print-assessor]");
    const datumField = page.fields.find((f) => f.id === "datum" && f.type === "date") || null;
    const aids = page.$$("[data-aid]").map((node) => ({
      node: node,
      kind: node.getAttribute("data-aid"),
      criterion: node.closest("[data-criterion-id]").getAttribute("data-criterion-id"),
      log: page.$("[data-aid-log]", node),
    }));
    const hold = aids.find((a) => a.kind === "hold") || null;
    const limit = hold ? Number(hold.node.getAttribute("data-hold-limit")) : 0;
    const timer = holdTimer(limit);
    let ticking = null;
    let warned = false;

    // Undo sits in the bar that stays at the bottom of the screen, within reach of a thumb.
    const undoButton = doc.createElement("button");
    undoButton.type = "button";
    undoButton.className = "kcm-button kcm-undo";
    undoButton.setAttribute("data-action", "undo");
    undoButton.disabled = true;
    undoButton.append("Ongedaan maken");
    const undoWhat = doc.createElement("span");
    undoButton.append(undoWhat);
    undoWhat.className = "kcm-sr-only";
    (el.summary || el.form).append(undoButton);

    function deviceName() {
      try {
        return device ? String(device.get() || "") : "";
      } catch (_error) {
        return "";
      }
    }

    function remembered() {
      return rememberedName(state.records, deviceName());
    }

    // ---- drawing ----

    function render() {
      const data = state.current ? state.current.data : null;
      const name = data ? assessorName(data) : remembered();
      if (assessorInput && doc.activeElement !== assessorInput && assessorInput.value !== name) {
        assessorInput.value = name;
      }
      if (assessorPrint) {
        assessorPrint.textContent = data ? assessorName(data) : "";
      }
      // An empty form shows the date a new assessment starts with (startDraft).
      if (!data && datumField && !datumField.input.value) {
        datumField.input.value = localDate(new Date(now()));
      }
      aids.forEach((aid) => {
        if (aid.log) {
          aid.log.textContent = logText(data, aid.kind, aid.criterion, limit);
        }
      });
    }

    function renderUndo(step) {
      undoButton.disabled = !step;
      undoWhat.textContent = step ? ": " + step.label : "";
      undoButton.title = step ? "Maak ongedaan: " + step.label : "";
    }

    function renderHold() {
      if (!hold) {
        return;
      }
      const ms = clock();
      const over = timer.running && timer.over(ms);
      page.$("[data-hold-clock]", hold.node).textContent = clockText(timer.seconds(ms));
      page.$("[data-hold-label]", hold.node).textContent = timer.running ? "Wacht stoppen" : "Wacht starten";
      page.$('[data-action="hold"]', hold.node).setAttribute("aria-pressed", String(timer.running));
      page.$("[data-hold-warning]", hold.node).hidden = !over;
      hold.node.toggleAttribute("data-hold-running", timer.running);
      hold.node.toggleAttribute("data-hold-over", over);
      if (over && !warned) {
        warned = true;
        ui.announce("Let op: de klant wacht al langer dan " + limit + " seconden.");
      }
    }

    // ---- acting ----

    function toggleHold() {
      if (!timer.running) {
        warned = false;
        timer.start(clock(), now());
        ticking = win.setInterval(renderHold, TICK_MS);
        renderHold();
        ui.announce("Wachttijd loopt.");
        return;
      }
      const event = timer.stop(clock(), hold.criterion);
      win.clearInterval(ticking);
      ticking = null;
      renderHold();
      if (session.edit({ type: "event", event: event })) {
        ui.announce("Wachttijd " + clockText(event.seconds) + " bewaard bij " + hold.criterion + ".");
      }
    }

    function stopHoldUnsaved() {
      if (timer.running) {
        timer.reset();
        win.clearInterval(ticking);
        ticking = null;
        renderHold();
      }
    }

    function markPhase(aid) {
      const at = now();
      if (session.edit({ type: "event", event: { at: at, kind: "phase", criterion: aid.criterion } })) {
        ui.announce(aid.node.getAttribute("data-phase") + " begonnen om " + timeText(at) + ".");
      }
    }

    function undo() {
      const step = session.undo();
      ui.announce(step ? "Ongedaan gemaakt: " + step.label + "." : "Er is niets om ongedaan te maken.");
    }

    // The assessor typed their name: into the assessment, and remembered on this device.
    function assessorTyped(value) {
      session.edit({ type: "assessor", value: value });
      if (device) {
        try {
          device.set(value.trim());
        } catch (_error) {
          // Only a convenience: the name is in the assessment all the same.
        }
      }
    }

    aids.forEach((aid) => {
      const button = page.$("[data-action]", aid.node);
      if (aid.kind === "hold") {
        button.addEventListener("click", toggleHold);
      } else if (aid.kind === "phase") {
        button.addEventListener("click", () => markPhase(aid));
      }
    });
    undoButton.addEventListener("click", undo);

    session.on("form", render);
    session.on("undo", renderUndo);
    // Another assessment on screen: a running hold belonged to the one before.
    session.on("opened", stopHoldUnsaved);
    renderHold();

    return {
      render: render,
      assessorTyped: assessorTyped,
      startDraft: (draft) => startDraft(draft, rubric, localDate(new Date(now())), remembered()),
    };
  }

  root.kcm = root.kcm || {};
  root.kcm.callaids = {
    clockText: clockText,
    localDate: localDate,
    timeText: timeText,
    holdTimer: holdTimer,
    logText: logText,
    rememberedName: rememberedName,
    startDraft: startDraft,
    deviceMemory: deviceMemory,
    create: create,
  };
})(globalThis);
