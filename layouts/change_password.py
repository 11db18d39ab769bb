"""``/account/password``: the logged-in user changes their own password (the current one
first). Every other session of the account ends."""
from __future__ import annotations

import dash
import dash_bootstrap_components as dbc
from dash import html
from flask_babel import gettext as _

from dashboard.web.context import request_context
from layouts.components import page_header
from layouts.parts.access import login_prompt, new_password_fields

PATH = "/account/password"

dash.register_page(__name__, path=PATH, title=lambda **_kw: _("Change your password") + " · CNCLTEH")


def layout(**_query):
    ctx = request_context()
    header = page_header(_("Change your password"))
    if not ctx.actor.is_authenticated:
        return html.Div([header, login_prompt(PATH)], className="login-page")
    return html.Div(
        [
            header,
            html.Div(
                [
                    # Lets password managers save the new password under the right account.
                    html.Div(dbc.Input(id="change-password-email", type="email", value=ctx.actor.email,
                                       autocomplete="username", readonly=True, tabIndex="-1"),
                             className="visually-hidden", **{"aria-hidden": "true"}),
                    html.Div(
                        [
                            dbc.Label(_("Current password"), html_for="change-password-current"),
                            dbc.Input(id="change-password-current", type="password",
                                      autocomplete="current-password", required=True, n_submit=0),
                        ],
                        className="mb-3",
                    ),
                    *new_password_fields("change-password"),
                    html.Button(_("Change the password"), id="change-password-submit", type="button",
                                n_clicks=0, className="btn btn-primary"),
                    html.Div(id="change-password-message", className="mt-3", **{"aria-live": "polite"}),
                ],
                className="card card-body shadow-sm",
            ),
        ],
        className="login-page",
    )
