"""The strict assessment loader: what it accepts, how it normalises, what it refuses and where."""

from __future__ import annotations

import copy
import re
from collections.abc import Callable
from typing import Any

import pytest
from _factories import (
    LATER,
    NOW,
    assessment_data,
    dumps,
    kcm_rubric,
    modified_kcm_rubric,
)

from kcm_core.assessment import (
    DATE_PATTERN,
    MAX_DATE,
    MAX_FIELD_CHARS,
    MAX_FILE_BYTES,
    MAX_PROBLEMS,
    MAX_REMARK_CHARS,
    MIN_DATE,
    Assessment,
    Mark,
    load_assessment,
    load_assessment_data,
    load_assessments,
    new_assessment,
)
from kcm_core.canonical import rubric_sha256
from kcm_core.errors import KcmError, Problem

Data = dict[str, Any]


def problems_of(data: Any) -> tuple[Problem, ...]:
    with pytest.raises(KcmError) as info:
        load_assessment_data(data, kcm_rubric())
    return info.value.problems


# --- what is accepted ------------------------------------------------------------------------


def test_valid_assessment_loads_into_the_model() -> None:
    data = assessment_data(checked=["1.1.1.a"], na={"1.1.1.c": "geen twijfel"})
    data["remarks"] = {"2": "Rustig gesprek.", "": "Algemeen goed."}
    a = load_assessment(dumps(data), kcm_rubric())
    assert a.id == "a1"
    assert a.fields["naam_kandidaat"] == "Sanne de Vries"
    assert a.selected("gesprekstype") == ("inbound",)
    assert a.mark("1.1.1.a") == Mark(checked=True)
    assert a.mark("1.1.1.c") == Mark(na=True, remark="geen twijfel")
    assert a.mark("3.1.1.a") == Mark()  # absent means: not met
    assert a.status == "draft"
    assert not a.final


def test_loaded_assessment_is_frozen() -> None:
    a = load_assessment_data(assessment_data(), kcm_rubric())
    with pytest.raises(AttributeError):
        a.status = "final"  # type: ignore[misc]
    with pytest.raises(TypeError):
        a.fields["bedrijf"] = "ander bedrijf"  # type: ignore[index]


def test_minimal_file_is_normalised() -> None:
    minimal = {
        "format": "kcm-assessment",
        "format_version": 1,
        "id": "m1",
        "rubric": {"id": "klantcontact", "version": "1.0.0"},
        "status": "draft",
        "created": NOW,
        "criteria": {"2.1.1.b": {"checked": True}, "1.1.1.a": {"checked": False}},
        "conditions": {"gesprekstype": ["outbound", "inbound"]},
    }
    a = load_assessment_data(minimal, kcm_rubric())
    data = a.to_json_data()
    # Every field of the rubric, empty when not given; options in the rubric's order;
    # criteria without anything set left out; "updated" equal to "created".
    assert data["fields"] == dict.fromkeys(
        ("bedrijf", "naam_kandidaat", "datum", "geboortedatum_kandidaat"), ""
    )
    assert data["conditions"] == {"gesprekstype": ["inbound", "outbound"]}
    assert data["criteria"] == {"2.1.1.b": {"checked": True}}
    assert data["updated"] == NOW
    assert data["finalized"] is None
    assert data["history"] == []
    assert "sha256" not in data["rubric"]


def test_round_trip_through_json_is_the_identity() -> None:
    data = assessment_data(checked=["2.1.1.a"], na={"2.4.2.b": "niet in de wacht gezet"})
    data["history"] = [{"at": NOW, "action": "finalized"}, {"at": LATER, "action": "reopened"}]
    data["rubric"]["sha256"] = rubric_sha256(kcm_rubric())
    first = load_assessment_data(data, kcm_rubric())
    second = load_assessment(dumps(first.to_json_data()), kcm_rubric())
    assert second == first
    assert second.to_json_data() == first.to_json_data()


def test_matching_sha256_is_accepted() -> None:
    data = assessment_data()
    data["rubric"]["sha256"] = rubric_sha256(kcm_rubric())
    assert load_assessment_data(data, kcm_rubric()).rubric.sha256 == data["rubric"]["sha256"]


def test_final_assessment_with_everything_filled_in_loads() -> None:
    a = load_assessment_data(assessment_data(status="final"), kcm_rubric())
    assert a.final
    assert a.finalized == LATER


def test_draft_may_leave_required_fields_and_conditions_empty() -> None:
    data = assessment_data(fields={}, conditions={"gesprekstype": []})
    a = load_assessment_data(data, kcm_rubric())
    assert a.fields["bedrijf"] == ""


@pytest.mark.parametrize(
    "moment",
    [
        "2026-11-27T09:12:00Z",
        "2026-11-27T09:12:00.123Z",
        "2026-11-27T10:12:00+01:00",
        "2026-11-27T09:12:00.123456789-03:30",
        "2028-02-29T23:59:59Z",
    ],
)
def test_datetimes_in_rfc3339_are_accepted(moment: str) -> None:
    data = assessment_data()
    data["created"] = moment
    assert load_assessment_data(data, kcm_rubric()).created == moment


def test_new_assessment_is_an_empty_draft_with_the_rubric_hash() -> None:
    a = new_assessment(kcm_rubric(), "n-1", NOW)
    assert (a.status, a.created, a.updated, a.finalized) == ("draft", NOW, NOW, None)
    assert a.rubric.sha256 == rubric_sha256(kcm_rubric())
    assert set(a.fields.values()) == {""}
    assert load_assessment(dumps(a.to_json_data()), kcm_rubric()) == a


@pytest.mark.parametrize(
    ("assessment_id", "now", "path"),
    [("", NOW, "$.id"), ("a b", NOW, "$.id"), ("ok", "gisteren", "$.created")],
)
def test_new_assessment_refuses_bad_input(assessment_id: str, now: str, path: str) -> None:
    with pytest.raises(KcmError) as info:
        new_assessment(kcm_rubric(), assessment_id, now)
    assert [p.path for p in info.value.problems] == [path]


@pytest.mark.parametrize(
    ("date", "accepted"),
    [
        (MIN_DATE, True),
        (MAX_DATE, True),
        ("2028-02-29", True),
        ("0000-12-31", False),
        ("10000-01-01", False),
        ("+2026-11-27", False),
        ("2026-11-27T00:00", False),
        ("2026-1-1", False),
        ("20261127", False),
        ("2026-02-29", False),
    ],
)
def test_date_fields_accept_exactly_the_exported_range_and_pattern(
    date: str, accepted: bool
) -> None:
    # The page reads DATE_PATTERN, MIN_DATE and MAX_DATE for its inputs: they must say what
    # the loader accepts, no more and no less.
    data = assessment_data(fields={"datum": date})
    if accepted:
        assert re.fullmatch(DATE_PATTERN, date, re.ASCII)
        assert MIN_DATE <= date <= MAX_DATE
        assert load_assessment_data(data, kcm_rubric()).fields["datum"] == date
    else:
        assert [p.path for p in problems_of(data)] == ["$.fields.datum"]


# --- what is refused: a table of broken assessments ------------------------------------------


def put(path: list[str | int], value: Any) -> Callable[[Data], None]:
    def change(data: Data) -> None:
        target: Any = data
        for key in path[:-1]:
            target = target[key]
        target[path[-1]] = value

    return change


def drop(*path: str) -> Callable[[Data], None]:
    def change(data: Data) -> None:
        target: Any = data
        for key in path[:-1]:
            target = target[key]
        del target[path[-1]]

    return change


BROKEN: dict[str, tuple[Callable[[Data], None], str, str]] = {
    # name: (change to a valid assessment, expected path, fragment of the message)
    "not-an-object": (lambda d: d.clear(), "$", "'format' ontbreekt"),
    "other-format": (put(["format"], "iets-anders"), "$.format", "geen kcm-beoordeling"),
    "format-version-2": (put(["format_version"], 2), "$.format_version", "niet ondersteund"),
    "format-version-true": (put(["format_version"], True), "$.format_version", "niet ondersteund"),
    "unknown-top-level-key": (put(["extra"], 1), "$.extra", "onbekende sleutel 'extra'"),
    "missing-id": (drop("id"), "$", "'id' ontbreekt"),
    "id-with-space": (put(["id"], "a 1"), "$.id", "ongeldig id"),
    "id-too-long": (put(["id"], "a" * 101), "$.id", "ongeldig id"),
    "other-rubric-id": (
        put(["rubric", "id"], "callcenter"),
        "$.rubric",
        "hoort bij rubric 'callcenter' versie '1.0.0', niet bij rubric 'klantcontact' "
        "versie '1.0.0'",
    ),
    "other-rubric-version": (
        put(["rubric", "version"], "2.0.0"),
        "$.rubric",
        "versie '2.0.0', niet bij rubric 'klantcontact' versie '1.0.0'",
    ),
    "sha256-mismatch": (
        put(["rubric", "sha256"], "0" * 64),
        "$.rubric.sha256",
        "andere inhoud van rubric 'klantcontact'",
    ),
    "sha256-not-hex": (put(["rubric", "sha256"], "xyz"), "$.rubric.sha256", "64 tekens"),
    "rubric-unknown-key": (put(["rubric", "naam"], "x"), "$.rubric.naam", "onbekende sleutel"),
    "unknown-field": (put(["fields", "email"], "a@b.nl"), "$.fields.email", "onbekende sleutel"),
    "field-not-text": (put(["fields", "bedrijf"], 12), "$.fields.bedrijf", "het getal 12"),
    "field-too-long": (
        put(["fields", "bedrijf"], "x" * (MAX_FIELD_CHARS + 1)),
        "$.fields.bedrijf",
        f"te lang: {MAX_FIELD_CHARS + 1} tekens, maximaal {MAX_FIELD_CHARS}",
    ),
    "date-in-dutch-order": (put(["fields", "datum"], "27-11-2026"), "$.fields.datum", "jjjj-mm-dd"),
    "date-that-does-not-exist": (
        put(["fields", "geboortedatum_kandidaat"], "2001-02-30"),
        "$.fields.geboortedatum_kandidaat",
        "ongeldige datum",
    ),
    "unknown-condition": (
        put(["conditions", "kanaal"], ["chat"]),
        "$.conditions.kanaal",
        "onbekende sleutel 'kanaal'",
    ),
    "unknown-condition-option": (
        put(["conditions", "gesprekstype"], ["chat"]),
        "$.conditions.gesprekstype[0]",
        "onbekende keuze 'chat' bij 'gesprekstype'; kies uit 'inbound', 'outbound'",
    ),
    "condition-not-a-list": (
        put(["conditions", "gesprekstype"], "inbound"),
        "$.conditions.gesprekstype",
        "verwacht een lijst",
    ),
    "condition-option-twice": (
        put(["conditions", "gesprekstype"], ["inbound", "inbound"]),
        "$.conditions.gesprekstype[1]",
        "twee keer",
    ),
    "unknown-criterion": (
        put(["criteria", "9.9.9.z"], {"checked": True}),
        "$.criteria['9.9.9.z']",
        "onbekend criterium '9.9.9.z'",
    ),
    "checked-as-text": (
        put(["criteria", "1.1.1.a"], {"checked": "ja"}),
        "$.criteria['1.1.1.a'].checked",
        "moet true of false zijn, niet de tekst 'ja'",
    ),
    "checked-as-number": (
        put(["criteria", "1.1.1.a"], {"checked": 1}),
        "$.criteria['1.1.1.a'].checked",
        "niet het getal 1",
    ),
    "criterion-entry-not-object": (
        put(["criteria", "1.1.1.a"], True),
        "$.criteria['1.1.1.a']",
        "verwacht een object",
    ),
    "criterion-unknown-key": (
        put(["criteria", "1.1.1.a"], {"checked": True, "score": 3}),
        "$.criteria['1.1.1.a'].score",
        "onbekende sleutel 'score'",
    ),
    "na-where-rubric-forbids": (
        put(["criteria", "1.1.1.a"], {"na": True, "remark": "reden"}),
        "$.criteria['1.1.1.a'].na",
        "mag n.v.t. niet",
    ),
    "na-and-checked": (
        put(["criteria", "1.1.1.c"], {"na": True, "checked": True, "remark": "r"}),
        "$.criteria['1.1.1.c']",
        "niet tegelijk gecheckt en n.v.t.",
    ),
    "remark-too-long": (
        put(["criteria", "1.1.1.a"], {"checked": True, "remark": "x" * (MAX_REMARK_CHARS + 1)}),
        "$.criteria['1.1.1.a'].remark",
        f"maximaal {MAX_REMARK_CHARS}",
    ),
    "remark-of-a-megabyte": (
        put(["remarks", ""], "x" * 1_000_000),
        "$.remarks['']",
        "te lang: 1000000 tekens",
    ),
    "remark-for-unknown-eindterm": (
        put(["remarks", "9"], "x"),
        "$.remarks['9']",
        "onbekende Eindterm '9'",
    ),
    "bad-status": (put(["status"], "klaar"), "$.status", "verwacht 'draft' of 'final'"),
    "created-not-a-datetime": (
        put(["created"], "27 november"),
        "$.created",
        "ongeldige datum en tijd",
    ),
    "created-without-timezone": (put(["created"], "2026-11-27T09:12:00"), "$.created", "tijdzone"),
    "created-impossible-hour": (put(["created"], "2026-11-27T25:00:00Z"), "$.created", "ongeldige"),
    "updated-as-number": (put(["updated"], 1764234720), "$.updated", "verwacht een datum en tijd"),
    "draft-with-finalized": (put(["finalized"], LATER), "$.finalized", "maak dit null"),
    "history-bad-action": (
        put(["history"], [{"at": NOW, "action": "deleted"}]),
        "$.history[0].action",
        "verwacht 'finalized', 'reopened' of 'signed'",
    ),
    "history-missing-at": (
        put(["history"], [{"action": "reopened"}]),
        "$.history[0]",
        "'at' ontbreekt",
    ),
    "proto-key-at-top": (put(["__proto__"], {}), "$.__proto__", "'__proto__' is niet toegestaan"),
    "constructor-key-in-criteria": (
        put(["criteria", "constructor"], {"checked": True}),
        "$.criteria.constructor",
        "niet toegestaan",
    ),
    "prototype-key-deep": (
        put(["criteria", "1.1.1.a"], {"checked": True, "prototype": 1}),
        "$.criteria['1.1.1.a'].prototype",
        "niet toegestaan",
    ),
}


@pytest.mark.parametrize("case", BROKEN.values(), ids=BROKEN.keys())
def test_broken_assessment_is_refused_with_path_and_reason(
    case: tuple[Callable[[Data], None], str, str],
) -> None:
    change, path, fragment = case
    data = assessment_data()
    change(data)
    problems = problems_of(data)
    assert any(p.path == path and fragment in p.message for p in problems), problems


@pytest.mark.parametrize(
    ("change", "path", "fragment"),
    [
        (
            put(["fields", "naam_kandidaat"], ""),
            "$.fields.naam_kandidaat",
            "Naam Kandidaat is verplicht",
        ),
        (put(["fields", "bedrijf"], " "), "$.fields.bedrijf", "Bedrijf is verplicht"),
        (put(["conditions", "gesprekstype"], []), "$.conditions.gesprekstype", "kies minstens één"),
        (put(["finalized"], None), "$.finalized", "moment van afronden nodig"),
    ],
)
def test_final_assessment_needs_required_fields_and_conditions(
    change: Callable[[Data], None], path: str, fragment: str
) -> None:
    data = assessment_data(status="final")
    change(data)
    problems = problems_of(data)
    assert any(p.path == path and fragment in p.message for p in problems), problems


def test_critical_criterion_is_never_na_by_hand() -> None:
    rubric = modified_kcm_rubric(critical=["1.1.1.c"])
    data = assessment_data(rubric, na={"1.1.1.c": "reden"})
    with pytest.raises(KcmError) as info:
        load_assessment_data(data, rubric)
    assert [(p.path, p.message) for p in info.value.problems] == [
        ("$.criteria['1.1.1.c'].na", "criterium 1.1.1.c is kritisch en kan niet n.v.t. zijn")
    ]


def test_all_problems_are_reported_at_once() -> None:
    data = assessment_data()
    data["criteria"]["1.1.1.a"] = {"checked": "ja"}
    data["fields"]["datum"] = "morgen"
    data["status"] = "klaar"
    paths = {p.path for p in problems_of(data)}
    assert paths == {"$.criteria['1.1.1.a'].checked", "$.fields.datum", "$.status"}


def test_other_rubric_stops_before_criteria_are_checked() -> None:
    # Criterion ids of another rubric mean nothing here: one clear problem, not 37 confusing ones.
    data = assessment_data()
    data["rubric"]["id"] = "anders"
    data["criteria"]["zz"] = {"checked": 5}
    assert [p.path for p in problems_of(data)] == ["$.rubric"]


def test_problem_list_is_capped_and_counts_the_rest() -> None:
    data = assessment_data(checked=[])
    data["criteria"] = {f"9.9.{i}.a": {"checked": True} for i in range(1, MAX_PROBLEMS + 51)}
    problems = problems_of(data)
    assert len(problems) == MAX_PROBLEMS + 1
    assert problems[-1] == Problem((), "en nog 50 problemen; los eerst de problemen hierboven op")


def test_messages_are_single_lines_even_with_hostile_input() -> None:
    data = assessment_data()
    data["criteria"]["x\ny"] = {"checked": True}
    data["fields"]["bedrijf"] = 5
    data["rubric"]["version"] = "1.0.0\r\nkwaad"
    for problem in problems_of(data):
        assert "\n" not in problem.path + problem.message
        assert "\r" not in problem.path + problem.message


# --- syntax, size and collections ------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ('{"format": "kcm-assessment",}', "regel 1"),
        ('{"id": "a", "id": "b"}', "twee keer"),
        ('{"x": NaN}', "NaN"),
        ("", "leeg"),
    ],
)
def test_bad_json_is_refused_with_a_located_problem(text: str, fragment: str) -> None:
    with pytest.raises(KcmError) as info:
        load_assessment(text, kcm_rubric())
    assert any(fragment in p.message for p in info.value.problems), info.value.problems


def test_deep_nesting_is_refused_without_recursion_error() -> None:
    text = '{"format": "kcm-assessment", "x": ' + "[" * 10_000 + "]" * 10_000 + "}"
    with pytest.raises(KcmError) as info:
        load_assessment(text, kcm_rubric())
    assert "te diep genest" in info.value.problems[0].message


def test_file_above_the_size_limit_is_refused_before_parsing() -> None:
    text = " " * (MAX_FILE_BYTES + 1)
    with pytest.raises(KcmError) as info:
        load_assessments(text, kcm_rubric())
    # Worded as the checklist page words it: the limit in whole MB.
    assert info.value.problems == (Problem((), "het bestand is groter dan 20 MB"),)


def test_loader_does_not_change_its_input() -> None:
    data = assessment_data(na={"1.1.1.c": "reden"})
    before = copy.deepcopy(data)
    load_assessment_data(data, kcm_rubric())
    assert data == before


def test_assessment_equality_ignores_mapping_type() -> None:
    a = load_assessment_data(assessment_data(), kcm_rubric())
    assert isinstance(a, Assessment)
    assert a.fields == dict(a.fields)
