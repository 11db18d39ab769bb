"""A region's rollout stage through the validation flow: who may propose it, what is valid,
review, the history, and versions (on the backend under test).

Focal points of the commission and of the Ministry of Justice (focal_mj) report rollout
stages; the Public Prosecution's (focal_pmp) do not.
"""
from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from dashboard.errors import Conflict, Forbidden, InvalidInput, NotFound
from dashboard.models import AuditEvent, RegionRollout, RolloutUpdate
from dashboard.workflow import rollout_updates as rollout
from helpers import AS_OF_DATE, actor_of, snapshot

REGION = "MA-07"


def base_version(session: Session, code: str = REGION) -> int:
    current = rollout.rollout_of(session, rollout.region_by_code(session, code))
    return current.version if current else 0


def current_stage(session: Session, code: str = REGION) -> str:
    current = rollout.rollout_of(session, rollout.region_by_code(session, code))
    return current.stage if current else "not_started"


def next_stage(session: Session) -> str:
    return "operational" if current_stage(session) != "operational" else "pilot"


def form(session: Session, **changes) -> rollout.RolloutForm:
    values = dict(stage=next_stage(session), started_on="2026-10-01", note="Agreement signed with the region.")
    values.update(changes)
    return rollout.RolloutForm(**values)


def submit(session: Session, key: str = "focal_mj", **changes) -> RolloutUpdate:
    return rollout.submit_rollout_update(session, actor_of(session, key), REGION, base_version(session),
                                         form(session, **changes), AS_OF_DATE)


@pytest.mark.parametrize("key", [None, "focal_pmp", "committee", "secretariat", "admin"])
def test_only_reporting_bodies_propose_a_stage(session, key):
    before = snapshot(session)
    with pytest.raises(Forbidden):
        submit(session, key)
    assert snapshot(session) == before


def test_an_unknown_region_is_not_found(session):
    with pytest.raises(NotFound):
        rollout.submit_rollout_update(session, actor_of(session, "focal_mj"), "MA-13", 0, form(session), AS_OF_DATE)


@pytest.mark.parametrize("changes, field", [
    ({"stage": "finished"}, "stage"),
    ({"started_on": "soon"}, "started_on"),
    ({"started_on": "2022-12-31"}, "started_on"),
    ({"started_on": (AS_OF_DATE + dt.timedelta(days=1)).isoformat()}, "started_on"),
    ({"note": "x" * 5001}, "note"),
])
def test_bad_input_is_refused_and_nothing_written(session, changes, field):
    before = snapshot(session)
    with pytest.raises(InvalidInput) as refused:
        submit(session, **changes)
    assert refused.value.field == field
    assert snapshot(session) == before


def test_the_current_stage_cannot_be_proposed_again(session):
    with pytest.raises(InvalidInput) as refused:
        submit(session, stage=current_stage(session))
    assert refused.value.field == "stage"


def test_approval_moves_the_region_and_adds_a_dated_step_to_its_history(session):
    update = submit(session, stage="pilot" if current_stage(session) != "pilot" else "operational")
    proposed = update.stage
    rollout.approve_rollout_update(session, actor_of(session, "secretariat"), update.id, update.version, AS_OF_DATE)
    current = rollout.rollout_of(session, rollout.region_by_code(session, REGION))
    assert (current.stage, current.stage_since, current.is_demo) == (proposed, dt.date(2026, 10, 1), False)
    step = current.events[-1]
    assert (step.stage, step.started_on, step.update_id) == (proposed, dt.date(2026, 10, 1), update.id)
    assert step.note("fr") == "Agreement signed with the region."
    actions = list(session.scalars(select(AuditEvent.action).where(AuditEvent.object_id == REGION)))
    assert actions[-2:] == ["rollout_update.submit", "rollout_update.approve"]


def test_a_stale_proposal_is_refused_at_submission_and_at_approval(session):
    with pytest.raises(Conflict):
        rollout.submit_rollout_update(session, actor_of(session, "focal_mj"), REGION, base_version(session) + 5,
                                      form(session), AS_OF_DATE)
    update = submit(session)
    # The stage changes another way (a data load) before the review.
    region = rollout.region_by_code(session, REGION)
    current = rollout.rollout_of(session, region) or RegionRollout(region=region, stage="not_started")
    current.stage = "preparing" if update.stage != "preparing" else "pilot"
    session.add(current)
    session.flush()
    with pytest.raises(Conflict):
        rollout.approve_rollout_update(session, actor_of(session, "secretariat"), update.id, update.version,
                                       AS_OF_DATE)


def test_one_proposal_per_region_waits_and_a_returned_one_is_corrected(session):
    update = submit(session)
    with pytest.raises(Conflict):
        submit(session)
    secretariat = actor_of(session, "secretariat")
    rollout.return_rollout_update(session, secretariat, update.id, update.version, "Give the agreement's date.")
    assert update.state == "returned"
    with pytest.raises(Forbidden):
        rollout.resubmit_rollout_update(session, actor_of(session, "focal_pmp"), update.id, update.version,
                                        base_version(session), form(session), AS_OF_DATE)
    rollout.resubmit_rollout_update(session, actor_of(session, "focal_mj"), update.id, update.version,
                                    base_version(session), form(session, started_on="2026-09-15"), AS_OF_DATE)
    assert (update.state, update.started_on) == ("submitted", dt.date(2026, 9, 15))


def test_a_stage_reports_every_fault_at_once():
    with pytest.raises(InvalidInput) as refused:
        rollout.check_rollout(rollout.RolloutForm(stage="nope", started_on="1999-01-01", note="n" * 6000), None,
                              dt.date(2026, 11, 22))
    assert [f for f, _m in refused.value.problems] == ["stage", "started_on", "note"]
    assert refused.value.field == "stage"
    with pytest.raises(InvalidInput) as refused:
        rollout.check_rollout(rollout.RolloutForm(stage=["x"], started_on={"a": 1}, note=7), None,
                              dt.date(2026, 11, 22))
    assert [f for f, _m in refused.value.problems] == ["stage", "started_on"]
