"""A region's rollout stage of the national referral mechanism changes through the validation
flow: a focal point of the commission or the Ministry of Justice proposes the new stage with
its date, the secretariat approves or returns it (the review engine's flow, ``ROLLOUT_UPDATES``).
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TypedDict

from sqlalchemy import select
from sqlalchemy.orm import Session

from dashboard.errors import Conflict, NotFound
from dashboard.i18n import gettext as _
from dashboard.models import (
    ROLLOUT_STAGES,
    Entity,
    Region,
    RegionRollout,
    RolloutUpdate,
)
from dashboard.national import regions
from dashboard.permissions import Actor, authorize
from dashboard.plan.queries import entity_of
from dashboard.workflow import audit, review
from dashboard.workflow.review import int_or_none
from dashboard.workflow.submissions import MAX_NARRATIVE, Problems, as_date

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


class RolloutState(TypedDict):
    """A region's stage as the version check and the audit trail see it."""

    stage: str
    since: str | None  # ISO date
    version: int  # 0: nothing reported yet


def _state(rollout: RegionRollout | None) -> RolloutState:
    if rollout is None:
        return {"stage": "not_started", "since": None, "version": 0}
    return {"stage": rollout.stage, "since": rollout.stage_since.isoformat() if rollout.stage_since else None,
            "version": rollout.version}


def _changed(rollout: RegionRollout | None) -> Conflict:
    return Conflict(_("The region's stage was changed by someone else since you opened the page. "
                      "Reload the page, check the new stage, then submit again."), _state(rollout))


def check_rollout(form: RolloutForm, rollout: RegionRollout | None, today: dt.date) -> tuple[str, dt.date, str]:
    """Validate a stage; raises one ``InvalidInput`` listing every fault (``problems``),
    whose ``message`` and ``field`` are the first one's."""
    current = _state(rollout)
    problems = Problems()
    stage = form.stage if isinstance(form.stage, str) and form.stage in ROLLOUT_STAGES else None
    if stage is None:
        problems.add(_("Choose a stage."), "stage")
    elif stage == current["stage"]:
        problems.add(_("The region is already at this stage."), "stage")
    started_on = problems.check(as_date, form.started_on, "started_on", _("Enter the date the stage began."))
    if started_on is not None:
        if not FIRST_DATE <= started_on <= today:
            problems.add(_("The date must fall between %(start)s and today.", start=FIRST_DATE.isoformat()),
                         "started_on")
        elif rollout is not None and rollout.stage_since and started_on < rollout.stage_since:
            problems.add(_("The new stage cannot begin before the current one (%(date)s).",
                           date=rollout.stage_since.isoformat()), "started_on")
    note = (form.note if isinstance(form.note, str) else "").strip()
    if len(note) > MAX_NARRATIVE:
        problems.add(_("A note has at most %(n)d characters.", n=MAX_NARRATIVE), "note")
    problems.raise_any()
    return stage, started_on, note


class RolloutUpdates(review.ReviewKind[RolloutUpdate]):
    """A focal point proposes a region's new stage; several bodies may report one region."""

    name = action = "rollout_update"
    model = RolloutUpdate
    submit_permission = "submit_rollout_update"
    is_update = True

    def submit_target(self, session: Session, actor: Actor, item: RolloutUpdate) -> Entity | None:
        return entity_of(session, actor)

    def audit_object(self, item: RolloutUpdate) -> tuple[str, str]:
        return "region", item.region.code

    def snapshot(self, item: RolloutUpdate) -> dict:
        return {"update": item.id, "region": item.region.code, "stage": item.stage,
                "started_on": item.started_on.isoformat(), "previous_stage": item.previous_stage,
                "state": item.state, "note": item.note or None, "version": item.version}

    def pending_exists(self) -> Conflict:
        return Conflict(_("A new stage for this region is already waiting for review."))

    def only_returned(self) -> str:
        return _("Only a returned submission can be edited.")  # as it always said, unlike measure updates

    def approved(self) -> str:
        return _("Approved: the region's stage is updated.")

    def publish(self, session: Session, item: RolloutUpdate, today: dt.date, lang: str | None) -> dict:
        """The region moves to the proposed stage, and its history gains the dated step."""
        rollout = rollout_of(session, item.region)
        before = _state(rollout)
        if before["version"] != item.base_version:
            raise Conflict(_("The region's stage changed after this update was written. Return it so that "
                             "the focal point can check it."), before)
        rollout = rollout or RegionRollout(region=item.region)
        regions.apply_stage(session, rollout, item.stage, item.started_on, item.note, item.id)
        return before

    def published(self, session: Session, item: RolloutUpdate) -> dict:
        return {**_state(rollout_of(session, item.region)), "update": item.id}


ROLLOUT_UPDATES = RolloutUpdates()


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
        raise ROLLOUT_UPDATES.pending_exists()
    now = audit.utcnow()
    update = RolloutUpdate(region=region, submitted_by_id=actor.user_id, state="submitted",
                           submitted_at=now, stage=stage, started_on=started_on, note=note,
                           base_version=_state(rollout)["version"], previous_stage=_state(rollout)["stage"])
    session.add(update)
    return review.send(ROLLOUT_UPDATES, session, actor, update, "submit", _state(rollout), now)


def resubmit_rollout_update(session: Session, actor: Actor, update_id, expected_version, base_version,
                            form: RolloutForm, today: dt.date) -> RolloutUpdate:
    update = review.editable(ROLLOUT_UPDATES, session, actor, update_id, expected_version)
    rollout = rollout_of(session, update.region)
    if int_or_none(base_version) != _state(rollout)["version"]:
        raise _changed(rollout)
    stage, started_on, note = check_rollout(form, rollout, today)
    before = ROLLOUT_UPDATES.snapshot(update)
    update.stage, update.started_on, update.note = stage, started_on, note
    update.base_version, update.previous_stage = _state(rollout)["version"], _state(rollout)["stage"]
    return review.resend(ROLLOUT_UPDATES, session, actor, update, before)


def approve_rollout_update(session: Session, actor: Actor, update_id, expected_version,
                           today: dt.date) -> RolloutUpdate:
    """The region moves to the proposed stage, and its history gains the dated step."""
    return review.approve(ROLLOUT_UPDATES, session, actor, update_id, expected_version, today)


def return_rollout_update(session: Session, actor: Actor, update_id, expected_version,
                          reason: str) -> RolloutUpdate:
    return review.send_back(ROLLOUT_UPDATES, session, actor, update_id, expected_version, reason)
