"""Partners and funding: the partner filter narrows the programmes table and the measures
they support (the URL follows); the key figures and charts cover every programme."""
from __future__ import annotations

import dash
from dash import ALL, MATCH, Dash, Input, Output, State

from callbacks import clicked_pager, keep_filters_in_url
from dashboard.national import funding
from dashboard.web.context import request_context
from layouts.parts.funding import (
    PARTNER_FILTER,
    partner_measures,
    programme_box,
    programme_grid_page,
    summary_line,
    supported_measures,
)


def register_callbacks(app: Dash) -> None:
    inputs = [Input(PARTNER_FILTER, "value")]

    @app.callback(
        Output("partners-grid-box", "children"),
        Output("partners-supported", "children"),
        Output("partners-summary", "children"),
        *inputs,
        prevent_initial_call=True,  # the page layout renders the first view
    )
    def update_partner(partner):
        ctx = request_context()
        rows = funding.of_partner(funding.programmes(ctx.session, ctx.lang), partner or None)
        # A new table asks for its first page again, for the new partner.
        partner = partner if isinstance(partner, str) else None
        return programme_box(ctx.lang, partner), supported_measures(rows, ctx.lang), summary_line(rows, ctx.lang)

    @app.callback(
        Output("partners-grid", "getRowsResponse"),
        Input("partners-grid", "getRowsRequest"),
        State(PARTNER_FILTER, "value"),
        prevent_initial_call=True,
    )
    def programme_rows(request, partner):
        if request is None:
            raise dash.exceptions.PreventUpdate
        ctx = request_context()
        rows = funding.of_partner(funding.programmes(ctx.session, ctx.lang), partner or None)
        return programme_grid_page(rows, ctx.lang, request)

    @app.callback(
        Output({"type": "partner-measures", "partner": MATCH}, "children"),
        Input({"type": "partner-measures-page", "partner": MATCH, "page": ALL}, "n_clicks"),
        prevent_initial_call=True,
    )
    def turn_page(_clicks):
        trigger = clicked_pager()
        ctx = request_context()
        partners = funding.supported_measures(funding.programmes(ctx.session, ctx.lang))
        partner = next((p for p in partners if p["acronym"] == trigger.get("partner")), None)
        if partner is None:  # no longer linked to any measure
            raise dash.exceptions.PreventUpdate
        return partner_measures(partner, ctx.lang, trigger.get("page"))

    keep_filters_in_url(app, ("partner",), inputs)
