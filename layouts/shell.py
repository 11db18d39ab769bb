"""The frame around every page: navigation, the user's menu, the language switcher, the footer.

Not a page (it registers none): ``dashboard.app`` gives ``shell`` to Dash as the layout,
and ``callbacks/shell.py`` marks the current page in it.
"""
from __future__ import annotations

import dash
import dash_bootstrap_components as dbc
from dash import dcc, html
from flask import has_request_context
from flask_wtf.csrf import generate_csrf

from dashboard.i18n import LANGUAGE_NAMES, current_lang, fmt_number
from dashboard.i18n import gettext as _
from dashboard.labels import role_names
from dashboard.web import delivery, navigation
from dashboard.web.context import request_context
from dashboard.workflow import worklists


def shell():
    """The frame around every page: navigation, language switcher, footer."""
    lang = current_lang()
    return html.Div(
        [
            html.A(_("Skip to main content"), href="#main", className="visually-hidden-focusable"),
            html.Header(
                html.Nav(
                    html.Div(
                        [
                            dcc.Link(
                                [
                                    html.I(className="bi bi-bar-chart-line me-2", **{"aria-hidden": "true"}),
                                    _("Trafficking in persons: national plan monitor"),
                                ],
                                href="/",
                                className="navbar-brand fw-semibold",
                            ),
                            # Below the lg breakpoint the menu folds behind this button
                            # (callbacks/shell.py opens it, and closes it on navigation).
                            html.Button(
                                html.Span(className="navbar-toggler-icon"),
                                type="button", id="nav-toggler", className="navbar-toggler",
                                **{"aria-label": _("Menu"), "aria-controls": "nav-collapse",
                                   "aria-expanded": "false"},
                            ),
                            dbc.Collapse([html.Ul(
                                [
                                    html.Li(
                                        dcc.Link(entry.label(), href=entry.path, className="nav-link",
                                                 id=navigation.nav_id(entry)),
                                        className="nav-item",
                                    )
                                    for entry in navigation.group(navigation.MAIN)
                                ] + [
                                    # In a list item: a list holds only items (the menu is a div).
                                    html.Li(dbc.DropdownMenu(
                                        [dbc.DropdownMenuItem(entry.label(), href=entry.path,
                                                              id=navigation.nav_id(entry))
                                         for entry in navigation.group(navigation.NATIONAL)],
                                        label=navigation.national_menu_label(), nav=True, in_navbar=True,
                                        id=navigation.NATIONAL_MENU_ID, align_end=False,
                                    ), className="nav-item")
                                ],
                                className="navbar-nav me-auto flex-wrap",
                                id="main-nav",
                            ),
                            user_menu(lang),
                            html.Div(
                                [
                                    html.A(
                                        LANGUAGE_NAMES[code],
                                        href=f"?lang={code}",
                                        id=f"lang-{code}",
                                        lang=code,
                                        hrefLang=code,
                                        className="btn btn-sm "
                                        + ("btn-light active" if code == lang else "btn-outline-light"),
                                        **({"aria-current": "true"} if code == lang else {}),
                                    )
                                    for code in ("ar", "fr", "en")
                                ],
                                className="btn-group",
                                role="group",
                                **{"aria-label": _("Language")},
                            ),
                            ], id="nav-collapse", navbar=True, is_open=False),
                        ],
                        className="container-fluid",
                    ),
                    className="navbar navbar-expand-lg navbar-dark app-navbar",
                    **{"aria-label": _("Main navigation")},
                )
            ),
            html.Main(dash.page_container, id="main", className="container-fluid py-3", tabIndex="-1"),
            html.Footer(
                html.Div(
                    [
                        html.P(
                            _(
                                "National commission for the coordination of measures to combat "
                                "and prevent trafficking in persons (CNCLTEH). Permanent "
                                "secretariat: Ministry of Justice."
                            ),
                            className="mb-1",
                        ),
                        html.P(
                            [
                                _("National hotline for victims:"),
                                " ",
                                html.Bdi("0800 00 47 47", dir="ltr"),
                            ],
                            className="mb-0",
                        ),
                    ],
                    className="container-fluid small text-body-secondary",
                ),
                className="border-top py-3 mt-4",
            ),
        ]
    )


def user_menu(lang: str) -> html.Div:
    """The navbar's end: "Log in", or who is logged in, their pages and "Log out"."""
    ctx = request_context() if has_request_context() else None
    if ctx is None or not ctx.actor.is_authenticated:
        return html.Div(
            dcc.Link(
                [html.I(className="bi bi-box-arrow-in-right me-1", **{"aria-hidden": "true"}), _("Log in")],
                href="/login",
                id="login-link",
                className="btn btn-sm btn-outline-light",
            ),
            className="d-flex align-items-center me-lg-3 my-1",
            id="user-menu",
        )
    actor = ctx.actor
    # The log-out form below carries the CSRF token.
    delivery.secret_in_body()
    links = []
    if actor.role == "focal_point":
        links.append(("/my", _("My measures"), None))
    if actor.role in ("secretariat", "committee"):
        pending = worklists.pending_count(ctx.session, actor)
        badge = html.Span(
            [fmt_number(pending, lang), html.Span(" " + _("pending submissions"), className="visually-hidden")],
            className="badge rounded-pill text-bg-warning ms-1",
            id="review-pending-count",
        ) if pending else None
        links.append(("/review", _("Review"), badge))
    if actor.role in ("admin", "secretariat"):
        links.append(("/admin/users", _("Users"), None))
        links.append(("/admin/audit", _("Audit trail"), None))
    links += [(path, label, None) for path, label in navigation.account_links(actor)]
    return html.Div(
        [
            html.Ul(
                [
                    html.Li(
                        dcc.Link([label, badge], href=path, className="nav-link",
                                 id={"type": "user-nav", "index": i}),
                        className="nav-item",
                    )
                    for i, (path, label, badge) in enumerate(links)
                ],
                className="navbar-nav flex-wrap",
                id="user-nav",
            ),
            # Who is logged in; the name leads to the page where they change their password.
            dcc.Link(
                [
                    html.I(className="bi bi-person-circle me-1", **{"aria-hidden": "true"}),
                    html.Bdi(actor.name or actor.email, id="user-name"),
                    html.Span(role_names().get(actor.role, actor.role), className="badge text-bg-light ms-1",
                              id="user-role"),
                ],
                href="/account/password",
                title=_("Change your password"),
                id="user-account-link",
                className="navbar-text text-white small text-decoration-none",
            ),
            # A real form: logging out is a POST with the CSRF token, never a link.
            html.Form(
                [
                    dcc.Input(type="hidden", name="csrf_token", value=generate_csrf()),
                    html.Button(
                        [html.I(className="bi bi-box-arrow-right me-1", **{"aria-hidden": "true"}), _("Log out")],
                        type="submit",
                        id="logout-button",
                        className="btn btn-sm btn-outline-light",
                    ),
                ],
                method="POST",
                action="/logout",
                className="m-0",
            ),
        ],
        className="d-flex flex-wrap align-items-center gap-2 me-lg-3 my-1 user-menu",
        id="user-menu",
    )
