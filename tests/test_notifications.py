"""``python -m dashboard notify``: reminders, overdue notices, weekly digests and review notices
e-mailed through a real SMTP server started here (aiosmtpd on 127.0.0.1), once each.

On 2026-11-22 (tests/fixtures/plan_small.yaml) MJ's A1.O1.M2 is overdue since 2026-05-02,
PMP's IND-01 (2025 value) since 2026-03-01, and PMP's A2.O2.M1 falls due on 2026-12-30,
38 days later.
"""
from __future__ import annotations

import email
import email.policy
import os
import socket

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import func, select, update

from dashboard.cli import main
from dashboard.config import Config, ConfigError, validate
from dashboard.db import make_engine, session_scope
from dashboard.i18n import using_language
from dashboard.models import Measure, NotificationSent, User
from dashboard.workflow import accounts, submissions
from helpers import AS_OF, AS_OF_DATE, PASSWORD, SERVER_URL_ENV, actor_of, email_of

BASE = "https://dashboard.example.invalid"


class Inbox:
    def __init__(self):
        self.messages: list[email.message.EmailMessage] = []

    async def handle_DATA(self, _server, _session, envelope):
        self.messages.append(email.message_from_bytes(envelope.content, policy=email.policy.default))
        return "250 Message accepted"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def smtp():
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    try:
        yield inbox, controller.port
    finally:
        controller.stop()


@pytest.fixture
def env(monkeypatch, writable_url, smtp):
    """The command's settings: the test's database and SMTP server, French by default."""
    for name in list(os.environ):
        if name.startswith("DASHBOARD_") and name != SERVER_URL_ENV:
            monkeypatch.delenv(name)
    _inbox, port = smtp
    for name, value in {"DATABASE_URL": writable_url, "SMTP_HOST": "127.0.0.1", "SMTP_PORT": str(port),
                        "SMTP_STARTTLS": "0", "MAIL_FROM": "no-reply@example.invalid", "PUBLIC_URL": BASE,
                        "DEFAULT_LANG": "fr", "AS_OF": AS_OF}.items():
        monkeypatch.setenv(f"DASHBOARD_{name}", value)
    return monkeypatch


def by(inbox: Inbox) -> dict[tuple[str, str], email.message.EmailMessage]:
    """The messages by (recipient, first word of the kind in the subject)."""
    return {(str(m["To"]), m["Subject"]): m for m in inbox.messages}


def sent_rows(url: str) -> int:
    engine = make_engine(url)
    try:
        with session_scope(engine) as session:
            return session.scalar(select(func.count()).select_from(NotificationSent))
    finally:
        engine.dispose()


def test_notify_sends_each_message_once(env, smtp, writable_url, capsys):
    inbox, _port = smtp
    assert main(["notify"]) == 0
    out = capsys.readouterr().out
    assert "sent:" in out and "overdue 2" in out and "digest 3" in out and "reminder 0" in out
    recipients = sorted(str(m["To"]) for m in inbox.messages)
    assert recipients == sorted([email_of("focal_mj"), email_of("focal_mj"), email_of("focal_pmp"),
                                 email_of("focal_pmp"), email_of("secretariat")])
    # No e-mail to the committee or the admin: they report nothing and review nothing.
    assert email_of("committee") not in recipients and email_of("admin") not in recipients
    for message in inbox.messages:
        assert message["Content-Language"] == "fr"
        assert message["Auto-Submitted"] == "auto-generated"
    overdue = [m for m in inbox.messages if (str(m["To"]) == email_of("focal_mj") and "overdue" in m["Subject"])
               or (str(m["To"]) == email_of("focal_mj") and "retard" in m["Subject"])]
    assert len(overdue) == 1
    body = overdue[0].get_content()
    assert f"{BASE}/measures/A1.O1.M2" in body
    assert "2 mai 2026" in body  # the due date, in French
    pmp = "\n".join(m.get_content() for m in inbox.messages if str(m["To"]) == email_of("focal_pmp"))
    assert f"{BASE}/indicators/IND-01" in pmp and f"{BASE}/my" in pmp
    secretariat = next(m for m in inbox.messages if str(m["To"]) == email_of("secretariat")).get_content()
    assert f"{BASE}/review" in secretariat
    rows = sent_rows(writable_url)
    assert rows == 2 + 3  # one overdue item each, three weekly digests

    # The second run the same day sends nothing new and records nothing more.
    assert main(["notify"]) == 0
    assert "overdue 0" in capsys.readouterr().out
    assert len(inbox.messages) == 5 and sent_rows(writable_url) == rows


def test_the_reminder_days_setting_takes_effect(env, smtp, writable_url, capsys):
    """A2.O2.M1 falls due 38 days after 2026-11-22: reminded with 40 days, not with 7."""
    inbox, _port = smtp
    assert main(["notify"]) == 0
    assert "reminder 0" in capsys.readouterr().out
    assert not any(f"{BASE}/measures/A2.O2.M1" in m.get_content() for m in inbox.messages
                   if str(m["To"]) == email_of("focal_pmp") and m["Subject"] != "CNCLTEH dashboard: your week")
    env.setenv("DASHBOARD_REMINDER_DAYS", "40")
    assert main(["notify"]) == 0
    assert "reminder 1" in capsys.readouterr().out
    reminder = inbox.messages[-1]
    assert str(reminder["To"]) == email_of("focal_pmp")
    assert f"{BASE}/measures/A2.O2.M1" in reminder.get_content()
    assert "30 déc. 2026" in reminder.get_content()


@pytest.mark.parametrize("value", ["0", "91", "soon"])
def test_the_reminder_days_setting_is_checked(value):
    with pytest.raises(ConfigError):
        validate(vars(Config({"DASHBOARD_REMINDER_DAYS": value})))


def test_a_returned_and_an_approved_submission_are_announced(env, smtp, writable_url, tmp_path, capsys):
    inbox, _port = smtp
    engine = make_engine(writable_url)
    try:
        with session_scope(engine) as session, using_language("en"):
            measure = session.scalar(select(Measure).where(Measure.code == "A1.O1.M2"))
            form = submissions.UpdateForm(status="in_progress", progress=60, narrative={"fr": "Fait."},
                                          period_start="2026-07-01", period_end="2026-09-30",
                                          links="https://justice.example.invalid/guide")
            item = submissions.submit_measure_update(session, actor_of(session, "focal_mj"), "A1.O1.M2",
                                                     measure.version, form, tmp_path, AS_OF_DATE)
            session.flush()
            submissions.return_measure_update(session, actor_of(session, "secretariat"), item.id, item.version,
                                              "Il manque le procès-verbal.")
    finally:
        engine.dispose()
    assert main(["notify"]) == 0
    assert "returned 1" in capsys.readouterr().out
    notice = [m for m in inbox.messages if "procès-verbal" in m.get_content()]
    assert len(notice) == 1 and str(notice[0]["To"]) == email_of("focal_mj")
    assert f"{BASE}/measures/A1.O1.M2" in notice[0].get_content()
    assert main(["notify"]) == 0
    assert "returned 0" in capsys.readouterr().out


def test_opted_out_and_inactive_accounts(env, smtp, writable_url, capsys):
    inbox, _port = smtp
    engine = make_engine(writable_url)
    try:
        with session_scope(engine) as session:
            session.execute(update(User).where(User.email == email_of("focal_pmp")).values(digest_opt_out=True))
            session.execute(update(User).where(User.email == email_of("focal_mj")).values(is_active=False))
    finally:
        engine.dispose()
    assert main(["notify"]) == 0
    assert "digest 1" in capsys.readouterr().out  # the secretariat's
    recipients = [str(m["To"]) for m in inbox.messages]
    assert email_of("focal_mj") not in recipients
    assert recipients.count(email_of("focal_pmp")) == 1  # the overdue notice, no digest


def test_without_a_mail_server_nothing_is_sent_or_recorded(env, writable_url, capsys):
    env.delenv("DASHBOARD_SMTP_HOST")
    assert main(["notify"]) == 1
    assert "DASHBOARD_SMTP_HOST" in capsys.readouterr().err
    assert sent_rows(writable_url) == 0


def test_dry_run_records_nothing(env, smtp, writable_url, capsys):
    inbox, _port = smtp
    assert main(["notify", "--dry-run", "--today", "2026-11-22"]) == 0
    out = capsys.readouterr().out
    assert "would send overdue to " + email_of("focal_mj") in out
    assert inbox.messages == [] and sent_rows(writable_url) == 0


def test_each_person_gets_their_e_mails_in_the_language_they_last_logged_in_with(env, smtp, writable_url,
                                                                                 capsys):
    inbox, _port = smtp
    engine = make_engine(writable_url)
    with session_scope(engine) as session:
        session.execute(update(User).where(User.email == email_of("focal_mj")).values(lang="ar"))
    engine.dispose()
    assert main(["notify"]) == 0
    languages = {str(m["To"]): m["Content-Language"] for m in inbox.messages}
    assert languages[email_of("focal_mj")] == "ar" and languages[email_of("focal_pmp")] == "fr"
    arabic = [m for m in inbox.messages if str(m["To"]) == email_of("focal_mj")]
    assert all(any("\u0600" <= ch <= "\u06ff" for ch in m["Subject"]) for m in arabic)


def test_logging_in_records_the_language_of_the_page(session):
    with using_language("ar"):
        result = accounts.authenticate(session, email_of("focal_pmp"), PASSWORD, "127.0.0.1")
    assert result.user.lang == "ar"
