"""The optional keys of format 1 that the live call writes: who assessed (``assessors``) and
notes made during the call (``events``: phase marks and holds, evidence beside a criterion).

The loader, the model and the JSON Schema agree on them; a file without them stays valid and
is written back without them; scoring never reads them.
"""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest
from _factories import LATER, NOW, assessment_data, kcm_rubric

from kcm_core.assessment import (
    MAX_ASSESSORS,
    MAX_EVENTS,
    MAX_FIELD_CHARS,
    MAX_HOLD_SECONDS,
    Assessor,
    CallEvent,
    assessment_schema,
    load_assessment,
    load_assessment_data,
)
from kcm_core.errors import KcmError
from kcm_core.scoring import score

HOLD = {"at": NOW, "kind": "hold", "criterion": "2.4.2.c", "seconds": 42}
PHASE = {"at": LATER, "kind": "phase", "criterion": "2.4.1.a"}


def with_notes(**keys: Any) -> dict[str, Any]:
    data = assessment_data()
    data.update(copy.deepcopy(keys))
    return data


def test_assessors_and_events_are_read_and_written_back() -> None:
    data = with_notes(assessors=[{"name": "A. Jansen"}], events=[HOLD, PHASE])
    loaded = load_assessment_data(data, kcm_rubric())
    assert loaded.assessors == (Assessor("A. Jansen"),)
    assert loaded.events == (
        CallEvent(NOW, "hold", "2.4.2.c", 42),
        CallEvent(LATER, "phase", "2.4.1.a"),
    )
    written = loaded.to_json_data()
    assert written["assessors"] == [{"name": "A. Jansen"}]
    assert written["events"] == [HOLD, PHASE]
    assert load_assessment(json.dumps(written), kcm_rubric()) == loaded


@pytest.mark.parametrize(
    "keys",
    [{}, {"assessors": [], "events": []}],
    ids=["absent", "empty-lists"],
)
def test_a_record_without_notes_is_written_without_the_keys(keys: dict[str, Any]) -> None:
    written = load_assessment_data(with_notes(**keys), kcm_rubric()).to_json_data()
    assert "assessors" not in written
    assert "events" not in written


def test_the_new_keys_come_last_in_the_written_record() -> None:
    # The page writes its records in this order too (assessment.js): an export is byte for byte
    # what kcm_core writes after importing it.
    written = load_assessment_data(
        with_notes(events=[PHASE], assessors=[{"name": "B"}]), kcm_rubric()
    ).to_json_data()
    assert list(written)[-3:] == ["history", "assessors", "events"]


def test_hold_seconds_may_be_a_fraction_and_zero() -> None:
    events = [HOLD | {"seconds": 0}, HOLD | {"seconds": 12.5}, HOLD | {"seconds": MAX_HOLD_SECONDS}]
    loaded = load_assessment_data(with_notes(events=events), kcm_rubric())
    assert [e.seconds for e in loaded.events] == [0, 12.5, MAX_HOLD_SECONDS]


def test_scoring_ignores_assessors_and_events() -> None:
    rubric = kcm_rubric()
    plain = load_assessment_data(assessment_data(checked=[]), rubric)
    noted = load_assessment_data(
        assessment_data(checked=[])
        | {"assessors": [{"name": "A"}], "events": [HOLD | {"seconds": 300}]},
        rubric,
    )
    assert score(rubric, noted) == score(rubric, plain)


BROKEN: dict[str, tuple[dict[str, Any], tuple[str | int, ...], str]] = {
    "assessors-not-a-list": ({"assessors": {"name": "A"}}, ("assessors",), "verwacht een lijst"),
    "too-many-assessors": (
        {"assessors": [{"name": str(i)} for i in range(MAX_ASSESSORS + 1)]},
        ("assessors",),
        f"maximaal {MAX_ASSESSORS}",
    ),
    "assessor-without-name": ({"assessors": [{}]}, ("assessors", 0), "'name' ontbreekt"),
    "assessor-blank-name": ({"assessors": [{"name": "  "}]}, ("assessors", 0, "name"), "leeg"),
    "assessor-long-name": (
        {"assessors": [{"name": "x" * (MAX_FIELD_CHARS + 1)}]},
        ("assessors", 0, "name"),
        f"maximaal {MAX_FIELD_CHARS}",
    ),
    "assessor-name-a-number": (
        {"assessors": [{"name": 7}]},
        ("assessors", 0, "name"),
        "verwacht tekst",
    ),
    "assessor-unknown-key": (
        {"assessors": [{"name": "A", "rol": "x"}]},
        ("assessors", 0, "rol"),
        "onbekende sleutel",
    ),
    "events-not-a-list": ({"events": "hold"}, ("events",), "verwacht een lijst"),
    "too-many-events": (
        {"events": [PHASE] * (MAX_EVENTS + 1)},
        ("events",),
        f"maximaal {MAX_EVENTS}",
    ),
    "event-bad-moment": (
        {"events": [PHASE | {"at": "10:32"}]},
        ("events", 0, "at"),
        "ongeldige datum en tijd",
    ),
    "event-unknown-kind": (
        {"events": [PHASE | {"kind": "pause"}]},
        ("events", 0, "kind"),
        "verwacht 'phase' of 'hold'",
    ),
    "event-unknown-criterion": (
        {"events": [PHASE | {"criterion": "9.9.9.z"}]},
        ("events", 0, "criterion"),
        "onbekend criterium",
    ),
    "event-criterion-a-list": (
        {"events": [PHASE | {"criterion": ["2.4.1.a"]}]},
        ("events", 0, "criterion"),
        "onbekend criterium",
    ),
    "event-without-criterion": (
        {"events": [{"at": NOW, "kind": "phase"}]},
        ("events", 0),
        "'criterion' ontbreekt",
    ),
    "hold-without-seconds": (
        {"events": [{"at": NOW, "kind": "hold", "criterion": "2.4.2.c"}]},
        ("events", 0),
        "'seconds' ontbreekt",
    ),
    "hold-negative": (
        {"events": [HOLD | {"seconds": -1}]},
        ("events", 0, "seconds"),
        f"0 tot {MAX_HOLD_SECONDS}",
    ),
    "hold-too-long": (
        {"events": [HOLD | {"seconds": MAX_HOLD_SECONDS + 1}]},
        ("events", 0, "seconds"),
        f"0 tot {MAX_HOLD_SECONDS}",
    ),
    "hold-seconds-as-text": (
        {"events": [HOLD | {"seconds": "30"}]},
        ("events", 0, "seconds"),
        "verwacht een getal",
    ),
    "hold-seconds-a-boolean": (
        {"events": [HOLD | {"seconds": True}]},
        ("events", 0, "seconds"),
        "verwacht een getal",
    ),
    "phase-with-seconds": (
        {"events": [PHASE | {"seconds": 3}]},
        ("events", 0, "seconds"),
        "alleen een wachttijd",
    ),
    "event-unknown-key": (
        {"events": [PHASE | {"by": "A"}]},
        ("events", 0, "by"),
        "onbekende sleutel",
    ),
}


@pytest.mark.parametrize(("keys", "parts", "message"), BROKEN.values(), ids=BROKEN.keys())
def test_wrong_notes_are_refused_with_their_place(
    keys: dict[str, Any], parts: tuple[str | int, ...], message: str
) -> None:
    with pytest.raises(KcmError) as caught:
        load_assessment_data(with_notes(**keys), kcm_rubric())
    found = [(p.parts, p.message) for p in caught.value.problems]
    assert any(p == parts and message in m for p, m in found), found


def test_every_wrong_note_is_reported_at_once() -> None:
    data = with_notes(
        assessors=[{"name": ""}],
        events=[PHASE | {"kind": "pause"}, HOLD | {"seconds": -2}],
    )
    with pytest.raises(KcmError) as caught:
        load_assessment_data(data, kcm_rubric())
    paths = [p.path for p in caught.value.problems]
    assert paths == ["$.assessors[0].name", "$.events[0].kind", "$.events[1].seconds"]


# --- the JSON Schema says the same (skipped without jsonschema) -------------------------------


@pytest.fixture(scope="module")
def validator() -> Any:
    jsonschema = pytest.importorskip("jsonschema")
    return jsonschema.Draft202012Validator(assessment_schema())


def test_the_schema_states_the_loader_limits_of_the_notes() -> None:
    props = assessment_schema()["$defs"]["assessment"]["properties"]
    assert props["assessors"]["maxItems"] == MAX_ASSESSORS
    assert props["assessors"]["items"]["properties"]["name"]["maxLength"] == MAX_FIELD_CHARS
    assert props["events"]["maxItems"] == MAX_EVENTS
    assert props["events"]["items"]["properties"]["seconds"]["maximum"] == MAX_HOLD_SECONDS


def test_a_record_with_notes_passes_the_schema(validator: Any) -> None:
    validator.validate(with_notes(assessors=[{"name": "A. Jansen"}], events=[HOLD, PHASE]))


@pytest.mark.parametrize(
    "name",
    [n for n in BROKEN if n not in {"event-unknown-criterion", "too-many-events"}],
)
def test_wrong_notes_fail_the_schema(validator: Any, name: str) -> None:
    # Which criteria exist depends on the rubric: only kcm_core checks that.
    assert not validator.is_valid(with_notes(**BROKEN[name][0]))
