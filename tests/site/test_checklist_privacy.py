"""The markup of the passphrase lock and the reminder (build_tools.checklist_privacy): the same
choices and limits as the scripts that wire it, hidden until a lock is found, and every script
loaded before the composition root that uses it."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from build_tools.checklist_privacy import (
    MIN_PASSPHRASE,
    REMINDER_DAYS,
    privacy_section,
    unlock_panel,
)
from build_tools.checklist_tags import BODY_SCRIPTS, STYLES

ASSETS = Path(__file__).resolve().parents[2] / "docs" / "assets" / "kcm"


def js_constant(file: str, name: str) -> str:
    match = re.search(rf"const {name} = ([^;]+);", (ASSETS / file).read_text(encoding="utf-8"))
    assert match, f"{name} not found in {file}"
    return match.group(1)


def test_the_reminder_offers_the_days_the_device_store_accepts() -> None:
    assert js_constant("store-device.js", "REMINDER_DAYS") == repr(list(REMINDER_DAYS))
    html = "".join(privacy_section())
    values = re.findall(r'<option value="(\d*)">', html)
    assert values == ["", *map(str, REMINDER_DAYS)]


def test_the_passphrase_minimum_is_the_one_the_lock_checks() -> None:
    assert js_constant("store-crypto.js", "MIN_PASSPHRASE") == str(MIN_PASSPHRASE)
    assert f'minlength="{MIN_PASSPHRASE}"' in "".join(privacy_section())


def test_the_unlock_screen_is_hidden_until_a_lock_is_found() -> None:
    html = "".join(unlock_panel())
    assert re.match(r"<section [^>]*\bdata-unlock hidden\b", html)
    assert 'type="password"' in html
    assert 'autocomplete="current-password"' in html
    assert 'data-action="forgot-passphrase"' in html


def test_the_lock_setup_warns_before_it_is_turned_on() -> None:
    html = "".join(privacy_section())
    assert "Vergeet je het, dan kan niemand de gegevens nog openen" in html
    assert "data-lock-understood" in html
    assert html.index("Let op:") < html.index('data-action="lock-enable"')


@pytest.mark.parametrize(
    ("script", "needs"),
    [
        ("store-crypto.js", "store-codec.js"),
        ("store-keeper.js", "store-durable.js"),
        ("store-device.js", "store-codec.js"),
        ("lock.js", "store-crypto.js"),
        ("app.js", "lock.js"),
        ("app.js", "reminder.js"),
    ],
)
def test_each_script_loads_after_what_it_needs(script: str, needs: str) -> None:
    names = [path.rsplit("/", 1)[-1] for path in BODY_SCRIPTS]
    assert names.index(needs) < names.index(script)


def test_the_lock_styles_are_loaded() -> None:
    assert "assets/kcm/privacy.css" in STYLES
