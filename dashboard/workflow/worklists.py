"""What the validation flow shows: a focal point's inbox, the review queue, and a measure's
history. Read services: each takes a session and the acting user and returns plain data
(the rows are typed dicts: the views read them by key).
"""
from __future__ import annotations

import datetime as dt
from typing import TypedDict

from sqlalchemy import func, select
from sqlalchemy.orm import Session, object_session, selectinload

from dashboard import labels, paging
from dashboard.i18n import using_language
from dashboard.models import (
    AuditEvent,
    Entity,
    Evidence,
    ImportBatch,
    Indicator,
    IndicatorSubmission,
    Measure,
    MeasureProgressEvent,
    MeasureUpdate,
    Region,
    RolloutUpdate,
    StatisticSubmission,
    User,
)
from dashboard.national.statistics import category_names
from dashboard.permissions import Actor, allowed, authorize
from dashboard.workflow.accounts import person_name
from dashboard.workflow.statistic_entries import YearOnYear, approval_findings, entries_of, finding_text, year_on_year

CLOSED_STATUSES = ("completed", "cancelled")
DUE_SOON_DAYS = 14


class EvidenceRow(TypedDict):
    id: int
    kind: str  # "link" or "file"
    url: str  # empty for a file
    filename: str  # empty for a link
    size: int


class ReviewFields(TypedDict):
    """What every kind of submission row shares: its state and who handled it when."""

    id: int
    version: int
    state: str
    submitted_at: dt.datetime
    submitted_by: str
    reviewed_at: dt.datetime | None
    reviewed_by: str | None
    return_reason: str
    evidence: list[EvidenceRow]


class Resubmission(TypedDict):
    """For a submission sent again after it was returned: the reason it was returned for and
    what the focal point changed since, (field, before, after)."""

    reason: str
    changes: list[tuple[str, object, object]]


class UpdateRow(ReviewFields):
    kind: str  # "measure_update"
    measure: str
    measure_name: str
    lead: str
    status: str
    progress: int
    previous_status: str
    previous_progress: int
    current_status: str
    current_progress: int
    narrative: str
    narratives: dict[str, str]
    period_start: dt.date
    period_end: dt.date
    stale: bool  # the measure changed since the update was written
    batch: int | None  # the reporting file it came from
    resubmission: Resubmission | None


class ValueRow(ReviewFields):
    kind: str  # "indicator_value"
    indicator: str
    indicator_name: str
    unit: str
    period: str
    breakdown: str
    value: float
    previous_value: float | None
    note: str
    batch: int | None
    resubmission: Resubmission | None


class StatisticRow(ReviewFields):
    kind: str  # "statistic"
    publisher: str
    publisher_name: str
    series: str
    year: int
    breakdown: str
    value: float
    previous_value: float | None
    unit: str
    document: str
    note: str


class StatisticReviewRow(StatisticRow):
    findings: list[str]
    year_on_year: YearOnYear


class RolloutRow(ReviewFields):
    kind: str  # "rollout_update"
    region: str
    region_name: str
    stage: str
    previous_stage: str
    started_on: dt.date
    note: str


SubmissionRow = UpdateRow | ValueRow | StatisticRow | RolloutRow


class InboxMeasure(TypedDict):
    code: str
    name: str
    status: str
    progress: int
    last_updated: dt.date
    due_date: dt.date
    due_state: str  # "overdue", "due", "ok" or "closed"
    pending: bool
    version: int


class InboxIndicator(TypedDict):
    code: str
    name: str
    frequency: str
    latest_period: str | None
    last_reported_on: dt.date | None


class InboxEntity(TypedDict):
    acronym: str
    name: str


class Inbox(TypedDict):
    entity: InboxEntity | None
    measures: list[InboxMeasure]
    due: list[InboxMeasure]
    due_total: int
    pending_total: int
    returned: list[SubmissionRow]
    pending: list[SubmissionRow]
    indicators: list[InboxIndicator]


class ReviewQueue(TypedDict):
    updates: list[UpdateRow]
    values: list[ValueRow]
    statistics: list[StatisticReviewRow]
    rollout: list[RolloutRow]


class RolloutProposals(TypedDict):
    returned: RolloutRow | None
    pending: RolloutRow | None


def _name(model, lang: str):
    return getattr(model, f"name_{lang}")


def _evidence(items) -> list[EvidenceRow]:
    return [{"id": e.id, "kind": e.kind, "url": e.url, "filename": e.filename, "size": e.size}
            for e in items]


def _update_row(update: MeasureUpdate, lang: str) -> UpdateRow:
    measure = update.measure
    return {
        "kind": "measure_update",
        "id": update.id,
        "version": update.version,
        "state": update.state,
        "measure": measure.code,
        "measure_name": measure.name(lang),
        "lead": measure.lead_entity.acronym,
        "status": update.status,
        "progress": update.progress,
        "previous_status": update.previous_status,
        "previous_progress": update.previous_progress,
        "current_status": measure.status,
        "current_progress": measure.progress,
        "narrative": update.narrative(lang),
        "narratives": {code: getattr(update, f"narrative_{code}") for code in ("ar", "fr", "en")},
        "period_start": update.period_start,
        "period_end": update.period_end,
        "submitted_at": update.submitted_at,
        "submitted_by": person_name(update.submitted_by.name, update.submitted_by.is_demo),
        "reviewed_at": update.reviewed_at,
        "reviewed_by": person_name(update.reviewed_by.name, update.reviewed_by.is_demo) if update.reviewed_by else None,
        "return_reason": update.return_reason,
        "stale": update.state == "submitted" and measure.version != update.base_version,
        "evidence": _evidence(update.evidence),
        "batch": update.batch_id,
        "resubmission": _resubmission(update, "measure_update", measure.code, "update"),
    }


def _value_row(item: IndicatorSubmission, lang: str) -> ValueRow:
    indicator = item.indicator
    return {
        "kind": "indicator_value",
        "id": item.id,
        "version": item.version,
        "state": item.state,
        "indicator": indicator.code,
        "indicator_name": indicator.name(lang),
        "unit": indicator.unit,
        "period": item.period,
        "breakdown": item.breakdown,
        "value": item.value,
        "previous_value": item.previous_value,
        "note": item.note,
        "submitted_at": item.submitted_at,
        "submitted_by": person_name(item.submitted_by.name, item.submitted_by.is_demo),
        "reviewed_at": item.reviewed_at,
        "reviewed_by": person_name(item.reviewed_by.name, item.reviewed_by.is_demo) if item.reviewed_by else None,
        "return_reason": item.return_reason,
        "evidence": _evidence(item.evidence),
        "batch": item.batch_id,
        "resubmission": _resubmission(item, "indicator_value", indicator.code, "submission"),
    }


# What a resubmission's diff compares, in the audit trail's snapshots of the submission.
RESUBMITTED_FIELDS = ("status", "progress", "period", "narrative", "value", "note", "breakdown")


def _resubmission(item: MeasureUpdate | IndicatorSubmission, action: str, object_id: str,
                  key: str) -> Resubmission | None:
    """The earlier reason and the changes since, from the audit trail's last resubmission."""
    if item.state != "submitted" or not item.return_reason:
        return None
    session = object_session(item)
    events = session.scalars(select(AuditEvent).where(
        AuditEvent.action == f"{action}.resubmit", AuditEvent.object_id == object_id)
        .order_by(AuditEvent.id.desc()).limit(50)) if session is not None else []
    for event in events:
        before, after = event.before or {}, event.after or {}
        if before.get(key) == item.id:
            changes = [(name, before.get(name), after.get(name)) for name in RESUBMITTED_FIELDS
                       if name in before or name in after if before.get(name) != after.get(name)]
            return {"reason": item.return_reason, "changes": changes}
    return {"reason": item.return_reason, "changes": []}


def _review_fields(item) -> ReviewFields:
    return {
        "id": item.id,
        "version": item.version,
        "state": item.state,
        "submitted_at": item.submitted_at,
        "submitted_by": person_name(item.submitted_by.name, item.submitted_by.is_demo),
        "reviewed_at": item.reviewed_at,
        "reviewed_by": person_name(item.reviewed_by.name, item.reviewed_by.is_demo) if item.reviewed_by else None,
        "return_reason": item.return_reason,
        "evidence": [],
    }


def _statistic_row(item: StatisticSubmission, lang: str) -> StatisticRow:
    return {
        **_review_fields(item),
        "kind": "statistic",
        "publisher": item.entity.acronym,
        "publisher_name": item.entity.name(lang),
        "series": item.series,
        "year": item.year,
        "breakdown": item.breakdown,
        "value": item.value,
        "previous_value": item.previous_value,
        "unit": "number",
        "document": item.document,
        "note": item.note,
    }


def _statistic_review_row(session: Session, item: StatisticSubmission, lang: str,
                          names: dict[str, str]) -> StatisticReviewRow:
    """A figure as the reviewer sees it: with what approving it would contradict in the
    published table (nothing: it is consistent) and its change from the year before."""
    return {
        **_statistic_row(item, lang),
        "findings": [finding_text(f, item.year, names, lang) for f in approval_findings(session, item)],
        "year_on_year": year_on_year(session, item),
    }


def _rollout_row(item: RolloutUpdate, lang: str) -> RolloutRow:
    return {
        **_review_fields(item),
        "kind": "rollout_update",
        "region": item.region.code,
        "region_name": item.region.name(lang),
        "stage": item.stage,
        "previous_stage": item.previous_stage,
        "started_on": item.started_on,
        "note": item.note,
    }


def _statistics(session: Session, *conditions, offset: int = 0, limit: int | None = None) -> list[StatisticSubmission]:
    query = (select(StatisticSubmission).where(*conditions)
             .options(selectinload(StatisticSubmission.entity), selectinload(StatisticSubmission.submitted_by),
                      selectinload(StatisticSubmission.reviewed_by))
             .order_by(StatisticSubmission.submitted_at, StatisticSubmission.id))
    return list(session.scalars(query.offset(offset).limit(limit)))


def _rollouts(session: Session, *conditions, offset: int = 0, limit: int | None = None) -> list[RolloutUpdate]:
    query = (select(RolloutUpdate).where(*conditions)
             .options(selectinload(RolloutUpdate.region), selectinload(RolloutUpdate.submitted_by),
                      selectinload(RolloutUpdate.reviewed_by))
             .order_by(RolloutUpdate.submitted_at, RolloutUpdate.id))
    return list(session.scalars(query.offset(offset).limit(limit)))


def _updates(session: Session, *conditions, offset: int = 0, limit: int | None = None) -> list[MeasureUpdate]:
    query = (
        select(MeasureUpdate)
        .join(Measure, Measure.id == MeasureUpdate.measure_id)
        .where(*conditions)
        .options(selectinload(MeasureUpdate.evidence), selectinload(MeasureUpdate.submitted_by),
                 selectinload(MeasureUpdate.reviewed_by),
                 selectinload(MeasureUpdate.measure).selectinload(Measure.lead_entity))
        .order_by(MeasureUpdate.submitted_at, MeasureUpdate.id)
    )
    return list(session.scalars(query.offset(offset).limit(limit)))


def _values(session: Session, *conditions, offset: int = 0, limit: int | None = None) -> list[IndicatorSubmission]:
    query = (
        select(IndicatorSubmission)
        .join(Indicator, Indicator.id == IndicatorSubmission.indicator_id)
        .where(*conditions)
        .options(selectinload(IndicatorSubmission.evidence), selectinload(IndicatorSubmission.submitted_by),
                 selectinload(IndicatorSubmission.reviewed_by), selectinload(IndicatorSubmission.indicator))
        .order_by(IndicatorSubmission.submitted_at, IndicatorSubmission.id)
    )
    return list(session.scalars(query.offset(offset).limit(limit)))


def due_state(last_updated: dt.date, as_of: dt.date, period_days: int) -> tuple[str, dt.date]:
    """("overdue" | "due" | "ok", due date): a validated update is owed every ``period_days``."""
    due = last_updated + dt.timedelta(days=period_days)
    if as_of > due:
        return "overdue", due
    if as_of >= due - dt.timedelta(days=DUE_SOON_DAYS):
        return "due", due
    return "ok", due


INBOX_DUE_SHOWN = 20  # updates due listed on /my; the measures grid holds every measure


def _pending_update():
    return (select(MeasureUpdate.id)
            .where(MeasureUpdate.measure_id == Measure.id, MeasureUpdate.state == "submitted")
            .exists())


def _inbox_select(lang: str):
    pending = _pending_update()
    return select(Measure.code, _name(Measure, lang).label("name"), Measure.status, Measure.progress,
                  Measure.last_updated, Measure.version, pending.label("pending"))


def _inbox_measure(row, as_of: dt.date, period_days: int) -> InboxMeasure:
    code, name, status, progress, last_updated, version, pending = row
    state, due = due_state(last_updated, as_of, period_days)
    if status in CLOSED_STATUSES:
        state = "closed"
    return {"code": code, "name": name, "status": status, "progress": progress, "last_updated": last_updated,
            "due_date": due, "due_state": state, "pending": bool(pending), "version": version}


def inbox_measure_columns(lang: str) -> dict[str, paging.Column]:
    """The /my measures grid's columns as SQL (``layouts.my``)."""
    with using_language(lang):
        statuses = labels.measure_status()
    return {
        "code": paging.Column(Measure.code),
        "name": paging.Column(_name(Measure, lang)),
        "status": paging.Column(Measure.status, "choice", statuses),
        "progress": paging.Column(Measure.progress, "number"),
        "updated": paging.Column(Measure.last_updated, filterable=False),
        "next": paging.Column(Measure.last_updated, filterable=False),  # the due date follows it
    }


class InboxMeasurePage(TypedDict):
    rows: list[InboxMeasure]
    total: int


def inbox_measure_page(session: Session, actor: Actor, lang: str, as_of: dt.date, period_days: int,
                       request: object) -> InboxMeasurePage:
    """One page of the measures the focal point's entity leads, for a grid's
    ``getRowsRequest`` (any value: see ``dashboard.paging``); nobody else's measures."""
    authorize(actor, "open_inbox")
    columns = inbox_measure_columns(lang)
    wanted = paging.page_request(request, columns)
    query = paging.filtered(_inbox_select(lang).where(Measure.lead_entity_id == actor.entity_id), wanted, columns)
    page = paging.sorted_page(query, wanted, columns, [Measure.code, Measure.id])
    rows = [_inbox_measure(row, as_of, period_days) for row in session.execute(page)]
    return {"rows": rows, "total": paging.count(session, query)}


def inbox_indicator_columns(lang: str) -> dict[str, paging.Column]:
    """The /my indicators grid's columns as SQL (``layouts.parts.workflow``)."""
    with using_language(lang):
        frequencies = labels.frequency()
    return {
        "code": paging.Column(Indicator.code),
        "name": paging.Column(_name(Indicator, lang)),
        "frequency": paging.Column(Indicator.frequency, "choice", frequencies),
        "period": paging.Column(Indicator.latest_period),
        "reported": paging.Column(Indicator.last_reported_on, filterable=False),
    }


class InboxIndicatorPage(TypedDict):
    rows: list[InboxIndicator]
    total: int


def inbox_indicator_page(session: Session, actor: Actor, lang: str, request: object) -> InboxIndicatorPage:
    """One page of the indicators the focal point's entity reports on (restricted ones
    included: their reporters read them), for a grid's ``getRowsRequest``."""
    authorize(actor, "open_inbox")
    columns = inbox_indicator_columns(lang)
    wanted = paging.page_request(request, columns)
    query = (select(Indicator.code, _name(Indicator, lang).label("name"), Indicator.frequency,
                    Indicator.latest_period, Indicator.last_reported_on)
             .where(Indicator.responsible_entity_id == actor.entity_id))
    query = paging.filtered(query, wanted, columns)
    rows = [{"code": code, "name": name, "frequency": frequency, "latest_period": period,
             "last_reported_on": reported}
            for code, name, frequency, period, reported
            in session.execute(paging.sorted_page(query, wanted, columns, [Indicator.code, Indicator.id]))]
    return {"rows": rows, "total": paging.count(session, query)}


def my_inbox(session: Session, actor: Actor, lang: str, as_of: dt.date, period_days: int,
             measures: bool = True) -> Inbox:
    """A focal point's four lists, plus the indicators their entity reports on. With
    ``measures=False`` the entity's measures and indicators are left to
    ``inbox_measure_page`` and ``inbox_indicator_page``, and the updates due and the
    submissions waiting are the first ``INBOX_DUE_SHOWN`` (``due_total`` and
    ``pending_total`` count them all)."""
    authorize(actor, "open_inbox")
    entity_id = actor.entity_id
    own = _inbox_select(lang).where(Measure.lead_entity_id == entity_id)
    measure_rows = [] if not measures else [
        _inbox_measure(row, as_of, period_days) for row in session.execute(own.order_by(Measure.code))]
    # Due within DUE_SOON_DAYS of the last update plus the period, closed and pending left out.
    due_from = as_of - dt.timedelta(days=period_days - DUE_SOON_DAYS)
    due_query = own.where(Measure.status.not_in(CLOSED_STATUSES), Measure.last_updated <= due_from,
                          ~_pending_update())
    due_total = paging.count(session, due_query)
    due_query = due_query.order_by(Measure.last_updated, Measure.code)
    if not measures:
        due_query = due_query.limit(INBOX_DUE_SHOWN)
    due_list = [_inbox_measure(row, as_of, period_days) for row in session.execute(due_query)]
    returned, pending = ([
        *[_update_row(u, lang) for u in _updates(session, Measure.lead_entity_id == entity_id,
                                                  MeasureUpdate.state == state)],
        *[_value_row(v, lang) for v in _values(session, Indicator.responsible_entity_id == entity_id,
                                                IndicatorSubmission.state == state)],
        *[_statistic_row(s, lang) for s in _statistics(session, StatisticSubmission.entity_id == entity_id,
                                                        StatisticSubmission.state == state)],
        # Rollout proposals belong to whoever sent them: several bodies may report a region.
        *[_rollout_row(r, lang) for r in _rollouts(session, RolloutUpdate.submitted_by_id == actor.user_id,
                                                   RolloutUpdate.state == state)],
    ] for state in ("returned", "submitted"))
    pending_total = len(pending)
    if not measures:  # the page lists the oldest; the rest are counted
        pending = pending[:INBOX_DUE_SHOWN]
    indicators = [] if not measures else [
        {"code": code, "name": name, "frequency": frequency, "latest_period": period,
         "last_reported_on": reported}
        for code, name, frequency, period, reported in session.execute(
            select(Indicator.code, _name(Indicator, lang), Indicator.frequency, Indicator.latest_period,
                   Indicator.last_reported_on)
            .where(Indicator.responsible_entity_id == entity_id).order_by(Indicator.code))
    ]
    entity = session.get(Entity, entity_id) if entity_id else None
    return {
        "entity": {"acronym": entity.acronym, "name": entity.name(lang)} if entity else None,
        "measures": measure_rows,
        "due": due_list,
        "due_total": due_total,
        "pending_total": pending_total,
        "returned": returned,
        "pending": pending,
        "indicators": indicators,
    }


def review_queue(session: Session, actor: Actor, lang: str) -> ReviewQueue:
    """Everything waiting for the secretariat, oldest first (the committee may look)."""
    authorize(actor, "view_review_queue")
    names = category_names(session, lang)
    return {
        "updates": [_update_row(u, lang) for u in _updates(session, MeasureUpdate.state == "submitted")],
        "values": [_value_row(v, lang) for v in _values(session, IndicatorSubmission.state == "submitted")],
        "statistics": [_statistic_review_row(session, s, lang, names)
                       for s in _statistics(session, StatisticSubmission.state == "submitted")],
        "rollout": [_rollout_row(r, lang) for r in _rollouts(session, RolloutUpdate.state == "submitted")],
    }


REVIEW_PAGE = 20  # cards a page of the review queue shows
QUEUE_SECTIONS = ("updates", "values", "statistics", "rollout")
BATCHED_SECTIONS = ("updates", "values", "statistics")
_QUEUE_MODELS = {"updates": MeasureUpdate, "values": IndicatorSubmission,
                 "statistics": StatisticSubmission, "rollout": RolloutUpdate}


class QueuePage(TypedDict):
    rows: list  # UpdateRow, ValueRow, StatisticReviewRow or RolloutRow, by section
    total: int  # waiting in the section
    page: int  # 0-based, clamped to the pages there are
    pages: int


def review_queue_counts(session: Session, actor: Actor) -> dict[str, int]:
    """How many submissions wait in each section of the review queue."""
    authorize(actor, "view_review_queue")
    return {section: session.scalar(select(func.count()).select_from(model).where(model.state == "submitted"))
            for section, model in _QUEUE_MODELS.items()}


def review_queue_page(session: Session, actor: Actor, lang: str, section: str, page: object = 0,
                      per_page: int | None = None) -> QueuePage:
    """One page of one section of ``review_queue`` (oldest first), for the same readers.
    ``page`` comes from the browser: anything not a page number is the first page."""
    authorize(actor, "view_review_queue")
    per_page = per_page or REVIEW_PAGE
    if section not in _QUEUE_SECTIONS_SET:
        return {"rows": [], "total": 0, "page": 0, "pages": 1}
    model = _QUEUE_MODELS[section]
    submitted = model.state == "submitted"
    if section in BATCHED_SECTIONS:  # rows of a reporting file are reviewed with their file
        submitted = submitted & model.batch_id.is_(None)
    total = session.scalar(select(func.count()).select_from(model).where(submitted))
    pages = max(1, -(-total // per_page))
    number = page if isinstance(page, int) and not isinstance(page, bool) else 0
    number = min(max(number, 0), pages - 1)
    window = {"offset": number * per_page, "limit": per_page}
    if section == "updates":
        rows = [_update_row(u, lang) for u in _updates(session, submitted, **window)]
    elif section == "values":
        rows = [_value_row(v, lang) for v in _values(session, submitted, **window)]
    elif section == "statistics":
        names = category_names(session, lang)
        rows = [_statistic_review_row(session, s, lang, names) for s in _statistics(session, submitted, **window)]
    else:
        rows = [_rollout_row(r, lang) for r in _rollouts(session, submitted, **window)]
    return {"rows": rows, "total": total, "page": number, "pages": pages}


_QUEUE_SECTIONS_SET = frozenset(QUEUE_SECTIONS)


class BatchItem(TypedDict):
    """A reporting file in the review queue: its rows still waiting, oldest file first."""

    id: int
    entity: str
    entity_name: str
    submitted_by: str
    created_at: dt.datetime
    filename: str
    file: int | None  # an evidence id of the file, for its download link
    sent: int  # rows the file sent
    updates: list[UpdateRow]
    values: list[ValueRow]
    statistics: list[StatisticReviewRow]


def pending_batches(session: Session, actor: Actor, lang: str) -> list[BatchItem]:
    """Every reporting file with rows waiting for review, each with those rows."""
    authorize(actor, "view_review_queue")
    updates = _updates(session, MeasureUpdate.state == "submitted", MeasureUpdate.batch_id.is_not(None))
    values = _values(session, IndicatorSubmission.state == "submitted", IndicatorSubmission.batch_id.is_not(None))
    figures = _statistics(session, StatisticSubmission.state == "submitted", StatisticSubmission.batch_id.is_not(None))
    ids = {item.batch_id for item in (*updates, *values, *figures)}
    names = category_names(session, lang) if figures else {}
    batches = session.scalars(select(ImportBatch).where(ImportBatch.id.in_(ids))
                              .options(selectinload(ImportBatch.entity), selectinload(ImportBatch.submitted_by))
                              .order_by(ImportBatch.created_at, ImportBatch.id)) if ids else []
    files = {}
    if ids:
        files = dict(session.execute(select(ImportBatch.stored_name, func.min(Evidence.id))
                                     .join(Evidence, Evidence.stored_name == ImportBatch.stored_name)
                                     .where(ImportBatch.id.in_(ids)).group_by(ImportBatch.stored_name)).all())
    return [{
        "id": batch.id,
        "entity": batch.entity.acronym if batch.entity else "",
        "entity_name": batch.entity.name(lang) if batch.entity else "",
        "submitted_by": person_name(batch.submitted_by.name, batch.submitted_by.is_demo),
        "created_at": batch.created_at,
        "filename": batch.filename,
        "file": files.get(batch.stored_name),
        "sent": batch.measure_rows + batch.indicator_rows + batch.statistic_rows,
        "updates": [_update_row(u, lang) for u in updates if u.batch_id == batch.id],
        "values": [_value_row(v, lang) for v in values if v.batch_id == batch.id],
        "statistics": [_statistic_review_row(session, f, lang, names) for f in figures if f.batch_id == batch.id],
    } for batch in batches]


def update_diff(row: UpdateRow) -> list[tuple[str, object, object]]:
    """(field, old, new) for the reviewer: the measure as it is against the update."""
    return [
        ("status", row["current_status"], row["status"]),
        ("progress", row["current_progress"], row["progress"]),
    ]


def measure_history(session: Session, actor: Actor, measure: Measure, lang: str) -> list[dict]:
    """A measure's history, newest first: reports loaded from files and reviewed updates.

    Everyone sees approved updates (by entity, not by person). Readers of restricted data
    and the lead entity's focal points also see who did it, returned updates with their
    reason, and the update waiting for review, marked as such.
    """
    insider = allowed(actor, "read_entity_submissions", measure)
    entries = []
    for event in session.scalars(select(MeasureProgressEvent).where(
            MeasureProgressEvent.measure_id == measure.id, MeasureProgressEvent.update_id.is_(None))):
        entries.append({"kind": "report", "date": event.recorded_on, "state": "approved",
                        "status": event.status, "progress": event.progress, "note": event.note,
                        "by": None, "reason": "", "previous_status": None, "previous_progress": None,
                        "narrative": "", "evidence": [], "period": None, "id": None})
    states = ("approved", "submitted") if insider else ("approved",)
    updates = _updates(session, MeasureUpdate.measure_id == measure.id)
    if insider:
        entries += _returns(session, updates, lang)
    for update in updates:
        if update.state not in states:
            continue
        row = _update_row(update, lang)
        entries.append({
            "kind": "update", "id": update.id, "state": update.state,
            "date": (update.reviewed_at or update.submitted_at).date(),
            "status": update.status, "progress": update.progress,
            "previous_status": update.previous_status, "previous_progress": update.previous_progress,
            "narrative": row["narrative"], "note": "", "period": (update.period_start, update.period_end),
            "by": (row["submitted_by"] if insider else measure.lead_entity.acronym),
            "reviewed_by": row["reviewed_by"] if insider else None,
            "reason": update.return_reason if insider else "",
            "evidence": row["evidence"] if insider else [],
        })
    entries.sort(key=lambda e: (e["date"], e["kind"] == "update", e["id"] or 0), reverse=True)
    return entries


def _returns(session: Session, updates: list[MeasureUpdate], lang: str) -> list[dict]:
    """Every time one of these updates was returned, from the audit trail: an update is
    edited in place when resubmitted, so its record keeps only the latest round."""
    if not updates:
        return []
    ids = {u.id: u for u in updates}
    events = session.execute(
        select(AuditEvent.action, AuditEvent.occurred_at, AuditEvent.after, User.name)
        .outerjoin(User, User.id == AuditEvent.actor_id)
        .where(AuditEvent.object_type == "measure", AuditEvent.object_id == updates[0].measure.code,
               AuditEvent.action.in_(("measure_update.submit", "measure_update.resubmit",
                                      "measure_update.return")))
        .order_by(AuditEvent.id)
    ).all()
    sent: dict[int, dict] = {}
    entries = []
    for action, occurred_at, after, reviewer in events:
        after = after or {}
        update = ids.get(after.get("update"))
        if update is None:
            continue
        if action != "measure_update.return":
            sent[update.id] = after
            continue
        what = sent.get(update.id, {})
        narratives = what.get("narrative") or {}
        start, _sep, end = (what.get("period") or "/").partition("/")
        entries.append({
            "kind": "update", "id": update.id, "state": "returned", "date": occurred_at.date(),
            "status": what.get("status", update.status), "progress": what.get("progress", update.progress),
            "previous_status": None, "previous_progress": None,
            "narrative": next((narratives[c] for c in (lang, "ar", "fr", "en") if narratives.get(c)), ""),
            "note": "", "period": _period(start, end),
            "by": person_name(update.submitted_by.name, update.submitted_by.is_demo), "reviewed_by": reviewer,
            "reason": after.get("reason", ""), "evidence": [],
        })
    return entries


def _period(start: str, end: str) -> tuple[dt.date, dt.date] | None:
    try:
        return dt.date.fromisoformat(start), dt.date.fromisoformat(end)
    except ValueError:
        return None


def pending_count(session: Session, actor: Actor) -> int:
    """Submissions waiting for review (shown to the committee and the secretariat)."""
    if not allowed(actor, "view_review_queue"):
        return 0
    return sum(session.scalar(select(func.count()).where(model.state == "submitted")) or 0
               for model in (MeasureUpdate, IndicatorSubmission, StatisticSubmission, RolloutUpdate))


def indicator_submissions(session: Session, actor: Actor, indicator: Indicator, lang: str) -> list[ValueRow]:
    """Submitted and returned values of an indicator, for its reporting entity and readers."""
    if not allowed(actor, "read_entity_submissions", indicator):
        return []
    return [_value_row(v, lang) for v in _values(session, IndicatorSubmission.indicator_id == indicator.id,
                                                 IndicatorSubmission.state.in_(("submitted", "returned")))]


def returned_update_for(session: Session, actor: Actor, measure: Measure, lang: str) -> UpdateRow | None:
    """The returned update of a measure its focal point can edit and send again, if any."""
    if not allowed(actor, "submit_measure_update", measure):
        return None
    updates = _updates(session, MeasureUpdate.measure_id == measure.id, MeasureUpdate.state == "returned")
    return _update_row(updates[-1], lang) if updates else None


def statistic_entries(session: Session, actor: Actor, lang: str) -> list[StatisticRow]:
    """A producer's focal point's own entries, newest first, in every state."""
    return [_statistic_row(item, lang) for item in entries_of(session, actor)]


def rollout_updates_for(session: Session, actor: Actor, region: Region, lang: str) -> RolloutProposals:
    """The returned proposal its sender may edit, and the one waiting for review, of a region."""
    if not actor.is_authenticated:
        return {"returned": None, "pending": None}
    returned = _rollouts(session, RolloutUpdate.region_id == region.id, RolloutUpdate.state == "returned",
                         RolloutUpdate.submitted_by_id == actor.user_id)
    pending = _rollouts(session, RolloutUpdate.region_id == region.id, RolloutUpdate.state == "submitted")
    return {"returned": _rollout_row(returned[-1], lang) if returned else None,
            "pending": _rollout_row(pending[0], lang) if pending else None}


def pending_update_for(session: Session, actor: Actor, measure: Measure, lang: str) -> UpdateRow | None:
    """The update of a measure waiting for review, for those allowed to see it."""
    if not allowed(actor, "read_entity_submissions", measure):
        return None
    updates = _updates(session, MeasureUpdate.measure_id == measure.id, MeasureUpdate.state == "submitted")
    return _update_row(updates[0], lang) if updates else None



