"""Everything the checklist saves or exports, kcm_core imports again, unchanged.

Hypothesis makes page states as sequences of an assessor's edits (header fields including dates
that kcm_core would refuse, conditions, ticks, n.v.t. with and without a reason, remarks,
finalising when kcm_core says the draft is complete, reopening, and a copy as "keep both" on
import makes). They run through the page's own code, ``docs/assets/kcm/assessment.js`` (and
``transfer.js``'s copyOf), in one long-lived Node process (``tests/js/round-trip-driver.mjs``).
Its export files must load in kcm_core without a rejection, and kcm_core's normalised form,
written back as the page writes JSON, must be the same text byte for byte.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from build_tools.checklist_data import checklist_data
from kcm_core.assessment import (
    MAX_FIELD_CHARS,
    MAX_REMARK_CHARS,
    dump_assessments,
    load_assessment,
    load_assessment_data,
    load_assessments,
    load_assessments_partial,
)
from kcm_core.model import Rubric
from kcm_core.rubric_load import load_rubric_file
from kcm_core.scoring import score

ROOT = Path(__file__).resolve().parents[2]
DRIVER = ROOT / "tests" / "js" / "round-trip-driver.mjs"
START = datetime(2026, 11, 27, 9, 0, tzinfo=UTC)


@cache
def rubric() -> Rubric:
    return load_rubric_file(ROOT / "rubric" / "klantcontact.json")


@cache
def page_rubric() -> dict[str, Any]:
    """The rubric as the page's scripts read it (its JSON data block)."""
    return checklist_data(rubric())


class Driver:
    """The Node process that runs the page's scripts; one request, one answer."""

    def __init__(self) -> None:
        self.process = subprocess.Popen(
            ["node", str(DRIVER)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            encoding="utf-8",
            cwd=ROOT,
        )

    def ask(self, **request: Any) -> dict[str, Any]:
        assert self.process.stdin is not None
        assert self.process.stdout is not None
        self.process.stdin.write(json.dumps(request) + "\n")
        self.process.stdin.flush()
        answer: dict[str, Any] = json.loads(self.process.stdout.readline())
        assert "error" not in answer, answer.get("error")
        return answer

    def close(self) -> None:
        assert self.process.stdin is not None
        self.process.stdin.close()
        self.process.wait(timeout=10)


@pytest.fixture(scope="module")
def driver() -> Iterator[Driver]:
    if shutil.which("node") is None:
        pytest.skip("Node.js is needed to run the page's scripts (see README)")
    running = Driver()
    yield running
    running.close()


# --- page states as edits -------------------------------------------------------------------

# Text an assessor may type: letters, quotes, separators, newlines, accents and emoji (two
# UTF-16 code units each, so a cut at a limit may fall inside one).
TEXT = st.text(
    alphabet=st.one_of(
        st.sampled_from(list("aZ09 \"';,<>&\\\n\t\u00e9\u00eb\u2028")),
        st.sampled_from(["\U0001f600", "\U0001f9d1", "\u200d"]),
        st.characters(codec="utf-8"),
    ),
    max_size=12,
)


@st.composite
def long_text(draw: st.DrawFn, limit: int) -> str:
    """Short text, or text around ``limit`` (where the page cuts it)."""
    text = draw(TEXT)
    if draw(st.booleans()):
        fill = draw(st.integers(min_value=limit - 3, max_value=limit + 2))
        text = "x" * max(fill - len(text), 0) + text
    return text


DATES = st.one_of(
    st.dates().map(lambda d: d.isoformat()),
    st.sampled_from(["", "020026-11-27", "20026-11-27", "2026-02-30", "0000-01-01", "27-11-2026"]),
)


KINDS: tuple[str, ...] = ("field", "condition", "checked", "na", "criterion-remark", "remark")
KINDS += ("finalize", "reopen", "copy", "assessor", "event", "remove-event")

# Notes made during the call (callaids.js): phases and holds, with any seconds the timer could
# give (the page stores whole seconds within kcm_core's limit).
CALL_EVENT = st.fixed_dictionaries(
    {
        "at": st.sampled_from(["2026-11-27T09:12:00.000Z", "2026-11-27T09:13:05.120Z"]),
        "kind": st.sampled_from(["phase", "hold"]),
        "criterion": st.sampled_from(["2.4.1.a", "2.4.2.c", "1.1.1.a"]),
        "seconds": st.one_of(st.integers(0, 100), st.floats(0, 1e7, allow_nan=False), st.just(-3)),
    }
)


@st.composite
def edit(draw: st.DrawFn) -> dict[str, Any]:
    data = page_rubric()
    kind = draw(st.sampled_from(KINDS))
    criteria = data["criteria"]
    if kind == "field":
        field = draw(st.sampled_from(data["fields"]))
        value = draw(DATES) if field["type"] == "date" else draw(long_text(MAX_FIELD_CHARS))
        return {"type": kind, "id": field["id"], "value": value}
    if kind == "condition":
        condition = draw(st.sampled_from(data["conditions"]))
        options = [o["id"] for o in condition["options"]]
        chosen = draw(st.permutations(options))[: draw(st.integers(0, len(options)))]
        return {"type": kind, "id": condition["id"], "values": chosen}
    if kind == "checked":
        criterion = draw(st.sampled_from(criteria))["id"]
        return {"type": kind, "id": criterion, "value": draw(st.booleans())}
    if kind == "na":
        # The page offers n.v.t. only where the rubric allows it.
        allowed = [c["id"] for c in criteria if c["allowNa"]]
        return {"type": kind, "id": draw(st.sampled_from(allowed)), "value": draw(st.booleans())}
    if kind == "criterion-remark":
        return {
            "type": kind,
            "id": draw(st.sampled_from(criteria))["id"],
            "value": draw(st.one_of(st.just(""), st.just("  "), long_text(MAX_REMARK_CHARS))),
        }
    if kind == "remark":
        where = draw(st.sampled_from(["", *(e["id"] for e in data["eindtermen"])]))
        return {"type": kind, "id": where, "value": draw(long_text(MAX_REMARK_CHARS))}
    if kind == "assessor":
        return {"type": kind, "value": draw(st.one_of(st.just("  "), long_text(MAX_FIELD_CHARS)))}
    if kind in ("event", "remove-event"):
        return {"type": kind, "event": draw(CALL_EVENT)}
    return {"type": kind}


# A filled-in header, so that finalising (which needs it) happens often.
COMPLETE_HEADER: list[dict[str, Any]] = [
    {"type": "field", "id": "bedrijf", "value": "Bel & Co"},
    {"type": "field", "id": "naam_kandidaat", "value": "Sam de Vries"},
    {"type": "field", "id": "datum", "value": "2026-11-27"},
    {"type": "field", "id": "geboortedatum_kandidaat", "value": "2001-05-04"},
    {"type": "condition", "id": "gesprekstype", "values": ["inbound"]},
]

RECORD = st.tuples(st.booleans(), st.lists(edit(), max_size=14))


def complete(data: dict[str, Any]) -> bool:
    """What the page asks kcm_core before it finalises: is nothing missing?"""
    return score(rubric(), load_assessment_data(data, rubric())).complete


def run_record(driver: Driver, number: int, header: bool, edits: list[dict[str, Any]]) -> Any:
    """One assessment as the page makes it: a new draft, then the edits the page would take
    (a final assessment takes only "reopen"; finalising only when complete)."""
    moment = START + timedelta(minutes=number)
    at = moment.isoformat(timespec="milliseconds").replace("+00:00", "Z")
    data: dict[str, Any] = driver.ask(op="new", rubric=page_rubric(), id=f"rec-{number}", at=at)[
        "data"
    ]
    copies = 0
    for step in [*(COMPLETE_HEADER if header else []), *edits]:
        moment += timedelta(seconds=7)
        at = moment.isoformat(timespec="milliseconds").replace("+00:00", "Z")
        final = data["status"] == "final"
        kind = step["type"]
        if kind == "copy":
            copies += 1
            copy_id = f"rec-{number}-kopie-{copies}"
            data = driver.ask(op="copy", data=data, id=copy_id, at=at)["data"]
            continue
        if (kind == "reopen") != final or (kind == "finalize" and not complete(data)):
            continue
        data = driver.ask(op="edit", rubric=page_rubric(), data=data, edit=step, at=at)["data"]
    return data


def page_json(value: Any) -> str:
    """JSON text as the page writes it (JSON.stringify(value, null, 2) and a newline)."""
    return json.dumps(value, indent=2, ensure_ascii=False) + "\n"


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(records=st.lists(RECORD, min_size=1, max_size=3))
def test_what_the_page_exports_imports_again_unchanged(
    driver: Driver, records: list[tuple[bool, list[dict[str, Any]]]]
) -> None:
    made = [run_record(driver, i, header, edits) for i, (header, edits) in enumerate(records)]
    for data in made:
        actions = [h["action"] for h in data["history"]]
        event(f"{data['status']}, history {sorted(set(actions))}")
    exported = "2026-12-01T12:00:00.000Z"
    files = driver.ask(op="export", list=made, exported=exported)

    # All of them, as "Exporteer alles" writes them: no record is refused.
    good, rejected = load_assessments_partial(files["many"], rubric())
    assert rejected == ()
    assert page_json(dump_assessments(good, exported=exported)) == files["many"]
    assert load_assessments(files["many"], rubric()) == good

    # One by one, as "Exporteer (JSON)" writes them.
    for data, text in zip(made, files["one"], strict=True):
        assert page_json(load_assessment(text, rubric()).to_json_data()) == text
        assert json.loads(text) == data
