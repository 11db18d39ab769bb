"""Plan explorer: filters drive the summary, the grid and (once opened) the tree; the grid
asks for its rows a page at a time; the URL follows the filters."""
from __future__ import annotations

import dash
from dash import ALL, MATCH, Dash, Input, Output, State

from callbacks import clicked_pager, keep_filters_in_url
from dashboard.plan import queries
from dashboard.web.context import request_context
from layouts.components import grid_page, measure_grid, measure_grid_rows
from layouts.parts.plan import FILTERS, grid_downloads, measure_filter, objectives, summary_line, tree


def register_callbacks(app: Dash) -> None:
    inputs = [Input(f"plan-{key}", "value") for key in FILTERS]
    states = [State(f"plan-{key}", "value") for key in FILTERS]

    # The layout renders the summary and the grid; the tree waits for its button.
    @app.callback(
        Output("plan-tree", "children"),
        Output("plan-grid-box", "children"),
        Output("plan-summary", "children"),
        Output("plan-grid-downloads", "children"),
        *inputs,
        Input("plan-tree-open", "n_clicks"),
        prevent_initial_call=True,
    )
    def update_plan(*values):
        ctx = request_context()
        *chosen, opened = values
        values = dict(zip(FILTERS, chosen))
        filters = measure_filter(values)
        tree_part = tree(ctx.session, ctx.lang, ctx.as_of, filters) if opened else dash.no_update
        if dash.ctx.triggered_id == "plan-tree-open":
            return tree_part, dash.no_update, dash.no_update, dash.no_update
        # A new grid asks for its first page again, with the new filters.
        summary = queries.measure_summary(ctx.session, ctx.as_of, filters)
        return (tree_part, measure_grid("plan-grid", [], ctx.lang, height=640, infinite=True),
                summary_line(ctx.lang, summary), grid_downloads(ctx.lang, values))

    @app.callback(
        Output("plan-grid", "getRowsResponse"),
        Input("plan-grid", "getRowsRequest"),
        *states,
        prevent_initial_call=True,
    )
    def plan_rows(request, *chosen):
        if request is None:
            raise dash.exceptions.PreventUpdate
        ctx = request_context()
        filters = measure_filter(dict(zip(FILTERS, chosen)))
        page = queries.measure_page(ctx.session, ctx.actor, ctx.lang, ctx.as_of, ctx.freshness_days,
                                    filters, request)
        return grid_page(measure_grid_rows(page["rows"], ctx.lang), page["total"])

    @app.callback(
        Output({"type": "plan-tree-objectives", "axis": MATCH}, "children"),
        Input({"type": "plan-tree-axis", "axis": MATCH}, "n_clicks"),
        Input({"type": "plan-tree-page", "axis": MATCH, "page": ALL}, "n_clicks"),
        *states,
        prevent_initial_call=True,
    )
    def axis_objectives(_opened, _pages, *chosen):
        trigger = clicked_pager()
        page = trigger.get("page", 0)
        page = page if isinstance(page, int) else 0
        ctx = request_context()
        filters = measure_filter(dict(zip(FILTERS, chosen)))
        return objectives(ctx.session, ctx.lang, ctx.as_of, filters, str(trigger.get("axis", "")), page)

    keep_filters_in_url(app, FILTERS, inputs)
