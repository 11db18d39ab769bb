"""The admin pages' pieces: the accounts list and its forms, and the audit trail's rows."""
from __future__ import annotations

import json

from dash import html
from flask_babel import gettext as _
from flask_babel import ngettext

from dashboard import labels
from dashboard.errors import UserError
from dashboard.i18n import fmt_number, fmt_timestamp
from dashboard.labels import role_names
from dashboard.models import ACCOUNT_ROLES
from dashboard.permissions import Actor, allowed
from dashboard.plan import queries
from dashboard.web import auth
from dashboard.web.context import request_context
from dashboard.workflow import audit
from layouts.components import query_string

ROW_LIMIT = 1000
# Filter keys, as in the page's URL and in /admin/audit.csv.
FILTERS = ("actor", "object", "action", "from", "to")
EXPORT_PATH = "/admin/audit.csv"


def user_rows(users: list[dict], lang: str) -> list[dict]:
    roles = role_names()
    yes, no = _("Yes"), _("No")
    return [
        {
            "email": u["email"],
            "name": u["name"],
            "role": roles.get(u["role"], u["role"]),
            "entity": u["entity"] or "–",
            "active": yes if u["is_active"] else no,
            "demo": yes if u["is_demo"] else no,
            "last_login": fmt_timestamp(u["last_login_at"], lang),
        }
        for u in users
    ]


def user_options(users: list[dict], actor: Actor) -> list[dict]:
    """The accounts this user may change (the secretariat: focal points only)."""
    inactive = _("inactive")
    return [
        {"label": f"{u['name']} ({u['email']})" + ("" if u["is_active"] else f" · {inactive}"),
         "value": str(u["id"])}
        for u in users if allowed(actor, "manage_user", u["role"])
    ]


def role_options(actor: Actor) -> list[dict]:
    """The roles this account may give (a convenience: the service decides)."""
    names = role_names()
    return [{"label": names[r], "value": r} for r in ACCOUNT_ROLES if allowed(actor, "manage_user", r)]


def entity_options(session, lang: str) -> list[dict]:
    return [{"label": _("None (only focal points belong to an entity)"), "value": ""}] + [
        {"label": f"{e['acronym']} · {e['name']}", "value": e["acronym"]} for e in queries.entities(session, lang)
    ]


def toggle_label(is_active: bool | None) -> str:
    return _("Reactivate") if is_active is False else _("Deactivate")


def selected_state(users: list[dict], user_id) -> dict | None:
    """What the page keeps of the picked account: its version, for the conflict check."""
    for u in users:
        if str(u["id"]) == str(user_id):
            return {"id": u["id"], "version": u["version"], "is_active": u["is_active"]}
    return None


def error_alert(error: UserError) -> html.Div:
    return html.Div(str(error), className="alert alert-danger py-2 mb-0", role="alert")


def success_alert(children) -> html.Div:
    return html.Div(children, className="alert alert-success py-2 mb-0", role="status")


def link_message(lead: str, email: str, hours: int, outcome: str) -> html.Div:
    """What the page says after a set-password link was issued: never the link, never a
    password; only where the link went (``outcome`` is mail.Delivery.outcome)."""
    if outcome == "failed":
        return html.Div([
            html.P(lead, className="mb-1"),
            html.P(_("The e-mail to %(email)s could not be sent. Check the mail settings, then reset the "
                     "password to send a new link.", email=email), className="mb-0"),
        ], className="alert alert-warning py-2 mb-0", role="alert", id="user-link-failed")
    if outcome == "sent":
        where = _("A link to choose a password was e-mailed to %(email)s. It works once, within %(hours)d "
                  "hours.", email=email, hours=hours)
    else:
        where = _("No mail server is configured (DASHBOARD_SMTP_HOST): the link for %(email)s is in the "
                  "server log. It works once, within %(hours)d hours.", email=email, hours=hours)
    return success_alert([html.P(lead, className="mb-1"), html.P(where, className="mb-0", id="user-link-sent")])


def compact_json(value) -> str:
    """Before/after values as one line of JSON text (the grid shows it as text, never HTML)."""
    if value is None:
        return ""
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(", ", ": "))


def audit_filters(values: dict) -> audit.AuditFilter:
    return auth.audit_filter_from({key: (values.get(key) or "") for key in FILTERS})


def export_href(values: dict) -> str:
    return EXPORT_PATH + query_string(**{key: (values.get(key) or "").strip() for key in FILTERS})


def grid_rows(rows: list[dict], lang: str) -> list[dict]:
    roles, actions = role_names(), labels.audit_action()
    # What the dashboard did by itself is recorded under a name, not an address.
    automatic = {"system": _("The dashboard itself"), "load-data": _("Loading of the data files")}
    return [
        {
            "time": fmt_timestamp(r["occurred_at"], lang, seconds=True),
            "actor": automatic.get(r["actor_email"], r["actor_email"] or "–"),
            "role": roles.get(r["actor_role"], r["actor_role"]),
            "action": actions.get(r["action"], r["action"]),
            "code": r["action"],
            "object": f"{r['object_type']}:{r['object_id']}" if r["object_id"] else r["object_type"],
            "before": compact_json(r["before"]),
            "after": compact_json(r["after"]),
            "address": r["address"],
        }
        for r in rows
    ]


def matching(values: dict, lang: str) -> tuple[list[dict], html.Div]:
    """The grid rows for these filters and the line that says how many there are.
    Raises Forbidden for accounts that may not read the trail."""
    ctx = request_context()
    rows = audit.audit_rows(ctx.session, ctx.actor, audit_filters(values), limit=ROW_LIMIT + 1)
    cut = len(rows) > ROW_LIMIT
    rows = rows[:ROW_LIMIT]
    if cut:
        text = _("The newest %(n)s matching records are shown. Narrow the filters, or export them all "
                 "as CSV.", n=fmt_number(ROW_LIMIT, lang))
    else:
        text = ngettext("%(count)s matching record.", "%(count)s matching records.", len(rows),
                        count=fmt_number(len(rows), lang))
    note = html.P(text, className="small mb-2" + (" text-warning-emphasis fw-semibold" if cut else
                                                  " text-body-secondary"))
    return grid_rows(rows, lang), note
