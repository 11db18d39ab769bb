"""``/statistics``: the filters re-render the charts, the CSV links and the table (the URL
follows); the table asks for its rows a page at a time. The figures are released for the
user behind each request (``released_figures``, remembered by the data's version)."""
from __future__ import annotations

import dash
from dash import Dash, Input, Output, State

from callbacks import keep_filters_in_url
from dashboard.national.statistics import filter_from, released_figures
from dashboard.web.context import request_context
from dashboard.web.settings import small_cell_threshold
from layouts.parts.statistics import FILTERS, body, grid_page_of


def register_callbacks(app: Dash) -> None:
    inputs = [Input(f"statistics-{key}", "value") for key in FILTERS]

    @app.callback(Output("statistics-body", "children"), *inputs,
                  prevent_initial_call=True)  # the page layout renders the first view
    def update_statistics(*values):
        ctx = request_context()
        threshold = small_cell_threshold()
        figures = released_figures(ctx.session, ctx.actor, ctx.lang, threshold)
        return body(figures, ctx.lang, threshold, filter_from(dict(zip(FILTERS, values))))

    @app.callback(Output("statistics-grid", "getRowsResponse"), Input("statistics-grid", "getRowsRequest"),
                  *[State(f"statistics-{key}", "value") for key in FILTERS], prevent_initial_call=True)
    def statistics_rows(request, *values):
        if request is None:
            raise dash.exceptions.PreventUpdate
        ctx = request_context()
        threshold = small_cell_threshold()
        figures = released_figures(ctx.session, ctx.actor, ctx.lang, threshold)
        return grid_page_of(figures, ctx.lang, threshold, filter_from(dict(zip(FILTERS, values))), request)

    keep_filters_in_url(app, FILTERS, inputs)
