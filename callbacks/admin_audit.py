"""The audit trail page: the filters drive the grid, the row count and the CSV link."""
from __future__ import annotations

from dash import Dash, Input, Output, html

from callbacks import keep_filters_in_url
from dashboard.errors import Forbidden
from dashboard.web.context import request_context
from layouts.parts.admin import EXPORT_PATH, FILTERS, export_href, matching


def register_callbacks(app: Dash) -> None:
    inputs = [Input(f"audit-{key}", "value") for key in FILTERS]

    @app.callback(
        Output("audit-grid", "rowData"),
        Output("audit-count", "children"),
        Output("audit-export", "href"),
        *inputs,
        prevent_initial_call=True,
    )
    def filter_audit(*values):
        ctx = request_context()
        chosen = dict(zip(FILTERS, values))
        try:
            rows, note = matching(chosen, ctx.lang)
        except Forbidden as error:
            return [], html.Div(str(error), className="alert alert-warning", role="alert"), EXPORT_PATH
        return rows, note, export_href(chosen)

    keep_filters_in_url(app, FILTERS, inputs)
