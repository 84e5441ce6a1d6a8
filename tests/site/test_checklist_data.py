"""The rubric as data for the checklist's scripts (build_tools.checklist_data): one JSON block
that says everything the scripts need, safe inside a <script> element."""

from __future__ import annotations

import copy
import json
import re
from pathlib import Path
from typing import Any

import pytest

from build_tools.checklist import render_checklist
from build_tools.checklist_data import (
    ELEMENT_ID,
    LIST_LIMIT,
    checklist_data,
    data_block,
    script_json,
)
from kcm_core.assessment import (
    MAX_DATE,
    MAX_EVENTS,
    MAX_FIELD_CHARS,
    MAX_FILE_BYTES,
    MAX_HOLD_SECONDS,
    MAX_REMARK_CHARS,
    MIN_DATE,
)
from kcm_core.canonical import rubric_sha256
from kcm_core.model import Rubric

ROOT = Path(__file__).resolve().parents[2]
RUBRIC_FILE = ROOT / "rubric" / "klantcontact.json"


def load_data() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(RUBRIC_FILE.read_text(encoding="utf-8"))
    return data


@pytest.fixture(scope="module")
def kcm() -> Rubric:
    return Rubric.from_data(load_data())


def block_of(html: str) -> Any:
    found = re.findall(
        rf'<script type="application/json" id="{ELEMENT_ID}">(.*?)</script>', html, re.S
    )
    assert len(found) == 1
    return json.loads(found[0])


def test_the_block_names_the_rubric_and_its_hash(kcm: Rubric) -> None:
    data = checklist_data(kcm)
    assert (data["id"], data["version"], data["title"]) == (kcm.id, kcm.version, kcm.title)
    assert data["sha256"] == rubric_sha256(kcm)


def test_every_criterion_is_listed_in_rubric_order_with_its_place(kcm: Rubric) -> None:
    criteria = checklist_data(kcm)["criteria"]
    assert [c["id"] for c in criteria] == list(kcm.criterion_ids())
    first = criteria[0]
    eindterm = kcm.eindtermen[0]
    onderdeel = eindterm.onderdelen[0]
    proces = onderdeel.processen[0]
    assert first == {
        "id": proces.criteria[0].id,
        "text": proces.criteria[0].text,
        "eindterm": eindterm.id,
        "eindtermTitle": eindterm.title,
        "onderdeel": onderdeel.id,
        "onderdeelText": onderdeel.text,
        "proces": proces.id,
        "procesText": proces.text,
        "critical": proces.criteria[0].critical,
        "allowNa": proces.criteria[0].allow_na and not proces.criteria[0].critical,
    }


def test_fields_and_conditions_carry_labels_types_and_options(kcm: Rubric) -> None:
    data = checklist_data(kcm)
    assert [f["id"] for f in data["fields"]] == [
        "bedrijf",
        "naam_kandidaat",
        "datum",
        "geboortedatum_kandidaat",
    ]
    assert {f["id"]: f["type"] for f in data["fields"]}["datum"] == "date"
    (condition,) = data["conditions"]
    assert condition["id"] == "gesprekstype"
    assert condition["multiple"] is True
    assert [o["id"] for o in condition["options"]] == ["inbound", "outbound"]


def test_limits_are_the_ones_kcm_core_enforces(kcm: Rubric) -> None:
    assert checklist_data(kcm)["limits"] == {
        "maxFieldChars": MAX_FIELD_CHARS,
        "maxRemarkChars": MAX_REMARK_CHARS,
        "maxFileBytes": MAX_FILE_BYTES,
        "minDate": MIN_DATE,
        "maxDate": MAX_DATE,
        "listLimit": LIST_LIMIT,
        "maxEvents": MAX_EVENTS,
        "maxHoldSeconds": MAX_HOLD_SECONDS,
    }


def test_a_critical_criterion_never_offers_a_manual_na() -> None:
    data = load_data()
    criterion = data["eindtermen"][0]["onderdelen"][0]["processen"][0]["criteria"][0]
    criterion["critical"] = True
    criterion["allow_na"] = True
    assert checklist_data(Rubric.from_data(data))["criteria"][0]["allowNa"] is False


@pytest.mark.parametrize(
    "text",
    [
        "</script><script>alert(1)</script>",
        "<!-- a comment opens",
        "A & B > C",
        "regel\u2028scheiding",
        "'quotes' and \"quotes\"",
    ],
)
def test_rubric_text_cannot_end_the_block_and_reads_back_unchanged(text: str) -> None:
    data = copy.deepcopy(load_data())
    data["title"] = text
    rubric = Rubric.from_data(data)
    block = data_block(rubric)
    inner = block[block.index(">") + 1 : -len("</script>")]
    assert "<" not in inner
    assert ">" not in inner
    assert block_of(block)["title"] == text


def test_script_json_escapes_only_what_html_would_read(kcm: Rubric) -> None:
    assert script_json({"a": "<b>&"}) == '{"a":"\\u003cb\\u003e\\u0026"}'
    assert json.loads(script_json(checklist_data(kcm))) == checklist_data(kcm)


def test_the_checklist_carries_the_block_before_its_first_control(kcm: Rubric) -> None:
    html = render_checklist(kcm)
    assert block_of(html) == checklist_data(kcm)
    assert html.index(ELEMENT_ID) < html.index("<input")
