"""User accounts: creation and management, passwords and set-password links, logging in
with limits, and who may approve whose submissions.

Passwords are hashed with Argon2id and nobody but their owner ever sees one: creating an
account or resetting its password issues a single-use, expiring link (only its hash is
stored) that the person opens to choose a password. Log-in failures are counted per account
and address together, with looser limits per account and per address; a burst of refused
attempts is audited once. Every change and every log-in is audited.

Messages (refusals, notices) are in the current language of ``dashboard.i18n``: the
request's, or the one set with ``using_language`` outside a request.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import re
import secrets
import threading
import time
from dataclasses import dataclass
from typing import TypedDict

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session

from dashboard.errors import Conflict, Forbidden, InvalidInput, NotFound
from dashboard.i18n import current_lang, fmt_datetime, message_lang, ngettext
from dashboard.i18n import gettext as _
from dashboard.models import ACCOUNT_ROLES, AuditEvent, Entity, LoginAttempt, PasswordLink, User
from dashboard.permissions import Actor, authorize
from dashboard.workflow import audit, passwords

MIN_PASSWORD_LENGTH = passwords.MIN_LENGTH
EMAIL_PATTERN = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
MAX_ID = 2**31 - 1  # ids are 32-bit integers on PostgreSQL

# Log-in limits: failures within the window refuse further attempts until it has passed.
# Per account and address together, tight: an attacker at one address gets 5 guesses per
# account (480 a day), and locks out no one but themselves. Per account, looser: guessing
# from many addresses stops at 50, and locking someone out takes at least 10 addresses.
# Per address, across accounts: spraying one password over many accounts stops at 100,
# which an office behind one NAT address does not reach by mistake.
LOGIN_WINDOW = dt.timedelta(minutes=15)
MAX_FAILURES_PER_ACCOUNT_ADDRESS = 5
MAX_FAILURES_PER_ACCOUNT = 50
MAX_FAILURES_PER_ADDRESS = 100
# Old log-in attempts and expired links are dropped at a log-in, at most this often per process.
PRUNE_INTERVAL_SECONDS = 600

# Set-password links.
CREATE_LINK_HOURS = 72
RESET_LINK_HOURS = 24
LINK_ACTIONS = ("user.password_link", "user.reset_password")
# A reviewer who sent a password link to an account may not approve its submissions for this long.
SELF_APPROVAL_DAYS = 30

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


def _unusable_hash() -> str:
    """A hash no password is known for: the account waits for its set-password link."""
    return hash_password(secrets.token_urlsafe(32))


def generate_password() -> str:
    """A random password (for the demonstration accounts), strong by the rules below."""
    while True:
        password = secrets.token_urlsafe(12)
        if passwords.problem(password) is None:
            return password


def normalize_email(email) -> str:
    return email.strip().lower() if isinstance(email, str) else ""


def check_password(password, email: str = "", name: str = "") -> str:
    """``password`` if it may be used for this account, else ``InvalidInput`` saying why."""
    problem = passwords.problem(password, email, name)
    if problem:
        raise InvalidInput(problem, "password")
    return password


def as_id(value, minimum: int = 1) -> int | None:
    """A database id (or version) from what a page sent: an int or a string of digits, within
    the database's integer range. ``True`` is not 1."""
    if isinstance(value, bool):
        return None
    # Ten digits hold any id: longer text is refused before int() (which caps at 4,300 digits).
    if isinstance(value, str) and value.strip().isascii() and value.strip().isdigit() \
            and len(value.strip()) <= 10:
        value = int(value.strip())
    if isinstance(value, int) and minimum <= value <= MAX_ID:
        return value
    return None


def _text(value, field: str, message: str, limit: int = 200) -> str:
    text = value.strip() if isinstance(value, str) else ""
    if not text or len(text) > limit or "\x00" in text:
        raise InvalidInput(message, field)
    return text


def _resolve_entity(session: Session, role: str, entity) -> Entity | None:
    if role != "focal_point":
        return None  # only focal points belong to an entity
    if entity is None or entity == "":
        raise InvalidInput(_("A focal point must belong to an entity."), "entity")
    if isinstance(entity, str) and len(entity) <= 40 and "\x00" not in entity:
        found = session.scalar(select(Entity).where(Entity.acronym == entity))
    elif as_id(entity) is not None and not isinstance(entity, str):
        found = session.get(Entity, as_id(entity))
    else:
        found = None  # a boolean, a list, a number out of range...
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
class IssuedLink:
    """A set-password link just issued: the token exists only here and in the e-mail."""

    user_id: int
    email: str
    name: str
    token: str
    purpose: str  # "create" or "reset"
    expires_at: dt.datetime
    hours: int


@dataclass(frozen=True)
class CreatedUser:
    user: User
    link: IssuedLink | None = None  # when no password was given: the owner sets it
    password: None = None  # never set: no one but the owner sees a password


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
    """Create an account. Without ``password`` (the admin page), the person chooses it through
    a set-password link, returned here to be e-mailed."""
    if not isinstance(role, str) or role not in ACCOUNT_ROLES:
        raise InvalidInput(_("Choose a role."), "role")
    authorize(actor, "manage_user", role)
    email = normalize_email(email)
    if not EMAIL_PATTERN.match(email) or len(email) > 254 or "\x00" in email:
        raise InvalidInput(_("Enter a valid e-mail address."), "email")
    if session.scalar(select(User.id).where(User.email == email)) is not None:
        raise InvalidInput(_("An account with this e-mail address already exists."), "email")
    name = _text(name, "name", _("Enter the person's name (200 characters at most)."))
    if password is not None:
        check_password(password, email, name)
    user = User(
        email=email,
        name=name,
        role=role,
        entity=_resolve_entity(session, role, entity),
        password_hash=hash_password(password) if password is not None else _unusable_hash(),
        is_active=True,
        is_demo=is_demo,
        created_at=audit.utcnow(),
        session_epoch=1,
    )
    session.add(user)
    session.flush()
    audit.record(session, actor, "user.create", "user", user.id, None, _snapshot(user))
    link = _issue_link(session, actor, user, "create") if password is None else None
    return CreatedUser(user, link)


def get_user(session: Session, user_id) -> User:
    found = as_id(user_id)
    user = session.get(User, found) if found is not None else None
    if user is None:
        raise NotFound(_("There is no such account."))
    return user


def _editable(session: Session, actor: Actor, user_id, expected_version) -> User:
    """The account to change, after the permission and version checks.

    The version is required: a change that does not say which version it was based on could
    undo someone else's. Internal callers pass the version they just read.
    """
    user = get_user(session, user_id)
    authorize(actor, "manage_user", user.role)
    version = as_id(expected_version, minimum=0)
    if version is None:
        raise InvalidInput(_("Reload the page and try again: the change did not say which version of "
                             "the account it was based on."))
    if user.version != version:
        raise Conflict(
            _("This account was changed by someone else in the meantime. Reload the page to see "
              "the change."),
            _snapshot(user),
        )
    return user


def _end_sessions(user: User) -> None:
    """Every open session of the account ends at its next request (the cookie carries the epoch)."""
    user.session_epoch += 1


def update_user(
    session: Session,
    actor: Actor,
    user_id,
    expected_version,
    role: str | None = None,
    entity: int | str | None = None,
    name: str | None = None,
) -> User:
    """Change an account's role, entity or name. A new role ends its open sessions."""
    user = _editable(session, actor, user_id, expected_version)
    before = _snapshot(user)
    new_role = role or user.role
    if not isinstance(new_role, str) or new_role not in ACCOUNT_ROLES:
        raise InvalidInput(_("Choose a role."), "role")
    authorize(actor, "manage_user", new_role)
    if user.id == actor.user_id and new_role != user.role:
        raise InvalidInput(_("You cannot change your own role."), "role")
    user.entity = _resolve_entity(session, new_role, entity if entity not in (None, "") else user.entity_id)
    if name is not None:
        user.name = _text(name, "name", _("Enter the person's name (200 characters at most)."))
    if new_role != user.role:
        user.role = new_role
        _end_sessions(user)
    before, after = audit.changes(before, _snapshot(user))
    if after:
        session.flush()
        audit.record(session, actor, "user.update", "user", user.id, before, after)
    return user


def set_active(session: Session, actor: Actor, user_id, expected_version, active: bool) -> User:
    """Deactivate (or reactivate) an account. Its history stays: nothing is deleted."""
    user = _editable(session, actor, user_id, expected_version)
    active = active is True
    if user.id == actor.user_id and not active:
        raise InvalidInput(_("You cannot deactivate your own account."))
    if user.is_active == active:
        return user
    user.is_active = active
    _end_sessions(user)
    session.flush()
    audit.record(session, actor, "user.activate" if active else "user.deactivate", "user", user.id,
                 {"is_active": not active}, {"is_active": active})
    return user


# --- set-password links ----------------------------------------------------------------------


def _token_hash(token: str) -> str:
    # The token has 256 random bits: a plain hash is enough (nothing to brute-force).
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


def _issue_link(session: Session, actor: Actor, user: User, purpose: str) -> IssuedLink:
    """A new link for ``user``; the older ones stop working."""
    hours = CREATE_LINK_HOURS if purpose == "create" else RESET_LINK_HOURS
    now = audit.utcnow()
    token = secrets.token_urlsafe(32)
    session.execute(delete(PasswordLink).where(PasswordLink.user_id == user.id))
    session.add(PasswordLink(user_id=user.id, token_hash=_token_hash(token), purpose=purpose, created_at=now,
                             expires_at=now + dt.timedelta(hours=hours), created_by_id=actor.user_id))
    session.flush()
    audit.record(session, actor, "user.password_link", "user", user.id, None,
                 {"purpose": purpose, "expires_at": (now + dt.timedelta(hours=hours)).isoformat(timespec="minutes")})
    return IssuedLink(user.id, user.email, user.name, token, purpose, now + dt.timedelta(hours=hours), hours)


def reset_password(session: Session, actor: Actor, user_id, expected_version) -> IssuedLink:
    """Lock the account's password and issue a link for its owner to choose a new one.

    The old password stops working at once and every session ends: a reset is also what to
    do when a password may be known to someone else.
    """
    user = _editable(session, actor, user_id, expected_version)
    user.password_hash = _unusable_hash()
    _end_sessions(user)
    session.flush()
    audit.record(session, actor, "user.reset_password", "user", user.id)
    return _issue_link(session, actor, user, "reset")


def send_new_link(session: Session, actor: Actor, user_id, expected_version) -> IssuedLink:
    """Issue a new link of the same kind as the account's last one (e.g. the e-mail was lost).

    An account that never had a password gets a creation link; others are reset."""
    user = _editable(session, actor, user_id, expected_version)
    if user.last_login_at is None and session.scalar(
            select(PasswordLink.id).where(PasswordLink.user_id == user.id, PasswordLink.purpose == "create")):
        return _issue_link(session, actor, user, "create")
    return reset_password(session, actor, user.id, user.version)


def _valid_link(session: Session, token) -> PasswordLink | None:
    if not isinstance(token, str) or not 20 <= len(token) <= 100:
        return None
    link = session.scalar(select(PasswordLink).where(PasswordLink.token_hash == _token_hash(token)))
    if link is None or link.expires_at <= audit.utcnow() or not link.user.is_active:
        return None
    return link


def link_account(session: Session, token) -> User | None:
    """The account a valid link sets the password of, or ``None`` (expired, used, replaced)."""
    link = _valid_link(session, token)
    return link.user if link else None


def invalid_link_message() -> str:
    return _("This link does not work any more: it has expired, it was already used, or a newer one "
             "was sent. Ask the secretariat for a new link.")


def set_password_with_link(session: Session, token, password, confirmation, address: str = "") -> User:
    """The owner of a link chooses their password: the link is used up and every session ends."""
    link = _valid_link(session, token)
    if link is None:
        raise InvalidInput(invalid_link_message(), "token")
    user = link.user
    _new_password(user, password, confirmation)
    session.execute(delete(PasswordLink).where(PasswordLink.user_id == user.id))
    # The new password works at once: earlier failures no longer count against the account.
    session.execute(delete(LoginAttempt).where(LoginAttempt.email == user.email))
    session.flush()
    audit.record(session, _actor_of(user, address), "user.password_set", "user", user.id, None,
                 {"purpose": link.purpose})
    return user


def _new_password(user: User, password, confirmation) -> None:
    if not isinstance(password, str) or password != confirmation:
        raise InvalidInput(_("The two passwords differ. Type the same password twice."), "confirmation")
    check_password(password, user.email, user.name)
    user.password_hash = hash_password(password)
    _end_sessions(user)


def change_password(session: Session, actor: Actor, current, password, confirmation) -> LoginResult:
    """A logged-in user changes their own password; every session of the account ends.

    A wrong current password counts as a failed log-in (the same limits apply) and comes back
    as a result to commit; a refused new password raises ``InvalidInput`` before any write."""
    if not actor.is_authenticated:
        raise Forbidden(_("Please log in to do this."))
    user = get_user(session, actor.user_id)
    now = audit.utcnow()
    refusal = _throttled(session, user.email, actor.address, now)
    if refusal:
        return LoginResult(None, refusal)
    if not isinstance(current, str) or not verify_password(user.password_hash, current):
        session.add(LoginAttempt(email=user.email, address=actor.address[:64], attempted_at=now,
                                 succeeded=False))
        audit.record(session, actor, "login.failed", "user", user.id, None, {"reason": "password_change"})
        return LoginResult(None, _("The current password is not correct."))
    _new_password(user, password, confirmation)
    session.flush()
    audit.record(session, actor, "user.password_change", "user", user.id)
    return LoginResult(user)


def _actor_of(user: User, address: str = "") -> Actor:
    return Actor(user_id=user.id, email=user.email, name=person_name(user.name, user.is_demo), role=user.role,
                 entity_id=user.entity_id, address=address)


def active_actor(session: Session, email: str) -> Actor | None:
    """The active account of ``email`` as an actor, for a command run on its behalf."""
    user = session.scalar(select(User).where(User.email == (email or "").strip().lower(), User.is_active))
    return _actor_of(user) if user is not None else None


class UserRow(TypedDict):
    """An account as the users page lists it: never its password hash."""

    id: int
    email: str
    name: str
    role: str
    entity: str | None  # the acronym of the focal point's body
    is_active: bool
    is_demo: bool
    created_at: dt.datetime
    last_login_at: dt.datetime | None
    version: int


def list_users(session: Session, actor: Actor) -> list[UserRow]:
    """Every account, for the admin page (the secretariat sees them to manage focal points)."""
    authorize(actor, "list_users")
    query = (
        select(User.id, User.email, User.name, User.role, Entity.acronym.label("entity"),
               User.is_active, User.is_demo, User.created_at, User.last_login_at, User.version)
        .outerjoin(Entity, Entity.id == User.entity_id)
        .order_by(User.role, User.email)
    )
    # A demonstration account's name reads in the reader's language (``person_name``).
    return [UserRow(**{**row._mapping, "name": person_name(row.name, row.is_demo)})
            for row in session.execute(query)]


# --- who may approve what --------------------------------------------------------------------


def approval_refusal(session: Session, actor: Actor, submitter_id: int | None) -> str | None:
    """Why ``actor`` may not approve a submission sent by ``submitter_id`` (else ``None``).

    Nobody approves their own submission, nor one sent from an account they sent a password
    link to (created or reset) in the last 30 days: they could have been the one who chose
    its password.
    """
    if submitter_id is None:
        return None
    if actor.user_id is not None and submitter_id == actor.user_id:
        return _("You cannot approve your own submission. Another member of the secretariat must review it.")
    if actor.user_id is None:
        return None
    since = audit.utcnow() - dt.timedelta(days=SELF_APPROVAL_DAYS)
    issued = session.scalar(
        select(func.max(AuditEvent.occurred_at)).where(
            AuditEvent.actor_id == actor.user_id, AuditEvent.action.in_(LINK_ACTIONS),
            AuditEvent.object_type == "user", AuditEvent.object_id == str(submitter_id),
            AuditEvent.occurred_at >= since))
    if issued is None:
        return None
    return _("You cannot approve this submission: you set up or reset the password of the account that "
             "sent it on %(date)s, less than %(days)d days ago. Another member of the secretariat must "
             "review it.", date=fmt_datetime(issued, current_lang()), days=SELF_APPROVAL_DAYS)


# --- logging in ----------------------------------------------------------------------------


@dataclass(frozen=True)
class LoginResult:
    user: User | None
    message: str = ""  # why it failed, in the user's language

    @property
    def ok(self) -> bool:
        return self.user is not None


def _failures(session: Session, conditions: list, since: dt.datetime,
              reset_by_success: bool) -> tuple[int, dt.datetime | None]:
    """Failed attempts matching ``conditions`` in the window (after the last success of the
    same key, when a success resets it), and the oldest of them."""
    start = since
    if reset_by_success:
        last_success = session.scalar(
            select(func.max(LoginAttempt.attempted_at)).where(*conditions, LoginAttempt.succeeded))
        if last_success and last_success > start:
            start = last_success
    count, oldest = session.execute(
        select(func.count(), func.min(LoginAttempt.attempted_at)).where(
            *conditions, LoginAttempt.attempted_at > start, ~LoginAttempt.succeeded)
    ).one()
    return count, oldest


def _throttled_message(oldest: dt.datetime, now: dt.datetime) -> str:
    minutes = max(1, int(((oldest + LOGIN_WINDOW) - now).total_seconds() // 60) + 1)
    return ngettext(
        "Too many failed log-in attempts. Try again in %(num)d minute.",
        "Too many failed log-in attempts. Try again in %(num)d minutes.",
        minutes,
    )


def _throttled(session: Session, email: str, address: str, now: dt.datetime) -> str | None:
    """The refusal message if a limit is reached; audits it once per limit and window."""
    since = now - LOGIN_WINDOW
    address = address[:64]
    limits = (
        ("account_address", [LoginAttempt.email == email, LoginAttempt.address == address],
         MAX_FAILURES_PER_ACCOUNT_ADDRESS, True),
        ("account", [LoginAttempt.email == email], MAX_FAILURES_PER_ACCOUNT, True),
        # A success from the address does not reset it: one valid account must not
        # unlock spraying the others.
        ("address", [LoginAttempt.address == address], MAX_FAILURES_PER_ADDRESS, False),
    )
    for kind, conditions, limit, reset_by_success in limits:
        count, oldest = _failures(session, conditions, since, reset_by_success)
        if count >= limit:
            _audit_throttle_once(session, kind, email, address, since)
            return _throttled_message(oldest, now)
    return None


def _audit_throttle_once(session: Session, kind: str, email: str, address: str, since: dt.datetime) -> None:
    """One ``login.throttled`` record per limit, key and window, not one per refused attempt."""
    key = {"account_address": [AuditEvent.actor_email == email, AuditEvent.address == address],
           "account": [AuditEvent.actor_email == email],
           "address": [AuditEvent.address == address]}[kind]
    already = session.scalar(select(AuditEvent.id).where(
        AuditEvent.action == "login.throttled", AuditEvent.occurred_at > since,
        AuditEvent.object_type == "login", AuditEvent.object_id == kind, *key).limit(1))
    if already is None:
        audit.record(session, Actor(address=address), "login.throttled", "login", kind, None,
                     {"limit": kind}, actor_email=email)


def authenticate(session: Session, email: str, password: str, address: str,
                 production: bool = False) -> LoginResult:
    """Check a log-in. Records the attempt and audits it; the caller commits either way."""
    prune_now_and_then(session)
    now = audit.utcnow()
    email = normalize_email(email)[:254].replace("\x00", "")
    address = (address or "")[:64]
    if not email or not isinstance(password, str) or not password:
        return LoginResult(None, _("Enter your e-mail address and your password."))
    refusal = _throttled(session, email, address, now)
    if refusal:
        return LoginResult(None, refusal)

    user = session.scalar(select(User).where(User.email == email))
    valid = verify_password(user.password_hash if user else _DUMMY_HASH, password)
    # Demonstration accounts never work in production, whatever the database holds.
    succeeded = bool(user and valid and user.is_active and not (production and user.is_demo))
    session.add(LoginAttempt(email=email, address=address, attempted_at=now, succeeded=succeeded))
    if not succeeded:
        reason = "inactive" if user and valid else "invalid"
        audit.record(session, Actor(address=address), "login.failed", "user", user.id if user else "", None,
                     {"reason": reason}, actor_email=email)
        # The same message for an unknown e-mail and a wrong password.
        return LoginResult(None, _("The e-mail address or the password is not correct."))
    user.last_login_at = now
    user.lang = message_lang()  # the language of the page they logged in on, for their e-mails
    if _hasher.check_needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    session.flush()
    audit.record(session, _actor_of(user, address), "login.succeeded", "user", user.id)
    return LoginResult(user)


def record_logout(session: Session, actor: Actor) -> None:
    """Log out: every session of the account ends, copies of the cookie included."""
    audit.record(session, actor, "logout", "user", actor.user_id or "")
    if actor.user_id is not None:
        end_sessions(session, actor.user_id)


def end_sessions(session: Session, user_id: int) -> None:
    """End every session of an account without counting as a change of the account: its
    version stays, so an administrator's open form is not put in conflict by a log-out."""
    session.execute(update(User).where(User.id == user_id).values(session_epoch=User.session_epoch + 1)
                    .execution_options(synchronize_session=False))


def prune_login_attempts(session: Session, older_than: dt.timedelta = dt.timedelta(days=30)) -> int:
    """Drop old attempts (they only serve the rate limit; the audit trail keeps the record)."""
    result = session.execute(delete(LoginAttempt).where(LoginAttempt.attempted_at < audit.utcnow() - older_than))
    return result.rowcount or 0


def prune_password_links(session: Session) -> int:
    """Drop expired set-password links (the audit trail says they were issued)."""
    result = session.execute(delete(PasswordLink).where(PasswordLink.expires_at <= audit.utcnow()))
    return result.rowcount or 0


_last_prune = 0.0
_prune_lock = threading.Lock()


def prune_now_and_then(session: Session) -> bool:
    """Prune at most once per ``PRUNE_INTERVAL_SECONDS`` in this process (cheap: an indexed
    delete), so the tables stay small without a scheduled job. True if it pruned."""
    global _last_prune
    with _prune_lock:
        now = time.monotonic()
        if _last_prune and now - _last_prune < PRUNE_INTERVAL_SECONDS:
            return False
        _last_prune = now
    prune_login_attempts(session)
    prune_password_links(session)
    return True


# --- demonstration accounts -----------------------------------------------------------------

DEMO_DOMAIN = "demo.cnclteh.invalid"


def N_(text: str) -> str:
    """Marks a text for the catalogue; it is translated where it is shown (``person_name``)."""
    return text


# One account per role; the focal points belong to the Ministry of Justice and to another
# ministry that leads measures of the illustrative plan. A demonstration account's name says
# what it is for, so it is shown in the reader's language, not stored in one.
DEMO_ACCOUNTS = (
    ("focal.mj", N_("Focal point, Ministry of Justice"), "focal_point", "MJ"),
    ("focal.mi", N_("Focal point, Ministry of the Interior"), "focal_point", "MI"),
    # A producer of national figures: enters yearly counts on /statistics/report.
    ("focal.pmp", N_("Focal point, Presidency of the Public Prosecution"), "focal_point", "PMP"),
    ("committee", N_("Committee member"), "committee", None),
    ("secretariat", N_("Permanent secretariat"), "secretariat", None),
    ("admin", N_("Administrator"), "admin", None),
)
DEMO_NAMES = frozenset(account[1] for account in DEMO_ACCOUNTS)


def person_name(name: str, is_demo: bool) -> str:
    """The name shown for an account: a person's name as written, a demonstration account's
    name (a description of its role) in the reader's language."""
    return _(name) if is_demo and name in DEMO_NAMES else name


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
            user.password_hash = hash_password(check_password(password, email, name))
            _end_sessions(user)
            audit.record(session, SYSTEM, "user.reset_password", "user", user.id)
        if not user.is_active:
            set_active(session, SYSTEM, user.id, user.version, True)
        accounts.append({"email": email, "role": role, "entity": entity, "created": created})
    return accounts


def remove_demo_accounts(session: Session) -> int:
    """Deactivate every demonstration account (production never keeps one usable)."""
    users = session.scalars(select(User).where(User.is_demo, User.is_active)).all()
    for user in users:
        user.is_active = False
        _end_sessions(user)
        audit.record(session, SYSTEM, "user.deactivate", "user", user.id, {"is_active": True},
                     {"is_active": False})
    return len(users)
