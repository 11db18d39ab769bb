"""The log-in form: check the credentials, then reload the page at the user's start page."""
from __future__ import annotations

from dash import Dash, Input, Output, State, html, no_update

from dashboard.web import auth
from layouts.parts.access import home_of, safe_next


def register_callbacks(app: Dash) -> None:
    @app.callback(
        Output("login-message", "children"),
        Output("login-password", "value"),
        Output("login-redirect", "href"),
        Input("login-submit", "n_clicks"),
        Input("login-password", "n_submit"),
        Input("login-email", "n_submit"),
        State("login-email", "value"),
        State("login-password", "value"),
        State("login-next", "data"),
        prevent_initial_call=True,
    )
    def log_in(_clicks, _submits, _email_submits, email, password, next_path):
        result = auth.log_in(email or "", password or "")
        if not result.ok:
            alert = html.Div(result.message, className="alert alert-danger py-2 mb-0", role="alert")
            return alert, "", no_update
        return no_update, "", safe_next(next_path) or home_of(result.user.role)
