"""The audit trail page: the filters drive the grid, the row count and the CSV link."""
from __future__ import annotations

import datetime as dt
import json
from zoneinfo import ZoneInfo

from babel import dates as babel_dates
from dash import Dash, Input, Output, html
from flask_babel import gettext as _
from flask_babel import ngettext

from callbacks import keep_filters_in_url
from dashboard import audit, auth
from dashboard.context import request_context
from dashboard.errors import Forbidden
from dashboard.i18n import BABEL_LOCALES, fmt_number
from dashboard.web import role_names
from layouts.components import query_string

MOROCCO = ZoneInfo("Africa/Casablanca")
ROW_LIMIT = 1000
# Filter keys, as in the page's URL and in /admin/audit.csv.
FILTERS = ("actor", "object", "action", "from", "to")
EXPORT_PATH = "/admin/audit.csv"


def local_time(value: dt.datetime | None, lang: str, seconds: bool = False) -> str:
    """A stored (naive UTC) time in Morocco's time, "2026-11-22 14:05": sortable as text."""
    if value is None:
        return "–"
    moment = value.replace(tzinfo=dt.UTC).astimezone(MOROCCO)
    pattern = "yyyy-MM-dd HH:mm:ss" if seconds else "yyyy-MM-dd HH:mm"
    return babel_dates.format_datetime(moment, pattern, tzinfo=MOROCCO, locale=BABEL_LOCALES[lang])


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
    roles = role_names()
    return [
        {
            "time": local_time(r["occurred_at"], lang, seconds=True),
            "actor": r["actor_email"] or "–",
            "role": roles.get(r["actor_role"], r["actor_role"]),
            "action": r["action"],
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


def register_callbacks(app: Dash) -> None:
    inputs = [Input(f"audit-{key}", "value") for key in FILTERS]

    @app.callback(
        Output("audit-grid", "rowData"),
        Output("audit-count", "children"),
        Output("audit-export", "href"),
        *inputs,
        prevent_initial_call=True,
    )
    def filter_audit(*values):
        ctx = request_context()
        chosen = dict(zip(FILTERS, values))
        try:
            rows, note = matching(chosen, ctx.lang)
        except Forbidden as error:
            return [], html.Div(str(error), className="alert alert-warning", role="alert"), EXPORT_PATH
        return rows, note, export_href(chosen)

    keep_filters_in_url(app, FILTERS, inputs)
