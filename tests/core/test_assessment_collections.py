"""Files with many assessments: all or nothing for ``kcm score``, record by record for an import."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from _factories import LATER, assessment_data, collection_data, dumps, kcm_rubric

from kcm_core.assessment import (
    MAX_ASSESSMENTS,
    MAX_PROBLEMS,
    Rejected,
    dump_assessments,
    load_assessment,
    load_assessment_data,
    load_assessments,
    load_assessments_partial,
    load_assessments_partial_data,
)
from kcm_core.errors import KcmError, Problem

Data = dict[str, Any]


def good(assessment_id: str) -> Data:
    return assessment_data(assessment_id=assessment_id)


def refused(text: str) -> tuple[Problem, ...]:
    """The problems of a file that neither loader accepts (both must say the same)."""
    with pytest.raises(KcmError) as partial:
        load_assessments_partial(text, kcm_rubric())
    with pytest.raises(KcmError) as whole:
        load_assessments(text, kcm_rubric())
    assert partial.value.problems == whole.value.problems
    return partial.value.problems


# --- all or nothing (load_assessments) ---------------------------------------------------------


def test_many_assessments_load_in_order() -> None:
    text = dumps(collection_data(good("x"), good("y")))
    assert [a.id for a in load_assessments(text, kcm_rubric())] == ["x", "y"]


def test_single_assessment_through_the_many_loader() -> None:
    assert len(load_assessments(dumps(assessment_data()), kcm_rubric())) == 1


def test_dump_assessments_reads_back() -> None:
    originals = [load_assessment_data(good(i), kcm_rubric()) for i in ("p", "q")]
    doc = dump_assessments(originals, exported=LATER)
    assert load_assessments(dumps(doc), kcm_rubric()) == tuple(originals)


def test_single_loader_refuses_a_collection() -> None:
    with pytest.raises(KcmError) as info:
        load_assessment(dumps(collection_data(assessment_data())), kcm_rubric())
    assert info.value.problems[0].path == "$.format"


def test_collection_paths_name_the_assessment() -> None:
    bad = good("b")
    bad["fields"]["datum"] = "1-1-2026"
    text = dumps(collection_data(good("a"), good("c"), good("d"), bad))
    with pytest.raises(KcmError) as info:
        load_assessments(text, kcm_rubric())
    assert [p.path for p in info.value.problems] == ["$.assessments[3].fields.datum"]


def test_collection_with_a_duplicate_id_is_refused_as_a_whole() -> None:
    text = dumps(collection_data(assessment_data(), assessment_data()))
    with pytest.raises(KcmError) as info:
        load_assessments(text, kcm_rubric())
    assert info.value.problems == (
        Problem(("assessments", 1, "id"), "het id 'a1' staat ook bij $.assessments[0]"),
    )


# --- the file around the records: refused by both loaders ------------------------------------


def _many(**top: Any) -> str:
    doc: Data = {"format": "kcm-assessments", "format_version": 1, "assessments": [good("a")]}
    doc.update(top)
    return json.dumps(doc)


FILE_PROBLEMS: dict[str, tuple[str, str, str]] = {
    # name: (file text, expected path, fragment of the message)
    "empty-collection": (
        _many(assessments=[]),
        "$.assessments",
        "het bestand bevat geen beoordelingen",
    ),
    "too-many": (
        _many(assessments=[{"format": "kcm-assessment"}] * (MAX_ASSESSMENTS + 1)),
        "$.assessments",
        f"te veel beoordelingen in één bestand: {MAX_ASSESSMENTS + 1}, maximaal 5000",
    ),
    "assessments-not-a-list": (_many(assessments={}), "$.assessments", "verwacht een lijst"),
    "assessments-missing": (
        '{"format": "kcm-assessments", "format_version": 1}',
        "$",
        "'assessments' ontbreekt",
    ),
    "unknown-top-key": (_many(geheim=True), "$.geheim", "onbekende sleutel 'geheim'"),
    "forbidden-top-key": (_many(__proto__={}), "$.__proto__", "niet toegestaan"),
    "bad-exported": (_many(exported="gisteren"), "$.exported", "ongeldige datum en tijd"),
    "version-2": (_many(format_version=2), "$.format_version", "niet ondersteund"),
    "other-format": ('{"format": "csv"}', "$.format", "geen kcm-beoordeling"),
    "not-json": ("geen JSON", "$", "ongeldige JSON op regel 1"),
    "NaN-outside-the-records": (
        '{"format": "kcm-assessments", "format_version": 1, "x": [NaN], "assessments": []}',
        "$.x[0]",
        "NaN",
    ),
    "unknown-top-key-and-NaN-in-a-record": (
        '{"format": "kcm-assessments", "format_version": 1, "geheim": 1, "assessments": '
        '[{"x": NaN}]}',
        "$.assessments[0].x",
        "NaN",
    ),
    "duplicate-top-key": (
        '{"format": "kcm-assessments", "format": "kcm-assessments", "assessments": []}',
        "$.format",
        "twee keer",
    ),
}


@pytest.mark.parametrize("case", FILE_PROBLEMS.values(), ids=FILE_PROBLEMS.keys())
def test_a_broken_file_is_refused_whole_by_both_loaders(case: tuple[str, str, str]) -> None:
    text, path, fragment = case
    problems = refused(text)
    assert any(p.path == path and fragment in p.message for p in problems), problems


def test_an_empty_collection_is_refused_with_one_clear_problem() -> None:
    assert refused(_many(assessments=[])) == (
        Problem(("assessments",), "het bestand bevat geen beoordelingen"),
    )


# --- record by record (load_assessments_partial) ---------------------------------------------


def _put(key: str, value: Any) -> Callable[[Data], None]:
    def change(data: Data) -> None:
        *parents, last = key.split("/")
        target: Any = data
        for part in parents:
            target = target[part]
        target[last] = value

    return change


# name: (change to a good record "b", its expected id in the rejection, path, message fragment)
BAD_RECORDS: dict[str, tuple[Callable[[Data], None], str | None, str, str]] = {
    "bad-date": (
        _put("fields/datum", "1-1-2026"),
        "b",
        "$.assessments[1].fields.datum",
        "ongeldige datum",
    ),
    "unknown-criterion": (
        _put("criteria/9.9.9.z", {"checked": True}),
        "b",
        "$.assessments[1].criteria['9.9.9.z']",
        "onbekend criterium",
    ),
    "forbidden-key-deep": (
        _put("criteria/1.1.1.a", {"checked": True, "__proto__": 1}),
        "b",
        "$.assessments[1].criteria['1.1.1.a'].__proto__",
        "niet toegestaan",
    ),
    "other-rubric": (_put("rubric/version", "9.9.9"), "b", "$.assessments[1].rubric", "9.9.9"),
    "invalid-id": (_put("id", "a b"), None, "$.assessments[1].id", "ongeldig id"),
    "id-not-text": (_put("id", 7), None, "$.assessments[1].id", "verwacht tekst"),
    "final-without-reason": (
        lambda d: d.update(status="final", finalized=LATER, criteria={"1.1.1.c": {"na": True}}),
        "b",
        "$.assessments[1].criteria['1.1.1.c'].remark",
        "geef in de opmerking een reden",
    ),
    "not-an-object": (lambda d: d.clear(), None, "$.assessments[1]", "'format' ontbreekt"),
}


@pytest.mark.parametrize("case", BAD_RECORDS.values(), ids=BAD_RECORDS.keys())
def test_a_bad_record_is_rejected_and_the_others_load(
    case: tuple[Callable[[Data], None], str | None, str, str],
) -> None:
    change, rejected_id, path, fragment = case
    bad = good("b")
    change(bad)
    text = dumps(collection_data(good("a"), bad, good("c")))
    assessments, rejected = load_assessments_partial(text, kcm_rubric())
    assert [a.id for a in assessments] == ["a", "c"]
    [rejection] = rejected
    assert (rejection.index, rejection.id) == (1, rejected_id)
    assert any(p.path == path and fragment in p.message for p in rejection.problems), rejection


@pytest.mark.parametrize(
    ("record", "path", "fragment"),
    [
        ('{"id": "b", "id": "c"}', "$.assessments[1].id", "twee keer"),
        ('{"id": "b", "x": NaN}', "$.assessments[1].x", "NaN"),
        ('{"id": "b", "x": 1e999}', "$.assessments[1].x", "te groot"),
        ('{"id": "b", "x": "\\ud800"}', "$.assessments[1].x", "surrogaatcode"),
    ],
)
def test_a_record_the_parser_refuses_is_rejected_alone(
    record: str, path: str, fragment: str
) -> None:
    text = (
        '{"format": "kcm-assessments", "format_version": 1, "assessments": ['
        f"{dumps(good('a'))}, {record}, {dumps(good('c'))}]}}"
    )
    assessments, rejected = load_assessments_partial(text, kcm_rubric())
    assert [a.id for a in assessments] == ["a", "c"]
    [rejection] = rejected
    assert rejection.index == 1
    assert [(p.path, fragment in p.message) for p in rejection.problems] == [(path, True)]


def test_a_duplicate_id_keeps_the_first_and_rejects_the_second() -> None:
    first, second = good("x"), good("x")
    second["fields"]["bedrijf"] = "Ander bedrijf"
    text = dumps(collection_data(first, good("y"), second))
    assessments, rejected = load_assessments_partial(text, kcm_rubric())
    assert [(a.id, a.fields["bedrijf"]) for a in assessments] == [
        ("x", "Belcentrum Noord"),
        ("y", "Belcentrum Noord"),
    ]
    assert rejected == (
        Rejected(
            2,
            "x",
            (Problem(("assessments", 2, "id"), "het id 'x' staat ook bij $.assessments[0]"),),
        ),
    )


def test_a_bad_record_does_not_claim_its_id() -> None:
    # Only good records count for duplicates: a good record after a bad one with its id loads.
    bad = good("x")
    bad["status"] = "klaar"
    assessments, rejected = load_assessments_partial(
        dumps(collection_data(bad, good("x"))), kcm_rubric()
    )
    assert [a.id for a in assessments] == ["x"]
    assert [(r.index, r.id) for r in rejected] == [(0, "x")]


def test_a_good_collection_rejects_nothing() -> None:
    text = dumps(collection_data(good("a"), good("b")))
    assessments, rejected = load_assessments_partial(text, kcm_rubric())
    assert assessments == load_assessments(text, kcm_rubric())
    assert rejected == ()


def test_no_good_record_refuses_the_file_like_the_all_or_nothing_loader() -> None:
    first, second = good("a"), good("b")
    first["status"] = "klaar"
    second["fields"]["datum"] = "morgen"
    problems = refused(dumps(collection_data(first, second)))
    assert [p.path for p in problems] == [
        "$.assessments[0].status",
        "$.assessments[1].fields.datum",
    ]


def test_no_good_record_and_a_parser_problem_refuses_the_file() -> None:
    text = '{"format": "kcm-assessments", "format_version": 1, "assessments": [{"x": NaN}]}'
    assert [p.path for p in refused(text)] == ["$.assessments[0].x"]


@pytest.mark.parametrize("status", ["draft", "klaar"])
def test_a_file_with_one_assessment_is_all_or_nothing(status: str) -> None:
    data = good("a") | {"status": status}
    if status == "draft":
        assessments, rejected = load_assessments_partial(dumps(data), kcm_rubric())
        assert ([a.id for a in assessments], rejected) == (["a"], ())
    else:
        assert [p.path for p in refused(dumps(data))] == ["$.status"]


def test_parsed_data_loads_record_by_record_too() -> None:
    bad = good("b") | {"status": "klaar"}
    assessments, rejected = load_assessments_partial_data(
        collection_data(good("a"), bad), kcm_rubric()
    )
    assert ([a.id for a in assessments], [r.index for r in rejected]) == (["a"], [1])


def test_rejections_share_one_problem_budget_but_each_says_why() -> None:
    # Many records with many problems each: the answer stays small, and every rejected record
    # still has at least one problem of its own, the last one counting what was left out.
    bad = good("b")
    bad["criteria"] = {f"9.9.{i}.a": {"checked": True} for i in range(1, 31)}
    records = [good("a"), *({**bad, "id": f"b{i}"} for i in range(50))]
    assessments, rejected = load_assessments_partial(dumps(collection_data(*records)), kcm_rubric())
    assert [a.id for a in assessments] == ["a"]
    assert [r.index for r in rejected] == list(range(1, 51))
    assert sum(len(r.problems) for r in rejected) <= MAX_PROBLEMS + 2 * len(rejected)
    for rejection in rejected:
        where = ("assessments", rejection.index)
        assert all(p.parts[:2] == where for p in rejection.problems)
        assert rejection.problems[0].message.startswith("onbekend criterium")
    assert len(rejected[0].problems) == 30
    last = rejected[-1].problems
    assert last[-1] == Problem(
        ("assessments", 50), "en nog 29 problemen; los eerst de problemen hierboven op"
    )


def test_a_rejection_as_json_data() -> None:
    rejection = Rejected(3, None, (Problem(("assessments", 3, "fields", "datum"), "fout"),))
    assert rejection.to_dict() == {
        "index": 3,
        "id": None,
        "problems": [
            {
                "path": "$.assessments[3].fields.datum",
                "parts": ["assessments", 3, "fields", "datum"],
                "message": "fout",
            }
        ],
    }
