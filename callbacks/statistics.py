"""``/statistics``: the filters re-render the charts, the CSV links and the table (the URL
follows). The figures are released again for the user behind the request."""
from __future__ import annotations

from dash import Dash, Input, Output

from callbacks import keep_filters_in_url
from dashboard.national.statistics import filter_from, released_figures
from dashboard.web.context import request_context
from dashboard.web.settings import small_cell_threshold
from layouts.parts.statistics import FILTERS, body


def register_callbacks(app: Dash) -> None:
    inputs = [Input(f"statistics-{key}", "value") for key in FILTERS]

    @app.callback(Output("statistics-body", "children"), *inputs,
                  prevent_initial_call=True)  # the page layout renders the first view
    def update_statistics(*values):
        ctx = request_context()
        threshold = small_cell_threshold()
        figures = released_figures(ctx.session, ctx.actor, ctx.lang, threshold)
        return body(figures, ctx.lang, threshold, filter_from(dict(zip(FILTERS, values))))

    keep_filters_in_url(app, FILTERS, inputs)
