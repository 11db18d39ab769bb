"""Accounts, submissions and the audit trail.
"""
from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import (
    Mapped,
    declared_attr,
    mapped_column,
    relationship,
)

from dashboard.models.base import Base
from dashboard.models.plan import Entity, Indicator, Measure

# --- accounts, submissions and the audit trail --------------------------------------------
# Times are stored as naive UTC (the same on SQLite and PostgreSQL) and shown in Morocco's
# time zone.


class User(Base):
    __tablename__ = "user_account"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)  # stored lower-case
    name: Mapped[str] = mapped_column(Text, default="")
    password_hash: Mapped[str] = mapped_column(Text)
    role: Mapped[str] = mapped_column(String(20))
    entity_id: Mapped[int | None] = mapped_column(ForeignKey("entity.id"), index=True)
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)
    is_demo: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime)
    last_login_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    # Part of the session cookie: bumping it (password reset, deactivation, role change)
    # ends every open session of the account.
    session_epoch: Mapped[int] = mapped_column(Integer, default=1)
    version: Mapped[int] = mapped_column(Integer, default=1, nullable=False)
    # The weekly digest e-mail is on unless the user turns it off (reminders and notices stay).
    digest_opt_out: Mapped[bool] = mapped_column(Boolean, default=False, server_default=text("false"))
    # The language the person last logged in with: their e-mails are written in it.
    lang: Mapped[str | None] = mapped_column(String(2))

    entity: Mapped[Entity | None] = relationship()

    __mapper_args__ = {"version_id_col": version}


class LoginAttempt(Base):
    """Recent log-in attempts, for rate limiting (the audit trail keeps the record)."""

    __tablename__ = "login_attempt"
    __table_args__ = (
        Index("ix_login_attempt_email", "email", "attempted_at"),
        Index("ix_login_attempt_address", "address", "attempted_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254))
    address: Mapped[str] = mapped_column(String(64), default="")
    attempted_at: Mapped[dt.datetime] = mapped_column(DateTime)
    succeeded: Mapped[bool] = mapped_column(Boolean, default=False)


class PasswordLink(Base):
    """A single-use link to set an account's password (creation or reset).

    Only the SHA-256 of the token is kept: the token itself goes into the e-mail (or the
    development log) and nowhere else. A new link replaces the account's older ones.
    """

    __tablename__ = "password_link"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    purpose: Mapped[str] = mapped_column(String(10))  # "create" or "reset"
    created_at: Mapped[dt.datetime] = mapped_column(DateTime)
    expires_at: Mapped[dt.datetime] = mapped_column(DateTime, index=True)
    created_by_id: Mapped[int | None] = mapped_column(Integer)  # None: the command line

    user: Mapped[User] = relationship()


class ImportBatch(Base):
    """A reporting file (workbook or CSV) a focal point sent: each of its valid rows became a
    submission pointing here, all written in one transaction. The file is kept once, under
    the upload folder like evidence, and is each row's evidence."""

    __tablename__ = "import_batch"

    id: Mapped[int] = mapped_column(primary_key=True)
    entity_id: Mapped[int | None] = mapped_column(ForeignKey("entity.id"), index=True)
    submitted_by_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime)
    filename: Mapped[str] = mapped_column(Text, default="")
    stored_name: Mapped[str] = mapped_column(String(80), default="")
    content_type: Mapped[str] = mapped_column(String(120), default="")
    size: Mapped[int] = mapped_column(Integer, default=0)
    sha256: Mapped[str] = mapped_column(String(64), default="")
    lang: Mapped[str] = mapped_column(String(2), default="fr")
    measure_rows: Mapped[int] = mapped_column(Integer, default=0)
    indicator_rows: Mapped[int] = mapped_column(Integer, default=0)
    statistic_rows: Mapped[int] = mapped_column(Integer, default=0, server_default=text("0"))

    entity: Mapped[Entity | None] = relationship()
    submitted_by: Mapped[User] = relationship()


class SubmissionComment(Base):
    """A remark on a measure update or an indicator value, read by its entity and the
    secretariat (audited like every write)."""

    __tablename__ = "submission_comment"

    id: Mapped[int] = mapped_column(primary_key=True)
    measure_update_id: Mapped[int | None] = mapped_column(
        ForeignKey("measure_update.id", ondelete="CASCADE"), index=True
    )
    indicator_submission_id: Mapped[int | None] = mapped_column(
        ForeignKey("indicator_submission.id", ondelete="CASCADE"), index=True
    )
    author_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime)
    body: Mapped[str] = mapped_column(Text)

    author: Mapped[User] = relationship()


class NotificationSent(Base):
    """An e-mail the notifier sent: one row per person, kind, item and date, so running it
    twice never sends the same reminder twice."""

    __tablename__ = "notification_sent"
    __table_args__ = (UniqueConstraint("user_id", "kind", "item", "due_on", name="uq_notification_sent"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(30))  # reminder, overdue, digest, returned, approved...
    item: Mapped[str] = mapped_column(String(80), default="")  # e.g. "measure:A1.O1.M1", "week:2026-W49"
    due_on: Mapped[dt.date] = mapped_column(Date)
    sent_at: Mapped[dt.datetime] = mapped_column(DateTime)
    address: Mapped[str] = mapped_column(String(254), default="")


class ReviewMixin:
    """What a measure update and an indicator submission share: who sent it, who reviewed it."""

    state: Mapped[str] = mapped_column(String(12), default="submitted", index=True)
    submitted_at: Mapped[dt.datetime] = mapped_column(DateTime)
    reviewed_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    return_reason: Mapped[str] = mapped_column(Text, default="")
    version: Mapped[int] = mapped_column(Integer, default=1, nullable=False)

    @declared_attr.directive
    def __mapper_args__(cls):
        return {"version_id_col": cls.__table__.c.version}


PENDING = text("state = 'submitted'")


class MeasureUpdate(ReviewMixin, Base):
    """A focal point's report on a measure, waiting for, or past, the secretariat's review."""

    __tablename__ = "measure_update"
    # At most one update of a measure waits for review: two focal points cannot race.
    __table_args__ = (
        Index("uq_measure_update_pending", "measure_id", unique=True,
              sqlite_where=PENDING, postgresql_where=PENDING),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    measure_id: Mapped[int] = mapped_column(ForeignKey("measure.id", ondelete="CASCADE"), index=True)
    submitted_by_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    reviewed_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    status: Mapped[str] = mapped_column(String(20))
    progress: Mapped[int] = mapped_column(Integer)
    narrative_ar: Mapped[str] = mapped_column(Text, default="")
    narrative_fr: Mapped[str] = mapped_column(Text, default="")
    narrative_en: Mapped[str] = mapped_column(Text, default="")
    period_start: Mapped[dt.date] = mapped_column(Date)
    period_end: Mapped[dt.date] = mapped_column(Date)
    # The measure as the focal point saw it: its version, status and progress. Approval
    # requires the measure to be unchanged since, so nothing is overwritten unseen.
    base_version: Mapped[int] = mapped_column(Integer)
    previous_status: Mapped[str] = mapped_column(String(20))
    previous_progress: Mapped[int] = mapped_column(Integer)
    # The reporting file it came from, when it was sent as one row of a workbook.
    batch_id: Mapped[int | None] = mapped_column(ForeignKey("import_batch.id"), index=True)

    measure: Mapped[Measure] = relationship()
    batch: Mapped[ImportBatch | None] = relationship()
    submitted_by: Mapped[User] = relationship(foreign_keys=[submitted_by_id])
    reviewed_by: Mapped[User | None] = relationship(foreign_keys=[reviewed_by_id])
    evidence: Mapped[list[Evidence]] = relationship(
        back_populates="measure_update", order_by="Evidence.id"
    )

    def narrative(self, lang: str) -> str:
        """The narrative in ``lang``, else in the first language it was written in."""
        texts = [getattr(self, f"narrative_{code}") for code in (lang, "ar", "fr", "en")]
        return next((text for text in texts if text), "")


class IndicatorSubmission(ReviewMixin, Base):
    """A value of an indicator for a period (total or one disaggregation cell), under review."""

    __tablename__ = "indicator_submission"
    __table_args__ = (
        Index("uq_indicator_submission_pending", "indicator_id", "period", "breakdown", unique=True,
              sqlite_where=PENDING, postgresql_where=PENDING),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    indicator_id: Mapped[int] = mapped_column(ForeignKey("indicator.id", ondelete="CASCADE"), index=True)
    submitted_by_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    reviewed_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    period: Mapped[str] = mapped_column(String(10))
    year: Mapped[int] = mapped_column(Integer)
    breakdown: Mapped[str] = mapped_column(String(200), default="")
    value: Mapped[float] = mapped_column(Float)
    # The published value it replaces, when there is one (for the reviewer's diff).
    previous_value: Mapped[float | None] = mapped_column(Float)
    note: Mapped[str] = mapped_column(Text, default="")
    # The reporting file it came from, when it was sent as one row of a workbook.
    batch_id: Mapped[int | None] = mapped_column(ForeignKey("import_batch.id"), index=True)

    indicator: Mapped[Indicator] = relationship()
    batch: Mapped[ImportBatch | None] = relationship()
    submitted_by: Mapped[User] = relationship(foreign_keys=[submitted_by_id])
    reviewed_by: Mapped[User | None] = relationship(foreign_keys=[reviewed_by_id])
    evidence: Mapped[list[Evidence]] = relationship(
        back_populates="indicator_submission", order_by="Evidence.id"
    )


class Evidence(Base):
    """A link or an uploaded file supporting a submission.

    Files live under the upload folder (outside the web root) as ``stored_name``, a random
    name; ``filename`` is only what the user called it, for display.
    """

    __tablename__ = "evidence"

    id: Mapped[int] = mapped_column(primary_key=True)
    measure_update_id: Mapped[int | None] = mapped_column(
        ForeignKey("measure_update.id", ondelete="CASCADE"), index=True
    )
    indicator_submission_id: Mapped[int | None] = mapped_column(
        ForeignKey("indicator_submission.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = mapped_column(String(10))  # file | link
    url: Mapped[str] = mapped_column(Text, default="")
    filename: Mapped[str] = mapped_column(Text, default="")
    stored_name: Mapped[str] = mapped_column(String(80), default="")
    content_type: Mapped[str] = mapped_column(String(120), default="")
    size: Mapped[int] = mapped_column(Integer, default=0)
    sha256: Mapped[str] = mapped_column(String(64), default="")
    uploaded_by_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    uploaded_at: Mapped[dt.datetime] = mapped_column(DateTime)

    measure_update: Mapped[MeasureUpdate | None] = relationship(back_populates="evidence")
    indicator_submission: Mapped[IndicatorSubmission | None] = relationship(back_populates="evidence")


class AuditEvent(Base):
    """One mutation: who did what to which object, with the values before and after.

    Append-only: the migration adds triggers that refuse UPDATE and DELETE.
    """

    __tablename__ = "audit_event"

    id: Mapped[int] = mapped_column(primary_key=True)
    occurred_at: Mapped[dt.datetime] = mapped_column(DateTime, index=True)
    actor_id: Mapped[int | None] = mapped_column(Integer, index=True)
    actor_email: Mapped[str] = mapped_column(String(254), default="")
    actor_role: Mapped[str] = mapped_column(String(20), default="public")
    action: Mapped[str] = mapped_column(String(40), index=True)
    object_type: Mapped[str] = mapped_column(String(40))
    object_id: Mapped[str] = mapped_column(String(80), default="")
    before: Mapped[dict | None] = mapped_column(JSON)
    after: Mapped[dict | None] = mapped_column(JSON)
    address: Mapped[str] = mapped_column(String(64), default="")


class ApiToken(Base):
    """A personal token for the read-only API: only the SHA-256 of the secret is kept, so a
    copy of the database gives no working token. Revoked tokens stay for the audit trail."""

    __tablename__ = "api_token"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(80), default="")
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime)
    expires_at: Mapped[dt.datetime] = mapped_column(DateTime)
    revoked_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
