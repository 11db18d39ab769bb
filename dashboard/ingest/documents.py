"""The shape of every data file as a pydantic model: one per file kind (``schemas.KINDS``).

The models give ``json_schema`` (``python -m dashboard schema KIND``) for an editor to check the
YAML written by hand, and are the last gate before the loader (``validation.checked``). Value
rules that need another file (an entity acronym, a plan's years) stay in each module's rules.
"""
from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from pydantic import Field, RootModel, StringConstraints, model_validator

from dashboard.ingest.validation import Document
from dashboard.models import (
    ACTIVITY_KINDS,
    CURRENCIES,
    DIRECTIONS,
    DISAGGREGATIONS,
    ENTITY_KINDS,
    FREQUENCIES,
    FUNDING_SOURCES,
    INDICATOR_TYPES,
    MEASURE_STATUSES,
    ORGANISATION_KINDS,
    ORGANISATION_SERVICES,
    PRIORITIES,
    PROGRAMME_SCOPES,
    REGIONAL_BODY_KINDS,
    ROLLOUT_STAGES,
    STATISTIC_SERIES,
    STATISTIC_UNITS,
    UNITS,
)

Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
Code = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
Number = Annotated[float, Field(strict=True, allow_inf_nan=False)]
Amount = Annotated[float, Field(strict=True, allow_inf_nan=False, ge=0)]
Count = Annotated[int, Field(strict=True, ge=0)]
Year = Annotated[int, Field(strict=True, ge=1900, le=2100)]
Percent = Annotated[float, Field(strict=True, allow_inf_nan=False, ge=0, le=100)]
Url = Annotated[str, StringConstraints(pattern=r"^https?://")]
RegionCode = Literal[DISAGGREGATIONS["region"]]  # type: ignore[valid-type]


def _choice(values: tuple[str, ...]):
    return Literal[values]  # type: ignore[valid-type]


class Texts(Document):
    """A text in the three languages of the site."""

    ar: Text
    fr: Text
    en: Text


class OptionalTexts(Document):
    ar: str | None = None
    fr: str | None = None
    en: str | None = None


class ProperName(Document):
    """A name that stays the same in every language (an association's registered name, a
    site's address): marked as such, so that a text missing its translations is refused."""

    proper: Text


class SourceDoc(Document):
    """Where facts come from, as parts that ``dashboard.citations`` composes per language:
    ``publisher`` is an entity's acronym (its names come from ``entities.yaml``) or a proper
    name; ``via`` is the outlet that reported it or the page's address, never translated."""

    publisher: Code | None = None
    title: Texts
    date: dt.date | int | Annotated[str, StringConstraints(pattern=r"^\d{4}(-\d{2}(-\d{2})?)?$")] | None = None
    via: str | None = None


# One source, or several behind the same facts (each composed, then listed).
Sources = SourceDoc | Annotated[list[SourceDoc], Field(min_length=1)]


# --- reference lists -----------------------------------------------------------------------


class EntityRecord(Document):
    acronym: Code
    kind: _choice(ENTITY_KINDS)
    name: Texts
    member: bool | None = None
    source: Sources | None = None


class EntitiesFile(RootModel[list[EntityRecord]]):
    """``reference/entities.yaml``: the bodies the plan, the figures and the directory refer to."""


class RegionRecord(Document):
    code: RegionCode
    name: Texts


class RegionsFile(RootModel[list[RegionRecord]]):
    """``reference/regions.yaml``: the twelve regions (MA-01 to MA-12)."""


# --- the plan ------------------------------------------------------------------------------

Period = Annotated[str, StringConstraints(pattern=r"^\d{4}(-(S[12]|Q[1-4]))?$")]


class InlineValue(Document):
    period: Period | Year
    value: Amount
    sex: _choice(DISAGGREGATIONS["sex"]) | None = None
    age_group: _choice(DISAGGREGATIONS["age_group"]) | None = None
    nationality: _choice(DISAGGREGATIONS["nationality"]) | None = None
    exploitation_form: _choice(DISAGGREGATIONS["exploitation_form"]) | None = None
    region: RegionCode | None = None
    reported_on: dt.date | None = None
    source: OptionalTexts | str | None = None


class Baseline(Document):
    value: Number
    year: Year | None = None


class IndicatorDoc(Document):
    code: Code
    name: Texts
    source: Texts
    unit: _choice(UNITS)
    type: _choice(INDICATOR_TYPES)
    direction: _choice(DIRECTIONS)
    frequency: _choice(FREQUENCIES) = "annual"
    responsible: Code | None = None
    baseline: Baseline | None = None
    targets: dict[int, Number] | None = None
    disaggregations: list[_choice(tuple(DISAGGREGATIONS))] | None = None
    public: bool = True
    sensitive: bool = False
    values: list[InlineValue] | None = None


class HistoryEntry(Document):
    date: dt.date
    status: _choice(MEASURE_STATUSES)
    progress: Percent


class MeasureDoc(Document):
    code: Code
    name: Texts
    lead: Code
    partners: list[Code] | None = None
    years: list[Year] = Field(min_length=1)
    start: dt.date
    end: dt.date
    budget_mad: Amount | None = None
    funding: _choice(FUNDING_SOURCES) = "to_be_determined"
    weight: Amount = 1
    priority: _choice(PRIORITIES) = "medium"
    status: _choice(MEASURE_STATUSES)
    progress: Percent = 0
    last_updated: dt.date
    history: list[HistoryEntry] | None = None
    indicators: list[IndicatorDoc] | None = None


class ObjectiveDoc(Document):
    code: Code
    name: Texts
    indicators: list[IndicatorDoc] | None = None
    measures: list[MeasureDoc] | None = None


class AxisDoc(Document):
    code: Code
    name: Texts
    description: OptionalTexts | None = None
    objectives: list[ObjectiveDoc] = Field(min_length=1)


class PlanDoc(Document):
    code: Code
    kind: Literal["strategic", "implementation"]
    name: Texts
    description: OptionalTexts | None = None
    parent: Code | None = None
    start_year: Year
    end_year: Year


class PlanFile(Document):
    """``plan/plan.yaml`` (or any plan given to ``load-data --plan``): plans, axes, objectives,
    measures and indicators, with optional inline values."""

    kind: Literal["plan"] | None = None
    demo: bool = False
    plans: list[PlanDoc] = Field(min_length=1)
    axes: list[AxisDoc] = Field(min_length=1)


class IndicatorValueRow(Document):
    """One row of ``demo/indicator_values.csv`` (its columns: ``plan_file.VALUE_COLUMNS``), as read."""

    indicator: Code
    period: Period
    value: Amount
    sex: _choice(DISAGGREGATIONS["sex"]) | None = None
    age_group: _choice(DISAGGREGATIONS["age_group"]) | None = None
    nationality: _choice(DISAGGREGATIONS["nationality"]) | None = None
    exploitation_form: _choice(DISAGGREGATIONS["exploitation_form"]) | None = None
    region: RegionCode | None = None
    reported_on: dt.date | None = None
    source: str | None = None


# --- the national system -------------------------------------------------------------------


class StatisticSourceDoc(SourceDoc):
    """A document figures come from, declared once under ``sources``: its publisher is the
    entity whose figures they are (an acronym), its title is in the three languages."""

    publisher: Code
    url: Url | None = None


class StatisticRecord(Document):
    """One published figure: a ``year`` or a ``period`` ("2017-2019"), never both; ``source``
    is the key of its document under ``sources``."""

    year: Year | None = None
    period: Annotated[str, StringConstraints(pattern=r"^\d{4}-\d{4}$")] | None = None
    series: _choice(STATISTIC_SERIES)
    value: Amount
    unit: _choice(STATISTIC_UNITS)
    breakdown: dict[str, str] | None = None
    source: Code
    note: Texts | None = None

    @model_validator(mode="after")
    def _year_or_period(self):
        if (self.year is None) == (self.period is None):
            raise ValueError("give either 'year' or 'period', not both or neither")
        return self


class StatisticsFile(Document):
    """``reference/published_statistics.yaml`` and ``demo/statistics.yaml``: the documents once,
    then the figures, each naming its document."""

    sources: dict[Code, StatisticSourceDoc] = Field(min_length=1)
    figures: list[StatisticRecord]


class Participants(Document):
    total: Count | None = None
    male: Count | None = None
    female: Count | None = None
    by_profession: dict[str, Count] | None = None


class ActivityDocument(Document):
    title: Texts | ProperName
    url: Url


ActivityDate = Annotated[dt.date, Field(strict=False)] | Year | Annotated[str, StringConstraints(
    pattern=r"^\d{4}(-\d{2})?$")]


class ActivityRecord(Document):
    code: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=40)]
    kind: _choice(ACTIVITY_KINDS)
    title: Texts
    summary: OptionalTexts | None = None
    place: OptionalTexts | None = None
    start: ActivityDate
    end: ActivityDate | None = None
    country: Annotated[str, StringConstraints(pattern=r"^[A-Z]{2}$")] = "MA"
    region: RegionCode | None = None
    organisers: list[Code] | None = None
    partners: list[Code] | None = None
    measures: list[str] | None = None
    participants: Participants | None = None
    documents: list[ActivityDocument] | None = None
    source: Sources


class ActivitiesFile(RootModel[list[ActivityRecord]]):
    """``reference/activities.yaml``: the commission's activities, each with its source."""


class ProgrammeRecord(Document):
    code: Code
    acronym: ProperName | None = None
    name: Texts
    summary: Texts
    partners: list[Code] = Field(min_length=1)
    start_year: Year | None = None
    end_year: Year | None = None
    currency: _choice(CURRENCIES) | None = None
    amount_committed: Amount | None = None
    amount_disbursed: Amount | None = None
    scope: _choice(PROGRAMME_SCOPES)
    source: Sources


class ProgrammesFile(RootModel[list[ProgrammeRecord]]):
    """``reference/programmes.yaml``: partners' programmes with their published amounts."""


class MeasureLink(Document):
    programme: Code
    measures: list[str]


class ProgrammeMeasuresFile(RootModel[list[MeasureLink]]):
    """``demo/programme_measures.yaml``: illustrative links of programmes to the plan's measures."""


class ExchangeRateRecord(Document):
    currency: _choice(CURRENCIES[1:])
    mad_per_unit: Annotated[float, Field(strict=True, allow_inf_nan=False, gt=0)]
    as_of: dt.date
    source: Sources


class ExchangeRatesFile(RootModel[list[ExchangeRateRecord]]):
    """``reference/exchange_rates.yaml``: the stated rate of each currency in dirhams."""


class Contacts(Document):
    phone: str | None = None
    email: str | None = None
    address: str | None = None
    website: str | None = None


class OrganisationRecord(Document):
    code: Code
    name: Texts | ProperName
    city: OptionalTexts | None = None
    kind: _choice(ORGANISATION_KINDS)
    region: RegionCode
    services: list[_choice(ORGANISATION_SERVICES)] = Field(min_length=1)
    entity: Code | None = None
    contacts: Contacts | None = None
    source: Sources


class OrganisationsFile(RootModel[list[OrganisationRecord]]):
    """``reference/organisations.yaml`` and ``demo/organisations.yaml``: the civil-society directory."""


class RolloutEventDoc(Document):
    stage: _choice(ROLLOUT_STAGES)
    started_on: dt.date
    note: Texts
    source: Sources | None = None


class RolloutDoc(Document):
    region: RegionCode
    events: list[RolloutEventDoc] = Field(min_length=1)


class RegionalBodyDoc(Document):
    code: Code
    region: RegionCode
    kind: _choice(REGIONAL_BODY_KINDS)
    name: Texts
    established_on: dt.date | None = None
    source: Sources | None = None


class RolloutFile(Document):
    """``reference/rollout.yaml`` and ``demo/rollout.yaml``: each region's stages and bodies."""

    kind: Literal["rollout"] | None = None
    rollouts: list[RolloutDoc] | None = None
    bodies: list[RegionalBodyDoc] | None = None
