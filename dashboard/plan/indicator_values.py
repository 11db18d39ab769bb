"""An indicator's values as a reader may see them: the one gate for indicator figures.

Counts of victims (sensitive indicators) leave this module only through
``disclosure.release_periods``: every period of the indicator (a year, its half-years
and quarters add up) with its total and breakdowns is one table for the reader. Exact
figures go to the readers ``permissions`` allows ``read_exact_statistics`` on the
indicator: readers of restricted data, and the focal points of the entity that reports it.
A figure derived from a value (its achievement) is hidden with it: actual = baseline +
achievement x (target - baseline) would give it back.

Layouts format what these functions return; they never see an unreleased count.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from dashboard.models import DISAGGREGATIONS, Indicator, IndicatorValue
from dashboard.national.disclosure import HIDDEN, SHOWN, SMALL, configured_threshold, release_periods
from dashboard.permissions import Actor, allowed, authorize
from dashboard.plan import progress as rules

# Dimensions whose categories cover everyone: a category left out is an unknown count.
# Forms of exploitation overlap and leave some out, so they are not among them.
EXHAUSTIVE = {dim: cells for dim, cells in DISAGGREGATIONS.items() if dim != "exploitation_form"}


def reads_exact(actor: Actor, indicator) -> bool:
    """Whether ``actor`` sees the exact figures of ``indicator`` (an ``Indicator`` or a row
    with ``is_sensitive`` and ``responsible_entity_id``): figures that are not victim
    counts are always exact."""
    sensitive = indicator["is_sensitive"] if isinstance(indicator, dict) else indicator.is_sensitive
    if not sensitive:
        return True
    entity_id = (indicator["responsible_entity_id"] if isinstance(indicator, dict)
                 else indicator.responsible_entity_id)
    return allowed(actor, "read_exact_statistics", entity_id)


def released_latest(value: float | None, exact: bool, threshold: int | None = None) -> float | None:
    """The latest total of an indicator (``Indicator.latest_value``) as it may be shown.

    That total is the annual figure of its year, else the year's latest sub-annual period
    (``rollups.refresh_indicator_latest``): no other published period of the year contains
    it, so it is the headline of its table, hidden only when it is small
    (``tests/test_indicator_values.py`` checks this against the whole release)."""
    if exact or value is None:
        return value
    return release_periods({"latest": {"": value}}, threshold=threshold)["latest"].cells[""]


@dataclass(frozen=True)
class Point:
    """One period's total as released."""

    period: str
    year: int
    value: float | None  # None: hidden
    status: str  # SHOWN, SMALL ("<5") or HIDDEN (to protect another figure)
    source: str
    is_demo: bool


@dataclass(frozen=True)
class Breakdown:
    """One period's breakdowns as released, single dimensions only (what pages draw)."""

    period: str | None
    total: float | None  # None: hidden or not reported
    cells: dict[str, dict[str, float | None]] = field(default_factory=dict)  # dimension -> category
    small: frozenset[str] = frozenset()  # breakdown keys shown as "<5"
    withheld: bool = False  # the breakdowns may not be shown at all
    adds_up: dict[str, bool] = field(default_factory=dict)  # by dimension, as published


@dataclass(frozen=True)
class YearRow:
    """A year of the targets table: its target, its actual value and achievement."""

    year: int
    target: float | None
    point: Point | None
    achievement: rules.Achievement | None  # None: hidden with its value


@dataclass
class IndicatorValues:
    """Every released value of one indicator for one reader."""

    exact: bool
    sensitive: bool
    threshold: int
    points: list[Point]  # totals, by period
    _tables: dict[str, dict[str, float | None]] = field(default_factory=dict, repr=False)
    _small: dict[str, frozenset[str]] = field(default_factory=dict, repr=False)
    _withheld: dict[str, bool] = field(default_factory=dict, repr=False)
    _adds_up: dict[str, dict[str, bool]] = field(default_factory=dict, repr=False)
    _years: dict[int, list[str]] = field(default_factory=dict, repr=False)

    def yearly(self) -> dict[int, Point]:
        """One total per year: the annual one, else the year's latest sub-annual period."""
        by_year: dict[int, Point] = {}
        for point in self.points:  # ordered by period: the annual one first
            current = by_year.get(point.year)
            if current is None or point.period == str(point.year) or current.period != str(point.year):
                by_year[point.year] = point
        return by_year

    def years_with_breakdowns(self) -> list[int]:
        return sorted(year for year, periods in self._years.items()
                      if any(any(key for key in self._tables[p]) for p in periods))

    def breakdown(self, year: int) -> Breakdown:
        """The single-dimension breakdowns of a year: its annual figures when there are
        any, else its latest sub-annual period (as for the yearly totals)."""
        periods = self._years.get(year, [])
        period = str(year) if str(year) in periods else max(periods, default=None)
        if period is None:
            return Breakdown(None, None)
        table = self._tables[period]
        cells: dict[str, dict[str, float | None]] = defaultdict(dict)
        for key, value in table.items():
            if key and ";" not in key:  # cells crossing two dimensions are not drawn
                dimension, _, category = key.partition("=")
                cells[dimension][category] = value
        return Breakdown(period, table.get(""), dict(cells), self._small[period],
                         self._withheld[period], self._adds_up[period])

    def year_rows(self, indicator: Indicator) -> list[YearRow]:
        """Targets against actual values, year by year, with the achievement of the values
        that are shown (a hidden value hides its achievement)."""
        targets = {t.year: t.value for t in indicator.targets}
        actuals = self.yearly()
        rows = []
        for year in sorted(set(targets) | set(actuals)):
            point = actuals.get(year)
            target = rules.target_for_year(targets, year, indicator.baseline_year)
            hidden = point is not None and point.value is None
            achievement = None if hidden else rules.achievement(
                point.value if point else None, target, indicator.baseline_value, indicator.direction)
            rows.append(YearRow(year, target, point, achievement))
        return rows


def released_values(session: Session, actor: Actor, indicator: Indicator, lang: str,
                    threshold: int | None = None) -> IndicatorValues:
    """Every period's total and breakdowns of ``indicator`` as ``actor`` may see them.

    Refuses (``Forbidden``) an indicator the actor may not read at all."""
    authorize(actor, "read_indicator", indicator)
    threshold = threshold or configured_threshold()
    rows = session.execute(
        select(IndicatorValue.period, IndicatorValue.year, IndicatorValue.breakdown, IndicatorValue.value,
               getattr(IndicatorValue, f"source_{lang}"), IndicatorValue.is_demo)
        .where(IndicatorValue.indicator_id == indicator.id)
        .order_by(IndicatorValue.period, IndicatorValue.breakdown)
    ).all()
    tables: dict[str, dict[str, float]] = defaultdict(dict)
    about: dict[str, tuple[int, str, bool]] = {}
    years: dict[int, list[str]] = defaultdict(list)
    for period, year, breakdown, value, source, is_demo in rows:
        tables[period][breakdown] = value
        if breakdown == "":
            about[period] = (year, source, is_demo)
        if period not in years[year]:
            years[year].append(period)
    exact = reads_exact(actor, indicator)
    released = release_periods(tables, exact=exact, threshold=threshold, exhaustive=EXHAUSTIVE)
    points = []
    for period in sorted(about):
        year, source, is_demo = about[period]
        table = released[period]
        points.append(Point(period, year, table.cells[""], table.status(""), source, is_demo))
    adds_up: dict[str, dict[str, bool]] = {}
    for period, table in tables.items():
        sums: dict[str, float] = defaultdict(float)
        for key, value in table.items():
            if key and ";" not in key:
                sums[key.partition("=")[0]] += value
        adds_up[period] = {dim: "" not in table or abs(total - table[""]) < 1e-9
                           for dim, total in sums.items()}
    return IndicatorValues(
        exact=exact, sensitive=bool(indicator.is_sensitive), threshold=threshold, points=points,
        _tables={p: t.cells for p, t in released.items()},
        _small={p: t.small for p, t in released.items()},
        _withheld={p: t.withheld for p, t in released.items()},
        _adds_up=adds_up, _years=dict(years),
    )


__all__ = ["HIDDEN", "SHOWN", "SMALL", "Breakdown", "IndicatorValues", "Point", "YearRow",
           "reads_exact", "released_latest", "released_values"]
