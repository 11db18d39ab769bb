"""Implementation timeline: filters drive the KPI cards, the timeline, the comparison
chart and the overdue table; the URL follows."""
from __future__ import annotations

from dash import Dash, Input, Output

from callbacks import keep_filters_in_url
from dashboard.web.context import request_context
from layouts.parts.implementation import FILTERS, sections, selected_rows


def register_callbacks(app: Dash) -> None:
    inputs = [Input(f"impl-{key}", "value") for key in FILTERS]

    # The layout renders the first state itself, hence prevent_initial_call.
    @app.callback(
        Output("impl-kpis", "children"),
        Output("impl-timeline", "children"),
        Output("impl-comparison", "children"),
        Output("impl-overdue-grid", "rowData"),
        *inputs,
        prevent_initial_call=True,
    )
    def update_implementation(*values):
        ctx = request_context()
        chosen = dict(zip(FILTERS, values))
        rows = selected_rows(ctx.session, ctx.lang, ctx.as_of, ctx.freshness_days, chosen)
        return sections(rows, ctx.lang, ctx.as_of, any(chosen.values()))

    keep_filters_in_url(app, FILTERS, inputs)
