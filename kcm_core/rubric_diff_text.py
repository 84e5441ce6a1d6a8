"""The Dutch words of ``kcm_core.rubric_diff``: how a rule, a condition and a quoted name read in
a sentence for candidates (B1). Kept apart so the diff itself stays about structure.

The phrases follow the site's pages ("Zo wordt beoordeeld", ``build_tools.pages``), which the
browser engine cannot import: a candidate reads the same words on both.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from kcm_core.model import AppliesWhen, Rubric, ScoringRule

__all__ = ["applies_phrase", "percentage", "rule_phrase", "said"]


def said(value: str) -> str:
    """A name or title from the rubric inside a sentence: “Datum”."""
    return f"“{value}”"


def percentage(fraction: float) -> str:
    """0.8 -> '80', 0.755 -> '75,5': exact (no float noise, no rounding), Dutch decimal comma."""
    value = format(Decimal(repr(fraction)) * 100, "f")
    if "." in value:
        value = value.rstrip("0").rstrip(".")
    return value.replace(".", ",")


def rule_phrase(rule: ScoringRule) -> str:
    """What must be met under ``rule``: 'minstens 80 procent van de criteria die van toepassing
    zijn'. Fits after "behaald met"."""
    if rule.rule == "min_count" and rule.min_count is not None:
        if rule.min_count == 1:
            return "minstens 1 criterium dat van toepassing is"
        return f"minstens {rule.min_count} van de criteria die van toepassing zijn"
    if rule.rule == "min_fraction" and rule.min_fraction is not None:
        return (
            f"minstens {percentage(rule.min_fraction)} procent van de criteria die van "
            "toepassing zijn"
        )
    return "alle criteria die van toepassing zijn"


def applies_phrase(rubric: Rubric, applies_when: AppliesWhen | None) -> str:
    """When a criterion of ``rubric`` counts: 'altijd', 'alleen bij outbound gesprekken', or
    from the labels where the rubric gives no ``applies_text``."""
    if applies_when is None:
        return "altijd"
    try:
        condition = rubric.condition(applies_when.condition)
    except KeyError:  # a rubric that was not validated; say what the data says
        return f"alleen bij {join_dutch(list(applies_when.any_of))}"
    options = {o.id: o for o in condition.options}
    chosen = [options[i] for i in applies_when.any_of if i in options]
    if chosen and all(o.applies_text for o in chosen):
        return f"alleen bij {join_dutch([o.applies_text or '' for o in chosen])}"
    labels = join_dutch([o.label for o in chosen] or list(applies_when.any_of))
    return f"alleen bij {condition.label.lower()}: {labels}"


def join_dutch(items: Sequence[str], word: str = "of") -> str:
    """'a', 'a of b', 'a, b of c'."""
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} {word} {items[-1]}"
