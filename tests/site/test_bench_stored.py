"""The 1,000 stored assessments of the benchmark are what the checklist itself would store.

If they were not (wrong envelope, an assessment kcm_core rejects), the "list shown" figure
would time the checklist's error path instead of its list.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bench.stored import INDEX_KEY, RECORD_PREFIX, assessment_id, stored_assessments
from kcm_core.assessment import load_assessment
from kcm_core.canonical import rubric_sha256
from kcm_core.model import Rubric
from kcm_core.rubric_load import load_rubric_file

KCM_RUBRIC = Path(__file__).resolve().parents[2] / "rubric" / "klantcontact.json"


@pytest.fixture(scope="module")
def rubric() -> Rubric:
    return load_rubric_file(KCM_RUBRIC)


def test_index_lists_every_record_once(rubric: Rubric) -> None:
    items = stored_assessments(rubric, 50)
    index = json.loads(items[INDEX_KEY])
    assert index["schema"] == 1
    records = {key.removeprefix(RECORD_PREFIX) for key in items if key != INDEX_KEY}
    assert len(index["ids"]) == len(set(index["ids"])) == 50
    assert set(index["ids"]) == records


def test_every_record_is_a_store_envelope_holding_a_valid_assessment(rubric: Rubric) -> None:
    sha = rubric_sha256(rubric)
    statuses = set()
    for key, text in stored_assessments(rubric, 60).items():
        if key == INDEX_KEY:
            continue
        envelope = json.loads(text)
        # store.js parseEnvelope: schema 1, rev >= 1, saved_at a string, data.id == the key's id
        assert envelope["schema"] == 1
        assert isinstance(envelope["rev"], int)
        assert envelope["rev"] >= 1
        assert isinstance(envelope["saved_at"], str)
        assert envelope["data"]["id"] == key.removeprefix(RECORD_PREFIX)
        assessment = load_assessment(json.dumps(envelope["data"]), rubric, sha256=sha)
        statuses.add(assessment.status)
    assert statuses == {"draft", "final"}, "the list holds drafts and final assessments"


def test_same_seed_same_records(rubric: Rubric) -> None:
    assert stored_assessments(rubric, 5) == stored_assessments(rubric, 5)
    assert stored_assessments(rubric, 5, seed=1) != stored_assessments(rubric, 5, seed=2)


@pytest.mark.parametrize("number", [0, 1, 999, 123_456])
def test_ids_are_uuid_shaped_and_distinct(number: int) -> None:
    text = assessment_id(number)
    parts = text.split("-")
    assert [len(p) for p in parts] == [8, 4, 4, 4, 12]
    assert parts[2][0] == "4"
    assert parts[3][0] == "8"
    assert text != assessment_id(number + 1)


def test_a_thousand_fit_in_localstorage(rubric: Rubric) -> None:
    # Chromium allows about 5 million characters per origin; leave room for the checklist.
    items = stored_assessments(rubric, 1000)
    assert sum(len(k) + len(v) for k, v in items.items()) < 2_500_000
