"""Indicator pages: the list's filters drive its KPIs, chart and grid (the URL follows);
an indicator's year selector re-renders its breakdown charts. The figures are those the
services release for the user (``indicator_values``, ``queries.indicator_rows``)."""
from __future__ import annotations

import dash
from dash import Dash, Input, Output, State, html
from flask_babel import gettext as _

from callbacks import keep_filters_in_url
from dashboard.permissions import allowed
from dashboard.plan import queries
from dashboard.web.context import request_context
from layouts.parts.indicators import (
    FILTERS,
    axis_chart,
    breakdown_section,
    indicator_filter,
    indicator_grid,
    indicator_grid_page,
    kpis,
    summary_line,
    table_downloads,
    visible_rows,
)


def register_callbacks(app: Dash) -> None:
    inputs = [Input(f"indicators-{key}", "value") for key in FILTERS]

    @app.callback(
        Output("indicators-kpis", "children"),
        Output("indicators-chart", "children"),
        Output("indicators-grid-box", "children"),
        Output("indicators-summary", "children"),
        Output("indicators-downloads", "children"),
        *inputs,
        prevent_initial_call=True,  # the page layout renders the first view
    )
    def update_indicators(*values):
        ctx = request_context()
        filters = indicator_filter(dict(zip(FILTERS, values)))
        rows = visible_rows(ctx, filters)
        # A new grid asks for its first page again, with the new filters.
        return (kpis(rows, ctx.lang, ctx.freshness_days), axis_chart(ctx.session, rows, ctx.lang, filters),
                indicator_grid("indicators-grid", ctx.lang, ctx.actor.reads_restricted), summary_line(ctx.lang, rows),
                table_downloads(ctx.lang, filters))

    @app.callback(
        Output("indicators-grid", "getRowsResponse"),
        Input("indicators-grid", "getRowsRequest"),
        *[State(f"indicators-{key}", "value") for key in FILTERS],
        prevent_initial_call=True,
    )
    def indicator_rows(request, *values):
        if request is None:
            raise dash.exceptions.PreventUpdate
        ctx = request_context()
        rows = visible_rows(ctx, indicator_filter(dict(zip(FILTERS, values))))
        return indicator_grid_page(rows, ctx.lang, ctx.actor.reads_restricted, request)

    keep_filters_in_url(app, FILTERS, inputs)

    @app.callback(
        Output("indicator-breakdowns", "children"),
        Input("indicator-breakdown-year", "value"),
        State("indicator-code", "data"),
        prevent_initial_call=True,
    )
    def update_breakdowns(year, code):
        ctx = request_context()
        # The request comes from the browser: look the indicator up again, as this user may see it.
        indicator = queries.indicator_by_code(ctx.session, str(code or ""), include_restricted=True)
        if indicator is not None and not allowed(ctx.actor, "read_indicator", indicator):
            indicator = None
        if indicator is None:
            return html.P(_("There is no public indicator with this code."))
        chosen = int(year) if year and str(year).isdigit() else None
        return breakdown_section(ctx.session, ctx.actor, indicator, chosen, ctx.lang)
