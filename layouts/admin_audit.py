"""``/admin/audit``: the audit trail, filtered, with a CSV export (secretariat and admin).

The filters are in the URL (``?actor=&object=&action=&from=&to=``), so a filtered view can
be bookmarked; the export link carries the same filters.
"""
from __future__ import annotations

import datetime as dt

import dash
import dash_bootstrap_components as dbc
from dash import html
from flask_babel import gettext as _

from dashboard import labels
from dashboard.errors import Forbidden
from dashboard.web.context import request_context
from dashboard.workflow import audit
from layouts.components import data_grid, page_header
from layouts.parts.access import login_prompt
from layouts.parts.admin import export_href, matching

CODE_CELL = "font-monospace small"


dash.register_page(__name__, path="/admin/audit", title=lambda **_kw: _("Audit trail") + " · CNCLTEH")


def layout(**query):
    ctx = request_context()
    header = page_header(_("Audit trail"), _("Every change and every log-in, newest first. Times are "
                                             "Morocco time; the CSV export gives them in UTC."))
    if not ctx.actor.is_authenticated:
        return html.Div([header, login_prompt("/admin/audit")])
    values = {key: str(query.get(key) or "")[:254] for key in ("actor", "object", "action", "from", "to")}
    for key in ("from", "to"):
        values[key] = _iso_day(values[key])
    try:
        rows, note = matching(values, ctx.lang)
    except Forbidden as error:
        return html.Div([header, html.Div(str(error), className="alert alert-warning", role="alert",
                                          id="audit-refused")])
    actions = audit.audit_actions(ctx.session)
    names = labels.audit_action()
    if values["action"] not in actions:
        values["action"] = ""
    return html.Div(
        [
            header,
            html.Div(
                [
                    _text_filter("audit-actor", _("Actor (part of the e-mail)"), values["actor"], "email"),
                    _text_filter("audit-object", _("Object: a kind, or a kind and its code (e.g. measure:A1.O1.M1)"),
                                 values["object"], "text"),
                    html.Div(
                        [
                            dbc.Label(_("Action"), html_for="audit-action", className="form-label"),
                            dbc.Select(id="audit-action", size="sm", value=values["action"],
                                       options=[{"label": _("All"), "value": ""}]
                                       + [{"label": names.get(a, a), "value": a} for a in actions]),
                        ],
                        className="col-12 col-sm-6 col-lg",
                    ),
                    _text_filter("audit-from", _("From"), values["from"], "date"),
                    _text_filter("audit-to", _("To"), values["to"], "date"),
                ],
                className="row g-2 mb-2 filter-bar",
                role="search",
                **{"aria-label": _("Filter the audit trail")},
            ),
            html.Div(
                [
                    html.Div(note, id="audit-count", **{"aria-live": "polite"}),
                    html.A(
                        [html.I(className="bi bi-download me-1", **{"aria-hidden": "true"}), _("Export CSV")],
                        href=export_href(values),
                        id="audit-export",
                        className="btn btn-sm btn-outline-primary",
                        download="",
                    ),
                ],
                className="d-flex flex-wrap justify-content-between align-items-center gap-2 mb-2",
            ),
            data_grid("audit-grid", rows, _columns(ctx.lang), ctx.lang, height=640, page_size=50),
        ]
    )


def _iso_day(text: str) -> str:
    """A date input takes "2026-11-22" or nothing."""
    try:
        return dt.date.fromisoformat(text[:10]).isoformat()
    except ValueError:
        return ""


def _text_filter(component_id: str, label: str, value: str, kind: str) -> html.Div:
    return html.Div(
        [
            dbc.Label(label, html_for=component_id, className="form-label"),
            # debounce: filter when the field is left or Enter is pressed, not at each key.
            dbc.Input(id=component_id, type=kind, value=value, size="sm", debounce=True,
                      autocomplete="off", **({} if kind == "date" else {"maxlength": 254})),
        ],
        className="col-12 col-sm-6 col-lg",
    )


def _columns(lang: str) -> list[dict]:
    return [
        {"field": "time", "headerName": _("Time (Morocco)"), "width": 180,
         "pinned": "right" if lang == "ar" else "left"},
        {"field": "actor", "headerName": _("Actor"), "width": 230},
        {"field": "role", "headerName": _("Role"), "width": 150},
        {"field": "action", "headerName": _("Action"), "width": 220},
        # Codes, record keys and stored values as recorded: shown as code, left to right.
        {"field": "code", "headerName": _("Code"), "width": 200, "cellClass": CODE_CELL},
        {"field": "object", "headerName": _("Object"), "width": 180, "cellClass": CODE_CELL},
        {"field": "before", "headerName": _("Before"), "flex": 1, "minWidth": 220, "wrapText": True,
         "autoHeight": True, "cellClass": CODE_CELL},
        {"field": "after", "headerName": _("After"), "flex": 1, "minWidth": 220, "wrapText": True,
         "autoHeight": True, "cellClass": CODE_CELL},
        {"field": "address", "headerName": _("Address"), "width": 140, "cellClass": CODE_CELL},
    ]
