"""``/account/tokens``: a reader of restricted data (committee, secretariat, admin) creates,
sees and revokes their personal tokens for the read-only API (``/api/v1``). A new token's
secret is shown once, just after it is created."""
from __future__ import annotations

import dash
import dash_bootstrap_components as dbc
from dash import dcc, html
from flask_babel import gettext as _

from dashboard.web.context import request_context
from dashboard.workflow import api_tokens
from layouts.components import page_header
from layouts.parts.access import login_prompt
from layouts.parts.api_tokens import token_table

PATH = "/account/tokens"
DAY_CHOICES = (30, 90, 180, 365)

dash.register_page(__name__, path=PATH, title=lambda **_kw: _("API tokens") + " · CNCLTEH")


def layout(**_query):
    ctx = request_context()
    header = page_header(_("API tokens"), _("Read the dashboard's data from your own programs."))
    if not ctx.actor.is_authenticated:
        return html.Div([header, login_prompt(PATH)])
    docs = html.P([_("The API and its documentation: "),
                   html.A(html.Bdi("/api/v1/docs", dir="ltr"), href="/api/v1/docs")])
    if not api_tokens.may_create(ctx.actor):
        return html.Div([header, html.P(_("Your account reads the public API, which needs no token."),
                                        id="api-tokens-refused"), docs])
    form = html.Div([
        dbc.Row([
            dbc.Col([dbc.Label(_("Name"), html_for="api-tokens-name"),
                     dbc.Input(id="api-tokens-name", maxLength=api_tokens.NAME_LIMIT, n_submit=0)], md=6),
            dbc.Col([dbc.Label(_("Valid for"), html_for="api-tokens-days"),
                     dcc.Dropdown(id="api-tokens-days", clearable=False, value=str(api_tokens.DEFAULT_DAYS),
                                  options=[{"label": _("%(n)s days", n=days), "value": str(days)}
                                           for days in DAY_CHOICES])], md=3),
        ], className="g-2 mb-2"),
        html.Button(_("Create a token"), id="api-tokens-create", type="button", n_clicks=0,
                    className="btn btn-primary"),
        html.Div(id="api-tokens-message", className="mt-3", **{"aria-live": "polite"}),
    ], className="card card-body shadow-sm mb-3")
    return html.Div([header, docs, form,
                     html.Div(token_table(api_tokens.tokens_of(ctx.session, ctx.actor), ctx.lang),
                              id="api-tokens-list")])
