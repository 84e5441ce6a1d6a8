// signatures.js: signing a finalised record on screen (issue 13, design §4 `signatures`).
//
// Each role (beoordelaar; tweede_beoordelaar, only in a joint record of two assessors;
// kandidaat) can sign a final record: drawn on a pad with finger, pen or mouse (pointer events),
// kept as an SVG path, or for keyboard users a typed name only. Signing is never required.
// A signature belongs to the sealed record: signing builds the record with the signature and a
// history entry "signed", kcm_core seals it again (browser_api.seal), and the session stores
// exactly what came back (session.edit {type: "finalize", sealed}); reopening drops them
// (assessment.js). The signatures show on screen and on paper as <svg> drawings with the name.
//
// Paths: the pad has its own coordinates (its width and height attributes, e.g. 600 x 200),
// whatever its size on screen; a stroke is "M x y L x y …" in whole units of those. kcm_core
// takes at most `maxChars` characters (data-max-path): a longer drawing is simplified
// (Ramer-Douglas-Peucker, a coarser tolerance each round) until it fits.
//
// The pure parts (simplify, strokePath, pathOf, rolesFor, signedRecord) need no DOM and are
// tested in Node. Classic script (see store.js for why); defines globalThis.kcm.signatures.
(function (root) {
  "use strict";

  const SVG = "http://www.w3.org/2000/svg";
  const ROLE_LABELS = { beoordelaar: "Beoordelaar", tweede_beoordelaar: "Tweede beoordelaar", kandidaat: "Kandidaat" };
  // Coarser each round; at the last one a stroke is little more than its ends.
  const TOLERANCES = [0, 0.75, 1.5, 3, 6, 12, 24, 48];

  function distanceToSegment(p, a, b) {
    const dx = b.x - a.x;
    const dy = b.y - a.y;
    const length = dx * dx + dy * dy;
    const t = length ? Math.max(0, Math.min(1, ((p.x - a.x) * dx + (p.y - a.y) * dy) / length)) : 0;
    return Math.hypot(p.x - (a.x + t * dx), p.y - (a.y + t * dy));
  }

  // The points of a stroke that keep its shape within `tolerance` units (Ramer-Douglas-Peucker;
  // iterative, so a long stroke cannot overflow the stack).
  function simplify(points, tolerance) {
    if (points.length < 3 || tolerance <= 0) {
      return points.slice();
    }
    const keep = new Array(points.length).fill(false);
    keep[0] = keep[points.length - 1] = true;
    const spans = [[0, points.length - 1]];
    while (spans.length) {
      const [first, last] = spans.pop();
      let worst = -1;
      let index = -1;
      for (let i = first + 1; i < last; i += 1) {
        const d = distanceToSegment(points[i], points[first], points[last]);
        if (d > worst) {
          worst = d;
          index = i;
        }
      }
      if (worst > tolerance) {
        keep[index] = true;
        spans.push([first, index], [index, last]);
      }
    }
    return points.filter((_p, i) => keep[i]);
  }

  // One stroke as path data in whole units within the pad ({width, height}); repeated points
  // are left out, and a dot (one point) becomes a line of length 0, which a round cap shows.
  function strokePath(points, box) {
    const round = (v, max) => Math.min(Math.max(Math.round(v), 0), max);
    const out = [];
    points.forEach((p) => {
      const x = round(p.x, box.width);
      const y = round(p.y, box.height);
      const last = out[out.length - 1];
      if (!last || last[0] !== x || last[1] !== y) {
        out.push([x, y]);
      }
    });
    if (!out.length) {
      return "";
    }
    if (out.length === 1) {
      out.push(out[0]);
    }
    return out.map((p, i) => (i ? "L" : "M") + p[0] + " " + p[1]).join("");
  }

  // All strokes as one path of at most `maxChars` characters: simplified as little as needed;
  // when even the coarsest round is too long, the last strokes are left out.
  function pathOf(strokes, box, maxChars) {
    let path = "";
    for (const tolerance of TOLERANCES) {
      const parts = strokes.map((s) => strokePath(simplify(s, tolerance), box)).filter(Boolean);
      path = parts.join("");
      if (path.length <= maxChars) {
        return path;
      }
      if (tolerance === TOLERANCES[TOLERANCES.length - 1]) {
        let kept = "";
        for (const part of parts) {
          if (kept.length + part.length > maxChars) {
            break;
          }
          kept += part;
        }
        return kept;
      }
    }
    return path;
  }

  function names(data) {
    return Array.isArray(data.assessors) ? data.assessors.map((a) => (a && typeof a.name === "string" ? a.name : "")) : [];
  }

  // Who may sign this record: the second assessor only where there are two.
  function rolesFor(data) {
    return names(data).length > 1 ? ["beoordelaar", "tweede_beoordelaar", "kandidaat"] : ["beoordelaar", "kandidaat"];
  }

  // The name a role signs with unless typed otherwise.
  function defaultName(data, role) {
    if (role === "kandidaat") {
      return data.fields && typeof data.fields.naam_kandidaat === "string" ? data.fields.naam_kandidaat : "";
    }
    return names(data)[role === "beoordelaar" ? 0 : 1] || "";
  }

  // The final record with this role's signature ({name, at, svg_path?}) and a history entry,
  // ready for kcm_core to seal again.
  function signedRecord(data, role, signature, nowIso) {
    const next = JSON.parse(JSON.stringify(data));
    const entry = { name: signature.name, at: nowIso };
    if (signature.svgPath) {
      entry.svg_path = signature.svgPath;
    }
    next.signatures = Object.assign({}, next.signatures || {}, { [role]: entry });
    next.history = (Array.isArray(next.history) ? next.history : []).concat([{ at: nowIso, action: "signed", by: signature.name }]);
    next.updated = nowIso;
    return next;
  }

  // options: {page (page.js), session, engine, rubric, now, doc}.
  function create(options) {
    const A = root.kcm.assessment;
    const page = options.page;
    const session = options.session;
    const engine = options.engine;
    const doc = options.doc;
    const section = page.$("[data-signatures]");
    const pad = page.$("[data-signature-pad]", section);
    const padTitle = page.$("[data-pad-title]", pad);
    const nameInput = page.$("[data-pad-name]", pad);
    const canvas = page.$("[data-pad-canvas]", pad);
    const message = page.$("[data-signature-message]", section);
    const maxChars = Number(section.getAttribute("data-max-path")) || 20000;
    const box = { width: canvas.width, height: canvas.height };
    const context = canvas.getContext ? canvas.getContext("2d") : null;
    // The role being signed, its strokes (arrays of points in pad units), the one being drawn.
    let signing = null;
    let strokes = [];
    let drawing = null;

    function current() {
      const data = session.state.current ? session.state.current.data : null;
      return data && data.status === "final" && A.belongsTo(data, options.rubric) && !data.practice ? data : null;
    }

    function render() {
      const data = current();
      section.hidden = !data;
      if (!data) {
        closePad();
        return;
      }
      const roles = rolesFor(data);
      const signatures = data.signatures || {};
      section.toggleAttribute("data-signed", Object.keys(signatures).length > 0);
      page.$$("[data-signature-role]", section).forEach((block) => {
        const role = block.getAttribute("data-signature-role");
        block.hidden = !roles.includes(role);
        block.toggleAttribute("data-signed", Boolean(signatures[role]));
        renderSignature(page.$("[data-signature-shown]", block), signatures[role]);
        page.$('[data-action="sign"]', block).firstChild.textContent = signatures[role] ? "Opnieuw ondertekenen" : "Ondertekenen";
      });
    }

    // A signature on screen and paper: the drawing (if any), the name and the moment.
    function renderSignature(node, signature) {
      node.replaceChildren();
      if (!signature) {
        const empty = doc.createElement("p");
        empty.className = "kcm-sign__empty";
        empty.textContent = "Nog niet ondertekend.";
        node.append(empty);
        return;
      }
      if (signature.svg_path) {
        const svg = doc.createElementNS(SVG, "svg");
        svg.setAttribute("viewBox", "0 0 " + box.width + " " + box.height);
        svg.setAttribute("class", "kcm-sign__drawing");
        svg.setAttribute("role", "img");
        svg.setAttribute("aria-label", "Handtekening van " + signature.name);
        const path = doc.createElementNS(SVG, "path");
        path.setAttribute("d", signature.svg_path);
        path.setAttribute("fill", "none");
        path.setAttribute("stroke", "currentColor");
        path.setAttribute("stroke-width", "3");
        path.setAttribute("stroke-linecap", "round");
        path.setAttribute("stroke-linejoin", "round");
        svg.append(path);
        node.append(svg);
      }
      const line = doc.createElement("p");
      line.className = "kcm-sign__name";
      line.setAttribute("data-signature-name", "");
      line.textContent = (signature.svg_path ? "Getekend door " : "Ondertekend met getypte naam: ") + signature.name + ", " + A.formatMoment(signature.at) + ".";
      node.append(line);
    }

    function openPad(role) {
      const data = current();
      if (!data) {
        return;
      }
      signing = role;
      strokes = [];
      drawing = null;
      clearCanvas();
      padTitle.textContent = "Ondertekenen als " + ROLE_LABELS[role].toLowerCase();
      nameInput.value = defaultName(data, role);
      say("", "");
      pad.hidden = false;
      // The pad opens under the role's block, where the assessor tapped.
      page.$('[data-signature-role="' + role + '"]', section).after(pad);
      nameInput.focus();
      pad.scrollIntoView({ block: "nearest" });
    }

    function closePad() {
      signing = null;
      strokes = [];
      drawing = null;
      pad.hidden = true;
    }

    function clearCanvas() {
      if (context) {
        context.clearRect(0, 0, box.width, box.height);
      }
    }

    function say(kind, text) {
      message.setAttribute("data-kind", kind);
      message.textContent = text;
    }

    // Pointer position in pad units.
    function point(event) {
      const rect = canvas.getBoundingClientRect();
      return { x: ((event.clientX - rect.left) * box.width) / (rect.width || box.width), y: ((event.clientY - rect.top) * box.height) / (rect.height || box.height) };
    }

    function drawSegment(from, to) {
      if (!context) {
        return;
      }
      context.lineWidth = 3;
      context.lineCap = "round";
      context.lineJoin = "round";
      context.strokeStyle = "#000";
      context.beginPath();
      context.moveTo(from.x, from.y);
      context.lineTo(to.x, to.y);
      context.stroke();
    }

    canvas.addEventListener("pointerdown", (event) => {
      if (!signing) {
        return;
      }
      event.preventDefault();
      canvas.setPointerCapture(event.pointerId);
      const p = point(event);
      drawing = { id: event.pointerId, points: [p] };
      strokes.push(drawing.points);
      drawSegment(p, p);
    });
    canvas.addEventListener("pointermove", (event) => {
      if (!drawing || event.pointerId !== drawing.id) {
        return;
      }
      // A pen or finger reports more points than frames: take them all for a smooth line.
      const events = event.getCoalescedEvents ? event.getCoalescedEvents() : [];
      (events.length ? events : [event]).forEach((e) => {
        const p = point(e);
        drawSegment(drawing.points[drawing.points.length - 1], p);
        drawing.points.push(p);
      });
    });
    const endStroke = (event) => {
      if (drawing && event.pointerId === drawing.id) {
        drawing = null;
      }
    };
    canvas.addEventListener("pointerup", endStroke);
    canvas.addEventListener("pointercancel", endStroke);

    function save() {
      const data = current();
      const role = signing;
      if (!data || !role) {
        return Promise.resolve();
      }
      const name = nameInput.value.trim();
      if (!name) {
        say("error", "Typ de naam van wie ondertekent.");
        nameInput.focus();
        return Promise.resolve();
      }
      if (engine.state().state !== "ready") {
        say("warning", "Ondertekenen kan pas als de rekenmodule klaar is: de handtekening komt in het zegel.");
        return Promise.resolve();
      }
      const svgPath = pathOf(strokes, box, maxChars);
      const record = signedRecord(data, role, { name: name, svgPath: svgPath }, options.now());
      return engine
        .call("seal", JSON.stringify(record))
        .then((answer) => {
          if (!answer.ok) {
            say("error", ["Niet ondertekend:"].concat(root.kcm.ui.problemTexts(answer.problems, options.rubric)).join(" "));
            return;
          }
          const stillOpen = session.state.current && session.state.current.id === data.id;
          if (!stillOpen || !session.edit({ type: "finalize", sealed: answer.assessment })) {
            say("error", "Niet ondertekend: de beoordeling is intussen veranderd. Probeer het opnieuw.");
            return;
          }
          closePad();
          say("info", ROLE_LABELS[role] + " heeft ondertekend: " + name + ".");
          const button = page.$('[data-signature-role="' + role + '"] [data-action="sign"]', section);
          if (button) {
            button.focus();
          }
        })
        .catch((error) => say("error", "Niet ondertekend: " + String(error && error.message)));
    }

    section.addEventListener("click", (event) => {
      const target = event.target.closest("[data-action]");
      const action = target ? target.getAttribute("data-action") : null;
      if (action === "sign") {
        openPad(target.getAttribute("data-role-name"));
      } else if (action === "sign-save") {
        save();
      } else if (action === "sign-clear") {
        strokes = [];
        drawing = null;
        clearCanvas();
      } else if (action === "sign-cancel") {
        const role = signing;
        closePad();
        const button = role && page.$('[data-signature-role="' + role + '"] [data-action="sign"]', section);
        if (button) {
          button.focus();
        }
      }
    });
    // Enter in the name field signs with the name (and the drawing, if any).
    nameInput.addEventListener("keydown", (event) => {
      if (event.key === "Enter") {
        event.preventDefault();
        save();
      }
    });
    session.on("form", render);
    session.on("opened", closePad);
    render();

    return { render: render, openPad: openPad, save: save, strokes: () => strokes };
  }

  root.kcm = root.kcm || {};
  root.kcm.signatures = {
    create: create,
    ROLE_LABELS: ROLE_LABELS,
    simplify: simplify,
    strokePath: strokePath,
    pathOf: pathOf,
    rolesFor: rolesFor,
    defaultName: defaultName,
    signedRecord: signedRecord,
  };
})(globalThis);
