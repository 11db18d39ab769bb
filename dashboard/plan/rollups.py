"""Summaries kept beside the data they summarize, refreshed by every write path.

``refresh_indicator_latest`` stores on each indicator its latest total and the date of
its latest report. Computing them per request meant a window over every value (100,000
rows in the benchmark); reading them is one row per indicator.
"""
from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from dashboard.models import Indicator, IndicatorValue


def refresh_indicator_latest(session: Session, indicator_ids: Iterable[int] | None = None) -> int:
    """Recompute the latest-value columns; all indicators when ``indicator_ids`` is None."""
    ids = None if indicator_ids is None else sorted(set(indicator_ids))
    if ids == []:
        return 0
    # The annual total of the latest year, else that year's latest sub-annual period.
    ranked = (
        select(
            IndicatorValue.indicator_id,
            IndicatorValue.period,
            IndicatorValue.year,
            IndicatorValue.value,
            IndicatorValue.is_demo,
            func.row_number()
            .over(
                partition_by=IndicatorValue.indicator_id,
                order_by=(
                    IndicatorValue.year.desc(),
                    func.length(IndicatorValue.period),
                    IndicatorValue.period.desc(),
                ),
            )
            .label("rank"),
        )
        .where(IndicatorValue.breakdown == "")
    )
    reported = select(
        IndicatorValue.indicator_id, func.max(IndicatorValue.reported_on)
    ).group_by(IndicatorValue.indicator_id)
    if ids is not None:
        ranked = ranked.where(IndicatorValue.indicator_id.in_(ids))
        reported = reported.where(IndicatorValue.indicator_id.in_(ids))
    ranked = ranked.subquery()
    latest = {
        row.indicator_id: row
        for row in session.execute(select(ranked).where(ranked.c.rank == 1))
    }
    reported_on = dict(session.execute(reported).all())
    columns = (Indicator.latest_period, Indicator.latest_year, Indicator.latest_value,
               Indicator.latest_is_demo, Indicator.last_reported_on)
    current = select(Indicator.id, *columns)
    if ids is not None:
        current = current.where(Indicator.id.in_(ids))
    stored = {row[0]: tuple(row[1:]) for row in session.execute(current)}
    changes = []
    for indicator_id in stored:
        row = latest.get(indicator_id)
        fresh = (row.period, row.year, row.value, row.is_demo) if row else (None, None, None, None)
        fresh = (*fresh, reported_on.get(indicator_id))
        # Only what changed is written: a reload that changes nothing leaves the data's
        # version (and every page cached under it) as it was.
        if fresh != stored[indicator_id]:
            changes.append({"id": indicator_id, **{c.key: v for c, v in zip(columns, fresh)}})
    if changes:
        session.execute(update(Indicator), changes)
    return len(stored)
