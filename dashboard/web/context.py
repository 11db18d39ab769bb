"""What every page and callback needs from the current request, in one call."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from flask import current_app
from sqlalchemy.orm import Session

from dashboard.db import get_session
from dashboard.i18n import current_lang
from dashboard.permissions import Actor
from dashboard.web.auth import current_actor


def as_of_date() -> dt.date:
    """The date progress is measured at: DASHBOARD_AS_OF, or today."""
    fixed = current_app.config.get("AS_OF")
    if isinstance(fixed, dt.date):
        return fixed
    return dt.date.fromisoformat(fixed) if fixed else dt.date.today()


@dataclass(frozen=True)
class RequestContext:
    lang: str
    session: Session
    as_of: dt.date
    freshness_days: int
    actor: Actor  # the logged-in user, or the anonymous public


def request_context() -> RequestContext:
    return RequestContext(
        lang=current_lang(),
        session=get_session(),
        as_of=as_of_date(),
        freshness_days=current_app.config["FRESHNESS_DAYS"],
        actor=current_actor(),
    )
