"""What protected pages show to those who may not see them, and where log-ins lead."""
from __future__ import annotations

from urllib.parse import urlencode, urlsplit

import dash_bootstrap_components as dbc
from dash import html
from flask import g
from flask_babel import gettext as _

from dashboard.errors import Forbidden
from dashboard.permissions import Actor, authorize
from dashboard.workflow import passwords

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


def access_refusal(actor: Actor, action: str, next_path: str, target=None) -> html.Div | None:
    """``None`` if ``actor`` may do ``action``; else the refusal, with a log-in link when
    anonymous. The wording is the one the services use."""
    try:
        authorize(actor, action, target)
    except Forbidden as refusal:
        parts = [html.P(str(refusal))]
        if not actor.is_authenticated:
            parts.append(html.A(_("Log in"), href=f"/login?next={next_path}", className="btn btn-primary btn-sm"))
        return html.Div(parts, className="py-4", id="access-refused")
    return None


def password_hint() -> str:
    return _("At least %(n)d characters. A few unrelated words make a strong password that is easy to "
             "remember; your name, your e-mail address, the name of this site and common passwords are "
             "refused.", n=passwords.MIN_LENGTH)


def new_password_fields(prefix: str) -> list[html.Div]:
    """The new password, twice (``{prefix}-new`` and ``{prefix}-confirm``), with the rules."""
    return [
        html.Div(
            [
                dbc.Label(_("New password"), html_for=f"{prefix}-new"),
                dbc.Input(id=f"{prefix}-new", type="password", autocomplete="new-password", required=True,
                          maxlength=passwords.MAX_LENGTH, n_submit=0),
                html.Div(password_hint(), id=f"{prefix}-hint", className="form-text"),
            ],
            className="mb-3",
        ),
        html.Div(
            [
                dbc.Label(_("The new password again"), html_for=f"{prefix}-confirm"),
                dbc.Input(id=f"{prefix}-confirm", type="password", autocomplete="new-password", required=True,
                          maxlength=passwords.MAX_LENGTH, n_submit=0),
            ],
            className="mb-3",
        ),
    ]


def alert(message: str, kind: str = "danger", component_id: str | None = None) -> html.Div:
    return html.Div(message, className=f"alert alert-{kind} py-2 mb-0",
                    role="alert" if kind in ("danger", "warning") else "status",
                    **({"id": component_id} if component_id else {}))
