"""/my: the grids of the measures and the indicators of a focal point's entity ask for their
rows a page at a time; the services check who asks."""
from __future__ import annotations

import dash
from dash import Dash, Input, Output

from dashboard.errors import UserError
from dashboard.web.context import request_context
from dashboard.workflow import worklists
from layouts.components import grid_page
from layouts.parts.workflow import inbox_grid_rows, inbox_indicator_rows


def register_callbacks(app: Dash) -> None:
    @app.callback(
        Output("my-measures-grid", "getRowsResponse"),
        Input("my-measures-grid", "getRowsRequest"),
        prevent_initial_call=True,
    )
    def my_measures(request):
        if request is None:
            raise dash.exceptions.PreventUpdate
        ctx = request_context()
        try:
            page = worklists.inbox_measure_page(ctx.session, ctx.actor, ctx.lang, ctx.as_of, ctx.freshness_days,
                                                request)
        except UserError:  # signed out, or not a focal point: nothing to show
            return grid_page([], 0)
        return grid_page(inbox_grid_rows(page["rows"], ctx.lang), page["total"])

    @app.callback(
        Output("my-indicators-grid", "getRowsResponse"),
        Input("my-indicators-grid", "getRowsRequest"),
        prevent_initial_call=True,
    )
    def my_indicators(request):
        if request is None:
            raise dash.exceptions.PreventUpdate
        ctx = request_context()
        try:
            page = worklists.inbox_indicator_page(ctx.session, ctx.actor, ctx.lang, request)
        except UserError:  # signed out, or not a focal point: nothing to show
            return grid_page([], 0)
        return grid_page(inbox_indicator_rows(page["rows"], ctx.lang), page["total"])
