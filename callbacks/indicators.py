"""Indicator pages: the list's filters drive its KPIs, chart and grid (the URL follows);
an indicator's year selector re-renders its breakdown charts."""
from __future__ import annotations

from dash import Dash, Input, Output, State, html
from flask_babel import gettext as _

from callbacks import keep_filters_in_url
from dashboard import queries
from dashboard.context import request_context
from layouts.parts.indicators import (
    FILTERS,
    axis_chart,
    breakdown_section,
    grid_rows,
    indicator_filter,
    kpis,
    public_rows,
    summary_line,
)


def register_callbacks(app: Dash) -> None:
    inputs = [Input(f"indicators-{key}", "value") for key in FILTERS]

    @app.callback(
        Output("indicators-kpis", "children"),
        Output("indicators-chart", "children"),
        Output("indicators-grid", "rowData"),
        Output("indicators-summary", "children"),
        *inputs,
        prevent_initial_call=True,  # the page layout renders the first view
    )
    def update_indicators(*values):
        ctx = request_context()
        filters = indicator_filter(dict(zip(FILTERS, values)))
        rows = public_rows(ctx.session, ctx.lang, ctx.as_of, ctx.freshness_days, filters)
        return (kpis(rows, ctx.lang, ctx.freshness_days), axis_chart(ctx.session, rows, ctx.lang),
                grid_rows(rows, ctx.lang), summary_line(ctx.lang, rows))

    keep_filters_in_url(app, FILTERS, inputs)

    @app.callback(
        Output("indicator-breakdowns", "children"),
        Input("indicator-breakdown-year", "value"),
        State("indicator-code", "data"),
        prevent_initial_call=True,
    )
    def update_breakdowns(year, code):
        ctx = request_context()
        # The request comes from the browser: look the indicator up again, public only.
        indicator = queries.indicator_by_code(ctx.session, str(code or ""))
        if indicator is None:
            return html.P(_("There is no public indicator with this code."))
        chosen = int(year) if year and str(year).isdigit() else None
        return breakdown_section(ctx.session, indicator, chosen, ctx.lang)
