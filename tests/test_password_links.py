"""Set-password links: stored as a hash, single use, expiring, replaced by a newer one; e-mailed
through a real SMTP server that the test starts (aiosmtpd on 127.0.0.1) or logged without one;
the /set-password page in the user's language; old attempts and links pruned at log-in."""
from __future__ import annotations

import datetime as dt
import email
import email.policy
import re
import socket
from urllib.parse import parse_qs, urlsplit

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine, func, select

from dashboard import mail
from dashboard.devtools.testing import DashClient
from dashboard.errors import InvalidInput
from dashboard.models import AuditEvent, Base, LoginAttempt, PasswordLink, User
from dashboard.workflow import accounts, audit
from helpers import PASSWORD, actor_of, email_of

NEW = "a phrase only I know"


# --- a local SMTP server -------------------------------------------------------------------


class Inbox:
    """What the SMTP server received."""

    def __init__(self):
        self.messages: list[email.message.EmailMessage] = []
        self.envelopes = []

    async def handle_DATA(self, _server, _session, envelope):
        self.envelopes.append(envelope)
        self.messages.append(email.message_from_bytes(envelope.content, policy=email.policy.default))
        return "250 Message accepted"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


USERNAME, SMTP_SECRET = "dashboard", "smtp-secret"


def _authenticate(_server, _session, _envelope, mechanism, auth_data):
    ok = isinstance(auth_data, LoginPassword) and (auth_data.login, auth_data.password) == (
        USERNAME.encode(), SMTP_SECRET.encode())
    return AuthResult(success=ok)


@pytest.fixture
def smtp():
    """A real SMTP server on a free local port, with a login (no TLS: it is local)."""
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port(), authenticator=_authenticate,
                            auth_require_tls=False)
    controller.start()
    try:
        yield inbox, controller.port
    finally:
        controller.stop()


def mail_settings(port: int, **extra) -> dict:
    return {"SMTP_HOST": "127.0.0.1", "SMTP_PORT": port, "SMTP_STARTTLS": False, "SMTP_SSL": False,
            "SMTP_USERNAME": USERNAME, "SMTP_PASSWORD": SMTP_SECRET, "MAIL_FROM": "no-reply@cnclteh.ma",
            "PUBLIC_URL": "https://dashboard.cnclteh.ma/", **extra}


def links_in(message) -> list[str]:
    text = message.get_body(preferencelist=("plain",)).get_content()
    return re.findall(r"https?://\S+", text)


def token_of(link: str) -> str:
    return parse_qs(urlsplit(link).query)["token"][0]


# --- the schema ------------------------------------------------------------------------------


def test_the_migration_matches_the_model(db_url):
    engine = create_engine(db_url)
    try:
        with engine.connect() as conn:
            diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    finally:
        engine.dispose()
    assert [d for d in diff if "password_link" in repr(d)] == []


# --- the links -------------------------------------------------------------------------------


def reset(session, key: str = "committee", by: str = "admin") -> accounts.IssuedLink:
    target = session.scalar(select(User).where(User.email == email_of(key)))
    return accounts.reset_password(session, actor_of(session, by), target.id, target.version)


def test_a_link_works_once_and_ends_every_session(session):
    link = reset(session)
    user = session.get(User, link.user_id)
    epoch = user.session_epoch
    accounts.set_password_with_link(session, link.token, NEW, NEW, "198.51.100.4")
    assert accounts.verify_password(user.password_hash, NEW)
    assert user.session_epoch == epoch + 1
    with pytest.raises(InvalidInput, match="does not work any more"):
        accounts.set_password_with_link(session, link.token, "another phrase again", "another phrase again")
    assert session.scalar(select(func.count()).select_from(PasswordLink)) == 0
    record = session.scalar(select(AuditEvent).where(AuditEvent.action == "user.password_set"))
    assert (record.actor_id, record.address, record.after) == (user.id, "198.51.100.4", {"purpose": "reset"})


def test_a_new_link_voids_the_older_ones(session):
    first = reset(session)
    second = reset(session)
    assert accounts.link_account(session, first.token) is None
    assert accounts.link_account(session, second.token).id == second.user_id
    with pytest.raises(InvalidInput):
        accounts.set_password_with_link(session, first.token, NEW, NEW)


def test_links_expire(session, monkeypatch):
    created = accounts.create_user(session, actor_of(session, "admin"), "late@test.cnclteh.ma", "Late Comer",
                                   "committee")
    reset_link = reset(session)
    assert created.link.hours == 72 and reset_link.hours == 24
    now = audit.utcnow()
    monkeypatch.setattr(audit, "utcnow", lambda: now + dt.timedelta(hours=25))
    assert accounts.link_account(session, reset_link.token) is None
    assert accounts.link_account(session, created.link.token) is not None
    monkeypatch.setattr(audit, "utcnow", lambda: now + dt.timedelta(hours=73))
    with pytest.raises(InvalidInput):
        accounts.set_password_with_link(session, created.link.token, NEW, NEW)


def test_a_link_of_a_deactivated_account_does_not_work(session):
    link = reset(session)
    target = session.get(User, link.user_id)
    accounts.set_active(session, actor_of(session, "admin"), target.id, target.version, False)
    assert accounts.link_account(session, link.token) is None


@pytest.mark.parametrize("token", [None, 3, True, [], {"t": 1}, "", "x", "x" * 5000, "a\x00" * 20])
def test_any_token_value_is_refused_cleanly(session, token):
    reset(session)
    assert accounts.link_account(session, token) is None
    with pytest.raises(InvalidInput):
        accounts.set_password_with_link(session, token, NEW, NEW)


def test_the_new_password_follows_the_rules_and_is_typed_twice(session):
    link = reset(session)
    for password, again, words in ((NEW, NEW + "!", "differ"), ("password1234", "password1234", "common"),
                                   (email_of("committee"), email_of("committee"), "e-mail address")):
        with pytest.raises(InvalidInput, match=words):
            accounts.set_password_with_link(session, link.token, password, again)
    assert accounts.link_account(session, link.token) is not None  # still usable


# --- e-mail -----------------------------------------------------------------------------------


def test_the_link_is_e_mailed_and_works(make_app, writable_url, smtp):
    inbox, port = smtp
    app = make_app(DATABASE_URL=writable_url, **mail_settings(port))
    with app.test_request_context("/?lang=fr"):
        with app.extensions["db_sessionmaker"]() as session:
            link = reset(session, "focal_mj")
            session.commit()
        delivery = mail.deliver_password_link(mail.PasswordLinkMail(
            email=link.email, name=link.name, token=link.token, purpose=link.purpose, hours=link.hours))
    assert delivery.outcome == "sent"
    [message] = inbox.messages
    assert message["To"] == email_of("focal_mj") and message["From"] == "no-reply@cnclteh.ma"
    assert inbox.envelopes[0].rcpt_tos == [email_of("focal_mj")]
    links = links_in(message)
    # One block per language (the same text until translated is given once), the user's first.
    assert links and all(link_.startswith("https://dashboard.cnclteh.ma/set-password?token=") for link_ in links)
    assert parse_qs(urlsplit(links[0]).query)["lang"] == ["fr"]
    assert {token_of(link_) for link_ in links} == {link.token}
    html = message.get_body(preferencelist=("html",)).get_content()
    assert 'dir="ltr"' in html and link.token in html
    # The link opens the page and sets the password.
    owner = DashClient(app.test_client())
    path = urlsplit(links[0])
    content = owner.page(path.path, "?" + path.query).get_json()["response"]["_pages_content"]["children"]
    assert DashClient.find(content, "set-password-new") is not None
    outputs = set_password(owner, token_of(links[0]), NEW)
    assert outputs["set-password-redirect"]["href"] == "/my"


def test_a_mail_server_that_refuses_is_reported_without_the_link(make_app, writable_url, smtp, caplog):
    _inbox, port = smtp
    app = make_app(DATABASE_URL=writable_url, **mail_settings(port, SMTP_PASSWORD="wrong"))
    item = mail.PasswordLinkMail(email="x@test.cnclteh.ma", name="X", token="secret-token-value-123456",
                                 purpose="reset", hours=24)
    with app.test_request_context("/"):
        assert mail.deliver_password_link(item).outcome == "failed"
    closed = make_app(DATABASE_URL=writable_url, **mail_settings(free_port()))
    with closed.test_request_context("/"):
        assert mail.deliver_password_link(item).outcome == "failed"
    assert "secret-token-value-123456" not in caplog.text


def test_without_a_mail_server_the_link_goes_to_the_log(app, caplog):
    caplog.set_level("INFO", logger="dashboard.mail")
    item = mail.PasswordLinkMail(email="x@test.cnclteh.ma", name="X", token="tok-" + "a" * 30, purpose="create",
                                 hours=72)
    with app.test_request_context("/", base_url="http://127.0.0.1:8050"):
        assert mail.deliver_password_link(item).outcome == "logged"
    assert "http://127.0.0.1:8050/set-password?token=tok-" + "a" * 30 in caplog.text


def test_the_admin_page_e_mails_the_link_of_a_new_account(make_app, writable_url, smtp, login):
    inbox, port = smtp
    app = make_app(DATABASE_URL=writable_url, **mail_settings(port))
    admin = DashClient.in_language(app, "en")
    login(admin.client, "secretariat")
    response = admin.call("user-create-message.children", inputs={"user-create.n_clicks": 1},
                          state={"user-new-email.value": "amina.focal@justice.gov.ma", "user-new-name.value": "Amina",
                                 "user-new-role.value": "focal_point", "user-new-entity.value": "MJ"})
    result = response.get_json()["response"]
    sent = DashClient.text_of(DashClient.find(result["user-create-message"]["children"], "user-link-sent")["children"])
    assert "e-mailed to amina.focal@justice.gov.ma" in sent and "72 hours" in sent
    [message] = inbox.messages
    token = token_of(links_in(message)[0])
    assert token not in response.get_data(as_text=True)
    owner = DashClient.in_language(app, "en")
    assert set_password(owner, token, "amina's own pass phrase")["set-password-redirect"]["href"] == "/my"


# --- the page --------------------------------------------------------------------------------


def set_password(dash: DashClient, token, password: str, again: str | None = None) -> dict:
    response = dash.call("set-password-redirect.href", inputs={"set-password-submit.n_clicks": 1},
                         state={"set-password-token.data": token, "set-password-new.value": password,
                                "set-password-confirm.value": password if again is None else again})
    assert response.status_code == 200, response.get_data(as_text=True)[:300]
    return response.get_json()["response"]


def issue(app, key: str = "committee") -> str:
    with app.extensions["db_sessionmaker"]() as session:
        link = reset(session, key)
        session.commit()
        return link.token


def test_the_set_password_page(writable_app):
    token = issue(writable_app)
    dash = DashClient.in_language(writable_app, "en")
    content = dash.page("/set-password", f"?token={token}").get_json()["response"]["_pages_content"]["children"]
    assert email_of("committee") in DashClient.text_of(DashClient.find(content, "set-password-account"))
    assert DashClient.find(content, "set-password-new")["autocomplete"] == "new-password"
    assert DashClient.find(content, "set-password-email")["value"] == email_of("committee")
    refused = set_password(dash, token, "aaaaaaaaaaaa")
    assert "Repeated characters" in DashClient.text_of(refused["set-password-message"]["children"])
    assert "set-password-redirect" not in refused
    outputs = set_password(dash, token, NEW)
    assert outputs["set-password-redirect"]["href"] == "/"  # the committee's start page, logged in
    assert DashClient.find(dash.client.get("/_dash-layout").get_json(), "user-name") is not None
    # The link is spent: the page says so.
    spent = dash.page("/set-password", f"?token={token}").get_json()["response"]["_pages_content"]["children"]
    assert DashClient.find(spent, "set-password-invalid") is not None
    assert DashClient.find(spent, "set-password-new") is None


def test_the_set_password_page_is_right_to_left_in_arabic(writable_app):
    token = issue(writable_app)
    page = writable_app.test_client().get(f"/set-password?token={token}&lang=ar").get_data(as_text=True)
    assert '<html lang="ar" dir="rtl">' in page


# --- pruning at log-in -------------------------------------------------------------------------


def test_old_attempts_and_expired_links_are_pruned_at_log_in_now_and_then(session, monkeypatch):
    old = audit.utcnow() - dt.timedelta(days=31)
    session.add(LoginAttempt(email="old@x.ma", address="192.0.2.9", attempted_at=old, succeeded=False))
    link = reset(session)
    session.execute(PasswordLink.__table__.update().values(expires_at=old))
    monkeypatch.setattr(accounts, "_last_prune", 0.0)
    assert accounts.authenticate(session, email_of("admin"), PASSWORD, "192.0.2.1").ok
    assert session.scalar(select(func.count()).where(LoginAttempt.email == "old@x.ma")) == 0
    assert session.scalar(select(func.count()).select_from(PasswordLink)) == 0
    assert accounts.link_account(session, link.token) is None
    # Not at every log-in: once per interval in a process.
    session.add(LoginAttempt(email="old@x.ma", address="192.0.2.9", attempted_at=old, succeeded=False))
    assert accounts.authenticate(session, email_of("admin"), PASSWORD, "192.0.2.1").ok
    assert session.scalar(select(func.count()).where(LoginAttempt.email == "old@x.ma")) == 1
    assert accounts.prune_login_attempts(session) == 1  # the command line's call
