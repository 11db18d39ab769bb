"""A region's rollout stage of the national referral mechanism changes through the validation
flow: a focal point of the commission or the Ministry of Justice proposes the new stage with
its date, the secretariat approves or returns it.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import Session

from dashboard.workflow import audit
from dashboard.national import regions
from dashboard.errors import Conflict, InvalidInput, NotFound
from dashboard.models import ROLLOUT_STAGES, Region, RegionRollout, RolloutUpdate
from dashboard.permissions import Actor, authorize
from dashboard.plan.queries import entity_of
from dashboard.workflow.submissions import (
    MAX_NARRATIVE,
    as_date,
    check_version,
    decide,
    flush_or_conflict,
    int_or_none,
    reviewable,
    send_back,
)

# The national referral mechanism was adopted on 17 March 2023.
FIRST_DATE = dt.date(2023, 1, 1)


@dataclass
class RolloutForm:
    stage: str | None = None
    started_on: object = None
    note: str = ""


def region_by_code(session: Session, code: str) -> Region:
    region = session.scalar(select(Region).where(Region.code == (code or "").strip().upper()))
    if region is None:
        raise NotFound(_("There is no region with this code."))
    return region


def rollout_of(session: Session, region: Region) -> RegionRollout | None:
    return regions.current_rollout(session, region.code)


def _state(rollout: RegionRollout | None) -> dict:
    if rollout is None:
        return {"stage": "not_started", "since": None, "version": 0}
    return {"stage": rollout.stage, "since": rollout.stage_since.isoformat() if rollout.stage_since else None,
            "version": rollout.version}


def _changed(rollout: RegionRollout | None) -> Conflict:
    return Conflict(_("The region's stage was changed by someone else since you opened the page. "
                      "Reload the page, check the new stage, then submit again."), _state(rollout))


def _pending_exists() -> Conflict:
    return Conflict(_("A new stage for this region is already waiting for review."))


def check_rollout(form: RolloutForm, rollout: RegionRollout | None, today: dt.date) -> tuple[str, dt.date, str]:
    current = _state(rollout)
    if form.stage not in ROLLOUT_STAGES:
        raise InvalidInput(_("Choose a stage."), "stage")
    started_on = as_date(form.started_on, "started_on", _("Enter the date the stage began."))
    if not FIRST_DATE <= started_on <= today:
        raise InvalidInput(_("The date must fall between %(start)s and today.", start=FIRST_DATE.isoformat()),
                           "started_on")
    if form.stage == current["stage"]:
        raise InvalidInput(_("The region is already at this stage."), "stage")
    if rollout is not None and rollout.stage_since and started_on < rollout.stage_since:
        raise InvalidInput(_("The new stage cannot begin before the current one (%(date)s).",
                             date=rollout.stage_since.isoformat()), "started_on")
    note = (form.note or "").strip()
    if len(note) > MAX_NARRATIVE:
        raise InvalidInput(_("A note has at most %(n)d characters.", n=MAX_NARRATIVE), "note")
    return form.stage, started_on, note


def _snapshot(update: RolloutUpdate) -> dict:
    return {"update": update.id, "region": update.region.code, "stage": update.stage,
            "started_on": update.started_on.isoformat(), "previous_stage": update.previous_stage,
            "state": update.state, "note": update.note or None, "version": update.version}


def submit_rollout_update(session: Session, actor: Actor, region_code: str, base_version,
                          form: RolloutForm, today: dt.date) -> RolloutUpdate:
    region = region_by_code(session, region_code)
    authorize(actor, "submit_rollout_update", entity_of(session, actor))
    rollout = rollout_of(session, region)
    if int_or_none(base_version) != _state(rollout)["version"]:
        raise _changed(rollout)
    stage, started_on, note = check_rollout(form, rollout, today)
    if session.scalar(select(RolloutUpdate.id).where(RolloutUpdate.region_id == region.id,
                                                     RolloutUpdate.state == "submitted")):
        raise _pending_exists()
    update = RolloutUpdate(region=region, submitted_by_id=actor.user_id, state="submitted",
                           submitted_at=audit.utcnow(), stage=stage, started_on=started_on, note=note,
                           base_version=_state(rollout)["version"], previous_stage=_state(rollout)["stage"])
    session.add(update)
    flush_or_conflict(session, _pending_exists())
    audit.record(session, actor, "rollout_update.submit", "region", region.code, _state(rollout), _snapshot(update))
    return update


def get_rollout_update(session: Session, update_id) -> RolloutUpdate:
    update = session.get(RolloutUpdate, int_or_none(update_id) or 0)
    if update is None:
        raise NotFound(_("There is no such update."))
    return update


def resubmit_rollout_update(session: Session, actor: Actor, update_id, expected_version, base_version,
                            form: RolloutForm, today: dt.date) -> RolloutUpdate:
    update = get_rollout_update(session, update_id)
    authorize(actor, "submit_rollout_update", entity_of(session, actor))
    check_version(update, expected_version)
    if update.state != "returned":
        raise InvalidInput(_("Only a returned submission can be edited."))
    rollout = rollout_of(session, update.region)
    if int_or_none(base_version) != _state(rollout)["version"]:
        raise _changed(rollout)
    stage, started_on, note = check_rollout(form, rollout, today)
    before = _snapshot(update)
    update.stage, update.started_on, update.note = stage, started_on, note
    update.base_version, update.previous_stage = _state(rollout)["version"], _state(rollout)["stage"]
    update.state, update.submitted_at, update.submitted_by_id = "submitted", audit.utcnow(), actor.user_id
    flush_or_conflict(session, _pending_exists())
    audit.record(session, actor, "rollout_update.resubmit", "region", update.region.code, before, _snapshot(update))
    return update


def approve_rollout_update(session: Session, actor: Actor, update_id, expected_version,
                           today: dt.date) -> RolloutUpdate:
    """The region moves to the proposed stage, and its history gains the dated step."""
    update = reviewable(session, actor, get_rollout_update, update_id, expected_version,
                        _("Only an update waiting for review can be approved."))
    rollout = rollout_of(session, update.region)
    before = _state(rollout)
    if before["version"] != update.base_version:
        raise Conflict(_("The region's stage changed after this update was written. Return it so that "
                         "the focal point can check it."), before)
    rollout = rollout or RegionRollout(region=update.region)
    regions.apply_stage(session, rollout, update.stage, update.started_on, update.note, update.id)
    decide(session, actor, update, "approved", "",
           _("Someone else reviewed this update at the same time. Reload the page to see their decision."))
    audit.record(session, actor, "rollout_update.approve", "region", update.region.code, before,
                 {**_state(rollout), "update": update.id})
    return update


def return_rollout_update(session: Session, actor: Actor, update_id, expected_version,
                          reason: str) -> RolloutUpdate:
    return send_back(session, actor, get_rollout_update, update_id, expected_version, reason,
                     action="rollout_update.return", object_of=lambda u: ("region", u.region.code),
                     is_update=True)
