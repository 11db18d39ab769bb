"""User accounts: creation and management, password hashing, and logging in with limits.

Passwords are hashed with Argon2id. Log-in attempts are counted per account and per
address in ``login_attempt``; too many failures in the window refuse further attempts for
a while, with a message saying how long. Every change and every log-in is audited.
"""
from __future__ import annotations

import datetime as dt
import re
import secrets
from dataclasses import dataclass

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from . import audit
from .errors import Conflict, InvalidInput, NotFound
from .models import ACCOUNT_ROLES, Entity, LoginAttempt, User
from .permissions import Actor, authorize

MIN_PASSWORD_LENGTH = 12
EMAIL_PATTERN = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")

# Failed log-ins allowed in the window, per account and per address.
LOGIN_WINDOW = dt.timedelta(minutes=15)
MAX_FAILURES_PER_ACCOUNT = 5
MAX_FAILURES_PER_ADDRESS = 20

_hasher = PasswordHasher()
# Checked when the e-mail is unknown, so a wrong address costs as long as a wrong password.
_DUMMY_HASH = _hasher.hash(secrets.token_hex(16))


def use_fast_hashing() -> None:
    """Cheap Argon2 parameters, for the test suite only (thousands of log-ins)."""
    global _hasher, _DUMMY_HASH
    _hasher = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
    _DUMMY_HASH = _hasher.hash("x")


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def generate_password() -> str:
    """A random password of 16 URL-safe characters, shown once to whoever created it."""
    return secrets.token_urlsafe(12)


def normalize_email(email: str) -> str:
    return (email or "").strip().lower()


def _check_password(password: str) -> None:
    if len(password or "") < MIN_PASSWORD_LENGTH:
        raise InvalidInput(
            _("The password must have at least %(n)d characters.", n=MIN_PASSWORD_LENGTH), "password"
        )


def _resolve_entity(session: Session, role: str, entity: int | str | None) -> Entity | None:
    if role != "focal_point":
        return None  # only focal points belong to an entity
    if entity in (None, ""):
        raise InvalidInput(_("A focal point must belong to an entity."), "entity")
    column = Entity.id if isinstance(entity, int) else Entity.acronym
    found = session.scalar(select(Entity).where(column == entity))
    if found is None:
        raise InvalidInput(_("There is no entity with this code."), "entity")
    return found


def _snapshot(user: User) -> dict:
    return {
        "email": user.email,
        "name": user.name,
        "role": user.role,
        "entity": user.entity.acronym if user.entity else None,
        "is_active": user.is_active,
    }


@dataclass(frozen=True)
class CreatedUser:
    user: User
    password: str | None  # set when it was generated: shown once, never stored


def create_user(
    session: Session,
    actor: Actor,
    email: str,
    name: str,
    role: str,
    entity: int | str | None = None,
    password: str | None = None,
    is_demo: bool = False,
) -> CreatedUser:
    """Create an account; without a password, one is generated and returned once."""
    if role not in ACCOUNT_ROLES:
        raise InvalidInput(_("Choose a role."), "role")
    authorize(actor, "manage_user", role)
    email = normalize_email(email)
    if not EMAIL_PATTERN.match(email) or len(email) > 254:
        raise InvalidInput(_("Enter a valid e-mail address."), "email")
    if session.scalar(select(User.id).where(User.email == email)) is not None:
        raise InvalidInput(_("An account with this e-mail address already exists."), "email")
    name = (name or "").strip()
    if not name or len(name) > 200:
        raise InvalidInput(_("Enter the person's name (200 characters at most)."), "name")
    generated = password is None
    if generated:
        password = generate_password()
    _check_password(password)
    user = User(
        email=email,
        name=name,
        role=role,
        entity=_resolve_entity(session, role, entity),
        password_hash=hash_password(password),
        is_active=True,
        is_demo=is_demo,
        created_at=audit.utcnow(),
        session_epoch=1,
    )
    session.add(user)
    session.flush()
    audit.record(session, actor, "user.create", "user", user.id, None, _snapshot(user))
    return CreatedUser(user, password if generated else None)


def get_user(session: Session, user_id: int) -> User:
    user = session.get(User, user_id)
    if user is None:
        raise NotFound(_("There is no such account."))
    return user


def _editable(session: Session, actor: Actor, user_id: int, expected_version: int | None) -> User:
    """The account to change, after the permission and version checks."""
    user = get_user(session, user_id)
    authorize(actor, "manage_user", user.role)
    if expected_version is not None and user.version != expected_version:
        raise Conflict(
            _("This account was changed by someone else in the meantime. Reload the page to see "
              "the change."),
            _snapshot(user),
        )
    return user


def update_user(
    session: Session,
    actor: Actor,
    user_id: int,
    expected_version: int | None,
    role: str | None = None,
    entity: int | str | None = None,
    name: str | None = None,
) -> User:
    """Change an account's role, entity or name. A new role ends its open sessions."""
    user = _editable(session, actor, user_id, expected_version)
    before = _snapshot(user)
    new_role = role or user.role
    if new_role not in ACCOUNT_ROLES:
        raise InvalidInput(_("Choose a role."), "role")
    authorize(actor, "manage_user", new_role)
    if user.id == actor.user_id and new_role != user.role:
        raise InvalidInput(_("You cannot change your own role."), "role")
    user.entity = _resolve_entity(session, new_role, entity if entity not in (None, "") else user.entity_id)
    if name is not None:
        name = name.strip()
        if not name or len(name) > 200:
            raise InvalidInput(_("Enter the person's name (200 characters at most)."), "name")
        user.name = name
    if new_role != user.role:
        user.role = new_role
        user.session_epoch += 1
    before, after = audit.changes(before, _snapshot(user))
    if after:
        session.flush()
        audit.record(session, actor, "user.update", "user", user.id, before, after)
    return user


def set_active(session: Session, actor: Actor, user_id: int, expected_version: int | None,
               active: bool) -> User:
    """Deactivate (or reactivate) an account. Its history stays: nothing is deleted."""
    user = _editable(session, actor, user_id, expected_version)
    if user.id == actor.user_id and not active:
        raise InvalidInput(_("You cannot deactivate your own account."))
    if user.is_active == active:
        return user
    user.is_active = active
    user.session_epoch += 1
    session.flush()
    audit.record(session, actor, "user.activate" if active else "user.deactivate", "user", user.id,
                 {"is_active": not active}, {"is_active": active})
    return user


def reset_password(session: Session, actor: Actor, user_id: int, expected_version: int | None) -> str:
    """Give an account a new random password (returned once) and end its sessions."""
    user = _editable(session, actor, user_id, expected_version)
    password = generate_password()
    user.password_hash = hash_password(password)
    user.session_epoch += 1
    # The new password works at once: earlier failures no longer count against the account.
    session.execute(delete(LoginAttempt).where(LoginAttempt.email == user.email))
    session.flush()
    audit.record(session, actor, "user.reset_password", "user", user.id)
    return password


def list_users(session: Session, actor: Actor) -> list[dict]:
    """Every account, for the admin page (the secretariat sees them to manage focal points)."""
    authorize(actor, "list_users")
    query = (
        select(User.id, User.email, User.name, User.role, Entity.acronym.label("entity"),
               User.is_active, User.is_demo, User.created_at, User.last_login_at, User.version)
        .outerjoin(Entity, Entity.id == User.entity_id)
        .order_by(User.role, User.email)
    )
    return [dict(row._mapping) for row in session.execute(query)]


# --- logging in ----------------------------------------------------------------------------


@dataclass(frozen=True)
class LoginResult:
    user: User | None
    message: str = ""  # why it failed, in the user's language

    @property
    def ok(self) -> bool:
        return self.user is not None


def _failures_since(session: Session, column, value: str, since: dt.datetime) -> tuple[int, dt.datetime | None]:
    """Failed attempts since the last success (and within the window), and the oldest one."""
    last_success = session.scalar(
        select(func.max(LoginAttempt.attempted_at)).where(column == value, LoginAttempt.succeeded)
    )
    start = max(since, last_success) if last_success else since
    count, oldest = session.execute(
        select(func.count(), func.min(LoginAttempt.attempted_at)).where(
            column == value, LoginAttempt.attempted_at > start, ~LoginAttempt.succeeded
        )
    ).one()
    return count, oldest


def _throttled_message(oldest: dt.datetime, now: dt.datetime) -> str:
    minutes = max(1, int(((oldest + LOGIN_WINDOW) - now).total_seconds() // 60) + 1)
    return ngettext(
        "Too many failed log-in attempts. Try again in %(num)d minute.",
        "Too many failed log-in attempts. Try again in %(num)d minutes.",
        minutes,
    )


def authenticate(session: Session, email: str, password: str, address: str,
                 production: bool = False) -> LoginResult:
    """Check a log-in. Records the attempt and audits it; the caller commits either way."""
    now = audit.utcnow()
    email = normalize_email(email)[:254]
    if not email or not password:
        return LoginResult(None, _("Enter your e-mail address and your password."))
    since = now - LOGIN_WINDOW
    anonymous = Actor(address=address)
    for column, value, limit in (
        (LoginAttempt.email, email, MAX_FAILURES_PER_ACCOUNT),
        (LoginAttempt.address, address, MAX_FAILURES_PER_ADDRESS),
    ):
        count, oldest = _failures_since(session, column, value, since)
        if count >= limit:
            audit.record(session, anonymous, "login.throttled", "user", "", None,
                         {"limit": "account" if column is LoginAttempt.email else "address"},
                         actor_email=email)
            return LoginResult(None, _throttled_message(oldest, now))

    user = session.scalar(select(User).where(User.email == email))
    valid = verify_password(user.password_hash if user else _DUMMY_HASH, password or "")
    # Demonstration accounts never work in production, whatever the database holds.
    succeeded = bool(user and valid and user.is_active and not (production and user.is_demo))
    session.add(LoginAttempt(email=email, address=address[:64], attempted_at=now, succeeded=succeeded))
    if not succeeded:
        reason = "inactive" if user and valid else "invalid"
        audit.record(session, anonymous, "login.failed", "user", user.id if user else "", None,
                     {"reason": reason}, actor_email=email)
        # The same message for an unknown e-mail and a wrong password.
        return LoginResult(None, _("The e-mail address or the password is not correct."))
    user.last_login_at = now
    if _hasher.check_needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    session.flush()
    actor = Actor(user_id=user.id, email=user.email, name=user.name, role=user.role,
                  entity_id=user.entity_id, address=address)
    audit.record(session, actor, "login.succeeded", "user", user.id)
    return LoginResult(user)


def record_logout(session: Session, actor: Actor) -> None:
    audit.record(session, actor, "logout", "user", actor.user_id or "")


def prune_login_attempts(session: Session, older_than: dt.timedelta = dt.timedelta(days=30)) -> int:
    """Drop old attempts (they only serve the rate limit; the audit trail keeps the record)."""
    result = session.execute(delete(LoginAttempt).where(LoginAttempt.attempted_at < audit.utcnow() - older_than))
    return result.rowcount or 0


# --- demonstration accounts -----------------------------------------------------------------

DEMO_DOMAIN = "demo.cnclteh.invalid"
# One account per role; the focal points belong to the Ministry of Justice and to another
# ministry that leads measures of the illustrative plan.
DEMO_ACCOUNTS = (
    ("focal.mj", "Focal point, Ministry of Justice", "focal_point", "MJ"),
    ("focal.mi", "Focal point, Ministry of the Interior", "focal_point", "MI"),
    # A producer of national figures: enters yearly counts on /statistics/report.
    ("focal.pmp", "Focal point, Presidency of the Public Prosecution", "focal_point", "PMP"),
    ("committee", "Committee member", "committee", None),
    ("secretariat", "Permanent secretariat", "secretariat", None),
    ("admin", "Administrator", "admin", None),
)


def demo_email(local: str) -> str:
    return f"{local}@{DEMO_DOMAIN}"


SYSTEM = Actor(role="admin", email="system")


def ensure_demo_accounts(session: Session, password: str, reset: bool = False) -> list[dict]:
    """Create the missing demonstration accounts with ``password``.

    Existing ones keep their password unless ``reset`` (when DASHBOARD_DEMO_PASSWORD is set,
    it is the password of every demo account). Returns every demo account, to print.
    """
    accounts = []
    for local, name, role, entity in DEMO_ACCOUNTS:
        email = demo_email(local)
        user = session.scalar(select(User).where(User.email == email))
        created = user is None
        if created:
            user = create_user(session, SYSTEM, email, name, role, entity, password, is_demo=True).user
        elif reset and not verify_password(user.password_hash, password):
            user.password_hash = hash_password(password)
            user.session_epoch += 1
            audit.record(session, SYSTEM, "user.reset_password", "user", user.id)
        if not user.is_active:
            set_active(session, SYSTEM, user.id, None, True)
        accounts.append({"email": email, "role": role, "entity": entity, "created": created})
    return accounts


def remove_demo_accounts(session: Session) -> int:
    """Deactivate every demonstration account (production never keeps one usable)."""
    users = session.scalars(select(User).where(User.is_demo, User.is_active)).all()
    for user in users:
        user.is_active = False
        user.session_epoch += 1
        audit.record(session, SYSTEM, "user.deactivate", "user", user.id, {"is_active": True},
                     {"is_active": False})
    return len(users)
