"""Implementation timeline: filters drive the KPI cards, the timeline, the comparison
chart and the overdue table, whose rows come a page at a time; the URL follows."""
from __future__ import annotations

import dash
from dash import ALL, Dash, Input, Output, State

from callbacks import clicked_pager, keep_filters_in_url
from dashboard.plan import queries
from dashboard.web.context import request_context
from layouts.components import grid_page
from layouts.parts.implementation import (
    FILTERS,
    measure_filter,
    overdue_grid_rows,
    sections,
    selected_rows,
    timeline,
)


def register_callbacks(app: Dash) -> None:
    inputs = [Input(f"impl-{key}", "value") for key in FILTERS]

    # The layout renders the first state itself, hence prevent_initial_call.
    @app.callback(
        Output("impl-kpis", "children"),
        Output("impl-timeline", "children"),
        Output("impl-comparison", "children"),
        Output("impl-overdue-box", "children"),
        Output("impl-overdue-downloads", "children"),
        *inputs,
        prevent_initial_call=True,
    )
    def update_implementation(*values):
        ctx = request_context()
        chosen = dict(zip(FILTERS, values))
        rows = selected_rows(ctx.session, ctx.lang, ctx.as_of, ctx.freshness_days, chosen)
        return sections(rows, ctx.lang, ctx.as_of, chosen)

    @app.callback(
        Output("impl-timeline", "children", allow_duplicate=True),
        Input({"type": "impl-timeline-page", "page": ALL}, "n_clicks"),
        *[State(f"impl-{key}", "value") for key in FILTERS],
        prevent_initial_call=True,
    )
    def turn_timeline_page(_clicks, *values):
        trigger = clicked_pager()
        ctx = request_context()
        chosen = dict(zip(FILTERS, values))
        rows = selected_rows(ctx.session, ctx.lang, ctx.as_of, ctx.freshness_days, chosen)
        return timeline(rows, ctx.lang, ctx.as_of, trigger.get("page"), values=chosen)

    @app.callback(
        Output("impl-overdue-grid", "getRowsResponse"),
        Input("impl-overdue-grid", "getRowsRequest"),
        *[State(f"impl-{key}", "value") for key in FILTERS],
        prevent_initial_call=True,
    )
    def overdue_rows(request, *values):
        if request is None:
            raise dash.exceptions.PreventUpdate
        ctx = request_context()
        page = queries.measure_page(ctx.session, ctx.actor, ctx.lang, ctx.as_of, ctx.freshness_days,
                                    measure_filter(dict(zip(FILTERS, values))), request, overdue_only=True)
        return grid_page(overdue_grid_rows(page["rows"], ctx.as_of), page["total"])

    keep_filters_in_url(app, FILTERS, inputs)
