"""Load a rubric file: strict JSON, then two checks, then the model.

1. **Structure** (``rubric.schema.json``, the same file as ``rubric/schema.json``): types,
   required and unknown keys, allowed values, id formats. With ``jsonschema`` where installed,
   otherwise with the pure-Python engine of ``kcm_core.schemacheck``; both give the same problems.
2. **Meaning** (this module), for what a schema cannot say:

   - ids are unique: Eindtermen, onderdelen, processen and criteria share one set of ids (an
     assessment refers to them by id alone); field ids, condition ids, and the option ids within
     one condition are unique among themselves;
   - ids follow the hierarchy (ARCHITECTURE.md §3): onderdeel = Eindterm id + ``.N``, proces =
     onderdeel id + ``.N``, criterion = proces id + ``.`` + letter(s). The numbers need not be
     consecutive or sorted: a later version may drop an item, and ids are never reused;
   - ``applies_when`` names an existing condition, and each of ``any_of`` is an option of it;
   - scoring: rule ``min_count`` needs ``min_count`` and ``min_fraction`` needs
     ``min_fraction``; either key with another rule is an error (it would be silently ignored);
     ``min_count`` may not exceed the number of criteria of any Eindterm it applies to (that
     Eindterm could never pass). The ranges (``min_count`` >= 1, 0 < ``min_fraction`` <= 1) are
     in the schema;
   - a critical (knock-out) criterion may not have ``allow_na``: ARCHITECTURE.md §3 says a critical
     criterion is never n.v.t. by hand. It *may* have ``applies_when``: a knock-out that exists
     only in some situations (say, a legal rule for outbound calls) is meaningful, and n.v.t. by
     condition is a fact about the call, not the assessor's choice.

   The meaning checks are written for broken input too: they skip what the structure check
   already reports, so every problem of a file is reported once, all in one go.
"""

from __future__ import annotations

import functools
import json
import os
from collections.abc import Mapping, Sequence
from importlib import resources
from typing import Any

from kcm_core.errors import KcmError, PathParts, Problem, json_path, quote
from kcm_core.jsonparse import (
    DEFAULT_MAX_BYTES,
    DEFAULT_MAX_DEPTH,
    parse_json_object,
    read_file_limited,
)
from kcm_core.model import Rubric
from kcm_core.schemacheck import Engine, Located, check_located, search, to_problems

__all__ = [
    "MAX_RUBRIC_BYTES",
    "MAX_RUBRIC_DEPTH",
    "SCHEMA_RESOURCE",
    "load_rubric",
    "load_rubric_file",
    "rubric_from_data",
    "rubric_schema",
    "validate_rubric_data",
]

# A rubric is a hand-written file of some kB (KCM: 15 kB); see kcm_core.jsonparse.
MAX_RUBRIC_BYTES = DEFAULT_MAX_BYTES
MAX_RUBRIC_DEPTH = DEFAULT_MAX_DEPTH
SCHEMA_RESOURCE = "rubric.schema.json"


@functools.cache
def rubric_schema() -> dict[str, Any]:
    """The rubric JSON Schema shipped in the package (do not modify the returned dict)."""
    text = resources.files("kcm_core").joinpath(SCHEMA_RESOURCE).read_text(encoding="utf-8")
    schema: dict[str, Any] = json.loads(text)
    return schema


def validate_rubric_data(data: object, *, engine: Engine = "auto") -> list[Problem]:
    """Every problem of parsed rubric JSON (structure and meaning), sorted by path."""
    located = check_located(data, rubric_schema(), engine=engine)
    if isinstance(data, dict):
        located.extend(_MeaningCheck(data).run())
    return to_problems(located)


def rubric_from_data(data: object, *, source: str | None = None, engine: Engine = "auto") -> Rubric:
    """Validate parsed rubric JSON and build the model; ``KcmError`` lists every problem."""
    problems = validate_rubric_data(data, engine=engine)
    if problems:
        raise KcmError(problems, source=source)
    assert isinstance(data, dict)  # the schema requires an object
    return Rubric.from_data(data)


def load_rubric(raw: bytes | str, *, source: str | None = None, engine: Engine = "auto") -> Rubric:
    """Parse (strictly, see ``kcm_core.jsonparse``), validate and build a rubric.

    ``source`` (a file name) is kept on the ``KcmError`` for messages.
    """
    try:
        data = parse_json_object(raw, max_bytes=MAX_RUBRIC_BYTES, max_depth=MAX_RUBRIC_DEPTH)
    except KcmError as error:
        raise KcmError(error.problems, source=source) from None
    return rubric_from_data(data, source=source, engine=engine)


def load_rubric_file(path: str | os.PathLike[str], *, engine: Engine = "auto") -> Rubric:
    """``load_rubric`` on a file; a missing, unreadable or huge file is a ``KcmError`` too."""
    source = os.fspath(path)
    try:
        raw = read_file_limited(path, max_bytes=MAX_RUBRIC_BYTES)
    except KcmError as error:
        raise KcmError(error.problems, source=source) from None
    return load_rubric(raw, source=source, engine=engine)


# --- meaning -----------------------------------------------------------------------------------


def _pattern_of(definition: str) -> str:
    pattern = rubric_schema()["$defs"][definition]["pattern"]
    assert isinstance(pattern, str)
    return pattern


def _list(value: object) -> list[Any]:
    return value if isinstance(value, list) else []


def _items(container: Mapping[str, Any], key: str) -> list[tuple[int, dict[str, Any]]]:
    """The objects in list ``container[key]`` with their index; anything else is skipped (the
    structure check reports it)."""
    return [(i, item) for i, item in enumerate(_list(container.get(key))) if isinstance(item, dict)]


class _MeaningCheck:
    def __init__(self, data: dict[str, Any]) -> None:
        self.data = data
        self.found: list[Located] = []
        # Eindterm, onderdeel, proces and criterion ids: one namespace.
        self.hierarchy_ids: dict[str, PathParts] = {}
        self.options: dict[str, list[str] | None] = {}  # condition id -> option ids

    def problem(self, path: PathParts, message: str) -> None:
        self.found.append((path, message))

    def run(self) -> list[Located]:
        self.check_fields()
        self.check_conditions()
        counts = self.check_eindtermen()
        # The rubric's rule applies to every Eindterm without its own "scoring".
        defaults = [(eid, n) for eid, n, own in counts if not own]
        self.check_scoring(self.data.get("scoring"), ("scoring",), defaults)
        return self.found

    def well_formed(self, value: object, definition: str) -> str | None:
        """``value`` if it is a string in the form of ``definition``; else None (the structure
        check reports it, so it is not judged again here)."""
        if isinstance(value, str) and search(_pattern_of(definition), value):
            return value
        return None

    def unique(
        self, seen: dict[str, PathParts], value: str | None, path: PathParts, what: str = "het id"
    ) -> None:
        if value is None:
            return
        first = seen.setdefault(value, path)
        if first != path:
            self.problem(path, f"{what} {quote(value)} komt al eerder voor, op {json_path(first)}")

    def check_fields(self) -> None:
        seen: dict[str, PathParts] = {}
        for i, field in _items(self.data, "fields"):
            path: PathParts = ("fields", i, "id")
            self.unique(seen, self.well_formed(field.get("id"), "key"), path)

    def check_conditions(self) -> None:
        seen: dict[str, PathParts] = {}
        for i, condition in _items(self.data, "conditions"):
            cid = self.well_formed(condition.get("id"), "key")
            self.unique(seen, cid, ("conditions", i, "id"))
            seen_options: dict[str, PathParts] = {}
            option_ids: list[str] = []
            for j, option in _items(condition, "options"):
                oid = self.well_formed(option.get("id"), "key")
                self.unique(seen_options, oid, ("conditions", i, "options", j, "id"))
                if oid is not None:
                    option_ids.append(oid)
            if cid is not None:
                # Without a proper list of options the structure check has spoken; references
                # to its options are then not judged.
                valid = isinstance(condition.get("options"), list) and bool(condition["options"])
                self.options.setdefault(cid, option_ids if valid else None)

    def check_eindtermen(self) -> list[tuple[str, int, bool]]:
        """Check the hierarchy; return (label, number of criteria, has own scoring) per
        Eindterm."""
        counts: list[tuple[str, int, bool]] = []
        for ei, eindterm in _items(self.data, "eindtermen"):
            epath: PathParts = ("eindtermen", ei)
            eid = self.hierarchy_id(eindterm, epath, "eindtermId", None, "")
            count = 0
            for oi, onderdeel in _items(eindterm, "onderdelen"):
                opath = (*epath, "onderdelen", oi)
                oid = self.hierarchy_id(onderdeel, opath, "onderdeelId", eid, "de Eindterm")
                for pi, proces in _items(onderdeel, "processen"):
                    ppath = (*opath, "processen", pi)
                    pid = self.hierarchy_id(proces, ppath, "procesId", oid, "het onderdeel")
                    for ci, criterion in _items(proces, "criteria"):
                        cpath = (*ppath, "criteria", ci)
                        self.hierarchy_id(criterion, cpath, "criterionId", pid, "het proces")
                        self.check_criterion(criterion, cpath)
                        count += 1
            label = eid if eid is not None else json_path(epath)
            own = "scoring" in eindterm
            if own:
                self.check_scoring(eindterm["scoring"], (*epath, "scoring"), [(label, count)])
            counts.append((label, count, own))
        return counts

    def hierarchy_id(
        self,
        item: Mapping[str, Any],
        path: PathParts,
        definition: str,
        parent_id: str | None,
        parent_name: str,
    ) -> str | None:
        """Check uniqueness and the parent prefix of ``item["id"]``; return it if well formed."""
        value = self.well_formed(item.get("id"), definition)
        id_path = (*path, "id")
        self.unique(self.hierarchy_ids, value, id_path)
        if value is not None and parent_id is not None and value.rpartition(".")[0] != parent_id:
            self.problem(
                id_path,
                f"het id {quote(value)} moet beginnen met {quote(parent_id + '.')} "
                f"(het id van {parent_name} erboven)",
            )
            # Children are not judged against an id that is itself wrong: one mistake, one
            # message.
            return None
        return value

    def check_criterion(self, criterion: Mapping[str, Any], path: PathParts) -> None:
        if criterion.get("critical") is True and criterion.get("allow_na") is True:
            self.problem(
                (*path, "allow_na"),
                "een knock-out-criterium ('critical': true) mag nooit n.v.t. zijn; "
                "haal 'allow_na' weg of zet 'critical' op false",
            )
        applies_when = criterion.get("applies_when")
        if not isinstance(applies_when, dict):
            return
        cid = self.well_formed(applies_when.get("condition"), "key")
        if cid is None:
            return
        if cid not in self.options:
            known = ", ".join(quote(k) for k in self.options)
            hint = f"bekend: {known}" if known else "de rubric heeft geen 'conditions'"
            self.problem(
                (*path, "applies_when", "condition"), f"onbekende situatie {quote(cid)}; {hint}"
            )
            return
        options = self.options[cid]
        if options is None:
            return
        choices = f"kies uit {', '.join(quote(o) for o in options)}" if options else "er zijn geen"
        for i, option in enumerate(_list(applies_when.get("any_of"))):
            oid = self.well_formed(option, "key")
            if oid is not None and oid not in options:
                self.problem(
                    (*path, "applies_when", "any_of", i),
                    f"situatie {quote(cid)} heeft geen keuze {quote(oid)}; {choices}",
                )

    def check_scoring(
        self, scoring: object, path: PathParts, targets: Sequence[tuple[str, int]]
    ) -> None:
        """Rules between the keys of a scoring object, and min_count against the criteria of
        the Eindtermen it applies to (``targets``: label, number of criteria)."""
        if not isinstance(scoring, dict):
            return
        rule = scoring.get("rule")
        if rule not in ("all", "min_count", "min_fraction"):
            return  # the structure check reports a missing or unknown rule
        for key in ("min_count", "min_fraction"):
            if rule == key and key not in scoring:
                self.problem(path, f"bij rule {quote(rule)} hoort ook de sleutel {quote(key)}")
            elif rule != key and key in scoring:
                self.problem(
                    (*path, key),
                    f"{quote(key)} hoort alleen bij rule {quote(key)}; hier is rule {quote(rule)}",
                )
        min_count = scoring.get("min_count")
        if rule != "min_count" or isinstance(min_count, bool):
            return
        if not isinstance(min_count, int | float) or min_count < 1:
            return  # the structure check reports it
        for label, count in targets:
            if 0 < count < min_count:
                self.problem(
                    (*path, "min_count"),
                    f"min_count {quote(min_count)} is meer dan de {count} criteria van Eindterm "
                    f"{quote(label)}; die Eindterm kan zo nooit behaald worden",
                )
