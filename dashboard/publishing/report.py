"""The progress report: what the secretariat sends the Head of Government each year, and a
brief for each donor (the measures a partner supports).

Built from validated data only, as the public sees it whoever asks (``PUBLIC``): approved
progress, public indicators with small counts withheld, statistics released through
disclosure control, exactly as on the public pages. The same report is therefore the same
document for everyone, and can be remembered by the data's version.

``progress_report`` returns typed data; ``publishing.documents`` lays it out as HTML and PDF.
"""
from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, TypedDict

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from dashboard import labels
from dashboard.errors import NotFound
from dashboard.i18n import gettext as _
from dashboard.models import (
    Entity,
    IndicatorValue,
    Measure,
    MeasureProgressEvent,
    MeasureUpdate,
    Plan,
    StrategicAxis,
    measure_partner,
)
from dashboard.national import activities as national_activities
from dashboard.national import funding
from dashboard.national.disclosure import SMALL
from dashboard.national.statistics import MAIN_SERIES, Figure, released_figures, select_figures
from dashboard.permissions import PUBLIC
from dashboard.plan import progress as rules
from dashboard.plan import queries
from dashboard.plan.queries import IndicatorRow, MeasureFilter, MeasureRow, StatusSummary

SCOPES = ("plan", "axis", "entity", "partner")
_CODE = re.compile(r"[A-Za-z0-9._-]{1,40}")
# The plan's first year: a report "to date" covers the plan from then.
PLAN_START = 2023


@dataclass(frozen=True)
class ReportOptions:
    """Which report: a year (None: the plan to date) and a scope (the whole plan, one axis,
    one lead entity, or the measures a partner supports) with its code."""

    year: int | None = None
    scope: str = "plan"
    code: str | None = None

    def query(self) -> dict[str, str]:
        """The options as query parameters (the report's address)."""
        params = {"scope": self.scope}
        if self.year:
            params["year"] = str(self.year)
        if self.code:
            params["code"] = self.code
        return params


def options_from(values: Mapping[str, Any]) -> ReportOptions:
    """Options from query parameters or the report page's selects. A value that cannot be
    one (another type, a NUL byte, an unknown scope) is ignored; ``check_options`` then
    refuses a code that names nothing."""
    year, scope, code = values.get("year"), values.get("scope"), values.get("code")
    year = int(year) if isinstance(year, (str, int)) and str(year).isdigit() and len(str(year)) == 4 else None
    scope = scope if scope in SCOPES else "plan"
    code = code if isinstance(code, str) and _CODE.fullmatch(code) else None
    if scope == "plan" or code is None:
        scope, code = "plan", None
    return ReportOptions(year=year, scope=scope, code=code)


def report_years(session: Session) -> list[int]:
    return queries.plan_years(session)


class Choice(TypedDict):
    value: str
    label: str


def scope_choices(session: Session, lang: str) -> dict[str, list[Choice]]:
    """What each scope can name: the axes, the entities that lead measures, and those that
    support measures as partners (the donors' briefs)."""
    supporters = (select(Entity.acronym, Entity.name_ar, Entity.name_fr, Entity.name_en)
                  .where(Entity.id.in_(select(measure_partner.c.entity_id))).order_by(Entity.acronym))
    return {
        "axis": [{"value": a.code, "label": f"{a.code} · {a.name(lang)}"} for a in queries.axes(session)],
        "entity": [{"value": e["acronym"], "label": f"{e['acronym']} · {e['name']}"}
                   for e in queries.entities(session, lang, leading_only=True)],
        "partner": [{"value": row.acronym, "label": f"{row.acronym} · {getattr(row, f'name_{lang}') or row.name_en}"}
                    for row in session.execute(supporters)],
    }


def scope_names() -> dict[str, str]:
    return {"plan": _("The whole plan"), "axis": _("One strategic axis"), "entity": _("One lead entity"),
            "partner": _("The measures a partner supports (donor brief)")}


def check_options(session: Session, options: ReportOptions) -> ReportOptions:
    """``options`` when they name a year of the plan and something that exists; raises
    ``NotFound`` (in the user's language) otherwise."""
    if options.year is not None and options.year not in report_years(session):
        raise NotFound(_("The plan has no measure in %(year)s.", year=options.year))
    if options.scope == "axis" and queries.axis_by_code(session, options.code) is None:
        raise NotFound(_("There is no strategic axis %(code)s.", code=options.code))
    if options.scope in ("entity", "partner") and queries.entity_by_acronym(session, options.code) is None:
        raise NotFound(_("There is no entity %(code)s.", code=options.code))
    return options


# --- the report's data ----------------------------------------------------------------------


@dataclass
class MeasureLine:
    code: str
    name: str
    lead: str
    lead_name: str
    objective: str
    status: str
    status_name: str
    schedule: str | None
    schedule_name: str
    progress: int
    planned_end: dt.date
    last_updated: dt.date
    is_demo: bool
    narrative: str = ""
    # The language the narrative was written in, when it is not the report's.
    narrative_lang: str | None = None
    narrative_date: dt.date | None = None


@dataclass
class IndicatorLine:
    code: str
    name: str
    unit: str
    baseline: float | None
    baseline_year: int | None
    target: float | None  # the target of the report's year
    final_target: float | None
    value: float | None  # the latest released value; None when withheld or none
    value_year: int | None
    withheld: bool  # a small count, shown as "<threshold"
    achievement: str
    achievement_name: str
    source: str
    is_demo: bool


@dataclass
class ObjectiveBar:
    code: str
    name: str
    progress: float | None


@dataclass
class AxisSection:
    code: str
    name: str
    progress: float | None
    objectives: list[ObjectiveBar]
    measures: list[MeasureLine]
    indicators: list[IndicatorLine]
    summary: StatusSummary


@dataclass
class StatisticLine:
    publisher: str
    series: str
    series_name: str
    period: str
    label: str  # the breakdown's names, "" for a total
    value: float | None
    small: bool  # a count from 1 to threshold-1, shown as "<threshold"
    unit: str
    citation: str
    is_demo: bool


@dataclass
class ActivityLine:
    code: str
    start: dt.date
    title: str
    kind: str
    place: str
    organisers: str
    is_demo: bool


@dataclass
class ProgrammeLine:
    code: str
    name: str
    partners: str
    years: str
    currency: str
    committed: float | None
    disbursed: float | None
    measures: int
    source: str


@dataclass
class ProgressReport:
    lang: str
    options: ReportOptions
    title: str
    scope_name: str
    period_name: str
    as_of: dt.date  # progress and schedules are measured at this date
    data_date: dt.date | None  # the latest validated report the document holds
    is_demo: bool  # the plan is the illustrative one: every page carries the mark
    threshold: int
    summary: StatusSummary
    axes_progress: list[ObjectiveBar]
    achievement: Counter
    indicators_total: int
    stale: int
    freshness_days: int
    axes: list[AxisSection]
    overdue: list[MeasureLine]
    statistics: list[StatisticLine]
    statistics_year: int | None
    activities: list[ActivityLine]
    programmes: list[ProgrammeLine]
    sources: list[str] = field(default_factory=list)


def report_as_of(options: ReportOptions, today: dt.date) -> dt.date:
    """A past year is measured at its last day; the current year (or the plan to date) today."""
    if options.year is None:
        return today
    return min(today, dt.date(options.year, 12, 31))


def _measure_filter(options: ReportOptions) -> MeasureFilter:
    return MeasureFilter(
        year=options.year,
        axis=options.code if options.scope == "axis" else None,
        lead=options.code if options.scope == "entity" else None,
        partner=options.code if options.scope == "partner" else None,
    )


def _as_recorded_on(session: Session, rows: list[MeasureRow], as_of: dt.date, freshness_days: int) -> None:
    """Set each row's status and progress to the last report on or before ``as_of`` (a
    past year's report shows that year's end, not today's figures); a measure with no
    report by then had not started."""
    latest = (select(MeasureProgressEvent.measure_id, func.max(MeasureProgressEvent.id).label("id"))
              .where(MeasureProgressEvent.recorded_on <= as_of)
              .group_by(MeasureProgressEvent.measure_id).subquery())
    query = (select(Measure.code, MeasureProgressEvent.status, MeasureProgressEvent.progress,
                    MeasureProgressEvent.recorded_on)
             .join(latest, latest.c.id == MeasureProgressEvent.id)
             .join(Measure, Measure.id == MeasureProgressEvent.measure_id))
    recorded = {row.code: row for row in session.execute(query)}
    for row in rows:
        event = recorded.get(row["code"])
        row["status"], row["progress"], row["last_updated"] = (
            (event.status, event.progress, event.recorded_on) if event else ("not_started", 0, row["last_updated"]))
        row["schedule"] = rules.schedule_status(row["status"], row["progress"], row["planned_start"],
                                                row["planned_end"], as_of)
        row["days_since_update"] = rules.days_since(row["last_updated"], as_of) if event else None
        row["stale"] = bool(event) and row["status"] not in ("completed", "cancelled") and rules.is_stale(
            row["last_updated"], as_of, freshness_days)


def _narratives(session: Session, measure_codes: list[str]) -> dict[str, MeasureUpdate]:
    """The latest approved update of each measure (its narrative), by measure code."""
    if not measure_codes:
        return {}
    latest = (select(MeasureUpdate.measure_id, func.max(MeasureUpdate.id).label("id"))
              .join(Measure, Measure.id == MeasureUpdate.measure_id)
              .where(MeasureUpdate.state == "approved", Measure.code.in_(measure_codes))
              .group_by(MeasureUpdate.measure_id).subquery())
    updates = session.scalars(select(MeasureUpdate).join(latest, latest.c.id == MeasureUpdate.id))
    return {update.measure.code: update for update in updates}


def _measure_line(row: MeasureRow, update: MeasureUpdate | None, lang: str) -> MeasureLine:
    line = MeasureLine(
        code=row["code"], name=row["name"], lead=row["lead"], lead_name=row["lead_name"],
        objective=row["objective"], status=row["status"],
        status_name=labels.measure_status().get(row["status"], row["status"]),
        schedule=row["schedule"],
        schedule_name=labels.schedule_status().get(row["schedule"], "") if row["schedule"] else "",
        progress=row["progress"], planned_end=row["planned_end"], last_updated=row["last_updated"],
        is_demo=row["is_demo"],
    )
    if update is not None:
        written = next((code for code in (lang, "ar", "fr", "en") if getattr(update, f"narrative_{code}")), None)
        if written is not None:
            line.narrative = getattr(update, f"narrative_{written}")
            line.narrative_lang = None if written == lang else written
            line.narrative_date = update.period_end
    return line


def _indicator_sources(session: Session, rows: list[IndicatorRow], lang: str) -> dict[int, str]:
    """The source of each indicator's latest total value, in ``lang`` (another language
    when that one is empty)."""
    wanted = {(r["id"], r["latest_year"]) for r in rows if r["latest_year"] is not None}
    if not wanted:
        return {}
    query = (select(IndicatorValue.indicator_id, IndicatorValue.year, IndicatorValue.source_ar,
                    IndicatorValue.source_fr, IndicatorValue.source_en)
             .where(IndicatorValue.breakdown == "",
                    IndicatorValue.indicator_id.in_({indicator for indicator, _year in wanted})))
    sources = {}
    for row in session.execute(query).mappings():
        if (row["indicator_id"], row["year"]) in wanted:
            texts = [row[f"source_{code}"] for code in (lang, "fr", "en", "ar")]
            sources[row["indicator_id"]] = next((t for t in texts if t), "")
    return sources


def _indicator_line(row: IndicatorRow, source: str) -> IndicatorLine:
    return IndicatorLine(
        code=row["code"], name=row["name"], unit=row["unit"], baseline=row["baseline_value"],
        baseline_year=row["baseline_year"], target=row["target"], final_target=row["final_target"],
        value=None if row["latest_hidden"] else row["latest_value"], value_year=row["latest_year"],
        withheld=row["latest_hidden"], achievement=row["achievement_status"],
        achievement_name=labels.achievement_status().get(row["achievement_status"], ""),
        source=source, is_demo=bool(row["is_demo"] or row["value_is_demo"]),
    )


def _statistic_lines(figures: list[Figure], year: int | None) -> tuple[list[StatisticLine], int | None]:
    """The yearly totals of the main series for the report's year (the latest year with
    figures when none is chosen), then that year's breakdowns of victims by sex and age and
    by form of exploitation: every one as released for the public."""
    totals = [f for f in select_figures(figures, "trends") if f.series in MAIN_SERIES]
    years = sorted({f.year for f in totals if f.year is not None})
    if year is None or year not in years:
        year = years[-1] if years else None
    chosen = [f for f in totals if f.year == year]
    chosen.sort(key=lambda f: (MAIN_SERIES.index(f.series), f.publisher))
    series_names = labels.statistic_series()
    if year is not None:
        in_year = [f for f in figures if f.year == year]
        for chart in ("sex_age", "exploitation"):
            chosen += [f for f in select_figures(in_year, chart) if len(f.cells) == 1]
    return [StatisticLine(
        publisher=f.publisher, series=f.series, series_name=series_names.get(f.series, f.series),
        period=f.period, label=f.label, value=f.value, small=f.status == SMALL, unit=f.unit,
        citation=f.citation or f.document, is_demo=f.is_demo) for f in chosen], year


def _activity_lines(session: Session, lang: str, options: ReportOptions) -> list[ActivityLine]:
    entity = options.code if options.scope in ("entity", "partner") else None
    lines = []
    years = [options.year] if options.year else [None]
    for year in years:
        for row in national_activities.activity_rows(
                session, lang, national_activities.ActivityFilter(year=year, entity=entity)):
            if options.year is None and row["start"].year < PLAN_START:
                continue
            lines.append(ActivityLine(
                code=row["code"], start=row["start"], title=row["title"],
                kind=labels.activity_kind().get(row["kind"], row["kind"]),
                place=row["region_name"] or row["country_name"] or row["place"],
                organisers=", ".join(o["acronym"] for o in row["organisers"]), is_demo=row["is_demo"]))
    return lines


def _programme_lines(session: Session, lang: str, options: ReportOptions,
                     measure_codes: set[str]) -> list[ProgrammeLine]:
    rows = funding.programmes(session, lang)
    if options.scope == "partner":
        rows = funding.of_partner(rows, options.code)
    elif options.scope != "plan":
        rows = [r for r in rows if any(m["code"] in measure_codes for m in r["measures"])]
    if options.year:
        rows = [r for r in rows if (r["start_year"] or 0) <= options.year <= (r["end_year"] or 9999)]
    return [ProgrammeLine(
        code=r["code"], name=r["name"], partners=", ".join(p["acronym"] for p in r["partners"]),
        years="–".join(str(y) for y in (r["start_year"], r["end_year"]) if y),
        currency=r["currency"],
        committed=None if r["committed"] is None else float(r["committed"]),
        disbursed=None if r["disbursed"] is None else float(r["disbursed"]),
        measures=len(r["measures"]), source=r["source"]) for r in rows]


def _scope_name(session: Session, options: ReportOptions, lang: str) -> str:
    if options.scope == "axis":
        axis = session.scalar(select(StrategicAxis).where(StrategicAxis.code == options.code))
        return _("Strategic axis %(code)s: %(name)s", code=axis.code, name=axis.name(lang))
    if options.scope in ("entity", "partner"):
        entity = session.scalar(select(Entity).where(Entity.acronym == options.code))
        name = f"{entity.name(lang)} ({entity.acronym})"
        if options.scope == "entity":
            return _("Measures led by %(name)s", name=name)
        return _("Measures supported by %(name)s", name=name)
    return _("The whole plan")


def progress_report(session: Session, lang: str, today: dt.date, freshness_days: int,
                    options: ReportOptions, threshold: int) -> ProgressReport:
    """The report for ``options`` (checked with ``check_options``), in ``lang``, as the
    public may read it."""
    options = check_options(session, options)
    as_of = report_as_of(options, today)
    rows = queries.measure_rows(session, lang, as_of, freshness_days, _measure_filter(options))
    if as_of < today:
        _as_recorded_on(session, rows, as_of, freshness_days)
    updates = _narratives(session, [r["code"] for r in rows])
    lines = [_measure_line(r, updates.get(r["code"]), lang) for r in rows]
    by_code = {line.code: line for line in lines}
    measure_codes = set(by_code)

    indicator_filter = queries.IndicatorFilter(
        axis=options.code if options.scope == "axis" else None,
        responsible=options.code if options.scope == "entity" else None)
    indicators = queries.indicator_rows(session, lang, as_of, freshness_days, actor=PUBLIC,
                                        filters=indicator_filter, threshold=threshold)
    if options.scope == "partner":
        indicators = [r for r in indicators if r["measure"] in measure_codes]
    sources = _indicator_sources(session, indicators, lang)

    objectives = {o["code"]: o for o in queries.objective_progress(session, lang)}
    axes = []
    for axis in queries.axis_progress(session, lang):
        axis_rows = [r for r in rows if r["axis"] == axis["code"]]
        if not axis_rows:
            continue
        axis_summary = queries.summarize(axis_rows)
        objective_codes = list(dict.fromkeys(r["objective"] for r in axis_rows))
        axes.append(AxisSection(
            code=axis["code"], name=axis["name"], progress=axis_summary.progress,
            objectives=[ObjectiveBar(code, objectives[code]["name"],
                                     queries.summarize([r for r in axis_rows if r["objective"] == code]).progress)
                        for code in objective_codes],
            measures=[by_code[r["code"]] for r in axis_rows],
            indicators=[_indicator_line(r, sources.get(r["id"], "")) for r in indicators
                        if r["axis"] == axis["code"]],
            summary=axis_summary,
        ))

    statistics, statistics_year = _statistic_lines(released_figures(session, PUBLIC, lang, threshold),
                                                   options.year)
    activities = _activity_lines(session, lang, options)
    programmes = _programme_lines(session, lang, options, measure_codes)
    plan = session.scalar(select(Plan).order_by(Plan.id).limit(1))
    dates = [line.last_updated for line in lines if line.last_updated and line.last_updated <= as_of]
    dates += [r["reported_on"] for r in indicators if r["reported_on"] and r["reported_on"] <= as_of]
    source_list = sorted({s.citation for s in statistics if s.citation}
                         | {i.source for a in axes for i in a.indicators if i.source}
                         | {p.source for p in programmes if p.source})
    summary = queries.summarize(rows)
    return ProgressReport(
        lang=lang, options=options,
        title=plan.name(lang) if plan is not None else _("National plan"),
        scope_name=_scope_name(session, options, lang),
        period_name=str(options.year) if options.year else _("%(start)s to date", start=PLAN_START),
        as_of=as_of, data_date=max(dates) if dates else None,
        is_demo=queries.has_demo_data(session),
        threshold=threshold, summary=summary,
        axes_progress=[ObjectiveBar(a.code, a.name, a.progress) for a in axes],
        achievement=queries.indicator_summary(indicators), indicators_total=len(indicators),
        stale=summary.stale, freshness_days=freshness_days, axes=axes,
        overdue=[by_code[r["code"]] for r in rows if queries.is_overdue(r, as_of)],
        statistics=statistics, statistics_year=statistics_year,
        activities=activities, programmes=programmes, sources=source_list,
    )
