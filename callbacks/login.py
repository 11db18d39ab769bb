"""The log-in form: check the credentials, then reload the page at the user's start page."""
from __future__ import annotations

from urllib.parse import urlencode, urlsplit

from dash import Dash, Input, Output, State, html, no_update
from flask import g
from flask_babel import gettext as _

from dashboard import auth

# Where each role starts after logging in (without a ``next``).
HOME_BY_ROLE = {"focal_point": "/my", "secretariat": "/review", "committee": "/", "admin": "/admin/users"}


def home_of(role: str) -> str:
    return HOME_BY_ROLE.get(role, "/")


def safe_next(target) -> str | None:
    """``target`` if it is a path on this site, else None: "//host", "/\\host" or
    "https://host" would send the user to another site after logging in."""
    if not isinstance(target, str) or not target.startswith("/") or target.startswith("//"):
        return None
    if "\\" in target or any(ord(char) < 32 or ord(char) == 127 for char in target):
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        return None
    return target


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


def login_prompt(next_path: str):
    """What a protected page shows to an anonymous visitor: a link to log in and come back."""
    params = {"next": next_path, **({"expired": "1"} if g.get("session_expired") else {})}
    return html.Div(
        [
            html.P(_("Please log in to see this page."), className="mb-2"),
            html.A(_("Log in"), href="/login?" + urlencode(params, safe="/"), className="btn btn-primary btn-sm",
                   id="login-prompt-link"),
        ],
        className="alert alert-info",
        role="status",
        id="login-prompt",
    )
