"""Parts of the implementation-plan timeline that its callback re-renders."""
from __future__ import annotations

import datetime as dt

import dash_ag_grid as dag
from dash import html
from flask_babel import gettext as _

from dashboard import labels
from dashboard.i18n import fmt_date, fmt_number, fmt_percent
from dashboard.plan import queries
from layouts.charts.base import SCHEDULE_COLORS, STATUS_COLORS
from layouts.charts.plan import expected_vs_actual, measure_timeline
from layouts.components import data_downloads, data_grid, graph, kpi_card, list_page, pager

FILTERS = ("lead", "axis", "year", "schedule", "overdue")
# The timeline scrolls inside its card beyond this height instead of pushing the page.
TIMELINE_MAX_PX = 720


def overdue_only(value) -> bool:
    """The switch value from the page (bool) or from the address bar ("1")."""
    return value is True or value in ("1", "true")


def measure_filter(values: dict) -> queries.MeasureFilter:
    """Filter values from the page (empty string = all) as a query filter."""
    year = values.get("year")
    return queries.MeasureFilter(
        axis=values.get("axis") or None,
        lead=values.get("lead") or None,
        schedule=values.get("schedule") or None,
        year=int(year) if year and str(year).isdigit() else None,
    )


def filter_options(session, lang: str) -> dict[str, list[dict]]:
    return {
        "lead": [{"label": f"{e['acronym']} · {e['name']}", "value": e["acronym"]}
                 for e in queries.entities(session, lang, leading_only=True)],
        "axis": [{"label": f"{a.code} · {a.name(lang)}", "value": a.code} for a in queries.axes(session)],
        "year": [{"label": str(y), "value": str(y)} for y in queries.plan_years(session)],
        "schedule": [{"label": v, "value": k} for k, v in labels.schedule_status().items()],
    }


def export_filters(values: dict) -> dict:
    """The filters as the export's query parameters (``/export/measures`` and ``lead-progress``)."""
    chosen = measure_filter(values)
    return {"lead": chosen.lead, "axis": chosen.axis, "year": chosen.year, "schedule": chosen.schedule,
            "overdue": "1" if overdue_only(values.get("overdue")) else None}


def selected_rows(session, lang: str, as_of: dt.date, freshness_days: int, values: dict) -> list[dict]:
    """The measures matching the filters, in timeline order (lead, then planned start)."""
    rows = queries.measure_rows(session, lang, as_of, freshness_days, measure_filter(values))
    if overdue_only(values.get("overdue")):
        rows = [r for r in rows if queries.is_overdue(r, as_of)]
    return queries.timeline_order(rows)


def sections(rows: list[dict], lang: str, as_of: dt.date, values: dict) -> tuple:
    """KPI cards, timeline, expected-against-actual chart and a new overdue grid (which asks
    for its first page with the filters), in the order of the callback's outputs; each
    chart and table with its data as files, for the same filters (the overdue grid's last)."""
    filters = export_filters(values)
    return (
        kpis(rows, lang, as_of, any(values.values())),
        timeline(rows, lang, as_of, values=values),
        html.Div([comparison(rows, lang, as_of), data_downloads("lead-progress", lang, **filters)]),
        overdue_grid(lang),
        data_downloads("measures", lang, "overdue-measures", **{**filters, "overdue": "1"}),
    )


def kpis(rows: list[dict], lang: str, as_of: dt.date, filtered: bool) -> html.Div:
    summary = queries.summarize(rows)
    overdue = sum(queries.is_overdue(r, as_of) for r in rows)
    cancelled = summary.by_status["cancelled"]
    counted = summary.total - cancelled
    completed = summary.by_schedule["completed"]
    measures_detail = _("Matching the filters") if filtered else _("In the implementation plan")
    if cancelled:
        measures_detail += " · " + _("%(n)s cancelled", n=fmt_number(cancelled, lang))
    cards = [
        kpi_card(_("Measures"), fmt_number(summary.total, lang), measures_detail,
                 "bi-list-check", "impl-kpi-measures"),
        kpi_card(_("Overdue"), fmt_number(overdue, lang),
                 _("Planned end passed and not completed"), "bi-alarm", "impl-kpi-overdue"),
        kpi_card(_("Behind schedule"), fmt_number(summary.by_schedule["delayed"], lang),
                 _("Overdue, reported delayed, or more than 25 points behind the time elapsed"),
                 "bi-exclamation-triangle", "impl-kpi-delayed"),
        kpi_card(_("Completed"), fmt_number(completed, lang),
                 _("%(share)s of the measures not cancelled",
                   share=fmt_percent(100 * completed / counted if counted else None, lang)),
                 "bi-check2-circle", "impl-kpi-completed"),
    ]
    return html.Div([html.Div(card, className="col") for card in cards],
                    className="row row-cols-1 row-cols-sm-2 row-cols-xl-4 g-3")


TIMELINE_PAGE = 60  # measures the Gantt chart draws at a time


def timeline(rows: list[dict], lang: str, as_of: dt.date, page: object = 0, values: dict | None = None) -> html.Div:
    """The Gantt chart of one page of the measures with its legend, scrolling inside its box
    when long, and the pager when there are more; the description counts them all; all of
    them as files (``values``: the page's filters)."""
    names = labels.schedule_status()
    counts = queries.summarize(rows).by_schedule
    description = _(
        "Timeline of %(n)s measures grouped by lead entity, each bar spanning the planned "
        "window with the progress drawn inside it, situation on %(date)s: ",
        n=fmt_number(len(rows), lang), date=fmt_date(as_of, lang, "long"),
    ) + "; ".join(f"{names[s]} {fmt_number(counts[s], lang)}" for s in names if counts[s])
    shown, page, pages = list_page(rows, page, TIMELINE_PAGE)
    figure = measure_timeline(shown, lang, as_of)
    return html.Div(
        [
            legend(lang, as_of),
            html.Div(
                graph("impl-gantt", figure, description),
                className="timeline-scroll",
                style={"maxHeight": f"{TIMELINE_MAX_PX}px", "overflowY": "auto"},
                tabIndex="0",
                role="region",
                **{"aria-label": _("Timeline of the measures")},
            ),
            pager({"type": "impl-timeline-page"}, page, pages, lang) if pages > 1 else None,
            data_downloads("measures", lang, "timeline", **export_filters(values or {})),
        ]
    )


def legend(lang: str, as_of: dt.date) -> html.Ul:
    """The timeline's legend, outside the figure so it stays in view above a long chart."""
    swatches = [(SCHEDULE_COLORS[k], name) for k, name in labels.schedule_status().items()]
    swatches.append((STATUS_COLORS["cancelled"], labels.measure_status()["cancelled"]))
    items = [
        html.Li([html.Span(className="d-inline-block rounded-1 me-1 align-middle",
                           style={"width": "0.9rem", "height": "0.9rem", "backgroundColor": color},
                           **{"aria-hidden": "true"}), name],
                className="list-inline-item small")
        for color, name in swatches
    ]
    items.append(html.Li(
        [html.Span("┆", className="me-1 fw-bold", **{"aria-hidden": "true"}),
         _("As of %(date)s", date=fmt_date(as_of, lang))],
        className="list-inline-item small",
    ))
    items.append(html.Li(_("Pale bar: planned window; dark bar inside: progress reported."),
                         className="list-inline-item small text-body-secondary"))
    return html.Ul(items, className="list-inline mb-2", id="impl-legend")


def comparison(rows: list[dict], lang: str, as_of: dt.date) -> html.Div:
    by_lead = queries.expected_vs_actual_by_lead(rows, as_of)
    description = _("Bar chart, for each lead entity, of the progress expected by now "
                    "(mean share of the planned time elapsed) and of the progress reported: ") + "; ".join(
        f"{r['lead']} {fmt_percent(r['expected'], lang)} / {fmt_percent(r['actual'], lang)}"
        for r in by_lead
    )
    return graph(
        "impl-comparison-chart",
        expected_vs_actual(by_lead, lang, _("Expected and reported progress by lead entity")),
        description,
    )


def overdue_grid_rows(rows: list[dict], as_of: dt.date) -> list[dict]:
    """One page of ``queries.measure_page(..., overdue_only=True)`` as the grid shows it."""
    statuses = labels.measure_status()
    return [
        {
            "code": f"[{r['code']}](/measures/{r['code']})",
            "name": r["name"],
            "lead": f"[{r['lead']}](/entities/{r['lead']})",
            "end": r["planned_end"].isoformat(),
            "days": (as_of - r["planned_end"]).days,
            "progress": r["progress"],
            "status": statuses.get(r["status"], r["status"]),
        }
        for r in rows
    ]


def overdue_grid(lang: str) -> dag.AgGrid:
    """The overdue measures, a page at a time from the server (AG Grid's infinite model)."""
    columns = [
        {"field": "code", "headerName": _("Code"), "cellRenderer": "markdown", "width": 120,
         "pinned": "right" if lang == "ar" else "left"},
        {"field": "name", "headerName": _("Measure"), "flex": 3, "minWidth": 200,
         "wrapText": True, "autoHeight": True},
        {"field": "lead", "headerName": _("Lead entity"), "cellRenderer": "markdown", "width": 140},
        {"field": "end", "headerName": _("Planned end"), "width": 130},
        {"field": "days", "headerName": _("Days overdue"), "width": 160, "type": "numericColumn",
         "filter": "agNumberColumnFilter", "sort": "desc"},
        {"field": "progress", "headerName": _("Progress (%)"), "width": 130, "type": "numericColumn",
         "filter": "agNumberColumnFilter"},
        {"field": "status", "headerName": _("Reported status"), "width": 150},
    ]
    # A fixed height: an infinite grid cannot size itself to rows it has not loaded.
    return data_grid("impl-overdue-grid", [], columns, lang, height=560, page_size=20, infinite=True)
