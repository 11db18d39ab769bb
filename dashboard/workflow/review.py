"""The review engine: one flow for every kind of submission (measure updates, indicator
values, national figures, rollout stages).

A focal point sends a submission; it waits for review ("submitted"). The secretariat
approves it, and it takes effect, or returns it with a reason ("returned"); a returned
submission is edited and sent again. Its sender may withdraw it while it waits
("withdrawn"): it never takes effect, and a new one of the same thing may be sent.
What differs between kinds (the model, who may send it, what approving changes, what the
audit trail records) is told by a ``ReviewKind``, written next to each kind's own rules;
the flow, its checks and its messages are here.

Every write happens in the caller's transaction. Versions guard against lost updates: a
decision based on a submission that changed since it was read raises ``Conflict``.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from dashboard.errors import Conflict, Forbidden, InvalidInput, NotFound
from dashboard.i18n import gettext as _
from dashboard.models import ReviewMixin
from dashboard.permissions import Actor, authorize
from dashboard.workflow import accounts, audit, evidence

MAX_REASON = 2000

Item = TypeVar("Item", bound=ReviewMixin)


def int_or_none(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def flush_or_conflict(session: Session, conflict: Conflict) -> None:
    """Flush; a lost version race or a second pending submission becomes ``conflict``."""
    try:
        session.flush()
    except (StaleDataError, IntegrityError):
        session.rollback()
        raise conflict from None


def state_label(state: str) -> str:
    return {"submitted": _("waiting for review"), "returned": _("returned"),
            "approved": _("approved"), "withdrawn": _("withdrawn")}.get(state, state)


def check_version(item: ReviewMixin, expected_version) -> None:
    if int_or_none(expected_version) != item.version:
        raise Conflict(
            _("This update was changed in the meantime: it is now %(state)s. Reload the page to see it.",
              state=state_label(item.state)),
            {"state": item.state, "version": item.version},
        )


def check_reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise InvalidInput(_("Give the reason for returning it, so the focal point knows what to fix."),
                           "reason")
    if len(reason) > MAX_REASON:
        raise InvalidInput(_("The reason has at most %(n)d characters.", n=MAX_REASON), "reason")
    return reason


@dataclass(frozen=True)
class Attachments:
    """Links and files to attach to a submission once it is flushed (checked already)."""

    folder: Any
    links: list[str] = field(default_factory=list)
    files: list = field(default_factory=list)


class ReviewKind(Generic[Item]):
    """What the engine needs to know about one kind of submission.

    A kind whose messages call it an "update" (measure updates, rollout stages) sets
    ``is_update``; the others say "submission". The review page's ids use ``name``.
    """

    name: str  # "measure_update", as in the review page's ids
    model: type[Item]
    action: str  # prefix of the audit actions: "<action>.submit", ".resubmit", ".approve", ".return"
    submit_permission: str  # what ``authorize`` checks to send or edit one
    is_update: bool = False

    # --- what each kind tells -----------------------------------------------------------

    def submit_target(self, session: Session, actor: Actor, item: Item):
        """The object ``submit_permission`` is checked against."""
        raise NotImplementedError

    def audit_object(self, item: Item) -> tuple[str, str]:
        """(object type, object id) of the audit events."""
        raise NotImplementedError

    def snapshot(self, item: Item) -> dict:
        """The submission as the audit trail records it when it is sent."""
        raise NotImplementedError

    def pending_exists(self) -> Conflict:
        """Raised when another submission of the same thing already waits for review."""
        raise NotImplementedError

    def publish(self, session: Session, item: Item, today: dt.date, lang: str | None) -> dict:
        """Make the approved submission take effect; returns the audit's before state.

        Raises ``Conflict`` when what it was based on changed since it was written."""
        raise NotImplementedError

    def published(self, session: Session, item: Item) -> dict:
        """After the decision is flushed (versions have moved): finish the approval and
        return the audit's after state."""
        raise NotImplementedError

    # --- messages ----------------------------------------------------------------------

    def approved(self) -> str:
        """What the reviewer reads once their approval is saved."""
        raise NotImplementedError

    def missing(self) -> str:
        return _("There is no such update.") if self.is_update else _("There is no such submission.")

    def only_returned(self) -> str:
        return (_("Only a returned update can be edited.") if self.is_update
                else _("Only a returned submission can be edited."))

    def only_pending_approved(self) -> str:
        return (_("Only an update waiting for review can be approved.") if self.is_update
                else _("Only a submission waiting for review can be approved."))

    def only_pending_returned(self) -> str:
        return (_("Only an update waiting for review can be returned.") if self.is_update
                else _("Only a submission waiting for review can be returned."))

    def only_pending_withdrawn(self) -> str:
        return (_("Only an update waiting for review can be withdrawn.") if self.is_update
                else _("Only a submission waiting for review can be withdrawn."))

    def raced(self) -> str:
        if self.is_update:
            return _("Someone else reviewed this update at the same time. Reload the page to see their decision.")
        return _("Someone else reviewed this submission at the same time. Reload the page to see their decision.")


# --- the flow -------------------------------------------------------------------------------


def get(kind: ReviewKind[Item], session: Session, item_id) -> Item:
    item = session.get(kind.model, int_or_none(item_id) or 0)
    if item is None:
        raise NotFound(kind.missing())
    return item


def send(kind: ReviewKind[Item], session: Session, actor: Actor, item: Item, action: str, before: dict | None,
         now: dt.datetime, attachments: Attachments | None = None) -> Item:
    """Write a submission (new or edited) as waiting for review, attach its evidence and audit it.

    ``action`` is "submit" or "resubmit"; ``before`` is the audit's before state."""
    flush_or_conflict(session, kind.pending_exists())
    if attachments is not None:
        evidence.attach(session, attachments.folder, actor, item, attachments.links, attachments.files, now)
    audit.record(session, actor, f"{kind.action}.{action}", *kind.audit_object(item), before, kind.snapshot(item))
    return item


def editable(kind: ReviewKind[Item], session: Session, actor: Actor, item_id, expected_version) -> Item:
    """A returned submission its sender may edit, after the permission, version and state checks."""
    item = get(kind, session, item_id)
    authorize(actor, kind.submit_permission, kind.submit_target(session, actor, item))
    check_version(item, expected_version)
    if item.state != "returned":
        raise InvalidInput(kind.only_returned())
    return item


def withdraw(kind: ReviewKind[Item], session: Session, actor: Actor, item_id, expected_version) -> Item:
    """The sender's entity takes back a submission that waits for review: it is "withdrawn",
    never takes effect, and no longer stands in the way of a new one. Audited."""
    item = get(kind, session, item_id)
    authorize(actor, kind.submit_permission, kind.submit_target(session, actor, item))
    check_version(item, expected_version)
    if item.state != "submitted":
        raise InvalidInput(kind.only_pending_withdrawn())
    before = kind.snapshot(item)
    item.state = "withdrawn"
    flush_or_conflict(session, Conflict(kind.raced()))
    audit.record(session, actor, f"{kind.action}.withdraw", *kind.audit_object(item), before, kind.snapshot(item))
    return item


def remove_evidence(kind: ReviewKind[Item], session: Session, actor: Actor, item: Item, folder,
                    evidence_ids) -> list[dict]:
    """Take evidence off an editable submission (checked by ``editable``), audited."""
    removed = evidence.remove(session, folder, item, evidence_ids)
    if removed:
        audit.record(session, actor, f"{kind.action}.remove_evidence", *kind.audit_object(item),
                     {"submission": item.id, "evidence": removed}, {"submission": item.id, "evidence": []})
    return removed


def resend(kind: ReviewKind[Item], session: Session, actor: Actor, item: Item, before: dict,
           attachments: Attachments | None = None) -> Item:
    """Send an edited submission again: it waits for review anew."""
    now = audit.utcnow()
    item.state, item.submitted_at, item.submitted_by_id = "submitted", now, actor.user_id
    return send(kind, session, actor, item, "resubmit", before, now, attachments)


def reviewable(kind: ReviewKind[Item], session: Session, actor: Actor, item_id, expected_version,
               not_pending: str) -> Item:
    """The submission the secretariat decides on, after the role, version and state checks."""
    authorize(actor, "review")
    item = get(kind, session, item_id)
    check_version(item, expected_version)
    if item.state != "submitted":
        raise InvalidInput(not_pending)
    return item


def decide(session: Session, actor: Actor, item: ReviewMixin, state: str, reason: str, raced: str) -> None:
    """Record the decision; a concurrent decision on the same version becomes ``Conflict``.

    Every kind of approval passes here, so this is where self-approval is refused: nobody
    approves their own submission, nor one from an account they reset (see accounts).
    The caller's transaction, with whatever the approval had changed, is then rolled back.
    """
    if state == "approved":
        refusal = accounts.approval_refusal(session, actor, item.submitted_by_id)
        if refusal:
            raise Forbidden(refusal)
    item.state, item.reviewed_by_id, item.reviewed_at = state, actor.user_id, audit.utcnow()
    item.return_reason = reason
    flush_or_conflict(session, Conflict(raced))


def approve(kind: ReviewKind[Item], session: Session, actor: Actor, item_id, expected_version, today: dt.date,
            lang: str | None = None) -> Item:
    """The secretariat accepts a submission: it takes effect, and the decision is audited."""
    item = reviewable(kind, session, actor, item_id, expected_version, kind.only_pending_approved())
    before = kind.publish(session, item, today, lang)
    decide(session, actor, item, "approved", "", kind.raced())
    after = kind.published(session, item)
    audit.record(session, actor, f"{kind.action}.approve", *kind.audit_object(item), before, after)
    return item


def send_back(kind: ReviewKind[Item], session: Session, actor: Actor, item_id, expected_version,
              reason: str) -> Item:
    """Return a submission to its sender with the reviewer's reason, and audit it."""
    item = reviewable(kind, session, actor, item_id, expected_version, kind.only_pending_returned())
    decide(session, actor, item, "returned", check_reason(reason), kind.raced())
    key = "update" if kind.is_update else "submission"
    audit.record(session, actor, f"{kind.action}.return", *kind.audit_object(item),
                 {key: item.id, "state": "submitted"},
                 {key: item.id, "state": "returned", "reason": item.return_reason})
    return item
