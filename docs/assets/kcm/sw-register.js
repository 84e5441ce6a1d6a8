// Registers the site's service worker (offline use after one visit) and offers new builds.
//
// build_tools/offline.py puts this script on every page. Rules it keeps:
// - a new build is never loaded by itself: the assessor sees "Nieuwe versie beschikbaar" and
//   decides; nothing reloads while someone is typing;
// - a page never mixes two builds: the new service worker is activated only when this is the
//   site's only open tab (see sw-update.js), and this page then reloads as a whole;
// - all text goes into the page with textContent, styles through CSSOM (allowed by the CSP);
// - it registers only when the page has settled (whenSettled, below), so the service worker's
//   precache takes the engine's files from the HTTP cache instead of downloading them again.
//
// State for tests and curious users: <html data-sw="unsupported|registering|ready|update|error">
// (no attribute yet: waiting for the page to settle).
(() => {
  "use strict";

  const html = document.documentElement;
  const script = document.currentScript;
  if (!("serviceWorker" in navigator) || !window.isSecureContext || !script) {
    html.setAttribute("data-sw", "unsupported");
    return;
  }
  // The build (build_tools/offline.py) names the service worker on this script's own tag.
  const swUrl = new URL(script.getAttribute("data-sw-url"), location.href);
  // The worker sits at the site root and serves all of it.
  const root = new URL("./", swUrl);

  let banner = null;
  let reloadOnControllerChange = false;

  navigator.serviceWorker.addEventListener("controllerchange", () => {
    // Only after the assessor chose "Nu bijwerken" in this tab.
    if (reloadOnControllerChange) {
      window.location.reload();
    }
  });

  function el(tag, text) {
    const node = document.createElement(tag);
    if (text) {
      node.textContent = text;
    }
    return node;
  }

  function styleButton(button, primary) {
    Object.assign(button.style, {
      font: "inherit",
      padding: "0.45em 0.9em",
      borderRadius: "0.2rem",
      border: "1px solid currentColor",
      cursor: "pointer",
      background: primary ? "#ffffff" : "transparent",
      color: primary ? "var(--md-primary-fg-color, #4051b5)" : "#ffffff",
      fontWeight: primary ? "700" : "400",
    });
  }

  function buildBanner(worker) {
    const box = el("div");
    box.setAttribute("data-kcm-update", "");
    box.setAttribute("role", "status");
    box.setAttribute("aria-live", "polite");
    Object.assign(box.style, {
      position: "fixed",
      left: "0.5rem",
      right: "0.5rem",
      bottom: "0.5rem",
      zIndex: "10000",
      maxWidth: "40rem",
      margin: "0 auto",
      padding: "0.8rem 1rem",
      borderRadius: "0.3rem",
      background: "var(--md-primary-fg-color--dark, #303fa1)",
      color: "#ffffff",
      boxShadow: "0 0.2rem 0.8rem rgba(0, 0, 0, 0.35)",
      fontSize: "0.8rem",
      lineHeight: "1.5",
    });
    const title = el("strong", "Nieuwe versie beschikbaar");
    title.style.display = "block";
    const text = el(
      "p",
      "Kies zelf wanneer je bijwerkt. Wat je hebt ingevuld, blijft bewaard; de pagina laadt dan opnieuw.",
    );
    text.style.margin = "0.2rem 0 0.6rem";
    const note = el("p");
    note.setAttribute("data-kcm-update-note", "");
    note.style.margin = "0 0 0.6rem";
    note.hidden = true;
    const update = el("button", "Nu bijwerken");
    update.type = "button";
    update.setAttribute("data-action", "sw-update");
    styleButton(update, true);
    const later = el("button", "Later");
    later.type = "button";
    later.setAttribute("data-action", "sw-later");
    styleButton(later, false);
    later.style.marginLeft = "0.5rem";

    update.addEventListener("click", () => activate(worker, note, update));
    later.addEventListener("click", () => {
      box.remove();
      banner = null;
    });
    box.append(title, text, note, update, later);
    return box;
  }

  function offer(worker) {
    html.setAttribute("data-sw", "update");
    if (banner) {
      banner.remove();
    }
    banner = buildBanner(worker);
    document.body.append(banner);
  }

  function activate(worker, note, button) {
    // A field that still has focus commits its value (change event) before anything happens.
    if (document.activeElement instanceof HTMLElement) {
      document.activeElement.blur();
    }
    button.disabled = true;
    const channel = new MessageChannel();
    channel.port1.onmessage = (event) => {
      const answer = event.data || {};
      if (answer.activated) {
        note.hidden = false;
        note.textContent = "Bijwerken…";
        return;
      }
      reloadOnControllerChange = false;
      button.disabled = false;
      note.hidden = false;
      const count = Number(answer.otherTabs) || 0;
      note.textContent =
        count === 1
          ? "Sluit eerst het andere tabblad van deze site. Kies daarna opnieuw 'Nu bijwerken'."
          : `Sluit eerst de ${count} andere tabbladen van deze site. Kies daarna opnieuw 'Nu bijwerken'.`;
    };
    // Set before asking: the new worker may take over (controllerchange) before its answer
    // arrives here.
    reloadOnControllerChange = true;
    worker.postMessage({ type: "KCM_ACTIVATE_UPDATE" }, [channel.port2]);
  }

  async function register() {
    html.setAttribute("data-sw", "registering");
    let registration;
    try {
      registration = await navigator.serviceWorker.register(swUrl.href, {
        scope: root.href,
        updateViaCache: "none",
      });
    } catch (error) {
      html.setAttribute("data-sw", "error");
      console.warn("Offline gebruik is niet beschikbaar:", error);
      return;
    }
    const watch = (worker) => {
      worker.addEventListener("statechange", () => {
        if (worker.state === "installed" && navigator.serviceWorker.controller) {
          offer(worker);
        } else if (worker.state === "activated" && !navigator.serviceWorker.controller) {
          html.setAttribute("data-sw", "ready");
        }
      });
    };
    registration.addEventListener("updatefound", () => {
      if (registration.installing) {
        watch(registration.installing);
      }
    });
    if (registration.waiting && navigator.serviceWorker.controller) {
      offer(registration.waiting);
    } else if (registration.installing) {
      watch(registration.installing);
    } else if (registration.active) {
      html.setAttribute("data-sw", "ready");
    }
    // Look for a new build whenever the assessor comes back to this tab.
    document.addEventListener("visibilitychange", () => {
      if (document.visibilityState === "visible") {
        registration.update().catch(() => {});
      }
    });
  }

  // The service worker's install step precaches the whole site, Pyodide included. The engine's
  // heavy files (engine/<content hash>/) are precached without a revision, so Workbox fetches
  // them with the HTTP cache's help: after the page's own engine load they cost nothing (or a
  // 304). Registered earlier, the install would download the same 5-6 MB next to the page.
  // So: on the checklist once the engine is ready or has failed (<html data-engine>, set by
  // app.js); on other pages once the page has loaded and the browser is idle. Whatever the
  // engine does, the fallback timer registers anyway: offline use never depends on it.
  const SETTLE_FALLBACK_MS = 60000;

  function whenSettled(callback) {
    let done = false;
    let observer = null;
    let timer = 0;
    const go = () => {
      if (done) {
        return;
      }
      done = true;
      clearTimeout(timer);
      if (observer) {
        observer.disconnect();
      }
      callback();
    };
    const hasEngine =
      html.hasAttribute("data-engine") || document.querySelector("script[data-engine-base]") !== null;
    if (hasEngine) {
      const settled = () => {
        const state = html.getAttribute("data-engine");
        return state !== null && state !== "loading";
      };
      if (settled()) {
        go();
        return;
      }
      observer = new MutationObserver(() => {
        if (settled()) {
          go();
        }
      });
      observer.observe(html, { attributes: true, attributeFilter: ["data-engine"] });
      timer = setTimeout(go, SETTLE_FALLBACK_MS);
      return;
    }
    const idle = () => {
      if (typeof window.requestIdleCallback === "function") {
        window.requestIdleCallback(go, { timeout: 2000 });
      } else {
        timer = setTimeout(go, 200);
      }
    };
    if (document.readyState === "complete") {
      idle();
    } else {
      window.addEventListener("load", idle, { once: true });
    }
  }

  whenSettled(register);
})();
