"""The exam office's report as data (``kcm_core.report``, design §5 ``kcm report``): what
counts, pass and met rates, and agreement between two assessors with Cohen's kappa."""

from __future__ import annotations

import copy
from fractions import Fraction
from typing import Any

import pytest
from _factories import (
    assessment_data,
    collection_data,
    kcm_rubric,
    rubric_from_data,
    sealed_data,
    small_rubric_data,
)
from _report_records import candidate, joint_of, original, without

from kcm_core.report import build_report, document_records
from kcm_core.report_agreement import cohen_kappa
from kcm_core.report_csv import csv_text, report_csv_files
from kcm_core.report_model import Report, SourceRecord


def report_of(*records: dict[str, Any]) -> Report:
    return build_report(
        [SourceRecord(f"r{i}.json", (), data) for i, data in enumerate(records)], [kcm_rubric()]
    )


def table(both: int, only_a: int, only_b: int, neither: int) -> list[tuple[str, str]]:
    """(A, B) answers from a 2x2 table: met by both, only by A, only by B, by neither."""
    return (
        [("met", "met")] * both
        + [("met", "missing")] * only_a
        + [("missing", "met")] * only_b
        + [("missing", "missing")] * neither
    )


# Hand-computed: 10 pairs, table
#                B met   B not
#     A met        6       1
#     A not        1       2
# po = (6 + 2) / 10 = 0.8; A and B each met 7 of 10: pe = 0.7 * 0.7 + 0.3 * 0.3 = 0.58;
# kappa = (0.8 - 0.58) / (1 - 0.58) = 0.22 / 0.42 = 11/21 = 0.5238...
HAND_COMPUTED = table(6, 1, 1, 2)


@pytest.mark.parametrize(
    ("answers", "kappa"),
    [
        pytest.param(HAND_COMPUTED, Fraction(11, 21), id="hand-computed-2x2"),
        pytest.param(table(3, 0, 0, 2), Fraction(1), id="always-agree-with-variation"),
        pytest.param(table(0, 2, 2, 0), Fraction(-1), id="always-disagree"),
        # po = 0.5, pe = 0.5 (A always ticks, B half): no better than chance.
        pytest.param(table(2, 2, 0, 0), Fraction(0), id="one-assessor-always-ticks"),
    ],
)
def test_cohen_kappa_matches_hand_computed_values(
    answers: list[tuple[str, str]], kappa: Fraction
) -> None:
    assert cohen_kappa(answers) == pytest.approx(float(kappa))


@pytest.mark.parametrize(
    "answers",
    [
        pytest.param(table(5, 0, 0, 0), id="both-always-tick"),
        pytest.param(table(0, 0, 0, 4), id="both-never-tick"),
        pytest.param([("na", "na")] * 3, id="both-always-nvt"),
        pytest.param([], id="no-pairs"),
    ],
)
def test_kappa_without_variation_is_none(answers: list[tuple[str, str]]) -> None:
    assert cohen_kappa(answers) is None


def test_agreement_per_criterion_over_ten_candidates_matches_the_hand_computed_example() -> None:
    records = []
    for index, (a, b) in enumerate(HAND_COMPUTED):
        name = f"Kandidaat {index}"
        records.append(original(f"a{index}", "A. Jansen", name, () if a == "met" else ("1.1.1.a",)))
        records.append(original(f"b{index}", "B. Bakker", name, () if b == "met" else ("1.1.1.a",)))
    (part,) = report_of(*records).rubrics
    rows = {a.id: a for a in part.agreement}
    assert (rows["1.1.1.a"].pairs, rows["1.1.1.a"].agreements) == (10, 8)
    assert rows["1.1.1.a"].kappa == pytest.approx(11 / 21)
    assert rows["1.1.1.b"].kappa is None
    assert rows["1.1.1.b"].percentage == 100.0
    lines = report_csv_files(part)["overeenstemming.csv"].splitlines()
    assert "1.1.1.a;10;8;0,524" in lines
    assert "1.1.1.b;10;10;" in lines
    (assessors,) = part.assessor_pairs
    assert (assessors.assessor_a, assessors.assessor_b, assessors.pairs) == (
        "A. Jansen",
        "B. Bakker",
        10,
    )


def test_a_joint_record_replaces_its_originals_for_pass_rates() -> None:
    a = original("orig-a", "A. Jansen", "Sanne de Vries")
    b = original("orig-b", "B. Bakker", "Sanne de Vries", ("2.2.1.e",))
    joint = joint_of(a, b, "joint-1")
    (part,) = report_of(a, b, joint).rubrics
    assert (part.assessed, part.passed) == (1, 0)
    assert [row.record_id for row in part.candidates] == ["joint-1"]
    assert part.candidates[0].assessors == ("A. Jansen", "B. Bakker")
    agreed = {a.id: (a.pairs, a.agreements) for a in part.agreement}
    assert agreed["2.2.1.e"] == (1, 0)
    assert agreed["1.1.1.a"] == (1, 1)


def test_originals_without_their_joint_record_count_each() -> None:
    a = original("orig-a", "A. Jansen", "Sanne de Vries")
    b = original("orig-b", "B. Bakker", "Sanne de Vries", ("2.2.1.e",))
    (part,) = report_of(a, b).rubrics
    assert (part.assessed, part.passed) == (2, 1)
    assert part.pairs == 1


def tampered() -> dict[str, Any]:
    record = copy.deepcopy(sealed_data())
    record["criteria"]["2.2.1.e"]["checked"] = False
    return record


def practice() -> dict[str, Any]:
    data = assessment_data(status="final")
    data |= {"practice": True, "history": [{"at": data["finalized"], "action": "finalized"}]}
    return data


@pytest.mark.parametrize(
    ("record", "state", "words"),
    [
        pytest.param(tampered(), "changed", "het zegel klopt niet", id="tampered"),
        pytest.param(assessment_data(), "draft", "niet afgerond", id="draft"),
        pytest.param(practice(), "practice", "oefening", id="practice"),
        pytest.param(
            {k: v for k, v in sealed_data().items() if k not in ("seal", "result")},
            "unsealed",
            "niet verzegeld",
            id="unsealed",
        ),
        pytest.param(
            sealed_data() | {"rubric": {"id": "klantcontact", "version": "9.9.9"}},
            "invalid",
            "geen rubric",
            id="unknown-rubric",
        ),
        pytest.param([1, 2], "invalid", "", id="not-an-object"),
    ],
)
def test_a_record_that_is_no_verified_exam_result_is_skipped_with_the_reason(
    record: Any, state: str, words: str
) -> None:
    good = sealed_data(assessment_id="good")
    report = report_of(good, record)
    (skipped,) = report.skipped
    assert (skipped.source, skipped.state) == ("r1.json", state)
    assert words in " ".join(p.message for p in skipped.problems)
    (part,) = report.rubrics
    assert part.assessed == 1
    assert [row.record_id for row in part.candidates] == ["good"]


def test_a_record_exported_twice_counts_once() -> None:
    record = sealed_data()
    report = report_of(record, copy.deepcopy(record))
    assert report.rubrics[0].assessed == 1
    assert [s.state for s in report.skipped] == ["duplicate"]


def test_met_rate_leaves_nvt_out_and_counts_it_apart() -> None:
    passed = sealed_data(assessment_id="p", fields=candidate("P"))
    failed = sealed_data(
        assessment_id="f",
        fields=candidate("F"),
        checked=without("1.1.1.a", "1.1.1.c"),
        na={"1.1.1.c": "geen klant aan de lijn"},
    )
    (part,) = report_of(passed, failed).rubrics
    rates = {c.id: (c.applicable, c.met, c.not_applicable, c.percentage) for c in part.criteria}
    assert rates["1.1.1.a"] == (2, 1, 0, 50.0)
    assert rates["1.1.1.c"] == (1, 1, 1, 100.0)
    # Only for outbound calls; both were inbound.
    assert rates["2.4.1.b"] == (0, 0, 2, None)
    eindtermen = {e.id: (e.assessed, e.passed) for e in part.eindtermen}
    assert eindtermen == {"1": (2, 1), "2": (2, 2), "3": (2, 2)}
    assert (part.assessed, part.passed, part.percentage) == (2, 1, 50.0)


def test_results_per_month_follow_the_exam_date_else_the_finalising_date() -> None:
    november = sealed_data(assessment_id="n", fields=candidate("N", datum="2026-11-03"))
    october = sealed_data(assessment_id="o", fields=candidate("O", datum="2026-10-30"))
    (part,) = report_of(november, october).rubrics
    assert [(m.month, m.assessed) for m in part.months] == [("2026-10", 1), ("2026-11", 1)]
    # A rubric without the field "datum": the month of finalising (the factory: 2026-11-27).
    small = rubric_from_data(small_rubric_data([2]))
    undated = sealed_data(small, fields={"naam_kandidaat": "U"})
    (part,) = build_report([SourceRecord("u.json", (), undated)], [small]).rubrics
    assert [(m.month, m.assessed) for m in part.months] == [("2026-11", 1)]


def test_a_candidate_row_holds_the_summary_of_one_assessment() -> None:
    record = sealed_data(assessment_id="r1", checked=without("3.1.1.a"))
    (row,) = report_of(record).rubrics[0].candidates
    assert (row.candidate, row.birth_date, row.date) == (
        "Sanne de Vries",
        "2001-05-04",
        "2026-11-27",
    )
    assert row.assessors == ("A. Jansen",)
    assert row.conditions == (("gesprekstype", ("inbound",)),)
    assert (row.verdict, row.outcomes) == ("fail", (("1", "pass"), ("2", "pass"), ("3", "fail")))
    assert (row.not_applicable, row.seal) == (1, record["seal"]["sha256"])


def test_a_collection_gives_one_record_per_entry_with_its_place() -> None:
    data = collection_data(sealed_data(), sealed_data(assessment_id="a2"))
    records = document_records("alles.json", data, kcm_rubric())
    assert [r.parts for r in records] == [("assessments", 0), ("assessments", 1)]


@pytest.mark.parametrize(
    ("cells", "line"),
    [
        pytest.param(["a", 1, "66,7"], "a;1;66,7", id="plain"),
        pytest.param(["-0,502", "-3"], "-0,502;-3", id="negative-figures-stay-numbers"),
        pytest.param(["=SOM(A1)", "+31 6", "@x", "-x"], "'=SOM(A1);'+31 6;'@x;'-x", id="formulas"),
        pytest.param(
            ["a;b", 'zei "ja"', "regel\nregel"], '"a;b";"zei ""ja""";"regel\nregel"', id="quoted"
        ),
    ],
)
def test_csv_cells_are_guarded_and_quoted_like_the_checklist_export(
    cells: list[str | int], line: str
) -> None:
    assert csv_text([cells]) == "\ufeff" + line + "\r\n"
