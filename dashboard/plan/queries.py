"""Read services: each takes a session and returns plain data for one part of a page.

Rows are dicts declared as ``TypedDict``s below (``MeasureRow``, ``IndicatorRow`` ...):
the contract between these services and the pages that format them.

Aggregation happens in SQL (weighted progress, counts, latest values); Python only
applies the schedule rules of ``progress`` to the few columns it needs. Names come back
in the requested language.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections import Counter, defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, TypedDict

from sqlalchemy import Date, Float, and_, case, cast, func, literal, or_, select
from sqlalchemy.orm import Session, aliased

from dashboard import labels, paging
from dashboard.cache import remembered
from dashboard.i18n import using_language
from dashboard.models import (
    Entity,
    Indicator,
    IndicatorTarget,
    IndicatorValue,
    Measure,
    MeasureProgressEvent,
    MeasureYear,
    Objective,
    Plan,
    StrategicAxis,
    measure_partner,
)
from dashboard.national import disclosure
from dashboard.permissions import PUBLIC, Actor, allowed
from dashboard.plan import indicator_values
from dashboard.plan import progress as rules


def _name(model, lang: str):
    return getattr(model, f"name_{lang}")


def _dicts(session: Session, query) -> list:
    """Rows as dicts, built from plain tuples: SQLAlchemy's per-row mappings cost more than
    everything the list pages then do with a thousand rows."""
    # Through the connection: these selects name columns only, and the ORM's row
    # machinery costs ~15 µs a row on top of the driver.
    result = session.connection().execute(query)
    keys = list(result.keys())
    return [dict(zip(keys, values)) for values in result.tuples()]


# --- measures ---------------------------------------------------------------------------


@dataclass(frozen=True)
class MeasureFilter:
    axis: str | None = None
    objective: str | None = None
    lead: str | None = None  # entity acronym
    status: str | None = None
    schedule: str | None = None
    year: int | None = None
    partner: str | None = None  # measures an entity supports as a partner


class MeasureRow(TypedDict):
    code: str
    name: str
    axis: str
    axis_name: str
    objective: str
    objective_name: str
    lead: str  # entity acronym
    lead_name: str
    status: str
    progress: int  # 0-100, as reported
    weight: float
    priority: str
    planned_start: dt.date
    planned_end: dt.date
    last_updated: dt.date
    budget_mad: Decimal | None
    is_demo: bool
    schedule: rules.ScheduleStatus | None  # None for a cancelled measure
    days_since_update: int | None
    stale: bool


def _measure_select(lang: str, lead):
    """The columns of a ``MeasureRow`` that come from the database, in plan order."""
    return (
        select(
            Measure.code,
            _name(Measure, lang).label("name"),
            StrategicAxis.code.label("axis"),
            _name(StrategicAxis, lang).label("axis_name"),
            Objective.code.label("objective"),
            _name(Objective, lang).label("objective_name"),
            lead.acronym.label("lead"),
            _name(lead, lang).label("lead_name"),
            Measure.status,
            Measure.progress,
            Measure.weight,
            Measure.priority,
            Measure.planned_start,
            Measure.planned_end,
            Measure.last_updated,
            Measure.budget_mad,
            Measure.is_demo,
        )
        .join(Objective, Measure.objective_id == Objective.id)
        .join(StrategicAxis, Objective.axis_id == StrategicAxis.id)
        .join(lead, Measure.lead_entity_id == lead.id)
        .order_by(StrategicAxis.position, Objective.position, Measure.position)
    )


def _measure_where(query, filters: MeasureFilter, lead):
    """``filters`` but the schedule (computed) as SQL conditions."""
    if filters.axis:
        query = query.where(StrategicAxis.code == filters.axis)
    if filters.objective:
        query = query.where(Objective.code == filters.objective)
    if filters.lead:
        query = query.where(lead.acronym == filters.lead)
    if filters.status:
        query = query.where(Measure.status == filters.status)
    if filters.year:
        in_year = select(MeasureYear.measure_id).where(MeasureYear.year == filters.year)
        query = query.where(Measure.id.in_(in_year))
    if filters.partner:
        supported = (
            select(measure_partner.c.measure_id)
            .join(Entity, Entity.id == measure_partner.c.entity_id)
            .where(Entity.acronym == filters.partner)
        )
        query = query.where(Measure.id.in_(supported))
    return query


def _with_rules(item: dict, as_of: dt.date, freshness_days: int) -> dict:
    item["schedule"] = rules.schedule_status(
        item["status"], item["progress"], item["planned_start"], item["planned_end"], as_of
    )
    item["days_since_update"] = rules.days_since(item["last_updated"], as_of)
    # A finished or cancelled measure owes no more reports.
    item["stale"] = item["status"] not in ("completed", "cancelled") and rules.is_stale(
        item["last_updated"], as_of, freshness_days
    )
    return item


def measure_rows(
    session: Session,
    lang: str,
    as_of: dt.date,
    freshness_days: int,
    filters: MeasureFilter = MeasureFilter(),
) -> list[MeasureRow]:
    """One row per measure, with its computed schedule status and freshness."""
    lead = aliased(Entity)
    query = _measure_where(_measure_select(lang, lead), filters, lead)
    rows = []
    for item in _dicts(session, query):
        _with_rules(item, as_of, freshness_days)
        if filters.schedule and item["schedule"] != filters.schedule:
            continue
        rows.append(item)
    return rows


def _days_between(session: Session, later, earlier):
    """Whole days from ``earlier`` to ``later`` (dates) in SQL."""
    if session.get_bind().dialect.name == "sqlite":
        return func.julianday(later) - func.julianday(earlier)
    return later - earlier  # PostgreSQL: date - date is an integer


def schedule_column(session: Session, as_of: dt.date):
    """``progress.schedule_status`` as a SQL expression (None for a cancelled measure), so
    the schedule filters and sorts in the database; tests hold it to the Python rule."""
    day = literal(as_of, Date)
    start, end, progress, status = Measure.planned_start, Measure.planned_end, Measure.progress, Measure.status
    total = _days_between(session, end, start) + 1
    elapsed = case(
        (start > day, 0.0),
        (or_(total <= 0, end <= day), 1.0),
        else_=cast(_days_between(session, day, start) + 1, Float) / cast(total, Float),
    )
    gap = elapsed * 100 - progress
    return case(
        (status == "cancelled", None),
        (or_(status == "completed", progress >= 100), "completed"),
        (and_(start > day, progress <= 0), "not_yet_due"),
        (or_(end < day, status == "delayed", gap > rules.DELAYED_GAP), "delayed"),
        (progress <= 0, "not_started"),
        (or_(gap > rules.AT_RISK_GAP, status == "suspended"), "at_risk"),
        else_="on_track",
    )


def is_overdue_sql(as_of: dt.date):
    """``is_overdue`` as a SQL condition."""
    return and_(Measure.planned_end < as_of, Measure.status.not_in(("completed", "cancelled")),
                Measure.progress < 100)


def measure_grid_columns(session: Session, lang: str, as_of: dt.date, lead) -> dict[str, paging.Column]:
    """The measures grid's columns (``layouts.components.measure_grid``) as SQL."""
    with using_language(lang):
        statuses, schedules = labels.measure_status(), labels.schedule_status()
    return {
        "code": paging.Column(Measure.code),
        "name": paging.Column(_name(Measure, lang)),
        "lead": paging.Column(lead.acronym),
        "status": paging.Column(Measure.status, "choice", statuses),
        "schedule": paging.Column(schedule_column(session, as_of), "choice", schedules),
        "progress": paging.Column(Measure.progress, "number"),
        "start": paging.Column(Measure.planned_start),
        "end": paging.Column(Measure.planned_end),
        "updated": paging.Column(Measure.last_updated, filterable=False),
        "age": paging.Column(Measure.last_updated, "days_before", anchor=as_of),
        # the overdue grid (/implementation)
        "days": paging.Column(Measure.planned_end, "days_before", anchor=as_of),
    }


class MeasurePage(TypedDict):
    rows: list[MeasureRow]
    total: int  # rows matching the filters, over all pages


def measure_page(
    session: Session,
    actor: Actor,
    lang: str,
    as_of: dt.date,
    freshness_days: int,
    filters: MeasureFilter,
    request,
    overdue_only: bool = False,
) -> MeasurePage:
    """One page of ``measure_rows`` for a grid's ``getRowsRequest`` (any value: see
    ``paging``), filtered and sorted in SQL. Measures are public: every actor sees them."""
    lead = aliased(Entity)
    columns = measure_grid_columns(session, lang, as_of, lead)
    wanted = paging.page_request(request, columns)
    query = _measure_where(_measure_select(lang, lead), filters, lead)
    if filters.schedule:
        query = query.where(columns["schedule"].expr == filters.schedule)
    if overdue_only:
        query = query.where(is_overdue_sql(as_of))
    query = paging.filtered(query, wanted, columns)
    tiebreak = [StrategicAxis.position, Objective.position, Measure.position, Measure.id]
    rows = [_with_rules(item, as_of, freshness_days)
            for item in _dicts(session, paging.sorted_page(query, wanted, columns, tiebreak))]
    return {"rows": rows, "total": paging.count(session, query)}


def measure_summary(session: Session, as_of: dt.date, filters: MeasureFilter) -> StatusSummary:
    """``summarize(measure_rows(...))`` computed in SQL: the total, weighted progress and
    the counts by status and schedule (``stale`` is left at 0)."""
    lead = aliased(Entity)
    schedule = schedule_column(session, as_of)
    base = (select(Measure.status, Measure.progress, Measure.weight, schedule.label("schedule"))
            .join(Objective, Measure.objective_id == Objective.id)
            .join(StrategicAxis, Objective.axis_id == StrategicAxis.id)
            .join(lead, Measure.lead_entity_id == lead.id))
    base = _measure_where(base, filters, lead)
    if filters.schedule:
        base = base.where(schedule == filters.schedule)
    inner = base.subquery()
    counted = and_(inner.c.status != "cancelled", inner.c.weight > 0)
    grouped = select(
        inner.c.status, inner.c.schedule, func.count(),
        func.sum(case((counted, inner.c.weight * inner.c.progress), else_=0)),
        func.sum(case((counted, inner.c.weight), else_=0)),
    ).group_by(inner.c.status, inner.c.schedule)
    summary = StatusSummary()
    total = weights = 0.0
    for status, schedule_status, n, weighted, weight in session.execute(grouped):
        summary.total += n
        summary.by_status[status] += n
        if schedule_status is not None:
            summary.by_schedule[schedule_status] += n
        total += float(weighted or 0)
        weights += float(weight or 0)
    summary.progress = total / weights if weights else None
    return summary


class TreeNode(TypedDict):
    code: str
    name: str
    progress: float | None
    measures: int


def measure_tree_level(session: Session, lang: str, as_of: dt.date, filters: MeasureFilter,
                       axis: str | None = None, start: int = 0,
                       limit: int = 25) -> tuple[list[TreeNode], int]:
    """One level of the plan tree over the measures matching ``filters``: the axes (no
    ``axis``), or one page of an axis's objectives; with the number of nodes at that level."""
    lead = aliased(Entity)
    node = Objective if axis else StrategicAxis
    counted = and_(Measure.status != "cancelled", Measure.weight > 0)
    weighted = func.sum(case((counted, Measure.weight * Measure.progress), else_=0))
    weights = func.sum(case((counted, Measure.weight), else_=0))
    query = (
        select(node.code, _name(node, lang).label("name"),
               (weighted / func.nullif(weights, 0)).label("progress"),
               func.count(Measure.id).label("measures"))
        .select_from(Measure)
        .join(Objective, Measure.objective_id == Objective.id)
        .join(StrategicAxis, Objective.axis_id == StrategicAxis.id)
        .join(lead, Measure.lead_entity_id == lead.id)
        .group_by(StrategicAxis.id, node.id)
    )
    query = _measure_where(query, filters, lead)
    if filters.schedule:
        query = query.where(schedule_column(session, as_of) == filters.schedule)
    if axis:
        query = query.where(StrategicAxis.code == axis)
    total = paging.count(session, query)
    start = min(max(int(start), 0), paging.MAX_START)
    order = [StrategicAxis.position, Objective.position] if axis else [StrategicAxis.position]
    rows = _dicts(session, query.order_by(*order).offset(start).limit(max(1, min(limit, 100))))
    for row in rows:
        row["progress"] = None if row["progress"] is None else float(row["progress"])
    return rows, total


@dataclass
class StatusSummary:
    """Counts and shares over a set of measures."""

    total: int = 0
    progress: float | None = None
    by_status: Counter = field(default_factory=Counter)
    by_schedule: Counter = field(default_factory=Counter)
    stale: int = 0

    @property
    def on_time_share(self) -> float | None:
        """Share of measures already due that are completed or on track.

        Measures not yet due and cancelled ones are left out: they cannot be late.
        """
        due = sum(n for s, n in self.by_schedule.items() if s not in ("not_yet_due", None))
        good = self.by_schedule["completed"] + self.by_schedule["on_track"]
        return None if due == 0 else good / due


def summarize(rows: list[MeasureRow]) -> StatusSummary:
    summary = StatusSummary(total=len(rows))
    for row in rows:
        summary.by_status[row["status"]] += 1
        if row["schedule"] is not None:
            summary.by_schedule[row["schedule"]] += 1
        summary.stale += bool(row["stale"])
    summary.progress = rules.weighted_progress(
        (r["progress"], r["weight"], r["status"]) for r in rows
    )
    return summary


def _weighted_progress_column():
    """SQL for the weighted mean progress of non-cancelled measures."""
    counted = Measure.status != "cancelled"
    weighted = func.sum(case((counted, Measure.weight * Measure.progress), else_=0))
    weights = func.sum(case((counted, Measure.weight), else_=0))
    return (weighted / func.nullif(weights, 0)).label("progress")


class ProgressRow(TypedDict):
    """Weighted progress of an axis or an objective."""

    code: str
    name: str
    progress: float | None  # None without a counted measure
    measures: int


class ObjectiveProgressRow(ProgressRow):
    axis: str


def axis_progress(session: Session, lang: str) -> list[ProgressRow]:
    """Weighted progress and measure counts per axis, in plan order."""
    query = (
        select(
            StrategicAxis.code,
            _name(StrategicAxis, lang).label("name"),
            _weighted_progress_column(),
            func.count(Measure.id).label("measures"),
        )
        .join(Objective, Objective.axis_id == StrategicAxis.id)
        .join(Measure, Measure.objective_id == Objective.id, isouter=True)
        .group_by(StrategicAxis.id)
        .order_by(StrategicAxis.position)
    )
    return [dict(r) for r in session.execute(query).mappings()]


def objective_progress(session: Session, lang: str, axis_code: str | None = None) -> list[ObjectiveProgressRow]:
    query = (
        select(
            Objective.code,
            _name(Objective, lang).label("name"),
            StrategicAxis.code.label("axis"),
            _weighted_progress_column(),
            func.count(Measure.id).label("measures"),
        )
        .join(StrategicAxis, Objective.axis_id == StrategicAxis.id)
        .join(Measure, Measure.objective_id == Objective.id, isouter=True)
        # Grouping by both primary keys lets PostgreSQL order by their positions.
        .group_by(StrategicAxis.id, Objective.id)
        .order_by(StrategicAxis.position, Objective.position)
    )
    if axis_code:
        query = query.where(StrategicAxis.code == axis_code)
    return [dict(r) for r in session.execute(query).mappings()]


class UpdateRow(TypedDict):
    recorded_on: dt.date
    status: str
    progress: int
    code: str  # the measure's
    name: str
    lead: str


def latest_updates(session: Session, lang: str, limit: int = 8) -> list[UpdateRow]:
    """The most recent progress reports across all measures."""
    query = (
        select(
            MeasureProgressEvent.recorded_on,
            MeasureProgressEvent.status,
            MeasureProgressEvent.progress,
            Measure.code,
            _name(Measure, lang).label("name"),
            Entity.acronym.label("lead"),
        )
        .join(Measure, Measure.id == MeasureProgressEvent.measure_id)
        .join(Entity, Entity.id == Measure.lead_entity_id)
        .order_by(MeasureProgressEvent.recorded_on.desc(), Measure.code)
        .limit(limit)
    )
    return [dict(r) for r in session.execute(query).mappings()]


class MeasureDetail(TypedDict):
    measure: Measure
    objective: Objective
    axis: StrategicAxis
    lead: Entity
    partners: list[Entity]
    years: list[int]
    history: list[MeasureProgressEvent]  # newest first


def measure_detail(session: Session, code: str, lang: str) -> MeasureDetail | None:
    measure = session.execute(select(Measure).where(Measure.code == code)).scalar_one_or_none()
    if measure is None:
        return None
    objective = measure.objective
    return {
        "measure": measure,
        "objective": objective,
        "axis": objective.axis,
        "lead": measure.lead_entity,
        "partners": measure.partners,
        "years": [y.year for y in measure.years],
        "history": sorted(measure.history, key=lambda e: e.recorded_on, reverse=True),
    }


# --- plans and axes ---------------------------------------------------------------------


def plans(session: Session) -> list[Plan]:
    return list(session.execute(select(Plan).order_by(Plan.start_year, Plan.code)).scalars())


def axes(session: Session) -> list[StrategicAxis]:
    return list(session.execute(select(StrategicAxis).order_by(StrategicAxis.position)).scalars())


def axis_by_code(session: Session, code: str) -> StrategicAxis | None:
    return session.execute(
        select(StrategicAxis).where(StrategicAxis.code == code)
    ).scalar_one_or_none()


def has_demo_data(session: Session) -> bool:
    return session.execute(select(Plan.id).where(Plan.is_demo).limit(1)).first() is not None


class EntityRow(TypedDict):
    acronym: str
    name: str
    kind: str
    is_member: bool


def entities(session: Session, lang: str, leading_only: bool = False) -> list[EntityRow]:
    query = select(
        Entity.acronym, _name(Entity, lang).label("name"), Entity.kind, Entity.is_member
    ).order_by(Entity.acronym)
    if leading_only:
        query = query.where(Entity.id.in_(select(Measure.lead_entity_id)))
    return [dict(r) for r in session.execute(query).mappings()]


def entity_of(session: Session, actor) -> Entity | None:
    """The body a user acts for (a focal point's entity), or None."""
    return session.get(Entity, actor.entity_id) if actor.entity_id else None


def entity_by_acronym(session: Session, acronym: str) -> Entity | None:
    return session.execute(select(Entity).where(Entity.acronym == acronym)).scalar_one_or_none()


def plan_years(session: Session) -> list[int]:
    query = select(MeasureYear.year).distinct().order_by(MeasureYear.year)
    return list(session.execute(query).scalars())


# --- indicators -------------------------------------------------------------------------


@dataclass(frozen=True)
class IndicatorFilter:
    axis: str | None = None
    objective: str | None = None
    measure: str | None = None
    responsible: str | None = None
    type: str | None = None


_FILTER_CODE = re.compile(r"[A-Za-z0-9._-]{1,40}")  # axis codes, indicator types, entity acronyms


def indicator_filter_from(values: Mapping[str, Any]) -> IndicatorFilter:
    """A filter from query parameters (an export's address): a value that cannot be a code
    (too long, a NUL byte, another script's characters) is ignored."""
    def code(key: str) -> str | None:
        value = values.get(key)
        return value if isinstance(value, str) and _FILTER_CODE.fullmatch(value) else None

    return IndicatorFilter(axis=code("axis"), type=code("type"), responsible=code("responsible"))


class IndicatorRow(TypedDict):
    id: int
    code: str
    name: str
    unit: str
    type: str
    direction: str
    frequency: str
    baseline_value: float | None
    baseline_year: int | None
    is_public: bool
    is_demo: bool
    is_sensitive: bool
    responsible_entity_id: int | None
    responsible: str | None  # entity acronym
    objective: str
    axis: str
    measure: str | None
    latest_year: int | None
    latest_value: float | None  # as released for the actor: None when hidden
    latest_hidden: bool  # a small count withheld: pages write "<threshold"
    threshold: int  # the small-cell threshold the latest value was released with
    value_is_demo: bool | None
    reported_on: dt.date | None
    target: float | None
    final_target: float | None
    achievement: float | None
    achievement_status: rules.AchievementStatus
    days_since_update: int | None
    stale: bool


def indicator_rows(
    session: Session,
    lang: str,
    as_of: dt.date,
    freshness_days: int,
    actor: Actor = PUBLIC,
    filters: IndicatorFilter = IndicatorFilter(),
    threshold: int | None = None,
) -> list[IndicatorRow]:
    """Indicators with their latest total value, its year's target and achievement, as
    ``actor`` may see them.

    Restricted indicators are left out unless the actor reads restricted data. A
    sensitive indicator's latest count is released through ``indicator_values`` unless
    the actor reads its exact figures: a small one is hidden (``latest_hidden``), and its
    achievement with it. ``threshold`` is the small-cell threshold (the setting when None);
    each row carries it, so pages write "<5" without deciding anything.

    Remembered by the data's version (``cache.remembered``) for each language, date,
    filter and kind of reader; each call gets its own copies of the rows.
    """
    threshold = threshold or disclosure.configured_threshold()
    entities = [None, *session.scalars(select(Entity.id).order_by(Entity.id))]  # None: no responsible entity
    exact_for = tuple(e for e in entities if allowed(actor, "read_exact_statistics", e))
    parts = (lang, as_of.isoformat(), freshness_days, actor.reads_restricted, exact_for,
             dataclasses.astuple(filters), threshold)
    rows = remembered(session, "indicator_rows", parts,
                      lambda: _indicator_rows(session, lang, as_of, freshness_days, actor, filters, threshold))
    return [dict(row) for row in rows]  # type: ignore[misc]


def _indicator_rows(session: Session, lang: str, as_of: dt.date, freshness_days: int, actor: Actor,
                    filters: IndicatorFilter, threshold: int) -> list[IndicatorRow]:
    include_restricted = actor.reads_restricted
    responsible = aliased(Entity)
    query = (
        select(
            Indicator.id,
            Indicator.code,
            _name(Indicator, lang).label("name"),
            Indicator.unit,
            Indicator.type,
            Indicator.direction,
            Indicator.frequency,
            Indicator.baseline_value,
            Indicator.baseline_year,
            Indicator.is_public,
            Indicator.is_demo,
            Indicator.is_sensitive,
            Indicator.responsible_entity_id,
            responsible.acronym.label("responsible"),
            Objective.code.label("objective"),
            StrategicAxis.code.label("axis"),
            Measure.code.label("measure"),
            Indicator.latest_year,
            Indicator.latest_value,
            Indicator.latest_is_demo.label("value_is_demo"),
            Indicator.last_reported_on.label("reported_on"),
        )
        .join(Objective, Indicator.objective_id == Objective.id)
        .join(StrategicAxis, Objective.axis_id == StrategicAxis.id)
        .join(Measure, Indicator.measure_id == Measure.id, isouter=True)
        .join(responsible, Indicator.responsible_entity_id == responsible.id, isouter=True)
        .order_by(StrategicAxis.position, Objective.position, Indicator.position)
    )
    if not include_restricted:
        query = query.where(Indicator.is_public)
    if filters.axis:
        query = query.where(StrategicAxis.code == filters.axis)
    if filters.objective:
        query = query.where(Objective.code == filters.objective)
    if filters.measure:
        query = query.where(Measure.code == filters.measure)
    if filters.responsible:
        query = query.where(responsible.acronym == filters.responsible)
    if filters.type:
        query = query.where(Indicator.type == filters.type)
    rows = _dicts(session, query)
    targets = _targets(session, [r["id"] for r in rows])
    for row in rows:
        row["threshold"] = threshold
        shown = indicator_values.released_latest(
            row["latest_value"], indicator_values.reads_exact(actor, row), threshold)
        # A hidden count hides its achievement too: the baseline and target would give it back.
        row["latest_hidden"] = shown is None and row["latest_value"] is not None
        row["latest_value"] = shown
        own = targets.get(row["id"], {})
        year = row["latest_year"]
        # Without a value yet, the target in view is the one for the as-of year.
        row["target"] = rules.target_for_year(own, year or as_of.year, row["baseline_year"])
        row["final_target"] = own[max(own)] if own else None
        if not own:
            result = rules.Achievement(None, "no_target")
        elif row["latest_value"] is None or row["target"] is None:
            # Nothing reported yet, hidden, or only figures up to the baseline year.
            result = rules.Achievement(None, "no_data")
        else:
            result = rules.achievement(
                row["latest_value"], row["target"], row["baseline_value"], row["direction"]
            )
        row["achievement"] = result.ratio
        row["achievement_status"] = result.status
        row["days_since_update"] = rules.days_since(row["reported_on"], as_of)
        # An annual indicator is due once a year: stale after its interval plus the grace.
        row["stale"] = rules.is_stale(
            row["reported_on"], as_of, rules.reporting_interval(row["frequency"]) + freshness_days
        )
    return rows


def _targets(session: Session, indicator_ids: list[int]) -> dict[int, dict[int, float]]:
    result: dict[int, dict[int, float]] = defaultdict(dict)
    if not indicator_ids:
        return result
    # Plain columns: building ORM objects for thousands of targets cost ~100 ms. A long
    # list of ids is slower to send than the few thousand target rows, so past a handful
    # every target is read and the wanted ones kept.
    wanted = set(indicator_ids)
    query = select(IndicatorTarget.indicator_id, IndicatorTarget.year, IndicatorTarget.value)
    if len(wanted) <= 50:
        query = query.where(IndicatorTarget.indicator_id.in_(wanted))
    for indicator_id, year, value in session.connection().execute(query):
        if indicator_id in wanted:
            result[indicator_id][year] = value
    return result


def indicator_summary(rows: list[IndicatorRow]) -> Counter:
    return Counter(r["achievement_status"] for r in rows)


def indicator_by_code(
    session: Session, code: str, include_restricted: bool = False
) -> Indicator | None:
    query = select(Indicator).where(Indicator.code == code)
    if not include_restricted:
        query = query.where(Indicator.is_public)
    return session.execute(query).scalar_one_or_none()


# --- entities ---------------------------------------------------------------------------


class EntityScorecard(TypedDict):
    led: list[MeasureRow]
    led_summary: StatusSummary
    supported: list[MeasureRow]
    indicators: list[IndicatorRow]


def entity_scorecard(
    session: Session, entity: Entity, lang: str, as_of: dt.date, freshness_days: int,
    actor: Actor = PUBLIC, threshold: int | None = None,
) -> EntityScorecard:
    """An entity's measures and the indicators it reports, as ``actor`` may see them."""
    led = measure_rows(session, lang, as_of, freshness_days, MeasureFilter(lead=entity.acronym))
    supported = measure_rows(
        session, lang, as_of, freshness_days, MeasureFilter(partner=entity.acronym)
    )
    indicators = indicator_rows(
        session,
        lang,
        as_of,
        freshness_days,
        actor=actor,
        filters=IndicatorFilter(responsible=entity.acronym),
        threshold=threshold,
    )
    return {
        "led": led,
        "led_summary": summarize(led),
        "supported": supported,
        "indicators": indicators,
    }


class LeagueRow(TypedDict):
    acronym: str
    name: str
    measures: int
    progress: float | None
    on_time_share: float | None
    stale: int


def entity_league(session: Session, lang: str, as_of: dt.date, freshness_days: int) -> list[LeagueRow]:
    """Per lead entity: measures led, weighted progress, on-time share, stale updates."""
    rows = measure_rows(session, lang, as_of, freshness_days)
    by_lead: dict[str, list[MeasureRow]] = defaultdict(list)
    names: dict[str, str] = {}
    for row in rows:
        by_lead[row["lead"]].append(row)
        names[row["lead"]] = row["lead_name"]
    league = []
    for acronym, items in by_lead.items():
        summary = summarize(items)
        league.append(
            {
                "acronym": acronym,
                "name": names[acronym],
                "measures": summary.total,
                "progress": summary.progress,
                "on_time_share": summary.on_time_share,
                "stale": summary.stale,
            }
        )
    return sorted(league, key=lambda r: (-r["measures"], r["acronym"]))


# --- implementation plan timeline -------------------------------------------------------


def is_overdue(row: MeasureRow, as_of: dt.date) -> bool:
    """A ``measure_rows`` row whose planned end has passed and that is neither completed
    nor cancelled."""
    return row["planned_end"] < as_of and row["schedule"] not in ("completed", None)


def timeline_order(rows: list[MeasureRow]) -> list[MeasureRow]:
    """Rows grouped by lead entity, each group in order of planned start."""
    return sorted(rows, key=lambda r: (r["lead"], r["planned_start"], r["code"]))


class LeadProgress(TypedDict):
    lead: str
    name: str
    measures: int
    expected: float  # 0-100
    actual: float | None


def expected_vs_actual_by_lead(rows: list[MeasureRow], as_of: dt.date) -> list[LeadProgress]:
    """Per lead entity: progress expected by now against progress reported.

    Expected is the mean elapsed share of the planned durations (0-100), actual the
    weighted progress; cancelled measures count in neither. Leads with only cancelled
    measures are left out.
    """
    by_lead: dict[str, list[MeasureRow]] = defaultdict(list)
    for row in rows:
        if row["status"] != "cancelled":
            by_lead[row["lead"]].append(row)
    result = []
    for acronym in sorted(by_lead):
        items = by_lead[acronym]
        elapsed = [rules.elapsed_share(r["planned_start"], r["planned_end"], as_of) for r in items]
        result.append({
            "lead": acronym,
            "name": items[0]["lead_name"],
            "measures": len(items),
            "expected": 100 * sum(elapsed) / len(elapsed),
            "actual": rules.weighted_progress(
                (r["progress"], r["weight"], r["status"]) for r in items
            ),
        })
    return result


# --- indicator pages --------------------------------------------------------------------


class ValueSource(TypedDict):
    source: str
    is_demo: bool


def indicator_value_sources(
    session: Session, indicator: Indicator, year: int, lang: str
) -> list[ValueSource]:
    """The distinct sources (and demo flags) of an indicator's breakdown values in a year."""
    source = getattr(IndicatorValue, f"source_{lang}")
    query = (
        select(source.label("source"), IndicatorValue.is_demo)
        .where(
            IndicatorValue.indicator_id == indicator.id,
            IndicatorValue.year == year,
            IndicatorValue.breakdown != "",
        )
        .distinct()
        .order_by(source)
    )
    return [dict(r) for r in session.execute(query).mappings()]


class Responsible(TypedDict):
    acronym: str
    name: str


def indicator_responsibles(session: Session, lang: str, include_restricted: bool = False) -> list[Responsible]:
    """Entities responsible for at least one (public) indicator, for the filter."""
    query = (
        select(Entity.acronym, _name(Entity, lang).label("name"))
        .join(Indicator, Indicator.responsible_entity_id == Entity.id)
        .distinct()
        .order_by(Entity.acronym)
    )
    if not include_restricted:
        query = query.where(Indicator.is_public)
    return [dict(r) for r in session.execute(query).mappings()]
