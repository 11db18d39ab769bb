"""What every page and callback needs from the current request, in one call."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from flask import current_app
from sqlalchemy.orm import Session

from . import as_of_date
from .auth import current_actor
from .db import get_session
from .i18n import current_lang
from .permissions import Actor


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
