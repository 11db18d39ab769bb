"""The reporting calendar: when each measure update and indicator value of an entity is due.

A measure is owed a validated update every ``freshness_days`` after its last one (the rule
of the inbox, ``worklists.due_state``). An indicator is owed the period that follows its
latest published one, by its frequency (annual, semiannual, quarterly), within
``INDICATOR_GRACE_DAYS`` of that period's end. An item with a submission waiting for review
is "pending" whatever its date; a closed measure is left out.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from dashboard.errors import Forbidden, UserError
from dashboard.i18n import gettext as _
from dashboard.models import Entity, Indicator, IndicatorSubmission, Measure, MeasureUpdate
from dashboard.permissions import Actor, authorize
from dashboard.workflow.worklists import CLOSED_STATUSES, DUE_SOON_DAYS, due_state

# Days a body has, after a period ends, to report an indicator's value for it.
INDICATOR_GRACE_DAYS = 60
PER_YEAR = {"annual": 1, "semiannual": 2, "quarterly": 4}
STATES = ("overdue", "due", "pending", "ok")  # the order the calendar lists them in
_PERIOD = re.compile(r"^(\d{4})(?:-([SQ])([1-4]))?$")


@dataclass(frozen=True)
class CalendarItem:
    kind: str  # "measure" or "indicator"
    code: str
    name: str
    entity: str  # the acronym of the body that reports it
    entity_id: int
    due_on: dt.date
    state: str  # "overdue", "due" (soon), "pending" (a submission waits for review) or "ok"
    period: str  # an indicator's period owed ("2026-Q3"); empty for a measure
    frequency: str  # an indicator's frequency; empty for a measure
    path: str  # the page to report it on

    @property
    def uid_key(self) -> str:
        """Stable per item and due date (an iCalendar UID, a notification's item)."""
        return f"{self.kind}-{self.code}-{self.due_on.isoformat()}"


def period_end(year: int, index: int, per_year: int) -> dt.date:
    month = 12 // per_year * index
    return dt.date(year + (month == 12), month % 12 + 1, 1) - dt.timedelta(days=1)


def _label(year: int, index: int, per_year: int) -> str:
    return {1: str(year), 2: f"{year}-S{index}", 4: f"{year}-Q{index}"}[per_year]


def next_period(frequency: str, latest: str | None, as_of: dt.date) -> tuple[str, dt.date]:
    """(label, end) of the period owed next: the one after ``latest``, else the latest
    period ended by ``as_of``."""
    per_year = PER_YEAR.get(frequency, 1)
    match = _PERIOD.match(latest or "")
    if match:
        of_latest = {"S": 2, "Q": 4}.get(match.group(2) or "", 1)
        latest_end = period_end(int(match.group(1)), int(match.group(3) or 1), of_latest)
        year, index = latest_end.year, 1
        while period_end(year, index, per_year) <= latest_end:
            year, index = (year + 1, 1) if index == per_year else (year, index + 1)
    else:
        year, index = as_of.year, per_year
        while period_end(year, index, per_year) >= as_of:
            year, index = (year - 1, per_year) if index == 1 else (year, index - 1)
    return _label(year, index, per_year), period_end(year, index, per_year)


def _state(due: dt.date, as_of: dt.date) -> str:
    if as_of > due:
        return "overdue"
    if as_of >= due - dt.timedelta(days=DUE_SOON_DAYS):
        return "due"
    return "ok"


def state_labels() -> dict[str, str]:
    return {"overdue": _("Overdue"), "due": _("Due soon"), "pending": _("Pending review"), "ok": _("Scheduled")}


def _entity_ids(session: Session, actor: Actor, entity: str | None) -> list[int] | None:
    """The entities whose calendar ``actor`` reads: a focal point, their own; the secretariat
    and the committee, the one named by acronym or every one (``None``)."""
    authorize(actor, "read_reporting_calendar")
    if actor.role == "focal_point":
        if entity and entity != _acronym(session, actor.entity_id):
            raise Forbidden(_("Your account is not allowed to do this."))
        return [actor.entity_id] if actor.entity_id is not None else []
    if not entity:
        return None
    acronym = str(entity)[:40].replace("\x00", "")  # PostgreSQL refuses NUL in text
    found = session.scalar(select(Entity.id).where(Entity.acronym == acronym)) if acronym else None
    if found is None:
        raise UserError(_("There is no such body."))
    return [found]


def _acronym(session: Session, entity_id: int | None) -> str | None:
    return session.scalar(select(Entity.acronym).where(Entity.id == entity_id)) if entity_id else None


def reporting_calendar(session: Session, actor: Actor, lang: str, as_of: dt.date, freshness_days: int,
                       entity: str | None = None) -> list[CalendarItem]:
    """Every measure the entity leads (closed ones aside) and every indicator it reports, with
    its next due date and state, most urgent first."""
    ids = _entity_ids(session, actor, entity)
    if ids == []:
        return []
    items: list[CalendarItem] = []
    pending_measures = set(session.scalars(select(MeasureUpdate.measure_id).where(MeasureUpdate.state == "submitted")))
    measures = select(Measure, Entity.acronym).join(Entity, Entity.id == Measure.lead_entity_id).where(
        Measure.status.not_in(CLOSED_STATUSES))
    if ids is not None:
        measures = measures.where(Measure.lead_entity_id.in_(ids))
    for measure, acronym in session.execute(measures.order_by(Measure.code)):
        state, due = due_state(measure.last_updated, as_of, freshness_days)
        items.append(CalendarItem(
            "measure", measure.code, measure.name(lang), acronym, measure.lead_entity_id, due,
            "pending" if measure.id in pending_measures else state, "", "", f"/measures/{measure.code}"))
    pending_indicators = set(session.scalars(
        select(IndicatorSubmission.indicator_id).where(IndicatorSubmission.state == "submitted")))
    indicators = select(Indicator, Entity.acronym).join(Entity, Entity.id == Indicator.responsible_entity_id)
    if ids is not None:
        indicators = indicators.where(Indicator.responsible_entity_id.in_(ids))
    for indicator, acronym in session.execute(indicators.order_by(Indicator.code)):
        period, end = next_period(indicator.frequency, indicator.latest_period, as_of)
        due = end + dt.timedelta(days=INDICATOR_GRACE_DAYS)
        items.append(CalendarItem(
            "indicator", indicator.code, indicator.name(lang), acronym, indicator.responsible_entity_id, due,
            "pending" if indicator.id in pending_indicators else _state(due, as_of), period, indicator.frequency,
            f"/indicators/{indicator.code}"))
    items.sort(key=lambda item: (STATES.index(item.state), item.due_on, item.kind, item.code))
    return items
