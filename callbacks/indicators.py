"""Indicator pages: the list's filters drive its KPIs, chart and grid (the URL follows);
an indicator's year selector re-renders its breakdown charts."""
from __future__ import annotations

from dash import Dash, Input, Output, State, html
from flask_babel import gettext as _

from dashboard import queries
from dashboard.config import LANGUAGES
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

    # Keep the filters in the address bar without reloading the page, so a filtered view
    # can be bookmarked or shared; the language links follow it.
    app.clientside_callback(
        """
        function(...values) {
            const keys = %s;
            const url = new URL(window.location.href);
            keys.forEach(function(key, i) {
                if (values[i]) { url.searchParams.set(key, values[i]); } else { url.searchParams.delete(key); }
            });
            window.history.replaceState(window.history.state, '', url.pathname + url.search);
            return %s.map(function(lang) {
                url.searchParams.set('lang', lang);
                return url.pathname + url.search;
            });
        }
        """ % (list(FILTERS), list(LANGUAGES)),
        [Output(f"lang-{code}", "href", allow_duplicate=True) for code in LANGUAGES],
        *inputs,
        prevent_initial_call=True,
    )

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
