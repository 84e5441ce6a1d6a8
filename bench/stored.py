"""Many stored assessments, in store.js's localStorage format, for the "1,000 stored" figure.

store.js (docs/assets/kcm/store.js) keeps:

    kcm:v1:index             {"schema": 1, "ids": [id, ...]}          the list's order
    kcm:v1:assessment:<id>   {"schema": 1, "rev": n, "saved_at": iso, "data": <assessment>}

``stored_assessments`` writes such records for a rubric: valid assessments (format of design
section 4, checked by kcm_core in tests/site/test_bench_stored.py), a tenth of them final, the
rest drafts in every state of filling in, as an assessor's browser holds after a few years.
"""

from __future__ import annotations

import json
import random
from datetime import UTC, datetime, timedelta
from typing import Any

from kcm_core.canonical import rubric_sha256
from kcm_core.model import Rubric

SCHEMA = 1
PREFIX = "kcm:v1:"
INDEX_KEY = PREFIX + "index"
RECORD_PREFIX = PREFIX + "assessment:"

_FIRST_NAMES = ("Sanne", "Daan", "Fatima", "Lucas", "Noor", "Sem", "Yara", "Milan", "Eva", "Bram")
_LAST_NAMES = ("de Vries", "Jansen", "Bakker", "El Amrani", "Visser", "Smit", "de Boer", "Yilmaz")
_COMPANIES = ("Klantenservice Noord", "Bel & Co", "ContactPlus", "Service Direct")


def _iso(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def assessment_id(number: int) -> str:
    """A UUID-shaped id (what app.js makes with crypto.randomUUID), fixed per number."""
    hex_text = f"{number + 1:032x}"
    return "-".join(
        (hex_text[:8], hex_text[8:12], "4" + hex_text[13:16], "8" + hex_text[17:20], hex_text[20:])
    )


def make_assessment(rubric: Rubric, number: int, rng: random.Random) -> dict[str, Any]:
    """One valid assessment of ``rubric``: draft or final, partly or fully ticked."""
    start = datetime(2024, 1, 8, 9, 0, tzinfo=UTC)
    created = start + timedelta(hours=7 * number, minutes=rng.randrange(60))
    updated = created + timedelta(minutes=rng.randrange(5, 90))
    final = rng.random() < 0.1
    filled = 1.0 if final else rng.random()
    fields: dict[str, str] = {}
    for field in rubric.fields:
        if not (final or rng.random() < filled):
            fields[field.id] = ""
        elif field.type == "date" and "geboorte" in field.id:
            fields[field.id] = f"{rng.randrange(1970, 2006)}-{rng.randrange(1, 13):02d}-15"
        elif field.type == "date":
            fields[field.id] = created.date().isoformat()
        elif "bedrijf" in field.id:
            fields[field.id] = rng.choice(_COMPANIES)
        else:
            fields[field.id] = f"{rng.choice(_FIRST_NAMES)} {rng.choice(_LAST_NAMES)}"
    conditions: dict[str, list[str]] = {}
    for condition in rubric.conditions:
        options = [option.id for option in condition.options]
        chosen = [rng.choice(options)] if (final or rng.random() < filled) else []
        conditions[condition.id] = chosen
    criteria: dict[str, Any] = {}
    for criterion in rubric.criteria():
        if rng.random() < filled * 0.95:
            entry: dict[str, Any] = {"checked": True}
            if rng.random() < 0.05:
                entry["remark"] = "Netjes samengevat aan het eind van het gesprek."
            criteria[criterion.id] = entry
    return {
        "format": "kcm-assessment",
        "format_version": 1,
        "id": assessment_id(number),
        "rubric": {"id": rubric.id, "version": rubric.version, "sha256": rubric_sha256(rubric)},
        "fields": fields,
        "conditions": conditions,
        "criteria": criteria,
        "remarks": {"": "Rustig gesprek, klant goed geholpen."} if rng.random() < 0.3 else {},
        "status": "final" if final else "draft",
        "created": _iso(created),
        "updated": _iso(updated),
        "finalized": _iso(updated) if final else None,
    }


def stored_assessments(rubric: Rubric, count: int, seed: int = 7) -> dict[str, str]:
    """localStorage key -> value for ``count`` assessments plus the index, newest first."""
    rng = random.Random(seed)
    items: dict[str, str] = {}
    ids: list[str] = []
    for number in range(count):
        data = make_assessment(rubric, number, rng)
        envelope = {"schema": SCHEMA, "rev": 1, "saved_at": data["updated"], "data": data}
        items[RECORD_PREFIX + data["id"]] = json.dumps(envelope, ensure_ascii=False)
        ids.append(data["id"])
    items[INDEX_KEY] = json.dumps({"schema": SCHEMA, "ids": ids[::-1]})
    return items
