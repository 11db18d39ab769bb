"""The plan and its reference data: bodies, regions, axes, objectives, measures, indicators
and their values.
"""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    Date,
    Float,
    ForeignKey,
    Index,
    Integer,
    Numeric,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import (
    Mapped,
    mapped_column,
    relationship,
)

from dashboard.models.base import Base, Sourced, Translated


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


class Entity(Sourced, Translated, Base):
    """A ministry, judicial or security body, institution, association or partner."""

    __tablename__ = "entity"

    id: Mapped[int] = mapped_column(primary_key=True)
    acronym: Mapped[str] = mapped_column(String(40), unique=True)
    kind: Mapped[str] = mapped_column(String(30))
    is_member: Mapped[bool] = mapped_column(Boolean, default=False)


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
