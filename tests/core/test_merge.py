"""Two assessors, one joint record (design §4 ``sources`` and ``decision``): ``kcm_core.merge``,
the code behind ``kcm merge`` and the checklist's "Vergelijk met collega"."""

from __future__ import annotations

import copy
import dataclasses
import json
from collections.abc import Iterator
from typing import Any

import pytest
from _factories import LATER, NOW, dumps, kcm_rubric, kcm_rubric_text, sealed_data

from kcm_core import browser_api
from kcm_core.assessment import Assessment, load_assessment_data
from kcm_core.errors import KcmError
from kcm_core.merge import MergeRefused, merge, new_record_id
from kcm_core.seal import seal_record, verify

KCM_ALL = kcm_rubric().criterion_ids()


def loaded(data: dict[str, Any]) -> Assessment:
    return load_assessment_data(data, kcm_rubric())


def pair(checked_b: list[str] | None = None, **b_keys: Any) -> tuple[Assessment, Assessment]:
    a = sealed_data()
    b = sealed_data(assessor="B. Bakker", assessment_id="b1", checked=checked_b, **b_keys)
    return loaded(a), loaded(b)


def merged(a: Assessment, b: Assessment) -> tuple[Assessment, Any]:
    return merge(a, b, kcm_rubric(), new_id=lambda: "joint-1", now=lambda: NOW)


@pytest.mark.parametrize(
    ("checked_b", "different"),
    [
        pytest.param(None, [], id="none-different"),
        pytest.param([c for c in KCM_ALL if c != "2.2.1.e"], ["2.2.1.e"], id="one-different"),
        pytest.param([], list(KCM_ALL), id="all-different"),
    ],
)
def test_what_both_answered_alike_is_filled_in_and_every_difference_is_open(
    checked_b: list[str] | None, different: list[str]
) -> None:
    joint, differences = merged(*pair(checked_b))
    assert [d.id for d in differences] == different
    assert all(d.kind == "criterion" for d in differences)
    for criterion_id in KCM_ALL:
        mark = joint.mark(criterion_id)
        if criterion_id in different:
            assert not mark.checked
            assert mark.decision is not None
            assert (mark.decision.a.checked, mark.decision.b.checked, mark.decision.reason) == (
                True,
                False,
                "",
            )
        else:
            assert mark.checked
            assert mark.decision is None


def test_the_joint_record_is_a_new_draft_of_both() -> None:
    a, b = pair()
    joint, _ = merged(a, b)
    data = joint.to_json_data()
    assert (data["id"], data["status"], data["created"], data["finalized"]) == (
        "joint-1",
        "draft",
        NOW,
        None,
    )
    assert data["assessors"] == [{"name": "A. Jansen"}, {"name": "B. Bakker"}]
    assert data["sources"] == [
        {"id": "a1", "seal": a.seal, "assessor": "A. Jansen"},
        {"id": "b1", "seal": b.seal, "assessor": "B. Bakker"},
    ]
    assert not {"result", "seal", "signatures", "events"} & set(data)
    assert data["history"] == []
    # What merge writes, the loader reads back unchanged.
    assert loaded(json.loads(dumps(data))) == joint


def test_the_difference_line_names_both_answers() -> None:
    _, differences = merged(*pair([c for c in KCM_ALL if c != "2.2.1.e"]))
    assert [d.to_json_data() for d in differences] == [
        {
            "kind": "criterion",
            "id": "2.2.1.e",
            "a": {"checked": True},
            "b": {"checked": False},
            "text": "A. Jansen: gecheckt; B. Bakker: niet gecheckt",
        }
    ]


def test_finalising_a_joint_record_needs_every_reason() -> None:
    joint, _ = merged(*pair([c for c in KCM_ALL if c != "2.2.1.e"]))
    data = joint.to_json_data() | {"status": "final", "finalized": LATER}
    data["criteria"]["2.2.1.e"]["checked"] = True
    with pytest.raises(KcmError) as caught:
        loaded(data)
    assert [p.path for p in caught.value.problems] == ["$.criteria['2.2.1.e'].decision.reason"]
    data["criteria"]["2.2.1.e"]["decision"]["reason"] = "Samen teruggeluisterd: wel gedaan."
    sealed = seal_record(loaded(data), kcm_rubric())
    assert verify(sealed, kcm_rubric()) == []
    assert sealed["result"]["verdict"] == "pass"


def test_remarks_and_fields_are_combined_where_they_can_be() -> None:
    a_data = sealed_data(na={"2.4.2.b": "niet in de wacht gezet"})
    a_data["remarks"] = {"": "rustig gesprek"}
    a_data = seal_record(loaded(a_data), kcm_rubric())
    b_data = copy.deepcopy(
        sealed_data(assessor="B. Bakker", assessment_id="b1", na={"2.4.2.b": "geen wachttijd"})
    )
    b_data["fields"]["bedrijf"] = "Belcentrum Zuid"
    b_data["fields"]["naam_kandidaat"] = "  sanne DE vries"
    b_data["remarks"] = {"2": "let op de afsluiting"}
    b_data = seal_record(loaded(b_data), kcm_rubric())
    joint, differences = merged(loaded(a_data), loaded(b_data))
    assert joint.mark("2.4.2.b").remark == (
        "A. Jansen: niet in de wacht gezet\nB. Bakker: geen wachttijd"
    )
    assert joint.mark("2.4.2.b").na
    assert dict(joint.remarks) == {"": "rustig gesprek", "2": "let op de afsluiting"}
    # The candidate is the same person; A's spelling of the name is kept.
    assert joint.fields["naam_kandidaat"] == "Sanne de Vries"
    assert joint.fields["bedrijf"] == "Belcentrum Noord"
    assert [(d.kind, d.id, d.a, d.b) for d in differences] == [
        ("field", "bedrijf", "Belcentrum Noord", "Belcentrum Zuid")
    ]


def test_different_call_types_take_both() -> None:
    a, b = pair(conditions={"gesprekstype": ["outbound"]})
    joint, differences = merged(a, b)
    assert joint.selected("gesprekstype") == ("inbound", "outbound")
    assert [(d.kind, d.a, d.b) for d in differences] == [("condition", ["inbound"], ["outbound"])]


REFUSALS: dict[str, tuple[dict[str, Any], list[tuple[str, str, str]]]] = {
    "other-candidate": (
        {"fields": {"naam_kandidaat": "Piet Jansen"}},
        [("b", "$.fields.naam_kandidaat", "een andere kandidaat")],
    ),
    "other-birth-date": (
        {"fields": {"geboortedatum_kandidaat": "2001-05-05"}},
        [("b", "$.fields.geboortedatum_kandidaat", "een andere kandidaat")],
    ),
    "same-assessor": (
        {"assessors": [{"name": "a.  JANSEN"}]},
        [("b", "$.assessors[0].name", "dezelfde beoordelaar")],
    ),
    "same-record": ({"id": "a1"}, [("b", "$.id", "dezelfde beoordeling")]),
    "not-final": ({"status": "draft"}, [("b", "$.status", "niet afgerond")]),
    "not-sealed": ({"seal": None}, [("b", "$", "niet verzegeld")]),
    "changed-after-sealing": ({"updated": NOW}, [("b", "$.seal.sha256", "het zegel klopt niet")]),
    "a-practice-record": ({"practice": True}, [("b", "$.practice", "oefening")]),
}


def _b_with(changes: dict[str, Any]) -> Assessment:
    data = sealed_data(assessor="B. Bakker", assessment_id="b1")
    resealed = False
    for key, value in changes.items():
        if key in ("fields",):
            data["fields"].update(value)
            resealed = True
        elif key == "assessors":
            data["assessors"] = value
            resealed = True
        elif key == "status":
            data = {k: v for k, v in data.items() if k not in ("seal", "result")}
            data.update(status="draft", finalized=None)
        elif value is None:
            del data[key]
        else:
            data[key] = value
            resealed = key in ("id", "practice")
    if resealed:
        data = seal_record(loaded(data), kcm_rubric())
    return loaded(data)


@pytest.mark.parametrize(("changes", "expected"), REFUSALS.values(), ids=REFUSALS.keys())
def test_two_records_that_do_not_belong_together_are_refused(
    changes: dict[str, Any], expected: list[tuple[str, str, str]]
) -> None:
    a = loaded(sealed_data())
    with pytest.raises(MergeRefused) as caught:
        merged(a, _b_with(changes))
    found = [(p.side, p.problem.path, p.problem.message) for p in caught.value.problems]
    assert len(found) == len(expected), found
    for (side, path, message), (e_side, e_path, fragment) in zip(found, expected, strict=True):
        assert (side, path) == (e_side, e_path)
        assert fragment in message


def test_a_record_of_other_rubric_content_is_refused() -> None:
    a, b = pair()
    other = dataclasses.replace(b, rubric=dataclasses.replace(b.rubric, sha256="0" * 64))
    with pytest.raises(MergeRefused) as caught:
        merged(a, other)
    first = caught.value.problems[0]
    assert (first.side, first.problem.path) == ("b", "$.rubric.sha256")


def test_new_ids_are_random_uuids() -> None:
    first, second = new_record_id(), new_record_id()
    assert first != second
    assert len(first) == 36
    assert first[14] == "4"


# --- through the worker's API --------------------------------------------------------------------


@pytest.fixture
def ready() -> Iterator[None]:
    assert json.loads(browser_api.init(kcm_rubric_text()))["ok"]
    yield
    browser_api.reset()


def test_the_worker_merges_two_records(ready: None) -> None:
    a = sealed_data()
    b = sealed_data(assessor="B. Bakker", assessment_id="b1", checked=KCM_ALL[1:])
    answer = json.loads(browser_api.merge(dumps(a), dumps(b)))
    assert answer["ok"] is True
    assert answer["assessment"]["status"] == "draft"
    assert [(d["id"], d["a"], d["b"]) for d in answer["differences"]] == [
        (KCM_ALL[0], {"checked": True}, {"checked": False})
    ]


def test_the_worker_says_which_record_a_refusal_is_about(ready: None) -> None:
    a = sealed_data()
    b = {k: v for k, v in sealed_data(assessment_id="b1").items() if k != "seal"}
    answer = json.loads(browser_api.merge(dumps(a), "{" + dumps(b)))
    assert answer["ok"] is False
    assert {p["source"] for p in answer["problems"]} == {"b"}
    answer = json.loads(browser_api.merge(dumps(a), dumps(b)))
    assert [(p["source"], p["path"]) for p in answer["problems"]] == [("b", "$")]
