"""The live-call rows of the bench table (issue 12): figures and targets, no browser."""

from __future__ import annotations

from bench.live_call import LiveCall
from bench.report import format_value
from bench.results import Measurements, make_rows


def live_rows(m: Measurements) -> dict[str, tuple[float | None, str, str]]:
    return {
        row.key: (row.stat.value if row.stat else None, row.verdict, row.note)
        for row in make_rows(m)
        if row.key.startswith("live_")
    }


def test_one_candidate_gives_height_screens_and_taps_against_their_targets() -> None:
    m = Measurements()
    m.live_call.append(LiveCall(page_height_px=7_600, taps=46, scrolled_px=8_440, screen_px=844))
    rows = live_rows(m)
    assert rows["live_page_height"] == (7_600.0, "MISS", "")
    assert rows["live_screens"] == (10.0, "pass", "")
    assert rows["live_taps"] == (46.0, "pass", "")


def test_a_failed_scenario_says_why_instead_of_a_figure() -> None:
    m = Measurements(live_call_error="Timeout 120000ms exceeded")
    rows = live_rows(m)
    assert rows["live_taps"] == (None, "no data", "Timeout 120000ms exceeded")


def test_heights_read_as_pixels_and_screens_with_one_decimal() -> None:
    assert format_value(5_512.0, "px") == "5,512 px"
    assert format_value(8.53, "screens") == "8.5"
