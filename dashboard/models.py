"""Typed SQLAlchemy 2.0 models of the plan, its measures, indicators and reference data.

Every name a user reads is stored three times (``name_ar``, ``name_fr``, ``name_en``) so
that sorting and searching stay in SQL. ``Translated.name(lang)`` picks one.
"""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    Numeric,
    String,
    Table,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import (
    DeclarativeBase,
    Mapped,
    declared_attr,
    mapped_column,
    relationship,
)

# Account roles. "public" is the anonymous visitor: no account has it.
ROLES = ("public", "focal_point", "committee", "secretariat", "admin")
ACCOUNT_ROLES = ROLES[1:]
# A submission (a measure update or an indicator value) moves submitted -> approved, or
# submitted -> returned -> submitted again.
SUBMISSION_STATES = ("submitted", "returned", "approved")

# Vocabularies. Stored as plain strings so the official plan can add values without a
# schema migration; the data-file validator enforces them.
MEASURE_STATUSES = ("not_started", "in_progress", "completed", "delayed", "suspended", "cancelled")
PRIORITIES = ("high", "medium", "low")
FUNDING_SOURCES = ("state_budget", "partner", "mixed", "to_be_determined")
INDICATOR_TYPES = ("output", "outcome", "impact")
DIRECTIONS = ("increase", "decrease")
FREQUENCIES = ("annual", "semiannual", "quarterly")
UNITS = ("number", "percent", "days", "MAD")
ENTITY_KINDS = (
    "head_of_government",
    "ministry",
    "judicial",
    "security",
    "national_institution",
    "commission",
    "civil_society",
    "international",
)
DISAGGREGATIONS: dict[str, tuple[str, ...]] = {
    "sex": ("male", "female"),
    "age_group": ("adult", "child"),
    "nationality": ("moroccan", "foreign"),
    "exploitation_form": (
        "sexual",
        "forced_labour",
        "begging",
        "slavery_like",
        "forced_criminality",
        "other",
    ),
    "region": tuple(f"MA-{n:02d}" for n in range(1, 13)),
}


class Base(DeclarativeBase):
    pass


class Translated:
    """Mixin for rows with a name in the three languages."""

    name_ar: Mapped[str] = mapped_column(Text)
    name_fr: Mapped[str] = mapped_column(Text)
    name_en: Mapped[str] = mapped_column(Text)

    def name(self, lang: str) -> str:
        return getattr(self, f"name_{lang}") or self.name_en


class Plan(Translated, Base):
    __tablename__ = "plan"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    kind: Mapped[str] = mapped_column(String(20))  # strategic | implementation
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("plan.id"))
    start_year: Mapped[int]
    end_year: Mapped[int]
    description_ar: Mapped[str] = mapped_column(Text, default="")
    description_fr: Mapped[str] = mapped_column(Text, default="")
    description_en: Mapped[str] = mapped_column(Text, default="")
    is_demo: Mapped[bool] = mapped_column(Boolean, default=False)

    axes: Mapped[list[StrategicAxis]] = relationship(
        back_populates="plan", order_by="StrategicAxis.position"
    )

    def description(self, lang: str) -> str:
        return getattr(self, f"description_{lang}")


class Entity(Translated, Base):
    """A ministry, judicial or security body, institution, association or partner."""

    __tablename__ = "entity"

    id: Mapped[int] = mapped_column(primary_key=True)
    acronym: Mapped[str] = mapped_column(String(40), unique=True)
    kind: Mapped[str] = mapped_column(String(30))
    is_member: Mapped[bool] = mapped_column(Boolean, default=False)
    source: Mapped[str] = mapped_column(Text, default="")


class Region(Translated, Base):
    __tablename__ = "region"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(10), unique=True)  # ISO 3166-2:MA


class StrategicAxis(Translated, Base):
    __tablename__ = "strategic_axis"

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plan.id"))
    code: Mapped[str] = mapped_column(String(20), unique=True)
    position: Mapped[int] = mapped_column(default=0)
    description_ar: Mapped[str] = mapped_column(Text, default="")
    description_fr: Mapped[str] = mapped_column(Text, default="")
    description_en: Mapped[str] = mapped_column(Text, default="")
    is_demo: Mapped[bool] = mapped_column(Boolean, default=False)

    plan: Mapped[Plan] = relationship(back_populates="axes")
    objectives: Mapped[list[Objective]] = relationship(
        back_populates="axis", order_by="Objective.position"
    )

    def description(self, lang: str) -> str:
        return getattr(self, f"description_{lang}")


class Objective(Translated, Base):
    __tablename__ = "objective"

    id: Mapped[int] = mapped_column(primary_key=True)
    axis_id: Mapped[int] = mapped_column(ForeignKey("strategic_axis.id"), index=True)
    code: Mapped[str] = mapped_column(String(20), unique=True)
    position: Mapped[int] = mapped_column(default=0)
    is_demo: Mapped[bool] = mapped_column(Boolean, default=False)

    axis: Mapped[StrategicAxis] = relationship(back_populates="objectives")
    measures: Mapped[list[Measure]] = relationship(
        back_populates="objective", order_by="Measure.position"
    )


measure_partner = Table(
    "measure_partner",
    Base.metadata,
    Column("measure_id", ForeignKey("measure.id", ondelete="CASCADE"), primary_key=True),
    Column("entity_id", ForeignKey("entity.id"), primary_key=True),
)


class Measure(Translated, Base):
    __tablename__ = "measure"

    id: Mapped[int] = mapped_column(primary_key=True)
    objective_id: Mapped[int] = mapped_column(ForeignKey("objective.id"), index=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plan.id"))  # the implementation plan
    code: Mapped[str] = mapped_column(String(30), unique=True)
    position: Mapped[int] = mapped_column(default=0)
    lead_entity_id: Mapped[int] = mapped_column(ForeignKey("entity.id"), index=True)
    planned_start: Mapped[dt.date] = mapped_column(Date)
    planned_end: Mapped[dt.date] = mapped_column(Date)
    budget_mad: Mapped[Decimal | None] = mapped_column(Numeric(14, 2))
    funding_source: Mapped[str] = mapped_column(String(30), default="to_be_determined")
    weight: Mapped[float] = mapped_column(Float, default=1.0)
    priority: Mapped[str] = mapped_column(String(10), default="medium")
    status: Mapped[str] = mapped_column(String(20), default="not_started", index=True)
    progress: Mapped[int] = mapped_column(Integer, default=0)
    last_updated: Mapped[dt.date] = mapped_column(Date)
    is_demo: Mapped[bool] = mapped_column(Boolean, default=False)
    # Optimistic locking: a write based on a stale version is refused.
    version: Mapped[int] = mapped_column(Integer, default=1, nullable=False)

    objective: Mapped[Objective] = relationship(back_populates="measures")
    lead_entity: Mapped[Entity] = relationship(foreign_keys=[lead_entity_id])
    partners: Mapped[list[Entity]] = relationship(
        secondary=measure_partner, order_by="Entity.acronym"
    )
    years: Mapped[list[MeasureYear]] = relationship(
        cascade="all, delete-orphan", order_by="MeasureYear.year"
    )
    history: Mapped[list[MeasureProgressEvent]] = relationship(
        cascade="all, delete-orphan",
        order_by="MeasureProgressEvent.recorded_on",
        back_populates="measure",
    )

    __mapper_args__ = {"version_id_col": version}


class MeasureYear(Base):
    """A year of the implementation plan that a measure falls in."""

    __tablename__ = "measure_year"

    measure_id: Mapped[int] = mapped_column(
        ForeignKey("measure.id", ondelete="CASCADE"), primary_key=True
    )
    year: Mapped[int] = mapped_column(primary_key=True, index=True)


class MeasureProgressEvent(Base):
    """One dated report of a measure's status and progress: the status history.

    Reports loaded from data files have no ``update_id`` (one per measure and date);
    an approved update adds one that points at it.
    """

    __tablename__ = "measure_progress_event"
    __table_args__ = (Index("ix_progress_event_measure_date", "measure_id", "recorded_on"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    measure_id: Mapped[int] = mapped_column(
        ForeignKey("measure.id", ondelete="CASCADE"), index=True
    )
    recorded_on: Mapped[dt.date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(20))
    progress: Mapped[int] = mapped_column(Integer)
    note: Mapped[str] = mapped_column(Text, default="")
    is_demo: Mapped[bool] = mapped_column(Boolean, default=False)
    update_id: Mapped[int | None] = mapped_column(ForeignKey("measure_update.id"))

    measure: Mapped[Measure] = relationship(back_populates="history")


class Indicator(Translated, Base):
    __tablename__ = "indicator"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(30), unique=True)
    position: Mapped[int] = mapped_column(default=0)
    measure_id: Mapped[int | None] = mapped_column(ForeignKey("measure.id"), index=True)
    objective_id: Mapped[int | None] = mapped_column(ForeignKey("objective.id"), index=True)
    unit: Mapped[str] = mapped_column(String(20), default="number")
    type: Mapped[str] = mapped_column(String(20), default="output")
    direction: Mapped[str] = mapped_column(String(10), default="increase")
    baseline_value: Mapped[float | None] = mapped_column(Float)
    baseline_year: Mapped[int | None] = mapped_column(Integer)
    frequency: Mapped[str] = mapped_column(String(20), default="annual")
    source_ar: Mapped[str] = mapped_column(Text, default="")
    source_fr: Mapped[str] = mapped_column(Text, default="")
    source_en: Mapped[str] = mapped_column(Text, default="")
    responsible_entity_id: Mapped[int | None] = mapped_column(ForeignKey("entity.id"))
    disaggregations: Mapped[list[str]] = mapped_column(JSON, default=list)
    is_public: Mapped[bool] = mapped_column(Boolean, default=True)
    # Counts of victims: public pages suppress small cells of their breakdowns.
    is_sensitive: Mapped[bool] = mapped_column(Boolean, default=False)
    is_demo: Mapped[bool] = mapped_column(Boolean, default=False)
    # The latest total and the latest report date, kept by rollups.refresh_indicator_latest
    # whenever values change, so list pages read one row per indicator.
    latest_period: Mapped[str | None] = mapped_column(String(10))
    latest_year: Mapped[int | None] = mapped_column(Integer)
    latest_value: Mapped[float | None] = mapped_column(Float)
    latest_is_demo: Mapped[bool | None] = mapped_column(Boolean)
    last_reported_on: Mapped[dt.date | None] = mapped_column(Date)

    measure: Mapped[Measure | None] = relationship()
    objective: Mapped[Objective | None] = relationship()
    responsible_entity: Mapped[Entity | None] = relationship()
    targets: Mapped[list[IndicatorTarget]] = relationship(
        cascade="all, delete-orphan", order_by="IndicatorTarget.year"
    )

    def source(self, lang: str) -> str:
        return getattr(self, f"source_{lang}")


class IndicatorTarget(Base):
    __tablename__ = "indicator_target"

    indicator_id: Mapped[int] = mapped_column(
        ForeignKey("indicator.id", ondelete="CASCADE"), primary_key=True
    )
    year: Mapped[int] = mapped_column(primary_key=True)
    value: Mapped[float] = mapped_column(Float)


class IndicatorValue(Base):
    """An observed value for a period, for the total or for one disaggregation cell.

    ``breakdown`` is empty for the total, otherwise ``"sex=female"`` or
    ``"age_group=child;sex=female"`` (keys sorted). It makes each cell unique without
    relying on NULLs, which unique constraints ignore.
    """

    __tablename__ = "indicator_value"
    __table_args__ = (
        UniqueConstraint("indicator_id", "period", "breakdown", name="uq_indicator_value_cell"),
        # Totals (breakdown "") of one indicator by year: trend charts and the refresh.
        Index("ix_indicator_value_lookup", "breakdown", "indicator_id", "year", "period"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    indicator_id: Mapped[int] = mapped_column(
        ForeignKey("indicator.id", ondelete="CASCADE"), index=True
    )
    period: Mapped[str] = mapped_column(String(10))  # "2024", "2024-S1", "2024-Q3"
    year: Mapped[int] = mapped_column(Integer, index=True)
    value: Mapped[float] = mapped_column(Float)
    breakdown: Mapped[str] = mapped_column(String(200), default="")
    sex: Mapped[str | None] = mapped_column(String(10))
    age_group: Mapped[str | None] = mapped_column(String(10))
    nationality: Mapped[str | None] = mapped_column(String(10))
    exploitation_form: Mapped[str | None] = mapped_column(String(30))
    region_code: Mapped[str | None] = mapped_column(String(10))
    # Where the figure comes from, in each language (a CSV gives one text for all three).
    source_ar: Mapped[str] = mapped_column(Text, default="")
    source_fr: Mapped[str] = mapped_column(Text, default="")
    source_en: Mapped[str] = mapped_column(Text, default="")
    is_demo: Mapped[bool] = mapped_column(Boolean, default=False)
    # When the value was reported; freshness of an indicator is the latest of these.
    reported_on: Mapped[dt.date | None] = mapped_column(Date)


DISAGGREGATION_COLUMNS = {
    "sex": "sex",
    "age_group": "age_group",
    "nationality": "nationality",
    "exploitation_form": "exploitation_form",
    "region": "region_code",
}


def breakdown_key(cells: dict[str, str]) -> str:
    """The canonical text key of a disaggregation cell; empty for the total."""
    return ";".join(f"{k}={cells[k]}" for k in sorted(cells))


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

    measure: Mapped[Measure] = relationship()
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

    indicator: Mapped[Indicator] = relationship()
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


# --- the national system around the plan: statistics, regions, activities, funding ------
# Published figures are real data with their sources; anything seeded for demonstration
# carries ``is_demo`` and the pages say so.

def _link_table(name: str, owner: str, other: str, cascade: bool = False) -> Table:
    """A many-to-many table: deleting the owner deletes its links (and the other, with ``cascade``)."""
    return Table(
        name,
        Base.metadata,
        Column(f"{owner}_id", ForeignKey(f"{owner}.id", ondelete="CASCADE"), primary_key=True),
        Column(f"{other}_id", ForeignKey(f"{other}.id", ondelete="CASCADE" if cascade else None), primary_key=True),
    )


STATISTIC_SERIES = (
    "victims_identified",
    "cases_registered",
    "cases_prosecuted",
    "persons_prosecuted",
    "persons_convicted",
    "acquitted",
    "investigations",
    "suspects",
    "complaints",
)
STATISTIC_UNITS = ("count", "percent")
# Breakdowns a statistic may carry: the indicator disaggregations, plus where the victim was
# exploited and whether a case crossed borders.
STATISTIC_BREAKDOWNS: dict[str, tuple[str, ...]] = {
    **{key: cells for key, cells in DISAGGREGATIONS.items() if key != "exploitation_form"},
    "exploitation_form": DISAGGREGATIONS["exploitation_form"][:-1],
    "place": ("morocco", "abroad"),
    "scope": ("domestic", "transnational"),
}
STATISTIC_COLUMNS = {**DISAGGREGATION_COLUMNS, "place": "place", "scope": "scope"}
# Bodies whose focal points enter yearly figures (entity acronyms).
STATISTICS_PRODUCERS = ("PMP", "CSPJ", "DGSN", "GR", "CNCLTEH")
ROLLOUT_STAGES = ("not_started", "preparing", "pilot", "operational")
# Bodies whose focal points report a region's rollout stage.
ROLLOUT_REPORTERS = ("CNCLTEH", "MJ")
ACTIVITY_KINDS = (
    "training",
    "awareness_campaign",
    "workshop",
    "roundtable",
    "study_visit",
    "international_meeting",
)
ORGANISATION_SERVICES = ("shelter", "legal_aid", "psychosocial", "health", "reintegration")
ORGANISATION_KINDS = ("association", "public_service")
# Where a partner's programme runs: its amount is the whole programme's, so totals stay per scope.
PROGRAMME_SCOPES = ("morocco", "regional", "global")
# A regional coordination committee, a referral cell (at a court or a hospital), a support unit.
REGIONAL_BODY_KINDS = ("committee", "cell", "unit")
CURRENCIES = ("MAD", "EUR", "USD", "CHF")


class StatisticSource(Base):
    """A published document (or a validated entry) that figures come from."""

    __tablename__ = "statistic_source"
    __table_args__ = (UniqueConstraint("entity_id", "document", name="uq_statistic_source"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    # The publisher: series of different publishers are never added or joined.
    entity_id: Mapped[int] = mapped_column(ForeignKey("entity.id"), index=True)
    document: Mapped[str] = mapped_column(Text)
    citation: Mapped[str] = mapped_column(Text, default="")
    url: Mapped[str] = mapped_column(Text, default="")

    entity: Mapped[Entity] = relationship()


class Statistic(Base):
    """One published figure: a series, a publisher, a year or period, and one breakdown cell.

    ``breakdown`` is the canonical key of ``breakdown_key`` ("" for the total), so each cell is
    unique without relying on NULLs. A share (``unit == "percent"``) is kept as published,
    never turned into a count.
    """

    __tablename__ = "statistic"
    __table_args__ = (
        UniqueConstraint("entity_id", "series", "period", "breakdown", "unit", name="uq_statistic_cell"),
        Index("ix_statistic_series", "series", "entity_id", "year_start"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    series: Mapped[str] = mapped_column(String(30))
    entity_id: Mapped[int] = mapped_column(ForeignKey("entity.id"), index=True)
    source_id: Mapped[int] = mapped_column(ForeignKey("statistic_source.id"), index=True)
    period: Mapped[str] = mapped_column(String(10))  # "2024" or "2017-2019"
    year_start: Mapped[int] = mapped_column(Integer)
    year_end: Mapped[int] = mapped_column(Integer)
    unit: Mapped[str] = mapped_column(String(10), default="count")
    value: Mapped[float] = mapped_column(Float)
    breakdown: Mapped[str] = mapped_column(String(200), default="")
    sex: Mapped[str | None] = mapped_column(String(10))
    age_group: Mapped[str | None] = mapped_column(String(10))
    nationality: Mapped[str | None] = mapped_column(String(10))
    exploitation_form: Mapped[str | None] = mapped_column(String(30))
    region_code: Mapped[str | None] = mapped_column(String(10))
    place: Mapped[str | None] = mapped_column(String(10))
    scope: Mapped[str | None] = mapped_column(String(15))
    note: Mapped[str] = mapped_column(Text, default="")
    is_demo: Mapped[bool] = mapped_column(Boolean, default=False)
    # Set when a validated entry created or last changed the figure.
    submission_id: Mapped[int | None] = mapped_column(ForeignKey("statistic_submission.id"))
    version: Mapped[int] = mapped_column(Integer, default=1, nullable=False)

    entity: Mapped[Entity] = relationship()
    source: Mapped[StatisticSource] = relationship()

    __mapper_args__ = {"version_id_col": version}


class StatisticSubmission(ReviewMixin, Base):
    """A yearly figure entered by a producing body's focal point, under review."""

    __tablename__ = "statistic_submission"
    __table_args__ = (
        Index("uq_statistic_submission_pending", "entity_id", "series", "year", "breakdown",
              unique=True, sqlite_where=PENDING, postgresql_where=PENDING),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    entity_id: Mapped[int] = mapped_column(ForeignKey("entity.id"), index=True)
    submitted_by_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    reviewed_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    series: Mapped[str] = mapped_column(String(30))
    year: Mapped[int] = mapped_column(Integer)
    breakdown: Mapped[str] = mapped_column(String(200), default="")
    value: Mapped[float] = mapped_column(Float)
    previous_value: Mapped[float | None] = mapped_column(Float)
    document: Mapped[str] = mapped_column(Text, default="")  # where the figure is published
    note: Mapped[str] = mapped_column(Text, default="")

    entity: Mapped[Entity] = relationship()
    submitted_by: Mapped[User] = relationship(foreign_keys=[submitted_by_id])
    reviewed_by: Mapped[User | None] = relationship(foreign_keys=[reviewed_by_id])


class RegionRollout(Base):
    """Where a region stands in the territorial rollout of the national referral mechanism."""

    __tablename__ = "region_rollout"

    id: Mapped[int] = mapped_column(primary_key=True)
    region_id: Mapped[int] = mapped_column(ForeignKey("region.id"), unique=True)
    stage: Mapped[str] = mapped_column(String(20), default="not_started")
    stage_since: Mapped[dt.date | None] = mapped_column(Date)
    is_demo: Mapped[bool] = mapped_column(Boolean, default=True)
    version: Mapped[int] = mapped_column(Integer, default=1, nullable=False)

    region: Mapped[Region] = relationship()
    events: Mapped[list[RolloutEvent]] = relationship(
        cascade="all, delete-orphan", order_by="RolloutEvent.started_on"
    )

    __mapper_args__ = {"version_id_col": version}


class RolloutEvent(Base):
    """A dated stage of a region's rollout: its history."""

    __tablename__ = "rollout_event"
    __table_args__ = (UniqueConstraint("rollout_id", "stage", "started_on", name="uq_rollout_event"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    rollout_id: Mapped[int] = mapped_column(ForeignKey("region_rollout.id", ondelete="CASCADE"), index=True)
    stage: Mapped[str] = mapped_column(String(20))
    started_on: Mapped[dt.date] = mapped_column(Date)
    note_ar: Mapped[str] = mapped_column(Text, default="")
    note_fr: Mapped[str] = mapped_column(Text, default="")
    note_en: Mapped[str] = mapped_column(Text, default="")
    source: Mapped[str] = mapped_column(Text, default="")
    is_demo: Mapped[bool] = mapped_column(Boolean, default=True)
    update_id: Mapped[int | None] = mapped_column(ForeignKey("rollout_update.id"))

    def note(self, lang: str) -> str:
        texts = [getattr(self, f"note_{code}") for code in (lang, "ar", "fr", "en")]
        return next((text for text in texts if text), "")


class RolloutUpdate(ReviewMixin, Base):
    """A proposed new rollout stage for a region, under review."""

    __tablename__ = "rollout_update"
    __table_args__ = (
        Index("uq_rollout_update_pending", "region_id", unique=True,
              sqlite_where=PENDING, postgresql_where=PENDING),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    region_id: Mapped[int] = mapped_column(ForeignKey("region.id"), index=True)
    submitted_by_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    reviewed_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    stage: Mapped[str] = mapped_column(String(20))
    started_on: Mapped[dt.date] = mapped_column(Date)
    note: Mapped[str] = mapped_column(Text, default="")
    # The rollout as the focal point saw it (see MeasureUpdate.base_version).
    base_version: Mapped[int] = mapped_column(Integer)
    previous_stage: Mapped[str] = mapped_column(String(20))

    region: Mapped[Region] = relationship()
    submitted_by: Mapped[User] = relationship(foreign_keys=[submitted_by_id])
    reviewed_by: Mapped[User | None] = relationship(foreign_keys=[reviewed_by_id])


class RegionalBody(Translated, Base):
    """A regional coordination body of the referral mechanism (committee, cell, unit)."""

    __tablename__ = "regional_body"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    region_id: Mapped[int] = mapped_column(ForeignKey("region.id"), index=True)
    kind: Mapped[str] = mapped_column(String(30))
    established_on: Mapped[dt.date | None] = mapped_column(Date)
    source: Mapped[str] = mapped_column(Text, default="")
    is_demo: Mapped[bool] = mapped_column(Boolean, default=True)

    region: Mapped[Region] = relationship()


activity_organiser = _link_table("activity_organiser", "activity", "entity", cascade=False)
activity_partner = _link_table("activity_partner", "activity", "entity", cascade=False)
activity_measure = _link_table("activity_measure", "activity", "measure", cascade=True)


class Activity(Base):
    """A training, campaign, workshop, roundtable, study visit or international meeting."""

    __tablename__ = "activity"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    kind: Mapped[str] = mapped_column(String(30), index=True)
    title_ar: Mapped[str] = mapped_column(Text)
    title_fr: Mapped[str] = mapped_column(Text)
    title_en: Mapped[str] = mapped_column(Text)
    summary_ar: Mapped[str] = mapped_column(Text, default="")
    summary_fr: Mapped[str] = mapped_column(Text, default="")
    summary_en: Mapped[str] = mapped_column(Text, default="")
    start_date: Mapped[dt.date | None] = mapped_column(Date, index=True)
    end_date: Mapped[dt.date | None] = mapped_column(Date)
    # Some sources give only the month or the year: the dates are then its first and last day.
    date_precision: Mapped[str] = mapped_column(String(10), default="day")  # day | month | year
    place_ar: Mapped[str] = mapped_column(Text, default="")
    place_fr: Mapped[str] = mapped_column(Text, default="")
    place_en: Mapped[str] = mapped_column(Text, default="")
    region_code: Mapped[str | None] = mapped_column(String(10), index=True)  # in Morocco
    country: Mapped[str] = mapped_column(String(2), default="MA")  # ISO 3166-1 alpha-2
    participants_male: Mapped[int | None] = mapped_column(Integer)
    participants_female: Mapped[int | None] = mapped_column(Integer)
    participants_total: Mapped[int | None] = mapped_column(Integer)
    # {"judges": 12, "police": 8}: only what the source states.
    participants_by_profession: Mapped[dict] = mapped_column(JSON, default=dict)
    # [{"title": "...", "url": "..."}]
    documents: Mapped[list] = mapped_column(JSON, default=list)
    source: Mapped[str] = mapped_column(Text, default="")
    is_demo: Mapped[bool] = mapped_column(Boolean, default=False)

    organisers: Mapped[list[Entity]] = relationship(secondary=activity_organiser, order_by="Entity.acronym")
    partners: Mapped[list[Entity]] = relationship(secondary=activity_partner, order_by="Entity.acronym")
    measures: Mapped[list[Measure]] = relationship(secondary=activity_measure, order_by="Measure.code")

    def title(self, lang: str) -> str:
        return getattr(self, f"title_{lang}") or self.title_en

    def summary(self, lang: str) -> str:
        return getattr(self, f"summary_{lang}") or self.summary_en

    def place(self, lang: str) -> str:
        return getattr(self, f"place_{lang}") or self.place_en


programme_partner = _link_table("programme_partner", "programme", "entity", cascade=False)
programme_measure = _link_table("programme_measure", "programme", "measure", cascade=True)


class Programme(Translated, Base):
    """A partner's programme and its funding, as published. Unpublished amounts stay NULL."""

    __tablename__ = "programme"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    acronym: Mapped[str] = mapped_column(String(40), default="")
    start_year: Mapped[int | None] = mapped_column(Integer)
    end_year: Mapped[int | None] = mapped_column(Integer)
    currency: Mapped[str | None] = mapped_column(String(3))
    amount_committed: Mapped[Decimal | None] = mapped_column(Numeric(16, 2))
    amount_disbursed: Mapped[Decimal | None] = mapped_column(Numeric(16, 2))
    # What the amount covers, e.g. a global programme of which Morocco is one country.
    scope: Mapped[str] = mapped_column(String(20), default="morocco")  # morocco | regional | global
    summary_ar: Mapped[str] = mapped_column(Text, default="")
    summary_fr: Mapped[str] = mapped_column(Text, default="")
    summary_en: Mapped[str] = mapped_column(Text, default="")
    source: Mapped[str] = mapped_column(Text, default="")
    # The links to the illustrative plan's measures are illustrative too.
    measures_are_demo: Mapped[bool] = mapped_column(Boolean, default=True)

    partners: Mapped[list[Entity]] = relationship(secondary=programme_partner, order_by="Entity.acronym")
    measures: Mapped[list[Measure]] = relationship(secondary=programme_measure, order_by="Measure.code")

    def summary(self, lang: str) -> str:
        return getattr(self, f"summary_{lang}") or self.summary_en


class ExchangeRate(Base):
    """The stated rate at which an amount is shown in dirhams."""

    __tablename__ = "exchange_rate"

    currency: Mapped[str] = mapped_column(String(3), primary_key=True)
    mad_per_unit: Mapped[Decimal] = mapped_column(Numeric(12, 4))
    as_of: Mapped[dt.date] = mapped_column(Date)
    source: Mapped[str] = mapped_column(Text, default="")


class Organisation(Base):
    """An association or public service that serves victims: the national map of associations.

    Contact details are for logged-in users only (``organisations.directory`` enforces it).
    """

    __tablename__ = "organisation"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(60), unique=True)
    name_ar: Mapped[str] = mapped_column(Text, default="")
    name_fr: Mapped[str] = mapped_column(Text, default="")
    name_en: Mapped[str] = mapped_column(Text, default="")
    kind: Mapped[str] = mapped_column(String(20), default="association")  # association | public_service
    region_code: Mapped[str] = mapped_column(String(10), index=True)
    city_ar: Mapped[str] = mapped_column(Text, default="")
    city_fr: Mapped[str] = mapped_column(Text, default="")
    city_en: Mapped[str] = mapped_column(Text, default="")
    services: Mapped[list[str]] = mapped_column(JSON, default=list)
    entity_id: Mapped[int | None] = mapped_column(ForeignKey("entity.id"))
    phone: Mapped[str] = mapped_column(String(40), default="")
    email: Mapped[str] = mapped_column(String(254), default="")
    address: Mapped[str] = mapped_column(Text, default="")
    website: Mapped[str] = mapped_column(Text, default="")
    source: Mapped[str] = mapped_column(Text, default="")
    is_demo: Mapped[bool] = mapped_column(Boolean, default=True)

    entity: Mapped[Entity | None] = relationship()

    def name(self, lang: str) -> str:
        return getattr(self, f"name_{lang}") or self.name_fr or self.name_en

    def city(self, lang: str) -> str:
        return getattr(self, f"city_{lang}") or self.city_fr or self.city_en
