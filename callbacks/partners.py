"""Partners and funding: the partner filter narrows the programmes table and the measures
they support (the URL follows); the key figures and charts cover every programme."""
from __future__ import annotations

from dash import Dash, Input, Output

from callbacks import keep_filters_in_url
from dashboard.national import funding
from dashboard.web.context import request_context
from layouts.parts.funding import (
    PARTNER_FILTER,
    grid_rows,
    summary_line,
    supported_measures,
)


def register_callbacks(app: Dash) -> None:
    inputs = [Input(PARTNER_FILTER, "value")]

    @app.callback(
        Output("partners-grid", "rowData"),
        Output("partners-supported", "children"),
        Output("partners-summary", "children"),
        *inputs,
        prevent_initial_call=True,  # the page layout renders the first view
    )
    def update_partner(partner):
        ctx = request_context()
        rows = funding.of_partner(funding.programmes(ctx.session, ctx.lang), partner or None)
        return grid_rows(rows, ctx.lang), supported_measures(rows, ctx.lang), summary_line(rows, ctx.lang)

    keep_filters_in_url(app, ("partner",), inputs)
