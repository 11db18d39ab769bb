"""Accounts: creation rules, who manages whom, log-in checks and limits, demo accounts."""
from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select

from dashboard.errors import Conflict, Forbidden, InvalidInput, NotFound
from dashboard.i18n import using_language
from dashboard.models import AuditEvent, LoginAttempt, PasswordLink, User
from dashboard.permissions import PUBLIC
from dashboard.workflow import accounts, audit
from helpers import PASSWORD, actor_of, email_of


def test_admin_creates_an_account_with_a_set_password_link(session):
    """No password is generated or shown: the person chooses it through a single-use link."""
    created = accounts.create_user(session, actor_of(session, "admin"), " New.Person@Justice.gov.ma ",
                                   "Nouvelle Personne", "focal_point", "MSISF")
    assert created.user.email == "new.person@justice.gov.ma"
    assert created.password is None
    assert created.user.password_hash.startswith("$argon2id$")
    link = created.link
    assert (link.email, link.purpose, link.hours) == ("new.person@justice.gov.ma", "create", 72)
    assert accounts.link_account(session, link.token).id == created.user.id
    # Only a hash of the token is stored, and nothing logs in until the person sets a password.
    stored = session.scalars(select(PasswordLink.token_hash).where(PasswordLink.user_id == created.user.id)).all()
    assert len(stored) == 1 and link.token not in stored[0]
    assert not accounts.authenticate(session, link.email, link.token, "198.51.100.7").ok
    record = session.scalar(select(AuditEvent).where(AuditEvent.action == "user.create",
                                                     AuditEvent.object_id == str(created.user.id)))
    assert record.after["entity"] == "MSISF" and "password" not in str(record.after)
    issued = session.scalar(select(AuditEvent).where(AuditEvent.action == "user.password_link",
                                                     AuditEvent.object_id == str(created.user.id)))
    assert issued.after["purpose"] == "create" and link.token not in str(issued.after)


@pytest.mark.parametrize(
    ("email", "name", "role", "entity", "password", "field"),
    [
        ("not-an-email", "X", "committee", None, PASSWORD, "email"),
        (email_of("admin"), "X", "committee", None, PASSWORD, "email"),
        ("a@b.ma", "", "committee", None, PASSWORD, "name"),
        ("a@b.ma", "X", "public", None, PASSWORD, "role"),
        ("a@b.ma", "X", "superuser", None, PASSWORD, "role"),
        ("a@b.ma", "X", "focal_point", None, PASSWORD, "entity"),
        ("a@b.ma", "X", "focal_point", "NOPE", PASSWORD, "entity"),
        ("a@b.ma", "X", "committee", None, "short", "password"),
        ("a@b.ma", "X", "committee", None, "aaaaaaaaaaaa", "password"),
        ("a@b.ma", "X", "committee", None, "password1234", "password"),
        ("nouvelle.personne@justice.gov.ma", "Nouvelle Personne", "committee", None,
         "nouvelle.personne@justice.gov.ma", "password"),
        ("nouvelle.personne@justice.gov.ma", "Nouvelle Personne", "committee", None, "NouvellePersonne2026",
         "password"),
        (["a@b.ma"], "X", "committee", None, PASSWORD, "email"),
        ("a@b.ma", {"x": 1}, "committee", None, PASSWORD, "name"),
        ("a@b.ma", "X", ["admin"], None, PASSWORD, "role"),
        ("a@b.ma", "X", "focal_point", True, PASSWORD, "entity"),
        ("a@b.ma", "X", "focal_point", 2**63, PASSWORD, "entity"),
        ("a@b.ma", "X", "focal_point", ["MJ"], PASSWORD, "entity"),
    ],
)
def test_account_creation_checks_its_input(session, email, name, role, entity, password, field):
    with pytest.raises(InvalidInput) as refused:
        accounts.create_user(session, actor_of(session, "admin"), email, name, role, entity, password)
    assert refused.value.field == field


@pytest.mark.parametrize(
    ("key", "role", "allowed"),
    [
        ("admin", "admin", True),
        ("secretariat", "focal_point", True),
        ("secretariat", "committee", False),
        ("secretariat", "admin", False),
        ("committee", "focal_point", False),
        ("focal_mj", "focal_point", False),
        (None, "focal_point", False),
    ],
)
def test_who_may_create_which_role(session, key, role, allowed):
    who = actor_of(session, key) if key else PUBLIC
    entity = "MJ" if role == "focal_point" else None
    if allowed:
        accounts.create_user(session, who, "x@y.ma", "X", role, entity, PASSWORD)
    else:
        with pytest.raises(Forbidden):
            accounts.create_user(session, who, "x@y.ma", "X", role, entity, PASSWORD)


def test_deactivation_keeps_the_account_and_ends_its_sessions(session):
    target = session.scalar(select(User).where(User.email == email_of("focal_pmp")))
    epoch = target.session_epoch
    accounts.set_active(session, actor_of(session, "secretariat"), target.id, target.version, False)
    assert target.is_active is False and target.session_epoch == epoch + 1
    assert session.get(User, target.id) is not None
    result = accounts.authenticate(session, email_of("focal_pmp"), PASSWORD, "198.51.100.7")
    assert not result.ok


def test_a_change_based_on_a_stale_version_is_refused(session):
    target = session.scalar(select(User).where(User.email == email_of("focal_pmp")))
    with pytest.raises(Conflict):
        accounts.update_user(session, actor_of(session, "admin"), target.id, target.version - 1, entity="MJ")


def test_a_role_change_ends_the_sessions_and_the_secretariat_cannot_promote(session):
    target = session.scalar(select(User).where(User.email == email_of("focal_pmp")))
    with pytest.raises(Forbidden):
        accounts.update_user(session, actor_of(session, "secretariat"), target.id, target.version, role="admin")
    epoch = target.session_epoch
    accounts.update_user(session, actor_of(session, "admin"), target.id, target.version, role="committee")
    assert (target.role, target.entity_id, target.session_epoch) == ("committee", None, epoch + 1)


def test_reset_password_locks_the_old_one_and_issues_a_link(session):
    target = session.scalar(select(User).where(User.email == email_of("committee")))
    epoch = target.session_epoch
    link = accounts.reset_password(session, actor_of(session, "admin"), target.id, target.version)
    assert (link.purpose, link.hours, link.email) == ("reset", 24, email_of("committee"))
    assert not accounts.verify_password(target.password_hash, PASSWORD)  # the old one stops at once
    assert target.session_epoch == epoch + 1
    assert not accounts.authenticate(session, email_of("committee"), PASSWORD, "198.51.100.7").ok
    accounts.set_password_with_link(session, link.token, "a brand new pass phrase", "a brand new pass phrase")
    assert accounts.authenticate(session, email_of("committee"), "a brand new pass phrase", "198.51.100.7").ok


@pytest.mark.parametrize("version", [None, "", "x", True, 1.0, [1], {"v": 1}, 2**63])
def test_a_change_without_a_valid_version_is_refused(session, version):
    """``version: null`` used to skip the check; any version that is not a whole number is refused."""
    target = session.scalar(select(User).where(User.email == email_of("focal_pmp")))
    before = (target.role, target.entity_id, target.is_active, target.password_hash, target.version)
    admin = actor_of(session, "admin")
    for change in (lambda: accounts.update_user(session, admin, target.id, version, role="committee"),
                   lambda: accounts.set_active(session, admin, target.id, version, False),
                   lambda: accounts.reset_password(session, admin, target.id, version)):
        with pytest.raises((InvalidInput, Conflict)):
            change()
    assert (target.role, target.entity_id, target.is_active, target.password_hash, target.version) == before


@pytest.mark.parametrize("user_id", [True, 1.0, [1], {"id": 1}, None, "", "1; drop", 2**63, "99999999999999999999"])
def test_an_account_id_that_is_not_a_whole_number_is_not_found(session, user_id):
    """``True`` is an int in Python: it used to be read as account 1."""
    admin = actor_of(session, "admin")
    with pytest.raises(NotFound):
        accounts.set_active(session, admin, user_id, 1, False)


def test_an_entity_id_of_the_wrong_type_is_refused(session):
    target = session.scalar(select(User).where(User.email == email_of("focal_pmp")))
    for entity in (True, 1.5, [1], {"id": 1}, 2**63):
        with pytest.raises(InvalidInput) as refused:
            accounts.update_user(session, actor_of(session, "admin"), target.id, target.version, entity=entity)
        assert refused.value.field == "entity"
    assert target.entity.acronym == "PMP"


def test_the_version_is_given_as_read(session):
    target = session.scalar(select(User).where(User.email == email_of("focal_pmp")))
    accounts.update_user(session, actor_of(session, "admin"), target.id, str(target.version), entity="MJ")
    assert target.entity.acronym == "MJ"


# --- logging in --------------------------------------------------------------------------


def test_login_succeeds_and_is_audited(session):
    result = accounts.authenticate(session, email_of("committee").upper(), PASSWORD, "198.51.100.7")
    assert result.ok and result.user.last_login_at is not None
    record = session.scalar(select(AuditEvent).where(AuditEvent.action == "login.succeeded"))
    assert record.actor_email == email_of("committee") and record.address == "198.51.100.7"


def test_wrong_password_and_unknown_email_get_the_same_message(session):
    wrong = accounts.authenticate(session, email_of("committee"), "not the password", "198.51.100.7")
    unknown = accounts.authenticate(session, "nobody@nowhere.ma", PASSWORD, "198.51.100.7")
    assert not wrong.ok and wrong.message == unknown.message
    failed = session.scalars(select(AuditEvent.actor_email).where(AuditEvent.action == "login.failed")).all()
    assert sorted(failed) == sorted([email_of("committee"), "nobody@nowhere.ma"])


def test_repeated_failures_lock_the_account_from_that_address_for_a_while(session):
    for _attempt in range(accounts.MAX_FAILURES_PER_ACCOUNT_ADDRESS):
        assert not accounts.authenticate(session, email_of("committee"), "guess", "198.51.100.7").ok
    locked = accounts.authenticate(session, email_of("committee"), PASSWORD, "198.51.100.7")
    assert not locked.ok and "15 minutes" in locked.message
    # Another address is not locked out by these five: the owner can still log in.
    assert accounts.authenticate(session, email_of("committee"), PASSWORD, "198.51.100.8").ok
    # Another account from the same address is not locked out by these five.
    assert accounts.authenticate(session, email_of("admin"), PASSWORD, "198.51.100.7").ok
    # Once the window has passed, the right password works again from the first address.
    session.execute(LoginAttempt.__table__.update().values(
        attempted_at=audit.utcnow() - accounts.LOGIN_WINDOW - dt.timedelta(minutes=1)))
    assert accounts.authenticate(session, email_of("committee"), PASSWORD, "198.51.100.7").ok


def test_failures_from_many_addresses_stop_at_the_account_limit(session):
    per_address = accounts.MAX_FAILURES_PER_ACCOUNT_ADDRESS
    for n in range(accounts.MAX_FAILURES_PER_ACCOUNT):
        accounts.authenticate(session, email_of("committee"), "guess", f"203.0.113.{n // per_address}")
    locked = accounts.authenticate(session, email_of("committee"), PASSWORD, "198.51.100.99")
    assert not locked.ok and "minutes" in locked.message
    assert accounts.authenticate(session, email_of("admin"), PASSWORD, "198.51.100.99").ok


def test_a_burst_of_refused_attempts_is_audited_once(session):
    for _attempt in range(accounts.MAX_FAILURES_PER_ACCOUNT_ADDRESS):
        accounts.authenticate(session, email_of("committee"), "guess", "198.51.100.7")
    for _attempt in range(50):
        assert not accounts.authenticate(session, email_of("committee"), PASSWORD, "198.51.100.7").ok
    throttled = session.scalars(select(AuditEvent).where(AuditEvent.action == "login.throttled")).all()
    assert len(throttled) == 1
    assert (throttled[0].actor_email, throttled[0].address, throttled[0].object_id) == (
        email_of("committee"), "198.51.100.7", "account_address")
    # The burst did not count as failures either: no more attempts were recorded.
    assert session.scalar(select(func.count()).select_from(LoginAttempt)) == accounts.MAX_FAILURES_PER_ACCOUNT_ADDRESS
    past = audit.utcnow() - accounts.LOGIN_WINDOW - dt.timedelta(minutes=1)
    session.execute(LoginAttempt.__table__.update().values(attempted_at=past))
    assert accounts.authenticate(session, email_of("committee"), PASSWORD, "198.51.100.7").ok


def test_repeated_failures_from_one_address_are_limited_across_accounts(session):
    for n in range(accounts.MAX_FAILURES_PER_ADDRESS):
        accounts.authenticate(session, f"guess{n}@example.ma", "guess", "203.0.113.9")
    blocked = accounts.authenticate(session, email_of("admin"), PASSWORD, "203.0.113.9")
    assert not blocked.ok and "minutes" in blocked.message
    throttled = session.scalar(select(func.count()).where(AuditEvent.action == "login.throttled"))
    assert throttled == 1
    assert accounts.authenticate(session, email_of("admin"), PASSWORD, "203.0.113.10").ok


def test_demo_accounts_cannot_log_in_in_production(session):
    rows = accounts.ensure_demo_accounts(session, PASSWORD)
    assert {row["role"] for row in rows} == {"focal_point", "committee", "secretariat", "admin"}
    assert {row["entity"] for row in rows if row["role"] == "focal_point"} == {"MJ", "MI", "PMP"}
    email = accounts.demo_email("committee")
    assert accounts.authenticate(session, email, PASSWORD, "198.51.100.1").ok
    assert not accounts.authenticate(session, email, PASSWORD, "198.51.100.1", production=True).ok
    assert accounts.remove_demo_accounts(session) == 6
    assert not accounts.authenticate(session, email, PASSWORD, "198.51.100.1").ok


def test_setting_a_password_from_a_link_lifts_the_lockout(session):
    for _attempt in range(accounts.MAX_FAILURES_PER_ACCOUNT_ADDRESS):
        accounts.authenticate(session, email_of("committee"), "guess", "198.51.100.7")
    target = session.scalar(select(User).where(User.email == email_of("committee")))
    link = accounts.reset_password(session, actor_of(session, "admin"), target.id, target.version)
    accounts.set_password_with_link(session, link.token, "another fine pass phrase", "another fine pass phrase")
    assert accounts.authenticate(session, email_of("committee"), "another fine pass phrase", "198.51.100.7").ok


def test_empty_fields_ask_for_both_and_count_no_failure(session):
    result = accounts.authenticate(session, "", "", "198.51.100.7")
    assert not result.ok and "e-mail address and your password" in result.message
    assert session.scalar(select(func.count()).select_from(LoginAttempt)) == 0


def test_a_demonstration_account_is_named_in_the_reader_s_language(app):
    """Its name describes its role, so it is translated; a person's name never is."""
    name = accounts.DEMO_ACCOUNTS[4][1]  # "Permanent secretariat"
    with app.app_context():
        with using_language("en"):
            assert accounts.person_name(name, True) == "Permanent secretariat"
        with using_language("ar"):
            # Until the catalogue has the entry, the English name: never an empty one.
            assert accounts.person_name(name, True) in ("الكتابة الدائمة", name)
        with using_language("fr"):
            assert accounts.person_name("Permanent secretariat", False) == "Permanent secretariat"
            assert accounts.person_name("Nadia Bennani", True) == "Nadia Bennani"
