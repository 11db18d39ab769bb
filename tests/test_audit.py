"""The audit trail's filters and its CSV export."""
from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from sqlalchemy import select

from dashboard.errors import Forbidden
from dashboard.models import AuditEvent
from dashboard.permissions import PUBLIC, Actor
from dashboard.spreadsheets import csv_cell
from dashboard.workflow import audit

ADMIN = Actor(user_id=1, email="admin@test.ma", role="admin")


def add(session, email, action, object_type, object_id, when, after=None):
    event = audit.record(session, Actor(user_id=9, email=email, role="secretariat", address="192.0.2.5"),
                         action, object_type, object_id, None, after)
    event.occurred_at = when
    session.flush()


@pytest.fixture
def trail(session):
    add(session, "amina@justice.gov.ma", "measure_update.approve", "measure", "A1.O1.M2",
        dt.datetime(2026, 3, 1, 10), {"progress": 60})
    add(session, "youssef@justice.gov.ma", "measure_update.return", "measure_update", "7",
        dt.datetime(2026, 5, 2, 9), {"reason": "=HYPERLINK(\"http://x\")"})
    add(session, "amina@justice.gov.ma", "user.create", "user", "12", dt.datetime(2026, 5, 20, 8))
    return session


def test_filters_narrow_the_records(trail):
    def actions(**filters):
        rows = audit.audit_rows(trail, ADMIN, audit.AuditFilter(**filters))
        return [r["action"] for r in rows if r["actor_email"].endswith("justice.gov.ma")]

    assert actions(actor="AMINA") == ["user.create", "measure_update.approve"]
    assert actions(object="measure:A1.O1.M2") == ["measure_update.approve"]
    assert actions(object="measure_update") == ["measure_update.return"]
    assert actions(action="user.create") == ["user.create"]
    assert actions(date_from=dt.date(2026, 5, 1), date_to=dt.date(2026, 5, 2)) == ["measure_update.return"]


@pytest.mark.parametrize("role", ["public", "focal_point", "committee"])
def test_only_the_secretariat_and_admins_read_it(trail, role):
    with pytest.raises(Forbidden):
        audit.audit_rows(trail, PUBLIC if role == "public" else Actor(user_id=3, role=role, entity_id=1))


def test_csv_export_has_every_column_and_neutralises_formulas(trail):
    text = audit.audit_csv(trail, ADMIN, audit.AuditFilter(actor="justice.gov.ma"))
    rows = list(csv.DictReader(io.StringIO(text)))
    assert len(rows) == 3
    assert set(rows[0]) >= {"occurred_at_utc", "actor_email", "action", "object_id", "before", "after", "address"}
    returned = next(r for r in rows if r["action"] == "measure_update.return")
    assert returned["after"].startswith('{"reason"')
    assert trail.scalar(select(AuditEvent.after).where(AuditEvent.object_id == "7"))["reason"].startswith("=")
    assert csv_cell("=1+1") == "'=1+1"
