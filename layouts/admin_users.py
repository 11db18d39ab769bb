"""``/admin/users``: the accounts, a form to create one, and changes to the one picked.

Administrators manage every role; the secretariat manages focal points. The page offers
only the roles the user may give, but the service is what refuses the others.
"""
from __future__ import annotations

import dash
import dash_bootstrap_components as dbc
from dash import dcc, html
from flask_babel import gettext as _

from dashboard.errors import Forbidden
from dashboard.web.context import request_context
from dashboard.workflow import accounts
from layouts.components import card, data_grid, page_header
from layouts.parts.access import login_prompt
from layouts.parts.admin import (
    entity_options,
    role_options,
    toggle_label,
    user_options,
    user_rows,
)

dash.register_page(__name__, path="/admin/users", title=lambda **_kw: _("Users") + " · CNCLTEH")


def layout(**_query):
    ctx = request_context()
    header = page_header(_("Users"), _("Accounts of the focal points, committee members, secretariat and "
                                       "administrators. An account is deactivated, never deleted, so its "
                                       "history stays."))
    if not ctx.actor.is_authenticated:
        return html.Div([header, login_prompt("/admin/users")])
    try:
        users = accounts.list_users(ctx.session, ctx.actor)
    except Forbidden as error:
        return html.Div([header, html.Div(str(error), className="alert alert-warning", role="alert",
                                          id="users-refused")])
    roles = role_options(ctx.actor)
    entities = entity_options(ctx.session, ctx.lang)
    return html.Div(
        [
            header,
            html.Div(
                [
                    html.Div(card(_("Accounts"), data_grid("users-grid", user_rows(users, ctx.lang),
                                                           _columns(ctx.lang), ctx.lang, height=None)),
                             className="col-12"),
                    html.Div(_create_form(roles, entities), className="col-12 col-xl-6"),
                    html.Div(_change_form(users, ctx.actor, roles, entities), className="col-12 col-xl-6"),
                ],
                className="row g-3",
            ),
            dcc.Store(id="user-selected"),
        ]
    )


def _field(label: str, control, help_text: str | None = None) -> html.Div:
    parts = [dbc.Label(label, html_for=control.id, className="form-label"), control]
    if help_text:
        parts.append(html.Div(help_text, className="form-text"))
    return html.Div(parts, className="mb-2")


def _create_form(roles: list[dict], entities: list[dict]) -> html.Section:
    return card(
        _("New account"),
        html.Div(
            [
                _field(_("E-mail address"), dbc.Input(id="user-new-email", type="email", autocomplete="off",
                                                      maxlength=254)),
                _field(_("Name"), dbc.Input(id="user-new-name", type="text", autocomplete="off", maxlength=200)),
                _field(_("Role"), dbc.Select(id="user-new-role", options=roles,
                                             value=roles[-1]["value"] if len(roles) == 1 else None,
                                             placeholder=_("Choose a role"))),
                _field(_("Entity"), dbc.Select(id="user-new-entity", options=entities, value=""),
                       _("Required for a focal point.")),
                html.P(_("The person receives an e-mail with a link to choose their own password "
                         "(valid %(hours)d hours). No one else ever sees it.", hours=accounts.CREATE_LINK_HOURS),
                       className="form-text", id="user-new-link-note"),
                html.Button(_("Create account"), id="user-create", type="button", n_clicks=0,
                            className="btn btn-primary btn-sm"),
                html.Div(id="user-create-message", className="mt-2", **{"aria-live": "polite"}),
            ]
        ),
    )


def _change_form(users: list[dict], actor, roles: list[dict], entities: list[dict]) -> html.Section:
    return card(
        _("Change an account"),
        html.Div(
            [
                _field(_("Account"), dbc.Select(id="user-pick", options=user_options(users, actor),
                                                placeholder=_("Choose an account"))),
                _field(_("Role"), dbc.Select(id="user-edit-role", options=roles)),
                _field(_("Entity"), dbc.Select(id="user-edit-entity", options=entities, value="")),
                html.Div(
                    [
                        html.Button(_("Save role and entity"), id="user-save", type="button", n_clicks=0,
                                    className="btn btn-primary btn-sm"),
                        html.Button(toggle_label(None), id="user-toggle-active", type="button", n_clicks=0,
                                    className="btn btn-outline-danger btn-sm"),
                        html.Button(_("Reset password"), id="user-reset-password", type="button", n_clicks=0,
                                    className="btn btn-outline-secondary btn-sm"),
                    ],
                    className="d-flex flex-wrap gap-2",
                ),
                html.P(_("Resetting the password, deactivating the account or changing its role ends "
                         "its open sessions. A reset stops the old password at once and e-mails the person "
                         "a link to choose a new one (valid %(hours)d hours).", hours=accounts.RESET_LINK_HOURS),
                       className="form-text mb-0"),
                html.Div(id="user-action-message", className="mt-2", **{"aria-live": "polite"}),
            ]
        ),
    )


def _columns(lang: str) -> list[dict]:
    return [
        {"field": "email", "headerName": _("E-mail address"), "flex": 2, "minWidth": 220,
         "pinned": "right" if lang == "ar" else "left"},
        {"field": "name", "headerName": _("Name"), "flex": 2, "minWidth": 180},
        {"field": "role", "headerName": _("Role"), "width": 170},
        {"field": "entity", "headerName": _("Entity"), "width": 120},
        {"field": "active", "headerName": _("Active"), "width": 100},
        {"field": "demo", "headerName": _("Demonstration"), "width": 140},
        {"field": "last_login", "headerName": _("Last log-in (Morocco time)"), "width": 190},
    ]
