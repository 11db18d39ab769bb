"""Progress rules (dashboard/plan/progress.py): schedule status, roll-ups, achievement, freshness."""
from __future__ import annotations

import datetime as dt

import pytest

from dashboard.plan import progress
from dashboard.plan.progress import (
    AT_RISK_GAP,
    DELAYED_GAP,
    Achievement,
    achievement,
    achievement_status,
    days_since,
    elapsed_share,
    is_stale,
    schedule_status,
    target_for_year,
    weighted_progress,
)

D = dt.date
# A ten-day window: on day 5 exactly half of it has elapsed (the as-of day counts),
# so the gap is 50 - progress with no rounding.
START, END = D(2024, 1, 1), D(2024, 1, 10)
HALFWAY = D(2024, 1, 5)


def test_thresholds_are_the_documented_ones():
    assert (AT_RISK_GAP, DELAYED_GAP) == (10.0, 25.0)
    assert set(progress.SCHEDULE_STATUSES) == {
        "completed", "on_track", "at_risk", "delayed", "not_started", "not_yet_due"
    }


@pytest.mark.parametrize(
    ("as_of", "expected"),
    [
        pytest.param(D(2023, 12, 31), 0.0, id="before-start"),
        pytest.param(START, 0.1, id="start-day-counts"),
        pytest.param(HALFWAY, 0.5, id="halfway"),
        pytest.param(END, 1.0, id="end-day"),
        pytest.param(D(2024, 2, 1), 1.0, id="after-end-clamped"),
    ],
)
def test_elapsed_share(as_of, expected):
    assert elapsed_share(START, END, as_of) == pytest.approx(expected)


def test_elapsed_share_of_a_one_day_window_is_whole_on_that_day():
    day = D(2024, 3, 1)
    assert elapsed_share(day, day, day) == 1.0
    assert elapsed_share(day, day, D(2024, 2, 29)) == 0.0


@pytest.mark.parametrize(
    ("status", "progress_value", "start", "end", "as_of", "expected"),
    [
        # Outcomes, in the order the rules are checked.
        pytest.param("cancelled", 50, START, END, HALFWAY, None, id="cancelled-has-none"),
        pytest.param("cancelled", 100, START, END, D(2025, 1, 1), None, id="cancelled-even-if-done"),
        pytest.param("completed", 100, START, END, HALFWAY, "completed", id="completed"),
        pytest.param("completed", 100, START, END, D(2025, 1, 1), "completed", id="completed-after-end"),
        pytest.param("in_progress", 100, START, END, HALFWAY, "completed", id="progress-100-in-progress"),
        pytest.param("delayed", 100, START, END, D(2025, 1, 1), "completed", id="progress-100-delayed"),
        pytest.param("not_started", 0, START, END, D(2023, 12, 31), "not_yet_due", id="before-start"),
        pytest.param("in_progress", 0, START, END, D(2023, 6, 1), "not_yet_due", id="before-start-in-progress-0"),
        pytest.param("in_progress", 20, START, END, D(2023, 12, 31), "on_track", id="before-start-with-progress"),
        pytest.param("delayed", 20, START, END, D(2023, 12, 31), "delayed", id="before-start-reported-delayed"),
        pytest.param("not_started", 0, START, END, START, "not_started", id="start-day-no-progress"),
        pytest.param("in_progress", 5, START, END, START, "on_track", id="start-day-ahead"),
        pytest.param("in_progress", 50, START, END, HALFWAY, "on_track", id="on-schedule"),
        pytest.param("in_progress", 80, START, END, HALFWAY, "on_track", id="ahead"),
        pytest.param("delayed", 80, START, END, HALFWAY, "delayed", id="reported-delayed-while-ahead"),
        pytest.param("suspended", 80, START, END, HALFWAY, "at_risk", id="suspended-while-ahead"),
        pytest.param("suspended", 0, START, END, START, "not_started", id="suspended-no-progress"),
        pytest.param("suspended", 10, START, END, HALFWAY, "delayed", id="suspended-far-behind"),
        pytest.param("not_started", 0, START, END, HALFWAY, "delayed", id="halfway-no-progress"),
        # Gap boundaries: exactly the threshold is still the better status.
        pytest.param("in_progress", 40, START, END, HALFWAY, "on_track", id="gap-exactly-at-risk-gap"),
        pytest.param("in_progress", 39, START, END, HALFWAY, "at_risk", id="gap-just-over-at-risk-gap"),
        pytest.param("in_progress", 25, START, END, HALFWAY, "at_risk", id="gap-exactly-delayed-gap"),
        pytest.param("in_progress", 24, START, END, HALFWAY, "delayed", id="gap-just-over-delayed-gap"),
        # End of the window.
        pytest.param("in_progress", 90, START, END, END, "on_track", id="end-day-gap-10"),
        pytest.param("in_progress", 89, START, END, END, "at_risk", id="end-day-gap-11"),
        pytest.param("in_progress", 99, START, END, D(2024, 1, 11), "delayed", id="day-after-end"),
        pytest.param("not_started", 0, START, END, D(2024, 1, 11), "delayed", id="day-after-end-not-started"),
        # One-day measures (start == end).
        pytest.param("not_started", 0, D(2024, 3, 1), D(2024, 3, 1), D(2024, 2, 29), "not_yet_due", id="one-day-before"),
        pytest.param("in_progress", 95, D(2024, 3, 1), D(2024, 3, 1), D(2024, 3, 1), "on_track", id="one-day-on-the-day"),
        pytest.param("in_progress", 50, D(2024, 3, 1), D(2024, 3, 1), D(2024, 3, 1), "delayed", id="one-day-half-done"),
        # The as-of day counts as elapsed, so a one-day measure is fully due on its day.
        pytest.param("not_started", 0, D(2024, 3, 1), D(2024, 3, 1), D(2024, 3, 1), "delayed", id="one-day-no-progress"),
        pytest.param("in_progress", 95, D(2024, 3, 1), D(2024, 3, 1), D(2024, 3, 2), "delayed", id="one-day-after"),
        pytest.param("completed", 100, D(2024, 3, 1), D(2024, 3, 1), D(2024, 3, 2), "completed", id="one-day-completed"),
    ],
)
def test_schedule_status(status, progress_value, start, end, as_of, expected):
    assert schedule_status(status, progress_value, start, end, as_of) == expected


@pytest.mark.parametrize(
    ("items", "expected"),
    [
        pytest.param([], None, id="empty"),
        pytest.param([(50, 1, "in_progress")], 50.0, id="one"),
        pytest.param([(100, 2, "completed"), (40, 1, "in_progress")], 80.0, id="weighted"),
        pytest.param([(100, 1, "completed"), (0, 5, "cancelled")], 100.0, id="cancelled-excluded"),
        pytest.param([(100, 1, "completed"), (0, 0, "in_progress")], 100.0, id="zero-weight-excluded"),
        pytest.param([(60, 0, "in_progress"), (20, 0, "delayed")], None, id="all-zero-weights"),
        pytest.param([(60, 1, "cancelled"), (20, 3, "cancelled")], None, id="all-cancelled"),
        pytest.param([(0, 1, "not_started"), (0, 1, "not_started")], 0.0, id="zero-is-not-none"),
        pytest.param(
            [(100, 2, "completed"), (30, 1, "in_progress"), (50, 3, "delayed"), (0, 1, "cancelled"), (0, 1, "not_started")],
            380 / 7,
            id="fixture-plan-by-hand",
        ),
    ],
)
def test_weighted_progress(items, expected):
    result = weighted_progress(items)
    if expected is None:
        assert result is None
    else:
        assert result == pytest.approx(expected)


def test_weighted_progress_accepts_a_generator():
    assert weighted_progress((p, 1, "in_progress") for p in (10, 20, 30)) == pytest.approx(20)


@pytest.mark.parametrize(
    ("actual", "target", "baseline", "direction", "ratio", "status"),
    [
        pytest.param(150, 200, 100, "increase", 0.5, "off_track", id="increase-halfway"),
        pytest.param(180, 200, 100, "increase", 0.8, "near", id="increase-near"),
        pytest.param(175, 200, 100, "increase", 0.75, "near", id="increase-exactly-near"),
        pytest.param(200, 200, 100, "increase", 1.0, "met", id="increase-met"),
        pytest.param(250, 200, 100, "increase", 1.5, "met", id="increase-overshoot"),
        pytest.param(80, 200, 100, "increase", 0.0, "off_track", id="increase-wrong-way-clamped"),
        pytest.param(100, 200, 100, "increase", 0.0, "off_track", id="increase-at-baseline"),
        pytest.param(75, 50, 100, "decrease", 0.5, "off_track", id="decrease-halfway"),
        pytest.param(50, 50, 100, "decrease", 1.0, "met", id="decrease-met"),
        pytest.param(25, 50, 100, "decrease", 1.5, "met", id="decrease-overshoot"),
        pytest.param(120, 50, 100, "decrease", 0.0, "off_track", id="decrease-wrong-way-clamped"),
        # No baseline: the target alone is the yardstick.
        pytest.param(150, 200, None, "increase", 0.75, "near", id="no-baseline-increase"),
        pytest.param(300, 200, None, "increase", 1.5, "met", id="no-baseline-increase-overshoot"),
        pytest.param(0, 200, None, "increase", 0.0, "off_track", id="no-baseline-increase-zero"),
        pytest.param(5, 0, None, "increase", 1.0, "met", id="no-baseline-increase-target-0"),
        pytest.param(100, 50, None, "decrease", 0.5, "off_track", id="no-baseline-decrease"),
        pytest.param(40, 50, None, "decrease", 1.0, "met", id="no-baseline-decrease-beaten"),
        pytest.param(50, 50, None, "decrease", 1.0, "met", id="no-baseline-decrease-equal"),
        pytest.param(0, 50, None, "decrease", 1.0, "met", id="no-baseline-decrease-actual-0"),
        pytest.param(0, 0, None, "decrease", 1.0, "met", id="no-baseline-decrease-both-0"),
        # Target equal to the baseline: hold the line.
        pytest.param(100, 100, 100, "increase", 1.0, "met", id="hold-increase-equal"),
        pytest.param(110, 100, 100, "increase", 1.0, "met", id="hold-increase-above"),
        pytest.param(90, 100, 100, "increase", 0.0, "off_track", id="hold-increase-below"),
        pytest.param(90, 100, 100, "decrease", 1.0, "met", id="hold-decrease-below"),
        pytest.param(110, 100, 100, "decrease", 0.0, "off_track", id="hold-decrease-above"),
    ],
)
def test_achievement(actual, target, baseline, direction, ratio, status):
    result = achievement(actual, target, baseline, direction)
    assert result.ratio == pytest.approx(ratio)
    assert result.status == status


@pytest.mark.parametrize(
    ("actual", "target", "baseline", "expected"),
    [
        pytest.param(None, 200, 100, Achievement(None, "no_data"), id="no-actual"),
        pytest.param(150, None, 100, Achievement(None, "no_target"), id="no-target"),
        pytest.param(None, None, None, Achievement(None, "no_target"), id="neither"),
    ],
)
def test_achievement_not_computable(actual, target, baseline, expected):
    assert achievement(actual, target, baseline) == expected


def test_achievement_defaults_to_increase():
    assert achievement(150, 200, 100) == achievement(150, 200, 100, "increase")


@pytest.mark.parametrize(
    ("ratio", "status"),
    [(None, "no_data"), (0.0, "off_track"), (0.7499, "off_track"), (0.75, "near"),
     (0.9999, "near"), (1.0, "met"), (3.0, "met")],
    ids=lambda value: str(value),
)
def test_achievement_status_thresholds(ratio, status):
    assert achievement_status(ratio) == status


TARGETS = {2024: 150.0, 2026: 200.0, 2030: 300.0}


@pytest.mark.parametrize(
    ("year", "expected"),
    [
        pytest.param(2024, 150.0, id="exact"),
        pytest.param(2026, 200.0, id="exact-later"),
        pytest.param(2023, 150.0, id="before-first-uses-first"),
        pytest.param(2025, 200.0, id="next-milestone"),
        pytest.param(2027, 300.0, id="next-milestone-far"),
        pytest.param(2030, 300.0, id="last"),
        pytest.param(2031, None, id="after-the-last"),
    ],
)
def test_target_for_year(year, expected):
    assert target_for_year(TARGETS, year) == expected


def test_target_for_year_without_targets():
    assert target_for_year({}, 2024) is None


AS_OF = D(2026, 11, 22)


@pytest.mark.parametrize(
    ("last_updated", "days", "stale"),
    [
        pytest.param(None, None, True, id="never-updated"),
        pytest.param(AS_OF, 0, False, id="today"),
        pytest.param(AS_OF - dt.timedelta(days=89), 89, False, id="within"),
        pytest.param(AS_OF - dt.timedelta(days=90), 90, False, id="exactly-the-threshold"),
        pytest.param(AS_OF - dt.timedelta(days=91), 91, True, id="one-day-over"),
        pytest.param(AS_OF + dt.timedelta(days=3), -3, False, id="dated-after-as-of"),
    ],
)
def test_freshness(last_updated, days, stale):
    assert days_since(last_updated, AS_OF) == days
    assert is_stale(last_updated, AS_OF, 90) is stale


def test_years_up_to_the_baseline_have_no_target():
    targets = {2024: 150.0, 2026: 200.0}
    assert target_for_year(targets, 2022, baseline_year=2022) is None
    assert target_for_year(targets, 2020, baseline_year=2022) is None
    assert target_for_year(targets, 2023, baseline_year=2022) == 150.0
