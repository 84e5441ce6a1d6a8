"""The rubric as data for the checklist's scripts: one JSON block in the checklist page.

The checklist's JavaScript (``docs/assets/kcm/page.js``) reads every fact about the rubric from
this block: ids, texts, labels, conditions, which criteria are critical or allow a manual
n.v.t., and the limits ``kcm_core`` enforces. Before, the scripts scraped these facts back out
of the rendered HTML, so the markup carried attributes for them and a change of markup could
silently change the data. Now the HTML is for people and the block is for the scripts, and both
come from the same ``Rubric`` object.

The block is ``<script type="application/json" id="kcm-rubric-data">``: browsers never run such
a script, so the page's Content-Security-Policy needs no hash for it.
"""

from __future__ import annotations

import json
from typing import Any, Final

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

__all__ = ["ELEMENT_ID", "LIST_LIMIT", "checklist_data", "data_block"]

#: The id of the block's ``<script>`` element; page.js looks it up by this id.
ELEMENT_ID: Final = "kcm-rubric-data"

#: How many assessments the list shows at first (the most recent); "Toon alle" shows the rest.
LIST_LIMIT: Final = 50


def checklist_data(rubric: Rubric) -> dict[str, Any]:
    """What the checklist's scripts know of ``rubric``, as JSON data (keys in camelCase, the
    scripts' own style)."""
    criteria: list[dict[str, Any]] = []
    for eindterm in rubric.eindtermen:
        for onderdeel in eindterm.onderdelen:
            for proces in onderdeel.processen:
                for criterion in proces.criteria:
                    criteria.append(
                        {
                            "id": criterion.id,
                            "text": criterion.text,
                            "eindterm": eindterm.id,
                            "eindtermTitle": eindterm.title,
                            "onderdeel": onderdeel.id,
                            "onderdeelText": onderdeel.text,
                            "proces": proces.id,
                            "procesText": proces.text,
                            "critical": criterion.critical,
                            "allowNa": criterion.allow_na and not criterion.critical,
                        }
                    )
    return {
        "id": rubric.id,
        "version": rubric.version,
        "sha256": rubric_sha256(rubric),
        "title": rubric.title,
        "fields": [
            {"id": f.id, "label": f.label, "type": f.type, "required": f.required}
            for f in rubric.fields
        ],
        "conditions": [
            {
                "id": c.id,
                "label": c.label,
                "multiple": c.multiple,
                "required": c.required,
                "options": [{"id": o.id, "label": o.label} for o in c.options],
            }
            for c in rubric.conditions
        ],
        "eindtermen": [{"id": e.id, "title": e.title} for e in rubric.eindtermen],
        "criteria": criteria,
        "limits": {
            "maxFieldChars": MAX_FIELD_CHARS,
            "maxRemarkChars": MAX_REMARK_CHARS,
            "maxFileBytes": MAX_FILE_BYTES,
            # The dates a date field may hold; assessment.js stores no other.
            "minDate": MIN_DATE,
            "maxDate": MAX_DATE,
            "listLimit": LIST_LIMIT,
            # Notes during the call (events): how many, and the longest hold kcm_core accepts.
            "maxEvents": MAX_EVENTS,
            "maxHoldSeconds": MAX_HOLD_SECONDS,
        },
    }


def script_json(value: Any) -> str:
    """``value`` as JSON that is safe inside a ``<script>`` element: ``<``, ``>`` and ``&`` are
    written as ``\\u`` escapes, so no text from the rubric can end the element or open a
    comment; JSON.parse reads them back unchanged."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def data_block(rubric: Rubric) -> str:
    """The ``<script type="application/json">`` element for the checklist page."""
    return (
        f'<script type="application/json" id="{ELEMENT_ID}">'
        f"{script_json(checklist_data(rubric))}</script>"
    )
