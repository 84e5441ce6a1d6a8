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
from dataclasses import dataclass
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

__all__ = ["ELEMENT_ID", "LIST_LIMIT", "OtherRubric", "SiteRubrics", "checklist_data", "data_block"]

#: The id of the block's ``<script>`` element; page.js looks it up by this id.
ELEMENT_ID: Final = "kcm-rubric-data"

#: How many assessments the list shows at first (the most recent); "Toon alle" shows the rest.
LIST_LIMIT: Final = 50


@dataclass(frozen=True, slots=True)
class OtherRubric:
    """Another rubric of the site, for the list of saved assessments (a record of it opens on
    its own checklist). URLs are relative to the page that carries the block."""

    id: str
    title: str
    checklist_url: str
    practice_url: str


@dataclass(frozen=True, slots=True)
class SiteRubrics:
    """What a checklist knows of the site around its rubric: the rubric's archived versions
    (a record made with one of them opens, read-only, with a notice, scored against its own
    version), the site's other rubrics, and where this rubric's changes are described."""

    archived: tuple[Rubric, ...] = ()
    others: tuple[OtherRubric, ...] = ()
    changes_url: str | None = None
    # The page of the other kind (the exam checklist from the practice page and back).
    sibling_url: str | None = None


def checklist_data(
    rubric: Rubric, *, practice: bool = False, site: SiteRubrics | None = None
) -> dict[str, Any]:
    """What the checklist's scripts know of ``rubric``, as JSON data (keys in camelCase, the
    scripts' own style). ``practice``: the page is the candidates' practice checklist
    ("Oefening"); ``site``: the rubric's archived versions and the site's other rubrics."""
    site = site or SiteRubrics()
    return {
        **rubric_facts(rubric),
        "practice": practice,
        # Full facts of each archived version: an old record is shown, printed and exported
        # (CSV) with the texts of its own version.
        "archived": [rubric_facts(r) for r in site.archived],
        "others": [
            {
                "id": o.id,
                "title": o.title,
                "checklistUrl": o.checklist_url,
                "practiceUrl": o.practice_url,
            }
            for o in site.others
        ],
        "changesUrl": site.changes_url,
        "siblingUrl": site.sibling_url,
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


def rubric_facts(rubric: Rubric) -> dict[str, Any]:
    """The rubric's own facts: identity, fields, conditions, Eindtermen and criteria."""
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
    }


def script_json(value: Any) -> str:
    """``value`` as JSON that is safe inside a ``<script>`` element: ``<``, ``>`` and ``&`` are
    written as ``\\u`` escapes, so no text from the rubric can end the element or open a
    comment; JSON.parse reads them back unchanged."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def data_block(rubric: Rubric, *, practice: bool = False, site: SiteRubrics | None = None) -> str:
    """The ``<script type="application/json">`` element for the checklist page."""
    data = checklist_data(rubric, practice=practice, site=site)
    return f'<script type="application/json" id="{ELEMENT_ID}">{script_json(data)}</script>'
