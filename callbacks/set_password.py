"""Choosing a password: from a set-password link (``/set-password``), or the logged-in user's
own change (``/account/password``). The services check everything; these only show the result.
"""
from __future__ import annotations

from dash import Dash, Input, Output, State, no_update
from flask_babel import gettext as _

from dashboard.errors import UserError
from dashboard.web import auth
from layouts.parts.access import alert, home_of


def register_callbacks(app: Dash) -> None:
    @app.callback(
        Output("set-password-message", "children"),
        Output("set-password-new", "value"),
        Output("set-password-confirm", "value"),
        Output("set-password-redirect", "href"),
        Input("set-password-submit", "n_clicks"),
        Input("set-password-confirm", "n_submit"),
        State("set-password-token", "data"),
        State("set-password-new", "value"),
        State("set-password-confirm", "value"),
        prevent_initial_call=True,
    )
    def set_password(_clicks, _submits, token, password, confirmation):
        try:
            result = auth.set_password_and_log_in(token, password, confirmation)
        except UserError as error:
            return alert(str(error), component_id="set-password-refused"), "", "", no_update
        if not result.ok:
            # The password is set, but this log-in was refused (e.g. too many attempts here).
            return alert(_("Your password is set. %(reason)s", reason=result.message), "info"), "", "", no_update
        return no_update, "", "", home_of(result.user.role)

    @app.callback(
        Output("change-password-message", "children"),
        Output("change-password-current", "value"),
        Output("change-password-new", "value"),
        Output("change-password-confirm", "value"),
        Input("change-password-submit", "n_clicks"),
        Input("change-password-confirm", "n_submit"),
        State("change-password-current", "value"),
        State("change-password-new", "value"),
        State("change-password-confirm", "value"),
        prevent_initial_call=True,
    )
    def change_password(_clicks, _submits, current, password, confirmation):
        try:
            result = auth.change_password(current, password, confirmation)
        except UserError as error:
            return alert(str(error), component_id="change-password-refused"), "", "", ""
        if not result.ok:
            return alert(result.message, component_id="change-password-refused"), "", "", ""
        return (alert(_("Your password was changed. Your sessions on other devices have ended."), "success",
                      "change-password-done"), "", "", "")
