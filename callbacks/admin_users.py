"""The accounts page: create an account, and change, deactivate or reset the one picked.

Every write goes through ``run_write``; the services check who may do what, so a refused
write comes back as a message and nothing is stored. Creating an account or resetting a
password issues a set-password link, e-mailed (or logged in development) once the write is
committed: the page never shows a password or a link.
"""
from __future__ import annotations

from dash import Dash, Input, Output, State, ctx, html, no_update
from flask_babel import gettext as _

from callbacks import run_write
from dashboard import mail
from dashboard.errors import UserError
from dashboard.web.context import request_context
from dashboard.workflow import accounts
from layouts.parts.admin import (
    error_alert,
    link_message,
    selected_state,
    success_alert,
    toggle_label,
    user_options,
    user_rows,
)

ACTIONS = ("user-save", "user-toggle-active", "user-reset-password")


def _text(value) -> str:
    return value if isinstance(value, str) else ""


def _deliver(link: accounts.IssuedLink) -> str:
    """E-mail (or log) a link just committed; the outcome for the page's message."""
    return mail.deliver_password_link(mail.PasswordLinkMail(
        email=link.email, name=link.name, token=link.token, purpose=link.purpose, hours=link.hours)).outcome


def register_callbacks(app: Dash) -> None:
    # Registered before pick_user, which also writes user-action-message.
    @app.callback(
        Output("user-action-message", "children"),
        Output("users-grid", "rowData", allow_duplicate=True),
        Output("user-pick", "options", allow_duplicate=True),
        Output("user-selected", "data", allow_duplicate=True),
        Output("user-toggle-active", "children", allow_duplicate=True),
        Input("user-save", "n_clicks"),
        Input("user-toggle-active", "n_clicks"),
        Input("user-reset-password", "n_clicks"),
        State("user-selected", "data"),
        State("user-edit-role", "value"),
        State("user-edit-entity", "value"),
        prevent_initial_call=True,
    )
    def act_on_user(_save, _toggle, _reset, selected, role, entity):
        if ctx.triggered_id not in ACTIONS:
            return (no_update,) * 5
        if not isinstance(selected, dict) or not selected.get("id"):
            return html.Div(_("Choose an account first."), className="alert alert-warning py-2 mb-0",
                            role="alert"), no_update, no_update, no_update, no_update
        rc = request_context()
        # The service checks the id and version, whatever their type.
        user_id, version = selected.get("id"), selected.get("version")
        if ctx.triggered_id == "user-save":
            result, error = run_write(lambda s: accounts.update_user(s, rc.actor, user_id, version,
                                                                     role=_text(role) or None,
                                                                     entity=_text(entity) or None))
        elif ctx.triggered_id == "user-toggle-active":
            active = selected.get("is_active") is False
            result, error = run_write(lambda s: accounts.set_active(s, rc.actor, user_id, version, active))
        else:
            result, error = run_write(lambda s: accounts.reset_password(s, rc.actor, user_id, version))
        if error:
            return error_alert(error), no_update, no_update, no_update, no_update
        user_id = accounts.as_id(user_id)
        users = accounts.list_users(rc.session, rc.actor)
        state = selected_state(users, user_id)
        email = next((u["email"] for u in users if u["id"] == user_id), "")
        if ctx.triggered_id == "user-save":
            message = success_alert(_("The account of %(email)s was updated.", email=email))
        elif ctx.triggered_id == "user-toggle-active":
            message = success_alert(_("The account of %(email)s was reactivated.", email=email) if state["is_active"]
                                    else _("The account of %(email)s was deactivated; its history is kept.",
                                           email=email))
        else:
            message = link_message(
                _("The password of %(email)s was reset: the old one no longer works and their open sessions "
                  "have ended.", email=email), email, result.hours, _deliver(result))
        return (message, user_rows(users, rc.lang), user_options(users, rc.actor), state,
                toggle_label(state["is_active"] if state else None))

    @app.callback(
        Output("user-create-message", "children"),
        Output("users-grid", "rowData", allow_duplicate=True),
        Output("user-pick", "options", allow_duplicate=True),
        Output("user-new-email", "value"),
        Output("user-new-name", "value"),
        Input("user-create", "n_clicks"),
        State("user-new-email", "value"),
        State("user-new-name", "value"),
        State("user-new-role", "value"),
        State("user-new-entity", "value"),
        prevent_initial_call=True,
    )
    def create_user(_clicks, email, name, role, entity):
        rc = request_context()
        created, error = run_write(lambda s: accounts.create_user(
            s, rc.actor, _text(email), _text(name), _text(role), _text(entity) or None))
        if error:
            return error_alert(error), no_update, no_update, no_update, no_update
        users = accounts.list_users(rc.session, rc.actor)
        link = created.link
        message = link_message(_("Account created for %(email)s.", email=link.email), link.email, link.hours,
                               _deliver(link))
        return message, user_rows(users, rc.lang), user_options(users, rc.actor), "", ""

    @app.callback(
        Output("user-selected", "data"),
        Output("user-edit-role", "value"),
        Output("user-edit-entity", "value"),
        Output("user-toggle-active", "children"),
        Output("user-action-message", "children", allow_duplicate=True),
        Input("user-pick", "value"),
        prevent_initial_call=True,
    )
    def pick_user(user_id):
        """Read the picked account afresh: its version is what the next change expects."""
        rc = request_context()
        try:
            users = accounts.list_users(rc.session, rc.actor)
        except UserError as error:
            return None, no_update, no_update, no_update, error_alert(error)
        state = selected_state(users, accounts.as_id(user_id))
        if state is None:
            return None, "", "", toggle_label(None), None
        user = next(u for u in users if u["id"] == state["id"])
        return state, user["role"], user["entity"] or "", toggle_label(state["is_active"]), None
