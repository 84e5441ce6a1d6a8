"""kcm_core: validate exam rubrics and score assessments.

Pure Python with no runtime dependencies, so the same code runs on CPython (CLI, build, tests)
and inside Pyodide in the browser.
"""

from kcm_core.model import (
    AppliesWhen,
    Condition,
    ConditionOption,
    Criterion,
    Eindterm,
    Field,
    Onderdeel,
    Proces,
    Rubric,
    ScoringRule,
)

__version__ = "1.0.0"

__all__ = [
    "AppliesWhen",
    "Condition",
    "ConditionOption",
    "Criterion",
    "Eindterm",
    "Field",
    "Onderdeel",
    "Proces",
    "Rubric",
    "ScoringRule",
    "__version__",
]
