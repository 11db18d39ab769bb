"""``/account/tokens``: create a token (its secret shown once) and revoke one. The service
refuses accounts that may not have tokens, whatever the browser sends."""
from __future__ import annotations

import re

import dash
import dash_bootstrap_components as dbc
from dash import Dash, Input, Output, State, no_update

from callbacks import run_write
from dashboard.web.context import request_context
from dashboard.workflow import api_tokens
from layouts.parts.api_tokens import created_notice, token_table


def register_callbacks(app: Dash) -> None:
    @app.callback(
        Output("api-tokens-message", "children"),
        Output("api-tokens-list", "children"),
        Output("api-tokens-name", "value"),
        Input("api-tokens-create", "n_clicks"),
        Input("api-tokens-name", "n_submit"),
        State("api-tokens-name", "value"),
        State("api-tokens-days", "value"),
        prevent_initial_call=True,
    )
    def create(_clicks, _submits, name, days):
        rc = request_context()
        created, error = run_write(lambda s: api_tokens.create_token(s, rc.actor, name or "", days or 0))
        if error is not None:
            return dbc.Alert(str(error), color="danger"), no_update, no_update
        return created_notice(created.secret), token_table(api_tokens.tokens_of(rc.session, rc.actor), rc.lang), ""

    @app.callback(
        Output("api-tokens-list", "children", allow_duplicate=True),
        Output("api-tokens-message", "children", allow_duplicate=True),
        Input("api-tokens-revoke", "n_clicks"),
        State("api-tokens-revoke-id", "value"),
        prevent_initial_call=True,
    )
    def revoke(clicks, chosen):
        if not clicks or not chosen:
            raise dash.exceptions.PreventUpdate
        rc = request_context()
        token_id = int(chosen) if re.fullmatch(r"[0-9]{1,9}", chosen) else 0
        _row, error = run_write(lambda s: api_tokens.revoke_token(s, rc.actor, token_id))
        message = dbc.Alert(str(error), color="danger") if error is not None else ""
        return token_table(api_tokens.tokens_of(rc.session, rc.actor), rc.lang), message
