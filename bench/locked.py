"""The passphrase lock in the bench (docs/assets/kcm/store-crypto.js, lock.js): how long an
unlock takes, and what encryption adds to a save. Information rows, without a target."""

from __future__ import annotations

from bench.browser import (
    CHECKBOX,
    ENGINE_SETTLED,
    ENGINE_TIMEOUT_MS,
    SITE_URL,
    TICK_SAVED_LOOP,
    Session,
    _new_page,
)
from bench.server import BenchServer

#: The passphrase the bench locks the checklist with (lock.js, store-crypto.js).
BENCH_PASSPHRASE = "bench wachtwoord lang genoeg"


def tick_to_saved_locked(
    current: Session, server: BenchServer, *, count: int, pause_ms: int = 50
) -> tuple[float, list[float]]:
    """With the passphrase lock on: ms from "Ontgrendelen" until the checklist shows (PBKDF2 at
    600,000 rounds, every value decrypted), then ``count`` ticks until "Opgeslagen" (each save
    encrypted twice: the localStorage copy and the IndexedDB mirror)."""
    page = _new_page(current)
    page.goto(server.url(SITE_URL), wait_until="commit", timeout=60_000)
    page.wait_for_function(ENGINE_SETTLED, timeout=ENGINE_TIMEOUT_MS, polling=20)
    page.locator(CHECKBOX).first.click()
    page.wait_for_selector('[data-save-status][data-save-state="ok"]', timeout=30_000)
    security = page.locator("[data-privacy]")
    if security.get_attribute("open") is None:
        security.locator("summary").click()
    page.locator("[data-lock-passphrase]").fill(BENCH_PASSPHRASE)
    page.locator("[data-lock-repeat]").fill(BENCH_PASSPHRASE)
    page.locator("[data-lock-understood]").check()
    with page.expect_navigation(timeout=60_000):
        page.locator('[data-action="lock-enable"]').click()
    page.locator("[data-unlock-passphrase]").fill(BENCH_PASSPHRASE)
    unlock_ms: float = page.evaluate(
        """() => new Promise((resolve) => {
          const panel = document.querySelector("[data-unlock]");
          const start = performance.now();
          new MutationObserver((_records, observer) => {
            if (panel.hidden) { observer.disconnect(); resolve(performance.now() - start); }
          }).observe(panel, { attributes: true });
          document.querySelector("[data-unlock-submit]").click();
        })"""
    )
    page.wait_for_function(ENGINE_SETTLED, timeout=ENGINE_TIMEOUT_MS, polling=20)
    page.wait_for_selector('[data-save-status][data-save-state="ok"]', timeout=30_000)
    page.wait_for_timeout(500)
    samples: list[float] = page.evaluate(TICK_SAVED_LOOP, {"count": count, "pause": pause_ms})
    return unlock_ms, samples
