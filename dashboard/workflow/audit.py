"""The audit trail: one record per mutation, written in the mutation's own transaction.

The application only inserts audit records; the database refuses updates and deletes
(triggers added by the 0002 migration).
"""
from __future__ import annotations

import csv
import datetime as dt
import io
import json
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from dashboard.models import AuditEvent
from dashboard.permissions import Actor, authorize
from dashboard.spreadsheets import csv_cell


def utcnow() -> dt.datetime:
    """Naive UTC, the way every timestamp is stored."""
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


def record(
    session: Session,
    actor: Actor,
    action: str,
    object_type: str,
    object_id: str | int = "",
    before: dict | None = None,
    after: dict | None = None,
    actor_email: str | None = None,
) -> AuditEvent:
    """Add one audit record to the session (committed with the change it describes)."""
    event = AuditEvent(
        occurred_at=utcnow(),
        actor_id=actor.user_id,
        actor_email=actor_email if actor_email is not None else actor.email,
        actor_role=actor.role,
        action=action,
        object_type=object_type,
        object_id=str(object_id),
        before=_jsonable(before),
        after=_jsonable(after),
        address=actor.address[:64],
    )
    session.add(event)
    return event


def _jsonable(values: dict | None) -> dict | None:
    if values is None:
        return None
    return json.loads(json.dumps(values, default=str))


def changes(before: dict, after: dict) -> tuple[dict, dict]:
    """Only the keys whose value differs, from both sides."""
    keys = [k for k in after if before.get(k) != after.get(k)]
    return {k: before.get(k) for k in keys}, {k: after.get(k) for k in keys}


@dataclass(frozen=True)
class AuditFilter:
    actor: str = ""  # part of the actor's e-mail
    object: str = ""  # "measure" or "measure:M1.1.1"
    action: str = ""  # exact action, e.g. "measure_update.approve"
    date_from: dt.date | None = None
    date_to: dt.date | None = None


AUDIT_COLUMNS = (
    "id", "occurred_at", "actor_email", "actor_role", "action", "object_type", "object_id",
    "before", "after", "address",
)


def _filtered(filters: AuditFilter):
    query = select(*(getattr(AuditEvent, c) for c in AUDIT_COLUMNS))
    if filters.actor:
        query = query.where(func.lower(AuditEvent.actor_email).contains(filters.actor.strip().lower(),
                                                                       autoescape=True))
    if filters.object:
        object_type, _sep, object_id = filters.object.strip().partition(":")
        query = query.where(AuditEvent.object_type == object_type)
        if object_id:
            query = query.where(AuditEvent.object_id == object_id)
    if filters.action:
        query = query.where(AuditEvent.action == filters.action)
    if filters.date_from:
        query = query.where(AuditEvent.occurred_at >= dt.datetime.combine(filters.date_from, dt.time()))
    if filters.date_to:
        end = dt.datetime.combine(filters.date_to + dt.timedelta(days=1), dt.time())
        query = query.where(AuditEvent.occurred_at < end)
    return query.order_by(AuditEvent.occurred_at.desc(), AuditEvent.id.desc())


def audit_rows(session: Session, actor: Actor, filters: AuditFilter = AuditFilter(),
               limit: int | None = 1000) -> list[dict]:
    """The audit records matching ``filters``, newest first (secretariat and admin only)."""
    authorize(actor, "view_audit")
    query = _filtered(filters)
    if limit:
        query = query.limit(limit)
    return [dict(row._mapping) for row in session.execute(query)]


def audit_csv(session: Session, actor: Actor, filters: AuditFilter = AuditFilter()) -> str:
    """Every record matching ``filters`` as CSV (UTF-8 text; times in UTC)."""
    rows = audit_rows(session, actor, filters, limit=None)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([*AUDIT_COLUMNS[:1], "occurred_at_utc", *AUDIT_COLUMNS[2:]])
    for row in rows:
        writer.writerow([
            csv_cell(json.dumps(row[c], ensure_ascii=False) if c in ("before", "after") and row[c] is not None
                      else row[c])
            for c in AUDIT_COLUMNS
        ])
    return out.getvalue()


def audit_actions(session: Session) -> list[str]:
    """The actions that occur in the trail, for the filter."""
    return list(session.scalars(select(AuditEvent.action).distinct().order_by(AuditEvent.action)))
