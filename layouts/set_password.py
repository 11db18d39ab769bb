"""``/set-password?token=...``: the owner of an account chooses its password from the link
e-mailed to them (account creation or reset). The link works once; then they are logged in.
"""
from __future__ import annotations

import dash
import dash_bootstrap_components as dbc
from dash import dcc, html
from flask_babel import gettext as _

from dashboard.web.context import request_context
from dashboard.workflow import accounts
from layouts.components import page_header
from layouts.parts.access import alert, new_password_fields

dash.register_page(__name__, path="/set-password", title=lambda **_kw: _("Choose your password") + " · CNCLTEH")


def layout(token=None, **_query):
    ctx = request_context()
    header = page_header(_("Choose your password"))
    user = accounts.link_account(ctx.session, token)
    if user is None:
        return html.Div(
            [
                header,
                alert(accounts.invalid_link_message(), "warning", "set-password-invalid"),
                dcc.Link(_("Log in"), href="/login", className="btn btn-primary btn-sm mt-3"),
            ],
            className="login-page",
        )
    return html.Div(
        [
            header,
            html.Div(
                [
                    html.P(_("For the account %(email)s. Only you will know this password.", email=user.email),
                           id="set-password-account"),
                    # Lets password managers save the new password under the right account.
                    html.Div(dbc.Input(id="set-password-email", type="email", value=user.email,
                                       autocomplete="username", readonly=True, tabIndex="-1"),
                             className="visually-hidden", **{"aria-hidden": "true"}),
                    *new_password_fields("set-password"),
                    html.Button(_("Set the password and log in"), id="set-password-submit", type="button",
                                n_clicks=0, className="btn btn-primary"),
                    html.Div(id="set-password-message", className="mt-3", **{"aria-live": "polite"}),
                ],
                className="card card-body shadow-sm",
            ),
            dcc.Store(id="set-password-token", data=token),
            # refresh=True: a full page load, so the shell shows the logged-in user.
            dcc.Location(id="set-password-redirect", refresh=True),
        ],
        className="login-page",
    )
