"""``/statistics``: the national figures on trafficking in persons, by publisher.

Every figure on this page, in its chart hovers and in its CSV downloads has been through
``statistics.released_figures``: readers without exact access (the public, donors) see
"<5" for a count from 1 to 4, and other cells are hidden when they would give one away."""
from __future__ import annotations

import dash
from dash import html
from flask_babel import gettext as _

from dashboard import labels
from dashboard.context import request_context
from dashboard.disclosure import configured_threshold
from dashboard.permissions import allowed
from dashboard.statistics import MAIN_SERIES, released_figures, select_figures
from layouts.components import card, data_grid, graph, page_header
from layouts.parts.indicators import category_names
from layouts.parts.statistics import (
    category_label,
    figure_text,
    grouped_bars,
    trend_chart,
)

dash.register_page(__name__, path="/statistics", title=lambda **_kw: _("National statistics") + " · CNCLTEH")


def layout(**_query):
    ctx = request_context()
    lang, threshold = ctx.lang, configured_threshold()
    figures = released_figures(ctx.session, ctx.actor, lang, threshold)
    names = category_names(ctx.session, lang)
    exact = allowed(ctx.actor, "read_restricted")
    note = (_("You see exact figures.") if exact else
            _("Counts from 1 to %(n)d are shown as \"<%(threshold)d\", and a few other cells are hidden (\"–\") "
              "so that they cannot be worked out by subtraction.", n=threshold - 1, threshold=threshold))
    trends = select_figures(figures, "trends")
    parts = [
        page_header(_("National statistics"),
                    _("Victims identified, cases, prosecutions and convictions, as each body publishes them.")),
        html.Div([
            html.P(_("The US State Department, the Public Prosecution, the CSPJ, the CNDH and the commission count "
                     "different things: a case, a person prosecuted or a ruling. Their figures are shown side by "
                     "side, each with its source, and never added together."), className="mb-1"),
            html.P(note, className="mb-0 small", id="statistics-disclosure-note"),
        ], className="alert alert-info", role="note"),
        html.Div([html.Div(_chart_card(f"statistics-trend-{series}", trend_chart(trends, lang, threshold, series),
                                       "trends", trends, lang, series=series), className="col-lg-6")
                  for series in MAIN_SERIES], className="row g-3 mb-3"),
    ]
    sections = [
        ("sex_age", _("Victims by sex and age group")),
        ("exploitation", _("Victims by form of exploitation")),
        ("children", _("Child victims")),
        ("regions", _("Victims by region")),
    ]
    charts = []
    for chart, title in sections:
        rows = select_figures(figures, chart)
        figure = grouped_bars(rows, lang, threshold, title, names, "region" if chart == "regions" else None)
        charts.append(html.Div(_chart_card(f"statistics-{chart}", figure, chart, rows, lang), className="col-12"))
    parts.append(html.Div(charts, className="row g-3 mb-3"))
    parts.append(card(_("All figures"), html.Div([
        _csv_link("all", lang),
        data_grid("statistics-grid", _grid_rows(figures, lang, threshold, names), _grid_columns(), lang, height=480),
    ])))
    return html.Div(parts, id="statistics-page")


def _chart_card(graph_id: str, figure, chart: str, rows, lang: str, series: str | None = None):
    sources = sorted({(f.publisher, f.citation, f.is_demo) for f in rows
                      if series is None or f.series == series})
    source_list = html.Ul([html.Li([html.Bdi(f"{publisher}: {citation}", dir="auto"),
                                    " ", html.Span(_("Demonstration data"), className="badge text-bg-warning")
                                    if demo else None]) for publisher, citation, demo in sources],
                          className="small text-body-secondary mb-1")
    description = _("Chart: %(title)s", title=figure.layout.title.text or "")
    return html.Section(html.Div([
        graph(graph_id, figure, description),
        html.Div(_("Sources"), className="small fw-semibold mt-2") if sources else None,
        source_list if sources else None,
        _csv_link(chart, lang),
    ], className="card-body"), className="card shadow-sm h-100")


def _csv_link(chart: str, lang: str):
    return html.A([html.I(className="bi bi-download me-1", **{"aria-hidden": "true"}), _("Download CSV")],
                  href=f"/statistics/export/{chart}.csv?lang={lang}", className="btn btn-outline-secondary btn-sm",
                  download=f"statistics-{chart}.csv")


def _grid_columns() -> list[dict]:
    return [
        {"field": "publisher", "headerName": _("Publisher"), "width": 110},
        {"field": "series", "headerName": _("What is counted"), "flex": 1, "minWidth": 160},
        {"field": "period", "headerName": _("Period"), "width": 110},
        {"field": "breakdown", "headerName": _("Breakdown"), "flex": 1, "minWidth": 160},
        {"field": "value", "headerName": _("Figure"), "width": 110},
        {"field": "source", "headerName": _("Source"), "flex": 2, "minWidth": 200, "wrapText": True,
         "autoHeight": True},
    ]


def _grid_rows(figures, lang: str, threshold: int, names: dict[str, str]) -> list[dict]:
    series_names = labels.statistic_series()
    return [{"publisher": f.publisher, "series": series_names.get(f.series, f.series), "period": f.period,
             "breakdown": category_label(f, names), "value": figure_text(f, lang, threshold),
             "source": f.citation + (" · " + _("Demonstration data") if f.is_demo else "")}
            for f in figures]
