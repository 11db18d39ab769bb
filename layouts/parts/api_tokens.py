"""What ``/account/tokens`` re-renders: the table of a user's API tokens and the notice that
shows a new token's secret once."""
from __future__ import annotations

import dash_bootstrap_components as dbc
from dash import dcc, html
from flask_babel import gettext as _

from dashboard.i18n import fmt_datetime
from dashboard.workflow import api_tokens


def token_table(rows: list[api_tokens.TokenRow], lang: str) -> html.Div:
    """The actor's tokens with their state, and a form to revoke an active one."""
    if rows:
        head = html.Thead(html.Tr([html.Th(_("Name")), html.Th(_("Created")), html.Th(_("Expires")),
                                   html.Th(_("State"))]))
        body = [html.Tr([html.Td(html.Bdi(row.name)), html.Td(fmt_datetime(row.created_at, lang)),
                         html.Td(fmt_datetime(row.expires_at, lang)),
                         html.Td(_("Active") if row.active else _("Revoked") if row.revoked_at else _("Expired"))])
                for row in rows]
        listing = dbc.Table([head, html.Tbody(body)], size="sm", className="align-middle", id="api-tokens-table")
    else:
        listing = html.P(_("You have no API token yet."), className="text-muted", id="api-tokens-none")
    active = [{"label": f"{row.name} ({fmt_datetime(row.created_at, lang)})", "value": str(row.id)}
              for row in rows if row.active]
    revoke = html.Div([
        dcc.Dropdown(id="api-tokens-revoke-id", options=active, placeholder=_("Token to revoke"),
                     disabled=not active, className="flex-grow-1"),
        html.Button(_("Revoke"), id="api-tokens-revoke", type="button", n_clicks=0, disabled=not active,
                    className="btn btn-outline-danger"),
    ], className="d-flex gap-2 align-items-center")
    return html.Div([listing, revoke])


def created_notice(secret: str) -> dbc.Alert:
    return dbc.Alert([
        html.P(_("Copy your token now: it will not be shown again."), className="fw-bold mb-2"),
        html.Code(secret, id="api-tokens-secret", className="d-block user-select-all mb-2", dir="ltr"),
        html.P(_("Send it in the Authorization header: Bearer followed by the token."), className="mb-0 small"),
    ], color="success")
