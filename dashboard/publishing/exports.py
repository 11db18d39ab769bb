"""The data behind every table and chart of the site as files: CSV (stable column codes),
XLSX (headers in the reader's language, numbers as numbers, a sheet of sources) and JSON.

Each dataset is built by the service function its page uses, with the same actor and
small-count threshold, so a file holds exactly what the page shows its reader: measures
and the plan are public; restricted indicators only for their readers (others get
``None``: not found); pending submissions never reach the public; statistics and
indicator values pass disclosure control (``statistics.released_figures``,
``indicator_values.released_values``). A workbook of exact figures says so on every sheet.

Filters come as query parameters, like the page's: a value that cannot be one (too long,
a NUL byte, another type) is ignored."""
from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from sqlalchemy.orm import Session

from dashboard import labels
from dashboard.i18n import gettext as _
from dashboard.national import activities, funding, organisations, regions, statistics
from dashboard.national.disclosure import HIDDEN, SHOWN, SMALL
from dashboard.national.statistics import Figure
from dashboard.permissions import Actor, allowed
from dashboard.plan import indicator_values, queries
from dashboard.spreadsheets import Sheet, csv_cell, exact_figures_note, protected_figures_note, xlsx_workbook
from dashboard.workflow import worklists

_CODE = re.compile(r"[A-Za-z0-9._-]{1,40}")
TEXT_LIMIT = 100


@dataclass(frozen=True)
class Column:
    key: str  # the CSV and JSON name, stable
    header: str  # the XLSX header, in the reader's language


@dataclass(frozen=True)
class Table:
    """One dataset as a reader may see it: numbers stay numbers, dates are dates."""

    name: str  # the file's name, without its extension
    title: str  # the sheet's title
    columns: list[Column]
    rows: list[dict[str, Any]]
    sources: list[tuple[str, str]] = field(default_factory=list)  # (source, link)
    exact: bool | None = None  # None: no count under disclosure control in it
    threshold: int = 5


@dataclass(frozen=True)
class Request:
    """Who asks, in which language, on which day, with which filters."""

    session: Session
    actor: Actor
    lang: str
    as_of: dt.date
    freshness_days: int
    threshold: int
    args: Mapping[str, Any]

    def code(self, key: str) -> str | None:
        value = self.args.get(key)
        return value if isinstance(value, str) and _CODE.fullmatch(value) else None

    def text(self, key: str) -> str | None:
        value = self.args.get(key)
        if not isinstance(value, str):
            return None
        return value.replace("\x00", "").strip()[:TEXT_LIMIT] or None

    def year(self, key: str = "year") -> int | None:
        value = self.code(key)
        return int(value) if value and value.isdigit() and 1900 <= int(value) <= 2200 else None

    def flag(self, key: str) -> bool:
        return self.args.get(key) in ("1", "true", "on", "yes")

    def name(self, base: str, keys: tuple[str, ...]) -> str:
        """A file's name: ``base`` and the filters that apply ("measures-A1-2024-overdue")."""
        parts = [base]
        for key in keys:
            if key == "overdue":
                parts += ["overdue"] if self.flag(key) else []
            elif key == "year":
                parts += [str(self.year())] if self.year() else []
            elif self.code(key):
                parts.append(self.code(key))
        return "-".join(parts)


# --- files -------------------------------------------------------------------------------


def _note(table: Table) -> str:
    if table.exact is None:
        return ""
    return exact_figures_note() if table.exact else protected_figures_note(table.threshold)


def _plain(value: Any) -> Any:
    """A cell as JSON and CSV write it: numbers, text, true/false, dates as ISO text."""
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    return value


def _cell(value: Any) -> Any:
    """A cell as the workbook holds it: numbers as numbers, yes/no, lists as text."""
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if isinstance(value, Decimal):
        return _plain(value)
    if isinstance(value, (list, tuple)):
        return ", ".join(str(v) for v in value)
    if isinstance(value, dict):
        return "; ".join(f"{k}: {v}" for k, v in value.items() if v not in (None, "", {}, []))
    return value


def to_csv(table: Table) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([c.key for c in table.columns])
    for row in table.rows:
        cells = []
        for column in table.columns:
            value = _plain(row.get(column.key))
            if isinstance(value, bool):
                value = "yes" if value else "no"
            elif isinstance(value, list):
                value = "; ".join(str(v) for v in value)
            elif isinstance(value, dict):
                value = "; ".join(f"{k}: {v}" for k, v in value.items() if v not in (None, "", {}, []))
            cells.append(csv_cell("" if value is None else value))
        writer.writerow(cells)
    return "\ufeff" + out.getvalue()  # a byte-order mark: spreadsheets read the Arabic as UTF-8


def to_xlsx(table: Table, lang: str) -> bytes:
    note = _note(table)
    rows = [[_cell(row.get(c.key)) for c in table.columns] for row in table.rows]
    return xlsx_workbook([
        Sheet(table.title, [c.header for c in table.columns], rows, note),
        Sheet(_("Sources"), [_("Source"), _("Link")], [list(s) for s in table.sources], note),
    ], right_to_left=lang == "ar")


def to_json(table: Table, lang: str) -> dict:
    document: dict[str, Any] = {"dataset": table.name, "language": lang,
                                "columns": [c.key for c in table.columns]}
    if table.exact is not None:
        document.update({"exact": table.exact, "small_count_threshold": table.threshold, "note": _note(table)})
    document["rows"] = [{c.key: _plain(row.get(c.key)) for c in table.columns} for row in table.rows]
    document["sources"] = [{"source": s, "url": u or None} for s, u in table.sources]
    return document


# --- the plan's measures -------------------------------------------------------------------


def _plan_sources(session: Session, lang: str) -> list[tuple[str, str]]:
    sources = [(f"{p.code} ({p.start_year}-{p.end_year})"
                + (f" · {_('Demonstration data')}" if p.is_demo else ""), "")
               for p in queries.plans(session)]
    return sources + [(_("Progress reported by the lead entities"), "")]


def _measure_filter(req: Request) -> queries.MeasureFilter:
    schedule = req.code("schedule")
    status = req.code("status")
    return queries.MeasureFilter(
        axis=req.code("axis"), objective=req.code("objective"), lead=req.code("lead"),
        status=status if status in labels.measure_status() else None,
        schedule=schedule if schedule in labels.schedule_status() else None,
        year=req.year(), partner=req.code("partner"))


def _measure_columns() -> list[Column]:
    return [Column("code", _("Code")), Column("name", _("Measure")), Column("axis", _("Strategic axis")),
            Column("objective", _("Objective")), Column("lead", _("Lead entity")),
            Column("status", _("Reported status")), Column("schedule", _("Schedule status")),
            Column("progress", _("Progress (%)")), Column("planned_start", _("Planned start")),
            Column("planned_end", _("Planned end")), Column("last_updated", _("Last update")),
            Column("days_since_update", _("Days since update")), Column("stale", _("Stale updates")),
            Column("overdue", _("Planned end passed and not completed")),
            Column("demonstration", _("Demonstration data"))]


def measures(req: Request) -> Table:
    """The measures grids (/plan, /axes/<code>, /entities/<acronym>, /implementation)."""
    rows = queries.measure_rows(req.session, req.lang, req.as_of, req.freshness_days, _measure_filter(req))
    if req.flag("overdue"):
        rows = [r for r in rows if queries.is_overdue(r, req.as_of)]
    statuses, schedules = labels.measure_status(), labels.schedule_status()
    table = [{
        "code": r["code"], "name": r["name"], "axis": r["axis"], "objective": r["objective"], "lead": r["lead"],
        "status": statuses.get(r["status"], r["status"]),
        "schedule": schedules.get(r["schedule"], "") if r["schedule"] else "",
        "progress": r["progress"], "planned_start": r["planned_start"], "planned_end": r["planned_end"],
        "last_updated": r["last_updated"], "days_since_update": r["days_since_update"], "stale": r["stale"],
        "overdue": queries.is_overdue(r, req.as_of), "demonstration": bool(r["is_demo"]),
    } for r in rows]
    name = req.name("measures", ("axis", "objective", "lead", "partner", "status", "schedule", "year", "overdue"))
    return Table(name, _("Measures"), _measure_columns(), table, _plan_sources(req.session, req.lang))


def progress(req: Request) -> Table:
    """The progress bars: the axes (home page), or one axis's objectives (/axes/<code>)."""
    axis = req.code("axis")
    rows = (queries.objective_progress(req.session, req.lang, axis) if axis
            else queries.axis_progress(req.session, req.lang))
    table = [{"code": r["code"], "name": r["name"],
              "progress": None if r["progress"] is None else round(r["progress"], 1)} for r in rows]
    columns = [Column("code", _("Code")), Column("name", _("Objective") if axis else _("Strategic axis")),
               Column("progress", _("Weighted progress (%)"))]
    name = req.name("progress", ("axis",))
    return Table(name, _("Progress"), columns, table, _plan_sources(req.session, req.lang))


def schedule(req: Request) -> Table:
    """The schedule donuts: measures by schedule status (home, axis, entity pages)."""
    summary = queries.measure_summary(req.session, req.as_of, _measure_filter(req))
    names = labels.schedule_status()
    table = [{"schedule": key, "name": name, "measures": summary.by_schedule.get(key, 0)}
             for key, name in names.items()]
    columns = [Column("schedule", _("Code")), Column("name", _("Schedule status")),
               Column("measures", _("Measures"))]
    name = req.name("schedule", ("axis", "lead", "partner", "status", "schedule", "year"))
    return Table(name, _("Schedule status"), columns, table, _plan_sources(req.session, req.lang))


def lead_progress(req: Request) -> Table:
    """/implementation's comparison: expected against reported progress by lead entity."""
    rows = queries.measure_rows(req.session, req.lang, req.as_of, req.freshness_days, _measure_filter(req))
    if req.flag("overdue"):
        rows = [r for r in rows if queries.is_overdue(r, req.as_of)]
    table = [{"lead": r["lead"], "name": r["name"], "measures": r["measures"],
              "expected": round(r["expected"], 1),
              "reported": None if r["actual"] is None else round(r["actual"], 1)}
             for r in queries.expected_vs_actual_by_lead(rows, req.as_of)]
    columns = [Column("lead", _("Lead entity")), Column("name", _("Name")), Column("measures", _("Measures")),
               Column("expected", _("Expected by now")), Column("reported", _("Reported progress"))]
    name = req.name("lead-progress", ("axis", "lead", "schedule", "year", "overdue"))
    return Table(name, _("Reported progress"), columns, table, _plan_sources(req.session, req.lang))


def entities(req: Request) -> Table:
    """/entities: the bodies and the league of lead entities, by kind when filtered."""
    kind = req.code("kind")
    kinds = labels.entity_kind()
    league = {r["acronym"]: r for r in queries.entity_league(req.session, req.lang, req.as_of, req.freshness_days)}
    order = {k: i for i, k in enumerate(kinds)}
    bodies = sorted((b for b in queries.entities(req.session, req.lang) if kind not in kinds or b["kind"] == kind),
                    key=lambda b: (order.get(b["kind"], len(kinds)), b["acronym"]))
    table = []
    for body in bodies:
        led = league.get(body["acronym"], {})
        progress_value, on_time = led.get("progress"), led.get("on_time_share")
        table.append({"acronym": body["acronym"], "name": body["name"], "kind": kinds.get(body["kind"], body["kind"]),
                      "member": bool(body["is_member"]), "measures": led.get("measures", 0),
                      "progress": None if progress_value is None else round(progress_value, 1),
                      "on_time": None if on_time is None else round(on_time * 100, 1),
                      "stale": led.get("stale", 0)})
    columns = [Column("acronym", _("Acronym")), Column("name", _("Name")), Column("kind", _("Kind")),
               Column("member", _("Member of the commission")), Column("measures", _("Measures led")),
               Column("progress", _("Weighted progress (%)")), Column("on_time", _("On time (%)")),
               Column("stale", _("Stale updates"))]
    name = req.name("entities", ("kind",))
    return Table(name, _("Entities"), columns, table, _plan_sources(req.session, req.lang))


def measure_history(req: Request) -> Table | None:
    """/measures/<code>: its history, as ``worklists.measure_history`` gives it to this
    reader (approved only for the public; the update under review for insiders, marked)."""
    detail = queries.measure_detail(req.session, req.code("code") or "", req.lang)
    if detail is None:
        return None
    measure = detail["measure"]
    statuses = labels.measure_status()
    table = [{
        "date": e["date"], "kind": e["kind"], "state": e["state"],
        "status": statuses.get(e["status"], e["status"]), "progress": e["progress"],
        "previous_status": statuses.get(e["previous_status"], e["previous_status"] or ""),
        "previous_progress": e["previous_progress"],
        "period_start": e["period"][0] if e["period"] else None, "period_end": e["period"][1] if e["period"] else None,
        "by": e["by"] or "", "text": e["narrative"] or e["note"] or "", "reason": e["reason"] or "",
    } for e in worklists.measure_history(req.session, req.actor, measure, req.lang)]
    columns = [Column("date", _("Date")), Column("kind", _("Kind")), Column("state", _("Status")),
               Column("status", _("Reported status")), Column("progress", _("Progress (%)")),
               Column("previous_status", _("Previous status")), Column("previous_progress", _("Previous progress (%)")),
               Column("period_start", _("Start of the reporting period")),
               Column("period_end", _("End of the reporting period")), Column("by", _("Reported by")),
               Column("text", _("Note")), Column("reason", _("Reason for returning it"))]
    return Table(f"measure-{measure.code}-history", _("Status history"), columns, table,
                 _plan_sources(req.session, req.lang))


# --- indicators ----------------------------------------------------------------------------


def _readable_indicator(req: Request):
    """The indicator in ``code``; None when unknown or restricted for this reader."""
    indicator = queries.indicator_by_code(req.session, req.code("code") or "", include_restricted=True)
    return indicator if indicator is not None and allowed(req.actor, "read_indicator", indicator) else None


def indicator_achievement(req: Request) -> Table:
    """/indicators' chart: indicators by axis and achievement status, with the page's
    filters, among the indicators this reader may see."""
    rows = queries.indicator_rows(req.session, req.lang, req.as_of, req.freshness_days, actor=req.actor,
                                  filters=queries.indicator_filter_from(req.args), threshold=req.threshold)
    statuses = labels.achievement_status()
    axes = [a.code for a in queries.axes(req.session)]
    table = [{"axis": axis, "status": status, "name": name,
              "indicators": sum(1 for r in rows if r["axis"] == axis and r["achievement_status"] == status)}
             for axis in axes for status, name in statuses.items()]
    columns = [Column("axis", _("Strategic axis")), Column("status", _("Code")),
               Column("name", _("Achievement status")), Column("indicators", _("Indicators"))]
    name = req.name("indicators-by-achievement", ("axis", "type", "responsible"))
    return Table(name, _("Indicators"), columns, table, _plan_sources(req.session, req.lang))


def indicator_breakdowns(req: Request) -> Table | None:
    """/indicators/<code>: a year's breakdowns (the latest with any when no ``year``), as
    ``indicator_values.released_values`` releases them for this reader: a small count
    reads "<5", a cell hidden to protect it is empty, withheld breakdowns give no row."""
    indicator = _readable_indicator(req)
    if indicator is None:
        return None
    values = indicator_values.released_values(req.session, req.actor, indicator, req.lang, req.threshold)
    years = values.years_with_breakdowns()
    year = req.year() or (years[-1] if years else None)
    data = values.breakdown(year) if year else None
    names = statistics.category_names(req.session, req.lang)
    dimensions = labels.disaggregation()
    small = _("<%(n)s", n=values.threshold)
    table = []
    if data is not None and not data.withheld:
        for dimension in indicator.disaggregations or []:
            for category, value in data.cells.get(dimension, {}).items():
                status = SMALL if f"{dimension}={category}" in data.small else (HIDDEN if value is None else SHOWN)
                table.append({"period": data.period, "dimension": dimensions.get(dimension, dimension),
                              "category": category, "name": names.get(category, category),
                              "value": small if status == SMALL else value, "status": status})
    columns = [Column("period", _("Period")), Column("dimension", _("Breakdown")), Column("category", _("Code")),
               Column("name", _("Name")), Column("value", _("Value")), Column("status", _("Status"))]
    sources = sorted({(s["source"], "") for s in queries.indicator_value_sources(req.session, indicator, year, req.lang)
                      if s["source"]}) if year else []
    return Table(f"indicator-{indicator.code}-breakdowns", indicator.code, columns, table, sources,
                 exact=values.exact if indicator.is_sensitive else None, threshold=values.threshold)


def indicator_values_table(req: Request) -> Table | None:
    """/indicators/<code>: each period's total against the year's target, released for
    this reader; a restricted indicator is not found for a reader not allowed it."""
    indicator = _readable_indicator(req)
    if indicator is None:
        return None
    values = indicator_values.released_values(req.session, req.actor, indicator, req.lang, req.threshold)
    targets = {t.year: t.value for t in indicator.targets}
    small = _("<%(n)s", n=values.threshold)
    table = [{"period": p.period, "year": p.year,
              "value": small if p.status == SMALL else p.value, "status": p.status,
              "target": targets.get(p.year), "demonstration": p.is_demo, "source": p.source}
             for p in values.points]
    columns = [Column("period", _("Period")), Column("year", _("Year")), Column("value", _("Value")),
               Column("status", _("Status")), Column("target", _("Target for that year")),
               Column("demonstration", _("Demonstration data")), Column("source", _("Source"))]
    sources = sorted({(p.source, "") for p in values.points if p.source})
    # Only a count of victims (a sensitive indicator) passes disclosure control.
    return Table(f"indicator-{indicator.code}", indicator.code, columns, table, sources,
                 exact=values.exact if values.sensitive else None, threshold=values.threshold)


# --- the national response -------------------------------------------------------------------


def region_figures(req: Request) -> list[Figure] | None:
    """/regions/<code>: the figures broken down by region, this region's cells, as
    ``statistics.released_figures`` releases them to this reader (``figures_*`` write them)."""
    code = req.code("code") or ""
    if not any(r["code"] == code for r in regions.overview(req.session, req.lang)):
        return None
    return [f for f in statistics.released_figures(req.session, req.actor, req.lang, req.threshold)
            if f.cells.get("region") == code]


def regions_table(req: Request) -> Table:
    """/regions: each region's rollout stage and what it has (the map and the table)."""
    stages = labels.rollout_stage()
    table = [{"code": r["code"], "name": r["name"], "stage": stages.get(r["stage"], "") if r["stage"] else "",
              "stage_since": r["stage_since"], "bodies": r["bodies"], "organisations": r["organisations"],
              "shelters": r["shelters"], "activities": r["activities"], "demonstration": r["is_demo"]}
             for r in regions.overview(req.session, req.lang)]
    columns = [Column("code", _("Code")), Column("name", _("Region")), Column("stage", _("Stage")),
               Column("stage_since", _("Since")), Column("bodies", _("Bodies")),
               Column("organisations", _("Organisations")), Column("shelters", _("Shelters")),
               Column("activities", _("Activities")), Column("demonstration", _("Demonstration data"))]
    return Table("regions", _("Regions"), columns, table,
                 [(_("Rollout reports validated by the commission"), "")])


def region_rollout(req: Request) -> Table | None:
    """/regions/<code>: the rollout's stages, in date order, as validated."""
    detail = regions.region_detail(req.session, req.actor, req.code("code") or "", req.lang, req.threshold)
    if detail is None:
        return None
    stages = labels.rollout_stage()
    table = [{"started_on": e["started_on"], "stage": stages.get(e["stage"], e["stage"]), "note": e["note"],
              "source": e["source"], "demonstration": e["is_demo"]} for e in detail["history"]]
    columns = [Column("started_on", _("Date")), Column("stage", _("Stage")), Column("note", _("Note")),
               Column("source", _("Source")), Column("demonstration", _("Demonstration data"))]
    sources = sorted({(e["source"], "") for e in detail["history"] if e["source"]})
    return Table(f"region-{detail['code']}-rollout", detail["code"], columns, table, sources)


def activities_table(req: Request) -> Table:
    """/activities: the activities matching the page's filters (its charts count them)."""
    region = req.args.get("region")
    filters = activities.ActivityFilter(
        kind=req.code("kind"), year=req.year(),
        region=region if region == activities.ABROAD else req.code("region"),
        country=req.code("country"), entity=req.code("entity"), text=req.text("q"))
    kinds = labels.activity_kind()
    table = [{
        "code": r["code"], "kind": kinds.get(r["kind"], r["kind"]), "title": r["title"], "start": r["start"],
        "end": r["end"], "place": r["place"], "region": r["region"] or "", "country": r["country"],
        "organisers": [e["acronym"] for e in r["organisers"]], "partners": [e["acronym"] for e in r["partners"]],
        "participants": r["participants"]["total"], "women": r["participants"]["female"],
        "men": r["participants"]["male"], "measures": [m["code"] for m in r["measures"]],
        "source": r["source"], "demonstration": r["is_demo"],
    } for r in activities.activity_rows(req.session, req.lang, filters)]
    columns = [Column("code", _("Code")), Column("kind", _("Kind of activity")), Column("title", _("Activity")),
               Column("start", _("Start date")), Column("end", _("End date")), Column("place", _("Place")),
               Column("region", _("Region")), Column("country", _("Country")),
               Column("organisers", _("Organisers")), Column("partners", _("Partners")),
               Column("participants", _("Participants")), Column("women", _("Women")), Column("men", _("Men")),
               Column("measures", _("Measures")), Column("source", _("Source")),
               Column("demonstration", _("Demonstration data"))]
    sources = sorted({(row["source"], "") for row in table if row["source"]})
    name = req.name("activities", ("kind", "year", "region", "country", "entity"))
    return Table(name, _("Activities"), columns, table, sources)


def programmes_table(req: Request) -> Table:
    """/partners: the programmes (of one partner when filtered); the charts hold them all."""
    rows = funding.of_partner(funding.programmes(req.session, req.lang), req.code("partner"))
    scopes = funding.scope_names()
    table = [{
        "code": r["code"], "acronym": r["acronym"], "name": r["name"],
        "partners": [p["acronym"] for p in r["partners"]], "start_year": r["start_year"], "end_year": r["end_year"],
        "currency": r["currency"], "committed": r["committed"], "disbursed": r["disbursed"],
        "committed_mad": r["committed_mad"], "disbursed_mad": r["disbursed_mad"],
        "mad_per_unit": r["rate"].mad_per_unit if r["rate"] else None, "scope": scopes.get(r["scope"], r["scope"]),
        "measures": [m["code"] for m in r["measures"]], "source": r["source"],
    } for r in rows]
    columns = [Column("code", _("Code")), Column("acronym", _("Acronym")), Column("name", _("Programme")),
               Column("partners", _("Partners")), Column("start_year", _("First year")),
               Column("end_year", _("Last year")), Column("currency", _("Currency")),
               Column("committed", _("Committed")), Column("disbursed", _("Disbursed")),
               Column("committed_mad", _("Committed, in dirhams")), Column("disbursed_mad", _("Disbursed, in dirhams")),
               Column("mad_per_unit", _("Rate (dirhams per unit)")), Column("scope", _("Scope")),
               Column("measures", _("Measures")), Column("source", _("Source"))]
    sources = sorted({(r["source"], "") for r in rows if r["source"]}
                     | {(rate.source, "") for rate in funding.used_rates(rows) if rate.source})
    name = req.name("programmes", ("partner",))
    return Table(name, _("Programmes"), columns, table, sources)


def organisations_table(req: Request) -> Table:
    """/organisations: the directory with the page's filters; contact details only for
    readers allowed them (``organisations.directory`` does not read them otherwise)."""
    rows = organisations.directory(req.session, req.actor, req.lang, region=req.code("region"),
                                   service=req.code("service"), text=req.text("text"))
    contacts = allowed(req.actor, "read_contacts")
    kinds, services = organisations.kind_names(), organisations.service_names()
    table = [{"code": r["code"], "name": r["name"], "kind": kinds.get(r["kind"], r["kind"]),
              "region": r["region_code"] or "", "city": r["city"],
              "services": [services.get(s, s) for s in r["services"] or []], "entity": r["entity"] or "",
              "source": r["source"], "demonstration": r["is_demo"],
              **({key: r.get("contacts", {}).get(key, "") for key in organisations.CONTACT_FIELDS}
                 if contacts else {})}
             for r in rows]
    columns = [Column("code", _("Code")), Column("name", _("Name")), Column("kind", _("Kind")),
               Column("region", _("Region")), Column("city", _("City")), Column("services", _("Services")),
               Column("entity", _("Entity")), Column("source", _("Source")),
               Column("demonstration", _("Demonstration data"))]
    if contacts:
        columns += [Column("phone", _("Phone")), Column("email", _("E-mail")), Column("address", _("Address")),
                    Column("website", _("Website"))]
    sources = sorted({(r["source"], "") for r in rows if r["source"]})
    name = req.name("organisations", ("region", "service"))
    return Table(name, _("Organisations"), columns, table, sources)


# Dataset name -> its builder; a builder answers None for a code it does not know (404).
TABLES: dict[str, Callable[[Request], Table | None]] = {
    "measures": measures,
    "progress": progress,
    "schedule": schedule,
    "lead-progress": lead_progress,
    "entities": entities,
    "measure-history": measure_history,
    "indicator-values": indicator_values_table,
    "indicator-breakdowns": indicator_breakdowns,
    "indicator-achievement": indicator_achievement,
    "regions": regions_table,
    "region-rollout": region_rollout,
    "activities": activities_table,
    "programmes": programmes_table,
    "organisations": organisations_table,
}
