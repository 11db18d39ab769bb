"""Nobody approves their own submission, directly or through an account they reset: checked in
``review.decide``, which every kind of approval goes through (measure updates, indicator
values, national figures, rollout stages), on the backend under test."""
from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from dashboard.errors import Forbidden
from dashboard.models import AuditEvent, Measure, User
from dashboard.workflow import accounts, audit, submissions
from dashboard.workflow import rollout_updates as rollout
from dashboard.workflow import statistic_entries as entries
from helpers import AS_OF_DATE, PASSWORD, actor_of, email_of, snapshot

MJ_MEASURE = "A1.O1.M2"  # led by MJ (focal_mj)
REGION = "MA-07"


def submit_measure_update(session: Session, key: str, folder):
    measure = session.scalar(select(Measure).where(Measure.code == MJ_MEASURE))
    form = submissions.UpdateForm(status="in_progress", progress=60, narrative={"fr": "Guide rédigé."},
                                  period_start="2026-07-01", period_end="2026-09-30",
                                  links="https://justice.gov.ma/guide", files=[])
    return submissions.submit_measure_update(session, actor_of(session, key), MJ_MEASURE, measure.version,
                                             form, folder, AS_OF_DATE)


def submit_indicator_value(session: Session, key: str, folder):
    form = submissions.ValueForm(period="2025", value="160", links="https://pmp.ma/rapport-2025")
    return submissions.submit_indicator_value(session, actor_of(session, key), "IND-01", form, folder, AS_OF_DATE)


def submit_statistic(session: Session, key: str, _folder):
    form = entries.StatisticForm(series="victims_identified", year=2025, breakdown={}, value="240",
                                 document="Annual report 2025 of the Public Prosecution", note="")
    return entries.submit_statistic(session, actor_of(session, key), form, AS_OF_DATE)


def submit_rollout(session: Session, key: str, _folder):
    current = rollout.rollout_of(session, rollout.region_by_code(session, REGION))
    stage = "operational" if (current.stage if current else "not_started") != "operational" else "pilot"
    form = rollout.RolloutForm(stage=stage, started_on="2026-10-01", note="Agreement signed with the region.")
    return rollout.submit_rollout_update(session, actor_of(session, key), REGION,
                                         current.version if current else 0, form, AS_OF_DATE)


# kind -> (the focal point who may submit it, submit, approve)
KINDS = {
    "measure_update": ("focal_mj", submit_measure_update, submissions.approve_measure_update),
    "indicator_value": ("focal_pmp", submit_indicator_value, submissions.approve_indicator_value),
    "statistic": ("focal_pmp", submit_statistic, entries.approve_statistic),
    "rollout_update": ("focal_mj", submit_rollout, rollout.approve_rollout_update),
}


def user(session: Session, key: str) -> User:
    return session.scalar(select(User).where(User.email == email_of(key)))


def second_secretariat(session: Session):
    """Another member of the secretariat, who reset no one."""
    accounts.create_user(session, accounts.SYSTEM, "other.secretariat@test.cnclteh.ma", "Other Secretariat",
                         "secretariat", None, PASSWORD)
    found = session.scalar(select(User).where(User.email == "other.secretariat@test.cnclteh.ma"))
    return accounts._actor_of(found)


def refused_without_a_trace(session: Session, approve) -> str:
    """The approval is refused; rolled back like the app does, nothing of it remains."""
    session.commit()
    before = snapshot(session)
    with pytest.raises(Forbidden) as refused:
        approve()
    session.rollback()
    assert snapshot(session) == before
    return str(refused.value)


@pytest.mark.parametrize("kind", list(KINDS))
def test_a_reviewer_cannot_approve_from_an_account_they_reset(session, tmp_path, kind):
    key, submit, approve = KINDS[kind]
    reviewer = actor_of(session, "secretariat")
    target = user(session, key)
    link = accounts.reset_password(session, reviewer, target.id, target.version)
    # Whoever opened the link (the reviewer, in the attack) chose the password and submitted.
    accounts.set_password_with_link(session, link.token, "taken over phrase 2026", "taken over phrase 2026")
    item = submit(session, key, tmp_path)
    message = refused_without_a_trace(
        session, lambda: approve(session, reviewer, item.id, item.version, AS_OF_DATE))
    assert "reset the password of the account that sent it" in message
    # Another member of the secretariat may approve it.
    approve(session, second_secretariat(session), item.id, item.version, AS_OF_DATE)
    assert item.state == "approved"


@pytest.mark.parametrize("kind", list(KINDS))
def test_nobody_approves_their_own_submission(session, tmp_path, kind):
    key, submit, approve = KINDS[kind]
    item = submit(session, key, tmp_path)
    # The focal point who sent it later joins the secretariat.
    target = user(session, key)
    accounts.update_user(session, actor_of(session, "admin"), target.id, target.version, role="secretariat")
    message = refused_without_a_trace(
        session, lambda: approve(session, actor_of(session, key), item.id, item.version, AS_OF_DATE))
    assert "your own submission" in message


def test_a_creation_link_counts_and_the_rule_lasts_30_days(session, monkeypatch):
    reviewer = actor_of(session, "secretariat")
    created = accounts.create_user(session, reviewer, "new.mj@test.cnclteh.ma", "New Mj", "focal_point", "MJ")
    new = created.user
    assert accounts.approval_refusal(session, reviewer, new.id) is not None
    assert accounts.approval_refusal(session, actor_of(session, "admin"), new.id) is None
    # Links issued more than 30 days ago no longer count (the audit trail is append-only:
    # the check is made as of 31 days later).
    later = audit.utcnow() + dt.timedelta(days=accounts.SELF_APPROVAL_DAYS + 1)
    monkeypatch.setattr(audit, "utcnow", lambda: later)
    assert accounts.approval_refusal(session, reviewer, new.id) is None


def test_returning_is_still_allowed(session, tmp_path):
    """Only approval is refused: the reviewer can still send the submission back."""
    reviewer = actor_of(session, "secretariat")
    target = user(session, "focal_mj")
    accounts.reset_password(session, reviewer, target.id, target.version)
    item = submit_measure_update(session, "focal_mj", tmp_path)
    submissions.return_measure_update(session, reviewer, item.id, item.version, "Add the guide itself.")
    assert item.state == "returned"
    actions = session.scalars(select(AuditEvent.action).where(AuditEvent.actor_id == reviewer.user_id)).all()
    assert "measure_update.return" in actions
