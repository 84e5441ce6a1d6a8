"""History entries: a copy made on import ("keep both") names the id it was copied from
(``{"at", "action": "copied", "from"}``), and any entry may say who did it (``"by"``). The
loader, the model and the JSON Schema agree on both, and they survive a round trip."""

from __future__ import annotations

import json
from typing import Any

import pytest
from _factories import LATER, NOW, assessment_data, kcm_rubric

from kcm_core.assessment import (
    HistoryEntry,
    assessment_schema,
    load_assessment,
    load_assessment_data,
)
from kcm_core.errors import KcmError


def copied(entry: dict[str, Any] | None = None) -> dict[str, Any]:
    data = assessment_data()
    data["id"] = "kopie-1"
    data["history"] = [
        {"at": NOW, "action": "finalized"},
        entry if entry is not None else {"at": LATER, "action": "copied", "from": "origineel-1"},
    ]
    return data


def test_a_copied_entry_is_read_and_written_back_with_its_source() -> None:
    loaded = load_assessment_data(copied(), kcm_rubric())
    assert loaded.history[-1] == HistoryEntry(LATER, "copied", "origineel-1")
    assert loaded.history[0].from_id is None
    written = loaded.to_json_data()
    assert written["history"] == [
        {"at": NOW, "action": "finalized"},
        {"at": LATER, "action": "copied", "from": "origineel-1"},
    ]
    again = load_assessment(json.dumps(written), kcm_rubric())
    assert again == loaded


def test_entries_without_a_source_write_no_from_key() -> None:
    assert HistoryEntry(NOW, "reopened").to_json_data() == {"at": NOW, "action": "reopened"}


def test_who_did_it_is_read_and_written_back() -> None:
    entry = {"at": LATER, "action": "reopened", "by": "A. Jansen en B. Bakker"}
    loaded = load_assessment_data(copied(entry), kcm_rubric())
    assert loaded.history[-1] == HistoryEntry(LATER, "reopened", None, "A. Jansen en B. Bakker")
    assert loaded.to_json_data()["history"][-1] == entry


BROKEN: dict[str, tuple[dict[str, Any], tuple[str | int, ...], str]] = {
    "copied-without-from": (
        {"at": LATER, "action": "copied"},
        ("history", 1),
        "'from' ontbreekt",
    ),
    "from-on-another-action": (
        {"at": LATER, "action": "reopened", "from": "origineel-1"},
        ("history", 1, "from"),
        "alleen een regel met 'copied'",
    ),
    "from-not-an-id": (
        {"at": LATER, "action": "copied", "from": "<script>"},
        ("history", 1, "from"),
        "ongeldig id",
    ),
    "from-not-text": (
        {"at": LATER, "action": "copied", "from": 7},
        ("history", 1, "from"),
        "verwacht tekst",
    ),
    "unknown-action": (
        {"at": LATER, "action": "merged"},
        ("history", 1, "action"),
        "'copied' bij een kopie",
    ),
    "by-empty": (
        {"at": LATER, "action": "reopened", "by": "  "},
        ("history", 1, "by"),
        "de naam is leeg",
    ),
    "by-not-text": (
        {"at": LATER, "action": "signed", "by": 7},
        ("history", 1, "by"),
        "verwacht tekst",
    ),
}


@pytest.mark.parametrize(("entry", "parts", "message"), BROKEN.values(), ids=BROKEN.keys())
def test_a_wrong_copied_entry_is_refused_with_its_place(
    entry: dict[str, Any], parts: tuple[str | int, ...], message: str
) -> None:
    with pytest.raises(KcmError) as caught:
        load_assessment_data(copied(entry), kcm_rubric())
    found = [p for p in caught.value.problems if p.parts == parts]
    assert found, [(p.parts, p.message) for p in caught.value.problems]
    assert message in found[0].message


# --- the JSON Schema says the same (skipped without jsonschema, as in Pyodide) --------------


@pytest.fixture(scope="module")
def validator() -> Any:
    jsonschema = pytest.importorskip("jsonschema")
    return jsonschema.Draft202012Validator(assessment_schema())


def test_the_schema_accepts_a_copied_entry(validator: Any) -> None:
    validator.validate(copied())


@pytest.mark.parametrize("name", list(BROKEN))
def test_the_schema_refuses_what_the_loader_refuses(validator: Any, name: str) -> None:
    assert not validator.is_valid(copied(BROKEN[name][0]))
