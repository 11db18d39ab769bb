"""Comments on a measure update or an indicator value: a short thread between the
submission's entity (its focal points) and the secretariat; the committee reads it.

Every function takes the session and the acting user and checks ``permissions`` against
the entity that owns the submission; a comment is audited (``comment.add``) and written in
the caller's transaction.
"""
from __future__ import annotations

import datetime as dt
from typing import TypedDict

from sqlalchemy import select
from sqlalchemy.orm import Session

from dashboard.errors import InvalidInput, NotFound
from dashboard.i18n import gettext as _
from dashboard.models import IndicatorSubmission, MeasureUpdate, SubmissionComment, User
from dashboard.permissions import Actor, allowed, authorize
from dashboard.workflow import audit
from dashboard.workflow.accounts import person_name
from dashboard.workflow.review import int_or_none

MAX_COMMENT = 2000
# kind name (as the review engine's ``ReviewKind.name``) -> (model, comment column)
KINDS = {
    "measure_update": (MeasureUpdate, "measure_update_id"),
    "indicator_value": (IndicatorSubmission, "indicator_submission_id"),
}


class CommentRow(TypedDict):
    id: int
    author: str
    author_role: str
    created_at: dt.datetime
    body: str
    mine: bool


def _submission(session: Session, kind_name, item_id) -> tuple[MeasureUpdate | IndicatorSubmission, str, int | None]:
    """The submission, its comment column and the entity that owns it; ``NotFound`` otherwise."""
    kind = KINDS.get(kind_name) if isinstance(kind_name, str) else None
    number = int_or_none(item_id) if not isinstance(item_id, (bool, float)) else None
    item = session.get(kind[0], number) if kind and number and 0 < number < 2**31 else None
    if item is None:
        raise NotFound(_("There is no such submission."))
    if isinstance(item, MeasureUpdate):
        return item, kind[1], item.measure.lead_entity_id
    return item, kind[1], item.indicator.responsible_entity_id


def _readable(session: Session, actor: Actor, kind_name, item_id):
    item, column, owner = _submission(session, kind_name, item_id)
    if not allowed(actor, "read_submission_comments", owner):
        # A submission one may not read is one that does not exist, as far as they know.
        if not actor.is_authenticated:
            authorize(actor, "read_submission_comments", owner)
        raise NotFound(_("There is no such submission."))
    return item, column, owner


def can_comment(session: Session, actor: Actor, kind_name, item_id) -> bool:
    """Whether ``actor`` may write in this thread (layouts use it to show the form)."""
    try:
        _item, _column, owner = _submission(session, kind_name, item_id)
    except NotFound:
        return False
    return allowed(actor, "comment_submission", owner)


def comments_for(session: Session, actor: Actor, kind_name, item_id) -> list[CommentRow]:
    """The thread of a submission, oldest first, for its entity, the secretariat and the committee."""
    item, column, _owner = _readable(session, actor, kind_name, item_id)
    rows = session.execute(
        select(SubmissionComment, User).join(User, User.id == SubmissionComment.author_id)
        .where(getattr(SubmissionComment, column) == item.id).order_by(SubmissionComment.id)
    ).all()
    return [CommentRow(id=comment.id, author=person_name(user.name, user.is_demo) or user.email, author_role=user.role,
                       created_at=comment.created_at, body=comment.body, mine=user.id == actor.user_id)
            for comment, user in rows]


def check_body(body) -> str:
    text = body.strip() if isinstance(body, str) else ""
    if not text:
        raise InvalidInput(_("Write a comment first."), "comment")
    if len(text) > MAX_COMMENT:
        raise InvalidInput(_("A comment has at most %(n)d characters.", n=MAX_COMMENT), "comment")
    return text


def add_comment(session: Session, actor: Actor, kind_name, item_id, body) -> SubmissionComment:
    """Add a comment to a submission's thread, audited as ``comment.add``."""
    item, column, owner = _readable(session, actor, kind_name, item_id)
    authorize(actor, "comment_submission", owner)
    text = check_body(body)
    comment = SubmissionComment(author_id=actor.user_id, created_at=audit.utcnow(), body=text,
                                **{column: item.id})
    session.add(comment)
    session.flush()
    audit.record(session, actor, "comment.add", kind_name, item.id, None,
                 {"comment": comment.id, "body": text})
    return comment
