"""The exam-record keys of format 1 (design §4): ``result``, ``seal``, ``signatures``,
``sources``, a criterion's ``decision`` and ``practice``.

The loader, the model and the JSON Schema agree on them; a record without them is written back
without them; ``result``, ``seal`` and ``signatures`` belong to a final record only, and a
``decision`` to a joint record (one with ``sources``).
"""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest
from _factories import LATER, NOW, assessment_data, kcm_rubric

from kcm_core.assessment import assessment_schema, load_assessment, load_assessment_data
from kcm_core.assessment_exam import (
    MAX_SVG_PATH_CHARS,
    Answer,
    Decision,
    RecordedResult,
    Signature,
    Source,
)
from kcm_core.errors import KcmError

SHA_A = "a" * 64
SHA_B = "b" * 64
OUTCOMES = {"1": "pass", "2": "pass", "3": "pass"}
RESULT: dict[str, Any] = {"verdict": "pass", "outcomes": OUTCOMES}
SIGNATURE = {"name": "A. Jansen", "at": LATER, "svg_path": "M10 10 L20.5,20 c1 -2e1 3 4 Z"}
SOURCES = [
    {"id": "a1", "seal": SHA_A, "assessor": "A. Jansen"},
    {"id": "b1", "seal": SHA_B, "assessor": "B. Bakker"},
]
DECISION = {"a": {"checked": True}, "b": {"checked": False, "remark": "te snel"}, "reason": ""}


def final(**keys: Any) -> dict[str, Any]:
    data = assessment_data(status="final")
    data.update(copy.deepcopy(keys))
    return data


def draft(**keys: Any) -> dict[str, Any]:
    data = assessment_data()
    data.update(copy.deepcopy(keys))
    return data


def joint(status: str = "draft", reason: str = "") -> dict[str, Any]:
    data = assessment_data(status=status)
    data["sources"] = copy.deepcopy(SOURCES)
    data["assessors"] = [{"name": "A. Jansen"}, {"name": "B. Bakker"}]
    data["criteria"]["2.2.1.e"] = {"checked": True, "decision": DECISION | {"reason": reason}}
    return data


def test_the_exam_keys_are_read_and_written_back() -> None:
    data = final(
        signatures={"kandidaat": {"name": "S. de Vries", "at": LATER}, "beoordelaar": SIGNATURE},
        result=RESULT,
        seal={"sha256": SHA_A},
    )
    loaded = load_assessment_data(data, kcm_rubric())
    assert loaded.result == RecordedResult("pass", {"1": "pass", "2": "pass", "3": "pass"})
    assert loaded.seal == SHA_A
    assert dict(loaded.signatures) == {
        "beoordelaar": Signature("A. Jansen", LATER, SIGNATURE["svg_path"]),
        "kandidaat": Signature("S. de Vries", LATER),
    }
    written = loaded.to_json_data()
    # Signatures in a fixed order (the roles' order), whatever order the file had.
    assert list(written["signatures"]) == ["beoordelaar", "kandidaat"]
    assert load_assessment(json.dumps(written), kcm_rubric()) == loaded


def test_a_joint_record_keeps_its_sources_and_decisions() -> None:
    loaded = load_assessment_data(joint(), kcm_rubric())
    assert loaded.sources == (Source("a1", SHA_A, "A. Jansen"), Source("b1", SHA_B, "B. Bakker"))
    assert loaded.joint
    assert loaded.mark("2.2.1.e").decision == Decision(
        Answer(checked=True), Answer(remark="te snel"), ""
    )
    written = loaded.to_json_data()
    assert written["criteria"]["2.2.1.e"] == {"checked": True, "decision": DECISION}
    assert load_assessment_data(written, kcm_rubric()) == loaded


def test_an_open_decision_is_kept_although_nothing_is_ticked() -> None:
    data = joint()
    data["criteria"]["2.2.1.e"] = {"checked": False, "decision": DECISION}
    written = load_assessment_data(data, kcm_rubric()).to_json_data()
    assert written["criteria"]["2.2.1.e"] == {"checked": False, "decision": DECISION}


def test_a_practice_record_says_so() -> None:
    loaded = load_assessment_data(draft(practice=True), kcm_rubric())
    assert loaded.practice
    assert loaded.to_json_data()["practice"] is True


def test_the_exam_keys_come_last_with_the_seal_at_the_end() -> None:
    data = joint(status="final", reason="samen besproken")
    data.update(result=RESULT, seal={"sha256": SHA_A}, signatures={"beoordelaar": SIGNATURE})
    data["events"] = [{"at": NOW, "kind": "phase", "criterion": "2.4.1.a"}]
    written = load_assessment_data(data, kcm_rubric()).to_json_data()
    assert list(written)[-7:] == [
        "history",
        "assessors",
        "events",
        "sources",
        "signatures",
        "result",
        "seal",
    ]


def test_a_record_without_exam_keys_is_written_without_them() -> None:
    written = load_assessment_data(assessment_data(status="final"), kcm_rubric()).to_json_data()
    assert not {"practice", "sources", "signatures", "result", "seal"} & set(written)


Parts = tuple[str | int, ...]

BROKEN: dict[str, tuple[dict[str, Any], Parts, str]] = {
    "draft-with-seal": (draft(seal={"sha256": SHA_A}), ("seal",), "een concept heeft geen zegel"),
    "draft-with-result": (draft(result=RESULT), ("result",), "nog geen uitslag"),
    "draft-with-signatures": (
        draft(signatures={"kandidaat": SIGNATURE}),
        ("signatures",),
        "geen handtekeningen",
    ),
    "seal-not-hex": (final(seal={"sha256": "ABC"}), ("seal", "sha256"), "64 tekens"),
    "seal-without-sha256": (final(seal={}), ("seal",), "'sha256' ontbreekt"),
    "seal-as-text": (final(seal=SHA_A), ("seal",), "verwacht een object"),
    "result-bad-verdict": (
        final(result=RESULT | {"verdict": "geslaagd"}),
        ("result", "verdict"),
        "verwacht 'pass' of 'fail'",
    ),
    "result-unknown-eindterm": (
        final(result={"verdict": "pass", "outcomes": OUTCOMES | {"9": "pass"}}),
        ("result", "outcomes", "9"),
        "onbekende sleutel",
    ),
    "result-missing-eindterm": (
        final(result={"verdict": "pass", "outcomes": {"1": "pass", "2": "pass"}}),
        ("result", "outcomes"),
        "'3' ontbreekt",
    ),
    "result-without-outcomes": (
        final(result={"verdict": "pass"}),
        ("result",),
        "'outcomes' ontbreekt",
    ),
    "signature-unknown-role": (
        final(signatures={"examinator": SIGNATURE}),
        ("signatures", "examinator"),
        "onbekende sleutel",
    ),
    "signature-blank-name": (
        final(signatures={"kandidaat": SIGNATURE | {"name": " "}}),
        ("signatures", "kandidaat", "name"),
        "leeg",
    ),
    "signature-bad-moment": (
        final(signatures={"kandidaat": SIGNATURE | {"at": "gisteren"}}),
        ("signatures", "kandidaat", "at"),
        "ongeldige datum en tijd",
    ),
    "signature-without-moment": (
        final(signatures={"kandidaat": {"name": "S"}}),
        ("signatures", "kandidaat"),
        "'at' ontbreekt",
    ),
    "svg-path-with-markup": (
        final(signatures={"kandidaat": SIGNATURE | {"svg_path": 'M0 0"/><script>'}}),
        ("signatures", "kandidaat", "svg_path"),
        "SVG-pad",
    ),
    "svg-path-with-newline": (
        final(signatures={"kandidaat": SIGNATURE | {"svg_path": "M0 0\nL1 1"}}),
        ("signatures", "kandidaat", "svg_path"),
        "SVG-pad",
    ),
    "svg-path-not-starting-with-move": (
        final(signatures={"kandidaat": SIGNATURE | {"svg_path": "L0 0"}}),
        ("signatures", "kandidaat", "svg_path"),
        "beginnend met M",
    ),
    "svg-path-empty": (
        final(signatures={"kandidaat": SIGNATURE | {"svg_path": ""}}),
        ("signatures", "kandidaat", "svg_path"),
        "SVG-pad",
    ),
    "svg-path-too-long": (
        final(signatures={"kandidaat": SIGNATURE | {"svg_path": "M" + "1" * MAX_SVG_PATH_CHARS}}),
        ("signatures", "kandidaat", "svg_path"),
        f"maximaal {MAX_SVG_PATH_CHARS}",
    ),
    "one-source": (draft(sources=SOURCES[:1]), ("sources",), "precies 2"),
    "three-sources": (draft(sources=[*SOURCES, SOURCES[0]]), ("sources",), "precies 2"),
    "sources-with-the-same-id": (
        draft(sources=[SOURCES[0], SOURCES[1] | {"id": "a1"}]),
        ("sources", 1, "id"),
        "beide beoordelingen",
    ),
    "source-bad-seal": (
        draft(sources=[SOURCES[0], SOURCES[1] | {"seal": "x"}]),
        ("sources", 1, "seal"),
        "64 tekens",
    ),
    "source-without-assessor": (
        draft(sources=[SOURCES[0], {"id": "b1", "seal": SHA_B}]),
        ("sources", 1),
        "'assessor' ontbreekt",
    ),
    "practice-false": (draft(practice=False), ("practice",), "verwacht true"),
    "practice-and-joint": (
        draft(practice=True, sources=SOURCES),
        ("practice",),
        "geen gezamenlijke",
    ),
    "decision-without-sources": (
        draft(criteria={"2.2.1.e": {"checked": False, "decision": DECISION}}),
        ("criteria", "2.2.1.e", "decision"),
        "alleen een gezamenlijke beoordeling",
    ),
    "final-decision-without-reason": (
        joint(status="final"),
        ("criteria", "2.2.1.e", "decision", "reason"),
        "schrijf waarom",
    ),
    "final-decision-blank-reason": (
        joint(status="final", reason="  "),
        ("criteria", "2.2.1.e", "decision", "reason"),
        "schrijf waarom",
    ),
    "decision-without-b": (
        draft(
            sources=SOURCES,
            criteria={"2.2.1.e": {"decision": {"a": {"checked": True}, "reason": ""}}},
        ),
        ("criteria", "2.2.1.e", "decision"),
        "'b' ontbreekt",
    ),
    "decision-answer-ticked-and-na": (
        draft(
            sources=SOURCES,
            criteria={"2.2.1.e": {"decision": DECISION | {"a": {"checked": True, "na": True}}}},
        ),
        ("criteria", "2.2.1.e", "decision", "a"),
        "tegelijk gecheckt en n.v.t.",
    ),
    "decision-answer-unknown-key": (
        draft(
            sources=SOURCES,
            criteria={"2.2.1.e": {"decision": DECISION | {"b": {"decision": {}}}}},
        ),
        ("criteria", "2.2.1.e", "decision", "b", "decision"),
        "onbekende sleutel",
    ),
}


@pytest.mark.parametrize(("data", "parts", "message"), BROKEN.values(), ids=BROKEN.keys())
def test_wrong_exam_keys_are_refused_with_their_place(
    data: dict[str, Any], parts: Parts, message: str
) -> None:
    with pytest.raises(KcmError) as caught:
        load_assessment_data(data, kcm_rubric())
    found = [(p.parts, p.message) for p in caught.value.problems]
    assert any(p == parts and message in m for p, m in found), found


def test_every_wrong_exam_key_is_reported_at_once() -> None:
    data = final(
        seal={"sha256": "x"},
        result={"verdict": "?", "outcomes": RESULT["outcomes"]},
        signatures={"kandidaat": SIGNATURE | {"svg_path": "<svg>"}},
    )
    with pytest.raises(KcmError) as caught:
        load_assessment_data(data, kcm_rubric())
    assert [p.path for p in caught.value.problems] == [
        "$.signatures.kandidaat.svg_path",
        "$.result.verdict",
        "$.seal.sha256",
    ]


# --- the JSON Schema says the same (skipped without jsonschema) -------------------------------


@pytest.fixture(scope="module")
def validator() -> Any:
    jsonschema = pytest.importorskip("jsonschema")
    return jsonschema.Draft202012Validator(assessment_schema())


def test_the_schema_states_the_signature_limits() -> None:
    signature = assessment_schema()["$defs"]["signature"]["properties"]["svg_path"]
    assert signature["maxLength"] == MAX_SVG_PATH_CHARS


@pytest.mark.parametrize(
    "data",
    [
        final(result=RESULT, seal={"sha256": SHA_A}, signatures={"beoordelaar": SIGNATURE}),
        joint(),
        joint(status="final", reason="besproken"),
        draft(practice=True),
    ],
    ids=["sealed", "joint-draft", "joint-final", "practice"],
)
def test_records_with_exam_keys_pass_the_schema(validator: Any, data: dict[str, Any]) -> None:
    validator.validate(data)


# Which Eindtermen exist depends on the rubric, and whether two sources differ is beyond a
# schema: only kcm_core checks those.
_KCM_ONLY = {
    "result-unknown-eindterm",
    "result-missing-eindterm",
    "sources-with-the-same-id",
    "practice-and-joint",
    "decision-without-sources",
}


@pytest.mark.parametrize("name", [n for n in BROKEN if n not in _KCM_ONLY])
def test_wrong_exam_keys_fail_the_schema(validator: Any, name: str) -> None:
    assert not validator.is_valid(BROKEN[name][0])
