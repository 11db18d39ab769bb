"""Activities page: the filters drive the KPIs, the charts, the cards and the summary;
the URL follows."""
from __future__ import annotations

from dash import ALL, Dash, Input, Output, State

from callbacks import clicked_pager, keep_filters_in_url
from dashboard.national import activities
from dashboard.web.context import request_context
from layouts.parts.activities import (
    FILTERS,
    activity_filter,
    activity_list,
    activity_page,
    charts_block,
    kpis,
    participants_note,
    summary_line,
)


def register_callbacks(app: Dash) -> None:
    inputs = [Input(f"activities-{key}", "value") for key in FILTERS]

    @app.callback(
        Output("activities-kpis", "children"),
        Output("activities-charts", "children"),
        Output("activities-list", "children"),
        Output("activities-summary", "children"),
        *inputs,
        prevent_initial_call=True,  # the page layout renders the first view
    )
    def update_activities(*values):
        ctx = request_context()
        filters = activity_filter(dict(zip(FILTERS, values)))
        rows = activities.activity_rows(ctx.session, ctx.lang, filters)
        return ([kpis(rows, ctx.lang), participants_note(rows, ctx.lang)],
                charts_block(ctx.session, rows, ctx.lang, filters), activity_list(rows, ctx.lang),
                summary_line(rows, ctx.lang))

    @app.callback(
        Output("activities-list-page", "children"),
        Input({"type": "activities-page", "page": ALL}, "n_clicks"),
        *[State(f"activities-{key}", "value") for key in FILTERS],
        prevent_initial_call=True,
    )
    def turn_page(_clicks, *values):
        trigger = clicked_pager()
        ctx = request_context()
        rows = activities.activity_rows(ctx.session, ctx.lang, activity_filter(dict(zip(FILTERS, values))))
        return activity_page(rows, ctx.lang, trigger.get("page"))

    keep_filters_in_url(app, FILTERS, inputs)
