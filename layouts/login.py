"""``/login``: the log-in form (e-mail and password).

``?next=/path`` is where to go after logging in (a local path only, checked again by the
callback); ``?expired=1`` says the previous session ended for inactivity.
"""
from __future__ import annotations

import dash
import dash_bootstrap_components as dbc
from dash import dcc, html
from flask import g
from flask_babel import gettext as _

from dashboard.labels import role_names
from dashboard.web.context import request_context
from layouts.components import page_header
from layouts.parts.access import home_of, safe_next

dash.register_page(__name__, path="/login", title=lambda **_kw: _("Log in") + " · CNCLTEH")


def layout(next=None, expired=None, **_query):
    ctx = request_context()
    if ctx.actor.is_authenticated:
        return html.Div(
            [
                page_header(_("Log in")),
                html.P(
                    _("You are logged in as %(name)s (%(role)s).", name=ctx.actor.name or ctx.actor.email,
                      role=role_names().get(ctx.actor.role, ctx.actor.role)),
                    id="login-already",
                ),
                html.Div(
                    [
                        dcc.Link(_("Continue"), href=safe_next(next) or home_of(ctx.actor.role),
                                 className="btn btn-primary btn-sm"),
                        dcc.Link(_("Change your password"), href="/account/password",
                                 className="btn btn-outline-secondary btn-sm", id="login-change-password"),
                    ],
                    className="d-flex flex-wrap gap-2",
                ),
            ],
            className="login-page",
        )
    notice = None
    if expired == "1" or g.get("session_expired"):
        notice = html.Div(_("Your session ended after a period of inactivity. Please log in again."),
                          className="alert alert-info py-2", role="status", id="login-expired")
    return html.Div(
        [
            page_header(_("Log in"), _("For focal points, committee members, the secretariat and "
                                       "administrators. The public pages need no account.")),
            notice,
            html.Div(
                [
                    html.Div(
                        [
                            dbc.Label(_("E-mail address"), html_for="login-email"),
                            dbc.Input(id="login-email", type="email", autocomplete="username",
                                      required=True, maxlength=254, autofocus=True, n_submit=0),
                        ],
                        className="mb-3",
                    ),
                    html.Div(
                        [
                            dbc.Label(_("Password"), html_for="login-password"),
                            dbc.Input(id="login-password", type="password", autocomplete="current-password",
                                      required=True, n_submit=0),
                        ],
                        className="mb-3",
                    ),
                    html.Button(_("Log in"), id="login-submit", type="button", n_clicks=0,
                                className="btn btn-primary"),
                    html.Div(id="login-message", className="mt-3", **{"aria-live": "polite"}),
                    html.P(_("Forgot your password? Ask the secretariat or an administrator to reset it: you "
                             "will receive an e-mail with a link to choose a new one."),
                           className="form-text mt-3 mb-0", id="login-forgot"),
                ],
                className="card card-body shadow-sm",
            ),
            dcc.Store(id="login-next", data=safe_next(next)),
            # refresh=True: a full page load, so the shell shows the logged-in user.
            dcc.Location(id="login-redirect", refresh=True),
        ],
        className="login-page",
    )
