"""The checklist's privacy controls as static HTML: the unlock screen of the passphrase lock,
and "Beveiliging en opruimen" (turn the lock on or off, lock now, the reminder to delete
exported assessments).

The behaviour is ``docs/assets/kcm/lock.js``'s (with ``store-crypto.js`` and ``reminder.js``);
this module only renders the markup it wires, with the ``data-*`` attributes it finds the
elements by. The choices of the reminder are ``store-device.js``'s ``REMINDER_DAYS``; a test
keeps the two the same.
"""

from __future__ import annotations

from collections.abc import Iterator

__all__ = ["MIN_PASSPHRASE", "REMINDER_DAYS", "privacy_section", "unlock_panel"]

#: After how many days the assessor can be reminded to delete an exported assessment.
REMINDER_DAYS: tuple[int, ...] = (7, 14, 30, 60, 90)
#: The shortest passphrase the lock accepts (store-crypto.js ``MIN_PASSPHRASE``).
MIN_PASSPHRASE = 10


def unlock_panel() -> Iterator[str]:
    """The unlock screen, hidden until lock.js finds a lock; then the rest of the app is hidden."""
    yield (
        '<section class="kcm-unlock" data-unlock hidden aria-labelledby="kcm-unlock-title">'
        '<h2 id="kcm-unlock-title">Checklist vergrendeld</h2>'
        "<p>De beoordelingen op dit apparaat zijn beveiligd met een wachtwoord. Typ het"
        " wachtwoord om verder te gaan.</p>"
        '<form class="kcm-unlock__form" data-unlock-form novalidate>'
        '<label for="kcm-unlock-passphrase">Wachtwoord</label>'
        '<input type="password" id="kcm-unlock-passphrase" class="kcm-input"'
        ' autocomplete="current-password" data-unlock-passphrase>'
        '<button type="submit" class="kcm-button kcm-button--primary" data-unlock-submit>'
        "Ontgrendelen</button>"
        "</form>"
        '<p class="kcm-inline-message" role="status" data-unlock-message></p>'
        '<button type="button" class="kcm-link-button" data-action="forgot-passphrase">'
        "Wachtwoord vergeten?</button>"
        "</section>"
    )


def privacy_section() -> Iterator[str]:
    """ "Beveiliging en opruimen", folded: a rare task, below the rest of "Gegevens beheren"."""
    yield '<details class="kcm-security" data-privacy>'
    yield "<summary>Beveiliging en opruimen</summary>"
    yield '<p class="kcm-lock-status" data-lock-status></p>'
    yield from _lock_setup()
    yield from _lock_active()
    yield '<p class="kcm-inline-message" role="status" data-lock-message></p>'
    yield from _reminder()
    yield "</details>"


def _lock_setup() -> Iterator[str]:
    yield '<div class="kcm-lock-setup" data-lock-setup>'
    yield (
        "<p>Gebruik je dit apparaat samen met anderen? Beveilig de checklist dan met een"
        " wachtwoord. De beoordelingen worden dan versleuteld opgeslagen. Alleen wie het"
        " wachtwoord weet, kan ze openen.</p>"
    )
    yield (
        '<p class="kcm-warning-text"><strong>Let op:</strong> het wachtwoord wordt nergens'
        " bewaard. Vergeet je het, dan kan niemand de gegevens nog openen, ook de beheerders"
        " van deze site niet. Exporteer daarom eerst wat je wilt bewaren.</p>"
    )
    yield (
        '<label for="kcm-lock-passphrase">Nieuw wachtwoord'
        f' <span class="kcm-hint">(minstens {MIN_PASSPHRASE} tekens)</span></label>'
        '<input type="password" id="kcm-lock-passphrase" class="kcm-input"'
        f' autocomplete="new-password" minlength="{MIN_PASSPHRASE}" data-lock-passphrase>'
    )
    yield (
        '<label for="kcm-lock-repeat">Herhaal het wachtwoord</label>'
        '<input type="password" id="kcm-lock-repeat" class="kcm-input"'
        ' autocomplete="new-password" data-lock-repeat>'
    )
    yield (
        '<p class="kcm-check"><input type="checkbox" id="kcm-lock-understood"'
        ' data-lock-understood> <label for="kcm-lock-understood">Ik begrijp dat de gegevens'
        " niet meer te openen zijn als ik het wachtwoord vergeet.</label></p>"
    )
    yield (
        '<button type="button" class="kcm-button kcm-button--primary" data-action="lock-enable">'
        "Beveiligen met wachtwoord</button>"
    )
    yield "</div>"


def _lock_active() -> Iterator[str]:
    yield '<div class="kcm-toolbar" data-lock-active hidden>'
    yield (
        '<button type="button" class="kcm-button" data-action="lock-now">Nu vergrendelen</button>'
    )
    yield (
        '<button type="button" class="kcm-button" data-action="lock-disable">'
        "Wachtwoord uitzetten</button>"
    )
    yield "</div>"


def _reminder() -> Iterator[str]:
    yield '<div class="kcm-reminder-setting">'
    yield (
        '<label for="kcm-reminder-days">Herinner me eraan geëxporteerde beoordelingen van dit'
        " apparaat te verwijderen</label>"
    )
    yield '<select id="kcm-reminder-days" class="kcm-input" data-reminder-days>'
    yield '<option value="">Nooit</option>'
    for days in REMINDER_DAYS:
        yield f'<option value="{days}">{days} dagen na het exporteren</option>'
    yield "</select>"
    yield '<p class="kcm-inline-message" role="status" data-reminder-message></p>'
    yield "</div>"
