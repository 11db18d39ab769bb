"""The national system around the plan: statistics, regions' rollout, activities, funding,
organisations.
"""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    Float,
    ForeignKey,
    Index,
    Integer,
    Numeric,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import (
    Mapped,
    mapped_column,
    relationship,
)

from dashboard.models.base import Base, Sourced, Translated, link_table
from dashboard.models.plan import Entity, Measure, Region
from dashboard.models.workflow import PENDING, ReviewMixin, User

# --- the national system around the plan: statistics, regions, activities, funding ------
# Published figures are real data with their sources; anything seeded for demonstration
# carries ``is_demo`` and the pages say so.




class StatisticSource(Base):
    """A published document (or a validated entry) that figures come from."""

    __tablename__ = "statistic_source"
    __table_args__ = (UniqueConstraint("entity_id", "document", name="uq_statistic_source"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    # The publisher: series of different publishers are never added or joined.
    entity_id: Mapped[int] = mapped_column(ForeignKey("entity.id"), index=True)
    document: Mapped[str] = mapped_column(Text)  # the title in English: the source's key
    document_ar: Mapped[str] = mapped_column(Text, default="")
    document_fr: Mapped[str] = mapped_column(Text, default="")
    document_en: Mapped[str] = mapped_column(Text, default="")
    # The short form shown under a chart, composed per language by ``dashboard.citations``.
    citation_ar: Mapped[str] = mapped_column(Text, default="")
    citation_fr: Mapped[str] = mapped_column(Text, default="")
    citation_en: Mapped[str] = mapped_column(Text, default="")
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
    note_ar: Mapped[str] = mapped_column(Text, default="")
    note_fr: Mapped[str] = mapped_column(Text, default="")
    note_en: Mapped[str] = mapped_column(Text, default="")
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
    # The reporting file it came from, when it was sent as one row of a workbook.
    batch_id: Mapped[int | None] = mapped_column(ForeignKey("import_batch.id"), index=True)

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


class RolloutEvent(Sourced, Base):
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


class RegionalBody(Sourced, Translated, Base):
    """A regional coordination body of the referral mechanism (committee, cell, unit)."""

    __tablename__ = "regional_body"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    region_id: Mapped[int] = mapped_column(ForeignKey("region.id"), index=True)
    kind: Mapped[str] = mapped_column(String(30))
    established_on: Mapped[dt.date | None] = mapped_column(Date)
    is_demo: Mapped[bool] = mapped_column(Boolean, default=True)

    region: Mapped[Region] = relationship()


activity_organiser = link_table("activity_organiser", "activity", "entity", cascade=False)
activity_partner = link_table("activity_partner", "activity", "entity", cascade=False)
activity_measure = link_table("activity_measure", "activity", "measure", cascade=True)


class Activity(Sourced, Base):
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


programme_partner = link_table("programme_partner", "programme", "entity", cascade=False)
programme_measure = link_table("programme_measure", "programme", "measure", cascade=True)


class Programme(Sourced, Translated, Base):
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
    # The links to the illustrative plan's measures are illustrative too.
    measures_are_demo: Mapped[bool] = mapped_column(Boolean, default=True)

    partners: Mapped[list[Entity]] = relationship(secondary=programme_partner, order_by="Entity.acronym")
    measures: Mapped[list[Measure]] = relationship(secondary=programme_measure, order_by="Measure.code")

    def summary(self, lang: str) -> str:
        return getattr(self, f"summary_{lang}") or self.summary_en


class ExchangeRate(Sourced, Base):
    """The stated rate at which an amount is shown in dirhams."""

    __tablename__ = "exchange_rate"

    currency: Mapped[str] = mapped_column(String(3), primary_key=True)
    mad_per_unit: Mapped[Decimal] = mapped_column(Numeric(12, 4))
    as_of: Mapped[dt.date] = mapped_column(Date)


class Organisation(Sourced, Base):
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
    is_demo: Mapped[bool] = mapped_column(Boolean, default=True)

    entity: Mapped[Entity | None] = relationship()

    def name(self, lang: str) -> str:
        return getattr(self, f"name_{lang}") or self.name_fr or self.name_en

    def city(self, lang: str) -> str:
        return getattr(self, f"city_{lang}") or self.city_fr or self.city_en
