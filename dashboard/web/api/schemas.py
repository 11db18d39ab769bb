"""The API's responses as pydantic models: handlers serialize through them (fields not
declared here never leave) and ``openapi.py`` builds the document from them, so the two
cannot drift. Names come in the requested language."""
from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, ConfigDict, Field


class Schema(BaseModel):
    model_config = ConfigDict(extra="ignore", from_attributes=True)


class PageInfo(Schema):
    total: int = Field(description="Items matching the filters, over all pages")
    page: int = Field(ge=1)
    per_page: int = Field(ge=1)


class ErrorBody(Schema):
    code: str = Field(description="bad_parameter, unauthorized, not_found, method_not_allowed, "
                                  "rate_limited or server_error")
    message: str = Field(description="In the requested language")


class Error(Schema):
    model_config = ConfigDict(json_schema_extra={"examples": [
        {"error": {"code": "bad_parameter", "message": "The parameter page must be a whole number."}}]})
    error: ErrorBody


# --- the plan ---------------------------------------------------------------------------


class Axis(Schema):
    code: str
    name: str
    progress: float | None = Field(description="Weighted progress of its measures, 0-100")
    measures: int


class AxisPage(PageInfo):
    model_config = ConfigDict(json_schema_extra={"examples": [
        {"items": [{"code": "A1", "name": "Prevention", "progress": 42.5, "measures": 12}],
         "total": 1, "page": 1, "per_page": 50}]})
    items: list[Axis]


class Objective(Axis):
    axis: str


class ObjectivePage(PageInfo):
    model_config = ConfigDict(json_schema_extra={"examples": [
        {"items": [{"code": "O1.1", "name": "Awareness", "axis": "A1", "progress": None, "measures": 0}],
         "total": 1, "page": 1, "per_page": 50}]})
    items: list[Objective]


class Measure(Schema):
    code: str
    name: str
    axis: str
    axis_name: str
    objective: str
    objective_name: str
    lead: str = Field(description="Acronym of the lead body")
    lead_name: str
    status: str
    progress: int = Field(ge=0, le=100)
    priority: str
    planned_start: dt.date
    planned_end: dt.date
    last_updated: dt.date
    schedule: str | None = Field(description="Computed schedule status; null for a cancelled measure")
    stale: bool
    is_demo: bool


MEASURE_EXAMPLE = {
    "code": "M1.1.1", "name": "Train judges", "axis": "A1", "axis_name": "Prevention",
    "objective": "O1.1", "objective_name": "Awareness", "lead": "MJ", "lead_name": "Ministry of Justice",
    "status": "in_progress", "progress": 40, "priority": "high", "planned_start": "2025-01-01",
    "planned_end": "2026-12-31", "last_updated": "2026-10-01", "schedule": "on_track", "stale": False,
    "is_demo": False,
}


class MeasurePage(PageInfo):
    model_config = ConfigDict(json_schema_extra={"examples": [
        {"items": [MEASURE_EXAMPLE], "total": 1, "page": 1, "per_page": 50}]})
    items: list[Measure]


class HistoryEntry(Schema):
    recorded_on: dt.date
    status: str
    progress: int
    note: str
    is_demo: bool


class Named(Schema):
    acronym: str
    name: str


class MeasureDetail(Measure):
    model_config = ConfigDict(json_schema_extra={"examples": [
        {**MEASURE_EXAMPLE, "partners": [{"acronym": "PMP", "name": "Public Prosecution"}],
         "years": [2025, 2026],
         "history": [{"recorded_on": "2026-10-01", "status": "in_progress", "progress": 40, "note": "",
                      "is_demo": False}]}]})
    partners: list[Named]
    years: list[int]
    history: list[HistoryEntry] = Field(description="Approved reports of status and progress, newest first")


# --- indicators -------------------------------------------------------------------------


class Indicator(Schema):
    code: str
    name: str
    unit: str
    type: str
    direction: str
    frequency: str
    axis: str
    objective: str
    measure: str | None
    responsible: str | None
    restricted: bool = Field(description="Only for readers of restricted data")
    sensitive: bool = Field(description="A count of victims: small counts withheld for the public")
    baseline_value: float | None
    baseline_year: int | None
    latest_year: int | None
    latest_value: float | None = Field(description="Null when not reported or withheld")
    latest_withheld: bool = Field(description="A small count withheld (shown as under small_count_threshold)")
    small_count_threshold: int
    target: float | None
    achievement: float | None
    achievement_status: str
    reported_on: dt.date | None
    stale: bool
    is_demo: bool


INDICATOR_EXAMPLE = {
    "code": "IND-01", "name": "Victims identified", "unit": "count", "type": "outcome", "direction": "increase",
    "frequency": "annual", "axis": "A2", "objective": "O2.1", "measure": None, "responsible": "PMP",
    "restricted": False, "sensitive": True, "baseline_value": 100.0, "baseline_year": 2023,
    "latest_year": 2024, "latest_value": 140.0, "latest_withheld": False, "small_count_threshold": 5,
    "target": 150.0, "achievement": 0.8, "achievement_status": "on_track", "reported_on": "2025-03-01",
    "stale": False, "is_demo": False,
}


class IndicatorPage(PageInfo):
    model_config = ConfigDict(json_schema_extra={"examples": [
        {"items": [INDICATOR_EXAMPLE], "total": 1, "page": 1, "per_page": 50}]})
    items: list[Indicator]


class ValuePoint(Schema):
    period: str
    year: int
    value: float | None = Field(description="Null when withheld")
    status: str = Field(description="shown, small (under the threshold) or hidden (protects another figure)")
    source: str
    is_demo: bool


class BreakdownCell(Schema):
    dimension: str
    category: str
    value: float | None
    status: str


class YearBreakdown(Schema):
    year: int
    period: str | None
    total: float | None
    withheld: bool = Field(description="The breakdowns of this period may not be shown at all")
    cells: list[BreakdownCell]


class Target(Schema):
    year: int
    value: float


class IndicatorDetail(Indicator):
    model_config = ConfigDict(json_schema_extra={"examples": [
        {**INDICATOR_EXAMPLE, "exact": False, "targets": [{"year": 2026, "value": 150.0}],
         "values": [{"period": "2024", "year": 2024, "value": 140.0, "status": "shown", "source": "PMP",
                     "is_demo": False}],
         "breakdowns": [{"year": 2024, "period": "2024", "total": 140.0, "withheld": False, "cells": [
             {"dimension": "nationality", "category": "moroccan", "value": None, "status": "hidden"},
             {"dimension": "nationality", "category": "foreign", "value": None, "status": "small"}]}]}]})
    exact: bool = Field(description="The reader sees exact figures, small counts included")
    targets: list[Target]
    values: list[ValuePoint] = Field(description="Validated totals by period")
    breakdowns: list[YearBreakdown]


# --- national statistics ----------------------------------------------------------------


class Figure(Schema):
    publisher: str
    publisher_name: str
    series: str
    series_name: str
    period: str
    year_start: int
    year_end: int
    breakdown: str
    breakdown_name: str
    cells: dict[str, str]
    unit: str
    value: float | None = Field(description="Null when small (under the threshold) or hidden")
    status: str
    demonstration: bool
    document: str
    citation: str
    url: str | None
    note: str = Field("", description="What the figure counts, when its series' name does not say it all, "
                                      "in the answer's language")


class StatisticsPage(PageInfo):
    model_config = ConfigDict(json_schema_extra={"examples": [
        {"items": [{"publisher": "PMP", "publisher_name": "Public Prosecution", "series": "victims_identified",
                    "series_name": "Victims identified", "period": "2024", "year_start": 2024, "year_end": 2024,
                    "breakdown": "sex=female", "breakdown_name": "Female", "cells": {"sex": "female"},
                    "unit": "count", "value": None, "status": "small", "demonstration": False,
                    "document": "Eighth annual report (2024 data)",
                    "citation": "Presidency of the Public Prosecution, “Eighth annual report (2024 data)” "
                                "(lematin.ma)", "url": None, "note": ""}],
         "total": 1, "page": 1, "per_page": 50, "exact": False, "small_count_threshold": 5,
         "note": "Counts from 1 to 4 read \"<5\"."}]})
    items: list[Figure]
    exact: bool
    small_count_threshold: int
    note: str


# --- regions, activities, programmes, organisations ---------------------------------------


class Region(Schema):
    code: str
    name: str
    stage: str | None = Field(description="Rollout stage of the referral mechanism; null: nothing reported")
    stage_since: dt.date | None
    bodies: int
    organisations: int
    shelters: int
    services: dict[str, int]
    activities: int
    is_demo: bool


REGION_EXAMPLE = {"code": "MA-01", "name": "Tanger-Tétouan-Al Hoceïma", "stage": "operational",
                  "stage_since": "2025-06-01", "bodies": 2, "organisations": 3, "shelters": 1,
                  "services": {"shelter": 1}, "activities": 4, "is_demo": False}


class RegionPage(PageInfo):
    model_config = ConfigDict(json_schema_extra={"examples": [
        {"items": [REGION_EXAMPLE], "total": 1, "page": 1, "per_page": 50}]})
    items: list[Region]


class RolloutStep(Schema):
    stage: str
    started_on: dt.date
    note: str
    source: str
    is_demo: bool


class RegionalFigure(Schema):
    series: str
    publisher: str
    period: str
    unit: str
    value: float | None
    small: bool = Field(description="A small count withheld")
    cells: dict[str, str]
    source: str
    is_demo: bool


class RegionDetail(Schema):
    model_config = ConfigDict(json_schema_extra={"examples": [
        {"code": "MA-01", "name": "Tanger-Tétouan-Al Hoceïma", "stage": "operational",
         "stage_since": "2025-06-01",
         "history": [{"stage": "operational", "started_on": "2025-06-01", "note": "", "source": "MJ",
                      "is_demo": False}],
         "figures": [{"series": "victims_identified", "publisher": "PMP", "period": "2024", "unit": "count",
                      "value": None, "small": True, "cells": {}, "source": "PMP 2025", "is_demo": False}]}]})
    code: str
    name: str
    stage: str | None
    stage_since: dt.date | None
    history: list[RolloutStep]
    figures: list[RegionalFigure]


class Activity(Schema):
    code: str
    kind: str
    title: str
    summary: str
    start: dt.date | None
    end: dt.date | None
    precision: str = Field(description="day, month or year: how much of the dates is known")
    place: str
    country: str
    region: str | None
    organisers: list[Named]
    partners: list[Named]
    measures: list[str] = Field(description="Codes of the measures it serves")
    source: str
    is_demo: bool


class ActivityPage(PageInfo):
    model_config = ConfigDict(json_schema_extra={"examples": [
        {"items": [{"code": "ACT-2025-001", "kind": "training", "title": "Training of labour inspectors",
                    "summary": "", "start": "2025-03-10", "end": "2025-03-12", "precision": "day",
                    "place": "Rabat", "country": "MA", "region": "MA-04",
                    "organisers": [{"acronym": "MJ", "name": "Ministry of Justice"}], "partners": [],
                    "measures": ["M1.1.1"], "source": "", "is_demo": False}],
         "total": 1, "page": 1, "per_page": 50}]})
    items: list[Activity]


class Programme(Schema):
    code: str
    acronym: str
    name: str
    summary: str
    partners: list[Named]
    start_year: int | None
    end_year: int | None
    currency: str | None
    committed: float | None
    disbursed: float | None
    committed_mad: float | None
    disbursed_mad: float | None
    scope: str = Field(description="morocco, regional or global: amounts add up within a scope only")
    source: str
    measures: list[str]


class ProgrammePage(PageInfo):
    model_config = ConfigDict(json_schema_extra={"examples": [
        {"items": [{"code": "P1", "acronym": "GLO.ACT", "name": "Global Action", "summary": "",
                    "partners": [{"acronym": "UNODC", "name": "UNODC"}], "start_year": 2019, "end_year": 2023,
                    "currency": "EUR", "committed": 1000000.0, "disbursed": None, "committed_mad": 10800000.0,
                    "disbursed_mad": None, "scope": "morocco", "source": "", "measures": ["M1.1.1"]}],
         "total": 1, "page": 1, "per_page": 50}]})
    items: list[Programme]


class Contacts(Schema):
    phone: str | None = None
    email: str | None = None
    address: str | None = None
    website: str | None = None


class Organisation(Schema):
    code: str
    name: str
    kind: str
    region_code: str | None
    region: str | None
    city: str | None
    services: list[str]
    entity: str | None
    source: str
    is_demo: bool
    contacts: Contacts | None = Field(None, description="Only for signed-in readers (a token)")


class OrganisationPage(PageInfo):
    model_config = ConfigDict(json_schema_extra={"examples": [
        {"items": [{"code": "ORG-1", "name": "Association", "kind": "association", "region_code": "MA-01",
                    "region": "Tanger-Tétouan-Al Hoceïma", "city": "Tanger", "services": ["shelter"],
                    "entity": None, "source": "", "is_demo": False, "contacts": None}],
         "total": 1, "page": 1, "per_page": 50}]})
    items: list[Organisation]
