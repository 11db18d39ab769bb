"""Personal tokens for the read-only API (``/api/v1``).

A token reads the API as its owner: what they may read on the pages. Only the readers of
restricted data (committee, secretariat, admin) may create one; the public and focal
points read the public API without one. The secret is shown once, at creation; the
database keeps its SHA-256 (a 256-bit random secret needs no slow hash). Creating and
revoking are audited. A token stops working when it expires, is revoked, or its owner is
deactivated or no longer has a role allowed tokens.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from dashboard.errors import InvalidInput, NotFound
from dashboard.i18n import gettext as _
from dashboard.models import ApiToken, User
from dashboard.permissions import Actor, allowed, authorize
from dashboard.workflow import audit

PREFIX = "tipd_"  # lets secret scanners and readers recognise a token
MAX_DAYS = 365
DEFAULT_DAYS = 90
NAME_LIMIT = 80
SECRET_LIMIT = 200  # longer than any token: refused before hashing
# Tokens read restricted data as their owner: the same readers as restricted data.
TOKEN_ACTION = "hold_api_token"


@dataclass(frozen=True)
class TokenRow:
    id: int
    name: str
    created_at: dt.datetime
    expires_at: dt.datetime
    revoked_at: dt.datetime | None
    active: bool


@dataclass(frozen=True)
class CreatedToken:
    row: TokenRow
    secret: str  # shown once: never stored


def token_hash(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8", "surrogatepass")).hexdigest()


def may_create(actor: Actor) -> bool:
    return allowed(actor, TOKEN_ACTION)


def _row(token: ApiToken, now: dt.datetime) -> TokenRow:
    return TokenRow(token.id, token.name, token.created_at, token.expires_at, token.revoked_at,
                    token.revoked_at is None and token.expires_at > now)


def create_token(session: Session, actor: Actor, name: str, days: int | str = DEFAULT_DAYS,
                 now: dt.datetime | None = None) -> CreatedToken:
    """A new token for ``actor`` (refused for the public and focal points), valid ``days``."""
    authorize(actor, TOKEN_ACTION)
    now = now or audit.utcnow()
    name = (name or "").replace("\x00", "").strip()
    if not name or len(name) > NAME_LIMIT:
        raise InvalidInput(_("Give the token a name of at most %(n)s characters.", n=NAME_LIMIT), "name")
    try:
        days = int(days)
    except (TypeError, ValueError):
        days = 0
    if not 1 <= days <= MAX_DAYS:
        raise InvalidInput(_("A token is valid for 1 to %(n)s days.", n=MAX_DAYS), "days")
    secret = PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(user_id=actor.user_id, name=name, token_hash=token_hash(secret), created_at=now,
                     expires_at=now + dt.timedelta(days=days))
    session.add(token)
    session.flush()
    audit.record(session, actor, "api_token.create", "api_token", token.id, None,
                 {"name": name, "expires_at": token.expires_at.isoformat()})
    return CreatedToken(_row(token, now), secret)


def tokens_of(session: Session, actor: Actor, now: dt.datetime | None = None) -> list[TokenRow]:
    """The actor's own tokens, newest first (none for an actor who may not have any)."""
    if not may_create(actor):
        return []
    now = now or audit.utcnow()
    query = select(ApiToken).where(ApiToken.user_id == actor.user_id).order_by(ApiToken.id.desc())
    return [_row(token, now) for token in session.scalars(query)]


def revoke_token(session: Session, actor: Actor, token_id: int, now: dt.datetime | None = None) -> TokenRow:
    """Revoke one of the actor's own tokens (an admin may revoke anyone's)."""
    authorize(actor, TOKEN_ACTION)
    now = now or audit.utcnow()
    token = session.get(ApiToken, token_id) if isinstance(token_id, int) and 0 < token_id < 2**31 else None
    if token is None or (token.user_id != actor.user_id and actor.role != "admin"):
        raise NotFound(_("There is no such token."))
    if token.revoked_at is None:
        token.revoked_at = now
        audit.record(session, actor, "api_token.revoke", "api_token", token.id, {"name": token.name},
                     {"revoked_at": now.isoformat()})
    return _row(token, now)


def actor_for_token(session: Session, secret: str, address: str = "",
                    now: dt.datetime | None = None) -> Actor | None:
    """The owner of a valid token as the services' actor, or None (unknown, expired,
    revoked, owner inactive or no longer allowed tokens)."""
    if not isinstance(secret, str) or not secret.startswith(PREFIX) or len(secret) > SECRET_LIMIT:
        return None
    now = now or audit.utcnow()
    found = session.execute(
        select(ApiToken, User).join(User, User.id == ApiToken.user_id)
        .where(ApiToken.token_hash == token_hash(secret))
    ).first()
    if found is None:
        return None
    token, user = found
    if token.revoked_at is not None or token.expires_at <= now or not user.is_active:
        return None
    actor = Actor(user_id=user.id, email=user.email, name=user.name, role=user.role,
                  entity_id=user.entity_id, address=address[:64])
    return actor if may_create(actor) else None
