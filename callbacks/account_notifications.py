"""``/account/notifications``: save the weekly digest choice; the service checks who asks and
the version they saw."""
from __future__ import annotations

import dash
import dash_bootstrap_components as dbc
from dash import Dash, Input, Output, State, no_update

from callbacks import run_write
from dashboard.i18n import gettext as _
from dashboard.web.context import request_context
from dashboard.workflow import notifications

DIGEST = {"on": True, "off": False}  # the choice as sent; anything else is refused by the service


def register_callbacks(app: Dash) -> None:
    @app.callback(
        Output("account-notifications-message", "children"),
        Output("account-notifications-version", "data"),
        Input("account-notifications-save", "n_clicks"),
        State("account-notifications-digest", "value"),
        State("account-notifications-version", "data"),
        prevent_initial_call=True,
    )
    def save(clicks, choice, version):
        if not clicks:
            raise dash.exceptions.PreventUpdate
        rc = request_context()
        setting, error = run_write(lambda s: notifications.set_digest(s, rc.actor, DIGEST.get(choice), version))
        if error is not None:
            return dbc.Alert(str(error), color="danger"), no_update
        text = (_("You will receive the weekly digest.") if setting.receives_digest
                else _("You will no longer receive the weekly digest."))
        return dbc.Alert(text, color="success"), setting.version
