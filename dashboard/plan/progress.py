"""Progress semantics: schedule status, roll-ups, indicator achievement, data freshness.

Pure functions with the "as of" date as a parameter, so they are tested without a
database and the same rules serve pages, exports and the benchmark.

Schedule status of a measure (``schedule_status``), checked in this order:

1. ``cancelled`` measures have no schedule status (``None``); they leave every roll-up.
2. ``completed``: the reported status is completed, or progress is 100 %.
3. ``not_yet_due``: the planned start is after the as-of date and no progress was made.
4. ``delayed``: the planned end has passed; or the reported status is delayed; or the
   gap between time elapsed and progress exceeds ``DELAYED_GAP`` (25 points).
5. ``not_started``: the window is open, progress is 0 and the gap is within tolerance.
6. ``at_risk``: the gap exceeds ``AT_RISK_GAP`` (10 points), or the measure is suspended.
7. ``on_track``: otherwise.

"Gap" is ``elapsed share x 100 - progress``, where the elapsed share is the part of the
planned duration (start to end, inclusive) that has passed on the as-of date.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal, get_args

AT_RISK_GAP = 10.0
DELAYED_GAP = 25.0

ScheduleStatus = Literal["completed", "on_track", "at_risk", "delayed", "not_started", "not_yet_due"]
SCHEDULE_STATUSES: tuple[ScheduleStatus, ...] = get_args(ScheduleStatus)

# Indicator achievement: the share of the way from baseline to target.
ACHIEVEMENT_MET = 1.0
ACHIEVEMENT_NEAR = 0.75
AchievementStatus = Literal["met", "near", "off_track", "no_data", "no_target"]
ACHIEVEMENT_STATUSES: tuple[AchievementStatus, ...] = get_args(AchievementStatus)


def elapsed_share(start: dt.date, end: dt.date, as_of: dt.date) -> float:
    """Share of the planned duration elapsed on ``as_of``, clamped to 0..1."""
    if as_of < start:
        return 0.0
    total_days = (end - start).days + 1
    if total_days <= 0 or as_of >= end:
        return 1.0
    return min(1.0, ((as_of - start).days + 1) / total_days)


def schedule_status(
    status: str, progress: float, start: dt.date, end: dt.date, as_of: dt.date
) -> ScheduleStatus | None:
    """The schedule status of one measure; see the module docstring for the rules."""
    if status == "cancelled":
        return None
    if status == "completed" or progress >= 100:
        return "completed"
    if as_of < start and progress <= 0:
        return "not_yet_due"
    gap = elapsed_share(start, end, as_of) * 100 - progress
    if as_of > end or status == "delayed" or gap > DELAYED_GAP:
        return "delayed"
    if progress <= 0:
        return "not_started"
    if gap > AT_RISK_GAP or status == "suspended":
        return "at_risk"
    return "on_track"


def weighted_progress(items: Iterable[tuple[float, float, str]]) -> float | None:
    """Weighted mean progress of ``(progress, weight, status)`` items, cancelled excluded.

    Returns ``None`` when nothing is left to average (no measure, or only cancelled or
    zero-weight ones), which pages show as "no data" rather than as 0 %.
    """
    total = weight_sum = 0.0
    for progress, weight, status in items:
        if status == "cancelled" or weight <= 0:
            continue
        total += progress * weight
        weight_sum += weight
    return None if weight_sum == 0 else total / weight_sum


@dataclass(frozen=True)
class Achievement:
    ratio: float | None  # 0 = at baseline, 1 = target reached; None when not computable
    status: AchievementStatus


def achievement(
    actual: float | None,
    target: float | None,
    baseline: float | None,
    direction: str = "increase",
) -> Achievement:
    """Progress of an indicator from its baseline toward its target.

    - ``increase`` and ``decrease`` indicators share one formula,
      ``(actual - baseline) / (target - baseline)``, because the sign of both terms flips.
    - With no baseline, the target alone is the yardstick: ``actual / target`` for an
      increase, ``target / actual`` for a decrease (reaching or beating it counts as 1).
    - A target equal to the baseline means "hold the line": met when the actual is on the
      right side of it, otherwise off track (ratio 0).
    - No actual gives ``no_data``; no target gives ``no_target``.
    - The ratio is never below 0 (moving the wrong way is 0), and may exceed 1.
    """
    if target is None:
        return Achievement(None, "no_target")
    if actual is None:
        return Achievement(None, "no_data")
    increase = direction != "decrease"
    if baseline is None:
        if increase:
            ratio = actual / target if target else (1.0 if actual >= target else 0.0)
        elif actual <= target:
            ratio = 1.0
        else:
            ratio = target / actual if actual else 0.0
    elif target == baseline:
        met = actual >= target if increase else actual <= target
        ratio = 1.0 if met else 0.0
    else:
        ratio = (actual - baseline) / (target - baseline)
    ratio = max(0.0, ratio)
    return Achievement(ratio, achievement_status(ratio))


def achievement_status(ratio: float | None) -> AchievementStatus:
    if ratio is None:
        return "no_data"
    if ratio >= ACHIEVEMENT_MET:
        return "met"
    if ratio >= ACHIEVEMENT_NEAR:
        return "near"
    return "off_track"


def target_for_year(
    targets: dict[int, float], year: int, baseline_year: int | None = None
) -> float | None:
    """The target that applies in ``year``: its own, else the next later one.

    Plans often set targets only for milestone years (2026, 2030); a year in between is
    measured against the next milestone rather than having none. The baseline year and
    the years before it are history, not measured against any target.
    """
    if baseline_year is not None and year <= baseline_year:
        return None
    if year in targets:
        return targets[year]
    later = [y for y in targets if y > year]
    return targets[min(later)] if later else None


REPORTING_INTERVAL_DAYS = {"annual": 365, "semiannual": 182, "quarterly": 91}


def reporting_interval(frequency: str) -> int:
    """Days between two expected reports of an indicator."""
    return REPORTING_INTERVAL_DAYS.get(frequency, 365)


def days_since(last_updated: dt.date | None, as_of: dt.date) -> int | None:
    return None if last_updated is None else (as_of - last_updated).days


def is_stale(last_updated: dt.date | None, as_of: dt.date, threshold_days: int) -> bool:
    """True when an item was never updated or not within ``threshold_days``."""
    age = days_since(last_updated, as_of)
    return age is None or age > threshold_days
