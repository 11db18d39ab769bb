"""The open datasets: every public table of the dashboard as typed rows and fields.

Built as the public sees the data whoever asks (``PUBLIC``), so the open data is one and
the same for everyone and can be kept by the data's version: the plan, measures with their
approved status and progress, public indicators with their values released through
disclosure control, national statistics as released (a small count is an empty value
whose status says ``suppressed``; a cell hidden to protect it says ``withheld``), the same
statistics in the layout of SDG indicator 16.2.2, the regions' rollout of the referral
mechanism, activities and partners' programmes.

Each service used here applies its own rules (``queries.indicator_rows``,
``indicator_values.released_values``, ``statistics.released_figures``); this module only
lays their results out as tables. Field names are stable English snake_case; titles and
descriptions follow the language.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from dashboard import labels
from dashboard.cache import remembered
from dashboard.i18n import gettext as _
from dashboard.i18n import using_language
from dashboard.models import Indicator
from dashboard.national import activities as national_activities
from dashboard.national import funding, regions
from dashboard.national.disclosure import HIDDEN, SHOWN, SMALL
from dashboard.national.statistics import Figure, released_figures
from dashboard.permissions import PUBLIC
from dashboard.plan import indicator_values, queries

# What a value's status column says (stable codes, in every language).
PUBLISHED, SUPPRESSED, WITHHELD, NOT_REPORTED = "published", "suppressed", "withheld", "not_reported"
VALUE_STATUSES = (PUBLISHED, SUPPRESSED, WITHHELD, NOT_REPORTED)
_STATUS_OF_RELEASE = {SHOWN: PUBLISHED, SMALL: SUPPRESSED, HIDDEN: WITHHELD}

# SDG indicator 16.2.2 (victims of human trafficking, by sex, age and form of exploitation):
# the UN global database's series of detected victims, its "total" code where a figure has
# no breakdown along a dimension, and its codes for sex and age.
SDG_SERIES = "VC_HTF_DETV"
SDG_TOTAL = "_T"
SDG_UNIT = "NUMBER"
SDG_SEX = {"female": "F", "male": "M"}
SDG_AGE = {"child": "Y0T17", "adult": "Y_GE18"}
SDG_DIMENSIONS = frozenset({"sex", "age_group", "exploitation_form"})
SDG_SOURCE_SERIES = "victims_identified"
PUBLISHER = "CNCLTEH"  # the commission, which publishes the dashboard
# Every dataset, in the package's order.
DATASET_NAMES = ("axes", "objectives", "measures", "indicators", "indicator_values", "statistics",
                 "statistics_sdg_16_2_2", "regions", "activities", "programmes")


@dataclass(frozen=True)
class Field:
    """A column: a stable name, a Table Schema type, and its title and description in the
    reader's language."""

    name: str
    type: str  # string, integer, number, boolean, date
    title: str
    description: str = ""
    required: bool = False
    enum: tuple[str, ...] = ()


@dataclass(frozen=True)
class ForeignKey:
    fields: tuple[str, ...]
    resource: str
    reference: tuple[str, ...]


@dataclass(frozen=True)
class Dataset:
    """One open table: its rows hold exactly the fields' names."""

    name: str  # the resource's name and file: ``<name>.csv``
    title: str
    description: str
    fields: tuple[Field, ...]
    rows: list[dict[str, Any]]
    primary_key: tuple[str, ...] = ()
    foreign_keys: tuple[ForeignKey, ...] = ()
    last_updated: dt.date | None = None  # the latest date its rows record; None: not dated
    is_demo: bool = False  # holds demonstration rows

    def field_names(self) -> list[str]:
        return [f.name for f in self.fields]


@dataclass(frozen=True)
class OpenData:
    """Every dataset, with what the package says about them."""

    lang: str
    threshold: int
    has_demo_data: bool
    publisher: str  # the commission's name, in ``lang``
    datasets: list[Dataset] = field(default_factory=list)

    def dataset(self, name: str) -> Dataset | None:
        return next((d for d in self.datasets if d.name == name), None)


def open_data(session: Session, lang: str, as_of: dt.date, freshness_days: int, threshold: int) -> OpenData:
    """Every open dataset in ``lang``, as the public sees it (whoever asks). Remembered by
    the data's version for each language, date and threshold."""
    return remembered(session, "open_data", (lang, as_of.isoformat(), freshness_days, threshold),
                      lambda: _open_data(session, lang, as_of, freshness_days, threshold))


def _open_data(session: Session, lang: str, as_of: dt.date, freshness_days: int, threshold: int) -> OpenData:
    with using_language(lang):
        builders: list[Callable[[], Dataset]] = [
            lambda: axes(session, lang),
            lambda: objectives(session, lang),
            lambda: measures(session, lang, as_of, freshness_days),
            lambda: indicators(session, lang, as_of, freshness_days, threshold),
            lambda: indicator_values_dataset(session, lang, as_of, freshness_days, threshold),
            lambda: statistics(session, lang, threshold),
            lambda: statistics_sdg_16_2_2(session, lang, threshold),
            lambda: regions_dataset(session, lang),
            lambda: activities(session, lang),
            lambda: programmes(session, lang),
        ]
        commission = queries.entity_by_acronym(session, PUBLISHER)
        return OpenData(lang=lang, threshold=threshold, has_demo_data=queries.has_demo_data(session),
                        publisher=commission.name(lang) if commission else PUBLISHER,
                        datasets=[build() for build in builders])


# --- shared fields ---------------------------------------------------------------------------


def _demo_field() -> Field:
    return Field("is_demo", "boolean", _("Demonstration data"),
                 _("True when the row is illustrative demonstration data, not an official figure."), True)


def _status_field(threshold: int) -> Field:
    return Field("value_status", "string", _("Status of the value"),
                 _("published: the value is given; suppressed: a count from 1 to %(n)s, left empty to "
                   "protect the people counted; withheld: left empty so that a suppressed count cannot be "
                   "worked out by subtraction; not_reported: no value yet.", n=threshold - 1),
                 True, VALUE_STATUSES)


def _number(value: float | Decimal | None) -> float | int | Decimal | None:
    """A count as an integer, other values as they are."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def _latest(dates) -> dt.date | None:
    known = [d for d in dates if d is not None]
    return max(known) if known else None


# --- the plan --------------------------------------------------------------------------------


def axes(session: Session, lang: str) -> Dataset:
    progress = {row["code"]: row for row in queries.axis_progress(session, lang)}
    rows = [{
        "code": axis.code, "plan": axis.plan.code, "position": axis.position, "name": axis.name(lang),
        "progress": _rounded(progress.get(axis.code, {}).get("progress")),
        "measures": progress.get(axis.code, {}).get("measures", 0), "is_demo": bool(axis.is_demo),
    } for axis in queries.axes(session)]
    return Dataset(
        "axes", _("Strategic axes"), _("The strategic axes of the national plan, with their weighted progress."),
        (Field("code", "string", _("Code"), required=True), Field("plan", "string", _("Plan")),
         Field("position", "integer", _("Position")), Field("name", "string", _("Name")),
         Field("progress", "number", _("Progress (%)"),
               _("Weighted progress of the axis's measures, from 0 to 100.")),
         Field("measures", "integer", _("Measures")), _demo_field()),
        rows, ("code",), is_demo=any(r["is_demo"] for r in rows))


def _rounded(value) -> float | None:
    return None if value is None else round(float(value), 2)


def objectives(session: Session, lang: str) -> Dataset:
    progress = {row["code"]: row for row in queries.objective_progress(session, lang)}
    rows = [{
        "code": objective.code, "axis": axis.code, "position": objective.position,
        "name": objective.name(lang), "progress": _rounded(progress.get(objective.code, {}).get("progress")),
        "measures": progress.get(objective.code, {}).get("measures", 0), "is_demo": bool(objective.is_demo),
    } for axis in queries.axes(session) for objective in axis.objectives]
    return Dataset(
        "objectives", _("Objectives"), _("The objectives of each strategic axis, with their weighted progress."),
        (Field("code", "string", _("Code"), required=True), Field("axis", "string", _("Strategic axis")),
         Field("position", "integer", _("Position")), Field("name", "string", _("Name")),
         Field("progress", "number", _("Progress (%)")), Field("measures", "integer", _("Measures")),
         _demo_field()),
        rows, ("code",), (ForeignKey(("axis",), "axes", ("code",)),), is_demo=any(r["is_demo"] for r in rows))


def measures(session: Session, lang: str, as_of: dt.date, freshness_days: int) -> Dataset:
    statuses, schedules = labels.measure_status(), labels.schedule_status()
    rows = [{
        "code": m["code"], "objective": m["objective"], "axis": m["axis"], "name": m["name"],
        "lead": m["lead"], "lead_name": m["lead_name"], "status": m["status"],
        "status_name": statuses.get(m["status"], m["status"]), "progress": m["progress"],
        "schedule": m["schedule"] or "", "schedule_name": schedules.get(m["schedule"] or "", ""),
        "weight": m["weight"], "priority": m["priority"], "planned_start": m["planned_start"],
        "planned_end": m["planned_end"], "last_updated": m["last_updated"], "budget_mad": m["budget_mad"],
        "is_demo": bool(m["is_demo"]),
    } for m in queries.measure_rows(session, lang, as_of, freshness_days)]
    return Dataset(
        "measures", _("Measures"),
        _("Every measure of the plan with its lead body, its approved status and progress, and its "
          "schedule status on the date of the data."),
        (Field("code", "string", _("Code"), required=True), Field("objective", "string", _("Objective")),
         Field("axis", "string", _("Strategic axis")), Field("name", "string", _("Name")),
         Field("lead", "string", _("Lead entity")), Field("lead_name", "string", _("Lead entity's name")),
         Field("status", "string", _("Status")), Field("status_name", "string", _("Status (name)")),
         Field("progress", "integer", _("Progress (%)"), _("As reported and approved, from 0 to 100.")),
         Field("schedule", "string", _("Schedule status"), _("Empty for a cancelled measure.")),
         Field("schedule_name", "string", _("Schedule status (name)")),
         Field("weight", "number", _("Weight")), Field("priority", "string", _("Priority")),
         Field("planned_start", "date", _("Planned start")), Field("planned_end", "date", _("Planned end")),
         Field("last_updated", "date", _("Last update")), Field("budget_mad", "number", _("Budget (MAD)")),
         _demo_field()),
        rows, ("code",), (ForeignKey(("objective",), "objectives", ("code",)),),
        _latest(r["last_updated"] for r in rows), any(r["is_demo"] for r in rows))


# --- indicators ------------------------------------------------------------------------------


def _public_indicators(session: Session, lang: str, as_of: dt.date, freshness_days: int,
                       threshold: int) -> list[queries.IndicatorRow]:
    return queries.indicator_rows(session, lang, as_of, freshness_days, actor=PUBLIC, threshold=threshold)


def indicators(session: Session, lang: str, as_of: dt.date, freshness_days: int, threshold: int) -> Dataset:
    units, types = labels.unit(), labels.indicator_type()
    rows = []
    for i in _public_indicators(session, lang, as_of, freshness_days, threshold):
        if i["latest_hidden"]:
            status = SUPPRESSED
        else:
            status = NOT_REPORTED if i["latest_value"] is None else PUBLISHED
        rows.append({
            "code": i["code"], "name": i["name"], "axis": i["axis"], "objective": i["objective"],
            "measure": i["measure"], "responsible": i["responsible"], "type": i["type"],
            "type_name": types.get(i["type"], i["type"]), "unit": i["unit"],
            "unit_name": units.get(i["unit"], i["unit"]),
            "direction": i["direction"], "frequency": i["frequency"], "is_sensitive": bool(i["is_sensitive"]),
            "baseline_value": _number(i["baseline_value"]), "baseline_year": i["baseline_year"],
            "latest_year": i["latest_year"], "latest_value": _number(i["latest_value"]), "value_status": status,
            "target": _number(i["target"]), "final_target": _number(i["final_target"]),
            "achievement": _rounded(i["achievement"]), "achievement_status": i["achievement_status"],
            "reported_on": i["reported_on"], "is_demo": bool(i["is_demo"] or i["value_is_demo"]),
        })
    return Dataset(
        "indicators", _("Indicators"),
        _("The public indicators of the plan with their latest validated value, its year's target and "
          "the achievement. Restricted indicators are not included."),
        (Field("code", "string", _("Code"), required=True), Field("name", "string", _("Name")),
         Field("axis", "string", _("Strategic axis")), Field("objective", "string", _("Objective")),
         Field("measure", "string", _("Measure")), Field("responsible", "string", _("Responsible entity")),
         Field("type", "string", _("Type of indicator")), Field("type_name", "string", _("Type (name)")),
         Field("unit", "string", _("Unit")), Field("unit_name", "string", _("Unit (name)")),
         Field("direction", "string", _("Direction")), Field("frequency", "string", _("Frequency")),
         Field("is_sensitive", "boolean", _("Counts of victims"),
               _("True when the values are counts of victims, released through disclosure control.")),
         Field("baseline_value", "number", _("Baseline")), Field("baseline_year", "integer", _("Baseline year")),
         Field("latest_year", "integer", _("Year of the latest value")),
         Field("latest_value", "number", _("Latest value")), _status_field(threshold),
         Field("target", "number", _("Target for that year")), Field("final_target", "number", _("Final target")),
         Field("achievement", "number", _("Achievement"),
               _("Share of the way from the baseline to the target (1 is the target reached).")),
         Field("achievement_status", "string", _("Achievement status")),
         Field("reported_on", "date", _("Reported on")), _demo_field()),
        rows, ("code",), (ForeignKey(("measure",), "measures", ("code",)),
                          ForeignKey(("objective",), "objectives", ("code",))),
        _latest(r["reported_on"] for r in rows), any(r["is_demo"] for r in rows))


def indicator_values_dataset(session: Session, lang: str, as_of: dt.date, freshness_days: int,
                             threshold: int) -> Dataset:
    """Every period's total of each public indicator, and each year's breakdowns, as
    ``indicator_values.released_values`` releases them to the public."""
    codes = [i["code"] for i in _public_indicators(session, lang, as_of, freshness_days, threshold)]
    found = {i.code: i for i in session.scalars(select(Indicator).where(Indicator.code.in_(codes)))} if codes else {}
    rows = []
    for code in codes:
        released = indicator_values.released_values(session, PUBLIC, found[code], lang, threshold)
        for point in released.points:
            rows.append({"indicator": code, "period": point.period, "year": point.year, "breakdown": "",
                         "value": _number(point.value), "value_status": _STATUS_OF_RELEASE[point.status],
                         "source": point.source, "is_demo": bool(point.is_demo)})
        sources = {p.period: (p.source, p.is_demo) for p in released.points}
        for year in released.years_with_breakdowns():
            breakdown = released.breakdown(year)
            if breakdown.withheld or breakdown.period is None:
                continue  # not published at all, as on the indicator's page
            source, is_demo = sources.get(breakdown.period, ("", False))
            for dimension, cells in sorted(breakdown.cells.items()):
                for category, value in sorted(cells.items()):
                    key = f"{dimension}={category}"
                    status = SUPPRESSED if key in breakdown.small else (WITHHELD if value is None else PUBLISHED)
                    rows.append({"indicator": code, "period": breakdown.period, "year": year, "breakdown": key,
                                 "value": _number(value), "value_status": status, "source": source,
                                 "is_demo": bool(is_demo)})
    return Dataset(
        "indicator_values", _("Indicator values"),
        _("Every validated value of the public indicators: each period's total (empty breakdown) and "
          "each year's breakdowns, with small counts of victims suppressed."),
        (Field("indicator", "string", _("Indicator"), required=True),
         Field("period", "string", _("Period"), _("A year (2024), a half-year (2024-H1) or a quarter (2024-Q3)."),
               True),
         Field("year", "integer", _("Year")),
         Field("breakdown", "string", _("Breakdown"),
               _("dimension=category, for example sex=female; empty for the total.")),
         Field("value", "number", _("Value")), _status_field(threshold), Field("source", "string", _("Source")),
         _demo_field()),
        rows, ("indicator", "period", "breakdown"), (ForeignKey(("indicator",), "indicators", ("code",)),),
        None, any(r["is_demo"] for r in rows))


# --- national statistics -----------------------------------------------------------------------


def _public_figures(session: Session, lang: str, threshold: int) -> list[Figure]:
    return released_figures(session, PUBLIC, lang, threshold)


def statistics(session: Session, lang: str, threshold: int) -> Dataset:
    series_names = labels.statistic_series()
    dimensions = ("sex", "age_group", "nationality", "exploitation_form", "region", "place", "scope")
    rows = []
    for f in _public_figures(session, lang, threshold):
        rows.append({
            "publisher": f.publisher, "publisher_name": f.publisher_name, "series": f.series,
            "series_name": series_names.get(f.series, f.series), "period": f.period,
            "year_start": f.year_start, "year_end": f.year_end, "unit": f.unit, "breakdown": f.breakdown,
            **{dim: f.cells.get(dim, "") for dim in dimensions},
            "breakdown_name": f.label, "value": _number(f.value), "value_status": _STATUS_OF_RELEASE[f.status],
            "document": f.document, "citation": f.citation, "url": f.url or "", "is_demo": bool(f.is_demo),
        })
    breakdown_fields = tuple(Field(dim, "string", name) for dim, name in (
        ("sex", _("Sex")), ("age_group", _("Age group")), ("nationality", _("Nationality")),
        ("exploitation_form", _("Form of exploitation")), ("region", _("Region")),
        ("place", _("Place of exploitation")), ("scope", _("Scope of the case"))))
    return Dataset(
        "statistics", _("National statistics"),
        _("Published figures on trafficking in persons, each with its publisher and source, released "
          "through disclosure control. The publishers count different things: never add two publishers' "
          "figures."),
        (Field("publisher", "string", _("Publisher"), required=True),
         Field("publisher_name", "string", _("Publisher's name")),
         Field("series", "string", _("What is counted"), required=True),
         Field("series_name", "string", _("What is counted (name)")),
         Field("period", "string", _("Period"), _("A year, or a span of years such as 2017-2019."), True),
         Field("year_start", "integer", _("First year")), Field("year_end", "integer", _("Last year")),
         Field("unit", "string", _("Unit"), _("count: a number of people or cases; percent: a share."), True,
               ("count", "percent")),
         Field("breakdown", "string", _("Breakdown"), _("dimension=category pairs joined by ;, empty for the total.")),
         *breakdown_fields,
         Field("breakdown_name", "string", _("Breakdown (name)")),
         Field("value", "number", _("Value")), _status_field(threshold),
         Field("document", "string", _("Document")), Field("citation", "string", _("Source")),
         Field("url", "string", _("Link")), _demo_field()),
        rows, ("publisher", "series", "period", "breakdown", "unit"), (), None, any(r["is_demo"] for r in rows))


def sdg_codes(figure: Figure) -> dict[str, str] | None:
    """A figure's SDG 16.2.2 coordinates (sex, age, form of exploitation), or None when it
    is not a yearly count of victims broken down only along those dimensions."""
    if (figure.series != SDG_SOURCE_SERIES or figure.unit != "count" or figure.year is None
            or not set(figure.cells) <= SDG_DIMENSIONS):
        return None
    return {
        "sex": SDG_SEX.get(figure.cells.get("sex", ""), SDG_TOTAL),
        "age_group": SDG_AGE.get(figure.cells.get("age_group", ""), SDG_TOTAL),
        "exploitation_form": figure.cells.get("exploitation_form", SDG_TOTAL),
    }


def statistics_sdg_16_2_2(session: Session, lang: str, threshold: int) -> Dataset:
    rows = []
    for f in _public_figures(session, lang, threshold):
        codes = sdg_codes(f)
        if codes is None:
            continue
        rows.append({"series": SDG_SERIES, "year": f.year, **codes, "value": _number(f.value), "unit": SDG_UNIT,
                     "value_status": _STATUS_OF_RELEASE[f.status], "publisher": f.publisher,
                     "source": f"{f.publisher_name}: {f.citation}" if f.citation else f.publisher_name,
                     "is_demo": bool(f.is_demo)})
    return Dataset(
        "statistics_sdg_16_2_2", _("Victims of trafficking (SDG indicator 16.2.2)"),
        _("The yearly numbers of victims identified, by sex, age and form of exploitation, in the layout "
          "of SDG indicator 16.2.2 (series %(series)s). _T stands for all (no breakdown along that "
          "dimension); sex F or M; age Y0T17 (under 18) or Y_GE18 (18 and over). Numbers, not rates per "
          "100,000: one row per publisher, whose figures are not to be added.", series=SDG_SERIES),
        (Field("series", "string", _("SDG series"), required=True),
         Field("year", "integer", _("Year"), required=True),
         Field("sex", "string", _("Sex"), _("F, M or _T (all)."), True, ("F", "M", SDG_TOTAL)),
         Field("age_group", "string", _("Age group"), _("Y0T17 (under 18), Y_GE18 (18 and over) or _T (all)."),
               True, ("Y0T17", "Y_GE18", SDG_TOTAL)),
         Field("exploitation_form", "string", _("Form of exploitation"),
               _("The dashboard's code of the form of exploitation, or _T (all forms)."), True),
         Field("value", "number", _("Value")), Field("unit", "string", _("Unit")), _status_field(threshold),
         Field("publisher", "string", _("Publisher"), required=True), Field("source", "string", _("Source")),
         _demo_field()),
        rows, ("publisher", "year", "sex", "age_group", "exploitation_form"), (), None,
        any(r["is_demo"] for r in rows))


# --- the national response ---------------------------------------------------------------------


def regions_dataset(session: Session, lang: str) -> Dataset:
    stages = labels.rollout_stage()
    rows = [{
        "code": r["code"], "name": r["name"], "stage": r["stage"] or "",
        "stage_name": stages.get(r["stage"], "") if r["stage"] else "", "stage_since": r["stage_since"],
        "bodies": r["bodies"], "organisations": r["organisations"], "shelters": r["shelters"],
        "activities": r["activities"], "is_demo": bool(r["is_demo"]),
    } for r in regions.overview(session, lang)]
    return Dataset(
        "regions", _("Referral mechanism by region"),
        _("The stage each of the 12 regions has reached in rolling out the national referral mechanism, "
          "and what the region has."),
        (Field("code", "string", _("Code"), required=True), Field("name", "string", _("Name")),
         Field("stage", "string", _("Rollout stage"), _("Empty when nothing has been reported yet.")),
         Field("stage_name", "string", _("Rollout stage (name)")), Field("stage_since", "date", _("Since")),
         Field("bodies", "integer", _("Coordination bodies")),
         Field("organisations", "integer", _("Civil-society organisations")),
         Field("shelters", "integer", _("Shelters")), Field("activities", "integer", _("Activities")),
         _demo_field()),
        rows, ("code",), (), _latest(r["stage_since"] for r in rows), any(r["is_demo"] for r in rows))


def _codes(items) -> str:
    return "; ".join(item["acronym"] if "acronym" in item else item["code"] for item in items)


def activities(session: Session, lang: str) -> Dataset:
    kinds = labels.activity_kind()
    rows = [{
        "code": a["code"], "kind": a["kind"], "kind_name": kinds.get(a["kind"], a["kind"]), "title": a["title"],
        "summary": a["summary"], "start_date": a["start"], "end_date": a["end"], "date_precision": a["precision"],
        "place": a["place"], "country": a["country"], "region": a["region"] or "",
        "organisers": _codes(a["organisers"]), "partners": _codes(a["partners"]),
        "participants_total": a["participants"]["total"], "participants_male": a["participants"]["male"],
        "participants_female": a["participants"]["female"], "measures": _codes(a["measures"]),
        "source": a["source"], "is_demo": bool(a["is_demo"]),
    } for a in national_activities.activity_rows(session, lang)]
    return Dataset(
        "activities", _("Activities"),
        _("The commission's trainings, campaigns, workshops, roundtables, study visits and meetings, each "
          "with its source. A number of participants is given only when a source states it."),
        (Field("code", "string", _("Code"), required=True), Field("kind", "string", _("Kind")),
         Field("kind_name", "string", _("Kind (name)")), Field("title", "string", _("Title")),
         Field("summary", "string", _("Summary")), Field("start_date", "date", _("Start")),
         Field("end_date", "date", _("End")),
         Field("date_precision", "string", _("Date precision"),
               _("day, month or year: how much of the dates is known."), enum=national_activities.DATE_PRECISIONS),
         Field("place", "string", _("Place")), Field("country", "string", _("Country"), _("ISO 3166-1 alpha-2 code.")),
         Field("region", "string", _("Region")),
         Field("organisers", "string", _("Organisers"), _("Acronyms, joined by ;.")),
         Field("partners", "string", _("Partners"), _("Acronyms, joined by ;.")),
         Field("participants_total", "integer", _("Participants")),
         Field("participants_male", "integer", _("Men")), Field("participants_female", "integer", _("Women")),
         Field("measures", "string", _("Measures"), _("Codes of the plan's measures, joined by ;.")),
         Field("source", "string", _("Source")), _demo_field()),
        rows, ("code",), (), _latest(r["end_date"] for r in rows), any(r["is_demo"] for r in rows))


def programmes(session: Session, lang: str) -> Dataset:
    scopes = funding.scope_names()
    rows = [{
        "code": p["code"], "acronym": p["acronym"], "name": p["name"], "summary": p["summary"],
        "partners": _codes(p["partners"]), "start_year": p["start_year"], "end_year": p["end_year"],
        "scope": p["scope"], "scope_name": scopes.get(p["scope"], p["scope"]),
        "currency": p["currency"], "committed": p["committed"], "disbursed": p["disbursed"],
        "committed_mad": p["committed_mad"], "disbursed_mad": p["disbursed_mad"],
        "measures": _codes(p["measures"]), "is_demo": bool(p["measures"] and p["measures_are_demo"]),
        "source": p["source"],
    } for p in funding.programmes(session, lang)]
    return Dataset(
        "programmes", _("Partners' programmes"),
        _("The programmes of the commission's international partners and what they commit and disburse, "
          "as published, in their currency and in dirhams at a stated rate. An amount that is not "
          "published is empty, never zero; a regional or global programme's amount is the whole "
          "programme's."),
        (Field("code", "string", _("Code"), required=True), Field("acronym", "string", _("Acronym")),
         Field("name", "string", _("Name")), Field("summary", "string", _("Summary")),
         Field("partners", "string", _("Partners"), _("Acronyms, joined by ;.")),
         Field("start_year", "integer", _("First year")), Field("end_year", "integer", _("Last year")),
         Field("scope", "string", _("Scope"), _("morocco, regional or global: add amounts of one scope only.")),
         Field("scope_name", "string", _("Scope (name)")),
         Field("currency", "string", _("Currency")), Field("committed", "number", _("Committed")),
         Field("disbursed", "number", _("Disbursed")), Field("committed_mad", "number", _("Committed (MAD)")),
         Field("disbursed_mad", "number", _("Disbursed (MAD)")),
         Field("measures", "string", _("Measures"),
               _("Codes of the plan's measures it supports, joined by ;: illustrative while the plan is.")),
         Field("is_demo", "boolean", _("Demonstration data"),
               _("True when the links to the plan's measures are illustrative.")),
         Field("source", "string", _("Source"))),
        rows, ("code",), (), None, any(r["is_demo"] for r in rows))
