"""Plan explorer: filters drive the tree, the grid and the summary; the URL follows."""
from __future__ import annotations

from dash import Dash, Input, Output

from callbacks import keep_filters_in_url
from dashboard.plan import queries
from dashboard.web.context import request_context
from layouts.components import measure_grid_rows
from layouts.parts.plan import FILTERS, measure_filter, summary_line, tree


def register_callbacks(app: Dash) -> None:
    inputs = [Input(f"plan-{key}", "value") for key in FILTERS]

    @app.callback(
        Output("plan-tree", "children"),
        Output("plan-grid", "rowData"),
        Output("plan-summary", "children"),
        *inputs,
    )
    def update_plan(*values):
        ctx = request_context()
        filters = measure_filter(dict(zip(FILTERS, values)))
        rows = queries.measure_rows(ctx.session, ctx.lang, ctx.as_of, ctx.freshness_days, filters)
        return tree(ctx.lang, rows), measure_grid_rows(rows, ctx.lang), summary_line(ctx.lang, rows)

    keep_filters_in_url(app, FILTERS, inputs)
