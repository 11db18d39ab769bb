"""Yearly national figures entered by the focal points of the bodies that produce them (the
Public Prosecution, the CSPJ, the DGSN, the Royal Gendarmerie and the commission's
secretariat), through the same validation flow as measure updates.

A figure belongs to its producer: a focal point enters only their own body's figures, and an
approved entry becomes a ``Statistic`` of that publisher, never merged with another's.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from . import audit, statistics
from .errors import Conflict, InvalidInput, NotFound
from .models import (
    STATISTIC_BREAKDOWNS,
    STATISTIC_SERIES,
    Entity,
    Statistic,
    StatisticSubmission,
    breakdown_key,
)
from .permissions import Actor, authorize
from .queries import entity_of
from .submissions import (
    MAX_NARRATIVE,
    check_version,
    decide,
    flush_or_conflict,
    int_or_none,
    parse_number,
    reviewable,
    send_back,
)

FIRST_YEAR = 2016  # Law 27.14 on trafficking in persons
MAX_BREAKDOWN_DIMENSIONS = 2
# National yearly counts run in the hundreds: a larger number is a typing error.
MAX_COUNT = 100_000
MAX_DOCUMENT = 500


@dataclass
class StatisticForm:
    """What a focal point fills in; values arrive as the browser sent them."""

    series: str | None = None
    year: object = None
    breakdown: dict[str, str] = field(default_factory=dict)  # dimension -> category; empty: total
    value: object = None
    document: str = ""  # the report or register the figure comes from
    note: str = ""


@dataclass(frozen=True)
class CheckedStatistic:
    series: str
    year: int
    breakdown: str
    value: float
    document: str
    note: str


def producer_of(session: Session, actor: Actor) -> Entity | None:
    """The body whose figures this user enters (None for other users)."""
    return entity_of(session, actor)


def check_statistic(form: StatisticForm, today: dt.date) -> CheckedStatistic:
    """Validate an entry; raises ``InvalidInput`` naming the first faulty field."""
    if form.series not in STATISTIC_SERIES:
        raise InvalidInput(_("Choose what is counted."), "series")
    year = int_or_none(form.year)
    if year is None or not FIRST_YEAR <= year <= today.year:
        raise InvalidInput(_("The year must fall between %(start)d and %(end)d.", start=FIRST_YEAR,
                             end=today.year), "year")
    cells = {key: value for key, value in (form.breakdown or {}).items() if value}
    if len(cells) > MAX_BREAKDOWN_DIMENSIONS:
        raise InvalidInput(_("A figure can be broken down along two dimensions at most."), "breakdown")
    for dimension, category in cells.items():
        if category not in STATISTIC_BREAKDOWNS.get(dimension, ()):
            raise InvalidInput(_("There is no such breakdown."), "breakdown")
    text = str(form.value if form.value is not None else "").strip()
    if any(letter in text for letter in "eE"):  # "1e6" parses as a number: not for counts
        raise InvalidInput(_("A count is a whole number from 0 to %(max)d.", max=MAX_COUNT), "value")
    value = parse_number(form.value)
    if value < 0 or value != int(value) or value > MAX_COUNT:
        raise InvalidInput(_("A count is a whole number from 0 to %(max)d.", max=MAX_COUNT), "value")
    document = (form.document or "").strip()
    if not document:
        raise InvalidInput(_("Name the report or register the figure comes from."), "document")
    if len(document) > MAX_DOCUMENT:
        raise InvalidInput(_("The source has at most %(n)d characters.", n=MAX_DOCUMENT), "document")
    note = (form.note or "").strip()
    if len(note) > MAX_NARRATIVE:
        raise InvalidInput(_("A note has at most %(n)d characters.", n=MAX_NARRATIVE), "note")
    return CheckedStatistic(form.series, year, breakdown_key(cells), value, document, note)


def published_figure(session: Session, entity_id: int, series: str, year: int, key: str) -> Statistic | None:
    """The publisher's current count for that year and cell, if any."""
    return statistics.current_value(session, entity_id, series, str(year), key)


def check_against_total(session: Session, entity_id: int, checked: CheckedStatistic) -> None:
    """A group cannot outnumber everyone: a cell is at most the publisher's total for that
    series and year, and a total at least each published cell of one dimension."""
    if checked.breakdown:
        total = published_figure(session, entity_id, checked.series, checked.year, "")
        if total is not None and checked.value > total.value:
            raise InvalidInput(_("This count is larger than your body's published total for that year "
                                 "(%(total)s). Check the figure, or correct the total first.",
                                 total=f"{total.value:g}"), "value")
        return
    largest = session.scalar(
        select(Statistic.value).where(
            Statistic.entity_id == entity_id, Statistic.series == checked.series,
            Statistic.period == str(checked.year), Statistic.unit == "count", Statistic.breakdown != "",
            Statistic.breakdown.not_like("%;%"))
        .order_by(Statistic.value.desc()).limit(1))
    if largest is not None and checked.value < largest:
        raise InvalidInput(_("This total is smaller than one of your body's published counts for that year "
                             "(%(count)s). Check the figure.", count=f"{largest:g}"), "value")


def _pending_exists() -> Conflict:
    return Conflict(_("A figure for this year and breakdown is already waiting for review."))


def _snapshot(item: StatisticSubmission) -> dict:
    return {"submission": item.id, "series": item.series, "year": item.year, "breakdown": item.breakdown,
            "value": item.value, "previous_value": item.previous_value, "document": item.document,
            "state": item.state, "note": item.note or None, "version": item.version}


def _object_id(entity: Entity, item: StatisticSubmission) -> str:
    return f"{entity.acronym}:{item.series}:{item.year}"[:80]


def _raise_if_pending(session: Session, entity_id: int, checked: CheckedStatistic, own_id: int | None) -> None:
    query = select(StatisticSubmission.id).where(
        StatisticSubmission.entity_id == entity_id, StatisticSubmission.series == checked.series,
        StatisticSubmission.year == checked.year, StatisticSubmission.breakdown == checked.breakdown,
        StatisticSubmission.state == "submitted")
    if own_id is not None:
        query = query.where(StatisticSubmission.id != own_id)
    if session.scalar(query):
        raise _pending_exists()


def _fill(session: Session, item: StatisticSubmission, checked: CheckedStatistic) -> None:
    published = published_figure(session, item.entity_id, checked.series, checked.year, checked.breakdown)
    item.series, item.year, item.breakdown = checked.series, checked.year, checked.breakdown
    item.value, item.document, item.note = checked.value, checked.document, checked.note
    item.previous_value = published.value if published else None


def submit_statistic(session: Session, actor: Actor, form: StatisticForm, today: dt.date) -> StatisticSubmission:
    """A producer's focal point sends a yearly figure of their own body for review."""
    entity = producer_of(session, actor)
    authorize(actor, "submit_statistic", entity)
    checked = check_statistic(form, today)
    check_against_total(session, entity.id, checked)
    _raise_if_pending(session, entity.id, checked, None)
    item = StatisticSubmission(entity_id=entity.id, submitted_by_id=actor.user_id, state="submitted",
                               submitted_at=audit.utcnow())
    _fill(session, item, checked)
    session.add(item)
    flush_or_conflict(session, _pending_exists())
    audit.record(session, actor, "statistic.submit", "statistic", _object_id(entity, item), None, _snapshot(item))
    return item


def get_statistic_submission(session: Session, submission_id) -> StatisticSubmission:
    item = session.get(StatisticSubmission, int_or_none(submission_id) or 0)
    if item is None:
        raise NotFound(_("There is no such submission."))
    return item


def resubmit_statistic(session: Session, actor: Actor, submission_id, expected_version,
                       form: StatisticForm, today: dt.date) -> StatisticSubmission:
    """The focal point corrects a returned figure and sends it again."""
    item = get_statistic_submission(session, submission_id)
    authorize(actor, "submit_statistic", item.entity)
    check_version(item, expected_version)
    if item.state != "returned":
        raise InvalidInput(_("Only a returned submission can be edited."))
    checked = check_statistic(form, today)
    check_against_total(session, item.entity_id, checked)
    _raise_if_pending(session, item.entity_id, checked, item.id)
    before = _snapshot(item)
    _fill(session, item, checked)
    item.state, item.submitted_at, item.submitted_by_id = "submitted", audit.utcnow(), actor.user_id
    flush_or_conflict(session, _pending_exists())
    audit.record(session, actor, "statistic.resubmit", "statistic", _object_id(item.entity, item), before,
                 _snapshot(item))
    return item


def approve_statistic(session: Session, actor: Actor, submission_id, expected_version,
                      today: dt.date) -> StatisticSubmission:
    """Publish the figure under its producer; it replaces that producer's figure for the cell."""
    item = reviewable(session, actor, get_statistic_submission, submission_id, expected_version,
                      _("Only a submission waiting for review can be approved."))
    published = published_figure(session, item.entity_id, item.series, item.year, item.breakdown)
    current = published.value if published else None
    if current != item.previous_value:
        raise Conflict(_("The published value changed after this submission was written. Return it "
                         "so that the focal point can check it."), {"value": current})
    statistics.upsert(session, entity_id=item.entity_id, series=item.series, period=str(item.year),
                      breakdown=item.breakdown, value=item.value, document=item.document,
                      citation=item.document[:300], submission_id=item.id,
                      note=item.note)
    decide(session, actor, item, "approved", "",
           _("Someone else reviewed this submission at the same time. Reload the page to see their decision."))
    audit.record(session, actor, "statistic.approve", "statistic", _object_id(item.entity, item),
                 {"breakdown": item.breakdown, "value": current},
                 {"breakdown": item.breakdown, "value": item.value, "submission": item.id,
                  "document": item.document})
    return item


def return_statistic(session: Session, actor: Actor, submission_id, expected_version,
                     reason: str) -> StatisticSubmission:
    return send_back(session, actor, get_statistic_submission, submission_id, expected_version, reason,
                     action="statistic.return", object_of=lambda i: ("statistic", _object_id(i.entity, i)))


def entries_of(session: Session, actor: Actor) -> list[StatisticSubmission]:
    """The entries of the actor's body, newest first (the focal point's own list)."""
    entity = producer_of(session, actor)
    authorize(actor, "submit_statistic", entity)
    return list(session.scalars(
        select(StatisticSubmission).where(StatisticSubmission.entity_id == entity.id)
        .options(selectinload(StatisticSubmission.submitted_by), selectinload(StatisticSubmission.reviewed_by))
        .order_by(StatisticSubmission.submitted_at.desc())))
