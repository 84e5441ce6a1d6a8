"""Loading and validating rubrics: every broken rubric gets its problem at the exact JSON path.

Each case is one small mutation of the valid KCM rubric and must give exactly one problem: a
mistake reported once, at the place where it is, by both engines (jsonschema and the pure
engine that runs in the browser).
"""

from __future__ import annotations

import contextlib
import json
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

import kcm_core.schemacheck
from kcm_core.errors import KcmError, Problem
from kcm_core.model import Rubric
from kcm_core.rubric_load import (
    load_rubric,
    load_rubric_file,
    rubric_from_data,
    validate_rubric_data,
)
from kcm_core.schemacheck import Engine

Data = dict[str, Any]


def criterion(data: Data, e: int, o: int, p: int, c: int) -> Data:
    found: Data = data["eindtermen"][e]["onderdelen"][o]["processen"][p]["criteria"][c]
    return found


def outbound_criterion(data: Data) -> Data:
    """2.4.1.b, the only criterion with applies_when."""
    return criterion(data, 1, 3, 0, 1)


@dataclass(frozen=True)
class Case:
    name: str
    mutate: Callable[[Data], object]
    path: str
    fragment: str


C_2_1_1 = "$.eindtermen[1].onderdelen[0].processen[0].criteria"
C_2_4_1_B = "$.eindtermen[1].onderdelen[3].processen[0].criteria[1]"

CASES = [
    # --- unknown and missing keys
    Case(
        "typo in a criterion key",
        lambda d: criterion(d, 1, 0, 0, 3).update(critcal=True),
        f"{C_2_1_1}[3].critcal",
        "onbekende sleutel 'critcal'; bedoelt u 'critical'?",
    ),
    Case(
        "typo in a top-level key",
        lambda d: d.update(titel=d.pop("title")),
        "$.titel",
        "onbekende sleutel 'titel'; bedoelt u 'title'?",
    ),
    Case(
        "unknown key without a near match lists the allowed keys",
        lambda d: d["fields"][0].update(placeholder="..."),
        "$.fields[0].placeholder",
        "toegestaan: 'id', 'label', 'type', 'required', 'description'",
    ),
    Case(
        "missing version",
        lambda d: d.pop("version"),
        "$",
        "de verplichte sleutel 'version' ontbreekt",
    ),
    Case(
        "criterion without text",
        lambda d: criterion(d, 0, 0, 0, 0).pop("text"),
        "$.eindtermen[0].onderdelen[0].processen[0].criteria[0]",
        "de verplichte sleutel 'text' ontbreekt",
    ),
    Case(
        "applies_when without any_of",
        lambda d: outbound_criterion(d)["applies_when"].pop("any_of"),
        f"{C_2_4_1_B}.applies_when",
        "de verplichte sleutel 'any_of' ontbreekt",
    ),
    Case(
        "scoring without rule",
        lambda d: d["scoring"].pop("rule"),
        "$.scoring",
        "de verplichte sleutel 'rule' ontbreekt",
    ),
    # --- types and values
    Case(
        "version not semver",
        lambda d: d.update(version="1.0"),
        "$.version",
        "moet een versienummer zijn zoals '1.0.0' (gevonden: '1.0')",
    ),
    Case(
        # Python's "$" would accept this; editors (ECMA-262) and kcm do not.
        "version with a trailing newline",
        lambda d: d.update(version="1.0.0\n"),
        "$.version",
        "(gevonden: '1.0.0\\n')",
    ),
    Case(
        "rubric id with capitals and a space",
        lambda d: d.update(id="Klant Contact"),
        "$.id",
        "moet bestaan uit kleine letters, cijfers, '-' en '_'",
    ),
    Case(
        "language as a word",
        lambda d: d.update(language="Nederlands"),
        "$.language",
        "moet een taalcode zijn zoals 'nl'",
    ),
    Case("empty title", lambda d: d.update(title=""), "$.title", "mag niet leeg zijn"),
    Case(
        "criterion text of spaces only",
        lambda d: criterion(d, 2, 1, 0, 0).update(text="   "),
        "$.eindtermen[2].onderdelen[1].processen[0].criteria[0].text",
        "mag niet leeg zijn",
    ),
    Case(
        "title as a number",
        lambda d: d.update(title=42),
        "$.title",
        "moet tekst zijn, niet 42",
    ),
    Case(
        "eindterm text null",
        lambda d: d["eindtermen"][0].update(text=None),
        "$.eindtermen[0].text",
        "moet tekst zijn, niet null",
    ),
    Case(
        "$schema as a number",
        lambda d: d.update({"$schema": 1}),
        "$['$schema']",
        "moet tekst zijn, niet 1",
    ),
    Case(
        "no eindtermen",
        lambda d: d.update(eindtermen=[]),
        "$.eindtermen",
        "de lijst mag niet leeg zijn",
    ),
    Case(
        "eindtermen as an object",
        lambda d: d.update(eindtermen={}),
        "$.eindtermen",
        "moet een lijst [...] zijn, niet een object",
    ),
    Case(
        "onderdeel as text",
        lambda d: d["eindtermen"][0].update(onderdelen=["1.1"]),
        "$.eindtermen[0].onderdelen[0]",
        "moet een object {...} zijn, niet tekst ('1.1')",
    ),
    Case(
        "proces without criteria",
        lambda d: d["eindtermen"][0]["onderdelen"][0]["processen"][0].update(criteria=[]),
        "$.eindtermen[0].onderdelen[0].processen[0].criteria",
        "de lijst mag niet leeg zijn",
    ),
    Case(
        "unknown field type",
        lambda d: d["fields"][2].update(type="datum"),
        "$.fields[2].type",
        "moet een van deze waarden zijn: 'text', 'date' (gevonden: 'datum')",
    ),
    Case(
        "required as text",
        lambda d: d["fields"][3].update(required="ja"),
        "$.fields[3].required",
        "moet true of false zijn, niet tekst ('ja')",
    ),
    Case(
        "critical as text",
        lambda d: criterion(d, 0, 0, 0, 0).update(critical="yes"),
        "$.eindtermen[0].onderdelen[0].processen[0].criteria[0].critical",
        "moet true of false zijn, niet tekst ('yes')",
    ),
    Case(
        "field id with capitals",
        lambda d: d["fields"][1].update(id="Naam Kandidaat"),
        "$.fields[1].id",
        "moet beginnen met een kleine letter",
    ),
    Case(
        "condition without options",
        lambda d: d["conditions"][0].update(options=[]),
        "$.conditions[0].options",
        "de lijst mag niet leeg zijn",
    ),
    # --- ids: format, hierarchy, uniqueness
    Case(
        "criterion id with a capital letter",
        lambda d: criterion(d, 1, 0, 0, 0).update(id="2.1.1.A"),
        f"{C_2_1_1}[0].id",
        "moet de vorm <proces>.<letter> hebben, zoals '2.4.1.b' (gevonden: '2.1.1.A')",
    ),
    Case(
        "proces id with a letter",
        lambda d: d["eindtermen"][1]["onderdelen"][3]["processen"][0].update(id="2.4.x"),
        "$.eindtermen[1].onderdelen[3].processen[0].id",
        "moet de vorm <onderdeel>.<nummer> hebben",
    ),
    Case(
        "eindterm id with a dot",
        lambda d: d["eindtermen"][0].update(id="1.0"),
        "$.eindtermen[0].id",
        "zonder punt",
    ),
    Case(
        "criterion under the wrong proces",
        lambda d: criterion(d, 1, 0, 0, 0).update(id="2.1.2.x"),
        f"{C_2_1_1}[0].id",
        "het id '2.1.2.x' moet beginnen met '2.1.1.' (het id van het proces erboven)",
    ),
    Case(
        # One mistake, one message: the processen below are not judged against the wrong id.
        "onderdeel under the wrong eindterm",
        lambda d: d["eindtermen"][2]["onderdelen"][1].update(id="2.5"),
        "$.eindtermen[2].onderdelen[1].id",
        "het id '2.5' moet beginnen met '3.' (het id van de Eindterm erboven)",
    ),
    Case(
        "duplicate criterion id",
        lambda d: criterion(d, 1, 0, 0, 2).update(id="2.1.1.a"),
        f"{C_2_1_1}[2].id",
        f"het id '2.1.1.a' komt al eerder voor, op {C_2_1_1}[0].id",
    ),
    Case(
        "duplicate field id",
        lambda d: d["fields"][1].update(id="bedrijf"),
        "$.fields[1].id",
        "het id 'bedrijf' komt al eerder voor, op $.fields[0].id",
    ),
    Case(
        "duplicate condition",
        lambda d: d["conditions"].append(json.loads(json.dumps(d["conditions"][0]))),
        "$.conditions[1].id",
        "het id 'gesprekstype' komt al eerder voor, op $.conditions[0].id",
    ),
    Case(
        "duplicate option",
        lambda d: d["conditions"][0]["options"].append({"id": "inbound", "label": "Terugbellen"}),
        "$.conditions[0].options[2].id",
        "het id 'inbound' komt al eerder voor",
    ),
    # --- references to conditions
    Case(
        "applies_when names an unknown condition",
        lambda d: outbound_criterion(d)["applies_when"].update(condition="gesprekssoort"),
        f"{C_2_4_1_B}.applies_when.condition",
        "onbekende situatie 'gesprekssoort'; bekend: 'gesprekstype'",
    ),
    Case(
        "applies_when names an unknown option",
        lambda d: outbound_criterion(d)["applies_when"].update(any_of=["outbond"]),
        f"{C_2_4_1_B}.applies_when.any_of[0]",
        "situatie 'gesprekstype' heeft geen keuze 'outbond'; kies uit 'inbound', 'outbound'",
    ),
    Case(
        "applies_when repeats an option",
        lambda d: outbound_criterion(d)["applies_when"].update(any_of=["outbound", "outbound"]),
        f"{C_2_4_1_B}.applies_when.any_of[1]",
        "de waarde 'outbound' staat al eerder in deze lijst",
    ),
    Case(
        "applies_when with no options",
        lambda d: outbound_criterion(d)["applies_when"].update(any_of=[]),
        f"{C_2_4_1_B}.applies_when.any_of",
        "de lijst mag niet leeg zijn",
    ),
    # --- knock-out criteria
    Case(
        "critical criterion that allows n.v.t.",
        lambda d: criterion(d, 0, 0, 0, 2).update(critical=True),  # 1.1.1.c has allow_na
        "$.eindtermen[0].onderdelen[0].processen[0].criteria[2].allow_na",
        "een knock-out-criterium ('critical': true) mag nooit n.v.t. zijn",
    ),
    # --- scoring rules
    Case(
        "unknown rule",
        lambda d: d["scoring"].update(rule="most"),
        "$.scoring.rule",
        "moet een van deze waarden zijn: 'all', 'min_count', 'min_fraction' (gevonden: 'most')",
    ),
    Case(
        "rule min_count without min_count",
        lambda d: d["scoring"].update(rule="min_count"),
        "$.scoring",
        "bij rule 'min_count' hoort ook de sleutel 'min_count'",
    ),
    Case(
        "rule min_fraction without min_fraction",
        lambda d: d["scoring"].update(rule="min_fraction"),
        "$.scoring",
        "bij rule 'min_fraction' hoort ook de sleutel 'min_fraction'",
    ),
    Case(
        "min_count with rule all would be ignored",
        lambda d: d["scoring"].update(min_count=3),
        "$.scoring.min_count",
        "'min_count' hoort alleen bij rule 'min_count'; hier is rule 'all'",
    ),
    Case(
        "min_count zero",
        lambda d: d["scoring"].update(rule="min_count", min_count=0),
        "$.scoring.min_count",
        "moet minstens 1 zijn (gevonden: 0)",
    ),
    Case(
        "min_count not whole",
        lambda d: d["scoring"].update(rule="min_count", min_count=2.5),
        "$.scoring.min_count",
        "moet een geheel getal zijn, niet 2.5",
    ),
    Case(
        # Eindterm 1 has 4 criteria; the others have more, so only Eindterm 1 is named.
        "min_count above the criteria of an eindterm",
        lambda d: d["scoring"].update(rule="min_count", min_count=5),
        "$.scoring.min_count",
        "min_count 5 is meer dan de 4 criteria van Eindterm '1'",
    ),
    Case(
        "eindterm's own min_count above its criteria",
        lambda d: d["eindtermen"][1].update(scoring={"rule": "min_count", "min_count": 27}),
        "$.eindtermen[1].scoring.min_count",
        "min_count 27 is meer dan de 26 criteria van Eindterm '2'",
    ),
    Case(
        "min_fraction zero",
        lambda d: d["scoring"].update(rule="min_fraction", min_fraction=0),
        "$.scoring.min_fraction",
        "moet groter dan 0 zijn (gevonden: 0)",
    ),
    Case(
        "min_fraction above one",
        lambda d: d["scoring"].update(rule="min_fraction", min_fraction=1.5),
        "$.scoring.min_fraction",
        "mag hoogstens 1 zijn (gevonden: 1.5)",
    ),
    Case(
        "min_fraction as a percentage",
        lambda d: d["scoring"].update(rule="min_fraction", min_fraction="75%"),
        "$.scoring.min_fraction",
        "moet een getal zijn, niet tekst ('75%')",
    ),
]


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_broken_rubric_gives_one_problem_at_its_path(
    case: Case, kcm_rubric_data: Data, schema_engine: Engine
) -> None:
    case.mutate(kcm_rubric_data)
    problems = validate_rubric_data(kcm_rubric_data, engine=schema_engine)
    assert [p.path for p in problems] == [case.path], problems
    assert case.fragment in problems[0].message


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_broken_rubric_is_refused_by_the_loader(case: Case, kcm_rubric_data: Data) -> None:
    case.mutate(kcm_rubric_data)
    with pytest.raises(KcmError) as caught:
        load_rubric(json.dumps(kcm_rubric_data), source="kapot.json")
    assert caught.value.source == "kapot.json"
    assert str(caught.value).startswith(f"kapot.json: {case.path}: ")


def test_the_table_covers_at_least_25_mutations() -> None:
    assert len(CASES) >= 25
    assert len({c.name for c in CASES}) == len(CASES)


def test_valid_rubric_has_no_problems(kcm_rubric_data: Data, schema_engine: Engine) -> None:
    assert validate_rubric_data(kcm_rubric_data, engine=schema_engine) == []


def test_all_problems_are_reported_at_once_in_path_order(
    kcm_rubric_data: Data, schema_engine: Engine
) -> None:
    # Four unrelated mistakes, made in reverse document order.
    criterion(kcm_rubric_data, 2, 1, 0, 3).update(critcal=True)
    criterion(kcm_rubric_data, 1, 0, 0, 2).update(id="2.1.1.a")
    kcm_rubric_data["scoring"].update(rule="min_count")
    kcm_rubric_data.pop("title")
    problems = validate_rubric_data(kcm_rubric_data, engine=schema_engine)
    assert [p.path for p in problems] == [
        "$",
        f"{C_2_1_1}[2].id",
        "$.eindtermen[2].onderdelen[1].processen[0].criteria[3].critcal",
        "$.scoring",
    ]


def test_array_indices_sort_as_numbers(kcm_rubric_data: Data, schema_engine: Engine) -> None:
    criteria = kcm_rubric_data["eindtermen"][1]["onderdelen"][2]["processen"][0]["criteria"]
    for letter in "bcdefghijkl":
        criteria.append({"id": f"2.3.1.{letter}", "text": "Extra"})
    criteria[2]["critcal"] = True
    criteria[10]["critcal"] = True
    paths = [p.path for p in validate_rubric_data(kcm_rubric_data, engine=schema_engine)]
    prefix = "$.eindtermen[1].onderdelen[2].processen[0].criteria"
    assert paths == [f"{prefix}[2].critcal", f"{prefix}[10].critcal"]


def test_engines_agree_on_a_badly_broken_rubric(kcm_rubric_data: Data) -> None:
    pytest.importorskip("jsonschema")
    for case in CASES:
        # Apply every mutation that still fits what earlier ones left of the rubric.
        with contextlib.suppress(KeyError, IndexError, TypeError, AttributeError):
            case.mutate(kcm_rubric_data)
    pure = validate_rubric_data(kcm_rubric_data, engine="pure")
    reference = validate_rubric_data(kcm_rubric_data, engine="jsonschema")
    assert pure == reference
    assert len(pure) >= 10


def test_top_level_must_be_an_object(schema_engine: Engine) -> None:
    assert validate_rubric_data(["eindtermen"], engine=schema_engine) == [
        Problem((), "moet een object {...} zijn, niet een lijst")
    ]


# --- decisions documented in kcm_core.rubric_load --------------------------------------------


def test_critical_criterion_may_apply_only_in_some_situations(
    kcm_rubric_data: Data, schema_engine: Engine
) -> None:
    outbound = outbound_criterion(kcm_rubric_data)
    outbound.pop("allow_na")
    outbound["critical"] = True
    assert validate_rubric_data(kcm_rubric_data, engine=schema_engine) == []


def test_ids_need_not_be_consecutive(kcm_rubric_data: Data, schema_engine: Engine) -> None:
    # A later version may drop 2.2 and 2.1.1.b; the remaining ids must keep their meaning.
    onderdelen = kcm_rubric_data["eindtermen"][1]["onderdelen"]
    del onderdelen[1]
    del onderdelen[0]["processen"][0]["criteria"][1]
    assert validate_rubric_data(kcm_rubric_data, engine=schema_engine) == []


def test_min_count_may_equal_the_criteria_of_an_eindterm(
    kcm_rubric_data: Data, schema_engine: Engine
) -> None:
    kcm_rubric_data["scoring"] = {"rule": "min_count", "min_count": 4}
    assert validate_rubric_data(kcm_rubric_data, engine=schema_engine) == []


def test_min_count_is_checked_only_against_eindtermen_it_applies_to(
    kcm_rubric_data: Data, schema_engine: Engine
) -> None:
    # Eindterm 1 (4 criteria) has its own rule, so 7 is fine for the rest (3: 7, 2: 26).
    kcm_rubric_data["scoring"] = {"rule": "min_count", "min_count": 7}
    kcm_rubric_data["eindtermen"][0]["scoring"] = {"rule": "all"}
    assert validate_rubric_data(kcm_rubric_data, engine=schema_engine) == []


def test_min_fraction_one_is_allowed(kcm_rubric_data: Data, schema_engine: Engine) -> None:
    kcm_rubric_data["scoring"] = {"rule": "min_fraction", "min_fraction": 1}
    assert validate_rubric_data(kcm_rubric_data, engine=schema_engine) == []


def test_optional_parts_may_be_left_out(kcm_rubric_data: Data, schema_engine: Engine) -> None:
    for key in ("$schema", "fields", "conditions"):
        kcm_rubric_data.pop(key)
    outbound_criterion(kcm_rubric_data).pop("applies_when")
    assert validate_rubric_data(kcm_rubric_data, engine=schema_engine) == []


# --- the loader -------------------------------------------------------------------------------


def test_loader_builds_the_model_from_text_or_bytes(kcm_rubric_path: Path) -> None:
    raw = kcm_rubric_path.read_bytes()
    from_bytes = load_rubric(raw)
    from_text = load_rubric(raw.decode("utf-8"))
    assert isinstance(from_bytes, Rubric)
    assert from_bytes == from_text
    assert from_bytes.criterion("2.4.1.b").applies_when is not None


def test_loader_reports_json_errors_with_the_source(kcm_rubric_path: Path) -> None:
    text = kcm_rubric_path.read_text(encoding="utf-8").replace('"1.0.0"', '"1.0.0",,', 1)
    with pytest.raises(KcmError) as caught:
        load_rubric(text, source="rubric/x.json")
    (line,) = caught.value.lines()
    assert (
        line
        == "rubric/x.json: $: ongeldige JSON op regel 4, kolom 22: hier hoort een sleutel "
        + ('tussen dubbele aanhalingstekens, zoals "id"')
    )


def test_loader_refuses_a_json_array() -> None:
    with pytest.raises(KcmError) as caught:
        load_rubric("[]")
    assert caught.value.problems == (
        Problem((), "het bestand moet een JSON-object {...} zijn, niet een lijst"),
    )


def test_rubric_from_data_raises_with_all_problems(kcm_rubric_data: Data) -> None:
    kcm_rubric_data.pop("id")
    kcm_rubric_data.pop("version")
    with pytest.raises(KcmError) as caught:
        rubric_from_data(kcm_rubric_data)
    assert len(caught.value.problems) == 2


def test_load_rubric_file_names_a_missing_file(tmp_path: Path) -> None:
    missing = tmp_path / "weg.json"
    with pytest.raises(KcmError) as caught:
        load_rubric_file(missing)
    assert caught.value.source == str(missing)
    assert caught.value.problems == (Problem((), "bestand niet gevonden"),)


def test_load_rubric_file_reads_a_valid_file(kcm_rubric_path: Path) -> None:
    assert load_rubric_file(kcm_rubric_path).id == "klantcontact"


def test_without_jsonschema_the_pure_engine_is_used(
    kcm_rubric_data: Data, monkeypatch: pytest.MonkeyPatch
) -> None:
    # As in the browser: importing jsonschema fails.
    monkeypatch.setitem(sys.modules, "jsonschema", None)
    kcm_core.schemacheck.jsonschema_available.cache_clear()
    try:
        assert not kcm_core.schemacheck.jsonschema_available()
        criterion(kcm_rubric_data, 1, 0, 0, 3).update(critcal=True)
        problems = validate_rubric_data(kcm_rubric_data)  # engine "auto"
    finally:
        kcm_core.schemacheck.jsonschema_available.cache_clear()
    assert [p.path for p in problems] == [f"{C_2_1_1}[3].critcal"]
